"""Functions as values: lists/tuples of functions (looped over, through enumerate/zip, indexed by
constants, in comprehensions) are unrolled at lowering time; ``map``/``filter`` become the
comprehensions they equal. Gradients against central differences in both modes, and Hessians."""

from __future__ import annotations

import numpy as np
import pytest

import srcad

X = np.array([0.3, -0.5, 0.7])
W = [np.array([[0.5, -0.2, 0.1], [0.3, 0.8, -0.4], [0.2, 0.1, 0.9]]), np.eye(3) * 0.7]


def relu_ish(z):
    return np.log1p(np.exp(z))


def acts_loop(x):
    acts = [np.tanh, lambda z: z**2, relu_ish]
    s = 0.0
    for a in acts:
        s = s + np.sum(a(x))
    return s


def acts_comprehension(x):
    return sum([np.sum(f(x)) for f in (np.sin, lambda z: z * 3.0)])


def acts_generator_indexed(x):
    fs = (np.cos, lambda z: np.exp(-z))
    return np.sum(fs[0](x) * fs[-1](x)) + sum(np.sum(f(x)) for f in fs)


def mlp_zip(x):
    def sq(z):
        return z * z

    h = x
    for Wk, act in zip(W, [np.tanh, sq]):
        h = act(Wk @ h)
    return np.sum(h)


def enumerate_acts(x):
    s = 0.0
    for k, f in enumerate([np.sin, np.cos, lambda z: z**3]):
        s = s + (k + 1) * np.sum(f(x))
    return s


def map_lambda(x):
    return sum(map(lambda z: z * z, [x[0], x[1]])) + sum(map(np.sin, x))


def map_two(x):
    return sum(map(lambda a, b: a * b, x, x[::-1]))


def filter_lambda(x):
    return sum(filter(lambda z: z > 0, x))


CASES = [acts_loop, acts_comprehension, acts_generator_indexed, mlp_zip, enumerate_acts,
         map_lambda, map_two, filter_lambda]  # fmt: skip


def _fd(f, x, h=1e-6):
    return np.array([(f(x + e) - f(x - e)) / (2 * h) for e in np.eye(len(x)) * h])


@pytest.mark.parametrize("f", CASES, ids=lambda f: f.__name__)
def test_gradients(f) -> None:
    g = srcad.grad(f)(X)
    np.testing.assert_allclose(g, _fd(f, X), rtol=1e-7, atol=1e-9)
    v = np.array([1.0, -2.0, 0.5])
    out, d = srcad.jvp(f, (X,), (v,))
    assert out == pytest.approx(f(X), rel=1e-14)
    assert d == pytest.approx(g @ v, rel=1e-10, abs=1e-14)
    H = srcad.hessian(f)(X)
    np.testing.assert_allclose(H, _fd(srcad.grad(f), X).T, rtol=1e-6, atol=1e-8)


def test_numbers() -> None:
    # sum(tanh x) + sum(x^2) + sum(softplus x): 1 - tanh^2 + 2x + sigmoid(x)
    want = 1 - np.tanh(X) ** 2 + 2 * X + 1 / (1 + np.exp(-X))
    np.testing.assert_allclose(srcad.grad(acts_loop)(X), want, rtol=1e-14)
    np.testing.assert_allclose(srcad.grad(filter_lambda)(X), [1.0, 0.0, 1.0])


def break_in_loop(x):
    s = 0.0
    for a in [np.sin, np.cos]:
        s = s + np.sum(a(x))
        if s > 10:
            break
    return s


def list_escapes(x):
    acts = [np.sin, lambda z: z]
    return np.sum(apply_all(acts, x))


def apply_all(fs, x):
    return fs[0](x)


@pytest.mark.parametrize(
    ("f", "message"),
    [
        (break_in_loop, "`break` and `return` in a loop over a list of functions"),
        (
            list_escapes,
            "a list of functions holding the nested function `<lambda>` is used as a value",
        ),
    ],
)
def test_refusals_are_located(f, message) -> None:
    with pytest.raises(srcad.SrcadError, match=message) as e:
        srcad.grad(f)(X)
    assert "test_function_values.py" in str(e.value)


def test_a_tuple_of_classes_is_still_data() -> None:
    def f(x):
        kinds = (np.ndarray, list)
        return np.sum(x**2) if isinstance(x, kinds) else 0.0

    np.testing.assert_allclose(srcad.grad(f)(X), 2 * X)
