"""A memo is tagged with its reader's locale in every format, as the built files say."""

from __future__ import annotations

import datetime as dt
import html
import re
import shutil
import subprocess
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pypdf
import pytest
import yaml
from babel import Locale
from babel.dates import format_date, format_skeleton
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefgen.dates import PartialDate, format_partial
from briefgen.resolve.words import CATALOGUES, translations

from .conftest import babel_days, briefgen, make_workspace
from .test_content import SCRIPTS

LOCALES = ["en-US", "en-GB", "fr-FR", "de-DE", "es-ES", "ru-RU"]
LANGUAGES = ["en", "fr", "de", "es", "ru"]  # the catalogues: en-US and en-GB share en
WORKSPACE_LOCALE = "en-GB"  # what an audience that sets no locale of its own gets


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the good workspace for one audience per locale, and one that sets none."""
    root = make_workspace(tmp_path_factory.mktemp("locale"))
    (root / "briefgen.yaml").write_text(
        (root / "briefgen.yaml").read_text() + f"locale: {WORKSPACE_LOCALE}\n"
    )
    audiences = ["plain:\n  label: Plain\n"]
    audiences += [
        f"r-{tag}:\n  label: Readers {tag}\n  locale: {tag}\n  confidence: true\n  mark-new: true\n"
        for tag in LOCALES
    ]
    (root / "audiences.yaml").write_text((root / "audiences.yaml").read_text() + "".join(audiences))
    brief = (root / "weekly.yaml").read_text()
    names = ", ".join(["plain", *(f"r-{tag}" for tag in LOCALES)])
    brief = brief.replace("audiences: [principal, analyst]", f"audiences: [{names}]")
    (root / "weekly.yaml").write_text(brief + "formats: [docx, pdf, html]\n")
    run = briefgen("build", "--all", cwd=root)
    assert run.code == 0, run.err
    return root / "out"


def _docx_languages(path: Path) -> dict[str, str]:
    """Return the language slots of the DOCX's style defaults, as Word reads them."""
    with zipfile.ZipFile(path) as z:
        styles = z.read("word/styles.xml").decode()
    defaults = re.search(r"<w:docDefaults>.*?</w:docDefaults>", styles, re.DOTALL)
    assert defaults is not None
    found = re.search(r"<w:lang ([^>]*)/>", defaults.group(0))
    assert found is not None
    return dict(re.findall(r'w:(\w+)="([^"]*)"', found.group(1)))


class _Lang(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.lang: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "html":
            self.lang = dict(attrs).get("lang")


def _html_language(path: Path) -> str | None:
    parser = _Lang()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.lang


@pytest.mark.parametrize(
    ("audience", "tag"),
    [("plain", WORKSPACE_LOCALE), *((f"r-{tag}", tag) for tag in LOCALES)],
)
def test_every_format_is_tagged_with_the_audiences_locale(
    built: Path, audience: str, tag: str
) -> None:
    languages = _docx_languages(built / f"weekly.{audience}.docx")
    assert languages["val"] == tag
    assert languages["bidi"] != tag  # none of these is a right-to-left language
    with zipfile.ZipFile(built / f"weekly.{audience}.docx") as z:
        assert f"<dc:language>{tag}</dc:language>" in z.read("docProps/core.xml").decode()
    pdf = pypdf.PdfReader(built / f"weekly.{audience}.pdf")
    assert pdf.trailer["/Root"]["/Lang"] == tag
    assert pdf.xmp_metadata is not None
    assert pdf.xmp_metadata.dc_language == [tag]
    assert _html_language(built / f"weekly.{audience}.html") == tag


@pytest.mark.parametrize(("tag", "slot"), [("ar-EG", "bidi"), ("ja-JP", "eastAsia")])
def test_a_language_of_another_script_takes_its_own_docx_slot(
    tmp_path: Path, tag: str, slot: str
) -> None:
    from briefgen.writers.docx.writer import write_docx

    from .sample_memo import sample_memo

    memo = sample_memo()
    memo.language = tag
    write_docx(memo, tmp_path / "m.docx")
    languages = _docx_languages(tmp_path / "m.docx")
    assert languages["val"] == languages[slot] == tag


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    title=st.lists(st.sampled_from(SCRIPTS + ["<a & b>", '"quoted"']), min_size=1, max_size=4),
    tag=st.sampled_from([*LOCALES, "ar-EG", "fa-IR", "zh-CN", "ko-KR"]),
)
def test_the_pdfs_xmp_names_its_title_and_language_in_any_script(
    tmp_path: Path, title: list[str], tag: str
) -> None:
    from briefgen.writers.pdf.writer import write_pdf

    from .sample_memo import sample_memo

    memo = sample_memo()
    memo.header.title, memo.language = " ".join(title), tag
    write_pdf(memo, tmp_path / "m.pdf")
    xmp = pypdf.PdfReader(tmp_path / "m.pdf").xmp_metadata
    assert xmp is not None
    assert xmp.dc_language == [tag]
    assert xmp.dc_title == {"x-default": memo.header.title}


def _docx_text(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        xml = z.read("word/document.xml").decode()
    return html.unescape("".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml)))


def _html_text(path: Path) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", path.read_text(encoding="utf-8")))


