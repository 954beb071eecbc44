"""Signed tree heads: a log's size and root, signed with the park's Ed25519 key (``cryptography``).

A checkpoint is the JSON of one signed tree head; exported to an outside witness (the park's archive,
the provincial platform, a notary's mailbox), it lets anyone verify offline, with only the checkpoint
and the log's entries, that nothing up to that size was edited, deleted, reordered or cut off since —
someone with write access to the database cannot forge a new checkpoint without the private key.
The signed message is a fixed prefix and the canonical JSON of (log, size, root, timestamp).
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

DOMAIN = b"nengtan signed tree head v1\n"


@dataclass(frozen=True)
class TreeHead:
    log: str
    size: int
    root: str  # hex
    timestamp: str  # ISO 8601, UTC
    public_key: str = ""  # hex, raw Ed25519
    signature: str = ""  # hex

    def message(self) -> bytes:
        return DOMAIN + json.dumps([self.log, self.size, self.root, self.timestamp],
                                   separators=(",", ":")).encode()

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2) + "\n"

    @classmethod
    def from_json(cls, text: str) -> TreeHead:
        d = json.loads(text)
        return cls(str(d["log"]), int(d["size"]), str(d["root"]), str(d["timestamp"]), str(d.get("public_key", "")),
                   str(d.get("signature", "")))


def load_or_create_key(path: Path) -> Ed25519PrivateKey:
    """The signing key kept at `path` (PKCS#8 PEM, readable by the owner only), created on first use."""
    if path.exists():
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError(f"{path} is not an Ed25519 key")
        return key
    key = Ed25519PrivateKey.generate()
    path.parent.mkdir(parents=True, exist_ok=True)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(pem)
    return key


def sign(log: str, size: int, root: bytes, key: Ed25519PrivateKey, at: dt.datetime | None = None) -> TreeHead:
    head = TreeHead(log, size, root.hex(), (at or dt.datetime.now(dt.UTC)).isoformat(timespec="seconds"))
    pub = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return TreeHead(head.log, head.size, head.root, head.timestamp, pub.hex(), key.sign(head.message()).hex())


def signature_valid(head: TreeHead, public_key_hex: str | None = None) -> bool:
    """Is the head signed by the key it names (or by `public_key_hex`, a key the verifier pinned)?"""
    try:
        pub = Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_key_hex or head.public_key))
        pub.verify(bytes.fromhex(head.signature), head.message())
    except (InvalidSignature, ValueError):
        return False
    return True
