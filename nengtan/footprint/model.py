"""Product models as tables (docs/footprint.md), and their translation into matrices.

A model is a set of tables (a directory of CSV files or an XLSX workbook, read by
nengtan.engine.footprints):

* ``activities`` — ``activity,product,amount,unit,location[,stage,price,physical]``: what each activity
  produces per run; an activity with several rows is multi-output (the first row is its reference);
* ``exchanges`` — ``activity,type,flow,amount,unit,provider[,uncertainty,sigma,sd,min,max,pedigree,source]``
  per run of the activity: ``technosphere`` (provider = an activity of the model or a background dataset;
  ``flow`` picks the product of a multi-output provider), ``biosphere`` (flow = CO2_fossil, CH4_biogenic,
  N2O, SF6 … in kg, g or t), ``electricity`` (kWh or MWh; provider = national, pv, wind or an electricity
  dataset id), ``avoided`` (a product the activity displaces: system expansion, a credit);
* ``parameters`` (optional) — ``name,value`` where a value may be a formula of earlier parameters
  (``efficiency``, ``wafer_thickness_um`` …); any exchange or output amount may be a formula;
* ``scenarios`` (optional) — ``scenario,parameter,value``: named overrides.

Multi-output activities follow the hierarchy of ISO 14067:2018 6.4.6 / GB/T 24067-2024: avoid allocation
by system expansion (``allocation = none``: every co-product is credited with the activity that
otherwise makes it), else partition inputs and emissions by a physical relationship (``physical``:
the ``physical`` column, default the output amounts) or by economic value (``economic``: amount ×
``price``). Shares are stated in the result.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp
from simpleeval import EvalWithCompoundTypes, InvalidExpression

from nengtan.footprint.background import FLOW_UNITS, Background
from nengtan.footprint.gwp import known_flows
from nengtan.footprint.system import ModelError, ProductSystem
from nengtan.units import UnitError, conversion_factor

ALLOCATIONS = ("physical", "economic", "none")
TYPES = ("technosphere", "biosphere", "electricity", "avoided", "primary")
BY_OUTPUT = "by_output"
"""A primary exchange's amount that shares the enterprise's use of the carrier among its activities by output."""
PRIMARY_PEDIGREE = (2, 1, 1, 1, 1)
"""Measured for this site and period by the platform, not yet verified: reliability 2, all else 1."""
DISTRIBUTIONS = ("lognormal", "normal", "triangular", "uniform")
PEDIGREE = ("reliability", "completeness", "temporal", "geographical", "technological")
"""The pedigree matrix's indicators, each scored 1 (best) … 5 (Weidema & Wesnæs 1996; ecoinvent)."""


@dataclass(frozen=True)
class Uncertainty:
    distribution: str
    sigma: float = 0.0  # lognormal: σ of ln(amount); normal: standard deviation
    low: float = math.nan
    high: float = math.nan


@dataclass(frozen=True)
class Exchange:
    where: str  # "exchanges row 7"
    activity: str
    type: str
    flow: str
    amount: float
    unit: str
    provider: str
    uncertainty: Uncertainty | None = None
    pedigree: tuple[int, ...] | None = None
    source: str = ""
    primary: bool = False  # measured by the platform (the enterprise's own meters and statements)


@dataclass(frozen=True)
class Output:
    where: str
    activity: str
    product: str
    amount: float
    unit: str
    location: str
    stage: str
    price: float | None
    physical: float | None
    uscc: str = ""  # the enterprise running the activity (for primary data)
    output: float | None = None  # its production of the product in the reference period


@dataclass
class Model:
    name: str
    outputs: list[Output]
    exchanges: list[Exchange]
    parameters: dict[str, float]
    scenario: str | None
    digest: str


@dataclass(frozen=True)
class Entry:
    """Where an exchange landed: matrix ``A`` or ``B``, row, column, and the factor from the exchange's
    amount to the matrix value (sign, unit, allocation share)."""

    exchange: Exchange
    matrix: str
    row: int
    col: int
    scale: float


@dataclass
class Built:
    system: ProductSystem
    entries: list[Entry]
    shares: dict[str, dict[str, float]] = field(default_factory=dict)  # activity → product → allocation share
    background: list[str] = field(default_factory=list)  # the datasets the model used


