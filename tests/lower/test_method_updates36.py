"""Methods updating what the caller holds: an argument (``a.add_to(out, v)`` appending to `out`,
``d[k] = v``, ``out[i] = v``: lower/argwrites.py, inlined and written back as for a plain helper)
and a container the caller passed to ``__init__`` (``opt.step(g)`` writing
``self.params[k] = ...``: lower/fieldlinks.py). Both modes, second order; the cases where Python's
sharing is not followed stay refused."""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads

X = np.array([0.3, -0.5, 0.8])


class Acc:  # a record (``__init__`` only stores): built here for its updating method
    def __init__(self, w):
        self.w = w

    def add_to(self, out, v):
        out.append(self.w * v)


class Acc2:  # built here anyway (its ``__init__`` computes)
    def __init__(self, w):
        self.w = w * 1.0

    def put(self, d, k, v):
        d[k] = self.w * v

    def fill(self, out, i, v):
        out[i] = self.w * v

    def scale(self, out):
        out *= self.w


class SGD:
    def __init__(self, params, lr):
        self.params, self.lr = params, lr

    def step(self, grads):
        for k in self.params:
            self.params[k] = self.params[k] - self.lr * grads[k]


class Copying(SGD):
    def __init__(self, params, lr):
        self.params, self.lr = dict(params), lr


def record_append(x):
    a = Acc(2.0)
    out = []
    for v in x:
        a.add_to(out, np.sin(v))
    return sum(out)


def dict_argument(x):
    a = Acc2(0.5)
    d = {}
    a.put(d, "u", np.sin(x))
    a.put(d, "v", x * x)
    return np.sum(d["u"] * d["v"])


def array_argument(x):
    a = Acc2(3.0)
    out = np.zeros(3)
    for i in range(3):
        a.fill(out, i, np.sin(x[i]) * x[0])
    return np.sum(out**2)


def shared_params(w):
    params = {"w": w, "b": 0.5 * w}
    opt = SGD(params, 0.1)
    for _ in range(3):
        opt.step({"w": 2 * params["w"], "b": np.cos(params["b"])})
    return np.sum(params["w"] ** 2 + params["b"])


def shared_in_branch(w):
    params = {"w": w}
    opt = SGD(params, 0.1)
    for i in range(3):
        if i % 2 == 0:
            opt.step({"w": np.sin(params["w"])})
    return np.sum(params["w"])


def shared_while(w):
    params = {"w": w}
    opt = SGD(params, 0.1)
    n = 0
    while np.sum(params["w"]) > 0.3 and n < 5:
        opt.step({"w": np.cos(params["w"])})
        n += 1
    return np.sum(params["w"] ** 2)


def shared_two_names(w):
    params = {"w": w * 1.0}
    p2, old = params, params["w"]
    opt = SGD(params, 0.1)
    opt.step({"w": np.sin(params["w"])})
    return np.sum(p2["w"] * params["w"] * old)


def copied_params(w):
    params = {"w": w}
    opt = Copying(params, 0.1)
    for _ in range(2):
        opt.step({"w": np.sin(params["w"])})
    return np.sum(params["w"] * opt.params["w"])


@pytest.mark.parametrize(
    "f",
    [record_append, dict_argument, array_argument, shared_params, shared_in_branch,
     shared_while, shared_two_names, copied_params],
)  # fmt: skip
def test_values_and_derivatives(f):
    check_grads(f, (X.copy(),), modes=("fwd", "rev"), order=2)
    value, _ = srcad.value_and_grad(f)(X.copy())
    assert np.allclose(value, f(X.copy()))


def aliased_out(x):
    a = Acc(2.0)
    out = []
    seen = out
    for v in x:
        a.add_to(out, v)
    return sum(seen)


def op_assign_argument(x):
    a = Acc2(3.0)
    out = x * 1.0
    a.scale(out)
    return np.sum(out)


def caller_writes_too(w):
    params = {"w": w}
    opt = SGD(params, 0.1)
    params["w"] = params["w"] * 2.0
    opt.step({"w": np.sin(params["w"])})
    return np.sum(params["w"])


def two_optimizers(w):
    params = {"w": w}
    a, b = SGD(params, 0.1), SGD(params, 0.2)
    for _ in range(2):
        a.step({"w": np.sin(params["w"])})
        b.step({"w": np.cos(params["w"])})
    return np.sum(params["w"] ** 2)


@pytest.mark.parametrize("f", [aliased_out, op_assign_argument, caller_writes_too, two_optimizers])
def test_sharing_not_followed_stays_refused(f):
    with pytest.raises(srcad.SrcadError):
        srcad.grad(f)(X.copy())
