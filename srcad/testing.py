"""Derivative checks for users and for srcad's own tests.

`check_grads(f, args)` compares srcad's derivatives of `f` at `args` with central finite
differences along random directions, and (with ``modes=("fwd", "rev")``) runs the dot-product test
``<u, J v> == <J^T u, v>`` between forward mode (`srcad.jvp`) and reverse mode (`srcad.vjp`)::

    import numpy as np
    from srcad.testing import check_grads

    def loss(w, x):
        return np.tanh(x @ w).sum()

    check_grads(loss, (np.ones(3), np.eye(3)), modes=("fwd", "rev"))

Arguments may be pytrees: tuples, lists, dicts, namedtuples and dataclasses of arrays and
Python/NumPy floats (`srcad.trees`). An argument is differentiated when all its leaves are
floating point (or when its position is listed in `wrt`).
On a mismatch it raises `AssertionError` with a report naming the argument, the output leaf, the
largest absolute and relative errors, and the expected and obtained values.
"""

from __future__ import annotations

import copy
import inspect
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from srcad import api
from srcad.trees import leaves, rebuild

__all__ = ["check_grads"]


# -- small pytree helpers -----------------------------------------------------------------------


def _flatten(tree: Any) -> tuple[list[Any], Any]:
    """-> (leaves, structure): dicts, lists, tuples, namedtuples, dataclasses (`srcad.trees`);
    the structure is the tree itself, rebuilt by `_unflatten`."""
    return leaves(tree), tree


def _unflatten(struct: Any, items: Sequence[Any]) -> Any:
    return rebuild(struct, iter(items))


def _is_float_leaf(x: Any) -> bool:
    if isinstance(x, (bool, np.bool_)):
        return False
    if isinstance(x, (float, np.floating)):
        return True
    return isinstance(x, np.ndarray) and np.issubdtype(x.dtype, np.floating)


def _is_float_tree(x: Any) -> bool:
    leaves, _ = _flatten(x)
    return bool(leaves) and all(_is_float_leaf(v) for v in leaves)


def _random_like(tree: Any, rng: np.random.Generator) -> Any:
    leaves, struct = _flatten(tree)
    out = []
    for v in leaves:
        if isinstance(v, np.ndarray):
            out.append(rng.standard_normal(v.shape).astype(v.dtype))
        elif isinstance(v, np.floating):
            out.append(type(v)(rng.standard_normal()))
        else:
            out.append(float(rng.standard_normal()))
    return _unflatten(struct, out)


def _axpy(a: float, x: Any, y: Any) -> Any:
    """a * x + y over matching pytrees (keeps Python floats Python floats)."""
    xl, _ = _flatten(x)
    yl, struct = _flatten(y)
    out = []
    for xv, yv in zip(xl, yl):
        r = a * xv + yv
        if isinstance(yv, float) and not isinstance(yv, np.floating):
            r = float(r)
        elif isinstance(yv, np.ndarray):
            buf = np.empty_like(yv)  # `yv`'s memory order, which f may read (ravel(order="K"))
            buf[...] = np.asarray(r, dtype=yv.dtype)
            r = buf
        out.append(r)
    return _unflatten(struct, out)


def _leaves_f(tree: Any) -> list[np.ndarray]:
    """The leaves as float arrays (complex ones stay complex: never truncated)."""
    out = []
    for v in _flatten(tree)[0]:
        a = np.asarray(v)
        out.append(a if a.dtype.kind == "c" else np.asarray(a, dtype=float))
    return out


def _vdot(a: Any, b: Any) -> float:
    total = 0.0
    for x, y in zip(_leaves_f(a), _leaves_f(b)):
        s = np.sum(np.broadcast_to(x, np.broadcast_shapes(x.shape, y.shape)) * y)
        total += float(np.real(s))  # Re <u, J v>: the pairing of complex values (JAX's)
    return total


def _name(f: Callable) -> str:
    return getattr(f, "__qualname__", getattr(f, "__name__", repr(f)))


def _param(f: Callable, k: int) -> str:
    try:
        names = list(inspect.signature(f).parameters)
        return f"{k} (`{names[k]}`)"
    except (TypeError, ValueError, IndexError):
        return str(k)


