"""Readings lake: idempotent batches, atomic visibility, and a writer killed with SIGKILL mid-batch."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pytest

from nengtan.lake import Lake, LakeError


def _batch(meter: str, start: str, n: int, value: float = 1.0) -> pa.Table:
    ts = np.arange(np.datetime64(start), np.datetime64(start) + np.timedelta64(15 * n, "m"),
                   np.timedelta64(15, "m")).astype("datetime64[us]")
    return pa.table({"meter_id": [meter] * n, "ts": pa.array(ts, pa.timestamp("us", tz="UTC")),
                     "value": np.full(n, value), "unit": ["kWh"] * n})


def _sum(lake: Lake) -> tuple[int, float]:
    files = lake.files()
    if not files:
        return 0, 0.0
    n, s = duckdb.sql(f"SELECT count(*), sum(value) FROM read_parquet({files!r})").fetchall()[0]
    return int(n), float(s)


def test_same_batch_twice_is_a_no_op(tmp_path: Path) -> None:
    lake = Lake(tmp_path)
    b = _batch("M1", "2025-03-01T00:00", 96)
    first = lake.write_batch(b, "electricity")
    again = lake.write_batch(b, "electricity")
    assert not first.duplicate and again.duplicate and again.batch_id == first.batch_id
    assert _sum(lake) == (96, 96.0)
    assert lake.version == 1


def test_batch_across_month_boundary_is_partitioned_by_shanghai_calendar(tmp_path: Path) -> None:
    lake = Lake(tmp_path)
    # 15:00-16:45 UTC on 31 Jan = 23:00 31 Jan - 00:45 1 Feb in Asia/Shanghai (UTC+8)
    lake.write_batch(_batch("M1", "2025-01-31T15:00", 8), "electricity")
    months = sorted((int(i["year"]), int(i["month"]), int(i["rows"])) for i in lake.file_info().values())
    assert months == [(2025, 1, 4), (2025, 2, 4)]


def test_uncommitted_files_are_invisible_and_vacuumed(tmp_path: Path) -> None:
    lake = Lake(tmp_path)
    lake.write_batch(_batch("M1", "2025-03-01T00:00", 4), "electricity")
    stray = lake.dir / "carrier=electricity/year=2025/month=3/orphan-0.parquet"
    stray.write_bytes((lake.dir / next(iter(lake.file_info()))).read_bytes())
    (stray.parent / ".x.parquet.tmp-123").write_bytes(b"torn")
    assert _sum(lake) == (4, 4.0)  # the orphan is not in the log
    removed = lake.vacuum()
    assert {Path(p).name for p in removed} == {"orphan-0.parquet", ".x.parquet.tmp-123"}
    assert _sum(Lake(tmp_path)) == (4, 4.0)


def test_missing_column_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(LakeError, match="lacks column 'unit'"):
        Lake(tmp_path).write_batch(pa.table({"meter_id": ["M"], "ts": [0], "value": [1.0]}), "electricity")


WRITER = textwrap.dedent("""
    import sys, numpy as np, pyarrow as pa
    from nengtan.lake import Lake
    lake = Lake(sys.argv[1])
    n = int(sys.argv[2])
    print('ready', flush=True)
    for i in range(100000):
        start = np.datetime64('2025-01-01T00:00') + np.timedelta64(i * n * 15, 'm')
        ts = np.arange(start, start + np.timedelta64(15 * n, 'm'), np.timedelta64(15, 'm')).astype('datetime64[us]')
        t = pa.table({'meter_id': ['K%d' % (i % 7)] * n, 'ts': pa.array(ts, pa.timestamp('us', tz='UTC')),
                      'value': np.full(n, 1.0), 'unit': ['kWh'] * n})
        r = lake.write_batch(t, 'electricity', batch_id='b%06d' % i)
        print(r.batch_id, r.version, flush=True)   # the acknowledgement
""")


@pytest.mark.parametrize("delay", [0.5, 1.3])
def test_kill_minus_nine_mid_batch_loses_nothing_acknowledged(tmp_path: Path, delay: float) -> None:
    n = 20_000  # rows per batch: big enough that a kill lands inside a write most of the time
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(tmp_path), str(n)], stdout=subprocess.PIPE,
                            text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"  # imports done
    first_ack = proc.stdout.readline()  # the first batch is through: the writer is in its loop
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    out, _ = proc.communicate()
    acked = [line.split()[0] for line in [first_ack, *out.splitlines()] if line.strip()]
    assert len(acked) >= 2
    lake = Lake(tmp_path)
    # every acknowledged batch is there, whole; nothing else but possibly the one batch in flight
    lake.refresh()
    committed = {b for b in lake._state.batches}
    assert set(acked) <= committed
    assert len(committed - set(acked)) <= 1
    rows, total = _sum(lake)
    assert rows == n * len(committed) and total == float(n * len(committed))
    # every data file is readable Parquet (no torn file is visible); leftovers are removable
    for f in lake.files():
        assert duckdb.sql(f"SELECT count(*) FROM read_parquet('{f}')").fetchall()[0][0] > 0
    lake.vacuum()
    assert _sum(Lake(tmp_path)) == (rows, total)
    # writing resumes: the batch that was in flight can be sent again and lands once
    again = Lake(tmp_path).write_batch(_batch("K0", "2030-01-01T00:00", 3), "electricity", batch_id=acked[-1])
    assert again.duplicate
