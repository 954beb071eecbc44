"""A live alarm end to end: a reading over the meter's demand limit published to the real Mosquitto is stored by
the MQTT ingester, raises an alarm in the real PostgreSQL and reaches the subscribed energy manager by e-mail at a
real SMTP server (aiosmtpd on loopback) within the minute the issue asks for; the next reading within the limit
clears it."""

from __future__ import annotations

import datetime as dt
import time
import uuid
from collections.abc import Iterator
from email.header import decode_header, make_header

import pytest
from aiosmtpd.controller import Controller

from nengtan.api.users import add_user
from nengtan.engine import alarms as live
from nengtan.engine.notify import subscribe
from nengtan.ingest.mqtt import MqttConfig, MqttIngester
from tests.ingest.conftest import free_port, make_park
from tests.ingest.mqtt_helpers import Running, lake_rows, payload, publish_all, publisher, wait_for
from tests.test_notify import Mailbox

pytestmark = [pytest.mark.mqtt, pytest.mark.postgres]
T0 = dt.datetime(2025, 3, 1, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


@pytest.fixture
def mailbox(monkeypatch: pytest.MonkeyPatch) -> Iterator[Mailbox]:
    box, port = Mailbox(), free_port()
    ctl = Controller(box, hostname="127.0.0.1", port=port)
    ctl.start()
    monkeypatch.setenv("NENGTAN_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("NENGTAN_SMTP_PORT", str(port))
    monkeypatch.setenv("NENGTAN_SMTP_FROM", "alarms@park.example")
    yield box
    ctl.stop()


def test_a_reading_over_the_demand_limit_is_told_by_email_within_a_minute(registry, lake, prefix, mailbox
                                                                          ) -> None:  # type: ignore[no-untyped-def]
    park = make_park(registry, n_ent=1, meters_per_ent=1)
    gw, (meter,) = next(iter(park.gateway_meters.items()))
    uscc = park.enterprises[0]
    live.set_rule(registry, "test", uscc, meter, demand_kw=100.0)
    manager = f"em-{uuid.uuid4().hex[:8]}"
    with registry.session() as s:
        add_user(s, "test", manager, "long-enough-pw", "enterprise", [uscc])
    to = f"{manager}@factory.example"
    subscribe(registry, "test", manager, ["alarms"], "email", to)

    def reading(k: int, kwh: float) -> dict[str, object]:
        return {"meter": meter, "ts": (T0 + dt.timedelta(minutes=15 * k)).isoformat(), "value": kwh, "unit": "kWh"}

    ing = MqttIngester(registry, lake, MqttConfig(prefix=prefix, client_id=f"{prefix}-ing", flush_s=0.2,
                                                  compact_every_s=None), watch=live.AlarmWatch(registry, lake))
    with Running(ing):
        pub = publisher()
        t0 = time.monotonic()
        # 30 kWh in 15 minutes is 30 × 3600 / 900 = 120 kW, over the 100 kW limit
        publish_all(pub, [(f"{prefix}/gw/{gw}/readings", payload([reading(0, 30.0)]))])
        wait_for(lambda: any(m["To"] == to for m in mailbox.messages), timeout=60.0, every=0.1)
        latency = time.monotonic() - t0
        (alarm,) = live.alarms(registry, {uscc})
        assert (alarm["kind"], alarm["value"], alarm["limit"], alarm["count"]) == ("demand", 120.0, 100.0, 1)
        assert alarm["first_ts"] == T0.isoformat()
        (mail,) = [m for m in mailbox.messages if m["To"] == to]
        subject = str(make_header(decode_header(mail["Subject"])))
        body = mail.get_payload(decode=True).decode("utf-8")
        assert "实时告警" in subject and "需量超限" in body
        assert f"计量器具 {meter} 03-01 09:00 平均负荷 120.0 kW，超过需量限值 100.0 kW" in body
        # 20 kWh (80 kW) fifteen minutes later: back within the limit, the alarm clears as of that reading
        publish_all(pub, [(f"{prefix}/gw/{gw}/readings", payload([reading(1, 20.0)]))])
        wait_for(lambda: len(lake_rows(lake)) == 2 and not live.alarms(registry, {uscc}), timeout=20.0)
        pub.disconnect()
    (done,) = live.alarms(registry, {uscc}, open_only=False)
    assert done["cleared_at"] == (T0 + dt.timedelta(minutes=15)).isoformat()
    assert len([m for m in mailbox.messages if m["To"] == to]) == 1  # told once
    assert latency < 60.0
    print(f"alarm e-mailed {latency:.2f} s after the reading was published")
