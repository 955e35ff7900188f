"""Hostile input, one test per row of docs/hostile-input.md: clear errors or correct memos."""

from __future__ import annotations

import dataclasses
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from briefgen.errors import Problems
from briefgen.readers import yamlio
from briefgen.resolve import prose, sandbox

from .conftest import briefgen, temp_folder
from .sample_memo import sample_memo

EXAMPLES = int(os.environ.get("BRIEFGEN_EXAMPLES", "20"))
BOUNDED = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=EXAMPLES <= 100,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

MARKUP = '<b>bold?</b> & <img src="/etc/passwd"/> <a href="javascript:alert(1)">x</a>'
CLAIMS = "store/claims/grain.yaml"


def _replace(ws: Path, name: str, old: str, new: str) -> None:
    path = ws / name
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def _claim_text(ws: Path, text: str) -> None:
    _replace(
        ws, CLAIMS, "text: Talks on the grain corridor stalled on 11 June 2024.", f"text: {text}"
    )


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
    # as text, not an element (the HTML5 serialiser escapes < and > in text, not quotes)
    assert '&lt;img src="/etc/passwd"/&gt;' in page and "<img" not in page


def test_template_code_in_a_claim_prints_as_written(good: Path) -> None:
    _claim_text(good, "'{{ 7*7 }} {% for x in y %} {{ cycler.__init__.__globals__ }}'")
    assert briefgen("build", "--all", "-a", "analyst", "-f", "pdf", cwd=good).code == 0
    text = _pdf_text(good / "out" / "weekly.analyst.pdf")
    assert "{{ 7*7 }} {% for x in y %} {{ cycler.__init__.__globals__ }}" in text


@pytest.mark.parametrize(
    "escape, message",
    [
        ("\\a", "text: claim 'talks-stalled' holds U+0007"),
        ("\\x1b", "text: claim 'talks-stalled' holds U+001B"),
        # a lone surrogate
        ("\\uDC80", "text: YAML syntax error: found invalid Unicode character escape code"),
    ],
)
def test_characters_xml_cannot_hold_are_errors(good: Path, escape: str, message: str) -> None:
    _claim_text(good, f'"Talks {escape} stalled."')
    _fails(good, f"store/claims/grain.yaml:2: {message}")


def test_a_huge_word_and_a_huge_section_lay_out(good: Path) -> None:
    _claim_text(good, "x" * 5000)
    lines = [
        f"- id: bulk-{i}\n  text: Bulk claim number {i} about the grain corridor.\n"
        f"  sources: [doe-2024]\n  topics: [bulk]\n"
        for i in range(1500)
    ]
    (good / "store" / "claims" / "bulk.yaml").write_text("".join(lines), encoding="utf-8")
    _replace(
        good,
        "weekly.yaml",
        "  - section: context",
        "  - section: context\n  - title: Everything\n    select: {topics: [bulk]}",
    )
    run = briefgen("build", "--all", "-a", "analyst", cwd=good)
    assert run.code == 0, run.err
    assert len(PdfReader(good / "out" / "weekly.analyst.pdf").pages) > 30


# --- YAML -----------------------------------------------------------------------------------


def test_duplicate_keys_name_both_lines(good: Path) -> None:
    _replace(
        good,
        CLAIMS,
        "  topics: [trade]\n  confidence: high",
        "  topics: [trade]\n  confidence: high\n  topics: [grain]",
    )
    _fails(good, "store/claims/grain.yaml:8: topics: duplicate key (first at line 6)")


def test_an_alias_bomb_is_refused_fast(good: Path) -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n" for i in range(9)
    )
    (good / "store" / "claims" / "bomb.yaml").write_text(bomb, encoding="utf-8")
    started = time.perf_counter()
    _fails(good, "store/claims/bomb.yaml:1: document expands to more than 1,000,000 values")
    print(f"alias bomb refused in {time.perf_counter() - started:.2f} s (whole CLI run)")


