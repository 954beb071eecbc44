"""Command-line interface: `nengtan ...` (Typer + Rich).

Each area registers its commands from its own module so the modules stay small:
core (init, demo, import, inventory, report), ingest (issue 3), targets (issue 4), serve (issue 5).
"""

from nengtan.cli.main import app

__all__ = ["app"]
