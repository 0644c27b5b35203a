"""Session 23 (fuzz23): what the wild generator (tests/fuzz/gen_wild.py) found.

- Chained assignment of one object to several names (``p = q = np.zeros(4); p[1] = x[0];
  q += x``) was refused ("`p` is read after the object it shares with another name is
  modified"): 40 of 600 wild programs (seeds 2300000-2300599). lower/chained.py now binds one
  name to the object and reads the others through it until one of them is rebound. Neighbours
  where the names may part (a branch rebinding one, ``op=`` of a number or a tuple) keep the
  exact answer or the refusal. The same for a plain copy of a name followed by a write through
  either (``b = a; b.append(v)``, ``np.add.at(b, i, v)``, ``e["k"] = v`` of a dict ``e = d``),
  which 20 tests expected refused (now checked here against Python and differences).
- ``np.array(x, dtype=float)`` with an array computed in a loop from it crashed ("internal
  error: AttributeError: 'NoneType' object has no attribute 'lookup'", seeds 2300231, 2300310,
  2300468): passes/inplace._Slice made the part of the function without its namespace, which
  ranks.float64_dtype reads to resolve ``float``.
"""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from tests.corpus.ported_semantics1 import sy_list_alias
from tests.lower.test_idioms import alias_after_pop, alias_after_update
from tests.lower.test_idioms2 import del_alias, dict_pop_alias, pop_alias_in_loop, sort_alias
from tests.lower.test_idioms14 import list_alias_updated
from tests.lower.test_inplace_numpy import add_at_aliased
from tests.lower.test_refusals import reads_alias_after_write
from tests.passes.test_alias import second_name
from tests.passes.test_soundness_alias import extended_through_alias, nested_container_alias
from tests.soundness.test_hunt23 import bound_then_updated
from tests.soundness.test_refuse7 import del_slice_through_alias, remove_through_alias
from tests.soundness.test_refuse22 import flat_alias_read, max_at_shared, place_shared
from tests.soundness.test_refuse23 import reverse_other_name

X = np.array([0.3, -0.7, 1.1, 2.0])
V = np.array([0.3, 0.5, -0.9, 0.2])


