"""A ledger in two parts (nengtan.accounting.parts): the statement rows that stand alone, applied once per registry
version, merged with the rest, equals the ledger computed in one piece, row for row, and a change that couples an
enterprise (a green-power claim) is seen at once."""

from pathlib import Path

import pandas as pd

from nengtan.accounting import apply_factors
from nengtan.accounting.parts import coupled_enterprises, enterprise_runs, merge_rows
from nengtan.config import data_home, database_url
from nengtan.engine.ledgers import activity, year_factor_set, year_ledger
from nengtan.ingest.files import import_file
from nengtan.lake import Lake
from nengtan.registry import frames
from nengtan.registry.store import Registry
from nengtan.registry.tables.greenpower import GreenClaim
from nengtan.registry.tables.park import Enterprise


def _part(rows: list[tuple[str, str, str, float]]) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=["uscc", "period", "carrier", "energy_tce"])
    return df.astype({"period": "category", "carrier": "category"})


def test_merge_puts_the_rows_in_uscc_period_and_carrier_order_and_unions_the_categories() -> None:
    a = _part([("A", "2025-01", "electricity", 1.0), ("A", "2025-03", "electricity", 2.0),
               ("C", "2025-01", "diesel", 3.0), ("E", "2025-01", "electricity", 4.0)])
    # B and D stand apart; A's February and its March heat fall between A's held rows
    b = _part([("A", "2025-02", "electricity", 9.0), ("A", "2025-03", "heat", 10.0),
               ("B", "2025-01", "natural_gas", 5.0), ("D", "2025-01", "electricity", 6.0),
               ("D", "2025-03", "pv", 7.0), ("F", "2025-02", "heat", 8.0)])
    out = merge_rows(a, b, enterprise_runs(a))
    assert list(out["uscc"]) == ["A", "A", "A", "A", "B", "C", "D", "D", "E", "F"]
    assert list(out["energy_tce"]) == [1.0, 9.0, 2.0, 10.0, 5.0, 3.0, 6.0, 7.0, 4.0, 8.0]
    assert list(out["carrier"].cat.categories) == ["diesel", "electricity", "heat", "natural_gas", "pv"]
    assert list(out["period"].cat.categories) == ["2025-01", "2025-02", "2025-03"]
    one_piece = pd.concat([a, b], ignore_index=True).astype({"period": str, "carrier": str}).astype(
        {"period": "category", "carrier": "category"}).sort_values(["uscc", "period", "carrier"]).reset_index(
        drop=True)
    pd.testing.assert_frame_equal(out, one_piece)
    assert merge_rows(a, b.iloc[0:0]).equals(a) and merge_rows(a.iloc[0:0], b).equals(b)


def test_coupled_enterprises_have_green_electricity_and_a_main_meter() -> None:
    assert coupled_enterprises([3, 1, 3, 9], pd.Series([1, 7, 3])) == frozenset({1, 3})


def test_year_ledger_equals_the_ledger_in_one_piece_and_sees_a_new_claim(tmp_path: Path) -> None:
    from nengtan.demo import SMALL, build_demo

    paths = data_home(tmp_path / "home")
    reg = Registry.open(database_url(paths))
    build_demo(paths, reg, SMALL)
    lake = Lake(paths.lake)
    year = 2025  # the demo's metered year

    def one_piece() -> pd.DataFrame:
        return apply_factors(activity(reg, lake, year), year_factor_set(reg, year))

    meters = frames.main_meters(reg)
    st = frames.statement_activity(reg, year)
    green = set(st.loc[st["carrier"] == "green_electricity", "enterprise_id"])
    alone = set(st["enterprise_id"]) - set(meters["enterprise_id"]) - green
    metered = (set(meters["enterprise_id"]) & set(st["enterprise_id"])) - green
    coupled = green & set(meters["enterprise_id"])
    # the demo has every kind: statement-only enterprises, metered ones with statements beside their meters (held
    # statement rows interleave with fresh metered rows), green ones without a meter (held whole) and green ones
    # with a meter (their electricity rows fresh, the rest held)
    assert alone and metered and coupled and green - coupled
    first = year_ledger(reg, lake, year, year_factor_set(reg, year))
    pd.testing.assert_frame_equal(first, one_piece())
    fs = year_factor_set(reg, year)
    again = year_ledger(reg, lake, year, fs)  # the alone part from the cache
    pd.testing.assert_frame_equal(again, first)
    one = year_factor_set(reg, year)
    apply_factors(activity(reg, lake, year), one)
    assert fs.used == one.used  # the report's factor table names the factors behind the held rows too

    # a green-power claim couples a statement-only enterprise: its electricity is capped and its market-based
    # Scope 2 falls; the held part must not keep its old rows
    eid = min(alone)
    with reg.session() as s:
        uscc = s.get(Enterprise, eid).uscc  # type: ignore[union-attr]
        s.add(GreenClaim(enterprise_id=eid, period=f"{year}-03", mwh=5, ledger_seq=-1, created_by="test"))
        s.commit()
    after = year_ledger(reg, lake, year, year_factor_set(reg, year))
    pd.testing.assert_frame_equal(after, one_piece())
    assert len(after) == len(first) + 1  # the claim's row
    march = after[(after["uscc"] == uscc) & (after["period"] == f"{year}-03")]
    was = first[(first["uscc"] == uscc) & (first["period"] == f"{year}-03")]
    assert march["scope2_market_t"].sum() < was["scope2_market_t"].sum()

    # a statement for a month a main meter measured overrides the meter's total (combine_activity's precedence):
    # the fresh metered row gives way to the statement, which the held part then holds
    ent = frames.enterprises_frame(reg)
    eid = min(metered)
    uscc = str(ent.loc[ent["enterprise_id"] == eid, "uscc"].iloc[0])
    metered_may = after[(after["uscc"] == uscc) & (after["period"] == f"{year}-05")
                        & (after["carrier"] == "electricity")]
    assert list(metered_may["source"]) == ["meter"]
    f = tmp_path / "may.csv"
    f.write_text(f"uscc,period,carrier,quantity,unit\n{uscc},{year}-05,electricity,12345,kWh\n", encoding="utf-8")
    assert import_file(reg, paths, "activity", f).rows_ok == 1
    stated = year_ledger(reg, lake, year, year_factor_set(reg, year))
    pd.testing.assert_frame_equal(stated, one_piece())
    may = stated[(stated["uscc"] == uscc) & (stated["period"] == f"{year}-05") & (stated["carrier"] == "electricity")]
    assert list(may["source"]) == ["statement"] and list(may["quantity"]) == [12345.0]
    reg.close()


def test_activity_keys_name_the_same_enterprise_period_and_carrier_alike_in_any_frame() -> None:
    import numpy as np
    import pytest

    from nengtan.accounting.meters import activity_keys

    a = pd.DataFrame({"enterprise_id": [1, 1, 2, 1], "period": ["2025-01", "2025-02", "2025-01", "2025-01"],
                      "carrier": ["electricity", "electricity", "electricity", "natural_gas"]})
    b = pd.DataFrame({"enterprise_id": [2, 1], "period": ["2025-01", "2024-12"], "carrier": ["electricity", "pv"]})
    ka, kb = activity_keys(a), activity_keys(b)
    assert len(set(ka.tolist())) == 4  # four different triples, four keys
    assert kb[0] == ka[2] and not np.isin(kb[1], ka)  # the same triple in another frame has the same key
    with pytest.raises(KeyError, match="hydrogen"):
        activity_keys(b.assign(carrier=["hydrogen", "pv"]))
