"""Public API: jvp, jacfwd, grad, value_and_grad, vjp, jacrev, source, ir, primal, cache_info.

Input: user Python functions and their arguments. Output: derivatives, computed by generated code that
is built once per (function code, closure/global identities, mode, wrt, argument `Spec`) by
`srcad.backend.driver` and cached (`srcad.backend.cache`); argument handling lives in `srcad.args`.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Sequence
from typing import Any

from srcad import jactrees, lazy
from srcad.args import bind as _bind
from srcad.args import fix_zero as _fix_zero
from srcad.args import jvp_inputs
from srcad.args import normalize_wrt as _normalize_wrt
from srcad.args import target as _args_target
from srcad.backend.cache import _CACHE, cache_clear, cache_info, compile_transform, rules_changed
from srcad.backend.locations import locate as _locate
from srcad.backend.request import Compiled, Mode, Request, Spec, spec_of
from srcad.custom import Custom, on_change, register, trampoline
from srcad.errors import SrcadError
from srcad.fastcalls import hvp_fast, jvp_fast, remember_hvp, remember_jvp, remember_vjp, vjp_fast
from srcad.frontend.functions import unwrap
from srcad.gradcall import grad_caller
from srcad.higher import (
    chain_of,
    grad_chain,
    grad_of,
    jacfwd_chain,
    jacobian_of,
    jacrev_chain,
    jvp_of,
    vjp_of,
)
from srcad.jacobians import jacfwd_caller, jacrev_caller, vjp_bound
from srcad.starargs import again, dispatch, resolve, star_function

__all__ = ["_CACHE", "cache_clear", "cache_info"]  # (and STAGE_NAMES: `__getattr__`)

# the transform machinery and the standalone writer, imported on first use (`srcad.lazy`)
_driver = lazy.module("srcad.backend.driver")
_standalone = lazy.module("srcad.backend.standalone")


def __getattr__(name: str) -> Any:
    """``STAGE_NAMES``: the build's stages (`srcad.backend.driver`, imported now)."""
    if name == "STAGE_NAMES":
        return _driver.STAGE_NAMES
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _argnums(wrt: Any, argnums: Any, name: str) -> Any:
    """`wrt`, or JAX's spelling of it, `argnums` (positions only)."""
    if argnums is None:
        return wrt
    if wrt != 0:
        raise TypeError(f"srcad.{name}: pass `wrt` or `argnums`, not both")
    return tuple(argnums) if isinstance(argnums, list) else argnums


# -- forward mode -------------------------------------------------------------------------------


def _out_and_aux(out: Any, what: str) -> tuple[Any, Any]:
    if not isinstance(out, tuple) or len(out) != 2:
        raise SrcadError(
            f"{what} with has_aux=True needs a function returning a pair (output, aux), not "
            f"{type(out).__name__}" + (f" of length {len(out)}" if isinstance(out, tuple) else ""),
        )
    return out


def jvp(
    f: Callable, primals: Sequence[Any], tangents: Sequence[Any], has_aux: bool = False
) -> tuple[Any, ...]:
    """Forward-mode derivative: ``(f(*primals), J @ tangents)``.

    A tangent of ``None`` marks that input as constant::

        out, dout = srcad.jvp(f, (x, n), (dx, None))

    Each tangent must have its primal's structure (a list or tuple of the same length for a list or
    tuple, converted to the primal's type; a dict with the same keys) and shape, leaf by leaf (a
    float and a 0-d array both have shape ()); srcad does not broadcast tangents. Integer tangents
    are converted to float (the primal's float dtype), unlike JAX: they are exact directions; bool
    and complex tangents are refused. The output tangent has the output's structure and dtype.
    With ``has_aux=True`` `f` returns ``(output, aux)`` and the result is ``(output, tangent,
    aux)``, as JAX's.
    """
    if has_aux:
        pair, dpair = jvp(f, primals, tangents)
        out, aux = _out_and_aux(pair, "jvp")
        return out, dpair[0], aux
    hit = jvp_fast(f, primals, tangents)  # a plain function called with kinds seen before
    if hit is not None:
        return hit
    f = resolve(f, len(primals))  # `def f(*args)`: one parameter per argument
    if chain_of(f) is not None:
        return jvp_of(f, primals, tangents)
    pyfunc, prefix = _target(f)
    args, shifted, tans = jvp_inputs(pyfunc, prefix, primals, tangents)
    c = _compile(pyfunc, Mode.JVP, shifted, spec_of(args))
    remember_jvp(f, pyfunc, primals, tangents, c)
    try:
        out, dout = c.fn(*args, *tans)
    except Exception as e:
        _locate(e)  # the user's lines of the generated frames (backend/locations.py)
        raise
    return out, _fix_zero(dout, out)


