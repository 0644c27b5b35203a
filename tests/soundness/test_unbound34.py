"""Session 34 (unbound34): a name read where it has no value raises as Python does.

Input: functions reading a local that a path left without a value: bound only in a loop that ran
no iteration (``for``, ``while``, a loop variable, a loop left by ``break`` before the binding),
only in a branch not taken, after ``del``, after an ``except E as e:`` handler (Python deletes
`e`), a nested function's free variable its enclosing function binds later; in user helpers,
methods, `srcad.checkpoint` functions and `srcad.checkpoint_loop` bodies. Output:
UnboundLocalError (NameError for the free variable) from `srcad.primal`, `jvp`, `grad`,
`jacfwd`, `hessian`, where 7860879 returned None, zeros, the older value of the name or a
module global of the same name (the lowering joined such a name with a None placeholder);
with values on every path, the derivatives, and the generated code, are what they were.
"""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads

# (the names below are read unbound on purpose: ruff's F821/F823 and friends are silenced)
# ruff: noqa: F821, F823, F841, B007, PLW2901


def loop_never_runs(x):
    for i in range(0):
        y = x * 2.0
    return y


def loop_runs_n(x, n):
    for i in range(n):
        y = x * (i + 1.0)
    return y


def while_never_runs(x):
    n = 0
    while n < 0:
        y = x
        n += 1
    return y


def branch_not_taken(x):
    if np.sum(x) > 100.0:
        y = x * 2.0
    return y


def deleted_in_branch(x):
    y = x * 2.0
    if np.sum(x) > 0.0:
        del y
    return y


def loop_variable(x):
    s = x * 1.0
    for i in []:
        pass
    return s * i


def break_before_binding(x):
    for i in range(3):
        if np.sum(x) > 0.0:
            break
        y = x * 3.0
    return y


def handler_name_after(x):
    e = x * 1.0
    try:
        raise ValueError("always")
    except ValueError as e:
        pass
    return e * x


Y = 5.0


def free_variable_bound_later(x):
    def g():
        return Y * x  # `Y`: the enclosing function's local, not the module's

    r = g()
    Y = 2.0
    return r


def free_variable_in_branch(x):
    g = lambda: t * x  # noqa: E731
    if np.sum(x) > 100.0:
        t = 2.0
    return g()


def helper_reads_unbound(x):
    if np.sum(x) > 100.0:
        z = x
    return z


def calls_helper(x):
    return helper_reads_unbound(x) * 2.0


class Model:
    def scaled(self, x):
        if np.sum(x) > 100.0:
            z = x * 3.0
        return z


MODEL = Model()


def calls_method(x):
    return MODEL.scaled(x) + x


@srcad.checkpoint
def ckpt_block(h):
    for i in range(len(h) - len(h)):
        y = h * 2.0
    return y


def calls_checkpoint(x):
    return ckpt_block(x * 1.0) + x


def checkpoint_loop_body(x):
    h = x * 1.0
    for i in srcad.checkpoint_loop(range(2)):
        if np.sum(h) > 100.0:
            y = h * 2.0
        h = h + y
    return h


def deleted_in_loop(x):
    y = x * 1.0
    s = x * 0.0
    for i in range(2):
        s = s + y
        del y
    return s


RAISING = [
    (deleted_in_loop, UnboundLocalError),
    (loop_never_runs, UnboundLocalError),
    (while_never_runs, UnboundLocalError),
    (branch_not_taken, UnboundLocalError),
    (deleted_in_branch, UnboundLocalError),
    (loop_variable, UnboundLocalError),
    (break_before_binding, UnboundLocalError),
    (handler_name_after, UnboundLocalError),
    (free_variable_bound_later, NameError),
    (free_variable_in_branch, NameError),
    (calls_helper, UnboundLocalError),
    (calls_method, UnboundLocalError),
    (calls_checkpoint, UnboundLocalError),
    (checkpoint_loop_body, UnboundLocalError),
]
X = np.array([0.5, -0.25, 1.5])


@pytest.mark.parametrize("f, exc", RAISING, ids=[f.__name__ for f, _ in RAISING])
def test_python_raises(f, exc):
    with pytest.raises(exc):
        f(X.copy())


def _total(f):
    def total(v):
        return np.sum(f(v))

    return total


def _square_sum(f):
    def square_sum(v):
        return np.sum(f(v) ** 2)

    return square_sum


@pytest.mark.parametrize("f, exc", RAISING, ids=[f.__name__ for f, _ in RAISING])
@pytest.mark.parametrize("how", ["primal", "jvp", "grad", "jacfwd", "jacrev", "hessian"])
def test_srcad_raises_as_python(f, exc, how):
    x = X.copy()
    with pytest.raises(exc):
        if how == "primal":
            srcad.primal(f)(x)
        elif how == "jvp":
            srcad.jvp(f, (x,), (np.ones(3),))
        elif how == "grad":
            srcad.grad(_total(f))(x)
        elif how == "jacfwd":
            srcad.jacfwd(f)(x)
        elif how == "jacrev":
            srcad.jacrev(f)(x)
        else:
            srcad.hessian(_square_sum(f))(x)


def test_free_variable_error_is_name_error_not_unbound_local():
    with pytest.raises(NameError) as info:
        srcad.primal(free_variable_bound_later)(X.copy())
    assert type(info.value) is NameError
    assert "'Y'" in str(info.value)


def nonlocal_read(x):
    def g():
        nonlocal y
        y = y + x

    if np.sum(x) > 100.0:
        y = x
    g()
    return y


