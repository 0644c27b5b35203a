"""Wrong results found by the 4th session's hunt, each now refused (tests fail without the fix).

- A dict view (`d.keys()`, `d.values()`, `d.items()`) is live in Python, but srcad lowers it to
  a list of the entries when it is made: reading it after the dict changes (a stored view, or a
  loop over it whose body writes another entry) gave the old entries. Views are now views of the
  dict for the mutation check.
- `dict.fromkeys(keys, [])` holds one list under every key: appending to `d["a"]` changes
  `d["b"]` in Python; srcad's write-back changed only `d["a"]`.
- `t[0][0] = v` on a tuple of lists crashed in the generated code (a tuple has no `.copy()`).
"""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads


def stored_keys(x):
    d = {"a": x[0]}
    ks = d.keys()
    d["b"] = x[1]
    return len(ks) * x[0]


def stored_values(x):
    d = {"a": x[0]}
    vs = d.values()
    d["b"] = x[1]
    return sum(vs)


def stored_items(x):
    d = {"a": x[0]}
    it = d.items()
    d["a"] = x[1] * 3
    return sum(v for _, v in it) * x[0]


def loop_items_writes_other(x):
    d = {"a": x[0], "b": x[1]}
    for _k, v in d.items():
        d["b"] = v * 2
    return d["b"] * x[2]


def loop_values_writes_other(x):
    d = {"a": x[0], "b": x[1]}
    s = 0.0
    for v in d.values():
        s = s + v
        d["b"] = v * 3
    return s


def fromkeys_shared_list(x):
    d = dict.fromkeys(["a", "b"], [])
    d["a"].append(x[0])
    return sum(d["b"]) * 3 + x[1]


def tuple_of_lists(x):
    t = ([x[0]], [x[1]])
    t[0][0] = x[1] * 2
    return t[0][0] + x[0]


REFUSED = [
    stored_keys,
    stored_values,
    stored_items,
    loop_items_writes_other,
    loop_values_writes_other,
    fromkeys_shared_list,
    tuple_of_lists,
]


@pytest.mark.parametrize("f", REFUSED, ids=lambda f: f.__name__)
def test_refused(f) -> None:
    x = np.array([0.7, 1.2, 0.4])
    with pytest.raises(srcad.SrcadError):
        srcad.grad(f)(x)
    with pytest.raises(srcad.SrcadError):
        srcad.primal(f)(x)


def snapshot_uses(x):
    d = {"a": x[0]}
    vs = list(d.values())  # a copy: later changes of d do not show
    d["b"] = x[1]
    total = sum(d.values())  # read at once
    return sum(vs) * total


def fromkeys_numbers(x):
    d = dict.fromkeys(["a", "b"], 0.0)
    d["a"] = x[0]
    return d["a"] * 3 + d["b"] + x[1]


@pytest.mark.parametrize("f", [snapshot_uses, fromkeys_numbers], ids=lambda f: f.__name__)
def test_still_differentiated(f) -> None:
    x = np.array([0.7, 1.2, 0.4])
    assert np.isclose(srcad.primal(f)(x), f(x))
    check_grads(f, (x,), modes=("fwd", "rev"))


def elementwise_product(a, b):
    return np.sum(a * b)


def test_matrix_not_differentiated_argument_refused() -> None:
    """An np.matrix argument that is not differentiated still makes `a * b` a matrix product:
    grad in `a` gave b's elementwise rule (the hunt's open case after d1a8a1f)."""
    a = np.array([[1.0, 2.0], [3.0, 4.0]])
    b = np.array([[0.5, -1.0], [2.0, 1.5]])
    g = srcad.grad(elementwise_product)
    np.testing.assert_allclose(g(a, b), b)  # fast path warm with ndarrays first
    for call in (
        lambda: g(a, np.matrix(b)),
        lambda: srcad.value_and_grad(elementwise_product)(a, np.matrix(b)),
        lambda: srcad.hessian(elementwise_product)(a, np.matrix(b)),
        lambda: srcad.jacrev(elementwise_product)(a, np.matrix(b)),
        lambda: g(a, [np.matrix(b)][0]),
    ):
        with pytest.raises(srcad.SrcadError, match="np.matrix"):
            call()
    # the primal round trip runs NumPy's own operators: the matrix product, as Python does
    assert srcad.primal(elementwise_product)(a, np.matrix(b)) == elementwise_product(
        a, np.matrix(b)
    )


class Box:
    def __init__(self, a):
        self.a = a

    def __mul__(self, o):
        return Box(self.a * o.a)


class SumBox(Box):
    def __rmul__(self, o):  # Python runs this first for Box() * SumBox()
        return Box(self.a + o.a)


class PlainBox(Box):
    pass


def subclass_reflected(x):
    return np.sum((Box(x) * SumBox(x * 2.0)).a)


def subclass_plain(x):
    return np.sum((Box(x) * PlainBox(x * 2.0)).a)


def test_subclass_reflected_operator() -> None:
    """``a * b`` with b's class a subclass of a's that overrides ``__rmul__``: Python runs
    ``b.__rmul__(a)`` first; srcad ran ``a.__mul__(b)`` (grad 4x where the answer is 3)."""
    x = np.array([0.3, 0.5, 0.9])
    with pytest.raises(srcad.SrcadError, match="__rmul__"):
        srcad.grad(subclass_reflected)(x)
    np.testing.assert_allclose(srcad.grad(subclass_plain)(x), 4.0 * x)


def _make_nested():
    def dense(ab):  # no free variables: rebuilt at the top level by the source check
        return sum(np.diag(ab[1 - d, max(d, 0) : 3 + min(d, 0)], d) for d in (-1, 0, 1))

    def g(ab):
        return np.sum(np.sin(dense(ab)))

    return g


def test_nested_function_with_a_generator_on_python_310() -> None:
    """Python 3.10 stores a nested code's qualified name as a constant ('_make_nested.<locals>.
    dense.<locals>.<genexpr>'); the source check compared it with the rebuilt context's and
    called the file changed (a spurious refusal on 3.10 only)."""
    ab = np.random.default_rng(0).standard_normal((3, 3))
    check_grads(_make_nested(), (ab,), modes=("fwd", "rev"))


def keys_loop_updates_values(x):
    d = {"a": x[0], "b": x[1]}
    for k in d.keys():  # the key set does not change (Python raises if it does)
        d[k] = d[k] * 2.0
    return d["a"] * d["b"] + len(d.keys())


def test_keys_loop_updating_values_still_differentiated() -> None:
    """Views of dicts are views for the mutation check (above), but a for loop over d.keys()
    iterates a snapshot: it stays accepted, as it was before."""
    x = np.array([0.3, 0.5, 0.9])
    assert np.isclose(srcad.primal(keys_loop_updates_values)(x), keys_loop_updates_values(x))
    check_grads(keys_loop_updates_values, (x,), modes=("fwd", "rev"))
