"""Session 13, library calls and loose ends (helper api13).

- Run-time checks srcad adds to generated code (a view's base that must be an array, a list of
  layers unrolled over, ``zip(strict=True)``, ``statistics.variance`` of one point) raised a bare
  `AssertionError`; now a `srcad.SrcadError` pointing at the user's line for srcad's own
  refusals, and Python's own error (ValueError, StatisticsError) where the check stands for
  Python's (`srcad.rules.checks.require`, a call that ``python -O`` does not skip).
- Forward mode gave NaN through ``math.pow``/``math.exp``/``math.sinh``/``math.cosh`` of a written
  ``math.inf`` with a zero tangent (the NumPy rules guarded such terms, the `math` ones did not);
  and a module global or closure float rebound from a finite value to ``inf`` reused the
  transform made without the guard (`srcad.ad.infvals.inf_globals` in the cache key).
"""

from __future__ import annotations

import math
import statistics
import subprocess
import sys
import textwrap
import warnings

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads

try:
    import scipy.special as sp
    import scipy.stats as st
except ImportError:  # pragma: no cover - scipy is optional
    sp = st = None

# -- run-time checks: srcad's refusals are SrcadErrors, Python's errors Python's ------------------


def alias_of_a_number(m):
    u = np.exp(np.zeros(()))  # np.float64, no array: `t += v` rebinds `t` only
    t = u
    t += m[0, 0]
    return u * m[0, 1] + t


def test_view_base_check_is_a_srcad_error_at_the_users_line() -> None:
    with pytest.raises(srcad.SrcadError) as info:
        srcad.primal(alias_of_a_number)(np.ones((2, 2)))
    e = info.value
    assert e.filename == __file__ and e.line == alias_of_a_number.__code__.co_firstlineno + 2
    assert "`u` is not a NumPy array" in str(e) and not isinstance(e, AssertionError)
    with pytest.raises(srcad.SrcadError, match="is not a NumPy array"):
        srcad.grad(alias_of_a_number)(np.ones((2, 2)))


def test_view_base_check_runs_under_python_O(tmp_path) -> None:
    # the check is a call, not an `assert` statement: `python -O` keeps it
    code = textwrap.dedent(
        """
        import numpy as np, srcad
        def f(m):
            u = np.exp(np.zeros(()))
            t = u
            t += m[0, 0]
            return u * m[0, 1] + t
        try:
            srcad.primal(f)(np.ones((2, 2)))
        except srcad.SrcadError as e:
            print("refused", e.line)
        """
    )
    path = tmp_path / "opt_check.py"
    path.write_text(code)
    out = subprocess.run(
        [sys.executable, "-O", str(path)], capture_output=True, text=True, timeout=300
    )
    assert out.stdout.strip() == "refused 5", out.stdout + out.stderr


def zip_strict(a, b):
    return sum(x * y for x, y in zip(a, b, strict=True))


def moments(a):
    return statistics.variance(a) + statistics.fmean(a)


@pytest.mark.parametrize("mode", [srcad.primal, srcad.grad], ids=["primal", "grad"])
def test_python_errors_of_checked_constructs_are_pythons(mode) -> None:
    with pytest.raises(ValueError, match="zip\\(\\) argument 2") as info:
        mode(zip_strict)([1.0, 2.0], [3.0])
    assert not isinstance(info.value, (AssertionError, srcad.SrcadError))
    with pytest.raises(statistics.StatisticsError) as info:
        mode(moments)([1.0])
    try:
        moments([1.0])
    except statistics.StatisticsError as e:
        assert str(info.value) == str(e)  # "variance requires at least two data points"
    assert mode(moments)([1.0, 2.0, 4.0]) == pytest.approx(
        moments([1.0, 2.0, 4.0]) if mode is srcad.primal else [-1.0, 0.0, 2.0]
    )


# -- forward mode through math functions of a written infinity ------------------------------------

