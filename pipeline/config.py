"""One typed schema for publication.toml, validated on load with errors naming file, line and key."""

from __future__ import annotations

import re
import tomllib
import uuid
from dataclasses import MISSING, dataclass, field, fields
from pathlib import Path
from typing import Any, get_args, get_origin

from pipeline.errors import PipelineError
from pipeline.model import Meta

COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
PAPER_SIZES = {"A5": (148, 210), "A4": (210, 297), "170x240": (170, 240)}
LARGE_PRINT_SIZES = (16, 18, 20, 24)
NAMESPACE = uuid.UUID("5f0b7a43-2f44-4d4e-9a3f-6d1c1a7f0e21")  # for identifiers derived from slugs


def doc(text: str, default: Any = MISSING, factory: Any = MISSING) -> Any:
    if factory is not MISSING:
        return field(default_factory=factory, metadata={"doc": text})
    return field(default=default, metadata={"doc": text})


@dataclass(frozen=True)
class BrochureConfig:
    paper: str = doc("Trim size: A5 (default), A4 or 170x240 (mm).", "A5")
    toc: bool = doc("Print a table of contents (only when there are more than three sections).", True)
    booklet: bool = doc("Also make an A4 booklet imposed for saddle-stitching on an office printer.", True)
    print_pdf: bool = doc("Also make a PDF/X-4 file with bleed and crop marks for a print shop.", True)


@dataclass(frozen=True)
class LargePrintConfig:
    size: int = doc("Body text size in points: 16, 18 (default), 20 or 24.", 18)
    text_colour: str = doc("Text colour; with the background it must reach 7:1 contrast (WCAG AAA).", "#000000")
    background_colour: str = doc("Page colour.", "#ffffff")


@dataclass(frozen=True)
class PublicationConfig:
    title: str = doc("The title as printed on the cover.")
    subtitle: str = doc("A subtitle, if the publication has one.", "")
    short_title: str = doc("Short title for running footers (defaults to the title).", "")
    organisation: str = doc("The party or organisation that publishes it, only if known.", "")
    language: str = doc("BCP 47 language tag of the text.", "sv")
    date: str = doc("Publication date, YYYY-MM-DD; also the fixed date of reproducible builds.", "")
    identifier: str = doc("ISBN or URN; defaults to a UUID derived from the folder name.", "")
    theme_colour: str = doc("The cover and accent colour, #rrggbb.", "#1d4e89")
    contact: list[str] = doc("Contact lines for the back cover.", factory=list)
    colophon: list[str] = doc("Colophon lines (printer, edition, licence).", factory=list)
    brochure: BrochureConfig = doc("Print brochure settings.", factory=BrochureConfig)
    large_print: LargePrintConfig = doc("Large-print settings.", factory=LargePrintConfig)

    def meta(self, slug: str) -> Meta:
        return Meta(
            title=self.title,
            subtitle=self.subtitle,
            short_title=self.short_title or self.title,
            organisation=self.organisation,
            language=self.language,
            date=self.date,
            identifier=self.identifier or f"urn:uuid:{uuid.uuid5(NAMESPACE, slug)}",
            theme_colour=self.theme_colour,
            contact=tuple(self.contact),
            colophon=tuple(self.colophon),
        )


def _line_of(source: str, key: str) -> int | None:
    """Best-effort line number of ``key`` (its last dotted part) in the TOML text."""
    name = key.split(".")[-1]
    for no, line in enumerate(source.splitlines(), start=1):
        if re.match(rf"\s*{re.escape(name)}\s*=", line):
            return no
    return None


def _type_name(tp: Any) -> str:
    origin = get_origin(tp)
    if origin is list:
        return f"a list of {get_args(tp)[0].__name__}"
    return {str: "a string", bool: "true or false", int: "a whole number"}.get(tp, getattr(tp, "__name__", str(tp)))


