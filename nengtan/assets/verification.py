"""A third-party verification (碳核查) of an enterprise-year as nengtan reads it, pure: its lines (one emission
source each: a carrier burnt or bought, or a process item), each checked the way a reviewer checks a printed
table — emissions = activity × factor — and counted or not toward the covered emissions by the accounting
guideline the verification followed (nengtan/assets/data/guidelines.json, each source kind with its clause).

Source kinds (GB/T 32150-2015 5.2: 排放源): a fuel is ``combustion`` (Scope 1); electricity bought is
``purchased_electricity`` and heat or steam ``purchased_heat`` (Scope 2); ``process:<item>`` a process emission
(Scope 1). The national market's steel, cement and aluminium sectors cover direct emissions only (combustion and
process), so a verification under those guidelines states its indirect lines for information: they are kept,
not counted.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from nengtan.errors import InputError
from nengtan.labels import CARRIERS
from nengtan.units import CANONICAL_UNIT, canonical_factor

SCOPE2_CARRIERS = {"electricity": "purchased_electricity", "green_electricity": "purchased_electricity",
                   "heat": "purchased_heat", "steam": "purchased_heat"}
TOLERANCE_REL = 1e-3
"""A printed emission figure may differ from activity × factor by rounding: 0.1 % or 0.01 t, whichever is larger."""


@cache
def _data() -> dict[str, Any]:
    text = resources.files("nengtan.assets").joinpath("data/guidelines.json").read_text(encoding="utf-8")
    return dict(json.loads(text))


def guidelines() -> dict[str, dict[str, Any]]:
    """The guidelines nengtan knows, by key, with what each covers and the clause it follows."""
    return dict(_data()["guidelines"])


def guideline(key: str) -> dict[str, Any]:
    g = guidelines().get(key)
    if g is None:
        raise InputError(f"guideline {key!r}: one of {', '.join(guidelines())}")
    return g


def source_names(source: str) -> tuple[str, str]:
    """A line's source by name, (Chinese, English): a carrier's name (nengtan.labels.CARRIERS) or a process item's
    (guidelines.json ``process_items``); the code itself where neither knows it."""
    if source.startswith("process:"):
        item = _data()["process_items"].get(source.split(":", 1)[1])
        return (item["zh"], item["en"]) if item else (source, source)
    return CARRIERS.get(source, (source, source))


def kind_of(source: str) -> str:
    """The source kind of a line's source: a carrier, or ``process:<item>``."""
    if source.startswith("process:"):
        item = source.split(":", 1)[1]
        if item not in _data()["process_items"]:
            raise InputError(f"process item {item!r}: one of {', '.join(_data()['process_items'])}")
        return "process"
    if source == "pv":
        raise InputError("pv is generated on site and has no emissions to verify")
    if source not in CANONICAL_UNIT:
        raise InputError(f"source {source!r}: a carrier ({', '.join(c for c in CANONICAL_UNIT if c != 'pv')}) "
                         "or process:<item>")
    return SCOPE2_CARRIERS.get(source, "combustion")


@dataclass(frozen=True)
class VerifiedLine:
    source: str
    kind: str
    scope: int
    activity: float | None  # in the carrier's canonical unit (None for a process line stated as emissions only)
    unit: str  # the canonical unit, or "" for a process line
    factor: float | None  # tCO2(e) per canonical unit
    emissions_t: float
    covered: bool  # counted toward the covered emissions under the record's guideline


def line(guideline_key: str, source: str, activity: float | None, unit: str, factor: float | None,
         emissions_t: float | None, scope: int | None = None) -> VerifiedLine:
    """One verified line, checked: the source is known, the scope is its kind's, a carrier's activity converts to
    its canonical unit, and the printed emissions are activity × factor (within :data:`TOLERANCE_REL`). A line
    without emissions gets activity × factor; one without a factor gets emissions / activity."""
    g = guideline(guideline_key)
    kind = kind_of(source)
    own_scope = 2 if kind.startswith("purchased") else 1
    if scope is not None and scope != own_scope:
        raise InputError(f"{source} is Scope {own_scope} ({kind}), not Scope {scope}")
    if activity is not None and activity < 0:
        raise InputError(f"activity {activity} of {source} is negative")
    if kind != "process":
        if activity is None:
            raise InputError(f"{source} states its activity (quantity and unit)")
        per = canonical_factor(source, unit)
        activity, factor = activity * per, (None if factor is None else factor / per)
        unit = CANONICAL_UNIT[source]
    elif activity is None:
        unit = ""
    if factor is not None and activity is not None:
        computed = activity * factor
        if emissions_t is None:
            emissions_t = computed
        elif abs(computed - emissions_t) > max(0.01, TOLERANCE_REL * abs(emissions_t)):
            raise InputError(f"{source}: printed emissions {emissions_t:,.2f} t are not activity × factor = "
                             f"{computed:,.2f} t")
    elif emissions_t is None:
        raise InputError(f"{source} states its emissions or its factor")
    elif activity:
        factor = emissions_t / activity
    if emissions_t < 0 and source != "process:carbon_feedstock":
        raise InputError(f"{source}: emissions {emissions_t:,.2f} t are negative")
    return VerifiedLine(source, kind, own_scope, activity, unit, factor, float(emissions_t), kind in g["covers"])


@dataclass(frozen=True)
class Totals:
    total_t: float
    scope1_t: float
    scope2_t: float
    covered_t: float


def totals(lines: list[VerifiedLine]) -> Totals:
    """Everything the verification states, by scope, and what its guideline covers."""
    return Totals(sum(x.emissions_t for x in lines), sum(x.emissions_t for x in lines if x.scope == 1),
                  sum(x.emissions_t for x in lines if x.scope == 2), sum(x.emissions_t for x in lines if x.covered))
