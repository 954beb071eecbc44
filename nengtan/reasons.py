"""Why a row was refused, in Chinese: the importers' and the live validator's reasons (English, as stored with each
quarantined row and in every import result) beside their zh-CN form, in one catalogue; and why a figure cannot be
shown (energy cost and curves without readings), said the same way.

The importers word a reason once, in English, where the rule is checked (nengtan.ingest); the portal shows it in the
reader's language. Each entry of the message catalogue's context ``reason`` (nengtan.i18n) is the English reason as a
pattern, the parts that vary (a value, a row, a column) captured by name, and the Chinese sentence that takes them.
:func:`in_chinese` gives the Chinese of a reason, or None when the catalogue has no entry for it (tests/test_reasons.py
refuses a reason of the form and upload paths that has none). A reason that combines two (``meter X: unit …``) is
translated part by part.
"""

from __future__ import annotations

import re

from nengtan.i18n import entries, keyed

CATALOGUE: tuple[tuple[str, str], ...] = tuple(entries("reason"))
"""(English reason as a pattern, its Chinese), in the order they are tried: the message catalogue's context
``reason`` (nengtan.i18n)."""
_COMPILED = tuple((re.compile(p + r"\Z", re.DOTALL), zh) for p, zh in CATALOGUE)


def _carrier_zh(word: str) -> str:
    from nengtan.labels import CARRIERS

    return CARRIERS[word][0] if word in CARRIERS else word


def in_chinese(reason: str) -> str | None:
    """The Chinese of a refusal's reason, or None when the catalogue has no entry for it."""
    text = reason.strip()
    for pattern, zh in _COMPILED:
        m = pattern.match(text)
        if m is not None:
            parts = {k: ("" if v is None else v) for k, v in m.groupdict().items()}
            if "carrier" in parts:  # (a carrier's code, said by its name)
                parts["carrier"] = _carrier_zh(parts["carrier"])
            for k, v in parts.items():  # a captured part is itself a reason (… ; re-import …, value …)
                if k == "w":
                    parts[k] = in_chinese(v) or v
            return zh.format(**parts)
    head, sep, rest = text.partition(": ")  # meter X: <reason>
    if sep and head.startswith("meter "):
        inner = in_chinese(rest)
        if inner is not None:
            return keyed("reason.frame")["meter"][1].format(meter=head.removeprefix("meter "), reason=inner)
    return None
