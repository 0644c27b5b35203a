"""Soundness fixes of session 30's hunt30a: Python semantics in differentiated code.
Input: small functions written like users' code; output: assertions against Python and central
differences (tests/soundness/numeric.py), or the refusal srcad should give."""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from tests.soundness.numeric import check_scalar

X = np.array([0.73, 0.218, -0.437, 1.1213, -0.9371, 0.3521])


# -- a generator the body of a `for` loop changes: its body reads an enclosing variable --------
# srcad computes a generator's items before the loop; Python runs its body item by item, after
# the loop body has rebound or updated what it reads (wrong values before the fix)


def gen_reads_rebound(x):
    c = x[0]

    def gen(n):
        for k in range(n):
            yield c * (k + 1)

    s = 0.0
    for v in gen(3):
        s += v
        c = c * x[1]
    return s


def gen_reads_updated(x):
    c = [x[0]]

    def gen(n):
        for k in range(n):
            yield c[0] * (k + 1)

    s = 0.0
    for v in gen(3):
        s += v
        c[0] = c[0] * 2
    return s


def gen_enumerated(x):
    c = x[0]

    def gen(n):
        for k in range(n):
            yield c * (k + 1)

    s = 0.0
    for i, v in enumerate(gen(3)):
        s += v * (i + 1)
        c = c * x[1]
    return s


def gen_through_helper(x):
    c = [x[0]]

    def val(k):
        return c[0] * k

    def gen(n):
        for k in range(n):
            yield val(k + 1)

    s = 0.0
    for v in gen(3):
        s += v
        c[0] = c[0] * 2
    return s


def _gen_loop_helper(x, c):
    def gen(n):
        for k in range(n):
            yield c * (k + 1)

    s = 0.0
    for v in gen(3):
        s += v
        c = c * x[1]
    return s


def gen_in_inlined_helper(x):
    return _gen_loop_helper(x, x[0]) * 2


@pytest.mark.parametrize(
    "f", [gen_reads_rebound, gen_reads_updated, gen_enumerated, gen_through_helper,
          gen_in_inlined_helper],
)  # fmt: skip
def test_generator_reading_what_the_loop_changes_is_refused(f):
    with pytest.raises(srcad.SrcadError, match="runs its items when it is consumed"):
        srcad.grad(f)(X.copy())


def gen_reads_unchanged(x):
    c = x[0]

    def gen(n):
        for k in range(n):
            yield c * (k + 1)

    s = 0.0
    for v in gen(3):
        s += v * x[1]
    c = c * 2.0  # after the loop: the generator has run
    return s + c


def test_generator_whose_reads_the_loop_leaves_alone_still_works():
    check_scalar(gen_reads_unchanged, X)


# -- `map(f, xs)` / `(f(k) for k in xs)` given to `zip`/`enumerate` as a loop's iterable, `f` a
# nested function reading what the loop body changes: srcad computes the items before the loop
# (lower/lazygen._check_inner looked at the names the generator itself reads, not `f`'s)


def zip_map_of_def(x):
    c = x[0]

    def f(k):
        return c * k

    s = 0.0
    for v, w in zip(map(f, x[1:4]), x[3:]):
        s += v * w
        c = c * 2
    return s


def enumerate_genexpr_of_def(x):
    c = x[0]

    def f(k):
        return c * k

    s = 0.0
    for i, v in enumerate(f(k) for k in x[1:4]):
        s += v * (i + 1)
        c = c * 2
    return s


def enumerate_map_of_updated(x):
    c = [x[0]]

    def f(k):
        return c[0] * k

    s = 0.0
    for i, v in enumerate(map(f, x[1:4])):
        s += v * (i + 1)
        c[0] = c[0] * 2
    return s


@pytest.mark.parametrize("f", [zip_map_of_def, enumerate_genexpr_of_def, enumerate_map_of_updated])
def test_lazy_iterable_calling_a_closure_the_loop_changes_is_refused(f):
    with pytest.raises(srcad.SrcadError, match="computes its items before the loop runs"):
        srcad.grad(f)(X.copy())


def map_of_def_stored(x):
    c = x[0]

    def f(k):
        return c * k

    m = map(f, x[1:4])
    c = x[4] * 3  # Python's `f` reads this `c` when `sum` runs the map
    return sum(m)


def test_stored_map_of_a_closure_still_reads_late():
    check_scalar(map_of_def_stored, X)


# -- a generator reading a module-level object the loop over it updates -----------------------
# (directly, or in a module-level helper the loop body calls): srcad computed the items before
# the loop from the old contents, Python after each pass (lower/genglobals.py)

STATE = [1.0]
COUNTS = {"n": 0}
WEIGHTS = [0.5, 1.5, 2.5]


def _state_gen(n):
    for k in range(n):
        yield STATE[0] * (k + 1)


