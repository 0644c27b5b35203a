"""Session 23 (lib23): library calls users make that srcad refused.

- scipy.special: ``exp10``, ``spence``, ``stdtr`` in ``t``, ``expn`` in ``x`` and the Box-Cox transforms in
  their exponent ``lmbda`` (fitting the Box-Cox lambda by maximum likelihood) had no rule;
  ``stdtr`` in ``df``, ``zeta`` in ``x`` and ``gammainc``/``gammaincc`` in ``a`` (no closed form)
  stay refused, naming the argument.
- Random draws in their parameters (the pathwise derivative): ``rng.normal(mu, sigma, n)`` (and
  ``laplace``, ``gumbel``, ``logistic``, ``exponential``, ``uniform``, ``lognormal``) of a
  generator made in the function or a global one, NumPy's legacy ``np.random.normal`` and
  ``scipy.stats.norm.rvs`` were refused ("no derivative rule for `.normal()`"). The call itself
  still makes the values (bit for bit) and advances the generator as the program does; the
  derivative reads the standard variates drawn from the same state. A generator passed in and
  ``multivariate_normal`` stay refused, saying what to write instead.
- scipy.stats: ``logcdf``/``logsf`` of logistic, laplace, cauchy, expon, the multivariate
  normal's ``entropy``, and the Dirichlet density in ``x`` (a normalised point; scipy's form
  with the last component implied is refused) were refused.
- NumPy 2: ``np.linalg.cross`` and ``np.fft.ihfft`` had no rule.
"""

from __future__ import annotations

import numpy as np
import pytest
import scipy.special as sp
import scipy.stats as st

import srcad

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")


def _fd(f, x, h=1e-6):
    x = np.asarray(x, dtype=float)
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        e = np.zeros_like(x)
        e[i] = h
        g[i] = (f(x + e) - f(x - e)) / (2 * h)
    return g


def _check(f, x, order2=True):
    g = srcad.grad(f)(x)
    np.testing.assert_allclose(g, _fd(f, x), rtol=1e-6, atol=1e-8)
    if order2:
        H = srcad.hessian(f)(x)
        want = np.stack([_fd(lambda y, i=i: srcad.grad(f)(y)[i], x, 1e-5) for i in range(x.size)])
        np.testing.assert_allclose(H, want, rtol=1e-5, atol=1e-6)


# -- scipy.special -----------------------------------------------------------------------------
def exp10_loss(x):
    return np.sum(sp.exp10(x) * x)


def spence_loss(x):
    return np.sum(sp.spence(x) * x)  # (x = 1: log z / (1 - z) -> -1)


def stdtr_loss(x):
    return np.sum(sp.stdtr(3.0, x) ** 2)


def expn_loss(x):
    return np.sum(sp.expn(0, x) + sp.expn(2, x) * x)


def boxcox_llf(lmbda, data):
    """The Box-Cox log-likelihood in lambda (what scipy.stats.boxcox_llf computes)."""
    y = sp.boxcox(data, lmbda)
    n = data.shape[0]
    return (lmbda - 1.0) * np.sum(np.log(data)) - 0.5 * n * np.log(np.var(y))


def boxcox_all(p):
    return np.sum(sp.boxcox(p[:2], p[2]) ** 2 + sp.boxcox1p(p[:2], p[2]))


def inv_boxcox_all(p):
    return np.sum(sp.inv_boxcox(p[:2], p[2]) + sp.inv_boxcox1p(p[:2], p[2]) ** 2)


@pytest.mark.parametrize(
    ("f", "x"),
    [
        (exp10_loss, np.array([0.3, -0.7, 1.1])),
        (stdtr_loss, np.array([-1.5, 0.2, 2.4])),
        (spence_loss, np.array([0.3, 1.0, 2.4])),
        (expn_loss, np.array([0.4, 1.3, 3.0])),
        (boxcox_all, np.array([0.7, 2.5, 0.3])),
        (boxcox_all, np.array([0.7, 2.5, 0.0])),
        (inv_boxcox_all, np.array([0.7, -0.4, 0.5])),
        (inv_boxcox_all, np.array([0.7, -0.4, 0.0])),
    ],
)
def test_special_first_and_second_order(f, x):
    _check(f, x)


