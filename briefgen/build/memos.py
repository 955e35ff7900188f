"""Build memos: check the workspace, resolve each brief per audience, write every format.

A build is incremental: each output's inputs (inputs.py lists them) are hashed, and an
output whose hash and bytes are as recorded is skipped. Memos are made in parallel
processes. Nothing reaches the output folder until every file of the run is written and
checked: files are staged in a temporary folder inside it and renamed into place.
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import __version__
from ..check import libreoffice, likelihood
from ..check.store import check_brief, load_checked
from ..dates import format_period
from ..errors import BriefgenError, DiskFull, Problems, UsageError, WorkspaceError, display_path
from ..model import Memo
from ..readers.files import locked, write_atomic, writing
from ..readers.records import Brief
from ..readers.workspace import Where, Workspace
from ..resolve.memo import Plan, plan_memo
from ..speed.engine import Done, Engine, Unit, measuring_first
from ..words import plural
from ..writers import FORMATS
from .history import History
from .inputs import Fingerprint, fingerprint, sha256_file

STATE_DIR = ".briefgen"
STATE_FILE = "state.json"


@dataclass
class Output:
    """One file a build wrote, or found up to date and skipped."""

    path: Path
    fmt: str
    memo_facts: dict[str, Any]
    pages: int | None = None
    skipped: bool = False
    last_page_lines: int = 0
    kept: Path | None = None  # where the user's edited copy of the file was kept


@dataclass
class Checked:
    """A workspace with every brief checked; briefs with errors are left out."""

    ws: Workspace
    briefs: dict[Path, Brief] = field(default_factory=dict)


@dataclass
class _Job:
    """One memo to make: a plan, the formats wanted, and which of them must be built."""

    plan: Plan
    formats: list[str]
    fingerprint: Fingerprint
    brief: Path
    todo: list[str] = field(default_factory=list)


def check_workspace(
    root: Path,
    only: list[Path] | None = None,
    use_cache: bool = True,
    load: Callable[[Path], Workspace] | None = None,
) -> Checked:
    """Load and check the workspace and its briefs (or only `only`).

    The loaded and checked store comes from the store index cache when no file it was
    made from has changed (see speed/cache.py), or from `load` when given.
    """
    from ..speed import cache

    if load is None:
        load = cache.checked_store if use_cache else load_checked
    ws = load(root)
    ws.root = root
    # The store's millions of objects live as long as the command: keep the cyclic
    # collector from scanning them again at every later collection.
    gc.freeze()
    checked = Checked(ws)
    for path in only if only is not None else ws.brief_paths():
        brief = check_brief(ws, path)
        if brief is not None:
            checked.briefs[path] = brief
    return checked


def trial_build(
    checked: Checked, engine: Engine | None = None, docx_pages: bool = True
) -> list[str]:
    """Build every brief for every audience in every format it builds, as `build` would,
    into a temporary folder that is then removed; what the build would fail on (a
    template, a PDF over its audience's max-pages, a writer's failure) goes to the
    workspace's problems, each with its brief and audience. This is `check`'s last step,
    so that a workspace that passes `check` builds.

    `engine` holds writer processes and a citation server started earlier; without one,
    this starts its own. With `docx_pages`, each DOCX with a max-pages is laid out by
    LibreOffice where it is installed, and one over is a warning. Returns what it could
    not check, for `check` to say.
    """
    ws = checked.ws
    if ws.problems.errors:
        return []
    work, problems = _plan_jobs(checked, None, None, history=History(ws.out))
    ws.problems.items += [p for p in problems.items if p not in ws.problems.items]
    for job in work:
        job.todo = list(job.formats)
        _warn_of_scales(checked, job)
    if not work:
        return []
    own = engine is None
    if engine is None:
        engine = Engine(min(os.cpu_count() or 1, sum(len(j.todo) for j in work)), [])
    # named as the citation server's folder is, so that what a killed check leaves is
    # removed as that is (cite.pandoc.remove_stale_folders)
    from ..cite.pandoc import FOLDER_PREFIX

    try:
        with tempfile.TemporaryDirectory(prefix=f"{FOLDER_PREFIX}{os.getpid()}-check-") as tmp:
            written = _make_all(
                work, Path(tmp), engine, None, lambda job, fmt, exc: _failed(checked, job, fmt, exc)
            )
            ws.problems.extend(_page_problems(written, ws))
            return _docx_page_problems(written, ws, Path(tmp)) if docx_pages else []
    finally:
        if own:
            engine.close()


def _failed(checked: Checked, job: _Job, fmt: str | None, exc: BriefgenError) -> None:
    """Record that making `job` (in `fmt`, or at all) failed, at its brief's audience."""
    problems = checked.ws.problems
    if isinstance(exc, DiskFull):  # the temporary folder's disk, not the brief
        raise exc
    if isinstance(exc, WorkspaceError):
        problems.extend(exc.problems)
        return
    name = job.plan.audience_id
    line, key = _audience_place(checked, job)
    made = f"the {name} memo" + (f" as {fmt.upper()}" if fmt else "")
    problems.add(job.brief, line, key, f"{made}: {exc}")


