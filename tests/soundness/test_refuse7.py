"""Session 7's `refuse7`: the idioms tests/corpus/users_idioms7.py accepts, at second order
(srcad.hvp against differences of srcad.grad, srcad.hessian against srcad.hvp), and their
neighbours that must stay refused, each at its line with the reason."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import srcad
from tests.corpus import Case, check_hvp_and_hessian, scalar_float_cases, users_idioms7
from tests.corpus.users_idioms7 import Dense

X = np.array([0.3, -0.7, 1.2])

HVP = scalar_float_cases([c for c in users_idioms7.CASES if c.extra == "hvp"])


@pytest.mark.parametrize("case", HVP, ids=[c.name for c in HVP])
def test_second_order(case: Case) -> None:
    check_hvp_and_hessian(case)


def functions_aliased_then_appended(x):
    fs = [np.sin, np.cos]
    gs = fs
    gs.append(np.tanh)  # Python changes `fs` too: three functions in the loop
    s = 0.0
    for g in fs:
        s = s + g(x[0])
    return s


def layers_passed_then_looped(x):
    layers = [Dense(0.5), Dense(1.5)]
    _grow(layers)  # the helper appends a layer to the caller's list
    for layer in layers:
        x = layer(x)
    return np.sum(x)


def _grow(layers):
    layers.append(Dense(2.0))


def layers_used_in_loop_after_read(x):
    layers = [Dense(0.5), Dense(1.5)]
    s = 0.0
    for _ in range(2):
        for layer in layers:
            s = s + np.sum(layer(x))
        _grow(layers)  # the second pass runs three layers
    return s


def test_aliased_list_of_functions_was_wrong() -> None:
    """The loop unrolled the two functions the literal held: srcad.primal gave
    sin + cos (1.357 at 0.5) where Python gives sin + cos + tanh (1.819). Refused from session 7;
    from session 12 the append grows the one list both names hold (lower/fnlists.py)."""
    x = np.array([0.5, 0.0, 0.0])
    want = np.sin(0.5) + np.cos(0.5) + np.tanh(0.5)
    assert np.isclose(functions_aliased_then_appended(x), want)
    assert srcad.primal(functions_aliased_then_appended)(x) == pytest.approx(want, rel=1e-14)
    d = np.cos(0.5) - np.sin(0.5) + 1.0 - np.tanh(0.5) ** 2
    np.testing.assert_allclose(srcad.grad(functions_aliased_then_appended)(x), [d, 0.0, 0.0])


@pytest.mark.parametrize(
    ("fn", "match"),
    [
        (layers_passed_then_looped, "not known here"),
        (layers_used_in_loop_after_read, "in a nested block"),
    ],
)
def test_refused_neighbours(fn, match: str) -> None:
    with pytest.raises(srcad.SrcadError, match=match) as e:
        srcad.grad(fn)(X)
    assert "test_refuse7.py:" in str(e.value)


def test_run_time_key_missing_raises_as_python() -> None:
    """``table[key](x)`` with no such key raises KeyError / IndexError, as Python does."""
    from tests.corpus.users_idioms7 import ACTIVATIONS

    def f(x, name):
        return np.sum(ACTIVATIONS[name](x))

    def g(x, i):
        fs = [np.sin, np.cos]
        return np.sum(fs[i](x))

    with pytest.raises(KeyError):
        srcad.grad(f)(X, "nope")
    with pytest.raises(IndexError):
        srcad.grad(g)(X, 2)
    np.testing.assert_allclose(srcad.grad(g)(X, -1), -np.sin(X))


def test_global_table_replaced_remakes_the_transform() -> None:
    """The entries of a global table a transform chose from are recorded: replacing one
    re-makes the transform."""
    import tests.corpus.users_idioms7 as m

    def f(x, name):
        return np.sum(m.ACTIVATIONS[name](x))

    np.testing.assert_allclose(srcad.grad(f)(X, "square"), 2 * X)
    saved = m.ACTIVATIONS["square"]
    try:
        m.ACTIVATIONS["square"] = np.sin
        np.testing.assert_allclose(srcad.grad(f)(X, "square"), np.cos(X))
    finally:
        m.ACTIVATIONS["square"] = saved


def combinations_bound(x):
    c = itertools.combinations(x, 2)  # an iterator bound to a name: read later
    return sum(a * b for a, b in c)


def pairwise_source_grows(x):
    xs = [x[0], x[1]]
    s = 0.0
    for a, b in itertools.pairwise(xs):  # Python reads `xs` as the loop appends to it
        xs.append(a * b)
        s = s + a
        if len(xs) > 5:
            break
    return s


def remove_through_alias(x):
    xs = [x[0], x[1], 5.0]
    ys = xs
    xs.remove(5.0)  # Python: ys loses the entry too
    return sum(ys) * x[2]


def del_slice_through_alias(x):
    xs = [x[0], x[1], 5.0]
    ys = xs
    del xs[1:]
    return sum(ys) * x[2]


def del_slice_with_step(x):
    xs = [x[0], x[1], x[2]]
    del xs[::2]
    return xs[0]


@pytest.mark.parametrize(
    ("fn", "match"),
    [
        (combinations_bound, "combinations"),
        (pairwise_source_grows, "appended to"),
        (del_slice_with_step, "`del` is supported"),
    ],
)
def test_refused_list_edits_and_iterators(fn, match: str) -> None:
    with pytest.raises(srcad.SrcadError, match=match) as e:
        srcad.grad(fn)(X)
    assert "test_refuse7.py:" in str(e.value)


def test_remove_of_a_missing_value_raises_as_python() -> None:
    def f(x):
        xs = [x[0]]
        xs.remove(7.0)
        return xs[0]

    with pytest.raises(ValueError, match="not in list"):
        srcad.grad(f)(X)


def iterator_zipped_with_itself(x):
    it = iter(x)
    return sum(a * b for a, b in zip(it, it))


def iterator_in_comprehension(x):
    it = iter(x)
    next(it)
    return sum([v * 2 for v in it])


def iterator_loop_breaks(x):
    it = iter(x)
    for v in it:
        if v < 0:
            break  # Python's next item is the one after the break
    return next(it) * 2


def iterator_read_in_its_loop(x):
    it = iter(x)
    s = 0.0
    for v in it:
        s = s + v * next(it, 1.0)
    return s


def iterator_source_appended(x):
    xs = [x[0]]
    it = iter(xs)
    xs.append(x[1])  # Python's iterator sees it
    return next(it) * next(it)


def iterator_in_nested_function(x):
    it = iter(x)

    def take():
        return next(it)

    return take() * take()


@pytest.mark.parametrize(
    "fn",
    [
        iterator_zipped_with_itself,
        iterator_loop_breaks,
        iterator_read_in_its_loop,
        iterator_source_appended,
        iterator_in_nested_function,
    ],
)
def test_iterators_used_otherwise_stay_refused(fn) -> None:
    with pytest.raises(srcad.SrcadError) as e:
        srcad.grad(fn)(X)
    assert "test_refuse7.py:" in str(e.value)


def test_iterator_in_its_last_comprehension_is_right() -> None:
    # (refused until session 35: a comprehension taking the rest of the iterator as the
    # name's last use, under no loop, is lowered over the rest: lower/iterstate.py)
    assert srcad.primal(iterator_in_comprehension)(X) == iterator_in_comprehension(X)
    want = np.r_[0.0, np.full(len(X) - 1, 2.0)]
    np.testing.assert_allclose(srcad.grad(iterator_in_comprehension)(X), want)


class _Holder:
    def __init__(self, p):
        self.p = [p, 2.0 * p]


def field_element_seen_through_alias(x):
    h = _Holder(x[0])
    row = h.p
    h.p[0] = x[1]  # Python: `row` is the same list
    return row[0] * x[2]


def field_element_of_argument(x, h):
    h.p[0] = x[1]  # the caller's object
    return h.p[0]


def test_field_element_writes_python_would_see_elsewhere_are_refused() -> None:
    with pytest.raises(srcad.SrcadError, match="is modified at line") as e:
        srcad.grad(field_element_seen_through_alias)(X)
    assert "test_refuse7.py:" in str(e.value)
    with pytest.raises(srcad.SrcadError, match="assigning to attributes is not supported"):
        srcad.grad(field_element_of_argument)(X, _Holder(1.0))


def test_polynomial_of_poly1d_is_refused_when_it_runs() -> None:
    def f(x, p):
        return np.sum(np.polyder(p) * x[0])

    with pytest.raises(srcad.SrcadError, match="poly1d"):
        srcad.grad(f)(X, np.poly1d([1.0, 2.0, 3.0]))
    np.testing.assert_allclose(srcad.grad(f)(X, np.array([1.0, 2.0, 3.0])), [4.0, 0.0, 0.0])


def loop_item_shared(x):
    d = {"pos": x[0]}
    ps = [d, d]  # one dict in two slots: Python's writes add up in both
    for p in ps:
        p["pos"] += x[1]
    return ps[0]["pos"] * x[2]


def loop_item_used_after(x):
    ps = [{"pos": x[0]}, {"pos": x[1]}]
    for p in ps:
        p["pos"] += x[2]
    p["pos"] = 0.0  # Python: the last element
    return ps[1]["pos"] + ps[0]["pos"]


def loop_item_list_grows(x):
    ps = [[x[0]], [x[1]]]
    for p in ps:
        p[0] = p[0] * 2.0
        if len(ps) < 3:
            ps.append([x[2]])  # Python's loop runs over the new item too
    return sum(q[0] for q in ps)


@pytest.mark.parametrize("fn", [loop_item_shared, loop_item_used_after, loop_item_list_grows])
def test_loop_item_writes_python_would_see_elsewhere_stay_refused(fn) -> None:
    with pytest.raises(srcad.SrcadError) as e:
        srcad.grad(fn)(X)
    assert "test_refuse7.py:" in str(e.value)


def test_loop_item_written_is_the_list_element() -> None:
    """tests/passes/test_soundness_alias.py's for_over_list_sets_element without the read of
    `y` after the loop: lower/loopitems.py writes into ys[i], Python's value and derivatives."""

    def f(x):
        ys = [x * 1.0, x * 2.0]
        for y in ys:
            y[0] = 0.0
        return np.sum(ys[0] * x)

    assert np.isclose(srcad.primal(f)(X.copy()), f(X.copy()))
    np.testing.assert_allclose(srcad.grad(f)(X.copy()), [0.0, 2 * X[1], 2 * X[2]])
    np.testing.assert_allclose(srcad.hessian(f)(X.copy()), np.diag([0.0, 2.0, 2.0]))
