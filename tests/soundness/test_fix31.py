"""Session 31 (fix31): soundness gaps the last session left open.

- A ``defaultdict`` (or a ``dict`` subclass whose ``__missing__`` stores the key) that reaches
  the function as an argument, from a helper, out of a list or an object's field: an unused
  read of a missing key was dropped (DCE), so ``len(d)`` afterwards was short of Python's by
  one; and ``len(d)`` / ``k in d`` / ``d.keys()`` after such a read were merged with the same
  read before it (CSE), also for the local defaultdicts last session's fix covered. Reads of a
  container whose type is not known before it runs are now kept and are a barrier to merging
  what reads the container (passes/missing_keys.py, passes/cse.py); ``d.get`` and Counter's
  reads stay pure. An argument whose class's own ``__missing__`` answers without storing is
  refused (its reads of one key may be merged).
- ``a = a0.copy(); a += x`` with `a0` (1, 3) and `x` (2, 3) (also ``-=``, ``*=``, ``/=``, in a
  loop, ``a = np.zeros(n)`` with ``n == 1``): NumPy raises ValueError (an in-place op cannot
  grow its target); srcad broadcast `a`. Only a length-1 axis the code made visibly was
  checked; now every array ``op=`` whose operand is no number is checked when it runs
  (`_srcad.inplace_cast`, ad/inplace_dtypes._grows) unless the target's shape was broadcast
  with the operand already (``s = x + y; s -= x``) or is a constant without a 1.
- A generator, ``map`` or comprehension whose items read a module-level object, consumed while
  the loop calls something that updates it through a call not by name (a method ``b.bump()``,
  a bound method ``f = b.bump; f()``, ``OPS["bump"]()``, a lambda in a dict, a
  ``functools.partial``, ``getattr(b, "bump")()``), or whose generator reads it through a
  method (``SCALER.scale()``): srcad computed the items before the loop (12.0 for Python's
  34.0). lower/gencalls.py now resolves such calls (or says it cannot: refused).
- passes/inplace_ops' float64 facts (not passes/ranks.py's "inexact"): float32, float16 and
  long double arrays take no in-place rewrite (checked); but a reduction given a dtype
  constant (``np.sum(x, 0, "float32")``) was a float64 fact (any constant operand of a
  reduction passed): only axis/keepdims constants pass now.
- Second order: an int argument of a helper (``np.arange(window)``) saved in its reverse
  sweep's residuals tuple was read back as differentiated (the tuple is one value for the
  activity analysis), so ``np.polyfit(np.arange(window), y, 2)`` in a helper was refused at
  second order (corpus savgol_roughness). Such an item is checked when it runs instead
  (``no_float``: an integer array carries no derivative, a float one is refused).
"""

from __future__ import annotations

import collections
import copy
import functools
from collections import defaultdict

import numpy as np
import pytest

import srcad


def _check(fn, make):
    """value/grad/jvp/vjp of `fn` at `make()` against Python's value and slope (linear in x)."""
    args = make()
    want = fn(*args)
    slope = want / args[0]
    args = make()
    val, g = srcad.value_and_grad(fn)(*args)
    assert (val, g) == pytest.approx((want, slope))
    args = make()
    assert srcad.primal(fn)(*args) == pytest.approx(want)
    args = make()
    _, t = srcad.jvp(fn, args, (1.0, *(None for _ in args[1:])))
    assert t == pytest.approx(slope)
    args = make()
    out, pull = srcad.vjp(lambda x: fn(x, *args[1:]), args[0])
    assert (out, pull(1.0)[0]) == pytest.approx((want, slope))


# --- 1. reads of a dict that may insert the key ------------------------------------------


def read_argument(x, d):
    d[5]
    return len(d) * x


def _make_dd():
    return defaultdict(list)


def read_helper_result(x):
    d = _make_dd()
    d[0].append(x)
    d[5]
    return len(d) * x


BOX = [defaultdict(float)]


def read_list_item(x, ds):
    d = ds[0]
    d[5]
    return len(d) * x


def read_global_item(x):
    d = BOX[0]
    d[7]
    return len(d) * x


class Acc:
    def __init__(self):
        self.d = defaultdict(float)

    def count(self, x):
        self.d[9]
        return len(self.d) * x


def read_field(x):
    return Acc().count(x)


def len_before_and_after(x):
    d = defaultdict(list)
    d[0].append(2 * x)
    a = len(d)
    d[5]
    return (len(d) - a + 1) * d[0][0]


