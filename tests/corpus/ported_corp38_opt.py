"""Ported cases (session 38, corp38_opt): objectives from scipy.optimize's tutorial, jaxopt's
and optax's tests: the hand-written Rosenbrock gradient with slice writes (`der[1:-1] = ...`,
differentiated again: the Hessian) and its Hessian-vector product, the Kowalik-Osborne enzyme
residuals for `least_squares`, `curve_fit`'s `a * exp(-b x) + c`, SLSQP constraint dicts of
lambdas summed into a penalty, `root`'s two-equation system, the "large problem" PDE residual
with boundary rows, jaxopt's ridge and multiclass logistic objectives, benchmark functions
(Zakharov, Himmelblau, Beale, Matyas, Booth, Three-hump camel, Styblinski-Tang), optax's losses
(Huber, log-cosh, smoothed-label softmax cross-entropy, sigmoid focal, cosine similarity,
poly-1 loss, convex KL), and a meta-gradient through unrolled Adam steps (bias correction,
`sqrt(v_hat) + eps`) as optax's `scale_by_adam` computes them.

Float arrays -> float scalars or float arrays."""

from __future__ import annotations

import numpy as np
from scipy.special import logsumexp

from . import Case

R = np.random.default_rng(38005)


def rosen(x):
    return np.sum(100.0 * (x[1:] - x[:-1] ** 2.0) ** 2.0 + (1 - x[:-1]) ** 2.0)


def rosen_der(x):
    xm = x[1:-1]
    xm_m1 = x[:-2]
    xm_p1 = x[2:]
    der = np.zeros_like(x)
    der[1:-1] = 200 * (xm - xm_m1**2) - 400 * (xm_p1 - xm**2) * xm - 2 * (1 - xm)
    der[0] = -400 * x[0] * (x[1] - x[0] ** 2) - 2 * (1 - x[0])
    der[-1] = 200 * (x[-1] - x[-2] ** 2)
    return der


def rosen_hess_p(x, p):
    Hp = np.zeros_like(x)
    Hp[0] = (1200 * x[0] ** 2 - 400 * x[1] + 2) * p[0] - 400 * x[0] * p[1]
    Hp[1:-1] = (
        -400 * x[:-2] * p[:-2]
        + (202 + 1200 * x[1:-1] ** 2 - 400 * x[2:]) * p[1:-1]
        - 400 * x[1:-1] * p[2:]
    )
    Hp[-1] = -400 * x[-2] * p[-2] + 200 * p[-1]
    return Hp


def rosen_grad_norm(x):
    # a user's check that the hand gradient vanishes: its squared norm, differentiated
    g = rosen_der(x)
    return np.dot(g, g) + np.dot(rosen_hess_p(x, g), x)


U_KO = np.array(
    [4.0, 2.0, 1.0, 5.0e-1, 2.5e-1, 1.67e-1, 1.25e-1, 1.0e-1, 8.33e-2, 7.14e-2, 6.25e-2]
)
Y_KO = np.array([1.957e-1, 1.947e-1, 1.735e-1, 1.6e-1, 8.44e-2, 6.27e-2, 4.56e-2, 3.42e-2,
                 3.23e-2, 2.35e-2, 2.46e-2])  # fmt: skip


def enzyme_model(x, u):
    return x[0] * (u**2 + x[1] * u) / (u**2 + x[2] * u + x[3])


def enzyme_residuals(x):
    return enzyme_model(x, U_KO) - Y_KO


def enzyme_jac_user(x):
    # the tutorial's hand Jacobian, checked by differentiating a loss built from it
    J = np.empty((U_KO.size, x.size))
    den = U_KO**2 + x[2] * U_KO + x[3]
    num = U_KO**2 + x[1] * U_KO
    J[:, 0] = num / den
    J[:, 1] = x[0] * U_KO / den
    J[:, 2] = -x[0] * num * U_KO / den**2
    J[:, 3] = -x[0] * num / den**2
    return np.sum(J**2) + np.sum(enzyme_residuals(x) ** 2)


def curve_fit_func(x, a, b, c):
    return a * np.exp(-b * x) + c


