"""Newton's method on an L2-regularised logistic-regression loss, second derivatives from srcad.

Input: synthetic data (400 rows, 5 features plus a bias column). Output: the loss per iteration
of two Newton solvers, and their agreement with a reference minimiser (scipy.optimize when it is
importable, otherwise plain gradient descent run to convergence).

- `newton_hessian`: forms the 6 x 6 Hessian with `srcad.hessian` and solves ``H p = -g``;
- `newton_cg`: never forms H; `srcad.hvp` gives ``(g, H v)`` for each conjugate-gradient step.

Both converge quadratically in about six iterations. Run it with ``python examples/newton.py``;
dump the generated Hessian-vector product with
``srcad dump examples/newton.py:loss --mode hvp``.
"""

from __future__ import annotations

import numpy as np

import srcad

LAM = 1e-2  # L2 regularisation: keeps the minimiser finite even if the data were separable


def loss(w, X, y):
    """Mean logistic loss of the labels `y` (0/1) under the linear model ``X @ w``, plus L2."""
    z = X @ w
    # log(1 + exp(z)) - y z, stably (max(z, 0) + log1p(exp(-|z|)) gives the same derivatives)
    return np.mean(np.logaddexp(0.0, z) - y * z) + 0.5 * LAM * np.sum(w * w)


def make_data(n: int = 400, d: int = 5, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Gaussian features plus a bias column; labels drawn from a logistic model (not separable)."""
    rng = np.random.default_rng(seed)
    X = np.hstack([rng.standard_normal((n, d)), np.ones((n, 1))])
    w_true = rng.standard_normal(d + 1)
    y = (rng.random(n) < 1.0 / (1.0 + np.exp(-X @ w_true))).astype(float)
    return X, y


def newton_hessian(X, y, iters: int = 8, verbose: bool = True) -> tuple[np.ndarray, list[float]]:
    """Newton's method with the full Hessian: ``w <- w - H(w)^-1 g(w)``."""
    grad = srcad.value_and_grad(loss)
    hess = srcad.hessian(loss)
    w = np.zeros(X.shape[1])
    history = []
    for it in range(iters):
        value, g = grad(w, X, y)
        history.append(value)
        if verbose:
            print(f"  iter {it}  loss {value:.15f}  |g| {np.linalg.norm(g):.2e}")
        if np.linalg.norm(g) < 1e-12:
            break
        w = w + np.linalg.solve(hess(w, X, y), -g)
    return w, history


def conjugate_gradient(hv, g: np.ndarray, tol: float = 1e-14) -> np.ndarray:
    """Solve ``H p = -g`` by conjugate gradients, H known only through products ``hv(v)``."""
    p = np.zeros_like(g)
    r = -g.copy()
    d = r.copy()
    rr = r @ r
    for _ in range(2 * g.size):  # n steps in exact arithmetic; a few more for rounding
        if np.sqrt(rr) <= tol:
            break
        Hd = hv(d)
        alpha = rr / (d @ Hd)
        p = p + alpha * d
        r = r - alpha * Hd
        rr, rr_old = r @ r, rr
        d = r + (rr / rr_old) * d
    return p


def newton_cg(X, y, iters: int = 8, verbose: bool = True) -> tuple[np.ndarray, list[float]]:
    """Newton's method without forming H: conjugate gradients on Hessian-vector products."""
    grad = srcad.value_and_grad(loss)
    w = np.zeros(X.shape[1])
    history = []
    for it in range(iters):
        value, g = grad(w, X, y)
        history.append(value)
        if verbose:
            print(f"  iter {it}  loss {value:.15f}  |g| {np.linalg.norm(g):.2e}")
        if np.linalg.norm(g) < 1e-12:
            break

        def hv(v: np.ndarray, w: np.ndarray = w) -> np.ndarray:
            # one forward-over-reverse pass: (gradient, H v); X and y are held fixed
            return srcad.hvp(loss, (w, X, y), (v, None, None))[1]

        w = w + conjugate_gradient(hv, g)
    return w, history


def reference(X, y) -> tuple[np.ndarray, str]:
    """The minimiser by scipy.optimize (BFGS on srcad's gradient) or, without scipy, by gradient
    descent with a fixed step 1/L (L bounds the Hessian: ||X||^2 / (4 n) + LAM)."""
    grad = srcad.grad(loss)
    w0 = np.zeros(X.shape[1])
    try:
        from scipy.optimize import minimize
    except ImportError:
        step = 1.0 / (np.linalg.norm(X, 2) ** 2 / (4 * X.shape[0]) + LAM)
        w = w0
        for _ in range(20000):
            g = grad(w, X, y)
            if np.linalg.norm(g) < 1e-12:
                break
            w = w - step * g
        return w, "gradient descent"
    res = minimize(loss, w0, args=(X, y), jac=grad, method="BFGS", options={"gtol": 1e-12})
    return res.x, "scipy.optimize.minimize (BFGS)"


def main(verbose: bool = True) -> dict[str, np.ndarray]:
    X, y = make_data()
    if verbose:
        print(f"logistic regression: {X.shape[0]} rows, {X.shape[1]} parameters")
        print("Newton with srcad.hessian (solve H p = -g):")
    w_h, hist_h = newton_hessian(X, y, verbose=verbose)
    if verbose:
        print("Newton-CG with srcad.hvp (H never formed):")
    w_cg, hist_cg = newton_cg(X, y, verbose=verbose)
    w_ref, how = reference(X, y)
    if verbose:
        print(f"reference: {how}")
        print(f"  max |w_hessian - w_ref| = {np.max(np.abs(w_h - w_ref)):.1e}")
        print(f"  max |w_cg      - w_ref| = {np.max(np.abs(w_cg - w_ref)):.1e}")
        print(f"  loss at the minimum: {loss(w_h, X, y):.15f} (reference {loss(w_ref, X, y):.15f})")
    return {"hessian": w_h, "cg": w_cg, "reference": w_ref}


if __name__ == "__main__":
    main()
