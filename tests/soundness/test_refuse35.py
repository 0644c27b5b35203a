"""What refuse35 accepts, checked numerically (`srcad.testing.check_grads` forward and reverse,
and `check_scalar`: value, gradient, JVP, VJP and Hessian against Python and central
differences), and the neighbours that stay refused (tests/corpus/users_refuse35.py holds the
corpus cases):

1. ``sum(objs[, start])`` / ``math.prod(objs[, start])`` of a run-time list of objects whose
   class defines ``__add__``/``__radd__`` (``__mul__``/``__rmul__``): the loop of the class's own
   operator (ad/objsumloop.py), each item checked to be of that class at run time, an empty list
   with a number start refused at run time; a list made by a helper summed from an object start
   (the rule added the items as numbers: a wrong derivative) is that loop too, each item checked;
   a class whose operator leaves the class (session 34's ``Sq``, test_refuse34a.py), may return
   NotImplemented, or a list of two classes stay refused at transform time.
2. ``p = itertools.pairwise(x)`` / ``islice`` / ``chain`` bound to a name and consumed later
   (a loop, ``list(p)``, a generator over it, ``zip``): the generator expression over the call
   (lower/itervalues.py, lower/lazygen.make); read twice, by ``next``, by a nested function,
   passed to a function reading it twice, or its source updated or rebound before the read:
   refused. A generator made in a loop body whose first iterable calls a module's function
   (``np.concatenate(...)``) is no longer refused as if the module were updated
   (lower/closures.check_later).
3. ``max(*x)`` / ``min(*x)`` of a 1-D array, a list, a tuple or a generator of run-time length:
   ``max(x)`` (lower/starextremes.py), with Python's TypeError for no item and a run-time
   refusal for one item (Python iterates that item).
4. A ufunc's ``out=(a,)`` (the one-output tuple form of ``out=a``) on a local array, and
   ``out=np.empty_like(x)`` / ``np.zeros(n)`` (an array the call makes) on any NumPy function
   without ``where=`` (lower/inplace_np._with_out); an argument, an alias or a view of the
   array read later, and ``np.array(a, copy=False)``, stay refused.
5. A ``def`` (or a lambda) in each branch of an ``if`` (or in one, over an earlier one) called
   after it: the rest of the block lowered in each branch (lower/objsplit.py, as for objects of
   two classes), also in loops unrolled for the functions they make (their copies' live names
   are a loop body's: lower/calls.stmt_For) and in ``while``/``for`` loops of run-time length;
   ``__rmul__ = __mul__`` (an alias of a method above) in a class defined in the function
   (lower/localclass.py).
6. ``it = iter(x); first = next(it)`` then a comprehension over the rest as the name's last
   use (``sum(v * first for v in it)``, ``[...]``, ``{i: ... for i in it}``): lower/iterstate.py;
   a use after it, ``any``/``all`` (which may stop early) and a loop around it stay refused.
7. A set comprehension (or display) only tested (``k in s``, ``len(s)``) also inside a nested
   function or lambda, and updated by ``s |= {...}`` (``-=``, ``&=``, ``^=``): lower/sets.py; a
   nested function adding to it or iterating it, a parameter of that name, iterating it after
   ``|=``, and ``s |= [..]`` (Python's TypeError) stay refused.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads
from tests.soundness.numeric import check_scalar

X = np.array([0.5, -1.2, 0.8])


def _both(f, *args):
    check_grads(f, args, modes=("fwd", "rev"))


# -- 1. sums and products of run-time lists of objects --------------------------------------------
class Pair:
    def __init__(self, a, b):
        self.a = a
        self.b = b

    def __add__(self, o):  # not field-wise linear: `b` multiplies
        return Pair(self.a + o.a, self.b * o.b)

    def __radd__(self, o):
        return Pair(self.a + o, self.b)

    def __mul__(self, o):
        return Pair(self.a * o.a, self.b + o.b)

    def __rmul__(self, o):
        return Pair(self.a * o, np.sin(self.b))


class SubPair(Pair):
    def __radd__(self, o):
        return Pair(self.a - o, self.b)


class MaybeNot:
    def __init__(self, a):
        self.a = a

    def __add__(self, o):
        if isinstance(o, MaybeNot):
            return MaybeNot(self.a + o.a)
        return NotImplemented

    def __radd__(self, o):
        return MaybeNot(self.a + o)


def sum_default_start(x):
    s = sum([Pair(v, np.sin(v)) for v in x])
    return s.a * s.b


def sum_object_start_keyword(x):
    s = sum((Pair(v, v * v) for v in x), start=Pair(1.0, 2.0))
    return s.a**2 + s.b


def sum_float_start_appended(x):
    ps = []
    for v in x:
        if v > 0:
            ps.append(Pair(v, 1.0 + v))
        else:
            ps.append(Pair(2.0 * v, np.cos(v)))
    return sum(ps, 0.5).b + sum(ps, 0.5).a


def prod_of_objects(x):
    p = math.prod([Pair(v, v) for v in x])
    return p.a + p.b**2


def sum_in_a_loop(x):
    t = 0.0
    for k in range(2):
        s = sum([Pair(v * (k + 1.0), v) for v in x])
        t = t + s.a * s.b
    return t


def sum_empty_with_object_start(x):
    s = sum([Pair(v, v) for v in x if v > 10.0], Pair(x[0], x[1]))
    return s.a * s.b


def _pairs(x):
    return [Pair(v, np.cos(v)) for v in x]


def sum_of_a_helpers_list_object_start(x):
    s = sum(_pairs(x), Pair(1.0, 1.0))  # (was added as numbers: a wrong derivative)
    return s.a * s.b


@pytest.mark.parametrize(
    "f",
    [
        sum_of_a_helpers_list_object_start,
        sum_default_start,
        sum_object_start_keyword,
        sum_float_start_appended,
        prod_of_objects,
        sum_in_a_loop,
        sum_empty_with_object_start,
    ],
)
def test_sum_of_objects_is_the_loop_of_their_operator(f):
    _both(f, X)
    check_scalar(f, X)


def sum_empty_default_start(x):
    s = sum([Pair(v, v) for v in x if v > 10.0])  # Python: 0, then `0.a` fails
    return s.a


def sum_with_a_number_item(x):
    ps = [Pair(v, v) for v in x]
    ps.append(x[0])
    return sum(ps, Pair(0.0, 1.0)).a


def sum_of_two_classes(x):
    s = sum([Pair(x[0], x[1])] + [SubPair(v, v) for v in x])
    return s.a


def sum_maybe_not_implemented(x):
    return sum([MaybeNot(v) for v in x]).a


def test_sum_of_objects_whose_add_may_return_not_implemented():
    # (refused until hunt47b: __add__'s `isinstance(o, MaybeNot)` branch is decided for `MaybeNot`
    # operands, so its class is known; `0 + MaybeNot` runs __radd__, as Python's)
    _both(sum_maybe_not_implemented, X)
    check_scalar(sum_maybe_not_implemented, X)


def sum_array_start(x):
    return sum([Pair(v, v) for v in x], x).a


def test_empty_list_with_a_number_start_is_refused_at_run_time():
    with pytest.raises(srcad.SrcadError, match="empty list"):
        srcad.grad(sum_empty_default_start)(X)


def test_an_item_of_another_class_is_refused_at_run_time():
    with pytest.raises(srcad.SrcadError, match="an item of another class"):
        srcad.grad(sum_with_a_number_item)(X)


@pytest.mark.parametrize("f", [sum_of_two_classes, sum_array_start])
def test_sums_srcad_cannot_follow_stay_refused(f):
    with pytest.raises(srcad.SrcadError, match="objects runs their"):
        srcad.grad(f)(X)
    with pytest.raises(srcad.SrcadError, match="objects runs their"):
        srcad.jvp(f, (X,), (np.ones(3),))


# -- 2. itertools iterators as values -----------------------------------------------------------
Y = np.array([0.3, -0.5, 0.2, 0.9])


def pairwise_value(x):
    p = itertools.pairwise(x)
    return sum(a * b for a, b in p)


def pairwise_value_loop(x):
    p = itertools.pairwise(np.sin(x))
    t = 0.0
    for i, (a, b) in enumerate(p):
        t = t + (i + 1.0) * (b - a) ** 2
    return t


def islice_value_list(x):
    s = itertools.islice(x, 0, None, 2)
    return sum(v**3 for v in list(s))


def chain_value_zip(x):
    c = itertools.chain(x[:2], x[2:] * 2.0)
    return sum(a * b for a, b in zip(c, x))


def chain_from_iterable_value(x):
    rows = [[x[0], x[1]], [x[2] * x[3]]]
    c = itertools.chain.from_iterable(rows)
    total = 0.0
    for v in c:
        total = total + np.tanh(v)
    return total


def chain_value_in_a_loop(x):
    t = 0.0
    for k in range(2):
        c = itertools.chain(x[:2], x[2:] * k)
        t = t + sum(v * v for v in c)
    return t


def generator_in_a_loop_calling_numpy(x):
    t = 0.0
    for k in range(2):
        g = (v for v in np.concatenate([x[:2], x[2:] * k]))
        t = t + sum(np.sin(v) for v in g)
    return t


@pytest.mark.parametrize(
    "f",
    [
        pairwise_value,
        pairwise_value_loop,
        islice_value_list,
        chain_value_zip,
        chain_from_iterable_value,
        chain_value_in_a_loop,
        generator_in_a_loop_calling_numpy,
    ],
)
def test_itertools_iterators_as_values(f):
    _both(f, Y)
    check_scalar(f, Y)


def _reads_twice(it):
    return sum(it) + 2.0 * sum(it)


def pairwise_read_twice(x):
    p = itertools.pairwise(x)
    return sum(a * b for a, b in p) + sum(a for a, _ in p)  # Python: the second sum is 0


def chain_listed_twice(x):
    c = itertools.chain(x, x)
    return sum(list(c)) + len(list(c))


def chain_next(x):
    c = itertools.chain(x[:2], x[2:])
    first = next(c)
    return first * sum(c)


def chain_source_updated(x):
    a = [x[0], x[1]]
    c = itertools.chain(a, [x[2]])
    a[0] = x[3] * 5.0  # Python's chain reads the updated list
    return sum(v * v for v in c)


def chain_source_rebound(x):
    a = [x[0], x[1]]
    c = itertools.chain(a, [x[2]])
    a = [x[3]]  # Python's chain holds the first list
    return sum(c) + a[0]


def islice_array_updated(x):
    y = x * 1.0
    s = itertools.islice(y, 1, None)
    y *= 2.0
    return sum(s)


def chain_passed_to_a_function_reading_it_twice(x):
    c = itertools.chain(x, x)
    return _reads_twice(c)


def chain_read_by_a_nested_function(x):
    c = itertools.chain(x[:2], x[2:])

    def total():
        return sum(c)

    return total() + total()


@pytest.mark.parametrize(
    "f",
    [
        pairwise_read_twice,
        chain_listed_twice,
        chain_next,
        chain_source_updated,
        chain_source_rebound,
        islice_array_updated,
        chain_passed_to_a_function_reading_it_twice,
        chain_read_by_a_nested_function,
    ],
)
def test_itertools_values_python_reads_lazily_stay_refused(f):
    f(Y.copy())  # Python runs it
    with pytest.raises(srcad.SrcadError):
        srcad.grad(f)(Y.copy())


# -- 3. max(*x) / min(*x) -------------------------------------------------------------------------
def max_star_array(x):
    return max(*x) ** 2 + min(*np.sin(x))


def min_star_list(x):
    ys = [v * v - v for v in x]
    return min(*ys) * max(*ys)


def max_star_tuple_generator(x):
    t = tuple(np.tanh(x))
    return max(*t) - min(*(v**3 for v in x))


@pytest.mark.parametrize("f", [max_star_array, min_star_list, max_star_tuple_generator])
def test_max_min_of_a_starred_sequence(f):
    _both(f, Y)
    check_scalar(f, Y)


def test_max_star_of_one_item_or_none():
    def one(x):
        return max(*x[:1])

    def none(x):
        return min(*x[:0])

    with pytest.raises(srcad.SrcadError, match="single item"):
        srcad.grad(one)(Y)
    with pytest.raises(TypeError, match="min expected at least 1 argument, got 0"):
        srcad.grad(none)(Y)


# -- 4. out= a one-output tuple or a fresh buffer ------------------------------------------------
def tanh_out_tuple(x):
    a = x * 2.0
    np.tanh(a, out=(a,))
    b = np.exp(a, out=(a,))
    return np.sum(b * x)


def sin_out_fresh(x):
    return np.sum(np.sin(x, out=np.empty_like(x)) ** 2) + np.sum(np.cos(x, out=np.zeros(4)) * x)


def sum_out_fresh(x):
    s = np.sum(np.outer(x, x), axis=0, out=np.empty(4))
    return np.sum(s**2)


@pytest.mark.parametrize("f", [tanh_out_tuple, sin_out_fresh, sum_out_fresh])
def test_out_tuple_and_fresh_buffers(f):
    _both(f, Y)
    check_scalar(f, Y)


def out_tuple_of_an_argument(x):
    np.tanh(x, out=(x,))
    return np.sum(x)


def out_tuple_aliased(x):
    a = x * 1.0
    b = a
    np.tanh(a, out=(a,))
    return np.sum(b)


def out_tuple_view_read(x):
    a = x * 1.0
    v = a[1:]
    np.tanh(a, out=(a,))
    return np.sum(v)


def out_array_no_copy(x):
    a = x * 1.0
    np.tanh(a, out=np.array(a, copy=False))  # NumPy 2: `a` itself
    return np.sum(a)


@pytest.mark.parametrize(
    "f", [out_tuple_of_an_argument, out_tuple_aliased, out_tuple_view_read, out_array_no_copy]
)
def test_out_writes_python_would_show_stay_refused(f):
    with pytest.raises(srcad.SrcadError):
        srcad.grad(f)(Y.copy())


# -- 5. functions chosen by a branch; method aliases in a local class ----------------------------
def def_in_if_in_a_loop(x):
    out = []
    for k in range(3):
        if k % 2 == 0:

            def act(v):
                return np.tanh(v) * (k + 1)  # noqa: B023 (called in this round)

        else:

            def act(v):
                return np.sin(v) - k  # noqa: B023

        out.append(np.sum(act(x) ** 2))
    return sum(out)


def def_over_an_earlier_one(x):
    def act(v):
        return v * 2.0

    if x[0] > 0:

        def act(v):
            return np.sin(v) * 3.0

    return np.sum(act(x) ** 2)


def lambda_per_branch_in_a_while(x):
    t, i = 0.0, 0
    while i < 3:
        if x[i] > 0:
            g = lambda v: v * v  # noqa: E731
        else:
            g = lambda v: np.exp(v)  # noqa: E731
        t = t + g(x[i])
        i += 1
    return t


def def_per_branch_reads_late(x):
    s = 2.0
    if x[1] > 0:

        def g(v):
            return v * s

    else:

        def g(v):
            return np.cos(v) + s

    s = 3.0  # (the closure reads the variable when called: 3.0)
    return np.sum(g(x) ** 2)


def local_class_rmul_alias(x):
    class Q:
        def __init__(self, v):
            self.v = v

        def __mul__(self, o):
            return Q(self.v * o)

        __rmul__ = __mul__

        def __add__(self, o):
            return Q(self.v + (o.v if isinstance(o, Q) else o))

        __radd__ = __add__

    q = 2.0 * Q(x) + 1.0
    r = 3.0 + q * 0.5
    return np.sum(np.sin(r.v))


@pytest.mark.parametrize(
    "f",
    [
        def_in_if_in_a_loop,
        def_over_an_earlier_one,
        lambda_per_branch_in_a_while,
        def_per_branch_reads_late,
        local_class_rmul_alias,
    ],
)
@pytest.mark.parametrize("sign", [1.0, -1.0])
def test_functions_chosen_by_a_branch(f, sign):
    _both(f, sign * Y)
    check_scalar(f, sign * Y)


def local_class_alias_of_a_missing_method(x):
    class Q:
        def __init__(self, v):
            self.v = v

        n = m  # noqa: F821 (Python: NameError)

    return np.sum(Q(x).v)


def test_local_class_alias_of_a_missing_method_stays_refused():
    with pytest.raises(srcad.SrcadError, match="class definition"):
        srcad.grad(local_class_alias_of_a_missing_method)(Y)


# -- 6. a comprehension over the rest of an iterator ----------------------------------------------
def rest_after_next_generator(x):
    it = iter(x)
    first = next(it)
    return sum(np.sin(v) * first for v in it)


def rest_after_next_list(x):
    it = iter(list(x))
    a = next(it)
    b = next(it, 0.0)
    return max([v * a for v in it]) + b**2


def rest_after_next_dict(x):
    it = iter(range(len(x)))
    next(it)
    d = {i: x[i] ** 2 for i in it}
    return sum(d.values())


@pytest.mark.parametrize(
    "f", [rest_after_next_generator, rest_after_next_list, rest_after_next_dict]
)
def test_comprehension_over_the_rest_of_an_iterator(f):
    _both(f, Y)
    check_scalar(f, Y)


def rest_then_read_again(x):
    it = iter(x)
    a = [v for v in it]
    b = next(it, 2.0)  # Python: exhausted, 2.0
    return sum(a) * b


def rest_by_any(x):
    it = iter(x)
    first = next(it)
    return first * any(v > 0 for v in it)  # Python: `any` stops at the first true item


@pytest.mark.parametrize("f", [rest_then_read_again, rest_by_any])
def test_iterator_read_after_a_partial_or_whole_comprehension_stays_refused(f):
    with pytest.raises(srcad.SrcadError):
        srcad.grad(f)(Y.copy())


# -- 7. sets only tested: in closures, updated by |= ----------------------------------------------
def set_tested_in_a_lambda(x):
    keep = {i for i in range(4) if x[i] > 0}
    g = lambda i: x[i] ** 2 if i in keep else -x[i]  # noqa: E731
    return sum(g(i) for i in range(4)) * len(keep)


def set_updated_by_or(x):
    s = {0}
    s |= {i for i in range(4) if x[i] > 0.5}
    s -= {3}
    return sum(np.sin(x[i]) for i in range(4) if i in s)


def closure_sees_the_updated_set(x):
    s = {i for i in range(4) if x[i] > 0.25}
    g = lambda i: x[i] ** 2 if i in s else 0.0  # noqa: E731
    a = sum(g(i) for i in range(4))
    s |= {1}
    return a + sum(g(i) for i in range(4))


@pytest.mark.parametrize(
    "f", [set_tested_in_a_lambda, set_updated_by_or, closure_sees_the_updated_set]
)
def test_sets_only_tested(f):
    _both(f, Y)
    check_scalar(f, Y)


def set_added_in_a_lambda(x):
    keep = {i for i in range(4) if x[i] > 0}
    g = lambda i: keep.add(i)  # noqa: E731
    g(1)
    return sum(x[i] for i in range(4) if i in keep)


def set_iterated_in_a_nested_function(x):
    keep = {i for i in range(4) if x[i] > 0}

    def h():
        return sum(x[i] for i in keep)

    return h()


def set_iterated_after_or(x):
    s = {0}
    s |= {i for i in range(4) if x[i] > 0.5}
    return sum(x[i] for i in s)


@pytest.mark.parametrize(
    "f", [set_added_in_a_lambda, set_iterated_in_a_nested_function, set_iterated_after_or]
)
def test_sets_used_otherwise_stay_refused(f):
    with pytest.raises(srcad.SrcadError, match="set"):
        srcad.grad(f)(Y.copy())