def _check(f, x: np.ndarray = X, second: bool = True, v: np.ndarray = V) -> None:
    """primal, grad and jvp against central differences, hvp against differences of the
    gradient."""
    np.testing.assert_allclose(srcad.primal(f)(x.copy()), f(x.copy()), rtol=1e-12)
    g = srcad.grad(f)(x.copy())
    h = 1e-6
    fd = (f(x + h * v) - f(x - h * v)) / (2 * h)
    np.testing.assert_allclose(np.dot(g, v), fd, rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(srcad.jvp(f, (x.copy(),), (v,))[1], fd, rtol=1e-6, atol=1e-8)
    if second:
        _, hv = srcad.hvp(f, (x.copy(),), (v,))
        fd2 = (srcad.grad(f)(x + h * v) - srcad.grad(f)(x - h * v)) / (2 * h)
        np.testing.assert_allclose(hv, fd2, rtol=1e-4, atol=1e-4)


def chain_array(x):
    p = q = np.zeros(4)
    p[1] = x[0]
    q += x
    return np.sum(p * q) + np.sum(q**2)


def chain_generated(x):  # the wild generator's form: `p` rebound after the writes
    u1 = u2 = np.zeros(4)
    u1[2] = np.sum(x**2)
    u2 += x
    u1 = u1 * u2
    return np.sum(u1) + np.sum(u2)


def chain_view(x):
    y = x * 1.0
    a = b = y[:3]
    a[0] = 5.0 * x[1]
    b *= 2
    return np.sum(y**2)


def chain_list(x):
    p = q = []
    p.append(x[0])
    q.append(x[1] * 2)
    return p[0] * q[1] + len(p)


def chain_dict(x):
    d = e = {}
    d["a"] = x[0]
    e["b"] = x[1] * 3.0
    return d["a"] * d["b"] + len(e)


def chain_three(x):
    a = b = c = np.zeros(4)
    a += x
    b[2] = np.sin(x[0])
    c *= 2.0
    return np.sum(a * b * c)


def chain_loop(x):
    s = 0.0
    for i in range(3):
        p = q = np.ones(4)
        p[i] = x[i] ** 2
        q *= x
        s = s + np.sum(p) * q[3]
    return s + np.sum(q)


def chain_then_view(x):
    p = q = x * 1.0
    v = p[1:]
    v *= 3.0
    return np.sum(q**2)


def chain_list_iadd(x):
    p = q = [x[0]]
    q += [x[1]]
    p *= 2
    return sum(p) * len(q) + q[3]


def chain_loop_continue(x):
    p = q = []
    for i in range(4):
        if i == 2:
            continue
        p.append(x[i])
    return sum(q) * q[0]


def chain_like(x):  # `np.ones_like(v)` is an ndarray whatever `v`: `q += x` is in place
    p = q = np.ones_like(x)
    q += x
    return np.sum(p * q)


def chain_number(x):  # `q += v` of a number rebinds q only
    p = q = x[0] * 1.0
    q += x[1]
    return p * 3.0 + q


CHAINS = {
    f.__name__: f
    for f in (
        chain_array,
        chain_generated,
        chain_view,
        chain_list,
        chain_dict,
        chain_three,
        chain_loop,
        chain_then_view,
        chain_list_iadd,
        chain_loop_continue,
        chain_like,
        chain_number,
    )
}


@pytest.mark.parametrize("name", sorted(CHAINS))
def test_chained_assignment_shares_one_object(name: str) -> None:
    _check(CHAINS[name])


def branch_parts(x):  # the names part on one path: Python's result depends on the branch
    p = q = np.zeros(4)
    p[0] = x[1]
    if x[0] > 0:
        q = x * 2.0
    q[1] = x[2]
    return np.sum(p**2) + np.sum(q)


def closure_reads(x):  # a lambda reads `p` later: the rewrite is not made
    p = q = np.zeros(4)
    g = lambda: np.sum(p)  # noqa: E731
    q[0] = x[0]
    p = p + x
    return g() * x[1]


@pytest.mark.parametrize("f", [branch_parts, closure_reads], ids=lambda f: f.__name__)
def test_chained_assignment_neighbours_exact_or_refused(f) -> None:
    try:
        g = srcad.grad(f)(X)
    except srcad.SrcadError as e:
        assert "shares with another name" in str(e) or "read after" in str(e)
        return
    h = 1e-6
    fd = (f(X + h * V) - f(X - h * V)) / (2 * h)
    np.testing.assert_allclose(np.dot(g, V), fd, rtol=1e-6)


def test_branch_rebinding_stays_refused() -> None:
    with pytest.raises(srcad.SrcadError, match="shares with another name"):
        srcad.grad(branch_parts)(X)


def dtype_float_in_loop(x):  # seed 2300468, minimised
    w1 = x
    w3 = np.array(x, dtype=float)
    k = 0
    while k < 5:
        v6 = np.multiply.outer(w1, w3)
        k += 1
    return np.sum(v6**2)


def test_dtype_float_array_read_in_loop_no_crash() -> None:
    _check(dtype_float_in_loop)


def copy_list(x):
    p = []
    q = p
    p.append(x[0])
    q.append(x[1] * 2)
    return p[0] * q[1] + len(p)


def copy_add_at(x):
    a = np.zeros(4)
    b = a
    np.add.at(b, [0, 0, 1], x[:3])
    return np.sum(a * x)


def copy_dict(x):
    d = {"w": x * 1.0}
    e = d
    e["w"] = e["w"] * 2.0
    e["z"] = x[0]
    return np.sum(d["w"]) * d["z"]


def copy_branches(x):
    a = x * 1.0
    b = a
    if x[0] > 0:
        b[1] = 0.0
    else:
        a[2] = 0.0
    return np.sum(a + b)


def copy_then_rebind(x):
    a = x * 1.0
    b = a
    a = a + 1.0
    b[0] = 7.0 * x[2]
    return np.sum(a * b)


def copy_nested_copy(x):  # `c = b` inside a branch: both rewrites, read as `a`
    a = x * 1.0
    b = a
    if x[0] > 0:
        b[1] = 0.0
        c = b
        c[2] = x[3] ** 2
    return np.sum(a * b)


def copy_loop_reads_both(x):
    p = [x[0]]
    q = p
    for _ in range(3):
        q.append(p[-1] * x[1])
    return sum(p) + len(q) * q[2]


def copy_while_condition(x):  # the loop's test reads `q`, the body appends through `p`
    p = [x[0]]
    q = p
    while len(q) < 4:
        p.append(q[-1] * x[1])
    return sum(q)


def copy_in_branch(x):
    a = x * 1.0
    if x[0] > 0:
        b = a
        b[0] = 5.0 * x[1]
    return np.sum(a**2)


def copy_written_both(x):
    a = x * 1.0
    b = a
    a[0] = x[3]
    b[1] = x[2] ** 2
    return np.sum(a * b)


def copy_copyto(x):
    a = np.zeros(4)
    b = a
    np.copyto(b, x * 2.0)
    return np.sum(a * x)


def copy_transposed_write(x):
    p = np.outer(x, x)
    q = p
    q.T[0] = x
    return np.sum(p * x[0])


COPIES = {
    f.__name__: f
    for f in (
        copy_list,
        copy_add_at,
        copy_dict,
        copy_branches,
        copy_then_rebind,
        copy_nested_copy,
        copy_loop_reads_both,
        copy_while_condition,
        copy_in_branch,
        copy_written_both,
        copy_copyto,
        copy_transposed_write,
        # programs earlier tests expected refused: `b = a` then a write through one name, Python
        # reads the one object through both; primal, grad, hvp checked against Python here
        sy_list_alias,
        alias_after_pop,
        alias_after_update,
        del_alias,
        dict_pop_alias,
        pop_alias_in_loop,
        sort_alias,
        list_alias_updated,
        add_at_aliased,
        reads_alias_after_write,
        extended_through_alias,
        nested_container_alias,
        bound_then_updated,
        del_slice_through_alias,
        remove_through_alias,
        flat_alias_read,
        max_at_shared,
        place_shared,
        reverse_other_name,
    )
}
SCALAR_INPUT = {"sy_list_alias", "extended_through_alias"}


@pytest.mark.parametrize("name", sorted(COPIES))
def test_name_copy_shares_one_object(name: str) -> None:
    if name in SCALAR_INPUT:
        _check_scalar(COPIES[name], 0.7)
    elif name == "bound_then_updated":
        _check(COPIES[name], np.linspace(-1.0, 1.3, 9) ** 2 + np.eye(3).ravel(), v=np.cos(X9))
    else:
        _check(COPIES[name])


X9 = np.arange(9.0)


def _check_scalar(f, x: float) -> None:
    h = 1e-6
    assert srcad.primal(f)(x) == pytest.approx(f(x), rel=1e-12)
    fd = (f(x + h) - f(x - h)) / (2 * h)
    assert srcad.grad(f)(x) == pytest.approx(fd, rel=1e-6, abs=1e-8)
    assert srcad.jvp(f, (x,), (1.0,))[1] == pytest.approx(fd, rel=1e-6, abs=1e-8)
    fd2 = (srcad.grad(f)(x + h) - srcad.grad(f)(x - h)) / (2 * h)
    assert srcad.hessian(f)(x) == pytest.approx(fd2, rel=1e-4, abs=1e-4)


def test_second_name_of_an_array_result() -> None:  # (a vector result: the Jacobian)
    np.testing.assert_allclose(srcad.primal(second_name)(0.7), second_name(0.7), rtol=1e-14)
    np.testing.assert_allclose(srcad.jvp(second_name, (0.7,), (1.0,))[1], [1.0, 0.0, 0.0])


def test_argument_written_through_a_copy_of_its_name() -> None:
    def f(x):
        b = x
        b[0] = b[1] * 3.0
        return np.sum(x**2)

    x = X.copy()
    g = srcad.grad(f)(x)
    ref = X.copy()
    f(ref)
    np.testing.assert_array_equal(x, ref)  # the caller's array changed as Python changes it
    np.testing.assert_allclose(g, [0.0, -14.0, 2.2, 4.0])


GLOBAL_LIST = [1.0, 2.0]


def global_copy(x):  # `b = GLOBAL_LIST`: not rewritten (a global, which a call may rebind)
    b = GLOBAL_LIST
    b.append(x[0])
    return x[0] * len(b)


def copy_branch_rebinds(x):  # the names part on one path
    p = [x[0]]
    q = p
    if x[0] > 0:
        q = [x[1]]
    q.append(x[2])
    return p[-1] * len(p)


def copy_closure(x):  # a lambda reads `q` when called: bound to `p` again after the append
    p = [x[0]]
    q = p
    g = lambda: q[-1]  # noqa: E731
    p.append(x[1])
    return g() * x[2]


def _push3(a):
    a.append(3.0)
    return 0.0


def copy_to_helper(x):
    p = [x[0]]
    q = p
    _push3(q)
    return p[-1] * x[1] + len(p)


def copy_loop_continue(x):  # `continue` skips the rebinding at the body's end: `q` read stale
    p = [x[0]]
    q = p
    t = 0.0
    for i in range(4):
        t = t + q[-1]
        q = p
        p.append(x[i])
        if i == 1:
            continue
        t = t + 0.0
    return t


def copy_while_break(x):
    p = [x[0]]
    q = [x[2]]
    k = 0
    while k < 3:
        s = q[-1]
        q = p
        p.append(s * x[1])
        k += 1
        if k == 2:
            break
    return q[-1] + p[-1]


@pytest.mark.parametrize(
    "f",
    [
        global_copy,
        copy_branch_rebinds,
        copy_to_helper,
        copy_loop_continue,
        copy_while_break,
    ],
    ids=lambda f: f.__name__,
)
def test_name_copy_neighbours_stay_refused(f) -> None:
    with pytest.raises(srcad.SrcadError):
        srcad.grad(f)(X.copy())


def copy_of_a_number(x):  # `q += v` of a number rebinds q only
    p = x[0] * 1.0
    q = p
    q += x[1]
    return p * 3.0 + q


def test_name_copy_of_a_number() -> None:
    _check(copy_of_a_number)


def test_name_copy_read_by_a_closure() -> None:  # (refused before alias40c: lower/chained._sync)
    _check(copy_closure)
