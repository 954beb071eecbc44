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
import datetime as dt
import hashlib
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from nengtan.footprint.system import ModelError

COLUMNS = ("id", "name", "unit", "flow", "amount", "flow_unit", "source", "clause", "edition", "valid_from",
           "valid_to", "status", "note", "evidence")
STATUSES = ("confirmed", "to-verify", "withdrawn")
"""A dataset's status: checked against its source; found but not yet checked; no longer to be used."""
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
    primary_share: float = 0.0  # a supplier's footprint: the share of it resting on primary data (PACT 4.2.2)


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
        if ds.status == "withdrawn":
            raise ModelError(f"background dataset {ref!r} is withdrawn ({'; '.join(ds.sources)}): use its successor")
        return ds

    def electricity(self, provider: str) -> Dataset:
        """The electricity dataset an ``electricity`` exchange names (a dataset id, or national/pv/wind)."""
        ref = provider.strip()
        ref = GRID_ALIASES.get(ref.lower(), GRID_ALIASES.get(ref, ref))
        if ref not in self.datasets:
            raise ModelError(f"no life-cycle electricity factor for {provider!r} in {self.version}: use "
                             f"{', '.join(sorted(k for k in self.datasets if k.startswith('electricity:')))} "
                             "or add the province's dataset with its evidence")
        return self.get(ref)


def _rows(text: str, origin: str, own: bool = False) -> list[dict[str, str]]:
    """A background file's rows; a park's or a certification body's own file must name the evidence of
    every dataset (a report, a measurement, a supplier's declaration: where it can be checked)."""
    reader = csv.DictReader(io.StringIO(text))
    have = reader.fieldnames or []
    needed = ("id", "name", "unit", "flow", "amount", "source", "status") + (() if own else ("evidence",))
    missing = [c for c in needed if c not in have]
    if missing:
        raise ModelError(f"{origin}: a background file needs the columns {', '.join(COLUMNS)}; missing "
                         f"{', '.join(missing)}")
    rows = [{**{c: "" for c in COLUMNS}, **{k: (v or "").strip() for k, v in r.items() if k}, "origin": origin}
            for r in reader]
    for n, r in enumerate(rows, start=2):
        if r["status"] not in STATUSES:
            raise ModelError(f"{origin}:{n}: status {r['status']!r} is not one of {', '.join(STATUSES)}")
        if not own and not r["evidence"]:
            raise ModelError(f"{origin}:{n}: dataset {r['id']} names no evidence (the report or measurement it "
                             "rests on)")
        for col in ("valid_from", "valid_to"):
            if r[col]:
                try:
                    dt.date.fromisoformat(r[col])
                except ValueError:
                    raise ModelError(f"{origin}:{n}: {col} {r[col]!r} is not a date (YYYY-MM-DD)") from None
    return rows


def load_background(extra: Iterable[str | Path] = ()) -> Background:
    """The package's datasets plus those of `extra` files (a later file's dataset replaces one of the same id)."""
    rows = _rows(resources.files("nengtan.footprint").joinpath("data/background.csv").read_text("utf-8"), "nengtan",
                 own=True)
    for p in extra:
        try:
            text = Path(p).read_text("utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise ModelError(f"{p}: cannot read the background file ({exc})") from None
        rows += _rows(text, Path(p).name)
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
