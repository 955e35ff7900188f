"""Authors' names as people write them, split into CSL name parts."""

from __future__ import annotations

from typing import Any

# Scripts whose names are written family name first, with no space between the parts
# when written natively: citeproc prints them so when it is given family and given.
FAMILY_FIRST_SCRIPTS = frozenset({"Hani", "Hang", "Hira", "Kana"})
# Family names of two characters, among the Chinese and Korean ones in common use; every
# other Chinese or Korean family name is one character long.
TWO_CHARACTER_FAMILIES = frozenset(
    [
        "欧阳",
        "歐陽",
        "司马",
        "司馬",
        "上官",
        "诸葛",
        "諸葛",
        "东方",
        "東方",
        "皇甫",
        "尉迟",
        "尉遲",
        "公孙",
        "公孫",
        "慕容",
        "令狐",
        "夏侯",
        "长孙",
        "長孫",
        "宇文",
        "司徒",
        "轩辕",
        "軒轅",
        "端木",
        "南宫",
        "南宮",
        "西门",
        "西門",
        "남궁",
        "황보",
        "제갈",
        "선우",
        "독고",
        "사공",
        "서문",
    ]
)
# German particles, which CMOS and APA drop when the family name stands alone
# ("Clausewitz, Carl von"): CSL's dropping particles. Others ("van", "de la", "al-")
# stay with the family name, where citeproc reads them as non-dropping particles.
DROPPING = ("von und zu", "von der", "von dem", "von", "vom", "zu")


def parse_author(text: str) -> dict[str, str]:
    """Return a CSL name from "Family, Given", "Given Family" or "{Organisation}".

    nameparser splits the name as people write it: particles stay with the family name
    ("Jan van der Berg": family "van der Berg", which citeproc sorts and prints by CMOS
    and APA) but for German ones ("Carl von Clausewitz": dropping particle "von"),
    suffixes apart ("King, Martin Luther, Jr."), a title ("Dr.") dropped. A Chinese,
    Japanese or Korean name is family name first (see `_family_first`); another name
    of one word is kept whole, as written."""
    from nameparser import HumanName

    text = " ".join(text.split())
    if text.startswith("{") and text.endswith("}"):
        return {"literal": text[1:-1].strip()}
    if _in_family_first_script(text):
        return _family_first(text)
    if " " not in text.replace(",", " ").strip():
        return {"literal": text.strip(", ")}
    name = HumanName(text)
    given = " ".join(p for p in (name.first, name.middle) if p)
    out = {"family": name.last or text, "given": given, "suffix": name.suffix}
    for particle in DROPPING:
        if out["family"].startswith(particle + " ") and given:
            out["dropping-particle"] = particle
            out["family"] = out["family"][len(particle) + 1 :]
            break
    return {k: v for k, v in out.items() if v}


def parse_family_first(text: str) -> dict[str, Any]:
    """Return a CSL name written family name first in Latin letters, as Chinese,
    Hungarian or Korean names are ("Xi Jinping", "Orbán Viktor", or "Xi, Jinping"),
    marked to print in that order (CSL's static ordering). An organisation, and a name
    in Chinese, Japanese or Korean script, which citeproc orders itself, are read as
    `parse_author` reads them."""
    text = " ".join(text.split())
    if text.startswith("{") or _in_family_first_script(text):
        return parse_author(text)
    family, _, given = text.partition("," if "," in text else " ")
    name: dict[str, Any] = {"family": family.strip(), "given": given.strip()}
    name = {k: v for k, v in name.items() if v}
    if "given" in name:
        name["static-ordering"] = True
    return name


def _in_family_first_script(text: str) -> bool:
    """Return whether the letters of `text` are all Chinese, Japanese or Korean."""
    from fontTools.unicodedata import script

    scripts = {script(c) for c in text if c.isalpha()}
    return bool(scripts) and scripts <= FAMILY_FIRST_SCRIPTS


def _family_first(text: str) -> dict[str, str]:
    """Return a Chinese, Japanese or Korean name as family and given name.

    Written with a comma or a space, the family name comes first ("毛 泽东"). Written
    without, a Chinese name of two or three characters or a Korean one of two to four
    starts with its family name: one character, or two for the few family names of two.
    A Japanese name, or a longer one, cannot be split without knowing it: it is kept
    as the family name (write a space between the parts to split it)."""
    from fontTools.unicodedata import script

    family, _, given = text.partition("," if "," in text else " ")
    if not given:
        scripts = {script(c) for c in text}
        if scripts == {"Hani"} and len(text) in (2, 3) or scripts == {"Hang"} and len(text) <= 4:
            cut = 2 if text[:2] in TWO_CHARACTER_FAMILIES and len(text) > 2 else 1
            family, given = text[:cut], text[cut:]
    name = {"family": family.strip(), "given": given.strip()}
    return {k: v for k, v in name.items() if v}


def full_name(name: dict[str, Any]) -> str:
    """Return a name as its bearer writes it in running text: "毛泽东", "Xi Jinping"."""
    if name.get("literal"):
        return str(name["literal"])
    family, given = name.get("family") or "", name.get("given") or ""
    if _in_family_first_script(family + given):
        return family + given
    if name.get("static-ordering"):
        return " ".join(p for p in (family, given) if p)
    parts = (given, name.get("dropping-particle"), family)
    return " ".join(p for p in parts if p)
