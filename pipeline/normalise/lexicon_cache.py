"""The hunspell .dic compiled once into a marshal file in the user's cache, read back as a lazy spylls ``Dic``.

spylls spends ~1.5 s and ~150 MB turning sv_SE.dic's 152 000 lines into ``Word`` objects and two indexes
on every run, though a normalising run asks about a few hundred stems. Here spylls' own ``read_dic`` runs
once; its result is stored as plain strings and integer arrays, in buckets by the first three
characters of the stem (`marshal` reads builtin types about ten times faster than pickle); and
:class:`CompiledDic` answers ``homonyms()`` by decoding one bucket and building just the ``Word`` objects
asked for. spylls' ``Lookup`` (affixes, compounding, BREAK, casing; with the equivalent, faster
``desuffix`` of :mod:`pipeline.normalise.lexicon_lookup`) runs on top, with the .aff read by spylls
as before (~15 ms), so answers are spylls' answers.

The file (~3.5 MB) is named by the sha256 of the .aff, the .dic, the source of this module and of the
spylls modules that read the files (this pins the spylls version without importlib.metadata's ~35 ms),
and the Python and marshal versions; it is written atomically, so parallel builds can race safely.
When it cannot be written or read, the run uses the plain spylls dictionary it has just read. Files
of other keys are left alone (another virtualenv may still use them); the folder can be deleted.
"""

from __future__ import annotations

import hashlib
import marshal
import sys
from array import array
from collections import defaultdict
from collections.abc import Iterable
from operator import itemgetter
from pathlib import Path
from typing import Any

from spylls.hunspell.algo import capitalization
from spylls.hunspell.algo.capitalization import Type as CapType
from spylls.hunspell.data import aff as aff_data
from spylls.hunspell.data import dic as dic_data
from spylls.hunspell.data.dic import Dic, Word
from spylls.hunspell.readers import aff as aff_reader
from spylls.hunspell.readers import dic as dic_reader
from spylls.hunspell.readers import file_reader
from spylls.hunspell.readers.aff import read_aff
from spylls.hunspell.readers.dic import read_dic
from spylls.hunspell.readers.file_reader import FileReader

from pipeline.normalise.lexicon_lookup import SwedishLookup
from pipeline.user_cache import cache_dir, write_atomically

#: Bumped whenever the layout of the compiled form changes.
FORMAT = 1
#: Stems are grouped by this many leading characters; a bucket is decoded on its first look-up.
BUCKET_PREFIX = 3
#: The spylls modules whose code decides what the compiled form holds: readers, data classes, casing.
_SPYLLS_MODULES = (aff_reader, dic_reader, file_reader, aff_data, dic_data, capitalization)
_ENTRY = "I"  # array typecode of entry numbers and flag-set numbers (unsigned, 4 bytes)
_SEP = "\n"  # never inside a stem: spylls reads the .dic line by line
_KEYS = {"format", "bucket_prefix", "count", "flagsets", "stems", "repeated", "lower", "extras", "rep"}


def cache_key(aff_path: Path, dic_path: Path) -> str:
    """What the compiled form depends on, hashed: dictionary files, this code, spylls' readers, Python."""
    digest = hashlib.sha256(f"{FORMAT} {BUCKET_PREFIX} {sys.version_info[:2]} {marshal.version}".encode())
    code = [Path(__file__), *(Path(str(module.__file__)) for module in _SPYLLS_MODULES)]
    for path in (aff_path, dic_path, *code):
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def compile_dic(aff: Any, dic: Any, rep_before: int) -> dict[str, Any]:
    """The spylls ``Dic`` (and the REP patterns its ``ph:`` tags added to ``aff``) as marshal-able data.

    Each entry keeps its number (its place in the .dic), so that homonyms come back in spylls' order;
    the few stems with several entries are also listed apart. Of ``lowercase_index``, the entries that
    are not all-lowercase are stored, under each of ``aff.casing.lower(stem)`` as ``read_dic`` files
    them. ``read_dic`` files an all-lowercase entry under each of its characters (it iterates the
    stem itself); :meth:`CompiledDic.homonyms` rebuilds that on demand instead of storing a million
    references. tests/test_lexicon.py checks both indexes against spylls' own, key by key.
    """
    flagsets: dict[frozenset[str], int] = {}
    stems: dict[str, tuple[list[str], array[int]]] = {}
    repeated = {id(word) for words in dic.index.values() if len(words) > 1 for word in words}
    repeated_entries: dict[str, list[tuple[int, int]]] = {}
    lower: dict[str, tuple[list[str], list[str], array[int]]] = {}
    extras: dict[int, tuple[dict[str, list[str]], list[str]]] = {}
    for n, word in enumerate(dic.words):
        flagset = flagsets.setdefault(frozenset(word.flags), len(flagsets))
        names, ids = stems.setdefault(word.stem[:BUCKET_PREFIX], ([], array(_ENTRY)))
        names.append(word.stem)
        ids.extend((n, flagset))
        if id(word) in repeated:
            repeated_entries.setdefault(word.stem, []).append((n, flagset))
        if word.captype is not CapType.NO:
            for key in aff.casing.lower(word.stem):
                keys, names, ids = lower.setdefault(key[:BUCKET_PREFIX], ([], [], array(_ENTRY)))
                keys.append(key)
                names.append(word.stem)
                ids.extend((n, flagset))
        if word.data or word.alt_spellings:
            extras[n] = ({tag: list(values) for tag, values in word.data.items()}, list(word.alt_spellings))
    return {
        "format": FORMAT,
        "bucket_prefix": BUCKET_PREFIX,
        "count": len(dic.words),
        "flagsets": [tuple(sorted(flags)) for flags in flagsets],
        "stems": {key: (_SEP.join(names), ids.tobytes()) for key, (names, ids) in stems.items()},
        "repeated": repeated_entries,
        "lower": {key: (_SEP.join(k), _SEP.join(n), ids.tobytes()) for key, (k, n, ids) in lower.items()},
        "extras": extras,
        "rep": [(rep.pattern, rep.replacement) for rep in aff.REP[rep_before:]],
    }


