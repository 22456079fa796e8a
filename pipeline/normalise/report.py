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

    def format(self) -> str:
        arrow = f"{self.before!r} → {self.after!r}"
        note = f"  ({self.note})" if self.note else ""
        return f"{self.line:>5}  {self.kind:<16} {arrow}{note}"


class Report:
    """An append-only list of edits; passes receive it and record into it."""

    def __init__(self) -> None:
        self.edits: list[Edit] = []

    def add(self, kind: str, line: int, before: str, after: str, note: str = "") -> None:
        self.edits.append(Edit(kind, line, before, after, note))

    def of_kind(self, kind: str) -> list[Edit]:
        return [e for e in self.edits if e.kind == kind]

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for e in self.edits:
            out[e.kind] = out.get(e.kind, 0) + 1
        return out

    def format(self) -> str:
        lines = [e.format() for e in sorted(self.edits, key=lambda e: e.line)]
        summary = ", ".join(f"{k}: {v}" for k, v in sorted(self.counts().items()))
        return "\n".join([*lines, f"-- {len(self.edits)} edits ({summary})"])
