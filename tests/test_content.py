"""Property: every text a user writes is shown, as written, in every format; or refused.

Hypothesis draws every text field of a workspace (claim text, quote and the captured text
holding it, origin, source title, container title, author names, publisher, URL, locator,
section titles and prose, brief title, subject, to, from, organisation, audience labels,
marking name) from hand-picked fragments of many scripts and hostile strings, joined with
random text over each script's alphabet. Each workspace goes through the real CLI:
`check`, then `build --all` for every audience in DOCX, PDF and HTML. Then, on the files:

- check passes => the build exits 0, with no traceback and no "briefgen bug" message;
- check refuses => exit 1, stderr holds only `file:line: key: message` lines (and the
  count line), and it refuses only a workspace holding a character no document may hold
  (a C0 or C1 control other than tab and newline, a lone surrogate, a noncharacter);
- every text the memo shows is in the DOCX text (body, headers, footers, notes), the HTML
  text and the PDF text layer (`pdftotext`, and `pdftotext -raw`), in logical order, with
  no Arabic presentation forms in the PDF text that the user did not write;
- the DOCX and the PDF carry the same notes, numbers and text; `qpdf --check` passes on
  each PDF and python-docx opens each DOCX; LibreOffice converts the DOCX files of the
  first example of a run that has DOCX files, and of every 50th example after it (it
  takes seconds).

Allowances made when comparing (each for a change a reader cannot see, or one a style makes):
- whitespace is removed on both sides (lines wrap, long words are split across lines) and
  both sides are NFC-normalised (canonically equivalent text is the same text);
- default-ignorable characters (ZWJ, ZWNJ, bidi marks and embeddings, soft hyphens,
  variation selectors, ...) are removed on both sides: they have no glyph to extract;
- a text holding right-to-left letters, not found whole, is compared word by word (each
  word must be there, or at least its letters and digits, in order), as pdftotext may
  give right-to-left runs in another word order and put the brackets and punctuation by
  them elsewhere; the order on the page is the business of the visual-order test below
  and of tests/test_scripts.py; `pdftotext -raw` gives text in the order it is drawn,
  which for right-to-left text is the visual order, so it is not read for such text;
  and in a PDF whose text holds right-to-left runs, pdftotext moves neutrals (quote marks,
  brackets) into and out of those runs by its own reckoning, so there a text passes when
  every one of its characters is there;
- fields the citation style formats (titles, container title, authors, publisher) are
  compared case-insensitively (casefold) and with all quote marks (' " ‘ ’ “ ”) taken as
  one, in every format, as a style may re-case them, set ' as ’ and flip ‘ ’ inside “ ”
  to “ ” (CSL's quote nesting); so are the origin and a claim with an origin
  ("According to x, the text": a first word that is not a name is lowered inside a
  sentence); an origin the claim's text already names, as `check` warns, is not looked
  for: the memo prints the text as written, without attributing it again;
- author names are compared by their runs of letters and of digits: a style gives a
  one-letter part of a name a full stop and joins its hyphenated parts (CSL's initials);
- the organisation may be printed in capitals (the PDF's heading), so it passes in
  capitals too; a container title's leading "The" may be dropped (Chicago does);
- the URL and the locator are drawn but not looked for: styles shorten and relabel them.

The short run (`make test`) draws BRIEFGEN_CONTENT_EXAMPLES (default 20) workspaces,
derandomised. Failures are collected, not shrunk (each example is six real builds), and
reported together, each with its field, string, format and missing characters.
`make fuzz` runs thousands and prints the cases, builds and failures.
"""

from __future__ import annotations

import html
import html.parser
import json
import os
import re
import shutil
import subprocess
import tempfile
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from briefgen.resolve.paragraphs import nested_quotes

from . import docx_read
from .conftest import WORKSPACES, briefgen

EXAMPLES = int(os.environ.get("BRIEFGEN_CONTENT_EXAMPLES", "20"))
# the PDF engine the drawn workspaces name (reportlab, the default, or typst)
ENGINE = os.environ.get("BRIEFGEN_CONTENT_PDF_ENGINE", "reportlab")
KEEP = os.environ.get("BRIEFGEN_CONTENT_KEEP")  # a folder to copy failing workspaces to
SOFFICE_EVERY = 50  # LibreOffice converts the first DOCX files built, then every 50th case's

