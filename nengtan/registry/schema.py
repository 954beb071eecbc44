"""Imports every model module so that Base.metadata knows all tables (used by Alembic and tests)."""

import importlib
import pkgutil

import nengtan.registry as _pkg
from nengtan.registry.models import Base

for _mod in pkgutil.iter_modules(_pkg.__path__):
    if _mod.name.endswith("models") and _mod.name != "models":
        importlib.import_module(f"nengtan.registry.{_mod.name}")

metadata = Base.metadata
