"""Saved web pages made the way news sites build them, around a given article body.

Each piece of furniture is a block of HTML with the strings a reader sees in it; a page
holds any subset of them, in any order, so a test can assert that none of those strings
survives ingest while every paragraph of the body does.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field

from briefgen.readers.texts import is_heading


@dataclass
class Article:
    """What a page shows: its metadata and its body, paragraphs and subheadings."""

    title: str
    author: str  # "Given Family"
    site: str
    url: str
    date: str  # YYYY-MM-DD
    body: list[str]
    lang: str = "en"

    @property
    def paragraphs(self) -> list[str]:
        """The body's content paragraphs, which "para. N" counts."""
        return [p for p in self.body if not is_heading(p)]


@dataclass
class Furniture:
    """A block of page furniture: where it goes, its HTML, and the strings it shows."""

    name: str
    html: str
    shown: list[str] = field(default_factory=list)
    place: str = "page"  # "page": around the article; "body": among its paragraphs;
    # "header": under its headline
    text: str = ""  # as a page saved as text shows it; "" where the README names it not


def furniture(article: Article) -> list[Furniture]:
    """Return every piece of furniture a news page puts around `article`."""
    e = html.escape
    return [
        Furniture(
            "byline",
            f'<div class="byline">By <a rel="author" href="/author/x">{e(article.author)}</a>'
            f' <span class="sep">|</span> <time datetime="{article.date}">Updated '
            f"{article.date}</time> <span>6 min read</span></div>",
            [f"By {article.author}", f"Updated {article.date}", "6 min read"],
            place="header",
            text=f"By {article.author} | Updated {article.date} | 6 min read",
        ),
        Furniture(
            "skip link",
            '<a class="skip-link screen-reader-text" href="#main">Skip to main content</a>',
            ["Skip to main content"],
            text="Skip to main content",
        ),
        Furniture(
            "masthead",
            f'<header class="site-header"><div class="logo"><a href="/">{e(article.site)}</a>'
            '</div><nav class="primary-menu" aria-label="Main"><ul><li><a href="/world">'
            'World Desk</a></li><li><a href="/analysis">Opinion &amp; Analysis</a></li>'
            '<li><a href="/podcasts">Podcasts Hub</a></li><li><a href="/donate">Donate Today'
            "</a></li></ul></nav></header>",
            ["World Desk", "Opinion & Analysis", "Podcasts Hub", "Donate Today"],
        ),
        Furniture(
            "cookie banner",
            '<div id="cookie-consent" class="cookie-banner"><p>We use cookies to improve '
            "your experience on our site.</p><button>Accept all cookies</button></div>",
            ["We use cookies", "Accept all cookies"],
        ),
        Furniture(
            "share row",
            '<div class="share-buttons"><span>Share this article</span><ul>'
            '<li><a href="https://facebook.com/sharer">Share on Facebook</a></li>'
            '<li><a href="https://x.com/intent">Share on X</a></li>'
            '<li><a href="mailto:?subject=x">Email this story</a></li></ul></div>',
            ["Share this article", "Share on Facebook", "Share on X", "Email this story"],
            text="Share this article\nShare on Facebook\nShare on X\nEmail this story",
        ),
        Furniture(
            "caption",
            '<figure class="wp-block-image"><img src="/media/wreckage.jpg" alt="Drone '
            'wreckage"><figcaption>Wreckage of a drone outside Kyiv, in a photograph '
            "released by the emergency service. Photo credit: Agency Pictures via Wire "
            "Connect.</figcaption></figure>",
            ["Wreckage of a drone", "Photo credit", "Agency Pictures"],
            place="body",
            text="Wreckage of a drone outside Kyiv, in a photograph released by the emergency "
            "service. Photo credit: Agency Pictures via Wire Connect.",
        ),
        Furniture(
            "read more",
            '<p class="related-inline"><strong>Read More:</strong> <a href="/2024/05/'
            'grain-deal">Why the Grain Deal Collapsed Again</a></p>',
            ["Read More", "Why the Grain Deal Collapsed Again"],
            place="body",
            text="Read More: Why the Grain Deal Collapsed Again",
        ),
        Furniture(
            "newsletter",
            '<aside class="newsletter-signup"><h3>Sign up for our newsletter</h3><p>Get '
            "the latest analysis delivered to your inbox every Thursday morning.</p><form "
            'action="/subscribe"><input type="email" placeholder="Your email address">'
            "<button>Subscribe</button></form></aside>",
            ["Sign up for our newsletter", "delivered to your inbox", "Subscribe"],
            place="body",
            text="Sign up for our newsletter\nGet the latest analysis delivered to your inbox "
            "every Thursday morning.\nYour email address\nSubscribe",
        ),
        Furniture(
            "bio",
            f'<div class="author-bio"><p>{e(article.author)} is a senior fellow at the '
            "Institute for Regional Futures and a former correspondent in the region.</p>"
            "</div>",
            [f"{article.author} is a senior fellow"],
            text=f"{article.author} is a senior fellow at the Institute for Regional Futures "
            "and a former correspondent in the region.",
        ),
        Furniture(
            "related",
            '<aside class="related-stories"><h2>More from Analysis</h2><ul><li><a href="/a">'
            'Sanctions Tighten on Gulf Shippers</a></li><li><a href="/b">The Caspian '
            "Route Takes Shape</a></li></ul></aside>",
            ["More from Analysis", "Sanctions Tighten", "The Caspian Route"],
        ),
        Furniture(
            "footer",
            f'<footer class="site-footer"><p>© 2024 {e(article.site)}. All rights reserved.'
            '</p><ul><li><a href="/privacy">Privacy Policy</a></li><li><a href="/terms">'
            "Terms of Use</a></li></ul></footer>",
            ["©", "All rights reserved", "Privacy Policy", "Terms of Use"],
            text=f"© 2024 {article.site}. All rights reserved.\nPrivacy Policy\nTerms of Use",
        ),
        Furniture(
            "scripts",
            "<script>window.dataLayer = window.dataLayer || []; function gtag(){dataLayer."
            "push(arguments);} gtag('config', 'G-TRACKER');</script><noscript>Enable "
            "JavaScript to see comments.</noscript>",
            ["dataLayer", "G-TRACKER", "Enable JavaScript"],
        ),
    ]


