"""Public API: jvp, jacfwd, grad, value_and_grad, vjp, jacrev, source, ir, cache_info.

Input: user Python functions and their arguments. Output: derivatives, computed by generated code that
is transformed once per (function code, closure/global identities, mode, wrt, options) and cached.
"""

from __future__ import annotations

import functools
import inspect
import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from srcad.errors import SrcadError
from srcad.frontend.source import unwrap

# -- transform cache ----------------------------------------------------------------------------


@dataclass
class Compiled:
    fn: Callable
    source: str
    fns: dict[str, Callable]
    keepalive: tuple = ()


class _Cache:
    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.data: dict[tuple, Compiled] = {}
        self.hits = 0
        self.misses = 0

    def get(self, key: tuple, build: Callable[[], Compiled]) -> Compiled:
        with self.lock:
            hit = self.data.get(key)
            if hit is not None:
                self.hits += 1
                return hit
            self.misses += 1
            value = build()
            self.data[key] = value
            return value


_CACHE = _Cache()


@dataclass(frozen=True)
class CacheInfo:
    hits: int
    misses: int
    size: int


def cache_info() -> CacheInfo:
    """Hits, misses and size of the in-memory transform cache."""
    with _CACHE.lock:
        return CacheInfo(_CACHE.hits, _CACHE.misses, len(_CACHE.data))


def cache_clear() -> None:
    with _CACHE.lock:
        _CACHE.data.clear()
        _CACHE.hits = _CACHE.misses = 0


def _identity_key(pyfunc: Any) -> tuple:
    cells = []
    for c in pyfunc.__closure__ or ():
        try:
            cells.append(id(c.cell_contents))
        except ValueError:
            cells.append(None)
    # defaults are read at transform time: rebinding __defaults__ must recompile
    defaults = (id(pyfunc.__defaults__), id(pyfunc.__kwdefaults__))
    return (pyfunc.__code__, id(pyfunc.__globals__), tuple(cells), defaults)


def _callee_key(pyfunc: Any) -> tuple:
    """Identities of the callables/modules the function's global names point at right now."""
    g = pyfunc.__globals__
    out = []
    for name in pyfunc.__code__.co_names:
        v = g.get(name)
        if v is not None and callable(v) or inspect.ismodule(v):
            out.append((name, id(v)))
    return tuple(out)


def _compile(pyfunc: Any, mode: str, wrt: tuple, options: tuple = ()) -> Compiled:
    key = (_identity_key(pyfunc), _callee_key(pyfunc), mode, wrt, options)

    def build() -> Compiled:
        try:
            c = _build(pyfunc, mode, wrt, options)
        except SrcadError:
            raise
        except RecursionError:
            raise SrcadError(
                f"`{pyfunc.__name__}` is nested or recursive too deeply to transform"
            ) from None
        except Exception as e:  # a bug in srcad: still a refusal, never a wrong derivative
            raise SrcadError(
                f"internal error while transforming `{pyfunc.__qualname__}` ({mode}): "
                f"{type(e).__name__}: {e}",
                hint="this is a bug in srcad; please report it with the function's source",
            ) from e
        # The key holds ids: keep those objects alive so no new object can reuse an id.
        c.keepalive = (
            pyfunc,
            _closure_values(pyfunc),
            _callee_values(pyfunc),
            pyfunc.__defaults__,
            pyfunc.__kwdefaults__,
        )
        return c

    return _CACHE.get(key, build)


def _closure_values(pyfunc: Any) -> tuple:
    out = []
    for c in pyfunc.__closure__ or ():
        try:
            out.append(c.cell_contents)
        except ValueError:
            out.append(None)
    return tuple(out)


def _callee_values(pyfunc: Any) -> tuple:
    g = pyfunc.__globals__
    return tuple(g.get(name) for name in pyfunc.__code__.co_names)


