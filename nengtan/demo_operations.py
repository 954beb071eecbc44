"""The demo's energy cost and live monitoring (issue 15, item 7), put in as a park's staff would: Jiangsu's
time-of-use tariff loaded (``nengtan tariff load``), a storage installation at the first enterprise whose metered
electricity has sub-meters (``nengtan storage add``), alarm rules on its main meter (``nengtan alarms rule``: a
demand limit a little under the last week's peak, abnormal consumption at 4σ, missing data after an hour), the
last week of the demo year checked against them (``nengtan alarms check --since``), quietly: the demo tells no one;
and a virtual meter naming what the main meter's sub-meters miss (``nengtan meter virtual``: main − Σ sub, 公用及损耗).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import aliased

from nengtan.calendar import park_midnight
from nengtan.engine.stores import Stores

STORAGE = ("1号储能站", 2000.0, 500.0, 0.88)
"""Name, usable capacity [kWh], power [kW] and round-trip efficiency of the demo's battery."""
WEEK = 7


def metered_site(stores: Stores) -> tuple[str, str] | None:
    """(credit code, main meter) of the first enterprise, by meter code, whose interval electricity main meter has
    sub-meters; None when the demo has none."""
    from nengtan.registry.tables.park import Enterprise, Meter

    sub = aliased(Meter)
    with stores.registry.session() as s:
        row = s.execute(select(Enterprise.uscc, Meter.code).join(Meter, Meter.enterprise_id == Enterprise.id)
                        .where(Meter.role == "main", Meter.kind == "interval", Meter.carrier == "electricity",
                               select(sub.id).where(sub.parent_id == Meter.id).exists())
                        .order_by(Meter.code).limit(1)).first()
    return None if row is None else (str(row[0]), str(row[1]))


def build_operations_demo(stores: Stores, year: int) -> dict[str, Any]:
    """Load the tariff, add the storage and the alarm rules, and check the year's last week (see the module)."""
    from nengtan.engine.alarms import AlarmWatch, set_rule
    from nengtan.engine.curves import day_series, meter_of
    from nengtan.engine.energycost import add_storage, load_tariff
    from nengtan.engine.virtualmeters import add_virtual

    load_tariff(stores.registry, "demo")
    site = metered_site(stores)
    if site is None:
        return {"site": None, "alarms": 0}
    uscc, code = site
    name, capacity, power, efficiency = STORAGE
    add_storage(stores.registry, "demo", uscc, name, capacity, power, efficiency, dt.date(year, 1, 1))
    last = dt.date(year, 12, 31)
    meter = meter_of(stores, uscc, code)
    peak = max((day_series(stores, meter, last - dt.timedelta(days=i))["peak_kw"] or 0.0) for i in range(WEEK))
    demand = float(np.floor(peak * 0.95 / 100.0) * 100.0)
    set_rule(stores.registry, "demo", uscc, code, demand_kw=demand, sigma=4.0, missing_minutes=60)
    subs = submeters(stores, code)
    rest = f"{code.rsplit('-', 1)[0]}-REST"
    formula = " - ".join(f"{{{c}}}" for c in (code, *subs))  # main less each sub-meter
    add_virtual(stores.registry, "demo", uscc, rest, "公用及损耗", formula)
    watch = AlarmWatch(stores.registry, stores.lake, notify=False)
    try:
        opened = watch.replay(park_midnight(last - dt.timedelta(days=WEEK - 1)), park_midnight(dt.date(year + 1, 1, 1)))
        opened += watch.check_missing()
    finally:
        watch.close()
    return {"site": uscc, "meter": code, "demand_kw": demand, "alarms": len(opened), "virtual": rest}


def submeters(stores: Stores, code: str) -> list[str]:
    from nengtan.registry.tables.park import Meter

    sub = aliased(Meter)
    with stores.registry.session() as s:
        return list(s.execute(select(sub.code).join(Meter, Meter.id == sub.parent_id).where(Meter.code == code)
                              .order_by(sub.code)).scalars())
