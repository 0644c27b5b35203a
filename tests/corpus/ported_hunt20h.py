"""Ported cases (session 20, hunth20: second order and nesting), written anew after user code:
Hessians through every control-flow form (a while loop with a data-dependent exit, break and
continue, an early return inside a loop, ``x[i] = v`` in a loop, a list appended then stacked, a
dict accumulator, recursion, try/except, comprehensions, a helper with defaults, ``*args`` and
keywords, a closure, a bound method, lambdas kept in a dict), through linear algebra and special
functions (solve, slogdet, Cholesky, eigh, SVD, QR, lstsq, pinv, expm, gammaln, log_ndtr,
logsumexp, xlogy), custom rules (a ``custom_vjp`` whose fwd/bwd use NumPy, a ``custom_jvp``),
checkpointed loops, and derivatives inside: ``srcad.hvp`` and
``srcad.hessian`` called by the function, force matching with ``-grad(potential)`` as the force,
score matching (the trace of an inner Hessian), unrolled bilevel SGD, a Hamiltonian step through
``value_and_grad`` and a Jacobian penalty through ``jacrev``.

Small user functions -> `CASES` (tests/corpus/ported.py collects them), all scalar-valued
and checked at second order (``extra="hvp"``)."""

from __future__ import annotations

import numpy as np
from scipy import linalg as sla
from scipy import special

import srcad

from . import Case

X = np.array([0.31, -0.53, 0.82, 0.13, 0.45, -0.27])
A0 = np.array([[2.0, 0.3, -0.1], [0.3, 1.5, 0.2], [-0.1, 0.2, 1.8]])
DATA = np.array([[0.5, -1.0, 0.3], [0.1, 0.4, -0.7], [0.9, 0.2, -0.4], [0.3, 0.3, 0.3]])


def _mat(x):
    return A0 + np.outer(x[:3], x[3:]) * 0.3 + np.diag(x[:3])


def _sym(x):
    m = _mat(x)
    return 0.5 * (m + m.T)


# -- control flow ----------------------------------------------------------------------------------
def cf_while_exit(x):
    s = x[:3].copy()
    k = 0
    while np.sum(s * s) < 40.0:  # exits after a few steps, far from the boundary
        s = s * 1.5 + np.sin(s) + 0.3
        k += 1
    return np.sum(s**3) * 1e-3 + k + np.sum(x[3:] ** 2 * s[0])


def cf_break_continue(x):
    tot = 0.0
    for i in range(x.size):
        if x[i] < -0.4:
            continue
        tot = tot + np.exp(x[i]) * x[i] ** 2
        if tot > 5.0:
            break
    return tot * np.sum(x)


def cf_early_return(x):
    acc = 0.0
    for i in range(x.size):
        acc = acc + np.sin(x[i] * acc + 1.0) * x[i]
        if acc > 10.0:
            return acc * x[0]
    return acc**2


def cf_setitem_loop(x):
    y = np.zeros_like(x)
    for i in range(x.size):
        y[i] = x[i] * x[i - 1] + np.cos(y[i - 1])
    return np.sum(y**2)


def cf_append_stack(x):
    rows = []
    h = x[:3]
    for i in range(3):
        h = np.tanh(h * (i + 1.0) * x[3 + i]) + x[:3]
        rows.append(h)
    m = np.stack(rows)
    return np.sum(m @ x[3:]) + np.sum(m**2)


def cf_dict_acc(x):
    d = {"a": 0.0, "b": 1.0}
    for i in range(x.size):
        d["a"] = d["a"] + x[i] ** 2 * d["b"]
        d["b"] = d["b"] * np.cos(x[i])
    return d["a"] * d["b"]


def _rec(z, n):
    if n == 0:
        return z
    return np.sin(_rec(z, n - 1)) * z


def cf_recursion(x):
    return np.sum(_rec(x, 3) ** 2)


def cf_try(x):
    try:
        y = np.log(x[0] ** 2 + 1.0) * x[1]
        if x[2] > 100:
            raise ValueError("too big")
    except ValueError:
        y = x[0]
    return y * np.sum(x**2)


def cf_comprehension(x):
    vals = [np.exp(x[i]) * x[j] for i in range(3) for j in range(3) if i != j]
    return sum(vals) + sum(v * v for v in vals)


