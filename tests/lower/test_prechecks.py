"""The lowering's prechecks skip an analysis only where its trigger is absent.

- lower/viewscan.may_rewrite spares the view facts' walk over every node: wherever it says the
  rewrite changes nothing, the rewrite run anyway changes nothing (every function of the test
  corpus and of the views tests); at each of the rewrite's triggers (a view bound to a name by
  an index, ``.T``, a reshape method or function under any of its NumPy names, a row loop, a
  write through a view expression; the base made in a ``with``, ``match`` case or ``except``
  body) it says yes and the rewrite happens.
- lower/argwrites.carried walks a loop body for calls only when a name it reads is a helper that
  may update its arguments: the loop then carries the caller's variable.
"""

from __future__ import annotations

import copy
import importlib
import pkgutil
import types
import warnings

import gast
import numpy as np

import srcad
import tests.corpus
from srcad.frontend.source import get_source, namespace_of
from srcad.lower import viewscan, viewwrites
from srcad.lower.viewfacts import HEAD_FNS, HEAD_NAMES
from srcad.testing import check_grads

rs = np.reshape  # the function under another name
X = np.array([0.31, -0.72, 1.13, 0.57])


def _tree(f):
    return copy.deepcopy(get_source(f).node)  # (never the tree a lowering may hold)


def _functions():
    names = sorted(m.name for m in pkgutil.iter_modules(tests.corpus.__path__))
    modules = [
        importlib.import_module(f"tests.corpus.{n}") for n in names if not n.startswith("test")
    ]
    modules += [importlib.import_module("tests.soundness.test_views10")]
    for mod in modules:
        for _, f in sorted(vars(mod).items()):
            if isinstance(f, types.FunctionType) and f.__module__ == mod.__name__:
                yield f


def test_no_from_the_precheck_means_the_rewrite_changes_nothing() -> None:
    seen = yes = changed = 0
    for f in _functions():
        try:
            root = _tree(f)
        except srcad.SrcadError:
            continue
        if not isinstance(root, gast.FunctionDef):
            continue
        seen += 1
        may = viewscan.may_rewrite(root)
        yes += may
        before = gast.dump(root)
        got = viewwrites.rewrite(root, namespace_of(f), precheck=False)
        changed += got
        if not may:
            assert not got and gast.dump(root) == before, f.__qualname__
    assert seen > 1000 and changed > 20 and yes < seen / 10, (seen, yes, changed)


def bound_by_index(x):
    A = np.outer(x, x) + 1.0
    r = A[1]
    r *= 2.0
    return np.sum(A)


def bound_by_transpose(x):
    A = np.outer(x, x)
    t = A.T
    t[0] += x
    return np.sum(A * A)


def bound_by_reshape_method(x):
    y = np.zeros(4)
    v = y.reshape(2, 2)
    v[:, 0] += x[:2]
    return np.sum(y * x)


def bound_by_reshape_function(x):
    y = np.zeros(4)
    v = rs(y, (2, 2))
    v[:, 0] += x[:2]
    return np.sum(y * x)


def bound_by_permute_dims(x):
    A = np.outer(x, x)
    t = np.permute_dims(A)
    t[0] *= 2.0
    return np.sum(A * A)


def row_loop(x):
    A = np.outer(x, x) + 1.0
    for row in A:
        row /= row.sum()
    return np.sum(A**2)


def enumerate_rows(x):
    A = np.outer(x, x) + 1.0
    for i, row in enumerate(A):
        row *= float(i + 1)
    return np.sum(A)


def direct_write(x):
    u = np.zeros((4, 4))
    u.T[0] += x
    return np.sum(u * u)


def base_in_with(x):
    with np.errstate(all="ignore"):
        A = np.outer(x, x) + 1.0
    r = A[0]
    r *= 3.0
    return np.sum(A)


def base_in_case(x, k):
    match k:
        case 1:
            A = np.outer(x, x)
        case _:
            raise ValueError(k)
    r = A[0]
    r *= 3.0
    return np.sum(A)


def base_in_handler(x):
    try:
        raise ValueError
    except ValueError:
        A = np.outer(x, x)
    r = A[0]
    r *= 3.0
    return np.sum(A)


TRIGGERS = [bound_by_index, bound_by_transpose, bound_by_reshape_method, bound_by_reshape_function,
            bound_by_permute_dims, row_loop, enumerate_rows, direct_write, base_in_with,
            base_in_case, base_in_handler]  # fmt: skip


def test_each_trigger_is_seen_and_rewritten() -> None:
    for f in TRIGGERS:
        root = _tree(f)
        assert viewscan.may_rewrite(root), f.__name__
        assert viewwrites.rewrite(root, namespace_of(f)), f.__name__
    for f in TRIGGERS[:8]:  # (and right)
        np.testing.assert_allclose(srcad.primal(f)(X.copy()), f(X.copy()), rtol=1e-12)
        check_grads(f, (X.copy(),), modes=("fwd", "rev"))


def test_head_names_are_every_name_numpy_has_for_the_view_functions() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        names = {n for n in dir(np) if any(getattr(np, n, None) is f for f in HEAD_FNS)}
    assert names <= HEAD_NAMES


def _bump(b, v):
    b[0] = b[0] + v


def loop_bumps(x):
    b = np.zeros(2)
    for i in range(3):
        _bump(b, x[i % 2])
    return np.sum(b * x[:2])


def loop_bumps_nested(x):
    def bump(b, v):
        b[1] = b[1] * v

    b = np.ones(2)
    for i in range(3):
        bump(b, x[i])
    return np.sum(b * x[:2])


def test_loops_calling_helpers_that_update_arguments_carry_them() -> None:
    for f in (loop_bumps, loop_bumps_nested):
        np.testing.assert_allclose(srcad.primal(f)(X.copy()), f(X.copy()), rtol=1e-12)
        check_grads(f, (X.copy(),), modes=("fwd", "rev"))
