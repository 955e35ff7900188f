"""`import`: .bib files read by pandoc, as Better BibTeX exports them, and importing again."""

from __future__ import annotations

import json
import re
import tempfile
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from ..conftest import briefgen, make_workspace
from ..docx_read import W, notes, part_xml

# A Better BibLaTeX export (TeX accents, langid, date, urldate) and a Better BibTeX one
# (year and month, address, UTF-8 accents), as Zotero writes them.
EXPORT = r"""
@comment{jabref-meta: databaseType:biblatex;}

@report{muller2023,
  title = {Die {Zukunft} der {NATO}: Strategien f\"ur Au{\ss}enpolitik},
  author = {M\"uller, J\"org and {Deutsche Gesellschaft f\"ur Ausw\"artige Politik}},
  institution = {DGAP},
  location = {Berlin},
  number = {12},
  type = {DGAP-Bericht},
  date = {2023-05-17},
  urldate = {2024-01-02},
  url = {https://dgap.org/de/bericht-12},
  langid = {ngerman},
}

@incollection{dupont2020,
  title = {La {Russie} et l'{Iran} face aux sanctions},
  booktitle = {Le {Moyen-Orient} en crise},
  author = {Dupont, Marie-Hélène},
  editor = {Lefèvre, Éric and Durand, Paul},
  translator = {Smith, John},
  publisher = {Presses universitaires de France},
  address = {Paris},
  year = {2020},
  pages = {12--30},
  langid = {french},
}

@techreport{icg2023,
  title = {Drones and {Deterrence} in the {iPhone} era},
  author = {{International Crisis Group}},
  institution = {International Crisis Group},
  number = {241},
  type = {Middle East Report},
  year = {2023},
  month = may,
}

@misc{tass2024,
  title = {Russia and {Iran} sign a treaty},
  howpublished = {TASS},
  url = {https://tass.com/politics/1},
  urldate = {2024-06-01},
  year = {2024},
}

@online{sahin2024,
  title = {{\"U}nal and the {Caspian} corridor},
  author = {{\c{S}}ahin, {\.I}brahim},
  url = {https://example.org/caspian},
  date = {2024-03},
  urldate = {2024-04-02},
}
"""


def _imported(ws: Path, text: str, name: str = "export.bib") -> dict[str, dict[str, Any]]:
    path = ws.parent / name
    path.write_text(text, encoding="utf-8")
    run = briefgen("import", str(path), cwd=ws)
    assert run.code == 0, run.err
    return {s["id"]: s for s in yaml.safe_load((ws / "store" / "sources.yaml").read_text())}


def test_a_better_bibtex_export_imports_every_field_decoded(good: Path) -> None:
    sources = _imported(good, EXPORT)
    assert sources["muller2023"] == {
        "id": "muller2023",
        "type": "report",
        "title": "Die Zukunft der NATO: Strategien für Außenpolitik",
        "author": [
            {"family": "Müller", "given": "Jörg"},
            {"literal": "Deutsche Gesellschaft für Auswärtige Politik"},
        ],
        "publisher": "DGAP",
        "publisher-place": "Berlin",
        "issued": "2023-05-17",
        "accessed": "2024-01-02",
        "URL": "https://dgap.org/de/bericht-12",
        "genre": "DGAP-Bericht",
        "language": "de-DE",
        "number": "12",
        "keep-case": ["Zukunft", "NATO"],  # braced
    }
    chapter = sources["dupont2020"]
    assert chapter["title"] == "La Russie et l’Iran face aux sanctions"  # pandoc's apostrophe
    assert chapter["container-title"] == "Le Moyen-Orient en crise"
    assert chapter["author"] == [{"family": "Dupont", "given": "Marie-Hélène"}]
    assert chapter["editor"] == [
        {"family": "Lefèvre", "given": "Éric"},
        {"family": "Durand", "given": "Paul"},
    ]
    assert chapter["translator"] == [{"family": "Smith", "given": "John"}]
    assert chapter["language"] == "fr-FR" and chapter["publisher-place"] == "Paris"
    report = sources["icg2023"]
    assert report["author"] == [{"literal": "International Crisis Group"}]
    assert (report["number"], report["genre"], report["issued"]) == (
        "241",
        "Middle East Report",
        "2023-05",
    )
    assert report["title"] == "Drones and Deterrence in the iPhone era"
    assert report["keep-case"] == ["Deterrence", "iPhone"]
    misc = sources["tass2024"]
    assert (misc["type"], misc["publisher"], misc["URL"]) == (
        "document",
        "TASS",
        "https://tass.com/politics/1",
    )
    assert misc["accessed"] == "2024-06-01"
    online = sources["sahin2024"]
    assert online["type"] == "webpage" and online["issued"] == "2024-03"
    assert online["title"] == "Ünal and the Caspian corridor"
    assert online["author"] == [{"family": "Şahin", "given": "İbrahim"}]
    assert briefgen("check", cwd=good).code == 0


