"""Property: a claim an audience may not see leaves no trace in that audience's memo.

A claim reaches a memo by an explicit placement, a select, `claim()` or `cite()` in prose
(the brief's or a stored section's), or as the other side of a "Sources differ" remark,
and brings with it its text, quotes, note, its sources' bibliography entries, its topics
(the keywords), its part of the source summary, the banner and the manifest. The fixture
workspace tests/workspaces/visibility/ opens every one of those ways, with claims that
contradict each other and share a source. Each example gives the claims drawn markings,
builds every audience in every format through the CLI, and looks for each hidden claim's
word in all the files hold: DOCX parts (body, notes, properties), the PDF's text layer
and metadata, the HTML's text and attributes, the JSON.

Run long with: BRIEFGEN_VISIBILITY_EXAMPLES=200 pytest tests/resolve/test_visibility.py
"""

from __future__ import annotations

import html.parser
import os
import re
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

import pypdf
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from lxml import etree

from briefgen.readers.workspace import load
from briefgen.resolve.visibility import Visibility

from .. import docx_read
from ..conftest import WORKSPACES, briefgen

EXAMPLES = int(os.environ.get("BRIEFGEN_VISIBILITY_EXAMPLES", "4"))
FIXTURE = WORKSPACES / "visibility"
MARKINGS = ["PUBLIC", "INTERNAL", "RESTRICTED"]  # as in the fixture's briefgen.yaml
PORTIONS = {"PUBLIC": "P", "INTERNAL": "I", "RESTRICTED": "R"}
MAX_MARKING = {"outside": "PUBLIC", "staff": "INTERNAL", "cleared": None}
FORMATS = ("docx", "pdf", "html", "json")
# Each claim's word, in its text, quote, topic and own source, and in no other claim's;
# the claims the brief places by name (not by a select, nor only in a remark).
WORDS = {
    f"c-{w}": w
    for w in ("osprey", "kestrel", "heron", "plover", "merlin", "avocet", "godwit", "curlew")
}
NAMED = ("c-osprey", "c-kestrel", "c-heron", "c-plover")
STYLES = ("chicago-notes-bibliography", "apa")
MARKING = st.sampled_from([None, *MARKINGS])


def _rank(marking: str | None) -> int:
    return MARKINGS.index(marking) if marking else 0


def _may_see(audience: str, marking: str | None) -> bool:
    """The rule README states for max-marking, written out apart from briefgen's."""
    top = MAX_MARKING[audience]
    return top is None or _rank(marking) <= _rank(top)


def write_case(root: Path, markings: dict[str, str | None], style: str) -> None:
    """Copy the fixture workspace to `root`, its claims marked as `markings` says."""
    shutil.copytree(FIXTURE, root, ignore=shutil.ignore_patterns("out"))
    path = root / "store" / "claims" / "claims.yaml"
    claims = yaml.safe_load(path.read_text(encoding="utf-8"))
    for claim in claims:
        claim.pop("marking", None)
        if markings[claim["id"]] is not None:
            claim["marking"] = markings[claim["id"]]
    path.write_text(yaml.safe_dump(claims, sort_keys=False), encoding="utf-8")
    settings_file = root / "briefgen.yaml"
    text = settings_file.read_text(encoding="utf-8")
    settings_file.write_text(
        re.sub(r"(?m)^citation-style: .*$", f"citation-style: {style}", text), encoding="utf-8"
    )


class _HTMLText(html.parser.HTMLParser):
    """Collect an HTML file's text and every attribute value (meta keywords, ids)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.parts += ["\n", *(f"{v}\n" for _, v in attrs if v)]

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def _html(path: Path) -> str:
    parser = _HTMLText()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return "".join(parser.parts)


def _docx(path: Path) -> str:
    """Return the text of every XML part: paragraphs run by run, and every text node
    (which holds the document properties: keywords, the manifest)."""
    w = docx_read.W
    out = []
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if not name.endswith((".xml", ".rels")):
                continue
            root = etree.fromstring(archive.read(name))
            out += ["".join(t.text or "" for t in p.iter(f"{w}t")) for p in root.iter(f"{w}p")]
            out += list(root.itertext())
    notes = [
        *docx_read.notes(path, "footnotes").values(),
        *docx_read.notes(path, "endnotes").values(),
    ]
    return "\n".join(out + notes)


def _pdf(path: Path) -> str:
    """Return the PDF's text layer (both pdftotext orders) and its metadata."""
    layers = [
        subprocess.run(
            ["pdftotext", *mode, str(path), "-"], capture_output=True, check=True, timeout=60
        ).stdout.decode()
        for mode in ([], ["-raw"])
    ]
    info = pypdf.PdfReader(path).metadata or {}
    return "\n".join(layers + [str(v) for v in info.values()])


