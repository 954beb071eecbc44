"""``nengtan footprint list|show|pact|request|share`` and ``nengtan cert …``: footprint records, supplier
sharing, PACT exchange and the carbon-label certification workflow (docs/footprint.md).

A step of the workflow is taken as a registered user (``--as USER``): the user's role and organisation
decide what it may do, exactly as through the API, and the audit log names that user."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from nengtan.cli.common import FormatOption, HomeOption, Table, UserError, check_format, console, friendly, print_json
from nengtan.cli.say import say, tr, word
from nengtan.labels import CERTIFICATE_STATUSES, CERTIFICATION_STATES

if TYPE_CHECKING:
    from nengtan.config import Paths
    from nengtan.engine.certification import Actor
    from nengtan.engine.stores import LocalStores
    from nengtan.registry.store import Registry

cert_app = typer.Typer(help="Carbon-footprint label certification (产品碳足迹标识认证).", no_args_is_help=True)
pact_app = typer.Typer(help="PACT 3.0 (WBCSD Pathfinder) footprint exchange.", no_args_is_help=True)
AS_HELP = "Act as this registered user (its role decides what it may do)."
AsOpt = Annotated[str | None, typer.Option("--as", help=AS_HELP)]
AsNeeded = Annotated[str, typer.Option("--as", help=AS_HELP)]
RecordArg = Annotated[str, typer.Argument(help="A footprint record's id.")]


def operator(home: str | None, as_user: str | None) -> tuple[Registry, Actor]:
    """The registry and who acts: the named user, or the local operator (the park's administrator, as for
    ``footprint calc --save``)."""
    _, stores, actor = operator_stores(home, as_user)
    return stores.registry, actor


def operator_stores(home: str | None, as_user: str | None) -> tuple[Paths, LocalStores, Actor]:
    """The data home, its stores and who acts (as :func:`operator`), for commands that also compute."""
    from nengtan.engine import open_local
    from nengtan.engine.certification import Actor, actor_of

    paths, stores = open_local(home)
    return paths, stores, (actor_of(stores.registry, as_user) if as_user else Actor("cli", "admin"))


def _show(out: dict[str, Any], fmt: str, title: str, keys: tuple[str, ...]) -> None:
    if check_format(fmt) == "json":
        print_json(out)
        return
    t = Table(title=title, show_header=False)
    for k in keys:
        if out.get(k) is not None:
            t.add_row(tr(k, "field"), _named(out, k))
    console.print(t)


def _named(out: dict[str, Any], key: str) -> str:
    """A field's value; an application's state and a certificate's status (the engine's bilingual name) as the
    CLI's language names its code."""
    if key == "state_name" and out.get("state"):
        return word(CERTIFICATION_STATES, str(out["state"]))
    if key == "status_name" and out.get("status"):
        return word(CERTIFICATE_STATUSES, str(out["status"]))
    return str(out[key])


# -- records ---------------------------------------------------------------------------------------

def list_cmd(enterprise: Annotated[str, typer.Option("--enterprise", help="Credit code.")], as_user: AsOpt = None,
             home: HomeOption = None, fmt: FormatOption = "table") -> None:
    """The footprint records of an enterprise."""
    from nengtan.engine.certification import list_footprints

    reg, actor = operator(home, as_user)
    rows = list_footprints(reg, actor, enterprise)
    if check_format(fmt) == "json":
        print_json(rows)
        return
    t = Table(title=say("footprints.of", enterprise=enterprise))
    for col in ("id", "product", "kg CO2e", "per", "year", "model", "created"):
        t.add_column(tr(col) if col != "kg CO2e" else col)
    for r in rows:
        t.add_row(r["id"], r["product_name"], f"{r['total_kgco2e']:.6g}", r["declared_unit"],
                  str(r["reference_year"] or ""), r["model"], r["created_at"][:19])
    console.print(t)


def show_cmd(record: RecordArg, as_user: AsOpt = None, home: HomeOption = None, fmt: FormatOption = "json") -> None:
    """One footprint record (whole for its enterprise; as PACT for a customer it was shared with)."""
    from nengtan.engine.certification import footprint_view

    reg, actor = operator(home, as_user)
    _show(footprint_view(reg, actor, record), fmt, say("footprint.record", id=record),
          ("id", "enterprise", "product_name", "total_kgco2e", "declared_unit", "reference_year", "model", "database",
           "data_version", "factor_set"))


