"""Product footprints for every surface (CLI, API, reports): a model's tables read from files, built
and solved by nengtan.footprint, with contributions, fossil and biogenic parts, data quality and, on
request, Monte Carlo. A figure is computed here once; the surfaces only render it."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from nengtan.footprint.background import Background, Dataset, load_background
from nengtan.footprint.gwp import BIOGENIC, DEFAULT_GWP, gwp_set
from nengtan.footprint.model import PEDIGREE, Built, Metered, build, read_model, with_primary
from nengtan.footprint.montecarlo import DEFAULT_SEED, monte_carlo
from nengtan.footprint.system import SOLVER, ModelError, Solver

if TYPE_CHECKING:
    from nengtan.engine.stores import Stores

PEAK_UNITS = {"wp": "W", "kwp": "kW", "mwp": "MW"}


@dataclass(frozen=True)
class Request:
    model: Path
    product: str
    per: str | None = None
    mc: int = 0
    seed: int = DEFAULT_SEED
    gwp: str = DEFAULT_GWP
    allocation: str = "physical"
    scenario: str | None = None
    background: tuple[Path, ...] = ()
    cutoff: float = 0.01
    tree: bool = False
    home: str | None = None  # the platform whose metered data fills the model's primary exchanges
    year: int | None = None  # their reference period
    enterprise: str | None = None  # the enterprise whose model it is: its suppliers' shared footprints are datasets


def model_tables(path: Path) -> dict[str, list[dict[str, str]]]:
    """The model's sheets as rows of text (lower-cased headers); each row keeps its line as ``_where``."""
    out: dict[str, list[dict[str, str]]] = {}
    if path.is_dir():
        for sheet in ("activities", "exchanges", "parameters", "scenarios"):
            f = path / f"{sheet}.csv"
            if f.exists():
                reader = csv.DictReader(io.StringIO(f.read_text("utf-8-sig")))
                out[sheet] = [{**{(k or "").strip().lower(): (v or "").strip() for k, v in r.items()},
                               "_where": f"{f.name}:{n}"} for n, r in enumerate(reader, start=2)]
    elif path.suffix.lower() == ".xlsx":
        import openpyxl

        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        for ws in wb.worksheets:
            rows = ws.iter_rows(values_only=True)
            header = [str(h or "").strip().lower() for h in next(rows, ())]
            out[ws.title.strip().lower()] = [
                {**{h: "" if v is None else str(v).strip() for h, v in zip(header, r, strict=False) if h},
                 "_where": f"{ws.title}!{n}"} for n, r in enumerate(rows, start=2) if any(v is not None for v in r)]
    else:
        raise ModelError(f"{path}: a model is a directory of CSV files or an XLSX workbook")
    return out



def _column(built: Built, product: str) -> int:
    sys_ = built.system
    for j, (a, p) in enumerate(zip(sys_.activities, sys_.products, strict=True)):
        if product in (p, a):
            return j
    raise ModelError(f"no activity produces {product!r} (products: {', '.join(dict.fromkeys(sys_.products))})")


def _pint_unit(u: str) -> str:
    u = PEAK_UNITS.get(u.strip().lower(), u.strip())
    return {"m2": "m**2", "m²": "m**2", "m3": "m**3", "m³": "m**3"}.get(u, u)


def _per(unit: str, per: str | None) -> float:
    """Amount of the product in its own unit that makes one declared unit `per` (pint)."""
    if per is None or per == unit:
        return 1.0
    import pint

    from nengtan.units import registry

    try:
        return float(registry().Quantity(1.0, _pint_unit(per)).to(_pint_unit(unit)).magnitude)
    except (pint.errors.PintError, AttributeError, TypeError, ValueError):
        raise ModelError(f"--per {per}: the product is made in {unit}; {per} does not convert to it (add an "
                         f"activity that turns {unit} into {per}, e.g. by module efficiency)") from None


def _background_cols(built: Built) -> set[int]:
    names = set(built.background)
    return {j for j, a in enumerate(built.system.activities) if a in names}


