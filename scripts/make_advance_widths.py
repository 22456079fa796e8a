"""Regenerate pipeline/data/advance_widths.json from the bundled Source Sans 3.

The normaliser estimates how wide an extracted line was on the PDF page from
these proportional advance widths (in thousandths of an em).
"""

import json
from pathlib import Path

from fontTools.ttLib import TTFont

ROOT = Path(__file__).resolve().parent.parent
font = TTFont(ROOT / "fonts/source-sans-3/SourceSans3-Roman-VF.ttf")
cmap = font.getBestCmap()
metrics = font["hmtx"].metrics
upm = font["head"].unitsPerEm
chars = [chr(c) for c in range(0x20, 0x250)] + list("–—‘’“”„…•€−")
widths = {ch: round(metrics[cmap[ord(ch)]][0] * 1000 / upm) for ch in chars if ord(ch) in cmap}
out = ROOT / "pipeline/data/advance_widths.json"
out.write_text(json.dumps(widths, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")
print(f"{len(widths)} widths -> {out}")