def _build(pyfunc: Any, mode: str, wrt: tuple, options: tuple) -> Compiled:
    from srcad.ad.callees import lowered
    from srcad.backend.compile import compile_emitted
    from srcad.backend.emit import emit_functions
    from srcad.passes.pipeline import optimize
    from srcad.ssa.clone import clone_function

    fn = lowered(pyfunc)
    if mode == "primal":
        from srcad.ad.base import check_augmented_for

        check_augmented_for(fn, _scalars(options), _ndims(options))
        fns, names = [clone_function(fn)], [fn.name]
    elif mode == "jvp":
        from srcad.ad.jvp import JVP, Module
        from srcad.rules import default_tables

        module = Module()
        name = f"jvp_{fn.name}"
        module.names.append(name)
        module.done[("jvp", pyfunc, wrt)] = name
        main = JVP(
            fn,
            wrt,
            default_tables()[0],
            module,
            _scalars(options),
            _classes(options),
            _ndims(options),
        )
        main = main.run(name)
        fns = [main, *module.functions]
        names = [f.name for f in fns]
    elif mode in ("vjp", "grad"):
        from srcad.ad.vjp import build_vjp

        fns, names = build_vjp(
            fn,
            pyfunc,
            wrt,
            mode,
            _scalars(options),
            _classes(options),
            "aux" in options,
            _ndims(options),
        )
    else:
        raise ValueError(f"unknown mode {mode!r}")
    for f in fns:
        optimize(f)
    em = emit_functions(fns, names)
    table = compile_emitted(em, pyfunc.__globals__, f"{mode} {pyfunc.__qualname__}")
    return Compiled(table[names[0]], em.source, table)


def _scalars(options: tuple) -> tuple[int, ...]:
    for o in options:
        if isinstance(o, tuple) and o and o[0] == "scalars":
            return o[1]
    return ()


def scalar_option(args: list[Any]) -> tuple:
    """Cache-key option naming the arguments that are Python numbers at this call, and the classes
    of arguments that are instances of user classes (their methods are resolved statically)."""
    from srcad.ad.callees import user_class

    scal, classes, ndims = [], [], []
    for k, a in enumerate(args):
        t = type(a)
        if t is float or t is int:
            scal.append(k)
        elif t is np.ndarray:
            if a.dtype == _F64:
                ndims.append((k, a.ndim))
        elif t not in _PLAIN_TYPES:
            cls = user_class(a)
            if cls is not None:
                classes.append((k, cls))
    return ("scalars", tuple(scal), tuple(classes), tuple(ndims))


_F64 = np.dtype(np.float64)
_PLAIN_TYPES = frozenset({list, tuple, dict, bool, str, type(None), complex, np.float64})


def _ndims(options: tuple) -> dict[int, int]:
    for o in options:
        if isinstance(o, tuple) and o and o[0] == "scalars":
            return dict(o[3])
    return {}


def _classes(options: tuple) -> dict[int, type]:
    for o in options:
        if isinstance(o, tuple) and o and o[0] == "scalars":
            return dict(o[2])
    return {}


# -- argument handling --------------------------------------------------------------------------


_SIGNATURES: dict[Any, tuple[inspect.Signature, bool, Any, Any]] = {}


def _signature(pyfunc: Any) -> tuple[inspect.Signature, bool]:
    """(signature, plain) where plain means: positional-or-keyword parameters only."""
    hit = _SIGNATURES.get(pyfunc)
    if hit is None or hit[2] is not pyfunc.__defaults__ or hit[3] is not pyfunc.__kwdefaults__:
        sig = inspect.signature(pyfunc)
        plain = all(p.kind is p.POSITIONAL_OR_KEYWORD for p in sig.parameters.values())
        hit = _SIGNATURES[pyfunc] = (sig, plain, pyfunc.__defaults__, pyfunc.__kwdefaults__)
    return hit[0], hit[1]


def _param_names(pyfunc: Any) -> list[str]:
    return list(_signature(pyfunc)[0].parameters)


def _target(f: Any) -> tuple[Any, tuple]:
    """The Python function to transform and the arguments bound in front (`self` of a method)."""
    import types

    if getattr(f, "__srcad_derivative__", False):
        raise SrcadError(
            f"`{getattr(f, '__name__', f)}` is already a derivative made by srcad; higher-order "
            "derivatives (grad of grad, jacfwd of grad) are not supported yet",
            hint="differentiate the original function, or write the first derivative by hand",
        )

    if isinstance(f, types.MethodType) and not hasattr(f, "__srcad_wrapped__"):
        return unwrap(f.__func__), (f.__self__,)
    return unwrap(f), ()


