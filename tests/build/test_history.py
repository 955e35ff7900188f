"""Property: NEW means new to the reader, and `changes: true` lists what dropped out.

Hypothesis draws a month of weekly builds of one brief: each week adds claims (dated by
the day, by the month, by a range into the next week, or undated with a source dated
either way) and may withdraw one; the analysts get every week's memo, the principals
only some. Each memo is built for real in DOCX, PDF and HTML, and read back. Expected
values come from the drawn dates alone: a claim is held in a week whose days its dates
overlap (the select's rule); it is NEW when the audience's previous memo did not hold
it, or, in a first memo, when its dates lie wholly within the week; a memo with
`changes: true` lists each claim its previous memo held that it does not, by its text,
and counts those withdrawn from the store.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ..conftest import WORKSPACES, briefgen
from ..test_content import docx_text, html_text
from ..test_plural import disagreements

EXAMPLES = int(os.environ.get("BRIEFGEN_HISTORY_EXAMPLES", "4"))
WEEKS = [dt.date(2024, 6, 3) + dt.timedelta(weeks=k) for k in range(4)]  # 2024-W23..W26
WORDS = [
    "Łódź naïve café",
    "Москва ответила",
    "جمهوری اسلامی ایران",
    "中华人民共和国",
    "서울 한국어",
]
DROPPED = "No longer in this memo"
pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext")


@dataclass
class Claim:
    n: int
    kind: str  # day, month, range, source-day, source-month
    day: dt.date
    word: str

    @property
    def tag(self) -> str:
        return f"qz{self.n}qz"

    def days(self) -> tuple[dt.date, dt.date]:
        """Return the first and last day the claim's information may be from."""
        if self.kind in ("month", "source-month"):
            return dt.date(2024, 6, 1), dt.date(2024, 6, 30)
        if self.kind == "range":
            return self.day, self.day + dt.timedelta(days=7)
        return self.day, self.day

    def record(self) -> dict:
        date: object = {
            "day": self.day.isoformat(),
            "month": "2024-06",
            "range": {"date-parts": [_parts(self.day), _parts(self.day + dt.timedelta(days=7))]},
        }.get(self.kind)
        source = "s-month" if self.kind == "source-month" else f"s-{self.day.isoformat()}"
        return {
            "id": f"c{self.n}",
            "text": f"{self.tag} {self.word}.",
            "sources": [{"source": source}],
            **({"date": date} if date else {}),
            "topics": ["t"],
        }


def _parts(day: dt.date) -> list[int]:
    return [day.year, day.month, day.day]


FIXED = Claim(0, "day", dt.date(2024, 5, 20), WORDS[0])  # placed every week, dated before


@st.composite
def month(draw: st.DrawFn) -> tuple[list[list[Claim]], list[int | None], list[bool]]:
    """Draw the claims added each week, the index of the one withdrawn each week (of those
    in the store), and which weeks the principals' memo is built."""
    added: list[list[Claim]] = []
    n = 1
    kinds = st.sampled_from(["day", "month", "range", "source-day", "source-month"])
    for start in WEEKS:
        week = []
        for _ in range(draw(st.integers(1, 3))):
            day = start + dt.timedelta(days=draw(st.integers(0, 6)))
            week.append(Claim(n, draw(kinds), day, draw(st.sampled_from(WORDS))))
            n += 1
        added.append(week)
    withdrawn = [None] + [draw(st.none() | st.integers(0, 20)) for _ in WEEKS[1:]]
    principal = [True] + [draw(st.booleans()) for _ in WEEKS[1:]]
    return added, withdrawn, principal


def write(root: Path, store: list[Claim]) -> None:
    """Write the store's claims and a source for each date they need."""
    dump = lambda data: yaml.safe_dump(data, allow_unicode=True, sort_keys=False)  # noqa: E731
    sources = [
        {"id": "doe-2024", "type": "article-newspaper", "title": "Grain", "issued": "2024-06-12"},
        {"id": "s-month", "type": "report", "title": "A month", "issued": "2024-06"},
    ] + [
        {"id": f"s-{d.isoformat()}", "type": "report", "title": f"Day {d}", "issued": d.isoformat()}
        for d in sorted({c.day for c in [FIXED, *store]})
    ]
    (root / "store" / "sources.yaml").write_text(dump(sources), encoding="utf-8")
    claims = [c.record() for c in [FIXED, *store]]
    (root / "store" / "claims" / "grain.yaml").write_text(dump(claims), encoding="utf-8")