# Hand-picked fragments: every script, every hostile class, each a few characters long.
SCRIPTS = [
    "Łódź",
    "Ærø İstanbul",
    "naïve café",
    "Straße",
    "Москва ответила: «Нет».",
    "Ёлка",
    "Αθήνα",
    "ΣΊΣΥΦΟΣ σίσυφος",
    "القاهرة",
    "السلام عليكم",
    "جمهوری اسلامی ایران",
    "سپاه پاسداران",
    "تهران",
    "پاکستان ہے",
    "کراچی میں ہے",
    "ہ ے ۓ",
    "ירושלים",
    "שָׁלוֹם",
    "北京",
    "中华人民共和国",
    "東京",
    "ひらがな",
    "カタカナ",
    "서울",
    "한국어",
    "नई दिल्ली",
    "हिन्दी",
    "กรุงเทพมหานคร",
    "ภาษาไทย",
]
MIXED = [
    "Officials in Tehran (تهران).",
    "شاهد-۱۳۶",
    "(سپاه)",
    "«تهران»",
    "[ایران]",
    "Tehran تهران 2024",
    "سال ۱۴۰۲ and 2023",
    "ایران1",
    "قم 5%",
    "UN (سازمان ملل) said",
    "עברית and العربية",
    "“تهران”",
]
SIGNS = [
    "€5",
    "£3",
    "¥100",
    "₽",
    "₹",
    "₺",
    "﷼ 1,000",
    "$",
    "₩",
    "2024",
    "٠١٢٣٤٥٦٧٨٩",
    "۰۱۲۳۴۵۶۷۸۹",
    "1.5%",
    "١٬٠٠٠",
    "۱۴۰۲/۰۳/۲۵",
    "🙂",
    "👩‍💻",
    "🇮🇷",
    "👍🏽",
]
PUNCTUATION = [
    "(",
    ")",
    "[x]",
    "{y}",
    "“quoted”",
    "‘single’",
    "«»",
    "„deutsch“",
    "—",
    "–",
    "‐",
    "‑",
    "…",
    "'",
    '"',
    "&",
    "<",
    ">",
    "&amp;",
    "&lt;b&gt;",
    "&#x41;",
]
MARKUP = [
    "<b>bold</b>",
    "<font color='red'>x</font>",
    "<para>",
    "</para>",
    "<br/>",
    "<img src=x onerror=alert(1)>",
    "<![CDATA[x]]>",
    "<!-- c -->",
    "**bold**",
    "_it_",
    "# head",
    "[link](http://x.example)",
    "`code`",
    "* item",
    r"\textbf{x}",
    "$x^2$",
    "%",
    "\\\\",
    "~",
    "^",
    r"\&",
    "<w:t>",
]
JINJA = ["{{ x }}", "{% for a in b %}", "{# c #}", "{{ claim('c-one') }}", "{%", "}}"]
MARKS = [
    "e\u0301",
    "a\u0308\u0304",
    "\u0915\u094d\u0937",
    "Z\u0351\u0352",
    "\u200d",
    "\u200c",
    "می\u200cخواهم",
    "\u200e",
    "\u200f",
    "\u061c",
    "\u202a",
    "\u202b",
    "\u202c",
    "\u202d",
    "\u202e",
    "\u2066",
    "\u2067",
    "\u2068",
    "\u2069",
    "co\u00adoperation",
    "\u00a0",
    "\u2002",
    "\u2003",
    "\u2009",
    "\u200a",
    "\u202f",
    "\u205f",
    "\u3000",
    "\u1680",
    "\u2028",
    "\ufe0f",
]
LONG = [
    "Donaudampfschifffahrtsgesellschaft" * 8,
    "ا" * 150 + "ب",
    "https://example.org/" + "a" * 180 + "?q=1&r=<2>#frag",
]
# Characters no document may hold: each must make check refuse the workspace.
REFUSED = [
    "\x00",
    "\x07",
    "\x1b",
    "\x7f",
    "\x85",
    "\x9f",
    "\ud800",
    "\udfff",
    "\ufffe",
    "\uffff",
    "\ufdd0",
    "\ufdef",
    "\U0001fffe",
]
ALPHABETS = {
    "latin": "abcdefghijklmnopqrstuvwxyzABCZÀÉÑøßœ",
    "cyrillic": "абвгдеёжзийЖЩЯ",
    "greek": "αβγδεζηθλμνξπσςωΩ",
    "arabic": "ابتثجحخدذرزسشصضطعغفقكلمنهوي",
    "persian": "پچژگکیۀ",
    "urdu": "ٹڈڑںہےھ",
    "hebrew": "אבגדהוזחטיךכלםמןנסעפץצקרשת",
    "chinese": "中国人民大学北京上海",
    "japanese": "あいうえおアイウエオ漢字",
    "korean": "가나다라마바사한국",
    "devanagari": "कखगघचछजझटडणतथदधनपफबभमयरलवशसह",
    "thai": "กขคงจฉชซญดตถทนบปผพฟมยรลวศสหอ",
    "digits": "0123456789٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹",
    "punctuation": "()[]{}«»“”‘’—–-.,;:!?'\"&<>/\\%$#@*_~^|",
}
FRAGMENTS = SCRIPTS + MIXED + SIGNS + PUNCTUATION + MARKUP + JINJA + MARKS + LONG
JOINS = [" ", " ", "", ", ", "\u00a0", " - "]