def _fmt(x: np.ndarray) -> str:
    with np.printoptions(precision=8, threshold=20, edgeitems=3, linewidth=96):
        return np.array2string(np.asarray(x), prefix="      ")


# -- the check ----------------------------------------------------------------------------------


def _compare(
    what: str, expected: Any, got: Any, atol: float, rtol: float, f: Callable, where: str
) -> None:
    el, gl = _leaves_f(expected), _leaves_f(got)
    if len(el) != len(gl):
        raise AssertionError(
            f"check_grads({_name(f)}): {what} for {where}: output structure differs: "
            f"expected {len(el)} leaves, got {len(gl)}"
        )
    for i, (e, g) in enumerate(zip(el, gl)):
        try:
            e2, g2 = np.broadcast_arrays(e, g)
        except ValueError:
            raise AssertionError(
                f"check_grads({_name(f)}): {what} for {where}, output leaf {i}: "
                f"shape {g.shape} from srcad, expected {e.shape}"
            ) from None
        if g.shape != e.shape:
            raise AssertionError(
                f"check_grads({_name(f)}): {what} for {where}, output leaf {i}: "
                f"shape {g.shape} from srcad, expected {e.shape}"
            )
        err = np.abs(e2 - g2)
        bad = ~(err <= atol + rtol * np.abs(e2))
        if np.any(bad) or not np.all(np.isfinite(g2)) and np.all(np.isfinite(e2)):
            rel = err / np.maximum(np.abs(e2), np.finfo(float).tiny)
            raise AssertionError(
                f"check_grads({_name(f)}): {what} mismatch for {where}, output leaf {i}\n"
                f"  max abs error {np.max(err, initial=0.0):.3e}, "
                f"max rel error {np.max(rel, initial=0.0):.3e} (atol={atol:g}, rtol={rtol:g}), "
                f"{int(np.sum(bad))} of {bad.size} entries off\n"
                f"  expected: {_fmt(e)}\n"
                f"  got:      {_fmt(g)}"
            )


