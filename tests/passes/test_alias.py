"""The mutation check (srcad/passes/alias.py) through its two entry points, on lowered IR.

`check_mutations(fn, lowered)` runs at lowering time and refuses the hazards no argument type
can excuse;
`check_transform(fn, scalar_params, param_ndims)` decides the deferred ones once the transform
knows which parameters are Python numbers and the ranks of the array ones (`param_ndims=None`:
`fn` is a helper called by a differentiated function, whose caller checks the arguments it
updates). Each case is on one side of the accept/refuse boundary, and each refusal is checked for
its location (file, line, column, quoted line and caret) and its message.
"""

# the functions below are lowered, not run
# ruff: noqa: B007, F841

from __future__ import annotations

import numpy as np
import pytest

import srcad
from srcad.errors import LoweringError
from srcad.passes.alias import check_mutations, check_transform
from srcad.passes.prepare import lowered
from srcad.testing import check_grads
from tests.passes.irtext import assert_located, line_of, lower

W = np.ones(3)


def same(v):
    return v


def doubled(v):
    return v * 2.0


# -- refused at lowering ----------------------------------------------------------------------


def second_name(x):
    a = same(np.zeros(3))  # (of `np.zeros(3)` itself, `b` is read as `a`: lower/viewwrites.py)
    b = a
    a[0] = x
    return b  # `b = a` binds no new value: the message names `a`


def slice_view(x):
    a = same(np.zeros(3))  # (an array made here is re-read through its views: see below)
    v = a[1:3]
    a[0] = x
    return v


def transpose_view(x):
    a = same(np.zeros((2, 2)))
    v = a.T
    a[0, 0] = x
    return v


def slice_view_reread(x):
    a = np.zeros(3)
    v = a[1:3]  # a view of an array made here: read as `a[1:3]` (lower/viewwrites.py)
    a[1] = x
    return v


def transpose_view_reread(x):
    a = np.zeros((2, 2))
    v = a.T
    a[0, 1] = x
    return v


def tuple_holds_it(x):
    a = np.zeros(3)
    t = (a, 1.0)
    a[0] = x
    return t[0]


def list_holds_it(x):
    a = np.zeros(3)
    out = []
    out.append(a)
    a[1] = x
    return out


def list_holds_it_twice(x):
    a = np.zeros(3)
    xs = [a, a]
    xs[0][0] = x
    return xs[1]


def helper_returns_its_argument(x):
    a = np.zeros(3)
    b = same(a)
    a[0] = x
    return b


def global_object(x):
    w = W
    w[0] = x
    return x


def stale_in_a_later_iteration(x, n):
    a = np.zeros(3)
    old = a.copy()
    s = 0.0
    for i in range(n):
        a[0] = x * i
        s = s + old[0]  # from the second iteration on, `old` is `a`
        old = a
    return s


W_LINE = "the global/closure object `W` is modified in place here"
READ = "is read after the object it shares with another name is modified at line"

# (function, line offset of the error, column text, message fragment, offset of the update)
REFUSED = [
    (slice_view, 3, "a[0] = x", "`v` " + READ, 3),
    (transpose_view, 3, "a[0, 0] = x", "`v` " + READ, 3),
    (tuple_holds_it, 3, "a[0] = x", "an element of `t` (read here) " + READ, 3),
    (list_holds_it, 4, "a[1] = x", "`out` " + READ, 4),
    (list_holds_it_twice, 3, "xs[0][0] = x", "`xs` " + READ, 3),
    (helper_returns_its_argument, 3, "a[0] = x", "`b` " + READ, 3),
    (global_object, 2, "w[0] = x", W_LINE, None),
    (stale_in_a_later_iteration, 6, "old[0]", "an element of `old` (read here) " + READ, 5),
]


@pytest.mark.parametrize(
    ("fn", "offset", "needle", "message", "update"), REFUSED, ids=[c[0].__name__ for c in REFUSED]
)
def test_refused_at_lowering(fn, offset: int, needle: str, message: str, update: int | None):
    ir = lower(fn)
    with pytest.raises(LoweringError) as info:
        check_mutations(ir, lowered)
    err = info.value
    assert_located(err, fn, offset, needle)
    if update is not None:
        message += f" {line_of(fn, update)};"
    assert message in err.message, err.message


@pytest.mark.parametrize("fn", [slice_view_reread, transpose_view_reread])
def test_views_of_arrays_made_here_are_read_again(fn) -> None:
    check_mutations(lower(fn), lowered)
    np.testing.assert_array_equal(srcad.primal(fn)(2.0), fn(2.0))


# -- accepted at lowering, whatever the argument types ----------------------------------------


def fresh(x):
    a = np.zeros(3)
    a[0] = x
    return a


def second_name_never_read(x):
    a = np.zeros(3)
    b = a
    a[0] = x
    return a


def explicit_copy(x):
    a = np.zeros(3)
    b = a.copy()
    a[0] = x
    return b


def helper_returns_a_new_array(x):
    a = np.zeros(3)
    b = doubled(a)
    a[0] = x
    return b