# -- reading ---------------------------------------------------------------------------------------

class _Amounts:
    """Numbers and formulas of parameters (simpleeval: arithmetic, comparisons, min/max/abs/round)."""

    def __init__(self) -> None:
        self.names: dict[str, float] = {"pi": math.pi, "e": math.e}
        self.ev = EvalWithCompoundTypes(names=self.names, functions={"min": min, "max": max, "abs": abs,
                                                                    "round": round, "sqrt": math.sqrt,
                                                                    "exp": math.exp, "log": math.log})

    def __call__(self, text: str, where: str, what: str) -> float:
        t = text.strip()
        if not t:
            raise ModelError(f"{where}: {what} is empty")
        try:
            return float(t)
        except ValueError:
            pass
        try:
            v = self.ev.eval(t)
        except (InvalidExpression, SyntaxError, ZeroDivisionError, TypeError, ValueError) as exc:
            raise ModelError(f"{where}: {what} {t!r} is neither a number nor a formula of the parameters ({exc})") \
                from None
        if not isinstance(v, int | float) or isinstance(v, bool) or not math.isfinite(v):
            raise ModelError(f"{where}: {what} {t!r} gives {v!r}, not a finite number")
        return float(v)


def _uncertainty(r: dict[str, str], where: str, amount: float, num: _Amounts) -> Uncertainty | None:
    kind = r.get("uncertainty", "").strip().lower()
    if kind in ("", "none", "undefined"):
        return None
    if kind not in DISTRIBUTIONS:
        raise ModelError(f"{where}: uncertainty {kind!r} is not one of {', '.join(DISTRIBUTIONS)}")

    def get(col: str) -> float:
        return num(r.get(col, ""), where, col)

    if kind == "lognormal":
        u = Uncertainty(kind, sigma=get("sigma"))
        if u.sigma <= 0 or amount <= 0:
            raise ModelError(f"{where}: a lognormal needs a positive amount (its median) and sigma > 0")
        return u
    if kind == "normal":
        u = Uncertainty(kind, sigma=get("sd"))
        if u.sigma <= 0:
            raise ModelError(f"{where}: a normal needs sd > 0")
        return u
    u = Uncertainty(kind, low=get("min"), high=get("max"))
    if not u.low <= amount <= u.high or u.low == u.high:
        raise ModelError(f"{where}: {kind} needs min ≤ amount ≤ max with min < max (got {u.low:g}, {amount:g}, "
                         f"{u.high:g})")
    return u


def _pedigree(text: str, where: str) -> tuple[int, ...] | None:
    if not text.strip():
        return None
    parts = [p.strip() for p in text.replace(";", ",").strip("() ").split(",")]
    if len(parts) != len(PEDIGREE) or not all(p in "12345" and p for p in parts):
        raise ModelError(f"{where}: pedigree {text!r} must be five scores 1–5 ({', '.join(PEDIGREE)})")
    return tuple(int(p) for p in parts)


