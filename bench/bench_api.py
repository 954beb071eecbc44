"""Benchmark of the cockpit's endpoints: p50/p95 latency and throughput under 50 concurrent users.

The server (uvicorn, ``--workers`` processes) runs over the demo park; the load generator is a separate
process: 50 concurrent virtual users on keep-alive connections, each cycling through the cockpit's
endpoints with its own login (bearer token). The generator's HTTP client is a minimal asyncio HTTP/1.1
client by default (``--client raw``: it costs the machine little CPU, so the figures are the server's);
``--client httpx`` uses httpx as before, which costs about as much CPU as the server does. Every
request fetches the full body (no ``If-None-Match``). The CPU seconds used by the server processes and
by the generator are reported beside the latencies, and the load average before each run.

Run as ``python bench/bench_api.py [--small] [--seconds 20] [--users 50] [--workers 2] [--client raw]``;
it writes its section "## API (issue 5)" in docs/benchmarks.md, once with SQLite and once with
PostgreSQL as the registry (``--no-write`` prints only).
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing as mp
import os
import platform
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
ENDPOINTS = ["/api/cockpit/summary", "/api/cockpit/trends", "/api/cockpit/breakdown", "/api/cockpit/sankey",
             "/api/cockpit/ranking?by=co2", "/api/cockpit/ranking?by=intensity", "/api/cockpit/map",
             "/api/cockpit/warnings"]
PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/nengtan_bench_api"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def build(home: Path, url: str, small: bool) -> None:
    sys.path.insert(0, str(ROOT))
    from nengtan.api.demo_users import ensure_demo_users
    from nengtan.config import Paths
    from nengtan.demo import FULL, SMALL, build_demo
    from nengtan.registry.store import Registry
    reg = Registry.open(url)
    build_demo(Paths(home), reg, SMALL if small else FULL)
    ensure_demo_users(reg)
    reg.close()


async def _user(base: str, token: str, stop: float, out: list[tuple[str, float, int]], offset: int) -> None:
    import httpx
    async with httpx.AsyncClient(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=30) as c:
        i = offset
        while time.perf_counter() < stop:
            ep = ENDPOINTS[i % len(ENDPOINTS)]
            t0 = time.perf_counter()
            r = await c.get(ep)
            out.append((ep, time.perf_counter() - t0, r.status_code))
            i += 1


async def _read_response(reader: asyncio.StreamReader) -> int:
    """Read one HTTP/1.1 response (Content-Length or chunked body); return its status code."""
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    length, chunked = 0, False
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        if name == b"content-length":
            length = int(value)
        elif name == b"transfer-encoding" and b"chunked" in value.lower():
            chunked = True
    if chunked:
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    elif length:
        await reader.readexactly(length)
    return status


async def _raw_user(host: str, port: int, token: str, stop: float, out: list[tuple[str, float, int]],
                    offset: int) -> None:
    """A virtual user on one keep-alive connection, speaking plain HTTP/1.1 (little client CPU)."""
    reader, writer = await asyncio.open_connection(host, port)
    try:
        i = offset
        while time.perf_counter() < stop:
            ep = ENDPOINTS[i % len(ENDPOINTS)]
            t0 = time.perf_counter()
            writer.write(f"GET {ep} HTTP/1.1\r\nHost: {host}:{port}\r\nAuthorization: Bearer {token}\r\n"
                         f"Accept: application/json\r\n\r\n".encode())
            status = await _read_response(reader)
            out.append((ep, time.perf_counter() - t0, status))
            i += 1
    finally:
        writer.close()


def load(base: str, users: int, seconds: float, client: str, q: mp.Queue,  # type: ignore[type-arg]
         ready: Any) -> None:
    """The load generator (runs in its own process): log in, warm up, then run the virtual users."""
    import httpx
    token = httpx.post(f"{base}/api/auth/token", json={"username": "admin", "password": "demo-admin-pass"}
                       ).json()["access_token"]
    out: list[tuple[str, float, int]] = []
    # warm-up: a few passes (each worker process computes its own caches) so that first-computation
    # costs are not measured as latency
    for _ in range(4):
        for ep in ENDPOINTS:
            httpx.get(f"{base}{ep}", headers={"Authorization": f"Bearer {token}"}, timeout=300)
    host, port = base.removeprefix("http://").split(":")

    async def main() -> float:
        t0 = time.perf_counter()
        stop = t0 + seconds
        if client == "raw":
            await asyncio.gather(*(_raw_user(host, int(port), token, stop, out, k) for k in range(users)))
        else:
            await asyncio.gather(*(_user(base, token, stop, out, k) for k in range(users)))
        return time.perf_counter() - t0

    ready.set()
    cpu0 = os.times()
    wall = asyncio.run(main())
    cpu1 = os.times()
    q.put((out, wall, (cpu1.user - cpu0.user) + (cpu1.system - cpu0.system)))


def _tree_cpu(pid: int) -> float:
    """CPU seconds (user + system) of a process and its live descendants, from /proc."""
    total = 0.0
    tick = os.sysconf("SC_CLK_TCK")
    todo = [pid]
    while todo:
        p = todo.pop()
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
            for task in Path(f"/proc/{p}/task").iterdir():
                todo.extend(int(c) for c in (task / "children").read_text().split())
        except (OSError, IndexError, ValueError):
            continue
    return total


def _loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def run_one(label: str, home: Path, url: str, users: int, seconds: float, workers: int = 1,
            client: str = "raw") -> dict[str, object]:
    port = _free_port()
    env = dict(os.environ, NENGTAN_HOME=str(home), NENGTAN_DATABASE_URL=url,
               NENGTAN_SECRET_KEY="bench-" + "b" * 40, NENGTAN_LOGIN_MAX_ATTEMPTS="100000",
               PYTHONPATH=str(ROOT))
    server = subprocess.Popen([sys.executable, "-m", "uvicorn", "nengtan.api.app:create_app", "--factory",
                               "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning",
                               "--no-access-log", "--workers", str(workers)], env=env)
    try:
        import httpx
        base = f"http://127.0.0.1:{port}"
        for _ in range(600):
            try:
                if httpx.get(f"{base}/api/health").status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        ctx = mp.get_context("spawn")
        q = ctx.Queue()
        ready = ctx.Event()
        loadavg = _loadavg()
        p = ctx.Process(target=load, args=(base, users, seconds, client, q, ready))
        p.start()
        # the server's CPU is counted from the end of the warm-up (the generator says when)
        if not ready.wait(timeout=900):
            raise RuntimeError("the load generator did not finish its warm-up")
        server_cpu0 = _tree_cpu(server.pid)
        out, wall, gen_cpu = q.get(timeout=seconds + 900)
        server_cpu = _tree_cpu(server.pid) - server_cpu0
        p.join()
    finally:
        server.terminate()
        server.wait(10)
    lat = sorted(x[1] * 1000 for x in out)
    errors = sum(1 for x in out if x[2] != 200)
    return {"label": label, "workers": workers, "client": client, "requests": len(out), "errors": errors,
            "rps": len(out) / wall, "p50": statistics.median(lat), "p95": lat[int(0.95 * (len(lat) - 1))],
            "max": lat[-1], "loadavg": loadavg, "server_cpu_ms": 1000 * server_cpu / max(len(out), 1),
            "gen_cpu_ms": 1000 * gen_cpu / max(len(out), 1), "wall": wall}


def write_section(rows: list[dict[str, object]], args: argparse.Namespace) -> None:
    """Replace the "## API (issue 5)" section; a "### History" subsection in it is kept as it is."""
    path = ROOT / "docs" / "benchmarks.md"
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    pattern = re.compile(r"## API \(issue 5\)\n.*?(?=\n## |\Z)", re.S)
    old = pattern.search(text)
    history = ""
    if old and "### History" in old.group(0):
        history = old.group(0)[old.group(0).index("### History"):].rstrip("\n") + "\n"
    lines = ["## API (issue 5)", "",
             f"`python bench/bench_api.py{' --small' if args.small else ''} --users {args.users} --seconds "
             f"{args.seconds:g} --runs {args.runs}`: uvicorn over the {'small' if args.small else 'full'} demo park; a "
             f"separate load-generator process runs {args.users} concurrent users on keep-alive connections, "
             f"each cycling through the cockpit's {len(ENDPOINTS)} data endpoints and fetching every body in full "
             "(no If-None-Match). `raw` is the bench's minimal asyncio HTTP/1.1 client, `httpx` the httpx "
             "client; CPU is user + system seconds per request of the server processes and of the generator "
             "during the measured interval; load is /proc/loadavg just before the run. "
             f"Machine: {platform.processor() or platform.machine()}, "
             f"{os.cpu_count()} CPUs (shared by server and generator), Python {platform.python_version()}. "
             "Goal: p95 < 100 ms.", "",
             "| registry | workers | client | requests | errors | throughput [req/s] | p50 [ms] | p95 [ms] | "
             "max [ms] | server CPU [ms/req] | generator CPU [ms/req] | load before |",
             "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
    for r in rows:
        lines.append(f"| {r['label']} | {r['workers']} | {r['client']} | {r['requests']} | {r['errors']} | "
                     f"{r['rps']:.0f} | {r['p50']:.1f} | {r['p95']:.1f} | {r['max']:.1f} | "
                     f"{r['server_cpu_ms']:.2f} | {r['gen_cpu_ms']:.2f} | {r['loadavg']} |")
    section = "\n".join(lines) + "\n" + ("\n" + history if history else "")
    text = pattern.sub(lambda _m: section.rstrip("\n") + "\n", text) if old else text.rstrip("\n") + "\n\n" + section
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _runs(spec: str) -> list[tuple[int, str]]:
    out = []
    for part in spec.split(","):
        w, _, c = part.strip().partition(":")
        if c not in ("raw", "httpx"):
            raise SystemExit(f"--runs: {part!r} is not WORKERS:raw or WORKERS:httpx")
        out.append((int(w), c))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--small", action="store_true", help="the small demo park (seconds to build)")
    ap.add_argument("--users", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=20.0)
    ap.add_argument("--runs", default="1:raw,2:raw,2:httpx",
                    help="comma-separated WORKERS:CLIENT runs per registry (client raw or httpx)")
    ap.add_argument("--no-postgres", action="store_true")
    ap.add_argument("--no-write", action="store_true", help="print the figures, leave docs/benchmarks.md")
    args = ap.parse_args()
    runs = _runs(args.runs)
    rows: list[dict[str, object]] = []
    with tempfile.TemporaryDirectory(prefix="nengtan-bench-") as tmp:
        home = Path(tmp) / "sqlite"
        home.mkdir()
        url = f"sqlite:///{home / 'registry.sqlite'}"
        build(home, url, args.small)
        for workers, client in runs:
            rows.append(run_one("SQLite", home, url, args.users, args.seconds, workers, client))
            print(rows[-1], flush=True)
        if not args.no_postgres:
            from sqlalchemy import create_engine, text
            eng = create_engine("postgresql+psycopg://postgres@127.0.0.1:5432/postgres", isolation_level="AUTOCOMMIT")
            with eng.connect() as c:
                c.execute(text('DROP DATABASE IF EXISTS "nengtan_bench_api" WITH (FORCE)'))
                c.execute(text('CREATE DATABASE "nengtan_bench_api"'))
            eng.dispose()
            pg_home = Path(tmp) / "pg"
            pg_home.mkdir()
            build(pg_home, PG_URL, args.small)
            for workers, client in runs:
                rows.append(run_one("PostgreSQL", pg_home, PG_URL, args.users, args.seconds, workers, client))
                print(rows[-1], flush=True)
    if not args.no_write:
        write_section(rows, args)


if __name__ == "__main__":
    main()
