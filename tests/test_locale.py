"""A memo is in its reader's locale in every format: its language tags, its dates by Babel and
its own words from the catalogues, every message translated in each, as the built files say."""

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
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from briefgen.dates import PartialDate, format_partial
from briefgen.resolve.words import CATALOGUES, KIND_COUNTS, translations

from .conftest import WORKSPACES, babel_days, briefgen, make_workspace
from .test_content import SCRIPTS, docx_text, html_text, pdf_texts

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


# --- the memo's words in each locale, on generated workspaces ---------------------------

# Words of user text, in letters no English word of the memo is made of (accented Latin,
# Cyrillic, Greek), each starting in lower or upper case.
WORD = st.text(st.sampled_from("éøßčžåñçжщыдлфэюσλπ"), min_size=2, max_size=7)
CASED_WORD = st.builds(lambda w, up: w.capitalize() if up else w, WORD, st.booleans())
TEXT = st.lists(CASED_WORD, min_size=2, max_size=5).map(lambda ws: " ".join(ws) + ".")
ORIGIN = st.lists(
    st.text(st.sampled_from("αβγδεζηθ"), min_size=2, max_size=6), min_size=1, max_size=3
)
KINDS = st.sampled_from(
    ["article-newspaper", "personal_communication", "report", "legal_case", "dataset", "speech"]
)


def _text_of(kind: str, path: Path) -> str:
    """Return a built memo's text, its white space (no-break too) made plain spaces."""
    if kind == "pdf":
        shown = pdf_texts(path)["pdf"]
    else:
        shown = html_text(path) if kind == "html" else docx_text(path)
    return " ".join(shown.split())


def _english_phrases(language: str) -> list[re.Pattern[str]]:
    """Return the English of the memo's words that a memo in `language` must not show:
    each message without placeholders, and each run of two or more words between the
    placeholders of the others, unless the language's translation says it too."""
    catalogue = _catalogue(language)
    found = []
    for message in catalogue:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        said = " ".join(forms)
        for one in ids:
            pieces = [one.strip()] if "{" not in one else re.split(r"\{\w*\}", one)
            for piece in pieces:
                piece = piece.strip(" .,:;()“”")
                if not piece or piece in said or ("{" in one and " " not in piece):
                    continue
                found.append(re.compile(rf"(?<!\w){re.escape(piece)}(?!\w)"))
    return found


def _form(language: str, singular: str, n: int) -> str:
    """Return the catalogue's form of a plural message for `n`, chosen by Babel's plural
    rule for the language (CLDR's), with the count put in."""
    message = _catalogue(language)[singular]
    rules = Locale.parse(language).plural_form
    categories = [c for c in CLDR_ORDER if c in rules.tags | {"other"}]
    form = message.string[categories.index(rules(n))].replace("{count}", str(n))
    return " ".join(form.split())  # as _text_of makes the memo's white space


def _generated_workspace(
    root: Path,
    tag: str,
    kinds: list[tuple[str, int]],
    origins: list[list[str] | None],
    texts: list[str],
) -> dict[str, int]:
    """Write a workspace of `kinds` sources (a type and how many of it) and a claim per
    source, every other one citing the next source too, the ones with an origin
    second-hand; build it for one audience in `tag`. Return the counts the summary says."""
    shutil.copytree(WORKSPACES / "good", root, ignore=shutil.ignore_patterns("out"))
    store = root / "store"
    shutil.rmtree(store / "texts")
    (store / "sections" / "context.yaml").unlink()
    types = [kind for kind, n in kinds for _ in range(n)]
    sources = [
        {"id": f"s-{i}", "type": kind, "title": texts[i % len(texts)], "issued": "2024-06-12"}
        for i, kind in enumerate(types)
    ]
    claims = []
    for i in range(len(types)):
        origin = origins[i % len(origins)]
        cited = [f"s-{i}"] + ([f"s-{i + 1}"] if i % 2 and i + 1 < len(types) else [])
        claims.append(
            {
                "id": f"c-{i}",
                "text": texts[i % len(texts)].replace(".", f" {i}."),
                **({"origin": " ".join(origin)} if origin else {}),
                "sources": [{"source": s} for s in cited],
                "topics": ["trade"],
            }
        )
    (store / "sources.yaml").write_text(yaml.safe_dump(sources, allow_unicode=True), "utf-8")
    (store / "claims" / "grain.yaml").write_text(
        yaml.safe_dump(claims, allow_unicode=True), "utf-8"
    )
    audience = {
        "label": texts[0],
        "locale": tag,
        "summary": True,
        "source-count": True,
        "confidence": True,
        "mark-new": True,
        "changes": True,
    }
    (root / "audiences.yaml").write_text(yaml.safe_dump({"analyst": audience}), "utf-8")
    brief = {
        "title": texts[0],
        "subject": texts[-1],
        "to": texts[-1],
        "date": "2024-06-14",
        "period": "2024-W24",
        "audiences": ["analyst"],
        "formats": ["html", "docx", "pdf"],
        "sections": [
            {"title": texts[0], "select": {"topics": ["trade"], "limit": 100}},
            {"title": texts[-1], "select": {"topics": ["none-such"]}},
        ],
    }
    (root / "weekly.yaml").write_text(yaml.safe_dump(brief, allow_unicode=True), "utf-8")
    return {
        "claims": len(claims),
        "second": sum(1 for c in claims if "origin" in c),
        "multi": sum(1 for c in claims if len(c["sources"]) > 1),
    }


