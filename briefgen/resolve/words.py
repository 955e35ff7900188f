"""The memo's own words in the reader's language, from the message catalogues of
briefgen/locale/ (one .po file a language), read with Babel when first asked for: the
catalogues are the only copy, with no compiled .mo files to keep in step."""

from __future__ import annotations

import gettext
import io
from functools import cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

CATALOGUES = Path(__file__).resolve().parent.parent / "locale"


@cache
def translations(locale: str) -> gettext.NullTranslations:
    """Return the catalogue for `locale`: de_DE.po for de-DE if there is one, else de.po;
    for a language without one, the message ids themselves (English)."""
    tag = locale.replace("-", "_")
    for name in (tag, tag.split("_")[0]):
        path = CATALOGUES / f"{name}.po"
        if path.is_file():
            with path.open("rb") as po:
                catalog = read_po(po, locale=name)
            compiled = io.BytesIO()
            write_mo(compiled, catalog)
            compiled.seek(0)
            return gettext.GNUTranslations(compiled)
    return gettext.NullTranslations()
