"""Session 42 (nan42): no NaN where the true derivative is 0 because an entry is never read.

Input: ``y = F(x)`` with an op `F` whose local derivative is NaN or infinite at one entry of
`x` (``np.sqrt`` of a negative entry, ``np.log`` of one, ``1 / x`` at 0, ...), then an op
that reorders, selects, replicates or combines entries (`SELECTORS`: concatenate, stack, tile,
repeat, sort, take, pad, cumsum, ...) and a read of only the entries that do not come from the
bad one. Output: the gradient, the JVP and the Hessian-vector product compared with central
differences: the derivative in the unread entry is 0, not ``0 * nan``.

Each row is ``(name, program, x)``; `x[2]` is the bad entry (x is 1-D of length 4, reshaped to
2 x 2 by the programs that need a matrix: then entry 2 is position (1, 0), off the diagonal).
`BROKEN` lists the rows srcad still gets wrong, each with what it gives (xfail, strict: a row
that starts passing must leave the list).
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import srcad

X = np.array([1.0, 4.0, -1.0, 2.25])  # x[2] < 0: np.sqrt(x)[2] is nan, never read
IDX = np.array([0, 1, 3])
OFF = np.array([0.0, 0.0, 2.0, 0.0])  # (x / 5 - OFF: entry 2 at -2.2, off [-1, 1])


# -- selectors over y = np.sqrt(x) ----------------------------------------------------------------


def s_index(x):
    y = np.sqrt(x)
    return y[0] + y[1] + y[3]


def s_fancy_repeats(x):
    y = np.sqrt(x)
    return np.sum(y[np.array([0, 0, 1, 3])])


def s_bool_index(x):
    y = np.sqrt(x)
    return np.sum(y[x > 0])


def s_concat(x):
    y = np.sqrt(x)
    return np.sum(np.concatenate([y, y])[:2])


def s_concat_slices(x):
    y = np.sqrt(x)
    return np.sum(np.concatenate([y[:2], y[3:]]))


def s_stack(x):
    y = np.sqrt(x)
    return np.sum(np.stack([y, y])[:, :2])


def s_hstack(x):
    y = np.sqrt(x)
    return np.sum(np.hstack([y, x])[:2])


def s_vstack(x):
    y = np.sqrt(x)
    return np.sum(np.vstack([y, x])[:, 3])


def s_dstack(x):
    y = np.sqrt(x)
    return np.sum(np.dstack([y, x])[0, :2])


def s_column_stack(x):
    y = np.sqrt(x)
    return np.sum(np.column_stack([y, x])[:2])


def s_tile(x):
    y = np.tile(np.sqrt(x), 2)
    return y[0] + y[1]


def s_repeat(x):
    y = np.repeat(np.sqrt(x), 2)
    return np.sum(y[:4])


def s_sort(x):
    y = np.sqrt(x)
    return np.sum(np.sort(y)[:2])  # (nan sorts last)


def s_argsort_gather(x):
    y = np.sqrt(x)
    return np.sum(y[np.argsort(x)][1:])


def s_take(x):
    y = np.sqrt(x)
    return np.sum(np.take(y, IDX))


def s_take_along_axis(x):
    y = np.sqrt(x)
    return np.sum(np.take_along_axis(y, IDX, axis=0))


def s_compress(x):
    y = np.sqrt(x)
    return np.sum(np.compress(x > 0, y))


def s_extract(x):
    y = np.sqrt(x)
    return np.sum(np.extract(x > 0, y))


def s_diagonal(x):
    y = np.sqrt(x).reshape(2, 2)
    return np.sum(np.diagonal(y))


def s_trace(x):
    y = np.sqrt(x).reshape(2, 2)
    return np.trace(y)


def s_roll(x):
    y = np.roll(np.sqrt(x), 1)
    return y[0] + y[1] + y[2]


def s_rot90(x):
    y = np.rot90(np.sqrt(x).reshape(2, 2))
    return y[0, 0] + y[0, 1] + y[1, 0]  # (entries 1, 3, 0; y[1, 1] is entry 2)


def s_flip(x):
    y = np.flip(np.sqrt(x))
    return y[0] + y[2] + y[3]


def s_swapaxes(x):
    y = np.swapaxes(np.sqrt(x).reshape(2, 2), 0, 1)
    return np.sum(y[1]) + y[0, 0]  # (not y[0, 1]: entry 2)


def s_transpose_row(x):
    y = np.sqrt(x).reshape(2, 2).T
    return np.sum(y[1]) + y[0, 0]  # (not y[0, 1]: entry 2)


def s_ravel(x):
    y = np.ravel(np.sqrt(x).reshape(2, 2))
    return y[0] + y[1] + y[3]


def s_broadcast_to(x):
    y = np.broadcast_to(np.sqrt(x), (2, 4))
    return np.sum(y[:, :2])


def s_pad(x):
    y = np.pad(np.sqrt(x), 1)
    return np.sum(y[:3])


def s_delete(x):
    y = np.sqrt(x)
    return np.sum(np.delete(y, 2))


def s_insert(x):
    y = np.insert(np.sqrt(x), 1, 5.0)
    return np.sum(y[:3])


def s_append(x):
    y = np.append(np.sqrt(x), 1.0)
    return np.sum(y[:2])


def s_split(x):
    a, b = np.split(np.sqrt(x), 2)
    return np.sum(a)


def s_array_split(x):
    parts = np.array_split(np.sqrt(x), 3)
    return np.sum(parts[0])


def s_hsplit(x):
    parts = np.hsplit(np.sqrt(x), 2)
    return np.sum(parts[0])


def s_partition(x):
    y = np.sqrt(x)
    return np.sum(np.partition(y, 1)[:2])


def s_argmax_read(x):
    y = np.sqrt(x)
    return y[np.argmax(x)]


def s_cumsum(x):
    y = np.cumsum(np.sqrt(x))
    return y[0] + y[1]


def s_cumprod(x):
    y = np.cumprod(np.sqrt(x))
    return y[1]


def s_where(x):
    y = np.sqrt(x)
    return np.sum(np.where(x > 0, y, 0.0))


def s_pow0(x):
    y = np.sqrt(x)
    return np.sum(y**0)  # (nan ** 0 is 1)


# -- singular elementwise ops, read through an index and through np.tile ------------------------


def e_log(x):
    y = np.log(x + 1.0)  # (x[2] + 1 = 0: -inf, derivative inf)
    return y[0] + y[1] + y[3]


def e_log1p(x):
    y = np.log1p(x)  # (log1p(-1) = -inf)
    return y[0] + y[1] + y[3]


def e_arcsin(x):
    y = np.arcsin(x / 5.0 - OFF)
    return y[0] + y[1] + y[3]


def e_arccos(x):
    y = np.arccos(x / 5.0 - OFF)
    return y[0] + y[1] + y[3]


def e_arctanh(x):
    y = np.arctanh(x / 8.0 + 1.125 * (OFF / 2.0))  # (arctanh(1) = inf)
    return y[0] + y[1] + y[3]


def e_power(x):
    y = np.power(x, 1.5)
    return y[0] + y[1] + y[3]


def e_pow_half(x):
    y = x**0.5
    return y[0] + y[1] + y[3]


def e_recip_zero(x):
    y = 1.0 / (x + 1.0)  # (x[2] + 1 = 0: inf, derivative -inf)
    return y[0] + y[1] + y[3]


def e_sqrt_zero(x):
    y = (x + 1.0) ** 0.5  # (x[2] + 1 = 0: 0, derivative inf)
    return y[0] + y[1] + y[3]


def _pick(y):
    return y[0] + y[1] + y[3]


def s_helper_read(x):
    return _pick(np.sqrt(x))


def e_tile_log(x):
    y = np.tile(np.log(x), 2)
    return y[0] + y[5]


def e_sort_log(x):
    y = np.sort(np.log(x))
    return y[0] + y[1]  # (nan sorts last)


def e_stack_recip(x):
    y = np.stack([1.0 / (x + 1.0), x])
    return y[0, 0] + y[1, 1]


ROWS = [(f.__name__, f) for f in (
    s_index, s_fancy_repeats, s_bool_index, s_concat, s_concat_slices, s_stack, s_hstack,
    s_vstack, s_dstack, s_column_stack, s_tile, s_repeat, s_sort, s_argsort_gather, s_take,
    s_take_along_axis, s_compress, s_extract, s_diagonal, s_trace, s_roll, s_rot90, s_flip,
    s_swapaxes, s_transpose_row, s_ravel, s_broadcast_to, s_pad, s_delete, s_insert, s_append,
    s_split, s_array_split, s_hsplit, s_partition, s_argmax_read, s_cumsum, s_cumprod, s_where,
    s_pow0, e_log, e_log1p, e_arcsin, e_arccos, e_arctanh, e_power, e_pow_half, e_recip_zero,
    e_sqrt_zero, s_helper_read, e_tile_log, e_sort_log, e_stack_recip,
)]  # fmt: skip

# rows srcad still gets wrong: name -> (what is wrong, which derivatives)
BROKEN: dict[str, str] = {
    "s_pow0": "y ** 0's derivative 0 * y ** -1 is nan at nan y (nan ** 0 is 1): jvp too",
    "s_helper_read": "a helper's partial read of its parameter does not mask the caller's value",
}


def _fd_grad(f, x, eps=1e-6):
    return np.array([(f(x + eps * e) - f(x - eps * e)) / (2 * eps) for e in np.eye(len(x))])


def _fd_hvp(f, x, v, h=1e-3):
    return (_fd_grad(f, x + h * v, 1e-5) - _fd_grad(f, x - h * v, 1e-5)) / (2 * h)


def results(f, x=X):
    """(fd gradient, gradient, fd jvp, jvp, fd hvp, hvp) of `f` at `x`."""
    v = np.cos(np.arange(len(x)) + 1.0)
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        want = _fd_grad(f, x)
        g = srcad.grad(f)(x.copy())
        _, t = srcad.jvp(f, (x.copy(),), (v,))
        hw = _fd_hvp(f, x, v)
        _, hv = srcad.hvp(f, (x.copy(),), (v,))
    return want, g, np.dot(want, v), t, hw, hv


@pytest.mark.parametrize("name,f", ROWS, ids=[n for n, _ in ROWS])
def test_unread_entry_has_zero_derivative(name, f):
    if name in BROKEN:
        pytest.xfail(BROKEN[name])
    want, g, tw, t, hw, hv = results(f)
    assert np.all(np.isfinite(want)) and want[2] == 0.0
    np.testing.assert_allclose(g, want, rtol=1e-5, atol=1e-6, err_msg="gradient")
    np.testing.assert_allclose(t, tw, rtol=1e-5, atol=1e-6, err_msg="jvp")
    np.testing.assert_allclose(hv, hw, rtol=1e-3, atol=1e-3, err_msg="hvp")


if __name__ == "__main__":  # the survey table: python -m tests.soundness.test_nan42
    for name, f in ROWS:
        try:
            want, g, tw, t, hw, hv = results(f)
            ok = [
                np.allclose(a, b, rtol=1e-3, atol=1e-3) for a, b in ((g, want), (t, tw), (hv, hw))
            ]
            print(f"{name:22s} grad {'ok ' if ok[0] else 'BAD'} jvp {'ok ' if ok[1] else 'BAD'} "
                  f"hvp {'ok ' if ok[2] else 'BAD'}  g={np.round(g, 4)} hv={np.round(hv, 4)}")  # fmt: skip
        except Exception as e:  # noqa: BLE001
            print(f"{name:22s} {type(e).__name__}: {str(e)[:150]}")


# -- the masks keep every entry a read reaches: 2-D gathers with their arguments, all entries
# finite (a position masked wrongly would lose its derivative), and with one bad entry unread --

X2 = np.arange(1.0, 13.0).reshape(3, 4) / 4.0  # (entry (1, 2) made negative by `bad`)
REPS = np.array([2, 1, 3])


def g_concat_axis1(x):
    y = np.sqrt(x)
    return np.sum(np.concatenate([y, 2.0 * y, x], axis=1)[:, 3:6])


def g_concat_none(x):
    y = np.sqrt(x)
    return np.sum(np.concatenate((y[:2], y), axis=None)[5:9] ** 2)


def g_stack_axis(x):
    y = np.sqrt(x)
    return np.sum(np.stack((y, y * y), axis=-1)[0])


def g_tile_2d(x):
    y = np.sqrt(x)
    return np.sum(np.tile(y, (2, 1))[2:4, :2])


def g_repeat_array(x):
    y = np.sqrt(x)
    return np.sum(np.repeat(y, REPS, axis=0)[:3])


def g_repeat_method(x):
    y = np.sqrt(x)
    return np.sum(y.repeat(2, axis=1)[:, :3])


def g_broadcast_2d(x):
    y = np.sqrt(x)[0]
    return np.sum(np.broadcast_to(y, (3, 4))[:, 1])


def g_pad_reflect(x):
    y = np.sqrt(x)
    return np.sum(np.pad(y, ((1, 1), (0, 2)), mode="reflect")[:2, 4:])


def g_pad_odd(x):
    y = np.sqrt(x)
    return np.sum(np.pad(y, 1, mode="reflect", reflect_type="odd")[0])


def g_pad_edge(x):
    y = np.sqrt(x)
    return np.sum(np.pad(y, 2, mode="edge")[:, 0])


def g_insert_values(x):
    y = np.sqrt(x)
    return np.sum(np.insert(y[0], 1, y[2])[:3])


def g_append_axis(x):
    y = np.sqrt(x)
    return np.sum(np.append(y, y[:1] * 3.0, axis=0)[2:])


def g_rot90_k2(x):
    y = np.sqrt(x)
    return np.sum(np.rot90(y, 2)[0])


def g_sort_axis0(x):
    y = np.sqrt(x) * np.cos(x)
    return np.sum(np.sort(y, axis=0)[0])


def g_sort_none(x):
    y = np.sqrt(x) * np.cos(x)
    return np.sum(np.sort(y, axis=None)[:5])


def g_partition(x):
    y = np.sqrt(x) * np.cos(x)
    return np.sum(np.partition(y, 2, axis=1)[:, :2])


def g_cumsum_axis1(x):
    y = np.sqrt(x)
    return np.sum(np.cumsum(y, axis=1)[:, 1])


def g_cumprod_none(x):
    y = np.sqrt(x)
    return np.sum(np.cumprod(y)[:6])


def g_where_of_tile(x):
    y = np.tile(np.sqrt(x), 2)
    return np.sum(np.where(np.arange(8) < 3, y, 0.0))


def g_loop_read(x):
    y = np.concatenate([np.sqrt(x), x])
    s = 0.0
    for i in range(2):
        s = s + y[i, 1]
    return s


GENERAL = [(f.__name__, f) for f in (
    g_concat_axis1, g_concat_none, g_stack_axis, g_tile_2d, g_repeat_array, g_repeat_method,
    g_broadcast_2d, g_pad_reflect, g_pad_odd, g_pad_edge, g_insert_values, g_append_axis,
    g_rot90_k2, g_sort_axis0, g_sort_none, g_partition, g_cumsum_axis1, g_cumprod_none,
    g_where_of_tile, g_loop_read,
)]  # fmt: skip


def _flat(f):
    return lambda v: f(v.reshape(3, 4))


@pytest.mark.parametrize("name,f", GENERAL, ids=[n for n, _ in GENERAL])
def test_gather_masks_keep_read_entries(name, f):
    want, g, tw, t, hw, hv = results(_flat(f), X2.ravel())
    assert np.all(np.isfinite(want))
    np.testing.assert_allclose(g, want, rtol=1e-5, atol=1e-6, err_msg="gradient")
    np.testing.assert_allclose(t, tw, rtol=1e-5, atol=1e-6, err_msg="jvp")
    np.testing.assert_allclose(hv, hw, rtol=1e-3, atol=1e-3, err_msg="hvp")


READS_BAD = {"g_concat_none", "g_repeat_array", "g_pad_reflect", "g_pad_odd", "g_where_of_tile"}


@pytest.mark.parametrize("name,f", GENERAL, ids=[n for n, _ in GENERAL])
def test_gather_masks_bad_entry(name, f):
    """`GENERAL` with x[1, 2] < 0: 0 there where no read reaches it, else the value is nan."""
    x = X2.copy()
    x[1, 2] = -1.0
    want, g, tw, t, hw, hv = results(_flat(f), x.ravel())
    if name in READS_BAD:
        assert np.isnan(want[6]) and np.isnan(g[6])
        return
    np.testing.assert_allclose(g, want, rtol=1e-5, atol=1e-6, err_msg="gradient")
    np.testing.assert_allclose(t, tw, rtol=1e-5, atol=1e-6, err_msg="jvp")
    np.testing.assert_allclose(hv, hw, rtol=1e-3, atol=1e-3, err_msg="hvp")


def g_append_twice(x):
    y = np.sqrt(x)
    return np.sum(np.append(y, y)[10:14])  # (entries 10, 11 of the first y, 0, 1 of the second)


def g_insert_made(x):
    y = np.sqrt(x)
    return np.sum(np.insert(x[0], 2, y[2, 1:3])[1:3])  # (x[0, 1], y[2, 1]; not y[2, 2])


@pytest.mark.parametrize("f,bad", [(g_append_twice, (0, 3)), (g_insert_made, (2, 2))])
def test_gather_masks_every_operand(f, bad):
    """Each array operand of a gather is masked by its own positions (bad entries at (1, 2)
    and `bad`: neither read)."""
    x = X2.copy()
    x[1, 2] = x[bad] = -1.0
    want, g, tw, t, hw, hv = results(_flat(f), x.ravel())
    np.testing.assert_allclose(g, want, rtol=1e-5, atol=1e-6, err_msg="gradient")
    np.testing.assert_allclose(t, tw, rtol=1e-5, atol=1e-6, err_msg="jvp")
    np.testing.assert_allclose(hv, hw, rtol=1e-3, atol=1e-3, err_msg="hvp")


W = np.cos(np.arange(12.0)).reshape(4, 3)
V4 = np.sin(np.arange(4.0) + 1.0)


def m_matmul_row(x):
    return np.sum((np.sqrt(x) @ W)[0])


def m_matmul_col(x):
    return np.sum((W.T @ np.sqrt(x.T))[:, 0])  # (column 0 of sqrt(x).T: row 0 of x)


def m_dot_row(x):
    return np.sum(np.dot(np.sqrt(x), W)[2])


def m_matvec(x):
    return (np.sqrt(x) @ V4)[2]


def m_vecmat(x):
    return (V4[:3] @ np.sqrt(x))[3]  # (column 3 of sqrt(x))


def m_matmul_both(x):
    y = np.sqrt(x)
    return (y[:, :3] @ y[:, 1:].T)[0, 0]  # (row 0 of both)


def m_diff(x):
    return np.sum(np.diff(np.sqrt(x), axis=1)[:, :1])  # (columns 0, 1)


def m_diff2(x):
    return np.sum(np.diff(np.sqrt(x), n=2)[0] + np.diff(np.sqrt(x), 1, 0)[1, 3])


def m_tensordot_axes(x):
    return np.sum(np.tensordot(W, np.sqrt(x), axes=([1], [0]))[:, 3])  # (column 3)


def m_tensordot_outer(x):
    return np.sum(np.tensordot(V4[:2], np.sqrt(x), axes=0)[:, 0, 1:])  # (row 0)


def m_inner_2d(x):
    return np.sum(np.inner(W.T[:2], np.sqrt(x))[:, 2])  # (row 2 of sqrt(x))


# name -> the bad entry, never read (x is 3 x 4)
PRODUCTS = [(m_matmul_row, (1, 2)), (m_matmul_col, (1, 2)), (m_dot_row, (1, 2)),
            (m_matvec, (1, 2)), (m_vecmat, (1, 2)), (m_matmul_both, (1, 2)), (m_diff, (1, 2)),
            (m_diff2, (1, 2)), (m_tensordot_axes, (1, 2)), (m_tensordot_outer, (1, 2)),
            (m_inner_2d, (1, 2))]  # fmt: skip


@pytest.mark.parametrize("f,bad", PRODUCTS, ids=[f.__name__ for f, _ in PRODUCTS])
@pytest.mark.parametrize("finite", [True, False])
def test_products_and_differences(f, bad, finite):
    """A row of ``y @ W``, an entry of ``np.diff(y)``: the rows/entries of `y` no read reaches
    get 0; with all entries finite, every read one keeps its derivative."""
    x = X2.copy()
    if not finite:
        x[bad] = -1.0
    want, g, tw, t, hw, hv = results(_flat(f), x.ravel())
    np.testing.assert_allclose(g, want, rtol=1e-5, atol=1e-6, err_msg="gradient")
    np.testing.assert_allclose(t, tw, rtol=1e-5, atol=1e-6, err_msg="jvp")
    np.testing.assert_allclose(hv, hw, rtol=1e-3, atol=1e-3, err_msg="hvp")


def m_einsum_row(x):
    return np.sum(np.einsum("ij,jk->ik", np.sqrt(x), W)[0])


def m_outer_row(x):
    y = np.sqrt(x)
    return np.sum((y[:, :, None] * W[None, :, :])[0])


def m_tensordot_row(x):
    return np.sum(np.tensordot(np.sqrt(x), W, axes=1)[0])


def m_inner_row(x):
    return np.sum(np.inner(np.sqrt(x), W.T)[0])


def m_nanmax(x):
    return np.nanmax(np.sqrt(x))


def m_max_where(x):
    return np.max(np.sqrt(x), where=x > 0, initial=0.0)


PRODUCTS2 = [m_einsum_row, m_outer_row, m_tensordot_row, m_inner_row, m_nanmax, m_max_where]
BROKEN2: dict[str, str] = {}  # (none left)


@pytest.mark.parametrize("f", PRODUCTS2, ids=[f.__name__ for f in PRODUCTS2])
def test_more_products(f):
    """As `test_products_and_differences`, x[1, 2] < 0 never read."""
    if f.__name__ in BROKEN2:
        pytest.xfail(BROKEN2[f.__name__])
    x = X2.copy()
    x[1, 2] = -1.0
    want, g, tw, t, hw, hv = results(_flat(f), x.ravel())
    np.testing.assert_allclose(g, want, rtol=1e-5, atol=1e-6, err_msg="gradient")
    np.testing.assert_allclose(t, tw, rtol=1e-5, atol=1e-6, err_msg="jvp")
    np.testing.assert_allclose(hv, hw, rtol=1e-3, atol=1e-3, err_msg="hvp")


def _vjp_cases():
    rng = np.random.default_rng(42)
    a, b = rng.normal(size=(3, 4)), rng.normal(size=(4, 5))
    g = rng.normal(size=(3, 5))
    g[:, 2] = 0.0  # (column 2 of a @ b unread: b's column 2 may be nan)
    bn = b.copy()
    bn[1, 2] = np.nan
    an = a.copy()
    an[1, 3] = np.inf
    g1 = g.copy()
    g1[1] = 0.0  # (row 1 unread: a's row 1 may be inf)
    bb = rng.normal(size=(2, 3, 4))  # (batched a)
    gb = rng.normal(size=(2, 3, 5))
    gb[..., 2] = 0.0
    v, gv = rng.normal(size=4), rng.normal(size=5)
    gv[2] = 0.0
    w, gw = rng.normal(size=4), rng.normal(size=3)
    gw[1] = 0.0
    return [  # (g, x, y, which, the other operand with its unread entries 0)
        (g, a, bn, 0, np.where(np.isnan(bn), 0.0, bn)),
        (g1, an, b, 1, np.where(np.isinf(an), 0.0, an)),
        (gb, bb, bn, 0, np.where(np.isnan(bn), 0.0, bn)),
        (gv, v, bn, 0, np.where(np.isnan(bn), 0.0, bn)),
        (gw, an[:, :4], w, 1, np.where(np.isinf(an), 0.0, an)),
    ]


@pytest.mark.parametrize("k", range(5))
def test_matmul_vjp_unread_slices(k):
    """``matmul_vjp`` sums no ``0 * nan`` from a row/column of the product whose cotangent is 0
    throughout; a nan the cotangent reads stays."""
    from srcad.rules.products import _matmul_vjp, matmul_vjp

    g, x, y, which, clean = _vjp_cases()[k]
    with np.errstate(invalid="ignore"):
        got = matmul_vjp(g, x, y, which)
        want = _matmul_vjp(g, x, clean, 0) if which == 0 else _matmul_vjp(g, clean, y, 1)
        assert not np.all(np.isfinite(_matmul_vjp(g, x, y, which)))  # (before: nan)
        np.testing.assert_allclose(got, want, rtol=1e-12)
        g2 = g.copy()
        g2[np.nonzero(g2 == 0)] = 1.0  # (now read: the nan stays)
        assert not np.all(np.isfinite(matmul_vjp(g2, x, y, which)))


def c_loop_counter(x):
    c = np.concatenate([np.sqrt(x), x])
    s = 0.0
    for i in range(2):
        s = s + c[i] * c[i + 4]
    return s


def c_in_branch(x):
    y = np.sqrt(x)
    if x[0] > 0:
        s = np.sum(np.tile(y, 2)[:2])
    else:
        s = np.sum(y)
    return s


def c_in_loop_body(x):
    y = np.sqrt(x)
    s = 0.0
    for k in range(3):
        s = s + np.sum(np.sort(y * (k + 1.0))[:2])
    return s


def c_while_cumsum(x):
    y = np.cumsum(np.sqrt(x))
    i, s = 0, 0.0
    while i < 2:
        s = s + y[i]
        i += 1
    return s


CONTROL = [c_loop_counter, c_in_branch, c_in_loop_body, c_while_cumsum]
# (as before for a move: ``if c: np.sum(np.flip(y)[2:])`` is nan too) the mask of a value made
# before a branch or loop body from a move/gather made inside it is not carried out of it
BROKEN_CONTROL = {
    "c_in_branch": "the gather's result is the branch's own: its mask is dropped outside",
    "c_in_loop_body": "likewise in a loop body (the sort of a value the body makes)",
}


@pytest.mark.parametrize("f", CONTROL, ids=[f.__name__ for f in CONTROL])
def test_gathers_under_control_flow(f):
    """A gather read in a loop by its counter, made in a branch or a loop body."""
    if f.__name__ in BROKEN_CONTROL:
        pytest.xfail(BROKEN_CONTROL[f.__name__])
    want, g, tw, t, hw, hv = results(f)
    assert want[2] == 0.0
    np.testing.assert_allclose(g, want, rtol=1e-5, atol=1e-6, err_msg="gradient")
    np.testing.assert_allclose(t, tw, rtol=1e-5, atol=1e-6, err_msg="jvp")
    np.testing.assert_allclose(hv, hw, rtol=1e-3, atol=1e-3, err_msg="hvp")


def m_einsum_both(x):
    y = np.sqrt(x)
    return np.einsum("ij,kj->ik", y[:, :3], y[:, 1:])[0, 0]  # (row 0 of both)


def m_einsum_col(x):
    return np.sum(np.einsum("ij,jk->ik", W, np.sqrt(x))[:, 0])  # (column 0 of sqrt(x))


def m_einsum_three(x):
    y = np.sqrt(x)
    return np.sum(np.einsum("i,ij,j->ij", V4[:3], y, V4)[2])  # (row 2)


@pytest.mark.parametrize("f", [m_einsum_both, m_einsum_col, m_einsum_three])
def test_einsum_reads(f):
    """np.einsum read in part: the unread entries of a singular operand get 0; the read ones
    keep a finite derivative when the other operand is nan where no read reaches."""
    x = X2.copy()
    x[1, 2] = -1.0
    want, g, tw, t, hw, hv = results(_flat(f), x.ravel())
    np.testing.assert_allclose(g, want, rtol=1e-5, atol=1e-6, err_msg="gradient")
    np.testing.assert_allclose(t, tw, rtol=1e-5, atol=1e-6, err_msg="jvp")
    np.testing.assert_allclose(hv, hw, rtol=1e-3, atol=1e-3, err_msg="hvp")
