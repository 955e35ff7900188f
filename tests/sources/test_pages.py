"""`ingest` of saved web pages: the article's paragraphs verbatim, no furniture, the
page's own metadata in the source record."""

from __future__ import annotations

import datetime
import random
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from briefgen.readers.texts import CapturedText
from briefgen.sources.furniture import clean
from briefgen.sources.saved import read_html

from ..conftest import ARTICLES, briefgen, make_workspace
from .pages import Article, Furniture, furniture, news_page, text_capture

ARTICLE_FILES = {  # the real articles, with who wrote them and where
    "svetlova": (
        "jst-svetlova-hidden-discord-2024.txt",
        "Ksenia Svetlova",
        "Jerusalem Strategic Tribune",
    ),
    "kirillova": ("cepa-kirillova-russo-iranian-axis.txt", "Kseniya Kirillova", "Europe’s Edge"),
}


def real_article(name: str) -> Article:
    """Return a real article's body (its capture, furniture removed) as a page shows it."""
    file, author, site = ARTICLE_FILES[name]
    raw = (ARTICLES / file).read_text(encoding="utf-8")
    body = clean(raw, [author], site).strip().split("\n\n")
    url = f"https://news.example.org/2024/06/{name}-analysis/"
    return Article("What the Partnership Delivers", author, site, url, "2024-06-14", body)


def blocks(text: str) -> list[str]:
    """Return a captured text's blocks, white space folded (as quote checks fold it)."""
    return [" ".join(b.split()) for b in text.split("\n\n") if b.strip()]


def captured(workspace: Path, ident: str) -> str:
    return (workspace / "store" / "texts" / f"{ident}.txt").read_text(encoding="utf-8")


def added_record(workspace: Path) -> dict[str, object]:
    return yaml.safe_load((workspace / "store" / "sources.yaml").read_text(encoding="utf-8"))[-1]


def assert_article_kept(text: str, article: Article, shown: list[str]) -> None:
    """Every paragraph of the body is kept whole and in order, after the headline (if the
    extractor keeps it), and no string any piece of furniture shows is left."""
    kept = blocks(text)
    assert kept[kept[:1] == [article.title] :] == blocks("\n\n".join(article.body))
    left = [s for s in shown if s in text]
    assert not left, left


@pytest.mark.parametrize("name", sorted(ARTICLE_FILES))
def test_a_saved_news_page_keeps_the_article_and_its_metadata(name: str, good: Path) -> None:
    article = real_article(name)
    pieces = furniture(article)
    page = good / "saved.html"
    page.write_text(news_page(article, pieces), encoding="utf-8")
    run = briefgen("ingest", str(page), "--id", "page-2024", cwd=good)
    assert run.code == 0, run.err
    assert run.out == (
        "wrote store/texts/page-2024.txt; added 'page-2024' to store/sources.yaml (type, "
        "title, author, container-title, issued, URL from saved.html)\n"
    )
    assert_article_kept(captured(good, "page-2024"), article, [s for p in pieces for s in p.shown])
    given, family = article.author.split()
    assert added_record(good) == {
        "id": "page-2024",
        "type": "article-newspaper",  # its OpenGraph type is "article"
        "title": article.title,
        "author": [{"family": family, "given": given}],
        "container-title": article.site,
        "issued": article.date,
        "URL": article.url,
        "text": "texts/page-2024.txt",
    }
    assert briefgen("check", cwd=good).code == 0


def test_the_command_line_wins_over_the_page(good: Path) -> None:
    article = real_article("svetlova")
    page = good / "saved.htm"
    page.write_text(news_page(article, furniture(article)), encoding="utf-8")
    run = briefgen(
        "ingest",
        str(page),
        "--id",
        "svetlova-2024",
        "--title",
        "Hidden Discord in the Russia-Iran Alliance",
        "--author",
        "Svetlova, K.",
        "--container",
        "JST",
        "--issued",
        "2024-06",
        cwd=good,
    )
    assert run.code == 0, run.err
    record = added_record(good)
    assert record["title"] == "Hidden Discord in the Russia-Iran Alliance"
    assert record["author"] == [{"family": "Svetlova", "given": "K."}]
    assert (record["container-title"], record["issued"]) == ("JST", "2024-06")
    assert record["URL"] == article.url  # not given: the page's


def test_a_page_in_its_own_encoding_is_decoded(good: Path) -> None:
    """A page saved in windows-1251, as it says in its meta tag, reads as Cyrillic."""
    body = [
        "Москва и Тегеран подписали соглашение о поставках зерна на следующий год.",
        "Стороны не назвали объём поставок, но «договорились продолжить переговоры».",
    ]
    article = Article(
        "Зерновая сделка",
        "Ксения Светлова",
        "Вести",
        "https://vesti.example/a",
        "2024-06-12",
        body,
        "ru",
    )
    page = good / "vesti.html"
    page.write_bytes(news_page(article, []).replace("utf-8", "windows-1251").encode("cp1251"))
    run = briefgen("ingest", str(page), "--id", "vesti-2024", cwd=good)
    assert run.code == 0, run.err
    assert blocks(captured(good, "vesti-2024")) == [article.title, *body]
    assert added_record(good)["author"] == [{"family": "Светлова", "given": "Ксения"}]


