"""Allowances and CCERs on the platform: a compliance year worked by hand, the cap splitting a lot, double entries on
the ledger, a settled year frozen, and one enterprise's assets kept from another."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select

from nengtan.config import Paths
from nengtan.engine import carbonassets, greenledger
from nengtan.engine.certification import Actor
from nengtan.errors import NotFoundError, StateError
from nengtan.ingest.files import import_file
from nengtan.registry.store import Registry
from nengtan.registry.tables.park import Enterprise

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
A, B = "91320115000001230J", "91320115000002129Y"
STAFF = Actor("staff", "admin")


def _user(reg: Registry, uscc: str) -> Actor:
    with reg.session() as s:
        eid = s.execute(select(Enterprise.id).where(Enterprise.uscc == uscc)).scalar_one()
    return Actor("u", "enterprise", frozenset({eid}))


def test_a_compliance_year_settled_on_the_ledger(registry: Registry, home: Paths) -> None:
    assert import_file(registry, home, "enterprises", EXAMPLES / "enterprises.csv").rows_bad == 0
    carbonassets.set_year(registry, STAFF, A, 2024, verified_t=10_000, deadline=dt.date(2025, 12, 31))
    carbonassets.move(registry, STAFF, A, 2024, "pre_allocation", 9_000)
    carbonassets.move(registry, STAFF, A, 2024, "true_up", 300)
    carbonassets.move(registry, STAFF, A, 2024, "buy", 400, "trading board")
    carbonassets.add_ccer(registry, STAFF, A, "CCER-2024-0001", "offshore wind", "CCER-14-001-V01", 2024, 600)
    carbonassets.add_ccer(registry, STAFF, A, "CCER-2024-0002", "a covered plant", "CCER-14-001-V01", 2024, 100,
                          in_boundary=True)
    (row,) = carbonassets.status(registry, STAFF, 2024, as_of=dt.date(2025, 12, 1))
    # held = 9 000 + 300 + 400 = 9 700; CCER cap = 5 % × 10 000 = 500 (of 600 eligible; the covered plant's 100
    # cannot offset); surrender 10 000 − 500 = 9 500 allowances; 200 carried over
    assert (row["allowances_held_t"], row["ccer_cap_t"], row["ccer_used_t"], row["allowances_surrendered_t"],
            row["shortfall_t"], row["carry_over_t"], row["state"]) == (9_700, 500, 500, 9_500, 0, 200, "compliant")
    with pytest.raises(NotFoundError):
        carbonassets.status(registry, _user(registry, B), 2024, uscc=A)
    assert carbonassets.status(registry, _user(registry, B), 2024) == []
    assert [r["uscc"] for r in carbonassets.status(registry, _user(registry, A), 2024)] == [A]
    out = carbonassets.surrender(registry, STAFF, A, 2024)
    assert out["carry_over_t"] == 200
    (done,) = carbonassets.status(registry, STAFF, 2024)  # what the surrender recorded, not a new settlement
    assert (done["state"], done["ccer_used_t"], done["allowances_surrendered_t"], done["shortfall_t"],
            done["carry_over_t"]) == ("settled", 500, 9_500, 0, 200)
    with pytest.raises(StateError, match="settled"):
        carbonassets.move(registry, STAFF, A, 2024, "buy", 1, "x")
    with registry.session() as s:
        entries = greenledger.entries(s, subject=A)
    moves = [e.body for e in entries if e.kind == "allowance"]
    # each movement names the account debited and the one credited
    assert {(m["kind"], m["debit"], m["credit"], m["tonnes"]) for m in moves} >= {
        ("pre_allocation", f"{A}:CEA:2024", "MEE:allocation", 9_000),
        ("surrender", "MEE:surrendered", f"{A}:CEA:2024", 9_500),
        ("carry_out", f"{A}:CEA:2025", f"{A}:CEA:2024", 200),
        ("carry_in", f"{A}:CEA:2025", f"{A}:CEA:2024", 200)}
    ccer = [e.body for e in entries if e.kind == "ccer.surrender"]
    assert [(c["serial"], c["tonnes"]) for c in ccer] == [("CCER-2024-0001", 500)]  # split at the cap
    # the 100 t left of the lot are still held, for a later year
    carbonassets.set_year(registry, STAFF, A, 2025, verified_t=4_000)
    (nxt,) = carbonassets.status(registry, STAFF, 2025)
    assert nxt["allowances_held_t"] == 200 and nxt["ccer_used_t"] == 100 and nxt["shortfall_t"] == 3_700


def test_allowances_and_ccers_trade_on_the_parks_board(registry: Registry, home: Paths) -> None:
    from nengtan.engine.greenassets import cancel_order, place_order
    from nengtan.errors import InputError

    assert import_file(registry, home, "enterprises", EXAMPLES / "enterprises.csv").rows_bad == 0
    carbonassets.set_year(registry, STAFF, A, 2024, verified_t=10_000)
    carbonassets.move(registry, STAFF, A, 2024, "pre_allocation", 9_000)
    carbonassets.add_ccer(registry, STAFF, A, "CCER-X", "offshore wind", "CCER-14-001-V01", 2024, 600)
    a, b = _user(registry, A), _user(registry, B)
    with pytest.raises(InputError, match="fewer than 9,500"):
        place_order(registry, a, A, "sell", "cea:2024", 80, 9_500)
    sell = place_order(registry, a, A, "sell", "cea:2024", 80, 500)
    with pytest.raises(InputError, match="8,500 t of 2024 allowances not yet offered"):
        place_order(registry, a, A, "sell", "cea:2024", 80, 8_600)  # 500 are already offered
    bought = place_order(registry, b, B, "buy", "cea:2024", 85, 300)
    (t,) = bought["trades"]
    assert (t["mwh"], t["price"], t["seller"], t["buyer"]) == (300, 80, A, B)  # at the resting order's price
    carbonassets.set_year(registry, STAFF, B, 2024, verified_t=1_000)
    st = {r["uscc"]: r for r in carbonassets.status(registry, STAFF, 2024)}
    assert st[A]["allowances_held_t"] == 9_000 - 300 and st[B]["allowances_held_t"] == 300
    # CCERs: 200 t of the 600 t lot listed (split off), 250 t wanted: 200 t fill, 50 t rest on the book
    with registry.session() as s:
        from nengtan.registry.tables.assets import CcerLot

        lot_id = s.execute(select(CcerLot.id).where(CcerLot.serial == "CCER-X")).scalar_one()
    place_order(registry, a, A, "sell", "ccer", 60, 200, lot_id)
    assert st[A]["ccer_cap_t"] == 500
    (a_now,) = carbonassets.status(registry, STAFF, 2024, uscc=A)
    assert a_now["ccer_used_t"] == 400  # the listed 200 t no longer count for A's compliance
    got = place_order(registry, b, B, "buy", "ccer", 65, 250)
    assert [(x["mwh"], x["price"], x["serial"]) for x in got["trades"]] == [(200, 60, "CCER-X")]
    (b_now,) = carbonassets.status(registry, STAFF, 2024, uscc=B)
    assert b_now["ccer_used_t"] == 50  # B's cap: 5 % of 1 000 t, of the 200 t it now holds
    cancel_order(registry, b, got["order"])
    cancel_order(registry, a, sell["order"])
    with registry.session() as s:
        entries = greenledger.entries(s)
    trades = [e.body for e in entries if e.kind == "trade"]
    assert [(x["product"], x["t"]) for x in trades] == [("cea:2024", 300), ("ccer", 200)]
    assert any(e.kind == "ccer.transfer" and e.body["debit"] == f"{B}:CCER" for e in entries)
