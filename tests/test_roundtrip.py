"""The round-trip scorer on hand-made models, and the normaliser's floors on the cached corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.model import (
    Block,
    Document,
    Heading,
    ListBlock,
    Meta,
    Paragraph,
    RunInLead,
    Title,
    document_words,
    text,
)
from pipeline.roundtrip.corpus import TEXT_LAYOUTS, Result, entries, score_all
from pipeline.roundtrip.score import Score, analyse, score, summarise

CORPUS = Path(__file__).parent / "roundtrip" / "corpus"


def doc(*blocks: Block) -> Document:
    return Document(Meta(title=""), tuple(blocks))


def p(value: str) -> Paragraph:
    return Paragraph(text(value))


def h(level: int, value: str) -> Heading:
    return Heading(level, text(value))


TRUTH = doc(
    Title(text("Ett gott liv")),
    h(1, "Vård i rimlig tid"),
    p("Vi vill korta köerna till vården."),
    h(2, "Folkhälsa"),
    p("Arbetet för folkhälsan kan inte begränsas till kampanjer."),
    ListBlock(False, (text("fler sjuksköterskor,"), text("kortare köer."))),
    RunInLead(2, text("Vi vill och vågar"), text("ta oss an utmaningen.")),
)


def with_block(index: int, *blocks: Block, base: Document = TRUTH) -> Document:
    """TRUTH with block ``index`` replaced by ``blocks`` (none: removed)."""
    return base.with_blocks([*base.blocks[:index], *blocks, *base.blocks[index + 1 :]])


# --- words -----------------------------------------------------------------------------------------


def test_a_perfect_match_scores_zero_damage_and_full_marks() -> None:
    s = score(TRUTH, TRUTH)
    assert (s.lost, s.invented, s.reordered, s.dehyphenation_errors) == (0, 0, 0, 0)
    assert s.heading_f1 == s.strict_heading_f1 == s.level_ok == s.boundary_f1 == 1.0
    assert s.words_kept and s.words_exact
    assert (s.truth_headings, s.truth_boundaries) == (4, 7)  # title, 2 headings, 1 lead; 6 blocks + 1 more item


def test_glyph_choices_do_not_count() -> None:
    truth = doc(p("Hon sa ”nej” – och gick…"))
    got = doc(p('Hon sa "nej" - och gick...'))
    assert score(truth, got) == score(truth, truth)


def test_one_lost_word() -> None:
    s = score(TRUTH, with_block(2, p("Vi vill korta köerna vården.")))
    assert (s.lost, s.invented, s.reordered, s.dehyphenation_errors) == (1, 0, 0, 0)
    assert not s.words_kept


def test_an_invented_word_is_not_a_lost_one() -> None:
    s = score(TRUTH, with_block(2, p("Vi vill korta köerna till vården."), p("12")))
    assert (s.lost, s.invented) == (0, 1)
    assert s.words_kept and not s.words_exact
    assert s.boundary_precision < 1.0  # the page number's own block starts at an invented word
    assert s.boundary_recall == 1.0


def test_a_moved_word_counts_as_reordered_not_lost() -> None:
    s = score(TRUTH, with_block(2, p("Vi korta köerna vill till vården.")))
    assert (s.lost, s.invented, s.reordered) == (0, 0, 1)


def test_a_moved_paragraph_counts_as_reordered() -> None:
    moved = doc(*TRUTH.blocks[:2], *TRUTH.blocks[3:5], TRUTH.blocks[2], *TRUTH.blocks[5:])
    s = score(TRUTH, moved)
    assert s.lost == s.invented == 0
    assert s.reordered in (6, 8)  # the shorter stretch moves: the paragraph, or the heading and its paragraph


@pytest.mark.parametrize(
    ("truth", "got"),
    [
        ("vårdtyngdsmätningar", "vård- tyngdsmätningar"),  # the line-end hyphen kept, the words apart
        ("vårdtyngdsmätningar", "vård-tyngdsmätningar"),  # the hyphen kept inside the joined word
        ("IT-projekt", "ITprojekt"),  # a real hyphen removed
        ("hälso- och", "hälsooch"),  # a suspended compound joined
    ],
)
def test_a_wrong_dehyphenation_is_its_own_error(truth: str, got: str) -> None:
    s = score(doc(p(f"Vi vill se {truth} i dag.")), doc(p(f"Vi vill se {got} i dag.")))
    assert (s.lost, s.invented, s.reordered, s.dehyphenation_errors) == (0, 0, 0, 1)
    assert not s.words_kept


def test_a_dehyphenation_error_next_to_a_lost_word() -> None:
    s = score(doc(p("mer vårdtyngdsmätningar varje år")), doc(p("mer vård- tyngdsmätningar år")))
    assert (s.lost, s.invented, s.dehyphenation_errors) == (1, 0, 1)


# --- the extractor's damage ------------------------------------------------------------------------


def test_a_word_the_extraction_lacks_is_the_extractors_not_lost() -> None:
    truth, got = doc(p("Vi vill korta köerna till vården.")), doc(p("Vi vill korta köerna vården."))
    s = score(truth, got, extracted="Vi vill korta\nköerna vården.\n")
    assert (s.lost, s.extractor) == (0, 1) and s.words_kept and not s.extraction_whole
    s = score(truth, got, extracted="Vi vill korta\nköerna till vården.\n")  # the extraction had it
    assert (s.lost, s.extractor) == (1, 0) and not s.words_kept


def test_a_hyphen_the_extractor_removed_is_its_damage_a_line_end_hyphen_is_not() -> None:
    truth, got = doc(p("Ring 0978-123 45 i dag.")), doc(p("Ring 0978123 45 i dag."))
    s = score(truth, got, extracted="Ring 0978123 45\ni dag.\n")
    assert (s.dehyphenation_errors, s.extractor) == (0, 1)
    s = score(truth, got, extracted="Ring 0978-\n123 45 i dag.\n")
    assert (s.dehyphenation_errors, s.extractor) == (1, 0)


def test_a_word_the_extractor_broke_and_moved_leaves_no_invented_pieces() -> None:
    # pdftotext set a justified line's last word "kon-" apart, after the page's number
    truth = doc(p("Skriv till oss, e-post: kontakt@parti.example"))
    got = doc(p("Skriv till oss, e-post: takt@parti.example kon-"))
    s = score(truth, got, extracted="Skriv till oss, e-post:\ntakt@parti.example\n\n8\n\nkon-\n")
    assert (s.lost, s.invented, s.extractor) == (0, 0, 1)
    a = analyse(truth, got, "Skriv till oss, e-post:\ntakt@parti.example\n\n8\n\nkon-\n")
    assert a.extractor == ("kontakt@parti.example",)


def test_words_the_extractor_ran_together_are_its_damage_not_an_invented_word() -> None:
    # pdftotext -raw lost every space of a line set in another weight
    truth, got = doc(p("Många unga säger att det saknas platser.")), doc(p("Mångaungasägeratt det saknas platser."))
    s = score(truth, got, extracted="Mångaungasägeratt det saknas platser.\n")
    assert (s.lost, s.invented, s.extractor) == (0, 0, 4)
    s = score(truth, got, extracted="Många unga säger att det saknas platser.\n")  # the normaliser's own doing
    assert (s.lost, s.invented, s.extractor) == (4, 1, 0)


def test_a_paragraph_the_extractor_moved_is_its_reordering_furniture_left_is_invented() -> None:
    moved = doc(*TRUTH.blocks[:2], *TRUTH.blocks[3:5], TRUTH.blocks[2], *TRUTH.blocks[5:])
    s = score(TRUTH, moved, extracted=" ".join(document_words(moved)))
    assert (s.lost, s.reordered, s.invented) == (0, 0, 0) and s.extractor in (6, 8)
    with_number = with_block(6, TRUTH.blocks[6], p("12"))
    s = score(TRUTH, with_number, extracted=" ".join(document_words(with_number)))
    assert (s.invented, s.extractor) == (1, 0)  # a page number the normaliser kept is its own


# --- headings ----------------------------------------------------------------------------------------


def test_a_missed_heading_lowers_recall_not_precision() -> None:
    s = score(TRUTH, with_block(3, p("Folkhälsa")))
    assert s.heading_recall == 3 / 4 and s.heading_precision == 1.0
    assert s.heading_f1 < 1.0 and s.strict_heading_f1 < 1.0
    assert s.boundary_f1 == 1.0 and s.lost == 0  # the words and blocks are all there


def test_a_run_in_lead_read_as_a_paragraph_is_a_missed_heading() -> None:
    s = score(TRUTH, with_block(6, p("Vi vill och vågar ta oss an utmaningen.")))
    a = analyse(TRUTH, with_block(6, p("Vi vill och vågar ta oss an utmaningen.")))
    assert s.heading_recall == 3 / 4
    assert a.missed_headings == ((2, "Vi vill och vågar"),)


def test_with_leads_as_text_a_lead_read_as_a_paragraph_costs_nothing() -> None:
    from pipeline.roundtrip.corpus import leads_as_text

    got = with_block(6, p("Vi vill och vågar ta oss an utmaningen."))
    s = score(leads_as_text(TRUTH), leads_as_text(got))
    assert s.heading_recall == 1.0 and s.boundaries_found == s.truth_boundaries and s.lost == 0


def test_a_false_heading_lowers_precision() -> None:
    got = with_block(2, h(2, "Vi vill korta köerna"), p("till vården."))
    s = score(TRUTH, got)
    assert s.heading_precision == 4 / 5 and s.heading_recall == 1.0
    assert s.boundary_precision < 1.0 and s.boundary_recall == 1.0


def test_a_wrong_level_lowers_level_ok_and_strict_f1_only() -> None:
    s = score(TRUTH, with_block(3, h(3, "Folkhälsa")))
    assert s.heading_f1 == 1.0
    assert s.level_ok == 3 / 4
    assert s.strict_heading_f1 == 2 * 3 / 8
    assert analyse(TRUTH, with_block(3, h(3, "Folkhälsa"))).wrong_levels == (("Folkhälsa", 2, 3),)


# --- block boundaries ------------------------------------------------------------------------------


def test_a_merged_paragraph_lowers_boundary_recall() -> None:
    merged = doc(p("Ett. Två."))
    s = score(doc(p("Ett."), p("Två.")), merged)
    assert s.boundary_recall == 0.0 and s.boundary_precision == 1.0  # nothing claimed, nothing wrong
    into_list = doc(
        *TRUTH.blocks[:4],
        p("Arbetet för folkhälsan kan inte begränsas till kampanjer. fler sjuksköterskor,"),
        ListBlock(False, (text("kortare köer."),)),
        TRUTH.blocks[6],
    )
    s = score(TRUTH, into_list)
    assert s.lost == 0 and s.boundary_recall == 6 / 7 and s.boundary_precision == 1.0


def test_list_items_are_units() -> None:
    got = with_block(5, ListBlock(False, (text("fler sjuksköterskor, kortare köer."),)))
    s = score(TRUTH, got)
    assert s.lost == 0 and s.boundary_recall == 6 / 7
    assert analyse(TRUTH, got).missed_boundaries == (24,)  # the second item's first word


def test_a_split_paragraph_lowers_boundary_precision() -> None:
    s = score(TRUTH, with_block(2, p("Vi vill korta"), p("köerna till vården.")))
    assert s.boundary_recall == 1.0 and s.boundary_precision == 7 / 8


def test_a_boundary_inside_a_dehyphenation_error_is_false() -> None:
    truth = doc(p("Vi vill se vårdtyngdsmätningar i dag."))
    s = score(truth, doc(p("Vi vill se vård-"), p("tyngdsmätningar i dag.")))
    assert s.dehyphenation_errors == 1 and s.got_boundaries == 1 and s.boundaries_found == 0


# --- sums and means --------------------------------------------------------------------------------


def test_scores_sum_and_average() -> None:
    a = score(TRUTH, TRUTH)
    b = score(TRUTH, with_block(3, p("Folkhälsa")))
    total = a + b
    assert total.truth_words == 2 * a.truth_words and total.headings_found == 7
    m = summarise([a, b], failures=2)
    assert (m.files, m.failures, m.words_kept_files) == (4, 2, 2)
    assert m.mean_heading_f1 == pytest.approx((1.0 + b.heading_f1) / 4)  # a failure counts as zero
    assert summarise([]).files == 0 and Score() + Score() == Score()


# --- the corpus -----------------------------------------------------------------------------------

# Floors on what the normaliser achieves (19 sources x 5 layouts x 5 extractions = 475 files, the
# four text layouts of issue 11 = 380), rounded a little towards slack. They are ratchets: raise them
# (lower the "at most" ones) as the normaliser improves, never loosen them to let a change pass; a
# source added to the corpus moves them with it. The last three fixtures (fritid-ledord,
# omsorg-ojamna-nivaer, ungdom-versaler-fragor) were written after the rules, as held-out texts:
# they took the strict heading F1 from 0.972 to 0.961 (run-in leads in the A4 and narrow layouts,
# which leave no trace in extracted text; a lone subsection; parts without sections) and showed two
# faults since mended (a cover title wrapped before its dash lost its second half; a lead whose spaces
# pdftotext -raw lost). Measure with `python -m pipeline.roundtrip` (the "text layouts" and
# "overall" rows). The targets on the text layouts: every word kept in every file, heading
# F1 >= 0.97, boundary F1 >= 0.98. "Kept" is the normaliser's part: a word the extracted text itself
# lacks is counted as "extractor".
TEXT_FLOORS = {
    "failures": 0,  # at most: files the normaliser refuses or crashes on
    "words_kept_files": 380,  # at least: files with no word lost or wrongly (de)hyphenated
    "lost": 0,  # at most, summed over files
    "reordered": 0,
    "invented": 0,
    "dehyphenation_errors": 0,
    # at most: truth words the extracted text itself lacks or damaged (and the model too), counted
    # apart from the normaliser's: pdftotext's layout mode set a justified line's last word "kon‐"
    # after the page's number (budget-citat-siffror brochure) and joined "0978-" / "123" as
    # "0978123" (tornedalen-namn narrow-ragged), each in its blank-line export too; pdftotext -raw
    # ran a line's words together ("MångaungasägerattdetintefinnsnågotattgöraiSjöholmefterklockan",
    # ungdom-versaler-fragor brochure) and "statligaLOKstödet" (fritid-ledord brochure)
    "extractor": 22,
    "mean_heading_f1": 0.98,
    "mean_level_ok": 0.975,  # of the headings found, the share at the truth's level
    "mean_strict_heading_f1": 0.96,
    "mean_boundary_f1": 0.984,
}
# The text layouts with run-in leads scored as paragraphs: a lead set inline in display type leaves
# no trace in extracted text (`python -m pipeline.roundtrip --leads-as-text`).
LEADS_AS_TEXT_FLOORS = {"mean_heading_f1": 0.995, "mean_strict_heading_f1": 0.975}
# With the two-column layout (for the PDF reader; pdfplumber reads across its columns).
OVERALL_FLOORS = {"failures": 0, "words_kept_files": 445, "dehyphenation_errors": 3, "mean_boundary_f1": 0.917}
AT_MOST = {"failures", "lost", "reordered", "invented", "dehyphenation_errors", "extractor"}


def test_the_corpus_has_every_source_layout_and_extraction() -> None:
    sources = sorted(p for p in CORPUS.iterdir() if p.is_dir())
    fixtures = {p.name for p in (CORPUS.parent / "fixtures").iterdir() if (p / "text.md").is_file()}
    names = {p.name for p in sources}
    assert len(fixtures) >= 10 and fixtures <= names
    assert {"kitchen-sink", "seed-ett-gott-liv", "seed-patientfokus-partiprogram"} <= names
    assert len(sources) >= 13
    for folder in sources:
        assert (folder / "truth.json").is_file(), folder
        pdfs = {p.stem for p in folder.glob("*.pdf")}
        texts = {tuple(p.name.removesuffix(".txt").split(".", 1)) for p in folder.glob("*.txt")}
        assert len(pdfs) >= 4, folder
        for layout in pdfs:
            extractors = {e for lay, e in texts if lay == layout}
            assert len(extractors) >= 4, (folder.name, layout, extractors)


@pytest.fixture(scope="module")
def corpus_results() -> list[Result]:
    return score_all(entries(CORPUS))


def _measured(results: list[Result]) -> dict[str, float]:
    scores = [r.score for r in results if r.score is not None]
    m = summarise(scores, failures=len(results) - len(scores))
    return {
        "failures": m.failures,
        "words_kept_files": m.words_kept_files,
        "lost": m.total.lost,
        "reordered": m.total.reordered,
        "invented": m.total.invented,
        "dehyphenation_errors": m.total.dehyphenation_errors,
        "extractor": m.total.extractor,
        "mean_heading_f1": m.mean_heading_f1,
        "mean_level_ok": m.mean_level_ok,
        "mean_strict_heading_f1": m.mean_strict_heading_f1,
        "mean_boundary_f1": m.mean_boundary_f1,
    }


@pytest.mark.parametrize("group", ["text layouts", "overall", "text layouts, leads as text"])
def test_the_normaliser_holds_its_floors_on_the_corpus(corpus_results: list[Result], group: str) -> None:
    if group.endswith("leads as text"):
        results = score_all([e for e in entries(CORPUS) if e.layout in TEXT_LAYOUTS], leads_text=True)
        floors = LEADS_AS_TEXT_FLOORS
    else:
        results = [r for r in corpus_results if group == "overall" or r.entry.layout in TEXT_LAYOUTS]
        floors = TEXT_FLOORS if group == "text layouts" else OVERALL_FLOORS
    got = _measured(results)
    worse = {k: (got[k], floor) for k, floor in floors.items() if (got[k] > floor if k in AT_MOST else got[k] < floor)}
    failed = [f"{r.entry.name}: {r.error}" for r in results if r.score is None]
    assert not worse, f"past the floors (got, floor): {worse}; measured: {got}; failures: {failed}"