class _Text(HTMLParser):
    """The text of an HTML page without its style sheet."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.skip += tag in ("style", "script")

    def handle_endtag(self, tag: str) -> None:
        self.skip -= tag in ("style", "script")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def _html_lines(path: Path) -> list[str]:
    page = _Text()
    page.feed(path.read_text(encoding="utf-8"))
    return [" ".join(line.split()) for line in "".join(page.parts).splitlines()]


def _cited(ws: Path) -> dict[str, list[str]]:
    """Build the good workspace with a claim citing the imported sources; return the notes
    and bibliography entries of the analysts' HTML and DOCX memos that name them."""
    claims = ws / "store" / "claims" / "imported.yaml"
    claims.write_text(
        "- id: imported-one\n  text: The alliance is debated.\n  date: 2024-06-12\n"
        "  topics: [trade]\n  sources:\n"
        + "".join(f"    - source: {s}\n" for s in ("muller2023", "icg2023", "sahin2024")),
        encoding="utf-8",
    )
    for fmt in ("html", "docx"):
        run = briefgen("build", "--all", str(ws), "--format", fmt, cwd=ws)
        assert run.code == 0, run.err
    out = ws / "out"
    docx = out / "weekly.analyst.docx"
    body = etree.fromstring(part_xml(docx, "word/document.xml"))
    paragraphs = ["".join(t.text or "" for t in p.iter(f"{W}t")) for p in body.iter(f"{W}p")]
    texts = {
        "html": _html_lines(out / "weekly.analyst.html"),
        "docx": paragraphs + list(notes(docx).values()) + list(notes(docx, "endnotes").values()),
    }
    return {k: [t for t in v if re.search("Müller|Crisis|Şahin", t)] for k, v in texts.items()}


def test_imported_names_and_protected_case_print_in_the_memo_without_markup(good: Path) -> None:
    """What pandoc decoded prints in notes and bibliography, the braced words in their
    case, and no TeX or CSL markup is left to print."""
    _imported(good, EXPORT)
    for fmt, texts in _cited(good).items():
        assert len(texts) >= 4, (fmt, texts)  # three in a note, three in the bibliography
        shown = " ".join(texts)
        for name in ("Müller", "Jörg", "Deutsche Gesellschaft für Auswärtige Politik", "Şahin"):
            assert name in shown, (fmt, name, shown)
        # Chicago puts the English title in headline case, braced words as written
        assert "iPhone" in shown and "Deterrence" in shown and "NATO" in shown, shown
        assert "Ünal and the Caspian Corridor" in shown, shown
        for markup in ("nocase", "<span", "{", "}", "\\"):
            assert markup not in shown, (fmt, markup, shown)


def test_a_german_titles_nouns_keep_their_capitals_in_the_memo(good: Path) -> None:
    _imported(good, EXPORT)
    for texts in _cited(good).values():
        assert "Die Zukunft der NATO: Strategien für Außenpolitik" in " ".join(texts)


def test_language_stands_for_langid_when_there_is_none(good: Path) -> None:
    """Zotero's own BibTeX export writes `language`; pandoc reads only `langid`, and took
    the German title for English, putting it into sentence case."""
    sources = _imported(
        good,
        "@book{a, title = {Die Zukunft Europas}, language = {german}, year = 2020}\n"
        '@book{b,\n  title = {Die Zukunft Europas}, langid = {french},\n  language = "german"}\n',
    )
    assert sources["a"]["title"] == "Die Zukunft Europas" and sources["a"]["language"] == "de-DE"
    assert sources["b"]["language"] == "fr-FR"