def test_boxcox_lambda_fit_gradient_and_at_zero():
    data = np.array([0.5, 1.2, 2.0, 3.7, 5.1, 0.9])
    for lm in (0.37, 0.0, -1.2):
        g = srcad.grad(boxcox_llf)(lm, data)
        want = (boxcox_llf(lm + 1e-6, data) - boxcox_llf(lm - 1e-6, data)) / 2e-6
        assert abs(g - want) < 1e-6 * (1 + abs(want))
    # at lambda == 0 exactly: d/dl boxcox(x, l) = log(x)^2 / 2
    d = srcad.grad(lambda lm: np.sum(sp.boxcox(data, lm)))(0.0)
    assert abs(d - np.sum(np.log(data) ** 2) / 2) < 1e-12


def stdtr_df(x):
    return np.sum(sp.stdtr(x, 0.5))


def zeta_x(x):
    return np.sum(sp.zeta(x, 1.5))


def gammainc_a(x):
    return np.sum(sp.gammainc(x, 1.0))


def gammaincc_a(x):
    return np.sum(sp.gammaincc(x, 1.0))


@pytest.mark.parametrize(
    ("f", "arg"), [(stdtr_df, "df"), (zeta_x, "x"), (gammainc_a, "a"), (gammaincc_a, "a")]
)
def test_no_closed_form_stays_refused(f, arg):
    with pytest.raises(srcad.SrcadError, match=f"not differentiable in its argument `{arg}`"):
        srcad.grad(f)(np.array([2.5, 3.0]))


# -- random draws -------------------------------------------------------------------------------
def draws_local(p):
    rng = np.random.default_rng(42)
    a = rng.normal(p[0], p[1], 5)
    b = rng.laplace(p[0], p[1], (2, 2))
    c = rng.gumbel(loc=p[0], scale=p[1])
    d = rng.logistic(p[0], p[1] * np.ones(3))
    e = rng.exponential(p[1], 4)
    f = rng.uniform(p[0], p[0] + p[1], 3)
    g = rng.lognormal(p[0], p[1], 2)
    return (
        np.sum(a**2) + np.sum(b * a[:2]) + c + np.sum(d**2) + np.sum(e) + np.sum(f**3) + np.sum(g)
    )


def draws_array_params(mu):
    rng = np.random.RandomState(7)
    return np.sum(rng.normal(mu, np.abs(mu) + 0.5) ** 2)


def draws_legacy(p):
    np.random.seed(3)
    return np.sum(np.random.normal(p[0], p[1], 4) ** 2) + np.random.uniform(p[0], p[1])


def draws_scipy(p):
    rng = np.random.default_rng(5)
    x = st.norm.rvs(loc=p[0], scale=p[1], size=3, random_state=rng)
    return np.sum(x**2) + np.sum(st.norm.rvs(p[0], p[1], size=2, random_state=11))


@pytest.mark.parametrize(
    ("f", "x"),
    [
        (draws_local, np.array([0.3, 0.8])),
        (draws_array_params, np.array([0.3, -0.8, 1.2])),
        (draws_legacy, np.array([0.3, 1.8])),
        (draws_scipy, np.array([0.3, 1.8])),
    ],
)
def test_draws_pathwise_first_and_second_order(f, x):
    _check(f, x)  # each evaluation re-seeds: the same draws for the differences


def draws_in_loop(x):
    rng = np.random.default_rng(0)
    for _ in range(4):
        x = x + 0.1 * rng.normal(x, 0.1 + x**2, size=x.shape)
    return np.sum(x**2)


def draws_in_while(x):
    rng = np.random.default_rng(1)
    k = 0
    while k < 3:
        x = np.tanh(x) + rng.uniform(-x, x**2 + 1.0)
        k += 1
    return np.sum(x)


def draws_scalars(x):
    rng = np.random.default_rng(3)
    return rng.normal(x[0], 2.0) * rng.exponential(x[1])