def _paragraphs(path: Path) -> list[str]:
    """Return the text of each paragraph and listed claim of an HTML memo, without its
    NEW and confidence marks and its remarks."""
    page = path.read_text(encoding="utf-8")
    page = re.sub(r'<span class="(?:new|conf)">.*?</span>|<div class="remark">.*?</div>', "", page)
    found = re.findall(r"<(p|li)\b[^>]*>(.*?)</\1>", page, re.DOTALL)
    return [" ".join(html.unescape(re.sub(r"<[^>]+>", "", p)).split()) for _, p in found]


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext missing")
@pytest.mark.parametrize("tag", LOCALES)
@settings(
    max_examples=3,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],  # a build is slow to shrink by
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    kinds=st.lists(
        st.tuples(KINDS, st.integers(1, 23)), min_size=1, max_size=3, unique_by=lambda k: k[0]
    ),
    origins=st.lists(st.one_of(st.none(), ORIGIN), min_size=1, max_size=4),
    texts=st.lists(TEXT, min_size=1, max_size=4),
)
def test_a_memo_says_its_own_words_in_its_language_and_counts_by_its_plural_rule(
    tmp_path_factory: pytest.TempPathFactory, tag: str, kinds, origins, texts
) -> None:
    root = tmp_path_factory.mktemp("words") / "ws"
    counts = _generated_workspace(root, tag, kinds, origins, texts)
    run = briefgen("build", cwd=root)
    assert run.code == 0, run.err
    language = tag.split("-")[0]
    memos = {
        kind: _text_of(kind, root / "out" / f"weekly.analyst.{kind}")
        for kind in ("html", "docx", "pdf")
    }
    if language != "en":  # no English of the memo's own words is left
        for phrase in _english_phrases(language):
            for kind, text in memos.items():
                assert not phrase.search(text), f"{kind} says {phrase.pattern!r}"
    sources = sum(n for _, n in kinds)
    rests = _form(language, "This memo rests on {count} source ({kinds}).", sources)
    claims = _form(language, "Of its {count} claim, {second} and {multi}.", counts["claims"])
    second = "{count} is second-hand (reported by the source from another originator)"
    multi = "{count} is backed by more than one source"
    for kind in ("html", "docx"):  # the PDF breaks lines inside sentences
        text = memos[kind]
        assert rests.split("{kinds}")[0] in text, kind
        assert claims.split("{second}")[0] in text, kind
        assert _form(language, second, counts["second"]) in text, kind
        assert _form(language, multi, counts["multi"]) in text, kind
        for csl_type, n in kinds:
            one = KIND_COUNTS[csl_type][0]
            assert re.search(re.escape(_form(language, one, n)) + "[,)]", text), (kind, csl_type)
    for text in memos.values():  # "г.." or "data.." would be a full stop too many
        assert not re.search(r"(?<!\.)\.\.(?!\.)", text)
    paragraphs = _paragraphs(root / "out" / "weekly.analyst.html")
    for i in range(sources):
        origin = origins[i % len(origins)]
        if origin is None:
            continue
        words = texts[i % len(texts)].replace(".", f" {i}").split()
        tail = " ".join(words[1:])  # the first word may be cased for its place
        said = [p for p in paragraphs if re.search(rf"(?<!\w){re.escape(tail)}(?!\w)", p)]
        assert said, tail
        for paragraph in said:
            first = next(c for c in paragraph if c.isalpha())
            assert first.isupper(), paragraph
            assert " ".join(origin) in paragraph, paragraph  # its letters have no capitals