def read_model(tables: dict[str, list[dict[str, str]]], name: str, scenario: str | None = None) -> Model:
    """Check a model given as its tables (rows of text, lower-cased headers, each row's place in
    ``_where``; nengtan.engine.footprints reads them from files); `scenario` applies its overrides."""
    for sheet in ("activities", "exchanges"):
        if sheet not in tables:
            raise ModelError(f"{name}: no {sheet} table (expected {sheet}.csv or a sheet named {sheet})")
    num = _Amounts()
    overrides: dict[str, str] = {}
    scenarios = tables.get("scenarios", [])
    if scenario is not None:
        overrides = {r["parameter"]: r["value"] for r in scenarios if r.get("scenario") == scenario}
        if not overrides:
            known = sorted({r.get("scenario", "") for r in scenarios})
            raise ModelError(f"{name}: no scenario {scenario!r} (scenarios: {', '.join(known) or 'none'})")
    for r in tables.get("parameters", []):
        param = r.get("name", "")
        if not param.isidentifier():
            raise ModelError(f"{r['_where']}: parameter name {param!r} is not a plain identifier")
        num.names[param] = num(overrides.get(param, r.get("value", "")), r["_where"], f"parameter {param}")
    unknown = set(overrides) - set(num.names)
    if unknown:
        raise ModelError(f"{name}: scenario {scenario!r} sets unknown parameters {', '.join(sorted(unknown))}")
    outputs = []
    seen: dict[tuple[str, str], str] = {}
    if not tables["activities"]:
        raise ModelError(f"{name}: the activities table has no rows")
    for r in tables["activities"]:
        w = r["_where"]
        if not r.get("activity") or not r.get("product"):
            raise ModelError(f"{w}: activity and product are required")
        if (r["activity"], r["product"]) in seen:
            raise ModelError(f"{w}: {r['activity']!r} making {r['product']!r} is listed twice (first at "
                             f"{seen[(r['activity'], r['product'])]}); give one row with the whole amount")
        seen[(r["activity"], r["product"])] = w
        outputs.append(Output(w, r["activity"], r["product"], num(r.get("amount", ""), w, "amount"),
                              r.get("unit", ""), r.get("location", ""), r.get("stage", ""),
                              num(r["price"], w, "price") if r.get("price") else None,
                              num(r["physical"], w, "physical") if r.get("physical") else None,
                              r.get("uscc", "").upper(), num(r["output"], w, "output") if r.get("output") else None))
    exchanges = []
    for r in tables["exchanges"]:
        w = r["_where"]
        kind = r.get("type", "").lower()
        if kind not in TYPES:
            raise ModelError(f"{w}: type {r.get('type', '')!r} is not one of {', '.join(TYPES)}")
        if kind == "primary" and r.get("amount", "").strip().lower() == BY_OUTPUT:
            amount = math.nan  # the share is set by output (with_primary)
        elif kind == "primary":
            amount = num(r.get("amount", "") or "1", w, "amount")
        else:
            amount = num(r.get("amount", ""), w, "amount")
        if amount < 0:
            raise ModelError(f"{w}: amount {amount:g} is negative; a credit is an 'avoided' exchange and an uptake "
                             "the flow CO2_biogenic_uptake, both with positive amounts")
        exchanges.append(Exchange(w, r.get("activity", ""), kind, r.get("flow", ""), amount, r.get("unit", ""),
                                  r.get("provider", ""), _uncertainty(r, w, amount, num),
                                  _pedigree(r.get("pedigree", ""), w), r.get("source", "")))
    digest = hashlib.sha256(repr((sorted(tables.items()), scenario)).encode()).hexdigest()[:8]
    return Model(name, outputs, exchanges, {k: v for k, v in num.names.items() if k not in ("pi", "e")},
                 scenario, digest)


# -- primary data ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Metered:
    """An enterprise's use of one carrier in the reference period, as the platform accounts it."""

    quantity: float  # canonical unit (kWh, m3, t, GJ)
    unit: str
    scope1_kg: float  # its direct CO2 by the platform's factor set
    source: str
    scope2_kg: float = 0.0  # purchased heat and steam: the CO2 of making them, by the platform's factor set


ELECTRICITY = ("electricity", "pv")
PURCHASED_HEAT = ("heat", "steam")
GREEN = "green_electricity"


def _run_of(x: Exchange, outputs: dict[str, Output]) -> tuple[Output, float]:
    """The activity a primary exchange belongs to, which must name its enterprise, and its output."""
    o = outputs.get(x.activity)
    if o is None or not o.uscc or not o.output:
        raise ModelError(f"{x.where}: a primary exchange needs its activity's uscc and output (the production "
                         "in the reference period) in the activities table")
    return o, o.output


