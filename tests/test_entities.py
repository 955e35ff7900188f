"""Property: what a user types in a field prints as written, in every note and format.

Characters markup gives a meaning to (& < > " '), entities typed literally (&amp;), and
markup of HTML, CSL rich text, Markdown, LaTeX, Jinja and reportlab are drawn into a
source's fields, a claim's text, quote and locator; a real memo is built in DOCX, PDF,
HTML and JSON, and each value must be found in each file as written: no entity, tag or
emphasis interpreted, escaped twice or re-cased ("&Amp;"). Titles may be re-cased by the
style, so they are compared ignoring case, but their tokens holding markup characters
must keep their case.

Run long with: BRIEFGEN_ENTITY_EXAMPLES=200 pytest tests/test_entities.py -p no:cacheprovider
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from briefgen.build.memos import build, check_workspace
from briefgen.resolve.paragraphs import nested_quotes
from briefgen.scripts import has_rtl

from .conftest import WORKSPACES
from .docx_read import W, notes

EXAMPLES = int(os.environ.get("BRIEFGEN_ENTITY_EXAMPLES", "10"))
MARKUP = [
    "&",
    "<",
    ">",
    '"',
    "'",
    "&amp;",
    "&lt;",
    "&gt;",
    "&quot;",
    "&#39;",
    "&#x26;",
    "&nbsp;",
    "<i>x</i>",
    "<b>b</b>",
    '<span class="nocase">of</span>',
    "<sc>sc</sc>",
    "<sup>s</sup>",
    "<br/>",
    "<script>alert(x)</script>",
    '<img src="x">',
    "<para>",
    '<font color="red">',
    "</para>",
    "*x*",
    "**x**",
    "_x_",
    "`x`",
    "$x$",
    "[x](y)",
    "[@doe]",
    "{{x}}",
    "{% if x %}",
    "{#",
    "\\emph{x}",
    "\\&",
    "%",
    "~",
    "^",
    "#",
    "--",
    "AT&T",
]
WORDS = ["Grain", "talks", "of", "between", "the", "Russia", "stall", "Ёлки", "Палки", "Москва"]
RTL_WORDS = ["مرحبا", "طهران"]


def _joined(pieces: list[str], size: int) -> st.SearchStrategy[str]:
    """Return up to `size` pieces, each followed by a space or glued to the next."""
    return st.lists(
        st.tuples(st.sampled_from(pieces), st.sampled_from([" ", "", " "])),
        min_size=1,
        max_size=size,
    ).map(lambda pairs: "".join(p + s for p, s in pairs).strip())


def _fields(words: list[str]) -> st.SearchStrategy[dict[str, Any]]:
    """Return the fields of a source and three claims, drawn from markup and `words`."""
    value = _joined(MARKUP + words, 5)  # digits are left out: see the README ("Citations")
    # Names follow CSL's name rules, which are not at stake here: a lower-case word starts
    # a particle ("van Gogh"), one character is an initial ("J" prints "J."), and an
    # apostrophe joins a particle to the name ("d'Alembert").
    name = _joined([p for p in MARKUP + words if len(p) > 1], 4).filter(
        lambda v: not v[:1].islower() and all(len(word) > 1 for word in v.split())
    )
    url = st.lists(
        st.sampled_from([m for m in MARKUP if " " not in m] + ["a", "Ёлки"]), min_size=1, max_size=4
    ).map(lambda p: "https://example.org/" + "".join(p))
    return st.fixed_dictionaries(
        {
            "title": value,
            "container-title": value,
            "family": name,
            "given": name,
            "publisher": value,
            "URL": url,
            "style": st.sampled_from(["chicago-notes-bibliography", "apa"]),
            "claims": st.lists(st.tuples(value, value, value), min_size=3, max_size=3),
        }
    )


# Half the memos hold right-to-left text too.
FIELDS = st.one_of(_fields(WORDS), _fields(WORDS + RTL_WORDS))
TITLES = ("title", "container-title")
ENTITY = re.compile(r"&#?\w+;")
MARKS = set("&<>\\{}[]$*_#%~^`@=")  # a title token holding one is not a word to re-case


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=EXAMPLES <= 100,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(FIELDS)
def test_typed_text_prints_as_written_in_every_format(fields: dict[str, Any]) -> None:
    # Every memo is built as a PDF too; pdftotext gives a line of mixed directions back in
    # its own word order, so a PDF is looked into for the values without right-to-left
    # text (tests/test_scripts.py checks the order of such lines on the page).
    pdf = True
    with tempfile.TemporaryDirectory() as tmp:
        out = _build(Path(tmp) / "ws", fields, pdf)
        texts = {
            "analyst.docx": _docx_text(out / "weekly.analyst.docx"),
            "reader.docx": _docx_text(out / "weekly.reader.docx"),
        }
        for audience in ("analyst", "reader"):
            if pdf:
                texts[f"{audience}.pdf"] = _pdf_text(out / f"weekly.{audience}.pdf")
            texts[f"{audience}.html"] = _html_text(out / f"weekly.{audience}.html")
            texts[f"{audience}.json"] = _json_text(out / f"weekly.{audience}.json")
    values = {key: fields[key] for key in ("title", "container-title", "publisher", "URL")}
    values["family"] = fields["family"]
    if fields["style"] != "apa":  # APA gives initials only
        values["given"] = fields["given"]
    for i, (text, quote, locator) in enumerate(fields["claims"]):
        # a quote's own quotation marks print single inside the memo's double ones
        values |= {
            f"claim {i} text": text,
            f"quote {i}": nested_quotes(quote),
            f"locator {i}": locator,
        }
    typed = set(ENTITY.findall(" ".join(_all_strings(fields))))
    for name, text in texts.items():
        squeeze = _squeeze if name.endswith(".pdf") else _normal
        flat = squeeze(text)
        for key, value in values.items():
            if key.startswith("quote") and not name.startswith("analyst"):
                continue  # only the analysts' memos show quotes
            if name.endswith(".pdf") and has_rtl(value):
                continue
            if key in TITLES:
                assert squeeze(value).casefold() in flat.casefold(), (name, key, value, text)
                for token in value.split():
                    if any(c in MARKS for c in token):
                        assert squeeze(token) in flat, (name, key, token, text)
            else:
                assert squeeze(value) in flat, (name, key, value, text)
        made = set(ENTITY.findall(text)) - typed
        assert not made, (name, made, text)


def _build(ws: Path, fields: dict[str, Any], pdf: bool) -> Path:
    """Write `fields` into a copy of the good workspace, build it; return its out/."""
    shutil.copytree(WORKSPACES / "good", ws)
    store = ws / "store"
    source = {
        "id": "doe-2024",
        "type": "chapter",
        "title": fields["title"],
        "author": [{"family": fields["family"], "given": fields["given"]}],
        "container-title": fields["container-title"],
        "publisher": fields["publisher"],
        "issued": "2024-06-12",
        "URL": fields["URL"],
        "text": "texts/doe-2024.txt",
    }
    _dump(store / "sources.yaml", [source])
    config = yaml.safe_load((ws / "briefgen.yaml").read_text(encoding="utf-8"))
    _dump(ws / "briefgen.yaml", {**config, "citation-style": fields["style"]})
    ids = ["talks-stalled", "wheat-prices", "ministry-committed"]
    claims = [
        {
            "id": ident,
            "text": text,
            "topics": ["trade"],
            "sources": [{"source": "doe-2024", "quote": quote, "locator": locator}],
        }
        for ident, (text, quote, locator) in zip(ids, fields["claims"], strict=True)
    ]
    _dump(store / "claims" / "grain.yaml", claims)
    captured = store / "texts" / "doe-2024.txt"
    quotes = " and ".join(quote for _, quote, _ in fields["claims"])  # one content paragraph
    captured.write_text(
        captured.read_text(encoding="utf-8") + f"\n\nIt said {quotes}.\n", encoding="utf-8"
    )
    _dump(
        ws / "audiences.yaml",
        {
            "analyst": {"template": "policy-memo", "notes": "footnotes", "quotes": True},
            "reader": {"template": "policy-memo", "notes": "endnotes"},
        },
    )
    brief = yaml.safe_load((ws / "weekly.yaml").read_text(encoding="utf-8"))
    _dump(
        ws / "weekly.yaml",
        {
            **brief,
            # every claim in a list of its own, where the analysts see its quote: the
            # reusable section would place wheat-prices in prose instead (a claim is
            # placed once)
            "sections": [s for s in brief["sections"] if "section" not in s],
            "audiences": ["analyst", "reader"],
            "formats": ["docx", "html", "json"] + ["pdf"] * pdf,
        },
    )
    build(check_workspace(ws), jobs=2)
    return ws / "out"


def _dump(path: Path, data: object) -> None:
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def _all_strings(data: object) -> list[str]:
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        return [s for v in data.values() for s in _all_strings(v)]
    if isinstance(data, (list, tuple)):
        return [s for v in data for s in _all_strings(v)]
    return []


def _normal(text: str) -> str:
    return " ".join(text.split())


def _squeeze(text: str) -> str:
    """Return `text` without white space: a PDF breaks lines inside words, as in URLs."""
    return "".join(text.split())


def _docx_text(path: Path) -> str:
    """Return the body paragraphs of a DOCX and its notes, one per line."""
    with zipfile.ZipFile(path) as archive:
        root = etree.fromstring(archive.read("word/document.xml"))
    body = ["".join(t.text or "" for t in p.iter(f"{W}t")) for p in root.iter(f"{W}p")]
    found = [*notes(path, "footnotes").values(), *notes(path, "endnotes").values()]
    return "\n".join(body + found)


def _pdf_text(path: Path) -> str:
    done = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True
    )
    return done.stdout.decode()


class _Text(HTMLParser):
    """The text a browser shows: character references decoded, no style or script."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._skip += tag in ("style", "script")

    def handle_endtag(self, tag: str) -> None:
        self._skip -= tag in ("style", "script")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def _html_text(path: Path) -> str:
    parser = _Text()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return "".join(parser.parts)


def _json_text(path: Path) -> str:
    """Return every string of the JSON memo; the spans of one paragraph or note joined."""

    def walk(data: object) -> list[str]:
        if (
            isinstance(data, list)
            and data
            and all(isinstance(d, dict) and "type" in d for d in data)
        ):
            return ["".join(d.get("text", "") for d in data)]
        if isinstance(data, dict):
            return [s for v in data.values() for s in walk(v)]
        if isinstance(data, list):
            return [s for v in data for s in walk(v)]
        return [data] if isinstance(data, str) else []

    return "\n".join(walk(json.loads(path.read_text(encoding="utf-8"))))
