"""Ported cases: autograd's indexing and graph tests, JAX's examples.

Small user functions -> `CASES` for the corpus (tests/corpus/ported.py collects them)."""

from __future__ import annotations

import numpy as np

from . import Case
from .ported import M23, M33, MLP, ONEHOT, P5, T234, V3, V5, XB, YB, R


def ix_basic(A):
    return A[0, 1] * A[1, 2] + A[1][0]


def ix_slices(A):
    return A[:, 1:] * A[:, :-1]


def ix_negative(x):
    return x[-1] * x[-2]


def ix_fancy(x):
    return x[[0, 2, 4]] * x[np.array([1, 1, 3])]


def ix_fancy_repeat_grad(x):
    return np.sum(x[[0, 0, 1, 0]])


def ix_bool_mask(x):
    return np.sum(x[x > 0] ** 2)


def ix_ellipsis(T):
    return T[..., 1] * 2.0


def ix_newaxis(x):
    return x[:, None] * x[None, :]


def ix_setitem_slice(x):
    y = np.zeros(7)
    y[1:6] = x
    y[::3] = y[::3] * 2.0
    return y


def ix_setitem_fancy_add(x):
    y = np.zeros(3)
    np.add.at(y, [0, 0, 2], x[:3])
    return y


def ix_aug_slice(x):
    y = x.copy()
    y[1:3] += x[:2]
    return y * y


def ix_aug_fancy_dupes(x):
    y = np.zeros(3)
    y[[0, 0, 1]] += x[:3]
    return y


def ix_2d_column_assign(A):
    B = A.copy()
    B[:, 0] = A[:, 1] * A[:, 2]
    return B


def ix_mask_assign(x):
    y = x.copy()
    y[y < 0] = 0.0
    return y * x


def ix_index_scalar_loop(x):
    s = 0.0
    for i in range(x.shape[0] - 1):
        s = s + x[i] * x[i + 1]
    return s


def gr_fanout(x):
    y = np.sin(x)
    return y * y + y * x + np.cos(y)


def gr_shared_subexpr(x):
    a = x * 2.0
    b = a + a
    c = b * a
    return c + a


def gr_deep_chain(x):
    for _ in range(10):
        x = np.sin(x) + 0.5 * x
    return x


def gr_mutating_loop_accumulate(x):
    total = np.zeros_like(x)
    for k in range(4):
        total += np.cos(x * k)
    return total


def gr_while_counter(x, n):
    i = 0
    while i < n:
        x = x * 0.9 + np.sin(x)
        i += 1
    return x


def gr_early_return(x):
    for i in range(5):
        if x > 3.0:
            return x * i
        x = x * 2.0
    return -x


def gr_break(x):
    s = 0.0
    for i in range(10):
        s = s + x**i
        if i >= 3:
            break
    return s


def gr_continue(x):
    s = 0.0
    for i in range(6):
        if i % 2 == 0:
            continue
        s = s + x * i
    return s


def gr_closure(x, a):
    def f(t):
        return t * a + np.sin(t)

    return f(f(x))


def gr_lambda(x):
    sq = lambda t: t * t  # noqa: E731
    return sq(x) + sq(np.sin(x))


def gr_default_arg(x, scale=2.0):
    return x * scale


def _poly(x, *coeffs):
    out = 0.0
    for c in coeffs:
        out = out * x + c
    return out


def gr_star_args(x):
    return _poly(x, 1.0, -2.0, 0.5)


def _kw(x, **opts):
    return x * opts["a"] + opts["b"]


def gr_kwargs(x):
    return _kw(x, a=3.0, b=x)


def gr_grad_inside(x):
    import srcad

    df = srcad.grad(lambda t: t**3)
    return df(x) * x


def gr_recursion_free_fib(x):
    a, b = x, 1.0
    for _ in range(5):
        a, b = b, a + b
    return b


def gr_swap(x, y):
    x, y = y, x * y
    return x - y


def gr_newton_sqrt(a):
    x = 1.0
    for _ in range(20):
        x = 0.5 * (x + a / x)
    return x


def gr_power_series_exp(x):
    term = 1.0
    total = 1.0
    for k in range(1, 15):
        term = term * x / k
        total = total + term
    return total


def jx_predict(params, inputs):
    activations = inputs
    for W, b in params[:-1]:
        activations = np.tanh(activations @ W + b)
    W, b = params[-1]
    return activations @ W + b


def jx_loss(params, inputs, targets):
    preds = jx_predict(params, inputs)
    return np.mean(np.sum((preds - targets) ** 2, axis=1))


def jx_logsoftmax_xent(W, x, y):
    logits = x @ W
    shifted = logits - np.max(logits, axis=1, keepdims=True)
    logp = shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
    return -np.mean(np.sum(logp * y, axis=1))