@pytest.mark.parametrize("tag", LOCALES)
@pytest.mark.parametrize(
    ("parts", "message"),
    [([2023], "c. {year}"), ([2023, 3], "c. {month}"), ([2023, 3, 8], "c. {day}")],
)
def test_a_conjectured_date_is_marked_as_the_catalogue_words_it(
    tag: str, parts: list[int], message: str
) -> None:
    day = dt.date(*(parts + [1, 1])[:3])
    where = Locale.parse(tag, sep="-")
    shown = {
        1: format_skeleton("y", day, locale=where),
        2: format_skeleton("yMMMM", day, locale=where),
        3: format_date(day, "long", locale=where),
    }[len(parts)]
    wording = _catalogue(tag.split("-")[0])[message].string
    expected = re.sub(r"\{\w+\}", lambda _: shown, wording)
    date = PartialDate(*parts, circa=True)  # type: ignore[arg-type]
    assert format_partial(date, tag) == expected


def test_a_locale_without_a_catalogue_warns_once_and_builds_in_english(tmp_path: Path) -> None:
    root = make_workspace(tmp_path)
    text = (root / "briefgen.yaml").read_text() + "locale: it-IT\n"
    (root / "briefgen.yaml").write_text(text)
    line = text.splitlines().index("locale: it-IT") + 1
    run = briefgen("check", cwd=root)
    assert run.code == 0, run.err
    said = run.out + run.err
    assert said.count("no catalogue of the memo's words") == 1
    assert (
        f"briefgen.yaml:{line}: locale: warning: no catalogue of the memo's words for "
        "'it-IT'" in said
    )
    assert "will be English" in said
    build = briefgen("build", "--format", "html", cwd=root)
    assert build.code == 0, build.err
    memo = " ".join(html_text(root / "out" / "weekly.analyst.html").split())
    assert format_date(dt.date(2024, 6, 14), "long", locale="it_IT") in memo
    assert "DATE" in memo and "Notes" in memo  # the message ids, in English


@pytest.mark.parametrize(
    ("language", "template", "origin", "text", "expected"),
    [
        # German keeps a noun's capital inside a sentence, lowers an article
        (
            "de",
            "{text}, so {origin}",
            "Hafenbehörden",
            "Drei Schiffe warten.",
            "Drei Schiffe warten, so Hafenbehörden.",
        ),
        (
            "de",
            "{text}, so {origin}",
            "Das Ministerium",
            "Die Exporte steigen.",
            "Die Exporte steigen, so das Ministerium.",
        ),
        (
            "de",
            "Laut {origin} {text}",
            "Hafenbehörden",
            "Die Exporte steigen.",
            "Laut Hafenbehörden die Exporte steigen.",
        ),
        # French lowers an article, an elided one too, and keeps a name the store knows
        (
            "fr",
            "Selon {origin}, {text}",
            "Les autorités portuaires",
            "L'armée recule.",
            "Selon les autorités portuaires, l'armée recule.",
        ),
        (
            "fr",
            "Selon {origin}, {text}",
            "Rosatom",
            "La Russie exporte.",
            "Selon Rosatom, la Russie exporte.",
        ),
        (
            "es",
            "Según {origin}, {text}",
            "El ministerio",
            "Los precios suben.",
            "Según el ministerio, los precios suben.",
        ),
        (
            "ru",
            "{text} (источник сведений — {origin})",
            "Портовые власти",
            "Цены растут.",
            "Цены растут (источник сведений — портовые власти).",
        ),
    ],
)
def test_an_attribution_is_cased_by_the_memos_language(
    language: str, template: str, origin: str, text: str, expected: str
) -> None:
    from briefgen.resolve.attribution import attribute

    assert attribute(template, origin, text, {"Rosatom"}, language) == expected


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_default_attribution_keeps_one_full_stop_and_a_capital(language: str) -> None:
    from briefgen.resolve.attribution import attribute

    template = translations(language).gettext("According to {origin}, {text}")
    said = attribute(template, "port officials", "few routes are watched.", set(), language)
    assert said[0].isupper() and said.endswith(".") and not said.endswith(".."), said
    assert "few routes are watched" in said.lower()


