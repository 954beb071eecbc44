"""Import templates from the portal: downloaded, filled in (Chinese headers and carrier names as they come) and
uploaded back, the row lands; an unknown kind is not found."""

from __future__ import annotations

import io

from fastapi.testclient import TestClient
from openpyxl import load_workbook


def test_template_round_trip(client: TestClient, tokens, demo) -> None:  # type: ignore[no-untyped-def]
    a = tokens["enterprise-a"]
    r = client.get("/api/templates/activity.xlsx", headers=a)
    assert r.status_code == 200 and r.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    wb = load_workbook(io.BytesIO(r.content))
    ws = wb["数据"]
    assert [c.value for c in ws[1]][:5] == ["统一社会信用代码", "统计期", "能源品种", "数量", "单位"]
    for col, value in zip("ABCDE", (demo.a, "2024-06", "焦炭", "1.5", "t"), strict=True):
        ws[f"{col}2"] = value
    out = io.BytesIO()
    wb.save(out)
    up = client.post(f"/api/enterprises/{demo.a}/uploads", headers=a, data={"kind": "activity"},
                     files={"file": ("焦炭.xlsx", out.getvalue(), "application/octet-stream")})
    assert up.status_code == 201, up.text
    assert (up.json()["rows_ok"], up.json()["rows_bad"]) == (1, 0), up.json()  # (2025 of A is signed off in
    # another test of the session: 2024, a year of statements only)
    assert client.get("/api/templates/secrets.xlsx", headers=a).status_code == 404
    assert client.get("/api/templates/activity.xlsx").status_code == 401
