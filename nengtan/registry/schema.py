"""Imports every table module so that Base.metadata knows all tables (used by Alembic and tests)."""

import importlib

from nengtan.registry.tables import MODULES
from nengtan.registry.tables.base import Base

for _name in MODULES:
    importlib.import_module(f"nengtan.registry.tables.{_name}")

metadata = Base.metadata
