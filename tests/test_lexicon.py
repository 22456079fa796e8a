"""The compiled lexicon answers as plain spylls does: the same dictionary data, the same verdicts on a large sample."""

from __future__ import annotations

import itertools
import marshal
import random
import re
from array import array
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pytest
from spylls.hunspell import Dictionary
from spylls.hunspell.algo.lookup import Lookup as SpyllsLookup

from pipeline import user_cache
from pipeline.normalise import lexicon_cache

ROOT = Path(__file__).resolve().parent.parent
DIC = Path(lexicon_cache.__file__).resolve().parent.parent / "data/hunspell/sv_SE.dic"
AFF = DIC.with_suffix(".aff")
EDGE_PUNCT = "\"'”“’‘»«()[]{}.,;:!?…–"
# Compounds of the kind the party programmes are full of.
COMPOUNDS = ["vårdtyngdsmätningar", "kollektivtrafikförsörjning", "Kollektivtrafikförsörjningen", "landstingsnivå"]

Lookup = Callable[[str], bool]


@pytest.fixture(scope="module")
def spylls() -> Any:
    """The reference: spylls reading the .aff and .dic itself, as lexicon.py did before the cache."""
    return Dictionary.from_files(str(DIC.with_suffix("")))


@pytest.fixture(scope="module")
def cache_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("lexicon-cache")
    cold = lexicon_cache.load_lookup(AFF, DIC, folder)  # builds the cache, answers from plain spylls
    assert not isinstance(cold.dic, lexicon_cache.CompiledDic)
    return folder


@pytest.fixture(scope="module")
def compiled(cache_folder: Path) -> Any:
    """The warm path: spylls' Lookup over the compiled .dic read back from the cache file."""
    lookup = lexicon_cache.load_lookup(AFF, DIC, cache_folder)
    assert isinstance(lookup.dic, lexicon_cache.CompiledDic)
    return lookup


def disagreements(lookup: Lookup, reference: Lookup, words: Iterable[str]) -> list[tuple[str, bool, bool]]:
    found = []
    for word in words:
        ours, theirs = bool(lookup(word)), bool(reference(word))
        if ours != theirs:
            found.append((word, ours, theirs))
    return found


# --- the sample -------------------------------------------------------------------------------


def _strip(token: str) -> str:
    return token.strip(EDGE_PUNCT)


