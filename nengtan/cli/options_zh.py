"""The CLI's options in Chinese: each option's and argument's help keyed by its English text, and the words of the help
screens themselves (Typer's panels, click's usage line and help option, click's parse errors), all from the message
catalogue (nengtan.i18n: the contexts cli.option, cli.screen, cli.usage, cli.parse and cli.parse.value).
nengtan.cli.help_zh applies them where the language is zh; tests/test_cli_zh.py fails on an option whose English help
has no Chinese in the catalogue.
"""

from __future__ import annotations

import re
from typing import Any

from nengtan import i18n

OPTION_HELP: dict[str, str] = i18n.chinese("cli.option")
"""An option's or argument's help, English → zh-CN."""

SCREEN_WORDS: dict[str, str] = {k: zh for k, (_, zh) in i18n.keyed("cli.screen").items()}
"""typer.rich_utils' words on the help and error screens, in Chinese."""

_USAGE = i18n.chinese("cli.usage")
USAGE = _USAGE["Usage:"]
USAGE_WORDS = {en: _USAGE[en] for en in ("[OPTIONS]", "COMMAND [ARGS]...")}
"""The placeholders of a usage line, in Chinese."""
HELP_OPTION = _USAGE["Show this message and exit."]


def _chinese_context(base: type[Any]) -> type[Any]:
    """``base`` (the command's own click context class: Typer ships its own click) whose usage line reads 用法：."""

    class ChineseFormatter(base.formatter_class):  # type: ignore[misc, name-defined]
        def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
            for english, chinese in USAGE_WORDS.items():
                args = args.replace(english, chinese)
            super().write_usage(prog, args, USAGE if prefix is None else prefix)

    return type("ChineseContext", (base,), {"formatter_class": ChineseFormatter})


def options_in_chinese(command: Any) -> None:
    """``command``'s own options and arguments with their Chinese help, its usage line and help option in Chinese."""
    for param in command.params:
        english = getattr(param, "help", None)
        if english and english in OPTION_HELP:
            param.help = OPTION_HELP[english]  # type: ignore[attr-defined]
    command.context_class = _chinese_context(command.context_class)
    original = command.get_help_option

    def help_option(ctx: Any) -> Any:
        option = original(ctx)
        if option is not None:
            option.help = HELP_OPTION
        return option

    command.get_help_option = help_option


PARSE_ERRORS: list[tuple[str, str]] = i18n.entries("cli.parse")
"""click's command-line parse errors (English, as click words them) → zh-CN; ``other`` is a suggestion."""

PARSE_VALUES: list[tuple[str, str]] = i18n.entries("cli.parse.value")
"""The reasons click and Typer give for an invalid value, in Chinese."""


def parse_error_in_chinese(message: str) -> str:
    """A command-line parse error in Chinese (PARSE_ERRORS), or the message as it is when none matches."""
    for pattern, chinese in PARSE_ERRORS:
        m = re.fullmatch(pattern, message.strip(), re.DOTALL)
        if m is None:
            continue
        fields = {k: v or "" for k, v in m.groupdict().items()}
        if fields.get("other"):
            fields["other"] = i18n.keyed("cli.parse.frame")["did_you_mean"][1].format(other=fields["other"])
        if "value" in fields:
            fields["value"] = next((zh.format(**{k: v or "" for k, v in v_m.groupdict().items()})
                                    for p, zh in PARSE_VALUES
                                    if (v_m := re.fullmatch(p, fields["value"].strip(), re.DOTALL))), fields["value"])
        return chinese.format(**fields)
    return message


def screen_in_chinese() -> None:
    """Typer's help and error screens in Chinese: its panel titles and notes are module settings, and a parse error
    is put in Chinese (parse_error_in_chinese) before Typer prints it."""
    import typer.rich_utils

    for name, word in SCREEN_WORDS.items():
        setattr(typer.rich_utils, name, word)
    english = typer.rich_utils.rich_format_error

    def rich_format_error(error: Any) -> None:
        message = error.format_message()
        error.format_message = lambda: parse_error_in_chinese(message)
        english(error)

    typer.rich_utils.rich_format_error = rich_format_error  # type: ignore[assignment]


def english_helps(command: Any) -> list[str]:
    """Every option's and argument's English help in the CLI (for the completeness test)."""
    out = [p.help for p in getattr(command, "params", []) if getattr(p, "help", None)]
    for sub in getattr(command, "commands", {}).values():
        out += english_helps(sub)
    return out
