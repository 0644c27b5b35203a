"""Session 24 (hunt24): what the hunt over training loops, simulations, optimisers and Python
idioms found.

- ``zip(S, Y)`` passed to another iterator in a ``for`` loop's header (L-BFGS's two-loop recursion
  ``for (s, y), a in zip(zip(S, Y), reversed(alphas))``) was refused when a statement after the
  loop updated `S` (``S.append(s_new)``): the inner ``zip`` is lowered as a generator expression
  wrapping the call (lower/idioms_more.zip_value), a new node the check of later updates
  (lower/closures.check_later) did not find inside the loop's iterable, so it looked at every
  statement after the loop instead of the loop's body only. The wrapper now counts at the call's
  place; an update inside the loop's body, or a ``zip`` stored and consumed after an update, is
  still refused.
- A loss picked from a global dict of functions by a config entry and bound to a name,
  ``loss_fn = LOSSES[CFG["loss"]]; loss_fn(r)``, was refused at differentiation ("cannot tell
  which function this call invokes"): only a constant key was followed
  (lower/values._static_item). A key that is itself an int/str item of a container known at
  transform time read with a constant key is now followed too, and recorded as read, so
  ``CFG["loss"] = "l4"`` later makes a new transform.
- RK4 with a nested right-hand side ``def f(y): ...`` and the state a row view ``y = Y[i]``,
  then ``Y[i + 1] = y + h / 6 * (...)``, was refused ("`y` is read after the object it shares
  with another name is modified"): the names a nested def or lambda reads (live everywhere:
  it may run later) counted its own parameter `y`, so the loop carried the stale view `y` out.
  A parameter is the function's own name (lower/scope.function_reads, lower/survey.py); the
  names its body reads from the enclosing scope, its defaults and decorators still count.
- ``for p in params: p -= lr * g`` (written back into the list: lower/loopitems.py) was refused
  when a later loop bound `p` again (``for p in params: total += ...``, an EMA's ``for e, p in
  zip(ema, params)``): the rewrite wanted `p` nowhere else in the function. The target and body
  of another ``for`` binding `p` (not around the loop) are that loop's item; a read of `p`
  after such a loop, in its iterable or its ``else`` still counts.
"""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from tests.corpus.ported_hunt24e import _quad, _quad_g  # (the corpus's quadratic test problem)
from tests.soundness.numeric import check_scalar

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")


def lbfgs(x0):
    x = x0.copy()
    S, Y = [], []
    g = _quad_g(x)
    for _ in range(4):
        q = g.copy()
        alphas = []
        for s, y in reversed(list(zip(S, Y))):
            a = (s @ q) / (y @ s)
            alphas.append(a)
            q -= a * y
        for (s, y), a in zip(zip(S, Y), reversed(alphas)):
            q += s * (a - (y @ q) / (y @ s))
        x_new = x - 0.5 * q
        g_new = _quad_g(x_new)
        S.append(x_new - x)
        Y.append(g_new - g)
        if len(S) > 2:
            S.pop(0)
            Y.pop(0)
        x, g = x_new, g_new
    return _quad(x)


def nested_zip_then_update(x):
    S, Y = [x, 2 * x], [3 * x, x * x]
    tot = 0.0
    for _ in range(2):
        for (s, y), b in zip(zip(S, Y), [1.0, 2.0]):
            tot += np.sum(s * y) * b
        S[1] = S[1] * 5
    return tot


@pytest.mark.parametrize("f", [lbfgs, nested_zip_then_update])
def test_nested_zip_in_loop_header_then_update(f):
    check_scalar(f, np.array([0.5, -0.3, 0.8]) if f is lbfgs else np.array([0.1, 0.2]))


def updated_in_body(x):
    S, Y = [x, 2 * x], [3 * x, x * x]
    tot = 0.0
    for (s, y), b in zip(zip(S, Y), [1.0, 2.0]):
        tot += np.sum(s * y) * b
        S[1] = s * 5  # Python's inner zip reads the new S[1] next
    return tot


def stored_then_updated(x):
    S, Y = [x, 2 * x], [3 * x, x * x]
    z = zip(zip(S, Y), [1.0, 2.0])
    S[1] = x * 5
    tot = 0.0
    for (s, y), b in z:
        tot += np.sum(s * y) * b
    return tot


@pytest.mark.parametrize("f", [updated_in_body, stored_then_updated])
def test_nested_zip_still_refused_when_its_list_changes_first(f):
    with pytest.raises(srcad.SrcadError, match="runs its items when it is consumed"):
        srcad.grad(f)(np.array([0.1, 0.2]))


def _mse(r):
    return np.mean(r**2)


def _l4(r):
    return np.mean(r**4)


LOSSES = {"mse": _mse, "l4": _l4}
CFG = {"loss": "mse", "reg": 0.1}
KEYS = ["l4", "mse"]


