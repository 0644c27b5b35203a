"""scipy.linalg (rules registered only when scipy is importable), with the runtime helpers their
rules call.

Input: the `RuleTable` pair. Output: the tables filled with the rules of ``solve_triangular``
(``trans``, ``lower``, ``unit_diagonal``), ``cholesky`` (``lower``), ``cho_factor`` and
``cho_solve``, ``solve`` (``assume_a``, ``lower``, ``transposed``), ``inv``, ``det`` and
``expm`` (Fréchet derivative), and of the helpers (`srcad.runtime.sl_*`), each with rules of its
own so every order closes. Example (``solve_triangular``, ``x = op(T)^-1 b``)::

    jvp: sl_trisolve(a, db - op(tri(da)) @ ans, ...)
    vjp: gb = sl_trisolve(a, g, ..., adjoint=1);  ga = -tri(op(gb x^T))

What each function reads is what it is differentiated in: a triangular solve and a Cholesky
factor read one triangle of ``a`` (the other gets a zero derivative); ``cho_factor`` returns
``(c, lower)`` where ``c``'s other triangle is a copy of ``a``'s up to scipy 1.17 (derivative: the
identity there) and zeros from 1.18 (`sl_cho_rest` asks scipy which);
``cho_solve((c, lower), b)`` reads only the factor's triangle of ``c``: the pair is an ordinary
tuple operand whose tangent is ``(dc, 0.0)``. ``solve(assume_a='sym'|'pos'|...)`` reads one
triangle, ``'tridiagonal'`` three diagonals, ``'banded'`` all of ``a`` (scipy finds the band).
``solve``, ``inv``, ``det``, ``cholesky`` and ``expm`` take stacks of matrices as scipy does;
``solve_triangular`` and ``cho_solve`` of a stack are refused (`DiffError`; at transform time
when the rank is known: `passes/refusals.py`).
"""

from __future__ import annotations

import functools

import numpy as np

from srcad.ad.rules import RuleTable
from srcad.rules.helpers import deflinear_helper, helper, rt
from srcad.rules.indexing import _unsupported

try:  # scipy is optional: without it this family registers nothing
    import scipy.linalg as sl
except ImportError:  # pragma: no cover - exercised only without scipy
    sl = None

SL = "scipy.linalg."
RT = "srcad.runtime."
NAMES = ("solve_triangular", "cholesky", "cho_factor", "cho_solve", "solve", "inv", "det", "expm")
PURE: tuple[str, ...] = () if sl is None else tuple(SL + n for n in NAMES)
ELEMENTWISE: tuple[str, ...] = ()
CONTAINER: tuple[str, ...] = () if sl is None else (SL + "cho_factor",)

_TRANSPOSED = (1, 2, "T", "C", "t", "c")


def _outer(y: str, x: str) -> str:
    """Template text of ``y x^T`` summed over right-hand sides (`sl_outer`)."""
    return f"_srcad.sl_outer({y}, {x})"


def _square(a, what: str = "solve_triangular") -> np.ndarray:
    a = np.asarray(a)
    if a.ndim != 2 or a.shape[0] != a.shape[1]:
        raise _unsupported(
            f"srcad differentiates scipy.linalg.{what} of one square matrix, not of shape "
            f"{a.shape} (loop over a stack, or use np.linalg)"
        )
    return a


def _diagm(a):
    """The diagonal of each matrix of the stack `a`, as matrices (``np.diag(np.diag(a))``)."""
    return a * np.eye(np.shape(a)[-1])


# -- linear helpers (masks, transposes) ----------------------------------------------------------
@helper
def sl_tri(m, lower, unit):
    """The triangle of `m` a triangular solve reads: lower (``lower``) or upper, without the
    diagonal when ``unit`` (self-adjoint)."""
    k = (-1 if lower else 1) if unit else 0
    return np.tril(m, k) if lower else np.triu(m, k)


@helper
def sl_cho_rest(m, lower):
    """What ``cho_factor`` leaves in the triangle of its result it does not factor, as a linear
    map of `m`: a copy of that strict triangle up to scipy 1.17, zeros from 1.18 on (asked of
    scipy once, on a 2 x 2 matrix)."""
    return sl_tri(m, not lower, True) if _cho_copies() else np.zeros_like(m)