def _helper(a, b=2.0, *rest, scale=1.0):
    out = a**b * scale
    for r in rest:
        out = out + r * a
    return out


def cf_kwargs_star(x):
    return np.sum(_helper(x, 3.0, x[0], x[1] ** 2, scale=x[2]))


def cf_closure(x):
    c = x[0] ** 2

    def inner(z):
        return np.sum(np.sin(z * c) ** 2)

    return inner(x) + inner(x * 2)


class _Model:
    def __init__(self, data, reg):
        self.data = data
        self.reg = reg

    def loss(self, w):
        r = self.data @ w[:3] + w[3]
        return np.sum(np.log1p(np.exp(r))) + self.reg * np.sum(w**4)


_MODEL = _Model(DATA, 0.3)
_OPS = {"sq": lambda z: z * z, "ex": lambda z: np.exp(z) * z}


def cf_lambda_dict(x):
    return np.sum(_OPS["sq"](x) * _OPS["ex"](x))


# -- linear algebra and special functions ----------------------------------------------------------
def la_solve_slogdet(x):
    m = _mat(x)
    return np.sum(np.linalg.solve(m, np.sin(x[:3]))) + np.linalg.slogdet(m)[1]


def la_cholesky_eigh(x):
    s = _sym(x)
    return np.sum(np.linalg.cholesky(s) ** 3) + np.sum(np.linalg.eigh(s)[0] ** 3)


def la_svd_qr(x):
    m = _mat(x)
    return np.sum(np.linalg.svd(m, compute_uv=False) ** 3) + np.sum(np.linalg.qr(m)[1] ** 2)


def la_lstsq_pinv(x):
    a = np.vstack([_mat(x), x[3:]])
    sol = np.linalg.lstsq(a, np.arange(4.0), rcond=None)[0]
    return np.sum(sol**2) + np.sum(np.linalg.pinv(a) ** 2)


def la_expm(x):
    return np.sum(sla.expm(_mat(x) * 0.3))


def sp_mix(x):
    a = np.sum(special.gammaln(x**2 + 0.5) * x) + special.logsumexp(x * x[0]) ** 2
    b = np.sum(special.log_ndtr(x * 3 - 1)) + np.sum(special.xlogy(x, x**2 + 1))
    return a + b + special.betaln(x[0] ** 2 + 1, x[1] ** 2 + 0.5) * x[2]


# -- custom rules, stop_gradient, checkpoints ------------------------------------------------------
@srcad.custom_vjp
def _cube(z):
    return z**3


def _cube_fwd(z):
    y = np.power(z, 3)
    return y, (z, y)


def _cube_bwd(res, g):
    z, _ = res
    return (g * 3.0 * np.square(z),)


_cube.defvjp(_cube_fwd, _cube_bwd)


@srcad.custom_jvp
def _softplus(z):
    return np.log1p(np.exp(z))


@_softplus.defjvp
def _softplus_jvp(primals, tangents):
    (z,), (t,) = primals, tangents
    return _softplus(z), t / (1.0 + np.exp(-z))


def custom_rules(x):
    return np.sum(_cube(np.sin(x)) * x) + np.sum(_softplus(x * x) * x)


def checkpoint_loop_hessian(x):
    h = x[:3].copy()
    for t in srcad.checkpoint_loop(range(5), every=2):
        h[t % 3] = np.sin(h[t % 3] * x[3]) + h[(t + 1) % 3]
        h = h + 0.1 * np.tanh(h * x[4]) ** 2
    return np.sum(h**3)


# -- derivatives inside ----------------------------------------------------------------------------
def _inner(z):
    return np.sum(np.sin(z) * z**2)


def inside_hvp(x):
    g, hv = srcad.hvp(_inner, (x[:3],), (np.cos(x[3:]),))
    return np.sum(hv**2) + np.sum(g * x[3:])


def inside_hessian(x):
    h = srcad.hessian(_inner)(x[:3] * x[3])
    return np.trace(h) + np.sum(h**2) * 0.1


def _potential(q):
    d = q[:2] - q[2:]
    return 0.5 * np.sum(d**2) ** 2 + np.sum(np.cos(q))


def force_matching(x):
    q, p = x[:4], np.zeros(4)
    gpot = srcad.grad(_potential)
    for _ in range(3):
        p = p - 0.1 * gpot(q)
        q = q + 0.1 * p * (1.0 + x[4] ** 2)
    return np.sum((q - x[5]) ** 2)


