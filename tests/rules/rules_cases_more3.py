"""Rule cases of `srcad.rules.numpy_more3` (``np.modf``, ``np.frexp``, ``np.linalg.matrix_rank``
and their helpers).

Part of `tests/rules/rules_cases.py`, imported at its end.
Cases are added to `rules_cases.CASES` with `rules_cases.case`, the same as there."""

from __future__ import annotations

import numpy as np

from tests.rules.rules_cases import case, pos, randn, unit, zero

# -- modf: (fraction, whole part); away from the integers, where both jump ----------------------
case("numpy.modf", "np.modf(x)", x=np.array([0.3, -1.7, 2.45, -0.2]))
case("numpy.modf", "np.modf(x)", x=2.3)
case("numpy.modf", "np.modf(x)", x=np.array([[1.25, -3.6], [0.1, 4.9]]))
case("srcad.runtime.modf_jvp", "_srcad.modf_jvp(t, x)", ("t",), t=randn(3), x=randn(3))
case("srcad.runtime.modf_vjp", "_srcad.modf_vjp((t, u), x)", ("t", "u"), t=randn(2, 2),
     u=randn(2, 2), x=randn(2, 2))  # fmt: skip
case("srcad.runtime.modf_vjp", "_srcad.modf_vjp((t, None), x)", ("t",), t=randn(), x=randn())
# -- frexp: (mantissa, exponent); away from the powers of two, where both jump ------------------
case("numpy.frexp", "np.frexp(x)", x=np.array([0.3, -1.7, 2.45, -0.2, 5.1]))
case("numpy.frexp", "np.frexp(x)", x=3.3)
case("numpy.frexp", "np.frexp(x)", x=np.array([[1.25, -3.6], [0.1, 4.9]]))
case("srcad.runtime.frexp_jvp", "_srcad.frexp_jvp(t, x)", ("t",), t=randn(3), x=randn(3))
case("srcad.runtime.frexp_vjp", "_srcad.frexp_vjp((t, u), x)", ("t", "u"), t=randn(2, 2),
     u=randn(2, 2), x=randn(2, 2))  # fmt: skip
case("srcad.runtime.frexp_vjp", "_srcad.frexp_vjp((t, None), x)", ("t",), t=randn(), x=randn())
zero("numpy.linalg.matrix_rank", "np.linalg.matrix_rank(a)", a=randn(3, 3))
zero("numpy.linalg.matrix_rank", "np.linalg.matrix_rank(a)", a=np.outer(randn(3), randn(4)))
# -- np.logaddexp.accumulate and its linear recurrences ------------------------------------------
case("srcad.runtime.lae_accumulate", "_srcad.lae_accumulate(x, 0)", x=randn(5))
case("srcad.runtime.lae_accumulate", "_srcad.lae_accumulate(x, 1)", x=randn(2, 4) * 3.0)
case("srcad.runtime.lae_accumulate", "_srcad.lae_accumulate(x, 0)",
     x=np.array([-30.0, 0.4, -25.0, 1.3]))  # far apart (-inf: test_numpy_more3)  # fmt: skip
case("srcad.runtime.lae_carry", "_srcad.lae_carry(x, 0)", x=np.cumsum(np.abs(randn(4))))
case("srcad.runtime.lae_carry", "_srcad.lae_carry(x, -1)", x=np.cumsum(np.abs(randn(2, 3)), 1))
case("srcad.runtime.scan_shift", "_srcad.scan_shift(x, 1)", x=randn(2, 3))
case("srcad.runtime.scan_shift_t", "_srcad.scan_shift_t(x, 0)", x=randn(4))
case("srcad.runtime.lin_scan", "_srcad.lin_scan(a, c, 0)", a=randn(4), c=randn(4))
case("srcad.runtime.lin_scan", "_srcad.lin_scan(a, c, 1)", a=randn(2, 3), c=randn(2, 3))
case("srcad.runtime.lin_scan_t", "_srcad.lin_scan_t(a, t, 0)", a=randn(4), t=randn(4))
case("srcad.runtime.lin_scan_t", "_srcad.lin_scan_t(a, t, -1)", a=randn(3, 2), t=randn(3, 2))
# np.logspace (base ** linspace) and np.unwrap (p plus locally constant multiples of the period)
case("numpy.logspace", "np.logspace(x, y, 5)", x=randn() * 0.3, y=randn() * 0.3)
case("numpy.logspace", "np.logspace(x, y, 4, endpoint=False, base=b)", x=randn(2) * 0.3,
     y=randn(2) * 0.3, b=1.5 + pos())  # fmt: skip
case("numpy.logspace", "np.logspace(0.0, y, 3, base=np.e)", y=randn())
case("numpy.geomspace", "np.geomspace(x, y, 5)", x=pos(), y=pos())
case("numpy.geomspace", "np.geomspace(x, y, 4, endpoint=False)", x=-pos(2), y=-pos(2))
case("numpy.geomspace", "np.geomspace(1.0, y, 3)", y=pos(3))
case("numpy.unwrap", "np.unwrap(x)", x=np.array([0.1, 3.0, 6.5, 0.2, -3.5]))
case("numpy.unwrap", "np.unwrap(x, period=t)", x=np.array([[0.1, 2.0, 0.3], [1.0, -1.2, 2.5]]),
     t=2.5)  # fmt: skip
# sliding windows (conv by sliding_window_view + einsum, max-pool over windows): views of x
case("numpy.lib.stride_tricks.sliding_window_view",
     "np.lib.stride_tricks.sliding_window_view(x, 3)", x=randn(5))  # fmt: skip
