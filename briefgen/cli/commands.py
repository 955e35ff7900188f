"""The `briefgen` command line: build, check, list and schema.

Errors a user can cause are printed as `file:line: key: message` with exit status 1
(2 for a command line that asks for something that does not exist); never a traceback.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

import click

from .. import __version__
from ..errors import BriefgenError, Problems, WorkspaceError
from ..words import plural
from ..writers import DEFAULT_FORMATS, FORMATS

EPILOG = "Docs: README.md. Exit status: 0 ok, 1 on errors in the workspace or build, 2 on usage."


def _print_problems(problems: Problems) -> None:
    for problem in problems.sorted():
        click.echo(str(problem), err=True)


def _fail(exc: BriefgenError) -> None:
    if isinstance(exc, WorkspaceError):
        _print_problems(exc.problems)
        errors = plural(len(exc.problems.errors), "error")
        click.echo(f"briefgen: {errors}; nothing written", err=True)
    else:
        click.echo(f"briefgen: error: {exc}", err=True)
    sys.exit(exc.exit_code)


def _leave(code: int) -> NoReturn:
    """Exit without taking the loaded store apart object by object, which takes Python
    long for a large store: every file is written and closed by now."""
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


class _Terminated(KeyboardInterrupt):
    """SIGTERM (a CI job cancelled, `timeout`, a service stopped): unwound like Ctrl-C,
    so the helpers stop and temporary files go, which the default action would skip."""


def _terminated(signum: int, frame: object) -> None:
    raise _Terminated


class _Group(click.Group):
    """A command group that turns the project's own errors into messages."""

    def invoke(self, ctx: click.Context) -> object:
        if hasattr(signal, "SIGTERM"):
            signal.signal(signal.SIGTERM, _terminated)
        try:
            return super().invoke(ctx)
        except BriefgenError as exc:
            _fail(exc)
        except OSError as exc:
            from ..errors import DiskFull, disk_full, display_path

            if not disk_full(exc):
                raise
            shown = f" while writing {display_path(exc.filename)}" if exc.filename else ""
            _fail(DiskFull(f"no space left on device{shown}"))
        except _Terminated:
            click.echo("briefgen: terminated", err=True)
            sys.exit(128 + signal.SIGTERM)
        except KeyboardInterrupt:
            click.echo("briefgen: interrupted", err=True)
            sys.exit(130)
        return None


@click.group(cls=_Group, epilog=EPILOG, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="briefgen")
def main() -> None:
    """Turn a shared store of sourced claims into DOCX and PDF policy memos."""


def _root(start: Path) -> Path:
    from ..readers.discover import find_root

    return find_root(start)


# `--path`: where a command finds its workspace, for the commands that take it
workspace_path = click.option(
    "--path",
    "start",
    type=click.Path(path_type=Path),
    default=None,
    help="A folder inside the workspace (default: the current folder).",
)


