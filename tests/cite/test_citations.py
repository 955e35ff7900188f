"""Notes and bibliographies against references derived by hand from each manual's rules.

Chicago: The Chicago Manual of Style, 18th ed., notes and bibliography (ch. 14):
full first note, then short notes (author's surname, short title of at most four
words, locator); headline-case titles; bibliography sorted by author; place of
publication dropped (new in the 18th ed.); an initial "The" dropped from newspaper
names (14.89); access dates only for undated online sources; "[March 2023?]" for a
conjectured date. APA: Publication Manual, 7th ed.: sentence-case titles of articles,
reports, books and pages; author-date in-text citations with page or paragraph;
publisher left out when it is the author (9.24); "Retrieved … from" for undated pages;
a title standing in for an author is in title case in the text (8.14).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from briefgen.cite import pandoc as cite
from briefgen.cite.csl import (
    _bare,
    csl_item,
    names_in,
    proper_nouns,
    sentence_case,
    short_title,
    style_family,
)
from briefgen.model import Span
from briefgen.readers.records import Source
from briefgen.readers.validate import read

SOURCES = [
    {
        "id": "svetlova",
        "type": "article-magazine",
        "title": "Hidden Discord in the Russia-Iran Alliance",
        "author": [{"family": "Svetlova", "given": "Ksenia"}],
        "container-title": "Jerusalem Strategic Tribune",
        "issued": "2024-06",
    },
    {
        "id": "doe",
        "type": "article-newspaper",
        "title": "Grain Talks Stall Again",
        "author": [{"family": "Doe", "given": "Jane"}],
        "container-title": "The Daily Example",
        "issued": "2024-06-12",
        "URL": "https://example.org/grain",
    },
    {
        "id": "smith",
        "type": "article-journal",
        "title": "Drones and Deterrence",
        "author": [{"family": "Smith", "given": "Anna"}],
        "container-title": "Survival",
        "volume": "63",
        "issue": "2",
        "page": "45–67",
        "issued": "2021",
        "DOI": "10.1080/00396338.2021.1234567",
    },
    {
        "id": "wb",
        "type": "report",
        "title": "Commodity Markets Outlook",
        "author": [{"literal": "World Bank"}],
        "publisher": "World Bank",
        "issued": "2023-10",
        "URL": "https://example.org/cmo",
    },
    {
        "id": "tracker",
        "type": "webpage",
        "title": "Sanctions Tracker",
        "container-title": "Example Institute",
        "accessed": "2024-06-03",
        "URL": "https://example.org/tracker",
    },
    {
        "id": "stent",
        "type": "book",
        "title": "Putin’s World: Russia Against the West and with the Rest",
        "author": [{"family": "Stent", "given": "Angela"}],
        "publisher": "Twelve",
        "issued": "2019",
    },
    {
        "id": "kirillova",
        "type": "article-magazine",
        "author": [{"family": "Kirillova", "given": "Kseniya"}],
        "container-title": "Europe’s Edge",
        "publisher": "Center for European Policy Analysis",
        "issued": {"date-parts": [[2023, 3]], "circa": True},
    },
]
LOCATORS = {"svetlova": "para. 6", "smith": "12", "wb": "12", "stent": "12", "kirillova": "para. 6"}
CORPUS = ["Both seek to weaken the West, and Russia and Iran compete for markets."]

CHICAGO_FIRST = [
    "Ksenia Svetlova, “Hidden Discord in the Russia-Iran Alliance,” *Jerusalem Strategic "
    "Tribune*, June 2024, para. 6.",
    "Jane Doe, “Grain Talks Stall Again,” *Daily Example*, June 12, 2024, "
    "https://example.org/grain.",
    "Anna Smith, “Drones and Deterrence,” *Survival* 63, no. 2 (2021): 12, "
    "https://doi.org/10.1080/00396338.2021.1234567.",
    "World Bank, *Commodity Markets Outlook* (World Bank, 2023), 12, https://example.org/cmo.",
    "“Sanctions Tracker,” Example Institute, accessed June 3, 2024, https://example.org/tracker.",
    "Angela Stent, *Putin’s World: Russia against the West and with the Rest* (Twelve, 2019), 12.",
    "Kseniya Kirillova, *Europe’s Edge*, [March 2023?], para. 6.",
]
CHICAGO_SHORT = [
    "Svetlova, “Hidden Discord,” 7.",
    "Doe, “Grain Talks Stall Again,” 7.",
    "Smith, “Drones and Deterrence,” 7.",
    "World Bank, *Commodity Markets Outlook*, 7.",
    "Example Institute, “Sanctions Tracker,” 7.",
    "Stent, *Putin’s World*, 7.",
    "Kirillova, 7.",
]
CHICAGO_BIBLIOGRAPHY = [
    "Doe, Jane. “Grain Talks Stall Again.” *Daily Example*, June 12, 2024. "
    "https://example.org/grain.",
    "Example Institute. “Sanctions Tracker.” Accessed June 3, 2024. https://example.org/tracker.",
    "Kirillova, Kseniya. *Europe’s Edge*, [March 2023?].",
    "Smith, Anna. “Drones and Deterrence.” *Survival* 63, no. 2 (2021): 45–67. "
    "https://doi.org/10.1080/00396338.2021.1234567.",
    "Stent, Angela. *Putin’s World: Russia against the West and with the Rest*. Twelve, 2019.",
    "Svetlova, Ksenia. “Hidden Discord in the Russia-Iran Alliance.” *Jerusalem Strategic "
    "Tribune*, June 2024.",
    "World Bank. *Commodity Markets Outlook*. World Bank, 2023. https://example.org/cmo.",
]
APA_IN_TEXT = [
    "(Svetlova, 2024, para. 6)",
    "(Doe, 2024)",
    "(Smith, 2021, p. 12)",
    "(World Bank, 2023, p. 12)",
    "(*Sanctions Tracker*, n.d.)",
    "(Stent, 2019, p. 12)",
    "(Kirillova, ca. 2023, para. 6)",
]
APA_REFERENCES = [
    "Doe, J. (2024, June 12). Grain talks stall again. *The Daily Example*. "
    "https://example.org/grain",
    "Kirillova, K. (ca. 2023, March). *Europe’s Edge*.",
    "*Sanctions tracker*. (n.d.). Example Institute. Retrieved June 3, 2024, from "
    "https://example.org/tracker",
    "Smith, A. (2021). Drones and deterrence. *Survival*, *63*(2), 45–67. "
    "https://doi.org/10.1080/00396338.2021.1234567",
    "Stent, A. (2019). *Putin’s world: Russia against the West and with the rest*. Twelve.",
    "Svetlova, K. (2024, June). Hidden discord in the Russia-Iran alliance. *Jerusalem "
    "Strategic Tribune*.",
    "World Bank. (2023). *Commodity markets outlook*. https://example.org/cmo",
]


def _source(data: dict[str, Any]) -> Source:
    """Return a source record read as the store's are."""
    record = read(Source, data)
    assert record is not None, data
    return record


