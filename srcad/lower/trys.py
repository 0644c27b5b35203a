"""``try``/``except`` around pure expressions: the handler taken or not at run time.

Input: the gast ``Try`` (rewritten before the name analyses, with ``try``/``finally``:
lower/lower.py). Output: statements the lowering has, ``if``s on which part Python runs.

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
branch then computes what Python computed, so the derivative is that of the part that ran.

A body of several statements, or calls whose arguments are expressions, is taken apart in
Python's evaluation order into steps that each may raise: a call of a pure library function
(`which_call` checks), an operator (``x[2]``: ``operator.getitem``; ``a - b``: ``operator.sub``)
whose operands are names, constants or the values of earlier steps (``$try1v1``). Each step is
checked before it runs, and the handlers follow every check (copied), so the part that runs is
the one Python runs, with the names the body bound before the failing step:

    try:                                   $try1 = $try_which(operator.getitem, (ValueError,), x, 2)
        v = math.log(x[2] - 1.0)           if $try1 == 0:
    except ValueError:               ->        $try1v1 = x[2]
        v = -1.0                               $try1_2 = $try_which(operator.sub, ..., $try1v1, 1.0)
                                               if $try1_2 == 0: ... v = math.log($try1v2) ...

The statements taken: ``name = e``, ``name: T = e``, ``name op= e``, ``d[i] op= e`` (checked as
the read then the operator, written back as Python does), ``return e``; expressions: names,
constants, tuple/list displays, dict displays with constant keys, arithmetic, one comparison,
subscripts by such indices and
slices (checked as ``operator.getitem(x, slice(a, b, None))``), calls with no ``*``/``**``
arguments, methods of arrays (``v.sum(axis=0)``: `call_method`). The handlers name their
classes (``except E:``, ``except (E1, E2):``, a bare ``except:``); one reading its exception
(``except E as e: log(str(e))``) starts with ``e = $try_error(...)``, the failing step's call
run again (a pure function: the same exception, `_bind_error`); ``else:``
runs after the body; no ``finally:`` (lower/lower.py puts it after the statement). A body that
branches, loops or raises: lower/tryflow.py. Any other ``try`` is refused where it stands
(`refuse`).
"""

from __future__ import annotations

import copy
from typing import Any

import gast

from srcad.frontend.resolve import prim_name
from srcad.lower.trysteps import Split, _at, _const, _load, _name
from srcad.lower.values import PrimRef, array_like_receiver, defining_op
from srcad.rules import default_registry
from srcad.rules.numpy_fns import try_error, try_which
from srcad.ssa.core import Const, Var

_WHY = "srcad cannot follow an exception into a handler"
_HINT = (
    "keep the `try` body to assignments of arithmetic, indexing and NumPy/SciPy calls (`try: y = "
    "np.linalg.solve(A, b[0])`), or test the failing case with `if` instead "
    "(`y = np.log(x) if np.all(x > 0) else x`); `try`/`finally` is supported when the `finally` "
    "part does not return, break or continue"
)


def rewrite(s: gast.Try, n: int, ns: Any = None) -> list | None:
    """The statements of the module docstring for `s` (`n` numbers its flags, `ns` the
    function's namespace: module attributes such as ``np.pi`` read as values), or None."""
    steps = _steps(s, n, ns)
    if steps is None:
        return None
    out = _nest(s, steps, n, 0)
    for node in out:
        for sub in gast.walk(node):
            if isinstance(sub, (gast.stmt, gast.expr)) and getattr(sub, "lineno", None) is None:
                gast.copy_location(sub, s)
    return out


def _nest(s: gast.Try, steps: list, n: int, first: int) -> list:
    """`steps` from position `first` on: statements as they are, each check an ``if`` on its
    flag, the rest of the steps (then ``else:``) in its branch 0, the handlers in the others."""
    out: list = []
    for pos in range(first, len(steps)):
        kind, *what = steps[pos]
        if kind == "stmt":
            out.append(what[0])
            continue
        func, args, keywords, at = what
        flag = f"$try{n}" if pos == _first_check(steps) else f"$try{n}_{pos}"
        handlers = s.handlers if pos == _first_check(steps) else copy.deepcopy(s.handlers)
        classes = [h.type if h.type is not None else _load("BaseException") for h in handlers]
        which = gast.Call(
            func=gast.Constant(value=try_which, kind=None),  # lowered by `which_call` (stdlib)
            args=[func, gast.Tuple(elts=classes, ctx=gast.Load()), *args],
            keywords=keywords,
        )
        out.append(_at(gast.Assign(targets=[_name(flag, gast.Store())], value=which,
                                   type_comment=None), at))  # fmt: skip
        bodies = [_bind_error(h, which, classes, at) for h in handlers]
        tail: list = bodies[-1]
        rest = _nest(s, steps, n, pos + 1)
        parts = [(0, rest)] + [(k, b) for k, b in enumerate(bodies[:-1], 1)]
        for k, body in reversed(parts):
            test = gast.Compare(left=_load(flag), ops=[gast.Eq()],
                                comparators=[gast.Constant(value=k, kind=None)])  # fmt: skip
            tail = [_at(gast.If(test=test, body=body, orelse=tail), at)]
        return out + tail
    return out + list(s.orelse)


