"""Find the corpus's cached extractions, normalise each with the project's normaliser and score it."""

from __future__ import annotations

import json
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import cache, partial
from pathlib import Path

from pipeline.model import Block, Document, Meta, Paragraph, RunInLead, Text, from_json
from pipeline.roundtrip.score import Analysis, Score, analyse

# The committed corpus (``scripts/make_roundtrip_corpus.py`` writes it) in a source checkout.
DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "tests" / "roundtrip" / "corpus"


# The layouts the text normaliser is judged on (issue 11: the project's brochure and large print,
# plain WeasyPrint A4, Chromium narrow ragged). The two-column layout is in the corpus for the PDF
# reader: pdfplumber's and poppler's texts of it interleave or misorder the columns, which no text
# normaliser can undo, so its rows are shown apart.
TEXT_LAYOUTS = ("a4-justified", "brochure", "large-print", "narrow-ragged")


@dataclass(frozen=True)
class Entry:
    """One cached extraction: ``<corpus>/<source>/<layout>.<extractor>.txt``."""

    source: str
    layout: str
    extractor: str
    path: Path

    @property
    def name(self) -> str:
        return f"{self.source}/{self.layout}.{self.extractor}"


@dataclass(frozen=True)
class Result:
    entry: Entry
    score: Score | None  # None: the normaliser refused the file
    error: str = ""


def entries(corpus: Path = DEFAULT_CORPUS, only: Iterable[str] = ()) -> list[Entry]:
    """Every cached text of the corpus (of the named sources only, if any), sorted."""
    wanted = set(only)
    out = []
    for path in sorted(corpus.glob("*/*.txt")):
        source = path.parent.name
        layout, _, extractor = path.name.removesuffix(".txt").partition(".")
        if (not wanted or source in wanted) and extractor:
            out.append(Entry(source, layout, extractor, path))
    return out


def find_entry(name: str, corpus: Path = DEFAULT_CORPUS) -> Entry:
    """An entry by path or by ``source/layout.extractor``."""
    path = Path(name)
    if not path.is_file():
        path = corpus / f"{name.removesuffix('.txt')}.txt"
    layout, _, extractor = path.name.removesuffix(".txt").partition(".")
    return Entry(path.parent.name, layout, extractor, path)


@cache
def truth(source_dir: Path) -> Document:
    return from_json(json.loads((source_dir / "truth.json").read_text(encoding="utf-8")))


def normalise(entry: Entry) -> Document:
    """The project's normaliser on the cached text, as a user would run it (no publication metadata)."""
    from pipeline.convert import normalise_bytes

    doc, _ = normalise_bytes(entry.path.read_bytes(), entry.path, Meta(title=""))
    return doc


def extracted(entry: Entry) -> str:
    """The cached extraction's own text (its words, for telling the extractor's damage apart)."""
    return entry.path.read_text(encoding="utf-8", errors="replace")


def analyse_entry(entry: Entry) -> Analysis:
    return analyse(truth(entry.path.parent), normalise(entry), extracted(entry))


def leads_as_text(doc: Document) -> Document:
    """The document with each run-in lead read as a plain paragraph (lead and sentence as one text).

    A lead set inline in display type leaves no trace in extracted text, so scoring with leads as
    text shows how well the headings that text can show are found.
    """
    blocks: list[Block] = [
        Paragraph((*b.lead, Text(" "), *b.inlines), b.attr, b.line) if isinstance(b, RunInLead) else b
        for b in doc.blocks
    ]
    return doc.with_blocks(blocks)


def score_entry(entry: Entry, leads_text: bool = False) -> Result:
    from pipeline.errors import PipelineError

    try:
        got = normalise(entry)
    except PipelineError as exc:
        return Result(entry, None, str(exc))
    except Exception as exc:  # a crash is a failure of this file; the others are still scored
        return Result(entry, None, f"internal error: {type(exc).__name__}: {exc}")
    want = truth(entry.path.parent)
    if leads_text:
        want, got = leads_as_text(want), leads_as_text(got)
    return Result(entry, analyse(want, got, extracted(entry)).score)


def score_all(items: list[Entry], jobs: int = 0, leads_text: bool = False) -> list[Result]:
    """Score every entry, in ``jobs`` processes (each loads the hunspell dictionary once; default one)."""
    jobs = min(jobs or 1, len(items))
    score = partial(score_entry, leads_text=leads_text)
    if jobs <= 1:
        return [score(e) for e in items]
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        return list(pool.map(score, items, chunksize=max(1, len(items) // (jobs * 4))))
