"""Peak-year scenarios: park CO2 year by year from drivers, with a vectorised Monte Carlo.

Model (per sector ``s`` and year ``t`` after the base year ``t = 0``)::

    g_s(t)   = g_s · (1 − k)^(t−1)                         value-added growth, decaying [1/yr]
    VA_s(t)  = VA_s(0) · Π_{τ=1..t} (1 + g_s(τ))            [万元, constant prices]
    E_s(t)   = VA_s(t) · EI_s(0) · (1 − d)^t                energy [tce]; d = intensity decline [1/yr]
    el_s(t)  = min(el_s(0) + x·t, cap)                      electricity share of energy (当量值) [-]
    F_s(t)   = E_s(t) · (1 − el_s(t)) · f_s                 fuel CO2 [t]; f_s = base-year t/tce of
                                                            non-electric energy (scope 1 + heat/steam)
    K(t)     = Σ_s E_s(t) · el_s(t) / 1.229e-4              electricity used [kWh] (0.1229 kgce/kWh,
                                                            GB/T 2589 当量值)
    G(t)     = max(K(t) − PV(0) − 1000·p·t − GP(0) − 1000·q·t, 0)   grid electricity [kWh]
    C(t)     = Σ_s F_s(t) + G(t) · ef(0) · (1 − r)^t        park CO2 [t]

with PV additions ``p`` and green-power additions ``q`` [MWh/yr] and grid-factor decline ``r``
[1/yr]. Green power is counted as zero-carbon (market-based treatment, as the MEE 2024 notices do
by publishing a grid factor that excludes market-traded non-fossil power), so the scenario base year
equals the headline only when the park buys no green power.

Monte Carlo: every driver ~ Normal(mean, sd) drawn once per draw (a persistent driver, not
year-to-year noise), clipped to a physical range; all draws are computed at once as arrays of shape
(draws, sectors, years) — no Python loop over draws. ``numpy.random.default_rng(seed)``; the same seed
gives the same numbers, and the named scenarios use common random numbers.

Peak year = the first year of the maximum of C(t) in the horizon; if that is the last year the park
has not peaked within the horizon. P(peak ≤ 2030) is the share of draws whose peak year ≤ 2030.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import numpy as np
import pandas as pd
import yaml

from nengtan.indicators import co2_headline, green_is_separate
from nengtan.targets.errors import TargetsError

#: Electricity at calorific equivalent [tce/kWh] (GB/T 2589-2020: 0.1229 kgce/kWh).
TCE_PER_KWH = 1.229e-4
SCENARIO_NAMES = ("baseline", "policy", "enhanced")
_FUEL_ELEC = ("electricity", "green_electricity", "pv")


@dataclass(frozen=True)
class ScenarioBase:
    """Base-year state of the park by sector.

    Attributes
    ----------
    year : int
    sectors : list of str
        Sector keys (GB/T 4754 division, 2 digits).
    value_added : ndarray [万元]
    energy : ndarray [tce]
    elec_share : ndarray [-]  electricity (grid + green + PV) share of energy, 当量值
    fuel_ef : ndarray [tCO2/tce]  CO2 per tce of non-electric energy
    grid_ef : float [tCO2/kWh]  location-based grid factor of the base year
    pv_kwh, green_kwh : float [kWh]  base-year PV self-consumption and green-power purchases
    """

    year: int
    sectors: list[str]
    value_added: np.ndarray
    energy: np.ndarray
    elec_share: np.ndarray
    fuel_ef: np.ndarray
    grid_ef: float
    pv_kwh: float
    green_kwh: float


def base_from_ledger(
    ledger: pd.DataFrame, economics: pd.DataFrame, year: int, digits: int = 2
) -> ScenarioBase:
    """Build the base-year state from one year's ledger and economics."""
    if len(ledger) == 0:
        raise TargetsError(f"no ledger rows for the base year {year}; run the accounting for that year first")
    sec_of = ledger[["uscc", "sector_code"]].drop_duplicates("uscc")
    sec_of = sec_of.assign(sector=sec_of["sector_code"].astype(str).str.slice(0, digits))
    led = ledger.assign(
        sector=ledger["sector_code"].astype(str).str.slice(0, digits), co2=co2_headline(ledger)
    )
    separate = green_is_separate(ledger)
    is_el = led["carrier"].isin(_FUEL_ELEC)
    el_energy = led["energy_tce"].where(is_el, 0.0)
    if not separate:  # green rows are part of "electricity"
        el_energy = el_energy.where(led["carrier"] != "green_electricity", 0.0)
    g = led.assign(
        el=el_energy, fuel=led["energy_tce"].where(~is_el, 0.0), fuel_co2=led["co2"].where(~is_el, 0.0)
    ).groupby("sector")
    energy = g["energy_tce"].sum()
    el = g["el"].sum()
    fuel = g["fuel"].sum()
    fuel_co2 = g["fuel_co2"].sum()
    eco = economics.assign(uscc=economics["uscc"].astype(str)).merge(
        sec_of.assign(uscc=sec_of["uscc"].astype(str))[["uscc", "sector"]], on="uscc", how="inner"
    )
    va = eco.groupby("sector")["value_added_constant"].sum()
    sectors = sorted(set(energy.index) | set(va.index))
    va_a = va.reindex(sectors, fill_value=0.0).to_numpy(float)
    en_a = (el + fuel).reindex(sectors, fill_value=0.0).to_numpy(float)
    if np.any((en_a > 0) & (va_a <= 0)):
        bad = [s for s, e, v in zip(sectors, en_a, va_a, strict=True) if e > 0 and v <= 0]
        raise TargetsError(f"sectors {', '.join(bad)} use energy but have no value added in {year}")
    with np.errstate(divide="ignore", invalid="ignore"):
        el_share = np.where(en_a > 0, el.reindex(sectors, fill_value=0.0).to_numpy(float) / en_a, 0.0)
        fuel_a = fuel.reindex(sectors, fill_value=0.0).to_numpy(float)
        fuel_ef = np.where(
            fuel_a > 0, fuel_co2.reindex(sectors, fill_value=0.0).to_numpy(float) / fuel_a, 0.0
        )
    grid = led[led["carrier"] == "electricity"]
    kwh = float(grid["quantity"].sum())
    grid_ef = float(grid["scope2_location_t"].sum()) / kwh if kwh > 0 else 0.0
    pv = float(led.loc[led["carrier"] == "pv", "quantity"].sum())
    green = float(led.loc[led["carrier"] == "green_electricity", "quantity"].sum())
    return ScenarioBase(
        year=year,
        sectors=sectors,
        value_added=va_a,
        energy=en_a,
        elec_share=el_share,
        fuel_ef=fuel_ef,
        grid_ef=grid_ef,
        pv_kwh=pv,
        green_kwh=green,
    )