class CompiledDic(Dic):
    """A spylls ``Dic`` over the compiled form: ``homonyms()`` and ``has_flag()`` as spylls answers them.

    ``Word`` objects are made on first request and kept, one per .dic entry. ``words``, ``index`` and
    ``lowercase_index`` exist for comparison with spylls and build everything (slow; not used by lookup).
    """

    def __init__(self, compiled: dict[str, Any], casing: capitalization.Casing) -> None:
        self._compiled = compiled
        self._prefix: int = compiled["bucket_prefix"]
        self._flagsets: list[tuple[str, ...]] = compiled["flagsets"]
        self._extras: dict[int, tuple[dict[str, list[str]], list[str]]] = compiled["extras"]
        self._casing = casing
        self._repeated: dict[str, list[tuple[int, int]]] = compiled["repeated"]
        self._buckets: dict[str, tuple[dict[str, int], array[int]]] = {}
        self._lower_buckets: dict[str, dict[str, list[tuple[int, int, str]]]] = {}
        self._entries: dict[int, Word] = {}
        self._homonyms: dict[str, list[Word]] = {}
        self._lower_homonyms: dict[str, list[Word]] = {}

    def __repr__(self) -> str:
        return f"CompiledDic(... {self._compiled['count']} words ...)"

    def homonyms(self, stem: str, *, ignorecase: bool = False) -> list[Word]:
        """The entries with this stem (or, with ``ignorecase``, indexed under this lowercase form)."""
        memo = self._lower_homonyms if ignorecase else self._homonyms
        found = memo.get(stem)
        if found is None:
            if ignorecase:
                entries = list(self._lower_bucket(stem[: self._prefix]).get(stem, ()))
                if len(stem) == 1:
                    entries += self._lowercase_entries_with(stem)
                    entries.sort(key=itemgetter(0))
                found = [self._word(n, flagset, name) for n, flagset, name in entries]
            else:
                found = [self._word(n, flagset, stem) for n, flagset in self._entries_of(stem)]
            memo[stem] = found
        return found

    def _entries_of(self, stem: str) -> list[tuple[int, int]]:
        """(entry number, flag-set number) of each entry with this stem."""
        if stem in self._repeated:
            return self._repeated[stem]
        prefix = stem[: self._prefix]
        bucket = self._buckets.get(prefix)
        if bucket is None:
            bucket = self._buckets[prefix] = _positions(self._compiled["stems"].get(prefix))
        positions, ids = bucket
        at = positions.get(stem)
        return [] if at is None else [(ids[2 * at], ids[2 * at + 1])]

    def _lower_bucket(self, prefix: str) -> dict[str, list[tuple[int, int, str]]]:
        bucket = self._lower_buckets.get(prefix)
        if bucket is None:
            bucket = self._lower_buckets[prefix] = {}
            packed = self._compiled["lower"].get(prefix)
            if packed:
                keys, names, ids = packed
                entries = _decode((names, ids))
                for key, (name, n, flagset) in zip(keys.split(_SEP), entries, strict=True):
                    bucket.setdefault(key, []).append((n, flagset, name))
        return bucket

    def _lowercase_entries_with(self, char: str) -> list[tuple[int, int, str]]:
        """spylls indexes an all-lowercase stem under each of its characters, once per occurrence."""
        found = []
        for packed in self._compiled["stems"].values():
            if char in packed[0]:
                for name, n, flagset in _decode(packed):
                    if char in name and self._casing.guess(name) is CapType.NO:
                        found += [(n, flagset, name)] * name.count(char)
        return found

    def _word(self, n: int, flagset: int, stem: str) -> Word:
        word = self._entries.get(n)
        if word is None:
            data: dict[str, list[str]] = {}
            alt_spellings: list[str] = []
            if n in self._extras:
                tags, alts = self._extras[n]
                data = defaultdict(list, {tag: list(values) for tag, values in tags.items()})
                alt_spellings = list(alts)
            word = self._entries[n] = Word(
                stem=stem,
                flags=set(self._flagsets[flagset]),
                data=data,
                captype=self._casing.guess(stem),
                alt_spellings=alt_spellings,
            )
        return word

    def _all_entries(self) -> list[tuple[int, int, str]]:
        entries = [(n, f, name) for packed in self._compiled["stems"].values() for name, n, f in _decode(packed)]
        return sorted(entries, key=itemgetter(0))

    @property
    def words(self) -> list[Word]:
        return [self._word(n, flagset, name) for n, flagset, name in self._all_entries()]

    @property
    def index(self) -> dict[str, list[Word]]:
        return {name: self.homonyms(name) for _, _, name in self._all_entries()}

    @property
    def lowercase_index(self) -> dict[str, list[Word]]:
        keys = {key for prefix in self._compiled["lower"] for key in self._lower_bucket(prefix)}
        keys.update(c for _, _, name in self._all_entries() if self._casing.guess(name) is CapType.NO for c in name)
        return {key: self.homonyms(key, ignorecase=True) for key in keys}


