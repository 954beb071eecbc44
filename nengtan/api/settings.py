"""Service settings: defaults < configuration file < environment variables < explicit arguments.

The file is TOML (``NENGTAN_CONFIG`` or ``nengtan serve --config``) with a ``[service]`` table whose
keys are the field names below; each field also reads ``NENGTAN_<FIELD>`` from the environment.
docs/configuration.md lists them all.
"""

from __future__ import annotations

import os
import secrets
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from nengtan.config import Paths, data_home, database_url


class SettingsError(ValueError):
    """A configuration value that cannot be used (names the key and the source)."""


@dataclass(frozen=True)
class Settings:
    home: Path = field(default_factory=lambda: data_home().home)
    database_url: str = ""
    host: str = "127.0.0.1"
    port: int = 8000
    secret_key: str = ""
    token_ttl_minutes: int = 60
    login_max_attempts: int = 5
    login_window_seconds: int = 300
    demo: bool = False
    factor_set: str | None = None
    default_year: int = 0
    max_upload_mb: int = 20
    max_request_mb: int = 25
    """Any request body larger than this is refused with 413 before it is read (uploads: max_upload_mb)."""
    trusted_proxies: str = ""
    """Comma-separated addresses of reverse proxies whose X-Forwarded-For/-Proto are believed; empty:
    none (the client address is the socket's, whatever a header says)."""
    cache_seconds: float = 30.0
    auth_cache_seconds: float = 5.0
    public_url: str = ""
    """The address the public reaches this service at (labels' QR codes open <public_url>/verify/<number>);
    empty: http://<host>:<port>."""

    @property
    def paths(self) -> Paths:
        return Paths(Path(self.home).expanduser().resolve())

    @property
    def public_base(self) -> str:
        return (self.public_url or f"http://{self.host}:{self.port}").rstrip("/")

    @property
    def registry_url(self) -> str:
        return self.database_url or database_url(self.paths)


_BOOL_TRUE = {"1", "true", "yes", "on"}
_BOOL_FALSE = {"0", "false", "no", "off", ""}


def _coerce(name: str, kind: Any, value: Any, source: str) -> Any:
    try:
        if kind in (bool, "bool"):
            if isinstance(value, bool):
                return value
            text = str(value).strip().lower()
            if text in _BOOL_TRUE:
                return True
            if text in _BOOL_FALSE:
                return False
            raise ValueError(value)
        if kind in (int, "int"):
            return int(value)
        if kind in (float, "float"):
            return float(value)
        if kind in (Path, "Path"):
            return Path(str(value)).expanduser()
        return str(value)
    except (TypeError, ValueError) as exc:
        raise SettingsError(f"{source}: {name}={value!r} is not a valid {kind}") from exc


def load_settings(config_file: str | Path | None = None, **overrides: Any) -> Settings:
    """Settings from the file, the environment and ``overrides`` (non-None values win)."""
    values: dict[str, Any] = {}
    kinds = {f.name: f.type for f in fields(Settings)}
    path = config_file or os.environ.get("NENGTAN_CONFIG")
    if path:
        p = Path(path).expanduser()
        if not p.is_file():
            raise SettingsError(f"configuration file {p} does not exist")
        try:
            data = tomllib.loads(p.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise SettingsError(f"{p}: not valid TOML: {exc}") from exc
        for key, value in data.get("service", {}).items():
            if key not in kinds:
                raise SettingsError(f"{p}: unknown key [service].{key}; known: {', '.join(sorted(kinds))}")
            values[key] = _coerce(key, kinds[key], value, str(p))
    for name in kinds:
        env = os.environ.get(f"NENGTAN_{name.upper()}")
        if env is not None and name != "home":
            values[name] = _coerce(name, kinds[name], env, f"NENGTAN_{name.upper()}")
    for key, value in overrides.items():
        if value is not None:
            values[key] = _coerce(key, kinds[key], value, "argument")
    settings = Settings(**values)
    if not settings.secret_key:
        # A fresh random key per process: tokens die with the process. Set NENGTAN_SECRET_KEY to keep
        # them valid across restarts and across several worker processes.
        settings = replace(settings, secret_key=secrets.token_urlsafe(48))
    return settings
