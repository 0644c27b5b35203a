"""A varied argument of a parameter with no derivative is refused, never dropped (nondiff14).

A rule declares each parameter without a term as one of two kinds (`srcad.ad.rules`):
``nondiff`` (no derivative defined: an argument that depends on the differentiated inputs is
refused at transform time, in every mode and order) or ``zero_in`` (the derivative is zero
where it is defined: a mask, a sign source, a threshold, a value read for its shape; dropped).
Before, ``nondiff`` arguments were dropped without a word, and the audit of every declaration
found floats with a real derivative among them:

- WRONG derivative: ``np.histogram(data, bins, range=(lo, hi))`` with `range` computed from the
  inputs: the edges (the second result) move with it (`_hist_range` below: jvp -3.60 on main
  c064f14, central differences -16.67);
- WRONG derivative: ``np.histogram(data, bins=edges)`` with edges computed from the inputs
  (`_hist_bins`: jvp -1.20, central differences -1.34);
- ``np.quantile(..., weights=w)`` with varied weights: refused (as on main, where its rule
  refuses any weights when it runs);
- ``np.pad(..., end_values=)`` and ``np.interp(..., period=)`` (test_hunt13: refused for want of a
  term since a7909db; refused here in every mode).

And the other kind is still differentiated (a float condition, a sign source, a shape-only
array), and an integer made from the inputs (``x[0].astype(int)``, ``int(x[0])``, ``round``,
``np.argmax``) is no varied value, so an axis or shift made from it is not refused.
"""

from __future__ import annotations

import numpy as np
import pytest

import srcad

X6 = np.array([0.7, 1.3, -0.4, 2.1, 0.9, -1.2])
DATA = np.array([0.1, 0.4, 0.45, 0.9, 1.3, 1.7])
V6 = np.linspace(-1.0, 1.0, 6)


def _fd(f, x, v, h=1e-6):
    return (f(x + h * v) - f(x - h * v)) / (2 * h)


def _hist_range(x):
    h, e = np.histogram(DATA, bins=4, range=(0.0, 2.0 + x[0] ** 2))
    return np.sum(e * e) + np.sum(h * x[1])


def _hist_bins(x):
    h, e = np.histogram(DATA, bins=np.array([0.0, 0.5, 1.0 + 0.1 * x[1], 2.0]))
    return np.sum(e**2) + np.sum(h * x[2])


def _quantile_weights(x):
    return np.quantile(x, 0.5, method="inverted_cdf", weights=np.abs(x) + 1.0)


def _pad_ends(x):
    return np.sum(np.pad(x[:4], (2, 3), mode="linear_ramp", end_values=(x[4], x[5])) ** 2)


def _interp_period(x):
    return np.sum(np.interp(x[:3], [0.0, 1.0, 2.0], [1.0, 3.0, 2.0], period=3 + x[3] ** 2))


REFUSED = [
    (_hist_range, "range", "declares no derivative"),
    (_hist_bins, "bins", "declares no derivative"),
    (_quantile_weights, "weights", None),
    (_pad_ends, "end_values", "no derivative rule"),
    (_interp_period, "period", "no derivative rule"),
]


@pytest.mark.parametrize("fn, arg, why", REFUSED, ids=[r[1] for r in REFUSED])
@pytest.mark.parametrize("mode", ["jvp", "grad", "hessian"])
def test_varied_argument_without_derivative_refused(fn, arg, why, mode) -> None:
    run = {
        "jvp": lambda: srcad.jvp(fn, (X6,), (V6,)),
        "grad": lambda: srcad.grad(fn)(X6),
        "hessian": lambda: srcad.hessian(fn)(X6),
    }[mode]
    with pytest.raises(srcad.SrcadError) as e:
        run()
    msg = str(e.value)
    assert "test_nondiff14.py:" in msg and "^" in msg  # file:line:col, the source line, a caret
    if why is None:  # (the rule's own run-time refusal, or the check)
        assert f"`{arg}" in msg
        return
    assert f"not differentiable in its argument `{arg}`" in msg
    assert "depends on the differentiated inputs" in msg and why in msg
    assert "srcad.stop_gradient" in msg


def _hist_const(x):
    h, e = np.histogram(DATA, bins=4, range=(0.0, 2.0))
    return np.sum(e * x[0]) + np.sum(h * x[1])


def _stopped_range(x):
    h, e = np.histogram(DATA, bins=4, range=(0.0, srcad.stop_gradient(2.0 + x[0] ** 2)))
    return np.sum(e * x[2]) + np.sum(h * x[1])


HI = 2.0 + X6[0] ** 2


def _fixed_range(x):
    h, e = np.histogram(DATA, bins=4, range=(0.0, HI))
    return np.sum(e * x[2]) + np.sum(h * x[1])


def test_stop_gradient_makes_a_constant() -> None:
    """The hint's way out: the argument wrapped in srcad.stop_gradient is held constant."""
    fd = _fd(_fixed_range, X6, V6)
    np.testing.assert_allclose(srcad.grad(_stopped_range)(X6) @ V6, fd, rtol=1e-6)
    np.testing.assert_allclose(srcad.jvp(_stopped_range, (X6,), (V6,))[1], fd, rtol=1e-6)
    np.testing.assert_allclose(srcad.hessian(_stopped_range)(X6), 0.0, atol=1e-12)


def _float_condition(x):
    return np.sum(np.where(x[::-1] - 0.5, x**2, np.sin(x)))


def _sign_source(x):
    return np.sum(np.copysign(x**2, x[::-1])) + np.sum(np.heaviside(x[::-1], x))


def _shape_only(x):
    return np.sum(np.full_like(x * x, 2.0) * x) + np.sum(np.where(x > 0, x, 0.0) ** 2)


def _int_from_inputs(x):
    k = (x * 2).astype(np.int64)
    shift = x[0].astype(int) + int(x[1] * 3) + round(x[2]) + np.argmax(x)
    return np.sum(np.roll(x, shift + k[3]) * x) + np.sum(np.tril(np.outer(x, x), int(x[4])))


def _thresholds(x):
    a = np.outer(x, x[::-1]) + np.eye(6)
    return np.sum(np.linalg.pinv(a, rcond=1e-12 * x[0] ** 2)) + np.sum(
        np.unwrap(3 * x, discont=4.0 + x[1] ** 2)
    )


KEPT = [_hist_const, _float_condition, _sign_source, _shape_only,
        _int_from_inputs, _thresholds]  # fmt: skip


@pytest.mark.parametrize("fn", KEPT, ids=[f.__name__ for f in KEPT])
def test_zero_derivative_arguments_still_differentiated(fn) -> None:
    fd = _fd(fn, X6, V6)
    np.testing.assert_allclose(srcad.grad(fn)(X6) @ V6, fd, rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(srcad.jvp(fn, (X6,), (V6,))[1], fd, rtol=1e-6, atol=1e-8)
    hv = srcad.hessian(fn)(X6) @ V6
    g = srcad.grad(fn)
    np.testing.assert_allclose(hv, _fd(g, X6, V6), rtol=1e-5, atol=1e-6)
