"""The factor library: versioned factor data (package data) and reproducible factor sets.

A *factor set* is a named choice of rows (sets.yaml) from the library (factors.csv). Its id carries a
digest of the rows it uses, so a result that names ``cn-2023@1a2b3c4d`` can be recomputed exactly.
"""

from nengtan.factors.library import (
    DEFAULT_SET,
    Factor,
    FactorError,
    FactorSet,
    available_sets,
    load_factor_set,
    load_library,
)
from nengtan.factors.provinces import grid_region, normalise_province

__all__ = [
    "DEFAULT_SET",
    "Factor",
    "FactorError",
    "FactorSet",
    "available_sets",
    "grid_region",
    "load_factor_set",
    "load_library",
    "normalise_province",
]