PIECE = st.one_of(
    st.sampled_from(FRAGMENTS),
    st.sampled_from(sorted(ALPHABETS)).flatmap(
        lambda name: st.text(alphabet=ALPHABETS[name], min_size=1, max_size=12)
    ),
)


def _texts(pieces: st.SearchStrategy[str], joins: list[str]) -> st.SearchStrategy[str]:
    """Return texts of one to four pieces, each after a join, holding a letter or digit."""
    parts = st.lists(st.tuples(st.sampled_from(joins), pieces), min_size=1, max_size=4)
    return parts.map(lambda ps: "".join(j + p for j, p in ps).strip()).filter(
        lambda text: any(c.isalnum() for c in text)
    )


TEXT = _texts(PIECE, JOINS)
# Section prose is a Jinja template, so Jinja markup in it is code, not text: leave it out.
PROSE = _texts(
    st.sampled_from([f for f in FRAGMENTS if f not in JINJA])
    | PIECE.filter(lambda p: "{" not in p and "}" not in p),
    JOINS + ["\n\n"],
)
# Every field the test writes, with the strategy for its text.
FIELDS: dict[str, st.SearchStrategy[str]] = {
    name: TEXT
    for name in [
        "claim text",
        "claim text 2",
        "origin",
        "quote",
        "quote 2",
        "source title",
        "source title 2",
        "container title",
        "author family",
        "author given",
        "author literal",
        "publisher",
        "URL",
        "locator",
        "section title",
        "store section title",
        "brief title",
        "subject",
        "to",
        "from",
        "organisation",
        "audience label analyst",
        "audience label principal",
        "marking name",
    ]
}
FIELDS |= {"section prose": PROSE, "store section prose": PROSE}


@st.composite
def workspace_values(draw: st.DrawFn) -> dict[str, str]:
    """Draw a text for every field; one example in five puts a refused character in one."""
    values = {name: draw(strategy) for name, strategy in FIELDS.items()}
    if values["marking name"] == "PUBLIC":
        values["marking name"] += " 2"  # the second marking is PUBLIC: names must differ
    if draw(st.integers(0, 4)) == 0:
        name = draw(st.sampled_from(sorted(FIELDS)))
        text = values[name]
        at = draw(st.integers(0, len(text)))
        values[name] = text[:at] + draw(st.sampled_from(REFUSED)) + text[at:]
    return values


# Which fields each audience's memo shows, and how they are compared: "exact", or
# "casefold" for what a citation style formats.
SHOWN = {
    "claim text": "exact",
    "claim text 2": "exact",
    "origin": "casefold",
    "section title": "exact",
    "section prose": "exact",
    "store section title": "exact",
    "store section prose": "exact",
    "brief title": "exact",
    "subject": "exact",
    "to": "exact",
    "from": "exact",
    "organisation": "exact",
    "marking name": "exact",
    "source title": "casefold",
    "source title 2": "casefold",
    "container title": "casefold",
    "author family": "casefold",
    "author given": "casefold",
    "author literal": "casefold",
    "publisher": "casefold",
}
# The analyst sees quotes under listed claims (c-one); a claim placed in prose shows none.
SHOWN_BY = {
    "analyst": {**SHOWN, "audience label analyst": "exact", "quote": "exact"},
    "principal": {**SHOWN, "audience label principal": "exact"},
}
FORMATS = ("docx", "pdf", "html")
AUDIENCES = ("analyst", "principal")
PROBLEM_LINE = re.compile(r"^[^\s:][^:]*:[1-9]\d*: [^\s:]+: \S.*$")
COUNT_LINE = re.compile(r"^(\d+ sources?, .*|briefgen: \d+ errors?; nothing written)$")
BUG = "please report this as a briefgen bug"
PRESENTATION_FORMS = re.compile("[\ufb50-\ufdff\ufe70-\ufeff]")
RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc\u202b\u202e\u2067]")


def refused(char: str) -> bool:
    """Return whether no document may hold `char`: a control other than tab and
    newline, a lone surrogate, or a noncharacter."""
    code = ord(char)
    category = unicodedata.category(char)
    return (
        (category == "Cc" and char not in "\t\n")
        or category == "Cs"
        or (0xFDD0 <= code <= 0xFDEF or code & 0xFFFE == 0xFFFE)
    )


# The Default_Ignorable_Code_Point property of Unicode's DerivedCoreProperties.txt.
_IGNORABLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
    "\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0000-\U000e0fff]"
)
_SPACE = re.compile(r"\s+")


_STRAIGHT = str.maketrans("‘’“”'", '"""""')


def comparable(text: str, fold: bool = False) -> str:
    """Return `text` as compared: NFC, no default-ignorables, no whitespace; with `fold`,
    casefolded and every quote mark made ", as a citation style may change them."""
    text = _SPACE.sub("", _IGNORABLE.sub("", unicodedata.normalize("NFC", text)))
    return text.casefold().translate(_STRAIGHT) if fold else text


