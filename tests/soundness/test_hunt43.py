"""Held-out-style hunt (session 43, hunt43): programs written after other AD projects' test
suites and benchmarks (Griewank & Walther's examples, ADBench-like objectives, JAX's op lists,
numerically delicate masks), checked against central differences.

- NaN gradient: ``x ** 2 * np.array([1.0, 0.0, 1.0])`` (a constant weight array written as a
  literal) feeding ``np.sqrt``/``np.log``/``xlogy``: the entries the literal zeroes are constant,
  their derivative 0, but the reverse and forward sweeps multiplied the op's infinite local
  derivative there by 0 (NaN). A global array, a closure value or a fixed parameter masked
  already; arrays made of number literals (`boolmasks.literal_values`) mask as those now.
- Spurious refusal: ``np.einsum(spec, a, b)`` in a helper taking the subscripts as a parameter
  (``contract("ij,jk->ik", A, B)``) was refused as a sublist form ("supported only for literal
  lists of ints"); a first operand no literal sublist follows is the subscripts now, passed to
  the rules, which check it is a str when they run (the sublist form stays refused).
- Spurious refusal: ``sorted({int(v * 3) % 5 for v in x})`` and ``s = {..}; ..; sorted(s)``:
  a set display or comprehension handed to ``sorted`` (no key) is a list in an order of its
  own, as ``len(s)`` and ``k in s`` read nothing of the set's order (lower/sets.py).
- Wrong Hessian (-inf): ``np.log(special.erfc(x))`` at x = 20 (a Gaussian tail's log
  probability), ``np.log(u)``, ``special.logit(u)``, ``special.xlogy(2.0, u)`` with ``u`` about
  1e-160: the rules multiplied a factor ``-ans * ans`` (np.reciprocal), ``ans / y`` (fdiv, div0,
  xlogy's) that overflows before the tangent that brings it back into range; they multiply the
  tangent first now (``-(dx * ans) * ans``).
- Wrong Hessian: the stable log-cosh ``|x| + log1p(exp(-2 |x|)) - log 2`` (Keras' logcosh) at
  x = 0 had Hessian 0 (sign(0) ** 2 of the chain rule), log cosh's is 1; ad/softplus_tail.py
  took ``log1p(exp(-|z|))`` only, with |z| read nowhere else. A constant scale c > 0 of the
  exponent (the tail of w = c z) and a shared |z| (log-cosh's partner) are taken now.
- Wrong Hessian: ``math.fabs(v) ** 2`` and ``math.pow(abs(v), 2)`` at v = 0 had Hessian 0
  where ``abs(v) ** 2`` had 2 (ad/squares.py knew neither ``math.fabs`` nor ``math.pow``).
  Likewise the softplus tail written with `math` (``math.log1p(math.exp(-abs(v)))``): its
  Hessian at 0 was 0 where NumPy's spelling had sigmoid'(0) = 0.25.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import special

import srcad
from srcad.testing import check_grads

X6 = np.array([0.9, -1.1, 0.35, 1.3, -0.5, 0.8])


def sqrt_of_literal_weighted(x):
    y = x**2 * np.array([1, 0, 1, 0, 1, 1.0])
    return np.sum(np.sqrt(y))


def entropy_of_literal_weighted(x):
    w = np.array([[1.0, 0.0, 2.0], [0.0, 1.0, 1.0]])
    y = x.reshape(2, 3) ** 2 * w
    return np.sum(special.xlogy(y, y)) + np.sum(special.entr(y))


def log_of_tuple_weighted(x):
    c = np.asarray((1, 0, 2, 0, 1, 1), dtype=float)
    return np.sum(np.log1p(np.sqrt(np.abs(x) * c)))


@pytest.mark.parametrize(
    "f", [sqrt_of_literal_weighted, entropy_of_literal_weighted, log_of_tuple_weighted]
)
def test_literal_weight_array_masks_infinite_derivative(f):
    with np.errstate(all="ignore"):
        g = srcad.grad(f)(X6)
        _, t = srcad.jvp(f, (X6,), (np.ones(6),))
        _, hv = srcad.hvp(f, (X6,), (np.ones(6),))
    assert np.all(np.isfinite(g)) and np.isfinite(t) and np.all(np.isfinite(hv))  # (NaN before)
    assert g[1] == 0.0 and g[3] == 0.0
    check_grads(f, (X6,), ("fwd", "rev"), 2)


def contract(spec, a, b):
    return np.einsum(spec, a, b)


def einsum_helper(x):
    m = x.reshape(2, 3)
    return np.sum(contract("ij,kj->ik", m, m) ** 2) + np.sum(contract("ij,ij->j", m, m))


def einsum_param(x, spec):
    return np.sum(np.einsum(spec, x.reshape(2, 3), x.reshape(2, 3)) ** 2)


def test_einsum_subscripts_parameter():
    check_grads(einsum_helper, (X6,), ("fwd", "rev"), 2)
    for spec in ("ij,kj->ik", "ij,ij", "...j,...j->..."):
        check_grads(einsum_param, (X6, spec), ("fwd", "rev"), 2, wrt=0)


C23 = np.array([[1.0, 2.0], [0.5, -1.0]])


def einsum_sublists_param(x, la, lb):
    return np.sum(np.einsum(C23, la, x.reshape(2, 3), lb) ** 2)


def test_einsum_sublists_parameter_refused():
    args = (X6, [0, 1], [1, 2])
    assert np.isclose(srcad.primal(einsum_sublists_param)(*args), einsum_sublists_param(*args))
    with pytest.raises(srcad.SrcadError, match="sublist"):
        srcad.grad(einsum_sublists_param)(*args)
    with pytest.raises(srcad.SrcadError, match="sublist"):
        srcad.jvp(einsum_sublists_param, args, (X6, None, None))


def sorted_set_comprehension(x):
    idx = sorted({int(abs(v) * 3) % 5 for v in x})
    return sum(x[i] ** 2 for i in idx)


def sorted_set_name(x):
    seen = set()
    tot = 0.0
    for v in x:
        k = int(abs(v) * 3)
        if k not in seen:
            seen.add(k)
            tot += v**2
    labels = {"b", "a", "c"}
    w = {"a": x[0], "b": x[1], "c": x[2]}
    named = sum(w[k] * (i + 1) for i, k in enumerate(sorted(labels)))
    return tot * len(seen) + sum(x[i % len(x)] for i in sorted(seen, reverse=True)) + named


@pytest.mark.parametrize("f", [sorted_set_comprehension, sorted_set_name])
def test_sorted_sets(f):
    check_grads(f, (np.abs(X6),), ("fwd", "rev"), 2)


def set_iterated(x):
    s = {"b", "a", "c"}
    return sum(x[i] * len(k) for i, k in enumerate(s))


def set_sorted_by_key(x):
    s = {"b", "a", "c"}
    return sum(x[i] for i, k in enumerate(sorted(s, key=len)))  # (ties: the set's order)


@pytest.mark.parametrize("f", [set_iterated, set_sorted_by_key])
def test_sets_in_their_order_stay_refused(f):
    with pytest.raises(srcad.SrcadError, match="set"):
        srcad.grad(f)(X6)


def log_gauss_tail(x):
    return np.log(special.erfc(x))


def log_tiny(x):
    return np.log(np.exp(-x * x) * 1e-10)


def logit_tiny(x):
    return special.logit(np.exp(-x * x))


def xlogy_tiny(x):
    return special.xlogy(2.0, np.exp(-x * x))


@pytest.mark.parametrize(
    ("f", "x", "second"),
    [
        (log_gauss_tail, 20.0, -1.9975185571),  # (1/x^2 - 2 - ... at x = 20)
        (log_tiny, 19.0, -2.0),
        (logit_tiny, 19.0, -2.0),
        (xlogy_tiny, 19.0, -4.0),
    ],
)
def test_second_derivative_without_overflow(f, x, second):
    _, hv = srcad.hvp(f, (x,), (1.0,))
    assert np.isclose(hv, second, rtol=1e-6)  # (-inf before)
    assert np.isclose(srcad.hessian(f)(x), second, rtol=1e-6)
    assert np.isclose(srcad.jacfwd(srcad.jacfwd(f))(x), second, rtol=1e-6)


def log_cosh(x):
    return np.sum(np.abs(x) + np.log1p(np.exp(-2 * np.abs(x))) - np.log(2.0))


def softplus_scaled(x):
    return np.sum(np.maximum(3 * x, 0) + np.log(1 + np.exp(np.abs(x) * -3.0)))


@pytest.mark.parametrize(
    ("f", "slope", "curv"), [(log_cosh, 0.0, 1.0), (softplus_scaled, 1.5, 2.25)]
)
def test_scaled_softplus_tail_at_zero(f, slope, curv):
    x0 = np.zeros(3)
    assert np.allclose(srcad.hessian(f)(x0), curv * np.eye(3))  # (0 before)
    _, hv = srcad.hvp(f, (x0,), (np.ones(3),))
    assert np.allclose(hv, curv)
    assert np.allclose(srcad.grad(f)(x0), slope)  # (tanh(0); 3 sigmoid(0))
    x = np.array([0.3, -2.0, 30.0])
    check_grads(f, (x,), ("fwd", "rev"), 2)
    g = srcad.grad(log_cosh)(x)
    assert np.allclose(g, np.tanh(x))


def fabs_squares(x):
    return sum(math.fabs(v) ** 2 for v in x) + math.pow(abs(x[1]), 2) + math.pow(math.fabs(x[2]), 2)


def test_math_fabs_and_pow_squares():
    assert np.allclose(np.diag(srcad.hessian(fabs_squares)(np.zeros(3))), [2.0, 4.0, 4.0])
    check_grads(fabs_squares, (np.array([0.3, -0.7, 1.2]),), ("fwd", "rev"), 2)


def math_log_cosh(x):
    return sum(abs(v) + math.log1p(math.exp(-2.0 * math.fabs(v))) - math.log(2.0) for v in x)


def math_softplus(v):
    return math.log(1.0 + math.exp(-abs(v))) + 0.5 * v


def test_math_softplus_tails():
    assert np.allclose(np.diag(srcad.hessian(math_log_cosh)(np.zeros(3))), 1.0)
    _, hv = srcad.hvp(math_softplus, (0.0,), (1.0,))
    assert np.isclose(hv, 0.25)  # (0 before)
    g = srcad.grad(math_softplus)(1.5)
    assert type(g) is float and np.isclose(g, 0.5 - 1.0 / (1.0 + math.exp(1.5)))
    check_grads(math_log_cosh, (np.array([0.3, -2.0, 30.0]),), ("fwd", "rev"), 2)