READERS = {
    "docx": _docx,
    "pdf": _pdf,
    "html": _html,
    "json": lambda p: p.read_text(encoding="utf-8"),
}


def _comparable(text: str) -> str:
    """Fold case, and join words a line end hyphenated, so a word is found however set."""
    return re.sub(r"-\s*\n\s*", "", text).lower()


def traces(text: str, audience: str, hidden: set[str], shown: set[str]) -> list[str]:
    """Return what `text`, one output's, shows that its audience may not see, and which
    claims it should show but does not."""
    found = _comparable(text)
    problems = [f"shows hidden {c} ({WORDS[c]!r})" for c in sorted(hidden) if WORDS[c] in found]
    problems += [
        f"lacks {c} ({WORDS[c]!r}), which it may show"
        for c in NAMED
        if c in shown and WORDS[c] not in found
    ]
    above = [m for m in MARKINGS if not _may_see(audience, m)]
    problems += [
        f"shows the marking {m}, above its max-marking"
        for m in above
        if re.search(rf"\b{m}\b|\({PORTIONS[m]}\)", text)
    ]
    return problems


def portions_below(model: Path, markings: dict[str, str | None]) -> list[str]:
    """Return each paragraph whose portion mark is below the marking of a claim it shows:
    its own, one placed in its prose, or one its "Sources differ" remark quotes."""
    import json

    memo = json.loads(model.read_text(encoding="utf-8"))
    notes = {n["number"]: n["claim_ids"] for n in memo["notes"]}
    rank = {portion: i for i, portion in enumerate(PORTIONS.values())}
    problems = []
    for section in memo["sections"]:
        for block in section["blocks"]:
            if block.get("portion") is None:
                continue
            inlines = block.get("content", []) + [i for r in block.get("remarks", []) for i in r]
            shown = {block.get("claim_id")} | {
                c for i in inlines if i.get("type") == "NoteRef" for c in notes[i["number"]]
            }
            top = max((_rank(markings.get(c)) for c in shown if c in markings), default=0)
            if rank[block["portion"]] < top:
                problems.append(f"({block['portion']}) over a {MARKINGS[top]} claim: {shown}")
    return problems


def check_memos(root: Path, markings: dict[str, str | None]) -> list[str]:
    """Build every memo of the workspace at `root`; return every trace of a hidden claim."""
    run = briefgen("build", "--all", cwd=root)
    assert run.code == 0, run.err
    ws = load(root)
    problems = []
    for audience in MAX_MARKING:
        rule = Visibility(ws, ws.audiences[audience])
        hidden = {c for c in WORDS if not rule.visible(ws.claims[c])}
        expected = {c for c in WORDS if not _may_see(audience, markings[c])}
        assert expected <= hidden, f"{audience}: the rule shows {sorted(expected - hidden)}"
        problems += [
            f"memo.{audience}: {p}"
            for p in portions_below(root / "out" / f"memo.{audience}.json", markings)
        ]
        for fmt in FORMATS:
            text = READERS[fmt](root / "out" / f"memo.{audience}.{fmt}")
            problems += [
                f"memo.{audience}.{fmt}: {p}"
                for p in traces(text, audience, hidden, set(WORDS) - hidden)
            ]
    return problems