def _build(cls: Any, data: dict[str, Any], path: Path, source: str, prefix: str = "") -> Any:
    import typing

    hints = typing.get_type_hints(cls)
    known = {f.name for f in fields(cls)}
    aliases = {"print": "print_pdf"}
    kwargs: dict[str, Any] = {}
    for raw_key, value in data.items():
        key = aliases.get(raw_key, raw_key)
        dotted = prefix + raw_key
        if key not in known:
            valid = ", ".join(
                sorted(aliases.get(k, k) for k in known if k != "print_pdf")
                + (["print"] if "print_pdf" in known else [])
            )
            raise PipelineError(
                f"unknown key '{dotted}'.", path, _line_of(source, dotted), hint=f"Valid keys here: {valid}."
            )
        tp = hints[key]
        if isinstance(tp, type) and hasattr(tp, "__dataclass_fields__"):
            if not isinstance(value, dict):
                raise PipelineError(f"'{dotted}' must be a table ([{dotted}]).", path, _line_of(source, dotted))
            kwargs[key] = _build(tp, value, path, source, prefix=dotted + ".")
            continue
        ok = (
            isinstance(value, list) and all(isinstance(v, str) for v in value)
            if get_origin(tp) is list
            else isinstance(value, tp) and not (tp is int and isinstance(value, bool))
        )
        if not ok:
            raise PipelineError(
                f"'{dotted}' must be {_type_name(tp)}, not {type(value).__name__} ({value!r:.40}).",
                path,
                _line_of(source, dotted),
            )
        kwargs[key] = value
    for f in fields(cls):
        if f.name not in kwargs and f.default is MISSING and f.default_factory is MISSING:
            raise PipelineError(
                f"the required key '{prefix + f.name}' is missing.",
                path,
                hint=f'Add {f.name} = "..." ({f.metadata["doc"]})',
            )
    return cls(**kwargs)


def _relative_luminance(colour: str) -> float:
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast_ratio(a: str, b: str) -> float:
    la, lb = sorted((_relative_luminance(a), _relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _validate(cfg: PublicationConfig, path: Path, source: str) -> None:
    def fail(key: str, message: str) -> None:
        raise PipelineError(message, path, _line_of(source, key))

    if not cfg.title.strip():
        fail("title", "'title' is empty.")
    for key, value in (
        ("theme_colour", cfg.theme_colour),
        ("large_print.text_colour", cfg.large_print.text_colour),
        ("large_print.background_colour", cfg.large_print.background_colour),
    ):
        if not COLOUR.match(value):
            fail(key, f"'{key}' must be a colour like \"#1d4e89\", not {value!r}.")
    if cfg.date and not DATE.match(cfg.date):
        fail("date", f"'date' must be YYYY-MM-DD, not {cfg.date!r}.")
    if cfg.brochure.paper not in PAPER_SIZES:
        fail("brochure.paper", f"'brochure.paper' must be one of {', '.join(PAPER_SIZES)}, not {cfg.brochure.paper!r}.")
    if cfg.large_print.size not in LARGE_PRINT_SIZES:
        fail("large_print.size", f"'large_print.size' must be one of {LARGE_PRINT_SIZES}, not {cfg.large_print.size}.")
    ratio = contrast_ratio(cfg.large_print.text_colour, cfg.large_print.background_colour)
    if ratio < 7:
        fail(
            "large_print.text_colour", f"large-print colours have contrast {ratio:.1f}:1; WCAG AAA needs at least 7:1."
        )
    if not re.match(r"^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$", cfg.language):
        fail("language", f"'language' must be a language tag like \"sv\", not {cfg.language!r}.")
    for key, value in (
        ("title", cfg.title),
        ("subtitle", cfg.subtitle),
        ("organisation", cfg.organisation),
        ("identifier", cfg.identifier),
        *(("contact", c) for c in cfg.contact),
        *(("colophon", c) for c in cfg.colophon),
    ):
        if re.search(r"[\x00-\x08\x0b-\x1f\x7f\u202a-\u202e\u2066-\u2069]", value):
            fail(key, f"'{key}' contains control or bidi-override characters.")


def load_config(path: Path) -> PublicationConfig:
    try:
        source = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise PipelineError(f"is not UTF-8 ({exc.reason}).", path) from None
    except OSError as exc:
        raise PipelineError(f"cannot be read: {exc.strerror}.", path) from None
    try:
        data = tomllib.loads(source)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        message = re.sub(r"\s*\(at line.*\)$", "", str(exc))
        line, column = (int(m.group(1)), int(m.group(2))) if m else (None, None)
        raise PipelineError(f"is not valid TOML: {message}.", path, line, column) from None
    cfg: PublicationConfig = _build(PublicationConfig, data, path, source)
    _validate(cfg, path, source)
    return cfg


def schema_doc() -> str:
    """Every option with its type, default and one-line description (for the README and --help)."""
    out = []

    def walk(cls: Any, prefix: str) -> None:
        import typing

        hints = typing.get_type_hints(cls)
        for f in fields(cls):
            tp = hints[f.name]
            name = "print" if f.name == "print_pdf" else f.name
            if hasattr(tp, "__dataclass_fields__"):
                walk(tp, f"{prefix}{name}.")
                continue
            default = (
                "required"
                if f.default is MISSING and f.default_factory is MISSING
                else (repr(f.default) if f.default is not MISSING else "[]")
            )
            out.append(f"{prefix}{name} ({_type_name(tp)}, {default}): {f.metadata['doc']}")

    walk(PublicationConfig, "")
    return "\n".join(out)
