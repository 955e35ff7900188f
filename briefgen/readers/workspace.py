"""Find a workspace, load its settings, audiences and store, and place every record."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache, partial
from pathlib import Path
from typing import Any, NamedTuple, Protocol, TypeVar

from ..dates import PartialDate
from ..errors import Problems
from ..readers.fields import Record
from ..speed.packed import Records, pack, value_of
from ..speed.parallel import read_in_order
from .discover import AUDIENCES_FILE, SETTINGS_FILE, find_root  # noqa: F401 (re-exported)
from .records import Audience, Brief, Claim, Settings, Source, StoreSection
from .texts import CapturedText
from .validate import validate
from .yamlio import LDict, LList, line_at, load_file

NOT_BRIEFS = {SETTINGS_FILE, AUDIENCES_FILE}
R = TypeVar("R", bound=Record)
# what selects test and sort by, per claim: its confidence, whether it is second-hand
# (has an origin) and its date (see Workspace.select_facts)
Facts = tuple[str | None, bool, PartialDate | None]


class Where(NamedTuple):
    """Where a record was written: its file, its place in it, and (for small files) its data.

    Store files can hold thousands of records; keeping their located data would double
    the memory a large store needs, so it is read again, once, when a line is wanted:
    that happens only when something is wrong. (A named tuple: there is one per record,
    and it takes half a dataclass's memory.)
    """

    path: Path
    data: Any
    loc: tuple[str | int, ...] = ()

    @property
    def line(self) -> int:
        """Return the line the record starts on."""
        return line_at(self._data(), self.loc)

    def line_of(self, *keys: str | int) -> int:
        """Return the line of a key path inside the record."""
        return line_at(self._data(), self.loc + keys)

    def _data(self) -> Any:
        return self.data if self.data is not None else _reread(self.path)


@lru_cache(maxsize=8)
def _reread(path: Path) -> Any:
    """Return a file's located data again, for line numbers (problems were reported)."""
    return load_file(path, Problems())


@dataclass
class Workspace:
    """A loaded workspace: settings, audiences, the store, and where each record is."""

    root: Path
    settings: Settings
    audiences: dict[str, Audience]
    sources: dict[str, Source] = field(default_factory=dict)
    claims: Records[Claim] = field(default_factory=Records)  # unpacked as they are used
    sections: dict[str, StoreSection] = field(default_factory=dict)
    where: dict[tuple[str, str], Where] = field(default_factory=dict)
    texts: dict[str, CapturedText] = field(default_factory=dict)
    text_paths: dict[str, Path] = field(default_factory=dict)  # source id -> captured text
    locators: dict[tuple[str, int], str] = field(default_factory=dict)  # derived from quotes
    broken: dict[str, set[str]] = field(default_factory=dict)  # kind -> ids that failed
    incomplete: set[str] = field(default_factory=set)  # kinds with a file that failed to load
    problems: Problems = field(default_factory=Problems)
    _names: dict[str | None, set[str]] | None = None
    # what the claim checks found, if they ran: the names claims capitalise, by marking
    claim_names: dict[str | None, set[str]] | None = None
    _topics: dict[str, list[str]] | None = None
    _reverse: dict[str, list[str]] | None = None
    _order: dict[str, int] | None = None
    _facts: dict[str, Facts] | None = None

    @property
    def store(self) -> Path:
        """Return the store folder."""
        return self.root / "store"

    @property
    def out(self) -> Path:
        """Return the output folder."""
        return self.root / self.settings.output

    def brief_paths(self) -> list[Path]:
        """Return every brief: the other *.yaml files at the workspace's root."""
        return sorted(
            p
            for p in self.root.glob("*.yaml")  # a FIFO too: it is refused
            if p.name not in NOT_BRIEFS and not p.is_dir()
        )

    def marking_rank(self, name: str | None) -> int:
        """Return the rank of a marking (0 = lowest); unknown names rank highest."""
        names = [m.name for m in self.settings.markings]
        if name is None:
            return 0
        return names.index(name) if name in names else len(names)

    def exists(self, kind: str, ident: str) -> bool:
        """Return whether a reference to `ident` may stand: it exists, or its record failed.

        A record that failed to load has already been reported; reporting every
        reference to it again would bury the one error that matters.
        """
        table: dict[str, Mapping[str, Any]] = {
            "claim": self.claims,
            "source": self.sources,
            "section": self.sections,
            "audience": self.audiences,
        }
        known = table[kind]
        return ident in known or ident in self.broken.get(kind, set()) or kind in self.incomplete

    def proper_nouns(self, markings: Callable[[str | None], bool] | None = None) -> set[str]:
        """Return the words the whole store capitalises inside sentences (captured texts,
        claims' texts and origins, sources' titles and container titles); with
        `markings`, only those of claims whose marking it accepts.

        A title is put in sentence case by these names, and an origin or a claim's first
        word keeps its capital by them, so an audience's memo is cased by the claims it
        may see: a restricted claim's words must not shape a public memo. A title in
        headline case capitalises every word, so only one in sentence case teaches names.
        """
        if self._names is None:
            from ..cite.csl import looks_headline_case, names_in, proper_nouns

            titles = [
                t
                for s in self.sources.values()
                for t in (s.title, s.container_title)
                if t and not looks_headline_case(t)
            ]
            by_marking: dict[str | None, set[str]] = {
                None: proper_nouns([p for t in self.texts.values() for p in t.paragraphs] + titles)
            }
            if self.claim_names is None:  # loaded without checks: read the claims now
                for claim in self.claims.values():
                    found = by_marking.setdefault(claim.marking, set())
                    found.update(names_in(claim.text))
                    found.update(names_in(claim.origin or ""))
            else:
                for marking, names in self.claim_names.items():
                    by_marking.setdefault(marking, set()).update(names)
            self._names = by_marking
        # captured texts and claims of no marking: every audience may see those
        chosen = [
            names
            for marking, names in self._names.items()
            if marking is not None and (markings is None or markings(marking))
        ]
        return self._names[None].union(*chosen)

    def topic_index(self) -> dict[str, list[str]]:
        """Return, per topic, the ids of its claims (built once: selects ask it often).

        The indexes here come ready from the claim checks, which file each claim as it is
        read (ListRead.file); a store loaded without them builds each from its claims."""
        if self._topics is None:
            self._topics = self._claims_by("topics")
        return self._topics

    def contradicted_by(self) -> dict[str, list[str]]:
        """Return, for each claim, the claims that say they contradict it (built once)."""
        if self._reverse is None:
            self._reverse = self._claims_by("contradicts")
        return self._reverse

    def _claims_by(self, key: str) -> dict[str, list[str]]:
        """Return, for each value in the claims' lists at `key`, the claims holding it."""
        index: dict[str, list[str]] = {}
        for ident, values in self.claims.columns(key):
            for value in values:
                index.setdefault(value, []).append(ident)
        return index

    def select_facts(self) -> dict[str, Facts]:
        """Return, for each claim, what selects test and sort by: its confidence, whether
        it is second-hand (has an origin) and its date (`claim_date`). Built once, and
        kept in the store cache: a select then unpacks only the claims it picks."""
        if self._facts is None:
            self._facts = {
                ident: (
                    confidence,
                    bool(origin),
                    date if date is not None else self.dated(None, sources),
                )
                for ident, (confidence, origin, date, sources) in self.claims.columns(
                    "confidence", "origin", "date", "sources"
                )
            }
        return self._facts

    def dated(self, date: PartialDate | None, sources: list[Any]) -> PartialDate | None:
        """Return when a claim's information is from: its own date, else its first
        source's (`sources` as a claim holds them, packed or not)."""
        if date is not None:
            return date
        first = self.sources.get(value_of(sources[0], "source"))
        return first.issued if first else None

    def claim_order(self) -> dict[str, int]:
        """Return each claim's position in the store, for store order."""
        if self._order is None:
            self._order = {ident: i for i, ident in enumerate(self.claims)}
        return self._order

    def lowest_marking(self) -> str:
        """Return the lowest marking's name."""
        return self.settings.markings[0].name


@dataclass(frozen=True)
class Checks:
    """Checks made while the store is read (check/store.py has them): `after_sources` once the
    sources are in, and `claim` on each claim as it is read, in the reader processes
    for a large store. A claim check may look at settings and sources only."""

    after_sources: Callable[[Workspace], None]
    claim: Callable[[Workspace, Claim, Where, ListRead], None]


class ReadCache(Protocol):
    """Claim files' reads kept from an earlier run (cache.ClaimFileReads): `get` gives
    what reading and checking a file as it is now gave then; `keep` is told what a file
    not found there gave now. Only for loads with checks: the reads hold their results."""

    def get(self, path: Path) -> ListRead | None: ...

    def keep(self, path: Path, read: ListRead) -> None: ...


def load(root: Path, checks: Checks | None = None, reads: ReadCache | None = None) -> Workspace:
    """Return the workspace at `root` with every file loaded; problems are collected."""
    # Millions of small objects are made and kept: the cyclic collector would rescan them
    # again and again (three times the load time on a large store) and finds nothing.
    with no_gc():
        ws = _load(root, checks, reads if checks is not None else None)
        gc.freeze()  # and after: what was loaded stays for the command's life
        return ws


@contextmanager
def no_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector (if it runs) for the block."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _load(root: Path, checks: Checks | None, reads: ReadCache | None) -> Workspace:
    ws = Workspace(root, Settings(), {})
    ws.settings = _load_settings(ws)
    ws.audiences = _load_audiences(ws)
    _load_list(ws, root / "store" / "sources.yaml", Source, "source", ws.sources)
    check: _ClaimCheck | None = None
    if checks is not None:
        ws.claim_names = {}
        checks.after_sources(ws)
        check = partial(checks.claim, ws)
    claim_files = sorted((root / "store" / "claims").glob("*.yaml"))
    indexed = check is not None  # the checks filed each claim: merge the files' indexes
    topics: dict[str, list[str]] = {}
    reverse: dict[str, list[str]] = {}
    facts: dict[str, Facts] = {}
    for path, read in _read_cached(root, claim_files, check, reads):
        indexed = _place(ws, path, read, "claim", ws.claims) and indexed
        if indexed:
            for topic, ids in read.topics.items():
                topics.setdefault(topic, []).extend(ids)
            for other, ids in read.contradicted_by.items():
                reverse.setdefault(other, []).extend(ids)
            facts.update(read.facts)
    if indexed:  # else (a duplicate id was left out) they are made from the claims
        ws._topics, ws._reverse, ws._facts = topics, reverse, facts
    for path in sorted((root / "store" / "sections").glob("*.yaml")):
        _load_list(ws, path, StoreSection, "section", ws.sections)
    if not (root / "store" / "sources.yaml").exists():
        ws.problems.add(root / "store" / "sources.yaml", 0, "", "the store has no sources.yaml")
    return ws


def _load_settings(ws: Workspace) -> Settings:
    path = ws.root / SETTINGS_FILE
    data = load_file(path, ws.problems, ws.root)
    ws.where[("settings", "")] = Where(path, data)
    if data is None:
        return Settings()
    if not isinstance(data, dict):
        ws.problems.add(path, line_at(data, ()), "", "expected a mapping of settings")
        return Settings()
    # a wrong key is reported, and the others are kept: one should not bury the rest
    return validate(Settings, data, path, ws.problems) or Settings()


def _load_audiences(ws: Workspace) -> dict[str, Audience]:
    path = ws.root / AUDIENCES_FILE
    if not path.exists():
        return {"default": Audience(label="Readers")}
    data = load_file(path, ws.problems, ws.root)
    if data is None:
        ws.incomplete.add("audience")
        return {}
    if not isinstance(data, LDict):
        ws.problems.add(
            path, line_at(data, ()), "", "expected a mapping of audience ids to profiles"
        )
        return {}
    out: dict[str, Audience] = {}
    for name, body in data.items():
        record = validate(
            Audience, body if body is not None else {}, path, ws.problems, root=data, loc=(name,)
        )
        ws.where[("audience", name)] = Where(path, data, (name,))
        if record is not None:
            out[name] = record
        else:
            ws.broken.setdefault("audience", set()).add(name)
    return out


def _load_list(ws: Workspace, path: Path, model: type[R], kind: str, into: dict[str, Any]) -> None:
    """Load a file holding a list of records of `model` into `into`, by id."""
    _place(ws, path, _read_list(path, model, kind, root=ws.root), kind, into)


@dataclass
class ListRead:
    """What one file of records holds: its valid records by index, the ids of broken
    ones, whether records without an id were lost, the file's problems, and what the
    claim checks found (paragraph locators, names the claims capitalise)."""

    records: list[tuple[int, Any]] = field(default_factory=list)
    broken: list[str] = field(default_factory=list)
    incomplete: bool = False
    problems: Problems = field(default_factory=Problems)
    locators: dict[tuple[str, int], str] = field(default_factory=dict)
    names: dict[str | None, set[str]] = field(default_factory=dict)  # by claim marking
    # the file's part of the store's indexes (Workspace.topic_index, contradicted_by and
    # select_facts), filed by the claim checks: made in the reader processes, in parallel
    topics: dict[str, list[str]] = field(default_factory=dict)
    contradicted_by: dict[str, list[str]] = field(default_factory=dict)
    facts: dict[str, Facts] = field(default_factory=dict)

    def file(self, claim: Claim, date: PartialDate | None) -> None:
        """File a claim in the indexes, as Workspace would (`date`: `Workspace.dated`)."""
        ident = claim.id
        for topic in claim.topics:
            self.topics.setdefault(topic, []).append(ident)
        for other in claim.contradicts:
            self.contradicted_by.setdefault(other, []).append(ident)
        self.facts[ident] = (claim.confidence, bool(claim.origin), date)

    def __getstate__(self) -> dict[str, Any]:
        """Pickle the records packed: they unpickle six times faster (see speed/packed.py)."""
        state = dict(self.__dict__)
        state["records"] = [(i, r if type(r) is tuple else pack(r)) for i, r in self.records]
        return state


_ClaimCheck = Callable[[Any, Where, "ListRead"], None]


def _read_list(
    path: Path, model: type[R], kind: str, check: _ClaimCheck | None = None, *, root: Path
) -> ListRead:
    """Read and validate one file of records of the workspace at `root` (and check each),
    touching no workspace."""
    read = ListRead()
    if not path.exists() and not path.is_symlink():
        return read
    data = load_file(path, read.problems, root)
    if data is None:
        read.incomplete = bool(read.problems.errors)
        return read
    if not isinstance(data, LList):
        read.incomplete = True
        read.problems.add(path, line_at(data, ()), "", f"expected a list of {kind}s (- id: …)")
        return read
    for i, item in enumerate(data):
        record = validate(model, item, path, read.problems, root=data, loc=(i,))
        if record is not None:
            read.records.append((i, record))
            if check is not None:
                check(record, Where(path, None, (i,)), read)
        elif isinstance(item, dict) and isinstance(item.get("id"), str):
            read.broken.append(item["id"])
        else:
            read.incomplete = True
    return read


def _place(
    ws: Workspace, path: Path, read: ListRead, kind: str, into: dict[str, Any] | Records[Any]
) -> bool:
    """Put one file's records into the workspace, in order, reporting duplicate ids;
    return whether every record was put in (none had an id already taken)."""
    ws.problems.extend(read.problems)
    ws.locators.update(read.locators)
    if ws.claim_names is not None:
        for marking, names in read.names.items():
            ws.claim_names.setdefault(marking, set()).update(names)
    if read.incomplete:
        ws.incomplete.add(kind)
    if read.broken:
        ws.broken.setdefault(kind, set()).update(read.broken)
    every = True
    for i, record in read.records:  # each a record, or packed if it was pickled
        ident = value_of(record, "id")
        here = Where(path, None, (i,))
        first = ws.where.get((kind, ident))
        if first is not None:
            _duplicate(ws.problems, kind, ident, first, here)
            every = False
            continue
        into[ident] = record
        ws.where[(kind, ident)] = here
    return every


def _read_cached(
    root: Path, paths: list[Path], check: _ClaimCheck | None, reads: ReadCache | None
) -> Iterator[tuple[Path, ListRead]]:
    """Yield each claim file's reads, in order: kept ones from `reads`, the rest read."""
    read_one = partial(_read_list, model=Claim, kind="claim", check=check, root=root)
    if reads is None:
        yield from read_in_order(paths, read_one)
        return
    kept = {path: reads.get(path) for path in paths}
    fresh = read_in_order([p for p in paths if kept[p] is None], read_one)
    for path in paths:
        read = kept[path]
        if read is None:
            again, read = next(fresh)
            assert again == path
            reads.keep(path, read)
        yield path, read


def _duplicate(problems: Problems, kind: str, ident: str, first: Where, again: Where) -> None:
    """Report a duplicate id at both of its places."""
    from ..errors import display_path

    problems.add(
        again.path,
        again.line_of("id"),
        "id",
        f"duplicate {kind} id {ident!r} (also at {display_path(first.path)}:{first.line_of('id')})",
    )
    problems.add(
        first.path,
        first.line_of("id"),
        "id",
        f"duplicate {kind} id {ident!r} (also at {display_path(again.path)}:{again.line_of('id')})",
    )


def load_brief(ws: Workspace, path: Path) -> tuple[Brief | None, Where]:
    """Return the brief in `path` and where it is; problems go to the workspace."""
    data = load_file(path, ws.problems, ws.root)
    where = Where(path, data)
    if data is None:
        if path.exists() and not ws.problems.errors:
            ws.problems.add(path, 0, "", "the brief is empty")
        return None, where
    if not isinstance(data, LDict):
        ws.problems.add(
            path, line_at(data, ()), "", "expected a brief: a mapping with title, sections, …"
        )
        return None, where
    return validate(Brief, data, path, ws.problems), where
