"""Readings files are read and checked in bounded chunks (issue 9, item 22) with the guarantees of a
whole-file import: one lake commit, a key repeated across chunks refused with the row it first came
at, a stored key compared whatever chunk brings it, line numbers counted over the whole file, and an
import that dies between chunks leaving nothing visible and no staged file behind."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from nengtan.config import Paths
from nengtan.ingest import tables
from nengtan.ingest.files import import_file
from nengtan.lake import Lake
from nengtan.lake.dedupe import DedupeStream
from nengtan.registry.store import Registry

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"


@pytest.fixture
def meters(registry: Registry, home: Paths) -> tuple[Registry, Paths]:
    for kind in ("enterprises", "meters"):
        assert import_file(registry, home, kind, EXAMPLES / f"{kind}.csv").rows_bad == 0
    return registry, home


def _csv(tmp: Path, lines: list[str]) -> Path:
    p = tmp / "r.csv"
    p.write_text("meter_id,ts,value,unit\n" + "".join(f"{x}\n" for x in lines), encoding="utf-8")
    return p


def _lake_rows(home: Paths) -> list[tuple[str, str, float]]:
    files = Lake(home.lake).files()
    if not files:
        return []
    return [(m, str(t), v) for m, t, v in duckdb.sql(
        f"SELECT meter_id, strftime(ts AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M'), value FROM read_parquet({files!r}) "
        "ORDER BY 1, 2").fetchall()]


def test_a_file_in_chunks_is_one_batch_with_whole_file_rules(meters: tuple[Registry, Paths], tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    reg, home = meters
    monkeypatch.setattr(tables, "CHUNK_ROWS", 3)
    first = import_file(reg, home, "readings", _csv(tmp_path, ["X1-M,2025-03-01T00:00:00+08:00,5,kWh",
                                                             "X1-M,2025-03-01T01:15:00+08:00,7,kWh"]))
    assert first.rows_ok == 2
    version = Lake(home.lake).version
    lines = [
        "X1-M,2025-03-01T00:15:00+08:00,1.5,kWh",   # line 2, chunk 1
        "X1-M,2025-03-01T00:30:00+08:00,2.5,kWh",   # line 3
        "X1-M,2025-03-01T00:00:00+08:00,5,kWh",     # line 4: stored with the same value: a duplicate
        "X1-M,2025-03-01T00:45:00+08:00,3.5,kWh",   # line 5, chunk 2
        "X1-M,2025-03-01T00:15:00+08:00,9,kWh",     # line 6: repeats line 2 from the chunk before
        "X1-M,2025-03-01T00:00:00+08:00,6,kWh",     # line 7: repeats line 4 (as a whole-file check says)
        "X1-M,not a time,1,kWh",                    # line 8, chunk 3: refused on its own
        "X1-M,2025-03-01T01:15:00+08:00,8,kWh",     # line 9: differs from the stored 7 kWh
    ]
    res = import_file(reg, home, "readings", _csv(tmp_path, lines))
    assert (res.rows_total, res.rows_ok, res.rows_duplicate, res.rows_bad) == (8, 3, 1, 4)
    by_row = {i.row: (i.column, i.reason) for i in res.issues}
    assert by_row[6] == ("ts", "duplicate reading for this meter and interval (first at row 2)")
    assert by_row[7] == ("ts", "duplicate reading for this meter and interval (first at row 4)")
    assert by_row[8][0] == "ts" and "not a timestamp" in by_row[8][1]
    assert by_row[9][0] == "value" and "7" in by_row[9][1] and "8" in by_row[9][1]
    assert Lake(home.lake).version == version + 1  # three chunks, one commit
    assert _lake_rows(home) == [("X1-M", "2025-02-28T16:00", 5.0), ("X1-M", "2025-02-28T16:15", 1.5),
                                ("X1-M", "2025-02-28T16:30", 2.5), ("X1-M", "2025-02-28T16:45", 3.5),
                                ("X1-M", "2025-02-28T17:15", 7.0)]
    # the same file as one chunk gives the same answers
    monkeypatch.setattr(tables, "CHUNK_ROWS", 1000)
    again = import_file(reg, home, "readings", _csv(tmp_path, lines))
    assert {i.row: (i.column, i.reason) for i in again.issues if i.row != 9} == {
        k: v for k, v in by_row.items() if k != 9}
    assert again.rows_ok == 0 and again.rows_duplicate == 4  # lines 2, 3, 4 and 5 are stored now


def test_an_import_that_dies_between_chunks_leaves_nothing(meters: tuple[Registry, Paths], tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    reg, home = meters
    monkeypatch.setattr(tables, "CHUNK_ROWS", 2)
    lines = [f"X1-M,2025-04-01T{h:02d}:00:00+08:00,{h + 0.5},kWh" for h in range(6)]
    real_add = DedupeStream.add
    calls = []

    def dying_add(self: DedupeStream, *a: object, **k: object) -> object:
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt  # as a kill would: after the first chunk was staged
        return real_add(self, *a, **k)  # type: ignore[arg-type]

    monkeypatch.setattr(DedupeStream, "add", dying_add)
    with pytest.raises(KeyboardInterrupt):
        import_file(reg, home, "readings", _csv(tmp_path, lines))
    assert _lake_rows(home) == []
    leftovers = [p for p in home.lake.rglob("*") if p.is_file() and "tmp" in p.name]
    assert leftovers == []
    monkeypatch.setattr(DedupeStream, "add", real_add)
    res = import_file(reg, home, "readings", _csv(tmp_path, lines))
    assert res.rows_ok == 6 and len(_lake_rows(home)) == 6
