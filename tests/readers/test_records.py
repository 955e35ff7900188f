"""Records are read one way, whatever path a record takes, and every mistake is worded
by its field.

msgspec reads a record whole; when it refuses one, the record is read again field by
field (`validate.by_field`), which words each mistake and takes the few values users
write that msgspec refuses. So the two must agree: what the whole read takes, the
field-by-field read takes to the same record, unknown keys included; what it refuses,
the field-by-field read either takes for a reason (a number written for text) or
reports, each mistake once, at a key the record holds, in a reader's words.

Run long with: BRIEFGEN_EXAMPLES=20000 pytest tests/readers/test_records.py -p no:cacheprovider
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from briefgen.errors import Problems
from briefgen.readers import records
from briefgen.readers.derive import json_schema
from briefgen.readers.fields import Record, dump
from briefgen.readers.validate import by_field, read, validate
from briefgen.readers.yamlio import load_file

from ..conftest import WORKSPACES

EXAMPLES = int(os.environ.get("BRIEFGEN_EXAMPLES", "400"))
READ_FAST: dict[str, int] = {}  # kind: records msgspec read, of the generated ones

TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=12)
GOOD_IDS = st.sampled_from(["a", "doe-2024", "0123", "a.b:c_d", "Z9"])
BAD_IDS = st.sampled_from(["x y", "", "a\n", "é", "-a"])
IDS = st.integers(0, 5).flatmap(lambda i: BAD_IDS if i == 0 else GOOD_IDS)
SCALAR = st.one_of(
    TEXT,
    IDS,
    st.integers(-3, 3000),
    st.booleans(),
    st.none(),
    st.floats(allow_nan=False, width=32),
    st.sampled_from(
        [
            "",
            "2024",
            "2024-06",
            "2024-02-30",
            "2024-W24",
            "true",
            "5",
            "#1f3a5f",
            "#1F3A5G",
            "high",
            "moderate",
            "footnotes",
            "article-journal",
            "A",
            "B",
            "docx",
            "pdf",
            "date",
            "{text}",
            "According to {origin}, {text}",
            "{oops}",
            "{",
        ]
    ),
)
DATE = st.one_of(
    SCALAR,
    st.sampled_from(["2024", "2024-06", "2024-06-12", 2023, "1999-12-31"]),
    st.sampled_from(["2024-03", "2020", None]),
    st.fixed_dictionaries(
        {
            "date-parts": st.lists(
                st.lists(st.integers(0, 2030), min_size=1, max_size=3), min_size=1, max_size=2
            )
        },
        optional={"circa": st.booleans()},
    ),
)
NAME = st.fixed_dictionaries(
    {},
    optional={
        "family": st.one_of(TEXT, SCALAR),
        "given": TEXT,
        "literal": TEXT,
        "dropping-particle": TEXT,
        "non-dropping-particle": SCALAR,
        "nickname": TEXT,
    },
)
CITATION = st.one_of(
    IDS,
    st.fixed_dictionaries(
        {"source": st.one_of(IDS, SCALAR)},
        optional={"quote": st.one_of(TEXT, SCALAR), "locator": TEXT, "page": TEXT},
    ),
)
SELECT = st.fixed_dictionaries(
    {},
    optional={
        "topics": st.one_of(st.lists(TEXT, max_size=2), SCALAR),
        "min-confidence": SCALAR,
        "limit": SCALAR,
        "sort": st.sampled_from(["date", "-date", "id", "newest"]),
        "origin": SCALAR,
        "topic": TEXT,
    },
)
SECTION = st.fixed_dictionaries(
    {},
    optional={
        "title": SCALAR,
        "text": TEXT,
        "claims": st.one_of(st.lists(IDS, max_size=2), IDS, SCALAR),
        "select": st.one_of(SELECT, SCALAR),
        "section": st.one_of(IDS, SCALAR),
        "colour": TEXT,
    },
)


def _any(value: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Mostly a value of the field's kind, sometimes anything at all."""
    anything = st.one_of(SCALAR, st.lists(SCALAR, max_size=2))
    return st.integers(0, 15).flatmap(lambda i: anything if i == 0 else value)