def _marked(spans: list[Span]) -> str:
    return "".join(f"*{s.text}*" if s.italic else s.text for s in spans)


def _render(style: str) -> cite.Rendered:
    names = proper_nouns(CORPUS)
    items = [csl_item(_source(s), names, style_family(style)) for s in SOURCES]
    first = [[cite.Cite(s["id"], LOCATORS.get(s["id"]))] for s in SOURCES]
    again = [[cite.Cite(s["id"], "7")] for s in SOURCES]
    return cite.render(first + again, items, cite.find_style(style))


def test_chicago_notes_and_bibliography() -> None:
    out = _render("chicago-notes-bibliography")
    assert out.note_style
    notes = [_marked(c) for c in out.clusters]
    assert notes[:7] == CHICAGO_FIRST
    assert notes[7:] == CHICAGO_SHORT
    assert [_marked(b) for _, b in out.bibliography] == CHICAGO_BIBLIOGRAPHY


def test_apa_in_text_and_references() -> None:
    out = _render("apa")
    assert not out.note_style
    assert [_marked(c) for c in out.clusters][:7] == APA_IN_TEXT
    assert [_marked(b) for _, b in out.bibliography] == APA_REFERENCES


def test_given_names_are_never_initials_in_chicago() -> None:
    notes = [_marked(c) for c in _render("chicago-notes-bibliography").clusters]
    assert "Ksenia Svetlova" in notes[0] and "Kseniya Kirillova" in notes[6]
    assert not any("K. " in n for n in notes)


@pytest.mark.parametrize(
    "title, expected",
    [
        (
            "Hidden Discord in the Russia-Iran Alliance",
            "Hidden discord in the Russia-Iran alliance",
        ),
        (
            "Putin’s World: Russia Against the West and with the Rest",
            "Putin’s world: Russia against the West and with the rest",
        ),
        ("NATO and the EU: A Balance Sheet", "NATO and the EU: A balance sheet"),
        ("Already in sentence case, with Russia", "Already in sentence case, with Russia"),
    ],
)
def test_sentence_case_keeps_names(title: str, expected: str) -> None:
    assert sentence_case(title, proper_nouns(CORPUS)) == expected


