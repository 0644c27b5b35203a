"""scipy.spatial.distance as scikit-learn's Gaussian-process kernels call it (corp24): ``cdist``,
``pdist`` and ``squareform`` of the differentiated points or length scales were refused ("no
derivative rule"); now their rules (srcad/rules/scipy_spatial.py) give the derivatives, checked
here end to end (value, gradient against central differences, JVP, VJP dot test, Hessian), and
a metric without a rule is refused with the call's location. Likewise lmfit's Voigt profile,
``wofz(z).real`` of a complex ``z``, refused before ("rule is for real values only")."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.spatial.distance import cdist, pdist, squareform
from scipy.special import wofz

import srcad
from tests.soundness.numeric import check_scalar

X = np.array([[0.3, -1.2], [1.1, 0.4], [-0.7, 0.9], [0.2, 0.25], [1.6, -0.5]])
Y = np.array([[0.5, 0.1], [-1.0, -0.4], [0.9, 1.3]])
T = np.array([0.4, -0.3, 1.1, 0.2, -0.8])


def rbf_theta(theta):
    # sklearn RBF: pdist of the scaled points, exp, squareform, unit diagonal
    K = np.exp(-0.5 * pdist(X / np.exp(theta), metric="sqeuclidean"))
    K = squareform(K)
    np.fill_diagonal(K, 1)
    return T @ K @ T


def matern_points(y):
    d = cdist(X, np.reshape(y, (3, 2)) / 0.9, metric="euclidean") * np.sqrt(3.0)
    return np.sum((1.0 + d) * np.exp(-d))


def pdist_points(x):
    z = np.reshape(x, (5, 2))
    return np.sum(np.sin(pdist(z))) + np.sum(squareform(pdist(z, "sqeuclidean")) @ T)


def rq_cdist_both(x):
    a = np.reshape(x, (5, 2))
    d = cdist(a, a[::-1] + 0.1, "sqeuclidean")  # the same points on both sides
    return np.sum((1.0 + d / 1.6) ** -0.8)


@pytest.mark.parametrize(
    "f, x",
    [
        (rbf_theta, np.array([0.2, -0.3])),
        (matern_points, Y.ravel()),
        (pdist_points, X.ravel()),
        (rq_cdist_both, X.ravel()),
    ],
)
def test_distance_derivatives(f, x) -> None:
    check_scalar(f, x)


def braycurtis(x):
    return np.sum(cdist(np.reshape(x, (5, 2)), Y, "braycurtis"))


def test_metric_without_rule_is_refused() -> None:
    with pytest.raises(srcad.SrcadError):
        srcad.grad(braycurtis)(X.ravel())


def voigt(p):
    x = np.linspace(-2.0, 2.5, 7)
    amp, c, s, g = p
    z = (x - c + 1j * g) / (s * np.sqrt(2.0))
    return np.sum((amp * wofz(z).real / (s * np.sqrt(2.0 * np.pi)) - 0.3) ** 2)


def faddeeva_mixed(p):
    w = wofz((p[0] + 1j * p[1]) ** 2)
    return w.imag + np.abs(w) + np.sum(wofz(p).imag * p)


@pytest.mark.parametrize(
    "f, x", [(voigt, np.array([2.0, 0.3, 0.6, 0.4])), (faddeeva_mixed, np.array([0.3, 0.8]))]
)
def test_wofz_of_complex_values(f, x) -> None:
    check_scalar(f, x)


def argmax_entry_then_update(x):
    # POT's greenkhorn: old = u[i] with i = np.argmax(...), then u[i] = new; `old` is a number
    # (np.argmax without an axis gives an integer), not a view the update changes
    u = np.full(3, 1.0)
    i = np.argmax(x)
    old = u[i]
    u[i] = x[i] * 2.0
    j = x.argmin()
    low = u[j]
    u[j] -= 0.5
    return old * x[0] + np.sum(u * x) + low


def test_argmax_index_reads_a_number() -> None:
    check_scalar(argmax_entry_then_update, np.array([0.3, 2.0, -1.5]))