# The short run is derandomised, so that CI is repeatable; the long run explores.
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=EXAMPLES <= 100,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(markings=st.fixed_dictionaries({c: MARKING for c in WORDS}), style=st.sampled_from(STYLES))
# every way in holds a claim some audience may not see, behind a remark of one it may
@example(
    markings={
        "c-osprey": "PUBLIC",
        "c-curlew": "RESTRICTED",
        "c-avocet": "INTERNAL",
        "c-kestrel": "INTERNAL",
        "c-heron": "RESTRICTED",
        "c-plover": "INTERNAL",
        "c-merlin": None,
        "c-godwit": "PUBLIC",
    },
    style=STYLES[0],
)
@example(
    markings={
        "c-osprey": "RESTRICTED",
        "c-curlew": "PUBLIC",
        "c-avocet": "PUBLIC",
        "c-kestrel": "RESTRICTED",
        "c-heron": "INTERNAL",
        "c-plover": "RESTRICTED",
        "c-merlin": "INTERNAL",
        "c-godwit": "RESTRICTED",
    },
    style=STYLES[1],
)
def test_a_claim_an_audience_may_not_see_leaves_no_trace(
    markings: dict[str, str | None], style: str
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "ws"
        write_case(root, markings, style)
        problems = check_memos(root, markings)
    assert not problems, "\n".join(problems)


def test_the_fixture_gives_each_claim_a_word_of_its_own() -> None:
    """A word in two claims' records would hide a leak behind a claim that may show."""
    claims = yaml.safe_load((FIXTURE / "store/claims/claims.yaml").read_text("utf-8"))
    others = [
        (FIXTURE / p).read_text("utf-8").lower()
        for p in ("memo.yaml", "audiences.yaml", "briefgen.yaml", "store/sections/context.yaml")
    ]
    for claim in claims:
        word = WORDS[claim["id"]]
        own = yaml.safe_dump(claim).lower()
        assert word in claim["text"].lower() and word in claim["topics"]
        strangers = [
            c["id"]
            for c in claims
            if c is not claim and word in yaml.safe_dump(c).lower().replace(f"c-{word}", "")
        ]
        assert not strangers, f"{word!r} is also in {strangers}"
        assert all(word not in t.replace(f"c-{word}", "") for t in others), word
        assert own.count(f"src-{word}") == 1


@settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    marking=st.sampled_from(["INTERNAL", "RESTRICTED"]),
    style=st.sampled_from(["apa", "chicago-notes-bibliography"]),
    words=st.lists(
        st.sampled_from(["Across", "Sea", "Resume", "Notes", "From", "Wire"]),
        min_size=1,
        max_size=4,
        unique=True,
    ),
)
def test_what_a_hidden_claim_says_does_not_change_a_memo_it_is_hidden_from(
    marking: str, style: str, words: list[str]
) -> None:
    """A title is put in sentence case by the names the store's claims capitalise: a
    restricted claim that wrote "Across" capitalised it in the public memo's references."""
    from briefgen.build.memos import check_workspace
    from briefgen.resolve.memo import build_memo

    def memo(root: Path) -> tuple[object, ...]:
        checked = check_workspace(root, use_cache=False)
        assert not checked.ws.problems.errors, checked.ws.problems.errors
        brief = next(b for p, b in checked.briefs.items() if p.name != "audiences.yaml")
        made = build_memo(checked.ws, "memo", brief, "outside", None)
        return tuple(json_of(n.content) for n in made.notes), tuple(
            json_of(b.content) for b in made.bibliography
        )

    def json_of(spans: list) -> str:
        return "".join(s.text for s in spans)

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "ws"
        shutil.copytree(FIXTURE, root, ignore=shutil.ignore_patterns("out", ".briefgen"))
        settings_file = root / "briefgen.yaml"
        settings_file.write_text(
            settings_file.read_text().replace("chicago-notes-bibliography", style)
        )
        before = memo(root)
        claims = root / "store" / "claims" / "claims.yaml"
        data = yaml.safe_load(claims.read_text())
        data.append(
            {
                "id": "c-secret",
                "text": "Officials met, and "
                + " and ".join(f"the {w} office" for w in words)
                + " agreed.",
                "marking": marking,
                "sources": [{"source": data[0]["sources"][0]["source"]}],
                "topics": ["unused-topic"],
            }
        )
        claims.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
        assert memo(root) == before