def jacfwd(
    f: Callable,
    wrt: int | str | Sequence[int | str] = 0,
    has_aux: bool = False,
    *,
    argnums: int | Sequence[int] | None = None,
) -> Callable:
    """Jacobian by forward mode: shape ``out.shape + in.shape`` (a tuple when `wrt` is a tuple;
    a dict/list/tuple/namedtuple output: the same structure of Jacobians, as JAX's).

    Inputs are arrays, numbers or rectangular lists of numbers; the Jacobian is a float64 array.
    With `has_aux`, `f` returns ``(out, aux)``: ``(jacobian of out, aux)``.
    `f` runs once per input element (one JVP each): a function that draws random numbers draws
    new ones for every column; seed inside `f`, or use `jacrev` (one forward run)."""
    wrt = _argnums(wrt, argnums, "jacfwd")
    key = ("jacfwd", wrt, has_aux) if has_aux else ("jacfwd", wrt)
    star = again(f, key, lambda g: jacfwd(g, wrt, has_aux))
    if star is not None:
        return star
    if chain_of(f) is not None:
        return jacobian_of(f, wrt, has_aux)
    if star_function(f) is not None:
        return dispatch(key, f, lambda g: jacfwd(g, wrt, has_aux))
    pyfunc, prefix = _target(f)
    positions, multi = _normalize_wrt(pyfunc, wrt, len(prefix))

    chain = jacfwd_chain(pyfunc, prefix, positions, multi)
    if has_aux:
        comb = jactrees.aux_combine(chain.combine, pyfunc, False)
        chain = dataclasses.replace(chain, combine=comb)
    jac = functools.wraps(pyfunc)(jacfwd_caller(pyfunc, prefix, positions, multi, chain, has_aux))
    jac.__srcad_wrapped__ = pyfunc  # type: ignore[attr-defined]
    jac.__srcad_derivative__ = True  # type: ignore[attr-defined]
    jac.__srcad_prefix__ = prefix  # type: ignore[attr-defined]
    jac.__srcad_chain__ = chain  # type: ignore[attr-defined]
    jac.__srcad_of__ = ("jacfwd", None, positions, multi or has_aux)  # type: ignore[attr-defined]
    return jac


def _target(f: Any) -> tuple[Any, tuple]:
    """The Python function to transform (a function with rules of its own: a call of it, so
    that its rule applies, srcad.custom.trampoline) and the arguments bound in front."""
    return _args_target(trampoline(f))


# -- user-defined rules (srcad.custom) -----------------------------------------------------------


def defvjp(
    fn: Callable, fwd: Callable, bwd: Callable, nondiff_argnums: Sequence[int] = ()
) -> Custom:
    """Register a reverse-mode rule for `fn`, a callable srcad cannot read (a C or library
    function, a ctypes/numba function), by object: ``fwd(*args) -> (out, residuals)``,
    ``bwd(*nondiff, residuals, g)`` -> one cotangent per differentiable argument. The public way
    to extend the rule table; code built before is rebuilt."""
    rec = register(fn, tuple(nondiff_argnums))
    rec.defvjp(fwd, bwd)
    return rec


def defjvp(fn: Callable, rule: Callable, nondiff_argnums: Sequence[int] = ()) -> Custom:
    """Register a forward-mode rule ``rule(*nondiff, primals, tangents) -> (out, tangent_out)``
    for `fn`, a callable srcad cannot read, by object (reverse mode transposes it)."""
    rec = register(fn, tuple(nondiff_argnums))
    rec.defjvp(rule)
    return rec


on_change(rules_changed)


# -- inspection ---------------------------------------------------------------------------------


def ir(f: Callable) -> str:
    """The SSA IR of `f`, as text (after the driver's `optimise` stage)."""
    b = _driver.build(Request(unwrap(trampoline(f)), Mode.PRIMAL), stop_after="optimise")
    return _driver.text(b)


def primal(f: Callable) -> Callable:
    """`f` lowered to the IR and emitted again as Python (the round trip)."""
    pyfunc, prefix = _target(f)

    @functools.wraps(pyfunc)
    def round_trip(*args: Any, **kwargs: Any) -> Any:
        full = _bind(pyfunc, prefix + args, kwargs)
        c = _compile(pyfunc, Mode.PRIMAL, (), spec_of(full, matrices=True))
        try:
            return c.fn(*full)
        except Exception as e:
            _locate(e)
            raise

    return round_trip


