"""Citations a style guide would pass, in memos built through the command line.

Titles are title-cased only in English; a type the style leaves out of its list makes
no empty entry (and no heading over an empty list); the heading is the locale's word
where CSL has one; old style names ("vancouver") still work; a misspelt one gets the
nearest shipped names. pandoc's citeproc, run directly, is the oracle wherever it can be.
"""

from __future__ import annotations

import difflib
import json
import re
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from briefgen.cite import pandoc as cite
from briefgen.resolve.words import translations

from ..conftest import briefgen
from .memos import (
    build,
    csl_json,
    docx_bibliography,
    html_bibliography,
    pandoc_bibliography,
    pdf_text,
    write_workspace,
)

STYLES = ["chicago-notes-bibliography", "apa"]
# (the language a title is in, whether the source states it, words of such titles)
TITLES = {
    "en": (False, ["drones", "over", "the", "gulf", "and", "markets"]),
    "en-GB": (True, ["sanctions", "on", "oil", "tankers", "in", "winter"]),
    "de": (True, ["die", "neue", "ordnung", "der", "welt", "öl"]),
    "fr": (True, ["la", "route", "maritime", "du", "nord", "été"]),
    "ru": (False, ["севморпуть", "теряет", "транзит", "и", "грузы"]),
    "el": (False, ["νέα", "τάξη", "στη", "μεσόγειο"]),
    "fa": (False, ["نفت", "و", "تحریم\u200cها"]),
    "zh": (False, ["北极航道", "失去", "过境"]),
    "ko": (False, ["북극", "항로의", "미래"]),
}
_FAMILIES = ["Roe", "Poe", "Zoe", "Doe", "Moe", "Loe"]


@st.composite
def _titled_sources(draw: st.DrawFn) -> list[tuple[str, dict[str, Any]]]:
    languages = draw(st.lists(st.sampled_from(sorted(TITLES)), min_size=2, max_size=5))
    out = []
    for i, language in enumerate(languages):
        stated, words = TITLES[language]
        title = " ".join(draw(st.lists(st.sampled_from(words), min_size=2, max_size=5)))
        record: dict[str, Any] = {
            "id": f"s{i}",
            "type": draw(st.sampled_from(["book", "article-journal", "report"])),
            "title": title,
            "author": [{"family": _FAMILIES[i], "given": "Ann"}],
            "issued": "2020",
        }
        if record["type"] == "article-journal":
            record["container-title"] = "Survival"
        if stated:
            record["language"] = language
        out.append((language, record))
    return out


@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@example(
    sources=[
        (
            "ru",
            {
                "id": "s0",
                "type": "book",
                "title": "севморпуть теряет транзит",
                "issued": "2020",
                "author": [{"family": "Roe", "given": "Ann"}],
            },
        ),
        (
            "de",
            {
                "id": "s1",
                "type": "book",
                "title": "die neue ordnung",
                "issued": "2020",
                "language": "de",
                "author": [{"family": "Poe", "given": "Ann"}],
            },
        ),
    ],
    style="chicago-notes-bibliography",
)
@given(sources=_titled_sources(), style=st.sampled_from(STYLES))
def test_only_english_titles_are_title_cased(
    tmp_path_factory: pytest.TempPathFactory,
    sources: list[tuple[str, dict[str, Any]]],
    style: str,
) -> None:
    """A title in Cyrillic, Greek, Arabic script, Chinese or Korean, or with a language
    that is not English, prints as typed; the whole list reads as pandoc's citeproc
    prints the records given the languages they are in."""
    records = [record for _, record in sources]
    root = write_workspace(tmp_path_factory.mktemp("titles"), records, {"citation-style": style})
    for fmt in ("html", "docx"):
        run = build(root, fmt)
        assert run.code == 0, run.err
    _, html_entries = html_bibliography(root)
    _, docx_entries = docx_bibliography(root)
    oracle = pandoc_bibliography([{**csl_json(r), "language": lang} for lang, r in sources], style)
    assert html_entries == docx_entries == oracle
    for language, record in sources:
        if not language.startswith("en"):
            assert any(record["title"] in entry for entry in html_entries), (record, html_entries)


LEFT_OUT = ["personal_communication", "interview", "post", "post-weblog"]
CONTAINED = {"article-newspaper", "webpage"}
TYPES = st.sampled_from([*LEFT_OUT, "book", "report", "webpage", "article-newspaper"])


