"""Session 38 (corp38 hunt): programs ported from other projects' corpora that srcad refused.

- scipy.optimize's constraints, a module-level list of dicts ``{"type": "eq", "fun": lambda x:
  ...}``, summed into a penalty: ``c["fun"](x)`` in a loop over the list (or a comprehension,
  or ``CONS[1]["fun"](x)``) was refused on main ("cannot tell which function this call
  invokes"). A loop over a global list of dicts holding functions is unrolled now (as one of
  functions or layers is), and a constant item of such an item resolves; replacing the function,
  the dict or appending to the list makes a new transform. A loop leaving by ``break``/``return``
  stays a run-time loop (no function called: as before).
- State-vector circuits: ``np.moveaxis`` / ``np.diag`` of complex values were refused (their rows
  are in test_complex6); ``np.einsum(f"z{idx[w]},{idx}->{out}", gate, state)``, subscripts built
  per wire by an f-string (or ``+``/``.join``/``.replace`` of strings), was refused at lowering
  ("`np.einsum` with sublists ...", even the primal): such subscripts are a str when the code
  runs, and the rules take them then.
- WRONG Hessian on main: the probabilities ``np.abs(psi) ** 2`` of a state with an amplitude
  exactly 0 at the point (a rotation by angle 0, the usual starting point of a variational
  circuit): ``2 - cos(t)``'s second derivative came out -0.5 where it is 1, since the chain rule
  through |z| takes the subgradient 0 at z = 0 (the real case had its peephole, ad/squares.py,
  complex values were left out). ``|z| ** 2`` of a complex z is now ``2 Re(conj(z) dz)`` /
  ``2 Re(g) conj(z)``: smooth, right at every order. Also wrong on main, the same way: the
  power spectrum ``sum |fft(x)| ** 2`` at a constant signal (its bins but DC are 0: a Hessian
  of all 2s where Parseval gives 8 I) and a fidelity ``|<b|a>| ** 2`` at orthogonal states.
"""

from __future__ import annotations

import cmath

import numpy as np

import srcad
from srcad.testing import check_grads

CONS = [
    {"type": "ineq", "fun": lambda x: x[0] - 2 * x[1] + 2, "w": 2.0},
    {"type": "eq", "fun": lambda x: x[0] * x[1] - 1.5, "w": 3.0},
]
X = np.array([1.3, 1.9])


def penalty(x, mu):
    f = (x[0] - 1) ** 2 + (x[1] - 2.5) ** 2
    pen = 0.0
    for c in CONS:
        v = c["fun"](x)
        if c["type"] == "eq":
            pen += v**2
        else:
            pen += np.minimum(v, 0.0) ** 2
    return f + mu * pen


def by_comprehension(x):
    return sum(c["fun"](x) ** 2 for c in CONS) + sum([c["w"] * x[0] for c in CONS])


def constant_item(x):
    return CONS[1]["fun"](x) ** 2 + CONS[0]["fun"](x)


def leaves_by_break(x):
    t = 0.0
    for c in CONS:
        t += c["w"] * x[0] ** 2
        if c["type"] == "eq":
            break
    return t


def test_constraint_dicts_differentiated():
    check_grads(penalty, (X.copy(), 10.0), modes=("fwd", "rev"))
    check_grads(penalty, (X.copy(), 10.0), modes=("fwd",), wrt=(0,), order=2)
    check_grads(by_comprehension, (X.copy(),), modes=("fwd", "rev"))
    check_grads(constant_item, (X.copy(),), modes=("fwd", "rev"))
    v = 1.3 * 1.9 - 1.5
    np.testing.assert_allclose(
        srcad.grad(constant_item)(X.copy()), [2 * v * 1.9 + 1, 2 * v * 1.3 - 2]
    )


def test_loop_with_break_stays_a_run_time_loop():
    np.testing.assert_allclose(srcad.grad(leaves_by_break)(X.copy()), [4 * 1.3 + 6 * 1.3, 0.0])


def test_replaced_function_dict_or_list_makes_a_new_transform():
    saved = [dict(c) for c in CONS]
    try:
        g = srcad.grad(constant_item)
        g(X.copy())
        CONS[1]["fun"] = lambda x: x[0] ** 3
        np.testing.assert_allclose(g(X.copy()), [6 * 1.3**5 + 1, -2.0])
        CONS[1] = {"type": "eq", "fun": lambda x: x[1] ** 2, "w": 3.0}
        np.testing.assert_allclose(g(X.copy()), [1.0, 4 * 1.9**3 - 2])
        gp = srcad.grad(by_comprehension)
        gp(X.copy())
        CONS.append({"type": "eq", "fun": lambda x: x[0], "w": 1.0})
        got = gp(X.copy())
        check_grads(by_comprehension, (X.copy(),), modes=("fwd", "rev"))
        np.testing.assert_allclose(got, srcad.grad(by_comprehension)(X.copy()))
        np.testing.assert_allclose(got[0], -1.0 + 2 * 1.3 + 6.0)
    finally:
        CONS[:] = saved


