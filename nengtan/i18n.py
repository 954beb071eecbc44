"""The message catalogue: every interface text's English beside its zh-CN, in one gettext PO file
(nengtan/locale/zh_CN/LC_MESSAGES/nengtan.po), read with polib.

The English is the msgid, the Chinese the msgstr, and the context (msgctxt) says what the text is: the file's header
lists the contexts. Every surface reads its words from here — nengtan.labels (the names of codes), nengtan.reasons
(refusals), nengtan.messages (the service's errors), the command line (nengtan.cli.help_zh, options_zh, say), the
reports (nengtan.reports.words), the domain's notes (:func:`pair`, :func:`names`) and the web pages (/i18n.js and
/labels.js) — so a translator edits one file, with the usual PO tools, and
tests/test_catalogue.py holds it complete: no entry without its Chinese, no context read that the file lacks.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import polib

CATALOGUE = Path(__file__).parent / "locale" / "zh_CN" / "LC_MESSAGES" / "nengtan.po"


@lru_cache(maxsize=1)
def _entries() -> tuple[tuple[str, str, str], ...]:
    """(context, English, Chinese) of every entry, in the file's order."""
    return tuple((e.msgctxt or "", e.msgid, e.msgstr) for e in polib.pofile(str(CATALOGUE), wrapwidth=0)
                 if not e.obsolete)


@lru_cache(maxsize=1)
def _index() -> dict[tuple[str, str], str]:
    return {(ctx, en): zh for ctx, en, zh in _entries()}


@lru_cache(maxsize=1)
def _one_text() -> dict[str, tuple[str, str]]:
    """(English, Chinese) by context, for the contexts that hold one text (``<head>:<key>``): a warning run says
    10⁵ reasons, each looked up here at once."""
    return {ctx: (en, zh) for ctx, en, zh in _entries() if ":" in ctx}


@lru_cache(maxsize=1)
def _groups() -> dict[str, list[tuple[str | None, str, str]]]:
    """The entries grouped once by their context's head (before the first ':'), each as (key after the ':' or None,
    English, Chinese) in the file's order: the ~40 tables read at start-up each look at their own group only."""
    groups: dict[str, list[tuple[str | None, str, str]]] = {}
    for ctx, en, zh in _entries():
        head, sep, key = ctx.partition(":")
        groups.setdefault(head, []).append((key if sep else None, en, zh))
    return groups


def text(context: str, english: str) -> str:
    """The Chinese of ``english`` in ``context`` (gettext's pgettext); a KeyError names a text the catalogue lacks."""
    try:
        return _index()[(context, english)]
    except KeyError:
        raise KeyError(f"the message catalogue has no entry {english!r} in context {context!r}") from None


def entries(context: str) -> list[tuple[str, str]]:
    """(English, Chinese) of the entries of ``context``, in the file's order (an ordered list of patterns)."""
    found = [(en, zh) for key, en, zh in _groups().get(context, []) if key is None]
    if not found:
        raise KeyError(f"the message catalogue has no entry of context {context!r}")
    return found


def keyed(context: str) -> dict[str, tuple[str, str]]:
    """Key → (English, Chinese) of the entries whose context is ``<context>:<key>``, in the file's order."""
    found = {key: (en, zh) for key, en, zh in _groups().get(context, []) if key is not None}
    if not found:
        raise KeyError(f"the message catalogue has no entry of context {context}:…")
    return found


def chinese(context: str) -> dict[str, str]:
    """English → Chinese of the entries of ``context``."""
    return dict(entries(context))


def label_table(table: str) -> dict[str, tuple[str, str]]:
    """A nengtan.labels table: code → (Chinese, English), from the entries ``label.<table>:<code>``."""
    return {code: (zh, en) for code, (en, zh) in keyed(f"label.{table}").items()}


def names(table: str) -> dict[str, str]:
    """Code → Chinese name of the label table ``table`` (``label.<table>:<code>``): the domain's vocabularies of
    names (an alarm's kind, a verdict, an LMDI effect …) read from the catalogue, their English beside them there."""
    return {code: zh for code, (_, zh) in keyed(f"label.{table}").items()}


def names_en(table: str) -> dict[str, str]:
    """Code → English name of the label table ``table``: :func:`names`' English twin, for a field the API gives in
    both languages (``name`` beside ``name_en``)."""
    return {code: en for code, (en, _) in keyed(f"label.{table}").items()}


def page_words() -> dict[str, dict[str, str]]:
    """The web pages' words (window.NT_I18N): ``{"zh": {key: …}, "en": {key: …}}`` from the entries ``web:<key>``."""
    words = keyed("web")
    return {"zh": {k: zh for k, (_, zh) in words.items()}, "en": {k: en for k, (en, _) in words.items()}}


def page_word(key: str, lang: str, fallback: str | None = None) -> str:
    """A thing named as the web pages name it (``web:<key>``) in ``lang`` (zh | en), for a surface that names it too
    (the command line, a report); ``fallback`` (default: the key) where the catalogue has none."""
    shown = key if fallback is None else fallback
    en, zh = keyed("web").get(key, (shown, shown))
    return zh if lang == "zh" else en


class Both(NamedTuple):
    """A field said differently in each language (a carrier's code in English, its name in Chinese)."""

    en: object
    zh: object


def pair(context: str, **fields: object) -> tuple[str, str]:
    """(English, Chinese) of the entry whose context is ``context`` (``<head>:<key>``, one text), its fields filled in;
    a field given as :class:`Both` fills each language with its own value. How the domain says a note — a warning's
    reason, an alarm, a rating's grounds — in both languages from one entry."""
    try:
        english, chinese = _one_text()[context]
    except KeyError:
        raise KeyError(f"the message catalogue has no entry of context {context!r}") from None
    return fill(english, chinese, fields)


def fill(english: str, chinese: str, fields: dict[str, object]) -> tuple[str, str]:
    """Both texts with ``fields`` filled in, a :class:`Both` field giving each language its own value."""
    en = {k: v.en if isinstance(v, Both) else v for k, v in fields.items()}
    zh = {k: v.zh if isinstance(v, Both) else v for k, v in fields.items()}
    return english.format(**en), chinese.format(**zh)
