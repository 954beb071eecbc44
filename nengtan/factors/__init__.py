"""The factor library: versioned factor data (package data) and reproducible factor sets.

A *factor set* is a named choice of rows (sets.yaml) from the library (factors.csv). Its id carries a
digest of the rows it uses, so a result that names ``cn-2023@1a2b3c4d`` can be recomputed exactly.
"""

from typing import TYPE_CHECKING, Any

from nengtan.factors.provinces import grid_region, normalise_province

if TYPE_CHECKING:
    from nengtan.factors.library import (
        DEFAULT_SET,
        Factor,
        FactorError,
        FactorSet,
        available_sets,
        load_factor_set,
        load_library,
    )

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


def __getattr__(name: str) -> Any:
    """The library (pandas and the package's CSV) loads on first use: a province name costs nothing."""
    if name in __all__:
        from nengtan.factors import library

        return getattr(library, name)
    raise AttributeError(f"module 'nengtan.factors' has no attribute {name!r}")
