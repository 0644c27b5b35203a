"""Session 37 (iter37): the `plain_items` check only where a helper's list may hold objects;
reads of an ``iter(xs)`` name as Python runs them.

- wrong36a read every NumPy reduction or array of a helper's result through
  ``_srcad.plain_items(xs, 'np.sum')`` when no class was seen in the helper's list, also for
  helpers returning an array or a number (``np.sum(normal_lpdf(theta, mu, tau))``): ~200 corpus
  sources carried the check. The caller's value kinds already hold the helper's return kind
  (ad/receivers.return_kind); a result known to hold no user object (DEEP) is read as it is.
  A list read through more helpers than the kinds follow keeps the check (tests/soundness/
  test_wrong36.py).
- hunt36 (edb8d65) refused every second read, or read in a loop, of ``it = iter(xs)``; those
  taking all of it (``list(it)`` twice, ``max(it)`` then ``sum(it)``, ``sum(it)`` in a loop)
  are now lowered as Python runs them, each through ``_srcad.rest_of(it)`` (effects: not merged
  by CSE, not dropped by DCE, as the pure ``as_sequence`` and ``sum`` were).
- ``islice(it, 2)`` of ``it = iter(x)`` over varied values was refused (grad) as "the object is
  a run-time value here: srcad builds objects of namedtuples...": now it says what it is.
- ``grad(f)(w, iter(rows))`` with `f` reading `it` twice gave 21.6 for Python's 6.0 (both reads
  saw every item); an iterator argument whose parameter is read more than once is refused.
"""

from __future__ import annotations

from itertools import islice

import numpy as np
import pytest

import srcad
from srcad import SrcadError
from srcad.rules import default_registry
from srcad.testing import check_grads

X3 = np.array([1.0, 2.0, 3.0])


def _fd(f, x, eps=1e-6):
    return np.array([(f(x + eps * e) - f(x - eps * e)) / (2 * eps) for e in np.eye(len(x))])