@main.command(epilog=EPILOG)
@click.argument("briefs", nargs=-1, type=click.Path(path_type=Path))
@click.option("--all", "all_briefs", is_flag=True, help="Build every brief in the workspace.")
@click.option("--audience", "-a", metavar="A", help="Build for this audience only.")
@click.option(
    "--format",
    "-f",
    "fmt",
    type=click.Choice(list(FORMATS)),
    help="Write this format only (default: the brief's formats).",
)
@click.option(
    "--period",
    metavar="PERIOD",
    help="Override the brief's period: 2024-W25, this-week, last-week, 2024-06.",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path),
    help="Output folder (default: the workspace's out/).",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(1, 64),
    default=None,
    help="Parallel processes (default: the machine's cores).",
)
@click.option(
    "--force",
    is_flag=True,
    help="Rebuild even outputs whose inputs are unchanged; keep an edited output beside"
    " the new one.",
)
def build(
    briefs: tuple[Path, ...],
    all_briefs: bool,
    audience: str | None,
    fmt: str | None,
    period: str | None,
    out_dir: Path | None,
    jobs: int | None,
    force: bool,
) -> None:
    """Build memos from BRIEF files, or from every brief of a workspace.

    A BRIEF that is a folder, --all, or no BRIEF at all builds every brief of the
    workspace found by walking up from it (or from the current folder). Outputs go to
    out/<brief>.<audience>.<format>.
    """
    from .. import speed
    from ..speed import quick

    start = briefs[0] if briefs else Path.cwd()
    root = _root(start)
    files = [b for b in briefs if not b.is_dir()]
    only = None if all_briefs or not files else [_brief_path(root, b) for b in files]
    read = quick.settings(root)  # briefgen.yaml, read once before the workspace
    out = (out_dir or quick.output_folder(root, read)).resolve()
    key = quick.command_key(
        {
            "root": str(root),
            "only": [str(p) for p in only or []],
            "audience": audience,
            "format": fmt,
            "period": period,
            "out": str(out),
        }
    )
    fresh = None if force or not speed.fast() else quick.fresh_outputs(root, out, key)
    if fresh is not None:
        for name in fresh:
            click.echo(f"up to date {_shown(out / name)}")
        click.echo(f"0 written, {len(fresh)} up to date")
        return

    # the writer processes and pandoc load while this process loads the workspace
    from ..speed.engine import Engine

    style, locale = quick.citation_settings(root, read)
    with Engine(
        jobs or os.cpu_count() or 1, [fmt] if fmt else list(DEFAULT_FORMATS), style, locale
    ) as engine:
        from ..build.memos import build as run_build
        from ..build.memos import check_workspace, describe

        checked = check_workspace(root, only)
        _print_problems(_only_warnings(checked.ws.problems))
        outputs = run_build(
            checked,
            audience,
            fmt,
            period,
            out_dir,
            jobs=jobs,
            force=force,
            progress=_progress(),
            engine=engine,
        )
    for item in outputs:
        click.echo(describe(item))
    skipped = sum(1 for o in outputs if o.skipped)
    click.echo(f"{len(outputs) - skipped} written, {skipped} up to date")
    if speed.fast():
        from ..build.inputs import named_files

        quick.record(root, out, key, [o.path for o in outputs], named_files(checked.ws))
    _leave(0)


def _shown(path: Path) -> str:
    from ..errors import display_path

    return display_path(path)


def _progress() -> Callable[[int, int, str], None] | None:
    """Return a progress callback: a bar on a terminal, plain lines elsewhere."""
    if not sys.stderr.isatty():

        def line(done: int, total: int, name: str) -> None:
            click.echo(f"[{done}/{total}] made {name}", err=True)

        return line
    from tqdm import tqdm

    bar: list[tqdm] = []

    def update(done: int, total: int, _name: str) -> None:
        if not bar:
            bar.append(tqdm(total=total, unit="memo", file=sys.stderr, leave=False))
        bar[0].update(done - bar[0].n)
        if done == total:
            bar[0].close()

    return update


def _brief_path(root: Path, given: Path) -> Path:
    path = given.parent.resolve() / given.name  # a link by its own name: loading refuses
    if not path.exists() or path.is_dir():  # one that leads out, or is not a file
        from ..errors import UsageError

        raise UsageError(f"no such brief: {given}")
    if path.parent != root.resolve():
        from ..errors import UsageError

        raise UsageError(
            f"{given} is not a brief of the workspace at {root}: "
            "briefs sit at the workspace's top level"
        )
    return path


def _only_warnings(problems: Problems) -> Problems:
    out = Problems()
    out.items = problems.warnings if problems.errors == [] else []
    return out


@main.command(epilog=EPILOG)
@click.argument("path", required=False, type=click.Path(path_type=Path))
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
def check(path: Path | None, strict: bool) -> None:
    """Validate the whole workspace: every file, reference, quote and brief, and the
    citation style (an unknown one with the nearest shipped names); then build
    every brief for every audience, in each format it builds, into a temporary folder
    that is removed after, so that what a build would fail on (a template error, a PDF
    over its audience's max-pages, a writer's failure) is found too. Where LibreOffice
    is installed, each DOCX with a max-pages is laid out by it, and one over its
    max-pages is a warning. Nothing is written to out/.

    Prints every problem as file:line: key: message; exits 1 on any error.
    """
    from ..speed import quick
    from ..speed.engine import Engine

    root = _root(path or Path.cwd())
    # the writer processes and pandoc load while this process loads the workspace
    style, locale = quick.citation_settings(root)
    with Engine(os.cpu_count() or 1, list(DEFAULT_FORMATS), style, locale) as engine:
        from ..build.memos import check_workspace, trial_build

        checked = check_workspace(root)
        skipped = trial_build(checked, engine)
    problems = checked.ws.problems
    _print_problems(problems)
    for line in skipped:
        click.echo(line, err=True)
    errors, warnings = len(problems.errors), len(problems.warnings)
    ws = checked.ws
    from ..check.store import drafts

    waiting = drafts(ws)
    if waiting:
        shown = ", ".join(waiting[:10]) + (", …" if len(waiting) > 10 else "")
        click.echo(
            f"{plural(len(waiting), 'draft claim')}, in no memo until reviewed (remove "
            f"draft: true): {shown}; briefgen list claims --draft lists them",
            err=True,
        )
    held = plural(len(ws.claims), "claim") + (f" ({len(waiting)} draft)" if waiting else "")
    summary = (
        f"{plural(len(ws.sources), 'source')}, {held}, "
        f"{plural(len(ws.sections), 'section')}, {plural(len(checked.briefs), 'brief')}, "
        f"{plural(len(ws.audiences), 'audience')}: "
        f"{plural(errors, 'error')}, {plural(warnings, 'warning')}"
    )
    click.echo(summary, err=bool(errors))
    _leave(1 if errors or (strict and warnings) else 0)


