"""Verification records (碳核查): lines checked as a reviewer checks a printed table, what each guideline covers,
an import that lands whole or not at all, the year locked and re-versioned only with a reason, the compliance
obligation set from the covered emissions, and the reconciliation with the platform worked by hand."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from nengtan.assets import verification as rules
from nengtan.config import Paths
from nengtan.engine import carbonassets, greenledger
from nengtan.engine.certification import Actor
from nengtan.engine.stores import LocalStores
from nengtan.engine.verifications import import_records, reconcile, records
from nengtan.errors import InputError, NotFoundError, StateError
from nengtan.ingest.files import import_file
from nengtan.lake import Lake
from nengtan.registry.store import Registry

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
A, B = "91320115000001230J", "91320115000002129Y"
STAFF = Actor("staff", "admin")
HEAD = "uscc,year,verifier,guideline,source,scope,activity,unit,factor,emissions_t,report\n"


def test_a_line_is_activity_times_factor_in_the_carriers_unit() -> None:
    # 1.2 万m³ of natural gas at 21.62 tCO2/10⁴ m³ (factors.md 2: 389.31 GJ/10⁴ m³ × 0.0153 × 99 % × 44/12)
    x = rules.line("generic", "natural_gas", 1.2, "万m3", 21.62, 25.94)
    assert (x.activity, x.unit, x.kind, x.scope, x.covered) == (12_000, "m3", "combustion", 1, True)
    assert x.factor == pytest.approx(21.62 / 1e4) and x.emissions_t == 25.94
    with pytest.raises(InputError, match=r"printed emissions 26\.50 t are not activity × factor = 25\.94 t"):
        rules.line("generic", "natural_gas", 1.2, "万m3", 21.62, 26.5)
    assert rules.line("generic", "electricity", 100, "MWh", 0.5703, None).emissions_t == pytest.approx(57.03)
    with pytest.raises(InputError, match="Scope 2"):
        rules.line("generic", "electricity", 100, "MWh", 0.5703, None, scope=1)
    with pytest.raises(InputError, match="no emissions"):
        rules.line("generic", "pv", 100, "MWh", 0.0, 0.0)
    with pytest.raises(InputError, match="process item 'lime'"):
        rules.line("cement_2025", "process:lime", None, "", None, 10.0)
    with pytest.raises(InputError, match="guideline 'iso'"):
        rules.line("iso", "diesel", 1, "t", 3.1, None)


def test_sector_guidelines_count_direct_emissions_only() -> None:
    lines = [rules.line(g, s, a, u, f, e) for g, s, a, u, f, e in [
        ("cement_2025", "coal", 1_000, "t", 1.9, None),  # 1 900 t, combustion
        ("cement_2025", "process:clinker", None, "", None, 5_250.0),  # calcination
        ("cement_2025", "electricity", 10_000, "MWh", 0.5703, None)]]  # 5 703 t, indirect: kept, not counted
    t = rules.totals(lines)
    assert (t.total_t, t.scope1_t, t.scope2_t, t.covered_t) == pytest.approx((12_853, 7_150, 5_703, 7_150))
    power = rules.totals([rules.line("power_2022", "coal", 1_000, "t", 1.9, None),
                          rules.line("power_2022", "electricity", 100, "MWh", 0.5703, None)])
    assert power.covered_t == pytest.approx(1_900 + 57.03)
    import re

    cjk = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
    for key, g in rules.guidelines().items():  # each said in both languages: Chinese in _zh, none in the English
        assert all(cjk.search(g[f]) for f in ("name_zh", "clause_zh", "status_zh")), key
        assert not any(cjk.search(g[f]) for f in ("name_en", "clause", "status")), key


@pytest.fixture
def stores(registry: Registry, home: Paths) -> LocalStores:
    for kind, f in (("enterprises", "enterprises.csv"), ("activity", "activity.csv")):
        assert import_file(registry, home, kind, EXAMPLES / f).rows_bad == 0
    return LocalStores(registry, Lake(home.lake))


def _file(tmp_path: Path, body: str, name: str = "v.csv") -> Path:
    p = tmp_path / name
    p.write_text(HEAD + body, encoding="utf-8")
    return p


def test_an_import_lands_whole_locks_the_year_and_sets_the_obligation(stores: LocalStores, tmp_path: Path) -> None:
    (tmp_path / "report-a.pdf").write_bytes(b"%PDF-1.4 verification report of A")
    bad = _file(tmp_path, f"{A},2025,V,generic,natural_gas,1,1.2,万m3,21.62,25.94,report-a.pdf\n"
                          f"{A},2025,V,generic,diesel,1,3.5,t,3.1,99,report-a.pdf\n"
                          f"{B},2025,V,generic,electricity,2,856,MWh,0.5703,488.18,\n")
    out = import_records(stores, STAFF, bad, tmp_path / "files")
    assert out.landed == 1  # B's record lands; A's has a bad row and lands not at all
    assert out.errors == ["v.csv:3: diesel: printed emissions 99.00 t are not activity × factor = 10.85 t — record "
                          f"{A} 2025 (2 rows) not imported"]
    assert [r["uscc"] for r in records(stores, STAFF, 2025)] == [B]
    carbonassets.set_year(stores.registry, STAFF, A, 2025, deadline=dt.date(2026, 12, 31))
    good = _file(tmp_path, f"{A},2025,V,generic,natural_gas,1,1.2,万m3,21.65,25.98,report-a.pdf\n"
                           f"{A},2025,V,generic,diesel,1,3.5,t,3.1,10.85,report-a.pdf\n")
    assert import_records(stores, STAFF, good, tmp_path / "files").landed == 1
    (rec,) = records(stores, STAFF, 2025, A)
    assert (rec["version"], rec["covered_t"], rec["verifier"]) == (1, pytest.approx(25.98 + 10.85), "V")
    assert (tmp_path / "files" / f"{rec['report_sha256']}.pdf").read_bytes().startswith(b"%PDF")
    # the compliance year's obligation is the covered emissions, and names its record
    (st,) = carbonassets.status(stores.registry, STAFF, 2025)
    assert st["obligation_t"] == pytest.approx(36.83) and st["verification"]["record"] == rec["id"]
    with pytest.raises(StateError, match="verification record"):
        carbonassets.set_year(stores.registry, STAFF, A, 2025, verified_t=1.0)
    # the year is locked; a second import is a new version, and only with a reason
    from nengtan.engine.verification import year_status

    with stores.registry.session() as s:
        from nengtan.engine.certification import enterprise

        eid = enterprise(s, A).id
    assert year_status(stores, eid, A, 2025)["locked"]
    with pytest.raises(StateError, match="needs a reason"):
        from nengtan.engine.verifications import record

        record(stores, STAFF, A, 2025, "V", "generic", [rules.line("generic", "diesel", 3.5, "t", 3.1, None)])
    again = import_records(stores, STAFF, good, tmp_path / "files", reason="verifier's corrected report")
    assert again.landed == 1
    assert [r["version"] for r in records(stores, STAFF, 2025, A, all_versions=True)] == [1, 2]
    with stores.registry.session() as s:
        kinds = [e.kind for e in greenledger.entries(s, subject=A)]
    assert kinds.count("verification") == 2
    # an enterprise sees its own records only
    user_b = Actor("b", "enterprise", frozenset({2}))
    assert [r["uscc"] for r in records(stores, user_b, 2025)] == [B]
    with pytest.raises(NotFoundError):
        reconcile(stores, user_b, A, 2025)


def test_reconciliation_explains_each_difference_by_activity_and_factor(stores: LocalStores, tmp_path: Path) -> None:
    # platform, from docs/examples/activity.csv and the default factor set:
    #   natural gas 12 000 m³ × 0.00216219 t/m³ (389.31 GJ/10⁴ m³ × 0.0153 tC/GJ × 99 % × 44/12) = 25.946 t
    # the verifier: 12 100 m³ (the supplier's bills) at 21.65 t/10⁴ m³ (CC 0.01532, factors.md 2) = 26.1965 t
    f = _file(tmp_path, f"{A},2025,V,generic,natural_gas,1,12100,m3,0.002165,26.1965,\n"
                        f"{A},2025,V,generic,process:carbonate,1,,,,4.0,\n")
    assert import_records(stores, STAFF, f).landed == 1
    out = reconcile(stores, STAFF, A, 2025)
    lines = {x["source"]: x for x in out["lines"]}
    fp = 389.31e-4 * 0.0153 * 0.99 * 44 / 12
    gas = lines["natural_gas"]
    assert gas["platform_t"] == pytest.approx(12_000 * fp)
    assert gas["activity_part_t"] == pytest.approx(100 * fp)  # (A_v − A_p) · F_p
    assert gas["factor_part_t"] == pytest.approx(12_100 * (0.002165 - fp))  # A_v · (F_v − F_p)
    assert gas["activity_part_t"] + gas["factor_part_t"] == pytest.approx(26.1965 - 12_000 * fp)
    assert "activity 12,000.000 → 12,100.000" in gas["explanation"] and "factor" in gas["explanation"]
    assert lines["diesel"]["explanation"].startswith("stated by the platform only")
    assert lines["process:carbonate"]["explanation"] == ("stated by the verifier only; stated as emissions: "
                                                         "0.00 → 4.00 t")
    assert lines["process:carbonate"]["explanation_zh"] == "仅核查机构填报；以排放量填报：0.00 → 4.00 t"
    # each source and the guideline by name in both languages, for the portal's Chinese and English
    assert (gas["source_name"], gas["source_name_en"]) == ("天然气", "Natural gas")
    assert (lines["process:carbonate"]["source_name"], lines["process:carbonate"]["source_name_en"]) == (
        "碳酸盐使用/分解", "carbonate use or decomposition")
    assert out["guideline_name"] == "工业其他行业企业温室气体排放核算方法与报告指南（试行）"
    assert out["locked"] and out["data_version"] == out["locked_data_version"]


def test_the_cli_imports_reconciles_and_refuses_in_one_line(stores: LocalStores, home: Paths, tmp_path: Path) -> None:
    import json

    from typer.testing import CliRunner

    from nengtan.cli import app

    run = CliRunner().invoke
    f = _file(tmp_path, f"{A},2025,V,generic,natural_gas,1,12000,m3,0.002165,25.98,\n"
                        f"{B},2025,V,steel_2025,electricity,2,856,MWh,0.5703,488.18,\n"
                        f"{B},2025,V,steel_2025,coal,1,10,t,1.9,19.5,\n")
    r = run(app, ["assets", "verification", "import", str(f), "--home", str(home.home)])
    assert r.exit_code == 1
    assert "1 verification records landed" in r.output
    assert f"refused v.csv:4: coal: printed emissions 19.50 t are not activity × factor = 19.00 t — record {B}" \
        in " ".join(r.output.split())
    r = run(app, ["assets", "verification", "reconcile", "--enterprise", A, "--year", "2025", "--format", "json",
                  "--home", str(home.home)])
    assert r.exit_code == 0, r.output
    out = json.loads(r.output)
    assert out["verified_t"] == pytest.approx(25.98) and out["locked"]
    r = run(app, ["assets", "guidelines", "--format", "json"])
    assert json.loads(r.output)["steel_2025"]["covers"] == ["combustion", "process"]
    r = run(app, ["assets", "guidelines"], env={"NENGTAN_LANG": "zh", "COLUMNS": "200"})
    steel = next(line for line in r.output.splitlines() if "steel_2025" in line)
    assert "化石燃料燃烧、工业过程" in steel and "已查到" in steel and "found" not in r.output
    # the long Chinese cells fold onto more lines, none cut off with an ellipsis (nengtan.cli.common.Table)
    assert "…" not in r.output and "排放核算方法与报告指南" in r.output
