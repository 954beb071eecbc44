"""GEC codes and rules, and the order book's matching (pure)."""

from __future__ import annotations

import datetime as dt

import pytest

from nengtan.errors import InputError
from nengtan.greenpower import gec
from nengtan.greenpower.market import Order, match, public_book

PROJECT = gec.project_code("1", "2", "1", 2022, "321300", 7)


def test_project_code_check_character_iso7064_mod37_36() -> None:
    # ISO 7064 MOD 37,36 by hand for "A1": p=36; 'A'=10: s=(36+10)%36=10, p=20; '1': s=21, p=42%37=5;
    # check = (37-5)%36 = 32 → 'W'
    assert gec.check_character("A1") == "W"
    assert len(PROJECT) == 17 and gec.check_character(PROJECT[:-1]) == PROJECT[-1]
    code = gec.make_code(PROJECT, dt.date(2025, 3, 1), 42)
    g = gec.parse(code)
    assert (g.energy_type, g.address, g.production_month, g.sequence, g.electricity_class, g.trade_class) == \
        ("solar", "321300", dt.date(2025, 3, 1), 42, "grid", "tradable")
    wrong = PROJECT[:-1] + ("0" if PROJECT[-1] != "0" else "1")
    with pytest.raises(InputError, match="check character"):
        gec.parse(gec.make_code(wrong, dt.date(2025, 3, 1), 42))
    for bad, why in ((code[:31], "32 characters"), (code[:17] + "202513" + code[23:], "production month"),
                     (code[:-2] + "21", "not tradable"), (code[:-2] + "31", "not tradable"),
                     (code[:-2] + "41", "electricity class")):
        with pytest.raises(InputError, match=why):
            gec.parse(bad, "gecs.csv:3")


def test_validity_is_two_years_from_the_production_month() -> None:
    head = gec.parse(gec.make_code(PROJECT, dt.date(2023, 11, 1), 1))
    assert gec.expires_on(head.production_month) == dt.date(2025, 11, 1)
    assert gec.usable_for(head, "traded", dt.date(2025, 10, 1)) is None
    assert "expired on 2025-11-01" in (gec.usable_for(head, "traded", dt.date(2025, 11, 1)) or "")
    assert "after 2023-10" in (gec.usable_for(head, "issued", dt.date(2023, 10, 1)) or "")
    assert gec.usable_for(head, "cancelled", dt.date(2024, 1, 1)) == "the GECs are cancelled"


def test_ranges_and_the_traded_once_rule() -> None:
    r = gec.parse_range(gec.make_code(PROJECT, dt.date(2025, 1, 1), 101), count=50)
    assert r.count == 50 and r.last_code.endswith("0000150" + "11")
    taken, rest = r.take(20)
    assert (taken.first, taken.last, rest.first, rest.last) == (101, 120, 121, 150)  # type: ignore[union-attr]
    assert gec.overlaps(r, taken) and not gec.overlaps(taken, rest)  # type: ignore[arg-type]
    assert gec.parse_range(r.first_code, r.last_code).count == 50
    with pytest.raises(InputError, match="holds 50 GECs, not 49"):
        gec.parse_range(r.first_code, r.last_code, 49)
    assert gec.transition("issued", "list", True, False) == "listed"
    assert gec.transition("listed", "trade", True, False) == "traded"
    assert gec.transition("traded", "cancel", True, True) == "cancelled"
    with pytest.raises(InputError, match="traded at most once"):
        gec.transition("traded", "list", True, True)
    with pytest.raises(InputError, match="not tradable"):
        gec.transition("issued", "list", False, False)
    with pytest.raises(InputError, match="cancelled cannot be cancelled"):
        gec.transition("cancelled", "cancel", True, True)
    with pytest.raises(InputError, match="frozen cannot be cancelled"):
        gec.transition("frozen", "cancel", True, False)


def test_matching_is_price_then_time_and_skips_own_orders() -> None:
    book = [Order(1, "sell", "gec", 480, 300, "AG"), Order(2, "sell", "gec", 470, 200, "AG"),
            Order(3, "sell", "gec", 470, 100, "B"), Order(4, "buy", "gec", 465, 50, "C"),
            Order(5, "sell", "green_power", 400, 100, "AG")]
    fills, left = match(book, Order(6, "buy", "gec", 485, 450, "B"))
    # lowest sell first (470: order 2 before 3 by time, but 3 is the buyer's own), then 480; at the resting price
    assert [(f.sell_id, f.mwh, f.price) for f in fills] == [(2, 200, 470), (1, 250, 480)] and left == 0
    fills, left = match(book, Order(7, "sell", "gec", 466, 80, "D"))
    assert [(f.buy_id, f.mwh, f.price) for f in fills] == [] and left == 80  # 466 > the best bid 465
    fills, left = match(book, Order(8, "sell", "gec", 460, 80, "D"))
    assert [(f.buy_id, f.mwh, f.price) for f in fills] == [(4, 50, 465)] and left == 30
    levels = public_book(book)
    assert levels["gec"]["sell"][0] == {"price": 470, "mwh": 300.0} and "AG" not in repr(levels)
    with pytest.raises(InputError, match=r"at least 1 \(MWh or t\)"):
        Order(9, "buy", "gec", 400, 0, "B")