def test_a_text_file_not_in_utf8_is_refused_clearly(good: Path) -> None:
    saved = good / "saved.txt"
    saved.write_bytes("Москва ответила.".encode("cp1251"))
    run = briefgen("ingest", str(saved), "--id", "x-2024", cwd=good)
    assert run.code == 1 and "Traceback" not in run.err
    assert (
        f"briefgen: error: cannot read {saved} as UTF-8 text: 'utf-8' codec can't decode" in run.err
    )
    assert not (good / "store" / "texts" / "x-2024.txt").exists()


def test_a_page_without_an_article_is_refused_clearly(good: Path) -> None:
    page = good / "empty.html"
    page.write_text("<html><head><title>Nothing</title></head><body></body></html>")
    run = briefgen("ingest", str(page), "--id", "x-2024", cwd=good)
    assert run.code == 1 and "Traceback" not in run.err
    assert f"briefgen: error: {page}: no article text found in the page" in run.err


# Generated articles: paragraphs of words in every script, as each writes sentences.
SCRIPTS = {
    "latin": ("abcdefghijklmnoprstuvzàáâãäçèéêëíîïñóôöúûüýßøåæœłśźżčšž", " ", "."),
    "cyrillic": ("абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґў", " ", "."),
    "persian": ("ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهیئۀ", " ", "."),
    "arabic": ("ابتثجحخدذرزسشصضطظعغفقكلمنهويةءأإ", " ", "؟"),
    "chinese": (
        "的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年得就那要下以生会",
        "",
        "。",
    ),
    "japanese": (
        "あいうえおかきくけこさしすせそたちつてとアイウエオカキクケコ日本語東京",
        "",
        "。",
    ),
    "korean": ("가나다라마바사아자차카타파하한국어서울대학교정부외교", " ", "."),
}
AUTHORS = [
    "Ксения Светлова",
    "José Luis de la Fuente",
    "علی رضایی",
    "王小明",
    "김민준",
    "Zoë Ångström",
]
SITES = ["Europe’s Edge", "Тегеран Таймс", "دنیای اقتصاد", "环球时报", "Le Monde diplomatique"]


@st.composite
def paragraphs(draw: st.DrawFn, script: str) -> str:
    """Draw a paragraph of 8 to 30 words (characters, where the script has no spaces)."""
    letters, space, stop = SCRIPTS[script]
    word = st.text(alphabet=letters, min_size=2, max_size=9)
    words = draw(st.lists(word, min_size=8, max_size=30))
    return space.join(words) + stop


@st.composite
def articles(draw: st.DrawFn) -> Article:
    """Draw an article of two to eight paragraphs, with subheadings among them, each in a
    script drawn for it, and its metadata."""
    body = []
    for _ in range(draw(st.integers(2, 8))):
        script = draw(st.sampled_from(sorted(SCRIPTS)))
        if draw(st.integers(0, 4)) == 0:
            letters, space, _stop = SCRIPTS[script]
            heading = space.join(
                draw(st.lists(st.text(letters, min_size=3, max_size=8), min_size=1, max_size=3))
            )
            body.append(heading[0].upper() + heading[1:])
        body.append(draw(paragraphs(script)))
    assume(len(set(body)) == len(body))  # an extractor drops a paragraph repeated at once
    day = draw(st.dates(datetime.date(2000, 1, 1), datetime.date(2025, 12, 31)))
    title = " ".join(
        draw(st.lists(st.text(SCRIPTS["latin"][0], min_size=3, max_size=8), min_size=2, max_size=5))
    ).title()
    return Article(
        title,
        draw(st.sampled_from(AUTHORS)),
        draw(st.sampled_from(SITES)),
        "https://news.example.org/a",
        day.isoformat(),
        body,
    )


@st.composite
def pages(draw: st.DrawFn) -> tuple[Article, str, list[str], str, int]:
    """Draw an article in a random subset and order of furniture, and a quote from one of
    its paragraphs: (article, page, furniture strings, quote, its paragraph number)."""
    article = draw(articles())
    pieces = draw(st.permutations(furniture(article)))
    pieces = pieces[: draw(st.integers(0, len(pieces)))]
    inside = [p for p in pieces if p.place == "body"]
    slots = draw(
        st.lists(st.integers(0, len(article.body)), min_size=len(inside), max_size=len(inside))
    )
    n = draw(st.integers(0, len(article.paragraphs) - 1))
    paragraph = article.paragraphs[n]
    start = draw(st.integers(0, len(paragraph) - 1))
    end = draw(st.integers(start + 1, len(paragraph)))
    quote = _whole_words(paragraph, start, end)
    assume(quote and sum(p.count(quote) for p in article.body) == 1)
    return (
        article,
        news_page(article, pieces, slots),
        [s for p in pieces for s in p.shown],
        quote,
        n + 1,
    )


def _whole_words(text: str, start: int, end: int) -> str:
    """Return text[start:end] widened to whole words where the script spaces its words."""
    if " " in text:
        start = text.rfind(" ", 0, start + 1) + 1
        found = text.find(" ", end)
        end = len(text) if found < 0 else found
    return text[start:end].strip()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(drawn=pages())
