"""Rating methods as data: each method is a JSON file of versions, every version with its parameters, the
source it follows and its status. A park adjusts weights or thresholds by adding a version; a rating names the
version that made it, so an old rating is reproduced by asking for its version (nengtan.ratings)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from typing import Any

from nengtan.errors import InputError, NotFoundError


@dataclass(frozen=True)
class Method:
    method: str
    version: int
    params: dict[str, Any]

    @property
    def label(self) -> str:
        return f"{self.method}@v{self.version}"


METHODS = ("carbon_efficiency", "green_code", "mu_efficiency", "carbon_points")
META = ("version", "adopted", "status", "source", "basis")
"""What every version states besides its parameters."""


def packaged(method: str) -> list[dict[str, Any]]:
    """The versions nengtan ships for `method`."""
    if method not in METHODS:
        raise NotFoundError(f"rating method {method!r} (one of {', '.join(METHODS)})")
    text = resources.files("nengtan.ratings").joinpath(f"data/{method}.json").read_text(encoding="utf-8")
    return list(json.loads(text)["versions"])


def check_new_version(method: str, params: dict[str, Any], existing: list[dict[str, Any]]) -> dict[str, Any]:
    """A park's new version of `method`, checked: it states its source and status and has the parameters the
    method reads (those of the newest version); it gets the next version number."""
    newest = max(existing, key=lambda v: v["version"])
    missing = [k for k in newest if k not in params and k not in ("version", "adopted")]
    if missing:
        raise InputError(f"a version of {method} states {', '.join(missing)}")
    unknown = [k for k in params if k not in newest and k not in META]
    if unknown:
        raise InputError(f"{method} has no parameter {', '.join(unknown)}")
    return {**params, "version": int(newest["version"]) + 1}


def load(method: str, version: int | None = None, park_versions: tuple[dict[str, Any], ...] = ()) -> Method:
    """A method's version (default: the newest), among the packaged ones and the park's own."""
    versions = packaged(method) + list(park_versions)
    if not versions:
        raise InputError(f"rating method {method!r} has no version")
    chosen = max(versions, key=lambda v: v["version"]) if version is None else next(
        (v for v in versions if v["version"] == version), None)
    if chosen is None:
        raise NotFoundError(f"rating method {method!r} version {version} (it has "
                            f"{', '.join(str(v['version']) for v in versions)})")
    return Method(method, int(chosen["version"]), chosen)
