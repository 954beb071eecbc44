"""Reports: Excel workbooks a park officer can hand to a meeting."""