def setup(root: Path) -> None:
    shutil.copytree(WORKSPACES / "good", root, ignore=shutil.ignore_patterns("out"))
    for extra in (root / "store" / "sections").glob("*.yaml"):
        extra.unlink()
    (root / "store" / "texts" / "doe-2024.txt").unlink()
    audience = {"template": "policy-memo", "notes": "footnotes", "mark-new": True, "changes": True}
    (root / "audiences.yaml").write_text(
        yaml.safe_dump({"analyst": audience, "principal": {**audience, "notes": "endnotes"}}),
        encoding="utf-8",
    )
    brief = {
        "title": "Weekly",
        "date": "2024-07-01",
        "audiences": ["analyst", "principal"],
        "formats": ["docx", "pdf", "html"],
        "sections": [
            {"title": "Standing", "claims": ["c0"]},
            {"title": "This week", "select": {"topics": ["t"]}},
        ],
    }
    (root / "weekly.yaml").write_text(yaml.safe_dump(brief), encoding="utf-8")


def overlaps(claim: Claim, start: dt.date) -> bool:
    first, last = claim.days()
    return first <= start + dt.timedelta(days=6) and last >= start


def within(claim: Claim, start: dt.date) -> bool:
    first, last = claim.days()
    return start <= first and last <= start + dt.timedelta(days=6)


def memo_texts(out: Path, audience: str) -> dict[str, str]:
    pdf = subprocess.run(
        ["pdftotext", str(out / f"weekly.{audience}.pdf"), "-"],
        capture_output=True,
        check=True,
        timeout=60,
    ).stdout.decode()
    texts = {
        "docx": docx_text(out / f"weekly.{audience}.docx"),
        "pdf": pdf,
        "html": html_text(out / f"weekly.{audience}.html"),
    }
    return {fmt: " ".join(text.split()) for fmt, text in texts.items()}


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(drawn=month())
def test_new_is_what_the_reader_has_not_had_and_changes_what_left(
    tmp_path_factory: pytest.TempPathFactory,
    drawn: tuple[list[list[Claim]], list[int | None], list[bool]],
) -> None:
    added, withdrawn, principal = drawn
    root = tmp_path_factory.mktemp("history") / "ws"
    setup(root)
    store: list[Claim] = []
    last: dict[str, set[int]] = {}  # audience -> the claims its previous memo held
    for k, start in enumerate(WEEKS):
        if withdrawn[k] is not None and store:
            store.pop(withdrawn[k] % len(store))
        store += added[k]
        write(root, store)
        audiences = ["analyst", "principal"] if principal[k] else ["analyst"]
        week = f"2024-W{start.isocalendar()[1]}"
        for name in audiences:
            run = briefgen("build", "--period", week, "--audience", name, cwd=root)
            assert run.code == 0, run.err
        held = {0} | {c.n for c in store if overlaps(c, start)}
        by_n = {c.n: c for c in [FIXED, *store]}
        for name in audiences:
            previous = last.get(name)
            if previous is None:
                new = {n for n in held if within(by_n[n], start)}
            else:
                new = held - previous
            for fmt, text in memo_texts(root / "out", name).items():
                where = f"week {week}, {name} {fmt}"
                for n in held:
                    tag = by_n[n].tag
                    assert text.count(tag) == 1, f"{where}: c{n} shown {text.count(tag)} times"
                    marked = f"NEW {tag}" in text
                    assert marked == (n in new), f"{where}: c{n} NEW is {marked}"
                shown = {n for n, c in by_n.items() if c.tag in text} - held
                if previous is None:
                    assert DROPPED not in text, where
                    assert not shown, f"{where}: {shown} shown"
                    continue
                left = previous - held
                listed = text.partition(DROPPED)[2]
                assert listed, f"{where}: no {DROPPED!r} section"
                assert shown == {n for n in left if n in by_n}, f"{where}: {shown} listed"
                assert all(by_n[n].tag in listed for n in shown), where
                gone = len([n for n in left if n not in by_n])
                assert (f"{gone} further claim" in listed) == bool(gone), where
                assert ("This claim was" in listed) == (len(shown) == 1), where
                assert disagreements(listed) == [], where
                assert ("Every claim of the previous memo" in listed) == (not left), where
            last[name] = held
    record = json.loads((root / "out" / ".briefgen" / "memos.json").read_text(encoding="utf-8"))
    assert set(record["memos"]) == {"weekly.analyst", "weekly.principal"}
    assert len(record["memos"]["weekly.analyst"]) == len(WEEKS)
    assert len(record["memos"]["weekly.principal"]) == sum(principal)