def _warn_of_scales(checked: Checked, job: _Job) -> None:
    """Warn where one claim of a memo uses the ICD 203 scale and another the PHIA one."""
    ws = checked.ws
    message = likelihood.memo_warning({i: ws.claims[i].text for i in job.plan.claim_ids()})
    if message:
        line, key = _audience_place(checked, job)
        ws.problems.warn(job.brief, line, key, f"the {job.plan.audience_id} memo {message}")


def _audience_place(checked: Checked, job: _Job) -> tuple[int, str]:
    """Return the line and key of the job's audience in its brief's `audiences`."""
    audiences = checked.briefs[job.brief].audiences
    if job.plan.audience_id not in audiences:
        return 0, ""  # the workspace's default audience: the brief names none
    j = audiences.index(job.plan.audience_id)
    return Where(job.brief, None).line_of("audiences", j), f"audiences[{j}]"


def plan_jobs(
    checked: Checked,
    audience: str | None,
    fmt: str | None,
    period: str | None = None,
    today: dt.date | None = None,
    history: History | None = None,
) -> list[_Job]:
    """Return a job for each memo the build makes: each brief for each of its audiences,
    each after the memos `history` (by default, the output folder's) records."""
    history = history or History(checked.ws.out)
    jobs, problems = _plan_jobs(checked, audience, fmt, period, today, history)
    problems.raise_if_errors()
    return jobs


def plan_every(checked: Checked) -> tuple[list[_Job], Problems]:
    """Return a job for each memo of every brief for every audience that could be
    planned, after the memos the output folder records, and the others' problems (as
    `check` reports them)."""
    return _plan_jobs(checked, None, None, history=History(checked.ws.out))


def _plan_jobs(
    checked: Checked,
    audience: str | None,
    fmt: str | None,
    period: str | None = None,
    today: dt.date | None = None,
    history: History | None = None,
) -> tuple[list[_Job], Problems]:
    """Return the jobs of the memos that could be planned, and the others' problems."""
    ws = checked.ws
    if audience is not None and audience not in ws.audiences:
        raise UsageError(
            f"unknown audience {audience!r}; the workspace has {', '.join(ws.audiences) or 'none'}"
        )
    default = ws.settings.default_audience or next(iter(ws.audiences), None)
    jobs = []
    problems = Problems()
    for path, brief in checked.briefs.items():
        names = [audience] if audience else (brief.audiences or ([default] if default else []))
        names = list(dict.fromkeys(names))  # an audience named twice is built once
        formats: list[str] = [fmt] if fmt else list(dict.fromkeys(brief.formats))
        for name in names:
            try:
                plan = plan_memo(ws, path.stem, brief, name, period, today, history)
            except WorkspaceError as exc:
                problems.extend(exc.problems)
                continue
            jobs.append(_Job(plan, formats, fingerprint(ws, path, plan, period, today), path))
    return jobs, problems


