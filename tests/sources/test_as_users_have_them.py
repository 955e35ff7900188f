"""Sources in as analysts have them, end to end: a Zotero CSL-JSON export and a Better
BibTeX file imported, a saved news page and a report PDF ingested, a quote from each
checked and placed, and the memo cited in Chicago, APA and MLA. Each bibliography entry
is compared with what pandoc's citeproc gives for the same CSL-JSON, run on its own."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from ..cite.memos import html_bibliography, html_notes, pandoc_bibliography
from ..conftest import briefgen, make_workspace
from .pages import furniture, news_page
from .reports import report_pdf
from .test_pages import real_article
from .test_reports import one_page_quote

# as Zotero 7 writes CSL JSON: item URIs for ids, date parts as text, a nocase span
ZOTERO = [
    {
        "id": "http://zotero.org/users/123/items/ABCD1234",
        "type": "report",
        "title": 'Shadow fleets and the <span class="nocase">Baltic</span> sea',
        "author": [{"family": "van der Berg", "given": "Jan"}],
        "publisher": "Clingendael",
        "issued": {"date-parts": [["2024", "5", "2"]]},
        "language": "en",
    },
    {
        "id": "http://zotero.org/users/123/items/EFGH5678",
        "type": "article-newspaper",
        "title": "Севморпуть теряет транзит",
        "author": [{"family": "Воронцов", "given": "Илья"}],
        "container-title": "Коммерсантъ",
        "issued": {"date-parts": [["2024", "3"]]},
        "citation-key": "vorontsov2024",
        "language": "ru",
    },
]
# as Better BibLaTeX writes it: TeX accents, langid, date, urldate, a braced acronym
BIB = r"""
@report{muller2023,
  title = {Die {Zukunft} der {NATO} im {Ostseeraum}},
  author = {M\"uller, J\"org},
  institution = {Stiftung Wissenschaft und Politik},
  number = {12},
  type = {SWP-Studie},
  date = {2023-05-17},
  urldate = {2024-01-02},
  url = {https://www.swp-berlin.org/12},
  langid = {ngerman},
}
"""
STYLES = ["chicago-notes-bibliography", "apa", "modern-language-association"]


def _oracle_item(record: dict[str, Any]) -> dict[str, Any]:
    """Return a store record as CSL-JSON for pandoc run on its own: dates as date parts,
    briefgen's own keys left out, the words it keeps the case of in nocase spans."""
    item = {k: v for k, v in record.items() if k not in ("reliability", "text", "keep-case")}
    for key in ("issued", "accessed"):
        if isinstance(item.get(key), str):
            item[key] = {"date-parts": [[int(p) for p in item[key].split("-")]]}
    for word in record.get("keep-case", []):
        item["title"] = item["title"].replace(word, f'<span class="nocase">{word}</span>')
    return item


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The good workspace with every kind of source brought in and one claim on each."""
    tmp = tmp_path_factory.mktemp("users")
    root = make_workspace(tmp)
    (tmp / "zotero.json").write_text(json.dumps(ZOTERO, ensure_ascii=False), encoding="utf-8")
    (tmp / "export.bib").write_text(BIB, encoding="utf-8")
    for name in ("zotero.json", "export.bib"):
        run = briefgen("import", str(tmp / name), cwd=root)
        assert run.code == 0, run.err
    page_article = real_article("svetlova")
    page = tmp / "page.html"
    page.write_text(news_page(page_article, furniture(page_article)), encoding="utf-8")
    run = briefgen("ingest", str(page), "--id", "svetlova-page", cwd=root)
    assert run.code == 0, run.err
    report_article = real_article("kirillova")
    pdf = tmp / "report.pdf"
    report_pdf(pdf, "Center for Regional Policy Analysis", "The Limits", report_article.body)
    run = briefgen(
        "ingest",
        str(pdf),
        "--id",
        "kirillova-report",
        "--author",
        "Kirillova, Kseniya",
        "--issued",
        "2023",
        "--title",
        "The Limits of the Partnership",
        cwd=root,
    )
    assert run.code == 0, run.err
    paragraph = page_article.paragraphs[2]
    claims = [
        {
            "id": "on-the-page",
            "text": "The alliance has its hidden discord.",
            "sources": [{"source": "svetlova-page", "quote": " ".join(paragraph.split()[:12])}],
        },
        {
            "id": "in-the-report",
            "text": "The partnership has limits.",
            "sources": [
                {"source": "kirillova-report", "quote": one_page_quote(pdf, report_article.body, 2)}
            ],
        },
        {
            "id": "from-the-exports",
            "text": "Shipping routes are contested.",
            "sources": [
                {"source": s} for s in ("van-der-berg-2024-shadow", "vorontsov2024", "muller2023")
            ],
        },
    ]
    (root / "store" / "claims" / "imported.yaml").write_text(
        yaml.safe_dump(claims, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    brief = {
        "title": "Sources as users have them",
        "date": "2024-06-14",
        "audiences": ["analyst"],
        "sections": [{"title": "All", "claims": [c["id"] for c in claims]}],
    }
    (root / "weekly.yaml").write_text(yaml.safe_dump(brief), encoding="utf-8")
    return root


@pytest.mark.parametrize("style", STYLES)
def test_every_source_as_users_have_it_is_cited_as_pandoc_cites_it(
    workspace: Path, style: str
) -> None:
    settings = workspace / "briefgen.yaml"
    current = yaml.safe_load(settings.read_text(encoding="utf-8"))
    settings.write_text(yaml.safe_dump({**current, "citation-style": style}), encoding="utf-8")
    run = briefgen("check", cwd=workspace)
    assert run.code == 0, run.err
    run = briefgen("build", "--audience", "analyst", "--format", "html", cwd=workspace)
    assert run.code == 0, run.err
    records = yaml.safe_load((workspace / "store" / "sources.yaml").read_text(encoding="utf-8"))
    cited = [r for r in records if r["id"] != "doe-2024"]  # what the three claims cite
    _, entries = html_bibliography(workspace)
    oracle = pandoc_bibliography([_oracle_item(r) for r in cited], style)
    if style == "apa":  # APA wants titles in sentence case; briefgen puts English ones so
        assert "What the partnership delivers." in " ".join(entries), entries
        entries, oracle = [e.lower() for e in entries], [e.lower() for e in oracle]
    assert entries == oracle
    shown = html_notes(workspace)
    page_two = {"apa": "2023, p. 2)", "modern-language-association": "(Kirillova 2)"}
    assert page_two.get(style, "2023), 2.") in shown, shown
    for word in ("Müller", "NATO", "Baltic", "van der Berg", "Воронцов"):
        assert word in shown, (word, shown)