def test_a_first_memo_marks_only_what_lies_wholly_within_its_week(tmp_path: Path) -> None:
    """The bug: a claim dated 2024-06, and an undated one whose source is of June, were
    NEW in every week of June."""
    root = tmp_path / "ws"
    setup(root)
    claims = [
        Claim(1, "month", WEEKS[1], WORDS[1]),
        Claim(2, "source-month", WEEKS[1], WORDS[2]),
        Claim(3, "day", WEEKS[1] + dt.timedelta(days=2), WORDS[3]),
        Claim(4, "source-day", WEEKS[1] + dt.timedelta(days=3), WORDS[4]),
    ]
    write(root, claims)
    run = briefgen("build", "--period", "2024-W24", "-f", "json", cwd=root)
    assert run.code == 0, run.err
    memo = json.loads((root / "out" / "weekly.analyst.json").read_text(encoding="utf-8"))
    flags = {
        b["claim_id"]: b["new"] for s in memo["sections"] for b in s["blocks"] if b["claim_id"]
    }
    assert flags == {"c0": False, "c1": False, "c2": False, "c3": True, "c4": True}
    again = briefgen("build", "--period", "2024-W24", "-f", "json", cwd=root)
    assert again.out.splitlines()[-1] == "0 written, 2 up to date"  # still a first memo


def test_a_damaged_record_counts_as_no_memo_before(tmp_path: Path) -> None:
    from briefgen.build.history import HISTORY_FILE
    from briefgen.speed.quick import HISTORY

    assert HISTORY == HISTORY_FILE  # the no-op check watches the same file
    root = tmp_path / "ws"
    setup(root)
    write(root, [Claim(1, "month", WEEKS[1], WORDS[1])])
    record = root / "out" / HISTORY_FILE
    record.parent.mkdir(parents=True)
    record.write_text('{"memos": {"weekly.analyst": [{"from": 3}]}}', encoding="utf-8")
    run = briefgen("build", "--period", "2024-W24", "-f", "json", cwd=root)
    assert run.code == 0, run.err
    memos = json.loads(record.read_text(encoding="utf-8"))["memos"]
    assert [m["claims"] for m in memos["weekly.analyst"]] == [["c0", "c1"]]


def test_a_memo_recorded_before_this_one_makes_it_out_of_date(good: Path) -> None:
    """A memo built for an earlier week changes what is new in this week's: `status`
    names it, and the next build (the no-op check included) writes this week's again."""
    assert briefgen("build", "--all", "-f", "html", cwd=good).code == 0
    assert briefgen("build", "--all", "-f", "html", cwd=good).out.endswith(
        "0 written, 2 up to date\n"
    )
    run = briefgen("build", "--all", "-f", "json", "--period", "2024-W23", cwd=good)
    assert run.code == 0, run.err
    status = briefgen("status", cwd=good).out.splitlines()
    assert "weekly.analyst.html: the previous memo changed" in status
    again = briefgen("build", "--all", "-f", "html", cwd=good)
    assert again.out.endswith("2 written, 0 up to date\n"), again.out
