"""np.linalg.eigh / eigvalsh of a complex Hermitian matrix built from real parameters
(srcad/rules/linalg_eighc.py): refused before ("its derivative rule is for real values only").

Forward and reverse mode against central differences, second order, JAX's gradients, the
eigenvector phases (forward mode follows NumPy's, reverse mode refuses a loss depending on
them), repeated eigenvalues, UPLO='U', stacks, and the rules of the helper on complex input
(their cotangents free of phase parts: a random one is refused)."""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from srcad import runtime
from srcad.rules import default_tables
from srcad.testing import check_grads

D = np.diag([1.0, 2.0, 3.0])
X = np.array([0.3, -0.5, 0.9])


def ham(x):
    return np.outer(x, x) + 1j * (np.outer(x, x[::-1]) - np.outer(x[::-1], x)) + D


def energy(x):  # the lead's programs (/tmp/s40/lead/eig.py)
    w = np.linalg.eigvalsh(ham(x))
    return np.sum(w**2 * np.arange(1.0, 4.0))


def f3(x):
    w, V = np.linalg.eigh(ham(x))
    return np.sum(w * np.arange(1.0, 4.0)) + np.sum(np.abs(V[:, 0]) ** 2 * x)


def projector(x):  # V_k V_k^H of two eigenvectors, and the largest eigenvalue (np.max: real)
    w, V = np.linalg.eigh(ham(x))
    P = V[:, :2] @ np.conj(V[:, :2]).T
    return np.sum(np.real(P) * x[:, None]) + np.sum(np.imag(P) ** 2) + np.max(w)


def upper(x):  # UPLO='U' reads the upper triangle: the lower one and the diagonal's
    A = ham(x) + np.tril(np.outer(x, x) * (1 + 2j), -1) + 1j * np.diag(x)  # imaginary part unread
    w, V = np.linalg.eigh(A, UPLO="U")
    return np.sum(w**3) + np.sum(np.abs(V) ** 4 * x[:, None])


def stack(x):
    A = np.stack([ham(x), 2.0 * ham(x[::-1]), np.conj(ham(x))])
    r = np.linalg.eigh(A)
    return np.sum(r.eigenvalues**2) + np.sum(np.abs(r.eigenvectors[..., 0, :]) ** 2 * x)


def phase(x):  # depends on the phase of the first eigenvector
    w, V = np.linalg.eigh(ham(x))
    return np.real(V[1, 0])


def repeated(x):  # eigenvalues x[2] (double) and x[2] + |z|^2: a symmetric loss of them
    z = np.array([x[0] + 1j * x[1], x[1] - 0.5j * x[0], 0.3 + 0j])
    w = np.linalg.eigvalsh(np.eye(3) * x[2] + np.outer(z, np.conj(z)))
    return np.sum(w**2) + w[-1]


def repeated_vectors(x):
    z = np.array([x[0] + 1j * x[1], x[1] - 0.5j * x[0], 0.3 + 0j])
    w, V = np.linalg.eigh(np.eye(3) * x[2] + np.outer(z, np.conj(z)))
    return np.sum(np.abs(V[:, 0]) ** 2 * x)


def block(x):  # block diagonal: row 0 of NumPy's vectors has zeros, their phases jump there
    A = np.zeros((3, 3), complex)
    A[0, 0] = x[0]
    A[1:, 1:] = ham(x)[1:, 1:]
    w, V = np.linalg.eigh(A)
    return np.sum(w**2) + np.sum(np.abs(V) ** 4 * x)


def values_only(x):  # the block matrix's eigenvalues from eigh, its vectors unread
    A = np.zeros((3, 3), complex)
    A[0, 0] = x[0]
    A[1:, 1:] = ham(x)[1:, 1:]
    w, _ = np.linalg.eigh(A)
    return np.sum(w**2) + w[0] * x[1]


Q0 = np.real(np.linalg.eigh(ham(X))[1][1, 0])


def phase_squared(x):  # its gradient at X has no phase part, its Hessian has one
    w, V = np.linalg.eigh(ham(x))
    return (np.real(V[1, 0]) - Q0) ** 2


@pytest.mark.parametrize("f", [energy, f3, projector, upper, stack, repeated, values_only])
def test_against_differences(f):
    check_grads(f, (X,), modes=("fwd", "rev"))
    check_grads(f, (X,), modes=("fwd", "rev"), order=2)


def test_matches_jax():
    # jax.grad / jax.hessian of the same programs (jax 0.4, x64, jnp.linalg.eigh)
    np.testing.assert_allclose(
        srcad.grad(energy)(X), [-3.9450507, -22.16252026, 67.53971962], rtol=1e-8
    )
    np.testing.assert_allclose(srcad.grad(f3)(X), [1.15430341, -2.78324555, 7.34167804], rtol=1e-8)
    np.testing.assert_allclose(
        srcad.hessian(f3)(X),
        [[2.496715, 0.757597, -0.585986], [0.757597, 5.733639, -0.872393],
         [-0.585986, -0.872393, 9.484677]],
        atol=1e-6,
    )  # fmt: skip


