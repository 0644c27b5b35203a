"""Rule cases of the NumPy rules a ported corpus found missing (`srcad.rules.numpy_more`):
``np.pad(constant_values=)``, ``np.take(mode=)`` and the runtime helpers of the calls the lowering
rewrites (``np.diff(prepend=, append=)``, ``np.ediff1d``, ``np.maximum/minimum.accumulate``).

Part of `tests/rules/rules_cases.py`, imported at its end.
Cases are added to `rules_cases.CASES` with `rules_cases.case`, the same as there."""

from __future__ import annotations

import numpy as np

from tests.rules.rules_cases import case, randn, zero

# -- np.pad with constant values (differentiable in them) -------------------------------------
case("numpy.pad", "np.pad(x, (1, 2), constant_values=c)", x=randn(3), c=randn())
case("numpy.pad", "np.pad(x, 1, 'constant', constant_values=c)", x=randn(2, 3), c=randn())
case("numpy.pad", "np.pad(x, ((1, 0), (0, 2)), constant_values=c)", x=randn(2, 3),
     c=randn(2, 2))  # fmt: skip
case("numpy.pad", "np.pad(x, 2, constant_values=(c, 0.5))", _wrt=("x",), x=randn(3), c=0.25)
case("srcad.runtime.pad_const", "_srcad.pad_const(t, (2, 3), ((1, 0), (2, 1)))", t=randn(2, 2))
case("srcad.runtime.pad_const", "_srcad.pad_const(t, (3,), 2)", t=randn())
case("srcad.runtime.pad_const_vjp", "_srcad.pad_const_vjp(t, (2, 3), 1, c)", _wrt=("t",),
     t=randn(4, 5), c=randn(2, 2))  # fmt: skip
case("srcad.runtime.pad_const_vjp", "_srcad.pad_const_vjp(t, (3,), (1, 2), c)", _wrt=("t",),
     t=randn(6), c=randn())  # fmt: skip
# -- np.take with mode= ------------------------------------------------------------------------
case("numpy.take", "np.take(x, [7, -8, 1, 1], mode='wrap')", x=randn(5))
case("numpy.take", "np.take(x, [7, -8, 1, 1], mode='clip')", x=randn(5))
case("numpy.take", "np.take(x, idx, axis=1, mode='wrap')", x=randn(2, 3),
     idx=np.array([[4, -1], [0, 3]]))  # fmt: skip
case("numpy.take", "np.take(x, [-2, 0, 9], axis=0, mode='clip')", x=randn(3, 2))
case("method.take", "x.take([5, -1, 2], mode='wrap')", x=randn(2, 2))
zero("srcad.runtime.take_index", "_srcad.take_index([7, -8], (5,), None, 'wrap')")
# -- helpers of the rewritten calls ------------------------------------------------------------
case("srcad.runtime.diff_edge", "_srcad.diff_edge(p, (3, 4), 1)", p=randn())
case("srcad.runtime.diff_edge", "_srcad.diff_edge(p, (3, 4), 0)", p=randn(2, 4))
case("srcad.runtime.diff_edge", "_srcad.diff_edge(p, (4,), -1)", p=randn())
case("srcad.runtime.ext_accumulate", "_srcad.ext_accumulate(a, 0, 'maximum')", a=randn(6))
case("srcad.runtime.ext_accumulate", "_srcad.ext_accumulate(a, 1, 'minimum')", a=randn(3, 4))
case("srcad.runtime.ext_accumulate", "_srcad.ext_accumulate(a, -2, 'maximum')", a=randn(4, 2))
# a tie: the running maximum 2 at places 2 and 3 is shared by a[1] and a[2] (as np.max shares)
case("srcad.runtime.ext_accumulate", "_srcad.ext_accumulate(a, 0, 'maximum')", _fd=False,
     _jac={"a": np.array([[1, 0, 0, 0], [0, 1, 0, 0], [0, 0.5, 0.5, 0], [0, 0.5, 0.5, 0]])},
     a=np.array([1.0, 2.0, 2.0, -1.0]))  # fmt: skip
# np.hypot.reduce (idiom46): the 2-norm along an axis, where= masking entries out
case("srcad.runtime.hypot_reduce", "_srcad.hypot_reduce(a)", a=randn(5))
case("srcad.runtime.hypot_reduce", "_srcad.hypot_reduce(a, 1, None, True)", a=randn(3, 4))
case("srcad.runtime.hypot_reduce", "_srcad.hypot_reduce(a, None)", a=randn(2, 3))
case("srcad.runtime.hypot_reduce", "_srcad.hypot_reduce(a, 0, initial=0.5, where=m)",
     a=randn(6), m=np.array([True, False, True, True, False, True]))  # fmt: skip
# np.fmax/np.fmin.accumulate (idiom46); with a NaN, which fmax skips: it gets no derivative
case("srcad.runtime.ext_accumulate", "_srcad.ext_accumulate(a, 0, 'fmax')", a=randn(6))
case("srcad.runtime.ext_accumulate", "_srcad.ext_accumulate(a, 1, 'fmin')", a=randn(3, 4))
case("srcad.runtime.ext_accumulate", "_srcad.ext_accumulate(a, 0, 'fmax')", _fd=False,
     _jac={"a": np.array([[1, 0, 0, 0], [1, 0, 0, 0], [0, 0, 1, 0], [0, 0, 1, 0]])},
     a=np.array([1.0, np.nan, 2.0, -1.0]))  # fmt: skip