@functools.cache
def _cho_copies() -> bool:
    c, _ = sl.cho_factor(np.array([[4.0, 2.0], [2.0, 5.0]]))
    return bool(c[1, 0] == 2.0)


@helper
def sl_opm(m, trans, adjoint):
    """`m`, transposed when ``trans`` (scipy's 0/1/2/'N'/'T'/'C') xor ``adjoint`` says so."""
    return np.swapaxes(m, -1, -2) if (trans in _TRANSPOSED) != bool(adjoint) else m


@helper
def sl_factor(m, lower):
    """The lower Cholesky factor ``L`` (``A = L L^T``) held in `m`: ``tril(m)`` or ``triu(m).T``
    (one matrix: cho_solve of a stack is refused)."""
    m = _square(m, "cho_solve")
    return np.tril(m) if lower else np.swapaxes(np.triu(m), -1, -2)


@helper
def sl_factor_t(g, lower):
    """The transpose of `sl_factor`: a cotangent of ``L`` as one of `m`."""
    g = _square(g, "cho_solve")
    return np.tril(g) if lower else np.triu(np.swapaxes(g, -1, -2))


@helper
def sl_outer(y, x):
    """``sum y[..., i, k] x[..., j, k]``: ``y x^T`` of two arrays shaped like a solve's
    right-hand side (``(n,)``, ``(n, k)``, a stack ``(..., n, k)``), summed over the stack."""
    y, x = np.asarray(y), np.asarray(x)
    if y.ndim == 1:
        return np.outer(y, x)
    if y.ndim == 2:
        return y @ x.T
    n = np.shape(y)[-2]
    y2 = np.reshape(np.moveaxis(y, -2, 0), (n, -1))
    return y2 @ np.reshape(np.moveaxis(x, -2, 0), (n, -1)).T


def _solve_kind(assume_a, lower) -> str:
    kind = "gen" if assume_a is None else str(assume_a).lower()
    kinds = {"general": "gen", "symmetric": "sym", "hermitian": "sym", "her": "sym",
             "positive definite": "sym", "pos": "sym", "lower triangular": "low",
             "upper triangular": "up", "diagonal": "diag", "banded": "gen",
             "tridiagonal": "tri"}  # fmt: skip
    kind = kinds.get(kind, kind)
    if kind not in ("gen", "sym", "low", "up", "diag", "tri"):
        raise ValueError(f"srcad: no derivative of scipy.linalg.solve(assume_a={assume_a!r})")
    return kind


@helper
def sl_solve_mat(a, assume_a, lower, transposed):
    """The matrix ``scipy.linalg.solve(a, b, assume_a=..., lower=..., transposed=...)`` solves
    with: `a`, its symmetric completion from one triangle, a triangle or the diagonal (transposed)."""
    kind = _solve_kind(assume_a, lower)
    if kind == "sym":
        t = np.tril(a) if lower else np.triu(a)
        m = t + np.swapaxes(t, -1, -2) - _diagm(a)
    else:
        m = _masked(a, kind)
    return np.swapaxes(m, -1, -2) if transposed else m


@helper
def sl_solve_mat_t(g, assume_a, lower, transposed):
    """The transpose of `sl_solve_mat` (linear in its first argument)."""
    kind = _solve_kind(assume_a, lower)
    g = np.swapaxes(g, -1, -2) if transposed else g
    if kind == "sym":
        s = g + np.swapaxes(g, -1, -2) - _diagm(g)
        return np.tril(s) if lower else np.triu(s)
    return _masked(g, kind)


def _masked(a, kind: str):
    """The part of `a` a solve of that kind reads (self-adjoint)."""
    if kind == "tri":
        return np.triu(np.tril(a, 1), -1)
    return {"gen": a, "low": np.tril(a), "up": np.triu(a), "diag": _diagm(a)}[kind]


