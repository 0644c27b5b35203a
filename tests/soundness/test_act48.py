"""The second-order refusals that must stay (session 48 lifted spurious ones: ad/live.py,
ad/rootbranch.py).

A magnitude (a root of a sum of squares, np.std) at 0 along a nonzero direction whose value
reaches the result, in every form (``hessian``, ``jacfwd(grad)``, ``jacrev(grad)``, ``hvp``),
is still refused: a value a condition reads that also flows to the result, a root the taken
branch reads, a root masked by a condition that depends on the input (it may switch at the
point: ``cos(r * (r > 0))`` is ``cos(r)``, whose Hessian at the centre is -I, not 0).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import srcad


def _forms(f, args):
    x, rest = args[0], args[1:]
    v = np.resize([1.0, -0.3], np.size(x)).reshape(np.shape(x))  # (moves the deviations)

    def at(y):
        return f(y, *rest)

    return {
        "hessian": lambda: srcad.hessian(f)(*args),
        "jacfwd(grad)": lambda: srcad.jacfwd(srcad.grad(f))(*args),
        "jacrev(grad)": lambda: srcad.jacrev(srcad.grad(f))(*args),
        "hvp": lambda: srcad.hvp(at, (x,), (v,)),
    }


def converge_used(x):
    u = x
    err = 1.0
    k = 0
    while err > 1e-12 and k < 3:
        u = 0.5 * u + np.sin(u)
        err = np.std(np.stack([u[0], u[1]]))
        k += 1
    return np.sum(u**3) + np.cos(err)  # err read by the condition and by the result


def converge_branch(x):
    u = x
    err = 1.0
    out = 0.0
    for _ in range(2):
        if err > 1e-12:
            u = 0.5 * u + np.sin(u)
            err = np.std(np.stack([u[0], u[1]]))
        else:
            out = np.cos(err)  # read through a branch and a carry
    return np.sum(u**3) + out


def converge_carry(x):
    u = x
    err = 1.0
    acc = 0.0
    k = 0
    while err > 1e-12 and k < 3:
        acc = acc + np.cos(err)  # the previous err reaches the result through another carry
        u = 0.5 * u + np.sin(u)
        err = np.std(np.stack([u[0], u[1]]))
        k += 1
    acc = acc + np.cos(err)
    return np.sum(u**3) + acc


def root_taken(x, flag):
    r = np.sqrt(np.sum(x**2))
    out = r if flag else x[0]
    return np.exp(out) + x[0] * x[1]


def root_where_taken(x, flag):
    r = np.sqrt(np.sum(x**2))
    return np.where(flag, np.exp(r), np.cos(x[0]))


def root_self_masked(x):
    r = np.sqrt(np.sum(x**2))
    return np.cos(r * (r > 0))


def root_input_cond(x):
    r = np.sqrt(np.sum(x**2))
    out = r if x[1] <= 0 else x[0]
    return np.exp(out)


def hypot_taken(x, flag):
    r = np.hypot(x[0], x[1])
    out = np.exp(r) if flag else np.cos(x[0])
    return out + x[0] * x[1]


def norm_taken(x, flag):
    r = np.linalg.norm(x)
    if flag:
        out = np.exp(r)
    else:
        out = np.cos(x[0])
    return out


def math_hypot_taken(x, flag):
    r = math.hypot(x[0], x[1])
    return math.exp(r) if flag else math.cos(x[0])


def norm_input_cond(x):
    r = np.linalg.norm(x)
    if x[0] >= 0:  # (depends on x: may switch at the point)
        return np.exp(r)
    return np.cos(x[0])


def hypot_also_after(x, flag):
    r = np.hypot(x[0], x[1])
    out = np.exp(r) if flag else np.cos(x[0])
    return out + np.exp(r)  # read outside the branch too


def root_rows(X, m):
    r = np.sqrt(np.sum(X**2, axis=1))
    return np.sum(np.where(m, np.exp(r), np.cos(X[:, 0])))


_Z = np.zeros(2)
CASES = [
    (converge_used, (np.array([0.7, 0.7]),)),
    (converge_branch, (np.array([0.7, 0.7]),)),
    (converge_carry, (np.array([0.7, 0.7]),)),
    (root_taken, (_Z, True)),
    (root_where_taken, (_Z, True)),
    (root_self_masked, (_Z,)),
    (root_input_cond, (_Z,)),
    (hypot_taken, (_Z, True)),
    (norm_taken, (_Z, True)),
    (math_hypot_taken, (_Z, True)),
    (norm_input_cond, (_Z,)),
    (hypot_also_after, (_Z, False)),
    (root_rows, (np.array([[0.0, 0.0], [1.0, 2.0]]), np.array([True, False]))),
]


@pytest.mark.parametrize("f, args", CASES, ids=[f.__name__ for f, _ in CASES])
def test_still_refused(f, args):
    for name, run in _forms(f, args).items():
        with pytest.raises(srcad.SrcadError, match="magnitude at 0|norm at a zero vector"):
            run()
            pytest.fail(name)
