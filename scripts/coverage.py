"""Write briefgen/fonts/coverage.json: the code points of the shipped fonts, as ranges.

    python scripts/coverage.py

Run it after changing a shipped font; tests/test_scripts.py checks that it is current.
"""

import json

from briefgen.scripts import COVERAGE, FAMILIES, coverage_ranges, font_coverage, font_file

if __name__ == "__main__":
    data = {family: coverage_ranges(font_coverage(font_file(family))) for family in FAMILIES}
    COVERAGE.write_text(json.dumps(data, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {COVERAGE}")