@pytest.mark.parametrize("tag", LOCALES)
def test_the_memo_prints_its_date_and_period_as_babel_writes_them(built: Path, tag: str) -> None:
    brief = yaml.safe_load((built.parent / "weekly.yaml").read_text())
    year, week = (int(n) for n in brief["period"].split("-W"))
    first, last = dt.date.fromisocalendar(year, week, 1), dt.date.fromisocalendar(year, week, 7)
    where = Locale.parse(tag, sep="-")
    date = format_date(brief["date"], "long", locale=where)
    period = f"{babel_days(first, last, tag)} ({brief['period']})"
    for text in (
        _docx_text(built / f"weekly.r-{tag}.docx"),
        _html_text(built / f"weekly.r-{tag}.html"),
    ):
        assert date in text
        assert period in text


@settings(max_examples=60, deadline=None)
@given(
    day=st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31)),
    precision=st.sampled_from([1, 2, 3]),
    tag=st.sampled_from(LOCALES),
)
def test_a_partial_date_is_written_by_babel_at_its_precision(
    day: dt.date, precision: int, tag: str
) -> None:
    date = PartialDate(
        day.year, day.month if precision > 1 else None, day.day if precision > 2 else None
    )
    where = Locale.parse(tag, sep="-")
    expected = {
        3: format_date(day, "long", locale=where),
        2: format_skeleton("yMMMM", day, locale=where),
        1: format_skeleton("y", day, locale=where),
    }[precision]
    assert format_partial(date, tag) == expected


def test_an_unknown_locale_is_an_error_at_its_line(tmp_path: Path) -> None:
    root = make_workspace(tmp_path)
    (root / "audiences.yaml").write_text(
        (root / "audiences.yaml").read_text() + "x:\n  locale: xx-QQ\n"
    )
    run = briefgen("check", cwd=root)
    assert run.code == 1
    line = (root / "audiences.yaml").read_text().splitlines().index("  locale: xx-QQ") + 1
    assert (
        f"audiences.yaml:{line}: x.locale: unknown locale 'xx-QQ' (expected a tag like en-GB or de-DE)"
        in run.err + run.out
    )


def _catalogue(language: str) -> Catalog:
    with (CATALOGUES / f"{language}.po").open("rb") as po:
        return read_po(po, locale=language)


def _message_ids() -> set[str]:
    """Return every message id the code asks a catalogue for, as Babel extracts them."""
    found = extract_from_dir(
        CATALOGUES.parent,
        method_map=[("**.py", "python")],
        keywords={"gettext": None, "ngettext": (1, 2), "plural_noop": (1, 2)},
    )
    ids: set[str] = set()
    for _file, _line, message, _comments, _context in found:
        ids.update([message] if isinstance(message, str) else message[:1])
    return ids


def test_the_code_asks_for_the_memos_words() -> None:
    assert {"TO", "Notes", "NEW", "Page {page} of {pages}"} <= _message_ids()


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_has_a_translation_in_each_catalogue(language: str) -> None:
    catalogue = _catalogue(language)
    for message_id in _message_ids():
        message = catalogue.get(message_id)
        assert message is not None, f"{language}.po lacks {message_id!r}"
        forms = message.string if message.pluralizable else (message.string,)
        assert len(forms) == (catalogue.num_plurals if message.pluralizable else 1), message_id
        holes = sorted(re.findall(r"\{\w*\}", message_id))
        for form in forms:
            assert form, f"{language}.po has no translation of {message_id!r}"
            assert sorted(re.findall(r"\{\w*\}", form)) == holes, message_id


CLDR_ORDER = ["zero", "one", "two", "few", "many", "other"]  # as gettext's forms go


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_count_takes_the_plural_form_cldr_gives_it(language: str) -> None:
    """The catalogue's Plural-Forms rule picks the form of CLDR's plural category."""
    catalogue = _catalogue(language)
    forms = next(m.string for m in catalogue if m.id and m.pluralizable)
    singular, plural = next(m.id for m in catalogue if m.id and m.pluralizable)
    rules = Locale.parse(language).plural_form
    categories = [c for c in CLDR_ORDER if c in rules.tags | {"other"}]
    for n in [*range(0, 125), 1_000_000]:
        expected = forms[categories.index(rules(n))]
        assert translations(language).ngettext(singular, plural, n) == expected, n


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext missing")
@pytest.mark.parametrize("tag", ["de-DE", "fr-FR"])
def test_a_memo_in_german_or_french_prints_none_of_the_english_words(built: Path, tag: str) -> None:
    catalogue = _catalogue(tag.split("-")[0])
    pdf = built / f"weekly.r-{tag}.pdf"
    texts = {
        "pdf": subprocess.run(
            ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout,
        "docx": _docx_text(built / f"weekly.r-{tag}.docx"),
        "html": _html_text(built / f"weekly.r-{tag}.html"),
    }
    shown = 0
    for message_id in _message_ids():
        translated = str(catalogue[message_id].string)
        if translated == message_id or "{" in message_id:
            continue
        english = re.compile(rf"(?<!\w){re.escape(message_id.strip())}(?!\w)")
        for kind, text in texts.items():
            assert not english.search(text), f"{kind} says {message_id!r}"
            shown += translated in text
    assert shown >= 3 * 8  # the labels, confidences and NEW, in each format
