"""Durable corrections: text.md written safely with its source recorded; editor's changes and staleness reported."""

from __future__ import annotations

import hashlib
import json
import shlex
import subprocess
import sys
from pathlib import Path

from conftest import copy_project
from test_review import review_page

from pipeline.normalise.wordcheck import word_changes
from pipeline.publication import load_publication
from pipeline.readers.markdown import read_markdown, split_record

SLUG = "ett-gott-liv"
PIPELINE = f"{shlex.quote(sys.executable)} -m pipeline"  # the `pipeline` command, from this interpreter


def project_at(tmp_path: Path) -> Path:
    return copy_project(tmp_path, (SLUG,))


def run(project: Path, command: str) -> subprocess.CompletedProcess[str]:
    """A command line run by a real shell in the project folder (``pipeline`` is this package's CLI)."""
    return subprocess.run(
        command.replace("pipeline ", f"{PIPELINE} ", 1), shell=True, cwd=project, capture_output=True, text=True
    )


def text_md(project: Path) -> Path:
    return project / "source" / SLUG / "text.md"


def edit_a_word(project: Path, old: str = "tillit", new: str = "förtroende") -> None:
    text = text_md(project).read_text(encoding="utf-8")
    assert text.count(old) == 1
    text_md(project).write_text(text.replace(old, new), encoding="utf-8")


def test_readme_redirect_then_write_then_an_edited_word_is_built_and_reported(tmp_path: Path) -> None:
    project = project_at(tmp_path)
    source = project / "source" / SLUG / "text.txt"

    # The README's old advice: the shell empties text.md before the program runs.
    done = run(project, f"pipeline normalise {SLUG} > source/{SLUG}/text.md")
    assert done.returncode == 0, done.stderr
    written = text_md(project).read_text(encoding="utf-8")
    record, body = split_record(written)
    assert record is not None, written[:200]
    assert record.source == "text.txt"
    assert record.source_sha256 == hashlib.sha256(source.read_bytes()).hexdigest()
    assert not record.edited(body)
    assert body.startswith("# Ett gott liv")

    # --write over an unedited text.md rewrites it, the same.
    done = run(project, f"pipeline normalise {SLUG} --write")
    assert done.returncode == 0, done.stderr
    assert "wrote" in done.stderr and "text.md" in done.stderr
    assert text_md(project).read_text(encoding="utf-8") == written

    edit_a_word(project)
    done = run(project, "pipeline build -e html -e review")
    assert done.returncode == 0, done.stderr
    assert "warning" not in done.stderr
    html = (project / "output" / SLUG / f"{SLUG}.html").read_text(encoding="utf-8")
    assert "förtroende" in html and "tillit" not in html

    done = run(project, f"pipeline normalise {SLUG} --report")
    assert done.returncode == 0, done.stderr
    editor = [line for line in done.stdout.splitlines() if " editor " in line]
    assert len(editor) == 1, done.stdout
    assert "'tillit' → 'förtroende'" in editor[0]
    assert "text.txt line 2" in editor[0]
    lines = text_md(project).read_text(encoding="utf-8").split("\n")
    assert editor[0].split()[0] == str(next(n for n, line in enumerate(lines, 1) if "förtroende" in line))

    # The build's own cached report lists it too.
    cached = next((project / "output" / ".cache" / SLUG).glob("model-*.json"))
    kinds = [(e["kind"], e["before"], e["after"]) for e in json.loads(cached.read_text(encoding="utf-8"))["report"]]
    assert ("editor", "tillit", "förtroende") in kinds

    # And the review page: in the editor's list and in the text, at its text.md line, quoting the source's line.
    page = review_page(project, SLUG)
    n = kinds.index(("editor", "tillit", "förtroende"))
    md_line = int(editor[0].split()[0])
    ids = page.ids
    for el in (ids[f"e{n}"], ids[f"ce{n}"]):
        assert el.attrs["data-kind"] == "editor"
        assert [d.text for d in el.find_all("del")] == ["tillit"]
        assert [i.text for i in el.find_all("ins")] == ["förtroende"]
        assert f"#L{md_line}" in [a.attrs["href"] for a in el.find_all("a")]
        assert "text.txt rad 2" in el.text
        source_line2 = (project / "source" / SLUG / "text.txt").read_text(encoding="utf-8").split("\n")[1]
        assert " ".join(el.find_all("q")[0].text.split()) == " ".join(source_line2.split())
    assert "förtroende" in ids[f"L{md_line}"].text  # the line shown is text.md's
    assert ids["editor-title"].find_all("span")[0].text == "1"


