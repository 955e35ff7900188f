"""A loaded store, and one claim file's reads, as data: MessagePack of known types only.

The store cache lies in the workspace, and a workspace travels on shared drives and in
zip files: what is kept there must never be able to run code when it is read back, as a
pickle can. So a kept store is encoded with msgspec as a fixed layout (`_Store`, `_Read`)
of the record classes, dates, problems and plain values, and decoded against that same
layout: whatever a file holds, decoding makes only those types, or fails, and the cache
then reads the store again. Paths are kept as text; the unknown keys a record carries
(`Record.extra`, which msgspec does not see) are kept beside it, by where they sit.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import msgspec

from ..dates import PartialDate
from ..errors import Problem, Problems
from ..readers.fields import Record
from ..readers.records import Audience, Claim, Settings, Source, StoreSection
from ..readers.texts import CapturedText
from ..readers.workspace import ListRead, Where, Workspace
from .packed import Records, unpack

LAYOUT = 1  # the layout below; an entry of any other is not read
Place = tuple[str | int, ...]  # a key path inside a record: ("sources", 0)
Facts = tuple[str | None, bool, PartialDate | None]
# an unknown key's record: its table ("claims", …), its id, its place in it, and the keys
Extra = tuple[str, str, Place, dict[str, Any]]


class _Store(msgspec.Struct, array_like=True):
    """A Workspace's fields, as data."""

    layout: int
    named: dict[str, str | None]  # the versions of the files the workspace names
    root: str
    settings: Settings
    audiences: dict[str, Audience]
    sources: dict[str, Source]
    claims: dict[str, Claim]
    sections: dict[str, StoreSection]
    paths: list[str]  # every file a record was read from, once
    where: dict[str, dict[str, tuple[int, Place]]]  # kind -> id -> (file, place in it)
    texts: dict[str, CapturedText]
    text_paths: dict[str, str]
    locators: dict[tuple[str, int], str]
    broken: dict[str, set[str]]
    incomplete: set[str]
    problems: list[Problem]
    extras: list[Extra]
    claim_names: dict[str | None, set[str]] | None
    topics: dict[str, list[str]] | None
    reverse: dict[str, list[str]] | None
    facts: dict[str, Facts] | None


class _Read(msgspec.Struct, array_like=True):
    """A claim file's ListRead, as data."""

    layout: int
    records: list[tuple[int, Claim]]
    broken: list[str]
    incomplete: bool
    problems: list[Problem]
    locators: dict[tuple[str, int], str]
    names: dict[str | None, set[str]]
    topics: dict[str, list[str]]
    contradicted_by: dict[str, list[str]]
    facts: dict[str, Facts]
    extras: list[Extra]


_STORE = msgspec.msgpack.Decoder(_Store)
_READ = msgspec.msgpack.Decoder(_Read)
_ENCODER = msgspec.msgpack.Encoder()


def encode_store(ws: Workspace, named: dict[str, str | None]) -> bytes:
    """Return `ws`, with the versions of the files it names, as bytes."""
    claims = _unpacked(ws.claims)
    paths: dict[Path, int] = {}
    where: dict[str, dict[str, tuple[int, Place]]] = {}
    for (kind, ident), here in ws.where.items():
        where.setdefault(kind, {})[ident] = (paths.setdefault(here.path, len(paths)), here.loc)
    return _ENCODER.encode(
        _Store(
            LAYOUT,
            named,
            str(ws.root),
            ws.settings,
            ws.audiences,
            ws.sources,
            claims,  # type: ignore[arg-type]
            ws.sections,
            [str(p) for p in paths],
            where,
            ws.texts,
            {ident: str(p) for ident, p in ws.text_paths.items()},
            ws.locators,
            ws.broken,
            ws.incomplete,
            ws.problems.items,
            [
                (table, ident, place, extra)
                for table, records in _tables(ws, claims).items()
                for ident, record in records.items()
                for place, extra in _extras(record)
            ],
            ws.claim_names,
            ws._topics,
            ws._reverse,
            ws._facts,
        )
    )


