"""Session 32 (nan32): NaN derivatives where the math is finite, and values where Python raises.
Input: small functions written like users' code; output: assertions against Python and central
differences (tests/soundness/numeric.py), or the error Python raises."""

from __future__ import annotations

import collections
import warnings

import numpy as np
import pytest

import srcad
from tests.soundness.numeric import check_scalar


def _quiet(fn, *args):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return fn(*args)


# -- a singular value made in a branch, read in one branch of a LATER if on a comparison --------
# The mask of the if's result (`ad/branchmasks.py`: zero where the later if takes the branch not
# reading it) stopped at the first if: its condition is computed after that if, and
# `maskcarry.branch_yields` treated every value made after the if as out of reach, though the
# reverse sweep runs after all of them. The gradient was nan where the function is 2 x.


def later_if(x):
    r = 0.0
    if x[1] > 0:
        r = np.sqrt(x[0])
    if x[0] < 0:
        y = 2 * x[0]
    else:
        y = r
    return y + 0 * x[2]


def later_if_log(x):
    r = x[1]
    if x[1] > 0:
        r = np.log(x[0]) * x[1]
    c = x[0] <= 0
    if c:
        y = x[0] ** 2
    else:
        y = r + x[2]
    return y


def later_if_in_loop(x):
    s = 0.0
    for k in range(2):
        r = 0.0
        if x[1] > 0:
            r = np.sqrt(x[0] - k)
        if x[0] - k < 0:
            y = 2 * x[0]
        else:
            y = r
        s = s + y * x[2]
    return s


def later_if_nested(x):
    r = 0.0
    if x[1] > 0:
        if x[2] > 0:
            r = np.sqrt(x[0]) * x[2]
    if x[0] < 0:
        y = 3 * x[0]
    else:
        y = r
    return y


LATER = [later_if, later_if_log, later_if_in_loop, later_if_nested]


@pytest.mark.parametrize("f", LATER, ids=lambda f: f.__name__)
@pytest.mark.parametrize("x0", [-1.0, 1.7], ids=["neg", "pos"])
def test_singular_value_of_a_branch_read_by_a_later_if(f, x0):
    x = np.array([x0, 2.0, 3.0])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        check_scalar(f, x)


# -- a partial read of a singular value: r = np.sqrt(x); r[0] -----------------------------------
# The cotangent of r is an exact zero at the positions no index reads; the reverse sweep
# multiplied it by sqrt's local derivative, nan where x < 0 there: the gradient had a nan entry
# for an input the function does not depend on. Now (`ad/partreads.py`) sqrt's contribution is
# masked by the positions read (``_srcad.read_mask(r, idx)``), in a branch also by its condition.


def read_two(x):
    r = np.sqrt(x)
    return r[0] + r[2]


def read_in_branches(x):
    r = np.sqrt(x)
    if x[0] > 0:
        y = r[0]
    else:
        y = r[1]
    return y * x[2]


def read_in_ternary(x):
    r = np.sqrt(x[:2])
    return r[0] if x[0] > 0 else r[1] * 2


def read_one_branch(x):
    r = np.log(x) * x[2]
    return r[0] if x[0] > 0 else 0.0


def read_slice(x):
    r = np.sqrt(x) / x[2]
    return np.sum(r[::2] ** 2)


PARTIAL = [read_two, read_in_branches, read_in_ternary, read_one_branch, read_slice]


@pytest.mark.parametrize("f", PARTIAL, ids=lambda f: f.__name__)
@pytest.mark.parametrize("x", [[-1.0, 2.0, 3.0], [1.0, -2.0, 3.0]], ids=["neg0", "neg1"])
def test_partial_read_of_a_singular_value(f, x):
    x = np.array(x)
    if f is read_two or f is read_slice:
        x = np.abs(x) * np.array([1.0, -1.0, 1.0])  # (the positions read: defined)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        check_scalar(f, x)


# -- a written infinity scaled by a varied value: np.exp(np.array([np.inf, x]) / -g) ------------
# ``np.inf / -g`` is -inf for every g > 0: its derivative is 0, but the division's term
# ``-dg * (a / b) / b`` is infinite there, and exp's 0 times it was nan in both modes (the
# masked-softmax temperature, the kernel bandwidth of distances with an infinite diagonal). Now
# an elementwise op whose result may hold a written infinity has a zero derivative where it is
# infinite (`infvals.fixed_at_inf`: ``_srcad.inf_fixed`` in the JVP, `ad/infmasks.py` in the VJP).

MASK = np.array([True, False, True, True])
PTS = np.array([[0.0, 0.3], [1.0, -0.4], [0.2, 0.9]])


def exp_inf_over_g(w):
    return np.sum(np.exp(np.array([np.inf, w[1]]) / -w[0])) * w[2]


def masked_softmax_temperature(w):
    s = np.where(MASK, w[1:5], -np.inf)
    e = np.exp(s / w[0])
    p = e / np.sum(e)
    return p @ np.arange(4.0)


def kernel_bandwidth(w):
    d = PTS[:, None, :] - PTS[None, :, :]
    r2 = np.sum(d**2, axis=-1) * w[1]
    np.fill_diagonal(r2, np.inf)
    return np.sum(np.exp(-r2 / w[0]) * w[2])


