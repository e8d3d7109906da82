"""Structured answers: schemas refused before any request when they are not JSON Schema, the
JSON readable at every step as it streams, and the check at the end."""

from __future__ import annotations

import json

import pytest

from rillchat.chat.json_schema import SchemaInvalid
from rillchat.chat.structured import PartialJson, Schema, check_answer, load_schema_file
from rillchat.presets import SchemaPreset

BOOKS = {
    "type": "object",
    "properties": {
        "books": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"title": {"type": "string"}, "year": {"type": "integer"}},
                "required": ["title", "year"],
                "additionalProperties": False,
            },
        }
    },
    "required": ["books"],
    "additionalProperties": False,
}


def test_response_format_is_strict_json_schema():
    assert Schema("my books!", BOOKS).response_format() == {
        "type": "json_schema",
        "json_schema": {"name": "my_books", "strict": True, "schema": BOOKS},
    }


def test_schema_files_are_checked_before_any_request(tmp_path):
    good = tmp_path / "books.json"
    good.write_text(json.dumps(BOOKS))
    assert load_schema_file(good) == Schema("books", BOOKS)
    cases = {
        "missing.json": None,
        "not-json.json": "{type: object",
        "not-schema.json": json.dumps({"type": "sometimes"}),
        "list.json": "[1, 2]",
    }
    reasons = {}
    for name, text in cases.items():
        if text is not None:
            (tmp_path / name).write_text(text)
        with pytest.raises(SchemaInvalid) as caught:
            load_schema_file(tmp_path / name)
        reasons[name] = str(caught.value)
    assert "cannot be read" in reasons["missing.json"]
    assert "not JSON" in reasons["not-json.json"]
    assert "not a valid JSON Schema" in reasons["not-schema.json"]
    assert "$.type" in reasons["not-schema.json"] and "'sometimes'" in reasons["not-schema.json"]
    assert "must be an object, got an array" in reasons["list.json"]


def test_schema_presets_load_inline_or_from_a_file(tmp_path):
    assert SchemaPreset("books", BOOKS).load() == Schema("books", BOOKS)
    (tmp_path / "b.json").write_text(json.dumps(BOOKS))
    assert SchemaPreset("mine", file=str(tmp_path / "b.json")).load() == Schema("mine", BOOKS)
    with pytest.raises(SchemaInvalid, match="'broken' is not valid JSON Schema"):
        SchemaPreset("broken", {"type": 3}).load()


def test_answers_are_checked_against_the_schema():
    assert check_answer(BOOKS, '{"books": [{"title": "Solaris", "year": 1961}]}') == []
    found = check_answer(BOOKS, '{"books": [{"title": "Solaris", "year": "1961"}, {}]}')
    assert found[0] == "$.books[0].year: '1961' is not of type 'integer'"
    assert "$.books[1]: 'title' is a required property" in found
    assert check_answer(BOOKS, '{"books": [') == [
        "the answer is not valid JSON (Expecting value: line 1 column 12 (char 11))"
    ]
    assert check_answer(BOOKS, "") == ["the answer is empty"]


def test_partial_json_grows_and_knows_what_is_complete():
    text = json.dumps(
        {"books": [{"title": "Solaris", "year": 1961}, {"title": "Kindred", "year": 1979}]}
    )
    seen = []
    partial = PartialJson()
    for character in text:
        partial.feed(character)
        seen.append((partial.value(), partial.open_depth, partial.last_value_complete))
    assert seen[0] == (None, 1, True) or seen[0][1] == 1
    assert partial.value() == json.loads(text) and partial.open_depth == 0
    # Half way through the second title: two items, the second still being written.
    cut = text.index("Kindred") + 3
    partial = PartialJson()
    partial.feed(text[:cut])
    assert partial.value() == {"books": [{"title": "Solaris", "year": 1961}, {"title": "Kin"}]}
    assert partial.open_depth == 3 and not partial.last_value_complete
    partial.feed(text[cut : text.index("}", cut) + 1])  # the second book closed, array still open
    assert partial.open_depth == 2 and partial.last_value_complete


def test_partial_json_ignores_brackets_inside_strings():
    partial = PartialJson()
    partial.feed('["a ] \\" [", 12')
    assert partial.open_depth == 1 and not partial.last_value_complete
    assert partial.value() == ['a ] " [', 12]
    partial.feed(",")
    assert partial.last_value_complete


def test_the_outline_shows_array_items_only_once_they_are_complete():
    from rillchat.ui.widgets.structured_view import outline

    text = json.dumps(
        {"books": [{"title": "Solaris", "year": 1961}, {"title": "Kindred", "year": 1979}]},
        indent=2,
    )

    def shown(upto: int) -> list[str]:
        partial = PartialJson()
        partial.feed(text[:upto])
        return [
            line.plain
            for line in outline(partial.value(), partial.open_depth, partial.last_value_complete)
        ]

    during_second = shown(text.index("Kindred") + 3)
    assert during_second == [
        "books: (1 item so far)",
        "  1. title: Solaris",
        "     year: 1961",
        "  2. …",
    ]
    after_second = shown(text.rindex("}", 0, len(text) - 1) + 1)
    assert after_second[-2:] == ["  2. title: Kindred", "     year: 1979"]
    assert shown(len(text))[0] == "books: (2 items)"
    growing = shown(text.index("Solaris") + 3)
    assert growing[-1] == "  1. …"
