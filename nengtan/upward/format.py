"""The upward formats (docs/upward.md), pure.

``nengtan-upward/1``, kind ``energy`` — the enterprise-side data items of the national key-energy-using-unit online
monitoring system (重点用能单位能耗在线监测系统, technical specification 2017, as ../shared/reference/factors.md 5
reads it; the item list is nengtan's reading): 15-minute real-time values of each main meter, daily and monthly
totals per energy (physical unit and tce), the total comprehensive energy consumption, output and unit consumption
of products with an energy-consumption limit standard (not held by nengtan: stated empty), gross output and value
added. Kind ``deposit`` — the carbon market's monthly deposit (月度存证) of a key emitter: each carrier's monthly
quantity, the factor applied and the CO₂ it gives, as the platform accounts them.

Every payload names the enterprise, the month, the data version and factor set that made it; its idempotency key
is ``<kind>/<uscc>/<YYYY-MM>/v<version>`` (a new version when the content changes, e.g. after a correction).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

FORMAT = "nengtan-upward/1"
KINDS = ("energy", "deposit")
SPEC = {"energy": "重点用能单位能耗在线监测系统 企业端数据项 (2017 technical specification; nengtan's reading)",
        "deposit": "全国碳市场 重点排放单位 月度存证 (the platform's monthly accounts of the key emitter)"}
REQUIRED = {"energy": ("realtime", "daily", "monthly", "total_energy_tce", "products", "economic"),
            "deposit": ("monthly", "co2_t")}


def envelope(kind: str, uscc: str, name: str, period: str, body: dict[str, Any], data_version: str,
             factor_set: str) -> dict[str, Any]:
    """A payload: the format, kind, the specification it follows, the enterprise, the month and what made it."""
    if kind not in KINDS:
        raise ValueError(f"kind {kind!r}: {' or '.join(KINDS)}")
    missing = [k for k in REQUIRED[kind] if k not in body]
    if missing:
        raise ValueError(f"a {kind} payload states {', '.join(missing)}")
    return {"format": FORMAT, "kind": kind, "spec": SPEC[kind], "enterprise": {"uscc": uscc, "name": name},
            "period": period, "data_version": data_version, "factor_set": factor_set, **body}


def digest(payload: dict[str, Any]) -> str:
    """The content's SHA-256 (canonical JSON), the same for the same content."""
    return hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()


def key(kind: str, uscc: str, period: str, version: int) -> str:
    return f"{kind}/{uscc}/{period}/v{version}"
