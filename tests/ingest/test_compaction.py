"""Compaction: small files merge while readers always see every reading exactly once."""

from __future__ import annotations

import threading

import duckdb
import pyarrow as pa

from nengtan.lake.compaction import Compactor
from nengtan.lake.dedupe import DedupeWriter

T0 = 1740758400_000000  # 2025-03-01T00:00+08:00


def _batch(k: int, meters: int = 50) -> pa.Table:
    ts = pa.array([T0 + k * 900_000_000] * meters, pa.int64()).cast(pa.timestamp("us", "UTC"))
    return pa.table({"meter_id": [f"M{i:03d}" for i in range(meters)], "ts": ts, "value": [1.0] * meters,
                     "unit": ["kWh"] * meters})


def test_readers_never_see_a_reading_missing_or_twice(lake):  # type: ignore[no-untyped-def]
    writer = DedupeWriter(lake)
    seen: list[tuple[int, int, int]] = []
    stop = threading.Event()
    written = [0]

    def reader() -> None:
        con = duckdb.connect()
        while not stop.is_set():
            before = written[0]
            files = lake.files()
            if files:
                n, d = con.sql(f"SELECT count(*), count(DISTINCT (meter_id, ts)) FROM read_parquet({files!r})"
                               ).fetchall()[0]
                seen.append((before, n, d))

    th = threading.Thread(target=reader)
    th.start()
    comp = Compactor(lake, min_files=4, on_replace=writer.note_replaced)
    compactions = 0
    for k in range(40):
        writer.write(_batch(k), "electricity")
        written[0] += 50
        if k % 5 == 4:
            compactions += len(comp.run_once())
    stop.set()
    th.join()
    assert compactions >= 7
    assert len(seen) > 10
    for before, n, d in seen:
        assert n == d  # never twice
        assert n >= before and n % 50 == 0  # never missing, whole batches only
    assert len(lake.files()) < 10
    # dedupe still knows every key after compaction (without re-reading the compacted files)
    again = writer.write(pa.concat_tables([_batch(k) for k in range(40)]), "electricity")
    assert (again.accepted, again.duplicate) == (0, 2000)
    # a fresh writer rebuilds its index from the compacted lake
    fresh = DedupeWriter(lake).write(pa.concat_tables([_batch(k) for k in range(38, 42)]), "electricity")
    assert (fresh.accepted, fresh.duplicate) == (100, 100)