def test_a_store_of_100000_claims_in_one_file_loads(tmp_path: Path) -> None:
    """Only what aliases expand to counts towards the limit: a claim file of 100,000
    claims, 1.5 million values, is no bomb."""
    path = tmp_path / "bulk.yaml"
    path.write_text(
        "".join(
            f"- id: c-{i}\n  text: Claim {i}.\n  sources: [doe-2024]\n  topics: [a, b, c, d, e]\n"
            for i in range(100_000)
        ),
        encoding="utf-8",
    )  # 1,500,000 values
    problems = Problems()
    started = time.perf_counter()
    claims = yamlio.load_file(path, problems)
    print(f"100,000 claims read in {time.perf_counter() - started:.2f} s")
    assert problems.items == []
    assert len(claims) == 100_000 and claims[-1]["id"] == "c-99999"


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


@pytest.mark.parametrize(
    "data, message",
    [
        (
            b"- id: x\n  text: caf\xe9\n",
            "store/claims/grain.yaml:2: file is not UTF-8 text; save it as UTF-8",
        ),
        ("\ufeff- id: x\n".encode("utf-16"), "store/claims/grain.yaml:1: file is UTF-16"),
        (
            b"- id: x\n\ttext: tabbed\n",
            "store/claims/grain.yaml:2: text: YAML syntax error: a tab; YAML "
            "is indented with spaces only",
        ),
    ],
)
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


DEEP = 10_000
DEEP_MESSAGE = "nested more than 100 levels deep (the limit)"


@pytest.mark.parametrize(
    "text, line",
    [
        ("[" * DEEP + "]" * DEEP + "\n", 1),
        ("{a: " * DEEP + "}" * DEEP + "\n", 1),
        ("".join(" " * i + "a:\n" for i in range(DEEP)), 1000),  # libyaml stops at 1,000
        (
            "- id: deep\n  text: x\n  x-deep:\n"
            + "".join(" " * (i + 4) + "a:\n" for i in range(150)),
            102,
        ),
        ("".join(" " * i + "-\n" for i in range(DEEP)), 1000),
    ],
)
def test_deep_nesting_is_an_error(good: Path, text: str, line: int) -> None:
    (good / "store" / "claims" / "deep.yaml").write_text(text, encoding="utf-8")
    _fails(good, f"store/claims/deep.yaml:{line}: ")
    _fails(good, DEEP_MESSAGE)


@st.composite
def _nested(draw: st.DrawFn) -> tuple[str, int]:
    """A document nested as deep as it has levels: block mappings and lists, then flow
    lists and mappings inside them."""
    shapes = draw(st.lists(st.sampled_from(["k:", "-", "[]", "{}"]), min_size=1, max_size=300))
    block = [s for s in shapes if s in ("k:", "-")]
    flow = "x"
    for shape in (s for s in shapes if s in ("[]", "{}")):
        flow = f"[{flow}]" if shape == "[]" else f"{{k: {flow}}}"
    lines = [" " * i + shape for i, shape in enumerate(block)] + [" " * len(block) + flow]
    return "\n".join(lines) + "\n", len(shapes)


@BOUNDED
@given(_nested())
def test_any_nesting_is_read_or_an_error_with_its_line(case: tuple[str, int]) -> None:
    """However a document nests, reading it gives values or a problem with a line, never
    a RecursionError: up to the limit it is read, beyond it refused."""
    text, depth = case
    problems = Problems()
    value = yamlio.load_text(text, "deep.yaml", problems)
    if depth <= yamlio.MAX_DEPTH:
        assert value is not None and not problems.errors, (text, problems.errors)
    else:
        assert problems.errors and all(
            p.line > 0 and "levels deep (the limit)" in p.message for p in problems.errors
        ), (text, problems.errors)


# --- templates ------------------------------------------------------------------------------


def _template(ws: Path, text: str) -> None:
    (ws / "templates").mkdir(exist_ok=True)
    (ws / "templates" / "evil.j2").write_text(text, encoding="utf-8")
    _replace(ws, "audiences.yaml", "  template: policy-memo", "  template: evil")