def inf_times_weight(w):
    v = np.array([np.inf, 1.0]) * w[1]
    return np.sum(1.0 / (1.0 + v**2)) + np.sum(np.exp(-v)) * w[0]


INFS = [exp_inf_over_g, masked_softmax_temperature, kernel_bandwidth, inf_times_weight]


@pytest.mark.parametrize("f", INFS, ids=lambda f: f.__name__)
def test_written_infinity_scaled_by_a_varied_value(f):
    x = np.array([0.8, 0.45, 1.3, -0.2, 0.6])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        check_scalar(f, x)


# -- a dict subclass whose __missing__ answers anew, reached through a container ----------------
# ``ds = [Draws()]; ds[0][5] - ds[0][5]``: Python calls `__missing__` twice (it stores nothing),
# srcad merged the two reads of a container it cannot type (0 instead of -1). Now a function that
# makes an object of such a class merges no read of an untyped container (passes/missing_keys).


class Draws(dict):
    count = [0]

    def __missing__(self, key):
        Draws.count[0] += 1
        return float(Draws.count[0])


def missing_through_a_list(x):
    ds = [Draws()]
    return x[0] * (ds[0][5] - ds[0][5]) + x[1]


def missing_through_a_dict(x):
    ds = {"a": Draws()}
    a = ds["a"][1] * x[0]
    return a - ds["a"][1] * x[0]


@pytest.mark.parametrize("f", [missing_through_a_list, missing_through_a_dict])
def test_missing_answering_anew_through_a_container(f):
    x = np.array([1.5, 2.0])
    Draws.count[0] = 0
    want = f(x)
    Draws.count[0] = 0
    val, g = srcad.value_and_grad(f)(x)
    assert val == want
    Draws.count[0] = 0
    _, t = srcad.jvp(f, (x,), (np.array([1.0, 0.0]),))
    assert t == g[0]


# -- a dict whose size the body of `for k in d` changes ------------------------------------------
# Python raises RuntimeError (dictionary changed size during iteration); srcad iterated a
# snapshot of the keys and returned a value. Now (lower/dictiter.py) the body ends with a check
# of the dict's size; bodies that only write existing keys are unchanged.


def adds_a_key(x):
    d = {"a": x[0], "b": x[1]}
    s = 0.0
    for k in d:
        s = s + d[k]
        if k == "a":
            d["c"] = x[2]
    return s


def pops_a_key(x):
    d = {"a": x[0], "b": x[1]}
    s = 0.0
    for k in d:
        s = s + d[k]
        d.pop("b", None)
    return s


def adds_on_the_last_step(x):
    d = {"a": x[0], "b": x[1]}
    for k in d:
        if k == "b":
            d["c"] = x[2] * d[k]
    return d["a"]


@pytest.mark.parametrize("f", [adds_a_key, pops_a_key, adds_on_the_last_step])
def test_dict_changed_size_in_its_loop_raises(f):
    x = np.array([1.0, 2.0, 3.0])
    with pytest.raises(RuntimeError, match="changed size during iteration"):
        f(x)
    for run in (srcad.grad(f), lambda x: srcad.jvp(f, (x,), (np.ones(3),))):
        with pytest.raises(RuntimeError, match="changed size during iteration"):
            run(x)


def writes_existing_keys(x):
    d = {"a": x[0], "b": x[1], "t": 0.0}
    for k in d:
        d["t"] = d["t"] + d[k] * x[2]
        d[k] = d[k] * x[2]
    return d["t"] + d["a"]


def adds_then_removes(x):
    d = {"a": x[0], "b": x[1]}
    s = 0.0
    for k in d:
        d["tmp"] = x[2]
        s = s + d[k] * d.pop("tmp")
    return s


@pytest.mark.parametrize("f", [writes_existing_keys, adds_then_removes])
def test_dict_loop_keeping_its_size(f):
    check_scalar(f, np.array([1.0, 2.0, 3.0]))


# -- an OrderedDict reordered in a loop over itself ----------------------------------------------
# lower/ordereddicts.py rewrote ``d.move_to_end(k)`` on a local OrderedDict as dict updates, and
# the loop iterated a copy of the keys: 6.0 where Python raises 'OrderedDict mutated during
# iteration' (or not, by the key and step). Such a dict is no longer rewritten: refused.


def lru_touch_in_own_loop(x):
    d = collections.OrderedDict()
    d["a"] = x[0]
    d["b"] = x[1]
    d["c"] = x[2]
    s = 0.0
    for k in d:
        s = s + d[k]
        d.move_to_end(k)
    return s


def lru_touch_in_key_copy(x):
    d = collections.OrderedDict()
    d["a"] = x[0]
    d["b"] = x[1]
    s = 0.0
    for k in list(d):
        s = s + d[k] * x[2]
        d.move_to_end(k)
    return s + d["a"]


def test_ordered_dict_reordered_in_its_own_loop_is_refused():
    x = np.array([1.0, 2.0, 3.0])
    with pytest.raises(RuntimeError, match="mutated during iteration"):
        lru_touch_in_own_loop(x)
    with pytest.raises(srcad.SrcadError, match="move_to_end"):
        srcad.grad(lru_touch_in_own_loop)(x)
    check_scalar(lru_touch_in_key_copy, x)  # (over a copy of the keys: rewritten, as before)