def check_grads(
    f: Callable,
    args: Sequence[Any],
    modes: Sequence[str] = ("fwd",),
    order: int = 1,
    atol: float | None = None,
    rtol: float | None = None,
    wrt: Sequence[int] | int | None = None,
    eps: float = 1e-6,
    seed: int = 0,
) -> None:
    """Check srcad's derivatives of ``f(*args)`` against central finite differences.

    - ``"fwd"`` in `modes`: for each differentiated argument k and a random direction v,
      ``api.jvp`` must match ``(f(.., x_k + eps v, ..) - f(.., x_k - eps v, ..)) / (2 eps)``.
    - ``"rev"`` in `modes` (when srcad has `vjp`): for random directions v (all differentiated
      arguments) and u (the output), ``<u, J v>`` from forward mode and from finite differences must
      equal ``<J^T u, v>`` from ``api.vjp``'s pullback (the dot-product test).
    - ``order=2`` also checks the derivative of the JVP: the finite difference of
      ``jvp(f, x, v)`` along w must equal that of ``jvp(f, x, w)`` along v (Hessian symmetry,
      with first derivatives by srcad).

    `wrt` lists argument positions (default: every argument whose leaves are all floats; none
    such, e.g. only complex or integer arguments: `ValueError`, not a check of nothing).
    `atol`/`rtol` default to 1e-6/1e-5 (scaled up for order 2). Raises `AssertionError`::

        >>> import numpy as np
        >>> check_grads(lambda x, y: np.sin(x) * y, (np.array([0.5, 1.0]), 2.0))
    """
    args = tuple(args)
    if wrt is None:
        positions = [k for k, a in enumerate(args) if _is_float_tree(a)]
    elif isinstance(wrt, int):
        positions = [wrt]
    else:
        positions = list(wrt)
    if not positions:  # (a check of nothing would pass whatever srcad computes)
        raise ValueError(
            "check_grads: no argument to differentiate: no argument is a float array or "
            "number (or a tree of them); pass `wrt=` (complex arguments are not "
            "differentiated: pass their real and imaginary parts as float arrays)"
        )
    atol = 1e-6 if atol is None else atol
    rtol = 1e-5 if rtol is None else rtol
    rng = np.random.default_rng(seed)
    for m in modes:
        if m not in ("fwd", "rev"):
            raise ValueError(f"unknown mode {m!r}; use 'fwd' and/or 'rev'")

    def shifted(k: int, t: float, v: Any) -> tuple:
        a = list(args)
        a[k] = _axpy(t, v, args[k])
        return tuple(a)

    def fd(fun: Callable, k: int, v: Any) -> Any:
        # deep copies: f may write into its array arguments
        plus = fun(*copy.deepcopy(shifted(k, eps, v)))
        minus = fun(*copy.deepcopy(shifted(k, -eps, v)))
        pl, struct = _flatten(plus)
        ml, _ = _flatten(minus)
        diffs = [(a - np.asarray(m, a.dtype)) / (2 * eps) for a, m in zip(_leaves_f(pl), ml)]
        return _unflatten(struct, diffs)

    directions = {k: _random_like(args[k], rng) for k in positions}
    if "fwd" in modes or order >= 2:
        for k in positions:
            v = directions[k]
            tangents = tuple(v if i == k else None for i in range(len(args)))
            out, dout = api.jvp(f, copy.deepcopy(args), tangents)  # f may update them
            _compare(
                "primal output of api.jvp",
                f(*copy.deepcopy(args)),
                out,
                atol,
                rtol,
                f,
                f"argument {k}",
            )
            _compare(
                "forward-mode derivative (api.jvp vs central differences)",
                fd(f, k, v),
                dout,
                atol,
                rtol,
                f,
                f"argument {_param(f, k)}",
            )
    if order >= 2:
        for k in positions:
            v = directions[k]
            w = _random_like(args[k], rng)

            def along(d: Any, k: int = k) -> Callable:
                def g(*a: Any) -> Any:
                    t = tuple(d if i == k else None for i in range(len(a)))
                    return api.jvp(f, a, t)[1]

                return g

            _compare(
                "second derivative (d/dw jvp(v) vs d/dv jvp(w))",
                fd(along(w), k, v),
                fd(along(v), k, w),
                atol * 100,
                rtol * 100,
                f,
                f"argument {_param(f, k)}",
            )
    if "rev" in modes and positions:
        out, pullback = api.vjp(f, *copy.deepcopy(args), wrt=tuple(positions))
        u = _random_like(_as_float_tree(out), rng)
        cts = pullback(_unfloat(u, out))
        lhs_rev = sum(_vdot(ct, directions[k]) for ct, k in zip(cts, positions))
        lhs_fd = 0.0
        tangents = tuple(directions.get(i) for i in range(len(args)))
        _, dout = api.jvp(f, copy.deepcopy(args), tangents)
        lhs_fwd = _vdot(u, dout)
        for k in positions:
            jv_fd = fd(f, k, directions[k])
            lhs_fd += _vdot(u, jv_fd)
        scale = max(abs(lhs_fwd), abs(lhs_fd), 1.0)
        for label, ref in (("api.jvp", lhs_fwd), ("central differences", lhs_fd)):
            if not abs(lhs_rev - ref) <= atol + rtol * scale * 10:
                raise AssertionError(
                    f"check_grads({_name(f)}): reverse-mode dot-product test failed for "
                    f"arguments {positions}\n"
                    f"  <u, J v> by {label}: {ref!r}\n"
                    f"  <J^T u, v> by api.vjp: {lhs_rev!r}\n"
                    f"  abs error {abs(lhs_rev - ref):.3e} (atol={atol:g}, rtol={rtol:g})"
                )


def _as_float_tree(tree: Any) -> Any:
    leaves, struct = _flatten(tree)
    out = []
    for v in leaves:
        if isinstance(v, np.ndarray):
            out.append(v if v.dtype.kind in "fc" else np.asarray(v, dtype=float))
        elif isinstance(v, (np.floating, np.complexfloating, complex)):
            out.append(v)
        else:
            out.append(float(v))
    return _unflatten(struct, out)


def _unfloat(u: Any, like: Any) -> Any:
    """Cotangent seeds in the type of the output (0-d NumPy outputs get NumPy scalars)."""
    ul, struct = _flatten(u)
    ll, _ = _flatten(like)
    out = []
    for a, b in zip(ul, ll):
        if isinstance(b, np.generic):
            out.append(b.dtype.type(a))
        else:
            out.append(a)
    return _unflatten(struct, out)
