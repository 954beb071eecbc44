"""What the CLI prints, in its language (nengtan.cli.help_zh.cli_lang): each message's English beside its Chinese,
in the message catalogue's entries ``cli:<key>`` (nengtan.i18n).

The commands people run every day — demo, inventory, import, quarantine and the reports — print through here; the
tables keep units and codes as they are.
"""

from __future__ import annotations

from nengtan.cli.help_zh import cli_lang
from nengtan.i18n import keyed
from nengtan.labels import INDICATORS

MESSAGES: dict[str, tuple[str, str]] = keyed("cli")
"""Message key → (English, zh-CN), each with the same fields."""

SHARES_ZH = {"non_fossil_energy_share": INDICATORS["nonfossil_share"][0],
             "renewable_electricity_share": INDICATORS["renewable_electricity_share"][0],
             "estimated_energy_share": "能耗中估算读数所占比重"}
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


def pick(english: str, chinese: str) -> str:
    """A table's heading or label in the CLI's language."""
    return chinese if cli_lang() == "zh" else english
