"""Write briefgen/fonts/coverage.json: the code points of the shipped fonts, as ranges.

    python scripts/coverage.py

Run it after changing a shipped font; tests/test_scripts.py checks that it is current.
"""

import json

from briefgen.scripts import COVERAGE, FALLBACK, FONTS, PRIMARY, coverage_ranges, font_coverage

if __name__ == "__main__":
    data = {name: coverage_ranges(font_coverage(FONTS / name)) for name in (PRIMARY, FALLBACK)}
    COVERAGE.write_text(json.dumps(data, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {COVERAGE}")
