"""``nengtan greenpower gec|contract|claim|claims|order|book|statement``: green power held, claimed and traded
(docs/greenpower.md). Every write is a green-power ledger entry."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any

import typer

from nengtan.cli.certification import AsOpt, operator, operator_stores
from nengtan.cli.common import (
    FormatOption,
    HomeOption,
    Table,
    UserError,
    check_format,
    console,
    friendly,
    print_json,
    report_import,
)
from nengtan.cli.say import say, tr, word
from nengtan.labels import (
    CONTRACT_KINDS,
    CONTRACT_SHAPES,
    GEC_ORIGINS,
    GEC_STATUSES,
    ORDER_PRODUCTS,
    ORDER_SIDES,
    ORDER_STATUSES,
)

gec_app = typer.Typer(help="Green certificates (绿证, GEC): holdings, expiry, freezing.", no_args_is_help=True)
contract_app = typer.Typer(help="Green-power contracts (绿电交易, PPAs) with their bundled GECs.",
                           no_args_is_help=True)
order_app = typer.Typer(help="The park's order book for green power and GECs.", no_args_is_help=True)
EnterpriseOpt = Annotated[str | None, typer.Option("--enterprise", help="An enterprise's credit code.")]
YearOpt = Annotated[int | None, typer.Option("--year", help="The year.")]


def _rows(title: str, rows: list[dict[str, Any]], keys: tuple[str, ...], fmt: str,
          words: dict[str, dict[str, tuple[str, str]]] | None = None) -> None:
    """Rows as a table in the CLI's language; ``words``: the nengtan.labels table naming a column's codes."""
    if check_format(fmt) == "json":
        print_json(rows)
        return
    t = Table(title=tr(title))
    for k in keys:
        t.add_column(tr(k, "column"), justify="right" if k in ("mwh", "price", "remaining") else "left")
    named = words or {}
    for r in rows:
        t.add_row(*(word(named[k], str(r.get(k, ""))) if k in named else _origin(str(r.get(k, ""))) if k == "origin"
                    else str(r.get(k, "")) for k in keys))
    console.print(t)


def _origin(origin: str) -> str:
    """Where a GEC holding came from (``issued``, ``import``, ``contract``, ``trade:<seller>``), its head in words."""
    head, sep, rest = origin.partition(":")
    return word(GEC_ORIGINS, head) + (tr(": ") + rest if sep else "")


def _import_report(what: str, out: Any) -> None:
    report_import(f"{out.landed} {what} landed ({out.mwh:,} MWh)", out.errors)


@gec_app.command("import")
@friendly
def gec_import(path: Annotated[Path, typer.Argument(help="CSV or XLSX: first_code, last_code or count, owner.")],
               as_user: AsOpt = None, home: HomeOption = None) -> None:
    """Record GECs issued by the national platform (a row per range of codes)."""
    from nengtan.engine import greenassets

    reg, actor = operator(home, as_user)
    _import_report("GEC holdings", greenassets.import_holdings(reg, path, actor))


@gec_app.command("list")
@friendly
def gec_list(owner: Annotated[str | None, typer.Option("--owner", help="A participant's code or USCC.")] = None,
             status: Annotated[str | None, typer.Option("--status")] = None, as_user: AsOpt = None,
             home: HomeOption = None, fmt: FormatOption = "table") -> None:
    """GEC holdings (an enterprise user sees its own)."""
    from nengtan.engine import greenassets

    reg, actor = operator(home, as_user)
    _rows("GEC holdings", greenassets.holdings(reg, actor, owner, status),
          ("id", "first_code", "last_code", "mwh", "owner", "status", "production_month", "expires_on", "origin"), fmt,
          {"status": GEC_STATUSES})


@gec_app.command("stock")
@friendly
def gec_stock(as_user: AsOpt = None, home: HomeOption = None) -> None:
    """MWh of GECs by status, and those expiring within 90 days."""
    from nengtan.engine import greenassets

    reg, actor = operator(home, as_user)
    print_json(greenassets.stock(reg, actor))


@gec_app.command("expire")
@friendly
def gec_expire(as_of: Annotated[str | None, typer.Option("--as-of", help="YYYY-MM-DD (default today).")] = None,
               home: HomeOption = None) -> None:
    """Mark GECs past their two years as expired."""
    from nengtan.engine import greenassets

    reg, _ = operator(home, None)
    day = dt.date.fromisoformat(as_of) if as_of else None
    console.print(say("gec.expired", n=greenassets.expire(reg, "cli", day)), highlight=False)


@gec_app.command("freeze")
@friendly
def gec_freeze(project: Annotated[str, typer.Argument(help="The 17-character project code.")],
               reason: Annotated[str, typer.Option("--reason", help="E.g. the CCER registration number.")],
               as_user: AsOpt = None, home: HomeOption = None) -> None:
    """Freeze a project's unsold GECs (it chose CCER for the same power)."""
    from nengtan.engine import greenassets

    reg, actor = operator(home, as_user)
    console.print(say("gec.frozen", n=greenassets.freeze(reg, actor, project, reason)), highlight=False)


