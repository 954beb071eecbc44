"""What a carbon-footprint study report says (ISO 14067:2018 clause 7, GB/T 24067-2024 clause 7), once, for
both renderers (footprint_xlsx, footprint_pdf): the study's statements and its tables, taken from one
result of nengtan.engine.footprints.footprint. Nothing is computed here but shares of the total."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from nengtan.reports.words import both, zh

DEFAULT_GOAL = "cradle-to-gate carbon footprint of the product for disclosure and certification"


@dataclass(frozen=True)
class Table:
    title: str
    headers: list[str]
    rows: list[list[Any]]
    kg_columns: tuple[int, ...] = ()  # kg CO2e (four decimals)
    share_columns: tuple[int, ...] = ()  # fractions shown as %


def facts(out: dict[str, Any], goal: str = "") -> list[tuple[str, Any]]:
    """The study's statements: label, value (a number is kg CO2e)."""
    mc = out.get("monte_carlo")
    dq = out["data_quality"]
    return [
        (both("Goal"), goal or DEFAULT_GOAL),
        (both("Declared unit"), f"1 {out['declared_unit']}"),
        (both("Carbon footprint [kg CO2e]"), out["total_kgco2e"]),
        (both("of which fossil [kg CO2e]"), out["fossil_kgco2e"]),
        (both("of which biogenic [kg CO2e]"), out["biogenic_kgco2e"]),
        (both("System boundary"), "cradle to gate: " + " → ".join(out["stages"])),
        (both("Cut-off"), "none: every exchange of the model is counted (the tree view summarises inputs "
                            "below its cut-off but the total includes them)"),
        (both("Allocation"), out["allocation"]
         + "".join(f"; {a}: " + ", ".join(f"{p} {v:.4f}" for p, v in sh.items())
                   for a, sh in out["allocation_shares"].items())),
        (both("GWP"), f"{out['gwp']['set']} 100-year — {out['gwp']['source']}"),
        (both("Background database"), out["database"]),
        (both("Model"), f"{out['model']['name']}@{out['model']['digest']}"
         + (f", scenario {out['model']['scenario']}" if out["model"]["scenario"] else "")),
        (both("Primary data"), (f"{dq.get('primary_data_share', 0.0):.1%} of the footprint (PACT primaryDataShare)"
                                  + (f"; platform data {out['primary_data']['data_version']}, factor set "
                                     f"{out['primary_data']['factor_set']}, year {out['primary_data']['year']}"
                                     if out.get("primary_data") else ""))),
        (both("Solver"), out["solver"]),
        (zh("Data quality (pedigree, 1 best … 5)"),
         ", ".join(f"{k} {v:.2f}" for k, v in dq.items() if k not in ("rated_share", "primary_data_share"))
         + f"; rated share {dq['rated_share']:.1%}"),
        (zh("Uncertainty"), (f"Monte Carlo {mc['draws']} draws (seed {mc['seed']}): mean {mc['mean']:.4f}, "
                                  f"sd {mc['sd']:.4f}, 95 % {out['interval_95'][0]:.4f} … {out['interval_95'][1]:.4f}"
                                  if mc else "not computed (run with --mc N)")),
        (both("Limitations"), "only the exchanges in the model are counted; background datasets marked to-verify "
                            "were found in secondary sources; results are for the stated parameters"),
    ]


def result_tables(out: dict[str, Any]) -> list[Table]:
    """Results by stage, activity, upstream dataset and gas, each with its share of the total."""
    total = out["total_kgco2e"]
    tables = []
    for title, key, label in ((both("By stage"), "by_stage", both("stage")),
                              (both("By activity"), "by_activity", both("activity")),
                              (both("By upstream dataset"), "by_dataset", both("dataset")),
                              (both("By gas"), "by_flow", zh("Gas flow"))):
        rows = [[k, v, v / total if total else None] for k, v in out.get(key, {}).items()]
        tables.append(Table(title, [label, "kg CO2e", both("share")], rows, (1,), (2,)))
    return tables


def inventory_table(out: dict[str, Any]) -> Table:
    return Table(both("Inventory"), [both("activity"), zh("type"), zh("flow"), both("amount"), both("unit"),
                                  both("provider"), zh("source"), both("pedigree"), zh("uncertainty"),
                                  both("where")],
                 [[x["activity"], x["type"], x["flow"], x["amount"], x["unit"], x["provider"], x["source"],
                   ",".join(map(str, x["pedigree"])) if x["pedigree"] else "", x["uncertainty"] or "", x["where"]]
                  for x in out["inventory"]])


def background_table(out: dict[str, Any]) -> Table:
    return Table(both("Background"), [both("dataset"), both("name"), both("unit"), zh("sources"), both("status"),
                                       both("origin")],
                 [[d["id"], d["name"], d["unit"], "; ".join(d["sources"]), d["status"], d["origin"]]
                  for d in out["background"]])