def _logp(z):
    return -0.5 * np.sum(z**2) - 0.1 * np.sum(z**4) + np.prod(np.tanh(z))


def score_matching(x):
    z = x[:3] * (1.0 + x[3])
    h = srcad.hessian(_logp)(z)
    s = srcad.grad(_logp)(z)
    return np.trace(h) + 0.5 * np.sum(s**2)


def bilevel_sgd(x):
    lam = x[3] ** 2 + 0.1

    def inner(w):
        return np.sum((DATA @ w - x[4:5]) ** 2) + lam * np.sum(w**2)

    w = x[:3]
    g = srcad.grad(inner)
    for _ in range(3):
        w = w - 0.1 * g(w)
    return np.sum((DATA @ w - 0.5) ** 2) + x[5] * np.sum(w)


def _hamiltonian(z):
    q, p = z[:2], z[2:]
    return 0.5 * np.sum(p**2) + np.sum(1.0 - np.cos(q)) + 0.1 * q[0] * q[1]


def hamiltonian_step(x):
    z = x[:4]
    for _ in range(2):
        e, g = srcad.value_and_grad(_hamiltonian)(z)
        z = z + 0.1 * np.concatenate([g[2:], -g[:2]]) * (1.0 + 0.1 * e)
    return np.sum(z**2) * x[4] + x[5] * z[0]


def _encode(z):
    return np.tanh(DATA[:3] @ z)


def jacobian_penalty(x):
    j = srcad.jacrev(_encode)(x[:3])
    return np.sum(_encode(x[:3]) * x[3:]) + 0.1 * np.sum(j**2)


def _inner_rec(z, n=2):
    if n == 0:
        return np.sum(np.sin(z))
    return _inner_rec(z * 1.1, n - 1) * np.sum(z**2)


def inside_hessian_default(x):  # `n` left at its default (refused before: 2 arguments needed)
    return np.trace(srcad.hessian(_inner_rec)(x[:3])) + np.sum(x[3:] ** 2 * x[0])


CASES = [
    Case(cf_while_exit, (X,), (0,), extra="hvp"),
    Case(cf_break_continue, (X,), (0,), extra="hvp"),
    Case(cf_early_return, (X,), (0,), extra="hvp"),
    Case(cf_setitem_loop, (X,), (0,), extra="hvp"),
    Case(cf_append_stack, (X,), (0,), extra="hvp"),
    Case(cf_dict_acc, (X,), (0,), extra="hvp"),
    Case(cf_recursion, (X,), (0,), extra="hvp"),
    Case(cf_try, (X,), (0,), extra="hvp"),
    Case(cf_comprehension, (X,), (0,), extra="hvp"),
    Case(cf_kwargs_star, (X,), (0,), extra="hvp"),
    Case(cf_closure, (X,), (0,), extra="hvp"),
    Case(_MODEL.loss, (X[:4],), (0,), name="ported_hunt20h.bound_method_loss", extra="hvp"),
    Case(cf_lambda_dict, (X,), (0,), extra="hvp"),
    Case(la_solve_slogdet, (X,), (0,), extra="hvp"),
    Case(la_cholesky_eigh, (X,), (0,), extra="hvp"),
    Case(la_svd_qr, (X,), (0,), extra="hvp"),
    Case(la_lstsq_pinv, (X,), (0,), extra="hvp"),
    Case(la_expm, (X,), (0,), extra="hvp"),
    Case(sp_mix, (X,), (0,), extra="hvp"),
    Case(custom_rules, (X,), (0,), extra="hvp"),
    Case(checkpoint_loop_hessian, (X,), (0,), extra="hvp"),
    Case(inside_hvp, (X,), (0,), extra="hvp"),
    Case(inside_hessian, (X,), (0,), extra="hvp"),
    Case(force_matching, (X,), (0,), extra="hvp"),
    Case(score_matching, (X,), (0,), extra="hvp"),
    Case(bilevel_sgd, (X,), (0,), extra="hvp"),
    Case(hamiltonian_step, (X,), (0,), extra="hvp"),
    Case(jacobian_penalty, (X,), (0,), extra="hvp"),
    Case(inside_hessian_default, (X,), (0,), extra="hvp"),
]
