"""Calls of user functions that Python would reject (``f(a, b)`` of a one-parameter `f`): the
``TypeError`` Python raises, raised where the call runs, not a refusal of the whole transform.

Input: a `Transform` about to be analyzed (its parameter classes and known values: which
function each call invokes). Output: its function with each such call replaced by
``_srcad.raise_(TypeError(...))`` (its results kept: nothing after it runs, so none is read).

Only calls inside a branch or a loop: one every run makes is refused as before, at its line.
A branch that does not run for the arguments at hand may hold such a call. pykalman's
``unscented_transform`` calls ``f(points[i])`` when ``points_noise is None`` and
``f(points[i], points_noise[i])`` otherwise, `f` a one-argument function passed in; a helper
is transformed once for both branches, and binding the call in the branch that never runs
refused every derivative ("bad call of `f`: too many positional arguments"). The operands of
a lowered call are its arguments one by one (``*xs`` expanded), so a call that does not bind
to the function's signature is one Python rejects too."""

from __future__ import annotations

import inspect
from typing import Any

from srcad.ad.callees import user_call
from srcad.errors import SrcadError
from srcad.ssa.census import ops_of
from srcad.ssa.core import Const

_RAISE = "srcad.runtime.raise_"


def raise_bad_calls(tr: Any) -> None:
    """Replace each call of a user function, inside a branch or a loop, whose operands do not
    bind to its signature by the ``TypeError`` Python raises there (module docstring)."""
    top = {id(op) for op in tr.fn.body.ops}  # (run on every call: refused where bound, located)
    for op in list(ops_of(tr.fn.body)):
        if op.prim != "call" or op.blocks or id(op) in top:
            continue
        try:
            target = user_call(tr.fn, op, tr.types_of, tr.known, tr.module.derive)
        except SrcadError:
            continue  # (refused where the transform binds it, as before)
        if target is None:
            continue
        _, pyfunc, pos, kw = target
        try:
            inspect.signature(pyfunc).bind(*pos, **kw)
        except TypeError as e:
            name = getattr(pyfunc, "__qualname__", "function")
            op.prim, op.args, op.kwargs = _RAISE, [Const(TypeError(f"{name}(): {e}"))], {}
            op.params = {}
