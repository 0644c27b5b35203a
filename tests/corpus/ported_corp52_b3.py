"""Ported cases (session 52, hunt52b): autograd's test_linalg/test_scipy/test_numpy cases and
PyTorch's functional ops (what gradcheck runs) written in NumPy.

Batched ``inv``/``solve``/``det``/``slogdet``/``cholesky``, broadcast matmuls and einsums;
scipy.stats with keywords, frozen distributions, ``multivariate_normal``, ``dirichlet``, counts
as lists (``bernoulli``, ``geom``, ``poisson``); scipy.signal's convolve/correlate modes and 2-D,
scipy.ndimage filters, 2-D FFTs; kron, tril/triu, split/stack, tile/repeat, roll/diff, sorts and
scans. PyTorch's layer/group/batch norm, activations (GELU both ways, SiLU, Mish, ELU, SELU,
hardswish, softplus with beta/threshold), cross entropy with ignore_index, class weights and
label smoothing, BCE with pos_weight, smooth L1, margin losses, conv1d by
``sliding_window_view``, conv2d by im2col, pooling by reshapes, bilinear resize, pixel shuffle,
embeddings, masked and multi-head attention, a GRU cell, fixed dropout masks, adaptive pooling.
Python's semantics around them: ``next(it, default)``, ``filter``, dict order and ``update``/
``pop``, ``and``/``or`` values, starred and nested comprehensions, tuple comparisons, nonlocal
accumulators.

Float64 arrays -> a float. Each row is checked forward and reverse and at second order."""

from __future__ import annotations

import numpy as np
import scipy.signal as sig
import scipy.special as sp
import scipy.stats as st
from scipy.special import erf as _erf

from . import Case

X5 = np.array([2.04091912, -2.55566503, 0.41809885, -0.56776961, -0.45264929])


def f_batch_inv(x):
    A = x[:4].reshape(1, 2, 2) * np.array([1.0, 2.0, 0.5]).reshape(3, 1, 1) + 3 * np.eye(2)
    return np.sum(np.linalg.inv(A) ** 2)


def f_batch_solve(x):
    A = np.stack([np.diag(x[:2] ** 2 + 1), np.eye(2) * 2 + x[2]])
    b = np.stack([x[3:5], x[1:3]])
    return np.sum(np.linalg.solve(A, b[..., None]) ** 2)


def f_batch_det(x):
    A = np.stack([np.outer(x[:3], x[1:4]) + np.eye(3) * k for k in (1.0, 2.0)])
    return np.sum(np.linalg.det(A)) + np.sum(np.linalg.slogdet(A)[1])


def f_batch_chol(x):
    A = np.stack([np.outer(x[:3], x[:3]) + 2 * np.eye(3), np.outer(x[2:], x[2:]) + 3 * np.eye(3)])
    L = np.linalg.cholesky(A)
    return np.sum(L**2) + np.sum(np.log(np.diagonal(L, axis1=-2, axis2=-1)))


def f_batch_matmul(x):
    A = x[:4].reshape(2, 1, 2)
    B = np.outer(x, x)[:2, :2].reshape(1, 2, 2)
    return np.sum((A @ B) ** 2) + np.sum(np.matmul(B, A.transpose(0, 2, 1)))


def f_einsum_batch(x):
    T = np.einsum("i,j,k->ijk", x[:2], x[1:4], x[2:])
    return (
        np.einsum("ijk,ijk->", T, T)
        + np.einsum("ijk->k", T) @ x[2:]
        + np.trace(np.einsum("bij,bjk->bik", T, T.transpose(0, 2, 1)), axis1=1, axis2=2).sum()
    )


def f_stats_frozen(x):
    d = st.norm(loc=x[0], scale=np.exp(x[1]))
    return d.logpdf(x[2]) + d.cdf(0.3) + np.sum(st.t(df=4.0, loc=x[3]).logpdf(x))


