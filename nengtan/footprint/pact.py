"""Footprints in the PACT data model (WBCSD Partnership for Carbon Transparency, Technical Specifications
for PCF Data Exchange 3.0): a nengtan footprint record → ``ProductFootprint`` and back, validated against
``data/pact-v3.schema.json`` (nengtan's transcription of the specification's data model).

Mapping (PACT 3.0 data model, CarbonFootprint):

* ``pcfExcludingBiogenicUptake`` = total − biogenic uptake part (uptake is negative, so it is added back);
  ``pcfIncludingBiogenicUptake`` = the total; ``fossilGhgEmissions`` = the fossil part (kg CO₂e per
  declared unit); ``biogenicCO2Uptake`` the uptake (≤ 0);
* ``primaryDataShare`` = the engine's primary-data share × 100 (PACT Methodology 4.2.2);
* ``dqi``: technological, geographical and temporal ratings = the contribution-weighted pedigree scores;
* the declared unit: kg/t → kilogram, m² → square meter, kWh/MWh → kilowatt hour, m³ → cubic meter,
  L → liter, MJ/GJ → megajoule, piece. PACT 3.0 has no unit of power: a footprint per W or kWp (PV modules)
  is exported per ``piece`` with one piece defined as that rated power, said in ``productDescription``
  and carried exactly in nengtan's data model extension (``declared_unit``), from which an import restores it.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from importlib import resources
from typing import Any

from nengtan.errors import InputError

SPEC_VERSION = "3.0.0"
EXTENSION_SCHEMA = "urn:nengtan:pact-extension:footprint:1"
COUNTRY = "CN"

# declared unit → (PACT unit, amount of the PACT unit in one declared unit)
UNITS: dict[str, tuple[str, float]] = {
    "kg": ("kilogram", 1.0), "t": ("kilogram", 1000.0), "g": ("kilogram", 0.001),
    "m2": ("square meter", 1.0), "m²": ("square meter", 1.0),
    "kwh": ("kilowatt hour", 1.0), "mwh": ("kilowatt hour", 1000.0),
    "m3": ("cubic meter", 1.0), "m³": ("cubic meter", 1.0), "l": ("liter", 1.0),
    "mj": ("megajoule", 1.0), "gj": ("megajoule", 1000.0),
    "piece": ("piece", 1.0), "pcs": ("piece", 1.0), "pc": ("piece", 1.0),
}
POWER_UNITS = {"w": "W", "wp": "Wp", "kw": "kW", "kwp": "kWp", "mw": "MW", "mwp": "MWp"}
PEDIGREE_DQR = {"technologicalDQR": "technological", "geographicalDQR": "geographical",
                "temporalDQR": "temporal"}


class PactError(InputError):
    """A PACT document that does not conform to the data model, or a footprint that cannot be stated in it."""


@lru_cache(maxsize=1)
def schema() -> dict[str, Any]:
    text = resources.files("nengtan.footprint").joinpath("data/pact-v3.schema.json").read_text("utf-8")
    return json.loads(text)  # type: ignore[no-any-return]


def _is_datetime(value: object) -> bool:
    if not isinstance(value, str) or not re.match(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$",
                                                   value):
        return False
    try:
        dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


UUID = re.compile(r"[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}")


def _is_uuid(value: object) -> bool:
    return isinstance(value, str) and UUID.fullmatch(value) is not None


def problems(doc: Any) -> list[str]:
    """Every way `doc` departs from the PACT 3.0 ProductFootprint, as ``path: message`` lines (empty: valid)."""
    import jsonschema

    checker = jsonschema.FormatChecker(formats=())
    checker.checks("date-time")(_is_datetime)
    checker.checks("uuid")(_is_uuid)
    validator = jsonschema.Draft202012Validator(schema(), format_checker=checker)
    out = []
    for err in sorted(validator.iter_errors(doc), key=lambda e: [str(p) for p in e.absolute_path]):
        where = "/".join(str(p) for p in err.absolute_path) or "(document)"
        out.append(f"{where}: {err.message[:200]}")
    return out


def validate(doc: Any, where: str = "PACT document") -> None:
    bad = problems(doc)
    if bad:
        more = f" (and {len(bad) - 1} more)" if len(bad) > 1 else ""
        raise PactError(f"{where} is not a PACT {SPEC_VERSION} ProductFootprint: {bad[0]}{more}")


def decimal(x: float, places: int = 6) -> str:
    """A PACT decimal string: fixed notation, no exponent, trailing zeros dropped."""
    q = Decimal(repr(float(x))).quantize(Decimal(1).scaleb(-places))
    text = format(q.normalize(), "f")
    return "0" if text in ("-0", "") else text


def _iso(d: dt.datetime | dt.date) -> str:
    if not isinstance(d, dt.datetime):
        d = dt.datetime(d.year, d.month, d.day, tzinfo=dt.UTC)
    return d.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class Footprint:
    """What nengtan states about a product's footprint, in the terms PACT exchanges."""

    pf_id: str
    created: dt.datetime
    company_name: str
    uscc: str
    product: str
    product_name: str
    declared_unit: str
    total_kgco2e: float
    fossil_kgco2e: float
    biogenic_kgco2e: float
    reference_year: int | None
    gwp: str = "AR6"
    primary_data_share: float | None = None  # 0…1
    dqi: dict[str, float] | None = None  # pedigree name → score
    database: str = ""
    model: str = ""
    biogenic_uptake_kgco2e: float = 0.0
    status: str = "Active"
    preceding: tuple[str, ...] = ()
    verification: dict[str, str] | None = None  # provider, completed_at (ISO), standard, certificate
    geography: str = COUNTRY
    boundary: str = "cradle to gate"
    allocation: str = ""


