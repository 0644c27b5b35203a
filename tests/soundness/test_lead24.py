"""Second derivatives through np.linalg.eigvalsh where some eigenvalues repeat (session 24, lead).

A loss linear in the eigenvalues (the largest of ``I + x x^T``, a top-k sum, a weighted sum)
has a Hessian there: eigvalsh's cotangent ``V diag(gbar) V^T`` reads the eigenvectors only
through the eigenspaces' projectors (srcad/rules/spectral.py). It was refused ('eigenvectors of
a repeated eigenvalue have no derivative'). Where the loss's cotangent varies with the repeated
eigenvalues (``sum(w ** 2)`` at ``A = I``, ``(w[0] - w[1]) ** 2`` at a tie) the second derivative
needs how it changes as they split: still refused, never a number.
"""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from tests.soundness.numeric import central_differences


def hessian_fd(f, x):
    """Central differences of srcad's gradient of `f`, row by row."""
    g = srcad.grad(f)

    def row(i):
        return central_differences(lambda z: g(z)[i], x, 1e-5)

    return np.array([row(i) for i in range(len(x))])


X4 = np.array([0.7, 0.4, 1.3, 0.9])
W = np.array([0.0, 0.0, 1.0, 2.0])


def rank1(x):
    return np.linalg.eigvalsh(np.eye(4) + np.outer(x, x))[-1]


def rank2(x):
    return np.eye(4) + np.outer(x, x) + np.outer(x[::-1], x[::-1])


def top_max(x):
    return np.max(np.linalg.eigvalsh(rank2(x)))


def top_two(x):
    return np.linalg.eigvalsh(rank2(x))[-2:].sum()


def weighted(x):
    return np.sum(np.linalg.eigvalsh(rank2(x)) * W)


def smallest(x):
    return np.linalg.eigvalsh(np.diag([1.0, 2.0, 2.0]) + 0.3 * np.outer(x, x))[0]


def top_sym(a):
    m = np.reshape(a, (3, 3))
    return np.linalg.eigvalsh(m + m.T)[-1]


CASES = [
    (rank1, X4),
    (top_max, X4),
    (top_two, X4),
    (weighted, X4),
    (smallest, np.array([0.2, 0.0, 0.0])),
    (smallest, np.array([0.2, 0.5, -0.4])),
    (top_sym, np.diag([0.5, 0.5, 1.0]).ravel()),
]


@pytest.mark.parametrize("f, x", CASES, ids=lambda v: getattr(v, "__name__", ""))
def test_hessian_where_other_eigenvalues_repeat(f, x):
    g = srcad.grad(f)
    np.testing.assert_allclose(g(x.copy()), central_differences(f, x), rtol=1e-6, atol=1e-8)
    h = srcad.hessian(f)(x.copy())
    want = hessian_fd(f, x)
    np.testing.assert_allclose(h, want, rtol=1e-5, atol=1e-7)
    v = np.cos(np.arange(len(x)) + 1.0)
    _, hv = srcad.hvp(f, (x.copy(),), (v,))
    np.testing.assert_allclose(hv, want @ v, rtol=1e-5, atol=1e-7)


def squares(a):
    m = np.reshape(a, (3, 3))
    return np.sum(np.linalg.eigvalsh(m + m.T) ** 2)


def split(a):
    w = np.linalg.eigvalsh(np.reshape(a, (3, 3)))
    return (w[0] - w[1]) ** 2 + w[2]


def entropy(a):
    m = np.reshape(a, (3, 3))
    w = np.linalg.eigvalsh(m @ m.T + np.eye(3))
    return np.sum(w * np.log(w))


@pytest.mark.parametrize(
    "f, x",
    [
        (squares, 0.5 * np.eye(3).ravel()),
        (split, np.diag([1.0, 1.0, 3.0]).ravel()),
        (entropy, np.zeros(9)),
    ],
    ids=["squares", "split", "entropy"],
)
def test_varying_cotangent_at_repeated_eigenvalues_refused(f, x):
    srcad.grad(f)(x.copy())  # first order: the cluster-mean convention
    with pytest.raises(srcad.SrcadError, match="repeated eigenvalue"):
        srcad.hessian(f)(x.copy())


def test_same_functions_at_distinct_eigenvalues():
    rng = np.random.default_rng(3)
    for f in (squares, split, entropy, top_sym):
        x = rng.standard_normal(9)
        h = srcad.hessian(f)(x.copy())
        want = hessian_fd(f, x)
        np.testing.assert_allclose(h, want, rtol=1e-5, atol=1e-6)


def padded_complex(x):
    v = np.sin(np.pad(x + x, 1, mode="wrap") + 1j * x[0])
    w = np.cos(np.pad(x * 0.5, (2, 1), mode="reflect") + 0.5j * x[1])
    e = np.exp(np.pad(x, (1, 2), mode="edge") * (0.3 - 0.2j))
    return np.sum(v.real * np.arange(len(v))) + np.sum(w.imag**2) + np.sum(np.abs(e))


def test_pad_of_a_complex_cotangent():
    # np.pad(mode='wrap'/'reflect'/'edge') of a real array read through complex arithmetic: its
    # reverse rule summed a complex cotangent with np.bincount (real weights only): TypeError
    # in every reverse mode (fuzz wild seed 24500080)
    x = np.array([0.3, -0.7, 1.1, 0.4])
    g = srcad.grad(padded_complex)(x.copy())
    np.testing.assert_allclose(g, central_differences(padded_complex, x), rtol=1e-6, atol=1e-8)
    h = srcad.hessian(padded_complex)(x.copy())
    want = hessian_fd(padded_complex, x)
    np.testing.assert_allclose(h, want, rtol=1e-5, atol=1e-6)