def _bind_error(h: gast.ExceptHandler, which: gast.Call, classes: list, at: Any) -> list:
    """The body of the handler `h`; reading its exception (``except E as e``): first ``e =
    $try_error(...)``, the check's call again (a pure function: the same exception); the body
    ends unbinding it (lower/unbound.end_handlers)."""
    if h.name is None or not _reads(h.body, h.name):
        return h.body
    name = h.name.id if isinstance(h.name, gast.Name) else h.name
    call = copy.deepcopy(which)
    call.func = gast.Constant(value=try_error, kind=None)  # lowered by `error_call` (stdlib)
    bind = _at(gast.Assign(targets=[_name(name, gast.Store())], value=call, type_comment=None), at)
    return [bind, *h.body]


def _first_check(steps: list) -> int:
    return next(k for k, st in enumerate(steps) if st[0] == "check")


def which_call(lw: Any, node: gast.Call, prim: str = "srcad.runtime.try_which") -> Any:
    """``$try_which(f, classes, *args)``: the ``_srcad.try_which`` op, `f` a pure library
    function (else refused at the call); ``$try_error(...)`` (`prim`): the exception it raises,
    the ``e`` of ``except E as e`` (`error_call`)."""
    fn = node.args[0]
    if getattr(fn, "srcad_read", False):  # `X.T` of an array (trysteps: an attribute read)
        if not (isinstance(fn.value, gast.Name) and _array(lw, fn.value, read=True)):
            raise lw.error(fn, "an attribute read in a `try` body of no array", _HINT)
        args = [_const(getattr, fn), node.args[1], fn.value, _const(fn.attr, fn)]
        node = gast.Call(func=node.func, args=args, keywords=[])
        args, kwargs = lw.call_args(node)
        lw.at(node)
        return lw.op(prim, args, kwargs, hint="which")
    if isinstance(fn, gast.Attribute) and isinstance(fn.value, gast.Name) and _method(lw, fn):
        # `v.sum(axis=0)`: `call_method(v, "sum", axis=0)`, a method of NumPy's (no user object's)
        args = [
            _const(call_method, fn),
            node.args[1],
            fn.value,
            _const(fn.attr, fn),
            *node.args[2:],
        ]
        node = gast.Call(func=node.func, args=args, keywords=node.keywords)
        args, kwargs = lw.call_args(node)
        lw.at(node)
        return lw.op(prim, args, kwargs, hint="which")
    f = lw.expr(fn)
    if isinstance(f, Const) and callable(f.value) and prim_name(f.value):  # operator.sub
        f = PrimRef(prim_name(f.value), f.value, node.args[0])
    if not isinstance(f, PrimRef) or not default_registry().get(f.name).pure:
        raise lw.error(
            node.args[0],
            "`try`/`except` is supported around calls of a pure NumPy/SciPy function only: "
            "srcad runs each once to see whether it raises, then again in the part that runs",
            _HINT,
        )
    args, kwargs = lw.call_args(node)
    lw.at(node)
    return lw.op(prim, args, kwargs, hint="which")


def error_call(lw: Any, node: gast.Call) -> Any:
    """``$try_error(f, classes, *args)``: the ``_srcad.try_error`` op (`which_call`)."""
    return which_call(lw, node, "srcad.runtime.try_error")


_METHODS = frozenset(
    {
        "sum",
        "mean",
        "prod",
        "max",
        "min",
        "std",
        "var",
        "reshape",
        "copy",
        "ravel",
        "flatten",
        "transpose",
        "dot",
        "astype",
        "clip",
        "cumsum",
        "cumprod",
        "squeeze",
        "swapaxes",
        "item",
        "any",
        "all",
        "argmax",
        "argmin",
        "round",
        "conj",
        "trace",
        "diagonal",
        "repeat",
        "take",
    }
)  # fmt: skip  (array methods that return a new value and change nothing)


