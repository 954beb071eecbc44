"""Append-only Parquet store for meter readings.

Layout (Hive partitions, readable by DuckDB, Spark and PyArrow alike)::

    <root>/readings/carrier=<c>/year=<y>/month=<m>/<batch>-<n>.parquet
    <root>/readings/_log/<version:020d>.json     one commit record per batch

Partitions are Asia/Shanghai calendar months, the periods reports use. A data file becomes visible
only when the commit record naming it is in ``_log``; each file and each record is written to a
temporary name, fsynced and renamed, so a writer killed at any point leaves no torn file, and a
batch is either wholly visible or not at all. A batch is acknowledged (write_batch returns) only
after its record is durable. Files no record names are crash leftovers and ``vacuum`` removes them.
The log version is the lake's data version, which results quote.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import time
import uuid
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from nengtan.calendar import PARK_OFFSET_US
from nengtan.errors import StateError

READING_SCHEMA = pa.schema(
    [
        ("meter_id", pa.string()),
        ("ts", pa.timestamp("us", tz="UTC")),
        ("value", pa.float64()),
        ("unit", pa.string()),
        ("quality", pa.string()),
        ("batch", pa.string()),
    ]
)
"""Columns of every data file (partition columns carrier/year/month come from the path)."""

SHANGHAI_OFFSET_US = PARK_OFFSET_US
CHECKPOINT_EVERY = 500


class LakeError(StateError, RuntimeError):
    """The lake cannot do what was asked (bad batch, unreadable log)."""


@dataclass(frozen=True)
class CommitResult:
    batch_id: str
    rows: int
    version: int
    duplicate: bool
    files: tuple[str, ...] = ()


@dataclass
class _State:
    version: int = 0
    files: dict[str, dict[str, object]] = field(default_factory=dict)  # path -> {rows, carrier, year, month}
    batches: set[str] = field(default_factory=set)
    superseded: dict[str, dict[str, object]] = field(default_factory=dict)  # path -> {batch, meta} of the correction


@contextmanager
def file_lock(path: Path) -> Iterator[None]:
    """An exclusive inter-process lock (flock) on `path`, created with its folder if missing."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+") as fh:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _atomic_write_bytes(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.tmp-{uuid.uuid4().hex}")
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    _fsync_dir(path.parent)


def _estimated_rows(table: pa.Table) -> int:
    """How many rows are gap estimates; recorded per file so readers can skip the estimate logic."""
    if "quality" not in table.column_names:
        return 0
    return int(pc.sum(pc.equal(table.column("quality"), "estimated")).as_py() or 0)


def _footer_may_be_negative(path: str) -> int:
    """1 unless every row group's statistics show a non-negative minimum of `value`."""
    meta = pq.read_metadata(path)
    col = meta.schema.to_arrow_schema().get_field_index("value")
    for i in range(meta.num_row_groups):
        stats = meta.row_group(i).column(col).statistics
        if stats is None or not stats.has_min_max or stats.min < 0:
            return 1
    return 0


def _negative_rows(table: pa.Table) -> int:
    """How many values are negative (suspect interval readings); readers exclude them where present."""
    return int(pc.sum(pc.less(table.column("value"), 0.0)).as_py() or 0)


def batch_digest(table: pa.Table) -> str:
    """Content hash of a batch: writing the same rows again is recognised as the same batch."""
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as w:
        w.write_table(table)
    return hashlib.sha256(sink.getvalue().to_pybytes()).hexdigest()[:32]


def local_year_month(ts: pa.ChunkedArray | pa.Array) -> tuple[pa.Array, pa.Array]:
    """Asia/Shanghai calendar year and month of UTC timestamps."""
    shifted = pc.add(pc.cast(ts, pa.int64()), SHANGHAI_OFFSET_US)
    local = pc.cast(shifted, pa.timestamp("us"))
    return pc.year(local), pc.month(local)


class Lake:
    """The readings lake rooted at ``root`` (a directory; created on first write)."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)
        self.dir = self.root / "readings"
        self.log = self.dir / "_log"
        self._state = _State()
        self._footer_negative: dict[str, int] = {}

    # -- log ----------------------------------------------------------------------------------
    def _log_versions(self, after: int) -> list[int]:
        if not self.log.exists():
            return []
        out = []
        for name in os.listdir(self.log):
            if name.endswith(".json") and name[:-5].isdigit():
                v = int(name[:-5])
                if v > after:
                    out.append(v)
        return sorted(out)

    def _apply(self, rec: dict[str, object]) -> None:
        st = self._state
        adds: list[dict[str, object]] = rec.get("add", [])  # type: ignore[assignment]
        removes: list[str] = rec.get("remove", [])  # type: ignore[assignment]
        for f in adds:
            st.files[str(f["path"])] = dict(f)
        for p in removes:
            st.files.pop(str(p), None)
        if rec.get("batch"):
            st.batches.add(str(rec["batch"]))
        if rec.get("superseded"):
            st.superseded[str(rec["superseded"])] = {"batch": str(rec["batch"]), "meta": rec.get("meta", {})}
        st.version = int(str(rec["version"]))

    def refresh(self) -> int:
        """Read commit records newer than the cached state; returns the data version."""
        st = self._state
        ckpt = self.log / "_checkpoint.json"
        if st.version == 0 and ckpt.exists():
            data = json.loads(ckpt.read_text())
            st.version = int(data["version"])
            st.files = {str(k): dict(v) for k, v in data["files"].items()}
            st.batches = set(data["batches"])
            st.superseded = dict(data.get("superseded", {}))
        for v in self._log_versions(st.version):
            rec = json.loads((self.log / f"{v:020d}.json").read_text())
            self._apply(rec)
        return st.version

    @property
    def version(self) -> int:
        return self.refresh()

    def _lock(self) -> AbstractContextManager[None]:
        return file_lock(self.log / ".lock")

    def _commit(self, record: dict[str, object]) -> int:
        """Append one commit record (caller holds the lock); returns its version."""
        version = self.refresh() + 1
        record = {**record, "version": version, "committed_at": time.time()}
        _atomic_write_bytes(self.log / f"{version:020d}.json", json.dumps(record).encode())
        self._apply(record)
        if version % CHECKPOINT_EVERY == 0:
            self._checkpoint()
        return version

    def _checkpoint(self) -> None:
        st = self._state
        data = {"version": st.version, "files": st.files, "batches": sorted(st.batches),
                "superseded": st.superseded}
        _atomic_write_bytes(self.log / "_checkpoint.json", json.dumps(data).encode())

    # -- writing ------------------------------------------------------------------------------
    def has_batch(self, batch_id: str) -> bool:
        self.refresh()
        return batch_id in self._state.batches

    def write_batch(self, table: pa.Table, carrier: str | pa.Array, batch_id: str | None = None,
                    meta: dict[str, object] | None = None, kinds: pa.Array | None = None) -> CommitResult:
        """Append a batch of readings atomically; a batch id already committed is a no-op.

        `table` has at least meter_id, ts, value, unit (quality defaults to ``ok``); `carrier` is one
        carrier for the whole batch or an array with one per row. `kinds`, optional, gives each row's
        meter kind (``interval`` | ``counter``): rows of different kinds then go to different files of
        the partition, and each file's record names its kind, so the accounting scan reads counter
        registers only where counters are. Returns after the commit is durable.
        """
        return self.revise(table, carrier, batch_id, meta, kinds)

    def revise(self, table: pa.Table, carrier: str | pa.Array, batch_id: str | None = None,
               meta: dict[str, object] | None = None, kinds: pa.Array | None = None,
               remove: Iterable[str] = (), rewritten: Iterable[tuple[pa.Table, dict[str, object]]] = (),
               superseded: pa.Table | None = None) -> CommitResult:
        """Commit new readings and, in the same commit, swap committed files for rewritten ones.

        This is how a correction replaces stored readings: each file in `remove` holding a corrected
        (meter, interval) is replaced by its rewrite without those rows (`rewritten`: table and file
        record, its ``path`` the old file's), the corrections arrive in `table`, and the rows they
        supersede (`superseded`, with their carrier) are kept on record under ``_log/superseded/`` and
        named by the commit record, so the lake holds one current value per key and the old one stays
        readable (:meth:`superseded_rows`). Without `remove` it is a plain append (:meth:`write_batch`).
        """
        table = self._conform(table)
        carriers = (pa.array([carrier] * table.num_rows, pa.string()) if isinstance(carrier, str)
                    else pa.array(carrier, pa.string()))
        if len(carriers) != table.num_rows:
            raise LakeError("carrier array length differs from the batch")
        bid = batch_id or batch_digest(table.append_column("carrier", carriers))
        if self.has_batch(bid):
            return CommitResult(bid, table.num_rows, self._state.version, True)
        remove = list(remove)
        written = self.stage(table, carriers, kinds, bid)
        try:
            for n, (rows, record) in enumerate(rewritten):
                old = str(record["path"])
                rel = f"{old.rsplit('/', 1)[0]}/{bid}-r{n}.parquet"
                written.append(self._stage_file(self._conform(rows), rel, {**record, "path": rel}))
            extra: dict[str, object] = {}
            if superseded is not None and superseded.num_rows:
                rel = f"_log/superseded/{bid}.parquet"
                written.append(self._stage_file(superseded, rel, {}))
                extra["superseded"] = rel
            version = self.publish(written, bid, meta, remove, extra)
        finally:
            for tmp, _, _ in written:
                tmp.unlink(missing_ok=True)
        if version is None:  # another writer committed it meanwhile
            return CommitResult(bid, table.num_rows, self._state.version, True)
        return CommitResult(bid, table.num_rows, version, False,
                            tuple(str(w[2]["path"]) for w in written if w[2]))

    def publish(self, written: list[tuple[Path, Path, dict[str, object]]], bid: str,
                meta: dict[str, object] | None = None, remove: Iterable[str] = (),
                extra: dict[str, object] | None = None) -> int | None:
        """Make staged files (:meth:`stage`) visible as batch `bid` with one commit record; the new lake
        version, or None when `bid` is already committed (the staged files are then left to the caller)."""
        remove = list(remove)
        with self._lock():
            if self.has_batch(bid):
                return None
            gone = [p for p in remove if p not in self._state.files]
            if gone:
                raise LakeError(f"cannot revise: {gone[0]} is no longer committed (compacted meanwhile?)")
            for tmp, final, _ in written:
                final.parent.mkdir(parents=True, exist_ok=True)
                os.replace(tmp, final)
            for d in {final.parent for _, final, _ in written}:
                _fsync_dir(d)
            adds = [w[2] for w in written if w[2]]
            return self._commit({"batch": bid, "add": adds, "remove": remove, "meta": meta or {}, **(extra or {})})

    def stage(self, table: pa.Table, carriers: pa.Array, kinds: pa.Array | None, bid: str,
              tag: str = "") -> list[tuple[Path, Path, dict[str, object]]]:
        """Write the batch's rows to temporary files, one per partition and meter kind (not yet visible;
        :meth:`publish` commits them). `tag` tells apart the files of one batch staged in several parts."""
        if table.num_rows == 0:
            return []
        table = table.set_column(table.schema.get_field_index("batch"), "batch",
                                 pa.array([bid] * table.num_rows, pa.string()))
        year, month = local_year_month(table.column("ts"))
        kind_col = pa.array([""] * table.num_rows, pa.string()) if kinds is None else pa.array(kinds, pa.string())
        if len(kind_col) != table.num_rows:
            raise LakeError("kinds array length differs from the batch")
        keyed = (table.append_column("_carrier", carriers).append_column("_y", year).append_column("_m", month)
                 .append_column("_k", kind_col))
        groups = keyed.group_by(["_carrier", "_y", "_m", "_k"]).aggregate([]).to_pylist()
        written: list[tuple[Path, Path, dict[str, object]]] = []
        try:
            for n, g in enumerate(groups):
                mask = pc.and_(pc.and_(pc.equal(keyed["_carrier"], g["_carrier"]), pc.equal(keyed["_y"], g["_y"])),
                               pc.and_(pc.equal(keyed["_m"], g["_m"]), pc.equal(keyed["_k"], g["_k"])))
                part = keyed.filter(mask).select(READING_SCHEMA.names)
                part = part.sort_by([("meter_id", "ascending"), ("ts", "ascending")])
                rel = f"carrier={g['_carrier']}/year={g['_y']}/month={g['_m']}/{bid}-{tag}{n}.parquet"
                written.append(self._stage_file(part, rel, {"path": rel, "rows": part.num_rows,
                                                            "carrier": g["_carrier"], "year": g["_y"],
                                                            "month": g["_m"], "kind": g["_k"] or None}))
        except BaseException:
            for tmp, _, _ in written:
                tmp.unlink(missing_ok=True)
            raise
        return written

    def _stage_file(self, rows: pa.Table, rel: str, record: dict[str, object]) -> tuple[Path, Path, dict[str, object]]:
        """Write `rows` to a fsynced temporary file beside its final name `rel`; the record gains its counts."""
        final = self.dir / rel
        final.parent.mkdir(parents=True, exist_ok=True)
        tmp = final.with_name(f".{final.name}.tmp-{uuid.uuid4().hex}")
        pq.write_table(rows, tmp, compression="zstd", row_group_size=1 << 20)
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        if record:
            record = {**record, "rows": rows.num_rows, "estimated": _estimated_rows(rows),
                      "negative": _negative_rows(rows)}
        return tmp, final, record

    def correction_meta(self, batch_id: str) -> dict[str, object]:
        """The commit metadata of a correcting batch (its reason under ``correction``), {} if none."""
        self.refresh()
        for rec in self._state.superseded.values():
            if rec["batch"] == batch_id:
                return dict(rec["meta"])  # type: ignore[call-overload]
        return {}

    def superseded_rows(self) -> pa.Table | None:
        """Every reading a correction replaced, with the batch that replaced it (None: there are none)."""
        self.refresh()
        tables = []
        for rel, rec in self._state.superseded.items():
            t = pq.read_table(self.dir / rel)
            tables.append(t.append_column("superseded_by", pa.array([str(rec["batch"])] * t.num_rows, pa.string())))
        return pa.concat_tables(tables) if tables else None

    def commit_files(self, staged: Iterable[tuple[str | Path, str, int, int, dict[str, object]]], batch_id: str,
                     meta: dict[str, object] | None = None) -> CommitResult:
        """Commit Parquet files a caller already wrote (e.g. DuckDB ``COPY ... TO``) as one batch.

        `staged` holds ``(path, carrier, year, month, extra)`` per file, `extra` the file's ``kind``,
        ``estimated`` and ``negative`` counts as :meth:`write_batch` records them (missing: unknown, which readers
        treat conservatively); each file must have the columns of READING_SCHEMA (checked) and lie under
        ``self.dir`` (same file system, so renaming is atomic).
        Files are fsynced, renamed to ``<partition>/<batch_id>-<n>.parquet`` under the lock and made
        visible by one commit record, like :meth:`write_batch`. A batch id already committed is a no-op
        (the staged files are deleted)."""
        items = [(Path(p), str(c), int(y), int(m), dict(x)) for p, c, y, m, x in staged]
        adds: list[tuple[Path, Path, dict[str, object]]] = []
        rows = 0
        for n, (path, carrier, year, month, extra) in enumerate(items):
            md = pq.read_metadata(path)
            schema = md.schema.to_arrow_schema()
            for f in READING_SCHEMA:
                if f.name not in schema.names or not schema.field(f.name).type.equals(f.type):
                    raise LakeError(f"{path.name}: column {f.name!r} missing or not {f.type}")
            with open(path, "rb") as fh:
                os.fsync(fh.fileno())
            rel = f"carrier={carrier}/year={year}/month={month}/{batch_id}-{n}.parquet"
            adds.append((path, self.dir / rel, {"path": rel, "rows": md.num_rows, "carrier": carrier,
                                                "year": year, "month": month,
                                                **{k: extra[k] for k in ("kind", "estimated", "negative")
                                                   if k in extra}}))
            rows += md.num_rows
        try:
            version = self.publish(adds, batch_id, meta)
        finally:
            for path, _, _ in adds:
                path.unlink(missing_ok=True)
        if version is None:
            return CommitResult(batch_id, rows, self._state.version, True)
        return CommitResult(batch_id, rows, version, False, tuple(str(a[2]["path"]) for a in adds))

    def replace_files(self, remove: Iterable[str], add_table: pa.Table, carrier: str, year: int, month: int,
                      reason: str) -> int:
        """Atomically swap committed files for one file holding the same rows (used by compaction)."""
        remove = list(remove)
        rel = f"carrier={carrier}/year={year}/month={month}/compact-{uuid.uuid4().hex[:16]}.parquet"
        final = self.dir / rel
        tmp = final.with_name(f".{final.name}.tmp-{uuid.uuid4().hex}")
        pq.write_table(self._conform(add_table), tmp, compression="zstd", row_group_size=1 << 20)
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        with self._lock():
            self.refresh()
            missing = [p for p in remove if p not in self._state.files]
            if missing:
                tmp.unlink(missing_ok=True)
                raise LakeError(f"cannot compact: {missing[0]} is no longer committed")
            removed_kinds = {self._state.files[p].get("kind") for p in remove}
            kind = removed_kinds.pop() if len(removed_kinds) == 1 else None
            os.replace(tmp, final)
            _fsync_dir(final.parent)
            return self._commit({"batch": None, "reason": reason, "remove": remove,
                                 "add": [{"path": rel, "rows": add_table.num_rows, "carrier": carrier,
                                          "year": year, "month": month,
                                          "estimated": _estimated_rows(add_table), "kind": kind,
                                          "negative": _negative_rows(add_table)}]})

    def _conform(self, table: pa.Table) -> pa.Table:
        cols = {}
        n = table.num_rows
        for f in READING_SCHEMA:
            if f.name in table.column_names:
                col = table.column(f.name)
                if f.name == "ts" and pa.types.is_timestamp(col.type) and col.type.tz is None:
                    col = pc.assume_timezone(col, "UTC")
                cols[f.name] = pc.cast(col, f.type)
            elif f.name == "quality":
                cols[f.name] = pa.array(["ok"] * n, pa.string())
            elif f.name == "batch":
                cols[f.name] = pa.array([""] * n, pa.string())
            else:
                raise LakeError(f"readings batch lacks column {f.name!r}")
        return pa.table(cols, schema=READING_SCHEMA)

    # -- reading ------------------------------------------------------------------------------
    def files(self, carriers: Iterable[str] | None = None, years: Iterable[int] | None = None,
              months: Iterable[tuple[int, int]] | None = None) -> list[str]:
        """Committed data files (absolute paths), optionally only some partitions."""
        self.refresh()
        cs = set(carriers) if carriers is not None else None
        ys = set(years) if years is not None else None
        ms = set(months) if months is not None else None
        out = []
        for path, info in self._state.files.items():
            if cs is not None and info["carrier"] not in cs:
                continue
            if ys is not None and info["year"] not in ys:
                continue
            if ms is not None and (info["year"], info["month"]) not in ms:
                continue
            out.append(str(self.dir / path))
        return sorted(out)

    def kind_of(self, file: str) -> str | None:
        """The meter kind all rows of a committed file share (``interval``/``counter``), or None."""
        prefix = str(self.dir) + os.sep
        info = self._state.files.get(file[len(prefix):] if file.startswith(prefix) else file, {})
        kind = info.get("kind")
        return str(kind) if kind else None

    def year_month_of(self, file: str) -> tuple[int, int]:
        """The (year, month) partition of a committed file."""
        prefix = str(self.dir) + os.sep
        info = self._state.files[file[len(prefix):] if file.startswith(prefix) else file]
        return int(info["year"]), int(info["month"])  # type: ignore[call-overload]

    def files_with_negatives(self, files: Iterable[str]) -> set[str]:
        """Of the given committed files, those that may hold negative values: by the count in their
        record, else by the Parquet footer's minimum (no statistics: assume they may)."""
        self.refresh()
        prefix = str(self.dir) + os.sep
        out = set()
        for f in files:
            info = self._state.files.get(f[len(prefix):] if f.startswith(prefix) else f, {})
            count = info.get("negative")
            if count is None:
                count = self._footer_negative.get(f)
                if count is None:
                    count = self._footer_negative[f] = _footer_may_be_negative(f)
            if count:
                out.add(f)
        return out

    def files_with_estimates(self, files: Iterable[str]) -> set[str]:
        """Of the given committed files, those that may hold gap estimates (or whose record predates
        the per-file count)."""
        self.refresh()
        prefix = str(self.dir) + os.sep
        out = set()
        for f in files:
            info = self._state.files.get(f[len(prefix):] if f.startswith(prefix) else f, {})
            if info.get("estimated", 1):
                out.add(f)
        return out

    def file_info(self) -> dict[str, dict[str, object]]:
        self.refresh()
        return dict(self._state.files)

    def vacuum(self) -> list[str]:
        """Delete crash leftovers: temporary files and data files no commit record names."""
        removed: list[str] = []
        if not self.dir.exists():
            return removed
        with self._lock():
            self.refresh()
            live = {str(self.dir / p) for p in self._state.files}
            for dirpath, _, names in os.walk(self.dir):
                if Path(dirpath) == self.log or self.log in Path(dirpath).parents:
                    continue
                for name in names:
                    full = os.path.join(dirpath, name)
                    if ".tmp-" in name or (name.endswith(".parquet") and full not in live):
                        os.unlink(full)
                        removed.append(full)
        return removed
