"""CLI commands for the serve area: ``nengtan serve`` and ``nengtan users ...`` (issue 5)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from nengtan.cli.common import UserError as CommandMistake
from nengtan.cli.say import say, tr, word
from nengtan.labels import USER_ROLES

if TYPE_CHECKING:
    from nengtan.api.settings import Settings

users_app = typer.Typer(help="Users of the platform service (park administrators, enterprises, verifiers).",
                        no_args_is_help=True)


def _settings(home: str | None, config: str | None, **kw: object):  # type: ignore[no-untyped-def]
    import os

    from nengtan.api.settings import SettingsError, load_settings
    if config:  # the file's [compute] table is read through NENGTAN_CONFIG (nengtan.config.compute_settings)
        os.environ["NENGTAN_CONFIG"] = config
    try:
        return load_settings(config, home=home, **kw)
    except SettingsError as exc:
        _error(exc)
        raise typer.Exit(2) from exc


HomeOpt = Annotated[str | None, typer.Option("--home", help="Data directory (default $NENGTAN_HOME or "
                                             "./nengtan-data).", show_default=False)]
ConfigOpt = Annotated[str | None, typer.Option("--config", help="TOML settings file ([service] and [compute] "
                                                                "tables).",
                                               show_default=False)]


def serve(
    home: HomeOpt = None,
    config: ConfigOpt = None,
    host: Annotated[str | None, typer.Option("--host", help="Address to listen on (default 127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option("--port", help="Port (default 8000).")] = None,
    demo: Annotated[bool, typer.Option("--demo", help="Build the demo park if the data home is empty and "
                                       "create demo accounts (printed).")] = False,
    small: Annotated[bool, typer.Option("--small", help="With --demo: the small demo park (seconds).")] = False,
    workers: Annotated[int, typer.Option("--workers", help="uvicorn worker processes (needs "
                                         "NENGTAN_SECRET_KEY when > 1).")] = 1,
) -> None:
    """Start the platform service (API, cockpit, enterprise portal) with uvicorn."""
    import os

    import uvicorn
    from sqlalchemy import func, select

    from nengtan.api.app import create_app
    from nengtan.registry.store import Registry
    from nengtan.registry.tables.park import Enterprise

    settings = _settings(home, config, host=host, port=port, demo=demo or None)
    if workers > 1 and not os.environ.get("NENGTAN_SECRET_KEY"):
        _error(CommandMistake.said("serve.workers_need_secret"))
        raise typer.Exit(2)
    if settings.demo:
        from nengtan.api.demo_users import ensure_demo_users
        from nengtan.demo import FULL, SMALL, build_demo
        settings.paths.home.mkdir(parents=True, exist_ok=True)
        reg = Registry.open(settings.registry_url)
        with reg.session() as s:
            n = s.execute(select(func.count(Enterprise.id))).scalar() or 0
        if n == 0:
            typer.echo(say("serve.building", home=settings.paths.home))
            build_demo(settings.paths, reg, SMALL if small else FULL)
        accounts = ensure_demo_users(reg)
        reg.close()
        typer.echo(say("serve.accounts"))
        for a in accounts:
            typer.echo(f"  {a.role:<10} {a.username:<14} {a.password}")
    url = f"http://{settings.host}:{settings.port}"
    typer.secho(say("serve.urls", url=url), fg=typer.colors.GREEN)
    if workers > 1:
        os.environ["NENGTAN_HOME"] = str(settings.paths.home)
        if settings.database_url:
            os.environ["NENGTAN_DATABASE_URL"] = settings.database_url
        uvicorn.run("nengtan.api.app:create_app", factory=True, host=settings.host, port=settings.port,
                    workers=workers, log_level="warning", **proxy_options(settings))
    else:
        uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_level="warning",
                    **proxy_options(settings))


def proxy_options(settings: Settings) -> dict[str, Any]:
    """Forwarded headers are honoured only from the configured proxies (uvicorn would otherwise trust
    any client on 127.0.0.1, so a local process could pose as any address to the login limiter)."""
    proxies = [p.strip() for p in settings.trusted_proxies.split(",") if p.strip()]
    if not proxies:
        return {"proxy_headers": False}
    return {"proxy_headers": True, "forwarded_allow_ips": ",".join(proxies)}


def _open(home: str | None, config: str | None):  # type: ignore[no-untyped-def]
    from nengtan.registry.store import Registry
    return Registry.open(_settings(home, config).registry_url)


@users_app.command("add")
def users_add(
    username: Annotated[str, typer.Argument(help="Login name.")],
    role: Annotated[str, typer.Option("--role", help="admin | enterprise | verifier | public | cert_auditor | "
                                      "cert_decider")],
    enterprise: Annotated[list[str] | None, typer.Option("--enterprise", "-e", help="Credit code (repeat).")]
    = None,
    password: Annotated[str | None, typer.Option("--password", help="Password (≥ 10 characters); asked for "
                                                 "when omitted.", show_default=False)] = None,
    org: Annotated[str | None, typer.Option("--org", help="The certification body's code (cert_auditor, "
                                            "cert_decider).")] = None,
    place: Annotated[str | None, typer.Option("--place", help="An admin's park or region (park:<code>, "
                                              "region:<code>): city or province staff see only that.")] = None,
    home: HomeOpt = None,
    config: ConfigOpt = None,
) -> None:
    """Create a user."""
    from nengtan.api.auth import WeakPasswordError
    from nengtan.api.users import UserError, add_user
    pw = password or typer.prompt("password", hide_input=True, confirmation_prompt=True)
    reg = _open(home, config)
    try:
        with reg.session() as s:
            v = add_user(s, "cli", username, pw, role, enterprise or [], org=org, place=place)
    except (UserError, WeakPasswordError) as exc:
        _error(exc)
        raise typer.Exit(2) from exc
    typer.echo(say("users.created", username=v.username, role=word(USER_ROLES, v.role),
                   place=(tr(", ") + v.place) if v.place else "", enterprises=" ".join(v.enterprises)))


@users_app.command("list")
def users_list(home: HomeOpt = None, config: ConfigOpt = None) -> None:
    """List users with role and enterprises."""
    from nengtan.api.users import list_users
    with _open(home, config).session() as s:
        for v in list_users(s):
            typer.echo(f"{v.username}\t{word(USER_ROLES, v.role)}\t{tr('active') if v.active else tr('inactive')}\t"
                       f"{','.join(v.enterprises)}\t{v.place or ''}")


@users_app.command("passwd")
def users_passwd(
    username: Annotated[str, typer.Argument()],
    password: Annotated[str | None, typer.Option("--password", show_default=False)] = None,
    home: HomeOpt = None,
    config: ConfigOpt = None,
) -> None:
    """Set a user's password."""
    from nengtan.api.auth import WeakPasswordError
    from nengtan.api.users import UserError, update_user
    pw = password or typer.prompt("new password", hide_input=True, confirmation_prompt=True)
    try:
        with _open(home, config).session() as s:
            update_user(s, "cli", username, password=pw)
    except (UserError, WeakPasswordError) as exc:
        _error(exc)
        raise typer.Exit(2) from exc
    typer.echo(say("users.password", username=username))


@users_app.command("disable")
def users_disable(username: Annotated[str, typer.Argument()], home: HomeOpt = None,
                  config: ConfigOpt = None) -> None:
    """Deactivate a user (their tokens stop working at once)."""
    from nengtan.api.users import UserError, update_user
    try:
        with _open(home, config).session() as s:
            update_user(s, "cli", username, active=False)
    except UserError as exc:
        _error(exc)
        raise typer.Exit(2) from exc
    typer.echo(say("users.disabled", username=username))


def _error(error: str | Exception) -> None:
    """The error line in the CLI's language (a UserError's Chinese, else nengtan.messages')."""
    from nengtan.cli.help_zh import error_line

    typer.secho("".join(error_line(str(error), 400, getattr(error, "zh", None))), fg=typer.colors.RED, err=True)


def register(app: typer.Typer) -> None:
    """Add this area's commands to the main app."""
    app.command("serve")(serve)
    app.add_typer(users_app, name="users")
