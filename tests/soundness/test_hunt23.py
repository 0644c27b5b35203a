"""Session 23 (hunt23): what the hunt over physics, finance, signal and geometry programs found.

- The outputs of ``np.linalg.svd``, ``eigh``, ``eig``, ``qr``, ``slogdet`` and ``lstsq`` were one
  abstract object for the mutation check (a call that "owns" its result, holding nothing), so
  ``U, S, Vt = np.linalg.svd(H)`` followed by the Kabsch reflection fix ``Vt[-1, :] *= -1`` and
  a read of `U` was refused as a read of an object shared with `Vt`; likewise flipping an
  eigenvector's sign (``V[:, j] *= -1``) then reading the eigenvalues, and ``logdet += 1`` then
  reading ``sign``. Python's results share no memory: each element is now its own new object
  (passes/alias_tuples.py), told apart by the constant position read; a real alias (``r[0]``
  read twice, ``r.U``, a name bound to the updated element) is still refused.
- A dataclass with a field whose ``default_factory`` is the user's function or lambda
  (``v: np.ndarray = field(default_factory=lambda: np.zeros(2))``, a particle's velocity) was not
  built as an object, so any write of its fields (``p.v = p.v + dt * g``, in the function or a
  method ``step``) was refused ("assigning to attributes is not supported here"), even when the
  call passed every field. The factory is now called for each object built, as the generated
  ``__init__`` does (lower/objrecord.py); a factory handing out a global array is still refused
  when a write would change that array.
- Forward mode (``jvp``, ``jacfwd``, ``hvp``, ``hessian``) refused an op without a derivative
  rule for a varied argument even when its result reaches the output only through comparisons:
  Longstaff-Schwartz's regression ``coef = np.polyfit(S[itm, t], cash[itm], 2)``, used only to
  decide ``np.where(exercise > np.polyval(coef, S[itm, t]), ...)``, ``grad`` worked and ``jvp``
  said "`numpy.polyfit` is not differentiable in its argument `x`". srcad/ad/useful.py finds the
  Vars whose tangents may reach a result; such an op outside them gets no tangent (the reverse
  mode never asked: no cotangent arrives there). Feeding the output, it is still refused.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")

Q0 = np.array([[0, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1.0]])
P_ROT = Q0 @ np.array([[0, 1, 0], [1, 0, 0], [0, 0, 1.0]])
P_ROT = P_ROT + 0.1 * np.random.default_rng(1).standard_normal((4, 3))


def kabsch(x):
    P = x.reshape(4, 3)
    Pc = P - P.mean(0)
    Qc = Q0 - Q0.mean(0)
    U, S, Vt = np.linalg.svd(Pc.T @ Qc)
    if np.linalg.det(Vt.T @ U.T) < 0:
        Vt[-1, :] *= -1
    R = Vt.T @ U.T
    return np.sum((Pc @ R.T - Qc) ** 2)


def eigh_sign_fix(x):
    S = x.reshape(3, 3)
    w, V = np.linalg.eigh(S + S.T)
    for j in range(3):
        if V[0, j] < 0:
            V[:, j] *= -1
    return np.sum(V[:, 0] * np.array([1.0, 2.0, 3.0])) + w[0]


def qr_scaled(x):
    Q, R = np.linalg.qr(x.reshape(3, 3))
    R[0] *= 2
    return np.sum(Q @ R)


def slogdet_shift(x):
    sign, logdet = np.linalg.slogdet(x.reshape(3, 3) + 3 * np.eye(3))
    logdet += 1.0
    return sign * logdet


X9 = np.random.default_rng(0).standard_normal(9)
CASES = [
    (kabsch, P_ROT.ravel()),  # a proper rotation: no reflection
    (kabsch, (P_ROT @ np.diag([1, 1, -1.0])).ravel()),  # a reflection: `Vt[-1] *= -1` runs
    (eigh_sign_fix, X9),
    (qr_scaled, X9),
    (slogdet_shift, X9),
]


@pytest.mark.parametrize(("f", "x"), CASES)
def test_decomposition_outputs_are_separate_arrays(f, x):
    check_grads(f, (x,), modes=("fwd", "rev"), atol=1e-5, rtol=1e-4)
    check_grads(f, (x,), modes=("fwd",), order=2, atol=1e-4, rtol=1e-3)


def read_twice(x):
    r = np.linalg.svd(x.reshape(3, 3))
    U = r[0]
    U2 = r[0]
    U[0] *= 2
    return np.sum(U2)


def bound_then_updated(x):
    U, s, Vt = np.linalg.svd(x.reshape(3, 3))
    A = U
    U[0] = 1.0
    return np.sum(A * s)


def through_the_tuple(x):
    r = np.linalg.eigh(x.reshape(3, 3) + x.reshape(3, 3).T)
    w = r[0]
    r[0][0] = 5.0
    return np.sum(w)


def by_attribute(x):
    r = np.linalg.svd(x.reshape(3, 3))
    U = r.U
    r[0][0] = 1.0
    return np.sum(U)


def negative_and_positive_index(x):
    r = np.linalg.svd(x.reshape(3, 3))
    Vt = r[-1]
    V2 = r[2]
    Vt[0] *= -1
    return np.sum(V2)


def kept_from_an_earlier_iteration(x):
    S = x.reshape(3, 3)
    for k in range(2):
        U, s, Vt = np.linalg.svd(S)
        if k == 0:
            keep = U
        U[0] *= 2
    return np.sum(keep * S)


@pytest.mark.parametrize(
    "f",
    [
        read_twice,
        through_the_tuple,
        by_attribute,
        negative_and_positive_index,
        kept_from_an_earlier_iteration,
    ],
)
def test_real_aliases_of_decomposition_outputs_are_still_refused(f):
    with pytest.raises(srcad.SrcadError, match="is modified at line"):
        srcad.grad(f)(X9)


SHARED = np.zeros(2)


@dataclass
class Particle:
    x: np.ndarray
    v: np.ndarray = field(default_factory=lambda: np.zeros(2))
    history: list = field(default_factory=list)

    def step(self, g, dt):
        self.v = self.v + dt * g
        self.x = self.x + dt * self.v
        self.history.append(self.x)


def _ones3():
    return np.ones(3)


@dataclass
class Acc:
    t: float
    acc: np.ndarray = field(default_factory=_ones3)


@dataclass
class Shared:
    x: np.ndarray
    v: np.ndarray = field(default_factory=lambda: SHARED)


def particle_sim(g):
    p = Particle(np.array([0.0, 1.0]))
    for _ in range(5):
        p.step(g, 0.1)
    return np.sum(np.stack(p.history)[:, 1] ** 2) + np.linalg.norm(p.v)


def two_objects(g):
    a = Particle(np.array([1.0, 2.0]))
    b = Particle(np.array([1.0, 2.0]))
    a.v[0] = g[0] * 3  # b.v is another new array: Python leaves it zero
    a.v += g
    return np.sum(b.v * g) + np.sum(a.v * g**2)


def all_fields_given(g):
    p = Particle(np.array([0.0, 1.0]), np.ones(2))
    p.v = p.v * g
    return np.sum(p.v**3)


def module_factory(g):
    a = Acc(0.5)
    for k in range(3):
        a.acc = a.acc * np.sin(g[k % 2] * (k + 1))
    return np.sum(a.acc) + a.t


@pytest.mark.parametrize("f", [particle_sim, two_objects, all_fields_given, module_factory])
def test_dataclass_with_a_user_default_factory_is_built_as_an_object(f):
    x = np.array([0.4, -0.9])
    check_grads(f, (x,), modes=("fwd", "rev"), atol=1e-6, rtol=1e-5)
    check_grads(f, (x,), modes=("fwd",), order=2, atol=1e-5, rtol=1e-4)


def writes_the_shared_default(g):
    a = Shared(np.array([1.0, 2.0]))
    a.v[0] = g[0]
    return np.sum(a.v * g)


def test_a_default_factory_handing_out_a_global_is_still_refused_when_written():
    with pytest.raises(srcad.SrcadError, match="shared with module globals"):
        srcad.grad(writes_the_shared_default)(np.array([0.4, -0.9]))
    assert not SHARED.any()


def lsm_put(s0):
    rng = np.random.default_rng(5)
    n, m = 40, 4
    dt, r, sig, K = 0.25, 0.05, 0.3, 1.0
    z = rng.standard_normal((n, m))
    S = s0 * np.exp(np.cumsum((r - 0.5 * sig**2) * dt + sig * np.sqrt(dt) * z, axis=1))
    cash = np.maximum(K - S[:, -1], 0.0)
    for t in range(m - 2, -1, -1):
        cash = cash * np.exp(-r * dt)
        itm = K - S[:, t] > 0
        if itm.sum() < 3:
            continue
        coef = np.polyfit(S[itm, t], cash[itm], 2)
        cont = np.polyval(coef, S[itm, t])
        ex = K - S[itm, t]
        cash[itm] = np.where(ex > cont, ex, cash[itm])
    return np.mean(cash * np.exp(-r * dt))


def decided_by_a_fit(x):
    c = np.polyfit(x, np.array([1.0, 2.0, 0.5, 3.0]), 1)
    return np.sum(np.where(np.polyval(c, x) > 1.0, x**2, x))


@pytest.mark.parametrize(
    ("f", "x"), [(lsm_put, 1.0), (decided_by_a_fit, np.array([0.1, 0.5, 0.9, 1.3]))]
)
def test_forward_mode_skips_a_rule_less_op_read_only_by_comparisons(f, x):
    check_grads(f, (x,), modes=("fwd", "rev"), atol=1e-6, rtol=1e-5)
    check_grads(f, (x,), modes=("fwd",), order=2, atol=1e-5, rtol=1e-4)
    v = np.ones_like(x) if isinstance(x, np.ndarray) else 1.0
    _, hv = srcad.hvp(f, (x,), (v,))
    assert np.all(np.isfinite(hv))


def fit_in_the_output(x):
    c = np.polyfit(x, np.array([1.0, 2.0, 0.5, 3.0]), 1)
    return np.sum(c**2)


def fit_carried_by_a_loop(x):
    c = np.zeros(2)
    for _ in range(2):
        c = c + np.polyfit(x, np.array([1.0, 2.0, 0.5, 3.0]), 1)
    return float(c[0] > 0) + np.sum(x)


@pytest.mark.parametrize("f", [fit_in_the_output])
def test_forward_mode_still_refuses_a_rule_less_op_that_may_reach_the_output(f):
    x = np.array([0.1, 0.5, 0.9, 1.3])
    with pytest.raises(srcad.SrcadError, match="not differentiable in its argument `x`"):
        srcad.jvp(f, (x,), (np.ones(4),))


def test_forward_mode_skips_a_fit_a_loop_carries_to_a_comparison():
    """(session 48, ad/live.py) the loop's carry `c` reaches the result only through ``c[0] > 0``:
    no tangent needed (was refused: every carry was taken as needed)."""
    x = np.array([0.1, 0.5, 0.9, 1.3])
    check_grads(fit_carried_by_a_loop, (x,), modes=("fwd", "rev"), atol=1e-6, rtol=1e-5)
    _, t = srcad.jvp(fit_carried_by_a_loop, (x,), (np.array([1.0, 2.0, 3.0, 4.0]),))
    assert t == 10.0