@dataclass
class Failure:
    """One broken promise: its kind, where it showed, and the text that broke it."""

    kind: str
    fmt: str = ""  # docx, html, pdf, "pdf -raw"
    audience: str = ""
    field: str = ""
    text: str = ""
    detail: str = ""

    def __str__(self) -> str:
        where = " ".join(p for p in (self.fmt, self.audience, self.field) if p)
        text = f" {self.text!r}" if self.field else ""
        return f"{self.kind} [{where}]{text}: {self.detail}"

    def signature(self) -> tuple[str, str, str]:
        """Return what makes two failures the same class: kind, format and the message
        without the characters, names and numbers it quotes."""
        return self.kind, self.fmt, _NAMED.sub("…", self.detail)


_NAMED = re.compile(
    r"(U\+[0-9A-F]{4,6}( \([^)]*\)| [A-Z][A-Z0-9 -]*)?(, )?)+|'[^']*('|$)"
    r"|@0x[0-9a-f]+|\d+"
)


@dataclass
class Tally:
    """What a run saw: cases, builds and failures."""

    cases: int = 0
    builds: int = 0
    converted: int = 0  # cases whose DOCX files LibreOffice converted
    failures: list[Failure] = field(default_factory=list)

    def report(self) -> str:
        """Return every distinct failure class: its count, a first example and every
        character its failures name."""
        classes: dict[tuple[str, str, str], list[Failure]] = {}
        for failure in self.failures:
            classes.setdefault(failure.signature(), []).append(failure)
        lines = [
            f"{self.cases} cases, {self.builds} builds, {self.converted} converted by "
            f"LibreOffice, {len(self.failures)} failures in {len(classes)} classes"
        ]
        for members in classes.values():
            named = sorted({c for f in members for c in re.findall(r"U\+[0-9A-F]{4,6}", f.detail)})
            chars = f"\n      characters named: {' '.join(named[:60])}" if named else ""
            lines.append(f"  {len(members)}x {members[0]}{chars}")
        return "\n".join(lines)


def write_workspace(root: Path, v: dict[str, str]) -> None:
    """Copy the good fixture workspace to `root` and write the drawn texts into it."""
    shutil.copytree(WORKSPACES / "good", root)
    dump = lambda data: yaml.safe_dump(data, allow_unicode=True, sort_keys=False)  # noqa: E731
    (root / "briefgen.yaml").write_text(
        dump(
            {
                "organisation": v["organisation"],
                "citation-style": "chicago-notes-bibliography",
                "default-audience": "analyst",
                "markings": [
                    {"name": v["marking name"], "portion": "P"},
                    {"name": "PUBLIC", "portion": "U"},
                ],
                "pdf-engine": ENGINE,
            }
        ),
        encoding="utf-8",
    )
    (root / "audiences.yaml").write_text(
        dump(
            {
                "analyst": {
                    "label": v["audience label analyst"],
                    "template": "policy-memo",
                    "notes": "footnotes",
                    "quotes": True,
                    "confidence": True,
                    "portion-marks": True,
                },
                "principal": {
                    "label": v["audience label principal"],
                    "template": "one-page",
                    "notes": "endnotes",
                },
            }
        ),
        encoding="utf-8",
    )
    store = root / "store"
    (store / "sources.yaml").write_text(
        dump(
            [
                {
                    "id": "src-a",
                    "type": "article-newspaper",
                    "title": v["source title"],
                    "author": [{"family": v["author family"], "given": v["author given"]}],
                    "container-title": v["container title"],
                    "issued": "2024-06-12",
                    "URL": v["URL"],
                    "text": "texts/src-a.txt",
                },
                {
                    "id": "src-b",
                    "type": "report",
                    "title": v["source title 2"],
                    "author": [{"literal": v["author literal"]}],
                    "publisher": v["publisher"],
                    "issued": "2024-06-10",
                    "text": "texts/src-b.txt",
                },
            ]
        ),
        encoding="utf-8",
    )
    (store / "texts" / "doe-2024.txt").unlink()
    for name, quote in (("src-a", v["quote"]), ("src-b", v["quote 2"])):
        (store / "texts" / f"{name}.txt").write_text(
            f"A Headline\n\nThe first paragraph says little.\n\nReporters wrote that {quote} "
            "on the day, officials said.\n\nA last paragraph.\n",
            encoding="utf-8",
            errors="surrogatepass",
        )  # a lone surrogate goes in as the bytes that hold it
    (store / "claims" / "grain.yaml").write_text(
        dump(
            [
                {
                    "id": "c-one",
                    "text": v["claim text"],
                    "origin": v["origin"],
                    "sources": [{"source": "src-a", "quote": v["quote"], "locator": v["locator"]}],
                    "date": "2024-06-12",
                    "topics": ["trade"],
                    "confidence": "high",
                    "marking": v["marking name"],
                },
                {
                    "id": "c-two",
                    "text": v["claim text 2"],
                    "sources": [{"source": "src-b", "quote": v["quote 2"]}],
                    "date": "2024-06-10",
                    "topics": ["other"],
                    "confidence": "low",
                    "marking": v["marking name"],
                },
            ]
        ),
        encoding="utf-8",
    )
    (store / "sections" / "context.yaml").write_text(
        dump(
            [
                {
                    "id": "context",
                    "title": v["store section title"],
                    "text": v["store section prose"] + ' {{ claim("c-two") }}',
                }
            ]
        ),
        encoding="utf-8",
    )
    (root / "weekly.yaml").write_text(
        dump(
            {
                "title": v["brief title"],
                "subject": v["subject"],
                "to": v["to"],
                "from": v["from"],
                "date": "2024-06-14",
                "period": "2024-W24",
                "audiences": list(AUDIENCES),
                "formats": list(FORMATS),
                "sections": [
                    {"title": v["section title"], "text": v["section prose"], "claims": ["c-one"]},
                    {"section": "context"},
                ],
            }
        ),
        encoding="utf-8",
    )


