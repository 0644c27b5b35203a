"""lower/survey.loops_write_items skips lower/loopitems.py and lower/loopsource.py only where
neither rewrites a loop: wherever it says no, both rewrites run anyway change nothing (every
function of the test corpus and of the views tests); at each of their triggers (an item written
into or updated with ``op=``, in a list, zip or dict loop; the iterated array updated or written
into, directly, under `enumerate` or `zip`) it says yes and the rewrite happens.
"""

from __future__ import annotations

import copy

import gast
import numpy as np
import pytest

import srcad
from srcad.frontend.source import namespace_of
from srcad.lower import loopitems, loopsource
from srcad.lower.survey import loops_write_items, survey
from srcad.testing import check_grads
from tests.lower.test_prechecks import _functions, _tree


def test_no_from_the_precheck_means_no_loop_is_rewritten() -> None:
    seen = yes = changed = 0
    for f in _functions():
        try:
            root = _tree(f)
        except srcad.SrcadError:
            continue
        if not isinstance(root, gast.FunctionDef):
            continue
        seen += 1
        may = loops_write_items(survey(root))
        yes += may
        ns = namespace_of(f)
        for rewrite in (loopitems.rewrite, loopsource.rewrite):
            tree = copy.deepcopy(root)
            got = rewrite(tree, ns)
            changed += got
            if not may:
                assert not got and gast.dump(tree) == gast.dump(root), f.__qualname__
    assert seen > 1000 and changed > 5 and yes < seen / 20, (seen, yes, changed)


def item_written(x):
    ps = [x * 1.0, x * 2.0]
    for p in ps:
        p[0] = p[1] * 3.0
    return np.sum(ps[0] + ps[1])


def item_updated(x):
    ps = [x * 1.0, x * 2.0]
    gs = [x, x * x]
    for p, g in zip(ps, gs):
        p -= 0.1 * g
    return np.sum(ps[0] + ps[1])


def dict_value_updated(x):
    d = {"a": x * 1.0, "b": x * 2.0}
    for k, v in d.items():
        v *= 2.0 if k == "a" else 3.0
    return np.sum(d["a"] + d["b"])


def array_updated(x):
    A = x * 1.0
    s = 0.0
    for v in A:
        A *= 0.5
        s = s + v
    return s


def array_written_enumerated(x):
    A = x * 1.0
    s = 0.0
    for i, v in enumerate(A):
        A[i] = v * 2.0
        s = s + A[0]
    return s


def array_written_zipped(x):
    A = x * 1.0
    s = 0.0
    for v, w in zip(A, x):
        A[0] += w
        s = s + v
    return s


@pytest.mark.parametrize(
    "f, rewrite",
    [
        (item_written, loopitems.rewrite),
        (item_updated, loopitems.rewrite),
        (dict_value_updated, loopitems.rewrite),
        (array_updated, loopsource.rewrite),
        (array_written_enumerated, loopsource.rewrite),
        (array_written_zipped, loopsource.rewrite),
    ],
)
def test_the_precheck_says_yes_at_each_trigger(f, rewrite) -> None:
    root = _tree(f)
    assert loops_write_items(survey(root))
    assert rewrite(root, namespace_of(f))
    x = np.array([0.3, -0.7, 1.1])
    check_grads(f, (x,), modes=("fwd", "rev"))
