"""lib26: NumPy's ``roots`` rewritten as the eigenvalues of the companion matrix on every NumPy:
from 2.5 on, ``eigvals`` is always complex and ``roots`` makes real eigenvalues real itself
(``_srcad.real_eigvals``); complex roots stay refused. A NumPy before 2.5 runs the 2.5 case
with ``np.linalg.eigvals`` made complex (monkeypatched)."""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from srcad import runtime

X = np.array([6.0, 11.0, 6.3])


def _cubic(x):
    r = np.roots(np.array([1.0, -x[0], x[1], -x[2]]))
    return np.sum(r**3) + r[0] * x[1]


def _complex_roots(x):
    return np.sum(np.real(np.roots(np.array([3.0, x[0], x[1]]))))


@pytest.fixture(params=["numpy", "complex_eigvals"])
def eigvals_kind(request, monkeypatch):
    if request.param == "complex_eigvals":
        real = np.linalg.eigvals
        monkeypatch.setattr(np.linalg, "eigvals", lambda a: real(a).astype(complex))
    return request.param


def test_real_eigvals_helper() -> None:
    w = runtime.real_eigvals(np.array([1.0 + 0j, -2.0 + 0j]))
    assert w.dtype == np.float64 and list(w) == [1.0, -2.0]
    z = np.array([1.0 + 1j, 1.0 - 1j])
    assert runtime.real_eigvals(z) is z
    v = np.array([0.5, 2.0])
    assert runtime.real_eigvals(v) is v


def test_roots_real_on_every_numpy(eigvals_kind) -> None:
    v, g = srcad.value_and_grad(_cubic)(X)
    assert v == pytest.approx(_cubic(X), rel=1e-12)
    fd = [(_cubic(X + 1e-6 * e) - _cubic(X - 1e-6 * e)) / 2e-6 for e in np.eye(3)]
    np.testing.assert_allclose(g, fd, rtol=1e-6, atol=1e-7)
    _, t = srcad.jvp(_cubic, (X,), (np.array([0.3, -0.2, 0.1]),))
    assert t == pytest.approx(g @ np.array([0.3, -0.2, 0.1]), rel=1e-10)
    H = srcad.hessian(_cubic)(X)
    hfd = [(srcad.grad(_cubic)(X + 1e-5 * e) - srcad.grad(_cubic)(X - 1e-5 * e)) / 2e-5
           for e in np.eye(3)]  # fmt: skip
    np.testing.assert_allclose(H, hfd, rtol=1e-5, atol=1e-6)


def test_complex_roots_refused(eigvals_kind) -> None:
    with pytest.raises(srcad.SrcadError, match="complex eigenvalues"):
        srcad.grad(_complex_roots)(np.array([1.0, 2.0]))
