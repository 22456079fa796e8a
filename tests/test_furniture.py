"""Page furniture in extracted text (pipeline/normalise/furniture.py): dropped only on repeated, positional evidence."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pipeline.convert import normalise_bytes
from pipeline.model import Meta, Paragraph, document_words, plain
from pipeline.normalise.furniture import find_furniture
from pipeline.normalise.lines import repair_whitespace, split_lines
from pipeline.normalise.report import Report


def _lines(text: str):
    return repair_whitespace(split_lines(text), Report())


def _normalise(text: str):
    return normalise_bytes(text.encode("utf-8"), Path("t.txt"), Meta(title="t"))


PAGE = "Vi vill att alla barn ska ha en trygg skolgång och att lärarna får tid för\nundervisningen i varje klassrum."


def test_page_numbers_and_running_heads_between_pages_are_dropped_and_the_sentence_runs_on() -> None:
    body = "Vi vill att alla barn ska ha en trygg skolgång och att lärarna får tid för\n" * 6
    text = (
        "Skolan\n"
        f"{body}"
        "Vi vill att alla barn ska ha en trygg skolgång och att lärarna får tid för\n\n"
        "Partiprogram 2\n\n\fundervisningen i varje klassrum. Vi vill också att alla elever får\n" + body + "\n"
        "Partiprogram 3\n\n\fsmå klasser och en god skolmåltid varje dag i hela landet och\n" + body + "\n"
        "Partiprogram 4\n\n\fi varje kommun.\n"
    )
    doc, report = _normalise(text)
    dropped = [e.before for e in report.of_kind("drop-furniture")]
    assert dropped == ["Partiprogram 2", "Partiprogram 3", "Partiprogram 4"]
    assert "Partiprogram" not in document_words(doc)
    paragraphs = [plain(b.inlines) for b in doc.blocks if isinstance(b, Paragraph)]
    assert len(paragraphs) == 1 and paragraphs[0].endswith("i varje kommun.")


def test_bare_page_numbers_that_count_up_go_but_numbered_headings_stay() -> None:
    body = "Här står en rad.\n" * 6
    lines = _lines(f"Inledning\n{body}Text som löper\n\n7\n\nvidare här.\n{body}\n8\n\n{body}Mer text.\n\n9\n")
    found = find_furniture(lines)
    assert sorted(lines[k].text for k in found.drop) == ["7", "8", "9"]
    headings = _lines("Mål 1\nVi vill bygga.\nMål 2\nVi vill satsa.\nMål 3\nVi vill växa.\n")
    assert find_furniture(headings).drop == {}  # counts up, but never interrupts a sentence nor sits at a page break


def test_a_repeated_line_that_is_text_stays() -> None:
    text = "\n".join(["Vi vill:", "- bygga fler bostäder.", "Text här."] * 4)
    assert find_furniture(_lines(text)).drop == {}
    assert find_furniture(_lines("vård\nvård\nvård\nvård vård")).drop == {}  # no page is that short


def test_contents_page_with_leaders_is_dropped_and_names_the_headings() -> None:
    text = (
        "Innehåll\n"
        "Skolan ........................ 3\n"
        "Vården ........................ 5\n"
        "Äldreomsorgen ................. 8\n"
        "\fSkolan\nVi vill.\nVården\nVi vill.\nÄldreomsorgen\nVi vill.\n"
    )
    found = find_furniture(_lines(text))
    assert found.toc_labels == ("Skolan", "Vården", "Äldreomsorgen")
    assert sorted(found.drop) == [0, 1, 2, 3]


def test_contents_entries_with_leader_dots_on_lines_of_their_own() -> None:
    # pdftotext -raw puts each leader dot of a contents line on a line of its own
    text = (
        "Innehåll\nSkolan .\n.\n.\n. 3\nVården .\n.\n. 5\nÄldreomsorgen .\n.\n. 8\n"
        "Skolan\nVi vill.\nVården\nÄldreomsorgen\n"
    )
    found = find_furniture(_lines(text))
    assert found.toc_labels == ("Skolan", "Vården", "Äldreomsorgen")
    assert max(found.drop) == 10


def test_a_heading_repeated_in_every_chapter_is_not_a_running_head() -> None:
    chapter = "Kapitel\nNuläge\n" + "Vi har gjort mycket men mer återstår att göra i kommunen.\n" * 7
    text = "".join(f"\f{chapter.replace('Kapitel', f'Del {n}')}" for n in range(1, 5))
    found = find_furniture(_lines(text))
    assert not [k for k in found.drop if _lines(text)[k].text == "Nuläge"]


def test_ligature_characters_become_letters() -> None:
    doc, report = _normalise("Vi ska eﬀektivisera och ﬁnansiera.\n")
    assert document_words(doc) == ["Vi", "ska", "effektivisera", "och", "finansiera."]
    assert report.of_kind("ligature")


def test_the_report_lists_doubtful_decisions_first() -> None:
    from pipeline.normalise.report import CHECK_BELOW

    text = (
        "Vårt program\nSkolan\nVi vill och vågar\nta oss an utmaningen; att utforma och finansiera skolan i landet.\n"
    )
    _doc, report = _normalise(text)
    doubtful = report.doubtful()
    assert doubtful and all(e.confidence < CHECK_BELOW for e in doubtful)
    assert [e.confidence for e in doubtful] == sorted(e.confidence for e in doubtful)
    assert report.format().startswith(f"-- check these {len(doubtful)} decisions first")


def test_furniture_never_empties_a_text() -> None:
    # found by hypothesis on a clean CI run: "1" alone was taken for a short document's page number
    for text in ("1", "1\n\n2", "vård\nvård\nvård"):
        doc, report = _normalise(text)
        assert document_words(doc) == text.split() and not report.of_kind("drop-furniture")


def _pages(pages: list[str]) -> str:
    return "\n\f".join(pages) + "\n"


_WORDS = ("bostäder", "jobb", "skolor", "vården", "bussar", "parker", "bibliotek", "idrott")
_HEADS = ("Skolan", "Vården", "Bostäder", "Trafiken", "Kulturen", "Idrotten", "Miljön", "Ekonomin")
BODY = "".join(f"Det här är en rad i en vanlig paragraf om {w} och annat i kommunen.\n" for w in _WORDS)


def test_a_running_head_with_a_year_range_is_keyed_by_its_numbers_and_found_on_the_cover() -> None:
    # "Program 2025–2028 3" and "4 Program 2025–2028": the page number beside a title that holds
    # numbers itself; no sentence runs across a page, so the cover's title is the evidence.
    pages = ["Lokala partiet\nJobb och välfärd – budgetprogram 2025–2028\n"]
    for n in range(3, 8):
        head = (
            f"Jobb och välfärd – budgetprogram 2025–2028 {n}"
            if n % 2
            else f"{n} Jobb och välfärd – budgetprogram 2025–2028"
        )
        pages.append(f"{_HEADS[n]}\n{BODY}Slut på sidan.\n\n{head}\n")
    lines = _lines(_pages(pages))
    dropped = sorted(lines[k].no for k, why in find_furniture(lines).drop.items() if why.startswith("page head"))
    assert len(dropped) == 5


def test_running_heads_on_different_pages_are_spread_even_with_a_contents_page_between() -> None:
    contents = "".join(f"{_HEADS[n]} ........................ {n + 4}\n" for n in range(1, 6))
    pages = [f"Innehåll\n{contents}\nKultur för alla\n\n3\n", "Kultur för alla\n\n4\n"]
    for n in range(1, 6):
        pages.append(f"{_HEADS[n]}\n{BODY}Slut.\n\nKultur för alla\n\n{n + 4}\n")
    lines = _lines(_pages(pages))
    found = find_furniture(lines)
    heads = [k for k, why in found.drop.items() if why.startswith("running head")]
    assert len(heads) == 7 and all(lines[k].text == "Kultur för alla" for k in heads)


def test_a_line_before_an_email_address_does_not_interrupt_a_sentence() -> None:
    # "Partiet\nTitel\ninfo@partiet.example": the address starts in lower case but runs on no sentence
    pages = ["Titel på programmet\nPartiet\n"] + [f"{_HEADS[n]}\n{BODY}Om {_HEADS[n]}.\n\n{n}\n" for n in range(2, 6)]
    pages.append("Partiet\nTitel på programmet\ninfo@partiet.example\n08-123 45 67\n")
    lines = _lines(_pages(pages))
    found = find_furniture(lines)
    assert not any(why.startswith("running head") for why in found.drop.values())
    back = sorted(lines[k].text for k, why in found.drop.items() if why.startswith("back cover"))
    assert back == ["08-123 45 67", "Partiet", "Titel på programmet", "info@partiet.example"]


def test_a_contents_label_that_wraps_onto_its_entry_line_is_one_entry() -> None:
    long = "Ett kulturliv som når alla invånare, oavsett var i kommunen de bor och hur mycket"
    contents = f"Innehåll\nKultur ........ 2\n{long}\nde tjänar ........ 3\nBibliotek ........ 4\nSlutord ........ 5\n"
    body = "".join(f"{h}\n{BODY}Slut.\n\n" for h in ("Kultur", f"{long} de tjänar", "Bibliotek", "Slutord"))
    lines = _lines(contents + "\f" + body)
    found = find_furniture(lines)
    assert lines[2].text == long and found.drop[2] == "contents entry"
    assert f"{long} de tjänar" in found.toc_labels
    assert not any(k > 7 for k in found.drop)  # the body's own long heading stays


def test_a_back_cover_whose_title_was_taken_for_a_running_head_is_still_a_back_cover() -> None:
    title = "Ett levande Tornedalen – vårt program"
    pages = [f"Tornedalslistan\n{title}\n"]
    pages += [f"{_HEADS[n]}\n{BODY}Slut.\n\n{n}\n\n{title}\n" for n in range(2, 7)]
    pages.append(
        f"Tornedalslistan\n{title}\nTornedalslistan, Kyrkvägen 7, 984 31 Pajala\nAino Keskitalo, 0978-123 45\n"
    )
    lines = _lines(_pages(pages))
    found = find_furniture(lines)
    last = [k for k, line in enumerate(lines) if line.text.startswith(("Tornedalslistan,", "Aino"))]
    assert all(found.drop.get(k, "").startswith("back cover") for k in last)


def _cover_and_contents(cover: str, heads: tuple[str, ...] = ("Skolan", "Vården", "Bostäder")) -> str:
    contents = "".join(f"{h} ........ {n + 3}\n" for n, h in enumerate(heads))
    body = "".join(f"{h}\n{BODY}Om {h.lower()}.\n\n" for h in heads)
    return f"{cover}\nInnehåll\n{contents}\f{body}"


def test_a_title_wrapped_after_a_preposition_or_into_a_name_keeps_its_last_line() -> None:
    for cover, title in (
        (
            "Frågor och svar om skolan i\nSundholm\nMedborgarlistan i Sundholm\n",
            ["Frågor och svar om skolan i", "Sundholm"],
        ),
        (
            "Mer vård – vårt program för Region\nMellanland\nRegionlistan Mellanland\n",
            ["Mer vård – vårt program för Region", "Mellanland"],
        ),
    ):
        lines = _lines(_cover_and_contents(cover))
        found = find_furniture(lines)
        assert [lines[k].text for k in found.title] == title
        assert [lines[k].text for k, why in found.drop.items() if why.startswith("front")] == [cover.split("\n")[2]]


def _paged_programme(cover: str, foot: Callable[[int], str]) -> str:
    """A cover, a contents page and four pages it names, each with ``foot(its page number)`` at its foot."""
    heads = ("Skolan", "Vården", "Bostäder", "Trafiken")
    contents = "".join(f"{h} ........ {n + 3}\n" for n, h in enumerate(heads))
    pages = [f"{h}\n{BODY}Om {h.lower()}.\n\n{foot(n + 3)}\n" for n, h in enumerate(heads)]
    return f"{cover}Innehåll\n{contents}\f" + "\f".join(pages)


def test_the_title_is_the_lines_a_running_head_spells_out_not_the_organisation_above_it() -> None:
    title = "Vård som håller – hälsopolitiskt program Region Västmarken"
    cover = "Västmarkens vårdallians\nVård som håller –\nhälsopolitiskt program\nRegion Västmarken\n"
    lines = _lines(_paged_programme(cover, lambda n: f"{title}\n\n{n}"))
    found = find_furniture(lines)
    assert " ".join(lines[k].text for k in found.title) == "Vård som håller – hälsopolitiskt program Region Västmarken"
    assert lines[0].text == "Västmarkens vårdallians" and found.drop[0].startswith("front matter")


def test_references_to_another_editions_pages_may_repeat_a_page_and_still_go() -> None:
    # large print's "[broschyr s. 4]", "[broschyr s. 4–5]", "[broschyr s. 5]": two pages in a row
    # may refer to the same brochure page, so the numbers only mostly count up
    refs = ["4", "4–5", "5", "5–6", "6", "6–7"]
    pages = [f"{_HEADS[n]}\n{BODY}Om {_HEADS[n].lower()}.\n[broschyr s. {r}]\n{n + 3}\n" for n, r in enumerate(refs)]
    lines = _lines(_pages(pages))
    found = find_furniture(lines)
    assert sum(lines[k].text.startswith("[broschyr") for k in found.drop) == 6


def test_a_running_footer_after_a_raw_contents_page_is_no_contents_entry() -> None:
    # pdftotext -raw: each entry's page number on a line of its own (". 5"); the contents page's
    # numbers rise, so the contents page's own footer "Vårt program 2" (2 < 5) right after the last
    # entry ends the contents run, and counts with "3 Vårt program", "Vårt program 4" as a footer
    heads = ("Skolan", "Vården", "Bostäder")
    contents = "".join(f"{h} .\n.\n. {n + 3}\n" for n, h in enumerate(heads))
    feet = ("Vårt program 2", "3 Vårt program", "Vårt program 4", "5 Vårt program")
    pages = [f"{h}\n{BODY}Om {h.lower()}.\n{foot}\n" for h, foot in zip(heads, feet[1:], strict=True)]
    lines = _lines(f"Vårt program\nInnehåll\n{contents}{feet[0]}\n" + "".join(pages))
    found = find_furniture(lines)
    assert [found.drop.get(k) for k, line in enumerate(lines) if line.text in feet] == [
        f"page head or footer with page number {n}: 'Vårt program'" for n in (2, 3, 4, 5)
    ]


def test_a_back_cover_may_set_on_one_line_a_title_the_cover_wrapped() -> None:
    cover = "Västerbypartiet\nEtt Västerby för alla –\nhandlingsprogram 2026–\n2030\n"
    title = "Ett Västerby för alla – handlingsprogram 2026–2030"
    lines = _lines(_paged_programme(cover, lambda n: f"{n} {title}") + f"\fVästerbypartiet\n{title}\n")
    found = find_furniture(lines)
    back = [lines[k].text for k, why in sorted(found.drop.items()) if why.startswith("back cover")]
    assert back == ["Västerbypartiet", title]


def test_a_two_page_text_without_page_starts_loses_its_page_numbers() -> None:
    # pypdf and pdfplumber join pages with nothing between: "1" after the first page's lines, "2"
    # closing the text
    text = f"Vårt program\nSkolan\n{BODY}Slut.\n1\nVården\n{BODY}Slut.\n2\n"
    lines = _lines(text)
    found = find_furniture(lines)
    assert sorted(lines[k].text for k in found.drop) == ["1", "2"]
    # a bare "1" on a line with only a few lines before it stays
    lines = _lines(f"Vårt program\nVi vill:\n1\nSkolan\n{BODY}Slut.\n2\n")
    assert find_furniture(lines).drop == {}


def test_the_title_that_a_running_head_repeats_is_no_running_head() -> None:
    # pypdf: the title opens the text, each page's head "Vårt program" comes out beside its number
    title = "Vårt program för Hamnstad"
    turn = "Vi vill att lärarna får mer tid för\n{}undervisningen i varje klassrum.\n"
    text = f"{title}\nSkolan\n{BODY}{turn.format(title + chr(10) + '1' + chr(10))}Vården\n{BODY}Slut.\n{title}\n2\n"
    lines = _lines(text)
    found = find_furniture(lines)
    assert 0 not in found.drop and len(found.drop) == 4
    # pdftotext: the first page's head over the title, which wraps
    first = f"{title}\nVårt program\nför Hamnstad\nSkolan\n{BODY}"
    text = f"{first}{turn.format('1' + chr(10) + title + chr(10))}Vården\n{BODY}Slut.\n2\n{title}\n"
    lines = _lines(text)
    assert find_furniture(lines).drop.get(0, "").startswith("running head")