def source(
    f: Callable,
    mode: str = "grad",
    wrt: int | str | Sequence[int | str] = 0,
    args: Sequence[Any] | None = None,
    stage: str | None = None,
    standalone: bool = False,
) -> str:
    """The generated Python source of `f`'s derivative (`mode`: primal, jvp, vjp, grad, or
    hessian/hvp: the forward-over-reverse function both run; for a derivative of a derivative,
    ``srcad.source(srcad.hessian(f))``, its own generated function).

    `f` may be a function wrapped by `srcad.grad`/`value_and_grad`/`jacrev`, whose mode and `wrt`
    are used unless given here. With example `args`, the source is the one specialized for their
    types (Python numbers, array ranks, lists), as the calls with those arguments run it; without,
    it is the version for array or float arguments. With `stage` (one of `STAGE_NAMES`), the
    output of that stage of the build instead: the IR of every function, or the source.
    With ``standalone=True``, a module that runs when pasted alone: its imports, the values it
    reads, the user functions it calls, the defaults kept (`srcad.backend.standalone`).
    """
    made_for = getattr(f, "__srcad_spec__", None)
    derivative = getattr(f, "__srcad_derivative__", False)
    if derivative:  # the function and the bound `self` the derivative was made for
        pyfunc, prefix = f.__srcad_wrapped__, getattr(f, "__srcad_prefix__", ())
    else:
        pyfunc, prefix = _target(f)
    if made_for is not None and mode == "grad" and wrt == 0:
        mode, positions = made_for
    else:
        positions = () if mode == "primal" else _normalize_wrt(pyfunc, wrt, len(prefix))[0]
    spec = Spec() if args is None else spec_of(_bind(pyfunc, prefix + tuple(args), {}))
    chain = chain_of(f)
    if chain is not None and len(chain.levels) > 1:  # grad of grad, hessian, ...
        (last, positions), inner = chain.levels[-1], chain.levels[:-1]
        request = Request(pyfunc, last, positions, spec, inner)
    elif mode in ("hessian", "hvp"):  # forward over reverse
        request = Request(pyfunc, Mode.JVP, tuple(positions), spec, ((Mode.GRAD, positions),))
    else:
        request = Request(pyfunc, Mode(mode), tuple(positions), spec)
    if standalone:
        if stage is not None:
            raise SrcadError("`stage` and `standalone` cannot be combined", hint="pick one")
        emitted = _driver.build(request, stop_after="emit").emitted
        label = f"{request.mode.value} of {pyfunc.__qualname__}"
        return _standalone.module_text(emitted, pyfunc, label)
    if stage is not None:
        return _driver.text(_driver.build(request, stop_after=stage))
    return compile_transform(request, functions=False).source


def _compile(pyfunc: Any, mode: Mode, wrt: tuple, spec: Spec) -> Compiled:
    return compile_transform(Request(pyfunc, mode, tuple(wrt), spec))


# -- reverse mode -------------------------------------------------------------------------------


def grad(
    f: Callable | None = None,
    wrt: int | str | Sequence[int | str] = 0,
    has_aux: bool = False,
    *,
    argnums: int | Sequence[int] | None = None,
) -> Callable:
    """Reverse-mode gradient of a scalar function.

    Works as ``@srcad.grad``, ``@srcad.grad(wrt=1)`` and ``srcad.grad(f, wrt=(0, "b"))``. Returns the
    gradient with the structure of the differentiated input (a tuple when `wrt` is a tuple); with
    ``has_aux=True``, `f` returns ``(loss, aux)`` and the result is ``(gradient, aux)``.
    """
    wrt = _argnums(wrt, argnums, "grad")
    if f is None:
        return lambda g: grad(g, wrt=wrt, has_aux=has_aux)
    star = again(f, ("grad", wrt, has_aux), lambda g: grad(g, wrt, has_aux))
    if star is not None:  # a derivative of a `def f(*args)`
        return star
    if chain_of(f) is not None:
        if has_aux:
            raise SrcadError(
                "grad with has_aux=True of a derivative srcad made is not supported",
                hint="differentiate a function returning (loss, aux) made of the derivative",
            )
        return grad_of(f, wrt)
    if star_function(f) is not None:  # `def f(*args)`: `wrt` counts the call's arguments
        return dispatch(("grad", wrt, has_aux), f, lambda g: grad(g, wrt, has_aux))
    pyfunc, prefix = _target(f)
    positions, multi = _normalize_wrt(pyfunc, wrt, len(prefix))

    grad_f = functools.wraps(pyfunc)(grad_caller(pyfunc, prefix, positions, has_aux, multi))
    grad_f.__srcad_wrapped__ = pyfunc  # type: ignore[attr-defined]
    grad_f.__srcad_derivative__ = True  # type: ignore[attr-defined]
    grad_f.__srcad_prefix__ = prefix  # type: ignore[attr-defined]
    grad_f.__srcad_spec__ = ("grad", positions)  # type: ignore[attr-defined]
    # differentiable again (srcad.higher)
    grad_f.__srcad_chain__ = grad_chain(pyfunc, prefix, positions, multi, False, has_aux)  # type: ignore[attr-defined]
    return grad_f