@pytest.mark.parametrize("f", [draws_in_loop, draws_in_while, draws_scalars])
def test_draws_in_loops_and_of_numbers(f):
    x = np.array([0.3, 0.7, 1.4])
    assert srcad.value_and_grad(f)(x)[0] == f(x)
    v = np.array([1.0, -2.0, 0.5])
    _, jv = srcad.jvp(f, (x,), (v,))
    assert jv == pytest.approx(_fd(f, x) @ v, rel=1e-6)
    _check(f, x)


def _draw_with(rng, m):
    return rng.normal(m, 1.0)


def draws_generator_handed_to_a_helper(x):
    rng = np.random.default_rng(2)
    return np.sum(_draw_with(rng, x) ** 2)


def test_draws_of_a_generator_handed_to_a_helper_refused():
    with pytest.raises(srcad.SrcadError, match="not those of one passed"):
        srcad.grad(draws_generator_handed_to_a_helper)(np.array([0.3, 0.7]))


RNG = np.random.default_rng(123)


def draws_global(p):
    return np.sum(RNG.normal(p[0], p[1], 3) * RNG.standard_normal(3)) + RNG.exponential(p[1])


def test_draws_values_and_generator_state_are_the_program_s():
    p = np.array([0.4, 1.3])
    state = RNG.bit_generator.state
    want = draws_global(p)
    after = RNG.bit_generator.state
    RNG.bit_generator.state = state
    v, g = srcad.value_and_grad(draws_global)(p)
    assert v == want  # bit for bit
    assert RNG.bit_generator.state == after  # one draw each, as the program
    eps = 1e-6
    fd = []
    for i in range(2):
        e = np.zeros(2)
        e[i] = eps
        RNG.bit_generator.state = state
        hi = draws_global(p + e)
        RNG.bit_generator.state = state
        lo = draws_global(p - e)
        fd.append((hi - lo) / (2 * eps))
    np.testing.assert_allclose(g, fd, rtol=1e-6)
    v2 = srcad.value_and_grad(draws_local)(np.array([0.3, 0.8]))[0]
    assert v2 == draws_local(np.array([0.3, 0.8]))


def test_draws_of_a_global_generator_refused_by_columns():
    with pytest.raises(srcad.SrcadError, match="once per column"):
        srcad.hessian(draws_global)(np.array([0.4, 1.3]))


def draws_passed(p, rng):
    return np.sum(rng.normal(p[0], p[1], 3))


def draws_mvn(mean):
    rng = np.random.default_rng(0)
    return np.sum(rng.multivariate_normal(mean, np.eye(2)))


def test_draws_refused_with_what_to_write():
    with pytest.raises(srcad.SrcadError, match="not those of one passed in"):
        srcad.grad(draws_passed)(np.array([0.1, 1.0]), np.random.default_rng(0))
    with pytest.raises(srcad.SrcadError, match="np.linalg.cholesky"):
        srcad.grad(draws_mvn)(np.array([0.1, 1.0]))


def draws_checkpointed(x):
    rng = np.random.default_rng(0)
    for _ in srcad.checkpoint_loop(range(3)):
        x = x + rng.normal(x, 0.1)
    return np.sum(x)


def test_draws_in_a_checkpointed_loop_refused():
    with pytest.raises(srcad.SrcadError, match="runs again in the reverse sweep"):
        srcad.grad(draws_checkpointed)(np.array([0.1, 1.0]))


# -- scipy.stats -------------------------------------------------------------------------------
XS = np.array([-30.0, -2.0, -0.3, 0.0, 0.4, 3.0, 40.0])


def tails(p):
    return (
        np.sum(st.logistic.logcdf(XS * p[0], p[1], p[2]))
        + np.sum(st.logistic.logsf(XS, p[1], p[2]))
        + np.sum(st.laplace.logcdf(XS, p[1], p[2]) + st.laplace.logsf(XS * p[0], p[1], p[2]))
        + np.sum(st.cauchy.logcdf(XS, p[1], p[2]) + st.cauchy.logsf(XS, p[1], p[2] * p[0]))
        + np.sum(st.expon.logsf(XS * p[0], p[1], p[2]))
        + np.sum(st.expon.logcdf(np.abs(XS) + 1.0, p[1], p[2]))
    )


