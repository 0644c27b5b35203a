"""What the session-47 idiom hunt (idiom47a) must keep refusing or get right: a 0-d float array
argument is an array (``x *= w`` changes it in place, seen through every name and container
holding it), though arithmetic of it gives NumPy scalars."""

from __future__ import annotations

import copy
import itertools

import numpy as np
import pytest

import srcad


def item_held_then_updated(x, params):
    keep = params["scale"]
    for q in params:
        params[q] *= 0.605
        params[q] += 0.178 * np.sum(params[q])
    return np.sum(x) * params["scale"] * keep


def test_dict_of_0d_arrays_updated_in_place_refused():
    """``params[q] *= c`` of a 0-d array item changes it in place: `keep` sees it."""
    with pytest.raises(srcad.SrcadError):
        srcad.value_and_grad(item_held_then_updated)(
            np.array([0.3, 0.5]), {"scale": np.array(1.3), "shift": np.array(0.2)}
        )


def held_in_list(x):
    ys = [x]
    x *= 2.0
    return ys[0] * 1.0


def held_in_dict(x, w):
    ys = {"a": x}
    x *= w
    return ys["a"] * 1.0 + x


def stored_then_updated(x, d):
    d["a"] = x
    d["a"] += 1.0
    return x * 2.0


@pytest.mark.parametrize(
    "fn, args",
    [
        (held_in_list, (np.array(0.7),)),
        (held_in_dict, (np.array(0.7), 3.0)),
        (stored_then_updated, (np.array(0.7), {})),
    ],
)
def test_0d_array_updated_in_place_through_a_holder_refused(fn, args):
    with pytest.raises(srcad.SrcadError):
        srcad.value_and_grad(fn)(*copy.deepcopy(args))


# -- x.astype(dtype, copy=False): x itself when the dtype is already x's -------------------------


def astype_argument_written(x):
    y = x.astype(float, copy=False)
    y[0] = 5.0
    return np.sum(y * x)


def astype_argument_updated(x):
    y = x.astype(float, copy=False)
    y += 1.0
    return np.sum(y * x)


def astype_local_written_after(x):
    z = x * 2.0
    y = z.astype(float, copy=False)
    z[0] = 5.0
    return np.sum(y * x)


@pytest.mark.parametrize(
    "fn", [astype_argument_written, astype_argument_updated, astype_local_written_after]
)
def test_astype_no_copy_shares_its_receiver(fn):
    with pytest.raises(srcad.SrcadError):
        srcad.value_and_grad(fn)(np.array([1.0, 2.0, 3.0]))


def test_astype_no_copy_of_a_number_refused_when_it_runs():
    def f(x):
        return x.astype(float, copy=False) * 2.0

    with pytest.raises(AttributeError):
        f(2.0)
    with pytest.raises(srcad.SrcadError, match="other than a NumPy array"):
        srcad.grad(f)(2.0)


# -- a helper's pairs loop updating a list argument of the differentiated function --------------


def _pair_kick(bodies, c):
    for p, q in itertools.combinations(bodies, 2):
        d = p[0] - q[0]
        p[1] -= c * d * q[2]


def kicks_its_argument(x, bodies):
    _pair_kick(bodies, 0.026)
    return sum(b[1] ** 2 for b in bodies) * x[0]


def test_helper_pairs_loop_on_an_argument_refused():
    """The caller's lists would change (srcad does not write nested lists back): refused."""
    with pytest.raises(srcad.SrcadError):
        srcad.value_and_grad(kicks_its_argument)(
            np.array([0.3, -0.2]), [[0.3, 0.2, 1.0], [0.1, 0.4, 2.0]]
        )


# -- a method of an item of a module-level list picked by a run-time index -----------------------


class _Task:
    def __init__(self, s):
        self.s = s

    def run(self, d):
        return np.sum(d * self.s)


TASKS = [_Task(1.0), _Task(2.0)]


def run_tasks_by_index(d):
    tot = 0.0
    for i in range(len(TASKS)):
        tot += TASKS[i].run(d)
    return tot


def run_tasks_by_loop(d):
    tot = 0.0
    for t in TASKS:
        tot += t.run(d)
    return tot


def test_global_item_method_by_run_time_index_refused_with_the_reason():
    """Refused (srcad cannot tell the item's class), and the message says so instead of "no
    derivative rule for `.run()`" alone; the loop over the items it suggests works."""
    d = np.array([0.3, -0.2, 0.5])
    with pytest.raises(srcad.SrcadError, match="module-level `TASKS` picked by an index"):
        srcad.grad(run_tasks_by_index)(d)
    np.testing.assert_allclose(srcad.grad(run_tasks_by_loop)(d), np.full(3, 3.0))


# -- copy.deepcopy of a value holding one mutable object twice -----------------------------------
# Python's deep copy holds that object's one copy in both places (its memo): a write through one
# is seen through the other. srcad's mutation check takes the copy's parts apart, so on 0665875f
# these returned half the value (0.38 for 0.76, 0.6 for 1.2); now refused when the copy is made.


def _pair_of(x):
    a = x * 1.0
    return [a, a]


def deep_list_twice(x):
    inner = [x * 1.0]
    e = copy.deepcopy([inner, inner])
    e[0][0] *= 2.0
    return np.sum(e[1][0] * x)


def deep_array_twice(x):
    a = x * 1.0
    e = copy.deepcopy({"p": a, "q": a})
    e["p"] *= 2.0
    return np.sum(e["q"] * x)


def deep_array_and_its_asarray(x):
    a = x * 1.0
    e = copy.deepcopy({"p": a, "q": np.asarray(a)})
    e["p"] *= 2.0
    return np.sum(e["q"] * x)


def deep_helper_list(x):
    e = copy.deepcopy(_pair_of(x))
    e[0] *= 2.0
    return np.sum(e[1] * x)


def deep_argument(x, ws):
    e = copy.deepcopy(ws)
    e[0] *= 2.0
    return np.sum(e[1] * x)


@pytest.mark.parametrize(
    "fn", [deep_list_twice, deep_array_twice, deep_array_and_its_asarray, deep_helper_list]
)
def test_deepcopy_of_one_object_held_twice_refused(fn):
    x = np.array([0.3, -0.2, 0.5])
    assert fn(x) == pytest.approx(2 * np.sum(x * x))  # (Python: the write seen through both)
    with pytest.raises(srcad.SrcadError):
        srcad.value_and_grad(fn)(x)


def test_deepcopy_of_an_argument_holding_one_array_twice_refused():
    x, a = np.array([0.3, -0.2, 0.5]), np.ones(3)
    assert deep_argument(x, [a, a]) == pytest.approx(2 * np.sum(x))
    with pytest.raises(srcad.SrcadError, match="in two places"):
        srcad.value_and_grad(deep_argument)(x, [a, a])
    _, g = srcad.value_and_grad(deep_argument)(x, [a, a.copy()])  # (two arrays: fine)
    np.testing.assert_allclose(g, np.ones(3))