def news_page(article: Article, pieces: list[Furniture], slots: list[int] | None = None) -> str:
    """Return a saved page of `article` with `pieces` of furniture in the order given; a
    piece in the body goes before the paragraph its slot names (default: spread out)."""
    e = html.escape
    body = [_tagged(p) for p in article.body]
    inside = [p for p in pieces if p.place == "body"]
    slots = slots or [(n + 1) * len(body) // (len(inside) + 1) for n in range(len(inside))]
    for piece, slot in sorted(zip(inside, slots, strict=False), key=lambda ps: -ps[1]):
        body.insert(slot, piece.html)
    around = [p for p in pieces if p.place == "page"]
    before = "".join(p.html for p in around[: len(around) // 2])
    after = "".join(p.html for p in around[len(around) // 2 :])
    header = "".join(p.html for p in pieces if p.place == "header")
    linked = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "datePublished": f"{article.date}T08:00:00+00:00",
        "author": [{"@type": "Person", "name": article.author}],
        "publisher": {"@type": "Organization", "name": article.site},
        "mainEntityOfPage": article.url,
    }
    return f"""<!DOCTYPE html>
<html lang="{article.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(article.title)} | {e(article.site)}</title>
<meta name="author" content="{e(article.author)}">
<meta property="og:type" content="article">
<meta property="og:title" content="{e(article.title)}">
<meta property="og:site_name" content="{e(article.site)}">
<meta property="og:url" content="{e(article.url)}">
<meta property="article:published_time" content="{article.date}T08:00:00+00:00">
<link rel="canonical" href="{e(article.url)}">
<script type="application/ld+json">{json.dumps(linked, ensure_ascii=False)}</script>
<style>.skip-link{{position:absolute;left:-999px}} body{{font-family:Georgia,serif}}</style>
</head>
<body class="single-post">
{before}
<main id="main" class="site-main">
<article class="post">
<header class="entry-header">
<h1 class="entry-title">{e(article.title)}</h1>
{header}
</header>
<div class="entry-content">
{"".join(body)}
</div>
</article>
</main>
{after}
</body>
</html>
"""


def text_capture(article: Article, pieces: list[Furniture], slots: list[int]) -> str:
    """Return `article` as a page saved as text (or copied from the browser) shows it:
    the headline, then blocks separated by blank lines, `pieces` among them."""
    body = list(article.body)
    inside = [p for p in pieces if p.place == "body"]
    for piece, slot in sorted(zip(inside, slots, strict=False), key=lambda ps: -ps[1]):
        body.insert(slot, piece.text)
    around = [p.text for p in pieces if p.place == "page"]
    header = [p.text for p in pieces if p.place == "header"]
    half = len(around) // 2
    return "\n\n".join([*around[:half], article.title, *header, *body, *around[half:]]) + "\n"


# characters that pages often write as entities, so ingest must decode them
_ENTITIES = {"’": "&rsquo;", "‘": "&lsquo;", "“": "&ldquo;", "”": "&rdquo;", "—": "&mdash;"}


def _tagged(paragraph: str) -> str:
    text = html.escape(paragraph, quote=False)
    for char, entity in _ENTITIES.items():
        text = text.replace(char, entity)
    return f"<h2>{text}</h2>" if is_heading(paragraph) else f"<p>{text}</p>"
