"""Classes whose methods call a function they are given: ``opt.step(loss, w)``.

Input: a user class. Output: whether one of its methods (a base's too) calls one of its own
parameters (``def apply(self, f, x): return f(x)``) or hands one to a srcad derivative maker
(``def step(self, loss, w): return w - self.lr * srcad.grad(loss)(w)``). lower/objinit.built_here
then builds even a record of the class here, so such a method is inlined with the function
given (a lambda, a nested def, a module-level function) known, as a helper taking functions is
(lower/fnargs.takes_functions); a record passed around would make the function a run-time
value (refused: "the nested function is used as a value"). Computed once per class.
"""

from __future__ import annotations

import types

import gast

from srcad.frontend.source import get_source
from srcad.lower.classmemo import ClassMemo

_MAKERS = frozenset({"grad", "value_and_grad", "jvp", "vjp", "hvp", "hessian", "jacfwd",
                     "jacrev", "jacobian"})  # fmt: skip


def calls_params(cls: type) -> bool:
    """Does a method of `cls` call a parameter or differentiate one (module docstring)?"""
    return _MEMO.get(cls, _calls_params)


def _calls_params(cls: type) -> bool:
    for k in cls.__mro__[:-1]:
        for f in vars(k).values():
            f = f.__func__ if isinstance(f, (staticmethod, classmethod)) else f
            code = getattr(f, "__code__", None) if isinstance(f, types.FunctionType) else None
            if code is None or code.co_argcount + code.co_kwonlyargcount < 2:
                continue  # (no parameter but `self`)
            try:
                node = get_source(f).node
            except Exception:  # noqa: BLE001 - no source: nothing to read
                continue
            a = node.args
            params = {p.id for p in (*a.posonlyargs, *a.args, *a.kwonlyargs)[1:]}
            if any(_calls(t, params) for t in gast.walk(node)):
                return True
    return False


def _calls(t: object, params: set) -> bool:
    if not isinstance(t, gast.Call):
        return False
    g = t.func
    if isinstance(g, gast.Name) and g.id in params:
        return True  # ``f(x)``
    name = g.attr if isinstance(g, gast.Attribute) else g.id if isinstance(g, gast.Name) else None
    return (
        name in _MAKERS
        and bool(t.args)
        and isinstance(t.args[0], gast.Name)
        and t.args[0].id in params
    )


_MEMO: ClassMemo[bool] = ClassMemo()