def call_method(v: Any, name: str, *args: Any, **kwargs: Any) -> Any:
    """``v.name(*args, **kwargs)`` (what a step checks for a method call)."""
    return getattr(v, name)(*args, **kwargs)


def _method(lw: Any, fn: gast.Attribute) -> bool:
    """`fn` is a method of a run-time value that NumPy's arrays have (`_METHODS`), the value no
    object srcad knows when lowering (a user's object, a module)."""
    if fn.attr not in _METHODS or not default_registry().get(f"method.{fn.attr}").pure:
        return False
    return _array(lw, fn.value)


def _array(lw: Any, name: gast.Name, read: bool = False) -> bool:
    """`name` holds a run-time value no object srcad knows when lowering, or an array; for an
    attribute `read`, not an instance of a user class made here (a property would run twice)."""
    base = lw.expr(name)
    if not isinstance(base, Var):
        return False
    op = defining_op(base, lw.b.block.ops, lw.outer_ops) if read else None
    if op is not None and op.prim == "call":
        known, cls = lw.static_object(op.args[0])
        if known and isinstance(cls, type):
            return cls.__module__.split(".")[0] == "numpy"
    known, obj = lw.static_object(base)
    return not known or array_like_receiver(obj)


def refuse(lw: Any, s: gast.Try) -> Exception:
    """The located refusal of a ``try`` `rewrite` does not take, saying why."""
    if not s.handlers:  # (lower/lower.py made the others their two parts in sequence)
        return lw.error(
            s,
            "`try`/`finally` is supported only when the `finally` part does not return, break "
            "or continue, and no `try`, `with` or `match` inside the body does",
            "move the `return` after the `try` statement",
        )
    if s.finalbody:
        return lw.error(
            s,
            "`try`/`except` with `finally` is supported only when no part returns, breaks or "
            f"continues: {_WHY} and then to the `finally` part",
            _HINT,
        )
    return lw.error(
        s,
        "`try`/`except` is supported around assignments of arithmetic, indexing and library "
        "calls, `if`/`for`/`while` over them and `raise E(...)` only (`try: y = f(x[0] - a)`), "
        "with no name a branch or loop of the body binds read in it when a handler catches "
        "NameError: srcad cannot follow other exceptions into a handler",
        _HINT,
    )


def _reads(body: list, name: Any) -> bool:
    """The handler's `body` reads the exception `name` other than as the cause of a ``raise``
    (``raise ValueError(...) from err``: the lowered raise drops its cause, the exception is
    raised all the same)."""
    n = name.id if isinstance(name, gast.Name) else name
    causes = {
        id(x.cause) for b in body for x in gast.walk(b) if isinstance(x, gast.Raise) and x.cause
    }
    return any(
        isinstance(x, gast.Name)
        and x.id == n
        and id(x) not in causes
        and isinstance(x.ctx, gast.Load)  # (not the ``del e`` ending it: lower/unbound.py)
        for b in body
        for x in gast.walk(b)
    )


def _is_class_expr(node: Any) -> bool:
    if isinstance(node, gast.Name) or _errstate_mark(node):
        return True
    if isinstance(node, gast.Attribute):
        return _is_class_expr(node.value)
    return isinstance(node, gast.Tuple) and all(map(_is_class_expr, node.elts))


def _errstate_mark(node: Any) -> bool:
    """The handler ``with np.errstate(kind="raise")`` became (lower/withs.raising_try)."""
    return (
        isinstance(node, gast.Constant)
        and type(node.value) is tuple
        and (node.value[:1] == ("errstate",))
    )


def _steps(s: gast.Try, n: int, ns: Any = None) -> list | None:
    """The steps of the ``try`` `s` (see the module docstring), or None."""
    if not s.body or not s.handlers or s.finalbody:
        return None
    for h in s.handlers:
        if h.type is not None and not _is_class_expr(h.type):
            return None
    split = Split(n, ns)
    for k, b in enumerate(s.body):
        if isinstance(b, gast.Return) and k != len(s.body) - 1:
            return None
        if not split.stmt(b):
            return None
    if not any(st[0] == "check" for st in split.steps):
        return None
    return split.steps