def curve_fit_sse(p, xdata, ydata):
    return np.sum((curve_fit_func(xdata, *p) - ydata) ** 2)


CONS = (
    {"type": "ineq", "fun": lambda x: x[0] - 2 * x[1] + 2},
    {"type": "ineq", "fun": lambda x: -x[0] - 2 * x[1] + 6},
    {"type": "eq", "fun": lambda x: x[0] * x[1] - 1.5},
)


def slsqp_penalty(x, mu):
    f = (x[0] - 1) ** 2 + (x[1] - 2.5) ** 2
    pen = 0.0
    for c in CONS:
        v = c["fun"](x)
        if c["type"] == "eq":
            pen += v**2
        else:
            pen += np.minimum(v, 0.0) ** 2
    return f + mu * pen


def root_system(x):
    return np.array([x[0] + 0.5 * (x[0] - x[1]) ** 3 - 1.0, 0.5 * (x[1] - x[0]) ** 3 + x[1]])


NX, NY = 6, 5
HX, HY = 1.0 / (NX - 1), 1.0 / (NY - 1)
P_LEFT, P_RIGHT, P_TOP, P_BOTTOM = 0.0, 0.0, 1.0, 0.0


def pde_residual(P):
    d2x = np.zeros_like(P)
    d2y = np.zeros_like(P)
    d2x[1:-1] = (P[2:] - 2 * P[1:-1] + P[:-2]) / HX / HX
    d2x[0] = (P[1] - 2 * P[0] + P_LEFT) / HX / HX
    d2x[-1] = (P_RIGHT - 2 * P[-1] + P[-2]) / HX / HX
    d2y[:, 1:-1] = (P[:, 2:] - 2 * P[:, 1:-1] + P[:, :-2]) / HY / HY
    d2y[:, 0] = (P[:, 1] - 2 * P[:, 0] + P_BOTTOM) / HY / HY
    d2y[:, -1] = (P_TOP - 2 * P[:, -1] + P[:, -2]) / HY / HY
    return d2x + d2y - 10 * np.cosh(P).mean() ** 2


XR = R.standard_normal((10, 4))
YR = R.standard_normal(10)
LABELS = np.array([0, 2, 1, 1, 0, 2, 2, 1, 0, 1])


def ridge_objective(w, l2reg):
    return 0.5 * np.mean((XR @ w - YR) ** 2) + 0.5 * l2reg * np.sum(w**2)


def multiclass_logreg(W, b, l2reg):
    logits = XR @ W + b
    ll = logits[np.arange(len(LABELS)), LABELS] - logsumexp(logits, axis=1)
    return -np.mean(ll) + 0.5 * l2reg * np.sum(W * W)


def benchmark_functions(x):
    a, b = x[0], x[1]
    i = np.arange(1, x.size + 1)
    zak = np.sum(x**2) + np.sum(0.5 * i * x) ** 2 + np.sum(0.5 * i * x) ** 4
    him = (a**2 + b - 11) ** 2 + (a + b**2 - 7) ** 2
    beale = (1.5 - a + a * b) ** 2 + (2.25 - a + a * b**2) ** 2 + (2.625 - a + a * b**3) ** 2
    matyas = 0.26 * (a**2 + b**2) - 0.48 * a * b
    booth = (a + 2 * b - 7) ** 2 + (2 * a + b - 5) ** 2
    camel = 2 * a**2 - 1.05 * a**4 + a**6 / 6 + a * b + b**2
    st = 0.5 * np.sum(x**4 - 16 * x**2 + 5 * x)
    return zak + him + beale + matyas + booth + camel + st


def huber_loss(pred, target, delta=1.0):
    err = np.abs(pred - target)
    quad = np.minimum(err, delta)
    lin = err - quad
    return np.sum(0.5 * quad**2 + delta * lin)


def log_cosh(pred, target):
    e = pred - target
    return np.sum(np.logaddexp(e, -e) - np.log(2.0))


def smoothed_softmax_xent(logits, alpha):
    k = logits.shape[-1]
    onehot = np.eye(k)[LABELS[: logits.shape[0]]]
    smoothed = (1.0 - alpha) * onehot + alpha / k
    logp = logits - logsumexp(logits, axis=-1, keepdims=True)
    return -np.sum(smoothed * logp, axis=-1).mean()