class _HTMLText(html.parser.HTMLParser):
    """Collect an HTML document's text, leaving out its style sheet."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in_style = tag == "style"
        self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False
        self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._in_style:
            self.parts.append(data)


def html_text(path: Path) -> str:
    """Return the text of an HTML file, as a browser would show it (less styling)."""
    parser = _HTMLText()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return "".join(parser.parts)


def docx_text(path: Path) -> str:
    """Return the text of every WordprocessingML part: body, headers, footers, notes."""
    w = docx_read.W
    lines = []
    with zipfile.ZipFile(path) as archive:
        for name in sorted(archive.namelist()):
            if not re.fullmatch(
                r"word/(document|header\d*|footer\d*|footnotes|endnotes)"
                r"\.xml",
                name,
            ):
                continue
            root = etree.fromstring(archive.read(name))
            for para in root.iter(f"{w}p"):
                lines.append(
                    "".join(
                        node.text or ""
                        if node.tag == f"{w}t"
                        else _DOCX_CHARS[node.tag.removeprefix(w)]
                        for node in para.iter(*(f"{w}{tag}" for tag in _DOCX_CHARS))
                    )
                )
    return "\n".join(lines)


# Elements WordprocessingML writes for characters, and the characters they stand for.
_DOCX_CHARS = {
    "t": "",
    "tab": "\t",
    "br": "\n",
    "cr": "\n",
    "noBreakHyphen": "\u2011",
    "softHyphen": "\u00ad",
}


def pdf_texts(path: Path) -> dict[str, str]:
    """Return the PDF's text layer by `pdftotext` and by `pdftotext -raw`."""
    out = {}
    for mode, args in (("pdf", []), ("pdf -raw", ["-raw"])):
        done = subprocess.run(
            ["pdftotext", *args, str(path), "-"], capture_output=True, check=False, timeout=60
        )
        out[mode] = done.stdout.decode("utf-8", "replace")
    return out


def missing_from(expected: str, shown: str, fold: bool, pdf: bool = False) -> str | None:
    """Return why `expected` is not in `shown` (the characters missing), else None."""
    want, have = comparable(expected, fold), comparable(shown, fold)
    if want in have:
        return None
    absent = sorted({c for c in want if c not in have})
    if pdf and not absent and RTL.search(have):
        # pdftotext moves neutrals (quote marks, brackets) into and out of a line's
        # right-to-left runs by its own reckoning: every character must be there
        return None
    if RTL.search(expected):
        # right-to-left runs may be extracted in another word order, and brackets and
        # punctuation by them put elsewhere (the order on the page is the business of
        # the visual-order test): each word's letters and digits must be there
        words = [comparable(w, fold) for w in expected.split()]
        if all(w in have for w in words if w):
            return None
        letters = "".join(c for c in have if c.isalnum())
        if all(run in letters for w in words for run in _alnum_runs(w)):
            return None
    if absent:
        return "missing " + ", ".join(_describe(c) for c in absent)
    return "all characters there, not in this order or not together"


# A word's runs of letters of one direction, and of digits of one bidi class: pdftotext
# may give a number glued to a right-to-left word before it ("۱۳۶-شاهد" for "شاهد-۱۳۶"),
# and the algorithm orders runs of Arabic-Indic digits (class AN) and of other digits
# (EN) among themselves as it orders words, right to left
_RUNS = re.compile(
    r"[^\W\d_\u0590-\u08ff]+|(?:(?![\d\u066a-\u066d\u06d4])"
    r"[\u0590-\u08ff])+|[\u0660-\u0669]+|(?:(?![\u0660-\u0669])\d)+"
)


def _alnum_runs(text: str) -> list[str]:
    """Return `text`'s runs of letters of one direction, and of digits (marks aside)."""
    return _RUNS.findall("".join(c if c.isalnum() else " " for c in text))


