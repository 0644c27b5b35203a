"""Rule cases of `srcad.rules.numpy_more2` (``np.nanprod``, ``np.i0``, ``np.compress``,
``np.insert``, ``np.block`` and their helpers) and of ``np.var``/``np.std`` with ``where=``.

Part of `tests/rules/rules_cases.py`, imported at its end.
Cases are added to `rules_cases.CASES` with `rules_cases.case`, the same as there."""

from __future__ import annotations

import numpy as np

from tests.rules.rules_cases import case, randn, zero

nan = np.nan
# -- var / std with where= (the selected count, not the slice length) ---------------------------
MASK = np.array([[True, False, True, True], [False, True, True, True], [True, True, False, True]])
case("numpy.var", "np.var(a, axis=1, where=m)", a=randn(3, 4), m=MASK)
case("numpy.var", "np.var(a, where=m, ddof=1, keepdims=True)", a=randn(3, 4), m=MASK)
case("numpy.std", "np.std(a, axis=0, where=m, ddof=1)", a=randn(3, 4), m=MASK)
case("numpy.std", "np.std(a, where=m[0])", a=randn(3, 4), m=MASK)
case("method.var", "x.var(axis=1, where=m, ddof=d)", x=randn(3, 4), m=MASK, d=0.25)
case("method.std", "x.std(where=m, ddof=d)", x=randn(3, 4), m=MASK, d=0.25)
# -- nanprod: NaN entries count as 1 and get no derivative ------------------------------------
case("numpy.nanprod", "np.nanprod(a)", a=np.array([0.7, nan, -1.3, 0.4]))
case("numpy.nanprod", "np.nanprod(a, axis=1, keepdims=True)", a=np.array([[0.7, nan, -1.3],
     [0.5, 1.1, 0.9]]))  # fmt: skip
case("numpy.nanprod", "np.nanprod(a, axis=0)", a=randn(3, 2))
# -- i0 and I_n -------------------------------------------------------------------------------
case("numpy.i0", "np.i0(x)", x=randn(5) * 3.0)
case("numpy.i0", "np.i0(x)", x=randn())
case("srcad.runtime.bessel_i", "_srcad.bessel_i(1, x)", x=randn(4) * 2.0)
case("srcad.runtime.bessel_i", "_srcad.bessel_i(2, x)", x=np.array([0.0, -1.5, 4.0]))
# -- compress, insert, block ------------------------------------------------------------------
case("numpy.compress", "np.compress([True, False, True, True], x)", x=randn(4))
case("numpy.compress", "np.compress([False, True, True], x, axis=0)", x=randn(3, 2))
case("numpy.compress", "np.compress([True, False], x)", x=randn(2, 3))
case("method.compress", "x.compress([True, False, True, True])", x=randn(4))
case("method.compress", "x.compress([False, True, True], axis=1)", x=randn(2, 3))
case("srcad.runtime.compress_vjp", "_srcad.compress_vjp(t, [1, 0, 1], a, 1)", ("t",),
     t=randn(2, 2), a=randn(2, 3))  # fmt: skip
case("numpy.insert", "np.insert(x, 1, v)", x=randn(4), v=randn())
case("numpy.insert", "np.insert(x, [0, 2, 2], v)", x=randn(4), v=randn(3))
case("numpy.insert", "np.insert(x, 1, v, axis=1)", x=randn(3, 2), v=randn(3))
case("numpy.insert", "np.insert(x, slice(0, 2), v, axis=0)", x=randn(3, 2), v=randn(2))
case("numpy.insert", "np.insert(x, 2, v)", x=randn(2, 2), v=randn(2))
case("srcad.runtime.insert_values", "_srcad.insert_values(t, a, [0, 2], 1)", ("t",), t=randn(3, 2),
     a=randn(3, 2))  # fmt: skip
case("srcad.runtime.insert_vjp_arr", "_srcad.insert_vjp_arr(t, a, 1, v, 0)", ("t",),
     t=randn(4, 2), a=randn(3, 2), v=randn(2))  # fmt: skip
case("srcad.runtime.insert_vjp_values", "_srcad.insert_vjp_values(t, a, [1, 1], v, None)", ("t",),
     t=randn(6), a=randn(4), v=randn(2))  # fmt: skip
case("numpy.block", "np.block([x, y])", x=randn(2), y=randn(3))
case("numpy.block", "np.block([[x, y], [y, x]])", x=randn(2, 2), y=randn(2, 2))
case("numpy.block", "np.block([[x, y], [z, 1.5]])", x=randn(2, 3), y=randn(2, 1), z=randn(1, 3))
case("srcad.runtime.block_vjp", "_srcad.block_vjp(t, [[x, y]])", ("t",), t=randn(2, 3),
     x=randn(2, 2), y=randn(2, 1))  # fmt: skip
case("srcad.runtime.block_t", "_srcad.block_t([[a], [b]], [[x], [y]])", ("a", "b"),
     a=randn(1, 2), b=randn(2, 2), x=randn(1, 2), y=randn(2, 2))  # fmt: skip
# -- bincount (in weights), matvec / vecmat (NumPy >= 2.2) -------------------------------------
case("numpy.bincount", "np.bincount([2, 0, 2, 3], weights=w)", w=randn(4))
case("numpy.bincount", "np.bincount(i, w, minlength=6)", w=randn(3), i=np.array([1, 1, 4]))
case("srcad.runtime.bincount_vjp", "_srcad.bincount_vjp(t, [0, 2, 2], w)", ("t",), t=randn(3),
     w=randn(3))  # fmt: skip