def membership_before_and_after(x, d):
    a = 5 in d
    d[5]
    return (float(a) + float(5 in d) + 1.0) * x


def keys_before_and_after(x, d):
    n = len(list(d.keys()))
    d[9]
    return (len(list(d.keys())) - n + 1) * x


def reads_in_a_loop(x, d):
    n = len(d)
    for i in range(3):
        d[i]
        n = n + len(d)
    return n * x


def local_updated_in_a_loop(x):
    d = defaultdict(float)
    for i in range(3):
        d[i % 2] += x
    d[7]
    return len(d) * d[0]


class Storing(dict):
    def __missing__(self, k):
        self[k] = 0.0
        return 0.0


@pytest.mark.parametrize(
    "fn, make",
    [
        (read_argument, lambda: (2.0, defaultdict(list, {0: [1]}))),
        (read_argument, lambda: (2.0, Storing({0: 1.0}))),
        (read_helper_result, lambda: (2.0,)),
        (read_list_item, lambda: (2.0, [defaultdict(float)])),
        (read_global_item, lambda: (BOX.__setitem__(0, defaultdict(float)), 2.0)[1:]),
        (read_field, lambda: (2.0,)),
        (len_before_and_after, lambda: (2.0,)),
        (membership_before_and_after, lambda: (2.0, defaultdict(list))),
        (keys_before_and_after, lambda: (2.0, defaultdict(list))),
        (reads_in_a_loop, lambda: (2.0, defaultdict(list))),
        (local_updated_in_a_loop, lambda: (2.0,)),
    ],
    ids=[
        "argument", "user-missing-argument", "helper", "list-item", "global-item", "field",
        "len-local", "in", "keys", "loop", "local-loop",
    ],
)  # fmt: skip
def test_missing_key_read_inserts(fn, make):
    """On c61b080 each read's insert was lost (DCE) or merged over (CSE): ``read_argument``
    gave 2.0 / slope 1.0 where Python's are 4.0 / 2.0; ``len_before_and_after`` 4.0 for 8.0."""
    _check(fn, make)


def get_no_insert(x, d):
    d.get(5)
    return len(d) * x


def counter_no_insert(x, d):
    d[5]
    return len(d) * x


@pytest.mark.parametrize(
    "fn, make",
    [
        (get_no_insert, lambda: (2.0, defaultdict(list, {0: [1]}))),
        (counter_no_insert, lambda: (2.0, collections.Counter({0: 1}))),
    ],
    ids=["get", "counter"],
)
def test_reads_that_do_not_insert_stay_exact(fn, make):
    _check(fn, make)


def test_a_plain_dicts_unused_read_is_still_dropped():
    """Containers the function builds are known: their unused reads go (DCE as before)."""

    def f(x):
        d = {"a": x}
        d["a"]
        return d["a"] * 2.0

    assert "d['a']\n" not in srcad.source(f, mode="grad", args=(1.0,))


class Counting(dict):
    n = 0

    def __missing__(self, k):
        Counting.n += 1
        return float(Counting.n)


def read_twice(x, d):
    return (d[5] - d[5] + 1.0) * x


def _read_twice_of_global(x):
    return read_twice(x, GLOBAL_COUNTING)


GLOBAL_COUNTING = Counting()


@pytest.mark.parametrize(
    "call",
    [
        lambda: srcad.grad(read_twice)(2.0, Counting()),
        lambda: srcad.grad(_read_twice_of_global)(2.0),
    ],
    ids=["argument", "helper-parameter"],
)
def test_user_missing_without_store_refused(call):
    """grad 1.0 on c61b080 where Python's slope is 0.0 (its two reads answer 1.0 then 2.0)."""
    with pytest.raises(srcad.SrcadError, match="without storing it") as e:
        call()
    assert "test_fix31.py:" in str(e.value)


def test_deepcopy_helper_unchanged():
    """(a copy of a defaultdict argument made in the function is still an unknown container)"""

    def f(x, d):
        e = copy.deepcopy(d)
        e[3]
        return len(e) * x + np.float64(len(d))

    _check(f, lambda: (2.0, defaultdict(list)))


def keys_in_a_checkpointed_loop(x, d):
    s = 0.0
    for i in srcad.checkpoint_loop(range(4), every=2):
        d[i]
        s = s + len(d) * x * x
    return s


@srcad.checkpoint
def _step_reading_keys(s, x, d, i):
    d[i]
    return s + len(d) * x * x


