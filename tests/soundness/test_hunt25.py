"""Session 25 (hunt25): what the hunt over simulations, finance, sequence models and losses
written like users' code found.

- A ``:=`` in a comprehension's filter over a module-level generator's call, ``sum(v for x in
  _per_sample(w) if (v := 2 * x) > 0.1)``, was refused ("this comprehension writes while the
  generator runs its items"): the walrus binds `v` in the transformed function, which a function
  known before it cannot read. Such writes (plain names of the function, not inlined into
  another, with no ``global``/``nonlocal`` declaration) no longer count for a generator known
  now (lower/generators.check_consumed); a nested generator ``def`` reading the name, an
  object's field written by a method call, stay refused.
- A write into a row of a list of lists made in the function with an int argument as the row's
  index, ``val[n][j] = v`` (a binomial tree with `n` steps, a DP table), was refused ("`val` is
  read after the object it shares with another name is modified"): only int constants, loop
  indices and their arithmetic counted as a key naming one element, so ``val[n]`` might have been
  a slice's copy and the write-back wrong. A key known to be a number at this transform
  (`Facts.scalars`: an int argument; a float key raises) of lists/tuples/dicts made here now
  names one element too (passes/alias_nested._number_key_of_box for the write-back,
  passes/alias_flow's ``getitem`` for the read); a row held by another name or list, or a row
  put in the list twice, stays refused.
- ``u = t; t += (v,)`` of a tuple display was refused ("`t` is read after the object it shares
  with another name is extended"): the check took ``srcad.runtime.concat`` for an update in place
  as for a list. On tuples made here it now makes a new tuple holding both's elements
  (passes/alias_index.tuples_only); a list, or a value that may be either, is updated as before.
"""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads
from tests.soundness.numeric import central_differences, check_scalar

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")

X5 = np.array([[1.0, 0.5], [0.3, -1.2], [-0.7, 0.4], [2.0, 1.0], [0.1, 0.1]])
Y5 = np.array([1.0, -1.0, 0.5, 2.0, 0.0])


def _per_sample(w):
    for xi, yi in zip(X5, Y5):
        yield (xi @ w - yi) ** 2


def walrus_filter(w):
    return sum(v for x in _per_sample(w) if (v := 2 * x) > 0.1)


def walrus_list(w):
    kept = [u * x for x in _per_sample(w) if (u := np.sqrt(x)) > 0.2]
    return sum(kept)


def test_walrus_in_a_comprehension_over_a_module_generator():
    check_scalar(walrus_filter, np.array([0.4, -0.3]))
    check_scalar(walrus_list, np.array([0.4, -0.3]))


def nested_reads_walrus(w):
    v = 0.0

    def gen(w):
        for xi in X5:
            yield xi @ w + v

    return sum(v for x in gen(w) if (v := x) > -5.0)


def test_walrus_read_by_a_nested_generator_still_refused():
    with pytest.raises(srcad.SrcadError, match="writes while the generator"):
        srcad.grad(nested_reads_walrus)(np.array([0.4, -0.3]))


def american(p, n=5):
    s0, sig = p
    u = np.exp(sig * 0.4)
    d = 1 / u
    tree = [[s0 * u ** (i - j) * d**j for j in range(i + 1)] for i in range(n + 1)]
    val = [[0.0] * (i + 1) for i in range(n + 1)]
    for j in range(n + 1):
        val[n][j] = max(1.0 - tree[n][j], 0.0)
    for i in range(n - 1, -1, -1):
        for j in range(i + 1):
            cont = 0.98 * (0.5 * val[i + 1][j] + 0.5 * val[i + 1][j + 1])
            val[i][j] = max(cont, 1.0 - tree[i][j])
    return val[0][0] + val[n - 1][0]


def row_by_int_argument(x, n=1):
    val = [[0.0] * 3 for _ in range(3)]
    val[n][0] = x[0] ** 2
    val[n - 1][1] = x[1] * val[n][0]
    return val[1][0] * x[1] + val[0][1]


def test_row_of_a_list_of_lists_written_by_an_int_argument():
    check_scalar(american, np.array([0.97, 0.3]))
    g = srcad.grad(american)(np.array([0.97, 0.3]), 7)
    fd = central_differences(lambda p: american(p, 7), np.array([0.97, 0.3]))
    np.testing.assert_allclose(g, fd, rtol=1e-6, atol=1e-8)
    check_scalar(row_by_int_argument, np.array([0.5, 1.5]))
    for n in (1, 2):
        g = srcad.grad(row_by_int_argument)(np.array([0.5, 1.5]), n)
        fd = central_differences(lambda p, n=n: row_by_int_argument(p, n), np.array([0.5, 1.5]))
        np.testing.assert_allclose(g, fd, rtol=1e-6, atol=1e-8)


def row_held_by_a_name(x, n=1):
    val = [[0.0] * 3 for _ in range(3)]
    row = val[n]
    val[n][0] = x[0]
    return row[0] * x[1]


def row_held_by_a_list(x, n=1):
    val = [[0.0] * 3 for _ in range(3)]
    other = [val[1]]
    val[n][0] = x[0]
    return other[0][0] * x[1]


def one_row_twice(x, n=1):
    r = [0.0] * 3
    val = [r, [1.0, 2.0, 3.0], r]
    val[n][0] = x[0]
    return val[0][0] * x[1] + val[2][0]


@pytest.mark.parametrize("f", [row_held_by_a_name, row_held_by_a_list, one_row_twice])
def test_shared_rows_written_by_an_int_argument_still_refused(f):
    with pytest.raises(srcad.SrcadError, match="Python would see the change"):
        srcad.grad(f)(np.array([0.5, 1.5]), 0)


def tuple_extended(x):
    t = (x[0],)
    u = t
    t += (x[1] * x[2],)
    return sum(u) * 3 + sum(t) * x[0]


def test_tuple_extended_while_another_name_holds_it():
    check_scalar(tuple_extended, np.array([0.5, 1.5, -0.7]))


def list_extended(x):
    t = [x[0]]
    u = t
    t += [x[1]]
    return sum(u) * 2


def list_in_tuple_extended(x):
    lst = [x[0]]
    t = (lst,)
    u = t
    t += ([x[1]],)
    t[0].append(x[2])
    return sum(u[0]) * 2 + sum(t[1])


def list_or_tuple_extended(x, flag=True):
    t = [x[0]] if flag else (x[0],)
    u = t
    t += [x[1]] if flag else (x[1],)
    return sum(u) * 2


def test_list_extended_through_a_copy():  # `t += [v]` extends the list `u` is (alias40c)
    check_grads(list_extended, (np.array([0.5, 1.5, -0.7]),), modes=("fwd", "rev"), order=2)


@pytest.mark.parametrize("f", [list_in_tuple_extended, list_or_tuple_extended])
def test_lists_extended_while_another_name_holds_them_still_refused(f):
    # (a list's ``+=`` through a copy: lower/opfork.py refuses it when it runs)
    with pytest.raises(srcad.SrcadError, match="Python would see the change|neither a NumPy"):
        srcad.grad(f)(np.array([0.5, 1.5, -0.7]))