def test_a_malformed_bib_names_its_line_entry_and_what_pandoc_expected(
    good: Path, tmp_path: Path
) -> None:
    before = (good / "store" / "sources.yaml").read_bytes()
    bib = tmp_path / "bad.bib"
    bib.write_text(
        "@article{one, title = {One}}\n\n@article{two, title = {Two}\n@book{three, title={x}}\n",
        encoding="utf-8",
    )
    run = briefgen("import", str(bib), cwd=good)
    assert run.code == 1 and "Traceback" not in run.err
    assert f"{bib}:4: two: malformed BibTeX entry: unexpected '@' (column 1)" in run.err
    bib.write_text("@article{a, title = {One}}\n\n@book{a, title = {Two}}\n", encoding="utf-8")
    run = briefgen("import", str(bib), cwd=good)
    assert run.code == 1
    assert f"{bib}:3: a: entry key 'a' appears more than once (first at line 1)" in run.err
    bib.write_text("@book{b,\n  title = {Au\\ssenpolitik},\n}\n", encoding="utf-8")
    run = briefgen("import", str(bib), cwd=good)
    assert run.code == 1
    assert (
        f"{bib}:1: [0] 'b'.title: TeX command \\ssenpolitik is not one pandoc reads: write "
        "the character itself, or brace the command (Au{\\ss}enpolitik)" in run.err
    )
    assert (good / "store" / "sources.yaml").read_bytes() == before


# Accents as TeX writes them, with the character each stands for (LaTeX's own tables)
TEX_ACCENTS = [
    (r"\"u", "ü"),
    (r"\"o", "ö"),
    (r"\'e", "é"),
    (r"\`a", "à"),
    (r"\^o", "ô"),
    (r"\~n", "ñ"),
    (r"\c{c}", "ç"),
    (r"\v{s}", "š"),
    (r"{\ss}", "ß"),
    (r"\o{}", "ø"),
    (r"\aa{}", "å"),
    (r"\l{}", "ł"),
    (r"\H{o}", "ő"),
    (r"\k{a}", "ą"),
    (r"\={a}", "ā"),
    (r"\.{z}", "ż"),
]
_LATIN = [(c, c) for c in "abcdefghijklmnopqrstuvwxyzäéø"] + TEX_ACCENTS
_CYRILLIC = [(c, c) for c in "абвгдежзиклмнопрстуфхцчшщыэюяё"]
_CJK = [(c, c) for c in "日本中国語政策北京東京대한민국"]
SCRIPTS = {"latin": _LATIN, "cyrillic": _CYRILLIC, "cjk": _CJK}
_CAPITALS = {
    "latin": [(c, c) for c in "ABDEGKLMNPRSTVZ"] + [(r"\"U", "Ü"), (r"\'E", "É"), (r"\v{S}", "Š")],
    "cyrillic": [(c, c) for c in "АБВГДЕЖЗИКЛМНОПРСТ"],
    "cjk": _CJK,
}
LANGIDS = {"latin": ["ngerman", "french", None], "cyrillic": ["russian", None], "cjk": [None]}


@st.composite
def _word(draw: st.DrawFn, script: str, capital: bool) -> tuple[str, str]:
    """Return a word as TeX and as the Unicode it stands for."""
    letters = SCRIPTS[script]
    first = draw(st.sampled_from(_CAPITALS[script] if capital else letters))
    rest = draw(st.lists(st.sampled_from(letters), min_size=1, max_size=7))
    word = [first, *rest]
    tex, text = "".join(t for t, _ in word), "".join(u for _, u in word)
    if text.lower() in ("and", "others"):  # the word between names
        return draw(_word(script, capital))
    return tex, text


@st.composite
def _entry(draw: st.DrawFn, key: str) -> tuple[str, dict[str, Any]]:
    """Return a BibLaTeX entry and what its title and names are in Unicode."""
    script = draw(st.sampled_from(sorted(SCRIPTS)))
    langid = draw(st.sampled_from(LANGIDS[script]))
    fields: dict[str, str] = {}
    expected: dict[str, Any] = {}
    if draw(st.booleans()):  # a sentence-case title: pandoc leaves it so, any language
        words = [draw(_word(script, i == 0)) for i in range(draw(st.integers(1, 5)))]
        sep = "" if script == "cjk" else " "
        fields["title"] = sep.join(t for t, _ in words)
        expected["title"] = sep.join(u for _, u in words)
    for role in draw(st.sets(st.sampled_from(["author", "editor", "translator"]))):
        names = []
        for _ in range(draw(st.integers(1, 3))):
            family, given = draw(_word(script, True)), draw(_word(script, True))
            names.append((f"{family[0]}, {given[0]}", {"family": family[1], "given": given[1]}))
        fields[role] = " and ".join(tex for tex, _ in names)
        expected[role] = [name for _, name in names]
    if langid:
        fields["langid"] = langid
    for name, value in (
        ("date", "2023-05-17"),
        ("url", "https://example.org/a"),
        ("urldate", "2024-01-02"),
        ("publisher", "Example Press"),
        ("number", "7"),
    ):
        if draw(st.booleans()):
            fields[name] = value
    kind = draw(st.sampled_from(["article", "book", "report", "misc", "online", "incollection"]))
    body = ",\n".join(f"  {k} = {{{v}}}" for k, v in fields.items())
    return f"@{kind}{{{key},\n{body}\n}}\n", expected


