"""The CLI in Chinese: the language a command line speaks, the help of the commands and command groups in zh-CN,
and its error lines through the service's catalogue (nengtan.messages).

The language is ``NENGTAN_LANG`` (zh | en), else the locale (``LC_ALL``, ``LC_MESSAGES``, ``LANG`` beginning with
``zh``), else English. Each command keeps its English help where it is defined; the message catalogue (nengtan.i18n,
contexts ``cli.command:<command>``, beside the English summary) holds the Chinese of every command and group
(:data:`HELP`, :data:`SUB_HELP`), nengtan.cli.options_zh reads that of every option (tests/test_cli_zh.py).
"""

from __future__ import annotations

import os
from typing import Any

from nengtan import i18n
from nengtan.i18n import entries, keyed

APP_HELP = entries("cli.app")[0][1]

HELP: dict[str, str] = {k: zh for k, (_, zh) in keyed("cli.command").items() if " " not in k}
"""``nengtan <command> --help`` and the command list of ``nengtan --help``, in Chinese."""

SUB_HELP: dict[str, str] = {k: zh for k, (_, zh) in keyed("cli.command").items() if " " in k}
"""Every sub-command's help (``nengtan <group> <command> --help`` and the group's list), in Chinese."""


def cli_lang() -> str:
    """zh or en: ``NENGTAN_LANG``, else the locale, else English."""
    explicit = os.environ.get("NENGTAN_LANG", "").strip().lower()
    if explicit in ("zh", "en"):
        return explicit
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def in_chinese(command: Any, path: str = "") -> Any:
    """The click command of the CLI with every command's and group's help in Chinese (HELP, SUB_HELP), and its
    options' help and help screens in Chinese (nengtan.cli.options_zh)."""
    from nengtan.cli.options_zh import options_in_chinese, screen_in_chinese

    if not path:
        command.help = APP_HELP
        screen_in_chinese()
    options_in_chinese(command)
    for name, sub in getattr(command, "commands", {}).items():
        key = f"{path} {name}".strip()
        zh = HELP.get(key) if not path else SUB_HELP.get(key)
        if zh is not None:
            sub.help = zh
            sub.short_help = zh
        in_chinese(sub, key)
    return command


def error_line(message: str, status: int = 400, zh: str | None = None) -> tuple[str, str]:
    """The line's head with its separator ("error: ", "错误：") and the message, in the CLI's language: ``zh`` where the
    command gave its Chinese, else the Chinese from nengtan.messages where the catalogue holds it. The line is the
    two joined; the head is apart for a caller that styles it."""
    if cli_lang() != "zh":
        return "error: ", message
    from nengtan.messages import error_in_chinese

    return i18n.text("cli.word", "error: "), zh or error_in_chinese(status, message) or message
