"""One current value per (meter, interval) in the readings lake, on every write path.

MQTT QoS 1 delivers *at least* once, gateways resend after timeouts and files overlap or are imported
twice, so every writer of readings (file import, HTTP, MQTT, gap filling; the bulk loader applies the
same rule set-wise) goes through :class:`DedupeWriter`, which compares each incoming (meter, ts) with
what is stored:

* a key not stored yet is stored;
* the same key with the same value (within :data:`SAME_VALUE_REL`) is a duplicate, not stored again;
* the same key with a different value is a *conflict*: not stored, returned to the caller, who
  quarantines it as differing from the stored value, unless the write is a correction, in which case
  the new value replaces the stored one in the same lake commit and the old row stays on record
  (:meth:`nengtan.lake.store.Lake.revise`, :meth:`~nengtan.lake.store.Lake.superseded_rows`).

:class:`KeyIndex` keeps, per lake partition (carrier, Asia/Shanghai year, month), the measured keys as
sorted ``int64`` arrays (``meter_number << 42 | µs since the partition start``; a month is < 2^42 µs)
with their values beside them, in a few size-tiered chunks so adding a batch never re-sorts the whole
month (a newer chunk's value wins). It is built lazily from the committed files of a partition the
first time a batch touches it and caught up with files other writers committed since.
:meth:`DedupeWriter.write` holds an inter-process lock (``readings/_log/.dedupe.lock``) across catch-up,
comparison and the lake commit, so two writers can never both store the same key.

Estimated values (quality ``estimated``, written by gap filling) are not in the index: a measured
reading arriving later for the same key is stored, and :func:`effective_readings_sql` prefers it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from nengtan.calendar import month_start
from nengtan.lake.store import READING_SCHEMA, Lake, LakeError, file_lock, local_year_month

TS_BITS = 42
MAX_METERS = 1 << (63 - TS_BITS)
Partition = tuple[str, int, int]


class DedupeError(RuntimeError):
    """The key index cannot represent a batch (too many meters, timestamp outside its partition)."""


def partition_start_us(year: int, month: int) -> int:
    """UTC microseconds of 00:00 Asia/Shanghai on the first day of the month."""
    start = month_start(year, month)
    return int(start.timestamp()) * 1_000_000


SAME_VALUE_REL = 1e-9
"""Two values of one key are the same reading when they differ by no more than this, relatively (they
went through the same unit conversion, so only rounding can separate them)."""


@dataclass
class _Part:
    chunks: list[tuple[np.ndarray, np.ndarray]] = field(default_factory=list)  # (sorted keys, values), oldest first
    files: set[str] = field(default_factory=set)
    loaded: bool = False

    def lookup(self, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Which keys are stored, and their current value (NaN where not stored)."""
        found = np.zeros(len(keys), dtype=bool)
        values = np.full(len(keys), np.nan)
        for chunk, vals in self.chunks:  # oldest first: a newer chunk's value overwrites
            if len(chunk) == 0:
                continue
            pos = np.searchsorted(chunk, keys)
            pos[pos == len(chunk)] = len(chunk) - 1
            hit = chunk[pos] == keys
            found |= hit
            values[hit] = vals[pos[hit]]
        return found, values

    def contains(self, keys: np.ndarray) -> np.ndarray:
        return self.lookup(keys)[0]

    def add(self, keys: np.ndarray, values: np.ndarray) -> None:
        """Add keys with their values; a key already present takes the new value."""
        if len(keys) == 0:
            return
        self.chunks.append(_last_per_key(keys, values))
        while len(self.chunks) >= 2 and len(self.chunks[-2][0]) <= 2 * len(self.chunks[-1][0]):
            bk, bv = self.chunks.pop()
            ak, av = self.chunks.pop()
            self.chunks.append(_last_per_key(np.concatenate([ak, bk]), np.concatenate([av, bv])))

    @property
    def size(self) -> int:
        return int(sum(len(c) for c, _ in self.chunks))