@pytest.mark.parametrize(
    "title, expected",
    [
        ("Hidden Discord in the Russia-Iran Alliance", "Hidden Discord"),
        ("Putin’s World: Russia Against the West", "Putin’s World"),
        ("Grain Talks Stall Again", "Grain Talks Stall Again"),
        ("The Long Road to a Comprehensive Treaty", "Long Road"),
    ],
)
def test_short_titles(title: str, expected: str) -> None:
    assert short_title(title) == expected


def test_unknown_style_suggests_names() -> None:
    with pytest.raises(cite.StyleError, match="unknown citation style 'chicago-notes-bibliografy'"):
        cite.find_style("chicago-notes-bibliografy")


@pytest.mark.parametrize(
    "style, note, entry",
    [
        (
            "chicago-notes-bibliography",
            "Ann Roe, *Monthly*, n.d., para. 2.",
            "Roe, Ann. *Monthly*, n.d.",
        ),
        ("apa", "(Roe, n.d., para. 2)", "Roe, A. (n.d.). *Monthly*."),
    ],
)
def test_missing_title_and_date_show_honestly(style: str, note: str, entry: str) -> None:
    """Nothing is invented: no title where the source states none, "n.d." for no date."""
    source = _source(
        {
            "id": "x",
            "type": "article-magazine",
            "author": [{"family": "Roe", "given": "Ann"}],
            "container-title": "Monthly",
        }
    )
    out = cite.render(
        [[cite.Cite("x", "para. 2")]],
        [csl_item(source, set(), style_family(style))],
        cite.find_style(style),
    )
    assert _marked(out.clusters[0]) == note
    assert _marked(out.bibliography[0][1]) == entry


def test_month_names_keep_their_capital_in_sentence_case() -> None:
    assert sentence_case("World Economic Outlook, April 2024", proper_nouns([])) == (
        "World economic outlook, April 2024"
    )


def test_a_citation_server_formats_each_memo_afresh(tmp_path: Path) -> None:
    """One pandoc process serves a whole build: no memo's notes may depend on another's
    (a source cited in an earlier memo still gets a full first note), and a failing
    request leaves the server working."""
    style = cite.find_style("chicago-notes-bibliography")
    names = proper_nouns(CORPUS)
    items = [csl_item(_source(s), names, "note") for s in SOURCES[:3]]
    clusters = [
        [cite.Cite("svetlova", "para. 6")],
        [cite.Cite("doe")],
        [cite.Cite("svetlova", "para. 7")],
    ]
    alone = cite.render(clusters, items, style)
    broken = tmp_path / "broken.csl"
    broken.write_text("<style>", encoding="utf-8")
    with cite.Citeproc(style) as server:
        first = server.render(clusters, items, style)
        with pytest.raises(cite.StyleError, match="broken.csl"):
            server.render(clusters, items, broken)
        again = server.render(clusters, items, style)
    assert first == again == alone
    assert _marked(first.clusters[0]) == CHICAGO_FIRST[0]
    assert _marked(first.clusters[2]).startswith("Svetlova, “Hidden Discord")


_LOWER = "".join(c for c in map(chr, range(0x2000)) if c.islower())
_UPPER = "".join(c for c in map(chr, range(0x2000)) if c.isupper() or c.istitle())
_NAME_AFTER_LOWER = re.compile(rf"[{_LOWER}0-9,;)’'”]\s+([{_UPPER}][\w’']*(?:-[{_UPPER}][\w’']*)*)")


@settings(max_examples=2000, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            list("aZB9,;)’'”. -\t\néÉжЖλΛ") + ["Iran", "met ", " Putin", "Москва", "Αθήνα"]
        ),
        max_size=30,
    ).map("".join)
)
def test_names_are_found_as_by_the_plain_pattern(text: str) -> None:
    """names_in tests the character before a name itself; it finds what one pattern
    holding that character finds, consecutive capitalised words included, in every
    script that has case."""
    plain = [
        _bare(part) for m in _NAME_AFTER_LOWER.finditer(text) for part in m.group(1).split("-")
    ]
    assert list(names_in(text)) == plain