def test_phases_forward_follows_numpy_reverse_refuses():
    check_grads(phase, (X,), modes=("fwd",))  # NumPy's row 0 is real: its tangent too
    with pytest.raises(srcad.SrcadError, match="depends on the phases"):
        srcad.grad(phase)(X)


def test_second_order_phases_refused():
    np.testing.assert_allclose(srcad.grad(phase_squared)(X), 0.0, atol=1e-12)
    with pytest.raises(srcad.SrcadError, match="phases of the eigenvectors"):
        srcad.hessian(phase_squared)(X)  # (it gave a wrong, asymmetric Hessian)


def test_refusals_where_undefined():
    with pytest.raises(srcad.SrcadError, match="repeated eigenvalue"):
        srcad.grad(repeated_vectors)(X)
    with pytest.raises(srcad.SrcadError, match="free phase"):
        srcad.jvp(block, (X,), (np.ones(3),))
    h = 1e-6
    fd = [(block(X + h * e) - block(X - h * e)) / (2 * h) for e in np.eye(3)]
    np.testing.assert_allclose(srcad.grad(block)(X), fd, rtol=1e-6)  # reverse mode: defined


def test_real_path_unchanged():
    def real(x):
        w, V = np.linalg.eigh(np.outer(x, x) + D)
        return np.sum(w**2) + np.sum(V[:, 0] ** 2 * x)

    assert "eigh_c" not in srcad.source(real, mode="grad", args=(X,))
    assert "eigh_c" in srcad.source(f3, mode="grad", args=(X,))


# -- the helper's rules on complex input (the rule table has eigh_c of a real matrix only) ------
def _gauge_free(u, v):
    """`u` without the part that changes the phases of `v`'s columns (Im diag(v^T u) = 0)."""
    d = np.sum(v * u, axis=-2, keepdims=True)
    return u - 1j * np.imag(d) * np.conj(v)


@pytest.mark.parametrize("uplo, shape", [("L", (3, 3)), ("U", (2, 4, 4))])
def test_eigh_c_rules_complex(uplo, shape):
    rng = np.random.default_rng(40)
    a = rng.standard_normal(shape) + 1j * rng.standard_normal(shape)
    da = rng.standard_normal(shape) + 1j * rng.standard_normal(shape)
    jvp, vjp = default_tables()
    env = {"np": np, "_srcad": runtime, "a": a, "UPLO": uplo, "vecs": True}
    ans = runtime.eigh_c(a, uplo)
    dw, dv = eval(jvp.get("srcad.runtime.eigh_c").terms["a"], env | {"ans": ans, "da": da})
    h = 1e-6
    up, dn = runtime.eigh_c(a + h * da, uplo), runtime.eigh_c(a - h * da, uplo)
    np.testing.assert_allclose(dw, (up[0] - dn[0]) / (2 * h), atol=1e-6)
    np.testing.assert_allclose(dv, (up[1] - dn[1]) / (2 * h), atol=1e-6)  # NumPy's phases
    gw = rng.standard_normal(ans[0].shape)
    gv = _gauge_free(rng.standard_normal(shape) + 1j * rng.standard_normal(shape), ans[1])
    ga = eval(vjp.get("srcad.runtime.eigh_c").terms["a"], env | {"ans": ans, "g": (gw, gv)})
    lhs = np.sum(gw * dw) + np.real(np.sum(gv * dv))
    np.testing.assert_allclose(np.real(np.sum(ga * da)), lhs, rtol=1e-9)
    with pytest.raises(srcad.SrcadError, match="phases"):
        eval(vjp.get("srcad.runtime.eigh_c").terms["a"], env | {"ans": ans, "g": (gw, 1j * gv)})


def test_phase_free_helper_rules():
    # forward over reverse: the tangent of a phase-free cotangent keeps no phase part
    v = np.linalg.eigh(ham(X))[1]
    g = _gauge_free(ham(X[::-1]), v)
    assert runtime.phase_free_t(g, None, g, v) is g
    with pytest.raises(srcad.SrcadError, match="near here"):
        runtime.phase_free_t(1j * g, None, g, v)
    # reverse over reverse, third order: refused unless the cotangent (tangent) is 0
    jvp, vjp = default_tables()
    env = {"np": np, "_srcad": runtime, "g_": g, "v": v, "ans": g, "dg": g, "dv": None}
    rr, third = (
        vjp.get("srcad.runtime.phase_free").terms["g_"],
        jvp.get("srcad.runtime.phase_free_t").terms["dg"],
    )
    assert not np.any(eval(rr, env | {"g": np.zeros((3, 3))}))
    with pytest.raises(srcad.SrcadError, match="reverse mode over reverse mode"):
        eval(rr, env | {"g": g})
    with pytest.raises(srcad.SrcadError, match="third derivative"):
        eval(third, env | {"ddg": g})
