"""Hostile input, one test per row of docs/hostile-input.md: clear errors or correct memos."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from briefgen import yamlio
from briefgen.errors import Problems

from .conftest import briefgen, temp_folder

MARKUP = '<b>bold?</b> & <img src="/etc/passwd"/> <a href="javascript:alert(1)">x</a>'
CLAIMS = "store/claims/grain.yaml"


def _replace(ws: Path, name: str, old: str, new: str) -> None:
    path = ws / name
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def _claim_text(ws: Path, text: str) -> None:
    _replace(ws, CLAIMS, "text: Talks on the grain corridor stalled on 11 June 2024.",
             f"text: {text}")


def _pdf_text(path: Path) -> str:
    return " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(path).pages)


def _fails(ws: Path, expected: str, command: str = "check") -> None:
    run = briefgen(command, *(["--all"] if command == "build" else []), cwd=ws)
    assert run.code == 1, run.err
    assert expected in run.err, run.err
    assert "Traceback" not in run.err
    assert not (ws / "out").exists() or not any((ws / "out").glob("weekly.*"))


# --- text -----------------------------------------------------------------------------------

def test_markup_in_a_claim_prints_literally_everywhere(good: Path) -> None:
    _claim_text(good, f"'{MARKUP}'")
    run = briefgen("build", "--all", "-a", "analyst", cwd=good)
    assert run.code == 0, run.err
    assert MARKUP in _pdf_text(good / "out" / "weekly.analyst.pdf")
    document = zipfile.ZipFile(good / "out" / "weekly.analyst.docx").read("word/document.xml")
    assert "&lt;b&gt;bold?&lt;/b&gt; &amp; &lt;img src=" in document.decode()
    html = briefgen("build", "--all", "-a", "analyst", "-f", "html", cwd=good)
    assert html.code == 0
    page = (good / "out" / "weekly.analyst.html").read_text(encoding="utf-8")
    assert "&lt;img src=&quot;/etc/passwd&quot;/&gt;" in page and "<img" not in page


def test_template_code_in_a_claim_prints_as_written(good: Path) -> None:
    _claim_text(good, "'{{ 7*7 }} {% for x in y %} {{ cycler.__init__.__globals__ }}'")
    assert briefgen("build", "--all", "-a", "analyst", "-f", "pdf", cwd=good).code == 0
    text = _pdf_text(good / "out" / "weekly.analyst.pdf")
    assert "{{ 7*7 }} {% for x in y %} {{ cycler.__init__.__globals__ }}" in text


@pytest.mark.parametrize("escape, message", [
    ("\\a", "text: claim 'talks-stalled' holds U+0007"),
    ("\\x1b", "text: claim 'talks-stalled' holds U+001B"),
    ("\\uDC80", "YAML syntax error: found invalid Unicode character escape code"),  # lone surrogate
])
def test_characters_xml_cannot_hold_are_errors(good: Path, escape: str, message: str) -> None:
    _claim_text(good, f'"Talks {escape} stalled."')
    _fails(good, f"store/claims/grain.yaml:2: {message}")


def test_a_huge_word_and_a_huge_section_lay_out(good: Path) -> None:
    _claim_text(good, "x" * 5000)
    lines = [f"- id: bulk-{i}\n  text: Bulk claim number {i} about the grain corridor.\n"
             f"  sources: [doe-2024]\n  topics: [bulk]\n" for i in range(1500)]
    (good / "store" / "claims" / "bulk.yaml").write_text("".join(lines), encoding="utf-8")
    _replace(good, "weekly.yaml", "  - section: context", "  - section: context\n"
             "  - title: Everything\n    select: {topics: [bulk]}")
    run = briefgen("build", "--all", "-a", "analyst", cwd=good)
    assert run.code == 0, run.err
    assert len(PdfReader(good / "out" / "weekly.analyst.pdf").pages) > 30


# --- YAML -----------------------------------------------------------------------------------

def test_duplicate_keys_name_both_lines(good: Path) -> None:
    _replace(good, CLAIMS, "  topics: [trade]\n  confidence: high",
             "  topics: [trade]\n  confidence: high\n  topics: [grain]")
    _fails(good, "store/claims/grain.yaml:8: topics: duplicate key (first at line 6)")


def test_an_alias_bomb_is_refused_fast(good: Path) -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n"
        for i in range(9))
    (good / "store" / "claims" / "bomb.yaml").write_text(bomb, encoding="utf-8")
    started = time.perf_counter()
    _fails(good, "store/claims/bomb.yaml:1: document expands to more than 1,000,000 values")
    print(f"alias bomb refused in {time.perf_counter() - started:.2f} s (whole CLI run)")


def test_yaml_1_1_booleans_stay_ids(good: Path) -> None:
    _replace(good, CLAIMS, "- id: talks-stalled", "- id: no")
    _replace(good, "weekly.yaml", "claims: [talks-stalled]", "claims: [no]")
    assert briefgen("build", "--all", "-f", "json", cwd=good).code == 0
    assert '"claim_id": "no"' in (good / "out" / "weekly.analyst.json").read_text()


def test_leading_zero_numbers_stay_text(good: Path) -> None:
    _replace(good, "store/sources.yaml", "  reliability: B", "  reliability: B\n  volume: 007")
    assert briefgen("build", "--all", "-f", "json", cwd=good).code == 0


def test_an_impossible_date_is_an_error_with_its_line(good: Path) -> None:
    _replace(good, "store/sources.yaml", "issued: 2024-06-12", "issued: 2024-02-30")
    _fails(good, "store/sources.yaml:6: issued: 2024-02-30 is not a real date")


@pytest.mark.parametrize("data, message", [
    (b"- id: x\n  text: caf\xe9\n", "store/claims/grain.yaml:2: file is not UTF-8 text; save it "
                                    "as UTF-8"),
    ("\ufeff- id: x\n".encode("utf-16"), "store/claims/grain.yaml:1: file is UTF-16"),
    (b"- id: x\n\ttext: tabbed\n", "store/claims/grain.yaml:2: YAML syntax error: a tab; YAML "
                                   "is indented with spaces only"),
])
def test_encodings_and_tabs_get_clear_errors(good: Path, data: bytes, message: str) -> None:
    (good / CLAIMS).write_bytes(data)
    _fails(good, message)


def test_a_bom_is_a_warning_and_an_empty_file_too(good: Path) -> None:
    path = good / CLAIMS
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    (good / "store" / "claims" / "empty.yaml").write_text("# nothing yet\n", encoding="utf-8")
    run = briefgen("check", cwd=good)
    assert run.code == 0
    assert "store/claims/grain.yaml:1: warning: file starts with a byte order mark" in run.err
    assert "store/claims/empty.yaml: warning: file is empty" in run.err


def test_an_empty_brief_is_an_error(good: Path) -> None:
    (good / "weekly.yaml").write_text("\n", encoding="utf-8")
    _fails(good, "weekly.yaml: warning: file is empty")


def test_file_size_is_capped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yamlio, "MAX_FILE_BYTES", 100)
    path = tmp_path / "big.yaml"
    path.write_text("a: " + "x" * 200 + "\n", encoding="utf-8")
    problems = Problems()
    assert yamlio.load_file(path, problems) is None
    assert [p.message for p in problems.items] == ["file is 204 bytes; the limit is 100"]


def test_deep_nesting_is_an_error(good: Path) -> None:
    (good / "store" / "claims" / "deep.yaml").write_text("[" * 5000 + "]" * 5000 + "\n")
    _fails(good, "store/claims/deep.yaml")


# --- templates ------------------------------------------------------------------------------

def _template(ws: Path, text: str) -> None:
    (ws / "templates").mkdir(exist_ok=True)
    (ws / "templates" / "evil.j2").write_text(text, encoding="utf-8")
    _replace(ws, "audiences.yaml", "  template: policy-memo", "  template: evil")


@pytest.mark.parametrize("text, message", [
    ("{{ cycler.__init__.__globals__.os }}\n", "not allowed: access to attribute '__init__'"),
    ("{{ ''.__class__.__mro__[1].__subclasses__() }}\n", "not allowed: access to attribute"),
    ("{{ memo.titel }}\n", "templates/evil.j2:1: template: 'dict object' has no attribute"),
    ("{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}\n",
     "templates/evil.j2: template: output is larger than 2,000,000 characters"),
])
def test_hostile_templates_are_refused(good: Path, text: str, message: str) -> None:
    _template(good, text)
    _fails(good, message)


def test_a_template_linking_out_of_the_workspace_is_refused(good: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside.j2"
    outside.write_text("{{ memo.title }}\n", encoding="utf-8")
    (good / "templates").mkdir()
    (good / "templates" / "evil.j2").symlink_to(outside)
    _replace(good, "audiences.yaml", "  template: policy-memo", "  template: evil")
    _fails(good, "leads out of the workspace's templates/ folder")


# --- what only laying the memos out finds ---------------------------------------------------

def _temp_files() -> set[Path]:
    return set(temp_folder().rglob("*"))


def _overflow_principal(ws: Path) -> None:
    """Give the one-page principal memo far more claims than one page holds."""
    lines = [f"- id: bulk-{i}\n  text: Bulk claim number {i} about the grain corridor, which "
             "runs to two full lines of text in the memo.\n  sources: [doe-2024]\n"
             "  topics: [bulk]\n" for i in range(60)]
    (ws / "store" / "claims" / "bulk.yaml").write_text("".join(lines), encoding="utf-8")
    _replace(ws, "weekly.yaml", "  - section: context", "  - section: context\n"
             "  - title: Everything\n    select: {topics: [bulk]}")
    _replace(ws, "audiences.yaml", "  max-claims: 1\n", "")


def test_check_finds_a_memo_over_max_pages(good: Path) -> None:
    _overflow_principal(good)
    before = _temp_files()
    run = briefgen("check", cwd=good)
    assert run.code == 1 and "Traceback" not in run.err
    expected = (r"audiences\.yaml:6: principal\.max-pages: weekly\.principal\.pdf is \d+ "
                r"pages, \d+ more than max-pages 1 allows \((about \d+ lines|\d+ pages) too "
                r"long\); cut claims \(it holds 6\d in 4 sections")
    assert re.search(expected, run.err), run.err
    assert "1 error," in run.err
    assert not (good / "out").exists()  # check writes nothing to out/ ...
    assert _temp_files() == before  # ... and leaves no temporary files
    build = briefgen("build", "--all", cwd=good)  # the build fails on the same line
    assert build.code == 1
    assert [line for line in build.err.splitlines() if "max-pages:" in line] == [
        line for line in run.err.splitlines() if "max-pages:" in line]
    assert not any((good / "out").glob("weekly.*"))


def test_check_writes_nothing_and_leaves_no_temporary_files(good: Path) -> None:
    assert briefgen("build", "--all", cwd=good).code == 0
    out = good / "out"
    before = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in out.rglob("*") if p.is_file()}
    temp = _temp_files()
    run = briefgen("check", cwd=good)
    assert run.code == 0, run.err
    assert {p: (p.stat().st_mtime_ns, p.read_bytes())
            for p in out.rglob("*") if p.is_file()} == before
    assert _temp_files() == temp


def test_a_writer_failure_is_reported_by_check(good: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """A writer's bug is an error naming the brief, audience and format, with the
    exception's text, from check (in this process or its writer processes) and build."""
    from briefgen import writers
    from briefgen.build import build, check_workspace, trial_build
    from briefgen.errors import BriefgenError

    real = writers.writer

    def writer(fmt: str):
        if fmt != "docx":
            return real(fmt)

        def fail(memo: object, path: Path) -> None:
            raise ValueError("a table wider than the page")
        return fail

    monkeypatch.setattr(writers, "writer", writer)
    monkeypatch.chdir(good)
    before = _temp_files()
    for cores in (1, 2):  # written here, and by forked writer processes
        monkeypatch.setattr(os, "cpu_count", lambda n=cores: n)
        checked = check_workspace(good)
        trial_build(checked)
        assert [str(p) for p in checked.ws.problems.errors] == [
            f"weekly.yaml:6: audiences[{i}]: the {name} memo as DOCX: could not write "
            f"weekly.{name}.docx: ValueError: a table wider than the page (please report "
            "this as a briefgen bug)" for i, name in enumerate(["principal", "analyst"])]
    assert not (good / "out").exists()
    assert _temp_files() == before
    with pytest.raises(BriefgenError, match="could not write weekly.principal.docx: "
                                            "ValueError: a table wider than the page"):
        build(check_workspace(good), jobs=1)
    assert not any((good / "out").glob("weekly.*"))


