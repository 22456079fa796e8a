"""Regenerate the round-trip corpus: typeset known models with real engines, extract their text with real tools.

For every source (the fixtures in ``tests/roundtrip/fixtures/``, the kitchen sink, the two seeds'
golden models) this writes ``tests/roundtrip/corpus/<source>/``:

- ``truth.json``: the known model (``pipeline.model.to_json``);
- ``<layout>.pdf`` for five layouts: the project's own ``brochure`` and ``large-print`` editions
  (built by the real pipeline in a throwaway project), ``a4-justified`` and ``two-column``
  (plain WeasyPrint) and ``narrow-ragged`` (Chromium's print to PDF);
- ``<layout>.<extractor>.txt`` for five extractions: ``pdftotext``, ``pdftotext-raw``,
  ``pdfplumber``, ``pypdf`` and ``blank-lines`` (the pdftotext text with a blank line after
  every line, the shape of the export the seeds come from).

Usage: ``python scripts/make_roundtrip_corpus.py [--only NAME ...]``. The PDFs and texts are
committed test input; ``python -m pipeline.roundtrip`` scores the normaliser on them.
"""

from __future__ import annotations

import argparse
import html
import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.config import load_config  # noqa: E402
from pipeline.convert import normalise_bytes  # noqa: E402
from pipeline.model import (  # noqa: E402
    Document,
    Emph,
    Heading,
    Inlines,
    ListBlock,
    Paragraph,
    RunInLead,
    Slogan,
    Strong,
    Text,
    Title,
    from_json,
    plain,
    to_json,
)

CORPUS = ROOT / "tests" / "roundtrip" / "corpus"
FIXTURES = ROOT / "tests" / "roundtrip" / "fixtures"
KITCHEN_SINK = ROOT / "tests" / "fixtures" / "kitchen-sink"
SEEDS = ("ett-gott-liv", "patientfokus-partiprogram")
FONTS = ROOT / "fonts"
LAYOUTS = ("brochure", "large-print", "a4-justified", "narrow-ragged", "two-column")
EXTRACTORS = ("pdftotext", "pdftotext-raw", "pdfplumber", "pypdf", "blank-lines")
SOURCE_DATE_EPOCH = "1767225600"  # 2026-01-01: a fixed date for builds whose toml has none


# --- sources -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    """A known model and the publication files that typeset it."""

    name: str
    truth: Document
    markdown: bytes  # text.md for the project's editions
    toml: bytes  # publication.toml


def _read_markdown(md: Path, toml: Path, name: str) -> Document:
    meta = load_config(toml).meta(name)
    doc, _ = normalise_bytes(md.read_bytes(), md, meta, "markdown")
    return doc


def _default_toml(md: Path, name: str) -> bytes:
    first = next((line for line in md.read_text(encoding="utf-8").splitlines() if line.startswith("# ")), "")
    title = first[2:].strip() or name
    return f"title = {json.dumps(title, ensure_ascii=False)}\n".encode()


def find_sources(work: Path) -> list[Source]:
    """Every fixture folder, the kitchen sink and the two seeds' golden models, in that order."""
    folders = sorted(p for p in FIXTURES.iterdir() if (p / "text.md").is_file()) if FIXTURES.is_dir() else []
    out: list[Source] = []
    for folder in [*folders, KITCHEN_SINK]:
        md, toml = folder / "text.md", folder / "publication.toml"
        toml_bytes = toml.read_bytes() if toml.is_file() else _default_toml(md, folder.name)
        if not toml.is_file():
            toml = work / f"{folder.name}.toml"
            toml.write_bytes(toml_bytes)
        out.append(Source(folder.name, _read_markdown(md, toml, folder.name), md.read_bytes(), toml_bytes))
    from pipeline.render.markdown import to_markdown

    for slug in SEEDS:
        name = f"seed-{slug}"
        golden = from_json(json.loads((ROOT / "tests" / "golden" / name / "expected.json").read_text("utf-8")))
        toml = ROOT / "source" / slug / "publication.toml"
        truth = replace(golden, meta=load_config(toml).meta(name))
        markdown = to_markdown(truth).encode()
        md = work / f"{name}.md"
        md.write_bytes(markdown)
        reread = _read_markdown(md, toml, name)
        if _shape(reread) != _shape(truth):
            raise SystemExit(f"{name}: the golden model does not survive the Markdown round trip")
        out.append(Source(name, truth, markdown, toml.read_bytes()))
    return out


def _shape(doc: Document) -> list[tuple[str, str]]:
    """What a layout shows of a model: block kinds and their text (ids and source lines aside)."""
    from pipeline.model import block_text

    return [(type(b).__name__, block_text(b)) for b in doc.blocks]


