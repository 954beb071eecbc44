"""Exactly-once writes to the readings lake: a reading is identified by (meter, timestamp).

MQTT QoS 1 delivers *at least* once, gateways resend after timeouts and files are imported twice, so
every writer of live data goes through :class:`DedupeWriter`, which stores a (meter, ts) key once:

* :class:`KeyIndex` keeps, per lake partition (carrier, Asia/Shanghai year, month), the exact set of
  measured keys as sorted ``int64`` arrays (``meter_number << 42 | µs since the partition start``; a
  month is < 2^42 µs), in a few size-tiered chunks so adding a batch never re-sorts the whole month.
  It is built lazily from the committed files of a partition the first time a batch touches it (one
  column read per file) and caught up with files other writers committed since.
* :meth:`DedupeWriter.write` holds an inter-process lock (``readings/_log/.dedupe.lock``) across
  catch-up, filtering and the lake commit, so two writers (MQTT ingester, HTTP service, bulk loader)
  can never both store the same key.

Estimated values (quality ``estimated``, written by gap filling) are not in the index: a measured
reading arriving later for the same key is stored, and :func:`effective_readings_sql` prefers it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from nengtan.calendar import month_start
from nengtan.lake.store import Lake, file_lock, local_year_month

TS_BITS = 42
MAX_METERS = 1 << (63 - TS_BITS)
Partition = tuple[str, int, int]


class DedupeError(RuntimeError):
    """The key index cannot represent a batch (too many meters, timestamp outside its partition)."""


def partition_start_us(year: int, month: int) -> int:
    """UTC microseconds of 00:00 Asia/Shanghai on the first day of the month."""
    start = month_start(year, month)
    return int(start.timestamp()) * 1_000_000


@dataclass
class _Part:
    chunks: list[np.ndarray] = field(default_factory=list)
    files: set[str] = field(default_factory=set)
    loaded: bool = False

    def contains(self, keys: np.ndarray) -> np.ndarray:
        found = np.zeros(len(keys), dtype=bool)
        for chunk in self.chunks:
            if len(chunk) == 0:
                continue
            pos = np.searchsorted(chunk, keys)
            pos[pos == len(chunk)] = len(chunk) - 1
            found |= chunk[pos] == keys
        return found

    def add(self, keys: np.ndarray) -> None:
        if len(keys) == 0:
            return
        self.chunks.append(np.unique(keys))
        while len(self.chunks) >= 2 and len(self.chunks[-2]) <= 2 * len(self.chunks[-1]):
            b = self.chunks.pop()
            a = self.chunks.pop()
            self.chunks.append(np.union1d(a, b))

    @property
    def size(self) -> int:
        return int(sum(len(c) for c in self.chunks))


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
        """Add the measured keys of one committed data file; returns how many rows it held."""
        t = pq.read_table(path, columns=["meter_id", "ts", "quality"])
        t = t.filter(pc.not_equal(t["quality"], "estimated"))
        self.part(part).add(self.keys(part, t["meter_id"], t["ts"]))
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
class WriteResult:
    accepted: int
    duplicate: int
    batch_id: str | None
    version: int


class DedupeWriter:
    """Writes readings to a lake so that each (meter, ts) is stored once, across processes."""

    def __init__(self, lake: Lake) -> None:
        self.lake = lake
        self.index = KeyIndex()

    def _lock(self) -> AbstractContextManager[None]:
        return dedupe_lock(self.lake)

    def _catch_up(self, parts: set[Partition]) -> None:
        info = self.lake.file_info()
        by_part: dict[Partition, list[str]] = {}
        for rel, meta in info.items():
            key = (str(meta["carrier"]), int(str(meta["year"])), int(str(meta["month"])))
            if key in parts:
                by_part.setdefault(key, []).append(rel)
        for key in parts:
            p = self.index.part(key)
            for rel in by_part.get(key, []):
                if rel not in p.files:
                    self.index.load_file(key, str(self.lake.dir / rel))
                    p.files.add(rel)
            p.loaded = True

    def write(self, table: pa.Table, carrier: str | pa.Array, batch_id: str | None = None,
              meta: dict[str, object] | None = None) -> WriteResult:
        """Store the rows of `table` whose (meter_id, ts) is not stored yet; first occurrence wins.

        `table` has meter_id, ts (UTC), value (canonical unit), unit and optionally quality; `carrier`
        is one carrier or one per row. Returns after the lake commit is durable.
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
        year, month = local_year_month(ts)
        ys = np.asarray(year.to_numpy(zero_copy_only=False), dtype=np.int64)
        ms = np.asarray(month.to_numpy(zero_copy_only=False), dtype=np.int64)
        cs = carriers.to_numpy(zero_copy_only=False)
        uniq_c = sorted(set(cs.tolist()))
        c_code = np.searchsorted(np.array(uniq_c, dtype=object), cs) if len(uniq_c) > 1 else np.zeros(n, np.int64)
        group = (c_code.astype(np.int64) * 10000 + ys) * 100 + ms
        groups = np.unique(group)
        estimated = pc.equal(table["quality"], "estimated").to_numpy(zero_copy_only=False)
        keep = np.ones(n, dtype=bool)
        with self._lock():
            parts: dict[Partition, np.ndarray] = {}
            for g in groups:
                g = int(g)
                part = (uniq_c[g // 1_000_000], (g // 100) % 10000, g % 100)
                parts[part] = np.nonzero(group == g)[0]
            self._catch_up(set(parts))
            new_keys: dict[Partition, np.ndarray] = {}
            for part, rows in parts.items():
                meters = pc.take(table["meter_id"], pa.array(rows))
                k = self.index.keys(part, meters, pc.take(ts, pa.array(rows)))
                # estimated rows get a separate key space: they never hide a measured reading
                est = estimated[rows]
                k_cmp = np.where(est, -1 - k, k)
                _, first = np.unique(k_cmp, return_index=True)
                dup_in_batch = np.ones(len(rows), dtype=bool)
                dup_in_batch[first] = False
                # a measured key already stored makes both a measured and an estimated row redundant
                stored = self.index.part(part).contains(k)
                keep[rows] = ~(dup_in_batch | stored)
                new_keys[part] = k[keep[rows] & ~est]
            accepted = int(keep.sum())
            if accepted == 0:
                return WriteResult(0, n, None, self.lake.version)
            idx = pa.array(np.nonzero(keep)[0])
            out = table.take(idx) if accepted < n else table
            result = self.lake.write_batch(out, carriers.take(idx) if accepted < n else carriers,
                                           batch_id, meta)
            if not result.duplicate:
                for part, k in new_keys.items():
                    p = self.index.part(part)
                    p.add(k)
                for rel in result.files:
                    info = self.lake.file_info().get(rel)
                    if info is not None:
                        key = (str(info["carrier"]), int(str(info["year"])), int(str(info["month"])))
                        self.index.part(key).files.add(rel)
            else:
                accepted = 0
        return WriteResult(accepted, n - accepted, result.batch_id, result.version)

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
