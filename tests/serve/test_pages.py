"""The workbench over HTTP: its token and host check, paths kept inside the workspace,
every store text shown as text, the store's filters and check's problems, against what
the command line says of the same workspace."""

from __future__ import annotations

import html.parser
import json
import shutil
import time
import urllib.request
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ..conftest import EXAMPLE, briefgen, make_workspace
from ..test_content import TEXT
from .conftest import Server, start


def example(tmp_path: Path) -> Path:
    copy = tmp_path / "briefs"
    shutil.copytree(EXAMPLE, copy, ignore=shutil.ignore_patterns("out"))
    return copy


def wait_for_version(server: Server, after: int, seconds: float = 20) -> int:
    """Wait until the workbench has checked the workspace again since `after`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        now = server.version()
        if now > after:
            return now
        time.sleep(0.05)
    raise AssertionError(f"the workbench did not see the change within {seconds} s")


class Cells(html.parser.HTMLParser):
    """Collect the text of each element with a given class, by its row's id."""

    def __init__(self, cls: str) -> None:
        super().__init__()
        self.cls, self.row, self.depth = cls, "", 0
        self.found: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        got = dict(attrs)
        if tag == "tr":
            self.row = got.get("id") or ""
        if self.depth:
            self.depth += 1
        elif self.cls in (got.get("class") or "").split():
            self.depth = 1
            self.found[self.row] = ""

    def handle_endtag(self, tag: str) -> None:
        if self.depth:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.found[self.row] += data


def cells(page: str, cls: str) -> dict[str, str]:
    parser = Cells(cls)
    parser.feed(page)
    return parser.found


def test_every_request_needs_the_token(tmp_path: Path, serving: list[Server]) -> None:
    server = start(example(tmp_path))
    serving.append(server)
    assert server.address.startswith("http://127.0.0.1:")
    assert len(server.token) >= 32
    for path in ("/", "/sources", "/preview/russia-iran-weekly/analyst", "/events", "/api/version"):
        assert server.get(path, token=False)[0] == 403, path
        assert server.get(path + "?token=" + "x" * len(server.token), token=False)[0] == 403
    assert server.get("/")[0] == 200
    with urllib.request.urlopen(server.url("/"), timeout=30) as answer:
        assert "script-src 'self'" in answer.headers["content-security-policy"]
    # a write needs the token in its header too, which another site's page cannot send
    status, _ = server.post("/api/drafts/trade-2023/discard", {}, header=False)
    assert status == 403
    # and the Host must be this machine: another name pointing here is refused
    assert server.get("/", headers={"Host": "attacker.example"})[0] == 400


def test_paths_stay_inside_the_workspace(tmp_path: Path, serving: list[Server]) -> None:
    ws = example(tmp_path)
    outside = tmp_path / "secret.txt"
    outside.write_text("not for the workbench", encoding="utf-8")
    (ws / "store" / "link.txt").symlink_to(outside)
    server = start(ws)
    serving.append(server)
    assert server.get("/file/briefgen.yaml")[0] == 200
    for path in (
        "/file/..%2Fsecret.txt",
        "/file/store/link.txt",
        f"/file/{outside}",
        "/file/store",
    ):
        status, page = server.get(path)
        assert status == 404, path
        assert "not for the workbench" not in page


def yaml_text(data: object) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


@settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(texts=st.lists(TEXT, min_size=1, max_size=3))
def test_claim_texts_show_as_text(tmp_path: Path, serving: list[Server], texts: list[str]) -> None:
    """Whatever a claim's text holds (markup of every kind, every script), the store and
    the claim's own page show exactly its characters, or check refuses it."""
    if not serving:
        serving.append(start(example(tmp_path)))
    server = serving[0]
    claims = [
        {"id": f"drawn-{i}", "text": text, "sources": [{"source": "svetlova-jst-2024"}]}
        for i, text in enumerate(texts)
    ]
    before = server.version()
    (server.workspace / "store" / "claims" / "drawn.yaml").write_text(
        yaml_text(claims), encoding="utf-8"
    )
    wait_for_version(server, before)
    shown = cells(server.get("/?q=drawn-")[1], "text")
    problems = server.get("/problems")[1]
    for claim in claims:
        if f"claim-{claim['id']}" not in shown:
            assert "drawn.yaml" in problems  # refused by check, and said so
            continue
        assert shown[f"claim-{claim['id']}"] == claim["text"]
        assert cells(server.get(f"/claim/{claim['id']}")[1], "claim-text") == {"": claim["text"]}


def memo_claims(ws: Path) -> set[str]:
    """Return the claims some memo of the workspace shows, by the memos `build` writes."""
    run = briefgen("build", "--all", "--format", "json", "--force", str(ws), cwd=ws.parent)
    assert run.code == 0, run.err
    held: set[str] = set()
    for path in (ws / "out").glob("*.json"):
        memo = json.loads(path.read_text(encoding="utf-8"))
        held.update(
            b["claim_id"] for s in memo["sections"] for b in s["blocks"] if b.get("claim_id")
        )
        held.update(i for note in memo["notes"] for i in note["claim_ids"])  # prose's too
    return held