# --- the project's own editions -------------------------------------------------------------------


def build_editions(sources: list[Source], work: Path) -> dict[str, dict[str, Path]]:
    """The brochure and large-print PDFs of every source, built by the real pipeline in one project."""
    from pipeline.build import BuildRequest, build

    project = work / "project"
    project.mkdir()
    for name in ("layouts", "fonts"):
        (project / name).symlink_to(ROOT / name)
    for s in sources:
        folder = project / "source" / s.name
        folder.mkdir(parents=True)
        (folder / "text.md").write_bytes(s.markdown)
        (folder / "publication.toml").write_bytes(s.toml)
    results = build(
        BuildRequest(project=project, slugs=[s.name for s in sources], editions=["brochure", "large-print"], jobs=2)
    )
    out: dict[str, dict[str, Path]] = {s.name: {} for s in sources}
    for r in results:
        if r.status != "built":
            print(f"  {r.slug} {r.edition}: {r.status} {r.error}", file=sys.stderr)
            continue
        out[r.slug][r.edition] = Path(r.path)
    return out


# --- our own layouts: a small model → HTML ---------------------------------------------------------


def _inlines(inlines: Inlines) -> str:
    parts = []
    for node in inlines:
        if isinstance(node, Text):
            parts.append(html.escape(node.text, quote=False))
        elif isinstance(node, Emph):
            parts.append(f"<em>{_inlines(node.children)}</em>")
        elif isinstance(node, Strong):
            parts.append(f"<strong>{_inlines(node.children)}</strong>")
    return "".join(parts)


def _blocks(doc: Document) -> tuple[str, str]:
    """(front, body): the title block(s) apart, so a layout can set them across its columns."""
    front: list[str] = []
    body: list[str] = []
    for block in doc.blocks:
        if isinstance(block, Title) and not body:
            front.append(f"<h1>{_inlines(block.inlines)}</h1>")
            if block.subtitle:
                front.append(f'<p class="subtitle">{_inlines(block.subtitle)}</p>')
        elif isinstance(block, Title):
            body.append(f"<h1>{_inlines(block.inlines)}</h1>")
        elif isinstance(block, Heading):
            body.append(f"<h{block.level + 1}>{_inlines(block.inlines)}</h{block.level + 1}>")
        elif isinstance(block, RunInLead):
            lead = f'<strong class="lead">{_inlines(block.lead)}</strong>'
            body.append(f'<p class="run-in">{lead} {_inlines(block.inlines)}</p>')
        elif isinstance(block, ListBlock):
            tag = "ol" if block.ordered else "ul"
            start = f' start="{block.start}"' if block.ordered and block.start != 1 else ""
            items = "".join(f"<li>{_inlines(item)}</li>" for item in block.items)
            body.append(f"<{tag}{start}>{items}</{tag}>")
        elif isinstance(block, Slogan):
            body.append(f'<p class="slogan">{_inlines(block.inlines)}</p>')
        elif isinstance(block, Paragraph):
            body.append(f"<p>{_inlines(block.inlines)}</p>")
    return "\n".join(front), "\n".join(body)


def _font_faces(family: str, roman: str, italic: str) -> str:
    rules = []
    for path, style in ((roman, "normal"), (italic, "italic")):
        url = (FONTS / path).resolve().as_uri()
        for weight in (400, 700):
            rules.append(
                f'@font-face {{ font-family: "{family}"; src: url("{url}") format("truetype"); '
                f"font-style: {style}; font-weight: {weight}; }}"
            )
    return "\n".join(rules)


SERIF = _font_faces(
    "Source Serif 4", "source-serif-4/SourceSerif4-Roman-VF.ttf", "source-serif-4/SourceSerif4-Italic-VF.ttf"
)


def static_sans(work: Path) -> str:
    """@font-face rules for Source Sans 3 as static instances (Chromium draws variable fonts as Type 3 glyphs)."""
    from fontTools.ttLib import TTFont
    from fontTools.varLib import instancer

    rules = []
    for path, style in (("SourceSans3-Roman-VF.ttf", "normal"), ("SourceSans3-Italic-VF.ttf", "italic")):
        for weight in (400, 700):
            out = work / f"{Path(path).stem}-{weight}.ttf"
            font = instancer.instantiateVariableFont(TTFont(FONTS / "source-sans-3" / path), {"wght": weight})
            font.save(out)
            rules.append(
                f'@font-face {{ font-family: "Source Sans 3"; src: url("{out.as_uri()}") format("truetype"); '
                f"font-style: {style}; font-weight: {weight}; }}"
            )
    return "\n".join(rules)