# -- nonlinear helpers: scipy with flags the rules need ----------------------------------------
@helper
def sl_trisolve(a, b, trans, lower, unit, adjoint):
    """``op(T)^-1 b`` for the triangle ``T`` of `a` (`sl_tri`), ``op`` as in `sl_opm`."""
    t = 1 if (trans in _TRANSPOSED) != bool(adjoint) else 0
    return sl.solve_triangular(_square(a), b, trans=t, lower=lower, unit_diagonal=unit)


@helper
def sl_cho_solve(c_and_lower, b):
    """``scipy.linalg.cho_solve(c_and_lower, b)``."""
    return sl.cho_solve((_square(c_and_lower[0], "cho_solve"), c_and_lower[1]), b)


@helper
def sl_frechet(a, e):
    """The Fréchet derivative of ``expm`` at `a` in the direction `e` (linear in `e`), for
    stacks too."""
    a, e = np.broadcast_arrays(np.asarray(a), np.asarray(e))
    out = np.empty(np.shape(e), np.result_type(a, e, float))
    for i in np.ndindex(np.shape(e)[:-2]):
        out[i] = sl.expm_frechet(a[i], e[i], compute_expm=False, check_finite=False)
    return out


@helper
def sl_block(a, e):
    """``[[a, e], [0, a]]``: ``expm`` of it holds ``expm(a)`` and ``L(a, e)`` (linear in both)."""
    z = np.zeros(np.shape(a))
    return np.block([[a, e], [z, a]])


@helper
def sl_corner(m):
    """The upper-right quarter of the square matrix `m` (linear)."""
    n = np.shape(m)[-1] // 2
    return m[..., :n, n:]


@helper
def sl_corner_t(g):
    """The transpose of `sl_corner`: `g` in the upper-right quarter of zeros twice its size."""
    n = np.shape(g)[-1]
    out = np.zeros(np.shape(g)[:-2] + (2 * n, 2 * n))
    out[..., :n, n:] = g
    return out


@helper
def sl_diag_blocks(g):
    """The transpose of `sl_block` in ``a``: the sum of the two diagonal quarters of `g`."""
    n = np.shape(g)[-1] // 2
    return g[..., :n, :n] + g[..., n:, n:]


