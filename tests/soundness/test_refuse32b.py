"""Spurious refusals of ordinary Python code lifted in session 32 (refuse32b).
Input: small functions as users write them (``acc=None`` defaults, ...); output: assertions
against Python and central differences (tests/soundness/numeric.py), or the refusal srcad
should still give for the unsound variant next to each."""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from tests.soundness.numeric import check_scalar

W = np.array([1.3, 0.75, 1.1, 0.4])


# -- a None default made into a new object before the update ----------------------------------
# `if acc is None: acc = []` then `acc.append(...)` was refused as updating the caller's
# argument, though the caller passed None; `out[2] += v` in a helper whose `out=None` was left
# out was refused as a stale read. The mutation check now decides `acc is None` for None
# arguments (passes/alias_nones.py; Spec.nones, the helper's call facts).


def collect(w, acc=None):
    if acc is None:
        acc = []
    for v in w:
        acc.append(v * v)
    acc.append(w[0] * w[1])
    return sum(acc)


def collect_not_none(w, acc=None):
    if acc is not None:
        acc.append(w[0])
    else:
        acc = [w[1] * 3.0]
    acc.append(w[2] * w[3])
    return sum(acc)


def _moments(v, out=None):
    if out is None:
        out = np.zeros(3)
    out[0] = v[0] * v[1]
    out[2] += v[2] * v[3]
    out[1] -= np.sum(v**2)
    return out


def moments_sum(w):
    return np.sum(_moments(w) * np.array([1.0, 2.0, 3.0]))


def moments_explicit_none(w):
    return np.sum(_moments(w, None) ** 2)


@pytest.mark.parametrize("f", [collect, collect_not_none, moments_sum, moments_explicit_none])
def test_none_default_made_anew(f):
    check_scalar(f, W.copy())


def test_none_default_fails_on_the_old_check():
    """(the top-level `acc=None` with the default left out and passed as None)"""
    g = srcad.grad(collect)(W.copy())
    np.testing.assert_allclose(srcad.grad(collect)(W.copy(), None), g)
    np.testing.assert_allclose(g, 2 * W + np.array([W[1], W[0], 0.0, 0.0]))


def moments_into_buffer(w):
    buf = np.ones(3)
    r = _moments(w, buf)
    return np.sum(r) + np.sum(buf)


@pytest.mark.parametrize("acc", [[], [1.0], [np.ones(2)]])
def test_a_list_passed_for_acc_stays_refused(acc):
    with pytest.raises(srcad.SrcadError, match="argument `acc` is appended to"):
        srcad.grad(collect)(W.copy(), acc)
    with pytest.raises(srcad.SrcadError, match="argument `acc` is appended to"):
        srcad.grad(collect_not_none)(W.copy(), acc)


def test_an_array_passed_for_out_stays_refused():
    with pytest.raises(srcad.SrcadError, match="modifies its argument `out`"):
        srcad.grad(moments_into_buffer)(W.copy())


# -- a nested def bound on one path, rebound before its next read ------------------------------
# the liveness of names after an `if` ignored rebinding, so `g` (a function on one path, a number
# on the other) was refused although the later `def g` binds it before any read
# (lower/livekill.py). A nested function that reads `g` when called keeps it live.


def def_rebound(w):
    if w[0] > 1.0:

        def g(v):
            return v * 2.0

        y = g(w[1])
    else:
        g = 3.0
        y = w[1] * g

    def g(v):
        return v * v * w[2]

    return y + g(w[3])


def def_rebound_in_loop(w):
    s = 0.0
    for i in range(3):
        if i == 1:

            def h(v):
                return v * w[1]

            s = s + h(w[0])
        else:
            h = 2.0
            s = s + h * w[2]
        a, h = w[3], 0.5
        s = s + a * h
    return s


def def_rebound_at_either_branch(w):
    return def_rebound(w) + def_rebound(np.array([0.5, *w[1:]]))


@pytest.mark.parametrize("f", [def_rebound, def_rebound_in_loop, def_rebound_at_either_branch])
def test_nested_def_rebound_before_its_read(f):
    check_scalar(f, W.copy())


def read_through_closure_before_rebinding(x):
    if x > 0:

        def g(v):
            return v * 2.0
    else:
        g = None

    def h():
        return g(x) if g is not None else x

    y = h()  # reads the `g` of the branch: still live at the join

    def g(v):
        return v * 3.0

    return y + g(x)


def read_after_an_exit(x):
    for i in range(2):
        if i == 0:

            def g(v):
                return v * 2.0
        else:
            g = 5.0
        if x > 100.0:
            break  # the `g` of the branch is read after the loop

        def g(v):
            return v * 3.0

        x = g(x)
    return g(x) if callable(g) else x * g