KINDS: dict[str, st.SearchStrategy[dict[str, Any]]] = {
    "claims": st.fixed_dictionaries(
        {
            "id": _any(IDS),
            "text": _any(TEXT),
            "sources": _any(st.one_of(st.lists(CITATION, max_size=3), IDS)),
        },
        optional={
            "origin": _any(TEXT),
            "date": DATE,
            "topics": _any(st.lists(TEXT, max_size=2)),
            "confidence": _any(st.sampled_from(["high", "moderate", "low", "sure"])),
            "marking": _any(TEXT),
            "contradicts": _any(st.lists(IDS, max_size=2)),
            "colour": TEXT,
            "confidance": TEXT,
        },
    ),
    "sources": st.fixed_dictionaries(
        {"id": _any(IDS)},
        optional={
            "type": _any(st.sampled_from(["article", "report", "book", "blog"])),
            "title": _any(TEXT),
            "author": _any(st.lists(NAME, max_size=2)),
            "editor": _any(st.lists(NAME, max_size=1)),
            "container-title": _any(TEXT),
            "issued": DATE,
            "accessed": DATE,
            "URL": _any(TEXT),
            "volume": SCALAR,
            "page": SCALAR,
            "reliability": SCALAR,
            "note": SCALAR,
            "edition": SCALAR,
            "autor": TEXT,
        },
    ),
    "audiences": st.fixed_dictionaries(
        {},
        optional={
            "label": _any(TEXT),
            "notes": _any(st.sampled_from(["footnotes", "endnotes"])),
            "quotes": _any(st.booleans()),
            "max-claims": _any(st.integers(-1, 9)),
            "max-pages": _any(st.integers(-1, 9)),
            "attribution": _any(
                st.sampled_from(["{origin}: {text}", "{text}", "{who} {text}", "{", "no text"])
            ),
            "mark-new": _any(st.booleans()),
            "contradictions": _any(st.booleans()),
            "sumary": TEXT,
        },
    ),
    "briefgen": st.fixed_dictionaries(
        {},
        optional={
            "organisation": _any(TEXT),
            "citation-style": _any(TEXT),
            "page-size": _any(st.sampled_from(["A4", "letter", "a4"])),
            "markings": _any(
                st.lists(
                    st.fixed_dictionaries({"name": _any(TEXT), "portion": _any(TEXT)}), max_size=2
                )
            ),
            "accent-colour": _any(st.sampled_from(["#1f3a5f", "#ABCDEF", "#abc", "1f3a5f"])),
            "furniture": _any(st.lists(TEXT, max_size=2)),
            "logo": SCALAR,
            "output": _any(TEXT),
            "acent-colour": TEXT,
        },
    ),
    "sections": st.fixed_dictionaries(
        {"id": _any(IDS), "title": _any(TEXT)}, optional={"text": _any(TEXT), "topics": TEXT}
    ),
    "brief": st.fixed_dictionaries(
        {"title": _any(TEXT)},
        optional={
            "subject": _any(TEXT),
            "from": _any(TEXT),
            "date": DATE,
            "period": _any(TEXT),
            "audiences": _any(st.lists(IDS, max_size=2)),
            "formats": _any(
                st.one_of(st.lists(st.sampled_from(["docx", "pdf", "odt"]), max_size=2))
            ),
            "sections": _any(st.lists(SECTION, max_size=2)),
            "audience": TEXT,
        },
    ),
}


JARGON = ("Expected `", "$.", "`str`", "`int`", "Object ", "msgspec", "NoneType", "typing.")


