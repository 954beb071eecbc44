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

FIGURES = (
    ("scope2_location_t", "范围二（基于位置）Scope 2 location-based [tCO2]"),
    ("scope2_market_t", "范围二（基于市场）Scope 2 market-based [tCO2]"),
    ("electricity_kwh", "用电量 Electricity [kWh]"),
    ("green_claimed_kwh", "绿证核销电量 Green power claimed with GECs [kWh]"),
    ("green_counted_kwh", "计入的绿电 Green power counted [kWh]"),
    ("green_unverified_kwh", "未经核证的绿电声明 Unverified green power stated [kWh]"),
    ("green_power_share", "绿电消费比例 Green-power share"),
)


def rows(data: dict[str, Any]) -> dict[str, list[list[Any]]]:
    """The statement's tables, sheet by sheet (the XLSX and the PDF lay out the same rows)."""
    f = data["figures"]
    summary: list[list[Any]] = [["企业 Enterprise", f"{data['enterprise']['name']} ({data['enterprise']['uscc']})"],
                                ["年度 Year", data["year"]]]
    summary += [[label, f[key]] for key, label in FIGURES]
    summary += [["因子集 Factor set", f["factor_set"]], ["数据版本 Data version", f["data_version"]],
                ["账本 Ledger", data["head"]["log"]], ["账本规模 Ledger size", data["head"]["size"]],
                ["账本根 Merkle root", data["head"]["root"]], ["签名公钥 Public key", data["head"]["public_key"]],
                ["签名时间 Signed at", park_time_text(data["head"]["timestamp"])]]
    claims = [["核销 Claim", "月份 Period", "MWh", "绿证起 First GEC", "绿证止 Last GEC", "来源 Origin",
               "账本序号 Ledger entry"]]
    for c in data["claims"]:
        for g in c["gecs"]:
            claims.append([c["claim"], c["period"], g["mwh"], g["first_code"], g["last_code"], g["origin"],
                           c["ledger_seq"]])
    contracts = [["合同 Contract", "类型 Kind", "售电方 Seller", "月份 Month", "MWh", "价格 Price [元/MWh]"]]
    contracts += [[c["number"], c["kind"], c["seller"], c["month"], c["mwh"], c["price"]] for c in data["contracts"]]
    traced = [["月份 Month", "节点 Bus", "绿电来源 Source", "溯源电量 Traced [kWh]", "账本序号 Ledger entry"]]
    traced += [[a["month"], a["bus"], a["source"], a["kwh"], a["ledger_seq"]] for a in data["attributions"]]
    proofs = [["账本序号 Ledger entry", "类型 Kind", "条目 Entry (JSON)", "审计路径 Audit path"]]
    proofs += [[p["leaf_index"], p["entry"]["kind"], json.dumps(p["entry"], ensure_ascii=False, sort_keys=True),
                " ".join(p["audit_path"])] for p in data["proofs"]]
    return {"汇总 Summary": summary, "绿证核销 Claims": claims, "绿电合同 Contracts": contracts,
            "潮流溯源 Traced": traced, "存在性证明 Proofs": proofs}


def write_statement(data: dict[str, Any], out: Path) -> Path:
    from nengtan.reports.tables import write_tables

    def short(title: str, table: list[list[Any]]) -> list[list[Any]]:
        if not title.startswith("存在性证明"):
            return table
        return [[*r[:2], r[2][:90] + ("…" if len(r[2]) > 90 else ""), f"{len(r[3].split())} hashes"] for r in table]

    return write_tables(f"绿色电力消费证明 Green-power statement — {data['enterprise']['name']} {data['year']}",
                        rows(data), out, short, CHARTS)


CHARTS = (Chart("绿证核销 Claims", "逐月核销绿证电量", "月份 Period", ("MWh",), "bar", "MWh", fold="sum"),)
"""The statement's PDF chart: the MWh cancelled each month, from the claims table."""
