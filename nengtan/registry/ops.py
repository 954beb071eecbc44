"""Small write operations on the registry shared by importers and the demo."""

from __future__ import annotations

import csv
import uuid
from importlib import resources

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from nengtan.registry.tables.park import Park, Sector
from nengtan.registry.tables.records import ImportBatch


def seed_sectors(s: Session) -> int:
    """Insert the GB/T 4754-2017 codes shipped with nengtan that are not there yet; returns how many."""
    have = set(s.execute(select(Sector.code)).scalars())
    text = resources.files("nengtan.registry").joinpath("data", "sectors.csv").read_text(encoding="utf-8")
    added = 0
    for row in csv.DictReader(text.splitlines()):
        if row["code"] not in have:
            s.add(Sector(code=row["code"], name_zh=row["name_zh"], name_en=row["name_en"]))
            added += 1
    s.flush()
    return added


def sector_codes(s: Session) -> set[str]:
    return set(s.execute(select(Sector.code)).scalars())


def ensure_park(s: Session, code: str = "default", name: str | None = None, province: str = "jiangsu") -> Park:
    park = s.execute(select(Park).where(Park.code == code)).scalar_one_or_none()
    if park is None:
        if name is None:  # (no name given: the park, in words)
            from nengtan.i18n import pair

            name = pair("note.place:park")[1]
        park = Park(code=code, name=name, province=province)
        s.add(park)
        s.flush()
    return park


def new_batch(s: Session, kind: str, filename: str, sha256: str, created_by: str = "cli") -> ImportBatch:
    """A new import batch with the next sequence number (the registry's data version).

    Two writers (an import and the live ingester) may read the same maximum at once; the unique
    sequence number makes the second one fail, and it takes the next number inside a savepoint.
    """
    for _attempt in range(50):
        seq = (s.execute(select(func.max(ImportBatch.seq))).scalar() or 0) + 1
        batch = ImportBatch(id=uuid.uuid4().hex, seq=seq, kind=kind, filename=filename[:500], sha256=sha256,
                            created_by=created_by)
        try:
            with s.begin_nested():
                s.add(batch)
                s.flush()
        except IntegrityError:
            continue
        return batch
    raise RuntimeError(f"could not allocate an import batch for {filename}")
