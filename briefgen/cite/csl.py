"""Store sources as CSL-JSON items, prepared the way CSL styles expect them.

CSL styles expect titles in sentence case and convert them to headline case themselves
where their style asks for it (Chicago does, APA does not). Analysts paste titles as
published, in headline case, so titles are put into sentence case here, keeping names
capitalised: a word counts as a name when it stands capitalised inside a sentence of
any captured text or claim in the store. A short title (for Chicago's short notes) is
derived when the source gives none. A few rules no CSL style can express are applied
per style family ("house rules"), each with the manual's rule it follows.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any

from ..readers.fields import dump
from ..readers.records import Source
from .pandoc import SHORT_NAMES, Words

STOP_WORDS = {
    "a",
    "an",
    "the",
    "and",
    "but",
    "or",
    "nor",
    "for",
    "so",
    "yet",
    "as",
    "at",
    "by",
    "in",
    "of",
    "off",
    "on",
    "per",
    "to",
    "up",
    "via",
    "with",
    "within",
    "without",
    "against",
    "among",
    "between",
    "from",
    "into",
    "onto",
    "over",
    "under",
    "upon",
    "about",
    "after",
    "before",
    "through",
    "toward",
    "towards",
    "versus",
    "vs.",
}
# Prepositions CMOS 8.159 lowercases in headline style that pandoc's citeproc would
# capitalise: they are marked "nocase" so title-casing styles leave them alone.
_KEEP_LOWER = {
    "against",
    "among",
    "between",
    "within",
    "without",
    "about",
    "after",
    "before",
    "through",
    "toward",
    "towards",
    "under",
    "upon",
    "versus",
    "off",
    "per",
    "amid",
    "despite",
    "during",
    "beyond",
    "across",
    "along",
    "around",
    "behind",
    "below",
    "beneath",
    "beside",
    "inside",
    "outside",
    "since",
    "until",
}
# the capital letters of the scripts that have case (Latin, Greek, Cyrillic, Armenian,
# Georgian): all of them stand below U+2000
_CAPITALS = re.escape("".join(c for c in map(chr, range(0x2000)) if c.isupper() or c.istitle()))
# a capitalised word after white space; names_in keeps those after a lower-case word
_SPACE_THEN_NAME = re.compile(rf"\s+([{_CAPITALS}][\w’']*(?:-[{_CAPITALS}][\w’']*)*)")
_BEFORE_NAME = frozenset("0123456789,;)’'”")  # or a lower-case letter, of any script
_TOKEN = re.compile(r"(\s+|[-–—/])")
_EDGE = "\"'“”‘’([{"
_PROSE = frozenset(".,:;!?'\"’‘“”«»„‚()-‐‑–—/…")
# the CSL variables a style may put into title case
TITLES = frozenset(
    {
        "title",
        "title-short",
        "container-title",
        "container-title-short",
        "collection-title",
        "original-title",
        "reviewed-title",
        "volume-title",
        "event-title",
    }
)
# variables a style reads as numbers, identifiers or codes: passed on as plain strings
PLAIN = frozenset(
    {
        "id",
        "type",
        "language",
        "URL",
        "DOI",
        "ISBN",
        "ISSN",
        "PMCID",
        "PMID",
        "call-number",
        "citation-key",
        "citation-label",
        "citation-number",
        "first-reference-note-number",
        "year-suffix",
        "chapter-number",
        "collection-number",
        "edition",
        "issue",
        "locator",
        "number",
        "number-of-pages",
        "number-of-volumes",
        "page",
        "page-first",
        "part-number",
        "printing-number",
        "supplement-number",
        "version",
        "volume",
    }
)


ALWAYS_CAPITALISED = {
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "I",
}


def proper_nouns(texts: Iterable[str]) -> set[str]:
    """Return the words that stand capitalised after a lower-case word in `texts`.

    Month and day names are always names, whatever the store's texts hold.
    """
    found: set[str] = set(ALWAYS_CAPITALISED)
    for text in texts:
        found.update(names_in(text))
    return found


def names_in(text: str) -> Iterator[str]:
    """Yield the words `text` capitalises after a lower-case word of any script (or a
    digit, comma, semicolon, closing bracket or quote).

    The pattern starts at the white space, which the regular expression engine finds
    quickly, and the character before it is tested here: a third less time than a
    pattern starting with that character. As with such a pattern, the character before a
    name cannot be the end of the name before it ("met Vladimir Putin" yields Vladimir).
    """
    end = 0
    for match in _SPACE_THEN_NAME.finditer(text):
        start = match.start()
        if start > end and ((before := text[start - 1]) in _BEFORE_NAME or before.islower()):
            end = match.end()
            for part in match.group(1).split("-"):
                yield _bare(part)


def _bare(word: str) -> str:
    """Return a word without surrounding quotes, brackets, punctuation or possessive."""
    word = word.strip(_EDGE).rstrip(".,:;!?)]}\"'”’")
    return re.sub(r"[’']s$", "", word)


def looks_headline_case(title: str) -> bool:
    """Return whether most words of a title (after the first) start with a capital."""
    words = [w for w in title.split()[1:] if _bare(w).lower() not in STOP_WORDS and _bare(w)]
    if not words:
        return False
    capitals = sum(1 for w in words if _bare(w)[:1].isupper())
    return capitals * 2 > len(words)


def sentence_case(title: str, names: set[str]) -> str:
    """Return a headline-case title in sentence case, names and acronyms kept."""
    if not looks_headline_case(title):
        return title
    out = []
    starts_phrase = True
    for token in _TOKEN.split(title):
        if not token or _TOKEN.fullmatch(token):
            out.append(token)
            continue
        core = _bare(token)
        keep = (
            starts_phrase
            or core in names
            or not core[:1].isupper()
            or any(c.isupper() for c in core[1:])
            or not core.isalpha()
        )
        out.append(token if keep else token.replace(core[0], core[0].lower(), 1))
        starts_phrase = token.endswith((":", "?", "!", "."))
    return "".join(out)


def _protect(text: str, title: bool, kept: set[str]) -> Words:
    """Return a field's text with its tokens that are not words ("&amp;", "<i>x</i>",
    "\\emph{x}") kept as written, and in a `title` the lower-case prepositions, the
    words in another script than Latin and the words the source keeps the case of too.

    A style re-cases words (headline case, a capital to start a sentence); code, markup
    and entities are not words, and "&Amp;" would be nobody's intent. Only an English
    item's titles are put into headline case, where a Russian journal's name ("Россия в
    глобальной политике") is not English.
    """
    pieces: list[tuple[str, bool]] = []
    for token in re.split(r"(\s+)", text):
        if not _is_word(token) or title and (_cased_non_latin(token) or _bare(token) in kept):
            pieces.append((token, True))
            continue
        if not title:
            pieces.append((token, False))
            continue
        at = 0
        for match in re.finditer(r"\b[a-z]+\b", token):
            if match.group(0) in _KEEP_LOWER:
                pieces += [(token[at : match.start()], False), (match.group(0), True)]
                at = match.end()
        pieces.append((token[at:], False))
    return Words(tuple((piece, keep) for piece, keep in pieces if piece))


def _cased_non_latin(token: str) -> bool:
    """Return whether `token` holds a letter with case in a script other than Latin
    (Cyrillic, Greek, Armenian, ...)."""
    if token.isascii():
        return False
    from fontTools.unicodedata import script

    return any((c.isupper() or c.islower()) and script(c) != "Latn" for c in token)


def _is_word(token: str) -> bool:
    """Return whether `token` is made of letters, digits and prose punctuation only."""
    return all(c.isspace() or c in _PROSE or unicodedata.category(c)[0] in "LMN" for c in token)


def short_title(title: str) -> str:
    """Return a short title: the main title, cut to its first key words (at most four)."""
    main = title.split(":")[0].strip()
    words = main.split()
    if len(words) <= 4:
        return main
    if words[0].lower() in ("a", "an", "the"):
        words = words[1:]
    words = _outside_brackets(words, 4)
    while len(words) > 1 and words[-1].lower().strip(",") in STOP_WORDS:
        words.pop()
    return " ".join(words).rstrip(",;")


_PAIRS = {"(": ")", "[": "]", "{": "}", "«": "»", "“": "”", "‘": "’"}


def _outside_brackets(words: list[str], most: int) -> list[str]:
    """Return at most `most` of `words` from the start, never cut inside brackets or
    quotation marks: a translated title's "[The Northern Sea Route]" goes whole or not at
    all. Where the first words open a bracket, they run to where it closes."""
    open_marks: list[str] = []
    whole = 0  # how many words end outside every bracket
    for i, word in enumerate(words):
        for c in word:
            if c in _PAIRS:
                open_marks.append(_PAIRS[c])
            elif open_marks and c == open_marks[-1]:
                open_marks.pop()
        if not open_marks:
            if i + 1 > most and whole:
                break
            whole = i + 1
    return words[: whole or len(words)]


def csl_item(source: Source, names: set[str], family: str) -> dict[str, Any]:
    """Return a source as a CSL-JSON item for the citation processor."""
    data = dump(source, exclude_none=True)
    data.pop("text", None)
    data.pop("reliability", None)
    kept = set(data.pop("keep-case", None) or ())
    for key in ("issued", "accessed"):
        value = getattr(source, key)
        if value is not None:
            data[key] = value.csl()
    for key in ("author", "editor"):
        if not data.get(key):
            data.pop(key, None)
    if "language" not in data and (language := script_language(source)):
        data["language"] = language
    english = str(data.get("language") or "en").lower().startswith("en")
    title = data.get("title")
    if isinstance(title, str) and title:
        data.setdefault("title-short", short_title(title))
        if english:  # a German title's nouns keep their capitals, as in any other language
            data["title"] = sentence_case(title, names | kept)
            data["title-short"] = sentence_case(data["title-short"], names | kept)
    _house_rules(data, family)
    short: dict[str, str] = {}
    for key in ("author", "editor"):
        written = [_as_written(name, family) for name in data.get(key, [])]
        for name, given in zip(data.get(key, []), written, strict=True):
            if "literal" in given and isinstance(name, dict) and "literal" not in name:
                short[given["literal"]] = _short_name(name)
        data[key] = written or None
        if data[key] is None:
            del data[key]
    if short:
        data[SHORT_NAMES] = short
    for key, value in data.items():
        if isinstance(value, str) and key not in PLAIN and not key.startswith("x-"):
            data[key] = _protect(_kept_at_the_start(value), key in TITLES and english, kept)
    return data


def script_language(source: Source) -> str | None:
    """Return a language tag for a source that states none, from its title's script:
    "und-Cyrl" (a language in Cyrillic) for "Севморпуть теряет транзит", None for Latin.

    citeproc title-cases only items in English, and takes an item without a language
    for English (in an English locale): a Russian title came out "Севморпуть Теряет
    Транзит". Which language a Latin title is in cannot be told from its letters.
    """
    from fontTools.unicodedata import script

    text = source.title or source.container_title or ""
    scripts = Counter(script(c) for c in text if c.isalpha())
    if not scripts:
        return None
    main = scripts.most_common(1)[0][0]
    return None if main == "Latn" else f"und-{main}"


# The letters of names citeproc sets given name first ("Byzantine" names, as citeproc
# and citeproc-js call them): Latin, Greek, Cyrillic, Hebrew, Arabic and Thai.
_BYZANTINE = re.compile(
    "[a-zA-Z\u00c0-\u017f\u0218-\u021b\u0370-\u03ff\u0400-\u052f"
    "\u0590-\u05ff\u0600-\u06ff\u0e01-\u0e5b\u1f00-\u1fff]"
)


def _as_written(name: Any, family: str) -> Any:
    """Return a name whose parts citeproc prints as written.

    citeproc takes a given name's trailing lower-case words for a particle and what
    follows a comma for a suffix, and prints a name in other scripts (Chinese, Korean,
    Devanagari) family name first, without those parts: "Anna jøgz" lost its "jøgz".
    Such a name is given empty particles and suffix, which citeproc then leaves alone.

    pandoc's citeproc reads `static-ordering` but prints a name in Latin (or Cyrillic,
    Greek, Arabic) letters given name first all the same, so such a name goes to it
    whole, family name first, as CSL prints it: "Xi Jinping" in notes and bibliography
    (CMOS 8.14). APA inverts every name ("Xi, J."; APA 7, 9.8): there it stays split.
    """
    if not isinstance(name, dict) or "literal" in name:
        return name
    letters = [
        c for part in (name.get("family"), name.get("given")) if part for c in part if c.isalpha()
    ]
    byzantine = all(_BYZANTINE.match(c) for c in letters)
    if byzantine and name.get("static-ordering") and family != "apa":
        parts = ("non-dropping-particle", "family", "given", "dropping-particle", "suffix")
        return {"literal": " ".join(name[p] for p in parts if name.get(p))}
    if byzantine and _particles_parse(name.get("family") or ""):
        return name
    return {"dropping-particle": "", "non-dropping-particle": "", "suffix": "", **name}


def _short_name(name: dict[str, Any]) -> str:
    """Return a name's short form, as a short note or an in-text citation gives it: the
    family name with its particle ("Xi" of "Xi Jinping")."""
    parts = (name.get("non-dropping-particle"), name.get("family"))
    return " ".join(p for p in parts if p)


def _particles_parse(family: str) -> bool:
    """Return whether citeproc may take a family name's leading lower-case words for
    particles, as it does "van" in "van Gogh": only where they are words and a name
    follows them. citeproc took "- θβνγωλης -" of "- θβνγωλης - Doe" for a particle
    ending in a hyphen, and printed neither; and with a family name of no letters ('"'),
    it took the given name's last word for a particle and left it out."""
    if not any(c.isalpha() for c in family):
        return False
    words = family.split()
    lead = 0
    while lead < len(words) - 1 and words[lead] == words[lead].lower():
        lead += 1
    if not lead:
        return True
    particles, rest = words[:lead], words[lead]
    return (
        all(any(c.isalpha() for c in w) and w[-1].isalpha() for w in particles)
        and rest[0].isalpha()
    )


def _kept_at_the_start(text: str) -> str:
    """Return `text` with a word joiner before a comma, semicolon, full stop or colon
    that starts it: citeproc strips those from the start of a note, where a source's
    first field stands."""
    return "\u2060" + text if text[:1] in ",;.:" else text


def style_family(style_name: str) -> str:
    """Return the family of a style, for the house rules: chicago, apa or other."""
    name = style_name.lower()
    for family in ("chicago", "apa"):
        if family in name:
            return family
    return "other"


def _house_rules(data: dict[str, Any], family: str) -> None:
    """Apply rules of the style's manual that CSL cannot express."""
    if family == "chicago" and data.get("type") == "article-newspaper":
        # CMOS 14.89 (18th ed.): an initial "The" in a newspaper's name is omitted.
        container = data.get("container-title", "")
        if container.startswith("The "):
            data["container-title"] = container[4:]
    if family == "apa":
        # APA 7, 9.24: when the author and the publisher are the same, omit the publisher.
        authors = data.get("author", [])
        publisher = data.get("publisher")
        if publisher and len(authors) == 1 and authors[0].get("literal") == publisher:
            data.pop("publisher")