def _pact_unit(declared_unit: str) -> tuple[str, float, str | None]:
    """(PACT unit, PACT amount per declared unit, the power the piece stands for or None)."""
    key = declared_unit.strip().lower()
    if key in UNITS:
        unit, amount = UNITS[key]
        return unit, amount, None
    if key in POWER_UNITS:
        return "piece", 1.0, POWER_UNITS[key]
    raise PactError(f"declared unit {declared_unit!r} has no PACT unit (PACT 3.0 knows liter, kilogram, cubic meter, "
                    "kilowatt hour, megajoule, ton kilometer, square meter, piece, hour, megabit second)")


def to_pact(fp: Footprint) -> dict[str, Any]:
    """The ProductFootprint of `fp` (validated before it is returned)."""
    unit, amount, power = _pact_unit(fp.declared_unit)
    desc = f"{fp.product_name}: {fp.boundary}, {fp.declared_unit}"
    if power:
        desc += f" (one piece = 1 {power} of rated power at STC; PACT 3.0 has no unit of power)"
    year = fp.reference_year or fp.created.year
    pcf: dict[str, Any] = {
        "declaredUnitOfMeasurement": unit,
        "declaredUnitAmount": decimal(amount),
        "productMassPerDeclaredUnit": decimal(amount) if unit == "kilogram" else "0",
        "referencePeriodStart": _iso(dt.date(year, 1, 1)),
        "referencePeriodEnd": _iso(dt.date(year + 1, 1, 1)),
        "geographyCountry": fp.geography,
        "boundaryProcessesDescription": fp.boundary,
        "pcfExcludingBiogenicUptake": decimal(fp.total_kgco2e - fp.biogenic_uptake_kgco2e),
        "pcfIncludingBiogenicUptake": decimal(fp.total_kgco2e),
        "fossilGhgEmissions": decimal(max(fp.fossil_kgco2e, 0.0)),
        "fossilCarbonContent": "0",
        "biogenicCO2Uptake": decimal(min(fp.biogenic_uptake_kgco2e, 0.0)),
        "ipccCharacterizationFactors": [fp.gwp.upper()],
        "crossSectoralStandards": ["ISO14067", "PACT-3.0"],
        "exemptedEmissionsPercent": "0",
        "secondaryEmissionFactorSources": [{"name": "nengtan background database", "version": fp.database or "-"}],
    }
    if fp.allocation:
        pcf["allocationRulesDescription"] = fp.allocation
    if fp.primary_data_share is not None:
        pcf["primaryDataShare"] = decimal(min(max(fp.primary_data_share, 0.0), 1.0) * 100, 2)
    if fp.dqi and all(v in fp.dqi for v in PEDIGREE_DQR.values()):
        pcf["dqi"] = {k: decimal(min(max(fp.dqi[v], 1.0), 5.0), 2) for k, v in PEDIGREE_DQR.items()}
    if fp.verification:
        v = fp.verification
        pcf["verification"] = {"coverage": "product level", "providerName": v["provider"],
                               "completedAt": v["completed_at"], "standardName": v.get("standard", "ISO 14067:2018"),
                               "comments": v.get("comments", "")}
    doc: dict[str, Any] = {
        "id": fp.pf_id, "specVersion": SPEC_VERSION, "created": _iso(fp.created), "status": fp.status,
        "companyName": fp.company_name, "companyIds": [f"urn:cn:uscc:{fp.uscc}"],
        "productDescription": desc, "productIds": [f"urn:cn:uscc:{fp.uscc}:product:{fp.product}"],
        "productNameCompany": fp.product_name or fp.product,
        "comment": f"nengtan footprint; model {fp.model}; database {fp.database}",
        "pcf": pcf,
        "extensions": [{"specVersion": "1.0.0", "dataSchema": EXTENSION_SCHEMA,
                        "data": {"declared_unit": fp.declared_unit, "total_kgco2e": fp.total_kgco2e,
                                 "product": fp.product, "model": fp.model, "database": fp.database}}],
    }
    if fp.preceding:
        doc["precedingPfIds"] = list(fp.preceding)
    validate(doc, f"footprint {fp.pf_id}")
    return doc