def _by_output_shares(model: Model) -> dict[tuple[str, str], float]:
    """(activity, carrier) → the share of its enterprise's use of the carrier that a ``by_output`` primary
    exchange takes: the activity's output over the outputs of all the enterprise's activities sharing that
    carrier by output, weighted by their ``physical`` column (or, failing that, their ``price``) when the
    outputs are in different units (GB/T 24067-2024 6.4.6: physical relationship first, then economic)."""
    outputs = {o.activity: o for o in model.outputs}
    groups: dict[tuple[str, str], list[Output]] = {}
    for x in model.exchanges:
        if x.type == "primary" and math.isnan(x.amount):
            o, _ = _run_of(x, outputs)
            groups.setdefault((o.uscc, x.flow), []).append(o)
    out: dict[tuple[str, str], float] = {}
    for (uscc, carrier), outs in groups.items():
        units = {o.unit for o in outs}
        if len(units) == 1:
            weights = [float(o.output or 0) for o in outs]
        elif all(o.physical is not None for o in outs):
            weights = [float(o.output or 0) * float(o.physical or 0) for o in outs]
        elif all(o.price is not None for o in outs):
            weights = [float(o.output or 0) * float(o.price or 0) for o in outs]
        else:
            raise ModelError(f"{outs[0].where}: {uscc}'s {carrier} is shared by output among products in different "
                             f"units ({', '.join(sorted(units))}): give each a physical (e.g. kg per unit) or a price")
        total = sum(weights)
        if total <= 0:
            raise ModelError(f"{outs[0].where}: {uscc}'s {carrier} is shared by output, but the outputs weigh "
                             f"{total:g} in all (a physical quantity or price of 0)")
        for o, wgt in zip(outs, weights, strict=True):
            out[(o.activity, carrier)] = wgt / total
    return out


def with_primary(model: Model, metered: dict[tuple[str, str], Metered]) -> Model:
    """Replace each ``primary`` exchange (``flow`` = a carrier, ``amount`` = the share of the enterprise's
    use that this activity takes, default 1, or ``by_output``) by what the platform measured, per unit of the
    activity's ``output``:

    * electricity as an ``electricity`` exchange (the provider column chooses the grid, default national;
      the site's own ``pv`` at the PV factor); provider ``market``: the enterprise's green electricity
      (the green-power rows it holds on the platform) at the PV life-cycle factor, the rest at the national
      grid's (location-based otherwise);
    * fuels burnt on site as their fossil CO2 at the platform's own factors (the number the inventory shows);
    * purchased heat and steam as the CO2 of making them at the platform's factor set (its Scope 2 figure).

    Shares of one enterprise's carrier over its activities may not exceed 1."""
    outputs = {o.activity: o for o in model.outputs}
    by_output = _by_output_shares(model)
    taken: dict[tuple[str, str], float] = {}
    out: list[Exchange] = []
    for x in model.exchanges:
        if x.type != "primary":
            out.append(x)
            continue
        o, output = _run_of(x, outputs)
        share = by_output[(x.activity, x.flow)] if math.isnan(x.amount) else x.amount
        key = (o.uscc, x.flow)
        taken[key] = taken.get(key, 0.0) + share
        if taken[key] > 1 + 1e-9:
            raise ModelError(f"{x.where}: the activities of {o.uscc} take {taken[key]:.3g} of its {x.flow} (at most 1)")
        m = metered.get(key)
        if m is None or m.quantity <= 0:
            raise ModelError(f"{x.where}: the platform holds no {x.flow} for {o.uscc} in the reference period")
        per_run = m.quantity * share / output
        if x.flow in ELECTRICITY and x.provider.strip().lower() == "market":
            green = metered.get((o.uscc, GREEN))
            g = min(green.quantity, m.quantity) if green else 0.0
            src = f"{m.source}; green electricity {g:.6g} kWh of {m.quantity:.6g} (market-based)"
            if g > 0:
                out.append(Exchange(x.where, x.activity, "electricity", "", g * share / output, m.unit, "pv", None,
                                    PRIMARY_PEDIGREE, src, True))
            if m.quantity > g:
                out.append(Exchange(x.where, x.activity, "electricity", "", (m.quantity - g) * share / output,
                                    m.unit, "national", None, PRIMARY_PEDIGREE, src, True))
        elif x.flow in ELECTRICITY:  # grid power, or the site's own PV at the PV life-cycle factor
            grid = x.provider or ("pv" if x.flow == "pv" else "national")
            out.append(Exchange(x.where, x.activity, "electricity", "", per_run, m.unit, grid, None,
                                PRIMARY_PEDIGREE, m.source, True))
        elif x.flow in PURCHASED_HEAT and m.scope2_kg > 0:
            src = f"{m.source} (purchased {x.flow}: the CO2 of making it)"
            out.append(Exchange(x.where, x.activity, "biosphere", "CO2_fossil", m.scope2_kg * share / output,
                                "kg", "", None, PRIMARY_PEDIGREE, src, True))
        elif m.scope1_kg > 0:
            out.append(Exchange(x.where, x.activity, "biosphere", "CO2_fossil", m.scope1_kg * share / output,
                                "kg", "", None, PRIMARY_PEDIGREE, m.source, True))
        else:
            raise ModelError(f"{x.where}: {x.flow} is not a fuel burnt on site, purchased heat or steam, nor "
                             "electricity; model its upstream as a technosphere exchange")
    return Model(model.name, model.outputs, out, model.parameters, model.scenario, model.digest)


