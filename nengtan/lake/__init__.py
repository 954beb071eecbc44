"""The readings lake: append-only Parquet, made visible by a commit log, read with DuckDB."""

from nengtan.lake.store import READING_SCHEMA, CommitResult, Lake, LakeError

__all__ = ["READING_SCHEMA", "CommitResult", "Lake", "LakeError"]