def request_cmd(supplier: Annotated[str, typer.Option("--supplier", help="The supplier's credit code.")],
                product: Annotated[str, typer.Option("--product", help="The product asked for.")],
                requester: Annotated[str, typer.Option("--from", help="The requesting enterprise's credit code.")],
                as_user: AsNeeded, message: Annotated[str, typer.Option("--message")] = "",
                home: HomeOption = None, fmt: FormatOption = "table") -> None:
    """Ask a supplier for its footprint of a product (it shares one with its consent, or declines)."""
    from nengtan.engine.certification import request_footprint

    reg, actor = operator(home, as_user)
    _show(request_footprint(reg, actor, requester, supplier, product, message), fmt, tr("footprint request"),
          ("id", "requester", "supplier", "product", "status"))


def share_cmd(request: Annotated[int, typer.Argument(help="The request's number.")], as_user: AsNeeded,
              record: Annotated[str | None, typer.Option("--record", help="The footprint record to share.")] = None,
              decline: Annotated[bool, typer.Option("--decline", help="Decline the request.")] = False,
              home: HomeOption = None, fmt: FormatOption = "table") -> None:
    """Answer a customer's request: share one of your footprint records, or decline."""
    from nengtan.engine.certification import answer_request

    if bool(record) == decline:
        raise UserError.said("certification.give_either_record_id")
    reg, actor = operator(home, as_user)
    _show(answer_request(reg, actor, request, None if decline else record), fmt, tr("footprint request"),
          ("id", "requester", "supplier", "product", "status", "footprint"))


def requests_cmd(enterprise: Annotated[str, typer.Option("--enterprise", help="Credit code.")], as_user: AsOpt = None,
                 home: HomeOption = None) -> None:
    """An enterprise's footprint requests, made and received (JSON)."""
    from nengtan.engine.certification import requests

    reg, actor = operator(home, as_user)
    print_json(requests(reg, actor, enterprise))


# -- PACT ------------------------------------------------------------------------------------------

@pact_app.command("export")
@friendly
def pact_export(record: RecordArg, out: Annotated[Path | None, typer.Option("--out", "-o", help="File (default: "
                                                                            "standard output).")] = None,
                as_user: AsOpt = None, home: HomeOption = None) -> None:
    """A footprint record as a PACT 3.0 ProductFootprint (validated)."""
    from nengtan.engine.certification import pact_document

    reg, actor = operator(home, as_user)
    doc = pact_document(reg, actor, record)
    if out is None:
        print_json(doc)
        return
    out.write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    console.print(say("pact.written", version=doc["specVersion"], id=doc["id"], out=out), highlight=False)


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text("utf-8-sig"))
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError.said("certification.cannot_read", path=path, exc=exc) from None
    except json.JSONDecodeError as exc:
        raise UserError.said("certification.not_json_line_column", path=path, exc_lineno=exc.lineno,
                             exc_colno=exc.colno, exc_msg=exc.msg) from None


@pact_app.command("validate")
@friendly
def pact_validate(path: Annotated[Path, typer.Argument(help="A PACT ProductFootprint (JSON).")]) -> None:
    """Check a file against the PACT 3.0 data model; every problem is listed."""
    from nengtan.footprint.pact import problems

    doc = _read_json(path)
    docs = doc["data"] if isinstance(doc, dict) and isinstance(doc.get("data"), list) else [doc]
    bad = [f"{path}[{i}] {p}" if len(docs) > 1 else f"{path}: {p}" for i, d in enumerate(docs) for p in problems(d)]
    if bad:
        for line in bad:
            console.print(line, highlight=False)
        raise typer.Exit(1)
    console.print(say("pact.valid", path=path, n=len(docs)), highlight=False)