def test_nonlocal_read_without_value_is_name_error():
    with pytest.raises(NameError) as info:
        nonlocal_read(X.copy())
    with pytest.raises(NameError) as got:
        srcad.grad(_total(nonlocal_read))(X.copy())
    assert type(got.value) is type(info.value)


def test_unbound_local_message_names_the_variable():
    with pytest.raises(UnboundLocalError, match="'y'"):
        srcad.grad(_total(loop_never_runs))(X.copy())


def runs_three(x):
    return loop_runs_n(x, 3)


def runs_none(x):
    return np.sum(loop_runs_n(x, 0))


def test_bound_on_the_path_taken():
    x = X.copy()
    assert np.allclose(srcad.primal(loop_runs_n)(x, 3), loop_runs_n(x, 3))
    check_grads(runs_three, (x,), modes=("fwd", "rev"))
    check_grads(runs_three, (x,), order=2)
    with pytest.raises(UnboundLocalError):
        srcad.grad(runs_none)(x)
    big = X * 100.0
    assert np.allclose(srcad.primal(branch_not_taken)(big), branch_not_taken(big))
    check_grads(branch_not_taken, (big,), modes=("fwd", "rev"))
    assert np.allclose(srcad.primal(calls_method)(big), calls_method(big))
    check_grads(calls_method, (big,), modes=("fwd", "rev"))


# -- a user's own None keeps working ---------------------------------------------------------------
def lazy_buffer(x):
    buf = None
    for i in range(3):
        if buf is None:
            buf = x * 1.0
        else:
            buf = buf + x * i
    return buf


def optional_scale(x, scale=None):
    if scale is None:
        scale = 2.0
    return x * scale


def returns_none_or_value(x):
    y = None
    if np.sum(x) > 100.0:
        y = x
    return x * 2.0 if y is None else y


@pytest.mark.parametrize("f", [lazy_buffer, optional_scale, returns_none_or_value])
def test_user_none_is_a_value(f):
    x = X.copy()
    assert np.allclose(srcad.primal(f)(x), f(x))
    check_grads(f, (x,), modes=("fwd", "rev"))


def constant_loop(x):
    for i in range(3):
        y = x * i
    return y + i


def while_true(x):
    n = 0
    while True:
        y = x * n
        n += 1
        if n > 2:
            break
    return y


def both_branches(x):
    if np.sum(x) > 0.0:
        y = x
    else:
        y = -x
    return y


@pytest.mark.parametrize("f", [constant_loop, while_true, both_branches])
def test_reads_that_are_always_bound_have_no_check(f):
    assert "_srcad.bound" not in srcad.source(f, mode="primal")
    assert "_srcad.bound" not in srcad.source(f)
    check_grads(f, (X.copy(),), modes=("fwd", "rev"))


def test_maybe_unbound_read_is_checked_once():
    text = srcad.source(loop_runs_n, mode="primal")
    assert text.count("_srcad.bound(y, 'y')") == 1, text
    assert "_srcad.UNBOUND" in text and "None" not in text, text


# -- hunted nearby -----------------------------------------------------------------------------------
def handler_name_then_try(x):
    e = x * 1.0
    try:
        raise ValueError("always")
    except ValueError as e:
        pass
    try:
        z = e * 3.0  # NameError (UnboundLocalError): the handler below runs
    except NameError:
        z = x * 5.0
    return z


def test_handler_name_read_in_a_later_try_is_never_a_wrong_value():
    # 7860879 kept the older `e` (3 * x); a `try` whose handler may catch the read's NameError
    # now sees `e` as not surely bound (lower/tryflow.py) and is refused
    x = X.copy()
    try:
        got = srcad.primal(handler_name_then_try)(x)
    except srcad.SrcadError:
        return
    assert np.allclose(got, handler_name_then_try(x))


def deleted_then_rebound_in_loop(x):
    y = x * 1.0
    s = x * 0.0
    for i in range(2):
        s = s + y
        del y
        y = x * (i + 2.0)
    return s


def test_deleted_then_rebound_in_loop():
    x = X.copy()
    assert np.allclose(
        srcad.primal(deleted_then_rebound_in_loop)(x), deleted_then_rebound_in_loop(x)
    )
    check_grads(deleted_then_rebound_in_loop, (x,), modes=("fwd", "rev"))


def bound_in_first_branch_read_in_second(x, flag):
    if flag:
        y = np.tanh(x)
    s = np.sum(x)
    if flag:
        s = s + np.sum(y * x)
    return s


def first_branch_taken(x):
    return bound_in_first_branch_read_in_second(x, True)


def test_facts_of_a_value_one_branch_binds_are_kept():
    # passes/shape_infer.py knows `y` under the second `if flag` as under the first (the other
    # branch's UNBOUND is read nowhere, as None was): no broadcast helpers in the reverse sweep
    x = X.copy()
    text = srcad.source(bound_in_first_branch_read_in_second, args=(x, True))
    assert "_srcad.bound(y, 'y')" in text and "unbroadcast" not in text, text
    check_grads(first_branch_taken, (x,), modes=("fwd", "rev"))


def raising_branch(x, mode):
    if mode == "a":
        out = np.tanh(x)
    elif mode == "b":
        out = np.sin(x)
    else:
        raise ValueError(mode)
    return np.sum(out**2)


def test_a_branch_that_raises_leaves_no_check():
    # (the branch never reaches the join: its placeholder is None, as before, and no read checks)
    text = srcad.source(raising_branch, mode="primal", args=(X.copy(), "a"))
    assert "_srcad.bound" not in text and "UNBOUND" not in text, text
    with pytest.raises(ValueError):
        srcad.grad(raising_branch)(X.copy(), "c")