def _decode(packed: tuple[str, bytes] | None) -> Iterable[tuple[str, int, int]]:
    """A bucket's (stem, entry number, flag-set number) triples, in .dic order."""
    if not packed:
        return ()
    names, raw = packed
    ids = array(_ENTRY)
    ids.frombytes(raw)
    return zip(names.split(_SEP), ids[0::2], ids[1::2], strict=True)


def _positions(packed: tuple[str, bytes] | None) -> tuple[dict[str, int], array[int]]:
    """A bucket as {stem: its place in the bucket} (built in C) and its (entry, flag set) numbers."""
    ids = array(_ENTRY)
    if not packed:
        return {}, ids
    names, raw = packed
    ids.frombytes(raw)
    return dict(zip(names.split(_SEP), range(len(ids) // 2), strict=True)), ids


def read_compiled(path: Path) -> dict[str, Any] | None:
    """The compiled form stored at ``path``, or None when it is missing, unreadable or of another FORMAT."""
    try:
        compiled = marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return None
    if not isinstance(compiled, dict) or compiled.get("format") != FORMAT or compiled.keys() != _KEYS:
        return None
    return compiled


def lookup_from_compiled(aff_path: Path, compiled: dict[str, Any]) -> SwedishLookup:
    """spylls' word check over the .aff (read by spylls) and the compiled .dic."""
    aff, _ = read_aff(FileReader(str(aff_path)))
    aff.REP.extend(aff_data.RepPattern(pattern, replacement) for pattern, replacement in compiled["rep"])
    return SwedishLookup(aff, CompiledDic(compiled, aff.casing))


def plain_spylls(aff_path: Path, dic_path: Path) -> tuple[Any, Any, int]:
    """The .aff and .dic read by spylls exactly as ``Dictionary.from_files`` does (and REP's size before the .dic)."""
    aff, context = read_aff(FileReader(str(aff_path)))
    rep_before = len(aff.REP)
    dic = read_dic(FileReader(str(dic_path), encoding=context.encoding), aff=aff, context=context)
    return aff, dic, rep_before


def load_lookup(aff_path: Path, dic_path: Path, folder: Path | None = None) -> SwedishLookup:
    """spylls' word check for this dictionary, from the compiled cache (built and stored on first use)."""
    folder = cache_dir() if folder is None else folder
    try:
        path: Path | None = folder / f"{dic_path.stem}-{cache_key(aff_path, dic_path)[:32]}.marshal"
    except OSError:  # spylls' source cannot be read (a zipped install): no cache
        path = None
    compiled = read_compiled(path) if path else None
    if compiled is not None:
        return lookup_from_compiled(aff_path, compiled)
    aff, dic, rep_before = plain_spylls(aff_path, dic_path)
    if path:
        write_atomically(path, marshal.dumps(compile_dic(aff, dic, rep_before)))
    # This run goes on with the dictionary spylls has just read, whether or not the cache was written.
    return SwedishLookup(aff, dic)
