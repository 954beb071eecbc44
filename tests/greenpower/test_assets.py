"""GECs, contracts, claims and trades on the platform; market-based Scope 2 from the ledger's claims; the ledger
verified offline, tampered every way."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from nengtan.cli import app
from nengtan.config import Paths
from nengtan.engine import accounts, greenassets, greenledger, greenstatement
from nengtan.engine.certification import Actor
from nengtan.engine.stores import LocalStores
from nengtan.errors import NotFoundError, StateError
from nengtan.greenpower import gec
from nengtan.ingest.files import import_file
from nengtan.lake import Lake
from nengtan.ledger.entries import Entry, read_export, verify_bundle, verify_entries
from nengtan.registry.store import Registry

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
A = "91320115000001230J"
B = "91320115000002129Y"
WIND = gec.project_code("1", "1", "2", 2021, "320900", 1)
PV = gec.project_code("1", "2", "1", 2022, "321300", 7)
ADMIN = Actor("staff", "admin")
runner = CliRunner()


@pytest.fixture
def park(registry: Registry, home: Paths, tmp_path: Path) -> LocalStores:
    assert import_file(registry, home, "enterprises", EXAMPLES / "enterprises.csv").rows_bad == 0
    rows = "uscc,period,carrier,quantity,unit\n" + "".join(
        f"{u},2025-01,electricity,{kwh},kWh\n{u},2025-01,green_electricity,{green},kWh\n"
        for u, kwh, green in ((A, 1_000_000, 300_000), (B, 500_000, 0)))
    (tmp_path / "act.csv").write_text(rows)
    assert import_file(registry, home, "activity", tmp_path / "act.csv").rows_bad == 0
    return LocalStores(registry, Lake(home.lake))


def _user(reg: Registry, uscc: str) -> Actor:
    from sqlalchemy import select

    from nengtan.registry.tables.park import Enterprise

    with reg.session() as s:
        eid = s.execute(select(Enterprise.id).where(Enterprise.uscc == uscc)).scalar_one()
    return Actor(f"user-{uscc[-4:]}", "enterprise", frozenset({eid}))


def test_market_based_scope2_counts_only_claims_backed_by_cancelled_gecs(park: LocalStores) -> None:
    reg = park.registry
    excl = 0.6096 / 1000  # tCO2/kWh: national grid excl. market-traded non-fossil, 2023 (公告2025年第47号 表4)
    loc = 0.5827 / 1000  # Jiangsu grid average, 2023 (same notice)
    inv = accounts.inventory(park, 2025, scope=f"enterprise:{A}")
    # the statement's 300 000 kWh of green electricity are an unverified claim: shown apart, not counted
    assert inv.green_unverified_kwh == pytest.approx(300_000)
    assert inv.scope2_market_t == pytest.approx(1_000_000 * excl)
    assert inv.scope2_location_t == pytest.approx(1_000_000 * loc)
    with reg.session(write=True) as s:
        greenassets.add_contract(s, "staff", "GT-1", "green_trade", "wind farm", WIND, A, dt.date(2025, 1, 1), 200,
                                 450.0, "wind")
    out = greenassets.claim(reg, ADMIN, A, "2025-01", 200, "GT-1")
    assert out["gecs"][0]["first_code"] == gec.make_code(WIND, dt.date(2025, 1, 1), 1)
    park.invalidate()
    inv = accounts.inventory(park, 2025, scope=f"enterprise:{A}")
    assert inv.scope2_market_t == pytest.approx((1_000_000 - 200 * 1000) * excl)  # 487.68 t
    assert inv.scope2_location_t == pytest.approx(1_000_000 * loc)  # location-based is untouched
    assert inv.data_version.endswith("+claims#1")
    # the contract's bundled GECs are spent: they cannot be claimed again, by A or as a stand-alone purchase
    with pytest.raises(StateError, match="holds 0 GECs usable for 2025-01"):
        greenassets.claim(reg, ADMIN, A, "2025-01", 1)
    # the database refuses a second claim part on a cancelled holding
    with reg.session(write=True) as s, pytest.raises(Exception, match=r"(?i)unique"):
        s.execute(text("INSERT INTO green_claim_part (claim_id, holding_id, mwh) SELECT claim_id, holding_id, mwh "
                       "FROM green_claim_part"))
    # the green-power share of the target type: claimed kWh over electricity consumed
    from nengtan.engine.years import year_data
    from nengtan.targets.targets import indicator_value

    d = year_data(park, 2025)
    assert d is not None
    share = indicator_value(d.ledger[d.ledger["uscc"] == A], d.reported[d.reported["uscc"] == A], "green_power_share")
    assert share == pytest.approx(200_000 / 1_000_000)


def test_expiry_freezing_and_self_consumed_gecs(park: LocalStores) -> None:
    reg = park.registry
    with reg.session(write=True) as s:
        old = gec.parse_range(gec.make_code(PV, dt.date(2023, 1, 1), 1), count=10)
        greenassets.issue(s, "staff", old, A)
        own = gec.parse_range(gec.make_code(PV, dt.date(2025, 1, 1), 1, "2", "2"), count=5)
        greenassets.issue(s, "staff", own, A)
        with pytest.raises(StateError, match="overlap"):
            greenassets.issue(s, "staff", gec.parse_range(gec.make_code(PV, dt.date(2023, 1, 1), 5), count=2), B)
    # produced 2023-01: valid until 2025-01-01, so not for January 2025; self-consumed GECs prove on-site PV
    with pytest.raises(StateError, match="holds 0 GECs usable for 2025-01"):
        greenassets.claim(reg, ADMIN, A, "2025-01", 1)
    assert greenassets.claim(reg, ADMIN, A, "2024-12", 4)["mwh"] == 4
    assert greenassets.expire(reg, "staff", dt.date(2025, 1, 1)) == 1
    stock = greenassets.stock(reg, ADMIN, dt.date(2025, 1, 1))
    assert stock["mwh_by_status"] == {"cancelled": 4, "expired": 6, "issued": 5}
    with reg.session(write=True) as s:
        greenassets.issue(s, "staff", gec.parse_range(gec.make_code(WIND, dt.date(2025, 2, 1), 1), count=3), B)
    assert greenassets.freeze(reg, ADMIN, WIND, "CCER 2025-001") == 1
    with pytest.raises(StateError, match="holds 0 GECs"):
        greenassets.claim(reg, ADMIN, B, "2025-02", 1)


def test_trading_settles_gecs_once_and_orders_stay_private(park: LocalStores) -> None:
    reg = park.registry
    with reg.session(write=True) as s:
        h = greenassets.issue(s, "staff", gec.parse_range(gec.make_code(PV, dt.date(2025, 1, 1), 1), count=100),
                              "AGENCY")
        hid = h.id
    sell = greenassets.place_order(reg, ADMIN, "AGENCY", "sell", "gec", 470.0, 60, hid)
    a_user, b_user = _user(reg, A), _user(reg, B)
    buy = greenassets.place_order(reg, a_user, A, "buy", "gec", 480.0, 40)
    assert [(t["mwh"], t["price"], t["seller"]) for t in buy["trades"]] == [(40, 470.0, "AGENCY")]
    assert buy["status"] == "filled"
    rest = greenassets.place_order(reg, b_user, B, "buy", "gec", 450.0, 10)
    assert rest["trades"] == [] and rest["status"] == "open"
    # A now holds 40 traded GECs; it may not sell them on (traded at most once)
    mine = greenassets.holdings(reg, a_user)
    assert [(x["mwh"], x["status"], x["traded"]) for x in mine] == [(40, "traded", True)]
    with pytest.raises(Exception, match="traded at most once"):
        greenassets.place_order(reg, a_user, A, "sell", "gec", 500.0, 10, mine[0]["id"])
    # isolation: B sees its own order only, nothing of A's; A cannot act for B
    assert [o["owner"] for o in greenassets.orders(reg, b_user)] == [B]
    assert greenassets.holdings(reg, b_user) == []
    with pytest.raises(NotFoundError):
        greenassets.holdings(reg, b_user, owner=A)
    with pytest.raises(NotFoundError):
        greenassets.place_order(reg, a_user, B, "buy", "gec", 400.0, 1)
    with pytest.raises(NotFoundError):
        greenassets.claim(reg, b_user, A, "2025-01", 1)
    assert [t["buyer"] for t in greenassets.trades_of(reg, b_user)] == []
    book = greenassets.book(reg)
    assert book["levels"]["gec"]["sell"] == [{"price": 470.0, "mwh": 20.0}]
    assert book["levels"]["gec"]["buy"] == [{"price": 450.0, "mwh": 10.0}]
    assert A not in json.dumps(book) and "AGENCY" not in json.dumps(book)
    del sell
    # A claims what it bought: market-based Scope 2 falls by 40 MWh × the excl. factor
    greenassets.claim(reg, a_user, A, "2025-01", 40)
    park.invalidate()
    assert accounts.inventory(park, 2025, scope=f"enterprise:{A}").scope2_market_t == \
        pytest.approx((1_000_000 - 40_000) * 0.6096 / 1000)


def _ledger(park: LocalStores, home: Paths) -> None:
    reg = park.registry
    with reg.session(write=True) as s:
        for m in range(1, 4):
            greenassets.add_contract(s, "staff", "GT-9", "ppa", "wind farm", WIND, A, dt.date(2025, m, 1), 10 * m,
                                     None, "wind")
    greenassets.claim(reg, ADMIN, A, "2025-01", 10)


def test_the_exported_ledger_verifies_offline_and_every_tampering_fails(park: LocalStores, home: Paths,
                                                                        tmp_path: Path) -> None:
    _ledger(park, home)
    out = tmp_path / "export"
    r = runner.invoke(app, ["ledger", "export", str(out), "--home", str(home.home)])
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["ledger", "verify", str(out)])
    assert r.exit_code == 0 and "intact" in r.output, r.output
    entries, head = read_export(out)
    n = len(entries)
    assert n == head.size >= 8
    log = greenledger.LOG_NAME
    for k in range(n):
        edited = [Entry(e.seq, e.kind, e.subject, e.at, {**e.body, "mwh": 999}) if e.seq == k else e for e in entries]
        deleted = [e for e in entries if e.seq != k]
        truncated = entries[:k]
        assert not verify_entries(edited, head, log).ok, k
        assert not verify_entries(deleted, head, log).ok, k
        assert not verify_entries(truncated, head, log).ok, k
        if k + 1 < n:
            swapped = list(entries)
            swapped[k], swapped[k + 1] = swapped[k + 1], swapped[k]
            renumbered = [Entry(i, e.kind, e.subject, e.at, e.body) for i, e in enumerate(swapped)]
            assert not verify_entries(swapped, head, log).ok, k
            assert not verify_entries(renumbered, head, log).ok, k
    assert verify_entries(entries, head, log).ok
    forged = type(head)(head.log, head.size, "00" * 32, head.timestamp, head.public_key, head.signature)
    assert "signature" in verify_entries(entries, forged, log).problem
    # a tampered export fails on the command line too
    lines = (out / "entries.jsonl").read_text().splitlines()
    (out / "entries.jsonl").write_text("\n".join(lines[:2] + lines[3:]) + "\n")
    r = runner.invoke(app, ["ledger", "verify", str(out)])
    assert r.exit_code == 1 and "tampered" in r.output


def test_an_entrys_proof_is_checked_by_a_third_party(park: LocalStores, home: Paths, tmp_path: Path) -> None:
    _ledger(park, home)
    claims = greenassets.claims(park.registry, ADMIN, A)
    seq = claims[0]["ledger_seq"]
    proof = tmp_path / "proof.json"
    r = runner.invoke(app, ["ledger", "proof", str(seq), "--out", str(proof), "--home", str(home.home)])
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["ledger", "check-proof", str(proof)])
    assert r.exit_code == 0 and "proven" in r.output, r.output
    bundle = json.loads(proof.read_text())
    assert bundle["entry"]["kind"] == "claim" and bundle["entry"]["body"]["mwh"] == 10
    bundle["entry"]["body"]["mwh"] = 11
    assert not verify_bundle(bundle).ok
    # the database itself refuses to change a ledger entry
    with park.registry.session(write=True) as s, pytest.raises(Exception, match="append-only"):
        s.execute(text("UPDATE ledger_entry SET body = '{}' WHERE seq = 0"))


def test_statement_renders_the_inventorys_figures_with_proofs(park: LocalStores, home: Paths, tmp_path: Path) -> None:
    _ledger(park, home)
    data = greenstatement.statement(park, home.home, ADMIN, A, 2025)
    inv = accounts.inventory(park, 2025, scope=f"enterprise:{A}")
    assert data["figures"]["scope2_market_t"] == inv.scope2_market_t
    assert data["figures"]["green_claimed_kwh"] == 10_000.0
    for p in data["proofs"]:
        assert verify_bundle({**p, "head": data["head"]}).ok
    out = tmp_path / "s.xlsx"
    r = runner.invoke(app, ["greenpower", "statement", "--enterprise", A, "--year", "2025", "--out", str(out),
                            "--home", str(home.home)])
    assert r.exit_code == 0, r.output
    wb = openpyxl.load_workbook(out)
    summary = {row[0]: row[1] for row in wb["汇总 Summary"].iter_rows(values_only=True)}
    assert summary["范围二（基于市场）Scope 2 market-based [tCO2]"] == pytest.approx(inv.scope2_market_t, rel=1e-12)
    claims = list(wb["绿证核销 Claims"].iter_rows(values_only=True))[1:]
    assert [(c[2], c[3]) for c in claims] == [(10, gec.make_code(WIND, dt.date(2025, 1, 1), 1))]
    assert str(summary["签名时间 Signed at"]).endswith("(北京时间)")
    pdf = tmp_path / "s.pdf"
    r = runner.invoke(app, ["greenpower", "statement", "--enterprise", A, "--year", "2025", "--out", str(pdf),
                            "--home", str(home.home)])
    assert r.exit_code == 0, r.output
    from pypdf import PdfReader

    assert sum(len(p.images) for p in PdfReader(pdf).pages) == 1  # the MWh cancelled per month
    r = runner.invoke(app, ["greenpower", "statement", "--enterprise", A, "--year", "2025", "--out", str(pdf),
                            "--home", str(home.home), "--as", "nobody"])
    assert r.exit_code == 2
