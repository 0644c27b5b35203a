"""Bugs found by the random-program fuzzer (tests/fuzz), each shrunk to a small program.

Each test states what plain Python does and checks srcad against it (values, derivatives by
central differences, side effects). A test marked `xfail(strict=True)` fails today: whoever fixes
the bug removes the mark (and the matching flag in tests/fuzz/runner.py KNOWN_OPEN).
"""

from __future__ import annotations

import numpy as np
import pytest

import srcad

GM = np.array([[0.5, -0.4, 1.1], [0.9, 0.2, -0.6]])
GM0 = GM.copy()


def _fd(f, x, h=1e-6):
    return (f(x + h) - f(x - h)) / (2 * h)


# -- FZ1: a change to an argument must reach the caller, or be refused (fixed: refused) ----------


def _set_arg(x, v):
    v[1] = x
    return x * 2.0


def _aug_arg(x, v):
    v += x
    return x * 2.0


def _append_arg(x, lst):
    lst.append(x)
    return x * 2.0


@pytest.mark.parametrize("mode", ["primal", "jvp", "grad"])
@pytest.mark.parametrize(
    "fn, make, expected",
    [
        (_set_arg, lambda: np.array([1.0, 2.0, 3.0]), np.array([1.0, 0.5, 3.0])),
        (_aug_arg, lambda: np.array([1.0, 2.0, 3.0]), np.array([1.5, 2.5, 3.5])),
        (_append_arg, lambda: [1.0, 2.0], [1.0, 2.0, 0.5]),
    ],
    ids=["setitem", "augassign", "append"],
)
def test_fz1_argument_changes_reach_the_caller(fn, make, expected, mode):
    arg = make()
    try:
        if mode == "primal":
            assert srcad.primal(fn)(0.5, arg) == 1.0
        elif mode == "jvp":
            assert srcad.jvp(fn, (0.5, arg), (1.0, None)) == (1.0, 2.0)
        else:
            assert srcad.grad(fn)(0.5, arg) == 2.0
    except srcad.SrcadError:
        return  # refusing is fine
    np.testing.assert_array_equal(np.asarray(arg), np.asarray(expected))


# -- FZ2: a global array changed through a local alias (fixed: refused) -------------------------


def _sum_gm(t):
    return np.sum(GM) * t


def _alias_global(x):
    b = GM
    b[0, 0] = x
    return _sum_gm(1.0)


def test_fz2_global_changed_through_alias():
    def python(x):
        GM[...] = GM0
        return _alias_global(x)

    try:
        expected = python(0.37)
        slope = _fd(python, 0.37)  # 1.0: the helper reads the changed GM
        GM[...] = GM0
        try:
            out, dout = srcad.jvp(_alias_global, (0.37,), (1.0,))
        except srcad.SrcadError:
            return  # refusing is fine
        assert out == pytest.approx(expected)
        assert dout == pytest.approx(slope, abs=1e-6)
    finally:
        GM[...] = GM0


# -- FZ3: `return` inside a for loop inside a while loop ----------------------------------------


def _return_in_for_in_while(x):
    k = 0
    while k < 2:
        k += 1
        for _ in range(3):
            if x > 0.0:
                return x * 3.0
    return x


def test_fz3_return_in_for_in_while():
    assert srcad.primal(_return_in_for_in_while)(0.5) == 1.5
    assert srcad.grad(_return_in_for_in_while)(0.5) == pytest.approx(3.0)
    assert srcad.jvp(_return_in_for_in_while, (-0.5,), (1.0,)) == (-0.5, 1.0)


# -- FZ5: a function bound in one branch only and never used after it ---------------------------


def _lambda_in_branch(x):
    if x > 0.0:
        g = lambda t: t * 2.0  # noqa: E731, F841
    return x * x


def test_fz5_lambda_bound_in_one_branch():
    assert srcad.grad(_lambda_in_branch)(0.5) == pytest.approx(1.0)


# -- FZ6: CSE merges two allocations; a helper changes one in place -----------------------------


def _square_in_place(v):
    v *= v