@settings(
    max_examples=20,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(st.integers(1, 4).flatmap(lambda n: st.tuples(*[_entry(f"k{i}") for i in range(n)])))
def test_generated_entries_import_decoded(entries: tuple[tuple[str, dict[str, Any]], ...]) -> None:
    """Titles and names in Latin (accents as TeX commands), Cyrillic and CJK, with any
    subset of fields, import without a traceback, as the Unicode they stand for."""
    with tempfile.TemporaryDirectory() as tmp:
        ws = make_workspace(Path(tmp))
        bib = Path(tmp) / "generated.bib"
        bib.write_text("\n".join(tex for tex, _ in entries), encoding="utf-8")
        run = briefgen("import", str(bib), cwd=ws)
        assert run.code == 0 and "Traceback" not in run.err, (run.err, bib.read_text())
        stored = yaml.safe_load((ws / "store" / "sources.yaml").read_text(encoding="utf-8"))
    for record, (_, expected) in zip(stored[-len(entries) :], entries, strict=True):
        for key, value in expected.items():
            assert record[key] == value, (key, record, expected)
        assert "title" in record or "title" not in expected


# --- importing again: --update and --skip-existing -------------------------------------

STORE = """\
# Sources of the grain desk: keep this header.
- id: doe-2024
  type: article-newspaper
  title: Grain Talks Stall Again
  author: [{family: Doe, given: Jane}]
  container-title: The Daily Example
  issued: 2024-06-12
  text: texts/doe-2024.txt
  reliability: B

# --- reports (checked by Ann) ---
- id: icg2023
  type: report
  title: Old title   # to be replaced
  author: [{literal: International Crisis Group}]
  issued: 2023-05
  reliability: A     # graded by hand
  x-desk-note: ask Ann first

# --- news (wire copy) ---
- id: tass2024
  type: document
  title: Russia and Iran sign a treaty
  publisher: TASS
  URL: https://tass.com/politics/1
  accessed: 2024-06-01
  issued: 2024
  keep-case: [Iran]
# end of file
"""


def _store(ws: Path, text: str = STORE) -> Path:
    path = ws / "store" / "sources.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _ids_and_comments(text: str) -> tuple[list[str], list[str]]:
    ids = re.findall(r"^- id: (\S+)$", text, re.MULTILINE)
    return ids, [line for line in text.splitlines() if line.lstrip().startswith("#")]


def _records_of(text: str) -> dict[str, str]:
    """Return each record's lines (up to the next record) of a store file, by id."""
    parts = re.split(r"^(?=- id: )", text, flags=re.MULTILINE)
    return {p.split("\n", 1)[0][6:]: p for p in parts if p.startswith("- id: ")}


def test_update_sets_the_imported_fields_in_place_and_keeps_the_rest(good: Path) -> None:
    path = _store(good)
    bib = good.parent / "again.bib"
    bib.write_text(EXPORT, encoding="utf-8")
    run = briefgen("import", str(bib), "--update", cwd=good)
    assert run.code == 0, run.err
    assert "added 3 sources, updated 1, unchanged 1 in store/sources.yaml" in run.out
    after = path.read_text(encoding="utf-8")
    ids, comments = _ids_and_comments(after)
    assert ids == ["doe-2024", "icg2023", "tass2024", "muller2023", "dupont2020", "sahin2024"]
    before_ids, before_comments = _ids_and_comments(STORE)
    # every comment kept, in order; only the replaced title's own comment may move
    assert [c.strip() for c in comments] == [c.strip() for c in before_comments]
    assert after.startswith(STORE.split("- id: icg2023")[0])  # byte for byte
    assert _records_of(after)["tass2024"] == _records_of(STORE)["tass2024"]
    record = {s["id"]: s for s in yaml.safe_load(after)}["icg2023"]
    assert record["title"] == "Drones and Deterrence in the iPhone era"  # the import's
    assert record["number"] == "241" and record["genre"] == "Middle East Report"
    assert record["reliability"] == "A" and record["x-desk-note"] == "ask Ann first"
    assert "reliability: A     # graded by hand" in after
    # the comment heading the next record stays there, after the fields added
    assert "\n\n# --- news (wire copy) ---\n- id: tass2024\n" in after
    assert after.index("genre: Middle East Report") < after.index("# --- news")
    check = briefgen("check", cwd=good)
    assert check.code == 0, check.err

    again = briefgen("import", str(bib), "--update", cwd=good)
    assert again.code == 0, again.err
    assert "added 0 sources, updated 0, unchanged 5 in store/sources.yaml" in again.out
    assert path.read_text(encoding="utf-8") == after


def test_skip_existing_adds_only_the_new_sources(good: Path) -> None:
    path = _store(good)
    bib = good.parent / "again.bib"
    bib.write_text(EXPORT.split("@misc{tass2024")[0], encoding="utf-8")  # three entries
    run = briefgen("import", str(bib), "--skip-existing", cwd=good)
    assert run.code == 0, run.err
    assert "added 2 sources, updated 0, unchanged 1 in store/sources.yaml" in run.out
    after = path.read_text(encoding="utf-8")
    assert after.startswith(STORE)
    assert _ids_and_comments(after)[0][3:] == ["muller2023", "dupont2020"]
    one = good.parent / "one.json"
    one.write_text('[{"id": "new-one", "title": "A new one"}, {"id": "doe-2024"}]')
    run = briefgen("import", str(one), "--skip-existing", cwd=good)
    assert "added 1 source, updated 0, unchanged 1 in" in run.out, run.err


def test_a_plain_import_names_the_sources_that_exist_and_the_two_options(good: Path) -> None:
    path = _store(good)
    bib = good.parent / "again.bib"
    bib.write_text(EXPORT, encoding="utf-8")
    run = briefgen("import", str(bib), cwd=good)
    assert run.code == 1
    lines = STORE.splitlines()
    for ident in ("icg2023", "tass2024"):
        line = lines.index(f"- id: {ident}") + 1
        assert (
            f"store/sources.yaml:{line}: id: source {ident!r} exists already; nothing was added"
            in run.err
        )
    assert (
        f"{bib}: warning: 2 sources of this file exist already: import again with --update "
        "to update them, or with --skip-existing to add only the new ones" in run.err
    )
    assert path.read_text(encoding="utf-8") == STORE
    both = briefgen("import", str(bib), "--update", "--skip-existing", cwd=good)
    assert both.code == 2 and "--update and --skip-existing cannot be used together" in both.err
    assert path.read_text(encoding="utf-8") == STORE


def test_an_update_that_would_break_the_store_writes_nothing(good: Path) -> None:
    path = _store(good)
    bad = good.parent / "bad.json"
    bad.write_text('[{"id": "icg2023", "reliability": "Z"}]', encoding="utf-8")
    run = briefgen("import", str(bad), "--update", cwd=good)
    assert run.code == 1 and "reliability" in run.err and "Traceback" not in run.err
    assert path.read_text(encoding="utf-8") == STORE


# Hard text for the stores and imports the property generates: every script
_HARD = st.text(
    st.sampled_from(list("aéøßçАяЖ中文한국어العربیفارسی") + [" ", "-", ":", "'", '"', "#"]),
    min_size=1,
    max_size=12,
).map(lambda t: "x" + t.strip() + "y")
_NAME = st.fixed_dictionaries({"family": _HARD, "given": _HARD})
_IMPORTED = {
    "title": _HARD,
    "container-title": _HARD,
    "publisher": _HARD,
    "issued": st.sampled_from(["2021", "2023-05", "2024-06-12"]),
    "URL": st.sampled_from(["https://example.org/a", "https://example.org/b?x=1"]),
    "author": st.lists(_NAME, min_size=1, max_size=2),
    "language": st.sampled_from(["de-DE", "fr-FR", "ru-RU", "zh-CN"]),
}
_OWN = {  # fields an analyst adds by hand, which imports do not carry
    "reliability": st.sampled_from(list("ABCDEF")),
    "x-desk-note": _HARD,
}


@st.composite
def _fields(draw: st.DrawFn, own: bool) -> dict[str, Any]:
    pool = {**_IMPORTED, **(_OWN if own else {})}
    keys = draw(st.lists(st.sampled_from(sorted(pool)), unique=True, max_size=len(pool)))
    return {k: draw(pool[k]) for k in keys}


@st.composite
def _store_and_import(draw: st.DrawFn) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    stored = [{"id": f"s{i}", **draw(_fields(True))} for i in range(draw(st.integers(1, 4)))]
    again = draw(st.lists(st.sampled_from([s["id"] for s in stored]), unique=True))
    new = [f"n{i}" for i in range(draw(st.integers(0, 2)))]
    items = [{"id": i, **draw(_fields(False))} for i in again + new]
    return stored, draw(st.permutations(items))


@settings(
    max_examples=8,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(_store_and_import())
def test_update_leaves_the_union_imported_fields_winning(
    case: tuple[list[dict[str, Any]], list[dict[str, Any]]],
) -> None:
    """After --update the store holds every stored and imported source, stored ones in
    their place and new ones after; an imported field replaces the stored one, every
    other field stays; comments stay; and the workspace still checks."""
    import json

    stored, items = case
    with tempfile.TemporaryDirectory() as tmp:
        ws = make_workspace(Path(tmp))
        path = ws / "store" / "sources.yaml"
        text = path.read_text(encoding="utf-8")
        for i, record in enumerate(stored):
            text += f"# comment {i}: {record['id']}\n" + yaml.safe_dump(
                [record], allow_unicode=True, sort_keys=False, default_flow_style=None
            )
        path.write_text(text, encoding="utf-8")
        file = Path(tmp) / "import.json"
        file.write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
        run = briefgen("import", str(file), "--update", cwd=ws)
        assert run.code == 0, run.err
        after = path.read_text(encoding="utf-8")
        check = briefgen("check", cwd=ws)
        assert check.code == 0, check.err
    records = yaml.safe_load(after)
    expected = {r["id"]: dict(r) for r in yaml.safe_load(text)}
    for item in items:
        expected[item["id"]] = {**expected.get(item["id"], {}), **item}
    assert [r["id"] for r in records] == list(expected)
    for record in records:
        assert record == expected[record["id"]], (record, expected[record["id"]])
    assert _ids_and_comments(after)[1] == _ids_and_comments(text)[1]
    for record in stored:  # each comment still heads its record
        lines = after.splitlines()
        at = lines.index(next(c for c in lines if c.endswith(f": {record['id']}")))
        assert re.match(rf"- \{{?id: {record['id']}\b", lines[at + 1]), after


def test_update_finds_a_zotero_item_by_its_uri_whatever_its_readable_id(good: Path) -> None:
    """A title edited in Zotero gives the item another readable id; --update still
    updates the source made from it, and refuses an item that would take the id of a
    source made from another."""
    import json

    from .test_ingest import ZOTERO

    path = good.parent / "zotero.json"
    path.write_text(json.dumps(ZOTERO), encoding="utf-8")
    assert briefgen("import", str(path), cwd=good).code == 0
    edited = [{**ZOTERO[0], "title": "Quiet Discord in the Alliance"}, *ZOTERO[1:]]
    path.write_text(json.dumps(edited), encoding="utf-8")
    run = briefgen("import", str(path), "--update", cwd=good)
    assert "added 0 sources, updated 1, unchanged 2 in store/sources.yaml" in run.out, run.err
    sources = {s["id"]: s for s in yaml.safe_load((good / "store" / "sources.yaml").read_text())}
    assert sources["svetlova-2024-hidden"]["title"] == "Quiet Discord in the Alliance"
    other = {**ZOTERO[0], "id": "http://zotero.org/users/123/items/ZZZZ0000"}
    path.write_text(json.dumps([other]), encoding="utf-8")
    before = (good / "store" / "sources.yaml").read_bytes()
    run = briefgen("import", str(path), "--update", cwd=good)
    assert run.code == 1
    assert (
        "id: source 'svetlova-2024-hidden' was made from the item "
        f"{ZOTERO[0]['id']}; the item {other['id']} of {path} would take its id: give one "
        "of them a citation key" in run.err
    )
    assert (good / "store" / "sources.yaml").read_bytes() == before


# --- protected case: BibTeX's braces and Zotero's nocase, through to the memo ---------

_MIXED = ["iPhone", "eBay", "NATO", "OSCE", "McKinsey", "DeepMind", "ÖPNV", "BRICS"]


@st.composite
def _protected_title(draw: st.DrawFn) -> tuple[str, str, str, list[str]]:
    """Return a headline-case title as a .bib field, as Zotero's CSL-JSON writes it, as
    plain text, and its protected words: mixed-case, all-capital, capitalised and
    lower-case ones, which APA's sentence case and Chicago's headline case would change."""
    plain = [draw(_word("latin", True))[1] for _ in range(draw(st.integers(2, 4)))]
    word = _word("latin", True) | _word("latin", False)
    kept = draw(
        st.lists(
            st.sampled_from(_MIXED) | word.map(lambda w: w[1]).filter(lambda w: len(w) > 2),
            min_size=1,
            max_size=3,
            unique_by=str.lower,
        ).filter(lambda ws: not {w.lower() for w in ws} & {w.lower() for w in plain})
    )
    words = [(w, False) for w in plain[1:]] + [(w, True) for w in kept]
    words = [(plain[0], False), *draw(st.permutations(words))]
    bib = " ".join(f"{{{w}}}" if keep else w for w, keep in words)
    csl = " ".join(f'<span class="nocase">{w}</span>' if keep else w for w, keep in words)
    return bib, csl, " ".join(w for w, _ in words), kept


@settings(
    max_examples=6,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(title=_protected_title(), langid=st.sampled_from(["english", "ngerman", None]))
def test_protected_words_keep_their_case_in_every_style(
    title: tuple[str, str, str, list[str]], langid: str | None
) -> None:
    """A braced word of a .bib title, and a nocase word of a Zotero CSL-JSON one, print as
    written in APA (which puts English titles into sentence case) and in Chicago (headline
    case), in the built memo's bibliography; the titles print without markup."""
    bib, csl, text, kept = title
    with tempfile.TemporaryDirectory() as tmp:
        ws = make_workspace(Path(tmp))
        lang = f"  langid = {{{langid}}},\n" if langid else ""
        (Path(tmp) / "t.bib").write_text(
            f"@report{{fromtex,\n  title = {{{bib}}},\n{lang}  year = 2024,\n}}\n",
            encoding="utf-8",
        )
        item = {"id": "http://zotero.org/users/1/items/AB12CD34", "type": "report"}
        item |= {"title": csl, "issued": {"date-parts": [["2024"]]}}
        item |= {"author": [{"family": "Rhee", "given": "Ana"}]}
        (Path(tmp) / "t.json").write_text(json.dumps([item]), encoding="utf-8")
        for name in ("t.bib", "t.json"):
            run = briefgen("import", str(Path(tmp) / name), cwd=ws)
            assert run.code == 0, run.err
        stored = yaml.safe_load((ws / "store" / "sources.yaml").read_text(encoding="utf-8"))
        zotero = stored[-1]["id"]
        # pandoc puts an English title into sentence case (its braced words aside)
        assert stored[-2]["title"].lower() == text.lower() and stored[-1]["title"] == text
        (ws / "store" / "claims" / "imported.yaml").write_text(
            "- id: imported-one\n  text: The alliance is debated.\n  date: 2024-06-12\n"
            f"  topics: [trade]\n  sources:\n    - source: fromtex\n    - source: {zotero}\n",
            encoding="utf-8",
        )
        settings_file = ws / "briefgen.yaml"
        settings_text = settings_file.read_text(encoding="utf-8")
        for style in ("apa", "chicago-notes-bibliography"):
            settings_file.write_text(
                re.sub(r"(?m)^citation-style: .*$", f"citation-style: {style}", settings_text),
                encoding="utf-8",
            )
            run = briefgen("build", "--all", str(ws), "--format", "html", cwd=ws)
            assert run.code == 0, run.err
            lines = _html_lines(ws / "out" / "weekly.analyst.html")
            entries = [line for line in lines if "Rhee" in line or "2024" in line]
            shown = " ".join(entries)
            for word in kept:
                found = re.findall(rf"(?<!\w){re.escape(word)}(?!\w)", shown, re.IGNORECASE)
                assert found and set(found) == {word}, (style, word, entries)
            assert "nocase" not in shown and "{" not in shown, (style, entries)
