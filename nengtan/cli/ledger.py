"""``nengtan ledger``: the green-power ledger — signed heads, exports and proofs, and their offline checks.

``verify`` and ``check-proof`` read only the files they are given: they run on a verifier's or a buyer's own
machine, with no nengtan data home."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from nengtan.cli.common import HomeOption, UserError, console, err_console, friendly, print_json
from nengtan.cli.say import say

ledger_app = typer.Typer(help="The green-power ledger: signed heads, export, offline verification, proofs.",
                         no_args_is_help=True)
KeyOpt = Annotated[str | None, typer.Option("--public-key", help="The park's public key (hex) you pinned; default: "
                                            "the one in the head.")]


@ledger_app.command("head")
@friendly
def head_cmd(home: HomeOption = None) -> None:
    """Sign and print the ledger's current tree head (size and Merkle root)."""
    from nengtan.cli.common import open_stores
    from nengtan.engine import greenledger

    paths, reg, _ = open_stores(home)
    with reg.session() as s:
        h = greenledger.head(s, greenledger.signing_key(paths.home))
    print_json(json.loads(h.to_json()))


@ledger_app.command("export")
@friendly
def export_cmd(out: Annotated[Path, typer.Argument(help="A folder: entries.jsonl and head.json are written there.")],
               home: HomeOption = None) -> None:
    """Export every entry and a signed head over them, for an outside witness or a verifier."""
    from nengtan.cli.common import open_stores
    from nengtan.engine import greenledger

    paths, reg, _ = open_stores(home)
    h = greenledger.export(reg, out, greenledger.signing_key(paths.home))
    console.print(say("ledger.exported", size=h.size, root=h.root, signer=h.public_key[:16], out=out), highlight=False)


@ledger_app.command("verify")
@friendly
def verify_cmd(export: Annotated[Path, typer.Argument(help="An exported ledger folder.")],
               head: Annotated[Path | None, typer.Option("--head", help="A head exported earlier (the witness's "
                                                          "copy) to check the entries against; default: the "
                                                          "folder's head.json.")] = None,
               public_key: KeyOpt = None) -> None:
    """Check offline that the exported entries are exactly those the signed head covers: any edited, deleted,
    inserted, reordered or cut-off entry, and any forged head, fails."""
    from nengtan.engine.greenledger import LOG_NAME
    from nengtan.ledger.entries import read_export, verify_entries
    from nengtan.ledger.heads import TreeHead

    if not (export / "entries.jsonl").exists():
        raise UserError.said("ledger.no_entries_jsonl_export", export=export)
    try:
        entries, own_head = read_export(export)
        h = TreeHead.from_json(head.read_text(encoding="utf-8")) if head else own_head
    except (OSError, ValueError, KeyError) as exc:
        raise UserError.said("ledger.error", export=export, exc=exc) from None
    v = verify_entries(entries, h, LOG_NAME, public_key)
    if not v.ok:
        err_console.print(say("ledger.tampered", problem=v.problem), highlight=False)
        raise typer.Exit(1)
    console.print(say("ledger.intact", entries=v.entries, size=v.head_size, root=h.root[:16]), highlight=False)


@ledger_app.command("proof")
@friendly
def proof_cmd(seq: Annotated[int, typer.Argument(help="The entry's sequence number.")],
              out: Annotated[Path, typer.Option("--out", help="Where to write the proof (JSON).")],
              home: HomeOption = None) -> None:
    """An entry with its inclusion proof and a signed head: hand it to a buyer or a certification body."""
    from nengtan.cli.common import open_stores
    from nengtan.engine import greenledger

    paths, reg, _ = open_stores(home)
    bundle = greenledger.proof(reg, seq, greenledger.signing_key(paths.home))
    out.write_text(json.dumps(bundle, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    console.print(say("ledger.proof", seq=seq, kind=bundle["entry"]["kind"], size=bundle["head"]["size"], out=out),
                  highlight=False)


@ledger_app.command("check-proof")
@friendly
def check_proof_cmd(proof: Annotated[Path, typer.Argument(help="A proof file.")], public_key: KeyOpt = None) -> None:
    """Check offline that the proof's entry is in the ledger its signed head describes, unchanged."""
    from nengtan.ledger.entries import verify_bundle

    try:
        bundle = json.loads(proof.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise UserError.said("ledger.not_a_proof", proof=proof, exc=exc) from None
    v = verify_bundle(bundle, public_key)
    if not v.ok:
        err_console.print(say("ledger.not_proven", problem=v.problem), highlight=False)
        raise typer.Exit(1)
    e = bundle["entry"]
    console.print(say("ledger.proven", seq=e["seq"], kind=e["kind"], subject=e["subject"], size=v.head_size),
                  highlight=False)


def register(app: typer.Typer) -> None:
    app.add_typer(ledger_app, name="ledger")
