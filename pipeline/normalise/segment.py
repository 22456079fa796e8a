"""Paragraph detection: group repaired lines into units (paragraphs, headings, list items)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import pairwise

from pipeline.normalise.lines import Line
from pipeline.normalise.measure import measure_column, width

HYPHENS = ("-", "\u2010", "\u00ad")  # a line-end hyphen: the hyphen, WeasyPrint's, the soft one
_NO_HYPHENS = str.maketrans(dict.fromkeys(HYPHENS))
SENTENCE_END = re.compile(r"[.!?:…][”’\")»]*$")
# "•", "‣", "◦", "▪", "●", "*" always start a list item; "-" and "–" only where a
# new unit may start (a dash at a line start is otherwise a wrapped aside).
ALWAYS_BULLETS = "•‣◦▪●*"
BULLET = re.compile(r"^([•‣◦▪●*\-–])\s+(\S.*)$")
NUMBERED = re.compile(r"^(\d{1,3})[.)]\s+(\S.*)$")
# A numbered heading: "1. Vård", "2.3 Äldreomsorg", "4.1.2 Hemtjänst" (depth = how many numbers).
NUMBERED_HEADING = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){0,2})\.?\s+(\S.*)$")
# A sentence end inside a line: punctuation, a space, then a capital ("… i dag. Vi vill …").
_INNER_SENTENCE_END = re.compile(r"[.!?…][”’\")»]*\s+(?=[A-ZÅÄÖÉ])")
ONE_SENTENCE_MIN_PARAGRAPHS = 6  # certain paragraph ends needed to judge a text's paragraphs
ONE_SENTENCE_SHARE = 0.75  # of them with no sentence ending inside a line: a paragraph a sentence
HEADING_MAX_WORDS = 12
QUESTION_HEADINGS_MIN = 3  # short questions on lines of their own that show a text asks in its headings
HEADING_MAX_SHARE = 0.75  # of the column width
# A page the layout broke early to start a part holds less than this share of a full page's lines
# (a section pushed over a page, a heading kept with its paragraph's first lines, leaves less empty).
PART_BREAK_SHARE = 0.5
# A paragraph end is certain when the next word would have fitted with this much room to spare
# (widths are estimated from a generic sans serif's advance widths, a few per cent off any font).
CLEAR_FIT = 0.9


@dataclass
class Unit:
    """A candidate block: its kind, its source lines, and what a layout reader knew about it.

    Readers of laid-out formats (PDF, Word) decide kinds and heading levels from fonts and
    styles and set ``level``; the text reader leaves it 0 and the structure pass infers it.
    """

    kind: str  # "title" | "heading" | "text" | "run_in" | "item" | "slogan" (layout readers)
    lines: list[Line] = field(default_factory=list)
    marker: str = ""  # for items: the bullet or the number
    level: int = 0  # for headings and run-in leads: 1 part, 2 section, 3 subsection; 0 = infer
    lead_words: int = 0  # for run-in leads known from their style: how many words the lead has
    evidence: str = ""  # why a structural decision was made, for the edit report
    opens_part_page: bool = False  # a heading that opens a page the layout broke early (a part's start)
    closing: bool = False  # runs past the text's last sentence: signature and contact lines

    @property
    def first(self) -> Line:
        return self.lines[0]


def ends_sentence(text: str) -> bool:
    return bool(SENTENCE_END.search(text))


def squeeze(text: str) -> str:
    """Text without spaces or hyphens, to match a heading against a contents entry however it wrapped."""
    return "".join(text.split()).translate(_NO_HYPHENS)


# Words a heading does not end on: a line ending in one runs on into the next.
# ("för", "om", "det" are left out: "Vad vi står för", "Så gör vi det" are whole headings.)
RUN_ON_WORDS = frozenset("och eller samt att i av med som till vår vårt våra".split())


def _runs_on_word(text: str) -> bool:
    words = text.split()
    return bool(words) and words[-1].lower() in RUN_ON_WORDS


# Words a cover's title line does not end on ("Frågor och svar om skolan i" / "Sundholm",
# "hälsopolitiskt program för" / "Region Västmarken"): the segmenter's run-on words and the
# prepositions it leaves out because a heading may end on them ("Vad vi står för").
TITLE_RUN_ON_WORDS = RUN_ON_WORDS | {"för", "om", "på", "från", "mot", "inom"}


def named_heading(lines: list[Line], i: int, contents: set[str]) -> int:
    """How many lines from ``i`` make up a heading whose squeezed label is in ``contents`` (0: none)."""
    if not contents:
        return 0
    text = ""
    for n, line in enumerate(lines[i : i + 4]):
        if line.blank:
            return 0
        text += squeeze(line.text)
        if text in contents:
            return n + 1
        if not any(label.startswith(text) for label in contents):
            return 0
    return 0


def heading_labels(lines: list[Line], contents: set[str]) -> set[str]:
    """The squeezed contents labels that some line (or few) of the text spells out whole: headings."""
    found = set()
    for i in range(len(lines)):
        if n := named_heading(lines, i, contents):
            found.add("".join(squeeze(line.text) for line in lines[i : i + n]))
    return found


def title_runs_on(line: str, nxt: str) -> bool:
    """Does a cover line run on into the next: the next starts in lower case or with the dash of a
    title's second half ("Trygg omsorg i Strömsvik" / "– program för"), the line ends in a dash or a
    word a title does not end on, or a name wraps ("… program för Region" / "Mellanland": a
    capitalised last word, then a line of one or two capitalised words, not in capitals)."""
    words, after = line.split(), nxt.split()
    if not words or not after:
        return False
    name_wraps = (
        len(words) >= 2
        and words[-1][:1].isupper()
        and words[-1].isalpha()
        and len(after) <= 2
        and all(w[:1].isupper() and w.isalpha() and not is_capitals(w) for w in after)  # "VÅRA MÅL" is a heading
    )
    dash_half = after[0] in ("–", "—") and len(after) >= 2 and not ends_sentence(line)
    return (
        nxt[:1].islower()
        or dash_half
        or line.endswith(("–", "-", "—"))
        or words[-1].lower() in TITLE_RUN_ON_WORDS
        or name_wraps
    )


def _short_title(text: str) -> bool:
    """A title or heading above: short, a capital first, no final punctuation."""
    return len(text.split()) <= HEADING_MAX_WORDS and text[:1].isupper() and text[-1:].isalnum()


def is_capitals(text: str) -> bool:
    """Every letter is a capital (an ALL-CAPS heading), with at least two letters."""
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def list_marker(text: str) -> tuple[str, str] | None:
    """(marker, item text) when ``text`` starts a list item."""
    if m := NUMBERED.match(text):
        return m.group(1), m.group(2)
    if m := BULLET.match(text):
        return m.group(1), m.group(2)
    return None


class Segmenter:
    """Decides, line by line, where a unit ends.

    ``fit_rule`` is on for files without blank lines between paragraphs (or
    with a blank line after every line): there a paragraph ends where the
    next line's first word would have fitted on the current line, after a
    sentence-final punctuation mark.
    """

    def __init__(
        self,
        lines: list[Line],
        fit_rule: bool,
        title_lines: frozenset[int] = frozenset(),
        contents: tuple[str, ...] = (),
    ) -> None:
        self.lines = lines
        self.column = measure_column([line.text for line in lines])
        self.question_headings = self._asks_in_headings()
        self.fit_rule = fit_rule and not self._blank_lines_mark_paragraphs()
        self.title_lines = title_lines  # line numbers of a title found on a cover
        self.last_sentence_end = max((k for k, line in enumerate(lines) if ends_sentence(line.text)), default=-1)
        self.contents = {squeeze(label) for label in contents}  # headings a contents page names
        self.contents_leads = self.contents - heading_labels(lines, self.contents)  # labels no line spells whole
        self.one_sentence_paragraphs = self.fit_rule and self._paragraphs_are_one_sentence()
        self.early_page_starts = self._early_page_starts()

    def heading_like(self, line: Line) -> bool:
        """Short, no final punctuation (a colon after capitals), starts with a capital or digit, not a list item."""
        text = line.text
        if not text or (list_marker(text) and not self.numbered_heading(line)):
            return False
        question = text.endswith("?") and self.question_headings
        if (text[-1] in ".,;!?…-–" and not question) or (text[-1] == ":" and not is_capitals(text)):
            return False
        if not (text[0].isupper() or text[0].isdigit()):
            return False
        return len(text.split()) <= HEADING_MAX_WORDS and width(text) <= HEADING_MAX_SHARE * self.column

    def wrapped_heading(self, i: int, title: bool = False, numbered: bool = False) -> list[Line]:
        """Lines from ``i`` that make one heading wrapped over two to four short lines.

        A line runs on into the next when the next starts in lower case, or the line ends in a dash
        or a word that cannot end a heading ("och", "i"). All are short, none ends a sentence, the
        whole is heading-like (a question, in a text that asks in its headings), and what follows
        starts in capitals (or is blank). The text's ``title`` runs on as a cover's does
        (``title_runs_on``: also after "för", and a name wrapped); a ``numbered`` heading ("3.
        Bostäder och" / "samhällsbyggande") starts with its number.
        """
        group = [self.lines[i]]
        while len(group) < 4 and i + len(group) < len(self.lines):
            last, nxt = group[-1], self.lines[i + len(group)]
            if nxt.blank or ends_sentence(last.text) or last.text.endswith(","):
                break
            if title:
                if not title_runs_on(last.text, nxt.text):
                    break
            elif not (nxt.text[:1].islower() or last.text.endswith(("–", "-")) or _runs_on_word(last.text)):
                break
            group.append(nxt)
        if len(group) < 2 or any(width(line.text) > HEADING_MAX_SHARE * self.column for line in group):
            return []
        after = self.lines[i + len(group)] if i + len(group) < len(self.lines) else None
        if after is not None and not after.blank and not (after.text[:1].isupper() or after.text[:1].isdigit()):
            return []
        first = group[0].text
        if not (first[:1].isupper() or first[:1].isdigit()) or (list_marker(first) and not numbered):
            return []
        joined = " ".join(line.text for line in group)
        question = joined.endswith("?") and self.question_headings
        if len(joined.split()) > HEADING_MAX_WORDS or (joined[-1] in ".,;:!?…-–" and not question):
            return []
        return group

    def numbered_heading(self, line: Line) -> int:
        """The depth of a numbered heading's number ("2.3 Äldreomsorg": 2), else 0."""
        m = NUMBERED_HEADING.match(line.text)
        if not m or m.group(2)[-1] in ".,;!?-:" or not (m.group(2)[0].isupper() or m.group(2)[0].isdigit()):
            return 0
        if len(m.group(2).split()) > HEADING_MAX_WORDS:
            return 0
        return m.group(1).count(".") + 1

    def contents_heading(self, i: int) -> int:
        """How many lines from ``i`` make up a heading the contents page names (0: none)."""
        return named_heading(self.lines, i, self.contents)

    # Rule: a contents page names the run-in leads too, where a layout lists them ("Kulturen har
    # ett egenvärde … 5"), and a lead set in the paragraph's first line leaves only its words in the
    # text ("Kulturen har ett egenvärde som inte behöver …"). A label the contents page names that is
    # no line of its own anywhere, and that the first words of a paragraph spell out (up to a word
    # boundary, with words after it), is that paragraph's lead. Each label is read once, at its
    # first such paragraph: a label a heading also has stays the heading's.
    def contents_lead(self, i: int, labels: set[str]) -> tuple[int, str]:
        """How many words from line ``i`` on make a lead the contents page names, of ``labels``, and
        its label ((0, "") for none). A lead may end on a full stop the contents entry's leader took."""
        if not labels:
            return 0, ""
        words: list[tuple[str, bool]] = []  # each word, and whether a line-end hyphen broke it
        for line in self.lines[i : i + 2]:
            if line.blank:
                break
            parts = line.text.split()
            words += [(w, k == len(parts) - 1 and w[-1] in HYPHENS) for k, w in enumerate(parts)]
        spelled = ""
        for k, (word, broken) in enumerate(words[:-1], start=1):  # words after the lead: a paragraph goes on
            if broken:
                return 0, ""  # a word broken inside the lead: its words are not the text's
            spelled += squeeze(word)
            for label in (spelled, spelled.rstrip(".")):
                if label in labels:
                    return k, label
            if not any(label.startswith(spelled.rstrip(".")) for label in labels):
                return 0, ""
        return 0, ""

    def fits(self, prev: Line, line: Line, share: float = 1.0) -> bool:
        """Would ``line``'s first word have fitted after ``prev`` on the PDF page (within ``share`` of it)?"""
        first = line.text.split(" ")[0]
        return width(f"{prev.text} {first}") <= share * self.column

    def next_text(self, i: int) -> Line | None:
        """The next non-blank line after index ``i``, if no blank line comes between."""
        if i + 1 < len(self.lines) and not self.lines[i + 1].blank:
            return self.lines[i + 1]
        return None

    def units(self) -> list[Unit]:
        out: list[Unit] = []
        cur: Unit | None = None
        skip = 0
        leads_left = set(self.contents_leads)
        for i, line in enumerate(self.lines):
            if skip:
                skip -= 1
                continue
            if line.no in self.title_lines:
                if not out or out[-1].kind != "title":
                    out.append(Unit("title", []))
                out[-1].lines.append(line)
                cur = None
                continue
            if line.blank:
                if not self._runs_on(cur, i):
                    cur = None
                continue
            at_start = cur is None or cur.kind == "heading" or ends_sentence(cur.lines[-1].text)
            # Rule: a line (or a few) that a contents page names is a heading, wherever it stands.
            if n := self.contents_heading(i):
                cur = Unit("heading", self.lines[i : i + n], evidence="named by the contents page")
                out.append(cur)
                skip = n - 1
                continue
            # Rule: a numbered heading-like line ("2.3 Äldreomsorg") is a heading, unless it goes on
            # a numbered list ("3. Bättre arbetsmiljö" after item 2).
            depth = self.numbered_heading(line) if (at_start or (cur is not None and cur.kind == "item")) else 0
            if depth and not self._continues_list(cur, line) and (nxt := self._next_nonblank(i)) is not None:
                # a numbered line whose text runs on in lower case is a list item ("1. Ta fram en" / "plan …")
                if not self._starts_list(line, nxt) and not nxt.text[:1].islower() and self._leads_to_body(i):
                    cur = Unit("heading", [line], level=depth, evidence=f"numbered heading, depth {depth}")
                    out.append(cur)
                    continue
                # ... unless the line ends on a word a heading does not end on ("3. Bostäder och" /
                # "samhällsbyggande"): then it is a numbered heading wrapped, when body text follows
                if (_runs_on_word(line.text) or line.text.endswith(("–", "-"))) and (
                    wrapped := self.wrapped_heading(i, numbered=True)
                ):
                    if self._leads_to_body(i + len(wrapped) - 1):
                        why = f"numbered heading, depth {depth}, wrapped over {len(wrapped)} lines"
                        cur = Unit("heading", wrapped, level=depth, evidence=why)
                        out.append(cur)
                        skip = len(wrapped) - 1
                        continue
            lead, label = self.contents_lead(i, leads_left) if at_start else (0, "")
            if lead:
                leads_left.discard(label)
                cur = Unit("run_in", [line], lead_words=lead, evidence="lead named by the contents page")
                out.append(cur)
                continue
            nxt = self.next_text(i)
            marker = list_marker(line.text)
            if marker and not (line.text[0] in ALWAYS_BULLETS or at_start or (cur is not None and cur.kind == "item")):
                marker = None  # a dash or number that merely wrapped to the line start
            if marker:
                cur = Unit("item", [line], marker[0])
                out.append(cur)
                continue
            # Rule: a heading that wrapped ("Ett land som håller ihop –" / "principprogram") is
            # one heading of two lines; the text's first lines, its title, wrap as a cover's title
            # does ("Mer vård – vårt program för" / "Region Mellanland").
            if at_start and (wrapped := self.wrapped_heading(i, title=not out and not self.title_lines)):
                cur = Unit("heading", wrapped, evidence=f"heading wrapped over {len(wrapped)} lines")
                out.append(cur)
                skip = len(wrapped) - 1
                continue
            # Rule: a heading-like line run on by a full line in lower case is a run-in lead ("Vi
            # vill och vågar" / "ta oss an utmaningen; …"); a short lower-case line after it is a
            # wrapped sentence ("Tillsammans bygger vi ett Västerby" / "för alla!").
            if at_start and self.heading_like(line) and nxt is not None and nxt.text[0].islower():
                # ... and only where the run-on's first word would have fitted on the short line: else
                # the line is short because a long word did not fit ("… erbjuda både" / "högskole…").
                if width(nxt.text) > HEADING_MAX_SHARE * self.column and self.fits(line, nxt, CLEAR_FIT):
                    cur = Unit("run_in", [line])
                    out.append(cur)
                    continue
            elif at_start and self.heading_like(line) and self._leads_to_body(i):
                cur = Unit("heading", [line])
                out.append(cur)
                continue
            # Rule: after an introduction ending in a colon ("Vi vill:"), a line ending in a comma or
            # semicolon whose next word would have fitted on it ends a list item, even with no
            # marker left (an extractor drops bullets a browser draws): "… senast 2035," / "att …".
            unmarked_item = (
                self.fit_rule
                and cur is not None
                and cur.kind in ("text", "item")
                and not cur.marker
                and cur.lines[-1].text.endswith((",", ";"))
                and self.fits(cur.lines[-1], line)
                and self._after_list_intro(out, cur)
            )
            starts_new = (
                cur is None
                or cur.kind == "heading"
                # a closing block after the last sentence (signatures, contact lines) is a line each
                or (
                    i > self.last_sentence_end
                    and not line.text[:1].islower()
                    and not cur.lines[-1].text.endswith(("-", ",", "–"))
                    and (
                        width(cur.lines[-1].text) <= HEADING_MAX_SHARE * self.column
                        or self._closing_line_starts(cur.lines[-1], line)
                    )
                )
                or (
                    # at a page start the blank line that marked a paragraph went with the page
                    # furniture, so the fit rule judges there even where blank lines mark paragraphs
                    (self.fit_rule or line.page_start)
                    and ends_sentence(cur.lines[-1].text)
                    and self.fits(cur.lines[-1], line)
                )
                or (
                    # where blank lines mark paragraphs, one with none after it still ends where the
                    # next word would have fitted with room to spare
                    not self.fit_rule
                    and cur.kind in ("text", "run_in")
                    and ends_sentence(cur.lines[-1].text)
                    and line.text[:1].isupper()
                    and self.fits(cur.lines[-1], line, CLEAR_FIT)
                )
                or (
                    # in a text of one-sentence paragraphs, every sentence that ends a line ends one
                    self.one_sentence_paragraphs
                    and cur.kind == "text"
                    and ends_sentence(cur.lines[-1].text)
                    and not cur.lines[-1].text.endswith(":")
                    and line.text[:1].isupper()
                )
                or unmarked_item
            )
            if unmarked_item and cur is not None:
                cur.kind = "item"
                cur = Unit("item", [line], evidence="list item without a marker")
                out.append(cur)
            elif starts_new:
                cur = Unit("text", [line])
                out.append(cur)
            else:
                assert cur is not None
                cur.lines.append(line)
        last_sentence = self.lines[self.last_sentence_end].no if self.last_sentence_end >= 0 else 0
        for unit in out:
            unit.opens_part_page = unit.kind == "heading" and unit.first.no in self.early_page_starts
            unit.closing = self.last_sentence_end >= 0 and unit.lines[-1].no > last_sentence
        return _numbering_levels(out)

    # Rule: in the closing block a long line ends where the next starts with a capital letter,
    # unless it ends on a word a line does not end on ("… förstanamn på valsedeln till" /
    # "kommunfullmäktige" runs on in lower case anyway): signature and contact lines are set a line
    # each, however near the measure a name with its role or an address comes ("Per-Erik Hedlund,
    # gruppledare i kommunfullmäktige" / "Sanna Jönsson, …", "Kontakt: info@…" / "Telefon: …"). A
    # number wraps onto a line of its own ("telefon" / "0645-210 30"), so a digit starts none.
    @staticmethod
    def _closing_line_starts(prev: Line, line: Line) -> bool:
        words = prev.text.split()
        return line.text[:1].isupper() and bool(words) and words[-1].lower() not in TITLE_RUN_ON_WORDS

    # Rule: a layout that starts each part on a new page leaves the page before it short. A heading
    # that opens a page after a page of body text (a full line and a sentence end on it) holding
    # less than PART_BREAK_SHARE of a full page (the longest page's lines) opens a part. Page starts
    # are known from form feeds, page-start spaces and the page furniture dropped between pages. A
    # section pushed over a page, since a heading is not left at a page's foot, leaves fewer lines
    # empty; the first page of the text (a title page) is no body page.
    def _early_page_starts(self) -> frozenset[int]:
        pages: list[list[Line]] = [[]]
        for line in self.lines:
            if line.page_start and pages[-1]:
                pages.append([])
            if not line.blank:
                pages[-1].append(line)
        if len(pages) < 3:
            return frozenset()
        full = max(len(page) for page in pages)
        return frozenset(
            page[0].no
            for before, page in pairwise(pages)
            if page[0].page_start
            and len(before) < PART_BREAK_SHARE * full
            and any(ends_sentence(line.text) for line in before)
            and any(width(line.text) > HEADING_MAX_SHARE * self.column for line in before)
        )

    # Rule: a blank line (a page break, a column break, an extractor's gap) between a line that
    # stops inside a sentence and a line that goes on in lower case is no paragraph break: the
    # sentence runs on ("akutmot-" / "tagningarna", "vi vill" / "att alla").
    def _runs_on(self, cur: Unit | None, i: int) -> bool:
        if cur is None or cur.kind not in ("text", "item", "run_in"):
            return False
        nxt = next((line for line in self.lines[i:] if not line.blank), None)
        last = cur.lines[-1].text
        return nxt is not None and nxt.text[:1].islower() and not ends_sentence(last) and list_marker(nxt.text) is None

    # Rule: where a file has blank lines, the fit rule is used only when the file shows that its
    # blank lines do not mark paragraphs: a clear paragraph end (a sentence end where the
    # next word would have fitted with room to spare) with no blank line after it, and more of
    # those than blank-marked ones. Elsewhere (seed 000) blank lines mark paragraphs and a width
    # estimate a per cent off would add false breaks.
    def _blank_lines_mark_paragraphs(self) -> bool:
        if not any(line.blank for line in self.lines):
            return False
        marked = unmarked = 0
        for i, line in enumerate(self.lines):
            if line.blank or not ends_sentence(line.text):
                continue
            j = i + 1
            while j < len(self.lines) and self.lines[j].blank:
                j += 1
            if j == len(self.lines) or not self.lines[j].text[:1].isupper() or self.heading_like(self.lines[j]):
                continue  # blank lines around headings say nothing of paragraphs
            if not self.fits(line, self.lines[j], CLEAR_FIT):
                continue
            if j > i + 1:
                marked += 1
            else:
                unmarked += 1
        return not (unmarked >= 1 and unmarked > marked)

    # Rule: some programmes are written as short statements, a paragraph a sentence ("Torget ska
    # vara en mötesplats." / "Belysningen ska ses över varje höst."). A paragraph whose last line is
    # full leaves no trace of its end but the sentence's; so when the stretches between certain
    # paragraph ends (the next word would have fitted with room to spare) nearly all end their
    # sentences at line ends only, a sentence that ends a line ends its paragraph too. A stretch of
    # several sentences each ending a line is such text whose paragraph ends in between were not
    # certain (a narrow column leaves fewer certain); prose ends most sentences inside its lines. In
    # ordinary prose (paragraphs of several sentences) the rule stays off.
    def _paragraphs_are_one_sentence(self) -> bool:
        spans: list[int] = []  # sentences ending inside a line, in each stretch between two certain paragraph ends
        inside = 0
        for i, line in enumerate(self.lines):
            if line.blank:
                continue
            inside += len(_INNER_SENTENCE_END.findall(line.text))
            nxt = self._next_nonblank(i)
            certain_end = nxt is not None and nxt.text[:1].isupper() and self.fits(line, nxt, CLEAR_FIT)
            if certain_end and ends_sentence(line.text):
                spans.append(inside)
                inside = 0
        at_line_ends = sum(n == 0 for n in spans)
        return len(spans) >= ONE_SENTENCE_MIN_PARAGRAPHS and at_line_ends >= ONE_SENTENCE_SHARE * len(spans)

    # Rule: some programmes head their sections with questions ("Varför behöver skolan fler
    # lärare?" / "Vad kostar det?"). A question is a heading only in a text that shows the habit:
    # at least QUESTION_HEADINGS_MIN short questions alone on a line, each after a sentence's end,
    # another such question or a title, followed by a capital line. A rhetorical question in a
    # paragraph stays text.
    def _asks_in_headings(self) -> bool:
        texts = [line.text for line in self.lines if not line.blank]
        found = 0
        for before, text, after in zip([".", *texts], texts, [*texts[1:], ""], strict=False):
            if (
                text.endswith("?")
                and len(text.split()) <= HEADING_MAX_WORDS
                and width(text) <= HEADING_MAX_SHARE * self.column
                and text[:1].isupper()
                and (ends_sentence(before) or before.endswith("?") or _short_title(before))
                and after[:1].isupper()
                and not _INNER_SENTENCE_END.search(text)
            ):
                found += 1
        return found >= QUESTION_HEADINGS_MIN

    # Rule: a heading opens text. Past the headings (and blank lines) that follow it must come a
    # line of body text: one that ends a sentence, runs to the measure, or is a list item. Closing
    # signature and contact lines ("Aino Keskitalo, ordförande") are followed by none.
    def _leads_to_body(self, i: int) -> bool:
        if i >= self.last_sentence_end:
            return False  # closing lines with no sentence after them (contact lines) head nothing
        seen = 0
        for line in self.lines[i + 1 :]:
            if line.blank:
                continue
            if ends_sentence(line.text) or width(line.text) > HEADING_MAX_SHARE * self.column:
                return True
            if list_marker(line.text) or line.text[:1].islower():
                return True
            if _INNER_SENTENCE_END.search(line.text):
                return True  # a sentence ends inside it: prose, cut short by a long next word
            seen += 1
            if seen > 4 or not self.heading_like(line):
                return False
        return False

    @staticmethod
    def _after_list_intro(out: list[Unit], cur: Unit) -> bool:
        """Is ``cur`` in a run of unmarked items that follows a unit ending in a colon?"""
        k = len(out) - 1
        while k >= 0 and out[k] is not cur:
            k -= 1
        k -= 1
        while k >= 0 and out[k].kind == "item" and not out[k].marker:
            k -= 1
        return k >= 0 and out[k].kind == "text" and out[k].lines[-1].text.endswith(":")

    def _next_nonblank(self, i: int) -> Line | None:
        return next((line for line in self.lines[i + 1 :] if not line.blank), None)

    @staticmethod
    def _continues_list(cur: Unit | None, line: Line) -> bool:
        """Is ``line`` ("3. …") the next item of the numbered list ``cur`` is in ("2. …")?"""
        m = NUMBERED.match(line.text)
        return bool(
            m
            and cur is not None
            and cur.kind == "item"
            and cur.marker.isdigit()
            and int(m.group(1)) == int(cur.marker) + 1
        )

    @staticmethod
    def _starts_list(line: Line, nxt: Line) -> bool:
        """Is ``line`` ("1. …") followed by item 2 of the same list ("2. …")?"""
        a, b = NUMBERED.match(line.text), NUMBERED.match(nxt.text)
        return bool(a and b and int(b.group(1)) == int(a.group(1)) + 1)

    def _followed_by_text(self, i: int) -> bool:
        """A heading needs text after it (possibly after a blank line)."""
        return any(not line.blank for line in self.lines[i + 1 :])


# Rule: numbered headings take their level from the depth of their number ("1." part, "1.1"
# section, "1.1.1" subsection) when the document numbers more than one depth; numbered at one depth
# only, they are headings whose level is inferred like any other's.
def _numbering_levels(units: list[Unit]) -> list[Unit]:
    numbered = [u for u in units if u.kind == "heading" and u.evidence.startswith("numbered")]
    if numbered and max(u.level for u in numbered) == 1:
        for u in numbered:
            u.level = 0
    return units
