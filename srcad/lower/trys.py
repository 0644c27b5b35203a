"""``try``/``except`` around one call of a library function: the handler taken or not at run time.

Input: the gast ``Try`` (rewritten before the name analyses, with ``try``/``finally``:
lower/lower.py). Output: statements the lowering has, an ``if`` on which part Python runs.

    try:                                   $try1 = $try_which(np.linalg.solve,
        y = np.linalg.solve(A, b)                             (np.linalg.LinAlgError,), A, b)
    except np.linalg.LinAlgError:    ->    if $try1 == 0:
        y = np.linalg.lstsq(A, b)[0]           y = np.linalg.solve(A, b)
                                           else:
                                               y = np.linalg.lstsq(A, b)[0]

``$try_which``, the helper itself as a constant, lowers as ``_srcad.try_which``
(rules/numpy_fns.py; lower/stdlib.py dispatches it): it calls the function on the primal values
and says whether it returned (0) or which handler catches what it raised (another exception
propagates, as in Python); zero derivative (which part runs is locally constant). The
branch then computes what Python computed, so the derivative is that of the part that ran. Only
where that is exact: the body is one ``name = f(...)`` or ``return f(...)`` of a pure library
function (calling it twice gives the same value; `which_call` checks) whose arguments are names
or constants (evaluating them cannot raise); the handlers name their classes (``except E:``,
``except (E1, E2):``, a bare ``except:``) and do not read the exception (``as e``); ``else:``
runs after the body; no ``finally:``. Any other ``try`` is refused where it stands (`refuse`).
"""

from __future__ import annotations

from typing import Any

import gast

from srcad.lower.values import PrimRef
from srcad.rules import default_registry
from srcad.rules.numpy_fns import try_which

_WHY = "srcad cannot follow an exception into a handler"
_HINT = (
    "put one call of a NumPy/SciPy function alone in the `try` (`try: y = np.linalg.solve(A, "
    "b)` with `A`, `b` computed before it), or test the failing case with `if` instead "
    "(`y = np.log(x) if np.all(x > 0) else x`); `try`/`finally` is supported when neither part "
    "returns, breaks or continues"
)


def rewrite(s: gast.Try, n: int) -> list | None:
    """The statements of the module docstring for `s` (`n` numbers its flag), or None."""
    call = _guarded_call(s)
    if call is None:
        return None
    flag = f"$try{n}"
    classes = [h.type if h.type is not None else _load("BaseException") for h in s.handlers]
    which = gast.Call(
        func=gast.Constant(value=try_which, kind=None),  # lowered by `which_call` (stdlib.py)
        args=[call.func, gast.Tuple(elts=classes, ctx=gast.Load()), *call.args],
        keywords=call.keywords,
    )
    out: list = [gast.Assign(targets=[_name(flag, gast.Store())], value=which, type_comment=None)]
    tail: list = s.handlers[-1].body
    parts = [(0, s.body + s.orelse)] + [(k, h.body) for k, h in enumerate(s.handlers[:-1], 1)]
    for k, body in reversed(parts):
        test = gast.Compare(left=_load(flag), ops=[gast.Eq()],
                            comparators=[gast.Constant(value=k, kind=None)])  # fmt: skip
        tail = [gast.If(test=test, body=body, orelse=tail)]
    out += tail
    for node in out:
        for sub in gast.walk(node):
            if isinstance(sub, (gast.stmt, gast.expr)) and getattr(sub, "lineno", None) is None:
                gast.copy_location(sub, s)
    return out


def which_call(lw: Any, node: gast.Call) -> Any:
    """``$try_which(f, classes, *args)``: the ``_srcad.try_which`` op, `f` a pure library
    function (else refused at the call)."""
    f = lw.expr(node.args[0])
    if not isinstance(f, PrimRef) or not default_registry().get(f.name).pure:
        raise lw.error(
            node.args[0],
            "`try`/`except` is supported around a call of a pure NumPy/SciPy function only: "
            "srcad runs it once to see whether it raises, then again in the part that runs",
            _HINT,
        )
    args, kwargs = lw.call_args(node)
    lw.at(node)
    return lw.op("srcad.runtime.try_which", args, kwargs, hint="which")


def refuse(lw: Any, s: gast.Try) -> Exception:
    """The located refusal of a ``try`` `rewrite` does not take, saying why."""
    if not s.handlers:  # (lower/lower.py made the others their two parts in sequence)
        return lw.error(
            s,
            "`try`/`finally` is supported only when neither part returns, breaks or continues",
            "move the `return` after the `try` statement",
        )
    if s.finalbody:
        return lw.error(s, f"`try`/`except` with `finally` is not supported: {_WHY}", _HINT)
    for h in s.handlers:
        if h.name is not None and _reads(h.body, h.name):
            return lw.error(h, f"reading the exception (`except E as {h.name}`) is not supported",
                            "leave the exception object unread in the handler")  # fmt: skip
    return lw.error(
        s,
        "`try`/`except` is supported around one library call only (`try: y = f(a, b)`): "
        "srcad cannot follow other exceptions into a handler",
        _HINT,
    )


def _name(name: str, ctx: Any) -> gast.Name:
    return gast.Name(id=name, ctx=ctx, annotation=None, type_comment=None)


def _load(name: str) -> gast.Name:
    return _name(name, gast.Load())


def _reads(body: list, name: Any) -> bool:
    n = name.id if isinstance(name, gast.Name) else name
    return any(isinstance(x, gast.Name) and x.id == n for b in body for x in gast.walk(b))


def _simple(node: Any) -> bool:
    """Evaluating `node` cannot raise: a name, a constant, or a tuple of those."""
    if isinstance(node, (gast.Name, gast.Constant)):
        return True
    return isinstance(node, gast.Tuple) and all(map(_simple, node.elts))


def _is_class_expr(node: Any) -> bool:
    if isinstance(node, gast.Name):
        return True
    if isinstance(node, gast.Attribute):
        return _is_class_expr(node.value)
    return isinstance(node, gast.Tuple) and all(map(_is_class_expr, node.elts))


def _guarded_call(s: gast.Try) -> gast.Call | None:
    """The call the ``try`` guards (see the module docstring), or None."""
    if len(s.body) != 1 or not s.handlers or s.finalbody:
        return None
    b = s.body[0]
    if isinstance(b, gast.Assign) and len(b.targets) == 1:
        value, target = b.value, b.targets[0]
    elif isinstance(b, gast.AnnAssign) and b.value is not None:
        value, target = b.value, b.target
    elif isinstance(b, gast.Return) and b.value is not None:
        value, target = b.value, None
    else:
        return None
    if target is not None and not isinstance(target, gast.Name):
        return None  # (unpacking or a subscript could raise)
    if not isinstance(value, gast.Call) or not isinstance(value.func, (gast.Name, gast.Attribute)):
        return None
    if not all(_simple(a) for a in value.args):
        return None
    if any(kw.arg is None or not _simple(kw.value) for kw in value.keywords):
        return None
    for h in s.handlers:
        if h.type is not None and not _is_class_expr(h.type):
            return None
        if h.name is not None and _reads(h.body, h.name):
            return None
    return value
