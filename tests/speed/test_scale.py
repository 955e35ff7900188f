"""Large stores: claim files read by several processes, the store index cache and the
cache of each claim file's reads.

Both only change how fast a store loads, never what it holds: each test compares the
fast path with the plain one on the same files.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefgen.build.memos import check_workspace
from briefgen.check.store import load_checked
from briefgen.dates import PartialDate
from briefgen.readers import workspace
from briefgen.readers.fields import dump
from briefgen.speed import cache, parallel

from ..conftest import EXAMPLE

CLAIM = """- id: {ident}
  text: Claim number {n} on the grain corridor.
  sources:
    - source: doe-2024
      quote: "Talks on the grain corridor stalled on Tuesday"
  topics: [trade]
  confidence: high
"""


def _many_files(ws: Path, files: int = 6, per_file: int = 40) -> None:
    """Add claim files, with a duplicate id across two of them and two broken claims."""
    claims = ws / "store" / "claims"
    for f in range(files):
        text = "".join(CLAIM.format(ident=f"c-{f}-{n}", n=n) for n in range(per_file))
        if f == 3:
            text += CLAIM.format(ident="c-0-1", n=99)  # the same id as in the first file
            text += "- id: broken-one\n  text: no sources\n"
            text = text.replace("  confidence: high\n", "  confidence: high\n  colour: red\n", 1)
        if f == 4:  # a quote its source does not hold
            text = text.replace("stalled on Tuesday", "stalled on Monday", 1)
        if f == 5:
            text += "- text: a claim without an id\n  sources: []\n"
        (claims / f"batch-{f}.yaml").write_text(text, encoding="utf-8")


def _snapshot(ws: workspace.Workspace) -> tuple:
    return (
        list(ws.claims),
        [dump(c) for c in ws.claims.values()],
        sorted(ws.problems.items, key=repr),
        {k: sorted(v) for k, v in ws.broken.items()},
        sorted(ws.incomplete),
        ws.locators,
        sorted(ws.proper_nouns()),
        {k: (v.path, v.loc) for k, v in ws.where.items() if k[0] == "claim"},
    )


def _pools(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Record the size of every reader pool started."""
    started: list[int] = []
    real = parallel.forked_pool
    monkeypatch.setattr(
        parallel,
        "forked_pool",
        lambda n, *a: started.append(n) or real(n, *a),  # type: ignore[func-returns-value]
    )
    return started


