"""Bugs found by the adversarial sweep over realistic user code (ML losses, simulations, idioms).

Each test states what plain Python / NumPy / central differences give and checks srcad against it.
A test marked `xfail(strict=True)` fails today: whoever fixes the bug removes the mark. A clean
`srcad.SrcadError` refusal also counts as fixed for the crash tests (never a wrong number).
"""

from __future__ import annotations

import collections

import numpy as np
import pytest

import srcad


def _fd(f, x, h=1e-6):
    return (f(x + h) - f(x - h)) / (2 * h)


# -- W1: logaddexp of two -inf log-probabilities gives a nan tangent in forward mode ------------


def _lae_unreachable(x):
    a = np.array([x, -np.inf, -np.inf])  # log-probabilities: two unreachable states
    b = np.logaddexp(a[1], a[2])  # -inf: its tangent must be 0, not nan
    return np.logaddexp(a[0], b)  # == x


def test_w1_logaddexp_both_minus_inf_reverse_is_right():
    assert srcad.grad(_lae_unreachable)(0.5) == pytest.approx(1.0)
    assert _fd(_lae_unreachable, 0.5) == pytest.approx(1.0)


def test_w1_logaddexp_both_minus_inf_forward():
    out, dout = srcad.jvp(_lae_unreachable, (0.5,), (1.0,))
    assert out == 0.5
    assert dout == pytest.approx(1.0)


def test_w1_logspace_dp_forward():
    logp = np.log(np.array([[0.2, 0.5, 0.3], [0.6, 0.1, 0.3], [0.3, 0.3, 0.4], [0.1, 0.2, 0.7]]))

    def ctc_like(lp):
        alpha = np.full(3, -np.inf)
        alpha[0] = lp[0, 0]
        for t in range(1, 4):
            new = np.empty(3)
            new[0] = alpha[0] + lp[t, 0]
            for s in range(1, 3):
                new[s] = np.logaddexp(alpha[s], alpha[s - 1]) + lp[t, s]
            alpha = new
        return alpha[-1]

    v = np.random.default_rng(0).standard_normal(logp.shape)
    fd = (ctc_like(logp + 1e-6 * v) - ctc_like(logp - 1e-6 * v)) / 2e-6
    g = srcad.grad(ctc_like)(logp)
    assert np.sum(g * v) == pytest.approx(fd, rel=1e-6)  # reverse mode is right
    _, dout = srcad.jvp(ctc_like, (logp,), (v,))
    assert dout == pytest.approx(fd, rel=1e-6)


def test_w1_logaddexp2_both_minus_inf_forward():
    def f(x):
        a = np.array([x, -np.inf, -np.inf])
        return np.logaddexp2(a[0], np.logaddexp2(a[1], a[2]))  # == x

    assert srcad.grad(f)(0.5) == pytest.approx(1.0)
    out, dout = srcad.jvp(f, (0.5,), (1.0,))
    assert out == 0.5
    assert dout == pytest.approx(1.0)


# -- W2: jacfwd calls the function once per column: random draws differ between columns ---------


def _noisy(x, rng):
    return x * rng.standard_normal(3)


def _noisy_global(x):
    return x * np.random.standard_normal(3)


def test_w2_jacrev_with_generator_argument_is_right():
    x = np.array([1.0, 2.0, 3.0])
    expected = np.diag(np.random.default_rng(0).standard_normal(3))
    np.testing.assert_allclose(srcad.jacrev(_noisy)(x, np.random.default_rng(0)), expected)


@pytest.mark.xfail(
    strict=True, reason="adv: jacfwd runs f once per input element; each run draws new noise"
)
def test_w2_jacfwd_with_generator_argument():
    x = np.array([1.0, 2.0, 3.0])
    rng = np.random.default_rng(0)
    J = srcad.jacfwd(_noisy)(x, rng)
    expected = np.diag(np.random.default_rng(0).standard_normal(3))
    ok = np.allclose(J, expected)
    # the generator must also be advanced as one call of f advances it
    ref = np.random.default_rng(0)
    ref.standard_normal(3)
    assert ok and rng.standard_normal() == ref.standard_normal()


@pytest.mark.xfail(
    strict=True,
    reason="adv: jacfwd runs f once per input element; global np.random advances each run",
)
def test_w2_jacfwd_with_global_random_state():
    x = np.array([1.0, 2.0, 3.0])
    state = np.random.get_state()
    try:
        np.random.seed(0)
        J = srcad.jacfwd(_noisy_global)(x)
        np.random.seed(0)
        expected = np.diag(np.random.standard_normal(3))
    finally:
        np.random.set_state(state)
    np.testing.assert_allclose(J, expected)


# -- C1/C2: `+` and `*` of list/tuple arguments' slices are list operations, not array ones -----


def _det_minors(A):
    n = len(A)
    if n == 1:
        return A[0][0]
    s = 0.0
    sign = 1.0
    for j in range(n):
        sub = [row[:j] + row[j + 1 :] for row in A[1:]]
        s += sign * A[0][j] * _det_minors(sub)
        sign = -sign
    return s


def _slice_cat(row):
    sub = row[:1] + row[2:]
    return sub[0] * sub[1]


def _slice_cat_tuple(t):
    s = t[:1] + t[2:]
    return s[0] * s[1]


def _drop_layer(params):
    ps = params[:1] + params[2:]
    return np.sum(ps[0] * ps[1])


def _repeat_list(xs):
    ys = xs * 2
    return ys[0] * ys[3]


