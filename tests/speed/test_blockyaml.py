"""The fast reader for plain YAML against libyaml: same values, types and lines, or it
gives up. Every document it reads must read the same through libyaml, without a problem."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefgen.errors import Problems
from briefgen.readers import libyaml, yamlio
from briefgen.speed import blockyaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))


def by_libyaml(text: str) -> tuple[Any, Problems]:
    """Read `text` the way yamlio did before the fast reader: libyaml, then the builder."""
    problems = Problems()
    try:
        node = yaml.compose(text, Loader=libyaml.LOADER)
    except (yaml.YAMLError, RecursionError) as exc:
        problems.add("doc", 0, "", str(exc))
        return None, problems
    if node is None:
        return None, problems
    try:
        return libyaml.Builder("doc", problems).build(node), problems
    except libyaml.TooLarge:
        problems.add("doc", 0, "", "too many values")
        return None, problems


def described(value: Any) -> Any:
    """Return `value` with its types and every line it knows, for comparison."""
    if isinstance(value, yamlio.LDict):
        return (
            "map",
            value.line,
            [(k, value.key_lines[k], described(v)) for k, v in value.items()],
        )
    if isinstance(value, yamlio.LList):
        return (
            "list",
            value.line,
            [(line, described(v)) for line, v in zip(value.item_lines, value, strict=True)],
        )
    return (type(value).__name__, value)


def assert_reads_alike(text: str) -> bool:
    """Assert the fast reader agrees with libyaml on `text`; return whether it read it."""
    fast = blockyaml.load_plain(text)
    if fast is blockyaml.NOT_PLAIN:
        return False
    slow, problems = by_libyaml(text)
    assert not problems.errors and not problems.warnings, (text, problems.errors)
    assert described(fast) == described(slow), text
    return True


# --- documents people and scripts write ------------------------------------------------


def test_the_example_workspace_is_read_fast_and_alike() -> None:
    files = sorted((ROOT / "briefs").rglob("*.yaml"))
    assert len(files) >= 10  # settings, audiences, the brief, sources, claims, sections
    slow = [f.name for f in files if not assert_reads_alike(f.read_text(encoding="utf-8"))]
    assert slow == []  # flow mappings ({date-parts: …}, {name: …, portion: …}) included


def test_a_generated_store_is_read_fast_and_alike(tmp_path: Path) -> None:
    from generate import generate

    ws = generate(tmp_path / "ws", 1500, briefs=2)
    files = sorted(ws.rglob("*.yaml"))
    claims = [f for f in files if f.parent.name == "claims"]
    assert len(claims) == 2
    for path in files:
        read = assert_reads_alike(path.read_text(encoding="utf-8"))
        assert read or path not in claims


@pytest.mark.parametrize(
    "text",
    [
        "a: 1\nb: -2\nc: 1.5\nd: true\ne: null\nf: ~\ng: 0123\nh: 2024-06-14\ni: no\n",
        "- id: x\n  topics: [a, b c, 1, true, null]\n  empty: []\n",
        "key:\n- a\n- b\nnext: c\n",
        "key:\n  - a\n  -  b\n",
        "outer:\n  inner:\n    deep: v\n  back: w\ntop: z\n",
        "- id: a\n  text: >-\n    one\n    two\n\n- id: b\n  text: |\n    x\n    y\n  after: z\n",
        "text: >\n  folded\n  text\n",
        "text: |-\n  # not a comment\n  - not an item\n",
        'a: plain # comment\nb: "quoted"  # comment\nc: [x, y] # comment\nd:   # comment\n',
        "a: 'single \"inner\"'\nb: \"double 'inner'\"\nc: it's\nd: C# and F#\ne: http://x.org/a\n",
        "# head\n\n- a\n  # inside\n- b   \n",
        "a: \"\"\nb: ''\nc: value:with:colons\nd: [x]\n",
        "a: {b: c}\n",
        "a: [b, [c]]\n",
        "a: {}\nb: [ ]\nc: { }\n",
        "issued: {date-parts: [[2023, 3]], circa: true}\n",
        "markings:\n  - {name: PUBLIC, portion: P}\n  - {name: INTERNAL, portion: I}\n",
        "select: {topics: [military, a b], min-confidence: moderate, limit: 7, sort: -date}\n",
        "author: [{family: Kirillova, given: Kseniya}, {literal: CEPA}]  # two\n",
        "a: [ -1 , -x,1.5 ,{k:  v} ]\n",
    ],
)
def test_documents_in_the_subset(text: str) -> None:
    assert assert_reads_alike(text)


@pytest.mark.parametrize(
    "text",
    [
        "a: &x 1\nb: *x\n",
        "a: !!str 1\n",
        'a: "esc\\n"\n',
        "a: 'it''s'\n",
        "a: b: c\n",
        "a: b\n  c\n",
        "a: 1\na: 2\n",
        "<<: {}\n",
        "a:\tb\n",
        "a: b\r\n",
        "---\na: 1\n",
        "a: >+\n  x\n",
        "a: >2\n   x\n",
        "a: >-\n  x\n\n  y\n",
        "a: |\n  x\n   y\n",
        "a: >-\n x\n  \nb: c\n",
        "a: [b,]\n",
        "a: {b}\n",
        "a: {b: }\n",
        "a: {b: c,}\n",
        "a: {b:c}\n",
        "a: {b: c, b: d}\n",
        "a: {true: c}\n",
        "a: {b: 'q'}\n",
        "a: [b: c]\n",
        "a: [b, , c]\n",
        "a: {b: c\n",
        "a: {b: c}}\n",
        "a: [-]\n",
        "a: {b: c} d\n",
        "a: {? b}\n",
        "a: [[[[[[[[[[x]]]]]]]]]]\n",
        "- - a\n",
        "-\n",
        "true: 1\n",
        'a: "open\n',
        "a: 'x' y\n",
        "a: @x\n",
        "a: %x\n",
        "a: `x`\n",
        "? a\n: b\n",
        "a: |\n  x",
        "plain\n",
    ],
)
def test_documents_outside_the_subset_go_to_libyaml(text: str) -> None:
    assert blockyaml.load_plain(text) is blockyaml.NOT_PLAIN


# --- generated documents ---------------------------------------------------------------

SAFE = [
    "id",
    "text",
    "a",
    "b-c",
    "null",
    "true",
    "False",
    "~",
    "no",
    "1",
    "-1",
    "0.5",
    "1e3",
    "0123",
    "2024-06-14",
    "x y",
    "x#y",
    "it's",
    "a,b",
    "-x",
    "é",
    "ф",
    "C#",
    "Null",
    "nan",
    ".inf",
    "x:y",
    "http://x.org",
]
TRICKY = [
    "x: y",
    "x #y",
    "#x",
    "'q'",
    '"q"',
    "[x]",
    "{x}",
    "&a",
    "*a",
    "!t",
    "|",
    ">",
    "- x",
    "? x",
    "%x",
    "@x",
    "`x`",
    "\u2028",
    "\t",
    " x",
    "x ",
    "",
    ":",
    "x:",
    "<<",
    "\\",
]
WORDS = st.sampled_from(SAFE * 5 + TRICKY)
KEYS = [
    "id",
    "text",
    "a-b",
    "x_1",
    "n",
    "k",
    "date",
    "topics",
    "quote",
    "source",
    "true",
]  # mostly words the fast reader takes


def _flow_text() -> st.SearchStrategy[str]:
    """A flow collection on one line: lists and mappings of words, nested."""
    word = st.lists(WORDS, min_size=1, max_size=2).map(" ".join)
    comma = st.sampled_from([", ", ", ", ",", " , ", ",  "])

    def joined(parts: list[str], seps: list[str], ends: tuple[str, str]) -> str:
        return (
            ends[0]
            + "".join(p + (seps[i] if i < len(parts) - 1 else "") for i, p in enumerate(parts))
            + ends[1]
        )

    def extend(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        # now and then an entry, key, separator or end libyaml reads otherwise or refuses
        entry = st.sampled_from([0] * 9 + [1]).flatmap(
            lambda odd: st.sampled_from(["", " "]) if odd else inner
        )
        pair = st.tuples(
            st.sampled_from(KEYS * 3 + ["date-parts", "x:y", "? k", "'q'"]),
            st.sampled_from([": "] * 8 + [":  ", ":", " : "]),
            entry,
        ).map("".join)
        ends = st.sampled_from([("[", "]")] * 4 + [("[ ", " ]"), ("[", ",]")])
        braces = st.sampled_from([("{", "}")] * 4 + [("{ ", " }"), ("{", ",}")])
        return st.one_of(
            st.tuples(
                st.lists(entry, max_size=3), st.lists(comma, min_size=3, max_size=3), ends
            ).map(lambda t: joined(*t)),
            st.tuples(
                st.lists(pair, max_size=3), st.lists(comma, min_size=3, max_size=3), braces
            ).map(lambda t: joined(*t)),
        )

    return st.recursive(word, extend, max_leaves=6).filter(lambda t: t[:1] in "[{")


def _scalar_text() -> st.SearchStrategy[str]:
    plain = st.lists(WORDS, min_size=1, max_size=3).map(" ".join)
    return st.one_of(
        plain,
        plain.map(lambda w: f'"{w}"'),
        plain.map(lambda w: f"'{w}'"),
        st.lists(WORDS, max_size=4).map(lambda ws: "[" + ", ".join(ws) + "]"),
        plain.map(lambda w: f"{w} # note"),
    )


@st.composite
def documents(draw: st.DrawFn) -> str:
    """A block document, drawn line by line, with now and then a shape YAML forbids."""
    lines: list[str] = []

    def node(indent: int, depth: int) -> None:
        kind = draw(st.sampled_from(["map", "list"] if depth < 3 else ["map"]))
        for _ in range(draw(st.integers(1, 3))):
            pad = " " * indent
            if draw(st.integers(0, 9)) == 0:
                lines.append(draw(st.sampled_from(["", "  ", "# c", pad + "# c", "   # c"])))
            if kind == "list" and draw(st.booleans()):
                lines.append(f"{pad}- {draw(_scalar_text())}")
                continue
            lead = f"{pad}- " if kind == "list" else pad
            inner = indent + 2 if kind == "list" else indent
            keys = draw(st.permutations(KEYS))  # now and then a key twice
            keys[2] = draw(st.sampled_from(keys[:2] + keys[3:] * 9))
            for j, key in enumerate(keys[: draw(st.integers(1, 3))]):
                start = lead if j == 0 else " " * inner
                choice = draw(st.integers(0, 9))
                if choice < 6 or depth >= 3:
                    lines.append(f"{start}{key}: {draw(_scalar_text())}")
                elif choice < 8:
                    header = draw(st.sampled_from([">-", ">", "|", "|-"] * 3 + [">+", "> #"]))
                    lines.append(f"{start}{key}: {header}")
                    deeper = inner + draw(st.sampled_from([0, 1, 2, 2, 2, 4]))
                    for _ in range(draw(st.integers(1, 3))):
                        lines.append(
                            " " * deeper
                            + draw(
                                st.sampled_from(
                                    ["word", "two words", "# hash", "- dash", "x: y"] * 3
                                    + ["  more", "end ", ""]
                                )
                            )
                        )
                else:
                    lines.append(f"{start}{key}:")
                    node(inner + draw(st.sampled_from([0, 2, 2, 2, 4])), depth + 1)

    node(draw(st.sampled_from([0, 0, 2])), 0)
    end = draw(st.sampled_from(["\n", "\n", "", "\n\n"]))
    return "\n".join(lines) + end


@settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_generated_documents_read_alike_or_go_to_libyaml(text: str) -> None:
    assert_reads_alike(text)


@settings(max_examples=2000, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("- :#'\"[]{}>|ab1\n\t,&*!?é")), max_size=60))
def test_any_text_reads_alike_or_goes_to_libyaml(text: str) -> None:
    assert_reads_alike(text)


FLOW_PLACES = ["a: @\n", "- @\n", "a:\n  - @\n", "a: @  # c\n", "- k: @\n  n: x\n", "@\n"]


@settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_flow_text(), st.sampled_from(FLOW_PLACES))
def test_flow_collections_read_alike_or_go_to_libyaml(flow: str, place: str) -> None:
    assert_reads_alike(place.replace("@", flow, 1))


@pytest.mark.usefixtures("no_local_constants")
def test_the_generated_flow_collections_are_often_in_the_subset() -> None:
    read = 0

    @settings(
        max_examples=300,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(_flow_text(), st.sampled_from(FLOW_PLACES[:5]))
    def count(flow: str, place: str) -> None:
        nonlocal read
        read += assert_reads_alike(place.replace("@", flow, 1))

    count()
    assert read >= 75


@pytest.mark.usefixtures("no_local_constants")
def test_the_generated_documents_are_mostly_in_the_subset() -> None:
    """The comparison above is only worth something if the fast reader reads many."""
    read = 0

    @settings(
        max_examples=300,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(documents())
    def count(text: str) -> None:
        nonlocal read
        read += assert_reads_alike(text)

    count()
    assert read >= 75


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_only_what_aliases_expand_to_is_limited(text: str) -> None:
    """The limit on values is on what aliases expand to ("billion laughs"): a document
    without aliases, as every one in the fast reader's subset is, is read alike by both
    readers however low the limit is (a store of 100,000 claims is no bomb)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(yamlio, "MAX_NODES", 0)
        assert_reads_alike(text)


@pytest.mark.parametrize(
    "text, values",
    [
        ("a: &a [x, y]\nb: *a\n", 3),  # b is the list and its two items
        ("a: &a {k: [1, 2]}\nb: [*a, *a]\n", 10),  # twice: mapping, key, list, 1, 2
        ("a: &a x\nb: [*a, *a]\n", 2),
    ],
)
def test_values_aliases_expand_to_are_counted_exactly(text: str, values: int) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(yamlio, "MAX_NODES", values)
        assert not by_libyaml(text)[1].errors
        patch.setattr(yamlio, "MAX_NODES", values - 1)
        assert by_libyaml(text)[1].errors