def _normalize_wrt(
    pyfunc: Any, wrt: int | str | Sequence[int | str], skip: int = 0
) -> tuple[tuple[int, ...], bool]:
    """-> (positions among all parameters, was_tuple); positions count from parameter `skip`."""
    names = _param_names(pyfunc)[skip:]
    single = not isinstance(wrt, (tuple, list))
    items = [wrt] if single else list(wrt)
    out = []
    for w in items:
        if isinstance(w, str):
            if w not in names:
                raise SrcadError(
                    f"`{pyfunc.__name__}` has no parameter `{w}`",
                    hint=f"its parameters are {', '.join(names)}",
                )
            out.append(names.index(w) + skip)
        elif isinstance(w, (int, np.integer)):
            if not -len(names) <= w < len(names):
                raise SrcadError(f"wrt={w} is out of range for `{pyfunc.__name__}`")
            out.append(int(w) % len(names) + skip)
        else:
            raise SrcadError(f"wrt must be a position or a parameter name, not {w!r}")
    return tuple(out), not single


def _bind(pyfunc: Any, args: tuple, kwargs: dict) -> list[Any]:
    """Positional list of all parameters (defaults filled in)."""
    sig, plain = _signature(pyfunc)
    if plain and not kwargs and len(args) == len(sig.parameters):
        return list(args)
    try:
        bound = sig.bind(*args, **kwargs)
    except TypeError as e:
        raise TypeError(f"{pyfunc.__name__}(): {e}") from None
    bound.apply_defaults()
    return list(bound.arguments.values())


def _def_location(pyfunc: Any, param: str | None = None) -> dict:
    """file/line/col/source line of `pyfunc`'s definition, for errors about its arguments."""
    import linecache

    code = getattr(pyfunc, "__code__", None)
    if code is None:
        return {}
    line = code.co_firstlineno
    lines = linecache.getlines(code.co_filename)
    text = lines[line - 1] if 0 < line <= len(lines) else None
    while text is not None and text.lstrip().startswith("@") and line < len(lines):
        line += 1  # point at the `def`, not at a decorator
        text = lines[line - 1]
    col = len(text) - len(text.lstrip()) if text else 0
    if text and param:  # point at the parameter when it is on the `def` line
        m = re.search(r"[(,]\s*(" + re.escape(param) + r")\b", text)
        if m:
            col = m.start(1)
    return {"filename": code.co_filename, "line": line, "col": col, "source_line": text}


def check_float(value: Any, what: str, pyfunc: Any = None, index: int | None = None) -> None:
    """Refuse integer-valued inputs that are asked to carry a derivative."""
    where = {}
    if pyfunc is not None:
        names = _param_names(pyfunc)
        param = names[index] if index is not None and index < len(names) else None
        where = _def_location(pyfunc, param)
    for leaf in _leaves(value):
        if isinstance(leaf, (bool, np.bool_)) or (
            isinstance(leaf, (int, np.integer)) and not isinstance(leaf, bool)
        ):
            raise SrcadError(
                f"{what} is an integer ({leaf!r}); derivatives need floating-point inputs",
                hint="pass 2.0, not 2 (or np.asarray(x, dtype=float))",
                **where,
            )
        if isinstance(leaf, np.ndarray) and not np.issubdtype(leaf.dtype, np.inexact):
            raise SrcadError(
                f"{what} is an array of dtype {leaf.dtype}; derivatives need floating-point inputs",
                hint="convert it with x.astype(float)",
                **where,
            )


def _leaves(x: Any) -> list[Any]:
    if isinstance(x, (tuple, list)):
        return [leaf for e in x for leaf in _leaves(e)]
    if isinstance(x, dict):
        return [leaf for k in x for leaf in _leaves(x[k])]
    return [x]


