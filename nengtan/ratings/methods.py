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


def load(method: str, version: int | None = None) -> Method:
    """A method's version (default: the newest)."""
    try:
        text = resources.files("nengtan.ratings").joinpath(f"data/{method}.json").read_text(encoding="utf-8")
    except FileNotFoundError:
        raise NotFoundError(f"rating method {method!r}") from None
    versions = json.loads(text)["versions"]
    if not versions:
        raise InputError(f"rating method {method!r} has no version")
    chosen = max(versions, key=lambda v: v["version"]) if version is None else next(
        (v for v in versions if v["version"] == version), None)
    if chosen is None:
        raise NotFoundError(f"rating method {method!r} version {version} (it has "
                            f"{', '.join(str(v['version']) for v in versions)})")
    return Method(method, int(chosen["version"]), chosen)