def test_a_source_changed_after_text_md_is_warned_once_and_the_build_succeeds(tmp_path: Path) -> None:
    project = project_at(tmp_path)
    assert run(project, f"pipeline normalise {SLUG} --write").returncode == 0
    first = run(project, "pipeline build -e html")
    assert first.returncode == 0 and "warning" not in first.stderr, first.stderr

    with (project / "source" / SLUG / "text.txt").open("a", encoding="utf-8") as fh:
        fh.write("\nEn mening som kom till i källan.\n")
    done = run(project, "pipeline build -e html")
    assert done.returncode == 0, done.stderr
    warnings = [line for line in done.stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1, done.stderr
    assert "text.txt: changed after text.md was written" in warnings[0]
    assert f"pipeline normalise {SLUG} --report" in warnings[0]

    report = run(project, f"pipeline normalise {SLUG} --report").stdout
    assert len([line for line in report.splitlines() if " stale " in line]) == 1, report
    assert "'En mening som kom till i källan.' → ''" in report


def test_write_refuses_to_overwrite_an_edited_text_md_without_force(tmp_path: Path) -> None:
    project = project_at(tmp_path)
    assert run(project, f"pipeline normalise {SLUG} --write").returncode == 0
    fresh = text_md(project).read_bytes()
    edit_a_word(project)
    edited = text_md(project).read_bytes()

    done = run(project, f"pipeline normalise {SLUG} --write")
    assert done.returncode == 2
    assert "text.md: holds an editor's changes" in done.stderr and "--force" in done.stderr
    assert text_md(project).read_bytes() == edited

    # A redirect that appends to it is refused the same way, and nothing is appended.
    done = run(project, f"pipeline normalise {SLUG} >> source/{SLUG}/text.md")
    assert done.returncode == 2, done.stderr
    assert text_md(project).read_bytes() == edited

    done = run(project, f"pipeline normalise {SLUG} --write --force")
    assert done.returncode == 0, done.stderr
    assert text_md(project).read_bytes() == fresh
    assert not list(text_md(project).parent.glob(".*.tmp"))


def test_a_hand_made_text_md_is_not_overwritten_without_force(tmp_path: Path) -> None:
    project = project_at(tmp_path)
    text_md(project).write_text("# Ett gott liv\n\nEgen text.\n", encoding="utf-8")
    done = run(project, f"pipeline normalise {SLUG} --write")
    assert done.returncode == 2
    assert text_md(project).read_text(encoding="utf-8") == "# Ett gott liv\n\nEgen text.\n"


def test_an_empty_text_md_never_wins_and_the_build_says_so(tmp_path: Path) -> None:
    project = project_at(tmp_path)
    text_md(project).write_bytes(b"")
    pub = load_publication(project / "source", SLUG)
    assert pub.text_path.name == "text.txt" and pub.empty_text_md
    done = run(project, "pipeline build -e html")
    assert done.returncode == 0, done.stderr
    assert "text.md: is empty, so text.txt is the text" in done.stderr
    report = run(project, f"pipeline normalise {SLUG} --report").stdout
    assert " empty-text-md " in report


def test_the_record_line_is_not_text_and_keeps_line_numbers(tmp_path: Path) -> None:
    from pipeline.model import Meta, document_words
    from pipeline.normalise.report import Report

    project = project_at(tmp_path)
    assert run(project, f"pipeline normalise {SLUG} --write").returncode == 0
    data = text_md(project).read_bytes()
    report = Report()
    doc = read_markdown(data, text_md(project), Meta(title=""), report).doc
    assert not any("pipeline:" in w or "sha256" in w for w in document_words(doc))
    assert doc.blocks[0].line == 2  # the record's line, then the title: numbers are the file's
    assert [e.kind for e in report.edits] == ["source-record"]


def test_word_changes_name_both_lines() -> None:
    from pipeline.model import Document, Meta, Paragraph, Text

    def doc(*paragraphs: tuple[str, int]) -> Document:
        return Document(Meta(title=""), tuple(Paragraph((Text(text),), line=line) for text, line in paragraphs))

    before = doc(("Vi vill ha en bra vård för alla.", 7))
    changed = doc(("Vi vill ha", 3), ("en god vård för alla.", 5))
    added = doc(("Vi vill ha en bra och nära vård för alla.", 4))
    assert [(c.before, c.before_line, c.after, c.after_line) for c in word_changes(before, changed)] == [
        (("bra",), 7, ("god",), 5)
    ]
    assert [(c.before, c.before_line, c.after, c.after_line) for c in word_changes(before, added)] == [
        ((), 7, ("och", "nära"), 4)
    ]
    assert word_changes(before, before) == []
