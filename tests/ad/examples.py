"""Small functions whose transformed IR tests/ad/test_jvp_ir.py and test_vjp_ir.py pin: one per
construct the transforms treat apart (scalar and array arithmetic, a joint rule, a zero rule,
np.where, containers, item assignment, append, if, for with a carry, while with break, a call of
a user function, recursion). Each is plain Python/NumPy, so the tests compare with finite
differences of the function itself.
"""

from __future__ import annotations

from typing import Any

import numpy as np


def scalar_arith(x: float, y: float) -> float:
    return x * y - x / y


def array_arith(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    return x * y


def joint_add(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    return x + y


def comparison(x: np.ndarray) -> np.ndarray:
    return x * (x > 1.0)


def where(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    return np.where(x > 0.0, np.sin(x), y)


# Indices known only at run time (`len(...) - 1`, a key parameter): a constant index into a literal
# is the element itself (passes/fold.py), which would leave the structural rules nothing to do.
def tuple_index(x: float, y: float) -> float:
    t = (x, y)
    return t[0] * t[len(t) - 1]


def list_index(x: float, y: float) -> float:
    xs = [x, y * y]
    return xs[len(xs) - 1] - xs[0]


def dict_index(x: float, y: float) -> float:
    d = {"a": x, "b": y}
    return d["a"] * d[("a", "b")[len(d) - 1]]


def set_item(x: float, y: np.ndarray) -> np.ndarray:
    z = np.zeros(3)
    z[1] = x
    return z * y


def append(x: float, y: float) -> float:
    xs: list[Any] = []
    xs.append(x)
    xs.append(x * y)
    return xs[0] + xs[1]


def branch(x: float) -> float:
    if x > 0.0:
        y = np.sin(x)
    else:
        y = x * x
    return y


def loop_carry(x: float) -> float:
    s = x
    for _ in range(3):
        s = s * x
    return s


def while_break(x: float) -> float:
    s = x
    n = 0
    while True:
        s = s * x
        n += 1
        if n >= 3:
            break
    return s


def square(a: float) -> float:
    return a * a


def calls_user(x: float) -> float:
    return square(x) + x


def power(x: float, n: int) -> float:
    if n == 0:
        return 1.0
    return x * power(x, n - 1)
