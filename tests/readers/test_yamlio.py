"""Safe, strict YAML: YAML 1.2 scalars, duplicate keys, lines, alias bombs."""

from __future__ import annotations

from pathlib import Path

from briefgen.errors import Problems
from briefgen.readers.yamlio import LDict, line_at, load_file, load_text


def _load(text: str):
    problems = Problems()
    return load_text(text, "f.yaml", problems), [str(p) for p in problems.items]


def test_yaml_1_1_booleans_and_leading_zeros_stay_text() -> None:
    data, problems = _load("id: no\nb: yes\nc: 0123\nd: 2024-06-14\ne: true\nf: 12\n")
    assert problems == []
    assert data == {"id": "no", "b": "yes", "c": "0123", "d": "2024-06-14", "e": True, "f": 12}


def test_duplicate_keys_name_both_lines() -> None:
    _, problems = _load("a: 1\nb: 2\na: 3\n")
    assert problems == ["f.yaml:3: a: duplicate key (first at line 1)"]


def test_lines_are_remembered() -> None:
    data, _ = _load("- id: x\n  sources:\n    - source: s\n      quote: q\n")
    assert line_at(data, (0, "sources", 0, "quote")) == 4
    assert isinstance(data[0], LDict)


def test_alias_bomb_is_refused() -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    for i in range(1, 9):
        prev = chr(ord("a") + i - 1)
        cur = chr(ord("a") + i)
        bomb += f"{cur}: &{cur} [{', '.join('*' + prev for _ in range(10))}]\n"
    data, problems = _load(bomb)
    assert data is None
    assert problems == [
        "f.yaml:1: document expands to more than 1,000,000 values (aliases nested too deep?)"
    ]


def test_python_tags_are_refused() -> None:
    _, problems = _load("a: !!python/object/apply:os.system ['echo hi']\n")
    assert problems == [
        "f.yaml:1: tag 'tag:yaml.org,2002:python/object/apply:os.system' is "
        "not allowed; write plain values"
    ]


def test_non_utf8_file(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_bytes("title: caf\u00e9\n".encode("latin-1"))
    problems = Problems()
    assert load_file(path, problems) is None
    assert [p.message for p in problems.items] == ["file is not UTF-8 text; save it as UTF-8"]


def test_scalars_take_the_core_schema_types_quoted_or_tagged_ones_stay_text() -> None:
    text = (
        "a: 5\nb: '5'\nc: !!str 5\nd: 1.5\ne: null\nf: ~\ng: True\nh: no\ni: 2024-06-14\n"
        'j: "true"\nk: |\n  7\nl: 1_000\nm: <<\n'
    )
    data, problems = _load(text)
    assert problems == []
    assert data == {
        "a": 5,
        "b": "5",
        "c": "5",
        "d": 1.5,
        "e": None,
        "f": None,
        "g": True,
        "h": "no",
        "i": "2024-06-14",
        "j": "true",
        "k": "7\n",
        "l": 1000,
        "m": "<<",
    }
    assert [type(data[k]) for k in "ad"] == [int, float]