def _fix_zero(t: Any, like: Any) -> Any:
    """Instantiate scalar-zero tangents/cotangents in the structure and shape of `like`."""
    from srcad.runtime import zeros_like

    if t is None:
        return zeros_like(like)
    if isinstance(like, (tuple, list)):
        if not isinstance(t, (tuple, list)):
            return zeros_like(like)
        items = [_fix_zero(a, b) for a, b in zip(t, like)]
        if hasattr(like, "_fields"):  # namedtuple (e.g. numpy's SlogdetResult)
            return type(like)(*items)
        return type(like)(items)
    if isinstance(like, dict):
        if not isinstance(t, dict):
            return zeros_like(like)
        return {k: _fix_zero(t.get(k, 0.0), like[k]) for k in like}
    if isinstance(like, np.ndarray) and np.shape(t) != like.shape:
        return np.zeros(like.shape, dtype=np.result_type(like.dtype, float)) + t
    if isinstance(like, np.ndarray) and isinstance(t, np.ndarray) and t.dtype != like.dtype:
        if np.issubdtype(like.dtype, np.inexact):
            return t.astype(like.dtype, copy=False)
    if isinstance(like, float) and isinstance(t, np.ndarray) and t.shape == ():
        return float(t)
    return t


# -- forward mode -------------------------------------------------------------------------------


def jvp(f: Callable, primals: Sequence[Any], tangents: Sequence[Any]) -> tuple[Any, Any]:
    """Forward-mode derivative: ``(f(*primals), J @ tangents)``.

    A tangent of ``None`` marks that input as constant::

        out, dout = srcad.jvp(f, (x, n), (dx, None))
    """
    pyfunc, prefix = _target(f)
    primals, tangents = tuple(primals), tuple(tangents)
    if len(primals) != len(tangents):
        raise ValueError("primals and tangents must have the same length")
    args = _bind(pyfunc, prefix + tuple(primals), {})
    wrt = tuple(k for k, t in enumerate(tangents) if t is not None)
    for k in wrt:
        check_float(primals[k], f"argument {k} of `{pyfunc.__name__}`", pyfunc, k + len(prefix))
    shifted = tuple(k + len(prefix) for k in wrt)
    c = _compile(pyfunc, "jvp", shifted, (scalar_option(args),))
    out, dout = c.fn(*args, *[tangents[k] for k in wrt])
    return out, _fix_zero(dout, out)


def _array_output(out: Any, what: str, pyfunc: Any) -> None:
    if isinstance(out, (tuple, list, dict)):
        raise SrcadError(
            f"{what} needs a function returning an array or a number; `{pyfunc.__name__}` "
            f"returned a {type(out).__name__}",
            hint="use srcad.jvp / srcad.vjp for structured outputs, or Jacobians per output",
        )


def jacfwd(f: Callable, wrt: int | str | Sequence[int | str] = 0) -> Callable:
    """Jacobian by forward mode: shape ``out.shape + in.shape`` (a tuple when `wrt` is a tuple)."""
    pyfunc, prefix = _target(f)
    positions, multi = _normalize_wrt(pyfunc, wrt, len(prefix))

    @functools.wraps(pyfunc)
    def jac(*args: Any, **kwargs: Any) -> Any:
        full = _bind(pyfunc, prefix + args, kwargs)
        for k in positions:
            check_float(full[k], f"argument `{_param_names(pyfunc)[k]}`", pyfunc, k)
        c = _compile(pyfunc, "jvp", positions)
        out = None
        jacs = []
        for k in positions:
            x = np.asarray(full[k], dtype=float)
            cols = []
            for j in range(x.size):
                e = np.zeros(x.size)
                e[j] = 1.0
                tans = [np.zeros_like(np.asarray(full[i], dtype=float)) for i in positions]
                tans[positions.index(k)] = e.reshape(x.shape) if x.shape else 1.0
                out, dout = c.fn(*full, *tans)
                _array_output(out, "jacfwd", pyfunc)
                cols.append(np.asarray(_fix_zero(dout, out), dtype=float))
            if out is None:
                zeros = [np.zeros_like(np.asarray(full[i], float)) for i in positions]
                out = c.fn(*full, *zeros)[0]
            _array_output(out, "jacfwd", pyfunc)
            oshape = np.shape(out)
            if cols:
                J = np.stack(cols, axis=-1).reshape(oshape + x.shape)
            else:
                J = np.zeros(oshape + x.shape)
            jacs.append(J)
        return tuple(jacs) if multi else jacs[0]

    jac.__srcad_wrapped__ = pyfunc  # type: ignore[attr-defined]
    jac.__srcad_derivative__ = True  # type: ignore[attr-defined]
    return jac