def test_store_filters_agree_with_the_memos(tmp_path: Path, serving: list[Server]) -> None:
    ws = example(tmp_path)
    server = start(ws)
    serving.append(server)
    every = set(cells(server.get("/")[1], "text"))
    unused = set(cells(server.get("/?unused=1")[1], "text"))
    used = memo_claims(ws)
    assert unused == {f"claim-{i}" for i in {r[len("claim-") :] for r in every} - used}
    assert unused and used
    # by topic and source, as the store files hold them
    data = [
        c
        for f in sorted((ws / "store" / "claims").glob("*.yaml"))
        for c in yaml.safe_load(f.read_text(encoding="utf-8"))
    ]
    drones = {f"claim-{c['id']}" for c in data if "drones" in c.get("topics", [])}
    assert set(cells(server.get("/?topic=drones")[1], "text")) == drones
    kirillova = {
        f"claim-{c['id']}"
        for c in data
        if any(s["source"] == "kirillova-cepa-2023" for s in c["sources"])
    }
    assert set(cells(server.get("/?source=kirillova-cepa-2023")[1], "text")) == kirillova
    low = {f"claim-{c['id']}" for c in data if c.get("confidence") == "low"}
    assert set(cells(server.get("/?confidence=low")[1], "text")) == low
    # by marking (none written: the lowest), and by date
    for marking in ("PUBLIC", "INTERNAL", "RESTRICTED"):
        marked = {f"claim-{c['id']}" for c in data if c.get("marking", "PUBLIC") == marking}
        assert set(cells(server.get(f"/?marking={marking}")[1], "text")) == marked
    june = set(cells(server.get("/?since=2024-06-01&until=2024-06-30")[1], "text"))
    dated = {f"claim-{c['id']}": str(c["date"]) for c in data if "date" in c}
    assert {i for i, d in dated.items() if d.startswith("2024-06")} <= june
    assert not {i for i, d in dated.items() if d[:4] in ("2021", "2022", "2023")} & june


def test_problems_are_checks_each_linked_to_its_record(
    tmp_path: Path, serving: list[Server]
) -> None:
    ws = make_workspace(tmp_path, "quote-not-found")
    run = briefgen("check", str(ws), cwd=ws.parent)
    assert run.code == 1
    # every problem line: file:line: key: message (not the count line that ends it)
    expected = [line for line in run.err.splitlines() if line.split(":")[0].endswith(".yaml")]
    expected = [line for line in expected if " error" not in line.split(":")[0]]
    assert any("quote not found" in line for line in expected), run.err
    server = start(ws, cwd=ws.parent)
    serving.append(server)
    page = server.get("/problems")[1]
    listed = Links()
    listed.feed(page)
    problems = {text: href for href, text in listed.links if text and ": " in text}
    for line in expected:
        assert line in problems, (line, sorted(problems))
        if "claim '" in line:
            ident = line.split("claim '", 1)[1].split("'", 1)[0]
            assert problems[line] == f"/claim/{ident}"
            assert line in server.get(problems[line])[1].replace("&#39;", "'").replace("&#34;", '"')


class Links(html.parser.HTMLParser):
    """Collect each link's address and text."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []
        self.href: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.href = dict(attrs).get("href") or ""
            self.links.append((self.href, ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "a":
            self.href = None

    def handle_data(self, data: str) -> None:
        if self.href is not None:
            href, text = self.links[-1]
            self.links[-1] = (href, text + data)


def test_tabs_saving_at_once_lose_nothing(tmp_path: Path, serving: list[Server]) -> None:
    """Claims saved from several tabs at the same moment all reach the file, whose
    comments and records stay as they were."""
    import threading

    from briefgen.readers.texts import CapturedText

    ws = example(tmp_path)
    path = ws / "store" / "claims" / "military.yaml"
    before = path.read_text(encoding="utf-8")
    text = CapturedText.parse(
        (ws / "store" / "texts" / "svetlova-jst-2024.txt").read_text(encoding="utf-8")
    )
    server = start(ws)
    serving.append(server)
    claims = [
        {
            "id": f"tab-{n}",
            "text": f"Saved from tab {n}.",
            "source": "svetlova-jst-2024",
            "quote": " ".join(text.paragraphs[n].split()[:8]),
            "file": "military.yaml",
        }
        for n in range(6)
    ]
    answers: list[tuple[int, object]] = []
    threads = [
        threading.Thread(target=lambda c=c: answers.append(server.post("/api/claims", c)))
        for c in claims
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(a[0] for a in answers) == [200] * 6, answers
    after = path.read_text(encoding="utf-8")
    assert after.startswith(before)
    saved = {c["id"]: c for c in yaml.safe_load(after)}
    for claim in claims:
        assert saved[claim["id"]]["sources"][0]["quote"] == claim["quote"]
    run = briefgen("check", str(ws), cwd=ws.parent)
    assert "military.yaml" not in run.err, run.err


def test_a_claims_file_outside_store_claims_is_refused(
    tmp_path: Path, serving: list[Server]
) -> None:
    ws = example(tmp_path)
    server = start(ws)
    serving.append(server)
    quote = "Russian Muslims offered prayers for Raisi at Moscow’s main mosque"
    before = sorted(p for p in tmp_path.rglob("*") if p.is_file())
    for file in ("../../outside.yaml", "../sources.yaml", "/tmp/outside.yaml", "notes.txt"):
        status, answer = server.post(
            "/api/claims",
            {"source": "svetlova-jst-2024", "quote": quote, "text": "Out of place.", "file": file},
        )
        assert status == 422, (file, answer)
        assert isinstance(answer, dict) and answer["problems"], answer
    assert sorted(p for p in tmp_path.rglob("*") if p.is_file()) == before