grad.__srcad_maker__ = True  # type: ignore[attr-defined]  # srcad.grad(f) is evaluated when lowered


def value_and_grad(
    f: Callable | None = None,
    wrt: int | str | Sequence[int | str] = 0,
    has_aux: bool = False,
    *,
    argnums: int | Sequence[int] | None = None,
) -> Callable:
    """Like `grad`, returning ``(value, gradient)`` (``((value, aux), gradient)`` with has_aux)."""
    wrt = _argnums(wrt, argnums, "value_and_grad")
    if f is None:
        return lambda g: value_and_grad(g, wrt=wrt, has_aux=has_aux)
    star = again(f, ("vg", wrt, has_aux), lambda g: value_and_grad(g, wrt, has_aux))
    if star is not None:
        return star
    if chain_of(f) is not None:
        if has_aux:
            raise SrcadError(
                "value_and_grad with has_aux=True of a derivative srcad made is not supported",
                hint="differentiate a function returning (loss, aux) made of the derivative",
            )
        return grad_of(f, wrt, value=True)
    if star_function(f) is not None:
        return dispatch(("vg", wrt, has_aux), f, lambda g: value_and_grad(g, wrt, has_aux))
    pyfunc, prefix = _target(f)
    positions, multi = _normalize_wrt(pyfunc, wrt, len(prefix))

    vg = functools.wraps(pyfunc)(grad_caller(pyfunc, prefix, positions, has_aux, multi, True))
    vg.__srcad_wrapped__ = pyfunc  # type: ignore[attr-defined]
    vg.__srcad_derivative__ = True  # type: ignore[attr-defined]
    vg.__srcad_prefix__ = prefix  # type: ignore[attr-defined]
    vg.__srcad_spec__ = ("grad", positions)  # type: ignore[attr-defined]
    vg.__srcad_chain__ = grad_chain(pyfunc, prefix, positions, multi, True, has_aux)  # type: ignore[attr-defined]
    return vg


value_and_grad.__srcad_maker__ = True  # type: ignore[attr-defined]


def vjp(
    f: Callable,
    *primals: Any,
    wrt: int | str | Sequence[int | str] | None = None,
    has_aux: bool = False,
):
    """``(f(*primals), pullback)``; ``pullback(cotangent)`` returns the cotangents of the inputs.

    By default every argument is differentiated (the pullback returns a tuple with one entry per
    argument); pass `wrt` to choose. The cotangent must have the output's structure and shape, leaf
    by leaf (None inside a structure is a zero; integer cotangents are converted to float, bool and
    complex ones refused); the results have the structure, shape and dtype of the inputs.

    The pullback reads what the forward call saved by reference, as autograd's does: the inputs,
    the global arrays `f` reads and its intermediate results (the output among them). Changing
    one of those arrays in place between the call and the pullback (``x += 1``, ``y[0] = 0``)
    changes the pullback's result; copy first. Rebinding a global is safe.

    With ``has_aux=True`` `f` returns ``(output, aux)`` and the result is ``(output, pullback,
    aux)``, as JAX's (the pullback takes the output's cotangent only).
    """
    if has_aux:
        pair, pull = vjp(f, *primals, wrt=wrt)
        out, aux = _out_and_aux(pair, "vjp")
        return out, (lambda cotangent: pull((cotangent, None))), aux
    if type(wrt) is list:  # (as a tuple: the fast path's key must hash)
        wrt = tuple(wrt)
    hit = vjp_fast(f, primals, wrt)  # a plain function called with kinds seen before
    if hit is not None:
        return hit
    f = resolve(f, len(primals))
    if chain_of(f) is not None:
        return vjp_of(f, *primals, wrt=wrt)
    pyfunc, prefix = _target(f)
    full = _bind(pyfunc, prefix + tuple(primals), {})
    if wrt is None:
        positions = tuple(range(len(prefix), len(prefix) + len(primals)))
        multi = True
    else:
        positions, multi = _normalize_wrt(pyfunc, wrt, len(prefix))
    out = vjp_bound(pyfunc, full, positions, multi)
    remember_vjp(f, pyfunc, primals, wrt, positions, multi)
    return out


