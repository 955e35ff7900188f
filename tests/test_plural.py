"""Property: counts and nouns agree in every message and memo ("1 claim", "2 claims",
"1 is", "2 are"), and no memo prints a CSL type as its raw name ("personal_communication").

Generated workspaces with 0, 1, 2 and n sources, claims and errors go through the real
`briefgen check` and `briefgen build`; the CLI's text and the memos' HTML and DOCX text
are searched for a count whose noun or verb disagrees with it.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path
from typing import get_args

import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from briefgen.readers.records import CSL_TYPES

from .conftest import WORKSPACES, briefgen
from .test_content import docx_text, html_text

# Nouns a message or memo counts, singular and plural, as English has them.
NOUNS = [
    ("source", "sources"),
    ("claim", "claims"),
    ("further claim", "further claims"),
    ("independent source", "independent sources"),
    ("section", "sections"),
    ("brief", "briefs"),
    ("audience", "audiences"),
    ("error", "errors"),
    ("warning", "warnings"),
    ("note", "notes"),
    ("page", "pages"),
    ("file", "files"),
    ("item", "items"),
    ("is", "are"),  # the verb agrees too: "1 is second-hand", "2 are"
    # kinds of source, as the source summary counts them
    ("article", "articles"),
    ("journal article", "journal articles"),
    ("newspaper article", "newspaper articles"),
    ("personal communication", "personal communications"),
    ("legal case", "legal cases"),
    ("blog post", "blog posts"),
    ("web page", "web pages"),
    ("report", "reports"),
    ("speech", "speeches"),
    ("thesis", "theses"),
    ("entry", "entries"),
    ("treaty", "treaties"),
]
TYPES = list(get_args(CSL_TYPES))
RAW_TYPES = [t for t in TYPES if "_" in t or "-" in t]  # a name no reader says as is
# words of every script briefgen sets: Latin with accents, Cyrillic, Arabic/Persian, CJK, Hangul
WORD = st.text(st.sampled_from("aéøßčжщыدپژ中文字한글"), min_size=1, max_size=8)
EXAMPLES = settings(
    max_examples=4,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def disagreements(text: str) -> list[str]:
    """Return every count in `text` whose noun or verb disagrees with it."""
    found = []
    for one, many in NOUNS:
        for match in re.finditer(rf"(?<![\d.,])(\d[\d,]*) ({one}|{many})\b", text):
            n = int(match.group(1).replace(",", ""))
            if (n == 1) != (match.group(2) == one):
                found.append(match.group(0))
    return found


def raw_types(text: str) -> list[str]:
    """Return the raw CSL type names in `text`."""
    return [t for t in RAW_TYPES if re.search(rf"(?<![\w-]){re.escape(t)}(?![\w-])", text)]


def workspace(root: Path, kinds: list[str], claims: list[tuple[list[int], bool]], ghosts: int):
    """Write a workspace of one source per kind and the given claims (the sources each
    cites, whether it is second-hand); `ghosts` claims cite a source that does not exist,
    one error each."""
    shutil.copytree(WORKSPACES / "good", root, ignore=shutil.ignore_patterns("out"))
    store = root / "store"
    shutil.rmtree(store / "texts")
    (store / "sections" / "context.yaml").unlink()
    sources = [
        {"id": f"s-{i}", "type": kind, "title": f"Title {chr(65 + i % 26)}", "issued": "2024-06-12"}
        for i, kind in enumerate(kinds)
    ]
    records = [
        {
            "id": f"c-{i}",
            "text": f"A claim {chr(65 + i % 26)} holds.",
            **({"origin": "the ministry"} if second else {}),
            "sources": [{"source": f"s-{s % len(kinds)}"} for s in dict.fromkeys(cited)],
            "topics": ["trade"],
        }
        for i, (cited, second) in enumerate(claims)
    ]
    records += [
        {"id": f"g-{j}", "text": "A ghost.", "sources": [{"source": f"ghost-{j}"}]}
        for j in range(ghosts)
    ]
    (store / "sources.yaml").write_text(yaml.safe_dump(sources, allow_unicode=True), "utf-8")
    (store / "claims" / "grain.yaml").write_text(yaml.safe_dump(records), "utf-8")
    audiences = yaml.safe_load((root / "audiences.yaml").read_text("utf-8"))
    for audience in audiences.values():
        audience.update({"summary": True, "source-count": True})
    (root / "audiences.yaml").write_text(yaml.safe_dump(audiences), "utf-8")
    brief = yaml.safe_load((root / "weekly.yaml").read_text("utf-8"))
    brief["sections"] = [{"title": "Trade", "select": {"topics": ["trade"], "limit": 50}}]
    (root / "weekly.yaml").write_text(yaml.safe_dump(brief), "utf-8")


CLAIMS = st.lists(
    st.tuples(st.lists(st.integers(0, 40), min_size=1, max_size=3), st.booleans()),
    min_size=1,
    max_size=6,
)

# claims that cite every source of TYPES * 2, three a claim, every other one second-hand
EVERY_TYPE_TWICE = [
    (list(range(i, min(i + 3, 2 * len(TYPES)))), i % 2 == 0) for i in range(0, 2 * len(TYPES), 3)
]


@EXAMPLES
@given(
    kinds=st.lists(st.sampled_from(TYPES), min_size=1, max_size=5),
    claims=CLAIMS,
    title=WORD,
)
@example(kinds=["personal_communication"], claims=[([0], True)], title="a")
@example(kinds=TYPES * 2, claims=EVERY_TYPE_TWICE, title="é")
@example(kinds=["article-newspaper", "legal_case"], claims=[([0, 1], True)], title="ж")
@example(kinds=["post-weblog", "post-weblog"], claims=[([0], False), ([0, 1], False)], title="한")
def test_memos_and_build_messages_agree_in_number(kinds, claims, title) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "ws"
        workspace(root, kinds, claims, ghosts=0)
        brief = yaml.safe_load((root / "weekly.yaml").read_text("utf-8"))
        (root / "weekly.yaml").write_text(yaml.safe_dump({**brief, "title": title}), "utf-8")
        check = briefgen("check", cwd=root)
        assert check.code == 0, check.err
        said = [check.out + check.err]
        for fmt in ("html", "docx"):
            run = briefgen("build", "--format", fmt, cwd=root)
            assert run.code == 0, run.err
            said.append(run.out + run.err)
        memos = [html_text(p) for p in sorted((root / "out").glob("*.html"))]
        memos += [docx_text(p) for p in sorted((root / "out").glob("*.docx"))]
    assert len(memos) == 4
    assert all("This memo rests on" in m for m in memos)  # the summary was searched
    assert [d for text in said + memos for d in disagreements(text)] == []
    assert [r for text in memos for r in raw_types(text)] == []


@EXAMPLES
@given(ghosts=st.integers(1, 30), sources=st.integers(1, 4), claims=st.integers(0, 3))
@example(ghosts=1, sources=1, claims=0)
@example(ghosts=1, sources=2, claims=1)
@example(ghosts=2, sources=1, claims=2)
def test_check_and_build_count_errors_in_agreement(ghosts, sources, claims) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "ws"
        workspace(root, ["report"] * sources, [([0], False)] * claims, ghosts)
        check = briefgen("check", cwd=root)
        build = briefgen("build", cwd=root)
        watch = briefgen("watch", "-f", "json", "--exit-after", "1", cwd=root)
    assert check.code == build.code == 1
    assert f"{ghosts} error" in watch.out  # watch's line was searched
    said = check.out + check.err + build.out + build.err + watch.out + watch.err
    assert disagreements(said) == []
    # the count printed is the count of errors listed, each a line of its own
    listed = len(re.findall(r"unknown source 'ghost-", build.err))
    assert listed == ghosts
    assert re.search(rf"\b{ghosts} errors?\b", build.err)


@given(n=st.integers(0, 10**6), word=st.sampled_from(NOUNS))
def test_the_check_finds_what_disagrees(n, word) -> None:
    """The search above can fail: it finds "1 claims" and "2 claim", not "2 claims"."""
    one, many = word
    right, wrong = (one, many) if n == 1 else (many, one)
    assert disagreements(f"Of its {n} {right}.") == []
    assert disagreements(f"Of its {n} {wrong}.") == [f"{n} {wrong}"]