def _mistakes(model: type[Record], data: dict[str, Any]) -> tuple[Record | None, list]:
    found: list[tuple[tuple[str | int, ...], str]] = []
    return by_field(model, data, (), found), found


def _held(data: Any, where: tuple[str | int, ...]) -> bool:
    """Whether `where` is a place in `data`, a required key missing from a mapping in it,
    or a place inside a lone value that stands for a list or a citation (`sources: doe`)."""
    for i, part in enumerate(where):
        if isinstance(data, (dict, list)) and _has(data, part):
            data = data[part]  # type: ignore[index]
        elif (part == 0 or part == "source") and not isinstance(data, (dict, list)):
            return True  # a lone value for a list, a source id for a citation
        else:
            return isinstance(data, dict) and i == len(where) - 1
    return True


def _has(data: dict[Any, Any] | list[Any], part: str | int) -> bool:
    if isinstance(data, dict):
        return part in data
    return isinstance(part, int) and part < len(data)


@pytest.mark.usefixtures("no_local_constants")  # the count is of the strategies' own draws
@pytest.mark.parametrize("kind", KINDS)
def test_a_record_reads_alike_whole_or_field_by_field(kind: str) -> None:
    model = records.KINDS[kind]
    READ_FAST[kind] = 0

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(KINDS[kind])
    def check(data: dict[str, Any]) -> None:
        whole = read(model, data)
        slow, found = _mistakes(model, data)
        if whole is not None:
            READ_FAST[kind] += 1
            assert slow is not None, found
            assert whole == slow
            assert dump(whole) == dump(slow)  # with every unknown key, nested ones too
        assert (slow is None) == bool(found), (slow, found)
        assert len({where for where, _ in found}) == len(found), found  # each once
        for where, message in found:
            assert _held(data, where), (where, data)
            assert message and not any(j in message for j in JARGON), message

    check()
    assert READ_FAST[kind] >= EXAMPLES // 10, READ_FAST  # the comparison is not vacuous


@pytest.mark.parametrize(
    "root", [WORKSPACES / "good", Path(__file__).parent.parent.parent / "briefs"]
)
def test_every_record_of_a_workspace_is_read_whole_and_alike(root: Path) -> None:
    """The test workspace and the example are read by msgspec whole, record by record,
    as field by field, and each record is valid by the published JSON Schema."""
    files = {
        "sources": [root / "store" / "sources.yaml"],
        "claims": sorted((root / "store" / "claims").glob("*.yaml")),
        "sections": sorted((root / "store" / "sections").glob("*.yaml")),
    }
    count = 0
    for kind, paths in files.items():
        schema = json_schema(kind)
        for path in paths:
            items = load_file(path, Problems())
            jsonschema.validate(_json(items), schema)
            for item in items:
                record = read(records.KINDS[kind], item)
                assert record is not None, (path, item.get("id"))
                assert record == _mistakes(records.KINDS[kind], item)[0]
                count += 1
    audiences = load_file(root / "audiences.yaml", Problems())
    for body in audiences.values():
        record = read(records.Audience, body)
        assert record is not None and record == _mistakes(records.Audience, body)[0]
    assert count >= 5


def _json(value: Any) -> Any:
    """Return located YAML values as JSON holds them (dates as text)."""
    import datetime as dt

    if isinstance(value, dict):
        return {str(k): _json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json(v) for v in value]
    return value.isoformat() if isinstance(value, dt.date) else value


def test_a_record_msgspec_refuses_is_read_field_by_field(tmp_path: Path) -> None:
    """A value users write that msgspec refuses (5 for text, "yes" for true) makes the
    whole read refuse the record; read field by field, it is taken, with its unknown
    keys, and nothing is reported but them."""
    problems = Problems()
    data = {"id": "c", "text": 5, "sources": ["s"], "colour": "red"}
    assert read(records.Claim, data) is None
    claim = validate(records.Claim, data, tmp_path / "c.yaml", problems)
    assert claim is not None and claim.text == "5" and claim.extra == {"colour": "red"}
    assert [p.message for p in problems.items] == ["unknown key 'colour'; it is ignored"]
    audience = validate(records.Audience, {"quotes": "yes"}, tmp_path / "a.yaml", problems)
    assert audience is not None and audience.quotes is True


