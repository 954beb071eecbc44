"""The media types of the files the service sends (reports, templates, exports), named once."""

from __future__ import annotations

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"
MEDIA = {"xlsx": XLSX, "pdf": PDF}
"""A report's media type by its format."""
