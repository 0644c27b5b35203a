"""Regressions found by porting other projects' benchmark programs (session 9, corp9: npbench,
ADBench, Zygote/Enzyme/PyTorch gradcheck functions). Each test failed before its fix (a refusal
of a program srcad differentiates correctly, or a wrong value); /tmp/s9/findings.md and
/tmp/s9/refusals_found.md name the program."""

from __future__ import annotations

import math

import numpy as np
import pytest

import srcad

M4 = np.array([0.5, -1.0, 2.0, 0.25])


def _fd_grad(f, x, h=1e-6):
    g = np.zeros_like(x)
    for i in range(x.size):
        e = np.zeros_like(x)
        e.flat[i] = h
        g.flat[i] = (f(x + e) - f(x - e)) / (2 * h)
    return g


def _copy_of_global_then_slice_assign(x):
    d = M4.copy()
    d[:] = x * d  # npbench's 2mm: `D[:] = alpha * A @ B @ C + beta * D`
    return np.sum(d**2)


def test_slice_assignment_into_a_copy_of_a_global_array() -> None:
    # `M4.copy()` of a global ndarray was of unknown kind (a list's copy?), so reverse mode
    # refused `d[:] = ...` as a slice assignment that might change a list's length
    x = np.array([0.3, -0.7, 1.1, 0.4])
    g = srcad.grad(_copy_of_global_then_slice_assign)(x)
    assert np.allclose(g, 2 * x * M4**2)


def _empty_like_shape(x):
    u = x.reshape(4, 4)
    q = np.empty(u.shape, dtype=u.dtype)  # npbench's adi: p, q, v made this way
    v = np.empty(u.shape, dtype=u.dtype)
    v[0, 1:3] = u[0, 1:3]
    q[1:3, 0] = v[0, 1:3]  # copies the values into q
    v[2, 1:3] = 2.0  # an update of v: q does not see it
    return np.sum(q[1:3, 0] * u[1:3, 1])


def test_item_copied_from_one_new_array_into_another_is_no_alias() -> None:
    # np.empty(u.shape) of a reshaped `u` was an array of unknown rank, whose items were taken as
    # possibly holding the stored view of `v`: the read of `q` after `v` changed was refused
    x = np.linspace(-1.0, 1.0, 16)
    g = srcad.grad(_empty_like_shape)(x)
    assert np.allclose(g, _fd_grad(_empty_like_shape, x))


def _columns(d, icf):
    idx = d  # ADBench's GMM constructL: an int index advanced in place
    cols = []
    for i in range(d):
        n = d - i - 1
        cols.append(np.concatenate((np.zeros(i + 1), icf[idx : idx + n])))
        idx += n
    return np.column_stack(cols)


def _gmm_l(x):
    data = x.reshape(2, 6)
    _, d = data[:, :3].shape
    return np.sum(_columns(d, data[0]) ** 2) + np.sum(_columns(d, data[1]))


def test_int_argument_advanced_with_op_assign_in_a_helper() -> None:
    # `d` is `a.shape[1]`: a Python int, which `idx += n` rebinds; the call was refused as an
    # update of the caller's argument, and the helper's own check refused reading `d` again
    x = np.linspace(-1.0, 1.0, 12)
    g = srcad.grad(_gmm_l)(x)
    assert np.allclose(g, _fd_grad(_gmm_l, x))


def _chain(w, s, x):
    return np.tanh(w * s + x)


def _states(w, state, seq):
    rng = range(0, len(seq) - 1)  # ADBench's LSTM objective keeps the range in a name
    total = 0.0
    all_states = [state]
    for t in rng:
        new = _chain(w, all_states[t], seq[t])
        all_states.append(new)
        total += np.sum(new)
    return total


def _lstm_like(x):
    return _states(x, 0.5 * x, np.arange(12.0).reshape(4, 3) * 0.1)


def test_hessian_vector_product_through_a_taped_range() -> None:
    # the reverse sweep keeps `rng` among its residuals; forward over reverse asked for the
    # zero tangent of a `range` and refused at run time
    x = np.array([0.1, -0.2, 0.3])
    v = np.array([1.0, 0.5, -1.0])
    _, hv = srcad.hvp(_lstm_like, (x,), (v,))
    gf = srcad.grad(_lstm_like)
    fd = (gf(x + 1e-5 * v) - gf(x - 1e-5 * v)) / 2e-5
    assert np.allclose(hv, fd, atol=1e-6)


def _insertion_sort_top(x):
    a = x.copy()  # Enzyme's insertsort_sum: sort descending in place, sum the first half
    for i in range(1, a.shape[0]):
        j = i
        while j > 0 and a[j - 1] < a[j]:
            tmp = a[j]
            a[j] = a[j - 1]
            a[j - 1] = tmp
            j -= 1
    return a[0] * 2.0 + a[1]


def test_swap_through_a_temporary_with_a_while_carried_index() -> None:
    # `j` is carried by the while loop: the mutation check did not know it an int, so `a[j]`
    # might be a view of `a` and `tmp` read after `a[j] = ...` was refused at lowering
    x = np.array([0.3, 0.9, -0.4, 0.2])
    assert np.allclose(srcad.grad(_insertion_sort_top)(x), [1.0, 2.0, 0.0, 0.0])


def _forward_substitution(x):
    b = x[:3]  # Enzyme's fwdsolve: `s = b[i]; s -= l[i, j] * out[j]`
    s = b[1]
    s -= x[0] * 2.0
    return s * s


def test_op_assign_on_an_item_of_a_slice_of_an_argument() -> None:
    # `b = x[:3]` of a 1-D argument was an array of unknown rank, so `s = b[1]` might be a view
    # and `s -= ...` an update of the caller's `x`: refused
    x = np.array([0.3, 0.9, -0.4, 0.2])
    s = x[1] - 2 * x[0]
    assert np.allclose(srcad.grad(_forward_substitution)(x), [-4 * s, 2 * s, 0.0, 0.0])


def _mantissa(x):
    m, e = math.frexp(3.0 + x[0] ** 2)
    fm, fe = np.frexp(x + 3.0)
    return m * 2.0**e + m + np.sum(fm * fe)


def test_frexp_mantissa_derivative() -> None:
    # math.frexp / np.frexp had no rule (Enzyme's frexp test): d m = dx * 2**-e
    x = np.array([0.3, 0.9, -0.4, 0.2])
    assert np.allclose(srcad.grad(_mantissa)(x), _fd_grad(_mantissa, x))


REBOUND = np.array([1.0, 2.0, 3.0])


def _splice_into_copy_of_global(x):
    d = REBOUND.copy()
    d[0:2] = [x, 2.0 * x, 3.0 * x]  # a list grows; an array raises
    return d[0] * d[2] + 5.0 * d[3]


def test_global_array_rebound_to_a_list_makes_a_new_transform() -> None:
    # the kind of a global array ("not a list") decides the derivative of `d[0:2] = ...`, and the
    # generated code reads the global live: rebinding it to a list must re-transform (cache key,
    # guard, disk key), else the array's transform ran on the list (IndexError in the pullback)
    global REBOUND
    with pytest.raises(ValueError):
        srcad.grad(_splice_into_copy_of_global)(0.5)
    old = REBOUND
    REBOUND = [1.0, 2.0, 3.0]
    try:
        # (refused until refuse27; now the list's derivative: d = [x, 2x, 3x, 3.0], 3x^2 + 15)
        assert np.isclose(srcad.grad(_splice_into_copy_of_global)(0.5), 6.0 * 0.5)
    finally:
        REBOUND = old