A4_JUSTIFIED = """
@page { size: A4; margin: 25mm 24mm 28mm;
  @bottom-center { content: counter(page); font-family: "Source Serif 4"; font-size: 10pt; } }
body { font-family: "Source Serif 4"; font-size: 11pt; line-height: 1.45; text-align: justify; hyphens: auto; }
h1 { font-size: 24pt; line-height: 1.15; text-align: left; hyphens: manual; margin: 0 0 6mm; }
h2 { font-size: 18pt; text-align: left; hyphens: manual; margin: 9mm 0 3mm; break-after: avoid; }
h3 { font-size: 14pt; text-align: left; hyphens: manual; margin: 6mm 0 2mm; break-after: avoid; }
h4 { font-size: 12pt; text-align: left; hyphens: manual; margin: 4mm 0 1mm; break-after: avoid; }
p { margin: 0 0 2.5mm; }
.subtitle { font-size: 14pt; font-style: italic; text-align: left; margin-bottom: 10mm; }
.lead { font-size: 12.5pt; }
.slogan { font-size: 16pt; font-weight: 700; text-align: center; margin-top: 8mm; }
"""

TWO_COLUMN = """
@page { size: A4; margin: 22mm 18mm 24mm;
  @top-center { content: "%(title)s"; font-family: "Source Serif 4"; font-size: 8.5pt; font-style: italic; }
  @bottom-center { content: counter(page); font-family: "Source Serif 4"; font-size: 9pt; } }
body { font-family: "Source Serif 4"; font-size: 10pt; line-height: 1.35; hyphens: auto; }
header h1 { font-size: 22pt; line-height: 1.15; margin: 0 0 4mm; }
header .subtitle { font-size: 13pt; font-style: italic; margin: 0 0 8mm; }
main { columns: 2; column-gap: 7mm; text-align: justify; }
main h1 { font-size: 18pt; text-align: left; }
h2 { font-size: 15pt; text-align: left; hyphens: manual; margin: 6mm 0 2mm; break-after: avoid; }
h3 { font-size: 12.5pt; text-align: left; hyphens: manual; margin: 4mm 0 1.5mm; break-after: avoid; }
h4 { font-size: 11pt; text-align: left; hyphens: manual; margin: 3mm 0 1mm; break-after: avoid; }
p { margin: 0; text-indent: 4mm; }
h2 + p, h3 + p, h4 + p, ul + p, ol + p { text-indent: 0; }
ul, ol { margin: 1mm 0 2mm; padding-left: 5mm; }
.slogan { font-size: 13pt; font-weight: 700; text-align: left; text-indent: 0; margin-top: 5mm; }
"""

NARROW_RAGGED = """
@page { size: A4; margin: 22mm 20mm; }
body { font-family: "Source Sans 3"; font-size: 11pt; line-height: 1.4; width: 9cm; margin: 0;
  text-align: left; hyphens: none; }
h1 { font-size: 22pt; line-height: 1.15; margin: 0 0 4mm; }
h2 { font-size: 17pt; margin: 8mm 0 2mm; }
h3 { font-size: 14pt; margin: 6mm 0 2mm; }
h4 { font-size: 12pt; margin: 4mm 0 1mm; }
p { margin: 0 0 3mm; }
.subtitle { font-size: 13pt; margin-bottom: 8mm; }
.slogan { font-size: 15pt; font-weight: 700; }
"""


def _css_string(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")


def page_html(doc: Document, layout: str, sans: str = "") -> str:
    """A plain HTML page of the model for one of our own layouts."""
    front, body = _blocks(doc)
    title = doc.meta.title or next((plain(b.inlines) for b in doc.blocks if isinstance(b, Title)), "")
    if layout == "a4-justified":
        css = SERIF + A4_JUSTIFIED
    elif layout == "two-column":
        css = SERIF + TWO_COLUMN % {"title": _css_string(title)}
    else:
        css = sans + NARROW_RAGGED
    return (
        f'<!DOCTYPE html>\n<html lang="{doc.meta.language or "sv"}"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title><style>{css}</style></head>\n"
        f"<body><header>{front}</header>\n<main>{body}</main></body></html>\n"
    )


def weasyprint_pdf(doc: Document, layout: str, out: Path) -> None:
    import hashlib

    import weasyprint

    page = page_html(doc, layout)
    identifier = hashlib.sha256(page.encode()).hexdigest()[:32].encode()  # else WeasyPrint draws a random one
    weasyprint.HTML(string=page, base_url=str(ROOT)).write_pdf(out, pdf_identifier=identifier)


CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-pdf-header-footer",
)


