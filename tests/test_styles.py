"""Heading levels from type styles (pipeline/normalise/styles.py), shared by the PDF and Word readers."""

from __future__ import annotations

from pipeline.normalise.styles import Style, body_style, heading_levels, more_prominent

BODY = Style.of(10)


def test_body_is_the_commonest_style_by_characters() -> None:
    samples = [(Style.of(18, bold=True), 40), (BODY, 5000), (Style.of(10, italic=True), 300)]
    assert body_style(samples) == BODY


def test_larger_or_bold_stands_out_but_italic_does_not() -> None:
    assert more_prominent(Style.of(14), BODY)
    assert more_prominent(Style.of(10, bold=True), BODY)
    assert not more_prominent(Style.of(10, italic=True), BODY)
    assert not more_prominent(Style.of(10.3), BODY)  # rounding jitter is not a size
    assert not more_prominent(Style.of(8, bold=True), BODY)  # small bold print (a caption) is no heading


def test_one_rank_is_sections_two_are_parts_and_sections_three_add_subsections() -> None:
    h1, h2, h3 = Style.of(20, bold=True), Style.of(14, bold=True), Style.of(10, bold=True)
    assert heading_levels([h2], BODY) == {h2: 2}
    assert heading_levels([h1, h2], BODY) == {h1: 1, h2: 2}
    assert heading_levels([h3, h1, h2], BODY) == {h1: 1, h2: 2, h3: 3}
    h4 = Style.of(12)
    assert heading_levels([h1, h2, h3, h4], BODY)[h3] == 3  # a fourth rank joins subsections


def test_near_sizes_share_a_rank_and_body_styles_are_left_out() -> None:
    a, b = Style.of(14, bold=True), Style.of(14.5, bold=True)
    assert heading_levels([a, b, BODY, Style.of(10, italic=True)], BODY) == {a: 2, b: 2}
