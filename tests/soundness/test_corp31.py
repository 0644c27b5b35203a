"""Regressions found by porting other projects' programs (session 31, corp31: gym's classic
control, posteriordb models, bundle adjustment, dynamic-programming losses, robotics). Each
`test_*_accepted` was refused on c61b080 and is checked against central differences now; the
`test_*_refused` ones guard the hazards the fix must keep."""

from __future__ import annotations

import math

import numpy as np
import pytest

import srcad


def _fd(f, args, k, h=1e-6):
    args = list(args)
    x = args[k]
    if isinstance(x, float):
        up, dn = list(args), list(args)
        up[k], dn[k] = x + h, x - h
        return (f(*up) - f(*dn)) / (2 * h)
    g = np.zeros_like(x)
    for i in range(x.size):
        e = np.zeros_like(x)
        e.flat[i] = h
        up, dn = list(args), list(args)
        up[k], dn[k] = x + e, x - e
        g.flat[i] = (f(*up) - f(*dn)) / (2 * h)
    return g


def _tuple_state(p0):
    # gym's MountainCar: `position, velocity = self.state` then `self.state = (position, velocity)`
    state = (p0, 0.0)
    for _ in range(3):
        position, velocity = state
        velocity += 0.1 * position
        position += velocity
        state = (position, velocity)
    return state[0] * state[1]


def _array_then_tuple_state(w, p0):
    state = np.array([p0, 0.0])  # reset() gives an array, step() stores a tuple
    for _ in range(4):
        position, velocity = state
        action = math.tanh(w[0] * position + w[1] * velocity)
        velocity += 0.01 * action - 0.0025 * math.cos(3 * position)
        velocity = np.clip(velocity, -0.07, 0.07)
        position += velocity
        state = (position, velocity)
    return state[0] + 10.0 * state[1] ** 2


def test_op_assign_on_numbers_unpacked_from_a_carried_tuple_accepted() -> None:
    # the items of a loop-carried tuple of numbers were of unknown kind: `velocity += ...` might
    # have updated an array the tuple also held, so the program was refused at lowering
    g = srcad.grad(_tuple_state)(0.3)
    assert g == pytest.approx(_fd(_tuple_state, (0.3,), 0), rel=1e-6)


def test_op_assign_on_items_of_an_array_then_tuple_carry_accepted() -> None:
    # the carry is a 1-D array of numbers first and a tuple of `np.clip` results after: an int
    # index reads a number from both (np.clip of numbers was not known to give a number either)
    w = np.array([0.8, -1.5])
    for k in (0, 1):
        g = srcad.grad(_array_then_tuple_state, k)(w, -0.5)
        np.testing.assert_allclose(g, _fd(_array_then_tuple_state, (w, -0.5), k), rtol=1e-5)
    _, t = srcad.jvp(_array_then_tuple_state, (w, -0.5), (np.array([1.0, 0.5]), 0.2))
    gw, gp = srcad.grad(_array_then_tuple_state, (0, 1))(w, -0.5)
    assert t == pytest.approx(gw @ np.array([1.0, 0.5]) + 0.2 * gp, rel=1e-9)


def _carry_becomes_array(x):
    state = (1.0, 2.0)
    s = 0.0
    for _ in range(3):
        a, b = state
        c = a
        a += 1.0  # an array from the second pass on: updated in place, `c` sees it
        s = s + np.sum(c * x)
        state = (x * 1.0, b)
    return s


def _item_becomes_array(x):
    state = (1.0, 2.0)
    s = 0.0
    for _ in range(3):
        u = state[0]
        w = u
        u += 1.0
        s = s + np.sum(w * x)
        state = (x * 1.0, 2.0)
    return s


# _item_becomes_array: (accepted since iter41c, checked in tests/regressions/test_iter41c.py: lower/opfork.py)
@pytest.mark.parametrize("f", [_carry_becomes_array])
def test_tuple_carry_that_comes_to_hold_an_array_stays_refused(f) -> None:
    x = np.array([0.5, -1.0, 2.0])
    with pytest.raises(srcad.SrcadError, match="updated with `op=`"):
        srcad.grad(f)(x)


def _ctc_scaled_alpha(p, labels):
    # the CTC forward pass in probability space, rescaled each step (Graves)
    ext = [0] + [x for lab in labels for x in (lab, 0)]
    S = len(ext)
    alpha = np.zeros(S)
    alpha[0], alpha[1] = p[0, ext[0]], p[0, ext[1]]
    for t in range(1, p.shape[0]):
        new = np.zeros(S)
        for s in range(S):
            v = alpha[s]
            if s > 0:
                v += alpha[s - 1]
            new[s] = v * p[t, ext[s]]
        c = new.sum()
        alpha = new / c
    return alpha[S - 1] + alpha[S - 2]


