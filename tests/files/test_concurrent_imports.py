"""Two imports into the same embedded (SQLite) home at once both complete (issue 9, item 19): writers
take the write lock in turn (BEGIN IMMEDIATE with a busy timeout), never 'database is locked'."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import func, select

from nengtan.registry.store import Registry
from nengtan.registry.tables.records import Activity

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
A = "91320115000001230J"
B = "91320115000002129Y"


def _cli(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "nengtan.cli.entry", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def test_two_imports_at_once_both_land(tmp_path: Path) -> None:
    home = tmp_path / "home"
    for kind in ("enterprises", "meters"):
        p = _cli("import", kind, str(EXAMPLES / f"{kind}.csv"), "--home", str(home)) if (home / "registry.sqlite"
                                                                                            ).exists() else None
        if p is None:
            assert subprocess.run([sys.executable, "-m", "nengtan.cli.entry", "init", "--home", str(home)],
                                  capture_output=True).returncode == 0
            p = _cli("import", kind, str(EXAMPLES / f"{kind}.csv"), "--home", str(home))
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
    files = []
    for n, uscc in enumerate((A, B)):
        f = tmp_path / f"a{n}.csv"
        f.write_text("uscc,period,carrier,quantity,unit\n" + "".join(
            f"{uscc},{y}-{m:02d},{c},{1 + m},t\n" for y in range(2001, 2025) for m in range(1, 13)
            for c in ("coal", "diesel", "coke")), encoding="utf-8")
        files.append(f)
    procs = [_cli("import", "activity", str(f), "--home", str(home)) for f in files]
    results = [p.communicate(timeout=300) for p in procs]
    for p, (_out, err) in zip(procs, results, strict=True):
        assert p.returncode == 0 and "Traceback" not in err and "locked" not in err, err
    reg = Registry.open(f"sqlite:///{home / 'registry.sqlite'}")
    with reg.session() as s:
        assert s.execute(select(func.count(Activity.id))).scalar() == 2 * 24 * 12 * 3
    reg.close()
    # a writer holding the lock for longer than SQLite's default 5 s wait: the import waits its turn
    f = tmp_path / "late.csv"
    f.write_text(f"uscc,period,carrier,quantity,unit\n{A},2025-01,lpg,2,t\n", encoding="utf-8")
    con = sqlite3.connect(home / "registry.sqlite", isolation_level=None)
    con.execute("BEGIN IMMEDIATE")
    t0 = time.monotonic()
    p = _cli("import", "activity", str(f), "--home", str(home))
    time.sleep(12)
    con.execute("COMMIT")
    con.close()
    out, err = p.communicate(timeout=120)
    assert p.returncode == 0 and "locked" not in err, err
    assert time.monotonic() - t0 >= 12 and "1 rows imported" in out
