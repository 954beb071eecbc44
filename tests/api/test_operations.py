"""Energy cost and live monitoring through the API: the routes render the engine's figures (one number), an
enterprise sets rules and storage for its own meters only, and sees only its own alarms."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from nengtan.calendar import park_midnight
from nengtan.engine import alarms as live
from nengtan.engine import curves, energycost
from nengtan.registry.tables.park import Enterprise, Meter

from .conftest import DemoPark, auth, own_park

YEAR = 2025


@pytest.fixture(scope="module")
def park(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, DemoPark]]:
    yield from own_park(tmp_path_factory, "operations-park")


def _main_meter(c: TestClient, uscc: str) -> str:
    reg = c.app.state.services.registry  # type: ignore[attr-defined]
    with reg.session() as s:
        return str(s.execute(select(Meter.code).join(Enterprise, Enterprise.id == Meter.enterprise_id).where(
            Enterprise.uscc == uscc, Meter.role == "main", Meter.kind == "interval",
            Meter.carrier == "electricity")).scalar_one())


def test_cost_and_curve_are_the_engines_figures(park: tuple[TestClient, DemoPark]) -> None:
    c, demo = park
    svc = c.app.state.services  # type: ignore[attr-defined]
    a = auth(c, demo, "enterprise-a")
    assert c.get("/api/tariffs", headers=a).json()["available"] is False  # nothing loaded yet: said, not a 500
    energycost.load_tariff(svc.registry, "test")
    t = c.get("/api/tariffs", headers=a).json()
    assert t["schedule"] == "jiangsu-industrial-1-10kV" and t["tables"][0]["lines"][0]["band_zh"] == "低谷"
    r = c.post(f"/api/enterprises/{demo.a}/storage", headers=a, json={
        "name": "1号储能", "capacity_kwh": 1000, "power_kw": 250, "efficiency": 0.9, "commissioned_on": "2025-01-01"})
    assert r.status_code == 201, r.text
    cost = c.get(f"/api/enterprises/{demo.a}/cost?year={YEAR}", headers=a).json()
    engine = energycost.enterprise_cost(svc, demo.a, YEAR)
    assert cost["available"] is True and cost["total"] == engine["total"]  # JSON floats round-trip exactly
    assert cost["months"] == engine["months"]
    assert cost["total"]["storage"]["shifted_kwh"] > 0
    meter = _main_meter(c, demo.a)
    curve = c.get(f"/api/enterprises/{demo.a}/meters/{meter}/curve?day=2025-06-30", headers=a).json()
    same = curves.day_curve(svc, demo.a, meter, dt.date(2025, 6, 30))
    assert curve["day"]["kwh"] == same["day"]["kwh"] and len(curve["times"]) == 24  # the test park's meters: hourly
    assert curve["change_pct"] == same["change_pct"]
    # a statement-only enterprise answers "not available" with the reason, in the same shape
    with svc.registry.session() as s:
        metered = select(Meter.enterprise_id).where(Meter.kind.in_(("interval", "counter")))
        other = s.execute(select(Enterprise.uscc).where(Enterprise.id.not_in(metered)).limit(1)).scalar_one()
    none = c.get(f"/api/enterprises/{other}/cost?year={YEAR}", headers=auth(c, demo, "admin")).json()
    assert none["available"] is False and "has no electricity main meter" in none["note"]


def test_rules_storage_and_alarms_stay_within_the_enterprise(park: tuple[TestClient, DemoPark]) -> None:
    c, demo = park
    svc = c.app.state.services  # type: ignore[attr-defined]
    a, b, admin = (auth(c, demo, w) for w in ("enterprise-a", "enterprise-b", "admin"))
    ma, mb = _main_meter(c, demo.a), _main_meter(c, demo.b)
    assert c.put(f"/api/enterprises/{demo.b}/meters/{mb}/alarm-rule", headers=a, json={"demand_kw": 1}
                 ).status_code in (403, 404)
    assert c.put(f"/api/enterprises/{demo.a}/meters/{mb}/alarm-rule", headers=a, json={"demand_kw": 1}
                 ).status_code == 404  # B's meter under A's code: not A's
    assert c.post(f"/api/enterprises/{demo.b}/storage", headers=a, json={
        "name": "x", "capacity_kwh": 1, "power_kw": 1, "efficiency": 0.9, "commissioned_on": "2025-01-01"}
                  ).status_code in (403, 404)
    bad = c.put(f"/api/enterprises/{demo.a}/meters/{ma}/alarm-rule", headers=a, json={"sigma": 20})
    assert bad.status_code == 422
    # each sets a demand limit its meter's last day crosses (hourly meters: kW = kWh)
    day = dt.date(YEAR, 12, 31)
    for who, uscc, code in ((a, demo.a, ma), (b, demo.b, mb)):
        peak = curves.day_curve(svc, uscc, code, day)["day"]["peak_kw"]
        r = c.put(f"/api/enterprises/{uscc}/meters/{code}/alarm-rule", headers=who, json={"demand_kw": peak * 0.9})
        assert r.status_code == 200 and r.json()["rule"]["demand_kw"] == pytest.approx(peak * 0.9)
    assert [x["meter"] for x in c.get(f"/api/enterprises/{demo.a}/alarm-rules", headers=a).json()["items"]] == [ma]
    watch = live.AlarmWatch(svc.registry, svc.lake, notify=False)
    assert watch.replay(park_midnight(day), park_midnight(day + dt.timedelta(days=1)))
    watch.close()
    mine = c.get("/api/alarms?open=false", headers=a).json()  # the day's later hours cleared them: all closed
    assert mine["items"] and {x["meter"] for x in mine["items"]} == {ma}
    assert mine["open"] == sum(x["cleared_at"] is None for x in mine["items"])
    assert mb not in c.get("/api/alarms?open=false", headers=a).text
    assert {x["meter"] for x in c.get("/api/alarms?open=false", headers=admin).json()["items"]} == {ma, mb}
    assert c.get("/api/alarms", headers=auth(c, demo, "public")).json()["items"] == []


def test_every_kind_the_subscription_form_offers_can_be_subscribed_to(park: tuple[TestClient, DemoPark]) -> None:
    c, demo = park
    for who in ("enterprise-a", "admin"):
        h = auth(c, demo, who)
        offered = c.get("/api/me/subscriptions", headers=h).json()["kinds"]
        assert "alarms" in offered
        r = c.post("/api/me/subscriptions", headers=h, json={"kinds": offered, "channel": "email",
                                                             "target": f"{who}@park.example"})
        assert r.status_code in (200, 201), r.text
        assert r.json()["kinds"] == offered


def test_an_enterprise_builds_virtual_meters_from_its_own_meters_only(park: tuple[TestClient, DemoPark]) -> None:
    c, demo = park
    svc = c.app.state.services  # type: ignore[attr-defined]
    a, b = auth(c, demo, "enterprise-a"), auth(c, demo, "enterprise-b")
    ma, mb = _main_meter(c, demo.a), _main_meter(c, demo.b)
    refused = c.post(f"/api/enterprises/{demo.a}/virtual-meters", headers=a,
                     json={"code": "A-SHARE", "name": "x", "formula": f"0.5 * {{{mb}}}"})
    assert refused.status_code == 404 and f"no meter {mb} that you may read" in refused.json()["detail"]
    bad = c.post(f"/api/enterprises/{demo.a}/virtual-meters", headers=a,
                 json={"code": "A-SHARE", "name": "x", "formula": f"__import__('os') + {{{ma}}}"})
    assert bad.status_code == 422
    ok = c.post(f"/api/enterprises/{demo.a}/virtual-meters", headers=a,
                json={"code": "A-HALF", "name": "一半", "formula": f"0.5 * {{{ma}}}"})
    assert ok.status_code == 201, ok.text
    listed = c.get(f"/api/enterprises/{demo.a}/meters", headers=a).json()["items"]
    assert [x["formula"] for x in listed if x["kind"] == "virtual"] == [f"0.5 * {{{ma}}}"]
    half = c.get(f"/api/enterprises/{demo.a}/meters/A-HALF?year={YEAR}", headers=a).json()
    whole = c.get(f"/api/enterprises/{demo.a}/meters/{ma}?year={YEAR}", headers=a).json()
    assert [m["quantity"] for m in half["monthly"]] == [0.5 * m["quantity"] for m in whole["monthly"]]
    assert c.get(f"/api/enterprises/{demo.b}/meters", headers=b).text.count("A-HALF") == 0
    # the park's staff may allocate a shared meter of one enterprise to another
    admin = auth(c, demo, "admin")
    share = c.post(f"/api/enterprises/{demo.b}/virtual-meters", headers=admin,
                   json={"code": "B-SHARE", "name": "分摊", "formula": f"0.2 * {{{ma}}}"})
    assert share.status_code == 201
    assert c.delete(f"/api/enterprises/{demo.a}/virtual-meters/B-SHARE", headers=a).status_code == 404
    assert c.delete(f"/api/enterprises/{demo.b}/virtual-meters/B-SHARE", headers=admin).status_code == 204
    from nengtan.engine.virtualmeters import virtual_meters
    assert virtual_meters(svc.registry, demo.b) == []
