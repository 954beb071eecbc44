"""The demo park's green power: contracts claimed, trades settled, the network's flows consistent with the meters,
its trace conserving carbon, and the ledger verifying offline."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from nengtan.config import data_home, database_url
from nengtan.demo import SMALL, build_demo
from nengtan.demo_green import build_green_demo
from nengtan.engine import greenassets, greenledger
from nengtan.engine.certification import Actor
from nengtan.engine.greengrid import grid_summary, park_network, read_network
from nengtan.greenpower.tracing import trace
from nengtan.lake import Lake
from nengtan.ledger.entries import Entry, verify_entries
from nengtan.registry import frames
from nengtan.registry.store import Registry


@pytest.mark.slow
def test_demo_green_power(tmp_path: Path) -> None:
    paths = data_home(tmp_path / "home")
    reg = Registry.open(database_url(paths))
    lake = Lake(paths.lake)
    build_demo(paths, reg, SMALL)
    out = build_green_demo(paths, reg, lake, 2025)
    admin = Actor("t", "admin")
    st = frames.statement_activity(reg, 2025)
    green = st[st["carrier"] == "green_electricity"]
    # every statement month's whole MWh was contracted and claimed, plus the 250 + 100 MWh bought on the book
    assert out["claimed_mwh"] == int((green["quantity"] // 1000).sum()) + 350
    assert sum(c["mwh"] for c in greenassets.claims(reg, admin, year=2025)) == out["claimed_mwh"]
    assert out["trades"] == 3  # 200 @ 470 and 50 @ 480 to one buyer, 100 MWh of green power to another
    stock = greenassets.stock(reg, admin)["mwh_by_status"]
    assert stock["expired"] == 300 and stock["frozen"] == 200 and stock["listed"] == 250
    # the flows are the meters': at each enterprise bus, load − its own PV is what its main meter recorded
    net, times, _, loads, sources = read_network(park_network(paths))
    metered = frames.main_meters(reg)
    ent = frames.enterprises_frame(reg).set_index("enterprise_id")["uscc"]
    codes = metered[metered["kind"] == "interval"]
    j = next(k for k, name in enumerate(loads) if name[:2].isdigit())
    uscc = loads[j].split("@")[0]
    code = codes[codes["enterprise_id"].map(ent) == uscc]["meter_id"].iloc[0]
    pv = [k for k, s in enumerate(sources) if s.startswith(f"PV-{uscc}@")]
    grid_kwh = (net.load_mw[:, j].sum() - sum(net.source_mw[:, k].sum() for k in pv)) * 0.25 * 1000
    from nengtan.lake.scan import _read

    files = lake.files(carriers=["electricity"], years=[2025])
    meter = _read(files, f"SELECT SUM(value) AS v FROM {{src}} WHERE meter_id = '{code}'")["v"].iloc[0]
    assert grid_kwh == pytest.approx(float(meter), rel=1e-9)
    assert len(times) == 35040
    # proportional sharing conserves carbon: the loads' carbon is the sources' carbon, every interval
    t = trace(net)
    src = (net.source_mw * net.source_intensity).sum(axis=1) * 0.25 * 1000
    assert np.allclose(t.load_carbon_kg.sum(axis=1), src, rtol=1e-9, atol=1e-6)
    g = grid_summary(park_network(paths))
    assert {b["bus"] for b in g["buses"]} >= {"GCP-A", "GCP-B", "ESS"}
    assert sum(x["kgco2"] for x in g["loads"]) == pytest.approx(float(src.sum()), rel=1e-9)
    # attributions are ledger entries; the ledger verifies, and an edit does not
    with reg.session() as s:
        entries = greenledger.entries(s)
        attributed = [e for e in entries if e.kind == "attribution"]
        key = greenledger.signing_key(paths.home)
        head = greenledger.head(s, key)
    assert len(attributed) == out["attributions"] > 0
    by = pd.DataFrame([e.body for e in attributed])
    assert set(by["source"].str.split("@").str[0]) <= {s.split("@")[0] for s in sources}
    assert verify_entries(entries, head, greenledger.LOG_NAME).ok
    k = attributed[0].seq
    edited = [Entry(e.seq, e.kind, e.subject, e.at, {**e.body, "kwh": 0}) if e.seq == k else e for e in entries]
    assert not verify_entries(edited, head, greenledger.LOG_NAME).ok
    reg.close()