def case_words() -> list[str]:
    """What dehyphenate.decide asks for each row of tests/cases/dehyphenation.tsv, and the cells themselves."""
    words = []
    for line in (ROOT / "tests/cases/dehyphenation.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        left, right, *cells = line.split("\t")[:-1]  # the last column is the kind of decision
        head, core = _strip(left[:-1]).split("-")[-1], _strip(right)
        words += [left, right, *cells, *map(_strip, cells), head + core, (head + core).lower(), f"{head}-{core}"]
    return words


def seed_texts() -> list[str]:
    return [path.read_text(encoding="utf-8") for path in sorted(ROOT.glob("source/*/text.txt"))]


def seed_words() -> list[str]:
    """Every token of both seed texts, as written and without edge punctuation."""
    words = []
    for text in seed_texts():
        for token in text.split():
            words += [token, _strip(token)]
    return words


def line_end_pairs() -> list[str]:
    """Each line-end hyphen in the seeds joined with the next line's first word: joined, hyphenated, lowercase."""
    words = []
    for text in seed_texts():
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        for line, following in itertools.pairwise(lines):
            if line.endswith("-"):
                head, core = _strip(line.split()[-1][:-1]).split("-")[-1], _strip(following.split()[0])
                words += [head + core, (head + core).lower(), f"{head}-{core}"]
    return words


def seed_neighbours(rng: random.Random, count: int) -> list[str]:
    """Invented compounds from running text: two neighbouring words of a seed written as one."""
    tokens = [_strip(token).lower() for text in seed_texts() for token in text.split()]
    tokens = [token for token in tokens if token.isalpha()]
    pairs = [a + b for a, b in itertools.pairwise(tokens)]
    return rng.sample(sorted(set(pairs)), count)


def affixed(aff: Any, word: Any) -> list[str]:
    """The forms a .dic entry takes with its own suffixes (sv_SE has no prefixes)."""
    forms = []
    for flag in sorted(word.flags):
        for suffix in aff.SFX.get(flag, ()):
            if word.stem.endswith(suffix.strip) and suffix.cond_regexp.search(word.stem):
                forms.append(word.stem[: len(word.stem) - len(suffix.strip)] + suffix.add)
    return forms


def dictionary_words(spylls: Any, rng: random.Random, entries: int) -> list[str]:
    """Entries drawn from sv_SE.dic, each as its stem and two of its affixed forms."""
    words = []
    for word in rng.sample(spylls.dic.words, entries):
        forms = affixed(spylls.aff, word)
        words += [word.stem, *rng.sample(forms, min(2, len(forms)))]
    return words


def invented(spylls: Any, rng: random.Random) -> list[str]:
    """Compounds of random stems (with and without a linking s, of two and three parts) and non-words."""
    stems = [word.stem for word in spylls.dic.words if word.stem.isalpha() and word.stem.islower()]
    begins = [word.stem for word in spylls.dic.words if "X" in word.flags and word.stem.isalpha()]
    ends = [word.stem for word in spylls.dic.words if "Y" in word.flags and word.stem.isalpha()]
    words = [rng.choice(begins) + rng.choice(ends) for _ in range(150)]
    words += [rng.choice(begins) + "s" + rng.choice(ends) for _ in range(60)]
    words += [rng.choice(begins) + rng.choice(begins) + rng.choice(ends) for _ in range(40)]
    words += [rng.choice(stems) + rng.choice(stems) for _ in range(100)]
    letters = "abcdefghijklmnoprstuvyåäö"
    words += ["".join(rng.choices(letters, k=rng.randint(3, 14))) for _ in range(100)]
    for stem in rng.sample(stems, 100):  # near-misses: two letters swapped, or one dropped
        at = rng.randrange(len(stem) - 1) if len(stem) > 1 else 0
        words.append(stem[:at] + stem[at + 1 : at + 2] + stem[at : at + 1] + stem[at + 2 :])
        words.append(stem[:at] + stem[at + 1 :])
    return words


def cased(rng: random.Random, words: list[str]) -> list[str]:
    """Capitalised and upper-case variants, and every two-letter acronym: spylls' casing paths, including
    its index of each all-lowercase stem under each of its letters (which makes "GR" a word)."""
    picked = rng.sample(sorted(set(words)), 300)
    acronyms = ["".join(pair) for pair in itertools.product("ABDEFGHIJKLMNOPRSTUVYÅÄÖ", repeat=2)]
    return [w.capitalize() for w in picked[:200]] + [w.upper() for w in picked[200:]] + acronyms


@pytest.fixture(scope="module")
def sample(spylls: Any) -> list[str]:
    rng = random.Random(11)
    words = COMPOUNDS + case_words() + seed_words() + line_end_pairs() + seed_neighbours(rng, 200)
    words += dictionary_words(spylls, rng, 1200)
    words += invented(spylls, rng)
    words += cased(rng, words)
    return list(dict.fromkeys(word for word in words if word))


# --- the tests ---------------------------------------------------------------------------------


def test_same_verdicts_as_spylls(compiled: Any, spylls: Any, sample: list[str]) -> None:
    assert len(sample) > 5000
    verdicts = [spylls.lookup(word) for word in sample]
    assert verdicts.count(True) > 2000 and verdicts.count(False) > 500  # both answers are checked
    assert disagreements(compiled, dict(zip(sample, verdicts, strict=True)).__getitem__, sample) == []
    # the sample reached spylls' quirkiest index: an all-lowercase stem listed under each of its letters
    assert any(len(key) == 1 for key in compiled.dic._lower_homonyms)


def test_desuffix_yields_what_spylls_yields(compiled: Any, sample: list[str]) -> None:
    """lexicon_lookup's desuffix against spylls' own, form by form, for every flag a suffix carries and more."""
    spylls_lookup = SpyllsLookup(compiled.aff, compiled.dic)
    flags = sorted(compiled.carried_flags)
    flag_sets = [([], []), *(([flag], []) for flag in flags), (["A"], []), ([flags[0], "A"], []), ([], [flags[0]])]
    for word in [*sample[::4], *COMPOUNDS]:
        for (required, forbidden), nested, crossproduct in itertools.product(flag_sets, (False, True), (False, True)):
            ours = list(compiled.desuffix(word, required, forbidden, nested, crossproduct))
            theirs = list(spylls_lookup.desuffix(word, required, forbidden, nested, crossproduct))
            assert ours == theirs, (word, required, forbidden, nested, crossproduct)


def test_good_forms_are_spylls_forms(compiled: Any, sample: list[str]) -> None:
    """lexicon_lookup's good_forms yields the forms spylls' yields (only in another order)."""
    spylls_lookup = SpyllsLookup(compiled.aff, compiled.dic)
    for word in [*sample[::50], *COMPOUNDS]:
        ours = sorted(map(repr, compiled.good_forms(word)))
        assert ours == sorted(map(repr, spylls_lookup.good_forms(word))), word


def test_same_dictionary_data_as_spylls(compiled: Any, spylls: Any) -> None:
    def entry(word: Any) -> tuple[Any, ...]:
        return (word.stem, frozenset(word.flags), dict(word.data), word.captype, word.alt_spellings)

    ours, theirs = compiled.dic.words, spylls.dic.words
    assert [entry(word) for word in ours] == [entry(word) for word in theirs]
    # Entries compared once above; the indexes are compared as lists of entry numbers.
    our_number = {id(word): n for n, word in enumerate(ours)}
    their_number = {id(word): n for n, word in enumerate(theirs)}
    for our_index, their_index in [
        (compiled.dic.index, spylls.dic.index),
        (compiled.dic.lowercase_index, spylls.dic.lowercase_index),
    ]:
        assert our_index.keys() == their_index.keys()
        for key, words in their_index.items():
            assert [our_number[id(word)] for word in our_index[key]] == [their_number[id(word)] for word in words], key
    assert [(r.pattern, r.replacement) for r in compiled.aff.REP] == [
        (r.pattern, r.replacement) for r in spylls.aff.REP
    ]


def test_a_wrong_entry_is_caught(cache_folder: Path, spylls: Any) -> None:
    """The comparison can fail: give "mätning" no flags, and the compound "vårdtyngdsmätningar" goes."""
    (path,) = cache_folder.glob("*.marshal")
    data = lexicon_cache.read_compiled(path)
    assert data is not None
    names, raw = data["stems"]["mät"]
    ids = array("I")
    ids.frombytes(raw)
    ids[2 * names.split("\n").index("mätning") + 1] = data["flagsets"].index(())
    data["stems"]["mät"] = (names, ids.tobytes())
    broken = lexicon_cache.lookup_from_compiled(AFF, data)
    words = ["vårdtyngdsmätningar", "mätningar", "kollektivtrafikförsörjning", "vård"]
    assert [word for word, _, _ in disagreements(broken, spylls.lookup, words)] == ["vårdtyngdsmätningar", "mätningar"]


def test_cache_file(cache_folder: Path) -> None:
    (path,) = cache_folder.glob("*.marshal")
    assert path.name.startswith("sv_SE-") and not list(cache_folder.glob("*.tmp"))
    assert lexicon_cache.read_compiled(path) == marshal.loads(path.read_bytes())
    assert re.fullmatch(r"sv_SE-[0-9a-f]{32}\.marshal", path.name)


def test_unreadable_cache_is_ignored(tmp_path: Path) -> None:
    for content in (b"", b"not marshal", marshal.dumps({"format": -1}), marshal.dumps([1, 2])):
        (tmp_path / "x.marshal").write_bytes(content)
        assert lexicon_cache.read_compiled(tmp_path / "x.marshal") is None
    assert lexicon_cache.read_compiled(tmp_path / "missing.marshal") is None


def test_unwritable_cache_folder(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    assert not user_cache.write_atomically(blocker / "cache" / "x.marshal", b"data")
    assert user_cache.write_atomically(tmp_path / "cache" / "x.marshal", b"data")
    assert (tmp_path / "cache" / "x.marshal").read_bytes() == b"data"
    assert [p.name for p in (tmp_path / "cache").iterdir()] == ["x.marshal"]


def test_cache_folder_follows_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert user_cache.cache_dir() == tmp_path / "partiprogram"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/ignored")
    assert user_cache.cache_dir() == Path.home() / ".cache" / "partiprogram"


# --- pyphen's patterns, parsed once per machine ------------------------------------------------------


def test_pyphen_from_the_cache_answers_as_pyphen(tmp_path: Path, sample: list[str]) -> None:
    import pyphen

    from pipeline.normalise import hyphenation_patterns

    path = pyphen.LANGUAGES["sv"]
    cold = hyphenation_patterns.load_pyphen("sv", tmp_path)  # parses the file and stores the table
    (stored,) = tmp_path.glob("hyph_sv-*.marshal")
    pyphen.hdcache.pop(path, None)
    warm = hyphenation_patterns.load_pyphen("sv", tmp_path)
    reference = pyphen.Pyphen(lang="sv", cache=False)  # pyphen's own parse, in its own cache again
    assert warm.hd is not reference.hd and warm.hd.patterns == reference.hd.patterns == cold.hd.patterns
    assert warm.hd.maxlen == reference.hd.maxlen
    words = [w.lower() for w in sample if w.isalpha()]
    assert len(words) > 3000
    assert [warm.positions(w) for w in words] == [reference.positions(w) for w in words]
    stored.write_bytes(b"damaged")  # a damaged table is not used: pyphen parses the file again
    pyphen.hdcache.pop(path, None)
    assert hyphenation_patterns.load_pyphen("sv", tmp_path).hd.patterns == reference.hd.patterns
