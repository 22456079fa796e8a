"""What a hostile case left in output/: words of the model lost in an edition, and URLs that lead outside.

Shared by tests/test_hostile.py and scripts/hostile_table.py, so the table and the suite judge alike.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from urllib.parse import urlsplit

from pipeline.build_cache import load_model
from pipeline.editions import EDITIONS
from pipeline.model import document_words
from pipeline.preflight.words import edition_text, words_in_order
from pipeline.url_policy import markup_references

WORD_CHECKED = ("html", "brochure", "print", "epub", "large-print")  # as `pipeline check` does


def words_lost(project: Path, slug: str) -> dict[str, int]:
    """Edition → model words not found in order in its text (only editions that were built)."""
    models = sorted((project / "output" / ".cache" / slug).glob("model-*.json"))
    loaded = load_model(models[-1]) if models else None
    if loaded is None:
        return {}
    doc, _ = loaded
    words = document_words(doc)
    lost = {}
    for edition in WORD_CHECKED:
        path = project / "output" / slug / EDITIONS[edition].filename(slug)
        if path.is_file():
            found, _missing = words_in_order(edition_text(path, doc.meta.short_title or doc.meta.title), words)
            lost[edition] = len(words) - found
    return lost


def _leads_outside(url: str) -> bool:
    parts = urlsplit(url.strip())
    return parts.scheme.lower() not in ("", "data") or bool(parts.netloc) or parts.path.startswith("/")


def outside_urls(project: Path, slug: str) -> list[str]:
    """Remote or file URLs any output of ``slug`` would load or link to: markup, CSS, PDF links."""
    found: list[str] = []
    for path in sorted((project / "output" / slug).glob("*")):
        if path.suffix == ".html":
            texts = [path.read_text(encoding="utf-8")]
        elif path.suffix == ".epub":
            with zipfile.ZipFile(path) as z:
                texts = [z.read(n).decode("utf-8") for n in z.namelist() if n.endswith((".xhtml", ".css", ".svg"))]
                texts = [f"<style>{t}</style>" if not t.lstrip().startswith("<") else t for t in texts]
        elif path.suffix == ".pdf":
            found += [f"{path.name}: {u}" for u in _pdf_links(path) if _leads_outside(u)]
            continue
        else:
            continue
        for text in texts:
            found += [f"{path.name}: {r.url}" for r in markup_references(text) if _leads_outside(r.url)]
    return found


def _pdf_links(path: Path) -> list[str]:
    import pikepdf

    urls = []
    with pikepdf.open(path) as pdf:
        for page in pdf.pages:
            for annot in page.get("/Annots", []):
                action = annot.get("/A")
                if action is not None and "/URI" in action:
                    urls.append(str(action.URI))
                elif action is not None and "/F" in action:
                    urls.append(f"file:{action.F}")
    return urls