# -- building the matrices ---------------------------------------------------------------------------

def _convert(amount_unit: str, to_unit: str, where: str) -> float:
    if amount_unit.strip() in ("", to_unit):
        return 1.0
    try:
        return conversion_factor(amount_unit, to_unit)
    except UnitError:
        raise ModelError(f"{where}: {amount_unit!r} does not convert to the provider's unit {to_unit!r} (state "
                         "the amount in the provider's unit, through a parameter if need be)") from None


def _shares(outs: list[Output], allocation: str) -> list[float]:
    if len(outs) == 1 or allocation == "none":
        return [1.0] + [0.0] * (len(outs) - 1)
    if allocation == "physical":
        basis = [o.physical if o.physical is not None else o.amount for o in outs]
        if len({o.unit for o in outs if o.physical is None}) > 1:
            raise ModelError(f"{outs[0].where}: the outputs of {outs[0].activity!r} are in different units; give "
                             "each a 'physical' allocation quantity (e.g. mass) or allocate by economic value")
    else:
        missing = [o.product for o in outs if o.price is None]
        if missing:
            raise ModelError(f"{outs[0].where}: economic allocation needs a price for {', '.join(missing)}")
        basis = [o.amount * (o.price or 0.0) for o in outs]
    total = sum(basis)
    if total <= 0:
        raise ModelError(f"{outs[0].where}: the allocation basis of {outs[0].activity!r} sums to {total:g}")
    return [b / total for b in basis]