def _cse_allocations(x):
    _square_in_place(np.arange(3.0))
    return np.sum(np.arange(3.0)) * x


def test_fz6_cse_of_allocations_changed_in_place():
    assert _cse_allocations(0.53) == pytest.approx(1.59)
    assert srcad.primal(_cse_allocations)(0.53) == pytest.approx(1.59)  # srcad: 2.65
    assert srcad.grad(_cse_allocations)(0.53) == pytest.approx(3.0)


# -- FZ7: a closure reads a name rebound in a for loop after the closure was defined ------------


def _closure_after_for(x):
    s = 0.3
    q = lambda t: t * s  # noqa: E731
    for _ in range(3):
        s = x
    return q(2.0)


def test_fz7_closure_reads_value_rebound_in_for_loop():
    assert _closure_after_for(0.53) == pytest.approx(1.06)
    assert srcad.primal(_closure_after_for)(0.53) == pytest.approx(1.06)  # srcad: 0.6
    assert srcad.grad(_closure_after_for)(0.53) == pytest.approx(2.0)
    assert _fd(_closure_after_for, 0.53) == pytest.approx(2.0)


# -- FZ9: vjp of a list output; np.where in a zip loop: the pullback crashes --------------------

GK = np.array([[0.6, -0.2, 0.1], [0.3, 0.8, -0.5], [-0.4, 0.1, 0.7]])


def _zip_where_list_out(xv7, n8, xm9):
    for _i10, _e11 in zip(xv7, np.exp(np.tanh(np.linspace(0.1, 1.0, 3)))):
        xv7 = np.where(
            np.concatenate([xv7[1:], xv7[:1]]) > 0.2,
            np.concatenate([xv7[1:], xv7[:1]]),
            0.5 * np.concatenate([xv7[1:], xv7[:1]]),
        )
    b20 = np.array(xm9)
    xv7 = np.sin(np.log(1.0 + xv7 * xv7))
    return [
        np.where(GK @ np.arange(3.0) > -1.5, np.sinh(np.tanh(xv7)), xv7 * 2.0) + xv7 + b20[1],
        sum([2.0 * k for k in range(3)]) + np.sum(xv7) + np.sum(xm9) + np.sum(b20),
    ]


def test_fz9_vjp_list_output_after_where_in_zip_loop():
    x = np.array([0.4063, 0.7288, -1.9373])
    m = np.array([[-1.1382, 2.2915, 2.0421], [1.1876, 0.3006, -0.7181]])
    out, pullback = srcad.vjp(_zip_where_list_out, x, 2, m, wrt=(0, 2))
    u = [np.array([0.3, -0.7, 1.1]), 0.9]
    gx, gm = pullback(u)  # srcad: ValueError (inhomogeneous shape) in vjp_f_bwd's np.where
    _, dx = srcad.jvp(_zip_where_list_out, (x, 2, m), (np.ones(3), None, np.zeros((2, 3))))
    assert float(np.sum(gx)) == pytest.approx(float(np.dot(u[0], dx[0]) + u[1] * dx[1]))


# -- FZ10: a helper updates an argument in place in a call that carries no derivative ------------
# (campaign seed 116198) The reverse sweep reads `a` after the call changed it: the gradient with
# respect to `m` was 8x too large. A call without a derivative runs the user's function as it is,
# so it is refused like a differentiated one; a fresh temporary read once stays allowed (FZ6).


def _double_in_place(v):
    for _ in range(3):
        v += v
    return 1.0


def _inactive_call_mutates(x, m):
    a = m * 2.0
    s = np.sum(x * a)
    _double_in_place(a)
    return s


def test_fz10_inactive_helper_call_that_mutates_is_refused():
    x, m = np.ones(3), np.ones(3)
    with pytest.raises(srcad.SrcadError, match="modifies its argument"):
        srcad.grad(_inactive_call_mutates, wrt=0)(x, m)
    with pytest.raises(srcad.SrcadError, match="modifies its argument"):
        srcad.jvp(_inactive_call_mutates, (x, m), (np.ones(3), np.zeros(3)))
