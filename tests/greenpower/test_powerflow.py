"""Flows from injections (pandapower's DC power flow), checked by hand and against pandapower's own rundcpp on the
IEEE 14-bus system, and carbon emission flow on that system against the matrix formula of the literature."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pytest

from nengtan.engine.greengrid import read_network
from nengtan.errors import InputError
from nengtan.greenpower.powerflow import dc_flows
from nengtan.greenpower.tracing import Network, trace


def _write(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text)
    return folder


def test_a_triangle_by_hand(tmp_path: Path) -> None:
    """Three buses, three lines of 1 Ω; the grid at a (0.6 kg/kWh) balances, PV at c injects 0.6 MW, b takes 3 MW.
    Superposition of the DC flows: a's 2.4 MW to b split 2:1 between a→b and a→c→b, c's 0.6 MW split 2:1 between
    c→b and c→a→b: a→b = 1.6 + 0.2 = 1.8, a→c = 0.8 − 0.2 = 0.6, c→b = 0.8 + 0.4 = 1.2 MW."""
    folder = _write(tmp_path / "net", {
        "buses.csv": "bus,kv,slack\na,10,1\nb,10,\nc,10,\n",
        "lines.csv": "from_bus,to_bus,x_ohm\na,b,1\na,c,1\nc,b,1\n",
        "generation.csv": "ts,bus,source,mw,kgco2_per_kwh\n2025-06-01T12:00,a,grid,0,0.6\n"
                          "2025-06-01T12:00,c,PV,0.6,0\n",
        "loads.csv": "ts,bus,uscc,mw\n2025-06-01T12:00,b,B,3\n"})
    net, _, branches, loads, sources = read_network(folder)
    assert branches == ["a→b", "a→c", "c→b"]
    assert net.flow_mw[0] == pytest.approx([1.8, 0.6, 1.2])
    assert net.source_mw[0] == pytest.approx([2.4, 0.6])  # the slack's injection is the balance
    t = trace(net)
    # a: 0.6; c: (0.6 × 0.6 + 0.6 × 0) / 1.2 = 0.3; b: (1.8 × 0.6 + 1.2 × 0.3) / 3 = 0.48 kg/kWh
    assert t.nodal_intensity[0] == pytest.approx([0.6, 0.48, 0.3])
    assert t.load_carbon_kg[0, 0] == pytest.approx(3 * 250 * 0.48)  # 3 MW for 15 minutes = 750 kWh → 360 kg
    assert t.load_carbon_kg.sum() == pytest.approx(2.4 * 250 * 0.6)  # all of it is the grid's
    assert t.green_share[0, 1] == pytest.approx(1.2 * 0.5 / 3)  # c's mix is half PV
    _write(folder, {"buses.csv": "bus,kv,slack\na,10,\nb,10,\nc,10,\n"})
    with pytest.raises(InputError, match="slack=1"):
        read_network(folder)
    del loads, sources


def _case14():  # type: ignore[no-untyped-def]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import pandapower as pp
        import pandapower.networks as pn

        net = pn.case14()  # the IEEE 14-bus system as pandapower ships it
        net.trafo["tap_pos"] = net.trafo["tap_neutral"].fillna(0.0)  # nominal ratios (a plain DC network)
        pp.rundcpp(net)
    return net


def test_flows_agree_with_pandapower_rundcpp_on_ieee14() -> None:
    net = _case14()
    ppc = net._ppc
    lookup = net._pd2ppc_lookups["bus"]
    n = len(net.bus)
    kv = net.bus["vn_kv"].to_numpy()
    br = ppc["branch"]
    f_bus = np.array([int(np.nonzero(lookup == int(b))[0][0]) for b in br[:, 0].real])
    t_bus = np.array([int(np.nonzero(lookup == int(b))[0][0]) for b in br[:, 1].real])
    x_ohm = br[:, 3].real * kv[f_bus] ** 2 / ppc["baseMVA"]
    injections = -net.res_bus["p_mw"].to_numpy()[None, :]  # pandapower's p_mw is consumption
    slack = int(net.ext_grid["bus"].iloc[0])
    ours = dc_flows(n, f_bus, t_bus, x_ohm, kv, slack, injections)[0]
    theirs = np.concatenate([net.res_line["p_from_mw"].to_numpy(), net.res_trafo["p_hv_mw"].to_numpy()])
    assert ours == pytest.approx(theirs, abs=1e-9)


def test_carbon_emission_flow_on_ieee14_matches_the_matrix_formula() -> None:
    """Kang et al. (2012/2015): E_N = (P_N − P_Bᵀ)⁻¹ P_Gᵀ E_G, with P_B the branch flow matrix (P_B[i, j] the
    flow from bus i into bus j), P_N the nodal through-flows, P_G the generators' injections; checked with a
    dense solve against nengtan's sweep, with the slack a coal unit (0.9 kg/kWh) and bus 2's unit wind (0)."""
    net = _case14()
    lookup = net._pd2ppc_lookups["bus"]
    br = net._ppc["branch"]
    n = len(net.bus)
    f_bus = np.array([int(np.nonzero(lookup == int(b))[0][0]) for b in br[:, 0].real])
    t_bus = np.array([int(np.nonzero(lookup == int(b))[0][0]) for b in br[:, 1].real])
    flows = np.concatenate([net.res_line["p_from_mw"].to_numpy(), net.res_trafo["p_hv_mw"].to_numpy()])
    gen_bus = np.array([int(net.ext_grid["bus"].iloc[0]), *net.gen["bus"].astype(int)])
    gen_mw = np.array([float(net.res_ext_grid["p_mw"].iloc[0]), *net.res_gen["p_mw"]])
    intensity = np.array([0.9, 0.0, 0.5, 0.5, 0.5])[: len(gen_bus)]
    loads = net.load.groupby("bus")["p_mw"].sum()
    network = Network(tuple(str(b) for b in range(n)), f_bus, t_bus, flows[None, :], gen_bus, gen_mw[None, :],
                      intensity[None, :], intensity == 0, loads.index.to_numpy(dtype=np.int64),
                      loads.to_numpy()[None, :], 1.0)
    t = trace(network)
    pb = np.zeros((n, n))
    for a, b, f in zip(f_bus, t_bus, flows, strict=True):
        if f >= 0:
            pb[a, b] += f
        else:
            pb[b, a] -= f
    pg = np.zeros((len(gen_bus), n))
    pg[np.arange(len(gen_bus)), gen_bus] = gen_mw
    through = pb.sum(axis=0) + pg.sum(axis=0)
    live = through > 1e-9  # a bus nothing flows through (bus 7's synchronous condenser) has no intensity
    assert (~live).sum() == 1
    a = (np.diag(through) - pb.T)[np.ix_(live, live)]
    e_n = np.linalg.solve(a, (pg.T @ intensity)[live])
    assert t.nodal_intensity[0][live] == pytest.approx(e_n, rel=1e-9, abs=1e-12)
    assert 0 < e_n.min() < e_n.max() <= 0.9 + 1e-12  # the slack bus is pure coal; buses fed from bus 1 mix in wind
    assert t.load_carbon_kg.sum() == pytest.approx(float(gen_mw @ intensity) * 1000, rel=1e-9)