@dataclass(frozen=True)
class Driver:
    """A driver: mean and standard deviation of its Monte Carlo draw, clipped to [lo, hi]."""

    mean: float
    sd: float
    lo: float = -np.inf
    hi: float = np.inf


@dataclass(frozen=True)
class Scenario:
    """Named scenario (drivers in their units: rates [1/yr], additions [MWh/yr], shares [-])."""

    name: str
    label: str
    va_growth: dict[str, Driver]
    va_growth_decay: Driver
    energy_intensity_decline: Driver
    electrification: Driver
    electrification_cap: float
    pv_additions_mwh: Driver
    green_additions_mwh: Driver
    grid_factor_decline: Driver
    extra: dict[str, Any] = field(default_factory=dict)

    def growth_for(self, sector: str) -> Driver:
        """VA growth driver of a sector: longest matching prefix, ``services`` for divisions ≥ 51,
        else ``default``."""
        best = None
        for k, d in self.va_growth.items():
            if (
                k not in ("default", "services")
                and sector.startswith(k)
                and (best is None or len(k) > len(best[0]))
            ):
                best = (k, d)
        if best:
            return best[1]
        if "services" in self.va_growth and sector[:2].isdigit() and int(sector[:2]) >= 51:
            return self.va_growth["services"]
        if "services" in self.va_growth and not sector[:2].isdigit():
            return self.va_growth["services"]
        return self.va_growth["default"]


def _drv(v: Any, lo: float = -np.inf, hi: float = np.inf, what: str = "") -> Driver:
    try:
        mean, sd = float(v[0]), float(v[1])
    except (TypeError, IndexError, ValueError) as exc:
        raise TargetsError(f"scenario driver {what}: give [mean, sd], got {v!r}") from exc
    if sd < 0:
        raise TargetsError(f"scenario driver {what}: sd must be non-negative")
    return Driver(mean, sd, lo, hi)