def jacrev(
    f: Callable,
    wrt: int | str | Sequence[int | str] = 0,
    has_aux: bool = False,
    *,
    argnums: int | Sequence[int] | None = None,
) -> Callable:
    """Jacobian by reverse mode: shape ``out.shape + in.shape`` (a tuple when `wrt` is a tuple;
    structured outputs and `has_aux` as `jacfwd`).

    Inputs are arrays, numbers or rectangular lists of numbers; the Jacobian is a float64 array."""
    wrt = _argnums(wrt, argnums, "jacrev")
    key = ("jacrev", wrt, has_aux) if has_aux else ("jacrev", wrt)
    star = again(f, key, lambda g: jacrev(g, wrt, has_aux))
    if star is not None:
        return star
    if chain_of(f) is not None:
        return jacobian_of(f, wrt, has_aux)
    if star_function(f) is not None:
        return dispatch(key, f, lambda g: jacrev(g, wrt, has_aux))
    pyfunc, prefix = _target(f)
    positions, multi = _normalize_wrt(pyfunc, wrt, len(prefix))

    rchain = jacrev_chain(pyfunc, prefix, positions, multi, has_aux)
    caller = jacrev_caller(pyfunc, prefix, positions, multi, rchain, has_aux)
    jac = functools.wraps(pyfunc)(caller)
    jac.__srcad_wrapped__ = pyfunc  # type: ignore[attr-defined]
    jac.__srcad_derivative__ = True  # type: ignore[attr-defined]
    jac.__srcad_prefix__ = prefix  # type: ignore[attr-defined]
    jac.__srcad_chain__ = rchain  # type: ignore[attr-defined]
    jac.__srcad_of__ = ("jacrev", None, positions, multi or has_aux)  # type: ignore[attr-defined]
    return jac


jacobian = jacrev  # (JAX's and autograd's name for it)


# -- second and higher order --------------------------------------------------------------------


def hessian(
    f: Callable,
    wrt: int | str | Sequence[int | str] = 0,
    has_aux: bool = False,
    *,
    argnums: int | Sequence[int] | None = None,
) -> Callable:
    """The Hessian of a scalar function, forward over reverse (``jacfwd(grad(f))``): shape
    ``x.shape + x.shape``; for a tuple `wrt`, a tuple of tuples of blocks ``H[i][j]``. One
    generated function, ``jvp_grad_f`` (`srcad.source(srcad.hessian(f))`), runs once per input
    element. With `has_aux`, `f` returns ``(loss, aux)``: ``(Hessian, aux)``, as JAX's."""
    wrt = _argnums(wrt, argnums, "hessian")
    key = ("hessian", wrt, has_aux) if has_aux else ("hessian", wrt)
    star = again(f, key, lambda g: hessian(g, wrt, has_aux))
    if star is not None:
        return star
    if chain_of(f) is None and star_function(f) is not None:
        return dispatch(key, f, lambda g: hessian(g, wrt, has_aux))
    return jacobian_of(grad(f, wrt=wrt, has_aux=has_aux), wrt, has_aux)


def hvp(
    f: Callable,
    primals: Sequence[Any],
    tangents: Sequence[Any],
    wrt: int | str | Sequence[int | str] = 0,
) -> tuple[Any, Any]:
    """``(gradient, Hessian @ tangent)`` of a scalar function at `primals`, without forming the
    Hessian: ``jvp(grad(f, wrt), primals, tangents)``, one forward-over-reverse pass (a small
    constant times a gradient). A tangent of ``None`` holds that argument fixed."""
    if type(wrt) is list:  # (as a tuple: the fast path's key must hash)
        wrt = tuple(wrt)
    hit = hvp_fast(f, primals, tangents, wrt)  # a plain function called with kinds seen before
    if hit is not None:
        return hit
    f = resolve(f, len(primals))
    try:  # the grad wrapper of f, made once (per code, and again after `cache_clear`)
        key = (f, getattr(f, "__code__", None), wrt, _CACHE.epoch)
        g = _HVP_GRADS.get(key)
    except TypeError:  # unhashable f or wrt
        return jvp_of(grad(f, wrt=wrt), primals, tangents)
    if g is None:  # (it holds f: a few only, so that lambdas made per call do not pile up)
        if len(_HVP_GRADS) >= 8:
            _HVP_GRADS.clear()
        g = _HVP_GRADS[key] = grad(f, wrt=wrt)
    out = jvp_of(g, primals, tangents)
    remember_hvp(f, g, primals, tangents, wrt)
    return out


_HVP_GRADS: dict[tuple, Callable] = {}