def test_every_mistake_of_a_record_is_reported_in_its_fields_words(tmp_path: Path) -> None:
    """One record with a mistake in each of several fields: each is reported, at its key,
    in the words its field declares."""
    data = {
        "id": "x y",
        "text": "",
        "sources": [{"source": "s", "quote": ["a"]}, 7],
        "confidence": "certain",
        "topics": {"a": 1},
        "date": "2024-02-30",
    }
    problems = Problems()
    assert validate(records.Claim, data, tmp_path / "c.yaml", problems) is None
    got = {p.key: p.message for p in problems.items}
    assert set(got) == {
        "id",
        "text",
        "sources[0].quote",
        "sources[1]",
        "confidence",
        "topics",
        "date",
    }, got
    assert got["id"].startswith("expected an id: letters, digits") and "got 'x y'" in got["id"]
    assert got["text"] == "expected text that is not empty, got ''"
    assert got["confidence"] == "expected one of 'high', 'moderate' or 'low', got 'certain'"
    assert got["sources[1]"] == "expected a mapping of keys to values, got 7"
    assert "2024-02-30" in got["date"]


# the smallest valid record of each class, to misspell a key in
_MINIMAL: dict[type[Record], dict[str, Any]] = {
    records.Marking: {"name": "A", "portion": "A"},
    records.Settings: {},
    records.Audience: {},
    records.Source: {"id": "s"},
    records.Name: {},
    records.ClaimSource: {"source": "s"},
    records.Claim: {"id": "c", "text": "T.", "sources": ["s"]},
    records.StoreSection: {"id": "s", "title": "T"},
    records.Select: {},
    records.BriefSection: {},
    records.Brief: {"title": "T"},
}
_CONTROLLED = [(m, k) for m in _MINIMAL for k in sorted(m.KEYS if m.strict else m.CONTROLS)]


def _misspelt(key: str, edit: int, at: int) -> str:
    at %= len(key)
    if edit == 0:  # a letter left out
        return key[:at] + key[at + 1 :]
    if edit == 1:  # a letter doubled
        return key[:at] + key[at] + key[at:]
    return key[:at] + key[at + 1 : at + 2] + key[at] + key[at + 2 :]  # two swapped


@settings(max_examples=200, deadline=None)
@given(
    place=st.sampled_from(_CONTROLLED),
    edit=st.integers(0, 2),
    at=st.integers(0, 40),
    own=st.text("abcdefghijklmnopqrstuvwxyz-", min_size=1, max_size=8),
)
def test_a_misspelt_control_is_an_error_and_an_own_key_passes(
    place: tuple[type[Record], str], edit: int, at: int, own: str
) -> None:
    """Controls are never guessed: in every file a misspelt key where every key is a
    control (settings, audiences, briefs, their sections and selects, a claim's sources),
    and a near miss of a claim's controls (marking, confidence, …), is an error at that
    key with a did-you-mean; an x- key is the user's own and passes without a word."""
    model, key = place
    wrong = _misspelt(key, edit, at)
    assume(wrong not in model.KEYS and wrong not in model.known_extra)
    data = {**_MINIMAL[model], wrong: "x", f"x-{own}": "mine"}
    problems = Problems()
    validate(model, data, Path("f.yaml"), problems)
    mine = [p for p in problems.items if p.key == wrong]
    assert [p.severity for p in mine] == ["error"], problems.items
    if len(key) > 3:  # of "to", a one-letter slip ("ot") is as near to other keys
        assert f"unknown key {wrong!r} (did you mean " in mine[0].message
    assert not [p for p in problems.items if p.key.startswith("x-")]
