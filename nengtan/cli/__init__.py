"""Command-line interface: `nengtan ...` (Typer + Rich).

Each area registers its commands from its own module so the modules stay small:
core (init, demo, import, inventory, report), ingest (issue 3), targets (issue 4), serve (issue 5).
"""

from nengtan.cli.main import app

__all__ = ["app", "main"]


def main() -> None:
    """The ``nengtan`` script: the CLI, its top-level help in Chinese where the language is zh
    (nengtan.cli.help_zh)."""
    import typer.main

    from nengtan.cli.help_zh import cli_lang, in_chinese

    command = typer.main.get_command(app)
    if cli_lang() == "zh":
        command = in_chinese(command)
    command(prog_name="nengtan")