@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@example(types=["personal_communication", "interview"], style="chicago-notes-bibliography")
@example(types=["personal_communication", "book"], style="apa")
@given(
    types=st.lists(TYPES, min_size=1, max_size=5),
    style=st.sampled_from([*STYLES, "chicago-author-date"]),
)
def test_no_empty_bibliography_entries(
    tmp_path_factory: pytest.TempPathFactory, types: list[str], style: str
) -> None:
    """A type the style leaves out of its list (Chicago: personal communications and
    interviews) makes no empty entry in the HTML, DOCX or PDF; a list left empty has no
    heading. The entries are pandoc's for the same records."""
    records = [
        {
            "id": f"s{i}",
            "type": kind,
            "title": "Letter on grain",
            "author": [{"family": _FAMILIES[i], "given": "Ann"}],
            "issued": "2020-03-04",
            # a container makes Chicago list even a personal communication
            **({"container-title": "Daily Report"} if kind in CONTAINED else {}),
        }
        for i, kind in enumerate(types)
    ]
    root = write_workspace(tmp_path_factory.mktemp("types"), records, {"citation-style": style})
    for fmt in ("html", "docx", "pdf"):
        run = build(root, fmt)
        assert run.code == 0, run.err
    oracle = pandoc_bibliography([csl_json(r) for r in records], style)
    heading, html_entries = html_bibliography(root)
    headings, docx_entries = docx_bibliography(root)
    pdf = pdf_text(root)
    assert html_entries == docx_entries == oracle
    assert all(entry.strip() for entry in html_entries)
    listed = "References" if style != "chicago-notes-bibliography" else "Bibliography"
    assert (heading == listed) == bool(oracle) and (heading is None) == (not oracle)
    assert (listed in headings) == bool(oracle)
    assert (listed in pdf) == bool(oracle)
    assert all(entry in pdf for entry in oracle), (oracle, pdf)


_TERM_STYLE = """<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
<info><title>t</title><id>t</id><updated>2024-01-01T00:00:00+00:00</updated></info>
<citation><layout><text term="reference" plural="true"/></layout></citation></style>"""


def _locale_term(locale: str) -> str:
    """Return CSL's term "reference", plural, in `locale`, as pandoc's citeproc has it."""
    with tempfile.TemporaryDirectory() as folder:
        style = Path(folder) / "t.csl"
        style.write_text(_TERM_STYLE, encoding="utf-8")
        doc = Path(folder) / "d.md"
        doc.write_text(
            f"---\nlang: {locale}\nreferences:\n- id: a\n  type: book\n---\n[@a]\n",
            encoding="utf-8",
        )
        done = subprocess.run(
            [cite.pandoc_path(), "--citeproc", f"--csl={style}", "-t", "plain", str(doc)],
            capture_output=True,
            check=True,
            timeout=60,
        )
    term = done.stdout.decode("utf-8").strip()
    return term[:1].upper() + term[1:]


@pytest.mark.parametrize(
    "style, locale, heading",
    [
        ("apa", "en-US", None),
        ("apa", "de-DE", None),
        ("apa", "fr-FR", None),
        ("vancouver", "ru-RU", None),
        ("chicago-author-date", "de-DE", None),
        ("chicago-notes-bibliography", "de-DE", "Bibliography"),
        ("modern-language-association", "de-DE", "Works Cited"),
    ],
)
def test_the_heading_follows_the_style_and_the_locale(
    tmp_path: Path, style: str, locale: str, heading: str | None
) -> None:
    """Author-date and numeric styles head their list with the locale's word for
    references; CSL has none for a bibliography or works cited (Chicago, MLA), so those
    come from briefgen's own catalogue for the locale."""
    records = [
        {
            "id": "s0",
            "type": "book",
            "title": "Names",
            "issued": "2020",
            "author": [{"family": "Roe", "given": "Ann"}],
        }
    ]
    root = write_workspace(tmp_path, records, {"citation-style": style, "locale": locale})
    assert build(root, "html").code == 0
    expected = translations(locale).gettext(heading) if heading else _locale_term(locale)
    assert html_bibliography(root)[0] == expected


