"""Session 10's `refuse10`: the idioms tests/corpus/users_refuse10.py accepts, at second order
(srcad.hvp against differences of srcad.grad, srcad.hessian against srcad.hvp), the primal
results that used to be wrong, and the neighbours that must stay refused."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.special
import scipy.stats

import srcad
from tests.corpus import Case, check_hvp_and_hessian, scalar_float_cases, users_refuse10

X4 = np.array([0.31, -0.72, 1.13, 0.57])

HVP = scalar_float_cases([c for c in users_refuse10.CASES if c.extra == "hvp"])


@pytest.mark.parametrize("case", HVP, ids=[c.name for c in HVP])
def test_second_order(case: Case) -> None:
    check_hvp_and_hessian(case)


def _same_primal(f, x) -> None:
    want = f(x.copy())
    np.testing.assert_allclose(srcad.primal(f)(x.copy()), want, rtol=1e-13, atol=0)


# -- zip(*rows): `rows` lowered once (an effect in it ran twice: a wrong primal) ------------------
def zip_star_loop_count(x):
    cnt = [0]

    def pairs():
        cnt[0] += 1
        return [(x[0], x[1]), (x[2], x[3])]

    s = 0.0
    for p, q in zip(*pairs()):
        s = s + p * q
    return s + cnt[0]


def zip_star_list_count(x):
    cnt = [0]

    def pairs():
        cnt[0] += 1
        return [(x[0], x[1]), (x[2], x[3])]

    t = list(zip(*pairs()))
    return t[0][1] * t[1][0] + cnt[0]


def zip_star_sum_count(x):
    cnt = [0]

    def pairs():
        cnt[0] += 1
        return [(x[0], x[1]), (x[2], x[3])]

    return sum(a * b for a, b in zip(*pairs())) + cnt[0]


def zip_star_named_rows(x):  # crashed: 'zip' object is not subscriptable
    rows = [x[:2], x[2:]]
    a, b = zip(*rows)
    return a[0] * b[1] + a[1]


@pytest.mark.parametrize(
    "f", [zip_star_loop_count, zip_star_list_count, zip_star_sum_count, zip_star_named_rows]
)
def test_zip_star_lowered_once(f) -> None:
    _same_primal(f, X4)
    g = srcad.grad(f)(X4.copy())
    h = 1e-6
    fd = [(f(X4 + h * e) - f(X4 - h * e)) / (2 * h) for e in np.eye(4)]
    np.testing.assert_allclose(g, fd, rtol=1e-6, atol=1e-8)


# -- helpers updating their arguments in place: what stays refused -------------------------------
def _fill(a, s=2.0):
    a[:] = a * s


def _rebinds(a):
    a[0] = 5.0
    a = a * 2.0  # from here on another object: the caller sees only the first write
    a[1] = 7.0


def _deep(o):
    o[0][0] = o[0][0] * 4.0  # an object inside the argument: other names may hold it


def _both(a, b):
    a[0] = b[1] * 2.0


def _times(a):
    a *= 2.0  # a number rebinds, an array changes: not written back


def fills_argument(x):
    _fill(x)
    return np.sum(x**2)


def fills_aliased(x):
    a = np.sin(x)
    c = a
    _fill(a)
    return np.sum(c**2)


def fills_view(x):
    a = np.sin(x)
    _fill(a[1:])
    return np.sum(a**2)


def rebinding_helper(x):
    a = np.sin(x)
    _rebinds(a)
    return np.sum(a**2)


def deep_helper(x):
    y = np.sin(x)
    outer = [y]
    _deep(outer)
    return np.sum(y**2)


def same_object_twice(x):
    a = np.sin(x)
    _both(a, a)
    return np.sum(a**2)


def op_assign_helper(x):
    a = np.sin(x)
    _times(a)
    return np.sum(a**2)


@pytest.mark.parametrize(
    "f",
    [fills_aliased, fills_view, rebinding_helper, same_object_twice, op_assign_helper],
)  # fmt: skip
def test_helper_updates_still_refused(f) -> None:
    with pytest.raises(srcad.SrcadError):
        srcad.grad(f)(X4.copy())


def test_helper_filling_the_argument_follows_python() -> None:
    # the inlined helper updates the function's own argument: a copy, written back
    # (lower/argcopy.py; refused before)
    a, b = X4.copy(), X4.copy()
    assert srcad.primal(fills_argument)(a) == pytest.approx(fills_argument(b))
    np.testing.assert_array_equal(a, b)
    np.testing.assert_allclose(srcad.grad(fills_argument)(X4.copy()), 8.0 * X4)


def test_helper_writing_an_item_of_a_literal_list_follows_python() -> None:
    # `outer = [y]; _deep(outer)` writes `y` itself (refused before refuse31: the item of the
    # literal is `y`'s array, passes/slot_writes.py)
    y = np.sin(X4)
    y[0] *= 4.0
    assert srcad.primal(deep_helper)(X4.copy()) == pytest.approx(deep_helper(X4.copy()))
    g = 2.0 * y * np.cos(X4) * np.where(np.arange(len(X4)) == 0, 4.0, 1.0)
    np.testing.assert_allclose(srcad.grad(deep_helper)(X4.copy()), g, rtol=1e-12)
    _, t = srcad.jvp(deep_helper, (X4.copy(),), (np.ones_like(X4),))
    np.testing.assert_allclose(t, np.sum(g), rtol=1e-12)


def test_helper_update_written_back_primal() -> None:
    for f in (users_refuse10.cavity_like, users_refuse10.nested_helper_writes):
        _same_primal(f, X4)


# -- logging to globals: once per call, refused where the value could come back -----------------
HIST: list = []
COUNT = {"n": 0}


def _mean_hist():
    return sum(HIST) / len(HIST)


def logs(x):
    loss = np.sum(x**2)
    HIST.append(float(loss))
    COUNT["n"] += 1
    return loss


def logs_then_reads(x):
    loss = np.sum(x**2)
    HIST.append(loss)
    return loss * HIST[-1]


def logs_then_helper_reads(x):
    loss = np.sum(x**2)
    HIST.append(loss)
    return loss * _mean_hist()


def _logging_helper(v):
    HIST.append(v)
    return v * 2.0


def calls_logging_helper(x):
    return _logging_helper(np.sum(x**2))


def logs_then_changes(x):
    a = x * 2.0
    HIST.append(a)
    a[0] = 5.0
    return np.sum(a)


def counts_and_reads(x):  # no derivative stored: the count read back is a constant
    COUNT["n"] += 1
    return np.sum(x) * COUNT["n"]


def _reset() -> None:
    HIST[:] = [1.0]
    COUNT["n"] = 0


def test_global_effects_once_per_call() -> None:
    _reset()
    g = srcad.grad(logs)(X4.copy())
    np.testing.assert_allclose(g, 2 * X4)
    assert HIST == [1.0, pytest.approx(float(np.sum(X4**2)))] and COUNT["n"] == 1
    _reset()
    out, dout = srcad.jvp(logs, (X4.copy(),), (np.ones(4),))
    assert len(HIST) == 2 and COUNT["n"] == 1 and dout == pytest.approx(2 * np.sum(X4))
    _reset()
    want = logs_then_reads(X4.copy())
    _reset()
    assert srcad.primal(logs_then_reads)(X4.copy()) == pytest.approx(want, rel=1e-14)
    assert len(HIST) == 2


def test_count_read_back_is_a_constant() -> None:
    _reset()
    g = srcad.grad(counts_and_reads)(X4.copy())
    assert COUNT["n"] == 1
    np.testing.assert_allclose(g, np.ones(4))


@pytest.mark.parametrize(
    "f, match",
    [
        (logs_then_reads, "the function reads `HIST`"),
        (logs_then_helper_reads, "`_mean_hist`, which it calls, reads `HIST`"),
        (calls_logging_helper, "differentiated as a helper"),
        (logs_then_changes, "updated in place later"),
    ],
)
def test_global_effects_refused(f, match) -> None:
    _reset()
    with pytest.raises(srcad.SrcadError, match=match):
        srcad.grad(f)(X4.copy())


# -- binomial likelihoods: the counts carry no derivative -----------------------------------------
def _binom_in_k(k):
    return scipy.stats.binom.logpmf(k, 10, 0.3)


def _binom_in_n(n):
    return scipy.stats.binom.logpmf(3, n, 0.3)


def _nbinom_in_n(n):
    return scipy.stats.nbinom.logpmf(3, n, 0.3)


@pytest.mark.parametrize("f", [_binom_in_k, _binom_in_n])
def test_binomial_counts_refused(f) -> None:
    with pytest.raises(srcad.SrcadError, match="not differentiable in its argument"):
        srcad.grad(f)(4.0)


def test_binomial_in_p_matches_the_closed_form() -> None:
    def f(p):
        return scipy.stats.binom.logpmf(3, 10, p) + scipy.stats.nbinom.logpmf(3, 5, p)

    p = 0.37
    assert srcad.grad(f)(p) == pytest.approx(3 / p - 7 / (1 - p) + 5 / p - 3 / (1 - p), rel=1e-12)


def test_nbinom_in_its_real_dispersion() -> None:
    # lib25: nbinom's n is real in SciPy (n > 0): psi(k + n) - psi(n) + log p
    n = 4.0
    want = scipy.special.digamma(3 + n) - scipy.special.digamma(n) + np.log(0.3)
    assert srcad.grad(_nbinom_in_n)(n) == pytest.approx(want, rel=1e-12)


# -- a generator bound to a name: what stays refused ----------------------------------------------
def _gen(v):
    for e in v:
        yield e * e


def generator_argument_rebound(x):
    y = x * 2.0
    g = _gen(y)
    y = y + 1.0  # Python's generator holds the old `y`
    return sum(g)


def generator_read_twice(x):
    g = _gen(x)
    return sum(g) + sum(g)


def generator_next(x):
    g = _gen(x)
    return next(g)


@pytest.mark.parametrize("f", [generator_argument_rebound, generator_read_twice, generator_next])
def test_named_generator_neighbours_refused(f) -> None:
    with pytest.raises(srcad.SrcadError):
        srcad.primal(f)(X4.copy())


def slice_grows_the_list(x):  # ls has 2 items: ls[1:3] = [a, b] makes it 3 long
    ls = [x[0], x[1]]
    ls[1:3] = [x[2] * 2.0, x[1] * 3.0]
    return ls[0] * ls[1] + ls[2]


def test_slice_assignment_changing_length_differentiated_in_reverse() -> None:
    # refused until refuse27's rules/splices.py (reverse mode of list slice assignments)
    _same_primal(slice_grows_the_list, X4)
    g = srcad.grad(slice_grows_the_list)(X4.copy())
    x = X4  # ls = [x0, 2 x2, 3 x1]: x0 * 2 x2 + 3 x1
    want = [2.0 * x[2], 3.0, 2.0 * x[0], 0.0]
    np.testing.assert_allclose(g, want, rtol=1e-13)


def test_global_effects_once_per_call_of_a_jacobian() -> None:
    """srcad.hessian / jacfwd run the generated code once per column: the update once."""
    for make in (srcad.hessian, srcad.jacfwd):
        _reset()
        make(logs)(X4.copy())
        assert len(HIST) == 2 and COUNT["n"] == 1
    _reset()
    srcad.jacfwd(srcad.grad(logs))(X4.copy())
    assert len(HIST) == 2 and COUNT["n"] == 1
