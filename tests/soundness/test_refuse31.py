"""What refuse31 accepts, checked numerically (`srcad.testing.check_grads` forward and reverse;
value, gradient, JVP, VJP and Hessian against Python and central differences where cheap), and
the neighbours that must stay refused (tests/corpus/users_refuse31.py holds the corpus cases):

1. ``for k, v in d.items(): d[k] = f(v)`` over a dict of arrays: the loop's snapshot of the
   items (lower/idioms.items_snapshot) holds the dict's values, not the dict
   (passes/alias_seqs.copied_items), so writing the current entry leaves it fresh; an entry's
   array updated in place, or a copy's element read after its array changed, stays refused.
2. ``[y := f(v) for v in xs]`` then ``y`` with no `y` before: the last item's value, as for a
   name a ``for`` loop binds (lower/closures.comprehension_writes; None after no item, where
   Python raises UnboundLocalError); a generator `any` stops early stays refused.
3. ``scipy.signal.correlate2d(a, k, mode=m)`` with `m` a loop variable: lowered as
   ``flip(correlate(flip(a), flip(k), m))``, correlate2d's value for every mode
   (lower/library_lib25.conv2d); it had no rule unless the mode was a constant.
4. ``np.nanvar(a, where=m)`` / ``np.nanstd``: of ``np.where(m, a, nan)`` (what NumPy skips
   alike; lower/library_np.var_correction); the signature had no `where`.
5. ``d = {"w": u}; d["w"][0] = v`` / ``lst = [u, w]; lst[0][1:] -= v`` then `u` read: the item
   is `u`'s array, so later reads in the block read the written value (passes/slot_writes.py);
   a write in a branch or loop, into an argument, or seen through an array `u` is a view of,
   stays with the mutation check (refused).
6. ``np.piecewise(x, x > 0, [f, g])``: one bare 1-D condition is NumPy's ``[x > 0]``
   (lower/numpy_fns.piecewise, a run-time check that it is 1-D and `x` no 0-d array).
7. ``od.move_to_end(k, last=False)`` of a local OrderedDict used as a dict: `k` popped and set
   again, then every other key moved behind it in order (lower/ordereddicts.py).
8. ``rng.permutation(x)`` / ``rng.shuffle(x)`` of an array, `rng` made in the function: a fixed
   gather by rows drawn as NumPy draws them (lower/permutes.py, rules/permutations.py); a
   generator passed in, or a shuffled list, stays refused.
9. ``V(*(x[i] * 2.0 for i in range(3)))``: a comprehension over a range of constant bounds
   spread into a call is the tuple display of its items (lower/starcomps.py); over a sequence
   of unknown length it stays refused.
"""

from __future__ import annotations

import collections

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads
from tests.soundness.numeric import check_scalar

X = np.array([0.5, -1.2, 0.8, 2.0])


def _both(f, *args):
    check_grads(f, args, modes=("fwd", "rev"))


# -- 1. writing the current entry of a dict of arrays while iterating its items -----------------
def items_rewrite(x):
    m = {"a": x * 1.0, "b": np.sin(x)}
    for k, v in m.items():
        m[k] = v + 0.1 * x
    return np.sum(m["a"] * m["b"])


def items_rewrite_twice(x):
    u = x * 1.0
    m = {"a": u, "b": u, "c": x**2}  # one array under two keys: rebinding leaves it alone
    for k, v in m.items():
        m[k] = v * 2.0 + np.cos(x)
    return np.sum(m["a"] * m["b"] * m["c"])


def values_copy_then_rebind(x):
    d = {"a": x * 1.0, "b": x * 2.0}
    vals = list(d.values())
    d["a"] = x * 3.0  # the copy keeps the old array
    return np.sum(vals[0] * d["a"] + vals[1])


@pytest.mark.parametrize("f", [items_rewrite, items_rewrite_twice, values_copy_then_rebind])
def test_dict_entries_rewritten_while_iterating(f):
    _both(f, X)
    check_scalar(f, X)


def items_copy_element_updated(x):
    d = {"a": x * 1.0, "b": x * 2.0}
    items = list(d.items())
    d["a"][0] = 5.0  # the array the copy holds changes too
    return np.sum(items[0][1])


def values_copy_element_iadd(x):
    d = {"a": x * 1.0, "b": x * 2.0}
    vals = tuple(d.values())
    d["a"] *= 2.0  # in place: vals[0] is that array
    return np.sum(vals[0])


