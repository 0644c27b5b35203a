"""Differentiating a function that takes ``*args`` (``def loss(*params)``), as JAX's argnums do.

Input: the callable given to grad/value_and_grad/jacfwd/jacrev/hessian/jvp/vjp/hvp whose Python
function has a ``*args`` or ``**kwargs`` parameter, and the number of positional arguments and
the keyword names of a call (those ``**kwargs`` takes become keyword-only parameters). Output:
the same callable with a fixed arity: a generated function with one parameter per positional
argument (``def loss(params_0, params_1): return __srcad_star__(params_0, params_1)``, cached per
function, arity, keywords, defaults and code) that calls the original, rebound to the original's
``self`` / partial arguments. The transforms lower that call as any call of a ``*args`` function
from transformed code (lower/varargs.py); ``wrt`` positions count the call's positional
arguments (``wrt=1`` of ``loss(a, b)`` is ``b``), as JAX's ``argnums`` do.

The makers (grad, jacfwd, ...) cannot know the arity before the call: `dispatch` returns a
wrapper that makes the derivative of the fixed-arity function on each call (cached per arity).
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any

from srcad.args import Prefix
from srcad.args import target as _target
from srcad.custom import trampoline
from srcad.higher import chain_of
from srcad.starshim import shim as _shim

_MADE: dict[tuple, Callable] = {}  # (maker key, f, shim) -> the derivative of the shim


def star_function(f: Any) -> Any:
    """The Python function behind `f` when it takes ``*args`` or ``**kwargs``, else None."""
    pyfunc = _target(trampoline(f))[0]
    code = getattr(pyfunc, "__code__", None)  # (the flags: cheaper than a signature)
    if hasattr(pyfunc, "__wrapped__"):  # a decorator's `def w(*a)`: fn's parameters (wrappers.py)
        return None
    if code is None or not code.co_flags & (inspect.CO_VARARGS | inspect.CO_VARKEYWORDS):
        return None
    return pyfunc


def fixed(f: Any, nargs: int, kwnames: tuple = ()) -> Any:
    """`f` for a call with `nargs` positional arguments (those bound in front not counted) and
    the keyword arguments `kwnames`."""
    pyfunc, prefix = _target(trampoline(f))
    return _rebind(_shim(pyfunc, len(prefix) + nargs, kwnames), prefix)


def _rebind(shim: Callable, prefix: Any) -> Any:
    if not prefix and not getattr(prefix, "keywords", None):
        return shim
    return functools.partial(shim, *prefix, **getattr(prefix, "keywords", {}))


def dispatch(key: Any, f: Any, make: Callable[[Any], Callable]) -> Callable:
    """A wrapper calling ``make(fixed(f, n))`` for a call with n positional arguments; srcad's
    transforms of it compose `make` (``grad(grad(f))``: ``grad(grad(fixed(f, n)))``)."""
    pyfunc = star_function(f)

    @functools.wraps(pyfunc)
    def call(*args: Any, **kwargs: Any) -> Any:
        return made(key, f, make, len(args), tuple(kwargs))(*args, **kwargs)

    call.__srcad_derivative__ = True  # type: ignore[attr-defined]
    call.__srcad_star__ = (key, f, make)  # type: ignore[attr-defined]
    return call


def made(
    key: Any, f: Any, make: Callable[[Any], Callable], n: int, kwnames: tuple = ()
) -> Callable:
    """``make(fixed(f, n, kwnames))``, cached per (key, f, the fixed-arity function: made again
    when `f`'s code or defaults change)."""
    pyfunc, prefix = _target(trampoline(f))
    shim = _shim(pyfunc, len(prefix) + n, kwnames)
    k = (key, f, shim)
    try:
        hit = _MADE.get(k)
    except TypeError:  # an unhashable key (a list wrt)
        return make(_rebind(shim, prefix))
    if hit is None:
        if len(_MADE) >= 64:
            _MADE.clear()
        hit = _MADE[k] = make(_rebind(shim, prefix))
    return hit


def again(f: Any, key: Any, make: Callable[[Any], Callable]) -> Callable | None:
    """The transform ``make`` of a `dispatch` wrapper `f` (None for other callables)."""
    star = getattr(f, "__srcad_star__", None)
    if star is None:
        return None
    key0, orig, make0 = star
    return dispatch((key0, key), orig, lambda g: make(make0(g)))


def resolve(f: Any, nargs: int) -> Any:
    """`f` for a call with `nargs` positional arguments: a `dispatch` wrapper's derivative or a
    ``*args`` function's fixed-arity form; other callables as they are."""
    star = getattr(f, "__srcad_star__", None)
    if star is not None:
        return made(*star, nargs)
    if chain_of(f) is None and star_function(f) is not None:
        return fixed(f, nargs)
    return f


__all__ = ["Prefix", "again", "dispatch", "fixed", "resolve", "star_function"]
