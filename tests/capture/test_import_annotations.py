"""`import` of highlights: a Hypothesis export (the API's JSON) made here from the real
articles, and W3C Web Annotations, become draft claims of the example workspace, which
`check` lists and `build` leaves out; highlights that cannot be drafted are reported one
by one, and nothing of them is written."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefgen.readers.texts import CapturedText

from ..conftest import ARTICLES, EXAMPLE, briefgen, make_workspace
from .scripts_text import SCRIPTS, words

SOURCE = "svetlova-jst-2024"
URL = "https://jstribune.example/2024/06/hidden-discord-russia-iran/"
PAGE = (ARTICLES / "jst-svetlova-hidden-discord-2024.txt").read_text(encoding="utf-8")
STORED = CapturedText.parse((EXAMPLE / "store" / "texts" / f"{SOURCE}.txt").read_text("utf-8"))
NORMAL = [" ".join(p.split()) for p in STORED.paragraphs]


def _copy(tmp_path: Path) -> Path:
    """Copy the example workspace, giving the JST article the address it was read at."""
    ws = tmp_path / "briefs"
    shutil.copytree(EXAMPLE, ws, ignore=shutil.ignore_patterns("out", ".briefgen"))
    sources = ws / "store" / "sources.yaml"
    text = sources.read_text(encoding="utf-8")
    line = f"  text: texts/{SOURCE}.txt\n"
    sources.write_text(text.replace(line, line + f"  URL: {URL}\n", 1), encoding="utf-8")
    return ws


def _page_paragraphs() -> list[tuple[int, int, int]]:
    """Return each paragraph of the page as captured in the store: its start and end in
    the page, and its number among the stored text's content paragraphs."""
    found = []
    for match in re.finditer(r"[^\n]+", PAGE):
        normal = " ".join(match.group(0).split())
        if normal in NORMAL:
            found.append((match.start(), match.end(), NORMAL.index(normal) + 1))
    return found


PAGE_PARAGRAPHS = _page_paragraphs()


@st.composite
def highlights(draw: st.DrawFn) -> tuple[str, str, str, int]:
    """Draw a highlight made on the page: a run of one to six words of a paragraph, with
    the 32 characters before and after it (as Hypothesis keeps them), and the paragraph."""
    start, end, number = draw(st.sampled_from(PAGE_PARAGRAPHS))
    words = list(re.finditer(r"\S+", PAGE[start:end]))
    first = draw(st.integers(0, len(words) - 1))
    last = draw(st.integers(first, min(first + 5, len(words) - 1)))
    at, to = start + words[first].start(), start + words[last].end()
    return PAGE[at:to], PAGE[max(0, at - 32) : at], PAGE[to : to + 32], number


def _row(ident: str, exact: str, prefix: str, suffix: str, note: str, tags: list[str]) -> Any:
    """Return a row as the Hypothesis API gives it (GET /api/search)."""
    return {
        "id": ident,
        "created": "2024-06-20T09:14:02.000000+00:00",
        "updated": "2024-06-20T09:14:02.000000+00:00",
        "user": "acct:analyst@hypothes.is",
        "uri": URL.replace("https://", "http://www.") + "?utm_source=newsletter",
        "text": note,
        "tags": tags,
        "group": "__world__",
        "permissions": {"read": ["group:__world__"]},
        "target": [
            {
                "source": URL,
                "selector": [
                    {
                        "type": "RangeSelector",
                        "startContainer": "/main[1]/p[4]",
                        "startOffset": 0,
                        "endContainer": "/main[1]/p[4]",
                        "endOffset": len(exact),
                    },
                    {"type": "TextPositionSelector", "start": 100, "end": 100 + len(exact)},
                    {
                        "type": "TextQuoteSelector",
                        "exact": exact,
                        "prefix": prefix,
                        "suffix": suffix,
                    },
                ],
            }
        ],
        "document": {"title": ["Hidden Discord in the Russia-Iran Alliance"]},
        "links": {"html": f"https://hypothes.is/a/{ident}", "incontext": f"https://hyp.is/{ident}"},
        "flagged": False,
        "hidden": False,
    }