if hasattr(np, "matvec"):
    case("numpy.matvec", "np.matvec(a, v)", a=randn(3, 4), v=randn(4))
    case("numpy.matvec", "np.matvec(a, v)", a=randn(2, 3, 4), v=randn(4))
    case("numpy.matvec", "np.matvec(a, v)", a=randn(3, 4), v=randn(2, 4))
    case("numpy.vecmat", "np.vecmat(v, a)", a=randn(3, 4), v=randn(3))
    case("numpy.vecmat", "np.vecmat(v, a)", a=randn(2, 3, 4), v=randn(2, 1, 3))
# -- np.linalg.cond (2-norm: the ratio of the extreme singular values) --------------------------
case("numpy.linalg.cond", "np.linalg.cond(a)", a=randn(3, 3))
case("numpy.linalg.cond", "np.linalg.cond(a, 2)", a=randn(4, 2))
case("numpy.linalg.cond", "np.linalg.cond(a, -2)", a=randn(2, 3, 3))
# -- np.histogram: in the weights (the edges do not move with them) -----------------------------
case("numpy.histogram", "np.histogram(x, 3, weights=w)", ("w",), x=randn(6), w=randn(6))
case("numpy.histogram", "np.histogram(x, [-1.0, 0.0, 0.5, 2.0], weights=w)", ("w",),
     x=np.array([-2.0, -1.0, 0.2, 0.5, 2.0, 3.0]), w=randn(6))  # fmt: skip
case("numpy.histogram", "np.histogram(x, 4, (-1.0, 1.0), weights=w)", ("w",), x=randn(2, 3),
     w=randn(2, 3))  # fmt: skip
case("srcad.runtime.histogram_w", "_srcad.histogram_w(t, x, 3, None, None)", ("t",), t=randn(6),
     x=randn(6))  # fmt: skip
case("srcad.runtime.histogram_w_vjp", "_srcad.histogram_w_vjp((t, e), x, 3, None, None, w)",
     ("t", "e"), t=randn(3), e=randn(4), x=randn(6), w=randn(6))  # fmt: skip
# -- np.histogram2d: in the weights, and the moving edges in the samples (rules/histograms2d.py)
_h2x = np.array([-0.9, -0.2, 0.3, 0.35, 0.8, 1.4])
_h2y = np.array([0.45, -1.1, 2.05, 0.2, -0.35, 1.3])  # (no value near an edge of 3 bins)
case("numpy.histogram2d", "np.histogram2d(x, y, 3, weights=w)", ("x", "y", "w"), x=_h2x,
     y=_h2y, w=randn(6))  # fmt: skip
case("numpy.histogram2d", "np.histogram2d(x, y, [2, e], weights=w)", ("x", "y", "w"), x=_h2x,
     y=_h2y, e=np.array([-2.0, 0.0, 1.0, 3.0]), w=randn(6))  # fmt: skip
case("numpy.histogram2d", "np.histogram2d(x, y, 3, [[-1.0, 1.0], None])", ("x", "y"), x=_h2x,
     y=_h2y)  # fmt: skip
_h2r = np.histogram2d(_h2x, _h2y, 3)
case("srcad.runtime.histogram2d_a", "_srcad.histogram2d_a(t, x, y, 3, None, None, r, 1)",
     ("t",), t=randn(6), x=_h2x, y=_h2y, r=_h2r)  # fmt: skip
case("srcad.runtime.histogram2d_a_vjp",
     "_srcad.histogram2d_a_vjp((c, e, f), x, y, 3, None, None, r, 0)", ("c", "e", "f"),
     c=randn(3, 3), e=randn(4), f=randn(4), x=_h2x, y=_h2y, r=_h2r)  # fmt: skip
case("srcad.runtime.histogram2d_w", "_srcad.histogram2d_w(t, x, y, 3, None, None, r)", ("t",),
     t=randn(6), x=_h2x, y=_h2y, r=_h2r)  # fmt: skip
case("srcad.runtime.histogram2d_w_vjp",
     "_srcad.histogram2d_w_vjp((c, e, f), x, y, 3, None, None, r, w)", ("c", "e", "f"),
     c=randn(3, 3), e=randn(4), f=randn(4), x=_h2x, y=_h2y, r=_h2r, w=randn(6))  # fmt: skip
# -- np.histogram in the data: the edges move with its extremes (rules/histograms.py) ----------
_hd = np.array([-0.9, -0.2, 0.3, 0.35, 0.8, 1.4])  # (no value near an edge of 3 or 10 bins)
case("numpy.histogram", "np.histogram(x, 3)", ("x",), x=_hd)
case("numpy.histogram", "np.histogram(x)", ("x",), x=_hd[::-1].reshape(2, 3))
case("numpy.histogram", "np.histogram(x, 3, weights=w)", ("x", "w"), x=_hd, w=randn(6))
case("numpy.histogram", "np.histogram(x, [-1.0, 0.0, 0.5, 2.0])", ("x",), x=_hd)
case("numpy.histogram", "np.histogram(x, 4, (-1.0, 2.0), density=True)", ("x",), x=_hd)
_hr = np.histogram(_hd, 3)
case("srcad.runtime.histogram_jvp", "_srcad.histogram_jvp(t, x, 3, None, None, r)", ("t",),
     t=randn(6), x=_hd, r=_hr)  # fmt: skip
case("srcad.runtime.histogram_vjp", "_srcad.histogram_vjp((c, e), x, 3, None, None, r)",
     ("c", "e"), c=randn(3), e=randn(4), x=_hd, r=_hr)  # fmt: skip
zero("srcad.runtime.cond_ij", "_srcad.cond_ij(None, 3)")
