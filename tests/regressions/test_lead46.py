"""Session 46 (lead): reads of one element of a joined array (``b = np.vstack([np.ones(3), x]);
s = b[0, 1]; b[1, 1] = 0.7``) were refused as aliasing (``s`` a view of ``b``): the rank facts
(passes/ranks.py) now know ``np.stack``/``vstack``/``hstack``/``concatenate``/``column_stack``/
``dstack``/``np.array`` of a display of float arrays of one rank, so ``b[0, 1]`` is a number."""

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads


def vstack_item(x):
    b = np.vstack([np.ones(3), x]) * np.stack([x, x])
    s = max(b[-2, 1], 0.3)
    b[-1, 1] = 0.7
    return s + np.sum(b * b)


def stack_item(x):
    b = np.stack((x, np.sin(x)), axis=1)
    s = b[1, 0]
    b[2, 1] = 0.0
    return s * np.sum(b)


def array_item(x):
    b = np.array([x, 2.0 * x, x**2])
    s = b[2, 2]
    b[0, 0] = s
    return s + np.sum(np.cos(b))


def column_item(x):
    b = np.column_stack([x, x * x])
    s = b[0, 1]
    b[0, 1] = 1.0
    return s * b.sum()


def dstack_item(x):
    b = np.dstack([x, np.tanh(x)])
    s = b[0, 2, 1]
    b[0, 0, 0] = 0.5
    return s + np.sum(b**2)


def hstack_item(x):
    b = np.hstack([x, x * 3.0])
    s = b[4]
    b[4] = 0.0
    return s * np.sum(b)


def concat_item(m):
    b = np.concatenate([m, m.T], axis=0)
    s = b[3, 1]
    b[3, 1] = -1.0
    return s + np.sum(b * b)


def row_mask_write(x):
    M = np.stack(
        [x, x * 2]
    )  # (refused as a chained write before: test_refuse38 builds M by append)
    mask = x > 0
    for i in range(2):
        M[i][mask] -= x[0]
    return np.sum(M**2)


def row_view_write(x):
    M = np.array([x, x**2])
    r = M[0]
    r[1] = 5.0
    return np.sum(M * x) + np.sum(r)


CASES = [
    (row_mask_write, (np.array([0.3, -0.5, 0.9, 1.4]),)),
    (row_view_write, (np.array([0.3, -0.5, 0.9, 1.4]),)),
    (vstack_item, (np.array([0.3, -0.5, 0.9]),)),
    (stack_item, (np.array([0.3, -0.5, 0.9]),)),
    (array_item, (np.array([0.3, -0.5, 0.9]),)),
    (column_item, (np.array([0.3, -0.5, 0.9]),)),
    (dstack_item, (np.array([0.3, -0.5, 0.9]),)),
    (hstack_item, (np.array([0.3, -0.5, 0.9]),)),
    (concat_item, (np.array([[0.3, -0.5, 0.9], [0.2, 0.4, -1.1], [1.3, 0.7, 0.1]]),)),
]


@pytest.mark.parametrize("fn,args", CASES, ids=[c[0].__name__ for c in CASES])
def test_joined_item_is_a_number(fn, args):
    check_grads(fn, args, order=2)
    assert np.allclose(srcad.grad(fn)(*args), srcad.jacfwd(fn)(*args))


def test_joined_int_parts_stay_unknown():
    # int parts: no float fact (the join is an int array); the value must still be right
    def f(x):
        b = np.stack([np.arange(3), np.arange(3)])
        return np.sum(b[1, 2] * x)

    assert np.allclose(srcad.grad(f)(np.ones(3)), [2.0, 2.0, 2.0])