def values_view_then_rebind(x):
    d = {"a": x * 1.0, "b": x * 2.0}
    vals = d.values()  # a live view: Python sees the new entry
    d["a"] = x * 3.0
    return np.sum(sum(vals))


@pytest.mark.parametrize(
    "f", [items_copy_element_updated, values_copy_element_iadd, values_view_then_rebind]
)
def test_dict_copies_whose_arrays_change_stay_refused(f):
    with pytest.raises(srcad.SrcadError, match="is read after the object it shares"):
        srcad.grad(f)(X)


# -- 2. a `:=` in a comprehension read after it, with no value before -----------------------------
def walrus_last(x):
    [y := np.sin(v) * 2.0 for v in x]
    return y * x[0]


def walrus_filtered(x):
    ys = [(y := np.sin(v)) * 2.0 for v in x if v > 0]
    return y + sum(ys)  # the condition runs first: `y` is bound only for the kept items


def walrus_in_loop(x):
    tot = 0.0
    for i in range(2):
        zs = [(y := v * (i + 1.0)) for v in x]
        tot = tot + y * zs[0]
    return tot


def walrus_max(x):
    return max((y := v * v) for v in x) + y


@pytest.mark.parametrize("f", [walrus_last, walrus_filtered, walrus_in_loop, walrus_max])
def test_walrus_read_after_its_comprehension(f):
    _both(f, X)
    check_scalar(f, X)


def walrus_any(x):
    any((y := v * 2.0) > 0.5 for v in x)  # Python stops at the first true item
    return y * 3.0


def test_walrus_in_a_generator_stopping_early_stays_refused():
    with pytest.raises(srcad.SrcadError, match="runs its items when it is consumed"):
        srcad.grad(walrus_any)(X)


# -- 3. scipy.signal.correlate2d with a mode known only when running -----------------------------
K = np.array([[1.0, 2.0], [0.5, -1.0], [0.2, 0.1]])


def conv_modes_in_a_loop(x):
    from scipy import signal

    a = np.outer(x, x[:3])
    k = K * x[0]
    s = 0.0
    for mode in ("full", "same", "valid"):  # `mode` is no constant when lowering
        s = s + np.sum(signal.correlate2d(a, k, mode=mode) ** 2)
        s = s + np.sum(signal.correlate2d(k, a, mode) ** 2)
        s = s + np.sum(signal.convolve2d(a, k, mode=mode) ** 2)
    return s


def correlate_mode_argument(x, mode="same"):
    from scipy import signal

    return np.sum(np.tanh(signal.correlate2d(np.outer(x, x), K * x[1], mode=mode)))


@pytest.mark.parametrize("f", [conv_modes_in_a_loop, correlate_mode_argument])
def test_correlate2d_mode_not_constant(f):
    pytest.importorskip("scipy")
    _both(f, X)
    check_scalar(f, X)


# -- 4. np.nanvar / np.nanstd with where= ----------------------------------------------------------
MASK = np.array([[True, False, True, True], [True, True, False, True], [False, True, True, True]])


def nanvar_where(x):
    m = np.array([True, False, True, True])
    return np.nanvar(x, where=m) + np.nanstd(x, where=m)


def nanvar_where_axis(x):
    a = np.outer(np.array([1.0, 2.0, 0.5]), x)
    a[0, 3] = np.nan  # NaN and left out by the mask alike
    v = np.nanvar(a, axis=1, where=MASK, ddof=1)
    return np.sum(v) + np.sum(np.nanstd(a, axis=0, where=MASK, keepdims=True) ** 2)


def nanstd_where_of_x(x):
    return np.nanstd(x, where=x > 0, correction=1)


@pytest.mark.parametrize("f", [nanvar_where, nanvar_where_axis, nanstd_where_of_x])
def test_nanvar_nanstd_where(f):
    assert srcad.primal(f)(X.copy()) == pytest.approx(f(X.copy()), rel=1e-14)
    _both(f, X)
    check_scalar(f, X)


# -- 5. an array written through the literal container holding it, read by its own name ---------
def dict_slot_write(x):
    u = np.sin(x)
    d = {"w": u, "k": 2}
    d["w"][0] = x[1] * 3.0  # `u` is that array
    return np.sum(np.tanh(u)) + np.sum(d["w"])


def list_slot_slice_isub(x):
    u = x * 1.0
    w = x * 2.0
    lst = [u, w]
    lst[0][1:] -= x[:-1]
    return np.sum(u * u) + np.sum(w)


