"""Targets, dual control, carbon budgets, early warning, scenarios and project assessment (issue 4).

Pure domain code: every function here takes pandas DataFrames or NumPy arrays (the accounting ledger
and the economics frame described in docs/architecture.md) and imports no web or database code.

Modules
-------
targets      target model, the seed-derived templates, indicator calculation and target paths
allocation   carbon-budget allocation (grandfathering, benchmark, hybrid), entrants and leavers
progress     seasonal profiles, year-to-date paths and year-end projections with intervals
warnings     red/yellow/green status with reasons (预警)
scenarios    peak-year scenarios with a vectorised Monte Carlo
lmdi         LMDI-I additive decomposition (Ang 2004, 2005)
assessment   new-project carbon pre-assessment and post-assessment (碳排放预评估 / 后评估)
"""

from nengtan.targets.errors import TargetsError

__all__ = ["TargetsError"]