def test_vancouver_is_the_renamed_nlm_style(tmp_path: Path) -> None:
    """The style repository renamed "vancouver" to "nlm-citation-sequence"
    (renamed-styles.json); the old name still builds, as pandoc prints the new style."""
    folder = cite.styles_folder()
    renamed = json.loads((folder / "renamed-styles.json").read_text(encoding="utf-8"))
    records = [
        {
            "id": "s0",
            "type": "book",
            "title": "Names",
            "issued": "2020",
            "author": [{"family": "Roe", "given": "Ann"}],
        }
    ]
    root = write_workspace(tmp_path, records, {"citation-style": "vancouver"})
    assert briefgen("check", cwd=root).code == 0
    assert build(root, "html").code == 0
    assert html_bibliography(root)[1] == pandoc_bibliography(
        [csl_json(r) for r in records], renamed["vancouver"]
    )


def _shipped_names() -> list[str]:
    folder = cite.styles_folder()
    renamed = json.loads((folder / "renamed-styles.json").read_text(encoding="utf-8"))
    stems = [p.stem for p in folder.glob("*.csl")] + [
        p.stem for p in folder.glob("dependent/*.csl")
    ]
    return sorted({*stems, *renamed})


_KNOWN = [
    "chicago-notes-bibliography",
    "apa",
    "vancouver",
    "harvard-cite-them-right",
    "ieee",
    "modern-language-association",
    "nature",
    "chicago-author-date",
]


@st.composite
def _near_names(draw: st.DrawFn) -> str:
    name = draw(st.sampled_from(_KNOWN))
    at = draw(st.integers(0, len(name) - 1))
    edit = draw(st.sampled_from(["drop", "swap", "change", "double"]))
    if edit == "drop":
        return name[:at] + name[at + 1 :]
    if edit == "swap" and at + 1 < len(name):
        return name[:at] + name[at + 1] + name[at] + name[at + 2 :]
    if edit == "change":
        return name[:at] + draw(st.sampled_from("aeiouxz-")) + name[at + 1 :]
    return name[:at] + name[at] + name[at:]


@settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@example(name="vancuver")
@example(name="vancouver")
@example(name="apa")
@example(name="chicago-notes-bibliografy")
@given(name=_near_names())
def test_a_misspelt_style_gets_the_nearest_shipped_names(
    tmp_path_factory: pytest.TempPathFactory, name: str
) -> None:
    """check names briefgen.yaml's line and key, suggests the shipped names difflib
    finds nearest, and exits 1; where the name is a real one, check passes and build
    succeeds."""
    records = [{"id": "s0", "type": "book", "title": "Names", "issued": "2020"}]
    root = write_workspace(tmp_path_factory.mktemp("style"), records, {"citation-style": name})
    run = briefgen("check", cwd=root)
    names = _shipped_names()
    if name in names:
        assert run.code == 0, run.err
        assert build(root, "html").code == 0
        return
    assert run.code == 1
    line = next(
        n
        for n, text in enumerate((root / "briefgen.yaml").read_text().splitlines(), 1)
        if text.startswith("citation-style:")
    )
    close = difflib.get_close_matches(name, names, n=3, cutoff=0.6)
    suggestion = f" (did you mean {', '.join(map(repr, close))}?)" if close else ""
    assert (
        f"briefgen.yaml:{line}: citation-style: unknown citation style {name!r}{suggestion}\n"
        in run.err
    ), run.err
    assert "Traceback" not in run.err and not re.search(r"audiences\[\d\]", run.err)


_NON_LATIN_WORDS = ["россия", "в", "глобальной", "политике", "νέα", "εστία", "հայաստան"]


@settings(
    max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    words=st.lists(st.sampled_from(_NON_LATIN_WORDS), min_size=1, max_size=4),
    style=st.sampled_from(["chicago-notes-bibliography", "chicago-author-date"]),
)
def test_a_foreign_container_of_an_english_title_prints_as_typed(
    tmp_path_factory: pytest.TempPathFactory, words: list[str], style: str
) -> None:
    """An English article in a Russian or Greek journal: the title is title-cased, the
    journal's name is not. The oracle is pandoc's entry for the article in a journal
    named by a placeholder that title case leaves alone, the name then put in."""
    container = " ".join(words)
    record = {
        "id": "s0",
        "type": "article-journal",
        "title": "drones over the gulf",
        "container-title": container,
        "author": [{"family": "Roe", "given": "Ann"}],
        "issued": "2020",
    }
    root = write_workspace(
        tmp_path_factory.mktemp("container"), [record], {"citation-style": style}
    )
    assert build(root, "html").code == 0
    placeholder = {**csl_json(record), "container-title": "QQQ"}
    expected = [e.replace("QQQ", container) for e in pandoc_bibliography([placeholder], style)]
    assert html_bibliography(root)[1] == expected