@main.command(epilog=EPILOG)
@click.argument("path", required=False, type=click.Path(path_type=Path))
def status(path: Path | None) -> None:
    """List each built memo and which of its inputs changed since it was built: the
    brief, the store records it uses, its audience, the settings, the citation style, its
    template, the logo, fonts, the Word template (reference-doc), or briefgen's own code."""
    from ..build.memos import check_workspace
    from ..build.status import status_lines

    checked = check_workspace(_root(path or Path.cwd()))
    for line in status_lines(checked):
        click.echo(line)


@main.command(epilog=EPILOG)
@click.argument("folder", type=click.Path(path_type=Path))
def new(folder: Path) -> None:
    """Start a workspace in FOLDER that builds at once: settings, audiences, a brief,
    a source with its text, two claims and a reusable section, plus editor schemas."""
    from .scaffold import new_workspace

    files = new_workspace(folder)
    click.echo(f"created {folder} ({plural(len(files), 'file')}); try: briefgen build {folder}")


@main.command(epilog=EPILOG)
@click.argument("briefs", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--interval",
    type=click.FloatRange(0.1, 60),
    default=1.0,
    show_default=True,
    help="Seconds between looks at the files.",
)
@click.option("--audience", "-a", metavar="A", help="Build for this audience only.")
@click.option(
    "--format",
    "-f",
    "fmt",
    type=click.Choice(list(FORMATS)),
    help="Write this format only.",
)
@click.option(
    "--exit-after",
    type=int,
    default=0,
    hidden=True,
    help="Stop after this many builds (for scripts and tests).",
)
def watch(
    briefs: tuple[Path, ...],
    interval: float,
    audience: str | None,
    fmt: str | None,
    exit_after: int,
) -> None:
    """Rebuild what changed whenever a file of the workspace changes (Ctrl-C stops).

    Watches the briefs, settings, audiences, the store and the captured texts, templates,
    and the logo, fonts, Word templates (reference-doc) and .csl style that the settings
    and audiences name; each rebuild is
    incremental, and errors are printed without stopping the watch.
    """
    from ..build.watch import watch as run_watch

    root = _root(briefs[0] if briefs else Path.cwd())
    run_watch(
        root, [b for b in briefs if not b.is_dir()], audience, fmt, interval, exit_after, click.echo
    )


@main.command(epilog=EPILOG)
@click.argument("folder", metavar="[DIR]", required=False, type=click.Path(path_type=Path))
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=0,
    help="Port to listen on, on 127.0.0.1 (default: a free one).",
)
def serve(folder: Path | None, port: int) -> None:
    """Serve the workbench of the workspace at DIR (or the current folder's) on
    127.0.0.1 only, at an address with a random token, printed; a request without the
    token is refused (Ctrl-C stops it).

    It shows the store (claims by topic, date, source, confidence, marking and draft
    state, the briefs using each, the claims no brief uses), a reader of each source's
    captured text (select a passage to save a claim of it), the draft queue, each
    brief's memo per audience at /preview/BRIEF/AUDIENCE (as HTML, refreshed within a
    second of any change to the workspace), and check's problems. Every write is
    validated as check validates, and atomic.
    """
    from ..serve.app import serve as run_serve

    run_serve(_root(folder or Path.cwd()), port, click.echo)