@pytest.mark.parametrize(
    "text, message",
    [
        ("{{ cycler.__init__.__globals__.os }}\n", "not allowed: access to attribute '__init__'"),
        ("{{ ''.__class__.__mro__[1].__subclasses__() }}\n", "not allowed: access to attribute"),
        ("{{ memo.titel }}\n", "templates/evil.j2:1: template: 'dict object' has no attribute"),
        (
            "{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}\n",
            "templates/evil.j2: template: output is larger than 2,000,000 characters",
        ),
    ],
)
def test_hostile_templates_are_refused(good: Path, text: str, message: str) -> None:
    _template(good, text)
    _fails(good, message)


RUNAWAY = "{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}"
SILENT = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"


def _section_prose(ws: Path, where: str, text: str) -> str:
    """Put `text` on the second line of a store section's prose or a brief's; return
    where the error is reported."""
    if where == "store":
        _replace(
            ws,
            "store/sections/context.yaml",
            '{{ claim("wheat-prices") }}\n',
            '{{ claim("wheat-prices") }}\n    ' + text + "\n",
        )
        return "store/sections/context.yaml:5: text: "
    _replace(
        ws,
        "weekly.yaml",
        "    text: Talks are stuck.\n",
        "    text: |\n      Talks are stuck.\n      " + text + "\n",
    )
    return "weekly.yaml:11: sections[0].text: "


@pytest.mark.parametrize("where", ["store", "brief"])
def test_runaway_prose_is_stopped_by_the_template_limits(
    good: Path, where: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Section prose runs under the templates' limits, 2,000,000 characters and 10 s;
    the error names the file, line, key and the limit."""
    spot = _section_prose(good, where, RUNAWAY)
    started = time.perf_counter()
    _fails(
        good,
        spot.replace(":5:", ":4:").replace(":11:", ":10:")
        + "prose output is larger than 2,000,000 characters (the limit)",
    )
    assert time.perf_counter() - started < 20
    _replace(good, spot.split(":")[0], RUNAWAY, SILENT)
    monkeypatch.setattr(sandbox, "MAX_SECONDS", 1)  # in this process: check as the CLI does
    from briefgen.build.memos import check_workspace

    monkeypatch.chdir(good)
    ws = check_workspace(good, use_cache=False).ws
    shown = [str(p) for p in ws.problems.errors]
    assert shown == [spot + "prose took longer than 1 s (the limit); is a loop running away?"], (
        shown
    )


@settings(max_examples=min(EXAMPLES, 10), deadline=None, derandomize=EXAMPLES <= 100)
@given(st.lists(st.tuples(st.integers(0, 100_000), st.booleans()), min_size=1, max_size=4))
def test_any_loop_in_prose_ends_in_time(loops: list[tuple[int, bool]]) -> None:
    """However prose loops, it renders or fails within its time limit."""
    text = "".join(
        f"{{% for i{n} in range({count}) %}}{'x' if out else ''}"
        for n, (count, out) in enumerate(loops)
    ) + "{% endfor %}" * len(loops)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sandbox, "MAX_SECONDS", 1)
        started = time.perf_counter()
        try:
            prose.render(text)
        except prose.ProseError as exc:
            assert "(the limit)" in str(exc)
        assert time.perf_counter() - started < 3


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
    lines = [
        f"- id: bulk-{i}\n  text: Bulk claim number {i} about the grain corridor, which "
        "runs to two full lines of text in the memo.\n  sources: [doe-2024]\n"
        "  topics: [bulk]\n"
        for i in range(60)
    ]
    (ws / "store" / "claims" / "bulk.yaml").write_text("".join(lines), encoding="utf-8")
    _replace(
        ws,
        "weekly.yaml",
        "  - section: context",
        "  - section: context\n  - title: Everything\n    select: {topics: [bulk]}",
    )
    _replace(ws, "audiences.yaml", "  max-claims: 1\n", "")


def test_check_finds_a_memo_over_max_pages(good: Path) -> None:
    _overflow_principal(good)
    before = _temp_files()
    run = briefgen("check", cwd=good)
    assert run.code == 1 and "Traceback" not in run.err
    expected = (
        r"audiences\.yaml:6: principal\.max-pages: weekly\.principal\.pdf is \d+ "
        r"pages, \d+ more than max-pages 1 allows \((about \d+ lines|\d+ pages) too "
        r"long\); cut claims \(it holds 6\d claims in 4 sections"
    )
    assert re.search(expected, run.err), run.err
    assert "1 error," in run.err
    assert not (good / "out").exists()  # check writes nothing to out/ ...
    assert _temp_files() == before  # ... and leaves no temporary files
    build = briefgen("build", "--all", cwd=good)  # the build fails on the same line
    assert build.code == 1
    assert [line for line in build.err.splitlines() if "max-pages:" in line] == [
        line
        for line in run.err.splitlines()
        if "max-pages:" in line and "as LibreOffice lays it out" not in line  # check's own
    ]
    assert not any((good / "out").glob("weekly.*"))


def test_check_writes_nothing_and_leaves_no_temporary_files(good: Path) -> None:
    assert briefgen("build", "--all", cwd=good).code == 0
    out = good / "out"
    before = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in out.rglob("*") if p.is_file()}
    temp = _temp_files()
    run = briefgen("check", cwd=good)
    assert run.code == 0, run.err
    assert {
        p: (p.stat().st_mtime_ns, p.read_bytes()) for p in out.rglob("*") if p.is_file()
    } == before
    assert _temp_files() == temp


def test_a_writer_failure_is_reported_by_check(good: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A writer's bug is an error naming the brief, audience and format, with the
    exception's text, from check (in this process or its writer processes) and build."""
    from briefgen import writers
    from briefgen.build.memos import build, check_workspace, trial_build
    from briefgen.errors import BriefgenError

    real = writers.writer

    def writer(fmt: str):
        if fmt != "docx":
            return real(fmt)

        def fail(memo: object, path: Path, **options: object) -> None:
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
            "this as a briefgen bug)"
            for i, name in enumerate(["principal", "analyst"])
        ]
    assert not (good / "out").exists()
    assert _temp_files() == before
    with pytest.raises(
        BriefgenError,
        match="could not write weekly.principal.docx: ValueError: a table wider than the page",
    ):
        build(check_workspace(good), jobs=1)
    assert not any((good / "out").glob("weekly.*"))


