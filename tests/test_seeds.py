"""The two real seeds: structure counts the issue names, and every word kept in order."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.convert import normalise_bytes
from pipeline.model import Heading, Meta, Paragraph, RunInLead, Slogan, Title, from_json, plain
from pipeline.normalise.report import Report
from pipeline.normalise.wordcheck import fold, source_words
from pipeline.readers import numbered_lines
from pipeline.readers.decode import decode

ROOT = Path(__file__).resolve().parent.parent


def normalise_json(slug: str) -> dict:
    result = CliRunner().invoke(app, ["normalise", str(ROOT / "source" / slug / "text.txt"), "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_seed_001_has_five_parts_sixteen_sections_two_paragraphs_each() -> None:
    data = normalise_json("patientfokus-partiprogram")
    blocks = data["blocks"]
    assert blocks[0] == {**blocks[0], "type": "title", "text": "Vårt partiprogram"}
    assert data["meta"]["title"] == "Vårt partiprogram"
    parts = [b["text"] for b in blocks if b["type"] == "heading" and b["level"] == 1]
    assert parts == [
        "Patienten i Centrum",
        "Arbetsmiljö och ledarskap",
        "Ekonomi och resurser",
        "Ansvar, kvalitet och ordning",
        "Partiets roll och samarbete",
    ]
    sections = [i for i, b in enumerate(blocks) if b["type"] == "heading" and b["level"] == 2]
    assert len(sections) == 16
    for start, end in zip(sections, [*sections[1:], len(blocks)], strict=True):
        body = [b["type"] for b in blocks[start + 1 : end] if b["type"] != "heading" and b["type"] != "slogan"]
        assert body == ["paragraph", "paragraph"], blocks[start]["text"]
    assert blocks[-1]["type"] == "slogan" and blocks[-1]["text"] == "Jag har PATIENTFOKUS!"


def test_seed_000_title_intro_part_eight_sections_and_run_in_lead() -> None:
    data = normalise_json("ett-gott-liv")
    blocks = data["blocks"]
    assert [b["type"] for b in blocks[:3]] == ["title", "paragraph", "heading"]
    assert blocks[0]["text"] == "Ett gott liv i ett livskraftigt län"
    assert blocks[1]["text"].startswith("Trygghet och tillit") and blocks[1]["text"].endswith("smartare sätt.")
    assert [b["level"] for b in blocks if b["type"] == "heading" and b["level"] == 1] == [1]
    assert blocks[2]["text"] == "Arbeta smartare inom hälso- och sjukvården"
    sections = [b for b in blocks if b["type"] in ("heading", "run_in_lead") and b["level"] == 2]
    assert len(sections) == 8
    lead = blocks[-1]
    assert lead["type"] == "run_in_lead" and lead["lead"] == "Vi vill och vågar"
    assert lead["text"].startswith("Vi vill och vågar ta oss an utmaningen;")


@pytest.mark.parametrize("slug", ["ett-gott-liv", "patientfokus-partiprogram"])
def test_every_word_in_order_and_no_damage_left(slug: str) -> None:
    path = ROOT / "source" / slug / "text.txt"
    raw = path.read_bytes()
    doc, report = normalise_bytes(raw, path, Meta(title=slug))
    clean = decode(raw, path, Report())
    assert fold(source_words(numbered_lines(clean), report)) == fold([w for b in doc.blocks for w in _words(b)])
    texts = [_text(b) for b in doc.blocks]
    for t in texts:
        assert "\t" not in t and "  " not in t and t == t.strip()
    joined = "\n".join(texts)
    # every suspended compound hyphen kept: "hälso- och", "region- och"
    assert joined.count("hälso- och") == raw.decode().replace("\t", " ").count("hälso- och")
    assert "hälso-och" not in joined and "hälsooch" not in joined
    # line-end hyphens of ordinary words are gone
    assert not re.search(r"\w- \w", joined.replace("hälso- och", "").replace("region- och", ""))


def _words(block) -> list[str]:
    from pipeline.model import block_words

    return block_words(block)


def _text(block) -> str:
    from pipeline.model import block_text

    return block_text(block)


def test_dehyphenation_in_seed_000_is_reported_with_lines() -> None:
    path = ROOT / "source/ett-gott-liv/text.txt"
    _, report = normalise_bytes(path.read_bytes(), path, Meta())
    removed = {(e.line, e.after.strip(".")) for e in report.of_kind("dehyphenate")}
    assert (3, "erbjuda") in removed and (44, "vårdtyngdsmätningar") in removed
    assert len(removed) == 8
    headings = Counter(e.after for e in report.of_kind("heading"))
    assert headings == {"level 1 (part)": 1, "level 2 (section)": 7}


def test_it_projekt_keeps_its_hyphen() -> None:
    path = ROOT / "source/patientfokus-partiprogram/text.txt"
    doc, report = normalise_bytes(path.read_bytes(), path, Meta())
    assert any("IT-projekt" in plain(b.inlines) for b in doc.blocks if isinstance(b, Paragraph))
    assert [e.after for e in report.of_kind("keep-hyphen")] == ["IT-projekt"]


def test_model_types() -> None:
    path = ROOT / "source/ett-gott-liv/text.txt"
    doc, _ = normalise_bytes(path.read_bytes(), path, Meta())
    assert isinstance(doc.blocks[0], Title) and isinstance(doc.blocks[-1], RunInLead)
    path = ROOT / "source/patientfokus-partiprogram/text.txt"
    doc2, _ = normalise_bytes(path.read_bytes(), path, Meta())
    assert isinstance(doc2.blocks[-1], Slogan)
    assert sum(isinstance(b, Heading) for b in doc2.blocks) == 21
    from pipeline.model import to_json

    assert from_json(json.loads(json.dumps(to_json(doc2)))) == doc2