def keys_in_a_checkpointed_function(x, d):
    s = 0.0
    for i in range(4):
        s = _step_reading_keys(s, x, d, i)
    return s


@pytest.mark.parametrize("fn", [keys_in_a_checkpointed_loop, keys_in_a_checkpointed_function])
def test_recomputed_key_reads_refused(fn):
    """With its reads kept (above), a checkpointed body reading ``len(d)`` is run again in the
    reverse sweep when `d` holds all four keys: slope 64.0 where Python's is 40.0 (c61b080
    dropped the reads: value 0.0). Refused now (missing_keys.refuse_recomputed)."""
    assert fn(2.0, defaultdict(list)) == 40.0
    with pytest.raises(srcad.SrcadError, match="reads the keys of a dict") as e:
        srcad.value_and_grad(fn)(2.0, defaultdict(list))
    assert "test_fix31.py:" in str(e.value)


@srcad.checkpoint
def _step_of_an_array(s, x, i):
    return s + x[i] * x[i] * len(x)


def len_of_an_array_checkpointed(x):
    s = 0.0
    for i in srcad.checkpoint_loop(range(4), every=2):
        s = _step_of_an_array(s, x, i) + x[i] * len(x)
    return s


def test_recomputed_len_of_an_array_still_taken():
    x = np.arange(4.0)
    val, g = srcad.value_and_grad(len_of_an_array_checkpointed)(x.copy())
    assert val == pytest.approx(len_of_an_array_checkpointed(x.copy()))
    np.testing.assert_allclose(g, 8.0 * x + 4.0)


# --- 2. ``a op= v`` that would grow an array whose length-1 axis comes from an argument -----


def grow_add(x, a0):
    a = a0.copy()
    a += x
    return np.sum(a * x)


def grow_sub(x, a0):
    a = a0.copy()
    a -= x
    return np.sum(a * x)


def grow_mul(x, a0):
    a = a0.copy()
    a *= x
    return np.sum(a * x)


def grow_div(x, a0):
    a = a0.copy()
    a /= x
    return np.sum(a * x)


def grow_out(x, a0):
    a = a0.copy()
    np.add(a, x, out=a)
    return np.sum(a * x)


def grow_in_a_loop(x, a0):
    a = a0.copy()
    for i in range(2):
        a += x[i]
    return np.sum(a)


def grow_zeros_n(x, n):
    a = np.zeros(n)
    a += x
    return np.sum(a * x)


_X23 = np.arange(6.0).reshape(2, 3) + 1.0


@pytest.mark.parametrize(
    "fn, args",
    [
        (grow_add, (_X23, np.ones((1, 3)))),
        (grow_sub, (_X23, np.ones((1, 3)))),
        (grow_mul, (_X23, np.ones((1, 3)))),
        (grow_div, (_X23, np.ones((1, 3)))),
        (grow_out, (_X23, np.ones((1, 3)))),
        (grow_in_a_loop, (np.ones((2, 2, 3)), np.ones((1, 3)))),
        (grow_zeros_n, (_X23[0], 1)),
    ],
    ids=["add", "sub", "mul", "div", "out", "loop", "zeros-n"],
)
def test_inplace_op_cannot_grow_its_target(fn, args):
    """On c61b080 primal and grad broadcast `a` to (2, 3) (primal 112.0 for `grow_add`) where
    NumPy raises ValueError."""
    with pytest.raises(ValueError):
        fn(*copy.deepcopy(args))
    with pytest.raises(ValueError):
        srcad.primal(fn)(*copy.deepcopy(args))
    with pytest.raises(ValueError):
        srcad.grad(fn)(*copy.deepcopy(args))
    with pytest.raises(ValueError):
        srcad.jvp(fn, copy.deepcopy(args), (np.ones_like(args[0]), None))


@pytest.mark.parametrize("a0", [np.ones((2, 3)), np.ones((1, 3))], ids=["same", "broadcast-v"])
def test_inplace_op_that_fits_is_unchanged(a0):
    """The same programs where `a` holds the result (NumPy's in-place op runs): numeric checks."""

    def f(x, a0):
        a = a0.copy()
        a += x[:1] * 2.0
        a *= x[1:]
        return np.sum(a * x)

    x = _X23.copy()
    val, g = srcad.value_and_grad(f)(x.copy(), a0.copy())
    assert val == pytest.approx(f(x.copy(), a0.copy()))
    eps = 1e-6
    fd = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        e = np.zeros_like(x)
        e[i] = eps
        fd[i] = (f(x + e, a0.copy()) - f(x - e, a0.copy())) / (2 * eps)
    np.testing.assert_allclose(g, fd, rtol=1e-6)


