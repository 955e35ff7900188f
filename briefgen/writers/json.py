"""The JSON writer: the memo model as data, like pandoc's native writer, for tests and tools."""

from __future__ import annotations

import json
from pathlib import Path

from ..model import Memo


def write_json(memo: Memo, path: Path) -> None:
    """Write `memo` as indented JSON to `path`."""
    text = json.dumps(memo.to_dict(), indent=2, ensure_ascii=False, sort_keys=False)
    path.write_text(text + "\n", encoding="utf-8")