_X6 = np.array([0.0, 0.3, 1.1, 0.1, 0.2, 1.2])
_V6 = np.linspace(-1.0, 1.0, 6)


def _masked(fn):
    def f(x):
        s = 0.0
        for k in range(3):
            r = math.inf if k == 0 else (x[k] + 2.0) * x[k + 2]
            s = s + 1.0 / fn(r)
        return s

    f.__name__ = f"through_{fn.__name__}"
    return f


_MATH = [lambda r: math.pow(r, 3), math.exp, math.sinh, math.cosh, math.expm1]
_MATH += [math.exp2] if hasattr(math, "exp2") else []


@pytest.mark.parametrize("fn", _MATH, ids=lambda fn: fn.__name__)
def test_math_functions_of_a_written_infinity_have_a_finite_tangent(fn) -> None:
    f = _masked(fn)
    h = 1e-6
    fd = (f(_X6 + h * _V6) - f(_X6 - h * _V6)) / (2 * h)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # 0 * inf is computed, then masked
        _, t = srcad.jvp(f, (_X6,), (_V6,))
        g = srcad.grad(f)(_X6)
    np.testing.assert_allclose(t, fd, rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(t, g @ _V6, rtol=1e-9, atol=1e-12)


BIG = 1e10  # rebound to math.inf by the test below, then back


def through_a_global(x):
    s = 0.0
    for k in range(3):
        r = BIG if k == 0 else (x[k] + 2.0) * x[k + 2]
        s = s + 1.0 / r**3
    return s


def test_global_rebound_to_infinity_transforms_again() -> None:
    global BIG
    _, t0 = srcad.jvp(through_a_global, (_X6,), (_V6,))  # made with a finite BIG: no guard
    BIG = math.inf
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            _, t = srcad.jvp(through_a_global, (_X6,), (_V6,))
        g = srcad.grad(through_a_global)(_X6)
    finally:
        BIG = 1e10
    np.testing.assert_allclose(t, g @ _V6, rtol=1e-9)
    np.testing.assert_allclose(t, t0, rtol=1e-6)  # 1 / 1e30 is no contribution either
    _, t1 = srcad.jvp(through_a_global, (_X6,), (_V6,))
    np.testing.assert_allclose(t1, t0, rtol=1e-12)


def test_closure_float_infinity_is_not_shared_with_finite_ones() -> None:
    def make(big):
        def f(x):
            s = 0.0
            for k in range(3):
                r = big if k == 0 else (x[k] + 2.0) * x[k + 2]
                s = s + 1.0 / r**3
            return s

        return f

    _, t0 = srcad.jvp(make(1e10), (_X6,), (_V6,))  # shared code for every closure float
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _, t = srcad.jvp(make(math.inf), (_X6,), (_V6,))
    np.testing.assert_allclose(t, t0, rtol=1e-6)


def test_function_whose_name_is_no_identifier() -> None:
    # (was an internal error: the generated `def` took `__name__`, ``def grad_f-2(x):``)
    def f(x):
        return x * x * 3.0

    f.__name__ = "f-2"
    assert srcad.grad(f)(2.0) == 12.0
    assert srcad.jvp(f, (2.0,), (1.0,)) == (12.0, 12.0)


# -- library calls: np.add.reduceat, np.nextafter, np.interp in xp, scipy.special.k0/k1 ----------

_X7 = np.array([0.31, 0.74, 1.13, 1.62, 2.27, 2.95])


def reduceat_loss(x):
    return np.sum(np.add.reduceat(x, [0, 2, 1, 4]) ** 2) + np.sum(
        np.add.reduceat(x.reshape(2, 3), [0, 2], axis=1) ** 3
    )


def nextafter_loss(x):
    return np.sum(np.nextafter(x, 5.0) * x) + np.sum(np.nextafter(x[:3], x[3:]) ** 2)


def interp_breakpoints(x):
    at = np.array([0.5, 1.3, 2.0, 9.0, -1.0])  # (two outside the breakpoints)
    return np.sum(np.interp(at, np.cumsum(x), x**2) ** 2) + np.interp(0.8, np.cumsum(x), x)


def interp_periodic_breakpoints(x):
    return np.sum(np.interp(x * 3, np.cumsum(x), x**2, period=7.0) ** 2)


def bessel_k(x):
    return np.sum(sp.k0(x) + sp.k1(x) * x + sp.k0e(x) + sp.k1e(x) ** 2)


def frozen_entropies(x):
    loc_scale = (
        st.norm(x[0], x[1]).entropy() + st.expon(x[0], x[1]).entropy()
        + st.uniform(x[0], x[1]).entropy() + st.laplace(x[0], x[1]).entropy()
        + st.logistic(x[0], x[1]).entropy() + st.cauchy(x[0], x[1]).entropy()
        + st.gumbel_r(x[0], x[1]).entropy() + st.gumbel_l(x[0], x[1]).entropy()
        + st.halfnorm(x[0], x[1]).entropy() + st.halfcauchy(x[0], x[1]).entropy()
    )  # fmt: skip
    shapes = st.gamma(x[2] + 0.5, scale=x[1]).entropy() + st.beta(x[3], x[4]).entropy()
    return loc_scale * x[2] + shapes + np.sum(st.gamma.entropy(x[:3] * 2, 0.0, x[3:]) ** 2)


@pytest.mark.parametrize(
    "f",
    [reduceat_loss, nextafter_loss, interp_breakpoints, interp_periodic_breakpoints, bessel_k,
     frozen_entropies],
)  # fmt: skip
def test_library_calls_against_finite_differences(f) -> None:
    if f in (bessel_k, frozen_entropies) and sp is None:
        pytest.skip("scipy is not installed")
    check_grads(f, (_X7,), modes=("fwd", "rev"), order=2)


@pytest.mark.skipif(st is None, reason="scipy is not installed")
@pytest.mark.parametrize("dist", ["norm", "expon", "laplace", "cauchy", "gumbel_l", "halfnorm"])
def test_entropy_values_as_scipys(dist) -> None:
    d = getattr(st, dist)

    def f(loc, scale):
        return d(loc, scale).entropy()

    loc, scale = np.array([0.0, 1.5, -2.0]), np.array([[0.7], [-1.0]])  # (a bad scale: NaN)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # SciPy's log of the bad scale
        want = getattr(st, dist).entropy(loc, scale)
    got = srcad.primal(f)(loc, scale)
    assert got.shape == want.shape == (2, 3)
    np.testing.assert_allclose(got, want, rtol=1e-14)
    g = srcad.grad(lambda s: np.sum(f(loc, s)))(np.array([[0.7], [2.0]]))
    np.testing.assert_allclose(g, 3.0 / np.array([[0.7], [2.0]]), rtol=1e-14)


# -- `is` of a constant a pass put in place of a name: no SyntaxWarning in generated code ---------


def literal_options(x):
    opts = (1, None)  # (a literal tuple: `opts[0]` is the constant 1)
    y = x * 2.0 if opts[0] is not None else x
    return np.sum(y) if opts[1] is None else 0.0


def options_with_a_value(x):
    opts = (1, x, 2.5)  # (passes/fold.py reads `opts[0]` as 1 after lowering)
    y = x * 2.0 if opts[0] is not None else x
    z = y if opts[2] is opts[1] else y * 3.0
    return np.sum(z)


@pytest.mark.parametrize("f", [literal_options, options_with_a_value])
def test_identity_with_a_folded_constant_compiles_without_warning(f) -> None:
    # was `1 is not None` in the generated code: a SyntaxWarning, an internal error under -W error
    x = np.array([0.5, 1.5, -2.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        g = srcad.grad(f)(x)
        _, t = srcad.jvp(f, (x,), (np.ones(3),))
    np.testing.assert_allclose(g, 2.0 if f is literal_options else 6.0)
    assert t == pytest.approx(np.sum(g))
    assert " is not None" not in srcad.source(f, "grad", args=(x,))
