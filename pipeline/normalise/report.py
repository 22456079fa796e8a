"""The edit report: every change a pass makes, with its source line, for an editor to review."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Edit:
    kind: str  # e.g. "dehyphenate", "keep-hyphen", "join-lines", "heading", "typography"
    line: int  # 1-based line in the source file (0: the whole file)
    before: str
    after: str
    note: str = ""
    confidence: float = 1.0  # how sure the pass is of a structural decision (1.0: a plain repair)
    compared_line: int = 0  # an editor's change: its line in the source text.md was compared with (0: none)

    def format(self) -> str:
        arrow = f"{self.before!r} → {self.after!r}"
        note = f"  ({self.note})" if self.note else ""
        sure = f"  [confidence {self.confidence:.2f}]" if self.confidence < 1 else ""
        return f"{self.line:>5}  {self.kind:<16} {arrow}{note}{sure}"


# Decisions below this confidence are listed first in the report, for an editor to check.
CHECK_BELOW = 0.75


class Report:
    """An append-only list of edits; passes receive it and record into it."""

    def __init__(self) -> None:
        self.edits: list[Edit] = []

    def add(
        self,
        kind: str,
        line: int,
        before: str,
        after: str,
        note: str = "",
        confidence: float = 1.0,
        compared_line: int = 0,
    ) -> None:
        self.edits.append(Edit(kind, line, before, after, note, confidence, compared_line))

    def doubtful(self) -> list[Edit]:
        """The decisions an editor should check first: the least sure first, then by line."""
        return sorted((e for e in self.edits if e.confidence < CHECK_BELOW), key=lambda e: (e.confidence, e.line))

    def of_kind(self, kind: str) -> list[Edit]:
        return [e for e in self.edits if e.kind == kind]

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for e in self.edits:
            out[e.kind] = out.get(e.kind, 0) + 1
        return out

    def format(self) -> str:
        doubtful = self.doubtful()
        head = [f"-- check these {len(doubtful)} decisions first (least sure first):", *(e.format() for e in doubtful)]
        lines = [e.format() for e in sorted(self.edits, key=lambda e: e.line)]
        summary = ", ".join(f"{k}: {v}" for k, v in sorted(self.counts().items()))
        every = ["-- every edit, by line:", *lines] if doubtful else lines
        return "\n".join([*(head if doubtful else []), *every, f"-- {len(self.edits)} edits ({summary})"])