G = np.array([[0.6, -0.8], [0.8, 0.6]])
LETTERS = "abcdefgh"


def einsum_built_subscripts(x):
    state = x.reshape(2, 2, 2)
    n = 3
    for w in range(n):
        idx = LETTERS[:n]
        out = idx.replace(idx[w], "z")
        state = np.einsum(f"z{idx[w]},{idx}->{out}", G * (w + 1.0), np.tanh(state))
    spec = ",".join(["abc", "abc"]) + "->" + "a"
    return np.sum(np.einsum(spec, state, state) * np.array([1.0, -0.5]))


def test_einsum_of_subscripts_built_when_run():
    x = np.linspace(-0.8, 0.9, 8)
    assert np.isclose(srcad.primal(einsum_built_subscripts)(x.copy()), einsum_built_subscripts(x))
    check_grads(einsum_built_subscripts, (x,), modes=("fwd", "rev"))
    check_grads(einsum_built_subscripts, (x,), modes=("fwd",), order=2)


def _rx(t):
    c, s = np.cos(t / 2), np.sin(t / 2)
    return np.array([[c, -1j * s], [-1j * s, c]])


def probabilities_at_zero_amplitude(t):
    psi = _rx(t[0]) @ _rx(t[1]) @ np.array([1.0, 0.0], dtype=complex)
    return np.sum(np.abs(psi) ** 2 * np.array([1.0, 3.0]))  # 2 - cos(t0 + t1)


def scalar_amplitude_square(t):
    z = cmath.exp(1j * t) * t + 1j * np.sin(t) ** 2
    return abs(z) ** 2 + np.square(np.abs(z * 1j)) + np.abs(z) * np.abs(z)


def test_probability_hessian_at_a_zero_amplitude():
    t = np.zeros(2)
    np.testing.assert_allclose(srcad.hessian(probabilities_at_zero_amplitude)(t), np.ones((2, 2)))
    for t in (np.zeros(2), np.array([0.4, -0.9])):
        check_grads(probabilities_at_zero_amplitude, (t,), modes=("fwd", "rev"))
        check_grads(probabilities_at_zero_amplitude, (t,), modes=("fwd",), order=2)
        c = np.cos(t.sum())
        np.testing.assert_allclose(
            srcad.hessian(probabilities_at_zero_amplitude)(t), np.full((2, 2), c), atol=1e-12
        )
    # |z|^2 = t^2 + O(t^3): a second derivative of 2 for each of the three terms at t = 0
    assert np.isclose(srcad.hessian(scalar_amplitude_square)(0.0), 6.0)
    for t in (0.0, 0.7):
        check_grads(scalar_amplitude_square, (t,), modes=("fwd", "rev"))
        check_grads(scalar_amplitude_square, (t,), modes=("fwd",), order=2)


TARGET = np.array([np.cos(0.35), -1j * np.sin(0.35)])


def state_fit(t):
    psi = _rx(t[0]) @ np.array([1.0, 0.0], dtype=complex)
    return np.linalg.norm(psi - TARGET) ** 2 + np.sum(
        np.linalg.norm(np.outer(psi - TARGET, [1.0, 2.0]), axis=0) ** 2
    )  # 6 |psi - target|^2 = 12 (1 - cos((t - 0.7) / 2))


def test_complex_residual_norm_squared_every_order():
    for t in (0.7, 0.3):
        x = np.array([t])
        np.testing.assert_allclose(srcad.grad(state_fit)(x), [6 * np.sin((t - 0.7) / 2)])
        np.testing.assert_allclose(srcad.hessian(state_fit)(x), [[3 * np.cos((t - 0.7) / 2)]])
        check_grads(state_fit, (x,), modes=("fwd", "rev"))
        check_grads(state_fit, (x,), modes=("fwd",), order=2)


def power_spectrum(x):
    return np.sum(np.abs(np.fft.fft(x)) ** 2) + np.sum(np.abs(np.fft.rfft(x)) ** 2 * [1, 2, 1])


def fidelity(t):
    a = np.array([np.cos(t[0]), 1j * np.sin(t[0])])
    return np.abs(np.vdot(np.array([0.0, 1.0 + 0j]), a)) ** 2  # sin(t) ** 2


def test_power_spectrum_and_fidelity_hessians_at_zero_bins():
    np.testing.assert_allclose(srcad.hessian(power_spectrum)(np.ones(4)), 16 * np.eye(4))
    check_grads(power_spectrum, (np.ones(4),), modes=("fwd",), order=2)
    np.testing.assert_allclose(srcad.hessian(fidelity)(np.zeros(1)), [[2.0]])
    check_grads(fidelity, (np.zeros(1),), modes=("fwd",), order=2)
