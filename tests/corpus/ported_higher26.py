"""Ported cases (session 26, higher26): Hessians, HVPs and Jacobians of realistic user code:
Gauss-Newton and Levenberg-Marquardt steps (J^T J from srcad.jacfwd of residuals) inside the
differentiated function, Laplace approximations (log det of a Hessian, differentiated again), a
Newton inner solve in a ``while`` convergence loop, MAML with two inner steps (grad of grad),
losses reading parameters from dataclasses, dicts and objects, early returns and ``x[i] = v`` in
loops, np.linalg.norm (ord=2, 'fro', axis), np.sort / np.max(axis) / top-k by argsort away from
ties, logsumexp/softmax with axis and keepdims, cumsum/cumprod/diff chains, np.interp, float32
data, an rfft power spectrum, ODE integrators (jacrev of the trajectory), library functions
passed straight to a transform (``srcad.grad(np.tanh)``, srcad/libwrap.py), a third derivative
written inline; median/percentile, running extrema, std/var with axes, lstsq residuals,
convolve/trapezoid, fft autocorrelation, np.partition, svd's top singular vector.

Small user functions -> `CASES` (tests/corpus/ported.py collects them); all scalar, all checked at
second order (``extra="hvp"``)."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import scipy.special as sp

import srcad

from . import Case

R = np.random.default_rng(26)
T7 = np.linspace(0.0, 1.0, 7)
Y7 = 1.3 * np.exp(-0.8 * T7) + 0.05 * R.standard_normal(7)
XD = R.standard_normal((8, 3))
YD = (XD @ np.array([0.5, -0.7, 1.0]) > 0).astype(float)


def _residuals(q):
    return q[0] * np.exp(-q[1] * T7) + q[2] * T7 - Y7


def gauss_newton_fwd(p):
    # two Gauss-Newton steps with J from srcad.jacfwd, then the fit's loss
    for _ in range(2):
        J = srcad.jacfwd(_residuals)(p)
        p = p - np.linalg.solve(J.T @ J + 0.1 * np.eye(3), J.T @ _residuals(p))
    return np.sum(_residuals(p) ** 2) + np.sum(p**2) * 0.01


def levenberg_marquardt(p):
    # LM with an adaptive damping decided by the loss (a branch in the loop)
    lam = 0.1
    for _ in range(3):
        r = _residuals(p)
        J = srcad.jacfwd(_residuals)(p)
        A = J.T @ J
        step = np.linalg.solve(A + lam * np.diag(np.diag(A)), J.T @ r)
        if np.sum(_residuals(p - step) ** 2) < np.sum(r**2):
            p = p - step
            lam = lam * 0.5
        else:
            lam = lam * 4.0
    return np.sum(_residuals(p) ** 2)


def _logpost(w):
    z = XD @ w
    return np.sum(YD * z - np.logaddexp(0.0, z)) - 0.5 * np.sum(w**2)


def laplace_evidence(w):
    # log evidence of a Laplace approximation at w (log det of the Hessian)
    H = -srcad.hessian(_logpost)(w)
    sign, logdet = np.linalg.slogdet(H)
    return _logpost(w) - 0.5 * logdet + 1.5 * np.log(2 * np.pi)


def laplace_cholesky(w):
    H = -srcad.hessian(_logpost)(w) + 0.5 * np.eye(3)
    L = np.linalg.cholesky(H)
    return _logpost(w) - np.sum(np.log(np.diag(L)))


def newton_while(theta):
    # the minimiser of an energy found by Newton's method in a `while` loop with a tolerance
    def energy(u):
        return np.sum(np.cosh(u)) - theta @ u + 0.25 * np.sum(u**4)

    u = np.zeros(3)
    step = np.ones(3)
    it = 0
    while np.max(np.abs(step)) > 1e-12 and it < 50:
        step = np.linalg.solve(srcad.hessian(energy)(u), srcad.grad(energy)(u))
        u = u - step
        it += 1
    return np.sum(u**2) + energy(u)


def _task_loss(w, shift):
    z = XD @ w + shift
    return np.mean((np.tanh(z) - YD) ** 2)


def maml_two_steps(w):
    # MAML: two inner gradient steps per task, outer loss after adaptation (grad of grad)
    total = 0.0
    for shift in (-0.3, 0.4):
        v = w
        for _ in range(2):
            v = v - 0.5 * srcad.grad(_task_loss)(v, shift)
        total = total + _task_loss(v, -shift)
    return total


@dataclasses.dataclass
class Params:
    w: np.ndarray
    b: float


def _predict(p: Params, x):
    return np.tanh(x @ p.w + p.b)


def dataclass_loss(theta):
    p = Params(theta[:3], theta[3])
    r = _predict(p, XD) - YD
    return np.sum(r**2) + 0.1 * p.b**2


def dict_params(theta):
    params = {"w": theta[:3], "b": theta[3], "scale": np.exp(theta[4])}
    z = params["scale"] * (XD @ params["w"]) + params["b"]
    return np.sum(np.logaddexp(0.0, z) - YD * z) + 0.5 * np.sum(params["w"] ** 2)


class Model:
    def __init__(self, theta):
        self.a = theta[0]
        self.k = theta[1:]

    def energy(self, x):
        return self.a * np.sum(np.sin(self.k * x)) + np.sum((self.k - x) ** 2)


def object_energy(theta):
    m = Model(theta)
    return m.energy(np.array([0.3, -0.2, 0.5])) + m.a**3


def early_return_loop(x):
    out = np.zeros(4)
    for i in range(4):
        out[i] = x[i] ** 2 * np.sin(x[(i + 1) % 4])
        if out[i] > 5.0:
            return np.sum(out) * 2.0
    if np.sum(out) < -10.0:
        return 0.0
    return np.sum(out * x) + np.prod(x[:2])


def recurrence_writes(x):
    y = np.empty(6)
    y[0] = x[0]
    y[1] = x[1]
    for i in range(2, 6):
        y[i] = 0.5 * y[i - 1] * x[2] - 0.3 * y[i - 2] ** 2 + np.tanh(x[i % 3])
    return np.sum(y**2)


def norms_mix(x):
    M = x.reshape(3, 3) + np.diag([2.0, 1.0, 0.5])
    return (
        np.linalg.norm(M, 2)
        + np.linalg.norm(M, "fro") ** 2
        + np.sum(np.linalg.norm(M, axis=0))
        + np.sum(np.linalg.norm(M, axis=1, keepdims=True) ** 3)
        + np.linalg.norm(x, ord=3)
    )


def nuclear_and_inf(x):
    M = x.reshape(3, 3) + np.diag([2.0, 1.0, 0.5])
    return np.linalg.norm(M, "nuc") + np.linalg.norm(M, np.inf) + np.linalg.norm(x, 1)


def sort_topk(x):
    s = np.sort(x)
    top = x[np.argsort(x)[-2:]]
    return (
        np.sum(s * np.arange(1.0, 7.0) ** 2)
        + np.sum(top**3)
        + np.max(x.reshape(2, 3), axis=1) @ np.array([1.0, 2.0])
    )


def max_axis(x):
    M = x.reshape(2, 3)
    return np.sum(np.max(M, axis=0) ** 2) + np.sum(np.min(M, axis=1, keepdims=True) * M)


def logsumexp_axis(x):
    M = x.reshape(2, 3)
    a = sp.logsumexp(M, axis=1)
    b = sp.logsumexp(M, axis=0, keepdims=True)
    s = sp.softmax(M, axis=1)
    return np.sum(a**2) + np.sum(b * M) + np.sum(s * M**2) + np.sum(sp.log_softmax(M, axis=0) ** 2)


def manual_softmax_keepdims(x):
    M = x.reshape(3, 2)
    m = np.max(M, axis=1, keepdims=True)
    e = np.exp(M - m)
    p = e / np.sum(e, axis=1, keepdims=True)
    lse = m[:, 0] + np.log(np.sum(e, axis=1))
    return np.sum(p * np.array([[1.0, -2.0]])) + np.sum(lse**2)


def cum_chains(x):
    c = np.cumsum(x)
    p = np.cumprod(1.0 + 0.3 * x)
    d = np.diff(c * p)
    d2 = np.diff(x, n=2)
    return np.sum(d**2) + np.sum(np.cumsum(d2) ** 3) + np.sum(np.diff(p, prepend=1.0) ** 2)


XP = np.array([0.0, 0.5, 1.0, 1.5, 2.0])


def interp_fp(x):
    # np.interp with the data values fp differentiated (and the query points constant)
    q = np.array([0.2, 0.7, 1.3, 1.9])
    y = np.interp(q, XP, np.sin(x) * x)
    return np.sum(y**2) + np.interp(0.9, XP, x**2)


def interp_x(x):
    # query points differentiated, away from the knots
    fp = np.array([0.0, 1.0, 0.5, 2.0, 1.5])
    y = np.interp(x, XP, fp)
    return np.sum(y**2 * x)


X32 = XD.astype(np.float32)


def float32_data(w):
    # float32 features, float64 parameters (NumPy promotes the products)
    z = X32 @ w
    return np.sum(np.logaddexp(0.0, z) - YD * z) + np.sum(np.sin(w) * w**2) + np.prod(w[:2])


def rfft_power(x):
    F = np.fft.rfft(x)
    P = np.abs(F) ** 2
    return (
        np.sum(P * np.arange(1.0, len(P) + 1))
        + np.sum(np.fft.irfft(F * np.conj(F), n=len(x)) ** 2) * 0.1
    )


def _rhs(y, k):
    return np.array([y[1], -k[0] * np.sin(y[0]) - k[1] * y[1]])


def _rk4_traj(k):
    y = np.array([1.0, 0.0])
    h = 0.1
    out = []
    for _ in range(8):
        a = _rhs(y, k)
        b = _rhs(y + 0.5 * h * a, k)
        c = _rhs(y + 0.5 * h * b, k)
        d = _rhs(y + h * c, k)
        y = y + h / 6 * (a + 2 * b + 2 * c + d)
        out.append(y[0])
    return np.array(out)


def ode_jacrev_sens(k):
    # sensitivity matrix of an RK4 trajectory (srcad.jacrev), its Fisher information's log det
    J = srcad.jacrev(_rk4_traj)(k)
    return np.linalg.slogdet(J.T @ J + 1e-3 * np.eye(2))[1] + np.sum(_rk4_traj(k) ** 2)


def euler_loss(k):
    y = np.array([1.0, 0.0])
    t = 0.0
    while t < 0.8 - 1e-12:
        y = y + 0.05 * _rhs(y, k)
        t += 0.05
    return np.sum((y - np.array([0.5, -0.5])) ** 2)


def lib_grad_inside(x):
    # library functions passed straight to a transform, inside (srcad/libwrap.py)
    g = srcad.grad(np.tanh)
    return g(x[0]) * x[1] + np.sum(srcad.jacfwd(np.exp)(x) @ x) + srcad.grad(math.sin)(x[2])


def _cubic(x):
    return np.sum(np.sin(x) * x[0] ** 2) + x[1] * x[2] ** 3


def third_inline(x):
    # srcad.jacfwd(srcad.hessian(f)) written inline (a third derivative), differentiated again
    T = srcad.jacfwd(srcad.hessian(_cubic))(x)
    return np.sum(T * np.arange(27.0).reshape(3, 3, 3))


def hvp_power_iteration(x):
    # the top Hessian eigenvalue by power iteration with srcad.hvp (a sharpness penalty)
    v = np.ones(3) / np.sqrt(3.0)
    for _ in range(5):
        _, hv = srcad.hvp(_cubic, (x,), (v,))
        v = hv / np.linalg.norm(hv)
    _, hv = srcad.hvp(_cubic, (x,), (v,))
    return _cubic(x) + 0.1 * v @ hv


def hessian_trace_logdet(x):
    H = srcad.hessian(lambda z: np.sum(np.exp(z)) + 0.5 * z @ z + z[0] * z[1] * z[2])(x)
    return np.trace(H) + np.linalg.slogdet(H)[1] + np.sum(np.linalg.inv(H))


def newton_decrement(x):
    g = srcad.grad(_logpost)(x)
    H = srcad.hessian(_logpost)(x)
    return -g @ np.linalg.solve(H, g)


def implicit_ridge(lam):
    # validation loss of a ridge fit through an inner solve written with jacfwd of the gradient
    def train(w):
        return np.sum((XD[:5] @ w - YD[:5]) ** 2) + np.exp(lam[0]) * np.sum(w**2)

    w = np.zeros(3)
    H = srcad.jacfwd(srcad.grad(train))(w)
    w = w - np.linalg.solve(H, srcad.grad(train)(w))
    return np.sum((XD[5:] @ w - YD[5:]) ** 2)


def jac_det_flow(x):
    # change of variables: log |det J| of a small invertible map (jacrev), plus a base density
    def flow(z):
        return z + 0.3 * np.tanh(z[::-1] * np.array([1.0, 2.0, 0.5])) + 0.1 * z**3

    J = srcad.jacrev(flow)(x)
    y = flow(x)
    return -0.5 * y @ y + np.log(np.abs(np.linalg.det(J)))


def vector_dict_loop(x):
    acc = {"s": 0.0, "p": 1.0}
    for i, xi in enumerate(x):
        acc["s"] += xi**2 * (i + 1)
        acc["p"] *= 1.0 + 0.1 * xi
    return acc["s"] * acc["p"] + np.log(acc["p"])


def clip_where_away(x):
    y = np.clip(x, -2.0, 2.0)
    z = np.where(x > 0, np.sqrt(np.abs(x) + 1.0), np.exp(x))
    return np.sum(y**3) + np.sum(z**2) + np.sum(np.maximum(x, -3.0) * x)


def mixture_em_step(mu):
    # one EM step for a 1-d Gaussian mixture, differentiated through responsibilities
    data = np.array([-1.2, -0.8, 0.1, 0.9, 1.4, 2.0])
    logp = -0.5 * (data[:, None] - mu[None, :]) ** 2
    r = sp.softmax(logp, axis=1)
    mu_new = (r.T @ data) / np.sum(r, axis=0)
    return np.sum(sp.logsumexp(-0.5 * (data[:, None] - mu_new[None, :]) ** 2, axis=1))


def polyfit_like(c):
    # least squares via normal equations written with np.vander and np.polyval
    t = np.linspace(-1.0, 1.0, 6)
    y = np.polyval(c, t)
    V = np.vander(t, 3)
    coef = np.linalg.solve(V.T @ V, V.T @ np.sin(y))
    return np.sum(coef**2) + np.sum(np.polyval(coef, t) * y)


def robust_stats(x):
    return np.median(x) ** 2 + np.percentile(x, 30) * np.sum(x) + np.quantile(x**2, 0.8)


def running_extrema(x):
    return np.sum(np.maximum.accumulate(x) ** 2) + np.sum(np.minimum.accumulate(x) * x)


def std_var_axes(x):
    M = x.reshape(2, 3)
    return (
        np.std(x, ddof=1) ** 3
        + np.var(M, axis=0) @ np.array([1.0, 2.0, 3.0])
        + np.sum(np.std(M, axis=1, keepdims=True))
    )


A53 = R.standard_normal((5, 3))


def lstsq_residuals(x):
    sol, res, _, s = np.linalg.lstsq(A53 * x[5], np.sin(x[:5]), rcond=None)
    return np.sum(sol**2) + res[0] + np.sum(s)


def logsumexp_weights(x):
    w = np.array([1.0, 2.0, 0.5, 1.0, 3.0])
    return (
        sp.logsumexp(x, b=w) + sp.logsumexp(x.reshape(1, 5) * 2, axis=1, b=0.5, keepdims=True)[0, 0]
    )


def smooth_trapezoid(x):
    k = np.convolve(x, np.array([0.25, 0.5, 0.25]), mode="same")
    return np.trapezoid(k**2, dx=0.1) + np.sum(np.correlate(x, x[:2], mode="valid") ** 2)


def padded_spectrum(x):
    F = np.fft.rfft(x, n=8, norm="ortho")
    return np.sum(np.abs(F) ** 2 * np.arange(5)) + np.sum(np.fft.irfft(F, n=8) ** 3)


def fft_autocorrelation(x):
    F = np.fft.fft(x - np.mean(x))
    ac = np.real(np.fft.ifft(F * np.conj(F)))
    return np.sum(ac[1:3] / ac[0])


def adaptive_euler(k):
    # the last step is clipped to the end time (the step count is constant near k)
    y, t, h = 1.0, 0.0, 0.15
    while t < 1.0:
        h2 = min(h, 1.0 - t)
        y = y + h2 * (-k[0] * y + np.sin(k[1] * t))
        t += h2
    return y**2 + k[0] * y


def sorted_rows(x):
    M = x.reshape(2, 3)
    s = np.sort(M, axis=0)
    idx = np.argsort(M, axis=1)
    return np.sum(s * np.array([1.0, 2.0, 3.0])) + np.sum(
        np.take_along_axis(M, idx, axis=1)[:, -1] ** 3
    )


def partition_topk(x):
    p = np.partition(x, 3)
    return np.sum(p[3:] ** 2) + p[3] * 2


def cross_entropy_keepdims(x):
    L = x.reshape(2, 3)
    lp = L - sp.logsumexp(L, axis=-1, keepdims=True)
    y = np.array([[0.0, 1.0, 0.0], [0.0, 0.0, 1.0]])
    return -np.sum(y * lp) + np.sum(np.exp(lp) ** 2)


def interp_periodic(x):
    knots = np.array([0.0, 1.0, 2.0, 3.0, 4.0, 5.0])
    y = np.interp(np.array([0.1, 2.3, 5.9]), knots, x, period=6.0)
    z = np.interp(x[:2], [0.0, 1.0, 2.0], [1.0, 3.0, 2.0], left=0.0, right=5.0)
    return np.sum(y**2) + np.sum(z**2)


@dataclasses.dataclass
class Layer:
    W: np.ndarray
    b: np.ndarray


def mlp_layers(theta):
    l1 = Layer(theta[:6].reshape(3, 2), theta[6:8])
    l2 = Layer(theta[8:10].reshape(2, 1), theta[10:11])
    h = np.tanh(A53 @ l1.W + l1.b)
    out = h @ l2.W + l2.b
    return np.mean((out[:, 0] - np.arange(5.0) / 5) ** 2)


def svd_top_vector(x):
    M = x.reshape(2, 3) + np.array([[2.0, 0.0, 0.0], [0.0, 0.5, 0.0]])
    U, s, _ = np.linalg.svd(M, full_matrices=False)
    return s[0] ** 2 + np.sum(U[:, 0] ** 4) + np.sum(s)


def X(*v):
    return np.array(v, dtype=float)


X6 = X(0.4, -0.3, 0.6, 1.2, -0.9, 0.1)

CASES = [
    Case(gauss_newton_fwd, (X(1.0, 1.0, 0.1),), (0,), extra="hvp"),
    Case(levenberg_marquardt, (X(1.0, 1.0, 0.1),), (0,), extra="hvp"),
    Case(laplace_evidence, (X(0.3, -0.2, 0.5),), (0,), extra="hvp"),
    Case(laplace_cholesky, (X(0.3, -0.2, 0.5),), (0,), extra="hvp"),
    Case(newton_while, (X(0.4, -0.3, 0.6),), (0,), extra="hvp"),
    Case(maml_two_steps, (X(0.3, -0.2, 0.5),), (0,), extra="hvp"),
    Case(dataclass_loss, (X(0.3, -0.2, 0.5, 0.1),), (0,), extra="hvp"),
    Case(dict_params, (X(0.3, -0.2, 0.5, 0.1, -0.2),), (0,), extra="hvp"),
    Case(object_energy, (X(0.7, 0.3, -0.2, 0.5),), (0,), extra="hvp"),
    Case(early_return_loop, (X(0.4, -0.3, 0.6, 0.9),), (0,), extra="hvp"),
    Case(recurrence_writes, (X(0.4, -0.3, 0.6),), (0,), extra="hvp"),
    Case(norms_mix, (R.standard_normal(9) * 0.4,), (0,), extra="hvp"),
    Case(nuclear_and_inf, (R.standard_normal(9) * 0.4,), (0,), extra="hvp"),
    Case(sort_topk, (X(0.4, -0.3, 0.6, 1.2, -0.9, 0.1),), (0,), extra="hvp"),
    Case(max_axis, (X(0.4, -0.3, 0.6, 1.2, -0.9, 0.1),), (0,), extra="hvp"),
    Case(logsumexp_axis, (X(0.4, -0.3, 0.6, 1.2, -0.9, 0.1),), (0,), extra="hvp"),
    Case(manual_softmax_keepdims, (X(0.4, -0.3, 0.6, 1.2, -0.9, 0.1),), (0,), extra="hvp"),
    Case(cum_chains, (X(0.4, -0.3, 0.6, 1.2, -0.9, 0.1),), (0,), extra="hvp"),
    Case(interp_fp, (X(0.4, -0.3, 0.6, 1.2, -0.9),), (0,), extra="hvp"),
    Case(interp_x, (X(0.2, 0.7, 1.3, 1.8),), (0,), extra="hvp"),
    Case(float32_data, (X(0.4, -0.3, 0.6),), (0,), extra="hvp"),
    Case(rfft_power, (X(0.4, -0.3, 0.6, 1.2, -0.9, 0.1, 0.5),), (0,), extra="hvp"),
    Case(ode_jacrev_sens, (X(1.5, 0.3),), (0,), extra="hvp"),
    Case(euler_loss, (X(1.5, 0.3),), (0,), extra="hvp"),
    Case(lib_grad_inside, (X(0.4, -0.3, 0.6),), (0,), extra="hvp"),
    Case(third_inline, (X(0.4, -0.3, 0.6),), (0,), extra="hvp"),
    Case(hvp_power_iteration, (X(0.4, -0.3, 0.6),), (0,), extra="hvp"),
    Case(hessian_trace_logdet, (X(0.4, -0.3, 0.6),), (0,), extra="hvp"),
    Case(newton_decrement, (X(0.3, -0.2, 0.5),), (0,), extra="hvp"),
    Case(implicit_ridge, (X(-0.5),), (0,), extra="hvp"),
    Case(jac_det_flow, (X(0.4, -0.3, 0.6),), (0,), extra="hvp"),
    Case(vector_dict_loop, (X(0.4, -0.3, 0.6),), (0,), extra="hvp"),
    Case(clip_where_away, (X(0.4, -0.3, 2.6, -3.5),), (0,), extra="hvp"),
    Case(mixture_em_step, (X(-1.0, 1.0),), (0,), extra="hvp"),
    Case(polyfit_like, (X(0.3, -0.5, 0.8),), (0,), extra="hvp"),
    Case(robust_stats, (X6,), (0,), extra="hvp"),
    Case(running_extrema, (X6,), (0,), extra="hvp"),
    Case(std_var_axes, (X6,), (0,), extra="hvp"),
    Case(lstsq_residuals, (X(0.4, -0.3, 0.6, 1.2, -0.9, 1.1),), (0,), extra="hvp"),
    Case(logsumexp_weights, (X6[:5],), (0,), extra="hvp"),
    Case(smooth_trapezoid, (X6[:5],), (0,), extra="hvp"),
    Case(padded_spectrum, (X6,), (0,), extra="hvp"),
    Case(fft_autocorrelation, (X6,), (0,), extra="hvp"),
    Case(adaptive_euler, (X(0.7, 1.3),), (0,), extra="hvp"),
    Case(sorted_rows, (X6,), (0,), extra="hvp"),
    Case(partition_topk, (X6,), (0,), extra="hvp"),
    Case(cross_entropy_keepdims, (X6,), (0,), extra="hvp"),
    Case(interp_periodic, (X6,), (0,), extra="hvp"),
    Case(mlp_layers, (R.standard_normal(11) * 0.5,), (0,), extra="hvp"),
    Case(svd_top_vector, (R.standard_normal(6) * 0.3,), (0,), extra="hvp"),
]