def sigmoid_focal(logits, gamma):
    labels = (LABELS[: logits.size] > 0).astype(float).reshape(logits.shape)
    p = 1 / (1 + np.exp(-logits))
    ce = np.logaddexp(0.0, logits) - logits * labels
    p_t = p * labels + (1 - p) * (1 - labels)
    return np.sum(ce * (1 - p_t) ** gamma)


def cosine_similarity(a, b, eps=1e-8):
    an = a / np.maximum(np.linalg.norm(a, axis=-1, keepdims=True), eps)
    bn = b / np.maximum(np.linalg.norm(b, axis=-1, keepdims=True), eps)
    return np.sum(an * bn, axis=-1)


def poly1_loss(logits, epsilon):
    onehot = np.eye(logits.shape[-1])[LABELS[: logits.shape[0]]]
    logp = logits - logsumexp(logits, axis=-1, keepdims=True)
    pt = np.sum(onehot * np.exp(logp), axis=-1)
    return np.mean(-np.sum(onehot * logp, axis=-1) + epsilon * (1 - pt))


def convex_kl(log_p, q):
    return np.sum(q * (np.log(q) - log_p) + np.exp(log_p) - q)


def unrolled_adam(lr, w0):
    b1, b2, eps = 0.9, 0.999, 1e-8
    w = w0.copy()
    m = np.zeros_like(w)
    v = np.zeros_like(w)
    for t in range(1, 6):
        g = XR.T @ (XR @ w - YR) / len(YR)
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g**2
        m_hat = m / (1 - b1**t)
        v_hat = v / (1 - b2**t)
        w = w - lr * m_hat / (np.sqrt(v_hat) + eps)
    return 0.5 * np.mean((XR @ w - YR) ** 2)


X6 = np.array([0.8, 1.1, 0.9, 1.3, 0.7, 1.05])
XCF = np.linspace(0, 4, 9)
CASES = [
    Case(rosen_der, (X6,), (0,)),
    Case(rosen_hess_p, (X6, X6[::-1].copy()), (0, 1)),
    Case(rosen_grad_norm, (X6,), (0,), extra="hvp"),
    Case(enzyme_residuals, (np.array([0.25, 0.39, 0.415, 0.39]),), (0,)),
    Case(enzyme_jac_user, (np.array([0.25, 0.39, 0.415, 0.39]),), (0,)),
    Case(curve_fit_sse, (np.array([2.5, 1.3, 0.5]), XCF, np.exp(-XCF)), (0,)),
    Case(slsqp_penalty, (np.array([1.3, 1.1]), 10.0), (0, 1), extra="hvp"),
    Case(root_system, (np.array([0.8, 0.2]),), (0,)),
    Case(pde_residual, (0.3 * R.random((NX, NY)),), (0,)),
    Case(ridge_objective, (R.standard_normal(4), 0.1), (0, 1), extra="hvp"),
    Case(multiclass_logreg, (R.standard_normal((4, 3)), R.standard_normal(3), 0.1), (0, 1, 2)),
    Case(benchmark_functions, (np.array([0.7, -0.4, 0.3]),), (0,), extra="hvp"),
    Case(huber_loss, (R.standard_normal(6) * 2, R.standard_normal(6)), (0, 1)),
    Case(log_cosh, (R.standard_normal(6), R.standard_normal(6)), (0, 1)),
    Case(smoothed_softmax_xent, (R.standard_normal((5, 3)), 0.1), (0, 1)),
    Case(sigmoid_focal, (R.standard_normal((2, 3)), 2.0), (0, 1)),
    Case(cosine_similarity, (R.standard_normal((3, 4)), R.standard_normal((3, 4))), (0, 1)),
    Case(poly1_loss, (R.standard_normal((5, 3)), 1.0), (0, 1)),
    Case(convex_kl, (np.log(R.random(5) + 0.1), R.random(5) + 0.1), (0, 1)),
    Case(unrolled_adam, (0.05, R.standard_normal(4)), (0, 1), extra="hvp"),
]
