"""Derivatives of derivatives called inside a function srcad differentiates -> Python functions
with source that compute them by calls of one-level derivatives, which srcad differentiates again.

Input: a derivative srcad made that `ad/compose.derivative_callee` cannot build in one level:
``srcad.grad(srcad.grad(f))``, ``srcad.hessian(f)``, ``srcad.jacfwd(srcad.grad(f))``,
``srcad.grad(srcad.jacfwd(f))``, ... to any depth (`higher.grad_of` / `higher.jacobian_of`
record what they were made of: ``__srcad_of__``), or ``srcad.jacfwd(f)`` / ``srcad.jacrev(f)``
of a plain function. Output: a generated Python function of the derivative's arguments (its text
in `linecache`, file ``<srcad: grad_grad_f of m.f, argument 0 of 1>``), made once per derivative;
None for the kinds it does not cover (tuple `wrt`, `has_aux`, ``value_and_grad``, bound
arguments): the caller refuses those. Example: ``srcad.grad(srcad.grad(f))`` of a function of a
scalar becomes::

    def grad_f(a0):                    # srcad.grad(f): one level (ad/compose.py)
        return D(a0)
    def grad_grad_f(a0):               # its derivative: one JVP of grad_f per input element
        basis = np.eye(np.size(a0))
        cols = [np.reshape(col(a0, np.reshape(basis[i], np.shape(a0)))[1], (-1,)) ...]
        return np.reshape(np.stack(cols, axis=-1), np.shape(a0))

where ``col`` is ``srcad.jvp`` of ``grad_f`` (`api_calls.inside`), so each level is an ordinary
call of a derivative of a function with source, and the transforms stack as for user code.
"""

from __future__ import annotations

import types
from typing import Any

import numpy as np

from srcad import lazy
from srcad.backend.request import Mode
from srcad.backend.textfn import define
from srcad.losses import nonscalar
from srcad.lower.api_calls import inside, jacobian_helper
from srcad.rules.checks import require

_api = lazy.module("srcad.api")
_HINT = "use srcad.jacfwd for non-scalar outputs"

_GRAD = (
    "def {fname}({params}):\n"
    "    basis = np.eye(np.size({x}))\n"
    "    cols = [np.reshape(col({params}, np.reshape(basis[i], np.shape({x})))[1], (-1,))\n"
    "            for i in range(np.size({x}))]\n"
    "    if len(cols[0]) != 1:\n"
    "        out = col({params}, np.reshape(basis[0], np.shape({x})))[1]\n"
    "        require(False, NONSCALAR + str(np.shape(out)), 'srcad', HINT)\n"
    "    return np.reshape(np.stack(cols, axis=-1), np.shape({x}))\n"
)


def helper(d: Any) -> types.FunctionType | None:
    """The Python function computing the derivative `d` by calls of one-level derivatives, or
    None (see the module docstring)."""
    got = getattr(d, "__srcad_deeper__", None)
    if got is None:
        got = _make(d)
        if got is None:
            return None
        d.__srcad_deeper__ = got
    return got


def _make(d: Any) -> types.FunctionType | None:
    chain = getattr(d, "__srcad_chain__", None)
    if chain is None or chain.prefix or chain.has_aux or chain.with_value:
        return None
    n = _nparams(chain.pyfunc)
    of = getattr(d, "__srcad_of__", None)
    if of is not None:  # grad / jacfwd / jacrev of the derivative `inner` (srcad.higher)
        kind, inner, positions, multi = of  # (inner None: srcad.jacfwd(f) of `chain.pyfunc`)
        if len(positions) != 1 or multi:
            return None
        below = _plain(chain.pyfunc) if inner is None else helper(inner)
        if below is None:
            return None
        (k,) = positions
        if kind != "grad":  # a Jacobian: the loop over unit vectors of api_calls
            return jacobian_helper(_api, "jacrev" if kind == "jacrev" else "jacfwd", below, k, n, 0)
        return _grad_helper(below, k, n, getattr(inner, "__name__", below.__name__))
    if len(chain.levels) != 1 or not isinstance(chain.pyfunc, types.FunctionType):
        return None
    mode, positions = chain.levels[0]
    if mode is Mode.GRAD and not chain.multi and len(positions) == 1:
        return _trampoline(d, chain.pyfunc, n)  # one level: ad/compose.derivative_callee
    return None


def _plain(pyfunc: Any) -> Any:
    return pyfunc if isinstance(pyfunc, types.FunctionType) else None


def _nparams(pyfunc: Any) -> int:
    code = getattr(pyfunc, "__code__", None)
    return code.co_argcount if code is not None else 0


def _compile(text: str, fname: str, base: Any, what: str, scope: dict) -> types.FunctionType:
    filename = f"<srcad: {fname} of {base.__module__}.{base.__qualname__}, {what}>"
    return define(text, filename, scope, fname)[0]  # (its text kept: backend/textfn.py)


def _name(prefix: str, base: Any) -> str:
    name = f"{prefix}_{base.__name__}"
    return name if name.isidentifier() else prefix


def _trampoline(d: Any, pyfunc: Any, n: int) -> types.FunctionType:
    """``def grad_f(a0, ...): return D(a0, ...)``: the one-level derivative `d` as a function
    with source (what `api_calls.inside` differentiates)."""
    params = ", ".join(f"a{i}" for i in range(n))
    fname = _name("grad", pyfunc)
    text = f"def {fname}({params}):\n    return D({params})\n"
    wrt = d.__srcad_chain__.levels[0][1][0]
    return _compile(text, fname, pyfunc, f"argument {wrt} of {n}", {"D": d})


def _grad_helper(below: types.FunctionType, k: int, n: int, name: str) -> types.FunctionType:
    """The gradient of `below` (a function of `n` arguments with a scalar output) with respect
    to argument `k`: one JVP of `below` per element of that argument. A non-scalar output is
    refused when it runs, as calling ``srcad.grad`` of the derivative `name` refuses it."""
    params = ", ".join(f"a{i}" for i in range(n))
    fname = _name("grad", below)
    text = _GRAD.format(fname=fname, params=params, x=f"a{k}")
    col = inside(_api, below, "jvp", (k,), n)
    msg = nonscalar(f"the derivative `{name}`", "an array of shape ")
    scope = {"np": np, "col": col, "require": require, "NONSCALAR": msg, "HINT": _HINT}
    return _compile(text, fname, below, f"argument {k} of {n}", scope)