case("numpy.lib.stride_tricks.sliding_window_view",
     "np.lib.stride_tricks.sliding_window_view(x, (2, 2), axis=(1, 2))",
     x=randn(2, 4, 3))  # fmt: skip
case("srcad.runtime.sliding_window_vjp", "_srcad.sliding_window_vjp(t, a, (2, 2))", ("t",),
     t=randn(2, 2, 2, 2), a=randn(3, 3))  # fmt: skip
case("srcad.runtime.sliding_window_vjp", "_srcad.sliding_window_vjp(t, a, 2, 1)", ("t",),
     t=randn(2, 3, 2), a=randn(2, 4))  # fmt: skip

# -- random draws in their parameters (rules/random_draws.py, lower/draws_np.py): the generator
# an int seed (a new RandomState, as scipy's random_state), so every evaluation draws the same
# values; `s` the standard variates it draws (NumPy's sampler with (0, 1)), which the rules read
RT = "srcad.runtime."


def _draw(helper, kind, size, shape, **ab):
    g = np.random.RandomState(4)
    std = "normal" if kind == "lognormal" else kind
    s = g.exponential(1.0, shape) if kind == "exponential" else getattr(g, std)(0.0, 1.0, shape)
    a = "0.0" if kind == "exponential" else "a"
    expr = f"_srcad.{helper}(4, {kind!r}, {a}, b, {size}, s)"
    case(RT + helper, expr, tuple(ab), s=s, **ab)


_draw("draw_ls", "normal", 4, 4, a=randn(), b=pos())
_draw("draw_ls", "normal", None, (2, 3), a=randn(2, 3), b=pos(3))
_draw("draw_ls", "laplace", (2, 3), (2, 3), a=randn(3), b=pos(2, 1))
_draw("draw_ls", "gumbel", 3, 3, a=randn(3), b=pos())
_draw("draw_ls", "logistic", None, (), a=randn(), b=pos())
_draw("draw_ls", "exponential", 5, 5, b=pos())
_draw("draw_lh", "uniform", 4, 4, a=randn(), b=pos() + 2.0)
_draw("draw_lh", "uniform", None, (3,), a=-pos(3), b=pos(3))
_draw("draw_exp", "lognormal", (2, 2), (2, 2), a=randn(2, 1), b=pos(2))
_draw("draw_exp", "lognormal", None, (), a=randn(), b=pos())
zero(RT + "draw_std", "_srcad.draw_std(4, 'normal', a, b, 3)", a=randn(), b=pos())
# rs.randn(*x.shape) / rs.rand(*x.shape) of a RandomState (lower/draws_np.star_sized)
zero(RT + "draw_sized", "_srcad.draw_sized(np.random.RandomState(4), 'randn', np.shape(x))",
     x=randn(2, 3))  # fmt: skip
zero(RT + "draw_sized", "_srcad.draw_sized(np.random.RandomState(4), 'rand', (3,))", x=randn(3))

# -- np.linalg.cross (NumPy 2): 3-vectors along `axis` ------------------------------------------
case("numpy.linalg.cross", "np.linalg.cross(x1, x2)", x1=randn(3), x2=randn(3))
case("numpy.linalg.cross", "np.linalg.cross(x1, x2)", x1=randn(4, 3), x2=randn(3))
case("numpy.linalg.cross", "np.linalg.cross(x1, x2, axis=0)", x1=randn(3, 2), x2=randn(3, 1))

# -- numpy_lib26: np.emath (np.lib.scimath) where the result is real -----------------------------
for _n in ("sqrt", "log", "log2", "log10"):
    case(f"numpy.lib.scimath.{_n}", f"np.emath.{_n}(x)", x=pos(2, 3))
for _n in ("arcsin", "arccos", "arctanh"):
    case(f"numpy.lib.scimath.{_n}", f"np.emath.{_n}(x)", x=unit(4))

# -- rng.permutation / rng.shuffle of a generator made in the function (rules/permutations.py,
# lower/permutes.py): a fixed gather by the rows `perm_index` draws (zero derivative)
_P4 = "np.array([2, 0, 3, 1])"
case(RT + "perm_take", f"_srcad.perm_take(x, {_P4})", x=randn(4))
case(RT + "perm_take", f"_srcad.perm_take(x, {_P4})", x=randn(4, 3))
case(RT + "perm_put", f"_srcad.perm_put(t, x, {_P4})", ("t",), t=randn(4, 2), x=randn(4, 2))
zero(RT + "perm_index", "_srcad.perm_index(np.random.RandomState(4), x)", x=randn(5))
# rng.choice(x, ...) (lower/permutes.choice): rows drawn with repeats, along an axis
_C = "np.array([[2, 0], [2, 1], [0, 2]])"
case(RT + "choice_take", f"_srcad.choice_take(x, {_C}, 0)", x=randn(3))
case(RT + "choice_take", f"_srcad.choice_take(x, {_C}, 1)", x=randn(2, 3, 2))
case(RT + "choice_take", f"_srcad.choice_take(x, {_C}, -1)", x=randn(2, 3))
case(RT + "choice_put", f"_srcad.choice_put(t, x, {_C}, 1)", ("t",), t=randn(2, 3, 2, 2),
     x=randn(2, 3, 2))  # fmt: skip
zero(RT + "choice_index",
     "_srcad.choice_index(np.random.default_rng(4), x, 3, True, None, None, None)",
     x=randn(5))  # fmt: skip