@contract_app.command("import")
@friendly
def contract_import(path: Annotated[Path, typer.Argument(help="CSV or XLSX: number, kind, seller, project_code, "
                                                         "buyer, month, mwh[, price, shape].")],
                    as_user: AsOpt = None, home: HomeOption = None) -> None:
    """Record contract months; each delivers its bundled GECs to the buyer."""
    from nengtan.engine import greenassets

    reg, actor = operator(home, as_user)
    _import_report("contract months", greenassets.import_contracts(reg, path, actor))


@contract_app.command("profile")
@friendly
def contract_profile(number: Annotated[str, typer.Argument(help="The contract's number.")],
                     path: Annotated[Path, typer.Argument(help="Metered delivery: ts,value in kWh (by hour or "
                                                          "finer).")],
                     as_user: AsOpt = None, home: HomeOption = None) -> None:
    """Hold a contract's metered hourly delivery; hourly matching spreads its months' volumes by it."""
    from nengtan.engine import greenassets

    reg, actor = operator(home, as_user)
    out = greenassets.import_profile(reg, actor, number, path)
    console.print(say("contract.profile", number=number, hours=f"{out['hours']:,}", kwh=f"{out['kwh']:,.1f}",
                      seq=out["ledger_seq"]), highlight=False)


@contract_app.command("list")
@friendly
def contract_list(enterprise: EnterpriseOpt = None, year: YearOpt = None, as_user: AsOpt = None,
                  home: HomeOption = None, fmt: FormatOption = "table") -> None:
    """Contract months (an enterprise user sees its own)."""
    from nengtan.engine import greenassets

    reg, actor = operator(home, as_user)
    _rows("green-power contracts", greenassets.contracts(reg, actor, enterprise, year),
          ("number", "kind", "seller", "buyer", "month", "mwh", "price", "shape"), fmt,
          {"kind": CONTRACT_KINDS, "shape": CONTRACT_SHAPES})


def claim_cmd(enterprise: Annotated[str, typer.Option("--enterprise", help="The claimant's credit code.")],
              period: Annotated[str, typer.Option("--period", help="The month consumed, YYYY-MM.")],
              mwh: Annotated[int, typer.Option("--mwh", help="MWh claimed (one GEC each).")],
              contract: Annotated[str | None, typer.Option("--contract", help="Only GECs of this contract.")] = None,
              as_user: AsOpt = None, home: HomeOption = None, fmt: FormatOption = "table") -> None:
    """Claim green power consumed in a month, cancelling (核销) the GECs behind it."""
    from nengtan.engine import greenassets

    reg, actor = operator(home, as_user)
    out = greenassets.claim(reg, actor, enterprise, period, mwh, contract)
    if check_format(fmt) == "json":
        print_json(out)
        return
    console.print(say("claim.done", claim=out["claim"], mwh=out["mwh"], period=out["period"], seq=out["ledger_seq"]),
                  highlight=False)
    for g in out["gecs"]:
        console.print(say("claim.cancelled", first=g["first_code"], last=g["last_code"], mwh=g["mwh"],
                          origin=g["origin"]), highlight=False)


def claims_cmd(enterprise: EnterpriseOpt = None, year: YearOpt = None, as_user: AsOpt = None,
               home: HomeOption = None, fmt: FormatOption = "table") -> None:
    """Claims of green power and the GECs each cancelled."""
    from nengtan.engine import greenassets

    reg, actor = operator(home, as_user)
    rows = greenassets.claims(reg, actor, enterprise, year)
    if check_format(fmt) == "json":
        print_json(rows)
        return
    _rows("claims", [{**r, "gecs": "; ".join(f"{g['first_code']}…{g['last_code'][-9:]}" for g in r["gecs"])}
                     for r in rows], ("claim", "uscc", "period", "mwh", "ledger_seq", "gecs"), fmt)


@order_app.command("place")
@friendly
def order_place(owner: Annotated[str, typer.Option("--owner", help="The participant (USCC or the agency's code).")],
                side: Annotated[str, typer.Option("--side", help="buy or sell.")],
                product: Annotated[str, typer.Option("--product", help="gec, green_power, ccer or cea:<year> "
                                                     "(allowances of a compliance year).")],
                price: Annotated[float, typer.Option("--price", help="CNY/MWh (CNY/t for ccer and cea).")],
                mwh: Annotated[int, typer.Option("--mwh", help="MWh (t for ccer and cea).")],
                holding: Annotated[int | None, typer.Option("--holding", help="A sell: the GEC holding, or the "
                                                            "CCER lot, offered.")] = None,
                as_user: AsOpt = None, home: HomeOption = None) -> None:
    """Place an order; it matches at once against the book (price, then time)."""
    from nengtan.engine import greenassets

    reg, actor = operator(home, as_user)
    print_json(greenassets.place_order(reg, actor, owner, side, product, price, mwh, holding))


