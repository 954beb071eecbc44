"""The cockpit and the portal show exactly the accounting engine's (= the CLI's) numbers."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from nengtan.engine.ledgers import inventory
from nengtan.lake import Lake
from nengtan.registry.store import Registry

YEAR = 2025


@pytest.fixture(scope="module")
def cli_inventory(demo):  # type: ignore[no-untyped-def]
    reg = Registry.open(demo.url)
    try:
        yield lambda scope="park": inventory(reg, Lake(demo.home / "lake"), year=YEAR, scope=scope).to_dict()
    finally:
        reg.close()


def test_cockpit_headline_equals_inventory(client: TestClient, tokens, cli_inventory) -> None:  # type: ignore[no-untyped-def]
    s = client.get(f"/api/cockpit/summary?year={YEAR}", headers=tokens["admin"]).json()
    items = {i["key"]: i for i in s["items"]}
    inv = cli_inventory()
    assert inv["co2_t"] > 1000
    assert items["co2_t"]["value"] == pytest.approx(inv["co2_t"], rel=1e-12)
    assert items["energy_tce"]["value"] == pytest.approx(inv["energy_tce"], rel=1e-12)
    assert items["carbon_intensity"]["value"] == pytest.approx(inv["intensities"]["co2_t_per_10k_cny_value_added"])
    assert items["non_fossil_energy_share"]["value"] == pytest.approx(inv["non_fossil_energy_share"])
    assert {i["status"] for i in s["items"]} <= {"red", "yellow", "green", "grey"}
    # 0.6 tCO2/万元 × value added is the elastic CO2 limit
    assert items["co2_t"]["target"] == pytest.approx(0.6 * s["value_added"])


def test_share_cards_use_the_inventory_and_issue4_definition(client: TestClient, tokens, demo,  # type: ignore[no-untyped-def]
                                                             cli_inventory) -> None:
    """Non-fossil share = (PV + green electricity) / energy at 等价值, the same number in the inventory,
    in issue 4's indicator_frame (which the warnings use) and on the cockpit's card."""
    from nengtan.engine.ledgers import economics, ledger
    from nengtan.indicators import fill_value_added
    from nengtan.targets.targets import indicator_frame

    reg = Registry.open(demo.url)
    try:
        led = ledger(reg, Lake(demo.home / "lake"), YEAR)
        ind = indicator_frame(led, fill_value_added(economics(reg, YEAR))[0]).iloc[0]
    finally:
        reg.close()
    inv = cli_inventory()
    summary = client.get(f"/api/cockpit/summary?year={YEAR}", headers=tokens["admin"]).json()
    items = {i["key"]: i for i in summary["items"]}
    assert 0.0 < inv["non_fossil_energy_share"] < 1.0
    assert inv["non_fossil_energy_share"] == pytest.approx(float(ind["nonfossil_share"]), rel=1e-9)
    assert items["non_fossil_energy_share"]["value"] == pytest.approx(float(ind["nonfossil_share"]), rel=1e-9)
    # green electricity counts only when claimed with cancelled GECs (issue 11); this park has no claims, its
    # statements' green electricity is unverified, so the non-fossil share is the PV part alone, at 等价值
    assert float(led["green_unverified_kwh"].sum()) > 0
    pv_equiv = float(led.loc[led["carrier"] == "pv", "energy_equiv_tce"].sum())
    assert pv_equiv / float(led["energy_equiv_tce"].sum()) == pytest.approx(inv["non_fossil_energy_share"], rel=1e-9)
    assert items["renewable_electricity_share"]["value"] == pytest.approx(inv["renewable_electricity_share"])


def test_breakdowns_add_up(client: TestClient, tokens, cli_inventory) -> None:  # type: ignore[no-untyped-def]
    h = tokens["admin"]
    inv = cli_inventory()
    bd = client.get(f"/api/cockpit/breakdown?year={YEAR}", headers=h).json()
    assert sum(r["co2_t"] for r in bd["by_sector"]) == pytest.approx(inv["co2_t"])
    assert sum(r["energy_tce"] for r in bd["by_carrier"]) == pytest.approx(inv["energy_tce"])
    sk = client.get(f"/api/cockpit/sankey?year={YEAR}", headers=h).json()
    assert sum(link["value"] for link in sk["links"]) == pytest.approx(inv["energy_tce"])
    tr = client.get(f"/api/cockpit/trends?year={YEAR}", headers=h).json()
    assert sum(tr["this_year"]["co2_t"]) == pytest.approx(inv["co2_t"])
    assert len(tr["last_year"]["co2_t"]) == 12
    rk = client.get(f"/api/cockpit/ranking?year={YEAR}&limit=1000", headers=h).json()
    assert sum(r["co2_t"] for r in rk["items"]) == pytest.approx(inv["co2_t"])
    co2s = [r["co2_t"] for r in rk["items"]]
    assert co2s == sorted(co2s, reverse=True)
    mp = client.get(f"/api/cockpit/map?year={YEAR}", headers=h).json()
    assert mp["items"] and all(-180 <= p["lon"] <= 180 and -90 <= p["lat"] <= 90 for p in mp["items"])


def test_sector_drilldown_equals_inventory(client: TestClient, tokens, cli_inventory) -> None:  # type: ignore[no-untyped-def]
    bd = client.get(f"/api/cockpit/breakdown?year={YEAR}", headers=tokens["admin"]).json()
    code = bd["by_sector"][0]["sector_code"]
    d = client.get(f"/api/cockpit/sectors/{code}?year={YEAR}", headers=tokens["admin"]).json()
    assert d["inventory"]["co2_t"] == pytest.approx(cli_inventory(f"sector:{code}")["co2_t"], rel=1e-12)
    assert sum(e["co2_t"] for e in d["enterprises"]) == pytest.approx(d["inventory"]["co2_t"])


def test_enterprise_accounts_equal_inventory(client: TestClient, tokens, demo, cli_inventory) -> None:  # type: ignore[no-untyped-def]
    acc = client.get(f"/api/enterprises/{demo.a}/accounts?year={YEAR}&limit=1000",
                     headers=tokens["enterprise-a"]).json()
    inv = cli_inventory(f"enterprise:{demo.a}")
    assert acc["inventory"]["co2_t"] == pytest.approx(inv["co2_t"], rel=1e-12)
    assert sum(r["scope1_t"] + r["scope2_location_t"] for r in acc["items"]) == pytest.approx(inv["co2_t"])
    one = client.get(f"/api/enterprises/{demo.a}/accounts?period={YEAR}-03", headers=tokens["enterprise-a"]).json()
    assert one["items"] and {r["period"] for r in one["items"]} == {f"{YEAR}-03"}
    page = client.get(f"/api/enterprises/{demo.a}/accounts?year={YEAR}&limit=2&offset=1",
                      headers=tokens["enterprise-a"]).json()
    assert page["total"] == acc["total"] and page["items"] == acc["items"][1:3]


def test_inventory_endpoint_periods(client: TestClient, tokens, cli_inventory) -> None:  # type: ignore[no-untyped-def]
    h = tokens["admin"]
    year = client.get(f"/api/inventory?year={YEAR}", headers=h).json()
    quarters = [client.get(f"/api/inventory?year={YEAR}&quarter={q}", headers=h).json()["co2_t"] for q in (1, 2, 3, 4)]
    assert sum(quarters) == pytest.approx(year["co2_t"])
    assert year["co2_t"] == pytest.approx(cli_inventory()["co2_t"], rel=1e-12)
    r = client.get(f"/api/inventory?year={YEAR}&month=1&quarter=1", headers=h)
    assert r.status_code == 422 and r.headers["content-type"].startswith("application/problem+json")


def test_meter_drilldown(client: TestClient, tokens, demo) -> None:  # type: ignore[no-untyped-def]
    h = tokens["admin"]
    ents = client.get("/api/enterprises?limit=1000", headers=h).json()["items"]
    for e in ents:
        meters = client.get(f"/api/enterprises/{e['uscc']}/meters", headers=h).json()["items"]
        mains = [m for m in meters if m["role"] == "main" and m["kind"] == "interval"]
        if mains:
            d = client.get(f"/api/enterprises/{e['uscc']}/meters/{mains[0]['code']}?year={YEAR}", headers=h).json()
            assert len(d["monthly"]) == 12 and sum(m["quantity"] for m in d["monthly"]) > 0
            return
    pytest.fail("the demo park has no interval main meter")


def test_report_xlsx(client: TestClient, tokens, demo) -> None:  # type: ignore[no-untyped-def]
    r = client.get(f"/api/enterprises/{demo.a}/report.xlsx?year={YEAR}", headers=tokens["enterprise-a"])
    assert r.status_code == 200 and r.content[:2] == b"PK"
    assert "spreadsheetml" in r.headers["content-type"]


def test_report_pdf_is_printed_from_the_same_workbook(client: TestClient, tokens, demo, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import io

    from openpyxl import load_workbook

    from nengtan.reports.workbook_pdf import cut, workbook_tables

    r = client.get(f"/api/enterprises/{demo.a}/report.pdf?year={YEAR}", headers=tokens["enterprise-a"])
    assert r.status_code == 200 and r.content[:5] == b"%PDF-" and r.headers["content-type"] == "application/pdf"
    assert client.get(f"/api/enterprises/{demo.b}/report.pdf?year={YEAR}",
                      headers=tokens["enterprise-a"]).status_code == 404
    xlsx = tmp_path / "r.xlsx"
    xlsx.write_bytes(client.get(f"/api/enterprises/{demo.a}/report.xlsx?year={YEAR}",
                                headers=tokens["enterprise-a"]).content)
    tables = workbook_tables(xlsx)
    wb = load_workbook(io.BytesIO(xlsx.read_bytes()), data_only=True)
    assert list(tables) == wb.sheetnames
    summary = tables[wb.sheetnames[0]]
    cells = {v for row in wb.worksheets[0].iter_rows(values_only=True) for v in row if isinstance(v, float)}
    assert cells and cells <= {v for row in summary for v in row if isinstance(v, float)}  # every figure is printed
    from pypdf import PdfReader

    from nengtan.reports.charts import series
    from nengtan.reports.inventory_xlsx import CHARTS

    images = [im for page in PdfReader(io.BytesIO(r.content)).pages for im in page.images]
    assert all(series(c, tables[c.table])[0] for c in CHARTS) and len(images) == len(CHARTS)  # each chart, drawn
    longest = max(tables.values(), key=len)
    short = cut(longest, max_rows=3)
    assert short[:4] == longest[:4] and len(short) == 5
    assert f"其余 {len(longest) - 4:,} 行见 XLSX" in str(short[-1][0])
