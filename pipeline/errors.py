"""The one error type users see: a single paragraph naming file, line and what to do."""

from __future__ import annotations

from pathlib import Path

# Exit codes, documented in README.md.
EXIT_OK = 0
EXIT_BUILD_FAILED = 1  # at least one edition failed; the others were built
EXIT_BAD_INPUT = 2  # a source, publication.toml or option is wrong
EXIT_INTERRUPTED = 130  # Ctrl-C


class PipelineError(Exception):
    """An input problem the user can fix; never shown with a traceback.

    Raised while an edition renders, it is still bad input (exit 2): a layout override that refers
    outside, a template error, a stylesheet WeasyPrint warns about, a character no font has.
    """

    bad_input = True

    def __init__(
        self,
        message: str,
        path: Path | str | None = None,
        line: int | None = None,
        column: int | None = None,
        hint: str = "",
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = Path(path) if path is not None else None
        self.line = line
        self.column = column
        self.hint = hint

    def where(self) -> str:
        if self.path is None:
            return ""
        out = str(self.path)
        if self.line:
            out += f":{self.line}"
            if self.column:
                out += f":{self.column}"
        return out

    def __str__(self) -> str:
        where = self.where()
        text = f"{where}: {self.message}" if where else self.message
        if self.hint:
            text += f" {self.hint}"
        return text


class RenderError(PipelineError):
    """An edition could not be made from input that was fine (exit 1): fonts/ damaged, a failed preflight."""

    bad_input = False


class OutputError(RenderError):
    """A file in output/ could not be written (a read-only folder, a full disk); the earlier file is kept."""
