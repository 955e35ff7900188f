"""How a second-hand claim reads: its origin and its text put into the audience's
`attribution` template so that the sentence reads as if written by hand.

Each of `{origin}` and `{text}` is cased for where it stands: at the start of a sentence
it starts with a capital; inside one, its first word is lowered unless it is a name (a
word the store capitalises inside a sentence, or an acronym), so "According to An
industry survey" reads "According to an industry survey" while "According to Rosatom"
stays. A text with more of the template after it gives up its full stop, which goes to
the end of the sentence ("Few routes are watched, according to port officials.").

The default template is the memo's language's, from its catalogue ("Selon {origin},
{text}", "{text}, so {origin}"). Which first words are lowered inside a sentence depends
on the language: in German, whose nouns all have a capital, only articles, determiners
and pronouns are.

A text that already names its origin ("Rosatom says …", "According to TASS, …", "Selon
l'AIEA, …") is printed as written, without a second attribution; `check` warns about it.
"""

from __future__ import annotations

import re
import string
import unicodedata

# Sentence-opening words that are never names, though the store may capitalise them
# inside a sentence ("in The Hague"): lowered when a sentence no longer starts with them.
LOWER_FIRST_WORDS = {
    "The",
    "A",
    "An",
    "This",
    "That",
    "These",
    "Those",
    "Its",
    "It",
    "There",
    "Some",
    "Many",
    "Most",
    "Both",
    "Each",
    "Every",
    "Several",
    "About",
    "Around",
    "Approximately",
    "Nearly",
    "Over",
    "More",
    "Less",
    "Fewer",
}
# The same, per language: articles, determiners and pronouns that open a sentence,
# lowered inside one whatever the store does ("Selon X, la Russie …" though the store
# writes "La Haye"). German capitalises its nouns, so there only these are lowered and
# every other capitalised word is kept ("…, so Hafenbehörden").
FUNCTION_WORDS = {
    "fr": {
        *("Le", "La", "Les", "Un", "Une", "Des", "Du", "De", "Ce", "Cet", "Cette", "Ces"),
        *("Son", "Sa", "Ses", "Leur", "Leurs", "Il", "Elle", "Ils", "Elles", "On"),
        *("Plusieurs", "Certains", "Certaines", "Quelques", "Chaque", "Tous", "Toutes"),
        *("Environ", "Près", "Plus", "Moins", "Au", "Aux"),
    },
    "de": {
        *("Der", "Die", "Das", "Den", "Dem", "Des", "Ein", "Eine", "Einen", "Einem"),
        *("Einer", "Eines", "Dieser", "Diese", "Dieses", "Diesen", "Diesem", "Jeder"),
        *("Jede", "Jedes", "Alle", "Einige", "Mehrere", "Viele", "Manche", "Sein", "Seine"),
        *("Es", "Er", "Man", "Wir", "Etwa", "Rund", "Knapp", "Fast", "Mehr", "Weniger"),
        *("Über", "Unter", "Nach", "Im", "In", "Am", "Bei", "Seit", "Zum", "Zur"),
    },
    "es": {
        *("El", "La", "Los", "Las", "Un", "Una", "Unos", "Unas", "Este", "Esta", "Estos"),
        *("Estas", "Ese", "Esa", "Esos", "Esas", "Su", "Sus", "Varios", "Varias"),
        *("Algunos", "Algunas", "Muchos", "Muchas", "Cada", "Casi", "Más", "Menos"),
        *("Alrededor", "Aproximadamente", "Unos", "Del", "Al"),
    },
    "ru": {
        *("Это", "Эти", "Этот", "Эта", "Его", "Её", "Их", "Он", "Она", "Оно", "Они"),
        *("Некоторые", "Многие", "Несколько", "Около", "Почти", "Более", "Менее"),
        *("Свыше", "Каждый", "Все", "Там", "В", "На", "По"),
    },
}
# French elides an article before a vowel ("L'armée"): the article is lowered.
_ELIDED = re.compile(r"^[LD][’'](?=\w)")
# A text attributes itself when it starts "According to …" or has one of these verbs
# among its first ten words, before any full stop ("Rosatom says", "Сергей Иванов, a
# Russian maritime lawyer, says").
ATTRIBUTING_VERBS = (
    "says",
    "said",
    "say",
    "reports",
    "reported",
    "states",
    "stated",
    "claims",
    "claimed",
    "told",
    "announced",
    "writes",
    "wrote",
    # and in the languages of the catalogues: French, German, Spanish, Russian
    *("déclare", "déclaré", "affirme", "affirmé", "indique", "indiqué", "annoncé"),
    *("sagt", "sagte", "erklärt", "erklärte", "berichtet", "berichtete", "meldet", "meldete"),
    *("dice", "dijo", "afirma", "afirmó", "declaró", "informa", "informó", "señala", "señaló"),
    *("заявил", "заявила", "заявили", "заявляет", "сообщил", "сообщила", "сообщили"),
    *("сообщает", "сообщают", "утверждает", "утверждают", "говорит", "сказал", "сказала"),
)
ATTRIBUTING_WORDS = 10
# "According to" in each language of the catalogues
_ACCORDING = re.compile(
    r"(?:according\s+to|selon|laut|según|по\s+(?:данным|словам|сообщению|информации))\b",
    re.IGNORECASE,
)
_VERB = re.compile(rf"\b(?:{'|'.join(ATTRIBUTING_VERBS)})\b", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?…][\"'”’»)\]]*\s*$")
_EDGE = "\"'“”‘’«»„([{"


