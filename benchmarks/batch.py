"""Batch throughput: N synthetic publications built by the process pool and by Dask with 1 and 2 workers.

Prints publications per minute for each (a cold `pipeline build` of every edition: normalising,
rendering, writing), the Dask/pool ratio (target: 2 Dask workers within 10 % of the pool on the
same machine) and whether every output is byte-identical to the pool's. Asserts nothing.

    python benchmarks/batch.py [--publications 50] [--rounds 1] [--scheduler tcp://HOST:PORT]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import re
import shutil
import sys
import tempfile
import textwrap
from pathlib import Path

from bench import ROOT, SEEDS, measured, pipeline, project_copy

# The words of synthetic programmes: the seeds' own vocabulary (real Swedish, every letter in the fonts).
WORD = re.compile(r"[a-zåäöéA-ZÅÄÖÉ]{2,}")
THEMES = ("#1d4e89", "#1b5e3b", "#8a1c2b", "#5b2a86", "#00606b", "#7a4b00")


def vocabulary() -> list[str]:
    words: set[str] = set()
    for slug in SEEDS:
        text = (ROOT / "source" / slug / "text.txt").read_text(encoding="utf-8")
        # Words broken at a line-end hyphen are left out: they are halves, not words.
        text = re.sub(r"\w+-\s*\n\s*\w+", " ", text)
        words.update(w.lower() for w in WORD.findall(text))
    return sorted(words)


def sentence(rng: random.Random, words: list[str], low: int, high: int, end: str = ".") -> str:
    chosen = rng.choices(words, k=rng.randint(low, high))
    return chosen[0].capitalize() + " " + " ".join(chosen[1:]) + end


def programme(rng: random.Random, words: list[str], title: str) -> str:
    """A local programme as a PDF extraction gives it: about 4-9 KB, wrapped lines, headings, a list."""
    out = [title, ""]
    for _ in range(rng.randint(4, 7)):
        out += [sentence(rng, words, 2, 5, end=""), ""]
        for _ in range(rng.randint(2, 3)):
            paragraph = " ".join(sentence(rng, words, 7, 18) for _ in range(rng.randint(2, 4)))
            out += [*textwrap.wrap(paragraph, 88, break_on_hyphens=False), ""]
        if rng.random() < 0.4:
            out += [f"• {sentence(rng, words, 3, 8, end='')}" for _ in range(rng.randint(3, 5))] + [""]
    return "\n".join(out)


def make_project(dest: Path, count: int, seed: int) -> int:
    """A project of ``count`` synthetic publications; their text's total size in bytes."""
    project_copy(dest, ())
    rng = random.Random(seed)
    words = vocabulary()
    total = 0
    for i in range(1, count + 1):
        folder = dest / "source" / f"lokalt-program-{i:03d}"
        folder.mkdir(parents=True)
        place = rng.choice(words).capitalize()
        title = f"Program för {place} {i}"
        text = programme(rng, words, title)
        total += len(text.encode())
        (folder / "text.txt").write_text(text, encoding="utf-8")
        (folder / "publication.toml").write_text(
            f'title = "{title}"\nlanguage = "sv"\ntheme_colour = "{rng.choice(THEMES)}"\ndate = 2026-05-01\n',
            encoding="utf-8",
        )
    return total


def outputs(project: Path) -> dict[str, str]:
    out = project / "output"
    return {
        p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(out.glob("*/*"))
        if p.is_file() and not p.name.startswith(".")
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--publications", "-n", type=int, default=50, help="synthetic publications (default 50)")
    parser.add_argument("--seed", type=int, default=13, help="random seed of the synthetic texts")
    parser.add_argument("--rounds", type=int, default=1, help="interleaved runs of each (the fastest is kept)")
    parser.add_argument(
        "--scheduler", help="also measure an existing Dask cluster (tcp://HOST:PORT), its workers as they are"
    )
    args = parser.parse_args()
    runs = [
        ("process pool (--jobs 2)", ["--jobs", "2"]),
        ("Dask LocalCluster, 1 worker", ["--scheduler", "local", "--jobs", "1"]),
        ("Dask LocalCluster, 2 workers", ["--scheduler", "local", "--jobs", "2"]),
    ]
    if args.scheduler:
        runs.append((f"Dask at {args.scheduler}", ["--scheduler", args.scheduler]))
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp) / "batch"
        size = make_project(project, args.publications, args.seed)
        print(
            f"batch: {args.publications} synthetic publications ({size / args.publications / 1024:.1f} KiB of text "
            "each on average), every edition, cold (output/ removed before each run):"
        )
        walls: dict[str, list[float]] = {label: [] for label, _ in runs}
        cpus: dict[str, list[float]] = {label: [] for label, _ in runs}
        reference: dict[str, str] = {}
        for round_ in range(1, args.rounds + 1):  # interleaved, so that the machine's other load falls on each
            for label, options in runs:
                shutil.rmtree(project / "output", ignore_errors=True)
                m = measured(pipeline("build", "--project", str(project), *options), project)
                walls[label].append(m["wall"])
                cpus[label].append(m["cpu"])
                files = outputs(project)
                reference = reference or files
                same = "byte-identical to the pool's" if files == reference else "DIFFERENT from the pool's"
                print(
                    f"  {label:<32} round {round_}: wall {m['wall']:7.1f} s "
                    f"({args.publications / m['wall'] * 60:6.1f} publications/min), cpu {m['cpu']:7.1f} s, "
                    f"{len(files)} files, {same}",
                    flush=True,
                )
        print(f"throughput (best of {args.rounds} rounds) and CPU time per publication (all processes):")
        rates = {label: args.publications / min(w) * 60 for label, w in walls.items()}
        for label, _ in runs:
            print(
                f"  {label:<32} {rates[label]:6.1f} publications/min   "
                f"{min(cpus[label]) / args.publications:5.2f} cpu s/publication"
            )
        pool = rates[runs[0][0]]
        print("ratios (throughput against the process pool):")
        for label, _ in runs[1:]:
            target = "   (target >= 0.90)" if label.endswith("2 workers") else ""
            print(f"  {label:<32} {rates[label] / pool:.2f}{target}")


if __name__ == "__main__":
    main()
