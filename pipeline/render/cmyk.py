"""sRGB colours → CMYK on the print file's output profile (FOGRA39), chosen as a print shop expects.

Two rules, each on purpose:

- A neutral grey (r = g = b) becomes a tint of black alone, K only, of the same lightness (L*)
  on the profile. Black text and rules then print from one plate: four-colour black would
  misregister on thin strokes, and a profile conversion turns #1a1a1a into 89/77/55/98 (319 % ink).
  Anything at least as dark as 100 % K on the profile is 100 % K.
- Any other colour (the theme colour from publication.toml) is converted with the profile,
  relative colorimetric intent with black-point compensation, through Little CMS (Pillow's
  ImageCms), and rounded to whole percent so the values are stable across library versions.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

CMYK = tuple[float, float, float, float]


def parse_hex(colour: str) -> tuple[int, int, int]:
    """``#rrggbb`` (as publication.toml holds it) → (r, g, b) in 0–255."""
    value = colour.lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


@functools.lru_cache(maxsize=8)
def _transforms(profile: Path) -> tuple[Any, Any]:
    from PIL import ImageCms

    output = ImageCms.getOpenProfile(str(profile))
    flags = ImageCms.Flags.BLACKPOINTCOMPENSATION
    to_cmyk = ImageCms.buildTransform(
        ImageCms.createProfile("sRGB"),
        output,
        "RGB",
        "CMYK",
        renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC,
        flags=flags,
    )
    to_lab = ImageCms.buildTransform(
        output, ImageCms.createProfile("LAB"), "CMYK", "LAB", renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC
    )
    return to_cmyk, to_lab


def _percent(value: float) -> float:
    return round(value * 100) / 100


def _srgb_lightness(grey: int) -> float:
    """CIE L* (0–100) of an sRGB grey level."""
    c = grey / 255
    y = c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    return 116 * y ** (1 / 3) - 16 if y > 216 / 24389 else 24389 / 27 * y


@functools.lru_cache(maxsize=256)
def _k_ramp(profile: Path) -> tuple[float, ...]:
    """L* of 0 %, 1 %, … 100 % K on the profile."""
    from PIL import Image, ImageCms

    _, to_lab = _transforms(profile)
    ramp = Image.new("CMYK", (101, 1))
    ramp.putdata([(0, 0, 0, round(k * 255 / 100)) for k in range(101)])
    lab = ImageCms.applyTransform(ramp, to_lab)
    assert lab is not None
    return tuple(lab.getpixel((k, 0))[0] * 100 / 255 for k in range(101))  # type: ignore[index]


@functools.lru_cache(maxsize=256)
def to_cmyk(colour: tuple[int, int, int], profile: Path) -> CMYK:
    """The CMYK (0–1, whole percent) a print shop should get for an sRGB colour (see the module doc)."""
    r, g, b = colour
    if r == g == b:
        if r == 255:
            return (0.0, 0.0, 0.0, 0.0)
        target = _srgb_lightness(r)
        ramp = _k_ramp(profile)
        k = next((k for k in range(101) if ramp[k] <= target), 100)
        if k and abs(ramp[k - 1] - target) < abs(ramp[k] - target):
            k -= 1
        return (0.0, 0.0, 0.0, k / 100)
    from PIL import Image, ImageCms

    to_cmyk_transform, _ = _transforms(profile)
    pixel = ImageCms.applyTransform(Image.new("RGB", (1, 1), colour), to_cmyk_transform)
    assert pixel is not None
    c, m, y, k = pixel.getpixel((0, 0))  # type: ignore[misc]
    return (_percent(c / 255), _percent(m / 255), _percent(y / 255), _percent(k / 255))


def css_device_cmyk(colour: str, profile: Path) -> str:
    """A publication.toml ``#rrggbb`` as a CSS ``device-cmyk()`` value for the print stylesheet."""
    c, m, y, k = to_cmyk(parse_hex(colour), profile)
    return f"device-cmyk({c:g} {m:g} {y:g} {k:g})"


@functools.lru_cache(maxsize=8)
def _image_transform(profile: Path) -> Any:
    from PIL import ImageCms

    return ImageCms.buildTransform(
        ImageCms.createProfile("sRGB"),
        ImageCms.getOpenProfile(str(profile)),
        "RGB",
        "CMYK",
        renderingIntent=ImageCms.Intent.PERCEPTUAL,
        flags=ImageCms.Flags.BLACKPOINTCOMPENSATION,
    )


def image_to_cmyk(image: Any, profile: Path) -> Any:
    """A Pillow image (any mode) → CMYK on the profile, perceptual intent (the usual one for pictures)."""
    from PIL import ImageCms

    out = ImageCms.applyTransform(image.convert("RGB"), _image_transform(profile))
    assert out is not None
    return out
