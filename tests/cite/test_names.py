"""Authors' names from the store to the memo, against pandoc's citeproc run directly.

The store's CSL names (particles, suffixes, Chinese and Korean names, one-word names)
are built into memos through the command line; each bibliography entry must read as
pandoc's citeproc prints the same record as CSL-JSON, in Chicago and APA. A name
marked `static-ordering` prints family name first, as CSL says, which pandoc's citeproc
does not do by itself.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefgen.cite import pandoc as cite
from briefgen.cite.csl import csl_item, style_family
from briefgen.readers.records import Source
from briefgen.readers.validate import read
from briefgen.sources.names import full_name, parse_author, parse_family_first

from .memos import (
    build,
    csl_json,
    html_bibliography,
    html_notes,
    pandoc_bibliography,
    write_workspace,
)

_LATIN = st.fixed_dictionaries(
    {
        "family": st.sampled_from(
            ["Beethoven", "van Beethoven", "van der Berg", "de la Fuente", "al-Baghdadi", "Łęcka"]
        ),
        "given": st.sampled_from(["Ludwig", "Anna Maria", "José Luis", "Abu Bakr", "Émile"]),
    },
    optional={
        "suffix": st.sampled_from(["Jr.", "III"]),
        "dropping-particle": st.sampled_from(["von", "de"]),
        "non-dropping-particle": st.sampled_from(["van", "de"]),
    },
)
_CJK = st.sampled_from(
    [
        {"family": "毛", "given": "泽东"},
        {"family": "欧阳", "given": "修"},
        {"family": "김", "given": "정은"},
        {"family": "南宫", "given": "明"},
        {"family": "山田", "given": "太郎"},
    ]
)
_OTHER = st.sampled_from(
    [
        {"family": "Светлова", "given": "Ксения"},
        {"family": "Sukarno"},
        {"literal": "World Bank"},
        {"family": "خامنه‌ای", "given": "علی"},
    ]
)
NAMES = st.one_of(_LATIN, _CJK, _OTHER)


def _source(i: int, authors: list[dict[str, Any]]) -> dict[str, Any]:
    return {"id": f"s{i}", "type": "book", "title": "Names", "author": authors, "issued": "2020"}


@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    authors=st.lists(st.lists(NAMES, min_size=1, max_size=2), min_size=2, max_size=5),
    style=st.sampled_from(["chicago-notes-bibliography", "apa"]),
)
def test_names_print_as_pandoc_citeproc_prints_the_record(
    tmp_path_factory: pytest.TempPathFactory, authors: list[list[dict[str, Any]]], style: str
) -> None:
    sources = [_source(i, a) for i, a in enumerate(authors)]
    root = write_workspace(tmp_path_factory.mktemp("names"), sources, {"citation-style": style})
    run = build(root, "html")
    assert run.code == 0, run.err
    _, entries = html_bibliography(root)
    assert entries == pandoc_bibliography([csl_json(s) for s in sources], style)


@pytest.mark.parametrize(
    "style, family, given_name, note, entry",
    [
        ("chicago-notes-bibliography", "Xi", "Jinping", "Xi Jinping, Names", "Xi Jinping. Names."),
        ("chicago-notes-bibliography", "Orbán", "Viktor", "Orbán Viktor, Names", "Orbán Viktor."),
        ("apa", "Xi", "Jinping", "(Xi, 2020)", "Xi, J. (2020). Names."),
    ],
)
def test_a_static_ordered_name_prints_family_name_first(
    tmp_path: Path, style: str, family: str, given_name: str, note: str, entry: str
) -> None:
    """CSL's static ordering: "Xi Jinping" in Chicago's notes and bibliography (CMOS
    8.14); APA inverts every name, so it prints as any other ("Xi, J.", APA 7, 9.8)."""
    name = {"family": family, "given": given_name, "static-ordering": True}
    root = write_workspace(tmp_path, [_source(0, [name])], {"citation-style": style})
    run = build(root, "html")
    assert run.code == 0, run.err
    assert note in html_notes(root)
    assert html_bibliography(root)[1][0].startswith(entry)


@pytest.mark.parametrize(
    "style, first, later",
    [
        ("chicago-notes-bibliography", "Xi Jinping, Names", "Xi, Names"),
        ("chicago-author-date", "(Xi 2020", "(Xi 2020"),
        ("modern-language-association", "(Xi", "(Xi"),
    ],
)
def test_a_static_ordered_name_is_the_family_name_in_a_short_citation(
    tmp_path: Path, style: str, first: str, later: str
) -> None:
    """pandoc's citeproc prints a static-ordered name whole where its short form is due:
    CMOS's later notes give the family name alone ("Xi, *Names*"), as its in-text
    citations do ("(Xi 2020)"); the bibliography keeps the whole name."""
    name = {"family": "Xi", "given": "Jinping", "static-ordering": True}
    source = _source(0, [name])
    record = read(Source, source)
    assert record is not None
    item = csl_item(record, set(), style_family(style))
    rendered = cite.render([[cite.Cite(source["id"])]] * 2, [item], cite.find_style(style))
    first_text, later_text = ("".join(s.text for s in c) for c in rendered.clusters)
    assert first_text.startswith(first) and later_text.startswith(later), rendered.clusters
    assert "Jinping" not in later_text
    assert "".join(s.text for s in rendered.bibliography[0][1]).startswith("Xi Jinping")


@pytest.mark.parametrize(
    "written, name",
    [
        ("Jan van der Berg", {"family": "van der Berg", "given": "Jan"}),
        ("Ludwig van Beethoven", {"family": "van Beethoven", "given": "Ludwig"}),
        (
            "Carl von Clausewitz",
            {"family": "Clausewitz", "given": "Carl", "dropping-particle": "von"},
        ),
        ("Abu Bakr al-Baghdadi", {"family": "al-Baghdadi", "given": "Abu Bakr"}),
        ("毛泽东", {"family": "毛", "given": "泽东"}),
        ("欧阳修", {"family": "欧阳", "given": "修"}),
        ("김정은", {"family": "김", "given": "정은"}),
        ("毛 泽东", {"family": "毛", "given": "泽东"}),
        ("山田 太郎", {"family": "山田", "given": "太郎"}),
        ("山田太郎", {"family": "山田太郎"}),
    ],
)
def test_ingest_splits_names_into_their_csl_parts(written: str, name: dict[str, str]) -> None:
    assert parse_author(written) == name


@pytest.mark.parametrize("written", ["Xi Jinping", "Xi, Jinping", "Orbán Viktor"])
def test_family_first_names_are_marked_static(written: str) -> None:
    family, given_name = written.replace(",", "").split()
    assert parse_family_first(written) == {
        "family": family,
        "given": given_name,
        "static-ordering": True,
    }
    assert full_name(parse_family_first(written)) == f"{family} {given_name}"


@pytest.mark.parametrize(
    "written, style",
    [
        ("Ludwig van Beethoven", "chicago-notes-bibliography"),
        ("Ludwig van Beethoven", "apa"),
        ("Carl von Clausewitz", "chicago-notes-bibliography"),
        ("Carl von Clausewitz", "apa"),
        ("毛泽东", "chicago-notes-bibliography"),
        ("김정은", "apa"),
        ("Martin Luther King Jr.", "chicago-notes-bibliography"),
    ],
)
def test_an_ingested_name_prints_as_pandoc_citeproc_prints_it(
    tmp_path: Path, written: str, style: str
) -> None:
    """The parts `ingest --author` writes reach the memo as pandoc prints them; and CJK
    names are never made literal, so citeproc orders them itself."""
    name = parse_author(written)
    assert "literal" not in name
    source = _source(0, [name])
    root = write_workspace(tmp_path, [source], {"citation-style": style})
    assert build(root, "html").code == 0
    assert html_bibliography(root)[1] == pandoc_bibliography([csl_json(source)], style)
