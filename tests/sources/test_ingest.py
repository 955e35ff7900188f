"""`ingest` captures texts without furniture; `import` reads CSL-JSON and BibTeX."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from briefgen.sources.furniture import clean
from briefgen.sources.names import parse_author

from ..conftest import ARTICLES, briefgen

FURNITURE = [
    "Photo credit",
    "Read More",
    "Get the Latest",
    "Sign up to receive",
    "print issue",
    "How often would you like",
    "Thank you! Your request",
    "do not necessarily represent",
    "is an analyst focused on",
    "is the Executive Director of ROPES",
]


def test_cepa_article_loses_its_furniture_and_keeps_every_content_paragraph() -> None:
    raw = (ARTICLES / "cepa-kirillova-russo-iranian-axis.txt").read_text(encoding="utf-8")
    text = clean(raw, ["Kseniya Kirillova"], "Europe’s Edge")
    for phrase in FURNITURE:
        assert phrase not in text
    paragraphs = text.strip().split("\n\n")
    assert paragraphs[0].startswith("In the over-excited language")
    assert paragraphs[-1].startswith("In short, it is likely")
    assert "Well, perhaps." in paragraphs
    assert len(paragraphs) == 21  # counted by hand: 16 before the sign-up prompt, 5 after


def test_jst_article_loses_byline_captions_and_bio() -> None:
    raw = (ARTICLES / "jst-svetlova-hidden-discord-2024.txt").read_text(encoding="utf-8")
    text = clean(raw, ["Ksenia Svetlova"], "Jerusalem Strategic Tribune")
    for phrase in FURNITURE + ["by June 2024", "Columnist", "Wreckage of an Iranian-made"]:
        assert phrase not in text
    assert text.startswith("Hidden Discord in the Russia-Iran Alliance\n\nWhen Iran’s")
    assert text.rstrip().endswith("especially India and the Gulf states.")


def test_ingest_writes_text_and_appends_the_record_keeping_comments(good: Path) -> None:
    sources = good / "store" / "sources.yaml"
    sources.write_text(
        "# our sources\n" + sources.read_text(encoding="utf-8") + "# end\n", encoding="utf-8"
    )
    run = briefgen(
        "ingest",
        str(ARTICLES / "cepa-kirillova-russo-iranian-axis.txt"),
        "--id",
        "kirillova-cepa-2023",
        "--author",
        "Kirillova, Kseniya",
        "--container",
        "Europe’s Edge",
        "--issued",
        "2023-03",
        "--circa",
        "--type",
        "article-magazine",
        cwd=good,
    )
    assert run.code == 0, run.err
    after = sources.read_text(encoding="utf-8")
    assert after.startswith("# our sources\n- id: doe-2024")
    assert "# end\n- id: kirillova-cepa-2023" in after
    record = yaml.safe_load(after)[-1]
    assert record["author"] == [{"family": "Kirillova", "given": "Kseniya"}]
    assert record["issued"] == {"date-parts": [[2023, 3]], "circa": True}
    assert "Read More" not in (good / "store" / "texts" / "kirillova-cepa-2023.txt").read_text()
    assert briefgen("check", cwd=good).code == 0


def test_ingest_family_first_marks_the_names_static(good: Path) -> None:
    """`--family-first`: "Xi Jinping" is family name Xi, printed family name first."""
    run = briefgen(
        "ingest",
        str(ARTICLES / "cepa-kirillova-russo-iranian-axis.txt"),
        "--id",
        "xi-2023",
        "--author",
        "Xi Jinping",
        "--family-first",
        cwd=good,
    )
    assert run.code == 0, run.err
    record = yaml.safe_load((good / "store" / "sources.yaml").read_text(encoding="utf-8"))[-1]
    assert record["author"] == [{"family": "Xi", "given": "Jinping", "static-ordering": True}]
    assert briefgen("check", cwd=good).code == 0


def test_ingest_refuses_an_existing_id(good: Path) -> None:
    before = (good / "store" / "sources.yaml").read_text(encoding="utf-8")
    run = briefgen(
        "ingest",
        str(ARTICLES / "cepa-kirillova-russo-iranian-axis.txt"),
        "--id",
        "doe-2024",
        cwd=good,
    )
    assert run.code == 1
    assert (
        "store/sources.yaml:1: id: source 'doe-2024' exists already; nothing was added" in run.err
    )
    assert (good / "store" / "sources.yaml").read_text(encoding="utf-8") == before


def test_import_csl_json(good: Path, tmp_path: Path) -> None:
    items = [
        {
            "id": "world-bank-2023",
            "type": "report",
            "title": "Commodity Markets Outlook",
            "author": [{"literal": "World Bank"}],
            "publisher": "World Bank",
            "issued": {"date-parts": [[2023, 10]]},
            "URL": "https://example.org/cmo",
        },
        {
            "id": "summit-2024",
            "type": "speech",
            "title": "Summit remarks",
            "issued": {"date-parts": [[2024, 6, 12], [2024, 6, 14]]},
        },
    ]
    path = tmp_path / "zotero.json"
    path.write_text(json.dumps(items), encoding="utf-8")
    run = briefgen("import", str(path), cwd=good)
    assert run.code == 0, run.err
    assert "added 2 sources to store/sources.yaml: world-bank-2023, summit-2024" in run.out
    record, ranged = yaml.safe_load((good / "store" / "sources.yaml").read_text())[-2:]
    assert record["issued"] == "2023-10" and record["author"] == [{"literal": "World Bank"}]
    assert ranged["issued"] == {"date-parts": [[2024, 6, 12], [2024, 6, 14]]}  # whole
    assert briefgen("check", cwd=good).code == 0


def test_import_bibtex_with_corporate_author(good: Path, tmp_path: Path) -> None:
    path = tmp_path / "refs.bib"
    path.write_text(
        """@article{smith2021,
  author = {Smith, Anna and {International Crisis Group}},
  title = {Drones and {Deterrence}},
  journal = {Survival},
  volume = {63}, number = {2}, pages = {45--67}, year = {2021}, month = mar
}
""",
        encoding="utf-8",
    )
    run = briefgen("import", str(path), cwd=good)
    assert run.code == 0, run.err
    record = yaml.safe_load((good / "store" / "sources.yaml").read_text())[-1]
    assert record == {
        "id": "smith2021",
        "type": "article-journal",
        "title": "Drones and Deterrence",
        "container-title": "Survival",
        "volume": "63",
        "issue": "2",
        "page": "45-67",  # as pandoc reads "45--67"; the style sets the dash
        "author": [{"family": "Smith", "given": "Anna"}, {"literal": "International Crisis Group"}],
        "issued": "2021-03",
        "keep-case": ["Deterrence"],
    }


def test_import_reports_malformed_and_duplicate_entries(good: Path, tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('[{"id": "doe-2024", "title": "Again"}]', encoding="utf-8")
    run = briefgen("import", str(path), cwd=good)
    assert run.code == 1
    assert "id: source 'doe-2024' exists already; nothing was added" in run.err
    path.write_text('[{"id": "x", "title": ', encoding="utf-8")
    run = briefgen("import", str(path), cwd=good)
    assert run.code == 1 and "not valid JSON" in run.err and "Traceback" not in run.err
    bib = tmp_path / "bad.bib"
    bib.write_text("@article{a, title = {One}}\n@article{a, title = {Two}}\n", encoding="utf-8")
    run = briefgen("import", str(bib), cwd=good)
    assert run.code == 1 and "entry key 'a' appears more than once" in run.err


ZOTERO = [  # the shapes Zotero and Better CSL JSON write
    {
        "id": "http://zotero.org/users/123/items/ABCD1234",
        "type": "article-magazine",
        "title": "Hidden Discord in the Alliance",
        "author": [{"family": "Svetlova", "given": "Ksenia"}],
        "issued": {"date-parts": [["2024", 6, 1]]},
        "accessed": {"date-parts": [["2024", "06", "12"]]},
    },
    {
        "id": "http://zotero.org/users/123/items/EFGH5678",
        "type": "report",
        "title": "The Russo-Iranian Axis",
        "issued": {"raw": "2023-03"},
        "citation-key": "kirillova2023axis",
    },
    {
        "id": "http://zotero.org/users/123/items/IJKL9012",
        "type": "report",
        "title": "Drones over the Gulf",
        "issued": {"date-parts": [[2023, 3], ["2023", "5"]], "circa": True},
        "accessed": {"literal": "2024-06-12"},
    },
]


def test_import_takes_zotero_csl_json_as_exported(good: Path, tmp_path: Path) -> None:
    """Date parts as text, raw and literal dates, ranges and circa are read; an item URI
    becomes a readable id (the citation key where there is one) and is kept; the store
    then checks."""
    path = tmp_path / "zotero.json"
    path.write_text(json.dumps(ZOTERO, indent=2), encoding="utf-8")
    run = briefgen("import", str(path), cwd=good)
    assert run.code == 0, run.err
    added = yaml.safe_load((good / "store" / "sources.yaml").read_text(encoding="utf-8"))[-3:]
    assert [s["id"] for s in added] == [
        "svetlova-2024-hidden",
        "kirillova2023axis",
        "source-2023-drones",
    ]
    assert [s["x-zotero-uri"] for s in added] == [item["id"] for item in ZOTERO]
    assert added[0]["issued"] == "2024-06-01" and added[0]["accessed"] == "2024-06-12"
    assert added[2]["issued"]["date-parts"] == [[2023, 3], ["2023", "5"]]  # a range stays whole
    check = briefgen("check", cwd=good)
    assert check.code == 0, check.err


def test_an_import_error_names_the_item_its_id_and_line(good: Path, tmp_path: Path) -> None:
    path = tmp_path / "zotero.json"
    items = [*ZOTERO[:2], {**ZOTERO[2], "reliability": "Z"}]
    path.write_text(json.dumps(items, indent=2), encoding="utf-8")
    run = briefgen("import", str(path), cwd=good)
    assert run.code == 1 and "Traceback" not in run.err
    line = next(n for n, text in enumerate(path.read_text().splitlines(), 1) if "IJKL9012" in text)
    assert (
        f"{path}:{line}: [2] 'source-2023-drones'.reliability: expected one of 'A', 'B', 'C', "
        "'D', 'E' or 'F', got 'Z'" in run.err
    )


@pytest.mark.parametrize(
    "written, name",
    [
        ("Jan van der Berg", {"family": "van der Berg", "given": "Jan"}),
        ("van der Berg, Jan", {"family": "van der Berg", "given": "Jan"}),
        ("Martin Luther King Jr.", {"family": "King", "given": "Martin Luther", "suffix": "Jr."}),
        ("King, Martin Luther, Jr.", {"family": "King", "given": "Martin Luther", "suffix": "Jr."}),
        ("José Luis de la Fuente", {"family": "de la Fuente", "given": "José Luis"}),
        ("Abu Bakr al-Baghdadi", {"family": "al-Baghdadi", "given": "Abu Bakr"}),
        ("Dr. Anna Smith", {"family": "Smith", "given": "Anna"}),
        ("Sukarno", {"literal": "Sukarno"}),
        ("习近平", {"family": "习", "given": "近平"}),
        ("{Institute for the Study of War}", {"literal": "Institute for the Study of War"}),
    ],
)
def test_an_author_is_split_as_people_write_names(written: str, name: dict[str, str]) -> None:
    assert parse_author(written) == name


_GIVEN = st.sampled_from(["Jan", "Anna Maria", "Ksenia", "José Luis", "Abu Bakr"])
_PARTICLE = st.sampled_from(["", "van", "van der", "de la", "von", "de"])
_FAMILY = st.sampled_from(["Berg", "Svetlova", "Fuente", "Neumann", "Smith"])
_SUFFIX = st.sampled_from(["", "Jr.", "III"])


@given(given=_GIVEN, particle=_PARTICLE, family=_FAMILY, suffix=_SUFFIX, inverted=st.booleans())
def test_every_part_of_a_name_lands_in_its_place(
    given: str, particle: str, family: str, suffix: str, inverted: bool
) -> None:
    """Given names, particles, family name and suffix, written "Given Family Suffix" or
    "Family, Given, Suffix": none is lost, each in its CSL part."""
    surname = f"{particle} {family}".strip()
    written = (
        f"{surname}, {given}" + (f", {suffix}" if suffix else "")
        if inverted
        else " ".join(p for p in (given, surname, suffix) if p)
    )
    name = parse_author(written)
    if particle == "von":  # German: CSL's dropping particle (see names.DROPPING)
        assert name.get("dropping-particle") == particle, (written, name)
        surname = family
    assert name.get("family") == surname, (written, name)
    assert name.get("given") == given, (written, name)
    assert name.get("suffix", "") == suffix, (written, name)