@settings(max_examples=50, deadline=None)
@given(
    value=st.text(st.sampled_from("aб. "), max_size=6),
    message=st.sampled_from(["{x}.", "({x}).", "{x}. Next.", "{x}", "x {x}…"]),
)
def test_a_filled_message_never_doubles_a_full_stop(value: str, message: str) -> None:
    from briefgen.resolve.words import fill

    out = fill(message, x=value)
    assert out.replace(".", "") == message.replace("{x}", value).replace(".", "")
    if not re.search(r"\.\.", value) and not value.endswith("."):
        assert out == message.replace("{x}", value)  # nothing to drop
    assert not re.search(r"(?<!\.)\.\.(?!\.)", out) or re.search(r"(?<!\.)\.\.(?!\.)", value)


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the good workspace for one audience per locale with `changes: true`, then
    build the next week's memo without one of its claims and another one of them unseen."""
    root = make_workspace(tmp_path_factory.mktemp("dropped"))
    audiences = "".join(f"r-{tag}:\n  locale: {tag}\n  changes: true\n" for tag in LOCALES)
    (root / "audiences.yaml").write_text(audiences)
    brief = (root / "weekly.yaml").read_text()
    names = ", ".join(f"r-{tag}" for tag in LOCALES)
    brief = brief.replace("audiences: [principal, analyst]", f"audiences: [{names}]")
    (root / "weekly.yaml").write_text(brief + "formats: [html, docx]\n")
    (root / "briefgen.yaml").write_text(
        (root / "briefgen.yaml").read_text().replace("default-audience: analyst", "")
    )
    first = briefgen("build", "--all", cwd=root)
    assert first.code == 0, first.err
    claims = root / "store" / "claims" / "grain.yaml"
    records = yaml.safe_load(claims.read_text())
    records = [c for c in records if c["id"] != "ministry-committed"]  # withdrawn
    claims.write_text(yaml.safe_dump(records, allow_unicode=True))
    brief = (root / "weekly.yaml").read_text().replace("2024-W24", "2024-W25")
    brief = brief.replace("2024-06-14", "2024-06-21").replace("claims: [talks-stalled]", "")
    (root / "weekly.yaml").write_text(brief)
    second = briefgen("build", "--all", cwd=root)
    assert second.code == 0, second.err
    return root / "out"


@pytest.mark.parametrize("tag", LOCALES)
def test_the_claims_that_dropped_out_are_listed_in_the_readers_language(
    rebuilt: Path, tag: str
) -> None:
    """The section names the previous memo's period as that memo printed it (Babel's
    interval of its days), and counts what it can no longer show."""
    t = translations(tag)
    before = f"{babel_days(dt.date(2024, 6, 10), dt.date(2024, 6, 16), tag)} (2024-W24)"
    intro = t.gettext("This claim was in the previous memo, for {period}, and is not in this one:")
    further = t.ngettext(
        "{count} further claim of the previous memo can no longer be shown: "
        "withdrawn from the store, or not for this audience.",
        "{count} further claims of the previous memo can no longer be shown: "
        "withdrawn from the store, or not for this audience.",
        1,
    )
    for text in (
        _text_of("html", rebuilt / f"weekly.r-{tag}.html"),
        _text_of("docx", rebuilt / f"weekly.r-{tag}.docx"),
    ):
        assert " ".join(t.gettext("No longer in this memo").split()) in text
        assert " ".join(intro.replace("{period}", before).split()) in text
        assert " ".join(further.replace("{count}", "1").split()) in text
        if not tag.startswith("en"):
            assert "No longer in this memo" not in text
            assert "previous memo" not in text