# -- inspection ---------------------------------------------------------------------------------


def ir(f: Callable) -> str:
    """The SSA IR of `f`, as text."""
    from srcad.ad.callees import lowered
    from srcad.ssa.printer import format_function

    return format_function(lowered(unwrap(f)))


def primal(f: Callable) -> Callable:
    """`f` lowered to the IR and emitted again as Python (the round trip)."""
    pyfunc, prefix = _target(f)

    @functools.wraps(pyfunc)
    def round_trip(*args: Any, **kwargs: Any) -> Any:
        full = _bind(pyfunc, prefix + args, kwargs)
        return _compile(pyfunc, "primal", (), (scalar_option(full),)).fn(*full)

    return round_trip


def source(
    f: Callable,
    mode: str = "grad",
    wrt: int | str | Sequence[int | str] = 0,
    args: Sequence[Any] | None = None,
) -> str:
    """The generated Python source of `f`'s derivative (`mode`: primal, jvp, vjp or grad).

    `f` may be a function wrapped by `srcad.grad`/`value_and_grad`/`jacrev`, whose mode and `wrt`
    are used unless given here. With example `args`, the source is the one specialized for their
    types (Python numbers, array ranks), as the calls with those arguments run it.
    """
    spec = getattr(f, "__srcad_spec__", None)
    derivative = getattr(f, "__srcad_derivative__", False)
    pyfunc, prefix = _target(f.__srcad_wrapped__ if derivative else f)
    if spec is not None and mode == "grad" and wrt == 0:
        mode, positions = spec
    else:
        positions = () if mode == "primal" else _normalize_wrt(pyfunc, wrt, len(prefix))[0]
    options: tuple = ()
    if args is not None:
        options = (scalar_option(_bind(pyfunc, prefix + tuple(args), {})),)
    return _compile(pyfunc, mode, positions, options).source


# -- reverse mode -------------------------------------------------------------------------------


def _grad_call(
    pyfunc: Any, prefix: tuple, positions: tuple, has_aux: bool, args: tuple, kwargs: dict
):
    full = _bind(pyfunc, prefix + args, kwargs)
    names = _param_names(pyfunc)
    for k in positions:
        check_float(full[k], f"argument `{names[k]}` of `{pyfunc.__name__}`", pyfunc, k)
    opts = (("aux",) if has_aux else ()) + (scalar_option(full),)
    c = _compile(pyfunc, "grad", positions, opts)
    out, grads = c.fn(*full)
    value = out
    if has_aux:
        if not isinstance(out, (tuple, list)) or len(out) != 2:
            raise SrcadError(
                f"`{pyfunc.__name__}` must return (loss, aux) when has_aux=True",
                hint="return a pair, e.g. `return loss, {'acc': acc}`",
            )
        value = out[0]
    if np.ndim(value) != 0 or isinstance(value, (tuple, list, dict)):
        raise SrcadError(
            f"grad needs a scalar output, but `{pyfunc.__name__}` returned shape {np.shape(value)}",
            hint="reduce it (e.g. np.sum) or use srcad.jacrev / srcad.vjp for non-scalar outputs",
        )
    grads = tuple(_fix_zero(g, full[k]) for g, k in zip(grads, positions))
    return out, grads


def grad(
    f: Callable | None = None,
    wrt: int | str | Sequence[int | str] = 0,
    has_aux: bool = False,
) -> Callable:
    """Reverse-mode gradient of a scalar function.

    Works as ``@srcad.grad``, ``@srcad.grad(wrt=1)`` and ``srcad.grad(f, wrt=(0, "b"))``. Returns the
    gradient with the structure of the differentiated input (a tuple when `wrt` is a tuple); with
    ``has_aux=True``, `f` returns ``(loss, aux)`` and the result is ``(gradient, aux)``.
    """
    if f is None:
        return lambda g: grad(g, wrt=wrt, has_aux=has_aux)
    pyfunc, prefix = _target(f)
    positions, multi = _normalize_wrt(pyfunc, wrt, len(prefix))

    @functools.wraps(pyfunc)
    def grad_f(*args: Any, **kwargs: Any) -> Any:
        out, grads = _grad_call(pyfunc, prefix, positions, has_aux, args, kwargs)
        g = grads if multi else grads[0]
        return (g, out[1]) if has_aux else g

    grad_f.__srcad_wrapped__ = pyfunc  # type: ignore[attr-defined]
    grad_f.__srcad_derivative__ = True  # type: ignore[attr-defined]
    grad_f.__srcad_spec__ = ("grad", positions)  # type: ignore[attr-defined]
    return grad_f