def _readers(monkeypatch: pytest.MonkeyPatch, log: Path) -> None:
    """Have every read of a claim file append its process id to `log`."""
    real = workspace._read_list

    def logged(path: Path, *args: object, **kwargs: object) -> workspace.ListRead:
        with open(log, "a", encoding="utf-8") as handle:
            handle.write(f"{os.getpid()} {path.name}\n")
        return real(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(workspace, "_read_list", logged)


def test_reading_in_several_processes_gives_the_same_store(
    good: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _many_files(good)
    plain = load_checked(good)
    monkeypatch.setattr(parallel, "PARALLEL_FROM_BYTES", 0)
    monkeypatch.setattr(parallel.os, "cpu_count", lambda: 3)
    started = _pools(monkeypatch)
    log = tmp_path / "reads.log"
    _readers(monkeypatch, log)
    several = load_checked(good)
    assert started == [2]  # three at work: two reader processes and this one
    readers = {line.split()[0] for line in log.read_text(encoding="utf-8").splitlines()}
    assert str(os.getpid()) in readers and len(readers) >= 2
    assert _snapshot(several) == _snapshot(plain)
    assert len(plain.claims) > 200
    messages = [p.message for p in plain.problems.items]
    assert any("duplicate claim id 'c-0-1'" in m for m in messages)
    assert any("unknown key 'colour'" in m for m in messages)
    assert "broken-one" in plain.broken["claim"]
    assert any("quote not found" in m for m in messages)  # checked in a reader process
    assert len(plain.locators) > 200
    plain_load = workspace.load(good)  # no checks ran: the claims' names are read later
    assert plain_load.proper_nouns() == plain.proper_nouns()


FILED = """- id: filed-1
  text: A claim that lists its topic twice and contradicts two others.
  sources: [doe-2024]
  topics: [energy, energy]
  contradicts: [c-1-2, talks-stalled]
  date: 2024-03
  origin: exchange data
  confidence: low
"""


@pytest.mark.parametrize("duplicate", [False, True])
def test_the_claim_checks_file_each_claim_in_the_store_indexes(
    good: Path, monkeypatch: pytest.MonkeyPatch, duplicate: bool
) -> None:
    """The indexes the claim checks fill as claims are read, in reader processes too,
    are the ones the workspace would build from its claims; a store with a duplicate id
    (its second claim is left out) has them built from its claims."""
    claims = good / "store" / "claims"
    for f in range(4):
        text = "".join(CLAIM.format(ident=f"c-{f}-{n}", n=n) for n in range(30))
        (claims / f"batch-{f}.yaml").write_text(
            text + FILED.replace("filed-1", f"filed-{f}") + (FILED if duplicate else ""),
            encoding="utf-8",
        )
    monkeypatch.setattr(parallel, "PARALLEL_FROM_BYTES", 0)
    monkeypatch.setattr(parallel.os, "cpu_count", lambda: 3)
    built: list[str] = []
    real = workspace.Workspace._claims_by
    monkeypatch.setattr(
        workspace.Workspace, "_claims_by", lambda self, key: built.append(key) or real(self, key)
    )
    ws = load_checked(good)
    assert built == (["contradicts", "topics"] if duplicate else [])
    indexes = ws.topic_index(), ws.contradicted_by(), ws.select_facts()
    ws._topics = ws._reverse = ws._facts = None
    again = ws.topic_index(), ws.contradicted_by(), ws.select_facts()
    for filed, made in zip(indexes, again, strict=True):
        assert list(filed.items()) == list(made.items())
    topics, reverse, facts = indexes
    assert topics["energy"][:2] == ["filed-0", "filed-0"]
    assert reverse["talks-stalled"][:2] == ["filed-0", "filed-1"]
    assert facts["filed-2"] == ("low", True, PartialDate(2024, 3))
    assert facts["c-0-0"] == ("high", False, PartialDate(2024, 6, 12))  # its source's date


def test_a_read_that_fails_in_a_reader_process_is_read_again_here(
    good: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Nothing a reader sends arrives (every read fails there): each file it took is
    read here, and the store is the same."""
    _many_files(good)
    plain = load_checked(good)
    monkeypatch.setattr(parallel, "PARALLEL_FROM_BYTES", 0)
    monkeypatch.setattr(parallel.os, "cpu_count", lambda: 3)
    parent, real = os.getpid(), workspace._read_list
    here: list[Path] = []

    def failing_there(path: Path, *args: object, **kwargs: object) -> workspace.ListRead:
        if os.getpid() != parent:
            raise MemoryError("no room for the reads")
        here.append(path)
        return real(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(workspace, "_read_list", failing_there)
    assert _snapshot(load_checked(good)) == _snapshot(plain)
    claim_files = sorted((good / "store" / "claims").glob("*.yaml"))
    assert sorted(p for p in here if p in claim_files) == claim_files


def test_a_reader_process_that_dies_midway_is_read_again_here(
    good: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A reader that has sent some files' reads and then dies (out of memory, killed)
    while reading another: what it sent is used, the file it held is read here, and the
    store is the same."""
    import time

    _many_files(good, files=12)
    plain = load_checked(good)
    monkeypatch.setattr(parallel, "PARALLEL_FROM_BYTES", 0)
    parent, real = os.getpid(), workspace._read_list
    taken: list[Path] = []  # by the reader: known here only through the files it leaves
    here: list[str] = []

    def dying(path: Path, *args: object, **kwargs: object) -> workspace.ListRead:
        if os.getpid() == parent:
            here.append(path.name)
            time.sleep(0.05)  # slow here, so that the reader takes several files
        else:
            taken.append(path)
            if len(taken) == 3:
                (good / "died-on").write_text(path.name, encoding="utf-8")
                os._exit(9)
        return real(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(workspace, "_read_list", dying)
    monkeypatch.setattr(parallel.os, "cpu_count", lambda: 2)
    assert _snapshot(load_checked(good)) == _snapshot(plain)
    died_on = (good / "died-on").read_text(encoding="utf-8")
    assert died_on in here  # the file the reader held was read here
    claim_files = [p.name for p in (good / "store" / "claims").glob("batch-*.yaml")]
    assert len([n for n in here if n in claim_files]) < len(claim_files)  # the rest it sent


def test_without_fork_the_claim_files_are_all_read_here(
    good: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where there is no fork (Windows), this process reads every file itself."""
    _many_files(good)
    plain = load_checked(good)
    monkeypatch.setattr(parallel, "PARALLEL_FROM_BYTES", 0)
    monkeypatch.setattr(parallel.os, "cpu_count", lambda: 3)
    monkeypatch.delattr(parallel.os, "fork")
    log = tmp_path / "reads.log"
    _readers(monkeypatch, log)
    assert _snapshot(load_checked(good)) == _snapshot(plain)
    readers = {line.split()[0] for line in log.read_text(encoding="utf-8").splitlines()}
    assert readers == {str(os.getpid())}


def test_the_store_cache_is_used_until_a_file_changes(good: Path) -> None:
    first = check_workspace(good)
    cached = list((good / cache.FOLDER).glob("store-*.msgpack"))
    assert len(cached) == 1
    again = check_workspace(good)
    assert _snapshot(again.ws) == _snapshot(first.ws)
    path = good / "store" / "claims" / "grain.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "Talks on the grain corridor stalled on 11 June 2024.",
            "Talks on the grain corridor stalled again on 11 June 2024.",
        ),
        encoding="utf-8",
    )
    edited = check_workspace(good)
    assert edited.ws.claims["talks-stalled"].text.startswith(
        "Talks on the grain corridor stalled again"
    )
    assert [p.name for p in (good / cache.FOLDER).glob("store-*.msgpack")] != [cached[0].name]


# damaged bytes, a cache of briefgen when it kept pickles, and a foreign layout
DAMAGED = [b"\x80\x05 damaged", b"\x80\x05cbriefgen.records\nClaim\n.", b"\x93\x01\x02\x03"]


class _Planted:
    """What an attacker pickles: unpickling it writes a file (os.system would do worse)."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, ...]:
        return (Path.write_text, (self.marker, "ran"))


@pytest.mark.usefixtures("_kept_per_file")
@pytest.mark.parametrize("where", ["store", "claim-files"])
@pytest.mark.parametrize("sealed", [False, True])
def test_a_planted_cache_file_runs_no_code(
    good: Path, tmp_path: Path, where: str, sealed: bool
) -> None:
    """A workspace from a zip file or a shared drive may hold any .briefgen/cache/: a
    pickle planted there under the name the next run looks for, even one carrying this
    user's seal, is only data that fails to decode, and the store is read as if it were
    not there (and its cache written again)."""
    import pickle

    first = check_workspace(good)
    marker = tmp_path / "ran"
    planted = pickle.dumps(_Planted(marker))
    if sealed:
        planted = cache._sealed(planted) or b""
    entries = sorted((good / cache.FOLDER).rglob("*.msgpack"))
    chosen = [p for p in entries if (p.parent.name == "claim-files") == (where == "claim-files")]
    assert chosen, entries
    for path in chosen:
        path.write_bytes(planted)
    if where == "claim-files":  # so that they are looked at
        for path in (good / cache.FOLDER).glob("store-*.msgpack"):
            path.unlink()
    again = check_workspace(good)
    assert not marker.exists()
    assert _snapshot(again.ws) == _snapshot(first.ws)
    assert all(path.read_bytes() != planted for path in chosen)  # rebuilt


@pytest.mark.parametrize("kept", DAMAGED)
@pytest.mark.parametrize("sealed", [False, True])
def test_a_damaged_store_cache_is_ignored(good: Path, kept: bytes, sealed: bool) -> None:
    first = check_workspace(good)
    for path in (good / cache.FOLDER).glob("store-*.msgpack"):
        path.write_bytes((cache._sealed(kept) or b"") if sealed else kept)
    assert _snapshot(check_workspace(good).ws) == _snapshot(first.ws)


@given(cut=st.floats(0, 1, exclude_max=True))
@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_a_truncated_or_foreign_entry_is_a_miss(good: Path, cut: float) -> None:
    """Cut anywhere, sealed again or not, an entry is never read as a store: the seal
    fails, or decoding does, and the store is read from its files."""
    check_workspace(good)
    [path] = (good / cache.FOLDER).glob("store-*.msgpack")
    whole = path.read_bytes()
    body = whole[len(cache.SEAL) + cache.SEAL_BYTES :]
    short = body[: int(len(body) * cut)]
    key = cache.digest(good).key
    for planted in (whole[: int(len(whole) * cut)], cache._sealed(short) or b""):
        path.write_bytes(planted)
        assert cache.load_cached(good, key) is None
    path.write_bytes(whole)
    assert cache.load_cached(good, key) is not None


def test_every_kept_store_decodes_to_the_store_read(good: Path) -> None:
    """The kept store is the read store, field for field: every record (unknown keys
    included), where each was read, texts, locators, problems and the indexes."""
    from briefgen.speed import stored

    _many_files(good)  # one claim has an unknown key, "colour"
    for root in (good, EXAMPLE):
        ws = load_checked(root)
        ws.select_facts()
        ws.topic_index()
        named, again = stored.decode_store(stored.encode_store(ws, {"logo.png": "v1"}))
        assert named == {"logo.png": "v1"}
        assert _snapshot(again) == _snapshot(ws)
        assert [dump(c) for c in again.claims.values()] == [dump(c) for c in ws.claims.values()]
        assert [dump(s) for s in again.sources.values()] == [dump(s) for s in ws.sources.values()]
        assert any(c.extra for c in again.claims.values()) or root == EXAMPLE
        assert {k: (w.path, w.loc) for k, w in again.where.items()} == {
            k: (w.path, w.loc) for k, w in ws.where.items()
        }
        assert again.problems.items == ws.problems.items
        assert again.select_facts() == ws.select_facts()
        assert again.topic_index() == ws.topic_index()
        assert again.locators == ws.locators
        assert {i: t.paragraphs for i, t in again.texts.items()} == {
            i: t.paragraphs for i, t in ws.texts.items()
        }


@pytest.fixture
def _kept_per_file(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep claim files' reads however small the store (the fixtures' are tiny)."""
    monkeypatch.setattr(cache, "PER_FILE_FROM_BYTES", 0)


def _claim_files_read(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record the claim files read (not taken from the cache) from now on."""
    names: list[str] = []
    real = workspace._read_list

    def counting(path: Path, *args: object, **kwargs: object) -> workspace.ListRead:
        if path.parent.name == "claims":
            names.append(path.name)
        return real(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(workspace, "_read_list", counting)
    return names


@pytest.mark.usefixtures("_kept_per_file")
def test_after_an_edit_only_the_edited_claim_file_is_read_again(
    good: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _many_files(good)
    check_workspace(good)  # reads every file, keeps each file's reads
    path = good / "store" / "claims" / "batch-2.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("Claim number 7 on", "Claim number seven on"),
        encoding="utf-8",
    )
    read = _claim_files_read(monkeypatch)
    edited = check_workspace(good)
    assert read == ["batch-2.yaml"]
    assert edited.ws.claims["c-2-7"].text == "Claim number seven on the grain corridor."
    assert _snapshot(edited.ws) == _snapshot(load_checked(good))  # as if read afresh
    # the duplicate id, the broken claim and the wrong quote are still reported
    assert len(edited.ws.problems.errors) == len(load_checked(good).problems.errors) >= 4


@pytest.mark.usefixtures("_kept_per_file")
def test_a_changed_source_text_checks_every_claim_file_again(
    good: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _many_files(good)
    before = check_workspace(good)
    assert not any("c-0-5" in p.message for p in before.ws.problems.errors)
    text = good / "store" / "texts" / "doe-2024.txt"
    text.write_text(
        text.read_text(encoding="utf-8").replace("stalled on Tuesday", "stalled on Wednesday"),
        encoding="utf-8",
    )
    read = _claim_files_read(monkeypatch)
    after = check_workspace(good)
    assert sorted(read) == sorted(p.name for p in (good / "store" / "claims").glob("*.yaml"))
    assert any("claim 'c-0-5': quote not found" in p.message for p in after.ws.problems.errors)
    assert _snapshot(after.ws) == _snapshot(load_checked(good))


@pytest.mark.usefixtures("_kept_per_file")
@pytest.mark.parametrize("kept", DAMAGED)
def test_damaged_claim_file_entries_are_read_again(
    good: Path, monkeypatch: pytest.MonkeyPatch, kept: bytes
) -> None:
    _many_files(good)
    check_workspace(good)
    for entry in (good / cache.FOLDER / "claim-files").glob("*.msgpack"):
        entry.write_bytes(kept)
    for entry in (good / cache.FOLDER).glob("store-*.msgpack"):
        entry.unlink()
    read = _claim_files_read(monkeypatch)
    again = check_workspace(good)
    assert len(read) == 7  # the fixture's file and the six added
    assert _snapshot(again.ws) == _snapshot(load_checked(good))


@pytest.mark.usefixtures("_kept_per_file")
def test_a_moved_workspace_reads_its_own_files(good: Path, tmp_path: Path) -> None:
    """The cache holds its files' paths: a copy of the workspace must not report (or read)
    the original's."""
    check_workspace(good)
    copy = tmp_path / "copy"
    import shutil

    shutil.copytree(good, copy)
    assert list((copy / cache.FOLDER / "claim-files").glob("*.msgpack"))
    moved = check_workspace(copy)
    paths = {w.path for w in moved.ws.where.values()} | set(moved.ws.text_paths.values())
    assert paths and all(p.is_relative_to(copy) for p in paths)


def test_a_killed_cache_writer_leaves_no_lasting_debris(good: Path) -> None:
    """The temporary file of a cache writer killed mid-write goes with a later save; one
    young enough to belong to a writer still at work stays."""
    import os
    import time

    folder = good / cache.FOLDER
    (folder / "claim-files").mkdir(parents=True)
    dead = [folder / ".store-x.pickle.abc.tmp", folder / "claim-files" / ".y.pickle.d.tmp"]
    for path in dead:
        path.write_bytes(b"half a pickle")
        old = time.time() - cache.LEFTOVER_AFTER_S - 60
        os.utime(path, (old, old))
    busy = folder / ".store-z.pickle.efg.tmp"
    busy.write_bytes(b"being written")
    check_workspace(good)
    assert [p.exists() for p in dead] == [False, False]
    assert busy.exists()


# `briefgen check`, printing the modules its own process imported as it leaves (its writer
# processes, forked from it, import the writers: they leave by os._exit too, and say
# nothing)
CHECK_MODULES = """
import os, sys
parent, leave = os.getpid(), os._exit
def report(code):
    if os.getpid() == parent:
        sys.stderr.write("modules: " + " ".join(sorted(sys.modules)) + "\\n")
    leave(code)
os._exit = report
from briefgen.cli.commands import main
main(["check"], prog_name="briefgen")
"""


def _modules_of_check(ws: Path) -> set[str]:
    """Return the modules the process of `briefgen check` imports in `ws`."""
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-c", CHECK_MODULES],
        cwd=ws,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    listed = [line for line in done.stderr.splitlines() if line.startswith("modules: ")]
    assert len(listed) == 1, done.stderr
    modules = set(listed[0].split()[1:])
    assert "briefgen.readers.records" in modules  # the listing is real
    return modules


def test_plain_yaml_is_read_without_pyyaml(good: Path, tmp_path: Path) -> None:
    """Every file of the example workspace is in blockyaml's subset, flow mappings and
    all, so checking it never loads PyYAML; the fixture's claim file has a quote with
    escapes, which only libyaml reads."""
    import shutil

    shutil.copytree(EXAMPLE, tmp_path / "example", ignore=shutil.ignore_patterns("out"))
    example = _modules_of_check(tmp_path / "example")
    assert not {m for m in example if m.split(".")[0] == "yaml"}
    assert "briefgen.readers.libyaml" not in example
    assert {"yaml", "briefgen.readers.libyaml"} <= _modules_of_check(good)


def test_a_number_written_for_text_is_read_as_text(tmp_path: Path) -> None:
    """A claim whose text is a number makes msgspec refuse the whole record; read field
    by field, it is the text the user wrote, and nothing is reported."""
    import shutil

    example = tmp_path / "example"
    shutil.copytree(EXAMPLE, example, ignore=shutil.ignore_patterns("out"))
    claims = next((example / "store" / "claims").glob("*.yaml"))
    claims.write_text(
        claims.read_text(encoding="utf-8") + "\n- id: a-number\n  text: 2024\n"
        "  sources: [svetlova-jst-2024]\n",
        encoding="utf-8",
    )
    assert load_checked(example).claims["a-number"].text == "2024"


@pytest.mark.skipif(
    (os.cpu_count() or 1) < 2, reason="on one core, check lays the memos out in its own process"
)
def test_check_loads_no_writer(good: Path) -> None:
    """`check` imports reportlab and python-docx only in its writer processes, which load
    them while it reads the store."""
    modules = _modules_of_check(good)
    assert not {m for m in modules if m.split(".")[0] in ("reportlab", "docx")}


def test_packed_claims_unpack_equal_to_the_claims_packed(good: Path) -> None:
    """Every claim of the fixture store and of the example (origins, several sources,
    partial dates, unknown keys kept as extra) survives packing: fields and extra keys,
    and so does it pickled whole (as reader processes hand their reads back)."""
    import pickle

    from briefgen.speed.packed import pack, unpack

    _many_files(good)  # one claim has an unknown key, "colour"
    claims = [*load_checked(good).claims.values(), *load_checked(EXAMPLE).claims.values()]
    assert any(c.extra for c in claims) and any(c.origin for c in claims)
    assert any(len(c.sources) > 1 for c in claims)
    for claim in claims:
        for again in (unpack(pack(claim)), pickle.loads(pickle.dumps(claim))):
            assert again == claim
            assert type(again.sources[0]) is type(claim.sources[0])
            assert again.extra == claim.extra
            assert dump(again) == dump(claim)


def test_a_cached_store_unpacks_only_the_claims_a_memo_looks_at(good: Path) -> None:
    """Handed back pickled by reader processes, claims stay packed until asked for:
    selects test the store's facts, and a memo unpacks only the claims it places or
    leaves out."""
    import pickle

    from briefgen.build.memos import plan_jobs

    _many_files(good)
    plain = load_checked(good)
    checked = check_workspace(good, use_cache=False)
    ws = checked.ws = pickle.loads(pickle.dumps(checked.ws))
    assert all(type(item) is tuple for item in ws.claims._items.values())
    assert ws.select_facts() == {
        i: (c.confidence, bool(c.origin), ws.dated(c.date, c.sources))
        for i, c in plain.claims.items()
    }
    assert list(ws.claims.columns("topics")) == [(i, c.topics) for i, c in plain.claims.items()]
    looked_at: set[str] = set()
    for job in plan_jobs(checked, None, None):
        draft = job.plan.draft
        looked_at |= set(draft.placed).union(*draft.omitted.values())
    looked_at |= {other for i in looked_at for other in plain.claims[i].contradicts}
    looked_at |= {other for i in looked_at for other in ws.contradicted_by().get(i, [])}
    unpacked = {i for i, item in ws.claims._items.items() if type(item) is not tuple}
    assert unpacked and unpacked <= looked_at
    assert len(unpacked) < len(ws.claims) / 4


def test_no_field_that_can_hold_records_holds_tuples() -> None:
    """packed.py reads a tuple in such a field as a packed record: a schema change that
    put tuples there would unpack wrongly, so it fails here first."""
    from typing import get_args, get_origin, get_type_hints

    from briefgen.readers import records
    from briefgen.readers.fields import Record

    def holds_tuple(annotation: object) -> bool:
        return (
            annotation is tuple
            or get_origin(annotation) is tuple
            or any(holds_tuple(a) for a in get_args(annotation))
        )

    checked = 0
    for model in vars(records).values():
        if isinstance(model, type) and issubclass(model, Record) and model is not Record:
            hints = get_type_hints(model, include_extras=True)
            for name, _, _ in model.NESTED:
                assert not holds_tuple(hints[name]), (model, name)
                checked += 1
    assert checked >= 6


def test_a_store_without_problems_is_read_once(good: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A claim's lines are looked up only for a problem, since that reads its file again:
    a store whose quotes all check (several to a claim, some with locators) is read once."""
    claims = good / "store" / "claims" / "many.yaml"
    claims.write_text(
        "".join(
            f"- id: m-{n}\n  text: Claim {n}.\n  sources:\n"
            "    - source: doe-2024\n      quote: Wheat prices rose 4%\n"
            "    - source: doe-2024\n      quote: stalled on Tuesday\n      locator: para. 1\n"
            for n in range(50)
        ),
        encoding="utf-8",
    )
    reread: list[Path] = []
    real = workspace._reread
    monkeypatch.setattr(workspace, "_reread", lambda path: reread.append(path) or real(path))
    ws = load_checked(good)
    assert not ws.problems.errors, ws.problems.items
    assert reread == []