# Name parts in every script, with what citeproc parses out of a name: lower-case words
# (particles), commas (a suffix), quotes, and punctuation at the start.
_NAME_WORDS = [
    "Anna",
    "jøgz",
    "van",
    "Łódź",
    "Москва",
    "Αθήνα",
    "تهران",
    "שלום",
    "李",
    "小龙",
    "나국",
    "नबम",
    "ภาษา",
    "あい",
    '"',
    ",",
    "-",
    "Jr.",
    "θβνγωληςβνδ",  # lower-case words of other cased scripts, taken for particles too
    "москва",
    "\u2011",  # a non-breaking hyphen
]
_NAME = st.lists(st.sampled_from(_NAME_WORDS), min_size=1, max_size=4).map(" ".join)


@settings(max_examples=25, deadline=None)
@example(family="नबम", given_name="Anna jøgz", style="chicago-notes-bibliography")
@example(family='"', given_name="Anna jøgz", style="chicago-notes-bibliography")
@example(family="- 나국", given_name="- , Łódź", style="chicago-notes-bibliography")
@example(family=", & नबम", given_name='" jøgz', style="chicago-notes-bibliography")
@example(family="- θβνγωληςβνδ - \u2011", given_name="bell", style="chicago-notes-bibliography")
@given(
    family=_NAME,
    given_name=_NAME,
    style=st.sampled_from(["chicago-notes-bibliography", "chicago-author-date"]),
)
def test_every_letter_of_a_name_in_any_script_is_printed(
    family: str, given_name: str, style: str
) -> None:
    """citeproc prints a Chinese, Korean or Devanagari name family name first and left
    out what it took for particles and suffixes: "नबम" with "Anna jøgz" printed "नबमAnna".
    """
    source = _source(
        {
            "id": "s",
            "type": "book",
            "title": "T",
            "author": [{"family": family, "given": given_name}],
            "issued": "2024",
        }
    )
    item = csl_item(source, set(), style_family(style))
    rendered = cite.render([[cite.Cite("s")]], [item], cite.find_style(style, Path(".")))
    letters = [c for c in family + given_name if c.isalnum()]
    shown = [rendered.bibliography[0][1]] + [rendered.clusters[0]] * rendered.note_style
    for printed in shown:  # an author-date citation gives the family name alone
        text = "".join(span.text for span in printed)
        assert all(c in text for c in letters), (family, given_name, text)


_TITLE_WORDS = st.sampled_from(
    ["Севморпуть", "теряет", "Drones", "over", "the", "Gulf", "Öl", "and", "транзит"]
)


@given(
    before=st.lists(_TITLE_WORDS, min_size=1, max_size=5),
    inside=st.lists(_TITLE_WORDS, min_size=1, max_size=5),
    after=st.lists(_TITLE_WORDS, max_size=3),
    marks=st.sampled_from(["[]", "()", "“”", "«»"]),
)
def test_a_short_title_is_never_cut_inside_brackets(
    before: list[str], inside: list[str], after: list[str], marks: str
) -> None:
    """A short title keeps a bracketed part (a translation, an aside) whole or leaves it
    out: "Севморпуть теряет транзит [The," was a note's short title."""
    title = " ".join([*before, marks[0] + " ".join(inside) + marks[1], *after])
    short = short_title(title)
    assert short.count(marks[0]) == short.count(marks[1]), (title, short)
    assert title.startswith(short) or title.split(maxsplit=1)[-1].startswith(short), (title, short)


@pytest.mark.parametrize("order", ["href first", "rel first"])
def test_a_dependent_style_file_in_the_workspace_uses_its_shipped_parent(
    tmp_path: Path, order: str
) -> None:
    """A journal's dependent style, saved in the workspace, names its parent by URL:
    pandoc would fetch it over the network. Its parent is taken from the shipped styles,
    however the link's attributes are ordered; an unknown parent is an error to act on."""
    shipped = cite.find_style("2d-materials")  # a shipped dependent style: its parent
    attributes = [
        'href="http://www.zotero.org/styles/institute-of-physics-numeric"',
        'rel="independent-parent"',
    ]
    if order == "rel first":
        attributes.reverse()
    body = f'<style xmlns="http://purl.org/net/xbiblio/csl" version="1.0"><info><link {" ".join(attributes)}/></info></style>'
    (tmp_path / "journal.csl").write_text(body, encoding="utf-8")
    assert cite.find_style("journal.csl", tmp_path) == shipped
    (tmp_path / "lost.csl").write_text(
        body.replace("institute-of-physics-numeric", "no-such-style"), encoding="utf-8"
    )
    with pytest.raises(cite.StyleError, match="depends on the style 'no-such-style'"):
        cite.find_style("lost.csl", tmp_path)