def _check(f, x):
    want = _fd(f, x)
    np.testing.assert_allclose(srcad.grad(f)(x.copy()), want, rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(srcad.jacfwd(f)(x.copy()), want, rtol=1e-6, atol=1e-7)


# -- 1. a helper's return kind tells the caller its result holds no object ----------------------


def lpdf(y, mu, sigma):
    z = (y - mu) / sigma
    return -0.5 * z * z - np.log(sigma)


def rows(x):
    return [np.sin(v) * x for v in x]


def rows2(x):
    return rows(x)


def rows3(x):
    return rows2(x)


def sum_of_helper_array(x):
    return np.sum(lpdf(x, 0.5, 2.0)) + np.prod(lpdf(x, x[0], 1.5))


def array_of_helper_rows(x):
    return np.sum(np.array(rows3(x)) ** 2) + np.sum(np.asarray(rows(x)))


@pytest.mark.parametrize("f", [sum_of_helper_array, array_of_helper_rows])
def test_no_item_check_on_a_helper_returning_numbers(f):
    # wrong36a: `xs = _srcad.plain_items(_t, 'np.sum')` before each; the kinds say DEEP
    for mode in ("grad", "jvp"):
        assert "plain_items" not in srcad.source(f, mode=mode, wrt=0, args=(X3,))
    _check(f, X3)


# -- 2. an `iter(xs)` name read again: each read taking all of it takes what is left -------------
# lower/oneshot.check_iters (hunt36, edb8d65) refused every second read or read in a loop of
# ``it = iter(xs)``, also those Python runs exactly as srcad can: a read taking all of it
# (``list(it)``, ``sum(it)``, a ``for`` without ``break``, a list comprehension) takes what the
# reads before it left. Such a read now goes through ``_srcad.rest_of(it)``, declared with
# effects: before, `sum(it)` twice was one CSE'd value, `[v for v in it]` twice one shared
# ``as_sequence`` (pure: merged), and an unused `sum(it)` was dropped by DCE.

DATA = [1.0, 2.0, -0.5, 3.0]


def two_lists(w):
    it = iter(DATA)
    a = list(it)
    b = list(it)  # (Python: [])
    return w * sum(a) + w * w * (len(b) + 1.0)


def max_then_sum(w):
    it = iter(DATA)
    m = max(it)
    s = sum(it)  # (Python: the start, 0)
    return w * m + w * w * s


def sum_twice(w):
    it = iter(DATA)
    return w * sum(it) + w * w * sum(it)  # (was one CSE'd value: 2 w s, not s)


def unused_sum_then_list(w):
    it = iter(DATA)
    s = sum(it)  # noqa: F841  (unused: DCE dropped it, so `rest` saw every item)
    rest = list(it)
    return w * (len(rest) + 1.0)


def sum_in_a_loop(w):
    it = iter(DATA)
    tot = 0.0
    for k in range(3):
        tot += w**k * sum(it)  # (passes after the first: 0)
    return tot


def generators_twice(w):
    it = iter(DATA)
    a = sum(v * w for v in it)
    b = sum(v * w * w for v in it)  # (was the shared `as_sequence` listing: every item)
    return a + b


def comprehension_then_loop(w):
    it = iter(DATA)
    big = [v * w for v in it if v > 0]
    tot = 0.0
    for v in it:
        tot += v * w * w
    return sum(big) + tot


def loop_then_list_in_branch(w):
    it = iter(DATA)
    tot = 0.0
    if w < 0:  # not taken at 1.3: `rest` has every item
        tot = sum(it)
    rest = list(it)
    return w * tot + w * w * sum(rest)


def enumerate_then_sum(w):
    it = iter(DATA)
    a = sum(i * v * w for i, v in enumerate(it))
    return a + w * w * sum(it)


def unpack_then_sum(w):
    it = iter(DATA)
    a, b, *rest = it
    return w * a + w * w * b + w * (len(rest) + sum(it))


def loop_over_pairs_in_a_loop(w):
    it = iter(DATA)  # (lower/iterstate.py's pair, unless a loop reads it again)
    head = next(it)
    tot = 0.0
    for k in range(3):
        for v in it:
            tot += v * w * (k + 1)
    return tot + head * w


WHOLE = [
    two_lists,
    max_then_sum,
    sum_twice,
    unused_sum_then_list,
    sum_in_a_loop,
    generators_twice,
    comprehension_then_loop,
    loop_then_list_in_branch,
    enumerate_then_sum,
    unpack_then_sum,
    loop_over_pairs_in_a_loop,
]


@pytest.mark.parametrize("f", WHOLE, ids=lambda f: f.__name__)
def test_whole_reads_of_an_iterator_take_what_is_left(f):
    assert np.allclose(srcad.primal(f)(1.3), f(1.3))
    check_grads(f, (1.3,), modes=("fwd", "rev"), order=2)


def test_each_whole_read_takes_the_iterator_itself():
    # two reads of one iterator are two `rest_of` ops, kept apart by CSE and DCE (its record:
    # effects), where `as_sequence` (pure) was merged
    rec = default_registry().get("srcad.runtime.rest_of")
    assert not rec.pure and not rec.mergeable
    for f in (generators_twice, sum_twice, unused_sum_then_list):
        for mode in ("grad", "jvp"):
            assert srcad.source(f, mode=mode, wrt=0, args=(1.3,)).count("_srcad.rest_of(it)") == 2


def next_inside_the_loop(w):
    it = iter(DATA)
    tot = 0.0
    for v in it:  # (takes pairs: the loop and `next` interleave)
        tot += v * next(it, 0.0) * w
    return tot + w * len(list(it))


def read_in_a_nested_function(w):
    it = iter(DATA)

    def rest():
        return sum(it)

    return w * rest() + w * w * sum(it)


def lazy_generator_of_reads(w):
    it = iter(DATA)
    g = (sum(it) for _ in range(2))
    first = list(it)
    return w * sum(g) + w * len(first)


@pytest.mark.parametrize(
    "f",
    [next_inside_the_loop, read_in_a_nested_function, lazy_generator_of_reads],
    ids=lambda f: f.__name__,
)
def test_reads_srcad_cannot_order_stay_refused(f):
    with pytest.raises(SrcadError, match="`it` is an iterator"):
        srcad.grad(f)(1.3)


# -- 3. accurate messages for an iterator over varied values -----------------------------------


def islice_of_varied(x):
    it = iter([x[0], x[1], x[2]])
    return sum(list(islice(it, 2)))


def iter_of_varied(x):
    return sum(iter(x))


def test_iterator_over_varied_values_says_so():
    # was "the object is a run-time value here: srcad builds objects of namedtuples..." (grad)
    for d in (srcad.grad, srcad.jacfwd):
        with pytest.raises(SrcadError, match="Python's (lazy )?iterator") as e:
            d(islice_of_varied)(X3)
        assert "namedtuples" not in str(e.value)
        with pytest.raises(SrcadError, match="stays Python's iterator"):
            d(iter_of_varied)(X3)


# -- 4. an iterator passed to the differentiated function ---------------------------------------


def reads_twice(w, it):
    return w * sum(it) + w * w * sum(it)  # (Python: the second sum is 0)


def comprehensions_twice(w, it):
    a = [v * w for v in it]
    b = [v * w * w for v in it]  # (Python: [])
    return sum(a) + sum(b)


def reads_once(w, it):
    return w * sum(v * v for v in it)


@pytest.mark.parametrize("f", [reads_twice, comprehensions_twice], ids=lambda f: f.__name__)
def test_iterator_argument_read_twice_is_refused(f):
    # the two reads were one (CSE of `sum`, of `as_sequence`): 21.6 where Python's is 6.0
    for d in (srcad.grad, srcad.jacfwd, srcad.primal):
        d(f)(1.3, DATA)  # a list: read as often as wanted
        with pytest.raises(SrcadError, match="argument `it` is an iterator"):
            d(f)(1.3, iter(DATA))


def test_iterator_argument_read_once():
    want = sum(v * v for v in DATA)
    assert np.isclose(srcad.grad(reads_once)(1.3, iter(DATA)), want)
    assert np.isclose(srcad.jacfwd(reads_once)(1.3, (v for v in DATA)), want)