def test_a_read_before_the_rebinding_stays_refused():
    # (since session 51 the join of two functions is a lower/fnchoice.Chosen: refused when the
    # loop carries it, ``bound to a function or module inside a loop``)
    refused = "names a function or module on one path|bound to a function or module inside a loop"
    with pytest.raises(srcad.SrcadError, match=refused):
        srcad.grad(read_after_an_exit)(1.3)


@pytest.mark.parametrize("x", [1.3, -1.3])
def test_a_closure_read_before_the_rebinding_is_right(x):
    # (refused until session 35: the rest of the function is now lowered in each branch,
    # lower/objsplit.py, so `h` reads the `g` of its branch)
    f = read_through_closure_before_rebinding
    assert srcad.primal(f)(x) == f(x)
    assert np.isclose(srcad.grad(f)(x), 5.0 if x > 0 else 4.0)
    assert np.isclose(srcad.jvp(f, (x,), (1.0,))[1], 5.0 if x > 0 else 4.0)


# -- class-body constants are numbers -------------------------------------------------------
# `self.force` / `Cfg.k` of `class K: force = 0.001` was not known to be a number, so in a loop
# `velocity += (a - 1) * self.force` might make an array and the next `p, v = self.state` rows
# of it (refused as a stale read). The class attribute's type is now a recorded fact
# (passes/classnums.py): rebinding it to an array makes the transform again.


class Car:
    force = 0.001
    gravity = 0.0025

    def __init__(self, p, v):
        self.state = np.array([p, v])

    def step(self, action):
        position, velocity = self.state
        velocity += (action - 1) * self.force + np.cos(3 * position) * (-self.gravity)
        position += velocity * 10.0
        self.state = (position, velocity)


def car_rollout(w):
    env = Car(w[0] - 1.8, 0.0)
    for _ in range(4):
        pos, vel = env.state
        env.step(1.0 + np.tanh(w[1] * pos + w[2] * vel * 100.0 + w[3]))
    pos, vel = env.state
    return 0.5 * vel**2 * 1e4 + np.sin(3 * pos)


class Cfg:
    k = 0.5


def class_constant_carry(w):
    s = np.array([w[0], w[1]])
    for _ in range(3):
        a, b = s
        b += Cfg.k * a
        a += b * w[2]
        s = (a, b)
    return s[0] * w[3] + s[1]


@pytest.mark.parametrize("f", [car_rollout, class_constant_carry])
def test_class_body_constants_are_numbers(f):
    check_scalar(f, W.copy())


def test_a_class_constant_rebound_to_an_array_is_transformed_again(monkeypatch):
    g = srcad.grad(class_constant_carry)
    before = g(W.copy())
    monkeypatch.setattr(Cfg, "k", 0.25)  # another float: the same transform, the new value
    np.testing.assert_allclose(g(W.copy()), srcad.grad(class_constant_carry)(W.copy()))
    assert not np.allclose(g(W.copy()), before)
    monkeypatch.setattr(Cfg, "k", np.array([0.5, 0.25]))  # then `b += ...` updates in place
    with pytest.raises(srcad.SrcadError, match="`Cfg`"):
        g(W.copy())


# -- a constant float item of a helper's residuals at second order ----------------------------
# the activity analysis takes a helper's residual tuple as one value, so at second order
# `t = np.arange(-2, 3) * 1.0` (saved for `polyfit_vjp`, which has no term for `x`) was varied,
# and refused when the code ran (`no_float`). The JVP now checks that its tangent is zero when
# it runs (ad/common.active_params): the missing term is then zero.


def _savgol_float(y):
    t = np.arange(-2, 3) * 1.0
    c = np.polyfit(t, y, 2)
    return np.sum((np.polyval(c, t) - y) ** 2)


def savgol_float_helper(w):
    return _savgol_float(np.array([w[0], w[1] ** 2, w[2], w[3], w[0] * w[3]])) * 2.0


def test_constant_float_residual_item_at_second_order():
    check_scalar(savgol_float_helper, W.copy())


def polyfit_of_a_tuple_item(res):
    t = res[0]
    return np.sum(np.polyfit(t, res[1], 2) ** 2)


def test_a_float_item_with_a_nonzero_tangent_stays_refused():
    t, y = np.arange(-2.0, 3.0), np.array([1.0, 2.0, 0.5, 3.0, 1.2])
    _, dy = srcad.jvp(polyfit_of_a_tuple_item, ((t, y),), ((np.zeros(5), np.ones(5)),))
    fd = (polyfit_of_a_tuple_item((t, y + 1e-6)) - polyfit_of_a_tuple_item((t, y - 1e-6))) / 2e-6
    np.testing.assert_allclose(dy, fd, rtol=1e-6)
    with pytest.raises(srcad.SrcadError, match="not differentiable in its argument `x`"):
        srcad.jvp(polyfit_of_a_tuple_item, ((t, y),), ((np.ones(5), np.ones(5)),))
    with pytest.raises(srcad.SrcadError, match="not differentiable in its argument `x`"):
        srcad.vjp(polyfit_of_a_tuple_item, (t, y))[1](1.0)  # (reverse mode: no tangent)

    def moving_t(z):  # t from the input: refused when transformed
        return _savgol_varied(z[:5], z[5])

    with pytest.raises(srcad.SrcadError, match="not differentiable in its argument `x`"):
        srcad.hessian(moving_t)(np.append(W, [0.3, 1.0]))