def _last_per_key(keys: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sorted unique keys, each with the value of its last occurrence."""
    order = np.argsort(keys, kind="stable")
    k, v = keys[order], values[order]
    last = np.ones(len(k), dtype=bool)
    last[:-1] = k[1:] != k[:-1]
    return k[last], v[last]


def same_value(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Element-wise: is b the same reading value as a (see :data:`SAME_VALUE_REL`)?"""
    return np.abs(a - b) <= SAME_VALUE_REL * np.maximum(np.abs(a), np.abs(b))


def partitions(ts: pa.Array | pa.ChunkedArray, carriers: pa.Array) -> dict[Partition, np.ndarray]:
    """The rows of each lake partition (carrier, Asia/Shanghai year, month) among readings at `ts` (UTC)."""
    year, month = local_year_month(ts)
    ys = np.asarray(year.to_numpy(zero_copy_only=False), dtype=np.int64)
    ms = np.asarray(month.to_numpy(zero_copy_only=False), dtype=np.int64)
    enc = pc.dictionary_encode(carriers)  # the carriers' codes without sorting strings
    if isinstance(enc, pa.ChunkedArray):
        enc = enc.combine_chunks()
    uniq_c = enc.dictionary.to_pylist()
    c_code = np.asarray(enc.indices.to_numpy(zero_copy_only=False), dtype=np.int64)
    group = (c_code * 10000 + ys) * 100 + ms
    return {(str(uniq_c[g // 1_000_000]), int(g // 100 % 10000), int(g % 100)): np.nonzero(group == g)[0]
            for g in np.unique(group).tolist()}


class KeyIndex:
    """The (meter, ts) keys of measured readings, per partition."""

    def __init__(self) -> None:
        self._meters: dict[str, int] = {}
        self.parts: dict[Partition, _Part] = {}

    def meter_numbers(self, meter_ids: pa.Array | pa.ChunkedArray) -> np.ndarray:
        """Process-local dense numbers for meter ids (vectorised through a dictionary encoding)."""
        enc = pc.dictionary_encode(meter_ids)
        if isinstance(enc, pa.ChunkedArray):
            enc = enc.combine_chunks()
        numbers = np.empty(len(enc.dictionary), dtype=np.int64)
        for i, code in enumerate(enc.dictionary.to_pylist()):
            n = self._meters.get(code)
            if n is None:
                n = len(self._meters)
                if n >= MAX_METERS:
                    raise DedupeError(f"more than {MAX_METERS} meters in one key index")
                self._meters[code] = n
            numbers[i] = n
        return numbers[enc.indices.to_numpy(zero_copy_only=False)]

    def keys(self, part: Partition, meter_ids: pa.Array | pa.ChunkedArray,
             ts: pa.Array | pa.ChunkedArray) -> np.ndarray:
        base = partition_start_us(part[1], part[2])
        rel = pc.cast(ts, pa.int64()).to_numpy(zero_copy_only=False) - base
        if len(rel) and (rel.min() < 0 or rel.max() >= (1 << TS_BITS)):
            raise DedupeError(f"timestamp outside partition {part}")
        return (self.meter_numbers(meter_ids) << TS_BITS) | rel

    def part(self, part: Partition) -> _Part:
        p = self.parts.get(part)
        if p is None:
            p = self.parts[part] = _Part()
        return p

    def load_file(self, part: Partition, path: str) -> int:
        """Add the measured keys and values of one committed data file; returns how many rows it held."""
        t = pq.read_table(path, columns=["meter_id", "ts", "value", "quality"])
        t = t.filter(pc.not_equal(t["quality"], "estimated"))
        self.part(part).add(self.keys(part, t["meter_id"], t["ts"]), t["value"].to_numpy())
        return t.num_rows

    @property
    def size(self) -> int:
        return sum(p.size for p in self.parts.values())


@contextmanager
def dedupe_lock(lake: Lake) -> Iterator[None]:
    """The inter-process lock every exactly-once writer (DedupeWriter, the bulk loader) holds from
    looking at the stored keys until its lake commit is durable."""
    with file_lock(lake.log / ".dedupe.lock"):
        yield


@dataclass(frozen=True)
class Conflict:
    """An incoming reading whose key holds another value: `index` in the written table, the value it
    differs from, and whether that value is stored (``stored``) or came earlier in the same batch."""

    index: int
    other_value: float
    where: str


@dataclass(frozen=True)
class WriteResult:
    accepted: int
    duplicate: int
    batch_id: str | None
    version: int
    conflicts: tuple[Conflict, ...] = ()
    revised: int = 0  # stored readings a correction replaced


class DedupeWriter:
    """Writes readings to a lake so that each (meter, ts) has one current value, across processes."""

    def __init__(self, lake: Lake) -> None:
        self.lake = lake
        self.index = KeyIndex()

    def _lock(self) -> AbstractContextManager[None]:
        return dedupe_lock(self.lake)

    def _part_files(self, info: dict[str, dict[str, object]] | None = None) -> dict[Partition, list[str]]:
        by_part: dict[Partition, list[str]] = {}
        for rel, meta in (self.lake.file_info() if info is None else info).items():
            key = (str(meta["carrier"]), int(str(meta["year"])), int(str(meta["month"])))
            by_part.setdefault(key, []).append(rel)
        return by_part

    def _catch_up(self, parts: set[Partition]) -> None:
        by_part = self._part_files()
        for key in parts:
            p = self.index.part(key)
            for rel in sorted(by_part.get(key, [])):
                if rel not in p.files:
                    self.index.load_file(key, str(self.lake.dir / rel))
                    p.files.add(rel)
            p.loaded = True

    def write(self, table: pa.Table, carrier: str | pa.Array, batch_id: str | None = None,
              meta: dict[str, object] | None = None, kinds: pa.Array | None = None,
              correction: bool = False) -> WriteResult:
        """Store the rows of `table` whose (meter_id, ts) is new; report the ones that differ.

        `table` has meter_id, ts (UTC), value (canonical unit), unit and optionally quality; `carrier`
        is one carrier or one per row, `kinds` optionally each row's meter kind (see Lake.write_batch).
        A key stored with the same value is a duplicate; with another value it is a :class:`Conflict`
        (not stored) unless `correction`, when it replaces the stored row (kept on record). Within the
        batch the first occurrence of a key wins and a later one with another value is a conflict.
        Returns after the lake commit is durable.
        """
        n = table.num_rows
        if n == 0:
            return WriteResult(0, 0, None, self.lake.version)
        carriers = (pa.array([carrier] * n, pa.string()) if isinstance(carrier, str)
                    else pa.array(carrier, pa.string()))
        if "quality" not in table.column_names:
            table = table.append_column("quality", pa.array(["ok"] * n, pa.string()))
        ts = table["ts"]
        if pa.types.is_timestamp(ts.type) and ts.type.tz is None:
            ts = pc.assume_timezone(ts, "UTC")
        estimated = pc.equal(table["quality"], "estimated").to_numpy(zero_copy_only=False)
        values = np.asarray(table["value"].to_numpy(), dtype=np.float64)
        keep = np.ones(n, dtype=bool)
        conflicts: list[Conflict] = []
        with self._lock():
            parts = partitions(ts, carriers)
            self._catch_up(set(parts))
            new_keys: dict[Partition, tuple[np.ndarray, np.ndarray]] = {}
            replaced: dict[Partition, np.ndarray] = {}
            for part, rows in parts.items():
                meters = pc.take(table["meter_id"], pa.array(rows))
                k = self.index.keys(part, meters, pc.take(ts, pa.array(rows)))
                v = values[rows]
                # estimated rows get a separate key space: they never hide a measured reading
                est = estimated[rows]
                k_cmp = np.where(est, -1 - k, k)
                _, first, inverse = np.unique(k_cmp, return_index=True, return_inverse=True)
                first_of = first[inverse.reshape(-1)]  # position of each row's key's first occurrence
                later = first_of != np.arange(len(rows))
                later_differs = later & ~same_value(v[first_of], v)
                for i in np.nonzero(later_differs & ~est)[0]:
                    conflicts.append(Conflict(int(rows[i]), float(v[first_of[i]]), "batch"))
                found, stored_v = self.index.part(part).lookup(k)
                same = found & same_value(stored_v, v)
                differs = found & ~same & ~est
                if not correction:
                    for i in np.nonzero(differs & ~later)[0]:
                        conflicts.append(Conflict(int(rows[i]), float(stored_v[i]), "stored"))
                    blocked = found
                else:
                    blocked = same | (found & est)
                    replaced[part] = k[differs & ~later]
                keep[rows] = ~(later | blocked)
                kept_measured = keep[rows] & ~est
                new_keys[part] = (k[kept_measured], v[kept_measured])
            accepted = int(keep.sum())
            if accepted == 0:
                return WriteResult(0, n - len(conflicts), None, self.lake.version, tuple(conflicts))
            idx = pa.array(np.nonzero(keep)[0])
            out = table.take(idx) if accepted < n else table
            out_carriers = carriers.take(idx) if accepted < n else carriers
            out_kinds = None if kinds is None else (pa.array(kinds, pa.string()).take(idx) if accepted < n
                                                    else pa.array(kinds, pa.string()))
            to_replace = {p: k for p, k in replaced.items() if len(k)}
            for attempt in range(3):  # a compaction (which takes no dedupe lock) may swap a file meanwhile
                remove, rewritten, superseded = self._plan_revision(to_replace)
                try:
                    result = self.lake.revise(out, out_carriers, batch_id, meta, out_kinds, remove, rewritten,
                                              superseded)
                    break
                except LakeError:
                    if not remove or attempt == 2:
                        raise
                    self._catch_up(set(to_replace))
            if not result.duplicate:
                for part, (k, v) in new_keys.items():
                    self.index.part(part).add(k, v)
                info = self.lake.file_info()
                for rel in result.files:
                    if rel in info:
                        f = info[rel]
                        self.index.part((str(f["carrier"]), int(str(f["year"])), int(str(f["month"])))).files.add(rel)
            else:
                accepted = 0
        revised = 0 if superseded is None or result.duplicate else superseded.num_rows
        return WriteResult(accepted, n - accepted - len(conflicts), result.batch_id, result.version,
                           tuple(conflicts), revised)

    def _plan_revision(self, replaced: dict[Partition, np.ndarray]
                       ) -> tuple[list[str], list[tuple[pa.Table, dict[str, object]]], pa.Table | None]:
        """For keys a correction replaces: the committed files holding them, those files rewritten
        without them, and the replaced rows (with their carrier) to keep on record."""
        if not replaced:
            return [], [], None
        info = self.lake.file_info()
        by_part = self._part_files(info)
        remove: list[str] = []
        rewritten: list[tuple[pa.Table, dict[str, object]]] = []
        old_rows: list[pa.Table] = []
        for part, keys in replaced.items():
            wanted = np.sort(keys)
            for rel in sorted(by_part.get(part, [])):
                t = pq.read_table(self.lake.dir / rel)
                measured = pc.not_equal(t["quality"], "estimated").to_numpy(zero_copy_only=False)
                hit = np.isin(self.index.keys(part, t["meter_id"], t["ts"]), wanted) & measured
                if not hit.any():
                    continue
                remove.append(rel)
                rest = t.filter(pa.array(~hit))
                if rest.num_rows:
                    rewritten.append((rest, {k: v for k, v in info[rel].items() if k in
                                             ("path", "carrier", "year", "month", "kind")}))
                gone = t.filter(pa.array(hit)).select(READING_SCHEMA.names).cast(READING_SCHEMA)
                old_rows.append(gone.append_column("carrier", pa.array([part[0]] * gone.num_rows, pa.string())))
        return remove, rewritten, (pa.concat_tables(old_rows) if old_rows else None)

    def note_replaced(self, part: Partition, removed: tuple[str, ...], added: str) -> None:
        """Compaction swapped `removed` for `added` (same rows): if all removed files are indexed, the
        new one need not be read again."""
        with self._lock():
            p = self.index.parts.get(part)
            if p is not None and set(removed) <= p.files:
                p.files.add(added)


def effective_readings_sql(files: list[str]) -> str:
    """DuckDB SQL over lake files with one row per (meter_id, ts): a measured value wins over an
    estimate for the same key (estimates only fill gaps), and partition columns come from the path."""
    if not files:
        return ("SELECT NULL::VARCHAR AS meter_id, NULL::TIMESTAMPTZ AS ts, NULL::DOUBLE AS value, "
                "NULL::VARCHAR AS unit, NULL::VARCHAR AS quality, NULL::VARCHAR AS carrier WHERE false")
    flist = ", ".join("'" + f.replace("'", "''") + "'" for f in files)
    return (
        "SELECT meter_id, ts, value, unit, quality, carrier FROM ("
        "SELECT *, row_number() OVER (PARTITION BY meter_id, ts ORDER BY (quality = 'estimated'), batch) AS _rn "
        f"FROM read_parquet([{flist}], hive_partitioning = true)) WHERE _rn = 1"
    )


@dataclass(frozen=True)
class ChunkResult:
    """What :meth:`DedupeStream.add` did with one chunk: per row (in the chunk's order) ``new``,
    ``duplicate`` (stored with the same value), a stored :class:`Conflict`, or a repeat of a key an
    earlier chunk of the same stream brought (with that row's number)."""

    accepted: int
    duplicate: int
    conflicts: tuple[Conflict, ...]
    repeats: tuple[tuple[int, int], ...]  # (index in the chunk, row number of the first occurrence)


class DedupeStream:
    """One batch written in bounded chunks: each chunk is compared with the stored keys and with the
    stream's earlier chunks, its new rows staged to temporary lake files, and :meth:`commit` makes all
    of them visible in one lake commit (a kill before it leaves nothing visible; re-running the import
    completes it exactly). Memory is one chunk, the key index of the partitions touched (16 bytes per
    stored key, as every writer keeps) and 16 bytes per key of the stream. The dedupe lock is held
    from the first chunk to the commit, so live writers wait for a long import rather than racing it.
    Not for corrections (DedupeWriter.write, which rewrites stored files)."""

    def __init__(self, writer: DedupeWriter, batch_id: str, meta: dict[str, object]) -> None:
        self.writer = writer
        self.batch_id = batch_id
        self.meta = meta
        self.staged: list[tuple[Path, Path, dict[str, object]]] = []
        self.pending: dict[Partition, _Part] = {}  # this stream's keys → their row numbers
        self.chunks = 0
        self.accepted = 0

    def add(self, table: pa.Table, carriers: pa.Array, kinds: pa.Array | None, rows: np.ndarray) -> ChunkResult:
        """Compare and stage one chunk (`rows`: each row's number in the file, for repeats)."""
        w = self.writer
        n = table.num_rows
        if "quality" not in table.column_names:
            table = table.append_column("quality", pa.array(["ok"] * n, pa.string()))
        estimated = pc.equal(table["quality"], "estimated").to_numpy(zero_copy_only=False)
        values = np.asarray(table["value"].to_numpy(), dtype=np.float64)
        keep = np.zeros(n, dtype=bool)
        dup = 0
        conflicts: list[Conflict] = []
        repeats: list[tuple[int, int]] = []
        parts = partitions(table["ts"], carriers)
        w._catch_up(set(parts))
        for part, idx in parts.items():
            k = w.index.keys(part, pc.take(table["meter_id"], pa.array(idx)), pc.take(table["ts"], pa.array(idx)))
            mine = self.pending.setdefault(part, _Part())
            again, first_row = mine.lookup(k)
            for j in np.nonzero(again)[0]:
                repeats.append((int(idx[j]), int(first_row[j])))
            found, stored_v = w.index.part(part).lookup(k)
            v = values[idx]
            est = estimated[idx]
            same = found & same_value(stored_v, v)
            for j in np.nonzero(~again & found & ~same & ~est)[0]:
                conflicts.append(Conflict(int(idx[j]), float(stored_v[j]), "stored"))
            dup += int((~again & found & (same | est)).sum())
            new = ~again & ~found
            keep[idx[new]] = True
            # every key this file brought, stored before or not: a later repeat is a repeat in the file,
            # as the check within a chunk reports it
            mine.add(k[~again], rows[idx[~again]].astype(np.float64))
        if keep.any():
            take = pa.array(np.nonzero(keep)[0])
            self.staged += w.lake.stage(w.lake._conform(table.take(take)), carriers.take(take),
                                        None if kinds is None else pa.array(kinds, pa.string()).take(take),
                                        self.batch_id, tag=f"c{self.chunks}-")
        self.chunks += 1
        accepted = int(keep.sum())
        self.accepted += accepted
        return ChunkResult(accepted, dup, tuple(conflicts), tuple(repeats))

    def commit(self) -> int | None:
        """Publish every staged file in one lake commit; the new version (None: nothing to commit, or
        the batch was committed before)."""
        w = self.writer
        if not self.staged:
            return None
        # the writer's index learns the new files as any other writer's: by catching up when a later
        # write touches their partition (holding the keys twice meanwhile would double the memory)
        return w.lake.publish(self.staged, self.batch_id, self.meta)

    def discard(self) -> None:
        for tmp, _, _ in self.staged:
            tmp.unlink(missing_ok=True)
        self.staged = []


@contextmanager
def dedupe_stream(writer: DedupeWriter, batch_id: str, meta: dict[str, object]) -> Iterator[DedupeStream]:
    """A :class:`DedupeStream` under the dedupe lock; staged files not committed are removed on exit."""
    with writer._lock():
        stream = DedupeStream(writer, batch_id, meta)
        try:
            yield stream
        finally:
            stream.discard()
