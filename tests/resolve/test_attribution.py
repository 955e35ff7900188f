"""Property: a second-hand claim reads naturally in every attribution template.

Each example draws claims whose origins are labels ("An industry survey", a capitalised
word of Latin, Cyrillic or Greek letters and lower-case words), names the store knows
(written inside a sentence once, anywhere: the claims' own source's captured text,
another source's text or title, a claim no memo places, its origin) or words of scripts
without case (Arabic, Chinese, Korean); their texts start with a name or a common word, and either
leave the origin out, name it, or attribute themselves to someone else ("According to
…"). Four audiences word the claims with templates putting `{origin}` and `{text}` at
the start, middle and end of the sentence. The workspace goes through the real `check`
and `build` (HTML and DOCX), and each claim's paragraph is read back from both files:

- no sentence starts with a lower-case letter, and none holds "., " or "..";
- the origin stands once, unless the text attributes itself to someone else (then the
  text stands as written);
- a name the store knows keeps its capitals; a label inside a sentence starts lower-case,
  and at the start of one with a capital;
- `check` warns, at the claim's file, line and `text` key, exactly where the text
  already names who asserted it.

Run long with: BRIEFGEN_ATTRIBUTION_EXAMPLES=200 pytest tests/resolve/test_attribution.py
"""

from __future__ import annotations

import html.parser
import os
import re
import tempfile
from copy import deepcopy
from dataclasses import dataclass
from pathlib import Path

import docx
import yaml
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph as DocxParagraph
from hypothesis import HealthCheck, Phase, assume, given, settings
from hypothesis import strategies as st

from briefgen.resolve.attribution import ATTRIBUTING_VERBS

from ..conftest import briefgen

EXAMPLES = int(os.environ.get("BRIEFGEN_ATTRIBUTION_EXAMPLES", "6"))
CASED = {
    "latin": "abcdefghijklmnopqrstuvwxyzàéíóúñçøłšž",
    "cyrillic": "абвгдежзиклмнопрстуфхцчшщыэюя",
    "greek": "αβγδεζηθικλμνξοπρτυφχψω",
}
CASELESS = ["ابتثجحخدرزسشصعفقلمنهوي", "北京东西南中国人民社报", "서울한국어가나다라마"]
# Templates with {origin} and {text} at the start, in the middle and at the end.
TEMPLATES = {
    "middle": "According to {origin}, {text}",
    "end": "{text}, according to {origin}.",
    "start": "{origin} reports that {text}",
    "brackets": "{text} (as reported by {origin})",
}
FIXED_LABELS = ["An industry survey", "Officials", "Investigators in Helsinki", "Port officials"]
# Where the store writes a name inside a sentence, which is how it learns the name: the
# claims' own source's captured text, or anywhere else in the store.
PLACES = ["own text", "other text", "other title", "other claim", "other origin"]


def _word(script: str, capital: bool) -> st.SearchStrategy[str]:
    letters = st.text(st.sampled_from(CASED[script]), min_size=4, max_size=8)
    return letters.map(lambda w: w[0].upper() + w[1:] if capital else w)


def _caseless() -> st.SearchStrategy[str]:
    return st.sampled_from(CASELESS).flatmap(
        lambda letters: st.text(st.sampled_from(letters), min_size=2, max_size=6)
    )


@dataclass
class Claim:
    """One drawn claim: its origin, how its text is made, and the words it is made of."""

    origin: str
    origin_kind: str  # label | name | caseless
    first: str  # the text's first word when it does not name anyone
    first_is_name: bool
    text_kind: str  # plain | names | other
    other: str  # whom an "other" text attributes itself to
    words: list[str]

    def text(self, number: int) -> str:
        rest = f"{' '.join(self.words)} route {number}."
        if self.text_kind == "names":
            return f"{self.origin} says {rest}"
        if self.text_kind == "other":
            return f"According to {self.other}, {rest}"
        return f"{self.first} {rest}"


