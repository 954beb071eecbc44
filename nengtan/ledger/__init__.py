"""Append-only, tamper-evident logs in the style of Certificate Transparency (RFC 6962 / RFC 9162).

* :mod:`nengtan.ledger.merkle` — the Merkle tree hash, inclusion and consistency proofs (pure);
* :mod:`nengtan.ledger.heads` — Ed25519-signed tree heads (checkpoints) that can be handed to an
  outside witness and verified offline.

The audit log is the first log written this way; the green-power and carbon-asset ledgers are to be
written to the same structure.
"""
