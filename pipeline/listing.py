"""What `pipeline list` shows: each publication, its source text, its last build and whether that is out of date.

Whether a build is out of date is the build's own judgement: the same plan and keys (``build.plan_publication``)
compared with the same state file (``output/<slug>/.build-state.json``), so `pipeline list` calls stale exactly
what `pipeline build` would rebuild.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pipeline.errors import PipelineError
from pipeline.publication import EDITOR_KIND, Publication, discover, load_publication


@dataclass(frozen=True)
class Listing:
    slug: str
    title: str = ""
    source: str = ""  # the text the editions use: text.md, text.txt, text.pdf or text.docx
    editor: str = ""  # for text.md: "edited", "as written" (by `normalise --write`) or "by hand"
    made_from: str = ""  # for text.md: the source beside it (text.txt, text.pdf, text.docx)
    source_changed: bool = False  # text.md's source changed after text.md was written from it
    last_build: str = ""  # when an edition was last built (UTC, ISO 8601); "" when never
    stale: list[str] = field(default_factory=list)  # built editions a build would redo: their inputs changed
    missing: list[str] = field(default_factory=list)  # editions never built
    error: str = ""  # why the publication cannot be read (then nothing else is known)

    @property
    def state(self) -> str:
        if self.error:
            return "invalid"
        if not self.last_build:
            return "never built"
        if self.stale:
            return "stale: " + ", ".join(self.stale)
        if self.missing:
            return "up to date; not built: " + ", ".join(self.missing)
        return "up to date"

    @property
    def source_label(self) -> str:
        if self.source != "text.md":
            return self.source
        label = f"text.md ({self.editor}" + (f", from {self.made_from}" if self.made_from else "") + ")"
        return label + (f"; {self.made_from} changed since" if self.source_changed else "")

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["state"] = "invalid" if self.error else self.state.split(":")[0].split(";")[0]
        return data


def _editor(pub: Publication) -> str:
    from pipeline.readers.markdown import split_record

    record, body = split_record(pub.text_path.read_bytes().decode("utf-8-sig", errors="replace"))
    if record is None:
        return "by hand"
    return "edited" if record.edited(body) else "as written"


def describe(project: Path, pub: Publication) -> Listing:
    """One publication's listing, from its files and the build's state file; nothing is built."""
    from pipeline.build import BuildRequest, _is_current, _read_state, plan_publication

    jobs, _unplanned = plan_publication(BuildRequest(project=project), pub)
    state = _read_state(project / "output" / pub.slug)
    built = [j for j in jobs if j.edition in state]
    times = [int(state[j.edition].get("mtime_ns", 0)) for j in built]
    editor = pub.kind == EDITOR_KIND
    return Listing(
        slug=pub.slug,
        title=pub.config.title,
        source=pub.text_path.name,
        editor=_editor(pub) if editor else "",
        made_from=pub.source_path.name if editor and pub.source_path else "",
        source_changed=bool(pub.stale_source()),
        last_build=(
            datetime.fromtimestamp(max(times) / 1e9, tz=UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
            if times
            else ""
        ),
        stale=[j.edition for j in built if _is_current(j, state) is None],
        missing=[j.edition for j in jobs if j.edition not in state],
    )


def list_publications(project: Path) -> list[Listing]:
    """Every publication in source/, sorted by folder name; one that cannot be read says why."""
    source = project / "source"
    out = []
    for slug in discover(source):
        try:
            out.append(describe(project, load_publication(source, slug)))
        except PipelineError as exc:
            out.append(Listing(slug, error=str(exc)))
    return out


def format_table(listings: list[Listing]) -> str:
    """Plain aligned columns, never cut: readable in a terminal and in a pipe."""
    rows = [("publication", "title", "source", "last build", "state")]
    rows += [(li.slug, li.title, li.source_label, li.last_build or "-", li.state) for li in listings]
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(r[:4], widths, strict=True)) + "  " + r[4] for r in rows)