def test_any_article_survives_its_page_and_quotes_find_their_paragraph(
    drawn: tuple[Article, str, list[str], str, int],
) -> None:
    """The reader and furniture removal, on generated pages: the article whole, no
    furniture, and a quote from paragraph N of the article is found in paragraph N."""
    article, page, shown, quote, number = drawn
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "page.html"
        path.write_text(page, encoding="utf-8")
        saved = read_html(path)
    text = clean(saved.text, [article.author], saved.record.get("container-title"))
    assert_article_kept(text, article, shown)
    assert CapturedText.parse(text).find_all(quote) == [number]


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(drawn=pages())
def test_ingest_then_check_places_a_quote_in_its_paragraph(
    drawn: tuple[Article, str, list[str], str, int],
) -> None:
    """Through the commands: ingest the page, then a claim quoting paragraph N with the
    locator "para. N" checks clean, and one saying another paragraph is warned of."""
    article, page, shown, quote, number = drawn
    with tempfile.TemporaryDirectory() as folder:
        workspace = make_workspace(Path(folder))
        (workspace / "page.html").write_text(page, encoding="utf-8")
        run = briefgen("ingest", "page.html", "--id", "page-2024", cwd=workspace)
        assert run.code == 0, run.err
        assert_article_kept(captured(workspace, "page-2024"), article, shown)
        record = added_record(workspace)
        assert (record["title"], record["issued"], record["container-title"]) == (
            article.title,
            article.date,
            article.site,
        )
        wrong = random.Random(number).choice([n for n in range(1, 30) if n != number])
        claims = [
            {
                "id": f"quoted-{n}",
                "text": "A claim.",
                "sources": [{"source": "page-2024", "quote": quote, "locator": f"para. {n}"}],
            }
            for n in (number, wrong)
        ]
        (workspace / "store" / "claims" / "page.yaml").write_text(
            yaml.safe_dump(claims, allow_unicode=True), encoding="utf-8"
        )
        run = briefgen("check", cwd=workspace)
        assert run.code == 0, run.err
        assert f"'quoted-{number}'" not in run.err
        assert (
            f"claim 'quoted-{wrong}': locator 'para. {wrong}', but the quote stands in para. {number} of 'page-2024'"
            in run.err
        )


def named_furniture(article: Article) -> list[Furniture]:
    """Return the furniture the README names, which a page saved as text still holds."""
    return [p for p in furniture(article) if p.text]


@st.composite
def text_captures(draw: st.DrawFn) -> tuple[Article, str, list[str]]:
    """Draw an article saved as text, in a random subset and order of the furniture."""
    article = draw(articles())
    pieces = draw(st.permutations(named_furniture(article)))
    pieces = pieces[: draw(st.integers(0, len(pieces)))]
    count = sum(p.place == "body" for p in pieces)
    slots = draw(st.lists(st.integers(0, len(article.body)), min_size=count, max_size=count))
    return article, text_capture(article, pieces, slots), [s for p in pieces for s in p.shown]


@settings(max_examples=200, deadline=None)
@given(drawn=text_captures())
def test_any_article_saved_as_text_loses_its_furniture(
    drawn: tuple[Article, str, list[str]],
) -> None:
    """furniture.clean alone, on a page saved as text: every paragraph whole and in
    order, none of the furniture the README names."""
    article, text, shown = drawn
    assert_article_kept(clean(text, [article.author], article.site), article, shown)


@pytest.mark.parametrize("name", sorted(ARTICLE_FILES))
def test_a_real_article_saved_as_text_loses_its_furniture(name: str, good: Path) -> None:
    article = real_article(name)
    pieces = named_furniture(article)
    slots = [3, len(article.body) // 2, len(article.body) - 2]
    saved = good / "saved.txt"
    saved.write_text(text_capture(article, pieces, slots), encoding="utf-8")
    given, family = article.author.split()
    run = briefgen(
        "ingest", str(saved), "--id", "saved-2024", "--author", f"{family}, {given}", cwd=good
    )
    assert run.code == 0, run.err
    assert_article_kept(captured(good, "saved-2024"), article, [s for p in pieces for s in p.shown])


@pytest.mark.parametrize(
    "paragraph",
    [
        "By 2030, Russia plans to double its exports of grain to Iran.",
        "By then it was over.",
        "Published in 2019, the report found no trace of the deliveries.",
        "Share prices fell by 4% on the news.",
        "Subscribers to the agency’s service were told on Monday.",
        "Copyright law in Iran does not protect foreign works.",
        "Terms of the deal were not disclosed.",
        "Read more widely, the statement is a warning to Baku.",
    ],
)
def test_a_paragraph_like_furniture_is_kept(paragraph: str) -> None:
    text = f"Talks stalled on Tuesday, the ministry said.\n\n{paragraph}\n"
    assert blocks(clean(text, ["Anna Smith"], "Daily Example")) == [
        "Talks stalled on Tuesday, the ministry said.",
        paragraph,
    ]
