"""The layout tells the architecture: domain packages are pure, only the engine and the surfaces open
the stores, and the CLI starts without loading the engine."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parent.parent / "nengtan"
DOMAIN = ("accounting", "targets", "factors", "ledger", "footprint", "greenpower", "assets", "ratings", "evaluation",
          "statistics", "energycost", "alarms", "indicators.py", "labels.py", "calendar.py", "units.py",
          "identifiers.py", "errors.py", "reasons.py", "messages.py")
"""Pure packages (upward/ is not listed: its reference receiver, the province of the tests, is a FastAPI app)."""
STORE_OR_SURFACE = ("sqlalchemy", "duckdb", "alembic", "fastapi", "starlette", "typer", "openpyxl")
STORE_MODULES = ("nengtan.registry", "nengtan.lake", "nengtan.engine", "nengtan.api", "nengtan.cli",
                 "nengtan.reports", "nengtan.ingest")


def _imports(path: Path) -> list[str]:
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            out.append(node.module)
    return out


@pytest.mark.parametrize("part", DOMAIN)
def test_domain_modules_import_no_store_web_or_engine_code(part: str) -> None:
    root = PKG / part
    files = [root] if root.suffix == ".py" else sorted(root.rglob("*.py"))
    bad = [(f.relative_to(PKG).as_posix(), m) for f in files for m in _imports(f)
           if m.split(".")[0] in STORE_OR_SURFACE or m.startswith(STORE_MODULES)]
    assert bad == []


def test_the_cli_starts_without_loading_the_engine_or_the_stores() -> None:
    code = ("import sys, nengtan.cli; heavy = [m for m in ('pandas', 'sqlalchemy', 'duckdb', 'pyarrow', "
            "'nengtan.engine', 'nengtan.accounting') if m in sys.modules]; print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
