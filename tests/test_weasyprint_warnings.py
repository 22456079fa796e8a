"""Rendering every PDF variant of both seeds logs no WeasyPrint warning at all."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SEEDS, copy_project

from pipeline.build import code_hash  # noqa: F401  (imported so the package is importable before rendering)
from pipeline.config import load_config
from pipeline.convert import normalise_publication
from pipeline.publication import load_publication
from pipeline.render.context import RenderContext
from pipeline.render.pdf import VARIANTS, render_document


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_no_warnings(tmp_path: Path, variant: str, no_weasyprint_warnings) -> None:
    project = copy_project(tmp_path, SEEDS[:1])
    pub = load_publication(project / "source", SEEDS[0])
    doc, _ = normalise_publication(pub)
    ctx = RenderContext(
        doc, load_config(pub.folder / "publication.toml"), pub.slug, project, pub.folder, tmp_path / "out.pdf"
    )
    document, _html, warnings = render_document(ctx, VARIANTS[variant])
    document.write_pdf(tmp_path / "out.pdf", **VARIANTS[variant].pdf_options)
    assert warnings == []
    assert len(document.pages) > 3