def build(model: Model, background: Background, allocation: str = "physical") -> Built:
    """The product system of `model`: one column per (activity, product) after allocation, one per
    background dataset it uses; every exchange's matrix entries (for Monte Carlo and data quality)."""
    if allocation not in ALLOCATIONS:
        raise ModelError(f"allocation {allocation!r} is not one of {', '.join(ALLOCATIONS)}")
    by_activity: dict[str, list[Output]] = {}
    for o in model.outputs:
        by_activity.setdefault(o.activity, []).append(o)
    cols: list[tuple[str, str, str, float, str]] = []  # (column name, product, unit, output amount, stage)
    col_of: dict[tuple[str, str], int] = {}  # (activity, product) → column
    share_of: dict[int, tuple[str, float]] = {}  # column → (activity, share)
    shares: dict[str, dict[str, float]] = {}
    for act, outs in by_activity.items():
        sh = _shares(outs, allocation)
        shares[act] = {o.product: s for o, s in zip(outs, sh, strict=True)}
        split = allocation != "none" and len(outs) > 1
        for o, s in zip(outs, sh, strict=True):
            if not split and o is not outs[0]:
                continue
            col_of[(act, o.product)] = len(cols)
            share_of[len(cols)] = (act, s if split else 1.0)
            cols.append((f"{act} [{o.product}]" if split else act, o.product, o.unit, o.amount, o.stage))
    reference = {act: outs[0].product for act, outs in by_activity.items()}
    products_of = {o.product: col_of.get((o.activity, o.product)) for o in model.outputs}
    bg_cols: dict[str, int] = {}
    flows = list(known_flows())
    entries: list[Entry] = []
    a_rows: list[int] = []
    a_cols: list[int] = []
    a_vals: list[float] = []

    def background_col(ref: str, electricity: bool) -> int:
        ds = background.electricity(ref) if electricity else background.get(ref)
        if ds.id not in bg_cols:
            bg_cols[ds.id] = len(cols)
            cols.append((ds.id, ds.id, ds.unit, 1.0, "background"))
        return bg_cols[ds.id]

    def provider_col(x: Exchange) -> int:
        if x.type == "electricity":
            return background_col(x.provider or "national", True)
        if x.provider in by_activity:
            prod = x.flow or reference[x.provider]
            if (x.provider, prod) in col_of:
                return col_of[(x.provider, prod)]
            if allocation == "none" and prod in shares.get(x.provider, {}):
                raise ModelError(f"{x.where}: {prod!r} is a co-product of {x.provider!r}, credited by system "
                                 "expansion: take it from the activity that otherwise makes it")
            raise ModelError(f"{x.where}: {x.provider!r} does not produce {prod!r}")
        if x.type == "avoided" and x.provider == "" and products_of.get(x.flow) is not None:
            return int(products_of[x.flow])  # type: ignore[arg-type]
        return background_col(x.provider, False)

    for x in model.exchanges:
        if x.type == "primary":
            raise ModelError(f"{x.where}: a primary exchange needs the platform's data: give --home and --year")
        if x.activity not in by_activity:
            raise ModelError(f"{x.where}: activity {x.activity!r} is not in the activities table")
        targets = [(c, s) for c, (act, s) in share_of.items() if act == x.activity]
        if x.type == "biosphere":
            if x.flow not in flows:
                raise ModelError(f"{x.where}: elementary flow {x.flow!r} is not one of {', '.join(flows)}")
            unit = x.unit.strip() or "kg"
            if unit not in FLOW_UNITS:
                raise ModelError(f"{x.where}: a biosphere amount is in kg, g or t, not {x.unit!r}")
            for c, s in targets:
                entries.append(Entry(x, "B", flows.index(x.flow), c, FLOW_UNITS[unit] * s))
            continue
        pc = provider_col(x)
        conv = _convert(x.unit, cols[pc][2], x.where)
        sign = 1.0 if x.type == "avoided" else -1.0
        for c, s in targets:
            entries.append(Entry(x, "A", pc, c, sign * conv * s))
    for c, (_name, _prod, _unit, amount, _stage) in enumerate(cols):
        a_rows.append(c)
        a_cols.append(c)
        a_vals.append(amount)
    # system expansion: each co-product the activity also makes displaces the activity that otherwise makes it
    if allocation == "none":
        for act, outs in by_activity.items():
            for o in outs[1:]:
                alt = [c for (a2, p2), c in col_of.items() if p2 == o.product and a2 != act]
                if not alt:
                    raise ModelError(f"{o.where}: system expansion needs an activity that otherwise produces "
                                     f"{o.product!r} (or allocate with --allocation physical|economic)")
                a_rows.append(alt[0])
                a_cols.append(col_of[(act, reference[act])])
                a_vals.append(o.amount)  # an output: the alternative is made that much less
    n = len(cols)
    for e in entries:
        if e.matrix == "A":
            a_rows.append(e.row)
            a_cols.append(e.col)
            a_vals.append(e.exchange.amount * e.scale)
    for ref, c in bg_cols.items():
        for flow, kg in background.datasets[ref].flows.items():
            if flow not in flows:
                flows.append(flow)
            entries.append(Entry(Exchange(f"background {ref}", ref, "biosphere", flow, kg, "kg", ""),
                                 "B", flows.index(flow), c, 1.0))
    b = [e for e in entries if e.matrix == "B"]
    biosphere = sp.csc_matrix((np.array([e.exchange.amount * e.scale for e in b], dtype=np.float64),
                               (np.array([e.row for e in b], dtype=np.int64),
                                np.array([e.col for e in b], dtype=np.int64))), shape=(len(flows), n))
    technosphere = sp.csc_matrix((np.array(a_vals, dtype=np.float64), (np.array(a_rows, dtype=np.int64),
                                                                        np.array(a_cols, dtype=np.int64))),
                                 shape=(n, n))
    system = ProductSystem(tuple(c[0] for c in cols), tuple(c[1] for c in cols), tuple(c[2] for c in cols),
                           tuple(flows), technosphere, biosphere, tuple(c[4] for c in cols))
    return Built(system, entries, shares, sorted(bg_cols))