# --- 3. generators and lazy iterators: calls not by name that update what they read --------

STATE = [1.0]


def _gen(n):
    for k in range(n):
        yield STATE[0] * (k + 1)


def _bump():
    STATE[0] = STATE[0] * 2.0


def _bump_by(c):
    STATE[0] = STATE[0] * c


class Bumper:
    def bump(self):
        STATE[0] = STATE[0] * 2.0


class Scaler:
    def scale(self):
        return STATE[0]

    def peek(self):
        return 1.0


SCALER = Scaler()
OPS = {"bump": _bump}


def gen_method_call(x):
    b = Bumper()
    s = 0.0
    for v in _gen(3):
        s += v * x
        b.bump()
    return s


def gen_bound_method(x):
    b = Bumper()
    f = b.bump
    s = 0.0
    for v in _gen(3):
        s += v * x
        f()
    return s


def gen_dict_of_functions(x):
    s = 0.0
    for v in _gen(3):
        s += v * x
        OPS["bump"]()
    return s


def gen_dict_of_lambdas(x):
    ops = {"bump": lambda: _bump_by(2.0)}
    s = 0.0
    for v in _gen(3):
        s += v * x
        ops["bump"]()
    return s


def gen_partial(x):
    g = functools.partial(_bump_by, 2.0)
    s = 0.0
    for v in _gen(3):
        s += v * x
        g()
    return s


def gen_getattr(x):
    b = Bumper()
    s = 0.0
    for v in _gen(3):
        s += v * x
        getattr(b, "bump")()  # noqa: B009 (the form under test)
    return s


def map_then_method(x):
    b = Bumper()
    m = map(lambda k: STATE[0] * (k + 1), range(3))
    s = 0.0
    for v in m:
        s += v * x
        b.bump()
    return s


def comprehension_calling_method(x):
    b = Bumper()
    return sum([v * x + (b.bump() or 0.0) for v in _gen(3)])


def _gen_via_method(n):
    for k in range(n):
        yield SCALER.scale() * (k + 1)


def gen_reading_through_a_method(x):
    s = 0.0
    for v in _gen_via_method(3):
        s += v * x
        STATE[0] = STATE[0] * 2.0
    return s


class Holder:
    def __init__(self, ref):
        self.ref = ref

    def bump(self):
        self.ref[0] = self.ref[0] * 2.0


HOLDER = Holder(STATE)


def gen_method_of_a_global_holding_it(x):
    s = 0.0
    for v in _gen(3):
        s += v * x
        HOLDER.bump()
    return s


@pytest.mark.parametrize(
    "fn",
    [
        gen_method_call, gen_bound_method, gen_dict_of_functions, gen_dict_of_lambdas,
        gen_partial, gen_getattr, map_then_method, comprehension_calling_method,
        gen_reading_through_a_method, gen_method_of_a_global_holding_it,
    ],
)  # fmt: skip
def test_lazy_items_and_calls_not_by_name_refused(fn):
    """On c61b080 value 12.0 and slope 6.0 where Python's are 34.0 and 17.0: the items were
    computed before the loop, whose calls (a method, a bound method, an item of a dict, a
    partial, getattr) doubled STATE between Python's items; such calls were not followed."""
    STATE[0] = 1.0
    assert fn(2.0) == 34.0
    STATE[0] = 1.0
    with pytest.raises(srcad.SrcadError) as e:
        srcad.value_and_grad(fn)(2.0)
    assert "test_fix31.py:" in str(e.value)
    STATE[0] = 1.0


def calls_that_update_nothing(x):
    acc = []
    sc = Scaler()
    s = 0.0
    for v in _gen(3):
        s += v * x + np.sin(x) * 0.0
        acc.append(v)
        sc.peek()
        SCALER.peek()
    return s + len(acc)


def test_lazy_items_with_harmless_calls_still_taken():
    STATE[0] = 1.0
    val, g = srcad.value_and_grad(calls_that_update_nothing)(2.0)
    assert (val, g) == pytest.approx((calls_that_update_nothing(2.0), 6.0 + np.cos(2.0) * 0.0))


# --- 4. passes/inplace_ops' float64 facts ---------------------------------------------------


def _reduce_with_dtypes(x):
    t = np.sum(x, 0, "float32")
    u = np.mean(x, 0, "float16")
    w = np.sum(x, axis=0)
    return t, u, w


