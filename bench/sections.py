"""docs/benchmarks.md is one file with a section per benchmark script; each script replaces its own."""

from __future__ import annotations

from pathlib import Path

DOC = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"


def replace_section(text: str) -> None:
    """Put `text` (starting with its ``## heading`` line) in place of the section of that heading, or
    append it when the file has none; the other sections stay as they are."""
    head = text.split("\n", 1)[0] + "\n"
    body = DOC.read_text(encoding="utf-8") if DOC.exists() else "# Benchmarks\n"
    if head in body:
        start = body.index(head)
        nxt = body.find("\n## ", start + len(head))
        body = body[:start] + text + (body[nxt + 1:] if nxt >= 0 else "")
    else:
        body = body.rstrip("\n") + "\n\n" + text
    DOC.write_text(body, encoding="utf-8")


def run_line() -> str:
    """The start of a section's first line: when and on what it ran ("Run 2026-12-03 10:28 on 2 CPUs, …")."""
    import datetime as dt
    import os
    import platform

    return (f"Run {dt.datetime.now().strftime('%Y-%m-%d %H:%M')} on {os.cpu_count()} CPUs, {platform.platform()}, "
            f"Python {platform.python_version()}")


def publish(lines: list[str]) -> None:
    """Write a section (its lines, the ``## heading`` first) to docs/benchmarks.md and print it."""
    text = "\n".join(lines) + "\n"
    replace_section(text)
    print(text)
