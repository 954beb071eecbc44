"""An enterprise's green-power statement (issue 11): its market-based Scope 2 and green-power figures (the
inventory's), its contracts and claims with the GECs each cancelled, the power traced to green sources, and the
inclusion proof of every claim and attribution under one signed ledger head. nengtan.reports.greenpower_statement
lays it out as XLSX or PDF.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from nengtan.engine.stores import Stores


def statement(stores: Stores, home: Path, actor: Any, uscc: str, year: int) -> dict[str, Any]:
    """The enterprise's green-power statement of `year`: its market-based Scope 2 and green-power figures (the
    inventory's), its contracts, claims and the GECs each cancelled, the power traced to green sources, and the
    inclusion proof of every claim and attribution in one signed ledger head."""
    import json

    from sqlalchemy import select

    from nengtan.engine import accounts, greenassets, greenledger
    from nengtan.engine.ratings import green_power_shares
    from nengtan.registry.tables.park import Enterprise

    code = uscc.strip().upper()
    reg = stores.registry
    claims = greenassets.claims(reg, actor, code, year)  # refuses another enterprise's user
    contracts = greenassets.contracts(reg, actor, code, year)
    inv = accounts.inventory(stores, year, scope=f"enterprise:{code}")
    claim_seqs = {c["ledger_seq"] for c in claims}
    with reg.session() as s:
        name = s.execute(select(Enterprise.name).where(Enterprise.uscc == code)).scalar()
        own = greenledger.entries(s, subject=code, kinds=("attribution", "claim"))
        attributions = [e for e in own if e.kind == "attribution"
                        and str(e.body.get("month", "")).startswith(f"{year:04d}-")]
        proven = [e for e in own if e.seq in claim_seqs] + attributions
        log, head = greenledger.signed_tree(s, greenledger.signing_key(home))
    green_kwh = float(inv.by_carrier.get("green_electricity", {}).get("quantity", 0.0) or 0.0)
    share = green_power_shares(stores, year).get(code, 0.0)
    return {
        "enterprise": {"uscc": code, "name": name or code}, "year": year,
        "figures": {"scope2_location_t": inv.scope2_location_t, "scope2_market_t": inv.scope2_market_t,
                    "electricity_kwh": inv.electricity_kwh,
                    "green_claimed_kwh": sum(c["mwh"] for c in claims) * 1000.0,
                    "green_counted_kwh": green_kwh, "green_unverified_kwh": inv.green_unverified_kwh,
                    "green_excess_kwh": inv.green_excess_kwh,
                    "green_power_share": share,
                    "factor_set": inv.factor_set, "data_version": inv.data_version},
        "contracts": contracts, "claims": claims,
        "attributions": [{**e.body, "ledger_seq": e.seq} for e in attributions],
        "proofs": [{"entry": e.as_dict(), "leaf_index": e.seq,
                    "audit_path": [p.hex() for p in log.inclusion_proof(e.seq)]} for e in proven],
        "head": json.loads(head.to_json()),
    }
