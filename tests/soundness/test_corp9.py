"""Regressions found by porting other projects' benchmark programs (session 9, corp9: npbench,
ADBench, Zygote/Enzyme/PyTorch gradcheck functions). Each test failed before its fix (a refusal
of a program srcad differentiates correctly, or a wrong value); /tmp/s9/findings.md and
/tmp/s9/refusals_found.md name the program."""

from __future__ import annotations

import numpy as np

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
