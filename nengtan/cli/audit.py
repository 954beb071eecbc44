"""``nengtan audit``: signed checkpoints of the audit log, and verifying the log against one."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from nengtan.cli.common import HomeOption, UserError, console, err_console, friendly, open_stores
from nengtan.cli.say import say

audit_app = typer.Typer(help="The audit log: signed checkpoints and offline verification.", no_args_is_help=True)
KEY_FILE = Path("keys") / "ledger-ed25519.pem"


@audit_app.command("checkpoint")
@friendly
def checkpoint_cmd(
    out: Annotated[Path | None, typer.Option("--out", help="Where to write the checkpoint (JSON); default "
                                             "<home>/checkpoints/audit-<size>.json. Hand a copy to an outside "
                                             "witness.")] = None,
    home: HomeOption = None,
) -> None:
    """Sign the audit log's current tree head (size and Merkle root) with the park's Ed25519 key."""
    from nengtan.ledger.heads import load_or_create_key
    from nengtan.registry import audit

    paths, reg, _ = open_stores(home)
    key = load_or_create_key(paths.home / KEY_FILE)
    with reg.session() as s:
        head = audit.checkpoint(s, key)
    target = out or paths.home / "checkpoints" / f"audit-{head.size}.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(head.to_json(), encoding="utf-8")
    console.print(say("audit.checkpoint", size=head.size, root=head.root, signer=head.public_key[:16], out=target),
                  highlight=False)


@audit_app.command("verify")
@friendly
def verify_cmd(
    checkpoint: Annotated[Path, typer.Option("--checkpoint", help="A checkpoint exported earlier (from the "
                                             "witness's copy).")],
    public_key: Annotated[str | None, typer.Option("--public-key", help="The park's public key (hex) the "
                                                   "witness pinned; default: the one in the checkpoint.")] = None,
    home: HomeOption = None,
) -> None:
    """Check the hash chain, and that the log still holds every checkpointed entry unchanged and in order."""
    from nengtan.ledger.heads import TreeHead
    from nengtan.registry import audit

    if not checkpoint.exists():
        raise UserError.said("common.no_such_file", path=checkpoint)
    try:
        head = TreeHead.from_json(checkpoint.read_text(encoding="utf-8"))
    except (ValueError, KeyError) as exc:
        raise UserError.said("audit.not_a_checkpoint", checkpoint=checkpoint, exc=exc) from None
    _, reg, _ = open_stores(home)
    with reg.session() as s:
        chain = audit.verify(s)
        status = audit.verify_against(s, head, public_key)
    if not chain.intact:
        err_console.print(say("audit.chain_broken", seq=chain.first_bad_seq, problem=chain.problem), highlight=False)
    if not status.ok:
        err_console.print(say("ledger.tampered", problem=status.problem), highlight=False)
    if not (chain.intact and status.ok):
        raise typer.Exit(1)
    console.print(say("audit.intact", now=status.size_now, then=status.size_then), highlight=False)