def build(
    checked: Checked,
    audience: str | None = None,
    fmt: str | None = None,
    period: str | None = None,
    out_dir: Path | None = None,
    today: dt.date | None = None,
    jobs: int | None = None,
    force: bool = False,
    progress: Callable[[int, int, str], None] | None = None,
    engine: Engine | None = None,
) -> list[Output]:
    """Build every memo of the checked briefs; return the files written or skipped.

    `engine` holds writer processes and a citation server started earlier (the CLI starts
    them before loading the workspace); without one, the build starts its own.
    """
    ws = checked.ws
    ws.problems.raise_if_errors()
    out = out_dir or ws.out
    history = History(out)
    work = plan_jobs(checked, audience, fmt, period, today, history)
    state = _load_state(out)
    outputs: list[Output] = []
    for job in work:
        for f in job.formats:
            name = output_name(job.plan, f)
            if not force and _up_to_date(out / name, state.get(name), job.fingerprint.digest):
                outputs.append(
                    Output(
                        out / name, f, state[name]["facts"], state[name].get("pages"), skipped=True
                    )
                )
            else:
                job.todo.append(f)
    pending = [j for j in work if j.todo]
    if not pending:
        return outputs
    edited = [
        out / name
        for j in pending
        for f in j.todo
        if edited_since_built(out / (name := output_name(j.plan, f)), state.get(name))
    ]
    if edited and not force:
        raise BriefgenError(
            "\n".join(
                f"{display_path(p)}: edited since briefgen built it; not overwritten (move "
                "it away, or build --force to keep it beside the new one)"
                for p in edited
            )
        )
    out.mkdir(parents=True, exist_ok=True)
    (out / STATE_DIR).mkdir(exist_ok=True)
    # One build at a time per output folder: concurrent builds wait, and whatever a killed
    # build left behind can be cleared, since no other build can be using it.
    with locked(out / STATE_DIR / "lock"):
        _clear_leftovers(out)
        staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=out))
        own = engine is None
        try:
            if engine is None:
                units = sum(len(j.todo) for j in pending)
                engine = Engine(min(jobs or os.cpu_count() or 1, units), [])
            written = _make_all(pending, staging, engine, progress)
            _page_problems(written, ws).raise_if_errors()
            kept = {}
            for path in edited:  # --force: the user's edits are kept beside the new file
                kept[path.name] = path.with_name(f"{path.stem}.edited-{stamp()}{path.suffix}")
                os.replace(path, kept[path.name])
            for item in written:
                item.kept = kept.get(item.path.name)
                target = out / item.path.name
                with writing(target):
                    os.replace(item.path, target)
                item.path = target
            _fsync_folder(out)
            _record_memos(out, work)
            state = {**state, **_load_state(out)}  # what builds before this one recorded
            _save_state(
                out,
                state,
                written,
                {output_name(j.plan, f): j.fingerprint for j in pending for f in j.todo},
            )
        finally:
            if own and engine is not None:
                engine.close()
            shutil.rmtree(staging, ignore_errors=True)
    return outputs + written


STAGING_PREFIX = ".briefgen-"


def _record_memos(out: Path, work: list[_Job]) -> None:
    """Record the claims each memo of the run holds, for its reader's next memo (read
    again: a build of another brief may have recorded its own since this one began)."""
    history = History(out)
    for job in work:
        plan = job.plan
        period = plan.resolver.period
        # as the memo printed it, in its reader's language, for the next memo to name
        shown = format_period(period, plan.resolver.locale) if period else None
        history.add(plan.brief_id, plan.audience_id, plan.when(), shown, plan.held_ids())
    history.save()


def _clear_leftovers(out: Path) -> None:
    """Remove staging folders and temporary files that a killed build left in `out`."""
    for path in out.glob(f"{STAGING_PREFIX}*"):
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
    for path in (out / STATE_DIR).glob(".*.tmp"):
        path.unlink(missing_ok=True)