@main.command("list", epilog=EPILOG)
@click.argument("kind", type=click.Choice(["sources", "claims", "sections"]))
@click.option(
    "--topic",
    "-t",
    "topics",
    multiple=True,
    metavar="T",
    help="Only claims with this topic (repeatable).",
)
@click.option("--since", metavar="DATE", help="Only claims dated on or after DATE.")
@click.option(
    "--draft",
    "drafts",
    is_flag=True,
    help="Only draft claims (draft: true): those not yet reviewed, in no memo.",
)
@workspace_path
def list_(
    kind: str, topics: tuple[str, ...], since: str | None, drafts: bool, start: Path | None
) -> None:
    """List the store's sources, claims or sections, one per line."""
    from .listing import list_records

    if drafts and kind != "claims":
        raise click.UsageError("--draft lists claims: briefgen list claims --draft")
    root = _root(start or Path.cwd())
    for line in list_records(root, kind, list(topics), since, drafts):
        click.echo(line)


@main.command(epilog=EPILOG)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--id", "ident", required=True, help="The new source's id, e.g. doe-2024.")
@click.option(
    "--title", help="Title as published (default: the page's; leave out if it states none)."
)
@click.option(
    "--author",
    "authors",
    multiple=True,
    metavar="NAME",
    help='"Family, Given", "Given Family" (particles and suffixes kept), "毛泽东" or '
    '"김정은" (family name first), or "{Organisation}"; repeat for several authors '
    "(default: the page's).",
)
@click.option(
    "--family-first",
    is_flag=True,
    help='The --author names are written family name first in Latin letters ("Xi Jinping", '
    '"Orbán Viktor") and print so (static-ordering).',
)
@click.option(
    "--container", help="Journal, magazine, newspaper or site it appeared in (default: the page's)."
)
@click.option("--publisher", help="Publisher or issuing organisation.")
@click.option(
    "--issued",
    metavar="DATE",
    help="Publication date: YYYY, YYYY-MM or YYYY-MM-DD (default: the page's).",
)
@click.option("--circa", is_flag=True, help="The date is inferred, not stated.")
@click.option("--accessed", metavar="DATE", help="When an online source was read.")
@click.option("--url", help="The address it was read at (default: the page's).")
@click.option(
    "--type",
    "kind",
    default=None,
    help="CSL type: article-magazine, article-newspaper, report, webpage, … (default: "
    "report for a PDF, article-newspaper for a page that says it is an article, else webpage).",
)
@click.option("--reliability", type=click.Choice(list("ABCDEF")), help="Reliability grade.")
@workspace_path
def ingest(
    file: Path,
    ident: str,
    title: str | None,
    authors: tuple[str, ...],
    family_first: bool,
    container: str | None,
    publisher: str | None,
    issued: str | None,
    circa: bool,
    accessed: str | None,
    url: str | None,
    kind: str | None,
    reliability: str | None,
    start: Path | None,
) -> None:
    """Capture FILE as a source's text, page furniture removed, and register the source.

    FILE is a UTF-8 text file; a web page saved from a browser (.html, .htm), of which
    the article's main text is kept, and whose own title, authors, date, site and address
    are the defaults of the options below; or a PDF (.pdf), whose pages are kept (each
    ends with a form feed), so quotes are cited by page ("p. 2"), and whose running heads,
    feet and page numbers go. From every kind, page furniture goes: skip links, bylines,
    captions, "Read More" teasers, sign-up boxes, share rows, copyright lines, the author
    box (patterns of your own under `furniture:` in briefgen.yaml). Writes
    store/texts/ID.txt and appends the record to store/sources.yaml, keeping that file's
    comments and order.
    """
    from ..sources.ingest import ingest as run_ingest
    from ..sources.names import parse_author, parse_family_first

    record: dict[str, object] = {"id": ident}
    optional = {
        "type": kind,
        "title": title,
        "container-title": container,
        "publisher": publisher,
        "URL": url,
        "accessed": accessed,
        "reliability": reliability,
    }
    record.update({k: v for k, v in optional.items() if v})
    if authors:
        parse = parse_family_first if family_first else parse_author
        record["author"] = [parse(a) for a in authors]
    if issued:
        record["issued"] = _csl_date(issued, circa)
    root = _root(start or Path.cwd())
    text_path, sources, taken = run_ingest(root, file, record)
    from ..errors import display_path

    shown = f" ({', '.join(taken)} from {file.name})" if taken else ""
    click.echo(
        f"wrote {display_path(text_path)}; added {ident!r} to {display_path(sources)}{shown}"
    )