def _drafts(ws: Path) -> dict[str, Any]:
    """Return the draft claims of the workspace by the annotation each was made from."""
    data = yaml.safe_load((ws / "store" / "claims" / "drafts.yaml").read_text("utf-8"))
    return {claim["x-annotation"]: claim for claim in data}


@settings(
    max_examples=5,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(highlights(), min_size=1, max_size=8), st.sampled_from(["list", "search"]))
def test_hypothesis_highlights_become_drafts_at_their_paragraph(
    tmp_path_factory: pytest.TempPathFactory, drawn: list[tuple[str, str, str, int]], shape: str
) -> None:
    ws = _copy(tmp_path_factory.mktemp("hyp"))
    notes = [
        "Иран поставил дроны.",
        "إيران زودت روسيا",
        "伊朗向俄罗斯提供无人机。",
        "",
        "Été, café.",
    ]
    rows = [
        _row(f"a{i}Xy_{i}", exact, prefix, suffix, notes[i % len(notes)], ["military", f"t{i}"])
        for i, (exact, prefix, suffix, _) in enumerate(drawn)
    ]
    export = ws.parent / "hypothesis.json"
    data = rows if shape == "list" else {"total": len(rows), "rows": rows}
    export.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    run = briefgen("import", str(export), cwd=ws)
    assert run.code == 0, run.err
    drafts = _drafts(ws)
    assert len(drafts) == len(rows)
    for row, (exact, _, _, number) in zip(rows, drawn, strict=True):
        claim = drafts[row["id"]]
        cited = claim["sources"][0]
        assert claim["draft"] is True
        assert claim["text"] == (row["text"] or " ".join(exact.split()))
        assert claim["topics"] == row["tags"]
        assert cited["source"] == SOURCE and cited["quote"] == " ".join(exact.split())
        assert cited.get("locator", STORED.places(exact)[0]) == f"para. {number}"
    again = briefgen("import", str(export), cwd=ws)
    assert again.code == 0
    assert f"{len(rows)} highlight" in again.out and _drafts(ws) == drafts


def test_drafts_pass_check_and_stay_out_of_the_memo(tmp_path: Path) -> None:
    ws = _copy(tmp_path)
    exact = "has already supplied approximately 4500 of the promised 6000 drones"
    rows = [_row("kEaohJC9Eeiy_UOozkpkyA", exact, "", "", "Most Shaheds came early.", ["military"])]
    export = tmp_path / "hypothesis.json"
    export.write_text(json.dumps(rows), encoding="utf-8")
    assert briefgen("import", str(export), cwd=ws).code == 0
    (ident,) = [c["id"] for c in _drafts(ws).values()]
    military = ws / "store" / "claims" / "military.yaml"  # a placed claim differs from it
    before = "\n\n- id: drones-for-jets-deal"
    text = military.read_text("utf-8")
    assert before in text
    military.write_text(text.replace(before, f"\n  contradicts: [{ident}]{before}"), "utf-8")
    check = briefgen("check", cwd=ws)
    assert check.code == 0, check.err
    assert f"1 draft claim, in no memo until reviewed (remove draft: true): {ident}" in check.err
    listed = briefgen("list", "claims", "--draft", cwd=ws)
    assert [line.split("\t")[0] for line in listed.out.splitlines()] == [ident]
    selecting = {
        "title": "Drafts stay out",
        "audiences": ["analyst"],
        "sections": [{"title": "Military", "select": {"topics": ["military"]}}],
    }
    (ws / "selecting.yaml").write_text(yaml.safe_dump(selecting), encoding="utf-8")
    built = briefgen("build", "--all", "--format", "json", "--audience", "analyst", cwd=ws)
    assert built.code == 0, built.err
    for name in ("russia-iran-weekly", "selecting"):  # nor in a "Sources differ" remark
        memo = (ws / "out" / f"{name}.analyst.json").read_text("utf-8")
        assert ident not in memo and "Most Shaheds came early" not in memo
    assert "1 still draft" in built.out  # the select on military would have taken it