def test_reduction_with_a_dtype_constant_is_no_float64_fact():
    """On c61b080 `_float64_values` (`float64_values` now) took ``np.sum(x, 0, "float32")`` for
    a float64 value (any constant operand of a reduction passed, a dtype too): an in-place
    rewrite writing a float64 result into it would round it to float32. Only axis/keepdims
    constants pass now."""
    from srcad.passes.inplace_ops import float64_values
    from srcad.passes.prepare import lowered

    fn = lowered(_reduce_with_dtypes)
    facts = float64_values(fn)
    made = {op.prim + str(len(op.args)): op.results[0] for op in ssa_ops(fn) if op.results}
    assert facts.get(made["numpy.sum3"]) is None
    assert facts.get(made["numpy.sum1"]) is True  # (axis=0: still float64)


def ssa_ops(fn):
    from srcad.ssa.core import walk_ops

    return list(walk_ops(fn.body))


def _dead_buffer(x):
    t = np.sum(x, axis=0)
    u = t + x[0]
    return np.sum(u * x[1])


@pytest.mark.parametrize("dt", [np.float32, np.float16, np.longdouble], ids=str)
def test_no_inplace_rewrite_for_other_float_dtypes(dt):
    """The float64 program takes ``np.add(t, x[0], out=t)``; arrays of other dtypes none, and
    the value and its dtype are Python's."""
    x = np.cos(np.arange(12.0)).reshape(3, 4)
    assert "out=t" in srcad.source(_dead_buffer, mode="grad", args=(x,))
    a = x.astype(dt)
    assert "out=" not in srcad.source(_dead_buffer, mode="grad", args=(a,))
    val, g = srcad.value_and_grad(_dead_buffer)(a.copy())
    want = _dead_buffer(a.copy())
    assert type(val) is type(want) and val == want
    assert g.dtype == dt
    assert srcad.primal(_dead_buffer)(a.copy()) == want


# --- 5. second order: an integer item of a callee's residuals taken as differentiated -------


def _smooth(y, window=5, deg=2):
    half = window // 2
    t = np.arange(-half, half + 1)
    out = y.copy()
    for i in range(half, len(y) - half):
        coeffs = np.polyfit(t, y[i - half : i + half + 1], deg)
        out[i] = np.polyval(coeffs, 0)
    return out


def smoothed_energy(y):
    return np.sum(_smooth(y) ** 2) + np.sum(np.sin(y) * y)


def test_integer_residual_of_a_callee_at_second_order():
    """On c61b080 the Hessian was refused: `np.arange(window)` (the callee's int argument), saved
    in its reverse sweep's residuals tuple with the inputs, was read back as differentiated
    (the tuple is one value for the activity analysis) and ``polyfit_vjp`` has no derivative
    in `x`. Such an item is now checked when it runs (``no_float``: an integer array carries
    no derivative) and the Hessian matches differences of the gradient."""
    y = np.cos(np.arange(9.0) * 0.7) + 0.1 * np.arange(9.0)
    h = srcad.hessian(smoothed_energy)(y.copy())
    grad = srcad.grad(smoothed_energy)
    eps = 1e-5
    fd = np.array([(grad(y + eps * e) - grad(y - eps * e)) / (2 * eps) for e in np.eye(9)])
    np.testing.assert_allclose(h, fd, rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(h, h.T, rtol=1e-10, atol=1e-10)


def _smooth_float_t(y, window=5, deg=2):
    half = window // 2
    t = np.arange(-half, half + 1) * 1.0  # (a float array, constant: not from `y`)
    out = y.copy()
    for i in range(half, len(y) - half):
        out[i] = np.polyval(np.polyfit(t, y[i - half : i + half + 1], deg), 0)
    return out


def smoothed_float_t(y):
    return np.sum(_smooth_float_t(y) ** 2)


def test_float_residual_of_a_callee_checked_by_its_tangent():
    """The item a float array: at second order (forward over reverse) its tangent is checked
    to be zero when the code runs (refuse32b; it was refused), so the Hessian is computed."""
    y = np.cos(np.arange(9.0) * 0.7)
    grad = srcad.grad(smoothed_float_t)
    h = srcad.hessian(smoothed_float_t)(y.copy())
    eps = 1e-5
    fd = np.array([(grad(y + eps * e) - grad(y - eps * e)) / (2 * eps) for e in np.eye(9)])
    np.testing.assert_allclose(h, fd, rtol=1e-6, atol=1e-6)