def test_whole_sum_of_an_array_sized_by_len_of_a_list_accepted() -> None:
    # ``np.zeros(len(ext))`` of a user's list was not known to be a NumPy array (`len` of a list
    # was not a NumPy value), so ``new.sum()`` might have been a 0-d array, ``alpha = new / c`` of
    # unknown rank, and ``v = alpha[s]; v += ...`` a possible update of a row: refused
    p = np.abs(np.random.default_rng(3).normal(size=(5, 3))) + 0.1
    g = srcad.grad(_ctc_scaled_alpha)(p, [1, 2])
    np.testing.assert_allclose(g, _fd(_ctc_scaled_alpha, (p, [1, 2]), 0), rtol=1e-5, atol=1e-9)


def _arm_points(thetas, lengths):
    x, y, phi = 0.0, 0.0, 0.0
    points = [(x, y)]
    for th, ln in zip(thetas, lengths):
        phi += th
        x += ln * math.cos(phi)  # numbers: rebinds `x`, the tuple appended keeps the old one
        y += ln * math.sin(phi)
        points.append((x, y))
    return points


def _arm_cost(thetas, lengths):
    pts = _arm_points(thetas, lengths)
    return sum(px * px + 0.5 * py for px, py in pts)


def test_op_assign_on_items_of_list_arguments_passed_to_a_helper_accepted() -> None:
    # the differentiated function's lists of floats, passed on to a helper, were lists of
    # unknown objects there: `x += ln * cos(phi)` might have updated an array `points` held
    th, ln = [0.3, -0.4, 0.6], [0.6, 0.5, 0.4]
    g = srcad.grad(_arm_cost, (0, 1))(th, ln)
    h = 1e-6
    for k in (0, 1):
        for i in range(3):
            up = [list(th), list(ln)]
            dn = [list(th), list(ln)]
            up[k][i] += h
            dn[k][i] -= h
            fd = (_arm_cost(*up) - _arm_cost(*dn)) / (2 * h)
            assert g[k][i] == pytest.approx(fd, rel=1e-6, abs=1e-9)


def _arm_arrays(lengths):
    return float(np.sum(np.array(_arm_points([0.3, -0.4], lengths)[-1][0])))


def test_list_of_arrays_passed_to_the_helper_stays_refused() -> None:
    # items that are arrays: `x += ...` updates the array `points` holds, in Python
    lengths = [np.array([0.6, 0.2]), np.array([0.5, 0.1])]
    with pytest.raises(srcad.SrcadError, match="updated with `op=`"):
        srcad.grad(_arm_arrays)(lengths)


def _cartpole_state_array(w):
    # CartPole's step on a state array updated item by item, the policy through math.tanh
    state = np.array([0.01, 0.0, 0.05, 0.0])
    cost = 0.0
    for _ in range(6):
        x, x_dot, theta, theta_dot = state
        force = 10.0 * math.tanh(w @ state)
        costheta, sintheta = math.cos(theta), math.sin(theta)
        temp = (force + 0.05 * theta_dot**2 * sintheta) / 1.1
        thetaacc = (9.8 * sintheta - costheta * temp) / (
            0.5 * (4.0 / 3.0 - 0.1 * costheta**2 / 1.1)
        )
        xacc = temp - 0.05 * thetaacc * costheta / 1.1
        state[0] += 0.02 * x_dot
        state[1] += 0.02 * xacc
        state[2] += 0.02 * theta_dot  # `theta_dot`: a number read before `state` changed
        state[3] += 0.02 * thetaacc
        cost += state[2] ** 2 + x * 0.1
    return cost


def test_items_of_a_carried_array_updated_by_index_accepted() -> None:
    # ``math.tanh(w @ state)`` was a number only for known-number operands, so the stored
    # accelerations were not, the carried `state` not an array of numbers after its item
    # updates, and `theta_dot = state[3]` read after ``state[0] += ...`` counted as a view's
    w = np.array([0.3, 0.8, 4.0, 1.2])
    g = srcad.grad(_cartpole_state_array)(w)
    np.testing.assert_allclose(g, _fd(_cartpole_state_array, (w,), 0), rtol=1e-6, atol=1e-10)
    _, t = srcad.jvp(_cartpole_state_array, (w,), (np.array([1.0, -0.5, 0.2, 0.1]),))
    assert t == pytest.approx(g @ np.array([1.0, -0.5, 0.2, 0.1]), rel=1e-9)


def _state_item_gets_an_array(x):
    state = np.array([0.5, 1.0], dtype=object)
    s = 0.0
    for _ in range(2):
        a, b = state
        c = a
        a += 1.0  # an array on the second pass: updated in place, `c` sees it
        s = s + np.sum(c * x)
        state[0] = x * 1.0
    return s


def test_array_item_given_an_array_stays_refused() -> None:
    with pytest.raises(srcad.SrcadError, match="updated with `op=`"):
        srcad.grad(_state_item_gets_an_array)(np.array([0.5, -1.0, 2.0]))