@pact_app.command("import")
@friendly
def pact_import(path: Annotated[Path, typer.Argument(help="A PACT ProductFootprint (JSON) from a supplier.")],
                enterprise: Annotated[str, typer.Option("--enterprise", help="The enterprise that received it.")],
                as_user: AsOpt = None, home: HomeOption = None) -> None:
    """Hold a supplier's PACT footprint for an enterprise's models (provider pcf:<id>)."""
    from nengtan.engine.certification import import_pact

    reg, actor = operator(home, as_user)
    r = import_pact(reg, actor, enterprise, _read_json(path), str(path))
    console.print(say("pact.held", id=r["id"], product=r["product_name"], total=f"{r['total_kgco2e']:.6g}",
                      unit=r["declared_unit"]), highlight=False)


# -- certification ---------------------------------------------------------------------------------

APP_KEYS = ("number", "enterprise", "body", "state_name", "footprint", "product_name", "total_kgco2e",
            "declared_unit", "verified_by", "certificate")


def _application(out: dict[str, Any], fmt: str) -> None:
    if check_format(fmt) == "json":
        print_json(out)
        return
    _show(out, fmt, say("cert.application", number=out["number"]), APP_KEYS)
    t = Table(title=tr("steps"))
    for col in ("step", "outcome", "state", "who", "when", "note"):
        t.add_column(tr(col, "field"))
    for x in out["steps"]:
        t.add_row(f"{x['name']} {x['step']}", tr("pass", "step") if x["passed"] else tr("fail", "step"),
                  word(CERTIFICATION_STATES, x["to"]), x["actor"], x["at"][:19], x["note"])
    console.print(t)


@cert_app.command("apply")
@friendly
def cert_apply(record: RecordArg, body: Annotated[str, typer.Option("--body", help="The certification body's code.")],
               as_user: AsNeeded, home: HomeOption = None, fmt: FormatOption = "table") -> None:
    """Apply (委托) to a certification body for a label of a footprint record."""
    from nengtan.engine.certification import apply

    reg, actor = operator(home, as_user)
    _application(apply(reg, actor, record, body), fmt)


@cert_app.command("step")
@friendly
def cert_step(number: Annotated[str, typer.Argument(help="The application's number (APP-…).")],
              step: Annotated[str, typer.Argument(help="accept, document_review, site_inspection, verification, "
                                                  "resubmit, decision or withdraw_application.")],
              as_user: AsNeeded,
              fail: Annotated[bool, typer.Option("--fail", help="The step's outcome is a fail (refusal, corrections "
                                                 "requested, rejection).")] = False,
              note: Annotated[str, typer.Option("--note", help="Findings, reasons.")] = "",
              record: Annotated[str | None, typer.Option("--record", help="resubmit: the corrected footprint "
                                                         "record.")] = None,
              home: HomeOption = None, fmt: FormatOption = "table") -> None:
    """Take one step of an application; the decision's pass issues the certificate."""
    from nengtan.engine.certification import take_step

    reg, actor = operator(home, as_user)
    _application(take_step(reg, actor, number, step, not fail, note, record), fmt)


@cert_app.command("list")
@friendly
def cert_list(as_user: AsOpt = None, home: HomeOption = None, fmt: FormatOption = "table") -> None:
    """The applications the user may see."""
    from nengtan.engine.certification import applications

    reg, actor = operator(home, as_user)
    rows = applications(reg, actor)
    if check_format(fmt) == "json":
        print_json(rows)
        return
    t = Table(title=tr("applications"))
    for col in ("number", "enterprise", "product", "kg CO2e", "per", "body", "state", "certificate"):
        t.add_column(tr(col, "field") if col != "kg CO2e" else col)
    for a in rows:
        t.add_row(a["number"], a["enterprise"], a["product_name"], f"{a['total_kgco2e']:.6g}", a["declared_unit"],
                  a["body"], _named(a, "state_name"), a["certificate"] or "")
    console.print(t)


@cert_app.command("show")
@friendly
def cert_show(number: Annotated[str, typer.Argument(help="An application (APP-…) or a certificate (CFP-…).")],
              as_user: AsOpt = None, home: HomeOption = None, fmt: FormatOption = "table") -> None:
    """An application with its steps, or a certificate as its public verification page shows it."""
    from nengtan.engine.certification import application, public_certificate

    reg, actor = operator(home, as_user)
    if number.strip().upper().startswith("APP-"):
        _application(application(reg, actor, number), fmt)
        return
    _show(public_certificate(reg, number), fmt, say("cert.certificate", number=number),
          ("number", "status_name", "status_reason", "enterprise", "product_name", "value_kgco2e", "declared_unit",
           "issued_on", "valid_to", "body", "standard", "checked_on"))


