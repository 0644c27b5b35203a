"""The SciPy calls `srcad.lower.library_lib24` writes as primitives, as users write them: values
equal to SciPy's, gradients against central differences, and the forms it does not rewrite
refused at transform time with the call named (an active Simpson grid, a metric or keyword it
does not know, an unbiased skew). ``lfilter`` with initial state: tests/regressions/test_idiom48.py."""

from __future__ import annotations

import numpy as np
import pytest

import srcad

pytest.importorskip("scipy")
import scipy.linalg as sla  # noqa: E402
from scipy import integrate, signal, stats  # noqa: E402
from scipy.spatial import distance  # noqa: E402

X6 = np.array([0.31, 0.72, 1.13, 1.64, 0.47, 0.93])


def _fd_grad(f, x, h=1e-6):
    out = np.zeros_like(x)
    for i in range(x.size):
        e = np.zeros_like(x)
        e[i] = h
        out[i] = (f(x + e) - f(x - e)) / (2 * h)
    return out


def stats_mix(x):
    m = x.reshape(2, 3)
    return (
        np.sum(stats.skew(m, axis=1))
        + stats.kurtosis(x, fisher=False)
        + np.sum(stats.zscore(m, axis=None) * m)
        + stats.sem(x)
        + stats.gmean(x)
        + stats.hmean(x)
        + stats.moment(x, 3)
        + stats.entropy(x, x[::-1], base=3.0)
    )


def integrals(x):
    t = np.array([0.0, 0.3, 0.7, 1.2, 1.6, 2.0])
    return (
        integrate.trapezoid(x**2, t)
        + integrate.simpson(x**3, x=t)
        + np.sum(integrate.cumulative_trapezoid(x, t, initial=0) ** 2)
        + np.sum(integrate.cumulative_simpson(np.sin(x), dx=0.2))
    )


def structured(x):
    return (
        np.sum(sla.toeplitz(x[:3], x[3:]) ** 2)
        + np.sum(sla.hankel(x[:4]) @ x[2:])
        + np.sum(sla.circulant(x[:2]) ** 3)
        + np.sum(distance.squareform(x[:3]) @ x[3:])
    )


def distances(x):
    a = x.reshape(3, 2)
    return (
        np.sum(distance.pdist(a))
        + np.sum(distance.cdist(a, a[:2] + 0.5, "cosine"))
        + np.sum(distance.cdist(a, a + 0.1, "minkowski", p=3.0))
        + distance.sqeuclidean(x[:3], x[3:])
    )


def filters(x):
    y = signal.lfilter(x[:2], np.array([1.0, -0.4 * x[2]]), np.outer(x, x[::-1]), axis=0)
    return np.sum(y**2) + np.sum(signal.lfilter([1.0], [1.0, -0.9], x[::-1])[::-1])


@pytest.mark.parametrize("f", [stats_mix, integrals, structured, distances, filters])
def test_value_and_gradient(f) -> None:
    value, g = srcad.value_and_grad(f)(X6)
    assert value == pytest.approx(f(X6), rel=1e-12)
    np.testing.assert_allclose(g, _fd_grad(f, X6), rtol=1e-6, atol=1e-7)


def simpson_active_grid(x):
    return integrate.simpson(np.array([1.0, 2.0, 0.5]), dx=x[0])


def cdist_unknown_metric(x):
    return np.sum(distance.cdist(x.reshape(3, 2), x.reshape(3, 2), "correlation"))


def euclidean_with_p(x):
    return np.sum(distance.cdist(x.reshape(3, 2), x.reshape(3, 2), "euclidean", p=3))


def unbiased_skew(x):
    return stats.skew(x, bias=False)


@pytest.mark.parametrize(
    ("f", "needle"),
    [
        (simpson_active_grid, "simpson_apply` is not differentiable in its argument `step`"),
        (cdist_unknown_metric, "scipy.spatial.distance.cdist"),
        (euclidean_with_p, "scipy.spatial.distance.cdist"),
        (unbiased_skew, "scipy.stats.skew"),
    ],
)
def test_refused_at_transform_time(f, needle) -> None:
    with pytest.raises(srcad.SrcadError, match=needle.replace("(", r"\(").replace(".", r"\.")):
        srcad.grad(f)(X6)
