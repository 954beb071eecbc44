"""The park's reports from the cockpit (issue 15 item 6): the meeting pack holds the cockpit's own figures, the
inventory and targets workbooks download with their PDFs and charts, at the staff member's place only."""

from __future__ import annotations

import io

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from pypdf import PdfReader

from nengtan.engine.meetingpack import CARRIERS, CHARTS, KPI, RANKING, TOP, TREND, WARNINGS
from nengtan.reports.charts import series

YEAR = 2025


def _images(pdf: bytes) -> int:
    return sum(len(p.images) for p in PdfReader(io.BytesIO(pdf)).pages)


def _sheet(xlsx: bytes, name: str) -> list[tuple]:  # type: ignore[type-arg]
    return [r for r in load_workbook(io.BytesIO(xlsx), data_only=True)[name].iter_rows(values_only=True)
            if any(v is not None for v in r)]


def test_the_meeting_pack_shows_the_cockpits_own_figures(client: TestClient, tokens) -> None:  # type: ignore[no-untyped-def]
    admin = tokens["admin"]
    r = client.get(f"/api/reports/pack?year={YEAR}&format=xlsx", headers=admin)
    assert r.status_code == 200 and r.content[:2] == b"PK"
    summary = client.get(f"/api/cockpit/summary?year={YEAR}", headers=admin).json()
    kpi = _sheet(r.content, KPI)
    assert kpi[0][:3] == ("指标", "本年", "上年")
    by_name = {row[0]: row for row in kpi[1:]}
    energy = next(i for i in summary["items"] if i["key"] == "energy_tce")
    share = next(i for i in summary["items"] if i["key"] == "non_fossil_energy_share")
    assert by_name["综合能耗总量"][1] == pytest.approx(energy["value"], rel=1e-12)
    assert by_name["非化石能源消费比重"][1] == pytest.approx(share["value"] * 100, rel=1e-12)  # shown in %
    assert by_name["综合能耗总量"][6] in {"红", "黄", "绿", "灰"}
    trends = client.get(f"/api/cockpit/trends?year={YEAR}", headers=admin).json()
    trend = _sheet(r.content, TREND)
    assert [row[1] for row in trend[1:]] == pytest.approx(trends["this_year"]["co2_t"], rel=1e-12)
    assert [row[2] for row in trend[1:]] == pytest.approx(trends["last_year"]["co2_t"], rel=1e-12)
    ranking = client.get(f"/api/cockpit/ranking?year={YEAR}&by=co2&limit={TOP}", headers=admin).json()["items"]
    sheet = _sheet(r.content, RANKING)
    assert [row[2] for row in sheet[1:]] == [x["uscc"] for x in ranking]
    assert [row[5] for row in sheet[1:]] == pytest.approx([x["co2_t"] for x in ranking], rel=1e-12)
    carriers = _sheet(r.content, CARRIERS)
    bd = client.get(f"/api/cockpit/breakdown?year={YEAR}", headers=admin).json()
    assert sum(row[3] for row in carriers[1:]) == pytest.approx(sum(c["energy_tce"] for c in bd["by_carrier"]))
    warnings = client.get(f"/api/cockpit/warnings?year={YEAR}&limit=500", headers=admin).json()["items"]
    assert warnings and [row[2] for row in _sheet(r.content, WARNINGS)[1:]] == [w.get("name") or w["subject"]
                                                                                for w in warnings]

    pdf = client.get(f"/api/reports/pack?year={YEAR}", headers=admin)
    assert pdf.status_code == 200 and pdf.content[:5] == b"%PDF-"
    assert pdf.headers["content-disposition"].endswith(f"meeting-pack-{YEAR}.pdf")
    # a chart per table that has rows (trend, carriers, sectors, ranking, warning statuses)
    assert _images(pdf.content) == sum(1 for c in CHARTS if series(c, _sheet(r.content, c.table))[0]) == 5


def test_the_places_reports_download_with_their_charts(client: TestClient, tokens) -> None:  # type: ignore[no-untyped-def]
    admin = tokens["admin"]
    inv = client.get(f"/api/reports/inventory?year={YEAR}&format=xlsx", headers=admin)
    assert inv.status_code == 200
    summary = {row[0]: row[1] for row in _sheet(inv.content, "汇总 Summary")}
    total = client.get(f"/api/inventory?year={YEAR}", headers=admin).json()
    assert summary["综合能耗（当量值）Energy, calorific equivalent"] == pytest.approx(total["energy_tce"], rel=1e-12)
    pdf = client.get(f"/api/reports/inventory?year={YEAR}&format=pdf", headers=admin)
    assert pdf.content[:5] == b"%PDF-" and _images(pdf.content) == 5
    t = client.get(f"/api/reports/targets?year={YEAR}&format=pdf", headers=admin)
    assert t.status_code == 200 and t.content[:5] == b"%PDF-" and _images(t.content) >= 2  # statuses, scenarios
    audit = client.get("/api/audit?action=report.download&limit=50", headers=admin)
    assert audit.status_code == 200, audit.text
    assert {f"inventory-{YEAR}", f"targets-{YEAR}"} <= {e["target"] for e in audit.json()["items"]}


def test_only_staff_download_the_places_reports(client: TestClient, tokens) -> None:  # type: ignore[no-untyped-def]
    for who in ("enterprise-a", "verifier", "public"):
        for kind in ("pack", "inventory", "targets"):
            assert client.get(f"/api/reports/{kind}?year={YEAR}", headers=tokens[who]).status_code == 403, (who, kind)
    assert client.get(f"/api/reports/pack?year={YEAR}").status_code == 401
    assert client.get(f"/api/reports/pack?year={YEAR}&format=doc", headers=tokens["admin"]).status_code == 422



def test_a_year_without_data_is_a_clear_error_for_every_report(client: TestClient, tokens) -> None:  # type: ignore[no-untyped-def]
    for kind in ("pack", "inventory", "targets"):
        r = client.get(f"/api/reports/{kind}?year=2019", headers=tokens["admin"])
        assert r.status_code in (404, 422) and "2019" in r.json()["detail"], (kind, r.status_code, r.text[:200])
