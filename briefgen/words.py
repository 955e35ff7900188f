"""Counts in words for the command line: "1 claim", "2 claims", "1 error".

Every message that prints a count with a noun takes its words from here, so numbers and
nouns agree; the memo's own counts are in the reader's language, by the catalogues'
ngettext (briefgen/resolve/words.py).
"""

from __future__ import annotations


def noun(n: int, one: str, many: str | None = None) -> str:
    """Return the form of a noun that agrees with `n`: `one` for 1, else `many`
    (by default `one` + "s")."""
    return one if n == 1 else (many or one + "s")


def plural(n: int, one: str, many: str | None = None) -> str:
    """Return `n` and its noun in agreement: plural(1, "claim") is "1 claim"."""
    return f"{n} {noun(n, one, many)}"