def test_a_draft_placed_explicitly_is_an_error_naming_it(tmp_path: Path) -> None:
    ws = _copy(tmp_path)
    exact = "has already supplied approximately 4500 of the promised 6000 drones"
    export = tmp_path / "hypothesis.json"
    export.write_text(json.dumps([_row("h1", exact, "", "", "Early.", [])]), encoding="utf-8")
    assert briefgen("import", str(export), cwd=ws).code == 0
    (ident,) = [c["id"] for c in _drafts(ws).values()]
    brief = {
        "title": "T",
        "audiences": ["analyst"],
        "sections": [{"title": "S", "claims": [ident]}],
    }
    (ws / "placing.yaml").write_text(yaml.safe_dump(brief), encoding="utf-8")
    drafts = (ws / "store" / "claims" / "drafts.yaml").read_text().splitlines()
    draft_line = drafts.index("  draft: true") + 1
    placed = (ws / "placing.yaml").read_text().splitlines()
    line = next(i for i, text in enumerate(placed, 1) if text.endswith(f"- {ident}"))
    run = briefgen("check", cwd=ws)
    assert run.code == 1
    assert (
        f"placing.yaml:{line}: sections[0].claims[0]: claim {ident!r} is a draft (draft: true at "
        f"store/claims/drafts.yaml:{draft_line}), not yet reviewed: review it and remove the "
        "flag, or place another claim"
    ) in run.err.splitlines()


def _w3c(ident: str, exact: str, note: str, tags: list[str], refined: bool = False) -> Any:
    quote = {"type": "TextQuoteSelector", "exact": exact, "prefix": "", "suffix": ""}
    selector: Any = [{"type": "TextPositionSelector", "start": 10, "end": 20}, quote]
    if refined:
        selector = {"type": "FragmentSelector", "value": "main", "refinedBy": quote}
    return {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "id": ident,
        "type": "Annotation",
        "created": "2024-06-20T09:14:02Z",
        "body": [
            {"type": "TextualBody", "value": note, "purpose": "commenting", "format": "text/plain"},
            *({"type": "TextualBody", "value": t, "purpose": "tagging"} for t in tags),
        ],
        "target": {"source": URL, "selector": selector},
    }


W3C_QUOTES = [
    "called Raisi a “very reliable partner.”",
    "the results after two years are not living up to the grand pronouncements",
]


def _w3c_forms() -> dict[str, tuple[Any, list[Any]]]:
    """Return each form of W3C JSON-LD: the file's content, and the annotations in it."""
    one = _w3c("https://notes.example/anno/1", W3C_QUOTES[0], "Putin praised Raisi.", ["diplomacy"])
    two = _w3c(
        "https://notes.example/anno/2", W3C_QUOTES[1], "Little came of it.", ["a", "b"], True
    )
    collection = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "id": "https://notes.example/anno/",
        "type": "AnnotationCollection",
        "total": 2,
        "first": {
            "type": "AnnotationPage",
            "items": [one],
            "next": {"type": "AnnotationPage", "items": [two]},
        },
    }
    return {
        "single": (one, [one]),
        "list": ([one, two], [one, two]),
        "collection": (collection, [one, two]),
    }


def _exact(annotation: Any) -> str:
    selector = annotation["target"]["selector"]
    return selector[-1]["exact"] if isinstance(selector, list) else selector["refinedBy"]["exact"]


@pytest.mark.parametrize("form", ["single", "list", "collection"])
def test_w3c_annotations_become_drafts(tmp_path: Path, form: str) -> None:
    ws = _copy(tmp_path)
    data, wanted = _w3c_forms()[form]
    export = tmp_path / "annotations.jsonld"
    export.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    run = briefgen("import", str(export), cwd=ws)
    assert run.code == 0, run.err
    drafts = _drafts(ws)
    assert list(drafts) == [a["id"] for a in wanted]
    for annotation in wanted:
        claim = drafts[annotation["id"]]
        bodies = annotation["body"]
        assert claim["text"] == bodies[0]["value"]
        assert claim.get("topics", []) == [b["value"] for b in bodies[1:]]
        assert claim["sources"][0]["quote"] == _exact(annotation)
    assert briefgen("check", cwd=ws).code == 0


