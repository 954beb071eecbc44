"""Ingestion: interchange files, 205-1 statements, HTTP batches and live MQTT meters; validation,
quarantine and data quality (see docs/ingest.md)."""