def chromium_pdf(doc: Document, out: Path, work: Path, sans: str) -> None:
    page = work / f"{out.parent.name}-{out.stem}.html"
    page.write_text(page_html(doc, "narrow-ragged", sans), encoding="utf-8")
    profile = tempfile.mkdtemp(dir=work, prefix="chromium-")
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    cmd = [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", f"--print-to-pdf={out}", page.as_uri()]
    subprocess.run(cmd, check=True, capture_output=True, timeout=120)
    _strip_dates(out)


def _strip_dates(path: Path) -> None:
    """Chromium stamps the time into the PDF; drop it so a rerun only changes what changed."""
    import pikepdf

    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        for key in ("/CreationDate", "/ModDate"):
            if key in pdf.docinfo:
                del pdf.docinfo[key]
        pdf.save(path, deterministic_id=True)


# --- extraction ----------------------------------------------------------------------------------


def extract(pdf: Path) -> dict[str, str]:
    """The PDF's text as each extractor gives it."""
    import pdfplumber
    import pypdf

    def poppler(*flags: str) -> str:
        run = subprocess.run(["pdftotext", "-enc", "UTF-8", *flags, str(pdf), "-"], check=True, capture_output=True)
        return run.stdout.decode("utf-8")

    texts = {"pdftotext": poppler(), "pdftotext-raw": poppler("-raw")}
    with pdfplumber.open(pdf) as doc:
        texts["pdfplumber"] = "\n".join(page.extract_text() or "" for page in doc.pages)
    texts["pypdf"] = "\n".join(page.extract_text() for page in pypdf.PdfReader(pdf).pages)
    texts["blank-lines"] = "".join(f"{line}\n\n" for line in texts["pdftotext"].split("\n"))
    return texts


# --- the run -------------------------------------------------------------------------------------


def make_source(source: Source, editions: dict[str, Path], work: Path, sans: str) -> list[str]:
    """Write one source's folder; the problems met (an empty list when all went well)."""
    folder = CORPUS / source.name
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*"):
        old.unlink()
    truth = json.dumps(to_json(source.truth), ensure_ascii=False, indent=1) + "\n"
    (folder / "truth.json").write_text(truth, encoding="utf-8")
    problems: list[str] = []
    for layout in LAYOUTS:
        pdf = folder / f"{layout}.pdf"
        try:
            if layout in editions:
                shutil.copyfile(editions[layout], pdf)
            elif layout in ("a4-justified", "two-column"):
                weasyprint_pdf(source.truth, layout, pdf)
            elif layout == "narrow-ragged":
                chromium_pdf(source.truth, pdf, work, sans)
            else:
                problems.append(f"{source.name} {layout}: not built")
                continue
            texts = extract(pdf)
            for extractor in EXTRACTORS:
                (folder / f"{layout}.{extractor}.txt").write_text(texts[extractor], encoding="utf-8")
        except (OSError, subprocess.SubprocessError) as exc:
            problems.append(f"{source.name} {layout}: {exc}")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--only", action="append", default=[], metavar="NAME", help="only this source (repeatable)")
    args = parser.parse_args(argv)
    # fontTools stamps the fonts it subsets or instantiates with the time unless this is set.
    os.environ.setdefault("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)
    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # pdfplumber's notes on fonts, not our business
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="roundtrip-") as tmp:
        work = Path(tmp)
        sources = find_sources(work)
        if args.only:
            unknown = set(args.only) - {s.name for s in sources}
            if unknown:
                parser.error(f"no such source: {', '.join(sorted(unknown))}")
            sources = [s for s in sources if s.name in args.only]
        else:  # a full run also drops the folders of sources that are gone
            for stale in CORPUS.glob("*/"):
                if stale.name not in {s.name for s in sources}:
                    shutil.rmtree(stale)
        print(f"{len(sources)} sources: {', '.join(s.name for s in sources)}")
        with ProcessPoolExecutor(max_workers=2) as pool:
            fonts = pool.submit(static_sans, work)  # ~20 s of fontTools, beside the builds
            editions = build_editions(sources, work)
            sans = fonts.result()
            print(f"editions built in {time.perf_counter() - start:.1f} s")
            n = len(sources)
            done = pool.map(make_source, sources, [editions[s.name] for s in sources], [work] * n, [sans] * n)
            problems = [p for ps in done for p in ps]
    size = sum(p.stat().st_size for p in CORPUS.rglob("*") if p.is_file())
    pdfs = sum(p.stat().st_size for p in CORPUS.rglob("*.pdf"))
    print(f"corpus: {len(sources)} sources, {size / 1e6:.2f} MB ({pdfs / 1e6:.2f} MB of PDFs)")
    print(f"done in {time.perf_counter() - start:.1f} s")
    for p in problems:
        print(f"problem: {p}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