def scenario_from_dict(name: str, d: dict[str, Any]) -> Scenario:
    """Parse one scenario from its YAML mapping (see ``data/scenarios.yaml``)."""
    try:
        return Scenario(
            name=name,
            label=str(d.get("label", name)),
            va_growth={
                str(k): _drv(v, -0.2, 0.5, f"{name}.va_growth.{k}") for k, v in d["va_growth"].items()
            },
            va_growth_decay=_drv(d.get("va_growth_decay", [0.0, 0.0]), 0.0, 1.0, f"{name}.va_growth_decay"),
            energy_intensity_decline=_drv(
                d["energy_intensity_decline"], -0.1, 0.3, f"{name}.energy_intensity_decline"
            ),
            electrification=_drv(d["electrification"], 0.0, 0.1, f"{name}.electrification"),
            electrification_cap=float(d.get("electrification_cap", 0.9)),
            pv_additions_mwh=_drv(d["pv_additions_mwh"], 0.0, np.inf, f"{name}.pv_additions_mwh"),
            green_additions_mwh=_drv(d["green_additions_mwh"], 0.0, np.inf, f"{name}.green_additions_mwh"),
            grid_factor_decline=_drv(d["grid_factor_decline"], -0.1, 0.3, f"{name}.grid_factor_decline"),
        )
    except KeyError as exc:
        raise TargetsError(f"scenario {name}: missing driver {exc.args[0]!r}") from exc


def load_scenarios(path: str | None = None) -> dict[str, Scenario]:
    """Load named scenarios from the package YAML or a park-edited file."""
    try:
        if path is None:
            text = (
                resources.files("nengtan.targets").joinpath("data/scenarios.yaml").read_text(encoding="utf-8")
            )
        else:
            with open(path, encoding="utf-8") as fh:
                text = fh.read()
        raw = yaml.safe_load(text)
    except OSError as exc:
        raise TargetsError(f"cannot read scenario file {path}: {exc.strerror}") from exc
    except yaml.YAMLError as exc:
        raise TargetsError(f"scenario file {path} is not valid YAML: {exc}") from exc
    if not isinstance(raw, dict):
        raise TargetsError("a scenario file maps scenario names to drivers")
    return {str(k): scenario_from_dict(str(k), v) for k, v in raw.items()}


def _draw(rng: np.random.Generator, d: Driver, size: tuple[int, ...]) -> np.ndarray:
    x = d.mean + d.sd * rng.standard_normal(size)
    return np.clip(x, d.lo, d.hi)


def draw_drivers(
    scn: Scenario, sectors: list[str], draws: int, rng: np.random.Generator | None
) -> dict[str, np.ndarray]:
    """Driver arrays, shape (draws, 1) or (draws, sectors); central values when ``rng`` is None."""
    n = max(draws, 1)

    def one(d: Driver, cols: int = 1) -> np.ndarray:
        if rng is None:
            return np.full((n, cols), np.clip(d.mean, d.lo, d.hi))
        return _draw(rng, d, (n, cols))

    growth = (
        np.concatenate([one(scn.growth_for(s)) for s in sectors], axis=1) if sectors else np.zeros((n, 0))
    )
    return {
        "g": growth,
        "k": one(scn.va_growth_decay),
        "d": one(scn.energy_intensity_decline),
        "x": one(scn.electrification),
        "p": one(scn.pv_additions_mwh),
        "q": one(scn.green_additions_mwh),
        "r": one(scn.grid_factor_decline),
    }


def simulate(base: ScenarioBase, drivers: dict[str, np.ndarray], years: int, cap: float) -> np.ndarray:
    """Park CO2 [t] for each draw and year, shape (draws, years + 1); column 0 is the base year.

    Fully vectorised over draws, sectors and years (see the module docstring for the equations).
    """
    t = np.arange(years + 1, dtype=float)  # (Y,)
    g, k = drivers["g"], drivers["k"]  # (D,S), (D,1)
    rate = g[:, :, None] * (1.0 - k[:, :, None]) ** np.maximum(t - 1.0, 0.0)[None, None, :]
    rate[:, :, 0] = 0.0
    va = base.value_added[None, :, None] * np.cumprod(1.0 + rate, axis=2)  # (D,S,Y)
    with np.errstate(divide="ignore", invalid="ignore"):
        ei0 = np.where(
            base.value_added > 0, base.energy / np.where(base.value_added > 0, base.value_added, 1), 0.0
        )
    energy = va * ei0[None, :, None] * (1.0 - drivers["d"][:, :, None]) ** t[None, None, :]
    el = np.minimum(
        base.elec_share[None, :, None] + drivers["x"][:, :, None] * t[None, None, :],
        np.maximum(cap, base.elec_share)[None, :, None],
    )
    fuel_co2 = (energy * (1.0 - el) * base.fuel_ef[None, :, None]).sum(axis=1)  # (D,Y)
    kwh = (energy * el).sum(axis=1) / TCE_PER_KWH
    supply = base.pv_kwh + base.green_kwh + 1000.0 * (drivers["p"] + drivers["q"]) * t[None, :]
    grid = np.maximum(kwh - supply, 0.0)
    ef = base.grid_ef * (1.0 - drivers["r"]) ** t[None, :]
    return fuel_co2 + grid * ef