def test_highlights_without_a_source_or_passage_are_reported_one_by_one(tmp_path: Path) -> None:
    ws = _copy(tmp_path)
    good = "has already supplied approximately 4500 of the promised 6000 drones"
    other = "https://elsewhere.example/story"
    rows = [
        _row("good1", good, "", "", "Early.", []),
        {
            **_row("away1", "anything at all", "", "", "", []),
            "uri": other,
            "target": [{"source": other}],
        },
        _row("wrong1", "Iran sold Russia ten million drones", "", "", "", []),
        {**_row("note1", good, "", "", "A page note.", []), "target": [{"source": URL}]},
    ]
    rows[1]["target"][0]["selector"] = [{"type": "TextQuoteSelector", "exact": "anything at all"}]
    export = tmp_path / "hypothesis.json"
    text = json.dumps(rows, indent=1)
    export.write_text(text, encoding="utf-8")
    lines = {
        r["id"]: next(i for i, t in enumerate(text.splitlines(), 1) if f'"id": "{r["id"]}"' in t)
        for r in rows
    }
    run = briefgen("import", str(export), cwd=ws)
    assert run.code == 1
    closest = STORED.closest("Iran sold Russia ten million drones")
    assert run.err.splitlines()[:3] == [
        f"{export}:{lines['away1']}: [1] 'away1': no source has the URL {other}: give its "
        "source that URL, or name the source with --source",
        f"{export}:{lines['wrong1']}: [2] 'wrong1': the passage is not in the captured text of "
        f"'{SOURCE}'; closest passage: \"{closest}\"",
        f"{export}:{lines['note1']}: [3] 'note1': no passage is highlighted (a page note or a "
        "reply): nothing to quote",
    ]
    assert run.err.splitlines()[-1] == (
        "3 highlights refused, so nothing was written to store/claims/drafts.yaml: fix them, "
        "or import again with --skip-refused to draft the 1 other highlight"
    )
    assert not (ws / "store" / "claims" / "drafts.yaml").exists()
    skipping = briefgen("import", str(export), "--skip-refused", cwd=ws)
    assert skipping.code == 0, skipping.err
    assert skipping.err.splitlines()[:3] == run.err.splitlines()[:3]
    assert list(_drafts(ws)) == ["good1"]  # the others are written nowhere


def test_nothing_is_written_when_no_highlight_can_be_drafted(tmp_path: Path) -> None:
    ws = _copy(tmp_path)
    export = tmp_path / "hypothesis.json"
    export.write_text(json.dumps([_row("w", "no such passage here", "", "", "", [])]), "utf-8")
    before = sorted(p.name for p in (ws / "store" / "claims").iterdir())
    assert briefgen("import", str(export), cwd=ws).code == 1
    assert sorted(p.name for p in (ws / "store" / "claims").iterdir()) == before


def test_source_named_on_the_command_line(tmp_path: Path) -> None:
    ws = _copy(tmp_path)
    exact = "has already supplied approximately 4500 of the promised 6000 drones"
    row = {**_row("n1", exact, "", "", "Early.", []), "uri": "urn:x-pdf:abc"}
    row["target"][0]["source"] = "urn:x-pdf:abc"
    export = tmp_path / "hypothesis.json"
    export.write_text(json.dumps([row]), encoding="utf-8")
    assert briefgen("import", str(export), cwd=ws).code == 1
    into = "store/claims/inbox.yaml"
    run = briefgen("import", str(export), "--source", SOURCE, "--file", into, cwd=ws)
    assert run.code == 0, run.err
    assert yaml.safe_load((ws / into).read_text())[0]["sources"][0]["source"] == SOURCE
    unknown = briefgen("import", str(export), "--source", "svetlova", cwd=ws)
    assert unknown.code == 2
    assert f"unknown source 'svetlova' (did you mean '{SOURCE}'?)" in unknown.err


