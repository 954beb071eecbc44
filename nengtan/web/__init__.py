"""Cockpit and portal pages: HTML shells, scripts, styles, vendored ECharts (issue 5)."""