def _fsync_folder(folder: Path) -> None:
    """Make the renames in `folder` durable (where the system allows it)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def output_name(plan: Plan, fmt: str) -> str:
    """Return the file name of one output: <brief>.<audience>.<format>."""
    return f"{plan.brief_id}.{plan.audience_id}{FORMATS[fmt].suffix}"


# --- making memos, in parallel -----------------------------------------------------------


def _make_all(
    pending: list[_Job],
    staging: Path,
    engine: Engine,
    progress: Callable[[int, int, str], None] | None,
    failed: Callable[[_Job, str | None, BriefgenError], None] | None = None,
) -> list[Output]:
    """Finish each pending memo here and have the engine write its formats.

    A memo that fails with briefgen's own error stops the whole run, or, given `failed`,
    is handed to it (with the format, if it failed in a writer) and the rest are made.
    """
    left = {i: len(job.todo) for i, job in enumerate(pending)}
    finished = 0

    def units() -> Iterator[Unit]:
        for index, job in enumerate(pending):
            try:
                memo = job.plan.memo(engine.citeproc)
            except BriefgenError as exc:
                if failed is None:
                    raise
                failed(job, None, exc)
                continue
            memo.manifest = job.fingerprint.manifest
            facts = memo_facts(memo)
            for fmt in measuring_first(job.todo):
                yield Unit(memo, fmt, staging / output_name(job.plan, fmt), (index, facts))
        engine.citations_done()

    def done(result: Done) -> None:
        nonlocal finished
        index = result.unit.tag[0]
        left[index] -= 1
        if not left[index]:
            finished += 1
            if progress:
                plan = pending[index].plan
                progress(finished, len(pending), f"{plan.brief_id}.{plan.audience_id}")

    def unit_failed(unit: Unit, exc: BriefgenError) -> None:
        assert failed is not None
        failed(pending[unit.tag[0]], unit.fmt, exc)

    results = engine.write(units(), done, unit_failed if failed else None)
    outputs = [
        Output(d.unit.target, d.unit.fmt, d.unit.tag[1], d.pages, last_page_lines=d.last_page_lines)
        for d in results
    ]
    order = {
        output_name(j.plan, f): (n, k) for n, j in enumerate(pending) for k, f in enumerate(j.todo)
    }
    return sorted(outputs, key=lambda o: order[o.path.name])


def memo_facts(memo: Memo) -> dict[str, Any]:
    """Return what a build reports about a memo: notes, limits, what was left out."""
    claims = sum(1 for s in memo.sections for b in s.blocks if b.kind == "claim")
    return {
        "notes": len(memo.notes),
        "omitted": memo.omitted,
        "max_pages": memo.max_pages,
        "audience": memo.audience_id,
        "claims": claims,
        "sections": len(memo.sections),
    }


def _page_problems(outputs: list[Output], ws: Workspace) -> Problems:
    """Return an error for each PDF longer than its audience allows, at its max-pages."""
    problems = Problems()
    for item in outputs:
        limit = item.memo_facts["max_pages"]
        if FORMATS[item.fmt].paged and limit and item.pages and item.pages > limit:
            over = item.pages - limit
            overflow = (
                f"about {plural(item.last_page_lines, 'line')} too long"
                if over == 1 and item.last_page_lines
                else f"{plural(over, 'page')} too long"
            )
            path, line, key = _max_pages_place(ws, item.memo_facts["audience"])
            problems.add(
                path,
                line,
                key,
                f"{item.path.name} is {plural(item.pages, 'page')}, "
                f"{over} more than max-pages {limit} allows ({overflow}); {_cut(item)}",
            )
    return problems


def _max_pages_place(ws: Workspace, audience: str) -> tuple[Path, int, str]:
    """Return the file, line and key of an audience's max-pages."""
    where = ws.where.get(("audience", audience), Where(ws.root / "audiences.yaml", None))
    return where.path, where.line_of("max-pages"), f"{audience}.max-pages"


def _cut(item: Output) -> str:
    """Return how a memo over its max-pages can be shortened."""
    facts = item.memo_facts
    return (
        f"cut claims (it holds {plural(facts['claims'], 'claim')} in "
        f"{plural(facts['sections'], 'section')}: lower "
        "the audience's max-claims or the brief's select limits) or shorten the prose"
    )