# --- paths ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, message",
    [
        (
            "../../../../etc/passwd",
            "store/sources.yaml:7: text: '../../../../etc/passwd' leaves the "
            "store folder; give a path inside store/",
        ),
        ("/etc/passwd", "store/sources.yaml:7: text: '/etc/passwd' leaves the store folder"),
    ],
)
def test_texts_outside_the_store_are_refused(good: Path, value: str, message: str) -> None:
    _replace(good, "store/sources.yaml", "text: texts/doe-2024.txt", f"text: {value}")
    _fails(good, message)


def test_a_symlink_leading_out_is_refused(good: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("Talks on the grain corridor stalled on Tuesday.\n", encoding="utf-8")
    (good / "store" / "texts" / "link.txt").symlink_to(secret)
    _replace(good, "store/sources.yaml", "text: texts/doe-2024.txt", "text: texts/link.txt")
    _fails(good, "store/sources.yaml:7: text: 'texts/link.txt' leaves the store folder")


STORE_FILES = [
    "briefgen.yaml",
    "audiences.yaml",
    "store/sources.yaml",
    CLAIMS,
    "store/sections/context.yaml",
    "weekly.yaml",
]


def _make_hostile(path: Path, kind: str, outside: Path) -> None:
    """Put a FIFO, a link to /dev/zero or a link out of the workspace at `path`."""
    if path.exists():
        outside.write_bytes(path.read_bytes())
        path.unlink()
    if kind == "fifo":
        os.mkfifo(path)
    else:
        path.symlink_to("/dev/zero" if kind == "zero" else outside)


def _refused(ws: Path, expected: list[str]) -> None:
    for command in ("check", "build"):
        done = subprocess.run(
            [sys.executable, "-m", "briefgen", command, *(["--all"] if command == "build" else [])],
            cwd=ws,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert done.returncode == 1, done.stderr
        for line in expected:
            assert line in "\n" + done.stderr, done.stderr
        assert "Traceback" not in done.stderr
    assert not (ws / "out").exists() or not any((ws / "out").glob("weekly.*"))


WHY = {
    "fifo": "is not a regular file (a FIFO); briefgen reads only regular files",
    "zero": "leads out of the workspace (a symbolic link to /dev/zero)",
    "out": "leads out of the workspace (a symbolic link to ",
}


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
@pytest.mark.parametrize("kind", ["fifo", "zero", "out"])
def test_store_files_that_are_not_regular_files_inside_are_refused(
    good: Path, kind: str, tmp_path: Path
) -> None:
    """A FIFO or a device would hang the read (or never end it); each file is refused by
    name, and nothing is built."""
    for name in STORE_FILES:
        _make_hostile(good / name, kind, tmp_path / name.replace("/", "-"))
    _refused(good, [f"{name}: {WHY[kind]}" for name in STORE_FILES])


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
@pytest.mark.parametrize("kind", ["fifo", "zero", "out"])
def test_a_captured_text_or_logo_that_is_no_regular_file_is_refused(
    good: Path, kind: str, tmp_path: Path
) -> None:
    _make_hostile(good / "store" / "texts" / "doe-2024.txt", kind, tmp_path / "doe.txt")
    (tmp_path / "logo.png").write_bytes(b"\x89PNG")
    _make_hostile(good / "logo.png", kind, tmp_path / "logo.png")
    _replace(
        good, "briefgen.yaml", "organisation: Test Desk", "organisation: Test Desk\nlogo: logo.png"
    )
    outside = {
        "fifo": WHY["fifo"],
        "zero": "leaves the store folder",
        "out": "leaves the store folder",
    }[kind]
    logo = {"fifo": WHY["fifo"], "zero": "leaves the workspace", "out": "leaves the workspace"}[
        kind
    ]
    _refused(
        good,
        [
            f"store/sources.yaml:7: text: captured text 'texts/doe-2024.txt' {outside}"
            if kind == "fifo"
            else f"store/sources.yaml:7: text: 'texts/doe-2024.txt' {outside}",
            f"briefgen.yaml:2: logo: 'logo.png' {logo}",
        ],
    )


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_ingest_into_a_sources_file_that_is_a_fifo_is_refused(good: Path, tmp_path: Path) -> None:
    _make_hostile(good / "store" / "sources.yaml", "fifo", tmp_path / "sources.yaml")
    page = tmp_path / "page.txt"
    page.write_text("Talks resumed on Friday, officials said.\n", encoding="utf-8")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "briefgen",
            "ingest",
            str(page),
            "--id",
            "new-2024",
            "--title",
            "Talks",
        ],
        cwd=good,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert "store/sources.yaml: cannot add to it: is not a regular file (a FIFO)" in done.stderr, (
        done.stderr
    )


# --- output ---------------------------------------------------------------------------------


def _valid(out: Path) -> None:
    for pdf in out.glob("weekly.*.pdf"):
        assert len(PdfReader(pdf).pages) >= 1
    for docx in out.glob("weekly.*.docx"):
        with zipfile.ZipFile(docx) as archive:
            assert archive.testzip() is None


def test_document_properties_over_the_docx_limit_are_shortened_with_a_warning(good: Path) -> None:
    from docx import Document

    long = "Grain " * 60  # 359 characters once stripped
    for name, old, new in [
        ("weekly.yaml", "title: Grain Weekly", f"title: {long}"),
        ("weekly.yaml", "subject: The grain corridor", f"subject: {long}"),
        ("briefgen.yaml", "organisation: Test Desk", f"organisation: {long}"),
        ("audiences.yaml", "  label: Analysts", f"  label: {long}"),
        (
            CLAIMS,
            "  topics: [trade]",
            "  topics: [" + ", ".join(f"topic-number-{i}" for i in range(30)) + "]",
        ),
    ]:
        _replace(good, name, old, new)
    run = briefgen("build", "--all", "-a", "analyst", cwd=good)
    assert run.code == 0, run.err
    for where in (
        "weekly.yaml:1: title",
        "weekly.yaml:2: subject",
        "briefgen.yaml:1: organisation",
        "audiences.yaml:9: analyst.label",
    ):
        assert f"{where}: warning: 359 characters are more than a DOCX document's" in run.err
    props = Document(str(good / "out" / "weekly.analyst.docx")).core_properties
    for value, whole in [
        (props.title, long),
        (props.subject, long),
        (props.author, long),
        (props.comments, f"Built by briefgen for {long}"),
        (props.keywords, "diplomacy, prices, topic-number-0, topic-number-1"),
    ]:
        assert len(value) <= 255 and value.endswith("…")
        assert value.startswith(whole.strip()[:30])
    assert long.strip() in _pdf_text(good / "out" / "weekly.analyst.pdf")


@BOUNDED
@given(
    st.one_of(st.text(max_size=40), st.text(min_size=250, max_size=600)),
    st.lists(st.text(min_size=1, max_size=40), max_size=40),
)
def test_any_header_gives_docx_properties_within_the_limit(
    tmp_path_factory: pytest.TempPathFactory, text: str, keywords: list[str]
) -> None:
    """Whatever the header holds, the DOCX writer writes it, each property at most 255
    characters and the start of what it holds."""
    from docx import Document

    from briefgen.writers.docx.writer import write_docx

    text = "".join(c for c in text if c.isprintable()) or "x"
    keywords = ["".join(c for c in k if c.isprintable()) or "k" for k in keywords]
    memo = sample_memo()
    memo.header = dataclasses.replace(
        memo.header, title=text, subject=text, organisation=text, audience=text, keywords=keywords
    )
    path = tmp_path_factory.mktemp("docx") / "memo.docx"
    write_docx(memo, path)
    props = Document(str(path)).core_properties
    for value, whole in [
        (props.title, text),
        (props.subject, text),
        (props.author, text),
        (props.keywords, ", ".join(keywords)),
    ]:
        assert len(value) <= 255
        assert value == whole or whole.startswith(value[:-1].rstrip())


def _long_claim(ws: Path, size: int) -> None:
    """Make the claim `size` characters long, quoted whole from its captured text."""
    words = ("grain", "corridor", "talks", "stalled", "wheat", "prices", "rose", "officials")
    text = " ".join(words[i % len(words)] for i in range(size // 5))[: size - 1].strip() + "."
    _claim_text(ws, text)
    _replace(
        ws, CLAIMS, 'quote: "Talks on the grain corridor stalled on Tuesday"', f'quote: "{text}"'
    )
    texts = ws / "store" / "texts" / "doe-2024.txt"
    texts.write_text(texts.read_text(encoding="utf-8") + "\n" + text + "\n", encoding="utf-8")


def test_a_claim_over_the_paragraph_limit_is_refused_by_check(good: Path) -> None:
    _long_claim(good, 1_000_000)
    started = time.perf_counter()
    _fails(
        good,
        "store/claims/grain.yaml:2: text: claim 'talks-stalled': its text is "
        "1,000,000 characters; a paragraph may hold at most 100,000 (the limit)",
    )
    _fails(
        good,
        "store/claims/grain.yaml:5: sources[0].quote: claim 'talks-stalled': the "
        "quote is 1,000,000 characters",
    )
    assert time.perf_counter() - started < 20


def test_a_long_paragraph_is_laid_out_in_time_growing_with_its_length(good: Path) -> None:
    """Laying out a paragraph over many pages reads its text a bounded number of times,
    not once per page: a paragraph at the limit builds in seconds."""
    from briefgen.check.store import MAX_PARAGRAPH_CHARS

    _long_claim(good, MAX_PARAGRAPH_CHARS)
    started = time.perf_counter()
    run = briefgen("build", "--all", "-a", "analyst", "-f", "pdf", "--jobs", "1", cwd=good)
    took = time.perf_counter() - started
    assert run.code == 0, run.err
    print(f"a {MAX_PARAGRAPH_CHARS:,}-character claim and its quote built in {took:.1f} s")
    assert len(PdfReader(good / "out" / "weekly.analyst.pdf").pages) > 30
    assert took < 20


@settings(
    max_examples=min(EXAMPLES, 8),
    deadline=None,
    derandomize=EXAMPLES <= 100,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    st.lists(
        st.tuples(st.integers(50, 12_000), st.sampled_from([0, 1, 2, 3])), min_size=2, max_size=6
    ),
    st.sampled_from(["claim", "prose"]),
)
def test_handing_on_a_split_paragraphs_lines_changes_nothing(
    tmp_path_factory: pytest.TempPathFactory, pieces: list[tuple[int, int]], kind: str
) -> None:
    """A paragraph over several pages, its note markers anywhere, gives the same PDF
    whether its second part gets the whole's lines or reportlab breaks them again."""
    from briefgen.model import NoteRef, Span
    from briefgen.model import Paragraph as MemoParagraph
    from briefgen.writers.pdf import footnotes as pdf_footnotes
    from briefgen.writers.pdf.writer import write_pdf

    words = ("grain", "corridor", "talks", "stalled", "wheat", "prices", "officials")
    content: list[Span | NoteRef] = []
    for n, (size, note) in enumerate(pieces):
        content.append(Span(" ".join(words[(n + i) % len(words)] for i in range(size // 6)) + " "))
        if note:
            content.append(NoteRef(note))
    memo = sample_memo("footnotes")
    memo.sections[0].blocks.append(MemoParagraph(content, kind=kind))  # type: ignore[arg-type]
    folder = tmp_path_factory.mktemp("pdf")
    write_pdf(memo, folder / "handed.pdf")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pdf_footnotes, "_hand_on_lines", lambda *parts: None)
        write_pdf(memo, folder / "broken-again.pdf")
    assert (folder / "handed.pdf").read_bytes() == (folder / "broken-again.pdf").read_bytes()


def test_a_killed_build_leaves_the_old_memos_whole_and_no_debris(good: Path) -> None:
    assert briefgen("build", "--all", cwd=good).code == 0
    before = {p.name: p.read_bytes() for p in (good / "out").glob("weekly.*")}
    _claim_text(good, "Talks on the grain corridor stalled again on 11 June 2024.")
    for delay in (0.3, 0.8, 1.4, 2.0):
        proc = subprocess.Popen(
            [sys.executable, "-m", "briefgen", "build", "--all", "--force"],
            cwd=good,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        time.sleep(delay)
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        for name, data in before.items():
            now = (good / "out" / name).read_bytes()
            assert now == data or name.endswith((".pdf", ".docx"))
        _valid(good / "out")
    assert briefgen("build", "--all", cwd=good).code == 0
    debris = [
        p.name
        for p in (good / "out").rglob("*")
        if p.name.startswith(".briefgen-") or p.name.endswith(".tmp")
    ]
    assert debris == []
    _valid(good / "out")
    # what the killed builds left in the temporary folder, the next build removed
    assert list(temp_folder().glob("briefgen-cite-*")) == []


def test_a_terminated_build_stops_cleanly(good: Path) -> None:
    """SIGTERM (a cancelled CI job, `timeout`) unwinds the build as Ctrl-C does."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "briefgen", "build", "--all", "--force"],
        cwd=good,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.time() + 30
    while (
        time.time() < deadline
        and proc.poll() is None
        and not list(temp_folder().glob(f"briefgen-cite-{proc.pid}-*"))
    ):
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
    proc = subprocess.Popen(
        [sys.executable, "-m", "briefgen", "build", "--all", "--force"],
        cwd=good,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
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
    return write if FULL != "." + fmt else lambda memo, path, **kw: write(memo, Path("/dev/full"), **kw)
writers.writer = writer
from briefgen.cli.commands import main
main(sys.argv[1:], prog_name="briefgen")
"""


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize(
    "full, message",
    [
        (".pdf", "weekly.principal.pdf"),
        (".docx", "weekly.principal.docx"),
        (".state.json.", "out/.briefgen/state.json"),
        (".quick.json.", "out/.briefgen/quick.json"),
        (".store-", None),  # the store cache is only skipped: it costs time, not memos
    ],
)
def test_a_full_disk_is_said_as_such(good: Path, full: str, message: str | None) -> None:
    done = subprocess.run(
        [sys.executable, "-c", FULL_DISK, "build", "--all", "-j", "1"],
        cwd=good,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={**os.environ, "FULL": full},
    )
    assert "Traceback" not in done.stderr and "bug" not in done.stderr, done.stderr
    if message is None:
        assert done.returncode == 0, done.stderr
        assert not list((good / ".briefgen").rglob("*.tmp"))
        return
    assert done.returncode == 1
    assert done.stderr.splitlines()[-1] == (
        f"briefgen: error: no space left on device while writing {message}"
    )
    assert not list((good / "out").rglob("*.tmp")) and not list((good / "out").glob(".briefgen-*"))


@pytest.mark.skipif(
    os.geteuid() != 0 or not sys.platform.startswith("linux"), reason="mounts a tmpfs"
)
def test_a_full_disk_is_said_as_such_on_a_real_small_disk(good: Path, tmp_path: Path) -> None:
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(disk)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode:
        pytest.skip("cannot mount a tmpfs here")
    try:
        run = briefgen("build", "--all", "--out", str(disk / "out"), cwd=good)
        assert run.code == 1 and "Traceback" not in run.err and "bug" not in run.err
        assert re.fullmatch(
            r"briefgen: error: no space left on device while writing "
            r"weekly\.\w+\.(pdf|docx)",
            run.err.splitlines()[-1],
        ), run.err
        assert [p.name for p in (disk / "out").iterdir()] == [".briefgen"]
    finally:
        subprocess.run(["umount", str(disk)], check=True)


def test_three_concurrent_builds_give_whole_identical_files(good: Path) -> None:
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "briefgen", "build", "--all", "--force"],
            cwd=good,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    results = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0], results
    _valid(good / "out")
    first = {p.name: p.read_bytes() for p in (good / "out").glob("weekly.*")}
    assert briefgen("build", "--all", "--force", cwd=good).code == 0
    assert first == {p.name: p.read_bytes() for p in (good / "out").glob("weekly.*")}


@pytest.mark.parametrize(
    "folder, named",
    [
        ("store", ["store/sources.yaml", "store/claims/grain.yaml", "store/sections/context.yaml"]),
        ("store/claims", ["store/claims/grain.yaml"]),
        ("store/sections", ["store/sections/context.yaml"]),
    ],
)
def test_a_store_folder_that_links_out_of_the_workspace_is_refused_by_name(
    good: Path, tmp_path: Path, folder: str, named: list[str]
) -> None:
    """A store folder that is a symbolic link to a place outside: each file in it is
    refused by the name the user knows, and nothing is built."""
    outside = tmp_path / "elsewhere"
    shutil.move(good / folder, outside)
    (good / folder).symlink_to(outside, target_is_directory=True)
    _refused(good, [f"\n{name}: leads out of the workspace" for name in named])


@pytest.mark.parametrize("how", ["parent", "absolute", "link"])
def test_an_output_folder_outside_the_workspace_is_refused(
    good: Path, tmp_path: Path, how: str
) -> None:
    """`output` may not lead out of the workspace, by `..`, an absolute path or a link:
    nothing is written there (`build --out` is how to write elsewhere)."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    settings = good / "briefgen.yaml"
    if how == "link":
        (good / "out").symlink_to(elsewhere, target_is_directory=True)
    else:
        value = "../elsewhere" if how == "parent" else str(elsewhere)
        shutil.move(good, tmp_path / "ws")
        good = tmp_path / "ws"
        settings = good / "briefgen.yaml"
        settings.write_text(settings.read_text() + f"output: {value}\n")
    _refused(good, ["output: ", "leads out of the workspace; give a folder inside it"])
    assert not any(elsewhere.iterdir())