def _folded(built: Built, solver: Solver, s: np.ndarray) -> np.ndarray:
    """kg CO₂e by foreground activity: its own emissions plus the cumulative emissions of the background
    datasets it takes (the grid's kWh count where they are used, as a stage table should show them).
    Background columns end at 0; the sum is the total."""
    bg = _background_cols(built)
    h = solver.intensities()
    out = solver.direct * s
    for e in built.entries:
        if e.matrix == "A" and e.row in bg and e.col not in bg:
            out[e.col] += -e.exchange.amount * e.scale * s[e.col] * h[e.row]
    for j in bg:
        out[j] = 0.0
    return out


def _data_quality(built: Built, solver: Solver, s: np.ndarray, datasets: dict[str, Dataset]) -> dict[str, Any]:
    """Pedigree scores weighted by the share of the footprint each foreground exchange brings: an
    emission its own kg CO₂e, an input from the background the cumulative emissions behind it (inputs
    from other foreground activities carry none of their own: those activities' exchanges count).
    The primary data share counts the platform's measured exchanges and, of a supplier's footprint taken
    as a dataset, the share of it that rests on the supplier's primary data."""
    bg = _background_cols(built)
    h = solver.intensities()
    weights: list[float] = []
    scores: list[tuple[int, ...]] = []
    all_weights: list[float] = []
    kept: list[Any] = []
    every = 0.0
    supplier_primary = 0.0
    for e in built.entries:
        if e.col in bg:
            continue
        v = e.exchange.amount * e.scale * s[e.col]
        if e.matrix == "B":
            w = abs(solver.c[e.row] * v)
        elif e.row in bg:
            w = abs(v * h[e.row])
            # a supplier's footprint brings the primary data it rests on (PACT Methodology 3.0, 4.2.2)
            supplier_primary += w * datasets[built.system.activities[e.row]].primary_share
        else:
            continue
        every += w
        all_weights.append(w)
        kept.append(e)
        if e.exchange.pedigree is not None:
            weights.append(w)
            scores.append(e.exchange.pedigree)
    rated = float(sum(weights))
    primary = supplier_primary + float(sum(w for w, e in zip(all_weights, kept, strict=True) if e.exchange.primary))
    out: dict[str, Any] = {"rated_share": rated / every if every else 0.0,
                           "primary_data_share": primary / every if every else 0.0}
    if rated > 0:
        arr = np.array(scores, dtype=float)
        wv = np.array(weights)
        for k, name in enumerate(PEDIGREE):
            out[name] = float(arr[:, k] @ wv / rated)
    return out


def platform_data(home: str | None, year: int, stores: Stores | None = None
                  ) -> tuple[dict[tuple[str, str], Metered], dict[str, Any]]:
    """Each enterprise's use of each carrier in `year` and its direct CO2, from the platform's own ledger
    (statements first, main meters where an enterprise-month has none: the inventory's numbers)."""
    from nengtan.engine.ledgers import data_version, ledger, year_factor_set

    st = stores or _stores(home)
    version = data_version(st.registry, st.lake)
    fs = year_factor_set(st.registry, year, st.factor_set)
    lg = ledger(st.registry, st.lake, year, fs)
    out: dict[tuple[str, str], Metered] = {}
    if len(lg):
        for (uscc, carrier, unit), g in lg.groupby(["uscc", "carrier", "unit"]):
            out[(str(uscc), str(carrier))] = Metered(float(g["quantity"].sum()), str(unit),
                                                     float(g["scope1_t"].sum()) * 1000.0,
                                                     f"nengtan data {version}, {year}: {uscc} statements and meters",
                                                     float(g["scope2_location_t"].sum()) * 1000.0)
    return out, {"year": year, "data_version": version, "factor_set": fs.id}


def _stores(home: str | None) -> Stores:
    from nengtan.engine import open_local

    return open_local(home)[1]