@dataclass(frozen=True)
class Imported:
    """A ProductFootprint read back: enough to hold it as a supplier's footprint of one declared unit."""

    pf_id: str
    company_name: str
    company_ids: tuple[str, ...]
    product: str
    product_name: str
    declared_unit: str
    total_kgco2e: float
    fossil_kgco2e: float
    reference_year: int
    primary_data_share: float | None
    status: str
    verified_by: str | None


def from_pact(doc: Any, where: str = "PACT document") -> Imported:
    """Read a ProductFootprint (refused, with the first problem, unless it conforms).

    The declared unit is nengtan's own when the document carries nengtan's extension, else the PACT unit
    times its amount (``2 kilogram`` → per 2 kg)."""
    validate(doc, where)
    pcf = doc["pcf"]
    ext = next((e["data"] for e in doc.get("extensions", []) if e.get("dataSchema") == EXTENSION_SCHEMA), None)
    amount = Decimal(pcf["declaredUnitAmount"])
    unit_word = {"kilogram": "kg", "square meter": "m2", "kilowatt hour": "kWh", "cubic meter": "m3", "liter": "L",
                 "megajoule": "MJ", "piece": "piece", "ton kilometer": "tkm", "hour": "h",
                 "megabit second": "Mbit s"}[pcf["declaredUnitOfMeasurement"]]
    declared = str(ext["declared_unit"]) if ext and ext.get("declared_unit") else (
        unit_word if amount == 1 else f"{format(amount.normalize(), 'f')} {unit_word}")
    total = float(Decimal(pcf["pcfIncludingBiogenicUptake"]))
    share = float(Decimal(pcf["primaryDataShare"])) / 100 if "primaryDataShare" in pcf else None
    ver = pcf.get("verification", {}).get("providerName")
    product = str(ext["product"]) if ext and ext.get("product") else doc["productIds"][0].rsplit(":", 1)[-1]
    start = dt.datetime.fromisoformat(pcf["referencePeriodStart"].replace("Z", "+00:00"))
    return Imported(doc["id"], doc["companyName"], tuple(doc["companyIds"]), product, doc["productNameCompany"],
                    declared, total, float(Decimal(pcf["fossilGhgEmissions"])), start.year, share, doc["status"], ver)