case("srcad.runtime.ext_accum_apply", "_srcad.ext_accum_apply(t, a, 0, 'maximum', False)",
     ("t", "a"), t=randn(5), a=randn(5))  # fmt: skip
case("srcad.runtime.ext_accum_apply", "_srcad.ext_accum_apply(t, a, 1, 'minimum', True)",
     ("t", "a"), t=randn(2, 4), a=randn(2, 4))  # fmt: skip
# -- np.polyfit: differentiable in y (x and w fixed) -------------------------------------------
case("numpy.polyfit", "np.polyfit(x, y, 2)", _wrt=("y",), x=np.arange(5.0), y=randn(5))
case("numpy.polyfit", "np.polyfit(x, y, 1, w=w)", _wrt=("y",), x=randn(6), y=randn(6, 2),
     w=np.array([1.0, 2.0, 0.5, 1.5, 1.0, 3.0]))  # fmt: skip
case("srcad.runtime.polyfit_lin", "_srcad.polyfit_lin(t, x, 2, None, False, None, False)",
     _wrt=("t",), t=randn(5), x=randn(5))  # fmt: skip
case("srcad.runtime.polyfit_vjp", "_srcad.polyfit_vjp(t, x, y, 2, None, False, None, False)",
     _wrt=("t",), t=randn(3), x=randn(5), y=randn(5))  # fmt: skip
# -- np.cov / np.corrcoef (rewritten by the lowering) read the variables through cov_rows ------
case("srcad.runtime.cov_rows", "_srcad.cov_rows(m, True)", m=randn(4))
case("srcad.runtime.cov_rows", "_srcad.cov_rows(m, False)", m=randn(4, 3))
case("srcad.runtime.cov_rows", "_srcad.cov_rows(m, False)", m=randn(1, 3))
case("srcad.runtime.cov_rows_vjp", "_srcad.cov_rows_vjp(t, m, False)", _wrt=("t",), t=randn(3, 4),
     m=randn(4, 3))  # fmt: skip
# -- np.gradient over several axes (a tuple of arrays) -----------------------------------------
case("numpy.gradient", "np.gradient(f)", f=randn(3, 4))
case("numpy.gradient", "np.gradient(f, 0.5, 2.0, edge_order=2)", f=randn(3, 4))
case("numpy.gradient", "np.gradient(f, xs, 0.5, axis=(1, 0))", ("f",), f=randn(3, 4),
     xs=np.array([0.0, 0.3, 1.1, 1.5]))  # fmt: skip
case("numpy.gradient", "np.gradient(f, axis=(0, 2))", f=randn(3, 2, 3))
case("srcad.runtime.gradient_jvp", "_srcad.gradient_jvp(t, a, (), None, 1)", _wrt=("t",),
     t=randn(3, 4), a=randn(3, 4))  # fmt: skip
case("srcad.runtime.gradient_vjp", "_srcad.gradient_vjp(t, a, (), 1, 1)", _wrt=("t",),
     t=randn(3, 4), a=randn(3, 4))  # fmt: skip
# -- ndarray.tolist: lists of Python floats carrying the elements' derivatives -----------------
case("method.tolist", "x.tolist()", x=randn(4))
case("method.tolist", "x.tolist()", x=randn(2, 3))
case("srcad.runtime.tolist", "_srcad.tolist(x)", x=randn(3))
case(
    "srcad.runtime.tolist_vjp", "_srcad.tolist_vjp(t, x)", _wrt=("t",), t=randn(2, 2), x=randn(2, 2)
)
zero("srcad.runtime.correlate_same", "_srcad.correlate_same(2, 5)")
# -- np.logaddexp.reduce without scipy ---------------------------------------------------------
case("srcad.runtime.lae_reduce", "_srcad.lae_reduce(a, 0, False)", a=randn(5))
case("srcad.runtime.lae_reduce", "_srcad.lae_reduce(a, 1, True)", a=randn(3, 4))
case("srcad.runtime.lae_reduce", "_srcad.lae_reduce(a, None, False)", a=randn(2, 3))
case(
    "srcad.runtime.lae_reduce", "_srcad.lae_reduce(a, 0, False)", a=np.array([1000.0, 1000.0, -3.0])
)
case("srcad.runtime.lae_w", "_srcad.lae_w(a, 0)", a=randn(4, 2))
case("srcad.runtime.lae_w", "_srcad.lae_w(a, None)", a=randn(2, 3))

# -- np.polydiv in both polynomials (srcad.rules.polyroots) -----------------------
case("numpy.polydiv", "np.polydiv(u, v)", u=randn(5), v=np.array([1.5, -0.4, 0.3]))
case("numpy.polydiv", "np.polydiv(u, v)", u=randn(4), v=np.array([-0.8, 0.6]))
case("numpy.polydiv", "np.polydiv(u, v)", u=randn(2), v=np.array([1.5, -0.4, 0.3]))  # deg u < deg v
V3 = np.array([1.5, -0.4, 0.3])
case("srcad.runtime.polydiv_q", "_srcad.polydiv_q(t, v, 3)", t=randn(5), v=V3)
case("srcad.runtime.polydiv_r", "_srcad.polydiv_r(t, v, 2)", t=randn(5), v=V3)
case("srcad.runtime.polydiv_qt", "_srcad.polydiv_qt(c, v, 5)", _wrt=("c",), c=randn(3), v=V3)
case("srcad.runtime.polydiv_rt", "_srcad.polydiv_rt(c, v, 5)", _wrt=("c",), c=randn(2), v=V3)
