"""Authors' names as people write them, split into CSL name parts."""

from __future__ import annotations


def parse_author(text: str) -> dict[str, str]:
    """Return a CSL name from "Family, Given", "Given Family" or "{Organisation}".

    nameparser splits the name as people write it: particles stay with the family name
    ("Jan van der Berg": family "van der Berg", which citeproc sorts and prints by CMOS
    and APA), suffixes apart ("King, Martin Luther, Jr."), a title ("Dr.") dropped. A name
    of one word (or one without spaces, as Chinese and Japanese are written) is kept
    whole, as written."""
    from nameparser import HumanName

    text = " ".join(text.split())
    if text.startswith("{") and text.endswith("}"):
        return {"literal": text[1:-1].strip()}
    if " " not in text.replace(",", " ").strip():
        return {"literal": text.strip(", ")}
    name = HumanName(text)
    given = " ".join(p for p in (name.first, name.middle) if p)
    out = {"family": name.last or text, "given": given, "suffix": name.suffix}
    return {k: v for k, v in out.items() if v}


def full_name(name: dict[str, str]) -> str:
    return name.get("literal") or " ".join(p for p in (name.get("given"), name.get("family")) if p)
