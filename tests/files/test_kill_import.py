"""kill -9 during `nengtan import readings` (issue 9, items 20 and 22): the import is one atomic step —
either no batch and no readings, or the batch with its counts and every reading — though the file is
read and staged in several chunks, and re-importing the file completes the data exactly (the lake
holds each (meter, interval) once)."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from sqlalchemy import select

from nengtan.lake import Lake
from nengtan.registry.store import Registry
from nengtan.registry.tables.records import ImportBatch

pytestmark = pytest.mark.slow
EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"


def _cli(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "nengtan.cli.entry", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def _state(home: Path) -> tuple[list[tuple[int, int]], int]:
    reg = Registry.open(f"sqlite:///{home / 'registry.sqlite'}")
    with reg.session() as s:
        q = select(ImportBatch).where(ImportBatch.kind == "readings")
        batches = [(b.rows_ok, b.rows_total) for b in s.scalars(q)]
    reg.close()
    files = Lake(home / "lake").files()
    n = duckdb.sql(f"SELECT count(*) FROM read_parquet({files!r})").fetchall()[0][0] if files else 0
    return batches, int(n)


def test_kill_during_a_readings_import_leaves_all_or_nothing(tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert subprocess.run([sys.executable, "-m", "nengtan.cli.entry", "init", "--home", str(home)],
                          capture_output=True).returncode == 0
    for kind in ("enterprises", "meters"):
        p = _cli("import", kind, str(EXAMPLES / f"{kind}.csv"), "--home", str(home))
        assert p.wait(timeout=120) == 0
    extra = tmp_path / "meters.csv"  # six more interval meters of the example's enterprise A
    extra.write_text("meter_id,uscc,carrier,unit,kind\n" + "".join(
        f"K{m},91320115000001230J,electricity,kWh,interval\n" for m in range(6)), encoding="utf-8")
    assert _cli("import", "meters", str(extra), "--home", str(home)).wait(timeout=120) == 0
    rows = 600_000  # three chunks of tables.CHUNK_ROWS: 100 000 15-minute readings from 2024-01-01 per meter
    f = tmp_path / "r.csv"
    with f.open("w") as fh:
        fh.write("meter_id,ts,value,unit\n")
        for i in range(rows):
            meter, k = f"K{i // 100_000}", i % 100_000
            t = 1704038400 + 900 * k
            fh.write(f"{meter},{time.strftime('%Y-%m-%dT%H:%M:%S', time.gmtime(t))}Z,{i % 97 + 0.5},kWh\n")
    killed = 0
    for delay in (0.8, 1.6, 2.4, 3.2):
        p = _cli("import", "readings", str(f), "--home", str(home))
        time.sleep(delay)
        if p.poll() is None:
            p.send_signal(signal.SIGKILL)
            killed += 1
        p.wait(timeout=60)
        batches, n = _state(home)
        # all or nothing: the lake holds none or all of the file; a batch exists only with its full counts
        assert n in (0, rows), n
        assert all(total == rows for _, total in batches), batches
        if n == rows:
            break
    p = _cli("import", "readings", str(f), "--home", str(home))
    _out, err = p.communicate(timeout=300)
    assert p.returncode == 0, err
    batches, n = _state(home)
    assert n == rows and sum(ok for ok, _ in batches) <= rows
    assert killed >= 1
