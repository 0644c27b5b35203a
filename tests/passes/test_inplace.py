"""In-place marking (srcad/passes/inplace.py) alone, on lowered IR: before and after.

Each case is a small function lowered by srcad (no other pass run), then `inplace`; the IR text
before and after is pinned. The pass marks ``[inplace=True]`` on a `setitem`/`list_append` in a
loop body only when the loop owns the object: the carry starts from a fresh object
(`np.zeros`, `np.copy`, `[]`, ...) read nowhere else, the carry is read only by that update, and
the update's result only goes back into the carry (reads of one number of the carry before the
update allowed); outside loops, an update of a fresh object nothing else reads. Anything another
name, a later read, the `while` condition or the value written could see stays a copy.
"""

# the loops below fill arrays and lists; their index is not always read
# ruff: noqa: B007

from __future__ import annotations

import numpy as np
import pytest

from srcad.passes.inplace import inplace
from tests.passes.irtext import PassCase, check_case, lower

# -- marked -----------------------------------------------------------------------------------


def fill_zeros(x, n):
    out = np.zeros(n)
    for i in range(n):
        out[i] = x * i
    return out


def append_to_new_list(x, n):
    ys = []
    for i in range(n):
        ys.append(x * i)
    return ys


def fill_a_copy(x, n):
    out = np.copy(x)
    for i in range(n):
        out[i] = 0.0
    return out


def fill_zeros_like(x, n):
    out = np.zeros_like(x)
    for i in range(n):
        out[i] = 1.0
    return out


def append_to_list_call(x, n):
    ys = list()  # `builtins.list`: fresh like `[]` since the primitive records (issue 8)
    for i in range(n):
        ys.append(x)
    return ys


def fill_new_array(x, n):
    out = np.array([0.0, 0.0, 0.0])
    for i in range(n):
        out[i] = x
    return out


def while_fill(x, n):
    out = np.zeros(n)
    i = 0
    while i < n:
        out[i] = x
        i = i + 1
    return out


def no_loop(x):
    out = np.zeros(3)
    out[0] = x  # outside loops: a fresh object nothing else reads
    return out


def recurrence(x):
    out = np.zeros(3)
    out[0] = x
    for i in range(1, 3):
        out[i] = out[i - 1] * x  # reads one number of the carry before the update
    return out


# -- not marked -------------------------------------------------------------------------------


def argument(x, n):
    y = [x][0]  # (``y = x`` is `x` itself since refuse15: lower/viewwrites.py, argcopy.py)
    for i in range(n):
        y[i] = 0.0  # the caller's object (the mutation check refuses this)
    return y


def argument_copied(x, n):
    for i in range(n):
        x[i] = 0.0  # on the private copy, written back at the end (lower/argcopy.py)
    return x * 1.0  # (`return x` is refused: the output would be the private copy)


def result_of_an_operator(x, n):
    out = x * 1.0  # not a known allocation
    for i in range(n):
        out[i] = 0.0
    return out


def asarray_of_argument(x, n):
    out = np.asarray(x)  # may be `x` itself
    for i in range(n):
        out[i] = 0.0
    return out


def initial_value_read_elsewhere(x, n):
    out = np.zeros(n)
    s = np.asarray(out, order="K")  # (not `s = out` nor `np.asarray(out)`: lower/viewwrites.py
    # reads those `s` as `out`)
    for i in range(n):
        out[i] = x
    return out, s


def carry_read_in_the_body(x, n):
    out = np.zeros(n)
    for i in range(n):
        out[i] = x + out[0]
    return out


def update_read_in_the_body(x, n):
    out = np.zeros(n)
    t = 0.0
    for i in range(n):
        out[i] = x
        t = t + out[0]
    return out, t


def while_condition_reads_the_carry(x, n):
    out = np.zeros(n)
    i = 0
    while out[0] < n:
        out[i] = x
        i = i + 1
    return out


def value_is_the_carry(x, n):
    out = np.zeros(n)
    for i in range(n):
        out[i] = out
    return out


def two_updates(x, n):
    out = np.zeros(n)
    for i in range(n):
        out[i] = x  # a copy of the carry: the loop owns no object (the second update, of that
        out[0] = x  # fresh copy, is in place)
    return out


def nested_loops(x, n):
    out = np.zeros((n, n))
    for i in range(n):
        for j in range(n):
            out[i, j] = x  # the inner loop's object is the outer carry, private to it: in place
    return out


def conditional_update(x, n):
    out = np.zeros(n)
    for i in range(n):
        if i > 1:
            out[i] = x  # an update inside a branch: not analysed
    return out


def recurrence_unknown_rank(x, n):
    out = np.zeros(n)  # n may be a shape: out[i - 1] may be a row, a view of out
    for i in range(1, 3):
        out[i] = out[i - 1] * x
    return out