def _describe(char: str) -> str:
    return f"U+{ord(char):04X} {unicodedata.name(char, '(unnamed)')}"


def _variants(name: str, text: str) -> list[str]:
    """Return the forms in which a field passes: as written, and its allowances."""
    forms = [text]
    if name == "organisation":
        forms.append(text.upper())
    if name == "container title" and text.casefold().startswith("the "):
        forms.append(text[4:])
    return forms


def shown_problems(values: dict[str, str], audience: str, fmt: str, text: str) -> list[Failure]:
    """Return the shown fields of `audience` that `text` (one format's) lacks."""
    failures = []
    for name, how in SHOWN_BY[audience].items():
        fold = how == "casefold" or (name == "claim text" and bool(values["origin"]))
        # Prose is looked for paragraph by paragraph: a portion mark may open each one.
        parts = _PARAGRAPHS.split(values[name]) if "prose" in name else [values[name]]
        if name.startswith("quote"):  # its own quotation marks print single
            parts = [nested_quotes(part) for part in parts]
        for part in parts:
            if fmt == "pdf -raw" and RTL.search(part):
                continue  # -raw gives right-to-left text in the order it is drawn
            if name.startswith("author"):
                # a style gives a one-letter part of a name a full stop and joins its
                # hyphenated parts (CSL's initials): the letters and digits must be there,
                # word by word (right-to-left words may come out in another order)
                letters = "".join(c for c in comparable(text, True) if c.isalnum())
                runs = [run for word in part.split() for run in _alnum_runs(comparable(word, True))]
                if not all(run in letters for run in runs):
                    failures.append(
                        Failure(
                            "not shown",
                            fmt,
                            audience,
                            name,
                            part,
                            f"missing {[r for r in runs if r not in letters]}",
                        )
                    )
                continue
            reasons = [
                missing_from(form, text, fold, fmt.startswith("pdf"))
                for form in _variants(name, part)
            ]
            if all(reasons):
                failures.append(Failure("not shown", fmt, audience, name, part, str(reasons[0])))
    return failures


_PARAGRAPHS = re.compile(r"\n[ \t]*\n")


def note_problems(docx: Path, layers: dict[str, str], audience: str) -> list[Failure]:
    """Return the notes of the DOCX that the PDF lacks, by number and text."""
    kind = "footnotes" if audience == "analyst" else "endnotes"
    texts = docx_read.notes(docx, kind)
    order = docx_read.body_note_ids(docx, kind)
    failures = []
    if sorted(order) != sorted(texts):
        failures.append(
            Failure(
                "notes differ",
                "docx",
                audience,
                detail=(f"body references {order}, notes part holds {sorted(texts)}"),
            )
        )
    for number, ident in enumerate(order, start=1):
        note = texts.get(ident, "")
        # -raw keeps the notes in their order, but gives right-to-left text as drawn
        layer = layers["pdf" if RTL.search(note) else "pdf -raw"]
        reason = missing_from(f"{number}. {note}", layer, fold=False, pdf=True)
        if reason:
            failures.append(
                Failure(
                    "notes differ",
                    "pdf",
                    audience,
                    f"note {number}",
                    texts.get(ident, ""),
                    f"the DOCX note, in the PDF: {reason}",
                )
            )
    return failures


def validity_problems(outs: list[Path], tally: Tally) -> list[Failure]:
    """Return what qpdf, python-docx and (for a sample) LibreOffice say of the files."""
    from docx import Document

    failures = []
    pdfs = sorted(p for out in outs for p in out.glob("*.pdf"))
    docx_files = sorted(p for out in outs for p in out.glob("*.docx"))
    for pdf in pdfs:
        done = subprocess.run(
            ["qpdf", "--check", str(pdf)], capture_output=True, text=True, check=False, timeout=60
        )
        if done.returncode != 0:
            failures.append(Failure("qpdf --check", "pdf", detail=done.stdout[-300:]))
    for docx in docx_files:
        try:
            Document(str(docx))
        except Exception as exc:  # any failure to open is the finding
            failures.append(Failure("python-docx cannot open", "docx", detail=repr(exc)))
    if (
        docx_files
        and (not tally.converted or tally.cases % SOFFICE_EVERY == 0)
        and (shutil.which("soffice"))
    ):
        tally.converted += 1
        failures += soffice_problems(docx_files)
    return failures


def soffice_problems(docx_files: list[Path]) -> list[Failure]:
    """Return the DOCX files LibreOffice cannot convert to PDF."""
    with tempfile.TemporaryDirectory() as tmp:
        try:
            done = subprocess.run(
                [
                    "soffice",
                    f"-env:UserInstallation=file://{tmp}/profile",
                    "--headless",
                    "--convert-to",
                    "pdf",
                    "--outdir",
                    tmp,
                    *map(str, docx_files),
                ],
                capture_output=True,
                text=True,
                check=False,
                timeout=300,
            )
        except subprocess.TimeoutExpired:
            return [Failure("soffice timed out", "docx", detail="after 300 s")]
        return [
            Failure("soffice cannot convert", "docx", detail=done.stderr[-300:])
            for docx in docx_files
            if not (Path(tmp) / f"{docx.stem}.pdf").is_file()
        ]