def dict_slot_iadd_other_name(x):
    u = x * 1.0
    b = u
    d = {"w": u}
    d["w"][0] += x[1] ** 2
    return np.sum(b**2)


def dict_slot_row_of_matrix(x):
    a = np.outer(x, x)
    d = {"a": a}
    d["a"][1] = x * 5.0
    return np.sum(a**2)


def slot_write_read_by_closure_and_view(x):
    u = x * 1.0
    v = u[1:]

    def h():
        return np.sum(u**2)

    d = {"w": u}
    d["w"][2] = x[3] * 2.0
    return h() + np.sum(v * x[1:])


@pytest.mark.parametrize(
    "f",
    [
        dict_slot_write,
        list_slot_slice_isub,
        dict_slot_iadd_other_name,
        dict_slot_row_of_matrix,
        slot_write_read_by_closure_and_view,
    ],
)
def test_write_through_a_literal_container(f):
    assert srcad.primal(f)(X.copy()) == pytest.approx(f(X.copy()), rel=1e-14)
    _both(f, X)
    check_scalar(f, X)


def slot_write_in_branch(x):
    u = x * 1.0
    d = {"w": u}
    if x[0] > 0:
        d["w"][0] = 3.0
    return np.sum(u)


def slot_write_in_loop(x):
    u = x * 1.0
    d = {"w": u}
    for i in range(2):
        d["w"][i] = x[i + 1] ** 2
    return np.sum(u**2)


def slot_write_into_argument(x):
    d = {"w": x}
    d["w"][0] = 1.0  # the caller's array
    return np.sum(x**2)


def slot_write_seen_by_the_base(x):
    a = np.outer(x, x)
    u = a[0]
    d = {"w": u}
    d["w"][1] = 5.0 * x[0]
    return np.sum(a**2)


@pytest.mark.parametrize(
    "f",
    [
        slot_write_in_branch,
        slot_write_in_loop,
        slot_write_into_argument,
        slot_write_seen_by_the_base,
    ],
)
def test_writes_through_containers_left_to_the_mutation_check(f):
    with pytest.raises(srcad.SrcadError, match="modified"):
        srcad.grad(f)(X.copy())


# -- 6. np.piecewise with one bare condition -------------------------------------------------------
def piecewise_bare(x):
    return np.sum(np.piecewise(x, x > 0, [lambda t: t**2, lambda t: -t]))


def piecewise_bare_one_function(x):
    return np.sum(np.piecewise(x, x > 0.35, [lambda t: np.sin(t)]))


def piecewise_bare_list_mask(x):
    m = [True, False, True, False]
    return np.sum(np.piecewise(x, m, [lambda t: t**3, lambda t: t * 2.0]))


@pytest.mark.parametrize(
    "f", [piecewise_bare, piecewise_bare_one_function, piecewise_bare_list_mask]
)
def test_piecewise_bare_condition(f):
    assert srcad.primal(f)(X.copy()) == pytest.approx(f(X.copy()), rel=1e-14)
    _both(f, X)
    check_scalar(f, X)


def piecewise_bare_2d(x):
    a = np.outer(x, x)  # NumPy reads the rows of a 2-D mask as four conditions
    return np.sum(np.piecewise(a, a > 0, [lambda t: t**2, 0.5]))


def test_piecewise_bare_2d_condition_is_refused_when_it_runs():
    with pytest.raises(srcad.SrcadError, match="not a 1-D mask"):
        srcad.grad(piecewise_bare_2d)(X.copy())


# -- 7. OrderedDict.move_to_end(k, last=False) -----------------------------------------------------
def od_move_to_front(x):
    od = collections.OrderedDict()
    od["a"] = x
    od["b"] = x * 2.0
    od["c"] = np.sin(x)
    od.move_to_end("c", last=False)
    vals = list(od.values())  # c, a, b
    return np.sum(vals[0] * x + vals[1] * vals[2] ** 2)


def od_recent_first_cache(x):
    cache = collections.OrderedDict()
    tot = 0.0
    for i, k in enumerate(["p", "q", "p", "r", "q"]):
        if k in cache:
            cache.move_to_end(k, last=False)
            tot = tot + np.sum(cache[k] * x)
        else:
            cache[k] = x * (i + 1.0)
        if len(cache) > 2:
            cache.popitem()  # the newest: not the one just moved to the front
        first = list(cache)[0]
        tot = tot + np.sum(cache[first] ** 2) * (i + 1)
    return tot


