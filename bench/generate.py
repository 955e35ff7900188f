"""Generate a workspace of N claims for the benchmark: sources with texts, quotes, briefs.

Claims are split into files of 1,000, sources share 50 captured texts, and every quote
is a real passage of its source's text, so `check` does all its work.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

TOPICS = [
    "military",
    "drones",
    "trade",
    "energy",
    "finance",
    "diplomacy",
    "sanctions",
    "transport",
    "aviation",
    "space",
]
WORDS = [
    "agreement",
    "delivery",
    "sanctions",
    "pipeline",
    "drones",
    "corridor",
    "ministry",
    "tanker",
    "credit",
    "railway",
    "payment",
    "frigate",
    "budget",
    "export",
    "import",
    "reactor",
    "summit",
    "treaty",
    "harbour",
    "grain",
    "oil",
    "gas",
    "satellite",
    "missile",
    "factory",
    "bank",
    "rate",
    "market",
    "port",
    "border",
    "envoy",
]
SOURCES = 50
PARAGRAPHS = 12


def sentence(rng: random.Random, n: int) -> str:
    words = [rng.choice(WORDS) for _ in range(n)]
    return words[0].capitalize() + " " + " ".join(words[1:]) + "."


def generate(root: Path, claims: int, briefs: int = 1, seed: int = 7) -> Path:
    """Write a workspace with `claims` claims and `briefs` briefs into `root`."""
    rng = random.Random(seed)
    (root / "store" / "texts").mkdir(parents=True, exist_ok=True)
    (root / "store" / "claims").mkdir(parents=True, exist_ok=True)
    (root / "store" / "sections").mkdir(parents=True, exist_ok=True)
    (root / "briefgen.yaml").write_text(
        "organisation: Benchmark Desk\ncitation-style: chicago-notes-bibliography\n"
        "default-audience: analyst\nmarkings:\n  - {name: PUBLIC, portion: P}\n"
        "  - {name: INTERNAL, portion: I}\n",
        encoding="utf-8",
    )
    (root / "audiences.yaml").write_text(
        "analyst:\n  label: Analysts\n  template: policy-memo\n  notes: footnotes\n"
        "  quotes: true\n  confidence: true\n",
        encoding="utf-8",
    )
    texts: list[list[str]] = []
    sources = []
    for s in range(SOURCES):
        paras = [
            " ".join(sentence(rng, rng.randint(8, 16)) for _ in range(4)) for _ in range(PARAGRAPHS)
        ]
        texts.append(paras)
        (root / "store" / "texts" / f"src-{s}.txt").write_text(
            f"Source {s}\n\n" + "\n\n".join(paras) + "\n", encoding="utf-8"
        )
        sources.append(
            f"- id: src-{s}\n  type: article-newspaper\n  title: Report number {s}"
            f" on the corridor\n  author: [{{family: Author{s}, given: Sam}}]\n"
            f"  container-title: The Daily {s}\n  issued: 2024-{1 + s % 12:02d}\n"
            f"  text: texts/src-{s}.txt\n"
        )
    (root / "store" / "sources.yaml").write_text("".join(sources), encoding="utf-8")
    for start in range(0, claims, 1000):
        out = []
        for i in range(start, min(claims, start + 1000)):
            s = rng.randrange(SOURCES)
            para = rng.choice(texts[s])
            words = para.split()
            at = rng.randrange(max(1, len(words) - 13))
            quote = " ".join(words[at : at + 12])
            topics = rng.sample(TOPICS, 2)
            out.append(
                f"- id: claim-{i}\n  text: {sentence(rng, 30)}\n  sources:\n"
                f'    - source: src-{s}\n      quote: "{quote}"\n'
                f"  date: 2024-{1 + i % 12:02d}-{1 + i % 28:02d}\n"
                f"  topics: [{', '.join(topics)}]\n"
                f"  confidence: {rng.choice(['high', 'moderate', 'low'])}\n"
            )
        (root / "store" / "claims" / f"claims-{start // 1000:04d}.yaml").write_text(
            "".join(out), encoding="utf-8"
        )
    for b in range(briefs):
        topic = TOPICS[b % len(TOPICS)]
        (root / f"brief-{b:02d}.yaml").write_text(
            f"title: Weekly brief {b}\nsubject: The {topic} picture\nto: Director\n"
            f"date: 2024-06-14\nperiod: {{from: 2024-01-01, to: 2024-12-31}}\n"
            f"audiences: [analyst]\nsections:\n"
            f"  - title: Bottom line\n    text: A short summary of the week.\n"
            f"    claims: [claim-{b}, claim-{b + 1}]\n"
            f"  - title: {topic.title()}\n    select: {{topics: [{topic}], min-confidence: "
            f"moderate, limit: 7, sort: -date}}\n"
            f"  - title: Other\n    select: {{topics: [{TOPICS[(b + 3) % len(TOPICS)]}], "
            f"limit: 6}}\n",
            encoding="utf-8",
        )
    return root


if __name__ == "__main__":
    generate(Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]) if len(sys.argv) > 3 else 1)
