"""An enterprise's green-power statement (绿色电力消费证明) as XLSX or PDF: its market-based Scope 2, every claim
and the GECs it cancelled, the power traced to green sources, and each entry's inclusion proof with the signed
ledger head, so that a buyer or a certification body can check every line offline (``nengtan ledger
check-proof`` on a proof rebuilt from the sheet, or nengtan.ledger.entries.verify_bundle).

It computes nothing: every figure is the engine's (nengtan.engine.greenstatement.statement).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from nengtan.calendar import park_time_text
from nengtan.reports.charts import Chart
from nengtan.reports.words import both, zh

FIGURES = (
    ("scope2_location_t", zh("Scope 2 location-based [tCO2]")),
    ("scope2_market_t", zh("Scope 2 market-based [tCO2]")),
    ("electricity_kwh", both("Electricity [kWh]")),
    ("green_claimed_kwh", both("Green power claimed with GECs [kWh]")),
    ("green_counted_kwh", both("Green power counted [kWh]")),
    ("green_unverified_kwh", both("Unverified green power stated [kWh]")),
    ("green_power_share", both("Green-power share")),
)


def rows(data: dict[str, Any]) -> dict[str, list[list[Any]]]:
    """The statement's tables, sheet by sheet (the XLSX and the PDF lay out the same rows)."""
    f = data["figures"]
    summary: list[list[Any]] = [[both("Enterprise"), f"{data['enterprise']['name']} ({data['enterprise']['uscc']})"],
                                [both("Year"), data["year"]]]
    summary += [[label, f[key]] for key, label in FIGURES]
    summary += [[both("Factor set"), f["factor_set"]], [both("Data version"), f["data_version"]],
                [both("Ledger"), data["head"]["log"]], [both("Ledger size"), data["head"]["size"]],
                [both("Merkle root"), data["head"]["root"]], [both("Public key"), data["head"]["public_key"]],
                [both("Signed at"), park_time_text(data["head"]["timestamp"])]]
    claims = [[both("Claim"), zh("Period (month)"), "MWh", both("First GEC"), both("Last GEC"), zh("Origin"),
               both("Ledger entry")]]
    for c in data["claims"]:
        for g in c["gecs"]:
            claims.append([c["claim"], c["period"], g["mwh"], g["first_code"], g["last_code"], g["origin"],
                           c["ledger_seq"]])
    contracts = [[both("Contract"), zh("Kind"), both("Seller"), both("Month"), "MWh", zh("Price [yuan/MWh]")]]
    contracts += [[c["number"], c["kind"], c["seller"], c["month"], c["mwh"], c["price"]] for c in data["contracts"]]
    traced = [[both("Month"), both("Bus"), both("Source"), both("Traced [kWh]"), both("Ledger entry")]]
    traced += [[a["month"], a["bus"], a["source"], a["kwh"], a["ledger_seq"]] for a in data["attributions"]]
    proofs = [[both("Ledger entry"), zh("Kind"), both("Entry (JSON)"), both("Audit path")]]
    proofs += [[p["leaf_index"], p["entry"]["kind"], json.dumps(p["entry"], ensure_ascii=False, sort_keys=True),
                " ".join(p["audit_path"])] for p in data["proofs"]]
    return {both("Summary"): summary, both("Claims"): claims, both("Contracts"): contracts,
            both("Traced"): traced, both("Proofs"): proofs}


def write_statement(data: dict[str, Any], out: Path) -> Path:
    from nengtan.reports.tables import write_tables

    def short(title: str, table: list[list[Any]]) -> list[list[Any]]:
        if not title.startswith(zh("Proofs of existence")):
            return table
        return [[*r[:2], r[2][:90] + ("…" if len(r[2]) > 90 else ""), f"{len(r[3].split())} hashes"] for r in table]

    return write_tables(zh("Green-power statement — {name} {year}", name=data["enterprise"]["name"], year=data["year"]),
                        rows(data), out, short, CHARTS)


CHARTS = (
    Chart(
        both("Claims"),
        zh("Green power claimed with GECs by month"),
        zh("Period (month)"),
        ("MWh",),
        "bar",
        "MWh",
        fold="sum",
    ),
)
"""The statement's PDF chart: the MWh cancelled each month, from the claims table."""