def register(jvp: RuleTable, vjp: RuleTable) -> None:
    """Fill `jvp` and `vjp` with the scipy.linalg rules (nothing without scipy)."""
    if sl is None:  # pragma: no cover
        return
    _linear_helpers(jvp, vjp)
    tri = "_srcad.sl_tri({}, lower, unit_diagonal)"
    for prim, sig, unit, adj, flip in (
        (SL + "solve_triangular",
         "a, b, trans=0, lower=False, unit_diagonal=False, overwrite_b=False, check_finite=True",
         "unit_diagonal", "0", "1"),
        (RT + "sl_trisolve", "a, b, trans, lower, unit, adjoint", "unit", "adjoint",
         "1 - adjoint"),
    ):  # fmt: skip
        solve = f"_srcad.sl_trisolve(a, {{}}, trans, lower, {unit}, {{}})"
        mask = tri.replace("unit_diagonal", unit)
        y = solve.format("g", flip)
        opm = f"_srcad.sl_opm({{}}, trans, {adj})"
        nondiff = tuple(p.split("=")[0].strip() for p in sig.split(", ")[2:])
        jvp.defjvp(
            prim, sig, nondiff=nondiff,
            a="-" + solve.format(opm.format(mask.format("da")) + " @ ans", adj),
            b=solve.format("db", adj),
        )  # fmt: skip
        outer = f"_srcad.sl_opm({_outer(y, 'ans')}, trans, {adj})"
        vjp.defvjp(prim, sig, nondiff=nondiff, a=f"-{mask.format(outer)}", b=y)

    # cholesky reads one triangle (scipy's default: the upper one, A = U^T U)
    jvp.defjvp(
        SL + "cholesky", "a, lower=False, overwrite_a=False, check_finite=True",
        nondiff=("lower", "overwrite_a", "check_finite"),
        a="_srcad.cholesky_jvp(da, ans, not lower)",
    )  # fmt: skip
    vjp.defvjp(
        SL + "cholesky", "a, lower=False, overwrite_a=False, check_finite=True",
        nondiff=("lower", "overwrite_a", "check_finite"),
        a="_srcad.cholesky_vjp(g, ans, not lower)",
    )  # fmt: skip
    # cho_factor: (c, lower); c = the factor's triangle + a copy of a's other triangle.
    sig = "a, lower=False, overwrite_a=False, check_finite=True"
    nd = ("lower", "overwrite_a", "check_finite")
    fac = "_srcad.sl_tri(ans[0], lower, False)"
    jvp.defjvp(
        SL + "cho_factor", sig, nondiff=nd,
        a=f"(_srcad.cholesky_jvp(da, {fac}, not lower) + _srcad.sl_cho_rest(da, lower), 0.0)",
    )  # fmt: skip
    vjp.defvjp(
        SL + "cho_factor", sig, nondiff=nd,
        a=f"_srcad.cholesky_vjp(_srcad.sl_tri(g[0], lower, False), {fac}, not lower)"
        " + _srcad.sl_cho_rest(g[0], lower)",
    )  # fmt: skip
    # cho_solve((c, lower), b): x = A^-1 b, A = L L^T, L = sl_factor(c, lower)
    big_l = "_srcad.sl_factor(c_and_lower[0], c_and_lower[1])"
    d_l = "_srcad.sl_factor(dc_and_lower[0], c_and_lower[1])"
    for prim, sig in (
        (SL + "cho_solve", "c_and_lower, b, overwrite_b=False, check_finite=True"),
        (RT + "sl_cho_solve", "c_and_lower, b"),
    ):
        nondiff = ("overwrite_b", "check_finite") if prim.startswith(SL) else ()
        y = "_srcad.sl_cho_solve(c_and_lower, g)"
        o = _outer(y, "ans")
        jvp.defjvp(
            prim, sig, nondiff=nondiff,
            c_and_lower=f"(-_srcad.sl_cho_solve(c_and_lower, ({d_l} @ {big_l}.mT + {big_l} @ "
            f"{d_l}.mT) @ ans))",
            b="_srcad.sl_cho_solve(c_and_lower, db)",
        )  # fmt: skip
        vjp.defvjp(
            prim, sig, nondiff=nondiff,
            c_and_lower=f"(_srcad.sl_factor_t(-(({o}) + ({o}).T) @ {big_l}, c_and_lower[1]), 0.0)",
            b=y,
        )  # fmt: skip
    # solve: np.linalg.solve's rules on the matrix scipy solves with
    sig = ("a, b, lower=False, overwrite_a=False, overwrite_b=False, check_finite=True, "
           "assume_a=None, transposed=False")  # fmt: skip
    nd = ("lower", "overwrite_a", "overwrite_b", "check_finite", "assume_a", "transposed")
    m = "_srcad.sl_solve_mat({}, assume_a, lower, transposed)"
    jvp.defjvp(
        SL + "solve", sig, nondiff=nd,
        a=f"_srcad.solve_jvp_a({m.format('da')}, {m.format('a')}, b, ans)",
        b=f"np.linalg.solve({m.format('a')}, db)",
    )  # fmt: skip
    vjp.defvjp(
        SL + "solve", sig, nondiff=nd,
        a="_srcad.sl_solve_mat_t(_srcad.solve_vjp_a(g, "
        f"{m.format('a')}, b, ans), assume_a, lower, transposed)",
        b=f"_srcad.solve_vjp_b(g, {m.format('a')}, b)",
    )  # fmt: skip
    sig = "a, overwrite_a=False, check_finite=True"
    nd = ("overwrite_a", "check_finite")
    jvp.defjvp(SL + "inv", sig, nondiff=nd, a="-(ans @ da @ ans)")
    vjp.defvjp(SL + "inv", sig, nondiff=nd, a="-(ans.mT @ g @ ans.mT)")
    jvp.defjvp(
        SL + "det", sig, nondiff=nd,
        a="np.sum(_srcad.det_cofactor(a, _srcad.det_nz(ans, a)) * da, axis=(-2, -1))",
    )  # fmt: skip
    vjp.defvjp(SL + "det", sig, nondiff=nd, a="_srcad.det_vjp(g, a, _srcad.det_nz(ans, a))")
    # expm: the Fréchet derivative; its transpose is the Fréchet derivative at a^T.
    sig = "A"
    jvp.defjvp(SL + "expm", sig, A="_srcad.sl_frechet(A, dA)")
    vjp.defvjp(SL + "expm", sig, A="_srcad.sl_frechet(A.mT, g)")
    # L(a, e) is the corner of expm([[a, e], [0, a]]): its derivative in a is a corner of L there.
    jvp.defjvp(
        RT + "sl_frechet", "a, e",
        a="_srcad.sl_corner(_srcad.sl_frechet(_srcad.sl_block(a, e), _srcad.sl_block(da, 0.0 * e)))",
        e="_srcad.sl_frechet(a, de)",
    )  # fmt: skip
    vjp.defvjp(
        RT + "sl_frechet", "a, e",
        a="_srcad.sl_diag_blocks(_srcad.sl_frechet(_srcad.sl_block(a, e).mT, _srcad.sl_corner_t(g)))",
        e="_srcad.sl_frechet(a.mT, g)",
    )  # fmt: skip