@st.composite
def pages(draw: st.DrawFn) -> tuple[str, str, list[tuple[str, str]], int]:
    """Draw a captured text in one script whose paragraphs each hold one passage between
    words of their own, and the paragraph (0-based) the highlight was made in."""
    script = draw(st.sampled_from(SCRIPTS))
    passage = " ".join(draw(words(script, 2, 4)))
    count = draw(st.integers(2, 4))
    contexts = draw(
        st.lists(
            st.tuples(words(script, 1, 3, length=3), words(script, 1, 3, length=3)).map(
                lambda pair: (" ".join(pair[0]), " ".join(pair[1]))
            ),
            min_size=count,
            max_size=count,
            unique_by=lambda pair: (pair[0].split()[-1], pair[1].split()[0]),
        )
    )
    paragraphs = [f"{before} {passage} {after}." for before, after in contexts]
    return "\n\n".join(paragraphs) + "\n", passage, contexts, draw(st.integers(0, count - 1))


@settings(
    max_examples=3,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(pages())
def test_a_repeated_passage_in_any_script_is_drafted_where_it_was_highlighted(
    tmp_path_factory: pytest.TempPathFactory, page: tuple[str, str, list[tuple[str, str]], int]
) -> None:
    text, passage, contexts, chosen = page
    ws = make_workspace(tmp_path_factory.mktemp("script"))
    (ws / "store" / "texts" / "gen-2024.txt").write_text(text, encoding="utf-8")
    with (ws / "store" / "sources.yaml").open("a", encoding="utf-8") as sources:
        sources.write(
            "\n- id: gen-2024\n  type: webpage\n  title: Generated\n  issued: 2024-06\n"
            f"  text: texts/gen-2024.txt\n  URL: {URL}\n"
        )
    before, after = contexts[chosen]
    row = _row("g1", passage, f"{before} ", f" {after}.", "", ["t"])
    export = ws.parent / "hypothesis.json"
    export.write_text(json.dumps([row], ensure_ascii=False), encoding="utf-8")
    run = briefgen("import", str(export), cwd=ws)
    assert run.code == 0, run.err
    claim = _drafts(ws)["g1"]
    assert claim["sources"][0] == {
        "source": "gen-2024",
        "quote": passage,
        "locator": f"para. {chosen + 1}",
    }
    check = briefgen("check", cwd=ws)
    assert check.code == 0, check.err


def test_source_options_are_refused_for_sources_and_update_for_highlights(tmp_path: Path) -> None:
    ws = _copy(tmp_path)
    csl = tmp_path / "zotero.json"
    csl.write_text(json.dumps([{"id": "x-2024", "type": "report", "title": "X"}]), "utf-8")
    run = briefgen("import", str(csl), "--source", SOURCE, cwd=ws)
    assert (
        run.code == 2
        and "--source, --file and --skip-refused are for annotations' highlights" in run.err
    )
    export = tmp_path / "notes.json"
    export.write_text(json.dumps(_w3c_forms()["single"][0]), "utf-8")
    run = briefgen("import", str(export), "--update", cwd=ws)
    assert run.code == 2 and "--update and --skip-existing are for sources" in run.err
    assert briefgen("import", str(csl), cwd=ws).code == 0  # CSL-JSON is still sources


def test_a_highlight_that_cuts_words_is_widened_to_them(tmp_path: Path) -> None:
    ws = _copy(tmp_path)
    whole = "has already supplied approximately 4500 of the promised 6000 drones"
    at = PAGE.index(whole)
    cut = whole[1:-3]  # "as already … dro": the mouse slipped at both ends
    row = _row("cut1", cut, PAGE[at - 31 : at + 1], PAGE[at + len(whole) - 3 :][:32], "", [])
    export = tmp_path / "hypothesis.json"
    export.write_text(json.dumps([row]), encoding="utf-8")
    run = briefgen("import", str(export), cwd=ws)
    assert run.code == 0, run.err
    assert _drafts(ws)["cut1"]["sources"][0]["quote"] == whole
    assert f"the highlight cuts a word: the quote is widened to whole words, {whole!r}" in run.err
    assert briefgen("check", cwd=ws).code == 0
