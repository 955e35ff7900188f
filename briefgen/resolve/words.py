"""The memo's own words in the reader's language, from the message catalogues of
briefgen/locale/ (one .po file a language), read with Babel when first asked for: the
catalogues are the only copy, with no compiled .mo files to keep in step."""

from __future__ import annotations

import gettext
import io
import string
from functools import cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

CATALOGUES = Path(__file__).resolve().parent.parent / "locale"


def catalogue_of(locale: str) -> Path | None:
    """Return the catalogue that holds `locale`'s words: de_DE.po for de-DE if there is
    one, else de.po; None for a language without one."""
    tag = locale.replace("-", "_")
    for name in (tag, tag.split("_")[0]):
        path = CATALOGUES / f"{name}.po"
        if path.is_file():
            return path
    return None


@cache
def translations(locale: str) -> gettext.NullTranslations:
    """Return the catalogue for `locale`; for a language without one, the message ids
    themselves (English)."""
    path = catalogue_of(locale)
    if path is None:
        return gettext.NullTranslations()
    with path.open("rb") as po:
        catalog = read_po(po, locale=path.stem)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def plural_noop(one: str, many: str) -> tuple[str, str]:
    """Mark a message and its plural for the catalogues where the count is not yet known
    (as gettext's N_ marks a message); ngettext translates the pair later."""
    return one, many


# A CSL type as a reader counts it ("2 journal articles"), one message with its plural
# per type, so each language gives each noun its own forms; every type of CSL_TYPES.
KIND_COUNTS = {
    "article": plural_noop("{count} article", "{count} articles"),
    "article-journal": plural_noop("{count} journal article", "{count} journal articles"),
    "article-magazine": plural_noop("{count} magazine article", "{count} magazine articles"),
    "article-newspaper": plural_noop("{count} newspaper article", "{count} newspaper articles"),
    "bill": plural_noop("{count} bill", "{count} bills"),
    "book": plural_noop("{count} book", "{count} books"),
    "broadcast": plural_noop("{count} broadcast", "{count} broadcasts"),
    "chapter": plural_noop("{count} book chapter", "{count} book chapters"),
    "classic": plural_noop("{count} classic work", "{count} classic works"),
    "collection": plural_noop("{count} collection", "{count} collections"),
    "dataset": plural_noop("{count} data set", "{count} data sets"),
    "document": plural_noop("{count} document", "{count} documents"),
    "entry": plural_noop("{count} entry", "{count} entries"),
    "entry-dictionary": plural_noop("{count} dictionary entry", "{count} dictionary entries"),
    "entry-encyclopedia": plural_noop("{count} encyclopedia entry", "{count} encyclopedia entries"),
    "event": plural_noop("{count} event", "{count} events"),
    "figure": plural_noop("{count} figure", "{count} figures"),
    "graphic": plural_noop("{count} graphic", "{count} graphics"),
    "hearing": plural_noop("{count} hearing", "{count} hearings"),
    "interview": plural_noop("{count} interview", "{count} interviews"),
    "legal_case": plural_noop("{count} legal case", "{count} legal cases"),
    "legislation": plural_noop("{count} piece of legislation", "{count} pieces of legislation"),
    "manuscript": plural_noop("{count} manuscript", "{count} manuscripts"),
    "map": plural_noop("{count} map", "{count} maps"),
    "motion_picture": plural_noop("{count} film", "{count} films"),
    "musical_score": plural_noop("{count} musical score", "{count} musical scores"),
    "pamphlet": plural_noop("{count} pamphlet", "{count} pamphlets"),
    "paper-conference": plural_noop("{count} conference paper", "{count} conference papers"),
    "patent": plural_noop("{count} patent", "{count} patents"),
    "performance": plural_noop("{count} performance", "{count} performances"),
    "periodical": plural_noop("{count} periodical", "{count} periodicals"),
    "personal_communication": plural_noop(
        "{count} personal communication", "{count} personal communications"
    ),
    "post": plural_noop("{count} post", "{count} posts"),
    "post-weblog": plural_noop("{count} blog post", "{count} blog posts"),
    "regulation": plural_noop("{count} regulation", "{count} regulations"),
    "report": plural_noop("{count} report", "{count} reports"),
    "review": plural_noop("{count} review", "{count} reviews"),
    "review-book": plural_noop("{count} book review", "{count} book reviews"),
    "software": plural_noop("{count} piece of software", "{count} pieces of software"),
    "song": plural_noop("{count} song", "{count} songs"),
    "speech": plural_noop("{count} speech", "{count} speeches"),
    "standard": plural_noop("{count} standard", "{count} standards"),
    "thesis": plural_noop("{count} thesis", "{count} theses"),
    "treaty": plural_noop("{count} treaty", "{count} treaties"),
    "webpage": plural_noop("{count} web page", "{count} web pages"),
}


def kind_count(t: gettext.NullTranslations, csl_type: str, n: int) -> str:
    """Return `n` sources of a CSL type in words of the catalogue `t`: "1 personal
    communication", "2 newspaper articles", "3 Zeitungsartikel"."""
    one, many = KIND_COUNTS[csl_type]
    return fill(t.ngettext(one, many, n), count=n)


def fill(message: str, **values: object) -> str:
    """Return a translated message with its placeholders filled, without a doubled full
    stop where a value ending in one meets the message's own ("… 12 июня 2024 г.." is
    "… 12 июня 2024 г.")."""
    out = ""
    for literal, name, _, _ in string.Formatter().parse(message):
        if out.endswith(".") and not out.endswith("..") and literal.startswith("."):
            literal = literal[1:]
        out += literal
        if name is not None:
            out += str(values[name])
    return out