def _linear_helpers(jvp: RuleTable, vjp: RuleTable) -> None:
    """Rules of the linear helpers: each is its own transpose or has one above."""
    deflinear_helper(jvp, vjp, sl_tri, "m, lower, unit", "_srcad.sl_tri(dm, lower, unit)",
                     "_srcad.sl_tri(g, lower, unit)")  # fmt: skip
    deflinear_helper(jvp, vjp, sl_cho_rest, "m, lower", "_srcad.sl_cho_rest(dm, lower)",
                     "_srcad.sl_cho_rest(g, lower)")  # fmt: skip
    deflinear_helper(jvp, vjp, sl_opm, "m, trans, adjoint", "_srcad.sl_opm(dm, trans, adjoint)",
                     "_srcad.sl_opm(g, trans, adjoint)")  # fmt: skip
    deflinear_helper(jvp, vjp, sl_factor, "m, lower", "_srcad.sl_factor(dm, lower)",
                     "_srcad.sl_factor_t(g, lower)")  # fmt: skip
    deflinear_helper(jvp, vjp, sl_factor_t, "t, lower", "_srcad.sl_factor_t(dt, lower)",
                     "_srcad.sl_factor(g, lower)")  # fmt: skip
    args = "assume_a, lower, transposed"
    deflinear_helper(jvp, vjp, sl_solve_mat, f"a, {args}", f"_srcad.sl_solve_mat(da, {args})",
                     f"_srcad.sl_solve_mat_t(g, {args})")  # fmt: skip
    deflinear_helper(jvp, vjp, sl_solve_mat_t, f"t, {args}", f"_srcad.sl_solve_mat_t(dt, {args})",
                     f"_srcad.sl_solve_mat(g, {args})")  # fmt: skip
    deflinear_helper(jvp, vjp, sl_corner, "m", "_srcad.sl_corner(dm)", "_srcad.sl_corner_t(g)")
    jvp.defjvp(rt(sl_outer), "y, x", y="_srcad.sl_outer(dy, x)", x="_srcad.sl_outer(y, dx)")
    vjp.defvjp(rt(sl_outer), "y, x", y="np.reshape(g @ x, np.shape(y))",
               x="np.reshape(np.swapaxes(g, -1, -2) @ y, np.shape(x))")  # fmt: skip
    deflinear_helper(jvp, vjp, sl_corner_t, "t", "_srcad.sl_corner_t(dt)", "_srcad.sl_corner(g)")
    jvp.defjvp(rt(sl_block), "a, e", a="_srcad.sl_block(da, 0.0 * e)",
               e="_srcad.sl_block(0.0 * a, de)")  # fmt: skip
    vjp.defvjp(rt(sl_block), "a, e", a="_srcad.sl_diag_blocks(g)", e="_srcad.sl_corner(g)")
    deflinear_helper(jvp, vjp, sl_diag_blocks, "t", "_srcad.sl_diag_blocks(dt)",
                     "_srcad.sl_block(g, 0.0 * g)")  # fmt: skip
