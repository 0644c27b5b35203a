"""Implicit differentiation of a solver with `srcad.custom_vjp` (issue 10): the hypergradient of
ridge regression's validation loss with respect to the regularisation strength.

    python examples/implicit_ridge.py

The inner problem is solved iteratively (gradient descent, hundreds of steps). Differentiating
through the iterations ("unrolled") tapes every step and is only as accurate as the iterate; the
implicit function theorem gives the derivative of the exact solution from the optimality
condition alone: F(w, lam) = (X'X + lam I) w - X'y = 0, so dw/dlam = -(X'X + lam I)^-1 w, and a
cotangent g of w pulls back to lam as -w . (X'X + lam I)^-1 g. The pattern:

    @srcad.custom_vjp(nondiff_argnums=(0, 1))
    def solve(X, y, lam): ...any solver...           # not differentiated
    def solve_fwd(X, y, lam): w = solve(X, y, lam); return w, (w, lam)
    def solve_bwd(X, y, res, g): ...one linear solve with dF/dw^T...; return (cotangent of lam,)

The same shape fits any fixed point or root (Newton, a fixed-point iteration): the backward rule
solves the transposed linearised optimality condition once.
"""

from __future__ import annotations

import numpy as np

import srcad

STEPS, LR = 400, 0.05


def gd_ridge(X, y, lam):
    """Ridge regression by gradient descent on 0.5 |Xw - y|^2 / n + 0.5 lam |w|^2 (scaled)."""
    n = X.shape[0]
    w = np.zeros(X.shape[1])
    for _ in range(STEPS):
        w = w - LR * ((X.T @ (X @ w - y)) / n + lam * w)
    return w


@srcad.custom_vjp(nondiff_argnums=(0, 1))
def ridge(X, y, lam):
    return gd_ridge(X, y, lam)


def ridge_fwd(X, y, lam):
    w = ridge(X, y, lam)
    return w, (w, lam)


def ridge_bwd(X, y, res, g):
    w, lam = res
    n = X.shape[0]
    A = X.T @ X / n + lam * np.eye(X.shape[1])  # dF/dw, symmetric
    v = np.linalg.solve(A, g)
    return (-(w @ v),)  # dF/dlam = w


ridge.defvjp(ridge_fwd, ridge_bwd)


def val_loss_implicit(lam, X, y, Xv, yv):
    w = ridge(X, y, lam)
    r = Xv @ w - yv
    return 0.5 * np.sum(r * r)


def val_loss_unrolled(lam, X, y, Xv, yv):
    w = gd_ridge(X, y, lam)
    r = Xv @ w - yv
    return 0.5 * np.sum(r * r)


def val_loss_exact(lam, X, y, Xv, yv):
    n = X.shape[0]
    w = np.linalg.solve(X.T @ X / n + lam * np.eye(X.shape[1]), X.T @ y / n)
    r = Xv @ w - yv
    return 0.5 * np.sum(r * r)


def main() -> None:
    rng = np.random.default_rng(0)
    n, d = 80, 6
    X, Xv = rng.normal(size=(n, d)), rng.normal(size=(40, d))
    w_true = rng.normal(size=d)
    y = X @ w_true + 0.5 * rng.normal(size=n)
    yv = Xv @ w_true + 0.5 * rng.normal(size=40)
    lam = 0.3
    data = (X, y, Xv, yv)
    g_implicit = srcad.grad(val_loss_implicit)(lam, *data)
    g_unrolled = srcad.grad(val_loss_unrolled)(lam, *data)
    g_exact = srcad.grad(val_loss_exact)(lam, *data)
    eps = 1e-6
    fd = (val_loss_exact(lam + eps, *data) - val_loss_exact(lam - eps, *data)) / (2 * eps)
    print(f"hypergradient d val_loss / d lam at lam = {lam}")
    print(f"  implicit (custom_vjp, one solve):     {g_implicit:.12f}")
    print(f"  unrolled ({STEPS} gradient steps taped): {g_unrolled:.12f}")
    print(f"  closed-form solution, differentiated: {g_exact:.12f}")
    print(f"  central differences of closed form:   {fd:.12f}")
    assert abs(g_implicit - g_exact) < 1e-6 * max(1.0, abs(g_exact))
    assert abs(g_exact - fd) < 1e-6 * max(1.0, abs(g_exact))
    print("\nthe implicit gradient's reverse sweep calls the rule, not the solver's loop:\n")
    print(srcad.source(val_loss_implicit))


if __name__ == "__main__":
    main()
