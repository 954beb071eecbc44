"""What every CLI area shares: the console, the data-home option, opening the stores, and turning
user mistakes into one clear line and a non-zero exit instead of a traceback."""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import rich.table
import typer
from rich.console import Console

from nengtan.cli.help_zh import error_line
from nengtan.errors import InputError, NengtanError

if TYPE_CHECKING:
    from nengtan.config import Paths
    from nengtan.lake import Lake
    from nengtan.registry.store import Registry

_WIDTH = None if sys.stdout.isatty() else 130  # piped output: wide enough for the tables
console = Console(width=_WIDTH)
err_console = Console(stderr=True, width=_WIDTH)


class Table(rich.table.Table):
    """Rich's table whose text columns fold a long cell onto the next line rather than cut it off with an ellipsis
    (Chinese has no spaces to wrap at, and a guideline's name or a reason cut off is lost to the reader), and whose
    figures (right-justified columns) are never wrapped: Rich narrows the wrapping columns first, so a figure keeps its
    width where the terminal allows."""

    def add_column(self, *args: Any, **kwargs: Any) -> None:
        if kwargs.get("justify") == "right":
            kwargs.setdefault("no_wrap", True)
        else:
            kwargs.setdefault("overflow", "fold")
        super().add_column(*args, **kwargs)


def progress_bar(rows: bool = False, transient: bool = False) -> Any:
    """The progress shown for long work on the terminal: what is being done, a bar, the rows done of all (``rows``)
    or the share done, the time taken and the time left (estimated from the rate so far)."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    done = MofNCompleteColumn() if rows else TextColumn("{task.percentage:>3.0f}%")
    return Progress(TextColumn("{task.description}"), BarColumn(), done, TimeElapsedColumn(), TextColumn("·"),
                    TimeRemainingColumn(), console=err_console, transient=transient)

report_app = typer.Typer(help="Excel reports.", no_args_is_help=True)
"""`nengtan report ...`: each area adds its workbook command here."""

DEMO_HOOKS: list[Callable[[Paths, Any, int], None]] = []
"""Functions (paths, stores, demo year) other areas append to run after the demo's inventory; the stores
(nengtan.engine.LocalStores) carry the year data the inventory already read."""

HomeOption = Annotated[str | None, typer.Option("--home", help="Data directory (default: $NENGTAN_HOME or "
                                                "./nengtan-data).", show_default=False)]
FormatOption = Annotated[str, typer.Option("--format", "-f", help="table or json")]
PlaceOption = Annotated[str | None, typer.Option("--place", help="A park or region: park:<code> or region:<code> "
                                                 "(default: the whole installation).", show_default=False)]


def placed_local(home: str | None, place: str | None = None) -> Any:
    """The data home's stores seen from ``place`` (nengtan.engine.places; the whole installation by default)."""
    from nengtan.engine import open_local
    from nengtan.engine.places import at_place

    return at_place(open_local(home)[1], place)

USER_ERRORS: tuple[type[BaseException], ...] = (NengtanError, FileNotFoundError)
"""What the one CLI handler turns into a line and exit 2: the error tree's root (nengtan.errors)."""


class UserError(InputError):
    """A mistake on the command line the user can fix; the message says what, where and how (``zh``: the same in
    Chinese, printed where the CLI's language is zh)."""

    def __init__(self, message: str, zh: str | None = None) -> None:
        super().__init__(message)
        self.zh = zh

    @classmethod
    def said(cls, key: str, **fields: object) -> UserError:
        """The mistake ``key`` of the message catalogue (context ``cli.error:<key>``, nengtan.i18n), its English and
        its Chinese with the fields filled in (a field given as nengtan.i18n.Both fills each with its own)."""
        from nengtan.i18n import fill, keyed

        return cls(*fill(*keyed("cli.error")[key], fields))


def register_user_error(*types: type[BaseException]) -> None:
    """Let another area add its own user-error exception types."""
    global USER_ERRORS
    USER_ERRORS = USER_ERRORS + types


F = TypeVar("F", bound=Callable[..., Any])


def friendly(fn: F) -> F:
    """Print user mistakes as one line on stderr and exit 2; never show a traceback for them."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except (UserError, *USER_ERRORS) as exc:  # type: ignore[misc]
            msg = str(exc).strip().strip("'\"") or exc.__class__.__name__
            word, msg = error_line(msg, getattr(exc, "status", 404 if isinstance(exc, FileNotFoundError) else 400),
                                   getattr(exc, "zh", None))
            err_console.print(f"[bold red]{word}[/]{msg}", highlight=False, soft_wrap=True)
            raise typer.Exit(2) from None
        except Exception as exc:
            if "database is locked" not in str(exc):
                raise
            # another writer held the embedded registry longer than the wait; nothing was stored
            busy = UserError.said("common.registry_busy")
            word, msg = error_line(str(busy), 503, busy.zh)
            err_console.print(f"[bold red]{word}[/]{msg}", highlight=False)
            raise typer.Exit(2) from None

    return wrapper  # type: ignore[return-value]


def open_stores(home: str | None, migrate: bool = True, create: bool = False) -> tuple[Paths, Registry, Lake]:
    """The data home, its registry (migrated) and its lake; without ``create`` a home that was never
    initialised is an error rather than a new empty one."""
    from nengtan.engine import open_local

    paths, stores = open_local(home, migrate=migrate, create=create)
    return paths, stores.registry, stores.lake


def check_format(fmt: str) -> str:
    if fmt not in ("table", "json"):
        raise UserError.said("common.format_is_not_table", fmt=fmt)
    return fmt


def report_import(landed: str, errors: list[str]) -> None:
    """What an import landed, then each refused row with its place and reason; exit 1 when any was refused."""
    import typer

    from nengtan.cli.say import tr

    console.print(landed, highlight=False)
    for e in errors:
        console.print(f"[red]{tr('refused')}[/] {e}", highlight=False, soft_wrap=True)
    if errors:
        raise typer.Exit(1)


def print_json(data: object) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def fmt_num(x: float | None, digits: int = 2) -> str:
    return "—" if x is None else f"{x:,.{digits}f}"
