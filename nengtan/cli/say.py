"""What the CLI prints, in its language (nengtan.cli.help_zh.cli_lang): each message's English beside its Chinese,
in the message catalogue's entries ``cli:<key>`` (nengtan.i18n).

The commands people run every day — demo, inventory, import, quarantine and the reports — print through here; the
tables keep units and codes as they are.
"""

from __future__ import annotations

from nengtan import i18n
from nengtan.cli.help_zh import cli_lang
from nengtan.labels import INDICATORS

MESSAGES: dict[str, tuple[str, str]] = i18n.keyed("cli")
"""Message key → (English, zh-CN), each with the same fields."""

SHARES_ZH = {"non_fossil_energy_share": INDICATORS["nonfossil_share"][0],
             "renewable_electricity_share": INDICATORS["renewable_electricity_share"][0],
             "estimated_energy_share": i18n.text("cli.word", "Share of energy resting on estimated readings")}
"""The inventory's shares (nengtan.accounting.Inventory.shares) in Chinese."""


def say(key: str, **fields: object) -> str:
    """The message ``key`` in the CLI's language, its fields filled in."""
    english, chinese = MESSAGES[key]
    return (chinese if cli_lang() == "zh" else english).format(**fields)


def word(table: dict[str, tuple[str, str]], code: str) -> str:
    """A code's word from a nengtan.labels table ((zh, en) per code) in the CLI's language; the code itself where
    the table lacks it."""
    zh, en = table.get(code, (code, code))
    return zh if cli_lang() == "zh" else en


def page_word(key: str, fallback: str | None = None) -> str:
    """A word of the web pages (the message catalogue's ``web:<key>``) in the CLI's language, so the command line names
    a thing as the page does; ``fallback`` (default: the key) where the catalogue lacks it."""
    return i18n.page_word(key, cli_lang(), fallback)


def tr(english: str, sense: str = "", **fields: object) -> str:
    """A table's heading or a short label in the CLI's language: the English as written, or its Chinese from the
    message catalogue's context ``cli.word`` (``cli.word.<sense>`` where one English word is said two ways), its
    fields filled in — gettext's ``_()``."""
    text = english if cli_lang() != "zh" else i18n.text("cli.word" + (f".{sense}" if sense else ""), english)
    return text.format(**fields) if fields else text


def pick(english: str, chinese: str) -> str:
    """A text in the CLI's language where the domain gives both (a basis, a verdict, a carrier's name)."""
    return chinese if cli_lang() == "zh" else english