def config_loss(w):
    loss_fn = LOSSES[CFG["loss"]]
    return loss_fn(w - 0.3) + CFG["reg"] * np.sum(w**2)


def listed_key(w):
    first, last = LOSSES[KEYS[0]], LOSSES[KEYS[-1]]
    return first(w) * last(w)


def test_function_from_dict_by_config_key():
    x = np.array([0.5, -1.0, 0.2])
    check_scalar(config_loss, x)
    check_scalar(listed_key, x)
    try:
        CFG["loss"] = "l4"  # the transform is re-made: the key read changed
        np.testing.assert_allclose(srcad.grad(config_loss)(x), (x - 0.3) ** 3 * 4 / 3 + 0.2 * x)
        KEYS[0] = "mse"
        np.testing.assert_allclose(srcad.grad(listed_key)(x), 4 * np.mean(x**2) * x / 3)
    finally:
        CFG["loss"] = "mse"
        KEYS[0] = "l4"
    np.testing.assert_allclose(srcad.grad(config_loss)(x), (x - 0.3) * 2 / 3 + 0.2 * x)


def rk4_nested_rhs(y0):
    def f(y):
        return np.array([y[1], -np.sin(y[0])])

    h = 0.2
    Y = np.empty((4, 2))
    Y[0] = y0
    for i in range(3):
        y = Y[i]
        k1 = f(y)
        k2 = f(y + h / 2 * k1)
        k3 = f(y + h / 2 * k2)
        k4 = f(y + h * k3)
        Y[i + 1] = y + h / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
    return np.sum(Y[1:, 0] ** 2) + Y[-1, 1]


def euler_lambda_rhs(y0):
    Y = np.zeros((3, 2))
    Y[0] = y0
    f = lambda y: np.array([y[1], -(y[0] ** 3)])  # noqa: E731
    for i in range(2):
        y = Y[i]
        Y[i + 1] = y + 0.1 * f(y)
    return np.sum(Y[-1] ** 2)


@pytest.mark.parametrize("f", [rk4_nested_rhs, euler_lambda_rhs])
def test_nested_function_parameter_is_not_the_enclosing_name(f):
    check_scalar(f, np.array([0.8, 0.1]))


def late_closure(x):
    s = 1.0
    g = lambda t: t * s  # noqa: E731 - reads the last `s` when called
    for i in range(3):
        s = x[0] * (i + 1)
    return g(2.0) + x[1]


def default_reads_enclosing(x):
    y = x[0]
    for _ in range(2):
        y = y * 2.0

    def h(z, w=y):  # `w` is the `y` of this moment
        return z * w

    for _ in range(2):
        y = y + 1.0
    return h(x[1]) + y


def param_and_free(x):
    y = x[1]

    def h(y):
        return y * 3.0

    for _ in range(2):
        y = h(y) + x[0]

    def k():
        return y * 2.0  # the enclosing `y`, read when k runs

    y = y + 1.0
    return k()


@pytest.mark.parametrize("f", [late_closure, default_reads_enclosing, param_and_free])
def test_closures_still_read_the_enclosing_names(f):
    check_scalar(f, np.array([0.7, 0.3]))


def two_loops_same_name(w0):
    params = [w0.copy(), 0.5 * w0]
    for p in params:
        p -= 0.2 * p**2
    tot = 0.0
    for p in params:
        tot += np.sum(np.sin(p))
    return tot


def ema_same_name(w0):
    params = [w0.copy(), 0.5 * w0]
    ema = [p.copy() for p in params]
    for _ in range(2):
        for p in params:
            p -= 0.2 * p**2
        for e, p in zip(ema, params):
            e *= 0.8
            e += 0.2 * p
    return sum(np.sum(e**2) for e in ema)


@pytest.mark.parametrize("f", [two_loops_same_name, ema_same_name])
def test_loop_variable_updated_in_place_then_bound_again(f):
    check_scalar(f, np.array([0.7, -0.3, 0.4]))


def last_item_read_after(w0):
    params = [w0.copy(), 0.5 * w0]
    for p in params:
        p -= 0.2 * p**2
    for p in []:  # noqa: B007 - binds nothing: `p` stays params[1]
        pass
    return np.sum(p) + np.sum(params[0])  # Python: `p` is params[1], updated


def test_loop_variable_read_after_a_later_loop_is_python_or_refused():
    x = np.array([0.7, -0.3, 0.4])
    try:
        g = srcad.grad(last_item_read_after)(x.copy())
    except srcad.SrcadError:
        return
    np.testing.assert_allclose(
        srcad.primal(last_item_read_after)(x.copy()), last_item_read_after(x)
    )
    fd = np.array(
        [
            (last_item_read_after(x + 1e-6 * e) - last_item_read_after(x - 1e-6 * e)) / 2e-6
            for e in np.eye(3)
        ]
    )
    np.testing.assert_allclose(g, fd, rtol=1e-6)