@pytest.mark.parametrize("f", [od_move_to_front, od_recent_first_cache])
def test_ordereddict_move_to_front(f):
    assert srcad.primal(f)(X.copy()) == pytest.approx(f(X.copy()), rel=1e-14)
    _both(f, X)
    check_scalar(f, X)


def od_move_missing_key(x):
    od = collections.OrderedDict()
    od["a"] = x
    od.move_to_end("b", last=False)
    return np.sum(od["a"])


def test_ordereddict_move_of_a_missing_key_raises_keyerror():
    with pytest.raises(KeyError):
        srcad.grad(od_move_missing_key)(X.copy())


# -- 8. rng.permutation(x) / rng.shuffle(x) with a generator made in the function ---------------
def permutation_1d(x):
    rng = np.random.default_rng(0)
    return np.sum(rng.permutation(x) * np.arange(4.0)) + rng.normal()


def shuffle_local(x):
    rng = np.random.default_rng(0)
    y = x * 1.0
    rng.shuffle(y)
    return np.sum(y * np.arange(4.0) * y[0])


def permutation_2d_legacy(x):
    rng = np.random.RandomState(3)
    a = np.outer(x, x[:3])
    p = rng.permutation(a)  # the rows, shuffled
    z = rng.standard_normal()  # the generator where NumPy leaves it
    return np.sum(p * np.arange(12.0).reshape(4, 3)) * z


def permutation_in_a_loop(x):
    rng = np.random.default_rng(1)
    tot = 0.0
    for i in range(3):
        tot = tot + np.sum(rng.permutation(x)[:2] ** 2 * (i + 1.0))
    idx = rng.permutation(4)  # of an int: NumPy's value
    return tot + np.sum(x[idx] * np.arange(4.0))


@pytest.mark.parametrize(
    "f", [permutation_1d, shuffle_local, permutation_2d_legacy, permutation_in_a_loop]
)
def test_permutations_of_a_generator_made_here(f):
    assert srcad.primal(f)(X.copy()) == f(X.copy())  # the same draws, bit for bit
    _both(f, X)
    check_scalar(f, X)


def permutation_float32_values(x):
    rng = np.random.default_rng(5)
    y = np.sin(x).astype(np.float32)
    rng.shuffle(y)
    return float(np.sum(y * np.arange(4.0)))


def test_shuffle_of_float32_draws_as_numpy():
    assert srcad.primal(permutation_float32_values)(X.copy()) == permutation_float32_values(X)


def permutation_of_generator_passed_in(x, rng):
    return np.sum(rng.permutation(x) * np.arange(4.0))


def shuffle_of_a_list(x):
    rng = np.random.default_rng(0)
    ys = [x[0], x[1], x[2]]
    rng.shuffle(ys)
    return ys[0] * 2.0 + ys[1]


def test_permutations_left_refused():
    with pytest.raises(srcad.SrcadError, match="permutation"):
        srcad.grad(permutation_of_generator_passed_in)(X.copy(), np.random.default_rng(0))
    with pytest.raises(srcad.SrcadError, match="of a list"):
        srcad.grad(shuffle_of_a_list)(X.copy())


# -- 9. a comprehension over a constant range spread into a call ----------------------------------
class _Vec:
    def __init__(self, *cs):
        self.cs = cs

    def norm2(self):
        return sum(c * c for c in self.cs)


def star_generator_into_class(x):
    return _Vec(*(x[i] * 2.0 for i in range(3))).norm2()


def star_list_comp_into_calls(x):
    h = np.hypot(*[x[i] ** 2 for i in range(1, 3)])
    return h + max(*(np.sin(x[j]) for j in range(0, 4, 2)))


def star_loop_name_shadows(x):
    i = 10  # the comprehension's `i` is its own
    t = tuple(x)
    r = np.stack([*(x * k for k in range(2))])
    return _Vec(*(t[i] for i in range(4))).norm2() + i + np.sum(r)


@pytest.mark.parametrize(
    "f", [star_generator_into_class, star_list_comp_into_calls, star_loop_name_shadows]
)
def test_comprehension_over_constant_range_spread_into_a_call(f):
    assert srcad.primal(f)(X.copy()) == pytest.approx(f(X.copy()), rel=1e-14)
    _both(f, X)
    check_scalar(f, X)


def star_generator_of_unknown_length(x):
    return _Vec(*(v * 2.0 for v in x)).norm2()


def test_spread_of_unknown_length_stays_refused():
    with pytest.raises(srcad.SrcadError, match="known length"):
        srcad.grad(star_generator_of_unknown_length)(X.copy())