def _savgol_varied(y, s):
    t = np.arange(-2, 3) * s
    return np.sum(np.polyval(np.polyfit(t, y, 2), t) - y)


# -- a bound method of an object built here passed to a helper --------------------------------
# `rk4(self._dsdt, s, t)` made the method a run-time value, so the object was passed on and the
# later `self.state = ns` refused as a write srcad would not see (gym's Acrobot). The helper is
# now inlined with the method itself (lower/objmethods.py), as for a nested function.


def rk2(deriv, y0, dt):
    k1 = deriv(y0)
    k2 = deriv(y0 + 0.5 * dt * k1)
    return y0 + dt * k2


class Pendulum:
    def __init__(self, s, g):
        self.state = s
        self.g = g
        self.calls = 0.0

    def _dsdt(self, s):
        self.calls = self.calls + 1.0
        return np.array([s[1], -self.g * np.sin(s[0])])

    def step(self):
        ns = rk2(self._dsdt, self.state, 0.1)
        self.state = ns
        return ns[0] * self.calls


def pendulum_height(w):
    env = Pendulum(np.array([w[0], w[1]]), w[2])
    total = 0.0
    for _ in range(3):
        total += env.step() * w[3]
    return total + env.state[1]


class Counter:
    def __init__(self):
        self.n = 0.0
        self.k = 1.0

    def f(self, y):
        self.n = self.n + y
        return y * self.k


def apply_twice(f, x):
    return f(x) + f(x * x)


def keep(f):
    return f


def method_writes_fields(w):
    c = Counter()
    c.k = w[1]
    r = apply_twice(c.f, w[0])
    c.k = 5.0
    return r + apply_twice(c.f, w[2]) * w[3] + c.n


@pytest.mark.parametrize("f", [pendulum_height, method_writes_fields])
def test_bound_method_passed_to_a_helper(f):
    check_scalar(f, W.copy())


def method_kept_then_field_written(x):
    c = Counter()
    g = keep(c.f)  # (the method a value: the object passed on)
    c.k = 2.0  # Python's g reads the new k
    return g(x)


# (`fs = [c.f]; c.k = 3.0; apply_twice(fs[0], x)`: tests/soundness/test_idiom45.py)


@pytest.mark.parametrize("f", [method_kept_then_field_written])
def test_a_method_kept_as_a_value_stays_refused(f):
    with pytest.raises(srcad.SrcadError, match="already used as a value"):
        srcad.grad(f)(1.3)


# -- a def each loop iteration binds before calling it ------------------------------------------
# a loop body's live-out was every name the body reads, so `def step` made and called in each
# iteration was a loop carry ("bound to a function or module inside a loop and read after an
# iteration"), and so was it in a loop before a later loop defining its own `step`. The body's
# live-out is now what the next iteration may read first (scope.next_round), and a compound
# statement adds only what it may read before binding it (lower/livekill.py).


def def_per_iteration(w):
    t = w[0]
    for _ in range(2):
        t = t * 1.0
        for j in range(3):

            def step(z):
                return np.tanh(z) * (j + 1.0) * 0.5 + t * w[1]  # noqa: B023

            t = step(t)
        if t > 100.0:
            break
    u = w[2]
    for j in range(2):

        def step(z):
            return z * w[3] + j  # noqa: B023

        u = step(u)
    return t + u


def def_per_iteration_while(w):
    s, i = 0.0, 0
    while i < 3:
        if i == 1:

            def g(v):
                return v * v

        else:
            g = 2.0
        i += 1
        if i == 2:
            continue
        g = w[1]
        s = s + g * w[0]
    return s + w[2] * w[3]


@pytest.mark.parametrize("f", [def_per_iteration, def_per_iteration_while])
def test_def_bound_in_each_iteration(f):
    check_scalar(f, W.copy())


def def_read_in_the_next_iteration(x):
    s = 0.0
    for i in range(3):
        if i > 0:
            s = s + g(x)  # noqa: F821 (the previous iteration's `g`, reading the current `i`)

        def g(v):
            return v * (i + 1.0)  # noqa: B023

    return s


def test_a_def_read_by_the_next_iteration_is_computed_right():
    f = def_read_in_the_next_iteration  # (Python: 1.3 * 2 + 1.3 * 3)
    value, g = srcad.value_and_grad(f)(1.3)
    assert value == f(1.3)
    assert g == pytest.approx((f(1.3 + 1e-6) - f(1.3 - 1e-6)) / 2e-6, rel=1e-6)