def jx_gaussian_logpdf(x, mu, log_sigma):
    sigma = np.exp(log_sigma)
    return np.sum(-0.5 * ((x - mu) / sigma) ** 2 - log_sigma - 0.5 * np.log(2 * np.pi))


def jx_ode_euler(y0, k):
    y = y0
    dt = 0.1
    for _ in range(10):
        y = y + dt * (-k * y + np.sin(y))
    return y


def jx_kernel_ridge(x, lam):
    K = np.exp(-((x[:, None] - x[None, :]) ** 2))
    alpha = np.linalg.solve(K + lam * np.eye(x.shape[0]), np.ones(x.shape[0]))
    return alpha @ K @ alpha


def jx_softplus_relu(x):
    return np.sum(np.logaddexp(0.0, x) + np.maximum(x, 0.0))


def jx_sigmoid_stable(x):
    return np.where(x >= 0, 1.0 / (1.0 + np.exp(-x)), np.exp(x) / (1.0 + np.exp(x)))


def jx_vmap_like(W, xs):
    return np.stack([np.tanh(W @ x) for x in xs])


def jx_cumulative_scan(x):
    carry = 0.0
    ys = []
    for v in x:
        carry = 0.9 * carry + v
        ys.append(carry)
    return np.array(ys)


def jx_attention(q, k, v):
    s = q @ k.T / np.sqrt(q.shape[1])
    s = s - s.max(axis=1, keepdims=True)
    p = np.exp(s)
    p = p / p.sum(axis=1, keepdims=True)
    return p @ v


def jx_layernorm(x, g, b):
    mu = x.mean(axis=-1, keepdims=True)
    sd = np.sqrt(x.var(axis=-1, keepdims=True) + 1e-5)
    return g * (x - mu) / sd + b


CASES: list[Case] = [
    Case(ix_basic, (M23,), (0,)),
    Case(ix_slices, (M23,), (0,)),
    Case(ix_negative, (V5,), (0,)),
    Case(ix_fancy, (V5,), (0,)),
    Case(ix_fancy_repeat_grad, (V5,), (0,)),
    Case(ix_bool_mask, (V5,), (0,)),
    Case(ix_ellipsis, (T234,), (0,)),
    Case(ix_newaxis, (V3,), (0,)),
    Case(ix_setitem_slice, (V5,), (0,)),
    Case(ix_aug_slice, (V5,), (0,)),
    Case(ix_aug_fancy_dupes, (V5,), (0,)),
    Case(ix_2d_column_assign, (M23,), (0,)),
    Case(ix_mask_assign, (V5,), (0,)),
    Case(ix_index_scalar_loop, (V5,), (0,)),
    Case(gr_fanout, (V5,), (0,)),
    Case(gr_shared_subexpr, (0.7,), (0,)),
    Case(gr_deep_chain, (V3,), (0,)),
    Case(gr_mutating_loop_accumulate, (V3,), (0,)),
    Case(gr_while_counter, (0.7, 4), (0,)),
    Case(gr_early_return, (0.7,), (0,)),
    Case(gr_early_return, (-0.7,), (0,), name="ported.gr_early_return_neg"),
    Case(gr_break, (0.7,), (0,)),
    Case(gr_continue, (0.7,), (0,)),
    Case(gr_closure, (0.7, 1.3), (0, 1)),
    Case(gr_lambda, (0.7,), (0,)),
    Case(gr_default_arg, (0.7,), (0,)),
    Case(gr_star_args, (0.7,), (0,)),
    Case(gr_kwargs, (0.7,), (0,)),
    Case(gr_grad_inside, (0.7,), (0,)),
    Case(gr_recursion_free_fib, (0.7,), (0,)),
    Case(gr_swap, (0.7, 1.3), (0, 1)),
    Case(gr_newton_sqrt, (2.0,), (0,)),
    Case(gr_power_series_exp, (0.7,), (0,)),
    Case(jx_predict, (MLP, XB), (0, 1)),
    Case(jx_loss, (MLP, XB, YB), (0,)),
    Case(jx_logsoftmax_xent, (R.standard_normal((3, 3)), XB, ONEHOT), (0, 1)),
    Case(jx_gaussian_logpdf, (V5, 0.3, -0.2), (0, 1, 2)),
    Case(jx_ode_euler, (V3, 0.5), (0, 1)),
    Case(jx_kernel_ridge, (V3, 0.5), (0, 1)),
    Case(jx_softplus_relu, (V5,), (0,)),
    Case(jx_sigmoid_stable, (V5 * 3.0,), (0,)),
    Case(jx_vmap_like, (M33, R.standard_normal((4, 3))), (0, 1)),
    Case(jx_cumulative_scan, (V5,), (0,)),
    Case(jx_attention, (M23, R.standard_normal((4, 3)), R.standard_normal((4, 2))), (0, 1, 2)),
    Case(jx_layernorm, (M23, V3, P5[:3].copy()), (0, 1, 2)),
]
