"""Ingestion: interchange files, 205-1 statements, HTTP batches and live MQTT meters; validation,
quarantine and data quality (see docs/ingest.md)."""

KINDS = ("enterprises", "meters", "activity", "economic", "readings")
"""The kinds of interchange file `nengtan import` reads (docs/formats.md); kept here, free of heavy imports,
so the CLI can name them in its help without loading the importers."""
