"""scipy.optimize with srcad gradients: BFGS on the Rosenbrock function and a logistic regression.

Input: nothing (synthetic data, fixed seeds). Output: for each problem, scipy's BFGS run three
ways (no gradient, so scipy estimates it by finite differences; ``jac=srcad.grad(f)``;
``jac=True`` with ``srcad.value_and_grad(f)``, one call for both), with the iterations, the
function evaluations and the minimum each found.

The point: a gradient from srcad costs a small multiple of one evaluation of `f`, while scipy's
finite differences cost ``n + 1`` evaluations per gradient and are only accurate to about
``sqrt(machine epsilon)``, which shows in the final gradient norm.
Needs SciPy (``pip install "srcad[scipy]"``). Run it with ``python examples/scipy_optimize.py``;
dump the gradient scipy calls with ``srcad dump examples/scipy_optimize.py:rosenbrock``.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import minimize

import srcad


def rosenbrock(x):
    """The n-dimensional Rosenbrock function; its minimum is 0 at x = (1, ..., 1)."""
    return np.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1.0 - x[:-1]) ** 2)


rng = np.random.default_rng(0)
X = rng.standard_normal((500, 20))
y = (X @ rng.standard_normal(20) + 0.5 * rng.standard_normal(500) > 0).astype(float)


def logistic_loss(w):
    """Mean logistic loss of the labels `y` under the linear model ``X @ w``, plus a little L2."""
    z = X @ w
    return np.mean(np.logaddexp(0.0, z) - y * z) + 0.5e-2 * np.sum(w * w)


def solve(name: str, f, x0: np.ndarray) -> None:
    """Run BFGS three ways on `f` from `x0` and print one line per run."""
    print(f"{name}: {x0.size} parameters")
    runs = {
        "finite differences (no jac)": {},
        "jac=srcad.grad(f)": {"jac": srcad.grad(f)},
        "jac=True, value_and_grad(f)": {"jac": True},
    }
    for label, kw in runs.items():
        fun = srcad.value_and_grad(f) if kw.get("jac") is True else f
        res = minimize(fun, x0, method="BFGS", options={"gtol": 1e-8, "maxiter": 2000}, **kw)
        gnorm = np.linalg.norm(srcad.grad(f)(res.x))
        print(
            f"  {label:29s} iterations {res.nit:4d}   f evaluations {res.nfev:5d}   "
            f"f(x*) = {res.fun:.3e}   |grad f(x*)| = {gnorm:.1e}"
        )
    print()


def main() -> None:
    solve("Rosenbrock", rosenbrock, np.full(10, -1.0))
    solve("logistic regression", logistic_loss, np.zeros(20))
    w = minimize(srcad.value_and_grad(logistic_loss), np.zeros(20), jac=True, method="BFGS").x
    print("training accuracy of the fitted logistic model:", np.mean((X @ w > 0) == (y > 0)))


if __name__ == "__main__":
    main()
