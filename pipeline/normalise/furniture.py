"""Page furniture in extracted text: page numbers, running heads, contents, covers, found and dropped.

A PDF's text layer holds more than the programme: each page's number and running head, often a
table of contents, and a cover, title page and back cover. Extractors put them between the lines
of the text (poppler at page ends with a form feed, pdfplumber and pypdf inside the joined pages).
They are not the programme's words, so they are dropped — each drop reported, and left out of the
lines the wording guard checks — by rules that need repeated, positional evidence, never a single
line's look.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from pipeline.normalise.lines import Line
from pipeline.normalise.report import Report
from pipeline.normalise.segment import squeeze, title_runs_on

# A line that starts or ends with a page number: "12", "12 Partiprogram", "Partiprogram 13", "Sida 4",
# "[broschyr s. 4–5]" (brackets and a range allowed).
_EDGE_NUMBER = re.compile(r"^[\[(]?(?P<lead>\d{1,4})(?:[–-]\d{1,4})?[\])]?(?:\s+(?P<after>\S.*))?$")
_TAIL_NUMBER = re.compile(r"^(?P<before>.*\S)\s+[\[(]?(?P<tail>\d{1,4})(?:[–-]\d{1,4})?[\])]?$")
# A number or a range of them ("4", "2026–2030"): running heads and footers are compared with their
# numbers as "#" (shared with the PDF reader).
NUMBER_RUN = re.compile(r"\d{1,4}(?:\s*[–-]\s*\d{1,4})?")


def _key(text: str) -> str:
    found = page_number(text)
    return found[1] if found else ""


def page_number(text: str) -> tuple[int, str] | None:
    """(the page number, the rest of the line as a key) when ``text`` starts or ends with a number.

    The rest's own numbers become "#", so "4 Program 2026–2030" and "Program 2026–2030 5" share a
    key; a bracketed reference "[broschyr s. 4–5]" is keyed "[broschyr s. #]" with number 4.
    """
    if m := _EDGE_NUMBER.match(text):
        number, rest = m.group("lead"), m.group("after") or ""
    elif m := _TAIL_NUMBER.match(text):
        number, rest = m.group("tail"), m.group("before")
    elif (m := re.fullmatch(r"(\D*?)(\d{1,4})(?:\s*[–-]\s*\d{1,4})?(\D*)", text)) and len(text.split()) > 1:
        number, rest = m.group(2), f"{m.group(1)}#{m.group(3)}"
    else:
        return None
    return int(number), NUMBER_RUN.sub("#", rest).strip()


_SENTENCE_END = re.compile(r"[.!?:…][”’\")»]*$")
_ADDRESS = re.compile(r"\S*(?:@|://|www\.)")  # an e-mail or web address
RUNNING_HEAD_MAX_WORDS = 14  # a running head may be a whole title
MIN_REPEATS = 3  # furniture is on most pages: a pattern seen fewer times is not furniture
BACK_COVER_MAX_LINES = 8
COVER_LINES = 12  # the first lines of a document, where a cover or title page stands
COVER_MAX_WORDS = 60  # cover, title page and colophon together: a title, a name, a few lines
MIN_BODY_LINES = 10  # a cover is only looked for in front of at least this much text
MIN_PAGE_LINES = 6  # furniture repeats once a page: occurrences closer than this are text
# A contents entry: its label, a leader (dots, or just space) and a page number at the line's end
# (shared with the PDF reader). Entries count only where most of them name later lines.
CONTENTS_ENTRY = re.compile(r"^(?P<label>.*?\S)(?:\s*(?:[.·…_]\s*){2,}\s*|\s+)(?P<page>\d{1,4})$")
CONTENTS_MATCH_SHARE = 0.5
WRAPPED_LABEL_MAX_WORDS = 24  # a contents label's first line, wrapped onto the entry line: one full line
_LEADER_DEBRIS = re.compile(r"^(?:\.\s*)+(?:\d{1,4})?$")
_OPEN_LEADER = re.compile(r"^(?P<label>\S.*?\S)\s*(?:\s\.|(?:\.\s*){2,})$")  # "Skolan ." / "Skolan . . . ."
CONTENTS_TITLES = ("innehåll", "innehållsförteckning", "innehall")


@dataclass(frozen=True)
class Furniture:
    """What was found: the lines to drop, and the headings a contents page names (in order)."""

    drop: dict[int, str]  # line index → why
    toc_labels: tuple[str, ...]
    title: tuple[int, ...] = ()  # line indices of the title found on a cover or title page
    title_lines: frozenset[int] = frozenset()  # their line numbers


class _TextIndex:
    """Positions of the text (non-blank) lines, computed once per list, so each question is O(log n)."""

    def __init__(self, lines: list[Line]) -> None:
        self.lines = lines
        self.text = [i for i, line in enumerate(lines) if not line.blank]
        self.before = [0]  # text lines before each index
        self.page_of: list[int] = []  # the page each line is on (counted from page starts)
        page = 0
        for line in lines:
            self.before.append(self.before[-1] + (not line.blank))
            page += line.page_start
            self.page_of.append(page)

    def neighbours(self, k: int) -> tuple[Line | None, Line | None]:
        """The text lines just before and just after line ``k``."""
        n = bisect.bisect_left(self.text, k)
        before = self.lines[self.text[n - 1]] if n > 0 else None
        m = bisect.bisect_right(self.text, k)
        after = self.lines[self.text[m]] if m < len(self.text) else None
        return before, after


_INDEXES: dict[int, _TextIndex] = {}


def _index(lines: list[Line]) -> _TextIndex:
    cached = _INDEXES.get(id(lines))
    if cached is None or cached.lines is not lines:
        _INDEXES.clear()
        cached = _INDEXES[id(lines)] = _TextIndex(lines)
    return cached


def _near(lines: list[Line], members: list[int], others: Iterable[int], reach: int) -> int:
    """How many ``members`` stand within ``reach`` text lines of one of ``others`` (blank lines do not count)."""
    before = _index(lines).before
    places = sorted(before[j] for j in others)
    count = 0
    for k in members:
        n = bisect.bisect_left(places, before[k] - reach)
        count += n < len(places) and places[n] <= before[k] + reach
    return count


def _spread(lines: list[Line], members: list[int], min_lines: int = MIN_PAGE_LINES) -> bool:
    """Are the occurrences (nearly all) at least a page apart (``min_lines`` text lines between)?

    Where page starts are known, two occurrences on different pages are a page apart whatever
    stands between (a contents page, once dropped, leaves no text lines between its running heads).
    """
    index = _index(lines)
    before, page_of = index.before, index.page_of
    gaps = [before[b] - before[a + 1] >= min_lines or page_of[a] != page_of[b] for a, b in itertools.pairwise(members)]
    return sum(gaps) >= 0.75 * len(gaps)


def _interrupts(lines: list[Line], k: int) -> bool:
    """Does line ``k`` stand inside a sentence (the text before runs on after it in lower case)?"""
    before, after = _index(lines).neighbours(k)
    return (
        before is not None
        and after is not None
        and not _SENTENCE_END.search(before.text)
        and after.text[:1].islower()
        and not _ADDRESS.match(after.text)  # "info@parti.example" starts lower case, and no sentence
    )


def _near_page_break(lines: list[Line], k: int, reach: int = 2) -> bool:
    """Is line ``k`` within ``reach`` text lines of a page start (a form feed or a page-start space)?"""
    text = _index(lines).text
    pos = bisect.bisect_left(text, k)
    window = text[max(0, pos - reach) : pos + reach + 2]
    return any(lines[i].page_start for i in window)


def _page_numbers(lines: list[Line]) -> dict[int, str]:
    """Short lines that start or end with a number, their other words repeated, the numbers counting up.

    "4", "Sida 5", "4 Partiprogram" on a left page and "Partiprogram 5" on a right one: the number
    at either end is the page number; the rest of the line (its skeleton) repeats.
    """
    groups: dict[str, list[tuple[int, int]]] = defaultdict(list)
    cover = [line.text for line in [line for line in lines if not line.blank][:COVER_LINES]]
    for k, line in enumerate(lines):
        if line.blank or len(line.text.split()) > RUNNING_HEAD_MAX_WORDS + 1:
            continue
        found = page_number(line.text)
        if found is not None:
            groups[found[1]].append((k, found[0]))
    out: dict[int, str] = {}
    # Bare numbers first: a line with words beside a bare page number on most pages is furniture too.
    for rest, members in sorted(groups.items(), key=lambda item: item[0] != ""):
        chain = _counting_chain(members, allow_repeats=bool(rest))
        # A programme of one or two pages has too few page numbers to count: a bare number that
        # closes the text, or every page, counting 1, 2, is one all the same.
        if not rest and len(chain) < MIN_REPEATS and _short_document_numbers(lines, chain):
            for k, n in chain:
                out[k] = f"page number {n}"
            continue
        # A number counting up by itself, or with words on most pages, is furniture; a page may
        # hold only a few lines (the end of a part), so they need only a couple of lines between.
        if len(chain) < MIN_REPEATS or not _spread(lines, [k for k, _ in chain], 2):
            continue
        # the numbers must count up ("Mål för 2035" on every chapter does not); references to another
        # edition's pages may stay on one page a while ("[broschyr s. 4]", "[broschyr s. 4–5]")
        ups = sum(b > a for (_, a), (_, b) in itertools.pairwise(chain))
        if ups < (0.3 if rest else 0.5) * (len(chain) - 1):
            continue
        keys = [k for k, _ in chain]
        beside = _near(lines, keys, out, 2) >= 0.75 * len(keys)
        # the words repeat the cover's title or a part of it ("8 Trygghet" under "Trygghet i vardagen")
        # (the key's "#" stands for any number: "Program #" is on a cover that reads "Program 2026–2030")
        shape = re.escape(rest).replace("\\#", NUMBER_RUN.pattern)
        on_cover = bool(rest) and any(re.search(rf"(?<!\w){shape}(?!\w)", line, re.I) for line in cover)
        if not rest or beside or on_cover or _on_most_pages(lines, keys):
            for k, n in chain:
                out[k] = f"page number {n}" if not rest else f"page head or footer with page number {n}: {rest!r}"
    return out


def _short_document_numbers(lines: list[Line], chain: list[tuple[int, int]]) -> bool:
    """One or two bare numbers counting from 1, each the last text line of its page (or of the text).

    An extractor that marks no page starts (pypdf, pdfplumber join the pages with nothing between)
    leaves only the last number certain: it closes the text. Then an earlier one counts when a
    page's worth of lines (``MIN_PAGE_LINES``) stands before it and between it and the next.
    """
    text = _index(lines).text
    if not chain or chain[0][1] != 1 or len(text) < MIN_BODY_LINES:
        return False
    unpaged = not any(line.page_start for line in lines)
    if unpaged and bisect.bisect_left(text, chain[-1][0]) != len(text) - 1:
        return False
    previous = -1
    for k, _ in chain:
        pos = bisect.bisect_left(text, k)
        if unpaged:
            if pos - previous <= MIN_PAGE_LINES:
                return False
        elif not (pos == len(text) - 1 or (pos + 1 < len(text) and lines[text[pos + 1]].page_start)):
            return False
        previous = pos
    return True


def _at_page_edge(lines: list[Line], k: int) -> bool:
    """Is line ``k`` the first text line of a page, or the last one before the next page starts?"""
    text = _index(lines).text
    pos = bisect.bisect_left(text, k)
    return lines[k].page_start or (pos + 1 < len(text) and lines[text[pos + 1]].page_start)


def _on_most_pages(
    lines: list[Line], members: list[int], placed: Callable[[list[Line], int], bool] = _near_page_break
) -> bool:
    """Furniture is on most pages, page after page; a heading ("Mål 2", "Nuläge") only on some.

    With page starts known (form feeds, page-start spaces) the members must sit next to a page
    start, on at least half of the pages, and on runs of consecutive pages (a heading that opens
    each chapter is on chapter-opening pages only, never on two pages in a row unless the chapters
    are a page long). Without page starts, one must stand inside a sentence that runs on across
    the page (any text of a few pages has one).
    """
    pages = sum(line.page_start for line in lines) + 1
    if pages < MIN_REPEATS:
        return any(_interrupts(lines, k) for k in members)
    near = [k for k in members if placed(lines, k)]
    if len(near) < 0.5 * pages or len(near) < 0.75 * len(members):
        return False
    page_of = _index(lines).page_of
    on = {page_of[k] for k in near}
    consecutive = sum((p + 1) in on or (p - 1) in on for p in on)
    return consecutive >= 0.5 * len(on)


def _counting_chain(members: list[tuple[int, int]], allow_repeats: bool = False) -> list[tuple[int, int]]:
    """The longest run of members, in text order, whose numbers go up by 1 to 3 each time (pages).

    Other lines of the same shape (a year on a line of its own, a numbered heading) are left out.
    With ``allow_repeats`` a number may also stay the same (references to another edition's pages).
    """
    low = 0 if allow_repeats else 1
    if len(members) > 2000:  # no document has that many pages; such a group is text
        return []
    best: list[int] = [1] * len(members)
    back: list[int] = [-1] * len(members)
    for j in range(len(members)):
        for i in range(max(0, j - 50), j):
            if low <= members[j][1] - members[i][1] <= 3 and best[i] + 1 > best[j]:
                best[j], back[j] = best[i] + 1, i
    end = max(range(len(members)), key=best.__getitem__, default=-1)
    chain: list[tuple[int, int]] = []
    while end >= 0:
        chain.append(members[end])
        end = back[end]
    return chain[::-1]


def _running_heads(lines: list[Line], known: dict[int, str]) -> dict[int, str]:
    """Short lines repeated on many pages next to a page number or a page start, or inside sentences."""
    groups: dict[str, list[int]] = defaultdict(list)
    first = next((k for k, line in enumerate(lines) if not line.blank), -1)
    for k, line in enumerate(lines):
        if not line.blank and len(line.text.split()) <= RUNNING_HEAD_MAX_WORDS and k not in known:
            groups[line.text].append(k)
    out: dict[int, str] = {}
    for text, members in groups.items():
        by_number = _near(lines, members, known, 3)
        strong = by_number >= 0.5 * len(members)  # beside the page numbers: short pages are fine
        if len(members) < MIN_REPEATS or not _spread(lines, members, 2 if strong else MIN_PAGE_LINES):
            continue
        # A heading repeated in every chapter ("Nuläge", "Mål") also stands near page breaks and
        # page numbers; but it never stands inside a sentence, and it is not on most pages.
        # A running head stands at a page's very edge once the page numbers are gone; a heading
        # repeated at each chapter's opening ("Nuläge" under the chapter title) does not.
        if any(_interrupts(lines, k) for k in members) or _on_most_pages(lines, members, _at_page_edge):
            for k in members:
                # A running head repeats the title, and the title itself opens the text: the first
                # text line, with no page number beside it, is the title, not a running head, unless
                # the title follows it (a running head over the first page, then the title wrapped).
                if k == first and not _near(lines, [k], known, 3) and not _spelled_after(lines, k):
                    continue
                out[k] = f"running head or footer repeated {len(members)} times: {text!r}"
    return out


def _spelled_after(lines: list[Line], k: int, reach: int = 4) -> bool:
    """Do the text lines just after line ``k`` (one to ``reach`` of them) spell its text again?"""
    want = squeeze(lines[k].text)
    spelled = ""
    for line in [line for line in lines[k + 1 :] if not line.blank][:reach]:
        spelled += squeeze(line.text)
        if spelled == want:
            return True
        if not want.startswith(spelled):
            return False
    return False


def _contents(lines: list[Line]) -> tuple[dict[int, str], list[str]]:
    """A run of contents entries (label … page number), with its title and any leader debris.

    Extractors break entries up: the leader dots one to a line (pdftotext -raw), the page number on
    a line of its own after a page break. A label whose leader has no number yet waits for it; so
    does a long label wrapped onto such a leader ("… oavsett var i" / "kommunen de bor ." / ". 5"),
    and, inside the run, a label that filled its line and has no leader at all ("… och
    infrastruktur." / "11"). Page numbers rise, on lines of their own too: a line after the run
    that goes back ("Program 3" after ". 5") is the page's footer, not an entry.
    """
    out: dict[int, str] = {}
    labels: list[str] = []
    label_parts: set[int] = set()  # lines that hold the first part of a wrapped label
    k = 0
    while k < len(lines):
        entries: list[tuple[int, str]] = []
        j = k
        pending: str | None = None  # a label whose leader and number follow on lines of their own
        wrapped: list[int] = []  # the first lines of a long label that wraps onto its entry line
        last_page = 0
        while j < len(lines):
            text = lines[j].text
            if lines[j].blank:
                j += 1
                continue
            if (_LEADER_DEBRIS.match(text) or (text.isdigit() and len(text) <= 4)) and (entries or pending):
                entries.append((j, pending if pending and text[-1:].isdigit() else ""))
                if number := re.search(r"\d+$", text):
                    # a page number on a line of its own rises like any entry's ("Inledning ." / ". 5"),
                    # so a running footer after the last entry ("Program 3") is no entry
                    last_page = max(last_page, int(number.group()))
                    pending = None
            elif (
                (m := CONTENTS_ENTRY.match(text))
                and any(c.isalpha() for c in m.group("label"))
                and int(m.group("page")) >= last_page  # a contents page's numbers rise
            ):
                label = " ".join([*(lines[i].text for i in wrapped), m.group("label").rstrip(" .…")])
                entries.extend((i, "") for i in wrapped)
                label_parts.update(wrapped)
                entries.append((j, label))
                last_page = int(m.group("page"))
                pending, wrapped = None, []
            elif m := _OPEN_LEADER.match(text):
                pending = " ".join([*(lines[i].text for i in wrapped), m.group("label")])
                entries.extend((i, "") for i in wrapped)
                label_parts.update(wrapped)
                entries.append((j, ""))
                wrapped = []
            elif entries and not wrapped and _wraps_onto_entry(lines, j):
                wrapped = [j]
            elif entries and not wrapped and _number_follows(lines, j, last_page):
                pending = text.rstrip(" .…")
                entries.append((j, ""))
            else:
                break
            j += 1
        j = wrapped[0] if wrapped else j  # a wrapped label that found no entry line is text
        named = [label for _, label in entries if label]
        if len(named) >= MIN_REPEATS and _names_later_lines(named, lines[j:]):
            first = entries[0][0]
            title = next((i for i in range(first - 1, -1, -1) if not lines[i].blank), None)
            if title is not None and lines[title].text.strip(" :").lower() in CONTENTS_TITLES:
                out[title] = "contents page title"
            for i, label in entries:
                out[i] = "contents entry" if label or i in label_parts else "contents leader"
            labels.extend(named)
        # past the run either way: a run of entry-like lines that names no headings is text, and
        # scanning it again from each of its lines would take quadratic time
        k = max(j, k + 1)
    return out, labels


def _wraps_onto_entry(lines: list[Line], j: int) -> bool:
    """Is line ``j`` the first part of a long contents label, its entry line (leader dots and page
    number) next? "Ett kulturliv som når alla invånare, oavsett …" / "de tjänar ........ 6"; or
    its leader with the number still to come on a line of its own: "de tjänar ......." or, as
    pdftotext -raw gives it, "de tjänar ." (then ". 6")."""
    after = next((line.text for line in lines[j + 1 : j + 3] if not line.blank), "")
    if len(lines[j].text.split()) > WRAPPED_LABEL_MAX_WORDS:
        return False
    if _OPEN_LEADER.match(after):
        return True
    m = CONTENTS_ENTRY.match(after)
    return m is not None and bool(re.search(r"[.·…_]\s*[.·…_]", after[m.end("label") :]))  # dots, not only a space


def _number_follows(lines: list[Line], j: int, last_page: int) -> bool:
    """Inside a contents page, is line ``j`` a label whose page number the extractor set on a line
    of its own after a gap, with no leader between ("Strategiområde 3 – Tillgänglighet och
    infrastruktur." / "" / "11": the label filled the line)? The number must go on rising."""
    text = lines[j].text
    after = next((line.text for line in lines[j + 1 : j + 9] if not line.blank), "")  # blank lines between
    return (
        len(text.split()) <= WRAPPED_LABEL_MAX_WORDS
        and (text[:1].isupper() or text[:1].isdigit())
        and after.isdigit()
        and len(after) <= 4
        and int(after) >= last_page
    )


def _names_later_lines(labels: list[str], later: list[Line]) -> bool:
    """Do most labels begin a later line (run on with the next two, as a long heading wraps)?"""
    texts = [line.text for line in later if not line.blank]
    keys = [squeeze(" ".join(texts[i : i + 3])).casefold() for i in range(len(texts))]
    named = sum(any(key.startswith(squeeze(label).casefold()) for key in keys) for label in labels)
    return named >= CONTENTS_MATCH_SHARE * len(labels)


def _without(lines: list[Line], drop: dict[int, str]) -> list[Line]:
    """The lines with those found so far blanked."""
    return [line if k not in drop else Line(line.no, "") for k, line in enumerate(lines)]


def find_furniture(lines: list[Line]) -> Furniture:
    drop, labels = _contents(lines)
    numbers = _page_numbers(_without(lines, drop))
    drop.update(numbers)
    heads = _running_heads(_without(lines, drop), drop)
    drop.update(heads)
    title: tuple[int, ...] = ()
    head_texts = [lines[k].text for k in heads]
    head_texts += [key.strip("# ") for k in numbers if (key := _key(lines[k].text)).strip("# ")]
    end = min((k for k, why in drop.items() if why.startswith("contents")), default=None) if labels else None
    if end is None:
        end = _cover_end(lines, drop)
    if end:
        title = _front_matter(lines, end, head_texts, drop)
        _back_cover(lines, drop, title)
    return Furniture(drop, tuple(labels), title, frozenset(lines[k].no for k in title))


def _short_heading(text: str) -> bool:
    return bool(text) and text[-1] not in ".!?;," and len(text.split()) <= 12 and not text[:1].islower()


# Rule: without a contents page, a cover is found from the lines before the first full line of
# text: less the run of headings that opens the body (cut at a page start, since a title page is a
# page of its own), what is left is a cover when it shows it: a line group printed twice (cover and
# title page), a page start before the body, or a sentence (a colophon). Otherwise there is none.
def _cover_end(lines: list[Line], drop: dict[int, str]) -> int:
    from pipeline.normalise.measure import measure_column, width

    texts = [line.text for k, line in enumerate(lines) if k not in drop]
    column = measure_column(texts)
    first_long = next(
        (
            k
            for k, line in enumerate(lines)
            if k not in drop
            and len(words := line.text.split()) >= 6
            and (width(line.text) > 0.75 * column or len(words) >= 10)
        ),
        None,
    )
    if first_long is None or sum(not line.blank for line in lines[first_long:]) < MIN_BODY_LINES:
        return 0  # too little text to tell a cover from a short note
    lead = [k for k in range(first_long) if not lines[k].blank and k not in drop]
    body = len(lead)
    while body > 0 and _short_heading(lines[lead[body - 1]].text) and len(lead) - body < 4:
        body -= 1
        if lines[lead[body]].page_start:
            break
    front = lead[:body]
    if not front or sum(len(lines[k].text.split()) for k in front) > COVER_MAX_WORDS:
        return 0
    texts_front = [lines[k].text for k in front]
    repeated = len(set(texts_front)) < len(texts_front)
    paged = any(lines[k].page_start for k in lead[body : body + 1]) or any(lines[k].page_start for k in front[1:])
    sentence = any(t.endswith(".") for t in texts_front)
    start = lead[body] if body < len(lead) else first_long
    return start if (repeated or paged or sentence) else 0


# Rule: the text before a contents page is front matter (cover, title page, colophon). It is cut
# into line groups (a line runs on into the next when that starts in lower case or the line ends in
# a dash). The title is the group a running head repeats or names (a running head is the title or
# a short form of it), else the first group; the rest is dropped and reported for an editor to check.
def _front_matter(lines: list[Line], toc: int, head_texts: list[str], drop: dict[int, str]) -> tuple[int, ...]:
    # A running head's text on the title page is the title itself, not a running head there.
    heads = {k for k in range(toc) if drop.get(k, "").startswith("running head")}
    for k in heads:
        del drop[k]
    groups = _line_groups(lines, [k for k in range(toc) if not lines[k].blank and k not in drop])
    if not groups:
        return ()
    title = groups[0]
    for head in sorted(set(head_texts), key=head_texts.count, reverse=True):
        exact = _spelled_by_groups(lines, groups, head)
        named = [g for g in groups if head.lower() in " ".join(lines[k].text for k in g).lower()]
        if exact or named:
            title = (exact or named)[0]
            break
    for group in groups:
        for k in group:
            if k not in title:
                drop[k] = "front matter (cover, title page or colophon) before the contents"
    return tuple(title)


def _spelled_by_groups(lines: list[Line], groups: list[list[int]], head: str) -> list[list[int]]:
    """Runs of consecutive groups that together spell ``head``: a running head repeats the whole
    title, which a cover may have set over lines our grouping keeps apart ("… program för" /
    "Region Västmarken")."""
    want = squeeze(head).casefold()
    out: list[list[int]] = []
    for i in range(len(groups)):
        spelled = ""
        for j in range(i, min(i + 4, len(groups))):
            spelled += squeeze(" ".join(lines[k].text for k in groups[j])).casefold()
            if spelled == want:
                out.append([k for g in groups[i : j + 1] for k in g])
                break
            if not want.startswith(spelled):
                break
    return out


def _line_groups(lines: list[Line], text_lines: list[int]) -> list[list[int]]:
    """Lines that run on into each other (``title_runs_on``), within a page."""
    out: list[list[int]] = []
    for k in text_lines:
        runs_on = bool(out) and title_runs_on(lines[out[-1][-1]].text, lines[k].text)
        if runs_on and not lines[k].page_start:
            out[-1].append(k)
        else:
            out.append([k])
    return out


# Rule: the last page, after the last page start or page footer, is a back cover when it is short
# and repeats the front matter: every word of it is on the cover, or most of its lines are cover
# lines (the organisation and title above contact lines; a title the cover wrapped over several
# lines counts when the back cover sets it on one). It goes with the front matter.
def _back_cover(lines: list[Line], drop: dict[int, str], title: tuple[int, ...]) -> None:
    front = sorted([k for k, why in drop.items() if why.startswith("front")] + list(title))
    # a line repeats the front matter when it is one of its lines, or a few of them run together
    # (the back cover sets on one line a title the cover wrapped: "… handlingsprogram 2026–" / "2030")
    squeezed = [squeeze(lines[k].text) for k in front]
    front_lines = {"".join(squeezed[i : i + n]) for i in range(len(squeezed)) for n in range(1, 5)}
    front_words = {w for k in front for w in lines[k].text.split()}
    text = _index(lines).text
    last_text = text[-1] if text else -1
    last_start = max((k for k, line in enumerate(lines) if line.page_start and k <= last_text), default=-1)
    last_footer = max((k for k, why in drop.items() if why.startswith(("page", "running"))), default=-1)
    # The last page begins at the last page start; without page starts, after the last footer. A
    # running head found on the last page itself is the title repeated on the back cover.
    on_last_page = last_start >= 0 and not any(why.startswith("page") for k, why in drop.items() if k >= last_start)
    start = last_start if on_last_page else max(last_start, last_footer + 1)
    if start <= max(title, default=-1):
        return
    tail = [k for k in range(start, len(lines)) if not lines[k].blank and k not in drop]
    if not tail or len(tail) > BACK_COVER_MAX_LINES or sum(len(lines[k].text.split()) for k in tail) > 40:
        return
    heads = [k for k in range(start, len(lines)) if k in drop and drop[k].startswith("running")]
    repeats = sum(squeeze(lines[k].text) in front_lines for k in tail) + len(heads)
    if all(set(lines[k].text.split()) <= front_words for k in tail) or repeats >= max(2, len(tail) / 2):
        for k in tail:
            drop[k] = "back cover: repeats the front matter"


# Rule: page numbers, running heads and contents pages are not the programme's text. They are
# dropped and reported, with the blank lines that framed them (an extractor's page layout, not a
# paragraph break); the line after them starts a page. Whether the text runs on across the page is
# then decided like any other line break.
def drop_furniture(lines: list[Line], report: Report) -> tuple[list[Line], Furniture]:
    found = find_furniture(lines)
    if all(line.blank or k in found.drop for k, line in enumerate(lines)):
        found = Furniture({}, ())  # furniture never is the whole text: a text is never emptied
    gone: set[int] = set()
    run: list[int] = []  # a run of blank and dropped lines: gone whole when it holds a drop
    for k, line in enumerate([*lines, Line(0, "x")]):
        if k < len(lines) and (line.blank or k in found.drop):
            run.append(k)
            continue
        if any(j in found.drop for j in run):
            gone.update(run)
        run = []
    out: list[Line] = []
    page_start = False
    for k, line in enumerate(lines):
        if k in found.drop:
            report.add("drop-furniture", line.no, line.text, "", found.drop[k], _confidence(found.drop[k]))
        if k in gone:
            page_start = page_start or line.page_start or k in found.drop
            continue
        out.append(replace(line, page_start=True) if page_start and not line.page_start else line)
        page_start = False
    return out, found


def _confidence(why: str) -> float:
    """Page numbers and contents entries are near certain; running heads likely; covers want a look."""
    if why.startswith(("page number", "contents")):
        return 0.95
    if why.startswith(("front matter", "back cover")):
        return 0.55
    return 0.8