def _csl_date(text: str, circa: bool) -> object:
    if not circa:
        return text
    parts = [int(p) for p in text.split("-") if p.isdigit()]
    return {"date-parts": [parts], "circa": True}


@main.command("import", epilog=EPILOG)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--update",
    is_flag=True,
    help="Update sources that exist already: the fields the file holds replace theirs; "
    "fields it does not hold (reliability, text, your own) are kept. A Zotero item updates "
    "the source made from it (its x-zotero-uri).",
)
@click.option(
    "--skip-existing",
    is_flag=True,
    help="Add only the sources that do not exist yet; leave the others as they are.",
)
@click.option(
    "--source",
    metavar="ID",
    help="Highlights: every one is of this source (default: the source whose URL is the page's).",
)
@click.option(
    "--file",
    "into",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Highlights: the claim file the drafts go to (default: store/claims/drafts.yaml).",
)
@click.option(
    "--skip-refused",
    is_flag=True,
    help="Highlights: draft the ones that can be drafted even when others are refused.",
)
@workspace_path
def import_(
    file: Path,
    update: bool,
    skip_existing: bool,
    source: str | None,
    into: Path | None,
    skip_refused: bool,
    start: Path | None,
) -> None:
    """Add sources from a CSL-JSON (.json) or BibTeX/BibLaTeX (.bib) file, as Zotero and
    Better BibTeX export them, or draft claims from highlights, as Hypothesis (its API's
    JSON) or any W3C Web Annotation tool (JSON-LD) exports them. Which a JSON file holds
    is read from its content.

    A .bib is read by pandoc: TeX accents decoded, braced words' case kept, langid as the
    language. A source whose id exists already is refused, and nothing is written, unless
    --update or --skip-existing says what to do with it. store/sources.yaml keeps its
    comments and order.

    Each highlight becomes a draft claim (draft: true: in no memo until a person removes
    the flag) in store/claims/drafts.yaml (or --file): its source is the one whose URL is
    the page's (or --source), its quote the passage highlighted, found in the source's
    captured text (prefix and suffix choose among several places), its text the note
    (else the quote) and its topics the tags. A highlight that matches no source or no
    passage is reported, with the reason, and then nothing is written (exit 1) unless
    --skip-refused drafts the others; one imported before is left as it is."""
    from ..capture.annotations import is_annotations, read_json
    from ..errors import display_path
    from ..sources.imports import import_file

    if update and skip_existing:
        raise click.UsageError("--update and --skip-existing cannot be used together")
    root = _root(start or Path.cwd())
    data, text = read_json(file) if _looks_like_json(file) else (None, "")
    if is_annotations(data):
        if update or skip_existing:
            raise click.UsageError(
                f"{file} holds annotations: --update and --skip-existing are for sources"
            )
        _import_highlights(root, file, data, text, source, into, skip_refused)
        return
    if source or into or skip_refused:
        raise click.UsageError(
            f"{file} holds sources: --source, --file and --skip-refused are for "
            "annotations' highlights"
        )
    done = import_file(root, file, "update" if update else "skip" if skip_existing else "refuse")
    where = display_path(done.path)
    if not (update or skip_existing):
        count = plural(len(done.added), "source")
        click.echo(f"added {count} to {where}: {', '.join(done.added)}")
        return
    click.echo(
        f"added {plural(len(done.added), 'source')}, updated {len(done.updated)}, "
        f"unchanged {len(done.unchanged)} in {where}"
    )


def _looks_like_json(file: Path) -> bool:
    """Return whether `file` holds JSON, by its first character: a .bib file starts
    with an entry or a comment, never a bracket."""
    try:
        with file.open("rb") as handle:
            head = handle.read(512).lstrip(b"\xef\xbb\xbf \t\r\n")
    except OSError:
        return False
    return head[:1] in (b"[", b"{")


def _import_highlights(
    root: Path,
    file: Path,
    data: object,
    text: str,
    source: str | None,
    into: Path | None,
    skip_refused: bool,
) -> None:
    from ..capture.drafts import import_highlights
    from ..check.store import load_checked
    from ..errors import display_path

    done = import_highlights(load_checked(root), file, data, text, source, into, skip_refused)
    for problem in done.warnings + done.refused:
        click.echo(str(problem), err=True)
    where = display_path(done.path)
    if done.refused and not skip_refused:
        ready = plural(len(done.added), "other highlight")
        click.echo(
            f"{plural(len(done.refused), 'highlight')} refused, so nothing was written to "
            f"{where}: fix them, or import again with --skip-refused to draft the {ready}",
            err=True,
        )
        sys.exit(1)
    parts = [f"added {plural(len(done.added), 'draft claim')} to {where}"]
    if done.added:
        parts[0] += f": {', '.join(done.added)}"
    if done.before:
        parts.append(f"{plural(len(done.before), 'highlight')} drafted before")
    if done.refused:
        parts.append(f"{plural(len(done.refused), 'highlight')} not imported")
    click.echo("; ".join(parts))