def decode_store(data: bytes | memoryview) -> tuple[dict[str, str | None], Workspace]:
    """Return the versions of the named files and the Workspace that `data` holds.

    Raises msgspec.DecodeError (msgspec.ValidationError among them) if it holds anything
    else, and ValueError if it is of another layout."""
    kept = _STORE.decode(data)
    if kept.layout != LAYOUT:
        raise ValueError(f"a store cache of layout {kept.layout}")
    paths = [Path(p) for p in kept.paths]
    ws = Workspace(
        Path(kept.root),
        kept.settings,
        kept.audiences,
        kept.sources,
        Records(kept.claims),  # type: ignore[arg-type]
        kept.sections,
        {
            (kind, ident): Where(paths[file], None, place)
            for kind, places in kept.where.items()
            for ident, (file, place) in places.items()
        },
        kept.texts,
        {ident: Path(p) for ident, p in kept.text_paths.items()},
        kept.locators,
        kept.broken,
        kept.incomplete,
        Problems(kept.problems),
        claim_names=kept.claim_names,
        _topics=kept.topics,
        _reverse=kept.reverse,
        _facts=kept.facts,
    )
    tables = _tables(ws, ws.claims)
    for table, ident, place, extra in kept.extras:
        _set_extra(tables[table][ident], place, extra)
    return kept.named, ws


def encode_read(read: ListRead) -> bytes:
    """Return a claim file's reads as bytes."""
    records = [(i, unpack(r) if type(r) is tuple else r) for i, r in read.records]
    return _ENCODER.encode(
        _Read(
            LAYOUT,
            records,
            read.broken,
            read.incomplete,
            read.problems.items,
            read.locators,
            read.names,
            read.topics,
            read.contradicted_by,
            read.facts,
            [
                ("records", str(n), place, extra)
                for n, (_, record) in enumerate(records)
                for place, extra in _extras(record)
            ],
        )
    )


def decode_read(data: bytes | memoryview) -> ListRead:
    """Return the claim file's reads `data` holds (raising as `decode_store` does)."""
    kept = _READ.decode(data)
    if kept.layout != LAYOUT:
        raise ValueError(f"claim file reads of layout {kept.layout}")
    for _, n, place, extra in kept.extras:
        _set_extra(kept.records[int(n)][1], place, extra)
    return ListRead(
        kept.records,  # type: ignore[arg-type]
        kept.broken,
        kept.incomplete,
        Problems(kept.problems),
        kept.locators,
        kept.names,
        kept.topics,
        kept.contradicted_by,
        kept.facts,
    )


def _tables(ws: Workspace, claims: Mapping[str, Claim]) -> dict[str, Mapping[str, Record]]:
    """Return the workspace's records by table, as `Extra` names them."""
    return {
        "settings": {"": ws.settings},
        "audiences": ws.audiences,
        "sources": ws.sources,
        "claims": claims,
        "sections": ws.sections,
    }


def _unpacked(records: Records[Claim]) -> dict[str, Claim]:
    """Return every record of `records`, unpacked, by id (unpacking none into it)."""
    out: dict[str, Claim] = {}
    for ident, item in records._items.items():
        out[ident] = unpack(item) if type(item) is tuple else item  # type: ignore[assignment]
    return out


def _extras(record: Record, place: Place = ()) -> Iterator[tuple[Place, dict[str, Any]]]:
    """Yield the unknown keys of `record` and of each record it holds, by their place."""
    extra = record.__dict__.get("extra")
    if extra:
        yield place, extra
    for name, _, _ in type(record).NESTED:
        value = getattr(record, name)
        if isinstance(value, Record):
            yield from _extras(value, (*place, name))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, Record):
                    yield from _extras(item, (*place, name, i))


def _set_extra(record: Any, place: Place, extra: dict[str, Any]) -> None:
    """Give the record at `place` inside `record` its unknown keys back."""
    for step in place:
        record = record[step] if isinstance(step, int) else getattr(record, step)
    if not isinstance(record, Record):
        raise ValueError("unknown keys of no record")
    record.__dict__["extra"] = extra