def f_stats_kw(x):
    return (
        np.sum(st.norm.logpdf(x, loc=x[0], scale=2.0))
        + np.sum(st.gamma.logpdf(np.abs(x) + 0.1, a=2.0, scale=np.exp(x[1])))
        + np.sum(st.beta.logpdf(0.3, a=np.exp(x[:2]), b=2.0))
    )


def f_stats_mvn(x):
    cov = np.outer(x[:3], x[:3]) + np.eye(3)
    return st.multivariate_normal.logpdf(x[2:], mean=x[:3], cov=cov) + st.multivariate_normal(
        mean=np.zeros(3), cov=cov
    ).logpdf(x[1:4])


def f_logsumexp_axis_keep(x):
    M = np.outer(x, x[:3])
    return np.sum(sp.logsumexp(M, axis=1, keepdims=True) * M) + np.sum(sp.softmax(M, axis=0) ** 2)


def f_stats_dirichlet_bern(x):
    alpha = np.exp(x[:3])
    return (
        st.dirichlet.logpdf(np.array([0.2, 0.3, 0.5]), alpha)
        + np.sum(st.bernoulli.logpmf([0, 1, 1], sp.expit(x[:3])))
        + np.sum(st.poisson.logpmf([1, 2], np.exp(x[3:])))
    )


def f_signal_conv_modes(x):
    k = np.array([0.25, 0.5, 0.25])
    return (
        np.sum(sig.convolve(x, k, mode="valid") ** 2)
        + np.sum(sig.convolve(x, k, mode="full") * np.arange(7.0))
        + np.sum(sig.correlate(x, k, mode="same") ** 3)
    )


def f_signal_2d(x):
    img = np.outer(x, x[::-1])
    k = np.array([[0.0, 1.0, 0.0], [1.0, -4.0, 1.0], [0.0, 1.0, 0.0]])
    return np.sum(sig.convolve2d(img, k, mode="same", boundary="fill") ** 2) + np.sum(
        sig.correlate2d(img, k, mode="valid")
    )


def f_ndimage(x):
    import scipy.ndimage as ndi

    img = np.outer(x, x)
    return np.sum(ndi.gaussian_filter(img, 1.0) ** 2) + np.sum(
        ndi.convolve(img, np.ones((2, 2)) / 4, mode="reflect")
    )


def f_fft2(x):
    img = np.outer(x, x[:4])
    F = np.fft.fft2(img)
    return (
        np.sum(np.abs(F) ** 2)
        + np.sum(np.real(np.fft.ifft2(F * np.conj(F))))
        + np.sum(np.fft.fftshift(np.abs(np.fft.rfft(x))))
    )


def f_kron_trace(x):
    A = x[:4].reshape(2, 2)
    return np.trace(np.kron(A, A.T)) + np.sum(np.kron(np.eye(2), A) @ np.ones(4))


def f_tril_triu(x):
    M = np.outer(x, x) + np.diag(x)
    return np.sum(np.tril(M, -1) ** 2) + np.sum(np.triu(M, 1) * 3) + np.sum(np.diag(np.diag(M)))


def f_split_stack(x):
    a, b = np.split(np.concatenate([x, x[:1]]), 2)
    parts = np.array_split(x, 3)
    return (
        np.sum(np.hstack([a * b, parts[0]]))
        + sum(np.sum(p**2) for p in parts)
        + np.sum(np.stack([a, b], axis=1) @ np.array([1.0, -1.0]))
    )


def f_tile_repeat(x):
    return (
        np.sum(np.tile(x[:2], (3, 2)) * np.arange(12.0).reshape(3, 4))
        + np.sum(np.repeat(x, [1, 2, 0, 1, 3]) ** 2)
        + np.sum(np.repeat(x[:2].reshape(1, 2), 2, axis=0) ** 3)
    )


def f_roll_diff(x):
    return (
        np.sum(np.roll(x, 2) * x)
        + np.sum(np.diff(np.outer(x, x), axis=0) ** 2)
        + np.sum(np.diff(x, prepend=0.0, append=1.0) ** 2)
    )