@st.composite
def claims(draw: st.DrawFn) -> tuple[list[Claim], dict[str, str]]:
    """Draw four claims and the names the store knows (each a capitalised word), with
    where the store writes each."""
    script = st.sampled_from(sorted(CASED))
    names = draw(
        st.lists(
            script.flatmap(lambda s: _word(s, True)),
            min_size=3,
            max_size=3,
            unique_by=str.casefold,
        )
    )
    out = []
    for _ in range(4):
        kind = draw(st.sampled_from(["label", "name", "caseless"]))
        if kind == "label":
            s = draw(script)
            generated = f"{draw(_word(s, True))} {draw(_word(s, False))} {draw(_word(s, False))}"
            origin = draw(st.sampled_from([*FIXED_LABELS, generated]))
        elif kind == "name":
            origin = f"{draw(st.sampled_from(names))} {draw(_word(draw(script), True))}"
        else:
            origin = draw(_caseless())
        first_is_name = draw(st.booleans())
        first = draw(st.sampled_from(names)) if first_is_name else draw(_word(draw(script), True))
        words = draw(st.lists(_word(draw(script), False), min_size=2, max_size=4))
        text_kind = draw(st.sampled_from(["plain", "names", "other"]))
        out.append(Claim(origin, kind, first, first_is_name, text_kind, names[0], words))
    # a drawn word that happens to be a name, or to hold an origin, would blur the cases
    known = {n.casefold() for n in names}
    for c in out:
        if c.origin_kind == "label":
            assume(c.origin.split()[0].casefold() not in known)
        if not c.first_is_name:
            assume(c.first.casefold() not in known)
        assume(c.origin.casefold() not in c.text(0).casefold() or c.text_kind != "plain")
        # a drawn word that is a verb of saying ("сообщила") makes a plain text name its origin
        assume(not {w.casefold() for w in c.words} & set(ATTRIBUTING_VERBS))
    return out, {n: draw(st.sampled_from(PLACES)) for n in names}


