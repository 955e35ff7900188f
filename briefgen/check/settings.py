"""The places briefgen.yaml names: the citation style, a shipped one or a file; the
output folder, the logo, the fonts and the Word template (an audience's too), each inside
the workspace, and the files real files of the right kind."""

from __future__ import annotations

import zipfile
from pathlib import Path

from lxml import etree

from ..cite.pandoc import StyleError, find_style
from ..dates import babel_locale
from ..readers.files import inside, refusal
from ..readers.workspace import Where, Workspace
from ..resolve.words import CATALOGUES, catalogue_of

SHIPPED_FONTS = ("Noto Serif", "Noto Sans", "DejaVu Sans")
LOGO_TYPES = (".png", ".jpg", ".jpeg", ".svg")
# the content type of a Word document's main part; a template (.dotx) or a macro-enabled
# file has another, which python-docx refuses to open
DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
MAX_PART_BYTES = 64 << 20  # a template's document or styles part larger is refused
SAFE_XML = etree.XMLParser(resolve_entities=False, no_network=True)


def check_settings_files(ws: Workspace) -> None:
    """Check the citation style, output folder, logo and fonts of briefgen.yaml: the
    style known, the paths inside the workspace, the files real files of the right kind."""
    settings = ws.settings
    where = ws.where[("settings", "")]
    try:
        find_style(settings.citation_style, ws.root)
    except StyleError as exc:
        ws.problems.add(where.path, where.line_of("citation-style"), "citation-style", str(exc))
    check_locale(ws, settings.locale, where, "locale")
    if inside(ws.root, settings.output) is None:  # a path, or a link, that leads out
        ws.problems.add(
            where.path,
            where.line_of("output"),
            "output",
            f"{settings.output!r} leads out of the workspace; give a folder inside it (to "
            "write elsewhere, build --out DIR)",
        )
    logo = settings.logo
    if logo and _check_file(ws, where, "logo", logo, LOGO_TYPES, "a PNG, JPEG or SVG file"):
        _check_svg(ws, where, logo)
    if settings.reference_doc:
        check_reference_doc(ws, where, "reference-doc", settings.reference_doc)
    for key, value in (("body-font", settings.body_font), ("heading-font", settings.heading_font)):
        if value.lower().endswith(".ttf"):
            _check_file(ws, where, key, value, (".ttf",), "a TrueType (.ttf) file")
        elif value not in SHIPPED_FONTS:
            ws.problems.add(
                where.path,
                where.line_of(key),
                key,
                f"unknown font {value!r}; use {', '.join(SHIPPED_FONTS)} or a .ttf "
                "file in the workspace",
            )


def _check_svg(ws: Workspace, where: Where, value: str) -> None:
    """Check that an SVG logo can be drawn, as the DOCX needs it drawn (as a PNG)."""
    if not value.lower().endswith(".svg"):
        return
    import resvg_py

    try:
        resvg_py.svg_to_bytes(svg_path=str(ws.root / value), height=8, skip_system_fonts=True)
    except ValueError as exc:
        ws.problems.add(
            where.path,
            where.line_of("logo"),
            "logo",
            f"{value!r} is not an SVG image briefgen can draw ({exc})",
        )


def check_reference_doc(ws: Workspace, where: Where, key: str, value: str) -> None:
    """Check that `value` (at `key`, an audience's "NAME.reference-doc" too) is a Word
    document inside the workspace that the DOCX writer can be based on."""
    if not _check_file(ws, where, key, value, (".docx",), "a Word document (.docx)"):
        return
    why = _not_a_docx(ws.root / value)
    if why is not None:
        shown = key.rsplit(".", 1)[-1]
        ws.problems.add(
            where.path,
            where.line_of(shown),
            key,
            f"{value!r} is not a Word document (.docx): {why}; save the template in Word "
            "as a Word Document (.docx)",
        )


def _not_a_docx(path: Path) -> str | None:
    """Return why `path` is not a Word document's package, or None if it is one."""
    try:
        with zipfile.ZipFile(path) as package:
            names = set(package.namelist())
            if "[Content_Types].xml" not in names or "word/document.xml" not in names:
                return "it holds no Word document"
            types = package.read("[Content_Types].xml").decode("utf-8", "replace")
            if DOCX_MAIN not in types:
                return "it is a Word template (.dotx) or a macro-enabled file"
            if "word/styles.xml" not in names:
                return "it holds no styles"
            for name in ("word/document.xml", "word/styles.xml"):
                if package.getinfo(name).file_size > MAX_PART_BYTES:
                    return f"its {name} is larger than {MAX_PART_BYTES >> 20} MB"
                etree.fromstring(package.read(name), SAFE_XML)
    except etree.XMLSyntaxError as exc:
        return f"its XML is damaged ({exc})"
    except (zipfile.BadZipFile, OSError, ValueError):
        return "it is not a zip package"
    return None


def _check_file(
    ws: Workspace, where: Where, key: str, value: str, kinds: tuple[str, ...], what: str
) -> bool:
    """Check that `value` names a regular file of `kinds` inside the workspace; return
    whether it does. `key` may be an audience's ("NAME.KEY"): its line is KEY's."""
    line = where.line_of(key.rsplit(".", 1)[-1])
    path = inside(ws.root, value)
    if path is None:
        ws.problems.add(
            where.path, line, key, f"{value!r} leaves the workspace; give a path inside it"
        )
    elif not path.exists():
        ws.problems.add(where.path, line, key, f"{value!r} not found")
    elif (why := refusal(path, ws.root)) is not None:
        ws.problems.add(where.path, line, key, f"{value!r} {why}")
    elif path.suffix.lower() not in kinds:
        ws.problems.add(where.path, line, key, f"{value!r} is not {what}")
    else:
        return True
    return False


def check_locale(ws: Workspace, tag: str, where: Where, key: str) -> None:
    """Check that `tag` names a locale Babel knows, as the memo's dates need, and warn
    when no catalogue holds its language: the memo's own words are then English."""
    line = where.line_of(key.rsplit(".", 1)[-1])
    try:
        babel_locale(tag)
    except ValueError as exc:
        ws.problems.add(where.path, line, key, str(exc))
        return
    if catalogue_of(tag) is None:
        have = ", ".join(sorted(p.stem for p in CATALOGUES.glob("*.po")))
        ws.problems.warn(
            where.path,
            line,
            key,
            f"no catalogue of the memo's words for {tag!r} (there are: {have}): its "
            f"headings, labels and remarks will be English, its dates and citations "
            f"still in {tag}; to translate them, add briefgen/locale/"
            f"{tag.split('-')[0].lower()}.po (see README.md)",
        )