def _docx_page_problems(outputs: list[Output], ws: Workspace, work: Path) -> list[str]:
    """Warn of each DOCX that LibreOffice lays out on more pages than its audience's
    max-pages; return what was skipped, for `check` to say.

    A warning, not an error: `build` holds the PDF to max-pages but cannot lay out a
    DOCX (that is its reader's), so a workspace that builds still passes `check`."""
    limited = [o for o in outputs if o.fmt == "docx" and o.memo_facts["max_pages"]]
    if not limited:
        return []
    if not libreoffice.installed():
        return [
            "LibreOffice (soffice) is not installed: the DOCX memos' pages were not "
            "counted against max-pages"
        ]
    counts = libreoffice.page_counts([o.path for o in limited], work)
    for item in limited:
        limit = item.memo_facts["max_pages"]
        path, line, key = _max_pages_place(ws, item.memo_facts["audience"])
        pages = counts.get(item.path)
        if pages is None:
            ws.problems.warn(
                path,
                line,
                key,
                f"LibreOffice could not lay out {item.path.name} (it failed, or took longer "
                "than it is given); its pages were not counted",
            )
        elif pages > limit:
            ws.problems.warn(
                path,
                line,
                key,
                f"{item.path.name} is {plural(pages, 'page')} as LibreOffice lays it out, "
                f"{pages - limit} more than max-pages {limit} allows; {_cut(item)}",
            )
    return []


def describe(item: Output) -> str:
    """Return the line a build prints for one file written or skipped."""
    facts = item.memo_facts
    if item.skipped:
        return f"up to date {display_path(item.path)}"
    parts = []
    if item.pages is not None:
        parts.append(plural(item.pages, "page"))
    parts.append(plural(facts["notes"], "note"))
    left = sum(facts["omitted"].values())
    if left:
        why = ", ".join(f"{n} {reason}" for reason, n in facts["omitted"].items())
        parts.append(f"{plural(left, 'claim')} left out ({why})")
    if item.kept:
        parts.append(f"the edited file kept as {display_path(item.kept)}")
    return f"wrote {display_path(item.path)} ({'; '.join(parts)})"


# --- the record of what was built from what -----------------------------------------------


def _load_state(out: Path) -> dict[str, Any]:
    path = out / STATE_DIR / STATE_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("briefgen") != __version__:
        return {}
    outputs = data.get("outputs", {})
    return outputs if isinstance(outputs, dict) else {}


def load_state(out: Path) -> dict[str, Any]:
    """Return the recorded state of each output in `out`, by file name."""
    return _load_state(out)


def edited_since_built(path: Path, entry: dict[str, Any] | None) -> bool:
    """Return whether the file briefgen wrote at `path` is there with other bytes: a
    colleague's edits, which a build must not overwrite. A file briefgen has no record
    of is not judged."""
    if not entry or not path.is_file():
        return False
    return bool(sha256_file(path) != entry.get("sha256"))


def stamp() -> str:
    """Return the local time as YYYYMMDD-HHMMSS, for the name of a kept copy."""
    return dt.datetime.now().strftime("%Y%m%d-%H%M%S")


def _up_to_date(path: Path, entry: dict[str, Any] | None, digest: str) -> bool:
    if not entry or entry.get("inputs") != digest or not path.is_file():
        return False
    return sha256_file(path) == entry.get("sha256")


def _save_state(
    out: Path, state: dict[str, Any], written: list[Output], prints: dict[str, Fingerprint]
) -> None:
    for item in written:
        name = item.path.name
        state[name] = {
            "inputs": prints[name].digest,
            "sha256": sha256_file(item.path),
            "pages": item.pages,
            "facts": item.memo_facts,
            "manifest": prints[name].manifest,
        }
    folder = out / STATE_DIR
    folder.mkdir(exist_ok=True)
    data = {"briefgen": __version__, "outputs": dict(sorted(state.items()))}
    write_atomic(folder / STATE_FILE, json.dumps(data, indent=1, sort_keys=True).encode())
