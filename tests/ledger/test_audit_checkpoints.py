"""`nengtan audit checkpoint` and `nengtan audit verify` against a forger with raw database access
(issue 9, item 15): drop the triggers, edit a row and recompute every later chain hash — the chain still
says intact, the signed checkpoint does not; delete the newest rows, reorder two, forge a checkpoint."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from typer.testing import CliRunner

from nengtan.cli import app
from nengtan.registry import audit
from nengtan.registry.store import Registry
from nengtan.registry.tables.access import AuditEntry

runner = CliRunner()


def _home(tmp_path: Path, entries: int) -> Path:
    home = tmp_path / "home"
    assert runner.invoke(app, ["init", "--home", str(home)]).exit_code == 0
    reg = Registry.open(f"sqlite:///{home / 'registry.sqlite'}")
    with reg.session() as s:
        for i in range(entries):
            audit.record(s, "王主任", "upload.import", f"enterprise:{i}", {"rows_ok": i})
    reg.close()
    return home


def _sql(home: Path, *statements: str) -> None:
    con = sqlite3.connect(home / "registry.sqlite")
    con.execute("DROP TRIGGER IF EXISTS audit_log_no_update")
    con.execute("DROP TRIGGER IF EXISTS audit_log_no_delete")
    for st in statements:
        con.execute(st)
    con.commit()
    con.close()


def _rechain(home: Path) -> None:
    """What a careful forger does after an edit: recompute every hash so the chain checks out."""
    reg = Registry.open(f"sqlite:///{home / 'registry.sqlite'}")
    with reg.session() as s:
        prev = audit.GENESIS
        rows = s.query(AuditEntry).order_by(AuditEntry.seq).all()
        digests = []
        for e in rows:
            h = audit._digest(prev, e.seq, e.at, e.actor, e.action, e.target, e.detail)
            digests.append((e.id, prev, h))
            prev = h
    reg.close()
    _sql(home, *[f"UPDATE audit_log SET prev_hash = '{p}', hash = '{h}' WHERE id = {i}" for i, p, h in digests])
    reg = Registry.open(f"sqlite:///{home / 'registry.sqlite'}")
    with reg.session() as s:
        assert audit.verify(s).intact  # the old chain alone is fooled
    reg.close()


def _checkpoint(home: Path, tmp_path: Path) -> Path:
    out = tmp_path / "witness" / "cp.json"
    r = runner.invoke(app, ["audit", "checkpoint", "--home", str(home), "--out", str(out)])
    assert r.exit_code == 0, r.output
    return out


def _verify(home: Path, cp: Path) -> tuple[int, str]:
    r = runner.invoke(app, ["audit", "verify", "--home", str(home), "--checkpoint", str(cp)])
    return r.exit_code, r.output


def test_an_untouched_log_verifies_and_may_grow(tmp_path: Path) -> None:
    home = _home(tmp_path, 10)
    cp = _checkpoint(home, tmp_path)
    assert json.loads(cp.read_text())["size"] == 10
    reg = Registry.open(f"sqlite:///{home / 'registry.sqlite'}")
    with reg.session() as s:
        audit.record(s, "核查员甲", "verification.signoff", "enterprise:1:2025", {})
    reg.close()
    code, out = _verify(home, cp)
    assert code == 0 and "intact: 11 entries; the 10 of the checkpoint unchanged" in out


def test_an_edit_with_a_recomputed_chain_is_caught(tmp_path: Path) -> None:
    home = _home(tmp_path, 10)
    cp = _checkpoint(home, tmp_path)
    _sql(home, "UPDATE audit_log SET detail = '{\"rows_ok\": 9999}' WHERE seq = 4")
    _rechain(home)
    code, out = _verify(home, cp)
    assert code == 1 and "no longer hash to the signed root" in out


def test_deleting_the_newest_entries_is_caught(tmp_path: Path) -> None:
    home = _home(tmp_path, 10)
    cp = _checkpoint(home, tmp_path)
    _sql(home, "DELETE FROM audit_log WHERE seq > 8")
    code, out = _verify(home, cp)
    assert code == 1 and "the log was cut off: it holds 8 entries, the checkpoint covered 10" in out


def test_reordering_is_caught(tmp_path: Path) -> None:
    home = _home(tmp_path, 10)
    cp = _checkpoint(home, tmp_path)
    _sql(home, "UPDATE audit_log SET seq = -1 WHERE seq = 3", "UPDATE audit_log SET seq = 3 WHERE seq = 5",
         "UPDATE audit_log SET seq = 5 WHERE seq = -1")
    _rechain(home)
    code, out = _verify(home, cp)
    assert code == 1 and "no longer hash to the signed root" in out


def test_a_forged_checkpoint_is_caught(tmp_path: Path) -> None:
    home = _home(tmp_path, 10)
    cp = _checkpoint(home, tmp_path)
    _sql(home, "DELETE FROM audit_log WHERE seq > 8")
    forged = json.loads(cp.read_text())
    forged["size"] = 8  # a forger re-sizing the checkpoint without the key
    cp.write_text(json.dumps(forged))
    code, out = _verify(home, cp)
    assert code == 1 and "signature does not verify" in out