def _counts_gen(n):
    for k in range(n):
        yield COUNTS["n"] + k


def _weights_gen(n):
    for k in range(n):
        yield WEIGHTS[k]


def _double_state():
    STATE[0] = STATE[0] * 2


def loop_updates_state(x):
    s = 0.0
    for v in _state_gen(3):
        s += v * x[0]
        STATE[0] = STATE[0] * 2
    return s


def loop_counts_up(x):
    s = 0.0
    for v in _counts_gen(3):
        s += v * x[0]
        COUNTS["n"] += 10
    return s


def loop_calls_updater(x):
    s = 0.0
    for v in _state_gen(3):
        s += v * x[0]
        _double_state()
    return s


def nested_gen_reads_state(x):
    def gen(n):
        for k in range(n):
            yield STATE[0] * (k + 1)

    s = 0.0
    for i, v in enumerate(gen(3)):
        s += v * x[i]
        STATE[0] = STATE[0] + 1.0
    return s


@pytest.mark.parametrize(
    "f", [loop_updates_state, loop_counts_up, loop_calls_updater, nested_gen_reads_state]
)
def test_generator_reading_a_global_the_loop_updates_is_refused(f):
    with pytest.raises(srcad.SrcadError, match="reads the module-level"):
        srcad.grad(f)(X.copy())


def loop_reads_weights(x):
    s = 0.0
    for v in _weights_gen(3):
        s += v * x[0] ** 2
        STATE[0] = STATE[0]  # another global: the generator does not read it
    return s


def test_generator_reading_a_global_the_loop_leaves_alone_still_works():
    check_scalar(loop_reads_weights, X)


# -- a generator expression or `map` computed before a loop whose body calls a module-level
# helper updating a list the items read: the helper's update was not seen (scope.changed
# knows the loop's own statements only); lazygen._check_inner and closures.check_later now
# compare the module-level objects read and updated, through the functions called


def zip_genexpr_then_helper(x):
    s = 0.0
    for v, w in zip((STATE[0] * k for k in range(3)), x):
        s += v * w
        _double_state()
    return s


def map_lambda_then_helper(x):
    s = 0.0
    for v in map(lambda k: STATE[0] * k, range(3)):
        s += v * x[0]
        _double_state()
    return s


def stored_zip_then_helper(x):
    m = map(lambda k: STATE[0] * k, range(3))
    pairs = zip(m, x)
    _double_state()
    return sum(a * b for a, b in pairs)


@pytest.mark.parametrize(
    "f", [zip_genexpr_then_helper, map_lambda_then_helper, stored_zip_then_helper]
)
def test_lazy_items_read_a_global_a_later_helper_updates_is_refused(f):
    with pytest.raises(srcad.SrcadError, match="`STATE`"):
        srcad.grad(f)(X.copy())


def genexpr_loop_then_helper(x):
    s = 0.0
    for v in (WEIGHTS[k] * STATE[0] for k in range(3)):  # run item by item: Python's order
        s += v * x[0] ** 2
        _double_state()
    return s


def test_interleaved_generator_loop_with_a_helper_update_still_works():
    STATE[0] = 1.0
    val, g = srcad.value_and_grad(genexpr_loop_then_helper)(X.copy())
    STATE[0] = 1.0
    assert np.isclose(val, genexpr_loop_then_helper(X.copy()))
    STATE[0] = 1.0
    np.testing.assert_allclose(g[0], 2 * X[0] * (0.5 + 1.5 * 2 + 2.5 * 4))
    STATE[0] = 1.0


# -- `g = (v for v in STATE[:])` (or `list(STATE)`, `map(f, STATE[:])`) made, then a helper
# updating STATE, then `sum(g)`: Python iterates the copy made first, srcad evaluated the first
# iterable at the read (lazygen's check of it compared the local bindings only)


def copy_then_helper(x):
    g = (v * x[0] for v in STATE[:])
    _double_state()
    return sum(g)


def listed_then_helper(x):
    g = (v * x[0] for v in list(STATE))
    _double_state()
    return sum(g)


def map_copy_then_helper(x):
    g = map(lambda v: v * x[0], STATE[:])
    _double_state()
    return sum(g)


@pytest.mark.parametrize("f", [copy_then_helper, listed_then_helper, map_copy_then_helper])
def test_copied_first_iterable_updated_by_a_helper_before_the_read_is_refused(f):
    with pytest.raises(srcad.SrcadError, match="may be updated between the line that makes"):
        srcad.grad(f)(X.copy())


def live_list_then_helper(x):
    g = (v * x[0] for v in STATE)  # Python's iterator is live: it sees the update too
    _double_state()
    return sum(g)


def test_live_first_iterable_updated_by_a_helper_still_works():
    STATE[0] = 1.0
    val, g = srcad.value_and_grad(live_list_then_helper)(X.copy())
    STATE[0] = 1.0
    assert np.isclose(val, live_list_then_helper(X.copy()))
    STATE[0] = 1.0
    np.testing.assert_allclose(g[0], 2.0)


