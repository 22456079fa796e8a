"""publication.toml: one typed schema, checked on load, each error one sentence naming file, line and key."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from pipeline.config import load_config, schema_doc
from pipeline.errors import PipelineError


def error_for(tmp_path: Path, toml: str) -> str:
    path = tmp_path / "publication.toml"
    path.write_text(toml, encoding="utf-8")
    with pytest.raises(PipelineError) as info:
        load_config(path)
    message = str(info.value)
    assert message.startswith(str(path)), message  # every message names the file
    assert "\n" not in message
    return message.removeprefix(str(tmp_path) + "/")


# (toml, the start of the message: file and line, then phrases it must hold)
CASES = [
    ('title = "T"\nsubtitle = "S"\n\ndate = "2024-13-45"\n', "publication.toml:4: 'date'", "not a real date"),
    ('title = "T"\ndate = "2024-02-30"\n', "publication.toml:2: 'date'", "not a real date"),
    ('title = "T"\ndate = "1 maj 2024"\n', "publication.toml:2: 'date'", "YYYY-MM-DD"),
    ("title = 5\n", "publication.toml:1: 'title'", "must be a string"),
    ('title = "T"\ncolour = "#ffffff"\n', "publication.toml:2: unknown key 'colour'", "Did you mean 'theme_colour'?"),
    ('title = "T"\nsize = 20\n', "publication.toml:2: unknown key 'size'", "Did you mean 'large_print.size'?"),
    (
        'title = "T"\n\n[brochure]\nprnt = false\n',
        "publication.toml:4: unknown key 'brochure.prnt'",
        "Did you mean 'brochure.print'? Valid keys in [brochure]: paper, toc, booklet, print.",
    ),
    ('subtitle = "S"\n', "publication.toml: the required key 'title' is missing", 'Add title = "..."'),
    ('title = "T"\ntheme_colour = "blue"\n', "publication.toml:2: 'theme_colour'", 'a colour like "#1d4e89"'),
    ('title = "T"\n[brochure]\npaper = "Letter"\n', "publication.toml:3: 'brochure.paper'", "one of 'A5', 'A4'"),
    ('title = "T"\nbrochure = { paper = "B5" }\n', "publication.toml:2: 'brochure.paper'", "not 'B5'"),
    ('title = "T"\n[large_print]\nsize = 17\n', "publication.toml:3: 'large_print.size'", "one of 16, 18, 20, 24"),
    ('title = "T"\n[large_print]\nsize = true\n', "publication.toml:3: 'large_print.size'", "not true or false"),
    (
        'title = "T"\n[large_print]\nbackground_colour = "#ffffff"\ntext_colour = "#777777"\n',
        "publication.toml:4: 'large_print.text_colour'",
        "7:1",
    ),
    ('title = "T\u202eevil"\n', "publication.toml:1: 'title'", "bidi-override"),
    ('title = "   "\n', "publication.toml:1: 'title'", "not a title"),
    ('title = "T"\ncontact = ["a", 3]\n', "publication.toml:2: 'contact' (item 2)", "must be a string"),
    ('title = "T"\nlanguage = "svenska"\n', "publication.toml:2: 'language'", "language tag"),
    ('title = "T"\nbrochure = 5\n', "publication.toml:2: 'brochure'", "must be a table ([brochure])"),
    ('title = "T"\n[brochure]\nprint = "no"\n', "publication.toml:3: 'brochure.print'", "true or false"),
    ('title = "T\n', "publication.toml:1:", "not valid TOML"),
]


@pytest.mark.parametrize(("toml", "start", "phrase"), CASES)
def test_errors_name_file_line_and_key(tmp_path: Path, toml: str, start: str, phrase: str) -> None:
    message = error_for(tmp_path, toml)
    assert message.startswith(start), message
    assert phrase in message, message


def test_the_bidi_character_is_spelled_out_not_printed(tmp_path: Path) -> None:
    message = error_for(tmp_path, 'title = "T\u202eevil"\n')
    assert "\u202e" not in message and "\\u202e" in message


def test_a_real_date_loads_quoted_or_as_a_toml_date(tmp_path: Path) -> None:
    path = tmp_path / "publication.toml"
    for toml in ('title = "T"\ndate = "2024-02-29"\n', 'title = "T"\ndate = 2024-02-29\n'):
        path.write_text(toml, encoding="utf-8")
        config = load_config(path)
        assert config.date == datetime.date(2024, 2, 29)
        assert config.meta("x").date == "2024-02-29"
    path.write_text('title = "T"\ndate = ""\n', encoding="utf-8")
    assert load_config(path).meta("x").date == ""


def test_defaults_and_names(tmp_path: Path) -> None:
    path = tmp_path / "publication.toml"
    path.write_text('title = "T"\n[brochure]\nprint = false\n', encoding="utf-8")
    config = load_config(path)
    assert config.brochure.print_pdf is False and config.brochure.paper == "A5"
    assert config.large_print.size == 18 and config.contact == []
    assert config.meta("slug").identifier.startswith("urn:uuid:")


def test_schema_doc_lists_every_key_once() -> None:
    lines = schema_doc().splitlines()
    keys = [line.split(" ", 1)[0] for line in lines]
    assert keys[:2] == ["title", "subtitle"] and "brochure.print" in keys and "large_print.size" in keys
    assert len(keys) == len(set(keys)) == 17
    assert all(": " in line and line.split(": ", 1)[1] for line in lines)  # each has its description


def test_the_readme_lists_the_schema_as_it_is(root: Path) -> None:
    readme = (root / "README.md").read_text(encoding="utf-8")
    head = "`publication.toml` keys (type; default), from `pipeline.config.schema_doc()`:\n\n```\n"
    block = readme.split(head, 1)[1].split("```", 1)[0]
    assert block == schema_doc() + "\n"
