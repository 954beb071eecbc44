"""The background database: versioned datasets a product model links to (package data
``data/background.csv``, plus any file a park or a certification body adds with its evidence).

Each dataset produces one unit of its product and emits per unit the flows listed for it (one row
per flow; ``CO2e_aggregated`` for a dataset published already characterised, such as the life-cycle
electricity carbon-footprint factors of 2023). Every row carries its source, clause, edition,
validity and status, as the factor library does. The database's version is a digest of all rows, so
a footprint names exactly the data that made it.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from nengtan.footprint.system import ModelError

COLUMNS = ("id", "name", "unit", "flow", "amount", "flow_unit", "source", "clause", "edition", "valid_from",
           "valid_to", "status", "note")
FLOW_UNITS = {"kg": 1.0, "g": 1e-3, "t": 1e3}
GRID_ALIASES = {"cn": "electricity:CN", "national": "electricity:CN", "全国": "electricity:CN",
                "pv": "electricity:pv:CN", "光伏": "electricity:pv:CN", "wind": "electricity:wind:CN",
                "风电": "electricity:wind:CN"}


@dataclass(frozen=True)
class Dataset:
    id: str
    name: str
    unit: str
    flows: dict[str, float]  # kg per unit of product
    sources: tuple[str, ...]
    status: str
    origin: str  # the file it came from: "nengtan" for the package's own


@dataclass(frozen=True)
class Background:
    datasets: dict[str, Dataset]
    version: str
    rows: tuple[dict[str, str], ...] = field(repr=False, default=())

    def get(self, ref: str) -> Dataset:
        ds = self.datasets.get(ref)
        if ds is None:
            raise ModelError(f"background dataset {ref!r} is not in the database {self.version} "
                             f"(it has: {', '.join(sorted(self.datasets)[:12])})")
        return ds

    def electricity(self, provider: str) -> Dataset:
        """The electricity dataset an ``electricity`` exchange names (a dataset id, or national/pv/wind)."""
        ref = provider.strip()
        ref = GRID_ALIASES.get(ref.lower(), GRID_ALIASES.get(ref, ref))
        if ref not in self.datasets:
            raise ModelError(f"no life-cycle electricity factor for {provider!r} in {self.version}: use "
                             f"{', '.join(sorted(k for k in self.datasets if k.startswith('electricity:')))} "
                             "or add the province's dataset with its evidence")
        return self.datasets[ref]


def _rows(text: str, origin: str) -> list[dict[str, str]]:
    reader = csv.DictReader(io.StringIO(text))
    have = reader.fieldnames or []
    missing = [c for c in ("id", "name", "unit", "flow", "amount", "source", "status") if c not in have]
    if missing:
        raise ModelError(f"{origin}: a background file needs the columns {', '.join(COLUMNS)}; missing "
                         f"{', '.join(missing)}")
    return [{**{c: "" for c in COLUMNS}, **{k: (v or "").strip() for k, v in r.items() if k}, "origin": origin}
            for r in reader]


def load_background(extra: Iterable[str | Path] = ()) -> Background:
    """The package's datasets plus those of `extra` files (a later file's dataset replaces one of the same id)."""
    rows = _rows(resources.files("nengtan.footprint").joinpath("data/background.csv").read_text("utf-8"), "nengtan")
    for p in extra:
        rows += _rows(Path(p).read_text("utf-8-sig"), Path(p).name)
    by_id: dict[str, list[dict[str, str]]] = {}
    for r in rows:
        by_id.setdefault(r["id"], [])
        if by_id[r["id"]] and by_id[r["id"]][0]["origin"] != r["origin"]:
            by_id[r["id"]] = []  # replaced by a later file
        by_id[r["id"]].append(r)
    datasets = {}
    for ref, rs in by_id.items():
        flows: dict[str, float] = {}
        for r in rs:
            unit = r.get("flow_unit") or "kg"
            if unit not in FLOW_UNITS:
                raise ModelError(f"background {ref}: flow unit {unit!r} is not kg, g or t")
            try:
                flows[r["flow"]] = flows.get(r["flow"], 0.0) + float(r["amount"]) * FLOW_UNITS[unit]
            except ValueError:
                raise ModelError(f"background {ref}: amount {r['amount']!r} is not a number") from None
        datasets[ref] = Dataset(ref, rs[0]["name"], rs[0]["unit"], flows,
                                tuple(sorted({r["source"] for r in rs})), rs[0]["status"], rs[0]["origin"])
    digest = hashlib.sha256("\n".join("|".join(r[c] for c in COLUMNS) for r in rows).encode()).hexdigest()[:8]
    return Background(datasets, f"nengtan-bg@{digest}", tuple(rows))