# -- a comprehension over a generator (a generator function's call, a generator expression,
# `map`) whose element calls a helper updating a global the items read: Python runs the items
# between the element's evaluations, srcad computed them first (genglobals.check_comprehension)


def _bump_state():
    STATE[0] = STATE[0] * 2
    return 0.0


def comp_over_generator_call(x):
    return sum([v * x[0] + _bump_state() for v in _state_gen(3)])


def comp_over_genexpr(x):
    return sum([v * x[0] + _bump_state() for v in (STATE[0] * k for k in range(3))])


def comp_over_map(x):
    return sum([v * x[0] + _bump_state() for v in map(lambda k: STATE[0] * k, range(3))])


@pytest.mark.parametrize("f", [comp_over_generator_call, comp_over_genexpr, comp_over_map])
def test_comprehension_over_a_generator_its_element_updates_is_refused(f):
    with pytest.raises(srcad.SrcadError, match="module-level `STATE` they read"):
        srcad.grad(f)(X.copy())


def _list_of_state():
    return [STATE[0], 2.0 * STATE[0]]


def comp_over_eager_call(x):
    return sum([v * x[0] ** 2 + _bump_state() for v in _list_of_state()])


def test_comprehension_over_an_eager_call_still_works():
    STATE[0] = 1.0
    val, g = srcad.value_and_grad(comp_over_eager_call)(X.copy())
    STATE[0] = 1.0
    assert np.isclose(val, comp_over_eager_call(X.copy()))
    STATE[0] = 1.0
    np.testing.assert_allclose(g[0], 2 * X[0] * 3.0)


# -- an expression statement `cond and xs.append(v)` in a loop after `xs = []` ----------------
# crashed the lowering (AttributeError in lower/mappedseq.py's fold of append loops, reported as
# "internal error"); now the refusal of `.append()` inside an expression


def append_in_and(x):
    acc = []
    for v in x:
        v > 0 and acc.append(v**2)
    return sum(acc)


def append_in_or(x):
    acc = []
    for v in x:
        v > 0 or acc.append(v**2)
    return sum(acc)


@pytest.mark.parametrize("f", [append_in_and, append_in_or])
def test_append_inside_a_boolean_statement_is_a_clean_refusal(f):
    with pytest.raises(srcad.SrcadError, match=r"`\.append\(\)` is supported as a statement"):
        srcad.grad(f)(X.copy())


# -- a value with an infinite local derivative computed before an `if` and read in one branch ---
# the branch not taken gives it an exact zero cotangent, which the reverse sweep multiplied by
# the infinite derivative after the `if`: nan where the function is smooth (ad/branchmasks.py)

XN = np.array([-0.73, 0.218, -0.437, 1.1213, -0.9371, 0.3521])


def sqrt_before_if(x):
    r = np.sqrt(x[0])
    if x[0] < 0:
        y = x[0] * 2
    else:
        y = r
    return y * x[1]


def sqrt_then_ternary(x):
    r = np.sqrt(x[0])
    return r if x[0] > 0 else 2 * x[0]


def pow_nan_test_in_loop(x):
    s = 0.0
    for v in x:
        r = v**0.5
        if np.isnan(r):
            s += v
        else:
            s += r
    return s


def elif_chain_in_loop(x):
    s = 0.0
    for v in x:
        r = np.sin(v**0.5)
        lg = np.log(v)
        if v < -0.5:
            s += v
        elif v < 0:
            s += v**2
        elif v < 1:
            s += r
        else:
            s += lg
    return s


def sqrt_outside_loop(x):
    r = np.sqrt(x[0])
    s = 0.0
    for i in range(3):
        if x[0] > 0:
            s += r * i
        else:
            s += x[0] * i
    return s


def sqrt_under_and(x):
    r = np.sqrt(x[0])
    if x[0] > 0 and x[1] > 0:
        return r
    return x[0] * 2


def sqrt_vector_branch(x):
    r = np.sqrt(x)
    if x[0] < 0:
        return np.sum(x**2)
    return np.sum(r)


def arccos_in_helper(x):
    def h(v):
        a = np.arccos(v)
        if abs(v) <= 1:
            return a
        return v

    return sum(h(v) for v in x)


@pytest.mark.parametrize(
    "f",
    [sqrt_before_if, sqrt_then_ternary, pow_nan_test_in_loop, elif_chain_in_loop,
     sqrt_outside_loop, sqrt_under_and, sqrt_vector_branch, arccos_in_helper],
)  # fmt: skip
def test_singular_value_read_in_one_branch_has_no_nan_gradient(f):
    with np.errstate(all="ignore"):
        check_scalar(f, XN * 1.5)
        check_scalar(f, np.abs(XN) + 0.1)
