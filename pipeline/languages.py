"""What a publication's language asks of the pipeline: script, direction, typography defaults and UI words.

One small table, read by the normaliser (which typography rules and which lexicon apply) and by every
renderer (``dir``, page numbers, justification, hyphenation, the words the layouts add around the
text). A language that is not in the table is written left to right in the Latin script, with no
Swedish rules and the Swedish UI words (the pipeline's own language).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

# Languages written right to left (the primary subtag of a BCP 47 tag), with their script.
RTL_SCRIPTS = {"ar": "Arab", "fa": "Arab", "ur": "Arab", "ps": "Arab", "ckb": "Arab", "he": "Hebr", "yi": "Hebr"}


@dataclass(frozen=True)
class LanguageDefaults:
    """One language's defaults; ``ui`` holds the words the layouts print (missing keys: Swedish's)."""

    script: str = "Latn"  # ISO 15924
    direction: str = "ltr"
    swedish_rules: bool = False  # Swedish quotes, units and abbreviations; the Swedish lexicon for line-end hyphens
    justify: bool = True  # justified text with stretched spaces (no kashida in WeasyPrint: not for Arabic script)
    hyphenate: bool = True  # automatic hyphenation, where pyphen has the language's patterns
    italics: bool = True  # emphasis in italics (Arabic script has none: bold instead, never a slanted Naskh)
    numbers: str = "decimal"  # the CSS counter style of page numbers (WeasyPrint's predefined styles)
    ui: dict[str, str] = field(default_factory=dict)


SWEDISH_UI = {
    "cover": "Omslag",
    "title_page": "Titelsida",
    "title_and_colophon": "Titelsida och kolofon",
    "back_cover": "Baksida",
    "contents": "Innehåll",
    "introduction": "Inledning",
    "landmarks": "Orientering",
    "bodymatter": "Programmet",
    "and": "och",
    "set_in": "Satt med {fonts}.",
    "brochure": "Broschyrutgåva",
    "print": "Tryckoriginal",
    "large-print": "Storstilsutgåva",
    "brochure_page": "broschyr s.",
    "party_programme": "partiprogram",
    "politics": "politik",
    "epub_description": "{title}: partiprogram i EPUB-utgåva.",
    "accessibility_summary": (
        "Publikationen är en textbok utan bilder, utöver ett omslag med textalternativ. "
        "Rubriker, innehållsförteckning och läsordning är uppmärkta så att den kan läsas och navigeras "
        "med skärmläsare, punktskrift och förstoring, och texten kan formas om fritt i läsprogrammet."
    ),
    "pages_summary": (
        "Sidnumren är den tryckta broschyrutgåvans: varje sida är utmärkt där den börjar i texten "
        "och nås från sidlistan."
    ),
}

# What the Arabic script asks of every language written in it: right to left, ragged (no kashida
# justification in WeasyPrint), no hyphenation, and bold rather than slanted emphasis.
ARABIC_SCRIPT = LanguageDefaults(script="Arab", direction="rtl", justify=False, hyphenate=False, italics=False)

# What the Hebrew script asks of Yiddish and Hebrew: right to left, justified with spaces as Latin is,
# not hyphenated (pyphen has no patterns), and bold rather than slanted emphasis (Hebrew has no
# italics, and the bundled Hebrew families none).
HEBREW_SCRIPT = LanguageDefaults(script="Hebr", direction="rtl", hyphenate=False, italics=False)

# Sweden's national minority languages in the Latin script: Northern, Lule, South, Inari and Skolt
# Sami, Finnish, Meänkieli, Romani. pyphen (WeasyPrint's hyphenation) has no patterns for any of them
# (``pyphen.language_fallback`` is None), so WeasyPrint and the line breaker, which hyphenate by each
# passage's ``lang``, never break their words; a justified A5 column of long unbroken words is loose
# (the Northern Sami fixture: three lines in four), so they are set ragged. A Swedish passage in them
# (``{lang=sv}``) is still hyphenated as Swedish.
UNHYPHENATED_LATIN = LanguageDefaults(justify=False)
MINORITY_LANGUAGES = ("se", "smj", "sma", "smn", "sms", "fi", "fit", "rom")

# The Ge'ez script (Tigrinya, Amharic, Tigre): left to right with spaces between words, but pyphen has
# no patterns and an unbroken justified A5 column is loose (as the Sami texts'), so ragged; no italics
# (the script has none, nor the bundled Ethiopic families): bold for emphasis.
ETHIOPIC_SCRIPT = LanguageDefaults(script="Ethi", justify=False, hyphenate=False, italics=False)

LANGUAGES: dict[str, LanguageDefaults] = {
    "sv": LanguageDefaults(swedish_rules=True, ui=SWEDISH_UI),
    "yi": HEBREW_SCRIPT,
    "he": HEBREW_SCRIPT,
    **dict.fromkeys(("ti", "am", "tig"), ETHIOPIC_SCRIPT),
    **dict.fromkeys(MINORITY_LANGUAGES, UNHYPHENATED_LATIN),
    "ar": replace(
        ARABIC_SCRIPT,
        numbers="arabic-indic",
        ui={
            "cover": "الغلاف",
            "title_page": "صفحة العنوان",
            "title_and_colophon": "صفحة العنوان وبيانات النشر",
            "back_cover": "الغلاف الخلفي",
            "contents": "المحتويات",
            "introduction": "مقدمة",
            "landmarks": "معالم الكتاب",
            "bodymatter": "البرنامج",
            "and": "و",
            "set_in": "الخطوط: {fonts}.",
            "brochure": "نسخة الكتيّب",
            "print": "نسخة المطبعة",
            "large-print": "نسخة بالخط الكبير",
            "brochure_page": "الكتيّب ص",
            "party_programme": "برنامج حزبي",
            "politics": "سياسة",
            "epub_description": "{title}: برنامج حزبي بصيغة EPUB.",
            "accessibility_summary": (
                "منشور نصي بلا صور سوى غلاف له نص بديل. العناوين وجدول المحتويات وترتيب القراءة موسومة، "
                "فيمكن قراءته والتنقل فيه بقارئ الشاشة وطريقة برايل والتكبير، ويمكن إعادة تدفق النص بحرية "
                "في برنامج القراءة."
            ),
        },
    ),
    "fa": replace(
        ARABIC_SCRIPT,
        numbers="persian",
        ui={
            "cover": "جلد",
            "title_page": "صفحهٔ عنوان",
            "title_and_colophon": "صفحهٔ عنوان و شناسنامه",
            "back_cover": "پشت جلد",
            "contents": "فهرست مطالب",
            "introduction": "مقدمه",
            "landmarks": "راهنمای کتاب",
            "bodymatter": "برنامه",
            "and": "و",
            "set_in": "قلم‌ها: {fonts}.",
            "brochure": "نسخهٔ بروشور",
            "print": "نسخهٔ چاپخانه",
            "large-print": "نسخهٔ درشت‌خط",
            "brochure_page": "بروشور ص",
            "party_programme": "برنامهٔ حزبی",
            "politics": "سیاست",
            "epub_description": "{title}: برنامهٔ حزبی در قالب EPUB.",
            "accessibility_summary": (
                "این نشریه متنی است بدون تصویر، جز جلدی با متن جایگزین. عنوان‌ها، فهرست مطالب و ترتیب خواندن "
                "نشانه‌گذاری شده‌اند تا بتوان آن را با صفحه‌خوان، بریل و بزرگ‌نمایی خواند و در آن جابه‌جا شد، "
                "و متن در برنامهٔ کتاب‌خوان آزادانه جاری می‌شود."
            ),
        },
    ),
}


# The digits of WeasyPrint's predefined numeric counter styles the table names.
DIGITS = {"decimal": "0123456789", "arabic-indic": "٠١٢٣٤٥٦٧٨٩", "persian": "۰۱۲۳۴۵۶۷۸۹"}


def numeral(number: int, style: str) -> str:
    """``number`` in the digits of a counter style ("persian": 12 → "۱۲"), as the page numbers show it."""
    return str(number).translate(str.maketrans("0123456789", DIGITS[style]))


# A BCP 47 tag as publication.toml and a text's language spans write it: the language, then subtags
# (a region, a script): "sv", "fi-SE", "sr-Latn".
LANGUAGE_TAG = r"\A[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*\Z"

# The language of a text that does not say (publication.toml's default, and what an import assumes).
DEFAULT_LANGUAGE = "sv"


def primary(tag: str) -> str:
    """The language subtag of a BCP 47 tag: "sv-FI" → "sv"."""
    return tag.split("-")[0].lower()


def language_defaults(tag: str) -> LanguageDefaults:
    """The table's entry for ``tag``; a right-to-left language not in it still gets its script and direction.

    A text whose language is not stated (``tag`` empty: a document read before its language is known)
    is in the default language.
    """
    code = primary(tag) or DEFAULT_LANGUAGE
    if code in LANGUAGES:
        return LANGUAGES[code]
    if code in RTL_SCRIPTS:
        arabic_script = RTL_SCRIPTS[code] == "Arab"
        return LanguageDefaults(
            RTL_SCRIPTS[code], "rtl", justify=not arabic_script, hyphenate=not arabic_script, italics=not arabic_script
        )
    return LanguageDefaults()


def direction(tag: str) -> str:
    return language_defaults(tag).direction


def ui_words(tag: str) -> dict[str, str]:
    """The words the layouts print, in the language of the text (Swedish where the table has none)."""
    return {**SWEDISH_UI, **language_defaults(tag).ui}