def slice_read_before_the_update(x):
    out = np.zeros(3)
    t = 0.0
    for i in range(1, 3):
        t = t + np.sum(out[0:i])  # a view of the carry, not one number
        out[i] = x
    return out, t


def straight_line_read_later(x):
    out = np.zeros(3, order="C")  # (a base with `order=`: lower/viewwrites.py leaves `v` alone)
    v = out[1:]  # a view of the old object, read after the update
    out[0] = x
    return out, v


CASES = [
    PassCase(
        fill_zeros,
        """
        def fill_zeros(x, n):
            out = numpy.zeros(n)
            out.2 = for i in range(0, n, 1) carry(out.1 = out) {
                %0 = mul(x, i)
                out.3 = setitem(out.1, i, %0)
                yield out.3
            }
            return out.2
        """,
        """
        def fill_zeros(x, n):
            out = numpy.zeros(n)
            out.2 = for i in range(0, n, 1) carry(out.1 = out) {
                %0 = mul(x, i)
                out.3 = setitem(out.1, i, %0) [inplace=True]
                yield out.3
            }
            return out.2
        """,
    ),
    PassCase(
        append_to_new_list,
        """
        def append_to_new_list(x, n):
            ys = list()
            ys.2 = for i in range(0, n, 1) carry(ys.1 = ys) {
                %0 = mul(x, i)
                ys.3 = list_append(ys.1, %0)
                yield ys.3
            }
            return ys.2
        """,
        """
        def append_to_new_list(x, n):
            ys = list()
            ys.2 = for i in range(0, n, 1) carry(ys.1 = ys) {
                %0 = mul(x, i)
                ys.3 = list_append(ys.1, %0) [inplace=True]
                yield ys.3
            }
            return ys.2
        """,
    ),
    PassCase(
        append_to_list_call,
        """
        def append_to_list_call(x, n):
            ys = builtins.list()
            ys.2 = for i in range(0, n, 1) carry(ys.1 = ys) {
                ys.3 = list_append(ys.1, x)
                yield ys.3
            }
            return ys.2
        """,
        """
        def append_to_list_call(x, n):
            ys = builtins.list()
            ys.2 = for i in range(0, n, 1) carry(ys.1 = ys) {
                ys.3 = list_append(ys.1, x) [inplace=True]
                yield ys.3
            }
            return ys.2
        """,
    ),
    PassCase(
        fill_new_array,
        """
        def fill_new_array(x, n):
            %0 = list(0.0, 0.0, 0.0)
            out = numpy.array(%0)
            out.2 = for i in range(0, n, 1) carry(out.1 = out) {
                out.3 = setitem(out.1, i, x)
                yield out.3
            }
            return out.2
        """,
        """
        def fill_new_array(x, n):
            %0 = list(0.0, 0.0, 0.0)
            out = numpy.array(%0)
            out.2 = for i in range(0, n, 1) carry(out.1 = out) {
                out.3 = setitem(out.1, i, x) [inplace=True]
                yield out.3
            }
            return out.2
        """,
    ),
    PassCase(
        fill_a_copy,
        """
        def fill_a_copy(x, n):
            out = numpy.copy(x)
            out.2 = for i in range(0, n, 1) carry(out.1 = out) {
                out.3 = setitem(out.1, i, 0.0)
                yield out.3
            }
            return out.2
        """,
        """
        def fill_a_copy(x, n):
            out = numpy.copy(x)
            out.2 = for i in range(0, n, 1) carry(out.1 = out) {
                out.3 = setitem(out.1, i, 0.0) [inplace=True]
                yield out.3
            }
            return out.2
        """,
    ),
    PassCase(
        fill_zeros_like,
        """
        def fill_zeros_like(x, n):
            out = numpy.zeros_like(x)
            out.2 = for i in range(0, n, 1) carry(out.1 = out) {
                out.3 = setitem(out.1, i, 1.0)
                yield out.3
            }
            return out.2
        """,
        """
        def fill_zeros_like(x, n):
            out = numpy.zeros_like(x)
            out.2 = for i in range(0, n, 1) carry(out.1 = out) {
                out.3 = setitem(out.1, i, 1.0) [inplace=True]
                yield out.3
            }
            return out.2
        """,
    ),
    PassCase(
        while_fill,
        """
        def while_fill(x, n):
            out = numpy.zeros(n)
            i.1, out.2 = while carry(i = 0, out.1 = out) {
                %0 = lt(i, n)
                yield %0
            } do (i.2, out.3) {
                out.4 = setitem(out.3, i.2, x)
                i.3 = add(i.2, 1)
                yield i.3, out.4
            }
            return out.2
        """,
        """
        def while_fill(x, n):
            out = numpy.zeros(n)
            i.1, out.2 = while carry(i = 0, out.1 = out) {
                %0 = lt(i, n)
                yield %0
            } do (i.2, out.3) {
                out.4 = setitem(out.3, i.2, x) [inplace=True]
                i.3 = add(i.2, 1)
                yield i.3, out.4
            }
            return out.2
        """,
    ),
    PassCase(
        argument,
        """
        def argument(x, n):
            %0 = list(x)
            y = getitem(%0, 0)
            y.2 = for i in range(0, n, 1) carry(y.1 = y) {
                y.3 = setitem(y.1, i, 0.0)
                yield y.3
            }
            return y.2
        """,
    ),
    PassCase(
        argument_copied,
        """
        def argument_copied(x, n):
            x.1 = srcad.runtime.entry_copy(x)
            %0 = srcad.runtime.args_unshared(('x', 'n'), 1, x, n)
            x.3 = for i in range(0, n, 1) carry(x.2 = x.1) {
                x.4 = setitem(x.2, i, 0.0)
                yield x.4
            }
            %1 = mul(x.3, 1.0)
            %2 = srcad.runtime.write_back(x, x.3) [kind='always', resizes=False]
            %3 = srcad.runtime.copies_kept(('x', 'n'), 1, ('argument_copied', 101), %0, x.3, %1, n)
            return %1
        """,
        """
        def argument_copied(x, n):
            x.1 = srcad.runtime.entry_copy(x)
            %0 = srcad.runtime.args_unshared(('x', 'n'), 1, x, n)
            x.3 = for i in range(0, n, 1) carry(x.2 = x.1) {
                x.4 = setitem(x.2, i, 0.0) [inplace=True]
                yield x.4
            }
            %1 = mul(x.3, 1.0)
            %2 = srcad.runtime.write_back(x, x.3) [kind='always', resizes=False]
            %3 = srcad.runtime.copies_kept(('x', 'n'), 1, ('argument_copied', 101), %0, x.3, %1, n)
            return %1
        """,
    ),
    PassCase(
        result_of_an_operator,
        """
        def result_of_an_operator(x, n):
            out = mul(x, 1.0)
            out.2 = for i in range(0, n, 1) carry(out.1 = out) {
                out.3 = setitem(out.1, i, 0.0)
                yield out.3
            }
            return out.2
        """,
    ),
    PassCase(
        asarray_of_argument,
        """
        def asarray_of_argument(x, n):
            out = numpy.asarray(x)
            out.2 = for i in range(0, n, 1) carry(out.1 = out) {
                out.3 = setitem(out.1, i, 0.0)
                yield out.3
            }
            return out.2
        """,
    ),
    PassCase(
        initial_value_read_elsewhere,
        """
        def initial_value_read_elsewhere(x, n):
            out = numpy.zeros(n)
            s = numpy.asarray(out, order='K')
            out.2 = for i in range(0, n, 1) carry(out.1 = out) {
                out.3 = setitem(out.1, i, x)
                yield out.3
            }
            %0 = tuple(out.2, s)
            return %0
        """,
    ),
    PassCase(
        carry_read_in_the_body,
        """
        def carry_read_in_the_body(x, n):
            out = numpy.zeros(n)
            out.2 = for i in range(0, n, 1) carry(out.1 = out) {
                %0 = getitem(out.1, 0)
                %1 = add(x, %0)
                out.3 = setitem(out.1, i, %1)
                yield out.3
            }
            return out.2
        """,
    ),
    PassCase(
        update_read_in_the_body,
        """
        def update_read_in_the_body(x, n):
            out = numpy.zeros(n)
            out.2, t.1 = for i in range(0, n, 1) carry(out.1 = out, t = 0.0) {
                out.3 = setitem(out.1, i, x)
                %0 = getitem(out.3, 0)
                t.2 = add(t, %0)
                yield out.3, t.2
            }
            %1 = tuple(out.2, t.1)
            return %1
        """,
    ),
    PassCase(
        while_condition_reads_the_carry,
        """
        def while_condition_reads_the_carry(x, n):
            out = numpy.zeros(n)
            i.1, out.2 = while carry(i = 0, out.1 = out) {
                %0 = getitem(out.1, 0)
                %1 = lt(%0, n)
                yield %1
            } do (i.2, out.3) {
                out.4 = setitem(out.3, i.2, x)
                i.3 = add(i.2, 1)
                yield i.3, out.4
            }
            return out.2
        """,
    ),
    PassCase(
        value_is_the_carry,
        """
        def value_is_the_carry(x, n):
            out = numpy.zeros(n)
            out.2 = for i in range(0, n, 1) carry(out.1 = out) {
                out.3 = setitem(out.1, i, out.1)
                yield out.3
            }
            return out.2
        """,
    ),
    PassCase(
        two_updates,
        """
        def two_updates(x, n):
            out = numpy.zeros(n)
            out.2 = for i in range(0, n, 1) carry(out.1 = out) {
                out.3 = setitem(out.1, i, x)
                out.4 = setitem(out.3, 0, x)
                yield out.4
            }
            return out.2
        """,
        """
        def two_updates(x, n):
            out = numpy.zeros(n)
            out.2 = for i in range(0, n, 1) carry(out.1 = out) {
                out.3 = setitem(out.1, i, x)
                out.4 = setitem(out.3, 0, x) [inplace=True]
                yield out.4
            }
            return out.2
        """,
    ),
    PassCase(
        nested_loops,
        """
        def nested_loops(x, n):
            %0 = tuple(n, n)
            out = numpy.zeros(%0)
            out.2 = for i in range(0, n, 1) carry(out.1 = out) {
                out.4 = for j in range(0, n, 1) carry(out.3 = out.1) {
                    %1 = tuple(i, j)
                    out.5 = setitem(out.3, %1, x)
                    yield out.5
                }
                yield out.4
            }
            return out.2
        """,
        """
        def nested_loops(x, n):
            %0 = tuple(n, n)
            out = numpy.zeros(%0)
            out.2 = for i in range(0, n, 1) carry(out.1 = out) {
                out.4 = for j in range(0, n, 1) carry(out.3 = out.1) {
                    %1 = tuple(i, j)
                    out.5 = setitem(out.3, %1, x) [inplace=True]
                    yield out.5
                }
                yield out.4
            }
            return out.2
        """,
    ),
    PassCase(
        conditional_update,
        """
        def conditional_update(x, n):
            out = numpy.zeros(n)
            out.2 = for i in range(0, n, 1) carry(out.1 = out) {
                %0 = gt(i, 1)
                out.3 = if %0 {
                    out.4 = setitem(out.1, i, x)
                    yield out.4
                } else {
                    yield out.1
                }
                yield out.3
            }
            return out.2
        """,
    ),
    PassCase(
        no_loop,
        """
        def no_loop(x):
            out = numpy.zeros(3)
            out.1 = setitem(out, 0, x)
            return out.1
        """,
        """
        def no_loop(x):
            out = numpy.zeros(3)
            out.1 = setitem(out, 0, x) [inplace=True]
            return out.1
        """,
    ),
    PassCase(
        recurrence,
        """
        def recurrence(x):
            out = numpy.zeros(3)
            out.1 = setitem(out, 0, x)
            out.3 = for i in range(1, 3, 1) carry(out.2 = out.1) {
                %0 = sub(i, 1)
                %1 = getitem(out.2, %0)
                %2 = mul(%1, x)
                out.4 = setitem(out.2, i, %2)
                yield out.4
            }
            return out.3
        """,
        """
        def recurrence(x):
            out = numpy.zeros(3)
            out.1 = setitem(out, 0, x) [inplace=True]
            out.3 = for i in range(1, 3, 1) carry(out.2 = out.1) {
                %0 = sub(i, 1)
                %1 = getitem(out.2, %0)
                %2 = mul(%1, x)
                out.4 = setitem(out.2, i, %2) [inplace=True]
                yield out.4
            }
            return out.3
        """,
    ),
    PassCase(
        recurrence_unknown_rank,
        """
        def recurrence_unknown_rank(x, n):
            out = numpy.zeros(n)
            out.2 = for i in range(1, 3, 1) carry(out.1 = out) {
                %0 = sub(i, 1)
                %1 = getitem(out.1, %0)
                %2 = mul(%1, x)
                out.3 = setitem(out.1, i, %2)
                yield out.3
            }
            return out.2
        """,
    ),
    PassCase(
        slice_read_before_the_update,
        """
        def slice_read_before_the_update(x):
            out = numpy.zeros(3)
            out.2, t.1 = for i in range(1, 3, 1) carry(out.1 = out, t = 0.0) {
                %0 = slice(0, i, None)
                %1 = getitem(out.1, %0)
                %2 = numpy.sum(%1)
                t.2 = add(t, %2)
                out.3 = setitem(out.1, i, x)
                yield out.3, t.2
            }
            %3 = tuple(out.2, t.1)
            return %3
        """,
    ),
    PassCase(
        straight_line_read_later,
        """
        def straight_line_read_later(x):
            out = numpy.zeros(3, order='C')
            v = getitem(out, slice(1, None, None))
            out.1 = setitem(out, 0, x)
            %0 = tuple(out.1, v)
            return %0
        """,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_inplace(case: PassCase) -> None:
    check_case(inplace, case)


def test_marking_twice_changes_nothing() -> None:
    fn = lower(fill_zeros)
    assert inplace(fn)
    assert not inplace(fn)