def value_and_grad(
    f: Callable | None = None,
    wrt: int | str | Sequence[int | str] = 0,
    has_aux: bool = False,
) -> Callable:
    """Like `grad`, returning ``(value, gradient)`` (``((value, aux), gradient)`` with has_aux)."""
    if f is None:
        return lambda g: value_and_grad(g, wrt=wrt, has_aux=has_aux)
    pyfunc, prefix = _target(f)
    positions, multi = _normalize_wrt(pyfunc, wrt, len(prefix))

    @functools.wraps(pyfunc)
    def vg(*args: Any, **kwargs: Any) -> Any:
        out, grads = _grad_call(pyfunc, prefix, positions, has_aux, args, kwargs)
        return out, (grads if multi else grads[0])

    vg.__srcad_wrapped__ = pyfunc  # type: ignore[attr-defined]
    vg.__srcad_derivative__ = True  # type: ignore[attr-defined]
    vg.__srcad_spec__ = ("grad", positions)  # type: ignore[attr-defined]
    return vg


def vjp(f: Callable, *primals: Any, wrt: int | str | Sequence[int | str] | None = None):
    """``(f(*primals), pullback)``; ``pullback(cotangent)`` returns the cotangents of the inputs.

    By default every argument is differentiated (the pullback returns a tuple with one entry per
    argument); pass `wrt` to choose.
    """
    pyfunc, prefix = _target(f)
    full = _bind(pyfunc, prefix + tuple(primals), {})
    if wrt is None:
        positions = tuple(range(len(prefix), len(prefix) + len(primals)))
        multi = True
    else:
        positions, multi = _normalize_wrt(pyfunc, wrt, len(prefix))
    names = _param_names(pyfunc)
    for k in positions:
        check_float(full[k], f"argument `{names[k]}` of `{pyfunc.__name__}`", pyfunc, k)
    c = _compile(pyfunc, "vjp", positions, (scalar_option(full),))
    out, residuals = c.fn(*full)
    bwd = c.fns[list(c.fns)[1]]

    def pullback(cotangent: Any) -> Any:
        cts = bwd(residuals, cotangent)
        cts = tuple(_fix_zero(g, full[k]) for g, k in zip(cts, positions))
        return cts if multi else cts[0]

    return out, pullback


def jacrev(f: Callable, wrt: int | str | Sequence[int | str] = 0) -> Callable:
    """Jacobian by reverse mode: shape ``out.shape + in.shape`` (a tuple when `wrt` is a tuple)."""
    pyfunc, prefix = _target(f)
    positions, multi = _normalize_wrt(pyfunc, wrt, len(prefix))

    @functools.wraps(pyfunc)
    def jac(*args: Any, **kwargs: Any) -> Any:
        full = _bind(pyfunc, prefix + args, kwargs)
        out, pull = vjp(pyfunc, *full, wrt=tuple(positions))
        _array_output(out, "jacrev", pyfunc)
        out_arr = np.asarray(out, dtype=float)
        rows = []
        for j in range(out_arr.size):
            e = np.zeros(out_arr.size)
            e[j] = 1.0
            ct = e.reshape(out_arr.shape) if out_arr.shape else 1.0
            rows.append(pull(ct))
        jacs = []
        for i, k in enumerate(positions):
            xshape = np.shape(full[k])
            if rows:
                J = np.stack([np.asarray(r[i], dtype=float) for r in rows])
                J = J.reshape(out_arr.shape + xshape)
            else:
                J = np.zeros(out_arr.shape + xshape)
            jacs.append(J)
        return tuple(jacs) if multi else jacs[0]

    jac.__srcad_wrapped__ = pyfunc  # type: ignore[attr-defined]
    jac.__srcad_derivative__ = True  # type: ignore[attr-defined]
    return jac