def footprint(req: Request, background: Background | None = None, stores: Stores | None = None) -> dict[str, Any]:
    """The footprint of one declared unit of `req.product` (kg CO₂e), as a JSON-able dict. The platform's
    data (primary exchanges, suppliers' footprints) come from `stores`, else from the data home `req.home`."""
    bg = background or load_background(req.background)
    if req.enterprise:
        from nengtan.engine.certification import supplier_datasets, with_suppliers

        stores = stores or _stores(req.home)
        bg = with_suppliers(bg, supplier_datasets(stores.registry, req.enterprise))
    model = read_model(model_tables(req.model), req.model.stem, req.scenario)
    primary_source = None
    if any(x.type == "primary" for x in model.exchanges):
        if req.year is None:
            raise ModelError("the model has primary exchanges: give the reference year (--year) and the platform's "
                             "data home (--home)")
        metered, primary_source = platform_data(req.home, req.year, stores)
        model = with_primary(model, metered)
    built = build(model, bg, req.allocation)
    gwp = gwp_set(req.gwp)
    c = gwp.vector(built.system.flows)
    solver = Solver(built.system, c)
    j = _column(built, req.product)
    unit = built.system.units[j]
    amount = _per(unit, req.per)
    f = np.zeros(len(built.system.products))
    f[j] = amount  # the column named: where two activities make one product, the one asked for
    s = solver.supply(f)
    g = np.asarray(built.system.biosphere @ s).ravel()
    per_activity = _folded(built, solver, s)
    by_stage: dict[str, float] = {}
    for k, v in enumerate(per_activity):
        by_stage[built.system.stages[k] or "unstaged"] = by_stage.get(built.system.stages[k] or "unstaged", 0.0) + v
    total = float(c @ g)
    by_flow = {f: float(c[k] * g[k]) for k, f in enumerate(built.system.flows) if g[k] != 0}
    biogenic = sum(v for f, v in by_flow.items() if f in BIOGENIC)
    out: dict[str, Any] = {
        "product": built.system.products[j], "declared_unit": req.per or unit, "amount_in_product_unit": amount,
        "product_unit": unit, "total_kgco2e": total, "fossil_kgco2e": total - biogenic, "biogenic_kgco2e": biogenic,
        "by_stage": {k: float(v) for k, v in by_stage.items() if v != 0},
        "by_activity": {a: float(v) for a, v in sorted(zip(built.system.activities, per_activity, strict=True),
                                                       key=lambda t: -abs(t[1])) if v != 0},
        "by_flow": by_flow, "allocation": req.allocation,
        "allocation_shares": {a: sh for a, sh in built.shares.items() if len(sh) > 1},
        "data_quality": _data_quality(built, solver, s, bg.datasets),
        "by_dataset": {built.system.activities[k]: float(solver.direct[k] * s[k])
                       for k in sorted(_background_cols(built)) if solver.direct[k] * s[k] != 0},
        "model": {"name": model.name, "digest": model.digest, "scenario": model.scenario,
                  "parameters": model.parameters},
        "database": bg.version, "background_datasets": built.background, "primary_data": primary_source,
        "background": [{"id": d.id, "name": d.name, "unit": d.unit, "sources": list(d.sources), "status": d.status,
                        "origin": d.origin} for d in (bg.datasets[k] for k in built.background)],
        "inventory": [{"where": x.where, "activity": x.activity, "type": x.type, "flow": x.flow, "amount": x.amount,
                       "unit": x.unit, "provider": x.provider, "source": x.source,
                       "pedigree": list(x.pedigree) if x.pedigree else None,
                       "uncertainty": x.uncertainty.distribution if x.uncertainty else None}
                      for x in model.exchanges],
        "stages": sorted({o.stage for o in model.outputs if o.stage}),
        "gwp": {"set": gwp.name, "source": gwp.source}, "solver": SOLVER,
    }
    if req.tree:
        out["tree"] = solver.tree(j, amount, req.cutoff).to_dict()
    if req.mc:
        draws = monte_carlo(built, c, j, amount, req.mc, req.seed)
        lo, hi = draws.interval()
        out["monte_carlo"] = {"draws": req.mc, "seed": req.seed, "mean": draws.mean, "sd": draws.sd}
        out["interval_95"] = [lo, hi]
    return out
