"""Passwords (argon2id via argon2-cffi), access tokens (JWT HS256 with expiry), login rate limiting."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

_hasher = PasswordHasher()
MIN_PASSWORD_LENGTH = 10
ALGORITHM = "HS256"


class WeakPasswordError(ValueError):
    """A password too short to accept."""


def hash_password(password: str) -> str:
    """argon2id hash (RFC 9106 parameters from argon2-cffi) of ``password``."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise WeakPasswordError(f"password must have at least {MIN_PASSWORD_LENGTH} characters")
    return _hasher.hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(stored_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


# A hash to verify against when the user does not exist, so that timing does not reveal usernames.
_DUMMY_HASH = _hasher.hash("nengtan-dummy-password")


def burn_time(password: str) -> None:
    verify_password(_DUMMY_HASH, password)


@dataclass(frozen=True)
class TokenClaims:
    username: str
    role: str
    expires_at: dt.datetime
    issued_at: dt.datetime | None = None


def issue_token(username: str, role: str, secret: str, ttl_minutes: int) -> tuple[str, dt.datetime]:
    now = dt.datetime.now(dt.UTC)
    exp = now + dt.timedelta(minutes=ttl_minutes)
    token = jwt.encode({"sub": username, "role": role, "iat": now, "exp": exp}, secret, algorithm=ALGORITHM)
    return token, exp


def read_token(token: str, secret: str) -> TokenClaims | None:
    """The claims of a valid, unexpired token; None for anything else."""
    try:
        data = jwt.decode(token, secret, algorithms=[ALGORITHM], options={"require": ["exp", "sub"]})
    except jwt.PyJWTError:
        return None
    return TokenClaims(
        username=str(data["sub"]),
        role=str(data.get("role", "")),
        expires_at=dt.datetime.fromtimestamp(int(data["exp"]), dt.UTC),
        issued_at=dt.datetime.fromtimestamp(int(data["iat"]), dt.UTC) if "iat" in data else None,
    )


class RateLimiter:
    """At most ``max_attempts`` failed logins per key within ``window_s`` seconds (sliding window).

    Keys are both the username and the client address, so neither guessing one account's password
    from many addresses nor many accounts from one address gets more than ``max_attempts`` tries.
    In-process state: with several worker processes each one counts on its own.
    """

    def __init__(self, max_attempts: int, window_s: float) -> None:
        self.max_attempts = max_attempts
        self.window_s = window_s
        self._fails: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def _prune(self, key: str, now: float) -> deque[float]:
        q = self._fails[key]
        while q and now - q[0] > self.window_s:
            q.popleft()
        return q

    def retry_after(self, *keys: str) -> float:
        """Seconds until another attempt is allowed (0 when allowed now)."""
        now = time.monotonic()
        wait = 0.0
        with self._lock:
            for key in keys:
                q = self._prune(key, now)
                if len(q) >= self.max_attempts:
                    wait = max(wait, self.window_s - (now - q[0]))
        return wait

    def failed(self, *keys: str) -> None:
        now = time.monotonic()
        with self._lock:
            for key in keys:
                self._prune(key, now).append(now)

    def succeeded(self, username_key: str) -> None:
        with self._lock:
            self._fails.pop(username_key, None)
