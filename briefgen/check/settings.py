"""The places briefgen.yaml names: the citation style, a shipped one or a file; the
output folder, the logo and the fonts, each inside the workspace, and the files real
files of the right kind."""

from __future__ import annotations

from ..cite.pandoc import StyleError, find_style
from ..dates import babel_locale
from ..readers.files import inside, refusal
from ..readers.workspace import Where, Workspace
from ..resolve.words import CATALOGUES, catalogue_of

SHIPPED_FONTS = ("Noto Serif", "Noto Sans", "DejaVu Sans")
LOGO_TYPES = (".png", ".jpg", ".jpeg", ".svg")


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
    if settings.logo:
        _check_file(ws, where, "logo", settings.logo, LOGO_TYPES, "a PNG, JPEG or SVG file")
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


def _check_file(
    ws: Workspace, where: Where, key: str, value: str, kinds: tuple[str, ...], what: str
) -> None:
    path = inside(ws.root, value)
    if path is None:
        ws.problems.add(
            where.path,
            where.line_of(key),
            key,
            f"{value!r} leaves the workspace; give a path inside it",
        )
    elif not path.exists():
        ws.problems.add(where.path, where.line_of(key), key, f"{value!r} not found")
    elif (why := refusal(path, ws.root)) is not None:
        ws.problems.add(where.path, where.line_of(key), key, f"{value!r} {why}")
    elif path.suffix.lower() not in kinds:
        ws.problems.add(where.path, where.line_of(key), key, f"{value!r} is not {what}")


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