def names_origin(text: str, origin: str) -> str | None:
    """Return how `text` names who asserted it, or None: the origin itself (in any case)
    or an attribution phrase of its own at its start."""
    if _contains(text, origin):
        return origin.strip()
    head = text.lstrip(_EDGE + " ")
    if _ACCORDING.match(head):
        return " ".join(head.split()[:3]).rstrip(",")
    first = re.split(r"(?<=[.!?])\s", head, maxsplit=1)[0]
    words = first.split()[:ATTRIBUTING_WORDS]
    for i, word in enumerate(words[1:], 1):
        if _VERB.fullmatch(word.strip(",;:")):
            return " ".join(words[: i + 1])
    return None


def _contains(text: str, origin: str) -> bool:
    """Return whether `origin` stands in `text` as a whole word, ignoring case and
    Unicode form; in scripts written without spaces (Chinese, Japanese, Thai) anywhere."""
    want = _folded(origin)
    have = _folded(text)
    if not want:
        return False
    for match in re.finditer(re.escape(want), have):
        before = have[match.start() - 1] if match.start() else " "
        after = have[match.end()] if match.end() < len(have) else " "
        if not (_joins(before, want[0]) or _joins(want[-1], after)):
            return True
    return False


def _folded(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def _joins(left: str, right: str) -> bool:
    """Return whether two characters side by side belong to one word."""
    return left.isalnum() and right.isalnum() and not (_unspaced(left) or _unspaced(right))


def _unspaced(char: str) -> bool:
    """Return whether `char` is of a script written without spaces between words."""
    return unicodedata.east_asian_width(char) in ("W", "F") or "\u0e00" <= char <= "\u0eff"


def attribute(template: str, origin: str, text: str, names: set[str], language: str = "en") -> str:
    """Return `text` attributed to `origin` by `template`, each cased for its place.

    `names` are the words the store capitalises inside sentences: they keep their capital;
    `language` (of the memo: "de") says which words are lowered inside a sentence.
    """
    if names_origin(text, origin):
        return text
    pieces = list(string.Formatter().parse(template))
    out = ""
    moved_stop = ""
    for i, (literal, name, _, _) in enumerate(pieces):
        out = _join(out, literal)
        if name is None:
            continue
        value = origin.strip() if name == "origin" else text
        more = any(lit.strip() or n for lit, n, _, _ in pieces[i + 1 :])
        if name == "text" and more and value.endswith(".") and not value.endswith(".."):
            value, moved_stop = value[:-1], "."
        starts = not out.strip() or bool(_SENTENCE_END.search(out))
        out = _join(out, _capitalised(value) if starts else _mid_sentence(value, names, language))
    if moved_stop and not _SENTENCE_END.search(out):
        out = out.rstrip() + moved_stop
    return out


def _join(before: str, after: str) -> str:
    """Return two pieces joined, without a doubled full stop where they meet."""
    if before.endswith(".") and after.startswith(".") and not after.startswith(".."):
        after = after[1:]
    return before + after


def _capitalised(value: str) -> str:
    """Return `value` with its first letter a capital (where its script has case), when
    it starts with a letter (after any quote mark or bracket)."""
    at = len(value) - len(value.lstrip(_EDGE + " "))
    upper = value[at : at + 1].title()
    return value[:at] + upper + value[at + 1 :] if len(upper) == 1 else value


def _mid_sentence(value: str, names: set[str], language: str = "en") -> str:
    """Return `value` as it reads inside a sentence: its first word lowered unless a name
    (in German, only an article, determiner or pronoun is lowered)."""
    match = re.match(rf"[\s{re.escape(_EDGE)}]*(\S+)", value)
    if match is None:
        return value
    word = match.group(1)
    if not _lowered(word, names, language):
        return value
    at = match.start(1)
    return value[:at] + word[0].lower() + value[at + 1 :]


def _lowered(word: str, names: set[str], language: str) -> bool:
    """Return whether a sentence's first word is lowered when it moves inside one."""
    bare = word.strip(_EDGE).rstrip(".,:;!?)]}\"'”’»")
    if language == "fr" and _ELIDED.match(bare):
        return True
    if bare in FUNCTION_WORDS.get(language, ()):
        return True
    if language == "de":
        return False
    return not is_name(word, names)


def is_name(word: str, names: set[str]) -> bool:
    """Return whether a word keeps its capital inside a sentence: a word of `names`, an
    acronym or a word mixing capitals ("TASS", "McKinsey"), one holding digits or other
    signs ("G7"); or a word already in lower case or in a script without case."""
    bare = re.sub(r"[’']s$", "", word.strip(_EDGE).rstrip(".,:;!?)]}\"'”’»"))
    first = bare.split("-")[0]
    if not first[:1].isupper():
        return True
    if first in LOWER_FIRST_WORDS:
        return False
    if any(c.isupper() for c in first[1:]) or not first.isalpha():
        return True
    return first in names or bare in names
