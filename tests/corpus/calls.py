"""Calls: keyword and default arguments, user functions, recursion, closures, lambdas, methods."""

from __future__ import annotations

import numpy as np

from . import Case


def _scale(x, factor=2.0, shift=0.0):
    return x * factor + shift


def keyword_args(x):
    return _scale(x) + _scale(x, 3.0) + _scale(x, shift=1.0, factor=0.5)


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def calls_user_fn(w, x):
    return sigmoid(x @ w).sum()


def _normalize(v, eps=1e-8):
    return v / np.sqrt((v * v).sum() + eps)


def calls_chain(v):
    u = _normalize(v)
    return sigmoid(u).prod()


def power(x, n):
    if n == 0:
        return 1.0
    return x * power(x, n - 1)


def recursive_power(x):
    return power(x, 4) + power(x, 1)


def fast_power(x, n):
    if n == 0:
        return 1.0
    half = fast_power(x, n // 2)
    if n % 2 == 0:
        return half * half
    return half * half * x


def nested_def(x, a):
    def inner(t):
        return a * t * t

    return inner(x) + inner(2.0 * x)


def closure_in_loop(x, rate):
    def step(v):
        return v - rate * (v - 1.0)

    for _ in range(5):
        x = step(x)
    return x


def lambda_closure(x, k):
    f = lambda t: np.exp(-k * t) * t
    return f(x) + f(x * 0.5)


def nested_two_levels(x, c):
    def outer(y):
        def inner(z):
            return z * c + y

        return inner(y * y)

    return outer(x)


def np_keyword_calls(x):
    m = np.mean(x, axis=0, keepdims=True)
    s = np.sum((x - m) ** 2, axis=0)
    return np.clip(s, a_min=0.0, a_max=100.0)


class Affine:
    def __init__(self, scale, offset):
        self.scale = scale
        self.offset = offset

    def apply(self, x):
        return x * self.scale + self.offset

    def loss(self, x, target):
        r = self.apply(x) - target
        return (r * r).mean()


MODEL = Affine(1.5, -0.25)


def uses_global_model(x):
    return np.sin(MODEL.apply(x)).sum()


def uses_bound_method(x, target):
    fn = MODEL.loss
    return fn(x, target) + MODEL.loss(x * 2.0, target)


CASES = [
    Case(keyword_args, (0.7,), (0,)),
    Case(calls_user_fn, (np.array([0.5, -0.3]), np.array([[1.0, 2.0], [0.3, -0.4]])), (0, 1)),
    Case(calls_chain, (np.array([0.5, -0.3, 1.2]),), (0,)),
    Case(recursive_power, (1.3,), (0,)),
    Case(fast_power, (1.1, 5), (0,)),
    Case(nested_def, (0.9, 1.7), (0, 1)),
    Case(closure_in_loop, (0.2, 0.3), (0, 1)),
    Case(lambda_closure, (0.8, 1.5), (0, 1)),
    Case(nested_two_levels, (0.6, 2.0), (0, 1)),
    Case(np_keyword_calls, (np.array([[0.5, 1.0], [1.5, -2.0], [0.2, 0.4]]),), (0,)),
    Case(
        MODEL.loss,
        (np.array([0.5, 1.0, -0.3]), np.array([0.2, 1.3, 0.0])),
        (0, 1),
        name="calls.Affine.loss",
    ),
    Case(uses_global_model, (np.array([0.5, 1.0, -0.3]),), (0,)),
    Case(uses_bound_method, (np.array([0.5, 1.0, -0.3]), np.array([0.2, 1.3, 0.0])), (0, 1)),
]