def argument_copied_first(x):
    x = x.copy()
    x[0] = 1.0
    return x


def update_of_a_new_value(x):
    y = x * 1.0
    y += 1.0
    return y


def read_before_each_update(x, n):
    a = np.zeros(3)
    prev = a
    for i in range(n):
        s = prev[0]
        a[0] = x + s
        prev = a
    return a


ACCEPTED = [
    fresh,
    second_name_never_read,
    explicit_copy,
    helper_returns_a_new_array,
    argument_copied_first,
    update_of_a_new_value,
    read_before_each_update,
]

# what the transform knows: (scalar parameters, ranks of array parameters); None: a helper
TYPES = {
    "helper": ((), None),
    "numbers": ((0,), {}),
    "1-d arrays": ((), {0: 1}),
    "2-d arrays": ((), {0: 2}),
}


@pytest.mark.parametrize("fn", ACCEPTED, ids=lambda f: f.__name__)
def test_accepted(fn) -> None:
    ir = lower(fn)
    check_mutations(ir, lowered)
    assert ir.param_mutations == {}
    for scalars, ndims in TYPES.values():
        check_transform(ir, scalars, ndims)


# -- decided per transform --------------------------------------------------------------------


def updates_its_argument(x):
    x[0] = 1.0
    return x * 1.0  # (`return x` is refused: Python's output is the caller's object itself)


def appends_to_its_argument(xs):
    xs.append(1.0)
    return sum(xs)


def augmented_argument(x):
    y = x
    x += 1.0  # rebinds a number, updates an array in place
    return y


def augmented_shared_value(x):
    y = x * 1.0
    z = y
    y += 1.0
    return z  # `z = y` binds no new value: the message names `y`


def row_then_update(a, x):
    b = a * 1.0
    r = b[0]  # a number when `a` is 1-D, a view of a row when it is 2-D
    b[0] = x
    return r


ARG = "the argument `{}` is {} in place here"
# (function, offset, needle, {types: None (accepted) or message fragment})
PER_TRANSFORM = [
    (
        updates_its_argument,
        1,
        "x[0]",
        {  # the differentiated function works on a copy, written back (lower/argcopy.py)
            "helper": None,
            "numbers": None,
            "1-d arrays": None,
            "2-d arrays": None,
        },
    ),
    (
        appends_to_its_argument,
        1,
        "xs.append",
        {  # the differentiated function works on a copy, written back (lower/argcopy.py)
            "helper": None,
            "numbers": None,
            "1-d arrays": None,
            "2-d arrays": None,
        },
    ),
    (
        row_then_update,
        3,
        "b[0] = x",
        {
            "helper": "`r` " + READ,
            "numbers": None,
            "1-d arrays": None,
            "2-d arrays": "`r` " + READ,
        },
    ),
]


def test_augmented_through_a_second_name_is_forked() -> None:
    """Once decided per transform by the alias check (a number rebinds, an array is updated in
    place: refused for arrays); lower/opfork.py now forks `y += 1.0` on the type when it runs.
    `augmented_shared_value` gives Python's values for numbers and arrays; an argument updated
    in place (`augmented_argument` with an array) is still refused, by the argument check."""
    for x in (1.5, np.array([0.5, -1.0]), np.array([[0.5], [2.0]])):
        np.testing.assert_array_equal(
            srcad.primal(augmented_shared_value)(x), augmented_shared_value(x)
        )
        check_grads(lambda v: np.sum(augmented_shared_value(v)), (x,), ("fwd", "rev"), order=2)
    assert srcad.primal(augmented_argument)(1.5) == 1.5
    assert srcad.grad(augmented_argument)(1.5) == 1.0
    with pytest.raises(srcad.SrcadError, match="updated with `op=` in place"):
        srcad.grad(augmented_argument)(np.array([0.5, -1.0]))


@pytest.mark.parametrize(
    ("fn", "offset", "needle", "expected"),
    PER_TRANSFORM,
    ids=[c[0].__name__ for c in PER_TRANSFORM],
)
def test_decided_per_transform(fn, offset: int, needle: str, expected: dict) -> None:
    ir = lower(fn)
    check_mutations(ir, lowered)  # nothing certain at lowering time
    assert ir.alias_recheck is not None
    for types, message in expected.items():
        scalars, ndims = TYPES[types]
        if message is None:
            check_transform(ir, scalars, ndims)
            continue
        with pytest.raises(LoweringError) as info:
            check_transform(ir, scalars, ndims)
        assert_located(info.value, fn, offset, needle)
        assert message in info.value.message, (types, info.value.message)


def test_argument_updates_are_recorded_for_callers() -> None:
    """`param_mutations`: which arguments a caller would see updated, and how."""
    kinds = {}
    for fn in (updates_its_argument, appends_to_its_argument, augmented_argument):
        ir = lower(fn)
        check_mutations(ir, lowered)
        kinds[fn.__name__] = {i: kind for i, (kind, _) in ir.param_mutations.items()}
    assert kinds == {
        "updates_its_argument": {0: "always"},
        "appends_to_its_argument": {0: "always"},
        "augmented_argument": {0: "augmented"},
    }
