"""Small hand-made ledgers and economics frames for the targets tests."""

from __future__ import annotations

import pandas as pd

# factors used by the hand-made ledgers (stated here so the expected numbers can be checked by hand)
TCE = {"electricity": 1.229e-4, "natural_gas": 1.2143e-3, "diesel": 1.4571, "pv": 1.229e-4, "green_electricity": 0.0}
EQUIV = {"electricity": 3.0e-4, "pv": 3.0e-4, "natural_gas": 1.2143e-3, "diesel": 1.4571, "green_electricity": 0.0}
S1 = {"natural_gas": 2.165e-3, "diesel": 3.096}
GRID = 5.827e-4  # tCO2/kWh


def row(uscc: str, sector: str, period: str, carrier: str, qty: float, grid: float = GRID) -> dict:
    """One ledger row with energy and CO2 from the factors above."""
    return {
        "uscc": uscc,
        "enterprise": f"E{uscc}",
        "sector_code": sector,
        "period": period,
        "carrier": carrier,
        "quantity": qty,
        "unit": "kWh",
        "source": "statement",
        "estimated_quantity": 0.0,
        "energy_tce": qty * TCE[carrier],
        "energy_equiv_tce": qty * EQUIV[carrier],
        "scope1_t": qty * S1.get(carrier, 0.0),
        "scope2_location_t": qty * grid if carrier == "electricity" else 0.0,
        "scope2_market_t": qty * grid if carrier == "electricity" else 0.0,
    }


def ledger(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(rows)


def econ(uscc: str, period: str, va: float, go: float | None = None) -> dict:
    return {
        "uscc": uscc,
        "period": period,
        "value_added": va,
        "gross_output": go if go is not None else 4 * va,
        "value_added_constant": va,
    }
