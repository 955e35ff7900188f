"""Templates per audience: overriding, laying out, and failing with file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.build.memos import check_workspace
from briefgen.model import plain_text
from briefgen.resolve.memo import build_memo

from ..conftest import briefgen

BRIEFING = """\
{#- a short template for a new audience: the desk's own note, then claims only -#}
{{ header("TO", "DATE") }}
Prepared for {{ memo.audience }} by {{ memo.organisation }}.

{% for section in sections if section.claims %}
## {{ section.title | upper }}
{% for block in section.claims %}
{{ block }}
{% endfor %}
{% endfor %}
"""


def _memo(ws: Path, audience: str = "analyst"):
    checked = check_workspace(ws)
    assert not checked.ws.problems.errors, checked.ws.problems.errors
    return build_memo(checked.ws, "weekly", checked.briefs[ws / "weekly.yaml"], audience)


def _use(ws: Path, name: str, text: str, audience: str = "analyst") -> None:
    (ws / "templates").mkdir(exist_ok=True)
    (ws / "templates" / f"{name}.j2").write_text(text, encoding="utf-8")
    path = ws / "audiences.yaml"
    path.write_text(
        path.read_text().replace("  template: policy-memo", f"  template: {name}"), encoding="utf-8"
    )


def test_a_workspace_template_lays_out_a_new_audience(good: Path) -> None:
    _use(good, "briefing", BRIEFING)
    memo = _memo(good)
    assert memo.header.fields == [("TO", "Director"), ("DATE", "14 June 2024")]
    assert [s.title for s in memo.sections] == ["", "BOTTOM LINE", "TRADE"]
    assert plain_text(memo.sections[0].blocks[0].content) == ("Prepared for Analysts by Test Desk.")
    assert memo.bibliography == [] and memo.summary == []
    refs = [plain_text(b.content)[-3:] for s in memo.sections for b in s.blocks if b.claim_id]
    assert refs == ["[1]", "[2]", "[3]"]  # renumbered in reading order


def test_notes_are_renumbered_when_a_template_reorders(good: Path) -> None:
    _use(
        good,
        "reversed",
        "{% for s in sections | reverse %}\n## {{ s.title }}\n"
        "{% for b in s.blocks %}\n{{ b }}\n{% endfor %}\n{% endfor %}\n"
        "{{ bibliography() }}\n",
    )
    memo = _memo(good)
    assert [s.title for s in memo.sections] == ["Context", "Trade", "Bottom line"]
    assert [n.number for n in memo.notes] == [1, 2, 3, 4]
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
    good: Path, text: str, line: int, message: str
) -> None:
    _use(good, "broken", text)
    out = good / "out"
    for command in (["check"], ["build", "--all"]):
        run = briefgen(*command, cwd=good)
        assert run.code == 1, run.err
        place = f"templates/broken.j2:{line}" if line else "templates/broken.j2"
        assert f"{place}: template: {message}" in run.err
        assert "Traceback" not in run.err
    assert not out.exists()


def test_unknown_template_is_reported_at_its_key(good: Path) -> None:
    path = good / "audiences.yaml"
    path.write_text(path.read_text().replace("template: one-page", "template: one-pager"))
    run = briefgen("check", cwd=good)
    assert run.code == 1
    assert (
        "audiences.yaml:3: principal.template: unknown template 'one-pager'; known: "
        "one-page, policy-memo (did you mean 'one-page'?)"
    ) in run.err


def test_the_readme_worked_example_works(good: Path) -> None:
    from ..conftest import REPO

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    template = readme.split("```jinja\n", 1)[1].split("```", 1)[0]
    _use(good, "briefing", template, audience="principal")
    path = good / "audiences.yaml"
    path.write_text(path.read_text().replace("  template: one-page", "  template: briefing"))
    memo = _memo(good, "principal")
    assert plain_text(memo.sections[0].blocks[0].content) == (
        "Prepared for Principals by Test Desk. 1 further items are held at a higher marking."
    )
    assert [s.title for s in memo.sections[1:]] == ["BOTTOM LINE", "TRADE"]
    assert memo.bibliography == []
