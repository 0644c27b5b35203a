"""scipy.linalg.solve_banded (rules registered only when scipy is importable), with the runtime
helpers its rules call (products by a banded matrix in its band storage) and their own rules.

Input: the `RuleTable` pair. Output: the tables filled with those rules. scipy's storage of a
banded ``A`` with ``l`` bands below and ``u`` above the diagonal is ``ab[u + i - j, j] = A[i, j]``;
the rules are np.linalg.solve's, with the products by ``A`` and ``A^T`` done in that storage, so
a derivative costs O(n (l + u)) beyond the solves, never a dense n x n matrix::

    jvp: x' = A^-1 (db - A' x)              (A' x: sl_band_matvec(dab, x))
    vjp: y = A^-T g (a banded solve with A^T's storage, sl_band_t);  gb = y;
         gab = -(the band of y x^T)       (sl_band_outer)

The corners of `ab` outside the matrix are never read: their derivative is 0. One matrix and a
1-D or 2-D ``b`` (scipy also solves stacks: refused with a `DiffError` when it runs).
``cho_solve_banded``, ``solveh_banded`` and ``eigh_tridiagonal`` have no rules (refused at
transform time, as any function without one).
"""

from __future__ import annotations

import numpy as np

from srcad.ad.rules import RuleTable
from srcad.rules.helpers import deflinear_helper, helper, rt
from srcad.rules.indexing import _unsupported

try:  # scipy is optional: without it this family registers nothing
    import scipy.linalg as sl
except ImportError:  # pragma: no cover - exercised only without scipy
    sl = None

SL = "scipy.linalg."
PURE: tuple[str, ...] = () if sl is None else (SL + "solve_banded",)
ELEMENTWISE: tuple[str, ...] = ()


def _one(ab, *xs):
    """`ab` and `xs` as arrays, when they hold one banded matrix (2-D storage) and right-hand
    sides of one matrix (1-D or 2-D); else the refusal (scipy also takes stacks)."""
    ab, xs = np.asarray(ab), [np.asarray(x) for x in xs]
    if ab.ndim != 2 or any(x.ndim > 2 for x in xs):
        raise _unsupported(
            "srcad differentiates scipy.linalg.solve_banded of one banded matrix and a 1-D or "
            f"2-D b, not of shapes {ab.shape} and {[x.shape for x in xs]} (loop over the stack)"
        )
    return (ab, *xs)


@helper
def sl_banded_solve(l_and_u, ab, b):
    """``scipy.linalg.solve_banded(l_and_u, ab, b)`` (one matrix)."""
    return sl.solve_banded(l_and_u, *_one(ab, b))


@helper
def sl_band_matvec(ab, x, l_and_u):
    """``A @ x`` for the banded ``A`` stored in `ab`, without forming ``A``."""
    lo, up = l_and_u
    ab, x = _one(ab, x)
    n = np.shape(ab)[-1]
    out = np.zeros(np.shape(x), np.result_type(ab, x, float))
    for r in range(lo + up + 1):
        d = up - r  # the diagonal j - i = d
        i0, i1 = max(0, -d), min(n, n - d)
        w = ab[r, i0 + d : i1 + d]
        out[i0:i1] += np.reshape(w, w.shape + (1,) * (x.ndim - 1)) * x[i0 + d : i1 + d]
    return out


@helper
def sl_band_t(ab, l_and_u):
    """The storage of ``A^T`` (bands ``(u, l)``) from that of ``A`` (unused corners zero)."""
    lo, up = l_and_u
    (ab,) = _one(ab)
    n = np.shape(ab)[-1]
    out = np.zeros(np.shape(ab), np.result_type(ab, float))
    for r in range(lo + up + 1):
        e = lo - r
        j0, j1 = max(0, e), min(n, n + e)
        out[r, j0:j1] = ab[lo + up - r, j0 - e : j1 - e]
    return out


@helper
def sl_band_outer(y, x, l_and_u):
    """The band of ``y x^T`` in `ab`'s storage (the cotangent of `ab` for ``A @ x``)."""
    lo, up = l_and_u
    _, y, x = _one(np.zeros((1, 1)), y, x)
    n = np.shape(x)[0]
    y2, x2 = np.reshape(y, (n, -1)), np.reshape(x, (n, -1))
    out = np.zeros((lo + up + 1, n), np.result_type(y2, x2, float))
    for r in range(lo + up + 1):
        d = up - r
        j0, j1 = max(0, d), min(n, n + d)
        out[r, j0:j1] = np.sum(y2[j0 - d : j1 - d] * x2[j0:j1], axis=1)
    return out


def _banded(jvp: RuleTable, vjp: RuleTable) -> None:
    """solve_banded: np.linalg.solve's rules with A's products done in band storage."""
    for prim, sig in (
        (SL + "solve_banded",
         "l_and_u, ab, b, overwrite_ab=False, overwrite_b=False, check_finite=True"),
        (rt(sl_banded_solve), "l_and_u, ab, b"),
    ):  # fmt: skip
        nd = tuple(n.split("=")[0].strip() for n in sig.split(", ") if n not in ("ab", "b"))
        y = "_srcad.sl_banded_solve(l_and_u[::-1], _srcad.sl_band_t(ab, l_and_u), g)"
        jvp.defjvp(
            prim, sig, nondiff=nd, b="_srcad.sl_banded_solve(l_and_u, ab, db)",
            ab="-_srcad.sl_banded_solve(l_and_u, ab, _srcad.sl_band_matvec(dab, ans, l_and_u))",
        )  # fmt: skip
        vjp.defvjp(prim, sig, nondiff=nd, b=y, ab=f"-_srcad.sl_band_outer({y}, ans, l_and_u)")
    sig = "ab, x, l_and_u"
    jvp.defjvp(rt(sl_band_matvec), sig, nondiff=('l_and_u',),
               ab="_srcad.sl_band_matvec(dab, x, l_and_u)",
               x="_srcad.sl_band_matvec(ab, dx, l_and_u)")  # fmt: skip
    vjp.defvjp(rt(sl_band_matvec), sig, nondiff=('l_and_u',),
               ab="_srcad.sl_band_outer(g, x, l_and_u)",
               x="_srcad.sl_band_matvec(_srcad.sl_band_t(ab, l_and_u), g, l_and_u[::-1])")  # fmt: skip
    sig = "y, x, l_and_u"
    jvp.defjvp(rt(sl_band_outer), sig, nondiff=('l_and_u',),
               y="_srcad.sl_band_outer(dy, x, l_and_u)",
               x="_srcad.sl_band_outer(y, dx, l_and_u)")  # fmt: skip
    gx = "_srcad.sl_band_matvec(_srcad.sl_band_t(g, l_and_u), y, l_and_u[::-1])"
    vjp.defvjp(rt(sl_band_outer), sig, nondiff=('l_and_u',),
               y="np.reshape(_srcad.sl_band_matvec(g, x, l_and_u), np.shape(y))",
               x=f"np.reshape({gx}, np.shape(x))")  # fmt: skip
    deflinear_helper(jvp, vjp, sl_band_t, "ab, l_and_u", "_srcad.sl_band_t(dab, l_and_u)",
                     "_srcad.sl_band_t(g, l_and_u[::-1])")  # fmt: skip


def register(jvp: RuleTable, vjp: RuleTable) -> None:
    """Fill `jvp` and `vjp` with the rules (nothing without scipy)."""
    if sl is None:  # pragma: no cover
        return
    _banded(jvp, vjp)
