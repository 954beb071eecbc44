"""Factor library: values, provenance, and the multipliers derived from them, checked by hand."""

import pytest

from nengtan.factors import FactorError, load_factor_set, load_library
from nengtan.factors.library import COLUMNS


def test_every_row_carries_its_provenance() -> None:
    lib = load_library()
    assert list(lib.columns) == COLUMNS
    assert lib["id"].is_unique
    for col in ("source", "clause", "edition", "valid_from", "status"):
        assert (lib[col].str.len() > 0).all(), col
    assert set(lib["status"]) <= {"confirmed", "to-verify"}
    # a recalled number is never presented as confirmed (factors.md: national 2021 and excl. 2022 recalled)
    assert lib.set_index("id").loc["grid.national_excl.2022", "status"] == "to-verify"
    assert lib.set_index("id").loc["grid.national_excl.2022", "status"] == "to-verify"


def test_natural_gas_combustion_factor_by_hand() -> None:
    # GB/T 32150-2015 annex B: NCV 389.31 GJ/10^4 Nm3, CC 0.0153 tC/GJ, OF 99 %
    # 10^4 Nm3: 389.31 × 0.0153 × 0.99 × 44/12 = 21.6219 tCO2 (factors.md: with CC 0.0153 it is 21.62)
    expected_per_10k = 389.31 * 0.0153 * 0.99 * 44 / 12
    assert expected_per_10k == pytest.approx(21.6219, abs=1e-4)
    f = load_factor_set("cn-2023").combustion_co2("natural_gas")
    assert f.unit == "tCO2/m3"
    assert f.value * 10_000 == pytest.approx(expected_per_10k, rel=1e-12)
    assert f.rows == ("ncv.natural_gas", "cc.natural_gas", "of.natural_gas")


@pytest.mark.parametrize(("carrier", "ncv", "cc", "of", "published"), [
    ("diesel", 42.652, 0.0202, 0.98, 3.096),      # factors.md §2, found
    ("gasoline", 43.070, 0.0189, 0.98, 2.925),
    ("fuel_oil", 41.816, 0.0211, 0.98, 3.171),
    ("lpg", 50.179, 0.0172, 0.98, 3.101),
    ("coke", 28.435, 0.0295, 0.93, 2.860),
    ("coal", 20.908, 0.02637, 0.94, 1.900),
])
def test_fuel_factors_match_the_published_results(carrier: str, ncv: float, cc: float, of: float,
                                                  published: float) -> None:
    value = load_factor_set().combustion_co2(carrier).value
    assert value == pytest.approx(ncv * cc * of * 44 / 12, rel=1e-12)
    assert value == pytest.approx(published, abs=0.0015)


def test_standard_coal_coefficients() -> None:
    fs = load_factor_set().for_year(2025)
    # GB/T 2589-2020 annex A: electricity 0.1229 kgce/kWh = 0.0001229 tce/kWh
    assert fs.tce("electricity").value == pytest.approx(0.0001229)
    assert fs.tce("natural_gas").value == pytest.approx(0.0012143)    # 1.2143 kgce/m3 (gas-field gas)
    assert fs.tce("diesel").value == pytest.approx(1.4571)             # kgce/kg = tce/t
    assert fs.tce("heat").value == pytest.approx(0.03412)              # 0.03412 kgce/MJ = tce/GJ
    # steam by its enthalpy: 2.777 GJ/t × 0.03412 tce/GJ
    assert fs.tce("steam").value == pytest.approx((2.777 - 0.08374) * 0.03412)  # delivered heat × 热力
    # 等价值: the year's thermal-power coal rate, 0.300 kgce/kWh in the shipped set (to verify)
    assert fs.tce_equivalent("electricity").value == pytest.approx(0.000300)


def test_grid_factors_by_level_and_year() -> None:
    assert load_factor_set("cn-2023").grid_location("江苏").value == pytest.approx(0.5827 / 1000)
    assert load_factor_set("cn-2022").grid_location("jiangsu").value == pytest.approx(0.5978 / 1000)
    assert load_factor_set("cn-2021").grid_location("jiangsu").value == pytest.approx(0.6451 / 1000)
    assert load_factor_set("cn-2023-national").grid_location("jiangsu").value == pytest.approx(0.5306 / 1000)
    # Zhejiang has no provincial value in the library: falls back to the East China grid, and says so
    zj = load_factor_set("cn-2023").grid_location("浙江")
    assert zj.value == pytest.approx(0.5500 / 1000)
    assert "fell back" in zj.note
    # market-based 2022: the national factor excluding market-traded non-fossil power
    mk = load_factor_set("cn-2022").grid_market("jiangsu")
    assert mk.value == pytest.approx(0.5856 / 1000)


def test_heat_and_steam() -> None:
    fs = load_factor_set()
    assert fs.heat_co2().value == 0.11
    # steam (t) → GJ: (enthalpy 2.777 − 0.08374) GJ/t; × 0.11 tCO2/GJ
    assert fs.steam_co2().value == pytest.approx((2.777 - 0.08374) * 0.11)


def test_set_id_changes_with_any_value_and_overrides_win() -> None:
    base = load_factor_set("cn-2023")
    ov = load_library()
    ov = ov[ov["id"] == "ncv.natural_gas"].copy()
    ov["id"] = "park.1.ncv.natural_gas"
    ov["value"] = 360.0
    ov["note"] = "supplier lab report 2025-07"
    park = load_factor_set("cn-2023", ov)
    assert park.name == "cn-2023+park"
    assert park.id != base.id
    assert park.combustion_co2("natural_gas").value == pytest.approx(360.0 * 0.0153 * 0.99 * 44 / 12 / 10_000)
    assert load_factor_set("cn-2023").id == base.id  # deterministic


def test_unknown_set() -> None:
    with pytest.raises(FactorError, match="unknown factor set 'cn-1999'"):
        load_factor_set("cn-1999")