def _grad_or_refused(f, *args):
    try:
        return srcad.grad(f)(*args)
    except srcad.SrcadError:
        return None


def test_c1_forward_mode_is_right():
    assert srcad.jvp(_slice_cat, ([1.0, 2.0, 3.0],), ([1.0, 1.0, 1.0],)) == (3.0, 4.0)


def test_c1_slice_concatenation_of_list_argument():
    g = _grad_or_refused(_slice_cat, [1.0, 2.0, 3.0])
    assert g is None or g == [3.0, 0.0, 1.0]


def test_c1_slice_concatenation_of_tuple_argument():
    g = _grad_or_refused(_slice_cat_tuple, (1.0, 2.0, 3.0))
    assert g is None or g == (3.0, 0.0, 1.0)


def test_c1_slice_concatenation_of_list_of_arrays():
    params = [np.array([1.0, 2.0]), np.array([3.0, 4.0]), np.array([5.0, 6.0])]
    g = _grad_or_refused(_drop_layer, params)
    if g is not None:
        np.testing.assert_allclose(g[0], params[2])
        np.testing.assert_allclose(g[1], 0.0)
        np.testing.assert_allclose(g[2], params[0])


def test_c1_determinant_by_minors_lists():
    A = [[2.0, 1.0, 0.5], [0.3, 3.0, 1.0], [1.0, 0.2, 4.0]]
    g = _grad_or_refused(_det_minors, A)
    if g is not None:
        expected = np.linalg.det(np.array(A)) * np.linalg.inv(np.array(A)).T
        np.testing.assert_allclose(np.array(g), expected, rtol=1e-10)


def test_c2_repetition_of_list_argument():
    g = _grad_or_refused(_repeat_list, [1.0, 2.0])
    assert g is None or g == [2.0, 1.0]
    assert srcad.jvp(_repeat_list, ([1.0, 2.0],), ([1.0, 1.0],)) == (2.0, 3.0)


# -- D1: dead-code elimination drops a dead op that raises: a derivative where Python raises ------


def _dead_index_error(x):
    y = x[10]  # noqa: F841  (IndexError for a 3-element x; `y` is never read)
    return np.sum(x * x)


def _dead_zero_division(x):
    z = 1.0 / 0.0  # noqa: F841  (ZeroDivisionError; `z` is never read)
    return x * x


# the index read is kept since fix31: `x` (an argument) may be a defaultdict, whose read of a
# missing key inserts it (passes/missing_keys.py); so Python's IndexError is raised too; the
# division since session 45 (passes/raising.py keeps an unused op the program wrote that may raise)
@pytest.mark.parametrize(
    ("f", "x", "exc"),
    [
        (_dead_index_error, np.ones(3), IndexError),
        (_dead_zero_division, 2.0, ZeroDivisionError),
    ],
    ids=["index", "zero-division"],
)
def test_d1_dead_op_that_raises(f, x, exc):
    with pytest.raises(exc):
        f(x)  # Python
    with pytest.raises((exc, srcad.SrcadError)):
        srcad.grad(f)(x)


# -- D2: a read of a missing key of a defaultdict inserts it; DCE dropped the unused read -------
# (passes/missing_keys.py: such reads are kept; before, grad gave 2.0 where Python's is 4.0)
def _defaultdict_touch(x):
    d = collections.defaultdict(list)
    d[0].append(x * 2.0)
    d[5]  # inserts key 5 (Python)
    return len(d) * d[0][0]


def _defaultdict_unused_name(x):
    d = collections.defaultdict(float)
    d["a"] += x
    v = d["b"]  # noqa: F841 (inserts "b")
    return len(d) * d["a"] ** 2


_GLOBAL_DD = collections.defaultdict(float)


def _defaultdict_global(x):
    _GLOBAL_DD["z"]  # inserts "z" at the first call that runs it
    return (len(_GLOBAL_DD) + 1) * x**2


class _Storing(dict):
    def __missing__(self, key):
        self[key] = 0.0
        return 0.0


def _missing_stores(x):
    d = _Storing()
    d["a"] = x
    d["b"]
    return len(d) * d["a"] * x


def _counter_read(x):  # Counter answers 0 and stores nothing: pure reads, as before
    c = collections.Counter()
    c["a"] += 1
    c["b"]
    return len(c) * x**3


@pytest.mark.parametrize("f", [_defaultdict_touch, _defaultdict_unused_name, _counter_read])
def test_d2_defaultdict_read_inserts(f):
    x, h = 1.5, 1e-6
    want = (f(x + h) - f(x - h)) / (2 * h)  # Python's, the read's insert included
    assert srcad.grad(f)(x) == pytest.approx(want, rel=1e-6)
    value, tangent = srcad.jvp(f, (x,), (1.0,))
    assert value == pytest.approx(f(x)) and tangent == pytest.approx(want, rel=1e-6)
    second = (srcad.grad(f)(x + h) - srcad.grad(f)(x - h)) / (2 * h)
    assert srcad.hessian(f)(x) == pytest.approx(second, rel=1e-5)


def test_d2_global_defaultdict_read_inserts():
    assert "z" not in _GLOBAL_DD
    assert srcad.grad(_defaultdict_global)(1.5) == pytest.approx(6.0)  # (1 + 1) * 2x
    assert dict(_GLOBAL_DD) == {"z": 0.0}  # the generated code read it, as Python does


def test_d2_user_missing_refused():
    assert _missing_stores(1.5) == 2 * 1.5 * 1.5  # Python
    with pytest.raises(srcad.SrcadError, match="__missing__"):
        srcad.grad(_missing_stores)(1.5)
