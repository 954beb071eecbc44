"""Branch flows from bus injections, when only the injections are metered: the DC power flow of pandapower,
for every interval at once.

The DC approximation (lossless, flat voltages, small angles: P_ij = (θ_i − θ_j) / x_ij) makes the branch flows a
linear map of the bus injections, F = H · P, with H the power-transfer distribution factors (PTDF) of the network
and the slack bus taking up the balance. The network is written in pandapower's internal (PYPOWER) form and
pandapower's ``makePTDF`` gives H; a year of 15-minute intervals is then one matrix product. The flows are what
``pandapower.rundcpp`` gives interval by interval (tests/greenpower/test_powerflow.py checks it), and, being
lossless, they balance at every bus — what proportional sharing needs.

References: pandapower (Thurner et al., IEEE Trans. Power Systems 33(6), 2018), its DC power flow and
``pandapower.pypower.makePTDF`` (from MATPOWER: Zimmerman, Murillo-Sánchez, Thomas 2011).
"""

from __future__ import annotations

import warnings

import numpy as np

from nengtan.errors import InputError


def dc_flows(n_buses: int, line_from: np.ndarray, line_to: np.ndarray, x_ohm: np.ndarray, kv: np.ndarray,
             slack: int, injections: np.ndarray) -> np.ndarray:
    """Branch flows [MW, positive from → to] (T, B) for bus injections [MW, generation − load] (T, n).

    ``kv`` is each bus's nominal voltage; ``x_ohm`` each line's series reactance; ``slack`` the bus that balances
    (a grid connection point): its own column of `injections` is ignored and it takes up the rest."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from pandapower.pypower import idx_brch, idx_bus
        from pandapower.pypower.makePTDF import makePTDF

    if (x_ohm <= 0).any():
        raise InputError("lines.csv: every line needs a positive reactance x_ohm")
    base_mva = 100.0
    # the network in pandapower's internal (PYPOWER) form: one row per bus and per branch
    bus = np.zeros((n_buses, 1 + max(v for k, v in vars(idx_bus).items() if k.isupper() and isinstance(v, int))))
    bus[:, idx_bus.BUS_I] = np.arange(n_buses)
    bus[:, idx_bus.BUS_TYPE] = idx_bus.PQ
    bus[slack, idx_bus.BUS_TYPE] = idx_bus.REF
    bus[:, idx_bus.VM] = 1.0
    bus[:, idx_bus.BASE_KV] = kv
    n_cols = 1 + max(v for k, v in vars(idx_brch).items() if k.isupper() and isinstance(v, int))
    branch = np.zeros((len(line_from), n_cols))
    branch[:, idx_brch.F_BUS] = line_from
    branch[:, idx_brch.T_BUS] = line_to
    branch[:, idx_brch.BR_X] = x_ohm / (kv[line_from] ** 2 / base_mva)  # per unit on the from bus's voltage
    branch[:, idx_brch.BR_STATUS] = 1.0
    branch[:, idx_brch.TAP] = 1.0
    connected = np.zeros(n_buses, dtype=bool)
    connected[slack] = True
    for _ in range(n_buses):  # every bus must reach the slack bus, or the flows are undetermined
        reach = connected[line_from] | connected[line_to]
        connected[line_from[reach]] = connected[line_to[reach]] = True
    if not connected.all():
        raise InputError(f"bus {int(np.argmin(connected))} is not connected to the slack bus")
    h = makePTDF(base_mva, bus, branch, slack=slack)  # (B, n): MW of branch flow per MW injected
    p = np.asarray(injections, dtype=float).copy()
    p[:, slack] = 0.0  # the slack takes up the balance
    return np.asarray(p @ np.asarray(h).T)