def examine(values: dict[str, str], tally: Tally) -> list[Failure]:
    """Build a workspace holding `values` and return every promise it breaks."""
    tally.cases += 1
    values = {name: as_yaml_reads(text) for name, text in values.items()}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "ws"
        write_workspace(root, values)
        failures, passed, said = check_problems(root, values)
        if "already names who asserted it" in said:
            values = {**values, "origin": ""}  # the text is printed as written
        if passed:
            built, outs = build_problems(root, values, tally)
            failures += built + file_problems(values, outs, tally)
        if failures and KEEP:  # the failing workspace, with what it drew and broke
            kept = Path(KEEP) / f"case-{os.getpid()}-{tally.cases}"  # one run a shard
            shutil.copytree(root, kept, dirs_exist_ok=True)
            (kept / "values.json").write_text(
                json.dumps(values, ensure_ascii=False, indent=1), encoding="utf-8"
            )
            (kept / "failures.txt").write_text(
                "\n".join(map(str, failures)) + "\n", encoding="utf-8"
            )
        return failures


def as_yaml_reads(text: str) -> str:
    """Return `text` as a YAML reader gives it back from the file it is written to: a
    next-line character (U+0085) in a quoted scalar is a line break in YAML 1.1, and
    folds into a space with the indent after it. The workspace holds that text."""
    read: str = yaml.safe_load(yaml.safe_dump(text, allow_unicode=True))
    return read


def check_problems(root: Path, values: dict[str, str]) -> tuple[list[Failure], bool, str]:
    """Run `check`; return what is wrong with its verdict or output, whether it passed,
    and what it printed."""
    held = sorted({c for text in values.values() for c in text if refused(c)})
    check = briefgen("check", cwd=root)
    failures = output_problems("check", check.code, check.err + check.out)
    if held and check.code == 0:
        holder = next(n for n, t in values.items() if any(c in t for c in held))
        failures.append(
            Failure(
                "check accepted a refused character",
                field=holder,
                text=values[holder],
                detail=", ".join(map(_describe, held)),
            )
        )
    if not held and check.code != 0:
        error = _first_error(check.err)
        failures.append(
            Failure(
                "check refused showable text",
                field=_field_of(error, values),
                text=_text_of(error, values),
                detail=error,
            )
        )
    return failures, check.code == 0, check.err + check.out


def build_problems(
    root: Path, values: dict[str, str], tally: Tally
) -> tuple[list[Failure], dict[str, Path]]:
    """Build every audience and format; return the failures and each format's output
    folder. When the build fails, each format is built alone, to name the one that fails
    and to look at the others' files still."""
    build = briefgen("build", "--all", cwd=root)
    tally.builds += 1
    if build.code == 0:
        return (
            output_problems("build", build.code, build.err + build.out),
            dict.fromkeys(FORMATS, root / "out"),
        )
    failures, outs = [], {}
    for fmt in FORMATS:
        out = root / f"out-{fmt}"
        run = briefgen("build", "--all", "--format", fmt, "--out", str(out), cwd=root)
        tally.builds += 1
        if run.code == 0:
            outs[fmt] = out
            continue
        crash = _crash(run.err)
        failures.append(
            Failure(
                "build failed", fmt, "", _field_of(crash, values), _text_of(crash, values), crash
            )
        )
    return failures or [Failure("build failed", "all", detail=_crash(build.err))], outs


def file_problems(values: dict[str, str], outs: dict[str, Path], tally: Tally) -> list[Failure]:
    """Return what the written files lack or break: shown texts, notes, validity."""
    failures = []
    written = "".join(values.values())
    for audience in AUDIENCES:
        docx, html_file, pdf = (
            outs[fmt] / f"weekly.{audience}.{fmt}" if fmt in outs else None
            for fmt in ("docx", "html", "pdf")
        )
        if docx:
            failures += shown_problems(values, audience, "docx", docx_text(docx))
        if html_file:
            failures += shown_problems(values, audience, "html", html_text(html_file))
        if pdf:
            layers = pdf_texts(pdf)
            for mode, text in layers.items():
                failures += shown_problems(values, audience, mode, text)
            forms = sorted(
                {c for c in layers["pdf"] if PRESENTATION_FORMS.match(c) and c not in written}
            )
            if forms:
                failures.append(
                    Failure(
                        "presentation forms in PDF text",
                        "pdf",
                        audience,
                        detail=", ".join(map(_describe, forms)),
                    )
                )
            if docx:
                failures += note_problems(docx, layers, audience)
    return failures + validity_problems(sorted(set(outs.values())), tally)


