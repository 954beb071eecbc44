from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest


@pytest.fixture
def model_dir(tmp_path: Path) -> Callable[..., Path]:
    """Write a model's tables (header line first) into a fresh directory."""
    count = [0]

    def make(activities: str, exchanges: str, parameters: str | None = None, scenarios: str | None = None) -> Path:
        count[0] += 1
        d = tmp_path / f"model{count[0]}"
        d.mkdir()
        (d / "activities.csv").write_text(activities.strip() + "\n", encoding="utf-8")
        (d / "exchanges.csv").write_text(exchanges.strip() + "\n", encoding="utf-8")
        if parameters:
            (d / "parameters.csv").write_text(parameters.strip() + "\n", encoding="utf-8")
        if scenarios:
            (d / "scenarios.csv").write_text(scenarios.strip() + "\n", encoding="utf-8")
        return d

    return make