def write_workspace(root: Path, drawn: list[Claim], names: dict[str, str]) -> list[str]:
    """Write a workspace holding the drawn claims; return the claims' texts."""
    (root / "store" / "claims").mkdir(parents=True)
    (root / "store" / "texts").mkdir()
    (root / "briefgen.yaml").write_text("organisation: Test Desk\n")
    (root / "audiences.yaml").write_text(
        yaml.safe_dump(
            {a: {"label": a, "attribution": t} for a, t in TEMPLATES.items()},
            allow_unicode=True,
        ),
        encoding="utf-8",
    )
    ids = [f"c{i}" for i in range(len(drawn))]
    (root / "weekly.yaml").write_text(
        yaml.safe_dump(
            {
                "title": "Weekly",
                "date": "2024-06-14",
                "audiences": list(TEMPLATES),
                "formats": ["docx"],
                "sections": [{"title": "Claims", "claims": ids}],
            }
        ),
        encoding="utf-8",
    )

    # the store writes each name inside a sentence once, in the place drawn for it (a
    # title in sentence case, as one in headline case teaches no names)
    def known(place: str) -> str:
        return ", ".join(f"talks with {n} went on" for n, p in names.items() if p == place)

    for source, place in (("src", "own text"), ("other", "other text")):
        (root / "store" / "texts" / f"{source}.txt").write_text(
            f"Shipping news: {known(place)}.\n", encoding="utf-8"
        )
    (root / "store" / "sources.yaml").write_text(
        yaml.safe_dump(
            [
                {
                    "id": s,
                    "type": "report",
                    "title": t,
                    "issued": "2024-06",
                    "text": f"texts/{s}.txt",
                }
                for s, t in (
                    ("src", "Shipping"),
                    ("other", f"Shipping news: {known('other title')}".strip()),
                )
            ],
            allow_unicode=True,
        ),
        encoding="utf-8",
    )
    in_origin = " and to ".join(n for n, p in names.items() if p == "other origin")
    elsewhere = [  # claims no memo places
        {
            "id": "known-text",
            "text": f"Shipping news: {known('other claim')}.",
            "sources": ["other"],
        },
        {
            "id": "known-origin",
            "text": "Routes stay open.",
            "origin": f"officials close to {in_origin or 'nobody'}",
            "sources": ["other"],
        },
    ]
    (root / "store" / "claims" / "elsewhere.yaml").write_text(
        yaml.safe_dump(elsewhere, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    texts = [c.text(100 + i) for i, c in enumerate(drawn)]
    records = [
        {"id": i, "text": t, "origin": c.origin, "sources": ["src"]}
        for i, t, c in zip(ids, texts, drawn, strict=True)
    ]
    (root / "store" / "claims" / "c.yaml").write_text(
        yaml.safe_dump(records, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    return texts


def text_lines(path: Path) -> dict[str, int]:
    """Return each claim's id with the line of its `text` key, as YAML's parser gives it."""
    node = yaml.compose(path.read_text(encoding="utf-8"))
    out = {}
    for item in node.value:
        keys = {k.value: v for k, v in item.value}
        out[keys["id"].value] = keys["text"].start_mark.line + 1
    return out


class _Paragraphs(html.parser.HTMLParser):
    """Collect the text of each <li> and <p> of an HTML file, note numbers left out."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[str] = []
        self._open = False
        self._sup = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("li", "p"):
            self.paragraphs.append("")
            self._open = True
        self._sup += tag == "sup"

    def handle_endtag(self, tag: str) -> None:
        self._sup -= tag == "sup"
        self._open = self._open and tag not in ("li", "p")

    def handle_data(self, data: str) -> None:
        if self._open and not self._sup:
            self.paragraphs[-1] += data


# the marks a writer puts by right-to-left text to keep its order: no reader sees them
_BIDI_MARKS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def html_paragraphs(path: Path) -> list[str]:
    parser = _Paragraphs()
    parser.feed(path.read_text(encoding="utf-8"))
    return [_BIDI_MARKS.sub("", p) for p in parser.paragraphs]


def docx_paragraphs(path: Path) -> list[str]:
    """Return each paragraph's text without its note markers: an endnote's is a link to
    the note's paragraph (its anchor `_Note…`), a footnote's a reference without text."""
    out = []
    for p in docx.Document(str(path)).paragraphs:
        element = deepcopy(p._p)
        for link in element.findall(qn("w:hyperlink")):
            if (link.get(qn("w:anchor")) or "").startswith("_Note"):
                element.remove(link)
        out.append(_BIDI_MARKS.sub("", DocxParagraph(element, p._parent).text))
    return out


def _lowered(text: str) -> str:
    return text[0].lower() + text[1:]


def problems(paragraph: str, claim: Claim, text: str, template: str) -> list[str]:
    """Return how one claim's paragraph breaks the rules the module docstring lists."""
    out = []
    if "., " in paragraph or ".." in paragraph:
        out.append("a full stop doubled or before a comma")
    for sentence in re.split(r"(?<=[.!?])\s+", paragraph.strip()):
        if sentence[:1].islower():
            out.append(f"a sentence starts lower-case: {sentence!r}")
    origin_mid = not template.startswith("{origin}")
    text_mid = not template.startswith("{text}")
    if claim.text_kind != "plain":
        if paragraph.strip() != text:
            out.append(f"not the text as written: {text!r}")
        return out
    if paragraph.casefold().count(claim.origin.casefold()) != 1:
        out.append("the origin does not stand exactly once")
    if claim.origin_kind == "name" or claim.origin_kind == "caseless":
        want = claim.origin
    else:
        want = _lowered(claim.origin) if origin_mid else claim.origin
    if want not in paragraph:
        out.append(f"origin not as {want!r}")
    first = claim.first if claim.first_is_name or not text_mid else _lowered(claim.first)
    if f"{first} {claim.words[0]}" not in paragraph:
        out.append(f"text's first word not as {first!r}")
    if not paragraph.rstrip().endswith("."):
        out.append("no full stop at the end")
    return out


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],  # each example is six real runs: not shrunk
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(claims())
def test_second_hand_claims_read_naturally(drawn: tuple[list[Claim], list[str]]) -> None:
    claims_drawn, names = drawn
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "ws"
        texts = write_workspace(root, claims_drawn, names)
        check = briefgen("check", cwd=root)
        assert check.code == 0, check.err
        lines = text_lines(root / "store" / "claims" / "c.yaml")
        for i, claim in enumerate(claims_drawn):
            warning = (
                f"store/claims/c.yaml:{lines[f'c{i}']}: text: warning: claim 'c{i}': its text "
                "already names who asserted it"
            )
            assert (warning in check.err) == (claim.text_kind != "plain"), (warning, check.err)
        build = briefgen("build", "--all", "--format", "html", cwd=root)
        assert build.code == 0, build.err
        build = briefgen("build", "--all", "--format", "docx", cwd=root)
        assert build.code == 0, build.err
        failures = []
        for audience, template in TEMPLATES.items():
            for fmt, read in (("html", html_paragraphs), ("docx", docx_paragraphs)):
                paragraphs = read(root / "out" / f"weekly.{audience}.{fmt}")
                for i, claim in enumerate(claims_drawn):
                    found = [p for p in paragraphs if f"route {100 + i}" in p]
                    assert len(found) == 1, (audience, fmt, i, paragraphs)
                    failures += [
                        (audience, fmt, found[0], problem)
                        for problem in problems(found[0], claim, texts[i], template)
                    ]
        assert not failures, failures