def f_sort_axis(x):
    M = np.outer(x, x[:3])
    return np.sum(np.sort(M, axis=0) * np.arange(15.0).reshape(5, 3)) + np.sum(
        np.partition(M, 1, axis=1)[:, :1] ** 2
    )


def f_argsort_gather(x):
    order = np.argsort(-x)
    ranks = np.empty_like(order)
    ranks[order] = np.arange(5)
    return np.sum(x[order][:3]) + np.sum(x * ranks)


def f_cummin_max_scan(x):
    run = np.maximum.accumulate(x)
    dd = run - x
    return np.max(dd) + np.sum(np.minimum.accumulate(x[::-1]) ** 2)


def f_stats_counts(x):
    p = sp.expit(x)
    return (
        np.sum(st.bernoulli.logpmf([0, 1, 1, 0, 1], p))
        + np.sum(st.geom.logpmf([1, 3, 2, 5, 1], p))
        + np.sum(st.bernoulli.pmf(1, p) * st.geom.pmf(2, p, loc=0))
    )


def _x(x, shape):
    n = int(np.prod(shape))
    reps = -(-n // 5)
    return (np.tile(x, reps)[:n] * np.linspace(0.5, 1.5, n)).reshape(shape)


def f_layer_norm(x):
    a = _x(x, (3, 4))
    eps = 1e-5
    mu = a.mean(-1, keepdims=True)
    var = a.var(-1, keepdims=True)
    return np.sum(((a - mu) / np.sqrt(var + eps) * np.linspace(0.5, 1, 4) + 0.1) ** 3)


def f_group_norm(x):
    a = _x(x, (2, 4, 3))
    G = 2
    g = a.reshape(2, G, -1)
    g = (g - g.mean(-1, keepdims=True)) / np.sqrt(g.var(-1, keepdims=True) + 1e-5)
    return np.sum(g.reshape(a.shape) ** 3 * np.arange(24.0).reshape(2, 4, 3))


def f_batch_norm_train(x):
    a = _x(x, (6, 3))
    mu = a.mean(0)
    var = a.var(0)
    out = (a - mu) / np.sqrt(var + 1e-5)
    return np.sum(out**3 * np.arange(18.0).reshape(6, 3))


def f_activations(x):
    a = _x(x, (10,))
    gelu = 0.5 * a * (1 + _erf(a / np.sqrt(2)))
    gelu_tanh = 0.5 * a * (1 + np.tanh(np.sqrt(2 / np.pi) * (a + 0.044715 * a**3)))
    silu = a / (1 + np.exp(-a))
    mish = a * np.tanh(np.log1p(np.exp(a)))
    elu = np.where(a > 0, a, 1.0 * (np.exp(a) - 1))
    selu = 1.0507 * np.where(a > 0, a, 1.67326 * (np.exp(a) - 1))
    leaky = np.where(a > 0, a, 0.01 * a)
    hardtanh = np.clip(a, -1, 1)
    sp_beta = np.where(a * 2 > 20, a, np.log1p(np.exp(2 * a)) / 2)
    logsig = -np.logaddexp(0, -a)
    hswish = a * np.clip(a + 3, 0, 6) / 6
    return np.sum(
        gelu + gelu_tanh + silu + mish + elu + selu + leaky + hardtanh + sp_beta + logsig + hswish
    )


def f_cross_entropy_ignore(x):
    logits = _x(x, (5, 4))
    target = np.array([0, 3, -100, 2, 1])
    eps = 0.1
    logp = (
        logits
        - np.log(np.sum(np.exp(logits - logits.max(1, keepdims=True)), 1, keepdims=True))
        - logits.max(1, keepdims=True)
    )
    valid = target != -100
    t = np.where(valid, target, 0)
    nll = -logp[np.arange(5), t]
    smooth = -logp.mean(1)
    loss = (1 - eps) * nll + eps * smooth
    w = np.array([1.0, 2.0, 0.5, 1.0])[t] * valid
    return np.sum(loss * w) / np.sum(w)


def f_bce_pos_weight(x):
    z = _x(x, (8,))
    y = np.array([1, 0, 1, 1, 0, 0, 1, 0.0])
    pw = 3.0
    log_weight = 1 + (pw - 1) * y
    return np.mean((1 - y) * z + log_weight * (np.log1p(np.exp(-np.abs(z))) + np.maximum(-z, 0)))


def f_smooth_l1(x):
    d = _x(x, (7,)) - 0.2
    beta = 0.5
    ad = np.abs(d)
    return np.mean(np.where(ad < beta, 0.5 * d**2 / beta, ad - 0.5 * beta))


def f_margin_losses(x):
    a, p, n = _x(x, (3, 4))
    trip = np.maximum(np.linalg.norm(a - p + 1e-6) - np.linalg.norm(a - n + 1e-6) + 1.0, 0)
    cos = a @ p / (np.linalg.norm(a) * np.linalg.norm(p))
    cemb = 1 - cos
    rank = np.maximum(0, -1.0 * (a[0] - p[0]) + 0.5)
    return trip + cemb + rank


def f_conv1d_sliding(x):
    sig_ = _x(x, (12,))
    w = np.array([0.2, -0.5, 1.0])
    win = np.lib.stride_tricks.sliding_window_view(sig_, 3)
    return np.sum((win @ w) ** 2) + np.sum(win[::2].max(axis=1))


def f_conv2d_im2col(x):
    img = _x(x, (1, 5, 5))
    k = np.arange(9.0).reshape(3, 3) / 10
    H = W = 5
    cols = np.array(
        [img[0, i : i + 3, j : j + 3].ravel() for i in range(H - 2) for j in range(W - 2)]
    )
    out = (cols @ k.ravel()).reshape(3, 3)
    return np.sum(np.maximum(out, 0) ** 2)


def f_maxpool_reshape(x):
    a = _x(x, (4, 6))
    pooled = a.reshape(2, 2, 3, 2).max(axis=(1, 3))
    avg = a.reshape(2, 2, 3, 2).mean(axis=(1, 3))
    return np.sum(pooled * avg)


def f_bilinear_resize(x):
    img = _x(x, (3, 3))
    out_h, out_w = 5, 5
    ys = np.linspace(0, 2, out_h)
    xs = np.linspace(0, 2, out_w)
    y0 = np.floor(ys).astype(int).clip(0, 1)
    x0 = np.floor(xs).astype(int).clip(0, 1)
    wy = (ys - y0)[:, None]
    wx = (xs - x0)[None, :]
    Ia = img[y0][:, x0]
    Ib = img[y0][:, x0 + 1]
    Ic = img[y0 + 1][:, x0]
    Id = img[y0 + 1][:, x0 + 1]
    out = Ia * (1 - wy) * (1 - wx) + Ib * (1 - wy) * wx + Ic * wy * (1 - wx) + Id * wy * wx
    return np.sum(out**2)


def f_pixel_shuffle(x):
    a = _x(x, (4, 2, 2))
    r = 2
    out = a.reshape(1, r, r, 2, 2).transpose(0, 3, 1, 4, 2).reshape(1, 4, 4)
    return np.sum(out * np.arange(16.0).reshape(1, 4, 4))


def f_embedding(x):
    table = _x(x, (6, 3))
    ids = np.array([[0, 2, 5], [1, 1, 3]])
    emb = table[ids]
    return np.sum(emb.mean(axis=1) ** 2) + np.sum(np.take(table, ids.ravel(), axis=0) ** 3)


def f_attention_mask(x):
    q = _x(x, (4, 3))
    k = q[::-1] * 0.5
    v = q**2
    s = q @ k.T / np.sqrt(3)
    mask = np.triu(np.ones((4, 4), dtype=bool), 1)
    s = np.where(mask, -np.inf, s)
    p = np.exp(s - s.max(-1, keepdims=True))
    p = p / p.sum(-1, keepdims=True)
    return np.sum(p @ v)


def f_mha(x):
    X = _x(x, (4, 6))
    h = 2
    d = 3
    Wq = np.eye(6) * 0.5
    Wk = np.eye(6)[::-1] * 0.3
    Wv = np.ones((6, 6)) / 6
    Q = (X @ Wq).reshape(4, h, d).transpose(1, 0, 2)
    K = (X @ Wk).reshape(4, h, d).transpose(1, 0, 2)
    V = (X @ Wv).reshape(4, h, d).transpose(1, 0, 2)
    A = Q @ K.transpose(0, 2, 1) / np.sqrt(d)
    A = np.exp(A - A.max(-1, keepdims=True))
    A /= A.sum(-1, keepdims=True)
    out = (A @ V).transpose(1, 0, 2).reshape(4, 6)
    return np.sum(out**2)


def f_gru_cell(x):
    h = np.zeros(3)
    xs = _x(x, (4, 2))
    Wz, Wr, Wh = np.ones((2, 3)) * 0.3, np.ones((2, 3)) * -0.2, np.arange(6.0).reshape(2, 3) / 10
    Uz, Ur, Uh = np.eye(3) * 0.5, np.eye(3) * 0.4, np.eye(3)[::-1] * 0.3
    sig_ = lambda t: 1 / (1 + np.exp(-t))
    for xt in xs:
        z = sig_(xt @ Wz + h @ Uz)
        r = sig_(xt @ Wr + h @ Ur)
        hh = np.tanh(xt @ Wh + (r * h) @ Uh)
        h = (1 - z) * h + z * hh
    return np.sum(h**2)


def f_dropout_fixed(x):
    a = _x(x, (10,))
    rng = np.random.default_rng(5)
    mask = rng.random(10) > 0.3
    return np.sum((a * mask / 0.7) ** 2)


def f_normalize_cdist(x):
    P = _x(x, (4, 2))
    Q = P[::-1] + 0.3
    Pn = P / np.maximum(np.linalg.norm(P, axis=1, keepdims=True), 1e-12)
    d = np.sqrt(np.maximum(np.sum(Pn**2, 1)[:, None] + np.sum(Q**2, 1)[None, :] - 2 * Pn @ Q.T, 0))
    return np.sum(d)


def f_nll_weighted(x):
    logp = _x(x, (4, 3)) - 2
    t = np.array([2, 0, 1, 2])
    w = np.array([0.2, 1.0, 3.0])
    return -np.sum(w[t] * logp[np.arange(4), t]) / np.sum(w[t])


def f_unfold_fold(x):
    img = _x(x, (4, 4))
    patches = img.reshape(2, 2, 2, 2).swapaxes(1, 2).reshape(4, 4)
    back = patches.reshape(2, 2, 2, 2).swapaxes(1, 2).reshape(4, 4)
    return np.sum(patches**2 * np.arange(16.0).reshape(4, 4)) + np.sum(back * img)


def f_adaptive_avg_pool(x):
    a = _x(x, (7,))
    out = []
    for i in range(3):
        s = (i * 7) // 3
        e = -(-((i + 1) * 7) // 3)
        out.append(a[s:e].mean())
    return np.sum(np.array(out) ** 2)


def f_next_default(x):
    it = iter(x[x > 10])
    first = next(it, x[0])
    return first * 2


def f_iter_partial(x):
    it = iter(x)
    a = next(it)
    rest = sum(it)
    return a * rest


def f_filter_obj(x):
    pos = filter(lambda t: t > 0, x)
    return sum(pos) * x[0]


def f_range_float(x):
    s = 0.0
    for i in range(len(x) - 1, -1, -2):
        s += x[i] * i
    return s


def f_dict_pop_update(x):
    d = {"a": x[0], "b": x[1]}
    d.update(c=x[2], a=x[3])
    v = d.pop("b")
    return sum(d.values()) * v + len(d)


def f_list_mult_aliasing(x):
    rows = [[0.0, 0.0] for _ in range(2)]
    rows[0][0] = x[0]
    return rows[1][0] + rows[0][0] * 2


def f_int_division(x):
    n = len(x)
    return x[n // 2] * (n // 2) + x[-(n // 3)]


def f_bool_sum(x):
    return sum(v > 0 for v in x) * np.sum(x) + sum(x > 0) * x[0]


def f_chained_minmax(x):
    return min(max(x[0], x[1]), x[2]) + max(x[3], 0.1, x[4])


def f_sum_start(x):
    return sum([x[:2], x[2:4]], np.zeros(2)).sum() + sum(x, 10.0)


def f_and_or_values(x):
    a = x[0] > 0 and x[1] or x[2]
    b = (x[3] < 0) or x[4]
    return a * 2 + b


def f_is_none_default(x, w=None):
    if w is None:
        w = np.ones_like(x)
    return np.sum(w * x**2)


def f_nested_comprehension(x):
    M = [[x[i] * x[j] for j in range(i + 1)] for i in range(len(x))]
    return sum(sum(r) for r in M) + sum(v for r in M for v in r if v > 0)


def f_set_membership(x):
    keep = {0, 2, 4}
    return sum(v for i, v in enumerate(x) if i in keep)


def f_sorted_reverse_stable(x):
    pairs = sorted([(round(float(v), 0), i, v) for i, v in enumerate(x)], reverse=True)
    return sum(p[2] * k for k, p in enumerate(pairs))


def f_reversed_enumerate(x):
    return sum(i * v for i, v in reversed(list(enumerate(x))))


def f_string_format_key(x):
    d = {f"k{i}": v for i, v in enumerate(x)}
    return d["k3"] * d[f"k{1}"] + d.get("k9", 0.5)


def f_tuple_compare(x):
    a = (1, x[0])
    b = (1, x[1])
    return x[2] if a < b else x[3]


def f_nonlocal_closure_loop(x):
    acc = 0.0

    def add(v):
        nonlocal acc
        acc = acc * 0.5 + v
        return acc

    out = [add(v) for v in x]
    return sum(out) + acc


CASES = [
    Case(f_batch_inv, (X5.copy(),), (0,), extra="hvp"),
    Case(f_batch_solve, (X5.copy(),), (0,), extra="hvp"),
    Case(f_batch_det, (X5.copy(),), (0,), extra="hvp"),
    Case(f_batch_chol, (X5.copy(),), (0,), extra="hvp"),
    Case(f_batch_matmul, (X5.copy(),), (0,), extra="hvp"),
    Case(f_einsum_batch, (X5.copy(),), (0,), extra="hvp"),
    Case(f_stats_frozen, (X5.copy(),), (0,), extra="hvp"),
    Case(f_stats_kw, (X5.copy(),), (0,), extra="hvp"),
    Case(f_stats_mvn, (X5.copy(),), (0,), extra="hvp"),
    Case(f_logsumexp_axis_keep, (X5.copy(),), (0,), extra="hvp"),
    Case(f_stats_dirichlet_bern, (X5.copy(),), (0,), extra="hvp"),
    Case(f_signal_conv_modes, (X5.copy(),), (0,), extra="hvp"),
    Case(f_signal_2d, (X5.copy(),), (0,), extra="hvp"),
    Case(f_ndimage, (X5.copy(),), (0,), extra="hvp"),
    Case(f_fft2, (X5.copy(),), (0,), extra="hvp"),
    Case(f_kron_trace, (X5.copy(),), (0,), extra="hvp"),
    Case(f_tril_triu, (X5.copy(),), (0,), extra="hvp"),
    Case(f_split_stack, (X5.copy(),), (0,), extra="hvp"),
    Case(f_tile_repeat, (X5.copy(),), (0,), extra="hvp"),
    Case(f_roll_diff, (X5.copy(),), (0,), extra="hvp"),
    Case(f_sort_axis, (X5.copy(),), (0,), extra="hvp"),
    Case(f_argsort_gather, (X5.copy(),), (0,), extra="hvp"),
    Case(f_cummin_max_scan, (X5.copy(),), (0,), extra="hvp"),
    Case(f_stats_counts, (X5.copy(),), (0,), extra="hvp"),
    Case(f_layer_norm, (X5.copy(),), (0,), extra="hvp"),
    Case(f_group_norm, (X5.copy(),), (0,), extra="hvp"),
    Case(f_batch_norm_train, (X5.copy(),), (0,), extra="hvp"),
    Case(f_activations, (X5.copy(),), (0,), extra="hvp"),
    Case(f_cross_entropy_ignore, (X5.copy(),), (0,), extra="hvp"),
    Case(f_bce_pos_weight, (X5.copy(),), (0,), extra="hvp"),
    Case(f_smooth_l1, (X5.copy(),), (0,), extra="hvp"),
    Case(f_margin_losses, (X5.copy(),), (0,), extra="hvp"),
    Case(f_conv1d_sliding, (X5.copy(),), (0,), extra="hvp"),
    Case(f_conv2d_im2col, (X5.copy(),), (0,), extra="hvp"),
    Case(f_maxpool_reshape, (X5.copy(),), (0,), extra="hvp"),
    Case(f_bilinear_resize, (X5.copy(),), (0,), extra="hvp"),
    Case(f_pixel_shuffle, (X5.copy(),), (0,), extra="hvp"),
    Case(f_embedding, (X5.copy(),), (0,), extra="hvp"),
    Case(f_attention_mask, (X5.copy(),), (0,), extra="hvp"),
    Case(f_mha, (X5.copy(),), (0,), extra="hvp"),
    Case(f_gru_cell, (X5.copy(),), (0,), extra="hvp"),
    Case(f_dropout_fixed, (X5.copy(),), (0,), extra="hvp"),
    Case(f_normalize_cdist, (X5.copy(),), (0,), extra="hvp"),
    Case(f_nll_weighted, (X5.copy(),), (0,), extra="hvp"),
    Case(f_unfold_fold, (X5.copy(),), (0,), extra="hvp"),
    Case(f_adaptive_avg_pool, (X5.copy(),), (0,), extra="hvp"),
    Case(f_next_default, (X5.copy(),), (0,), extra="hvp"),
    Case(f_iter_partial, (X5.copy(),), (0,), extra="hvp"),
    Case(f_filter_obj, (X5.copy(),), (0,), extra="hvp"),
    Case(f_range_float, (X5.copy(),), (0,), extra="hvp"),
    Case(f_dict_pop_update, (X5.copy(),), (0,), extra="hvp"),
    Case(f_list_mult_aliasing, (X5.copy(),), (0,), extra="hvp"),
    Case(f_int_division, (X5.copy(),), (0,), extra="hvp"),
    Case(f_bool_sum, (X5.copy(),), (0,), extra="hvp"),
    Case(f_chained_minmax, (X5.copy(),), (0,), extra="hvp"),
    Case(f_sum_start, (X5.copy(),), (0,), extra="hvp"),
    Case(f_and_or_values, (X5.copy(),), (0,), extra="hvp"),
    Case(f_is_none_default, (X5.copy(),), (0,), extra="hvp"),
    Case(f_nested_comprehension, (X5.copy(),), (0,), extra="hvp"),
    Case(f_set_membership, (X5.copy(),), (0,), extra="hvp"),
    Case(f_sorted_reverse_stable, (X5.copy(),), (0,), extra="hvp"),
    Case(f_reversed_enumerate, (X5.copy(),), (0,), extra="hvp"),
    Case(f_string_format_key, (X5.copy(),), (0,), extra="hvp"),
    Case(f_tuple_compare, (X5.copy(),), (0,), extra="hvp"),
    Case(f_nonlocal_closure_loop, (X5.copy(),), (0,), extra="hvp"),
]
