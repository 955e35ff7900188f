"""Templates per audience: overriding, laying out, and failing with file and line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from babel.dates import format_date

from briefgen.build.memos import check_workspace
from briefgen.model import plain_text
from briefgen.resolve.memo import build_memo

from ..conftest import briefgen, make_variant, make_workspace


def _memo(ws: Path, audience: str = "analyst"):
    checked = check_workspace(ws)
    assert not checked.ws.problems.errors, checked.ws.problems.errors
    return build_memo(checked.ws, "weekly", checked.briefs[ws / "weekly.yaml"], audience)


def test_a_workspace_template_lays_out_a_new_audience(tmp_path: Path) -> None:
    memo = _memo(make_variant(tmp_path, "briefing-template"))
    day = format_date(dt.date(2024, 6, 14), "long", locale="en_US")  # the workspace's locale
    assert memo.header.fields == [("TO", "Director"), ("DATE", day)]
    assert [s.title for s in memo.sections] == ["", "BOTTOM LINE", "TRADE"]
    assert plain_text(memo.sections[0].blocks[0].content) == ("Prepared for Analysts by Test Desk.")
    assert memo.bibliography == [] and memo.summary == []
    refs = [plain_text(b.content)[-3:] for s in memo.sections for b in s.blocks if b.claim_id]
    assert refs == ["[1]", "[2]"]  # renumbered in reading order


def test_notes_are_renumbered_when_a_template_reorders(tmp_path: Path) -> None:
    memo = _memo(make_variant(tmp_path, "reversed-template"))
    assert [s.title for s in memo.sections] == ["Context", "Trade", "Bottom line"]
    assert [n.number for n in memo.notes] == [1, 2, 3]
    assert memo.notes[0].claim_ids == ["wheat-prices"]
    assert plain_text(memo.notes[0].content).startswith("Jane Doe, “Grain Talks Stall Again,”")


def test_store_text_is_never_template_code(good: Path) -> None:
    path = good / "store" / "claims" / "grain.yaml"
    path.write_text(
        path.read_text().replace(
            "text: Talks on the grain corridor stalled on 11 June 2024.",
            'text: "Talks stalled {{ 7*7 }} {% for x in y %} {{ cycler.__init__ }}."',
        )
    )
    memo = _memo(good)
    assert plain_text(memo.sections[0].blocks[1].content) == (
        "Talks stalled {{ 7*7 }} {% for x in y %} {{ cycler.__init__ }}.[1]"
    )


@pytest.mark.parametrize(
    "text, line, message",
    [
        (
            "## A\n{% for s in sections %}\n{{ s.title }\n{% endfor %}\n",
            3,
            "syntax error: unexpected '}'",
        ),
        ("## A\n\n{{ sectons }}\n", 3, "'sectons' is undefined"),
        ("{{ memo.titel }}\n", 1, "'dict object' has no attribute 'titel'"),
        (
            "{{ cycler.__init__.__globals__ }}\n",
            1,
            "not allowed: access to attribute '__init__' of 'type' object is unsafe.",
        ),
        (
            "{{ memo.__class__.__mro__ }}\n",
            1,
            "not allowed: access to attribute '__class__' of 'dict' object is unsafe.",
        ),
        (
            "{{ header('TO', 'CC') }}\n",
            0,
            "header(): unknown field 'CC'; known: TO, FROM, DATE, SUBJECT, PERIOD, FOR",
        ),
    ],
)
def test_template_errors_name_the_file_and_line(
    tmp_path: Path, text: str, line: int, message: str
) -> None:
    ws = make_variant(tmp_path, "broken-template")  # the analysts' template: broken.j2
    (ws / "templates").mkdir()
    (ws / "templates" / "broken.j2").write_text(text, encoding="utf-8")
    out = ws / "out"
    for command in (["check"], ["build", "--all"]):
        run = briefgen(*command, cwd=ws)
        assert run.code == 1, run.err
        place = f"templates/broken.j2:{line}" if line else "templates/broken.j2"
        assert f"{place}: template: {message}" in run.err
        assert "Traceback" not in run.err
    assert not out.exists()


def test_unknown_template_is_reported_at_its_key(tmp_path: Path) -> None:
    run = briefgen("check", cwd=make_workspace(tmp_path, "unknown-template"))
    assert run.code == 1
    assert (
        "audiences.yaml:3: principal.template: unknown template 'one-pager'; known: "
        "one-page, policy-memo (did you mean 'one-page'?)"
    ) in run.err


def test_the_readme_worked_example_works(tmp_path: Path) -> None:
    """The README's template, in place of the fixture's own briefing.j2."""
    from ..conftest import REPO

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    template = readme.split("```jinja\n", 1)[1].split("```", 1)[0]
    ws = make_variant(tmp_path, "briefing-template")
    (ws / "templates" / "briefing.j2").write_text(template, encoding="utf-8")
    memo = _memo(ws, "principal")
    assert plain_text(memo.sections[0].blocks[0].content) == (
        "Prepared for Principals by Test Desk. 1 further item held at a higher marking."
    )
    assert [s.title for s in memo.sections[1:]] == ["BOTTOM LINE", "TRADE"]
    assert memo.bibliography == []
