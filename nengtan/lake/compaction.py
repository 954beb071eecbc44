"""Background compaction: many small files of a partition become one, with no reading ever invisible
or visible twice.

Live ingestion commits a file per partition every half second; queries slow down as files pile up.
:class:`Compactor` picks partitions with at least ``min_files`` small files, reads them, writes one
file sorted by (meter_id, ts) and swaps it in with :meth:`nengtan.lake.store.Lake.replace_files`: one
commit record removes the old files and adds the new one, so a reader sees either the old files or the
new file, never both and never neither. Old files stay on disk (readers holding an older file list can
still read them) until ``Lake.vacuum`` removes them.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.parquet as pq

from nengtan.lake.store import Lake, LakeError

log = logging.getLogger("nengtan.lake.compaction")
Partition = tuple[str, int, int]


@dataclass(frozen=True)
class Compaction:
    partition: Partition
    removed: tuple[str, ...]
    added: str
    rows: int
    version: int


class Compactor:
    """Merges small files per partition; `on_replace(partition, removed, added)` is told of each swap."""

    def __init__(self, lake: Lake, small_rows: int = 2_000_000, min_files: int = 8, max_rows: int = 20_000_000,
                 on_replace: Callable[[Partition, tuple[str, ...], str], None] | None = None) -> None:
        self.lake = lake
        self.small_rows = small_rows
        self.min_files = min_files
        self.max_rows = max_rows
        self.on_replace = on_replace

    def candidates(self) -> dict[Partition, list[str]]:
        out: dict[Partition, list[tuple[int, str]]] = {}
        for rel, info in self.lake.file_info().items():
            rows = int(str(info["rows"]))
            if rows < self.small_rows:
                key = (str(info["carrier"]), int(str(info["year"])), int(str(info["month"])))
                out.setdefault(key, []).append((rows, rel))
        result: dict[Partition, list[str]] = {}
        for key, files in out.items():
            if len(files) < self.min_files:
                continue
            chosen: list[str] = []
            total = 0
            for rows, rel in sorted(files, key=lambda f: f[1]):
                if chosen and total + rows > self.max_rows:
                    break
                chosen.append(rel)
                total += rows
            if len(chosen) >= 2:
                result[key] = chosen
        return result

    def compact_partition(self, part: Partition, files: list[str]) -> Compaction:
        table = pa.concat_tables([pq.read_table(self.lake.dir / rel) for rel in files])
        table = table.sort_by([("meter_id", "ascending"), ("ts", "ascending")])
        before = set(self.lake.file_info())
        version = self.lake.replace_files(files, table, part[0], part[1], part[2],
                                          reason=f"compact {len(files)} files")
        added = [p for p in self.lake.file_info() if p not in before and "/compact-" in p
                 and p.startswith(f"carrier={part[0]}/year={part[1]}/month={part[2]}/")]
        comp = Compaction(part, tuple(files), added[0] if added else "", table.num_rows, version)
        if self.on_replace is not None and comp.added:
            self.on_replace(part, comp.removed, comp.added)
        log.info("compacted %d files (%d rows) of %s into %s (lake version %d)", len(files), table.num_rows,
                 part, comp.added, version)
        return comp

    def run_once(self) -> list[Compaction]:
        done = []
        for part, files in self.candidates().items():
            try:
                done.append(self.compact_partition(part, files))
            except LakeError as exc:  # a file went away meanwhile (another compactor): try next round
                log.info("skipped compaction of %s: %s", part, exc)
        return done

    def run_forever(self, stop: threading.Event, every_s: float) -> None:
        while not stop.wait(every_s):
            try:
                self.run_once()
            except Exception:
                log.exception("compaction failed; readings are unaffected, retrying later")