@cert_app.command("action")
@friendly
def cert_action(number: Annotated[str, typer.Argument(help="The certificate's number (CFP-…).")],
                action: Annotated[str, typer.Argument(help="surveillance, suspend, reinstate or withdraw.")],
                as_user: AsNeeded,
                fail: Annotated[bool, typer.Option("--fail", help="surveillance found a nonconformity (suspends "
                                                   "the certificate).")] = False,
                note: Annotated[str, typer.Option("--note", help="Findings or the reason (required to suspend or "
                                                  "withdraw).")] = "",
                home: HomeOption = None, fmt: FormatOption = "table") -> None:
    """Surveil, suspend, reinstate or withdraw a certificate."""
    from nengtan.engine.certification import certificate_action

    reg, actor = operator(home, as_user)
    _show(certificate_action(reg, actor, number, action, not fail, note), fmt, say("cert.certificate", number=number),
          ("number", "status_name", "status_reason", "valid_to"))


@cert_app.command("label")
@friendly
def cert_label(number: Annotated[str, typer.Argument(help="The certificate's number (CFP-…).")],
               out: Annotated[Path, typer.Option("--out", "-o", help="label.svg or label.png")],
               url: Annotated[str, typer.Option("--url", help="The platform's public address the QR code opens.")]
               = "http://127.0.0.1:8000",
               home: HomeOption = None) -> None:
    """The certificate's label (SVG or PNG) with the QR code of its public verification page."""
    from nengtan.engine.certification import public_certificate
    from nengtan.reports.label import label_png, label_svg, verify_url

    reg, _ = operator(home, None)
    c = public_certificate(reg, number)
    link = verify_url(url, c["number"])
    suffix = out.suffix.lower()
    if suffix == ".svg":
        out.write_text(label_svg(c, link), encoding="utf-8")
    elif suffix == ".png":
        out.write_bytes(label_png(c, link))
    else:
        raise UserError.said("certification.a_label_is_written", out=out)
    console.print(say("cert.label", number=c["number"], status=word(CERTIFICATE_STATUSES, c["status"]), out=out,
                      link=link), highlight=False)


def demo_chain(paths: Any, stores: Any, year: int) -> None:
    """The demo's PV chain: footprints from metered data, shared up the chain, the module certified."""
    from nengtan.api.demo_users import ensure_demo_users
    from nengtan.demo_chain import run

    ensure_demo_users(stores.registry)
    r = run(paths.home, stores, year)
    if r is None:
        return

    t = Table(title=say("demo.chain_title", year=year))
    for col in (tr("stage"), tr("enterprise"), "kg CO2e", tr("per"), tr("primary data"), tr("record")):
        t.add_column(col)
    for stage, rec in r.records.items():
        share = rec.get("primary_data_share")
        t.add_row(stage, rec["uscc"], f"{rec['total_kgco2e']:,.4g}", rec["declared_unit"],
                  "" if share is None else f"{share:.0%}", rec["id"])
    console.print(t)
    c = r.certificate
    console.print(say("demo.certificate", number=c["number"], status=word(CERTIFICATE_STATUSES, c["status"]),
                      valid_to=c["valid_to"], product=c["product_name"], value=c["value_kgco2e"],
                      unit=c["declared_unit"], svg=r.label_svg.name, png=r.label_png.name, pact=r.pact.name,
                      study=r.study), highlight=False)


def register(footprint_app: typer.Typer, app: typer.Typer) -> None:
    from nengtan.cli.common import DEMO_HOOKS

    if demo_chain not in DEMO_HOOKS:
        DEMO_HOOKS.append(demo_chain)
    footprint_app.command("list")(friendly(list_cmd))
    footprint_app.command("show")(friendly(show_cmd))
    footprint_app.command("request")(friendly(request_cmd))
    footprint_app.command("share")(friendly(share_cmd))
    footprint_app.command("requests")(friendly(requests_cmd))
    footprint_app.add_typer(pact_app, name="pact")
    app.add_typer(cert_app, name="cert")
