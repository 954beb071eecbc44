"""Virtual meters' formulas (虚拟表), pure: a virtual meter is arithmetic over other meters, the way MyEMS lets a site
allocate a shared supply (``0.35 * {UTIL-STEAM}``) or name what its sub-meters miss (``{E001-M} - {E001-S1} -
{E001-S2}``).

A formula is numbers, meter codes in braces, ``+ - * /``, unary minus and parentheses; nothing else is accepted (no
names, calls or attributes: it is parsed with :mod:`ast` and walked over a fixed set of node kinds, never
evaluated as Python). Evaluated element by element over the meters' series (months, or a day's intervals); a
missing value (NaN) makes the result missing, and so does a division by zero.
"""

from __future__ import annotations

import ast
import operator
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

from nengtan.errors import InputError

_REF = re.compile(r"\{([^{}]+)\}")
_OPS: dict[type[ast.operator], Callable[[np.ndarray, np.ndarray], np.ndarray]] = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv}
MAX_LENGTH = 500


@dataclass(frozen=True)
class Formula:
    text: str
    meters: tuple[str, ...]  # the codes it refers to, in order of first use
    tree: ast.expr


def parse(text: str) -> Formula:
    """The formula of ``text``, or an InputError naming what is wrong and where."""
    text = " ".join(str(text).split())
    if not text or len(text) > MAX_LENGTH:
        raise InputError(f"formula: give 1 to {MAX_LENGTH} characters")
    meters: list[str] = []

    def name(m: re.Match[str]) -> str:
        code = m.group(1).strip()
        if not code:
            raise InputError(f"formula {text!r}: empty meter reference {{}}")
        if code not in meters:
            meters.append(code)
        return f"m{meters.index(code)}"

    if re.search(r"[^\d\s.+\-*/()eE]", _REF.sub("", text)):
        raise InputError(f"formula {text!r}: only numbers, {{METER}} codes, + - * / and parentheses are allowed")
    source = _REF.sub(name, text)
    if "{" in source or "}" in source:
        raise InputError(f"formula {text!r}: unbalanced braces; write meters as {{CODE}}")
    try:
        tree = ast.parse(source, mode="eval").body
    except SyntaxError:
        raise InputError(f"formula {text!r}: not arithmetic of numbers and {{METER}} codes with + - * / and "
                         "parentheses") from None
    for node in ast.walk(tree):
        ok = isinstance(node, (ast.BinOp, ast.UnaryOp, ast.Name, ast.Load, ast.USub, ast.UAdd, *_OPS)) or (
            isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and
            not isinstance(node.value, bool))
        if isinstance(node, ast.Name) and not re.fullmatch(r"m\d+", node.id):
            ok = False
        if not ok:
            raise InputError(f"formula {text!r}: only numbers, {{METER}} codes, + - * / and parentheses are allowed")
    if not meters:
        raise InputError(f"formula {text!r}: it names no meter; write meters as {{CODE}}")
    return Formula(text, tuple(meters), tree)


def evaluate(formula: Formula, series: Mapping[str, np.ndarray]) -> np.ndarray:
    """The formula over the meters' series (each the same length), element by element."""

    def walk(node: ast.expr) -> np.ndarray:
        if isinstance(node, ast.Constant):
            assert isinstance(node.value, (int, float))  # parse() let no other constant through
            return np.asarray(float(node.value))
        if isinstance(node, ast.Name):
            return np.asarray(series[formula.meters[int(node.id[1:])]], dtype=float)
        if isinstance(node, ast.UnaryOp):
            inner = walk(node.operand)
            return -inner if isinstance(node.op, ast.USub) else inner
        assert isinstance(node, ast.BinOp)
        left, right = walk(node.left), walk(node.right)
        if isinstance(node.op, ast.Div):
            right = np.where(right == 0, np.nan, right)
        return _OPS[type(node.op)](left, right)

    with np.errstate(invalid="ignore", divide="ignore"):
        out = walk(formula.tree)
    n = len(next(iter(series.values()))) if series else 1
    return np.broadcast_to(out, (n,)).astype(float)
