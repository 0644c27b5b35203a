"""Rule terms that the call's constant arguments make zero: structural zeros, not tangents.

Input: a `Rule` and the arguments a call binds to it (`Rule.bind`). Output: `static_zeros`, the
parameters whose template, its conditional expressions decided by the call's constants, is
``_srcad.zeros_like(...)`` (``matmul_vjp(t, x, y, which)``'s term in `x`: ``matmul_vjp(t, dx,
y, 1) if which == 1 else _srcad.zeros_like(ans)``; ``einsum_vjp``'s in the operand `i` it is
the cotangent of). Such a parameter is dropped as a `zero_in` one is: no term (`common.
active_params`), and its argument does not make the result varied (`activity`). The cotangent
``matmul_vjp(g, w, c, 0)`` of ``w @ c``, with `g` and `c` constant, is then a constant in the
second order, not a tangent that the run-time zero `zeros_like` made varied (the spectral rule
of `np.linalg.eigvalsh` refuses a varied cotangent at repeated eigenvalues,
`srcad.rules.spectral`).

A test is decided only when every name it reads is bound to a constant (a `Const` or a Python
value) of a plain type (None, bool, int, float, str) and it is one comparison (``==``, ``!=``,
``is``, ``is not``) of such names and literals, or ``not`` of one; anything else leaves the term.
"""

from __future__ import annotations

import ast
import functools
from typing import Any

from srcad.ssa.core import Const, Var

_PLAIN = (type(None), bool, int, float, str)
_OPS = {
    ast.Eq: lambda a, b: a == b,
    ast.NotEq: lambda a, b: a != b,
    ast.Is: lambda a, b: a is b,
    ast.IsNot: lambda a, b: a is not b,
}
_UNKNOWN = object()


def _zero_call(node: ast.AST) -> bool:
    """``_srcad.zeros_like(...)``."""
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "zeros_like"
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == "_srcad"
    )


def _may_be_zero(node: ast.AST) -> bool:
    if isinstance(node, ast.IfExp):
        return _may_be_zero(node.body) or _may_be_zero(node.orelse)
    return _zero_call(node)


@functools.cache
def _tree(template: str) -> ast.AST | None:
    """The parsed template, or None when no choice of its tests makes it a zero."""
    try:
        node = ast.parse(template.strip(), mode="eval").body
    except SyntaxError:
        return None
    return node if _may_be_zero(node) else None


def maybe_zero(rule: Any) -> tuple[tuple[str, ast.AST], ...]:
    """The rule's (parameter, parsed template) pairs that some constants make a zero (once per
    rule, kept on it as `Rule.active` keeps its plan)."""
    got = rule.__dict__.get("_maybe_zero")
    if got is None:
        got = tuple(
            (k, t) for k, t in ((k, _tree(s)) for k, s in rule.terms.items()) if t is not None
        )
        object.__setattr__(rule, "_maybe_zero", got)  # (frozen: not a field, not compared)
    return got


def _value(node: ast.AST, bound: dict) -> object:
    if isinstance(node, ast.Constant):
        v = node.value
    elif isinstance(node, ast.Name) and node.id in bound:
        v = bound[node.id]
        if isinstance(v, Var):
            return _UNKNOWN
        if isinstance(v, Const):
            v = v.value
    else:
        return _UNKNOWN
    return v if type(v) in _PLAIN else _UNKNOWN


def _test(node: ast.AST, bound: dict) -> object:
    """The truth of a test, or `_UNKNOWN`."""
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        got = _test(node.operand, bound)
        return got if got is _UNKNOWN else not got
    if not (isinstance(node, ast.Compare) and len(node.ops) == 1 and type(node.ops[0]) in _OPS):
        return _UNKNOWN
    a, b = _value(node.left, bound), _value(node.comparators[0], bound)
    if a is _UNKNOWN or b is _UNKNOWN:
        return _UNKNOWN
    return bool(_OPS[type(node.ops[0])](a, b))


def _is_zero(node: ast.AST, bound: dict) -> bool:
    while isinstance(node, ast.IfExp):
        got = _test(node.test, bound)
        if got is _UNKNOWN:
            return False
        node = node.body if got else node.orelse
    return _zero_call(node)


def static_zeros(rule: Any, bound: dict) -> frozenset[str]:
    """The parameters of `rule` whose term is ``_srcad.zeros_like(...)`` for the constants
    `bound` holds (see the module docstring)."""
    pairs = maybe_zero(rule)
    if not pairs:
        return frozenset()
    return frozenset(k for k, node in pairs if _is_zero(node, bound))