def test_log_cdf_sf_values_and_derivatives():
    p = np.array([1.1, 0.2, 1.7])
    v = srcad.value_and_grad(tails)(p)[0]
    assert v == pytest.approx(tails(p), rel=1e-13)
    _check(tails, p)


def mvn_entropy(p):
    a = p.reshape(3, 3)
    return st.multivariate_normal.entropy(np.zeros(3), a @ a.T + np.eye(3))


def mvn_entropy_diag(p):
    return st.multivariate_normal.entropy(np.zeros(3), cov=p**2 + 0.5)


def mvn_entropy_no_mean(p):
    return st.multivariate_normal.entropy(cov=p**2 + 0.5)


def test_mvn_entropy_keeps_scipy_s_shape_checks():
    p = np.array([0.4, -1.3, 0.2])  # a diagonal without a mean: scipy reads dimension 1
    with pytest.raises(ValueError) as want:
        mvn_entropy_no_mean(p)
    with pytest.raises(ValueError) as got:
        srcad.grad(mvn_entropy_no_mean)(p)
    assert type(got.value) is type(want.value)
    with pytest.raises(ValueError, match="cov"):
        srcad.grad(lambda q: st.multivariate_normal.entropy(np.zeros(2), np.diag(q)))(p)


def dirichlet_normalised(y):
    x = y / np.sum(y)
    alpha = np.array([1.5, 2.0, 3.0])
    return st.dirichlet.logpdf(x, alpha) + st.dirichlet.pdf(x, alpha * y[0])


def dirichlet_batch(y):
    x = y.reshape(3, 2) / np.sum(y.reshape(3, 2), axis=0)
    return np.sum(st.dirichlet.logpdf(x, np.array([1.5, 2.0, 3.0])))


@pytest.mark.parametrize(
    ("f", "x"),
    [
        (mvn_entropy, np.array([0.4, -1.3, 0.2, 0.6, 1.1, -0.2, 0.3, 0.5, 0.9])),
        (mvn_entropy_diag, np.array([0.4, -1.3, 0.2])),
        (dirichlet_normalised, np.array([0.3, 0.7, 1.4])),
        (dirichlet_batch, np.array([0.3, 0.7, 1.4, 0.5, 0.2, 0.9])),
    ],
)
def test_stats_first_and_second_order(f, x):
    assert srcad.value_and_grad(f)(x)[0] == pytest.approx(f(x), rel=1e-14)
    _check(f, x)


def dirichlet_implied_last(y):
    return st.dirichlet.logpdf(y[:2] / (np.sum(y) + 1.0), np.array([1.5, 2.0, 3.0]))


def test_dirichlet_with_the_last_component_implied_refused():
    with pytest.raises(srcad.SrcadError, match="need all K components"):
        srcad.grad(dirichlet_implied_last)(np.array([0.3, 0.7, 1.4]))


# -- NumPy 2 -------------------------------------------------------------------------------------
def linalg_cross(x):
    a = x.reshape(3, 2)
    return np.sum(np.linalg.cross(x[:3], x[3:] ** 2) ** 2) + np.sum(
        np.linalg.cross(a, a**2 + 1.0, axis=0) ** 3
    )


def ihfft(x):
    return (
        np.sum(np.abs(np.fft.ihfft(x)) ** 2)
        + np.sum(np.fft.ihfft(x, norm="ortho").imag * x[:4])
        + np.sum(np.real(np.fft.ihfft(x, 8, norm="forward")) ** 3)
    )


@pytest.mark.parametrize("f", [linalg_cross, ihfft])
def test_numpy2_functions(f):
    x = np.array([0.3, 0.7, 1.4, -0.5, 0.2, 0.9])
    assert srcad.value_and_grad(f)(x)[0] == f(x)
    _check(f, x)