@order_app.command("cancel")
@friendly
def order_cancel(order: Annotated[int, typer.Argument()], as_user: AsOpt = None, home: HomeOption = None) -> None:
    """Cancel an open order (a sell's GECs go back to the holder)."""
    from nengtan.engine import greenassets

    reg, actor = operator(home, as_user)
    greenassets.cancel_order(reg, actor, order)
    console.print(say("order.cancelled", order=order), highlight=False)


@order_app.command("list")
@friendly
def order_list(owner: Annotated[str | None, typer.Option("--owner")] = None, as_user: AsOpt = None,
               home: HomeOption = None, fmt: FormatOption = "table") -> None:
    """Your orders (the park's staff: all)."""
    from nengtan.engine import greenassets

    reg, actor = operator(home, as_user)
    _rows("orders", greenassets.orders(reg, actor, owner),
          ("order", "owner", "side", "product", "price", "mwh", "remaining", "status"), fmt,
          {"side": ORDER_SIDES, "product": ORDER_PRODUCTS, "status": ORDER_STATUSES})


def book_cmd(home: HomeOption = None) -> None:
    """The public order book: price levels and the last trades, no owners."""
    from nengtan.engine import greenassets

    reg, _ = operator(home, None)
    print_json(greenassets.book(reg))


def statement_cmd(enterprise: Annotated[str, typer.Option("--enterprise", help="The enterprise's credit code.")],
                  year: Annotated[int, typer.Option("--year")],
                  out: Annotated[Path, typer.Option("--out", help="The statement: .xlsx or .pdf.")],
                  as_user: AsOpt = None, home: HomeOption = None) -> None:
    """The enterprise's green-power statement: claims, the GECs behind them, trace attributions, and each
    entry's inclusion proof in the signed ledger."""
    from nengtan.engine import greenstatement
    from nengtan.reports.greenpower_statement import write_statement

    if out.suffix.lower() not in (".xlsx", ".pdf"):
        raise UserError.said("greenassets.the_statement_is_written", out_name=out.name)
    paths, stores, actor = operator_stores(home, as_user)
    data = greenstatement.statement(stores, paths.home, actor, enterprise, year)
    write_statement(data, out)
    console.print(say("statement.written", uscc=data["enterprise"]["uscc"], year=year, claims=len(data["claims"]),
                      attributions=len(data["attributions"]), head=data["head"]["size"], out=out), highlight=False)


def register(app: typer.Typer) -> None:
    from nengtan.cli.common import DEMO_HOOKS

    if demo_green not in DEMO_HOOKS:
        DEMO_HOOKS.append(demo_green)
    app.add_typer(gec_app, name="gec")
    app.add_typer(contract_app, name="contract")
    app.add_typer(order_app, name="order")
    app.command("claim")(friendly(claim_cmd))
    app.command("claims")(friendly(claims_cmd))
    app.command("book")(friendly(book_cmd))
    app.command("statement")(friendly(statement_cmd))


def demo_green(paths: Any, stores: Any, year: int) -> None:
    """The demo's green power: claims behind market-based Scope 2, the traced network, a statement, and the
    ledger exported and verified offline."""
    from nengtan.engine import accounts, greenassets, greengrid, greenledger, greenstatement
    from nengtan.engine.certification import Actor
    from nengtan.engine.greenledger import LOG_NAME
    from nengtan.ledger.entries import read_export, verify_entries

    admin = Actor("demo", "admin")
    claims = greenassets.claims(stores.registry, admin, year=year)
    if not claims:
        return
    from nengtan.cli.say import say

    inv = accounts.inventory(stores, year)
    console.print(say("demo.greenpower", year=year, n=len(claims), mwh=sum(c["mwh"] for c in claims),
                      market=inv.scope2_market_t, location=inv.scope2_location_t, stated=inv.green_unverified_kwh),
                  highlight=False)
    stock = greenassets.stock(stores.registry, admin, dt.date(year + 1, 1, 1))
    from nengtan.cli.say import word
    from nengtan.labels import GEC_STATUSES

    by_status = "，".join(f"{word(GEC_STATUSES, k)} {v:,}" for k, v in stock["mwh_by_status"].items())
    console.print(say("demo.gec_stock", stock=by_status), highlight=False)
    grid = greengrid.grid_summary(greengrid.park_network(paths))
    green_kwh = sum(x["green_kwh"] for x in grid["loads"])
    load_kwh = sum(x["kwh"] for x in grid["loads"])
    console.print(say("demo.traced", buses=len(grid["buses"]), intervals=grid["intervals"], green=green_kwh,
                      load=load_kwh, share=green_kwh / load_kwh), highlight=False)
    target = max(claims, key=lambda c: c["mwh"])["uscc"]
    out = paths.reports / f"greenpower-statement-{target}-{year}.xlsx"
    from nengtan.reports.greenpower_statement import write_statement

    write_statement(greenstatement.statement(stores, paths.home, admin, target, year), out)
    export = paths.home / "ledger-export"
    greenledger.export(stores.registry, export, greenledger.signing_key(paths.home))
    entries, head = read_export(export)
    v = verify_entries(entries, head, LOG_NAME)
    console.print(say("demo.ledger", n=v.entries, export=export, state=say("intact") if v.ok else v.problem,
                      out=out), highlight=False)