@main.group(epilog=EPILOG)
def claim() -> None:
    """Add claims to the store."""


@claim.command("add", epilog=EPILOG)
@click.option("--source", required=True, metavar="ID", help="The source the quote is from.")
@click.option(
    "--quote",
    required=True,
    help="The passage, verbatim, as it stands in the source's captured text.",
)
@click.option(
    "--text",
    help="The claim in the desk's words (default: written in $EDITOR, on a terminal).",
)
@click.option("--origin", help="Who asserted it first, when not the source's author.")
@click.option("--topics", metavar="A,B", help="Topics, separated by commas: military,drones.")
@click.option("--confidence", metavar="C", help="high, moderate or low.")
@click.option("--marking", metavar="M", help="A marking of briefgen.yaml (default: the lowest).")
@click.option(
    "--date", metavar="DATE", help="When the information is from: YYYY, YYYY-MM or YYYY-MM-DD."
)
@click.option("--id", "ident", metavar="ID", help="The claim's id (default: made from its text).")
@click.option(
    "--file",
    "into",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The claim file to add it to, in store/claims/ (default: store/claims/new.yaml).",
)
@workspace_path
def claim_add(
    source: str,
    quote: str,
    text: str | None,
    origin: str | None,
    topics: str | None,
    confidence: str | None,
    marking: str | None,
    date: str | None,
    ident: str | None,
    into: Path | None,
    start: Path | None,
) -> None:
    """Add a claim whose quote is found in its source's captured text.

    The quote is looked for as check looks for it (or the command fails with the closest
    passage), its locator derived, an id made from the text, and every value checked as
    check checks it before the claim is appended to the claim file, its comments and
    layout kept. Without --text, on a terminal, $EDITOR opens for the text.
    """
    from ..capture.claims import add_claim
    from ..check.store import load_checked
    from ..errors import display_path

    if text is None:
        text = _edited_text(source, quote)
    record: dict[str, object] = {"text": text}
    if origin:
        record["origin"] = origin
    record["sources"] = [{"source": source, "quote": quote}]
    optional = {"date": date, "confidence": confidence, "marking": marking}
    if topics is not None:
        record["topics"] = [t.strip() for t in topics.split(",") if t.strip()]
    record.update({k: v for k, v in optional.items() if v is not None})
    ws = load_checked(_root(start or Path.cwd()))
    added = add_claim(ws, record, into, ident)
    _print_problems(added.warnings)
    where = f"{source}, {added.locator}" if added.locator else source
    click.echo(f"added claim {added.ident!r} to {display_path(added.path)} ({where})")
    if len(added.places) > 1:
        from ..check.store import shown_places

        click.echo(
            f"the quote stands in {shown_places(added.places)}: the claim cites "
            f"{added.locator} (edit its locator to cite another)"
        )


EDITOR_HELP = """
# Write the claim in the desk's words above. Lines starting with # are left out;
# an empty text adds nothing.
# Source: {source}
# Quote: {quote}
"""


def _edited_text(source: str, quote: str) -> str:
    """Return the claim's text written in $EDITOR; only on a terminal."""
    from ..errors import UsageError

    if not sys.stdin.isatty():
        raise UsageError("--text is required (no terminal to open $EDITOR on)")
    written = click.edit(EDITOR_HELP.format(source=source, quote=" ".join(quote.split())))
    lines = [line for line in (written or "").splitlines() if not line.startswith("#")]
    text = " ".join(" ".join(lines).split())
    if not text:
        raise UsageError("no text written; nothing added")
    return text


@main.command(epilog=EPILOG)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path),
    default=Path("schemas"),
    show_default=True,
    help="Folder to write the JSON Schema files to.",
)
def schema(out_dir: Path) -> None:
    """Write JSON Schema files for every workspace file, for editors' YAML support."""
    from ..readers.derive import write_schemas

    for path in write_schemas(out_dir):
        click.echo(f"wrote {path}")


if __name__ == "__main__":  # pragma: no cover
    main()
