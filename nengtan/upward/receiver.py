"""The reference receiver of upward reports: what the tests play the province with, and the behaviour nengtan
expects of the province's endpoint — a message is stored once per idempotency key (a resent key is acknowledged
with 200 and ``duplicate``, not stored again), a payload that is not the format is refused with 422.

Run it: ``python -m nengtan.upward.receiver --db received.sqlite --port 8443 [--certfile C --keyfile K]
[--fail-first N] [--delay S]`` (the last two let a test make it fail, or answer late after storing).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sqlite3
import threading
from typing import Any

from fastapi import FastAPI, Header, Request
from fastapi.responses import JSONResponse

from nengtan.upward.format import FORMAT, KINDS


def create_app(db: str, fail_first: int = 0, delay: float = 0.0) -> FastAPI:
    app = FastAPI(title="upward reference receiver")
    lock = threading.Lock()
    con = sqlite3.connect(db, check_same_thread=False, isolation_level=None)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("CREATE TABLE IF NOT EXISTS received (key TEXT PRIMARY KEY, kind TEXT, uscc TEXT, period TEXT, "
                "body TEXT, at TEXT DEFAULT CURRENT_TIMESTAMP)")
    state = {"calls": 0}

    @app.post("/{kind}")
    async def receive(kind: str, request: Request, idempotency_key: str = Header(...)) -> JSONResponse:
        state["calls"] += 1
        if state["calls"] <= fail_first:
            return JSONResponse({"error": "unavailable"}, status_code=503)
        try:
            body: dict[str, Any] = json.loads(await request.body())
        except ValueError:
            return JSONResponse({"error": "not JSON"}, status_code=422)
        if kind not in KINDS or body.get("format") != FORMAT or body.get("key") != idempotency_key:
            return JSONResponse({"error": "not a nengtan-upward/1 message of this key"}, status_code=422)
        with lock:
            try:
                con.execute("INSERT INTO received (key, kind, uscc, period, body) VALUES (?, ?, ?, ?, ?)",
                            (idempotency_key, kind, body["enterprise"]["uscc"], body["period"], json.dumps(body)))
            except sqlite3.IntegrityError:
                return JSONResponse({"key": idempotency_key, "duplicate": True}, status_code=200)
        if delay:  # stored, but the answer is slow: a sender may die before it hears it
            await asyncio.sleep(delay)
        return JSONResponse({"key": idempotency_key, "stored": True}, status_code=201)

    return app


def main() -> None:
    import uvicorn

    ap = argparse.ArgumentParser()
    ap.add_argument("--db", required=True)
    ap.add_argument("--port", type=int, default=8443)
    ap.add_argument("--certfile")
    ap.add_argument("--keyfile")
    ap.add_argument("--fail-first", type=int, default=0)
    ap.add_argument("--delay", type=float, default=0.0)
    a = ap.parse_args()
    uvicorn.run(create_app(a.db, a.fail_first, a.delay), host="127.0.0.1", port=a.port, log_level="warning",
                ssl_certfile=a.certfile, ssl_keyfile=a.keyfile)


if __name__ == "__main__":
    main()
