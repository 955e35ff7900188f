"""Counts in words: "1 claim", "2 claims", "1 is", "2 are", and CSL types as words.

Every message and memo line that prints a count with a noun takes its words from here,
so numbers and nouns agree, and a later move to message catalogues has one plural form
(one, many, n) per phrase to translate, as gettext's ngettext takes it.
"""

from __future__ import annotations

# A CSL type as a reader says it, singular and plural; a type not here reads as its
# name with "-" and "_" as spaces.
KIND_WORDS = {
    "article": ("article", "articles"),
    "article-journal": ("journal article", "journal articles"),
    "article-magazine": ("magazine article", "magazine articles"),
    "article-newspaper": ("newspaper article", "newspaper articles"),
    "chapter": ("book chapter", "book chapters"),
    "classic": ("classic work", "classic works"),
    "dataset": ("data set", "data sets"),
    "entry": ("entry", "entries"),
    "entry-dictionary": ("dictionary entry", "dictionary entries"),
    "entry-encyclopedia": ("encyclopedia entry", "encyclopedia entries"),
    "legal_case": ("legal case", "legal cases"),
    "legislation": ("piece of legislation", "pieces of legislation"),
    "motion_picture": ("film", "films"),
    "paper-conference": ("conference paper", "conference papers"),
    "personal_communication": ("personal communication", "personal communications"),
    "post-weblog": ("blog post", "blog posts"),
    "review-book": ("book review", "book reviews"),
    "software": ("piece of software", "pieces of software"),
    "speech": ("speech", "speeches"),
    "thesis": ("thesis", "theses"),
    "treaty": ("treaty", "treaties"),
    "webpage": ("web page", "web pages"),
}


def noun(n: int, one: str, many: str | None = None) -> str:
    """Return the form of a noun that agrees with `n`: `one` for 1, else `many`
    (by default `one` + "s")."""
    return one if n == 1 else (many or one + "s")


def plural(n: int, one: str, many: str | None = None) -> str:
    """Return `n` and its noun in agreement: plural(1, "claim") is "1 claim"."""
    return f"{n} {noun(n, one, many)}"


def are(n: int) -> str:
    """Return the verb "to be" agreeing with `n`: "is" for 1, else "are"."""
    return noun(n, "is", "are")


def kind_words(csl_type: str, n: int = 1) -> str:
    """Return a CSL type as words agreeing with `n`: "personal_communication" reads
    "personal communication", "article-newspaper" "newspaper article"."""
    plain = csl_type.replace("-", " ").replace("_", " ")
    return noun(n, *KIND_WORDS.get(csl_type, (plain, plain + "s")))
