"""The demo park's green power (issue 11): GEC holdings, green-power contracts and the claims that cancel their
GECs, a few trades on the park's book, expired and frozen GECs, and the park's distribution network — two grid
connection points, rooftop PV, a storage plant — with a year of 15-minute flows computed from the enterprises'
own meter readings in the lake, traced and attributed into the green-power ledger.

Deterministic (seeded); built once with the demo park, before its inventory is computed.

* Every enterprise that states green electricity in the demo year gets a green-power contract (绿电交易) with
  an offshore wind farm: each month's whole MWh of its statement, GECs bundled; each month is claimed, so the
  market-based Scope 2 comes from the ledger (the statement rows stay, shown apart as unverified claims). The
  first contract's wind farm reports its metered hourly delivery.
* The green-power agency (绿电代理, participant ``AGENCY-JN``) holds GECs of a PV plant and lists some; two
  enterprises buy, one of them claims what it bought in December; one green-power lot is sold as a park trade.
* The network: the enterprises with a 15-minute main meter sit on two radial feeders, each fed by a grid
  connection point at the Jiangsu grid factor; rooftop PV (the enterprises' own PV statements, on a solar
  profile) injects at their buses; a storage plant (up to 2 MW, four hours) charges at noon and discharges in
  the evening; a feeder that exports at an instant does so to the grid at its connection point.
  Each bus's load is its meter's reading plus its own PV, so what the feeder carries to it is the metered grid
  import. Branch flows are the sums downstream (a radial grid's flows follow from its injections exactly).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from nengtan.calendar import PARK_TZ
from nengtan.config import Paths
from nengtan.engine.certification import Actor
from nengtan.engine.greengrid import park_network
from nengtan.greenpower import gec
from nengtan.greenpower.profiles import solar
from nengtan.lake import Lake
from nengtan.registry.store import Registry

AGENCY = "AGENCY-JN"
WIND = gec.project_code("1", "1", "2", 2021, "320900", 1)  # offshore wind, Yancheng
PV_PLANT = gec.project_code("1", "2", "1", 2022, "321300", 7)  # centralised PV, Suqian
CCER_PV = gec.project_code("1", "2", "1", 2020, "320800", 4)  # a PV project that chose CCER
OLD_PV = gec.project_code("1", "2", "1", 2019, "320700", 2)  # GECs of 2023, expired in the demo year
STORAGE_MW, STORAGE_MWH, STORAGE_EFFICIENCY = 2.0, 8.0, 0.88


def build_green_demo(paths: Paths, reg: Registry, lake: Lake, year: int, seed: int = 2025) -> dict[str, Any]:
    from nengtan.engine import greenassets
    from nengtan.registry import frames

    admin = Actor("demo", "admin")
    rng = np.random.default_rng(seed + 11)
    st = frames.statement_activity(reg, year)
    ent = frames.enterprises_frame(reg)
    uscc_of = dict(zip(ent["enterprise_id"], ent["uscc"], strict=True))
    green = st[st["carrier"] == "green_electricity"].copy()
    green["uscc"] = green["enterprise_id"].map(uscc_of)
    summary: dict[str, Any] = {"contracts": 0, "claims": 0, "claimed_mwh": 0, "trades": 0}

    # contracts and claims: each green-electricity statement month becomes contract volume, claimed
    with reg.session(write=True) as s:
        for k, uscc in enumerate(sorted(str(u) for u in green["uscc"].unique())):
            rows = green[green["uscc"] == uscc]
            number = f"JS-GT-{year}-{k + 1:03d}"
            for period, quantity in zip(rows["period"], rows["quantity"], strict=True):
                mwh = int(float(quantity) // 1000)
                if mwh < 1:
                    continue
                month = dt.date.fromisoformat(f"{period}-01")
                greenassets.add_contract(s, "demo", number, "green_trade", "盐城海上风电场（演示）", WIND, uscc, month,
                                         mwh, round(float(rng.uniform(440, 470)), 2), "wind")
                summary["contracts"] += 1
    # the first contract's wind farm reports its metered hourly delivery (an AR(1) wind series): hourly matching
    # then spreads that contract's months by it instead of the typical wind shape
    first = f"JS-GT-{year}-001"
    hours = pd.date_range(f"{year}-01-01", f"{year + 1}-01-01", freq="h", inclusive="left", tz=PARK_TZ)
    wind = np.empty(len(hours))
    level = 1.0
    for k in range(len(hours)):
        level = 0.97 * level + 0.03 * 1.0 + 0.08 * float(rng.normal())
        wind[k] = max(level, 0.0)
    profile = paths.home / "greenpower" / f"{first}-delivery.csv"
    profile.parent.mkdir(parents=True, exist_ok=True)
    pd.DataFrame({"ts": hours.strftime("%Y-%m-%dT%H:%M"), "value": np.round(wind * 1000, 3)}).to_csv(profile,
                                                                                                     index=False)
    if any(c["number"] == first for c in greenassets.contracts(reg, admin, year=year)):
        greenassets.import_profile(reg, admin, first, profile)
    for c in greenassets.contracts(reg, admin, year=year):
        greenassets.claim(reg, admin, c["buyer"], c["month"], c["mwh"], c["number"])
        summary["claims"] += 1
        summary["claimed_mwh"] += c["mwh"]

    # the agency's PV GECs, an expired lot and a frozen project
    with reg.session(write=True) as s:
        for m in range(1, 13):
            lot = gec.parse_range(gec.make_code(PV_PLANT, dt.date(year, m, 1), 1), count=600)
            greenassets.issue(s, "demo", lot, AGENCY, "issued")
        greenassets.issue(s, "demo", gec.parse_range(gec.make_code(OLD_PV, dt.date(year - 2, 11, 1), 1), count=300),
                          AGENCY, "issued")
        greenassets.issue(s, "demo", gec.parse_range(gec.make_code(CCER_PV, dt.date(year, 3, 1), 1), count=200),
                          AGENCY, "issued")
    greenassets.expire(reg, "demo", dt.date(year + 1, 1, 1))
    greenassets.freeze(reg, admin, CCER_PV, "项目已选择 CCER（演示）: the same power may not carry both")

    # trades on the park's book: the agency lists two lots; two enterprises buy
    held = {h["production_month"]: h["id"] for h in greenassets.holdings(reg, admin, AGENCY, "issued")
            if h["project_code"] == PV_PLANT}
    buyers = [u for u in ent.sort_values("uscc")["uscc"] if u not in set(green["uscc"])][:3]
    jan, feb, mar = (held[f"{year}-{m:02d}"] for m in (1, 2, 3))
    greenassets.place_order(reg, admin, AGENCY, "sell", "gec", 480.0, 300, jan)
    greenassets.place_order(reg, admin, AGENCY, "sell", "gec", 470.0, 200, feb)
    greenassets.place_order(reg, admin, AGENCY, "sell", "green_power", 500.0, 100, mar)
    for owner, product, price, mwh in ((buyers[0], "gec", 485.0, 250), (buyers[1], "gec", 460.0, 100),
                                       (buyers[2], "green_power", 510.0, 100)):
        out = greenassets.place_order(reg, admin, owner, "buy", product, price, mwh)
        summary["trades"] += len(out["trades"])
    greenassets.claim(reg, admin, buyers[0], f"{year}-12", 250)
    greenassets.claim(reg, admin, buyers[2], f"{year}-03", 100)
    summary["claims"] += 2
    summary["claimed_mwh"] += 350

    summary["network"] = str(write_network(paths, reg, lake, year, rng))
    from nengtan.engine.greengrid import record_attributions
    from nengtan.engine.stores import LocalStores

    summary["attributions"] = record_attributions(LocalStores(reg, lake), park_network(paths), "demo")
    return summary


def write_network(paths: Paths, reg: Registry, lake: Lake, year: int, rng: np.random.Generator) -> Path:
    """The demo network's tables (buses.csv; flows, generation and loads as Parquet) from the lake's meters."""
    from nengtan.lake.scan import _duck
    from nengtan.registry import frames

    meters = frames.main_meters(reg)
    meters = meters[(meters["kind"] == "interval") & (meters["carrier"] == "electricity")]
    ent = frames.enterprises_frame(reg)
    uscc_of = dict(zip(ent["enterprise_id"], ent["uscc"], strict=True))
    files = lake.files(carriers=["electricity"], years=[year])
    con = _duck().cursor()
    con.register("wanted", pd.DataFrame({"meter_id": sorted(meters["meter_id"])}))
    got = con.execute("SELECT r.meter_id, epoch_ms(r.ts) AS ms, r.value FROM read_parquet($files, "
                      "hive_partitioning = true) r SEMI JOIN wanted w ON r.meter_id = w.meter_id",
                      {"files": files}).fetchnumpy()
    meter_code, codes_index = pd.factorize(np.asarray(got["meter_id"]), sort=True)
    stamp, stamps = pd.factorize(np.asarray(got["ms"]), sort=True)
    kwh = np.zeros((len(stamps), len(codes_index)))  # (T, M) metered grid import per interval
    np.add.at(kwh, (stamp, meter_code), np.asarray(got["value"], dtype=float))
    ts = pd.DatetimeIndex(pd.to_datetime(np.asarray(stamps), unit="ms", utc=True)).tz_convert(PARK_TZ)
    codes = [str(c) for c in codes_index]
    hours = float(np.diff(np.asarray(stamps)).min()) / 3.6e6 if len(stamps) > 1 else 0.25  # the meters' interval
    ent_of = dict(zip(meters["meter_id"], meters["enterprise_id"], strict=True))
    # rooftop PV on the metered enterprises' roofs: their monthly PV statements on a solar profile
    st = frames.statement_activity(reg, year)
    pv = st[st["carrier"] == "pv"]
    month = ts.month.to_numpy() - 1
    shape = solar(ts.hour.to_numpy() + ts.minute.to_numpy() / 60 + hours / 2)  # each interval's middle
    pv_kwh = np.zeros_like(kwh)
    for j, code in enumerate(codes):
        rows = pv[pv["enterprise_id"] == ent_of[code]]
        for _, r in rows.iterrows():
            m = int(r["period"][5:7]) - 1
            sel = month == m
            if shape[sel].sum() > 0:
                pv_kwh[sel, j] = shape[sel] / shape[sel].sum() * float(r["quantity"])
    # storage: charges 10:00-14:00 and discharges 18:00-22:00 at full power, every day
    hr = ts.hour.to_numpy()
    size = min(STORAGE_MW, 0.25 * float(kwh.sum(axis=1).mean()) / hours / 1000.0)  # a quarter of the mean load
    # (charge and discharge in MW: each interval moves size × hours MWh)
    charge = np.where((hr >= 10) & (hr < 14), size, 0.0)
    discharge = np.where((hr >= 18) & (hr < 22), size * STORAGE_EFFICIENCY, 0.0)
    # topology: two radial feeders of six trunk buses each; enterprises as leaves, round robin
    buses = ["GCP-A", "GCP-B"] + [f"{f}{k}" for f in "AB" for k in range(1, 7)] + ["ESS"]
    parent: dict[str, str] = {}
    for f in "AB":
        for k in range(1, 7):
            parent[f"{f}{k}"] = f"GCP-{f}" if k == 1 else f"{f}{k - 1}"
    parent["ESS"] = "A3"
    load_bus: list[str] = []
    for j, code in enumerate(codes):
        bus = f"N-{code}"
        buses.append(bus)
        parent[bus] = f"{'AB'[j % 2]}{1 + (j // 2) % 6}"
        load_bus.append(bus)
    index = {b: k for k, b in enumerate(buses)}
    n_t = len(ts)
    net = np.zeros((n_t, len(buses)))  # net demand [MW] per bus: load − local generation
    load_mw = (kwh + pv_kwh) / hours / 1000.0
    pv_mw = pv_kwh / hours / 1000.0
    for j, bus in enumerate(load_bus):
        net[:, index[bus]] += load_mw[:, j] - pv_mw[:, j]
    net[:, index["ESS"]] += charge - discharge
    # branch flows parent → child: the net demand of the child's subtree (children before parents)
    depth = {b: 0 for b in buses}
    for b in buses:
        x = b
        while x in parent:
            depth[b] += 1
            x = parent[x]
    subtree = net.copy()
    for b in sorted(parent, key=lambda b: -depth[b]):
        subtree[:, index[parent[b]]] += subtree[:, index[b]]
    folder = park_network(paths)
    folder.mkdir(parents=True, exist_ok=True)
    pd.DataFrame({"bus": buses}).to_csv(folder / "buses.csv", index=False)
    (folder / "network.json").write_text(f'{{"interval_minutes": {hours * 60:g}}}\n', encoding="utf-8")
    ts_utc = ts.tz_convert("UTC").tz_localize(None)  # datetime64 in UTC; written with its zone below

    def table(cols: dict[str, Any], name: str) -> None:
        arrays = {}
        for k, v in cols.items():
            if v.dtype.kind == "M":
                arrays[k] = pa.array(v, pa.timestamp("us", tz="UTC"))
            elif v.dtype.kind in "OU":  # bus and source names: dictionary-encoded, as Parquet stores them
                code, uniq = pd.factorize(v)
                arrays[k] = pa.DictionaryArray.from_arrays(pa.array(code, pa.int32()),
                                                           pa.array([str(u) for u in uniq], pa.string()))
            else:
                arrays[k] = pa.array(v)
        pq.write_table(pa.table(arrays), folder / f"{name}.parquet", compression="zstd")

    branch = sorted(parent)
    table({"ts": np.tile(ts_utc.to_numpy(), len(branch)),
           "from_bus": np.repeat([parent[b] for b in branch], n_t), "to_bus": np.repeat(branch, n_t),
           "mw": np.concatenate([subtree[:, index[b]] for b in branch])}, "flows")
    from nengtan.factors import load_factor_set

    grid_factor = load_factor_set("cn").for_year(year).grid_location("jiangsu").value * 1000.0  # t/kWh → kg/kWh
    gen_ts, gen_bus, gen_src, gen_mw, gen_e = [], [], [], [], []
    for f in "AB":
        gen_ts.append(ts_utc.to_numpy())
        gen_bus.append(np.full(n_t, f"GCP-{f}"))
        gen_src.append(np.full(n_t, f"grid-{f}"))
        gen_mw.append(np.clip(subtree[:, index[f"GCP-{f}"]], 0, None))
        gen_e.append(np.full(n_t, grid_factor))
    for j, bus in enumerate(load_bus):
        if pv_mw[:, j].any():
            gen_ts.append(ts_utc.to_numpy())
            gen_bus.append(np.full(n_t, bus))
            gen_src.append(np.full(n_t, f"PV-{uscc_of[ent_of[codes[j]]]}"))
            gen_mw.append(pv_mw[:, j])
            gen_e.append(np.zeros(n_t))
    gen_ts.append(ts_utc.to_numpy())
    gen_bus.append(np.full(n_t, "ESS"))
    gen_src.append(np.full(n_t, "storage"))
    gen_mw.append(discharge)
    gen_e.append(np.zeros(n_t))  # set below from what it charged
    # a feeder whose buses together inject more than they take exports the surplus to the grid at its
    # connection point: a load there (what leaves the park), so that every interval balances
    exports = [np.clip(-subtree[:, index[f"GCP-{f}"]], 0, None) for f in "AB"]
    table({"ts": np.tile(ts_utc.to_numpy(), len(load_bus) + 3),
           "bus": np.repeat([*load_bus, "ESS", "GCP-A", "GCP-B"], n_t),
           "uscc": np.repeat([uscc_of[ent_of[c]] for c in codes] + ["storage-charge", "export-A", "export-B"], n_t),
           "mw": np.concatenate([load_mw[:, j] for j in range(len(load_bus))] + [charge, *exports])}, "loads")
    generation = {"ts": np.concatenate(gen_ts), "bus": np.concatenate(gen_bus), "source": np.concatenate(gen_src),
                  "mw": np.concatenate(gen_mw), "kgco2_per_kwh": np.concatenate(gen_e)}
    table(generation, "generation")
    # the storage discharges the carbon it charged: the energy-weighted intensity of its bus while charging,
    # over the round-trip efficiency (its losses carry their carbon); charging and discharging never overlap,
    # so one trace with the storage at 0 gives it exactly
    from nengtan.engine.greengrid import read_network
    from nengtan.greenpower.tracing import trace

    first = trace(read_network(folder)[0])
    at_ess = first.nodal_intensity[:, index["ESS"]]
    storage_e = float((at_ess * charge).sum() / charge.sum()) / STORAGE_EFFICIENCY
    generation["kgco2_per_kwh"] = np.where(generation["source"] == "storage", storage_e, generation["kgco2_per_kwh"])
    table(generation, "generation")
    del rng
    return folder