# --- paths ----------------------------------------------------------------------------------

@pytest.mark.parametrize("value, message", [
    ("../../../../etc/passwd", "store/sources.yaml:7: text: '../../../../etc/passwd' leaves the "
                               "store folder; give a path inside store/"),
    ("/etc/passwd", "store/sources.yaml:7: text: '/etc/passwd' leaves the store folder"),
])
def test_texts_outside_the_store_are_refused(good: Path, value: str, message: str) -> None:
    _replace(good, "store/sources.yaml", "text: texts/doe-2024.txt", f"text: {value}")
    _fails(good, message)


def test_a_symlink_leading_out_is_refused(good: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("Talks on the grain corridor stalled on Tuesday.\n", encoding="utf-8")
    (good / "store" / "texts" / "link.txt").symlink_to(secret)
    _replace(good, "store/sources.yaml", "text: texts/doe-2024.txt", "text: texts/link.txt")
    _fails(good, "store/sources.yaml:7: text: 'texts/link.txt' leaves the store folder")


# --- output ---------------------------------------------------------------------------------

def _valid(out: Path) -> None:
    for pdf in out.glob("weekly.*.pdf"):
        assert len(PdfReader(pdf).pages) >= 1
    for docx in out.glob("weekly.*.docx"):
        with zipfile.ZipFile(docx) as archive:
            assert archive.testzip() is None


def test_a_killed_build_leaves_the_old_memos_whole_and_no_debris(good: Path) -> None:
    assert briefgen("build", "--all", cwd=good).code == 0
    before = {p.name: p.read_bytes() for p in (good / "out").glob("weekly.*")}
    _claim_text(good, "Talks on the grain corridor stalled again on 11 June 2024.")
    for delay in (0.3, 0.8, 1.4, 2.0):
        proc = subprocess.Popen([sys.executable, "-m", "briefgen", "build", "--all", "--force"],
                                cwd=good, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                start_new_session=True)
        time.sleep(delay)
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        for name, data in before.items():
            now = (good / "out" / name).read_bytes()
            assert now == data or name.endswith((".pdf", ".docx"))
        _valid(good / "out")
    assert briefgen("build", "--all", cwd=good).code == 0
    debris = [p.name for p in (good / "out").rglob("*")
              if p.name.startswith(".briefgen-") or p.name.endswith(".tmp")]
    assert debris == []
    _valid(good / "out")
    # what the killed builds left in the temporary folder, the next build removed
    assert list(temp_folder().glob("briefgen-cite-*")) == []


def test_a_terminated_build_stops_cleanly(good: Path) -> None:
    """SIGTERM (a cancelled CI job, `timeout`) unwinds the build as Ctrl-C does."""
    proc = subprocess.Popen([sys.executable, "-m", "briefgen", "build", "--all", "--force"],
                            cwd=good, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True)
    deadline = time.time() + 30
    while (time.time() < deadline and proc.poll() is None
           and not list(temp_folder().glob(f"briefgen-cite-{proc.pid}-*"))):
        time.sleep(0.01)
    helpers = _children(proc.pid)
    proc.terminate()
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 128 + signal.SIGTERM, err
    assert err.strip() == "briefgen: terminated"
    assert list(temp_folder().glob(f"briefgen-cite-{proc.pid}-*")) == []
    assert [p.name for p in (good / "out").glob(".briefgen-*")] == []
    deadline = time.time() + 10
    while time.time() < deadline and any(_alive(pid) for pid in helpers):
        time.sleep(0.05)
    assert not [pid for pid in helpers if _alive(pid)]


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="reads /proc")
def test_a_killed_build_leaves_no_helper_processes(good: Path) -> None:
    """The writer processes and pandoc stop by themselves when the build dies."""
    proc = subprocess.Popen([sys.executable, "-m", "briefgen", "build", "--all", "--force"],
                            cwd=good, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    helpers: set[int] = set()
    deadline = time.time() + 30
    while len(helpers) < 3 and time.time() < deadline and proc.poll() is None:
        helpers |= _children(proc.pid)  # two writer processes and pandoc
        time.sleep(0.01)
    assert len(helpers) >= 3, helpers
    proc.kill()  # the build process alone, as the kernel's OOM killer would
    proc.wait()
    deadline = time.time() + 10
    while time.time() < deadline and any(_alive(pid) for pid in helpers):
        time.sleep(0.05)
    assert not [pid for pid in helpers if _alive(pid)]


def _children(pid: int) -> set[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return set()
    return {int(p) for p in text.split()}


def _alive(pid: int) -> bool:
    """Whether a process runs (a zombie waiting for its new parent to reap it does not)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return False
    return fields[0] != "Z"


# Run the command line with writes to some files going to /dev/full, where every write
# fails with ENOSPC, as on a full disk: a temporary file of write_atomic's whose name starts
# with FULL (the state file, the no-op record, the store cache), or the outputs in format
# FULL (".pdf"), each written by the real writer, into /dev/full.
FULL_DISK = """
import os, sys, tempfile
from pathlib import Path
FULL = os.environ["FULL"]
real_mkstemp = tempfile.mkstemp
def mkstemp(suffix=None, prefix=None, dir=None, text=False):
    fd, name = real_mkstemp(suffix, prefix, dir, text)
    if prefix and prefix.startswith(FULL):
        full = os.open("/dev/full", os.O_WRONLY)
        os.dup2(full, fd)
        os.close(full)
    return fd, name
tempfile.mkstemp = mkstemp
import briefgen.writers as writers
real_writer = writers.writer
def writer(fmt):
    write = real_writer(fmt)
    return write if FULL != "." + fmt else lambda memo, path: write(memo, Path("/dev/full"))
writers.writer = writer
from briefgen.cli import main
main(sys.argv[1:], prog_name="briefgen")
"""


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("full, message", [
    (".pdf", "weekly.principal.pdf"),
    (".docx", "weekly.principal.docx"),
    (".state.json.", "out/.briefgen/state.json"),
    (".quick.json.", "out/.briefgen/quick.json"),
    (".store-", None),  # the store cache is only skipped: it costs time, not memos
])
def test_a_full_disk_is_said_as_such(good: Path, full: str, message: str | None) -> None:
    done = subprocess.run([sys.executable, "-c", FULL_DISK, "build", "--all", "-j", "1"],
                          cwd=good, capture_output=True, text=True, timeout=300, check=False,
                          env={**os.environ, "FULL": full})
    assert "Traceback" not in done.stderr and "bug" not in done.stderr, done.stderr
    if message is None:
        assert done.returncode == 0, done.stderr
        assert not list((good / ".briefgen").rglob("*.tmp"))
        return
    assert done.returncode == 1
    assert done.stderr.splitlines()[-1] == (
        f"briefgen: error: no space left on device while writing {message}")
    assert not list((good / "out").rglob("*.tmp")) and not list((good / "out").glob(".briefgen-*"))


@pytest.mark.skipif(os.geteuid() != 0 or not sys.platform.startswith("linux"),
                    reason="mounts a tmpfs")
def test_a_full_disk_is_said_as_such_on_a_real_small_disk(good: Path, tmp_path: Path) -> None:
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(disk)],
                             capture_output=True, check=False)
    if mounted.returncode:
        pytest.skip("cannot mount a tmpfs here")
    try:
        run = briefgen("build", "--all", "--out", str(disk / "out"), cwd=good)
        assert run.code == 1 and "Traceback" not in run.err and "bug" not in run.err
        assert re.fullmatch(r"briefgen: error: no space left on device while writing "
                            r"weekly\.\w+\.(pdf|docx)", run.err.splitlines()[-1]), run.err
        assert [p.name for p in (disk / "out").iterdir()] == [".briefgen"]
    finally:
        subprocess.run(["umount", str(disk)], check=True)


def test_three_concurrent_builds_give_whole_identical_files(good: Path) -> None:
    procs = [subprocess.Popen([sys.executable, "-m", "briefgen", "build", "--all", "--force"],
                              cwd=good, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(3)]
    results = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0], results
    _valid(good / "out")
    first = {p.name: p.read_bytes() for p in (good / "out").glob("weekly.*")}
    assert briefgen("build", "--all", "--force", cwd=good).code == 0
    assert first == {p.name: p.read_bytes() for p in (good / "out").glob("weekly.*")}