def output_problems(command: str, code: int, output: str) -> list[Failure]:
    """Return what is wrong with a command's output: a traceback, a bug message, or
    (when it refused) a line other than problem lines, or an exit status other than 1."""
    failures = []
    if "Traceback" in output or BUG in output:
        failures.append(Failure(f"{command} crashed", detail=_crash(output)))
    if code != 0:
        odd = [
            line
            for line in output.splitlines()
            if line.strip() and not PROBLEM_LINE.match(line) and not COUNT_LINE.match(line)
        ]
        if odd:
            failures.append(
                Failure(f"{command}: a line not file:line: key: message", detail=odd[0][:200])
            )
        if code != 1:
            failures.append(Failure(f"{command} exit status {code}", detail=output[-200:]))
    return failures


def _crash(output: str) -> str:
    """Return the telling line of a failure: the last line of a traceback, or the first
    error line."""
    lines = [
        line.strip()
        for line in output.splitlines()
        if line.strip() and not re.match(r"\[\d+/\d+\]", line)
    ]
    if "Traceback" in output:
        return lines[-1][:300]
    return " ".join(lines)[:300]  # a writer's error may take several lines


def _first_error(output: str) -> str:
    lines = [line for line in output.splitlines() if line.strip() and "warning:" not in line]
    return lines[0][:300] if lines else "(no output)"


def _field_of(output: str, values: dict[str, str]) -> str:
    """Return the field holding the characters a message names (U+XXXX), or the text
    it quotes; "" when none."""
    named = [chr(int(code, 16)) for code in re.findall(r"U\+([0-9A-F]{4,6})", output)]
    for name, text in values.items():
        if any(c in text for c in named) or (text and repr(text) in output):
            return name
    return ""


def _text_of(output: str, values: dict[str, str]) -> str:
    name = _field_of(output, values)
    return values[name] if name else ""


def test_every_text_a_user_writes_is_shown_or_refused(no_local_constants: None) -> None:
    tally = Tally()

    # Failures are collected rather than raised, so hypothesis neither stops at the first
    # nor shrinks (each example is a check and six builds); the report names them all.
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=EXAMPLES <= 100,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(values=workspace_values())
    def examine_one(values: dict[str, str]) -> None:
        tally.failures += examine(values, tally)
        if EXAMPLES > 100 and tally.cases % 100 == 0:  # the long run says how it goes
            print(tally.report().splitlines()[0], flush=True)

    examine_one()
    if tally.failures:
        pytest.fail(tally.report(), pytrace=False)
    print(tally.report())  # the long run's summary, when all went well


# Paragraphs with a right-to-left run next to the note number, and inside brackets.
VISUAL = [
    "Officials in Tehran (سپاه پاسداران) said شاهد-۱۳۶",
    "Officials in Tehran (تهران) said [شاهد ۱۳۶]",
    "Officials said سپاه ۱۴۰۲ had stalled",
]
_WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" '
    r'yMax="([\d.]+)">([^<]*)</word>'
)


@pytest.mark.parametrize("claim", VISUAL)
def test_a_right_to_left_run_by_a_note_number_is_in_unicode_bidi_order(
    good: Path, claim: str
) -> None:
    """The words of the claim's line in the PDF, left to right on the page
    (`pdftotext -bbox`), are those the Unicode bidirectional algorithm (UAX #9, by
    python-bidi) displays for the line as written, its note number after it, in a
    left-to-right paragraph. Compared NFKC-normalised (a shaped glyph may map back to a
    presentation form: the other test holds the PDF to the letters written), without
    default-ignorables and spaces, the page's bullet left out."""
    from bidi import get_display

    path = good / "store" / "claims" / "grain.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "text: Talks on the grain corridor stalled on 11 June 2024.", f"text: {claim!r}"
        ),
        encoding="utf-8",
    )
    run = briefgen("build", "--all", "--format", "pdf", cwd=good)
    assert run.code == 0, run.err
    bbox = subprocess.run(
        ["pdftotext", "-bbox", str(good / "out/weekly.principal.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    words = [
        (float(x0), float(y0), float(y1), html.unescape(text))
        for x0, y0, _, y1, text in _WORD.findall(bbox)
    ]
    anchor = next(w for w in words if _visual(w[3]) == "Officials")
    line = sorted(w for w in words if w[2] > anchor[1] and w[1] < anchor[2] and w[3] != "•")
    shown = _visual("".join(w[3] for w in line))
    # the note number is a left-to-right unit (README: it stays with its sentence)
    expected = _visual(get_display(f"{claim}\u200e1\u200e", base_dir="L"))
    assert shown == expected, f"page: {shown!r}\nUAX #9: {expected!r}"


def _visual(text: str) -> str:
    return comparable(unicodedata.normalize("NFKC", text))
