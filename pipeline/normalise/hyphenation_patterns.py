"""pyphen's parsed Swedish hyphenation patterns, kept in the lexicon's cache folder.

pyphen parses hyph_sv.dic's 15 000 patterns with regular expressions whenever a process first asks it
(~0.1 s, a third of `pipeline normalise` on a text with line-end hyphens once the lexicon is compiled).
The parsed table (pattern → offset and values, plain ints) is stored as a marshal file beside the
compiled .dic (pipeline/normalise/lexicon_cache.py) and handed to pyphen through its own cache of parsed
dictionaries, so ``pyphen.Pyphen`` answers exactly as it does after parsing the file itself. The file is
named by the sha256 of the pattern file, pyphen's source and this module's, and the Python and marshal
versions; it is written atomically, and a file that cannot be read or written is simply not used.
"""

from __future__ import annotations

import hashlib
import marshal
import sys
from pathlib import Path
from typing import Any

from pipeline.user_cache import cache_dir, write_atomically

#: Bumped whenever the layout of the stored table changes.
FORMAT = 1


def pyphen_key(path: Path) -> str:
    """What the parsed patterns depend on: the pattern file, pyphen's parser, this code and Python."""
    import pyphen

    digest = hashlib.sha256(f"{FORMAT} {sys.version_info[:2]} {marshal.version}".encode())
    for source in (path, Path(str(pyphen.__file__)), Path(__file__)):
        digest.update(source.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def load_pyphen(lang: str, folder: Path | None = None) -> Any:
    """``pyphen.Pyphen(lang=lang)``, its patterns read from the cache when they were parsed before."""
    import pyphen

    path = pyphen.LANGUAGES[pyphen.language_fallback(lang)]
    folder = cache_dir() if folder is None else folder
    try:
        stored: Path | None = folder / f"{path.stem}-{pyphen_key(path)[:32]}.marshal"
    except OSError:
        stored = None
    table = _read_patterns(stored) if stored else None
    if table is not None and path not in pyphen.hdcache:
        patterns, maxlen = table
        parsed = pyphen.HyphDict.__new__(pyphen.HyphDict)  # what HyphDict.__init__ leaves, without the parsing
        parsed.patterns, parsed.cache, parsed.maxlen = patterns, {}, maxlen
        pyphen.hdcache[path] = parsed
    hyphenator = pyphen.Pyphen(lang=lang)
    if table is None and stored and _plain(hyphenator.hd.patterns):
        write_atomically(stored, marshal.dumps((hyphenator.hd.patterns, hyphenator.hd.maxlen)))
    return hyphenator


def _plain(patterns: dict[str, Any]) -> bool:
    """Only ints and tuples of ints (pyphen's nonstandard-hyphenation values carry data marshal would drop)."""
    return all(type(start) is int and all(type(v) is int for v in values) for start, values in patterns.values())


def _read_patterns(path: Path) -> tuple[dict[str, tuple[int, tuple[int, ...]]], int] | None:
    try:
        table = marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return None
    if not (isinstance(table, tuple) and len(table) == 2 and isinstance(table[0], dict) and isinstance(table[1], int)):
        return None
    return table
