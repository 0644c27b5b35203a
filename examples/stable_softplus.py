"""A numerically stable softplus with a custom VJP (issue 10), beside the `np.where` form.

    python examples/stable_softplus.py

softplus(x) = log(1 + exp(x)). Written directly, its gradient at x = 1000 is
exp(x) / (1 + exp(x)) = inf / inf = NaN. Written with ``np.where`` to avoid the overflow, JAX and
autograd still give NaN (the unselected branch's derivative is computed and multiplied by zero);
srcad masks the unselected side of a `where` (srcad/ad/masks.py), so that form is finite here. A
`custom_vjp` states the derivative (sigmoid(x), computed stably) whatever the primal looks like,
and srcad calls that rule; the generated code shows the call (`srcad.source`). The rule
functions are ordinary Python, so the second derivative (srcad.hessian) differentiates them.
"""

from __future__ import annotations

import numpy as np

import srcad


def sigmoid(x):
    return 0.5 * (1.0 + np.tanh(0.5 * x))  # no overflow anywhere


@srcad.custom_vjp
def softplus(x):
    return np.logaddexp(x, 0.0)


def softplus_fwd(x):
    return softplus(x), x  # (output, residuals for the backward rule)


def softplus_bwd(x, g):
    return (g * sigmoid(x),)  # one cotangent per input


softplus.defvjp(softplus_fwd, softplus_bwd)


def where_softplus(x):
    # the textbook form: the value is right, the derivative of the unused branch is inf/inf
    return np.where(x > 30.0, x, np.log(1.0 + np.exp(x)))


def naive_softplus(x):
    return np.log(1.0 + np.exp(x))


def loss_naive(x):
    return np.sum(naive_softplus(x))


def loss_custom(x):
    return np.sum(softplus(x))


def loss_where(x):
    return np.sum(where_softplus(x))


def main() -> None:
    x = np.array([-1000.0, -1.0, 0.0, 1.0, 1000.0])
    g_custom = srcad.grad(loss_custom)(x)
    with np.errstate(all="ignore"):
        g_where = np.array([
            (loss_where(x + e) - loss_where(x - e)) / 2e-6 if np.isfinite(loss_where(x + e))
            else np.nan
            for e in np.eye(len(x)) * 1e-6
        ])  # fmt: skip
        try:
            g_where_ad = srcad.grad(loss_where)(x)
        except srcad.SrcadError as e:  # not expected; shown if it happens
            g_where_ad = f"refused: {e}"
    print("x                     ", x)
    print("custom_vjp gradient   ", g_custom)
    print("sigmoid(x)            ", sigmoid(x))
    print("np.where form, AD     ", g_where_ad)
    print("np.where form, FD     ", g_where)
    with np.errstate(all="ignore"):
        g_naive = srcad.grad(loss_naive)(x)
    print("log(1 + exp(x)), AD   ", g_naive, "(NaN at 1000: inf / inf)")
    assert np.isnan(g_naive[-1])
    assert np.all(np.isfinite(g_custom))
    assert np.allclose(g_custom, sigmoid(x), rtol=1e-15, atol=0)
    h = srcad.hessian(loss_custom)(np.array([0.0, 2.0]))
    print("second derivative at [0, 2] (through fwd/bwd):", np.diag(h))
    s = sigmoid(np.array([0.0, 2.0]))
    assert np.allclose(np.diag(h), s * (1 - s), rtol=1e-14)
    print("\nthe generated gradient calls the rule by name:\n")
    print(srcad.source(loss_custom))


if __name__ == "__main__":
    main()
