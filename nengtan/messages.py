"""Why a request failed, in Chinese: the service's error messages (RFC 9457 problem details, nengtan.api.errors)
beside their zh-CN form, for a page in Chinese.

The engine words an error once, in English, where it is raised; :func:`error_in_chinese` gives its Chinese from
the message catalogue (nengtan.i18n: the contexts error, error.noun, error.join, error.role, error.status, validation
and field): a refused value's reason (nengtan.reasons), a thing that is not there (``enterprise 9132…`` →
未找到企业：9132…, every noun the engine names in a NotFoundError, tests/test_messages.py), the messages of no data,
of permission and of the service itself; None when the catalogue has no entry, and the page shows the English.
:func:`validation_in_chinese` says a failed request check (Pydantic's error types) with the field's name. A
not-found message's tail after the identifier (``(loaded: …)``, ``(one of …)``) is said by the joins too.
"""

from __future__ import annotations

import re

from nengtan.i18n import chinese, entries, keyed
from nengtan.labels import CERTIFICATE_ACTIONS, USER_ROLES
from nengtan.labels import name as label
from nengtan.reasons import in_chinese

NOUNS: dict[str, str] = chinese("error.noun")
"""What a NotFoundError names first (``<noun> <identifier>``), in Chinese."""

_JOINS = tuple(entries("error.join"))

PATTERNS: tuple[tuple[str, str], ...] = tuple(entries("error"))
"""(English message as a pattern, its Chinese), in the order they are tried."""
ROLES_ZH = chinese("error.role")
"""The certification roles as nengtan.footprint.certification names them, in Chinese."""
_COMPILED = tuple((re.compile(p + r"\Z"), zh) for p, zh in PATTERNS)
FRAMES = keyed("error.frame")
"""The frames the Chinese of a message is said in (未找到…, 园区, …): key → (English, Chinese)."""
_BY_STATUS = {int(code): zh for code, (_, zh) in keyed("error.status").items()}
"""What a 401 or 403 says in Chinese when its message is not in PATTERNS."""


def _where_zh(where: str) -> str:
    if where == "the park":
        return FRAMES["the_park"][1]
    kind, _, code = where.partition(":")
    return f"{NOUNS.get(kind, kind)} {code}" if code else where


def not_found_in_chinese(detail: str) -> str | None:
    """``<noun> <identifier …>`` as 未找到<名词>：<identifier …>, or None when the noun is not in NOUNS."""
    noun = next((n for n in sorted(NOUNS, key=len, reverse=True) if detail.startswith(n + " ")), None)
    if noun is None:
        return None
    rest = detail[len(noun) + 1:]
    for en, zh in _JOINS:
        rest = rest.replace(en, zh)
    if "（" in rest and rest.endswith(")"):  # a tail the joins opened in Chinese (" (loaded: " → "（已载入：")
        rest = rest[:-1] + "）"
    return FRAMES["not_found"][1].format(noun=NOUNS[noun], rest=rest)


def error_in_chinese(status: int, detail: str) -> str | None:
    """The Chinese of an error message the service answers with ``status``, or None when the catalogue has none."""
    text = detail.strip()
    for pattern, zh in _COMPILED:
        m = pattern.match(text)
        if m is not None:
            parts = {k: v or "" for k, v in m.groupdict().items()}
            if "where" in parts:
                parts["where_zh"] = _where_zh(parts["where"])
            if "who" in parts:
                parts["who_zh"] = ROLES_ZH.get(parts["who"], parts["who"])
            if "r" in parts:
                parts["r"] = label(USER_ROLES, parts["r"])
            if "x" in parts and parts["x"] in CERTIFICATE_ACTIONS:
                parts["x"] = label(CERTIFICATE_ACTIONS, parts["x"])
            return zh.format(**parts)
    if status == 404:
        what, hidden, _ = text.partition(" not found or not accessible to you")  # nengtan.api.errors.not_found
        found = not_found_in_chinese(what)
        if found is not None:
            return found + (FRAMES["or_hidden"][1] if hidden else "")
    reason = in_chinese(text)
    if reason is not None:
        return reason
    return _BY_STATUS.get(status)


VALIDATION: dict[str, str] = {kind: zh for kind, (_, zh) in keyed("validation").items()}
"""The request checks' failures (Pydantic's error types, with their context), in Chinese."""
FIELDS: dict[str, str] = chinese("field")
"""The names of the fields requests carry most, in Chinese (others keep their own)."""


def validation_in_chinese(field: str, kind: str, ctx: dict[str, object] | None, message: str) -> str:
    """One failed request check in Chinese: the field's name and what it must be (Pydantic's message where the
    catalogue has no entry for its type; a validator's own message through the refusals' catalogue)."""
    name = ".".join(FIELDS.get(part, part) for part in field.split("."))
    template = VALIDATION.get(kind)
    if template is not None:
        try:
            return f"{name}：{template.format(**(ctx or {}))}"
        except (KeyError, IndexError):
            pass
    own = in_chinese(message.removeprefix("Value error, "))
    return f"{name}：{own or message}"