@dataclass(frozen=True)
class ScenarioResult:
    """Outcome of one scenario.

    ``central`` [t] is the path with every driver at its mean; ``quantiles`` maps 5/50/95 to paths;
    ``peak_years`` and ``peak_levels`` hold one value per draw.
    """

    name: str
    label: str
    years: np.ndarray
    central: np.ndarray
    quantiles: dict[int, np.ndarray]
    peak_years: np.ndarray
    peak_levels: np.ndarray
    horizon: int

    def p_peak_by(self, year: int = 2030) -> float:
        """Share of draws that peak in or before ``year`` (not counting a maximum at the horizon end,
        unless the horizon is ``year`` itself)."""
        if len(self.peak_years) == 0:
            return float("nan")
        ok = (self.peak_years <= year) & ((self.peak_years < self.horizon) | (self.horizon <= year))
        return float(np.mean(ok))

    @property
    def central_peak_year(self) -> int:
        """Peak year of the central path."""
        return int(self.years[int(np.argmax(self.central))])

    def summary(self, by: int = 2030) -> dict[str, Any]:
        """Table/JSON row of the scenario."""
        py = self.peak_years
        return {
            "scenario": self.name,
            "label": self.label,
            "central_peak_year": self.central_peak_year,
            "central_peak_t": float(self.central.max()),
            "peak_year_p5": int(np.percentile(py, 5)) if len(py) else None,
            "peak_year_p50": int(np.percentile(py, 50)) if len(py) else None,
            "peak_year_p95": int(np.percentile(py, 95)) if len(py) else None,
            "peak_t_p5": float(np.percentile(self.peak_levels, 5)) if len(py) else None,
            "peak_t_p95": float(np.percentile(self.peak_levels, 95)) if len(py) else None,
            f"p_peak_by_{by}": self.p_peak_by(by),
            f"co2_{by}_t": float(self.central[self.years == by][0]) if (self.years == by).any() else None,
            "co2_end_t": float(self.central[-1]),
        }


def run_scenario(
    base: ScenarioBase, scn: Scenario, to_year: int = 2035, draws: int = 10_000, seed: int | None = 1
) -> ScenarioResult:
    """Central path and Monte Carlo of one scenario from ``base.year`` to ``to_year``."""
    if to_year <= base.year:
        raise TargetsError(f"the end year must be after the base year {base.year}")
    if draws < 0:
        raise TargetsError("draws must be non-negative")
    n = to_year - base.year
    years = np.arange(base.year, to_year + 1)
    central = simulate(base, draw_drivers(scn, base.sectors, 1, None), n, scn.electrification_cap)[0]
    if draws:
        rng = np.random.default_rng(seed)
        paths = simulate(base, draw_drivers(scn, base.sectors, draws, rng), n, scn.electrification_cap)
        peak_idx = np.argmax(paths, axis=1)
        q = {p: np.percentile(paths, p, axis=0) for p in (5, 50, 95)}
        peak_years = years[peak_idx]
        peak_levels = paths[np.arange(draws), peak_idx]
    else:
        q, peak_years, peak_levels = {}, np.array([], dtype=int), np.array([])
    return ScenarioResult(
        name=scn.name,
        label=scn.label,
        years=years,
        central=central,
        quantiles=q,
        peak_years=peak_years,
        peak_levels=peak_levels,
        horizon=to_year,
    )


def compare(
    base: ScenarioBase,
    scenarios: dict[str, Scenario],
    to_year: int = 2035,
    draws: int = 10_000,
    seed: int | None = 1,
    by: int = 2030,
) -> tuple[list[ScenarioResult], pd.DataFrame, pd.DataFrame]:
    """Run several scenarios with common random numbers; return results, a summary table and the
    central paths side by side (index = year, one column per scenario) [tCO2]."""
    res = [run_scenario(base, s, to_year, draws, seed) for s in scenarios.values()]
    summary = pd.DataFrame([r.summary(by) for r in res])
    paths = pd.DataFrame({r.name: r.central for r in res}, index=pd.Index(res[0].years, name="year"))
    return res, summary, paths
