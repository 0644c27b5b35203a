"""Soundness fixes of session 34's hunt34b: Python idioms and control flow as users write them.
Input: small functions over one 1-D array; output: assertions against Python and central
differences (tests/soundness/numeric.py), or the refusal srcad should give.

- A ``zip``/``enumerate`` made from an array, or a generator expression handed to a helper,
  then the array updated in place by a helper (``normalize(ys)``) before the items were read:
  srcad computed the items where the iterator was written, Python reads the updated array.
  The check of later statements (lower/closures.check_later) did not see a helper's update of
  its argument (no assignment is written): wrong values, now refused.
- A generator expression or ``map`` made inside a comprehension and reading its target
  (``[(v * i for v in x) for i in range(3)]``) runs after the comprehension ended: Python's
  items see the target's last value, srcad's the value of their turn. Wrong values, now refused.
- ``enumerate(xs)`` and ``reversed(xs)`` as values (bound to a name, an argument of ``zip``,
  ``dict`` or another ``enumerate``) stayed runtime calls with no derivative rule: refused when
  differentiated. They are now the generator expression they equal, as ``zip`` already was.
- Rebinding a name only the first iterable of such an iterator read (``z = zip(x * k, w)`` in
  a loop over ``k``) was refused, although Python evaluated it when the iterator was made.
"""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from tests.soundness.numeric import check_scalar

X = np.array([0.3, -0.7, 1.2, 0.5])
W = [1.0, 2.0, 3.0, 4.0]

# -- an iterator made, then its array updated by a helper before it is read ----------------------


def _bump(a):
    a[1] = 5.0


def _ident(g):
    return g


def zip_then_helper_update(x):
    ys = x * 1.0
    z = zip(ys, W)
    _bump(ys)
    return sum(a * b for a, b in z)


def enumerate_then_helper_update(x):
    ys = x * 1.0
    e = enumerate(ys)
    _bump(ys)
    return sum(i * v for i, v in e)


def genexpr_to_helper_then_update(x):
    ys = x * 2
    t = _ident(v * 2 for v in ys)
    _bump(ys)
    return sum(t)


def genexpr_reads_updated_later(x):
    ys = x * 2
    t = _ident(ys[1] * v for v in x)
    _bump(ys)
    return sum(t)


@pytest.mark.parametrize(
    "f",
    [
        zip_then_helper_update,
        enumerate_then_helper_update,
        genexpr_to_helper_then_update,
        genexpr_reads_updated_later,
    ],
)
def test_iterator_read_after_helper_update_refused(f) -> None:
    with pytest.raises(srcad.SrcadError, match="rebound or updated by a later statement"):
        srcad.primal(f)(X.copy())
    with pytest.raises(srcad.SrcadError):
        srcad.grad(f)(X.copy())


# -- ... or through a container that holds the array: ``holder[0][1] = v`` ------------------------
# wrong on 7860879 for zip and a generator handed to a helper (4.5 where Python gives 15.9);
# enumerate(ys) was refused there (a run-time object sharing ys), and is refused again now.


def zip_then_update_through_holder(x):
    ys = x * 1.0
    holder = [ys]
    z = zip(ys, W)
    holder[0][1] = 5.0
    return sum(a * b for a, b in z)


def enumerate_then_update_through_holder(x):
    ys = x * 1.0
    holder = [ys]
    e = enumerate(ys)
    holder[0][1] = 5.0
    return sum(i * v for i, v in e)


def genexpr_then_update_through_holder(x):
    ys = x * 1.0
    holder = [ys]
    g = _ident(v * 2 for v in ys)
    holder[0] += 1.0
    return sum(g)


@pytest.mark.parametrize(
    "f",
    [
        zip_then_update_through_holder,
        enumerate_then_update_through_holder,
        genexpr_then_update_through_holder,
    ],
)
def test_iterator_read_after_update_through_a_container_refused(f) -> None:
    with pytest.raises(srcad.SrcadError, match="`holder` is rebound or updated"):
        srcad.primal(f)(X.copy())


# -- a lazy iterator made inside a comprehension, reading its target --------------------------------
# ``[(v * i for v in x) for i in range(3)]``: each generator runs when it is consumed, after the
# list comprehension has finished, so Python's items all read i == 2; srcad computed each with
# the i of its turn (3.9 where Python gives 7.8). The same with ``map(lambda v: v * i, x)`` and a
# dict comprehension. Now refused (closures._check_comprehensions), like the ``for`` loop that
# appends such generators already was.


def generators_made_in_a_comprehension(x):
    gens = [(v * i for v in x) for i in range(3)]
    return sum(sum(g) for g in gens)


def maps_made_in_a_comprehension(x):
    ms = [map(lambda v: v * i, x) for i in range(3)]
    return sum(sum(m) for m in ms)


def generators_in_a_dict_comprehension(x):
    d = {k: (v * k for v in x) for k in range(1, 3)}
    return sum(d[1]) * sum(d[2])


@pytest.mark.parametrize(
    "f",
    [
        generators_made_in_a_comprehension,
        maps_made_in_a_comprehension,
        generators_in_a_dict_comprehension,
    ],
)
def test_generator_reading_a_comprehension_target_refused(f) -> None:
    with pytest.raises(srcad.SrcadError, match="comprehension around it has moved"):
        srcad.primal(f)(X.copy())


def consumed_in_the_comprehension(x):
    rows = [list(v * i for v in x) for i in range(3)]
    gens = [(v * v for v in r) for r in rows]  # (the target only in the first iterable)
    return (
        sum(sum(r) for r in rows)
        + sum(sum(g) for g in gens)
        + sum([max(v * i for v in x) for i in range(3)])
    )


def test_generator_consumed_in_its_comprehension() -> None:
    check_scalar(consumed_in_the_comprehension, X.copy())


# -- enumerate / reversed as values ---------------------------------------------------------------


def zip_of_enumerate(x):
    s = 0.0
    for (i, v), w in zip(enumerate(x), W):
        s = s + v * w * (i + 1)
    return s


def zip_of_enumerate_start(x):
    return sum(i * a * b for (i, a), b in zip(enumerate(x, start=1), W, strict=True))


def enumerate_bound(x):
    e = enumerate(x, 1)
    s = 0.0
    for i, v in e:
        s = s + i * v**2
    return s


def reversed_bound(x):
    r = reversed(x)
    s = 0.0
    for k, v in enumerate(r):
        s = s * 0.5 + v * np.sin(v) * k
    return s


def dict_of_enumerate(x):
    d = dict(enumerate(x))
    return d[0] * d[3] + d[1] ** 2


def enumerate_of_enumerate(x):
    return sum(i * j * v**2 for i, (j, v) in enumerate(enumerate(x, 1)))


def enumerate_of_dict_values(x):
    d = {"a": x[0], "b": x[1]}
    return sum(i * v * w for (i, v), w in zip(enumerate(d.values()), [2.0, 3.0]))


def enumerate_in_zip_writing_an_array(x):
    out = np.zeros(4)
    for (i, v), w in zip(enumerate(x), W):
        out[i] += v * w  # (an array of numbers: it holds no object the iterator reads)
    return np.sum(out**2)


# -- names only the first iterable read, rebound later ---------------------------------------------


def zip_made_in_loop(x):
    s = 0.0
    for k in range(2):
        z = zip(x * (k + 1), W)
        s = s + sum(v * v * w for v, w in z)
    return s


def reversed_made_in_loop(x):
    s = 0.0
    for k in range(2):
        r = reversed(x * (k + 1))
        s = s + sum(v * v * i for i, v in enumerate(r))
    return s


def enumerate_source_rebound(x):
    y = x
    e = enumerate(y)
    y = x * 2
    return sum(i * v**2 for i, v in e) + y[0]


def genexpr_source_rebound(x):
    ys = x * 2
    t = _ident(v * v for v in ys)
    ys = x**2
    return sum(t) + ys[0]


@pytest.mark.parametrize(
    "f",
    [
        zip_of_enumerate,
        zip_of_enumerate_start,
        enumerate_bound,
        reversed_bound,
        dict_of_enumerate,
        enumerate_of_enumerate,
        enumerate_of_dict_values,
        enumerate_in_zip_writing_an_array,
        zip_made_in_loop,
        reversed_made_in_loop,
        enumerate_source_rebound,
        genexpr_source_rebound,
    ],
)
def test_iterator_values(f) -> None:
    check_scalar(f, X.copy())


# -- what stays refused: the object the iterator holds changed before it is read -----------------


def enumerate_source_updated(x):
    y = x.copy()
    e = enumerate(y)
    y[1] = 5.0
    return sum(i * v for i, v in e)


def enumerate_alias_updated(x):
    ys = x * 1.0
    zs = ys
    e = enumerate(ys)
    zs[1] = 5.0
    return sum(i * v for i, v in e)


def enumerate_source_iadd(x):
    ys = x * 1.0
    e = enumerate(ys)
    ys += 1.0
    return sum(i * v for i, v in e)


def reversed_list_appended(x):
    lst = [x[0], x[1]]
    r = reversed(lst)
    lst.append(x[2])
    return sum(r)


def enumerate_copyto(x):
    ys = x * 1.0
    e = enumerate(ys)
    np.copyto(ys, x**2)
    return sum(i * v for i, v in e)


def enumerate_read_twice(x):
    e = enumerate(x)
    a = sum(i * v for i, v in e)
    b = sum(i * v for i, v in e)
    return a + 10 * b


@pytest.mark.parametrize(
    "f",
    [
        enumerate_source_updated,
        enumerate_alias_updated,
        enumerate_source_iadd,
        reversed_list_appended,
        enumerate_copyto,
        enumerate_read_twice,
    ],
)
def test_changed_iterator_source_refused(f) -> None:
    with pytest.raises(srcad.SrcadError):
        srcad.primal(f)(X.copy())


# -- match patterns nested in one another, | binding names, **rest ---------------------------------
# ``case (a, (b, c))``, ``{"w": (w1, w2)}``, ``(a, (b, c) as inner) if a > 0``, ``("neg", v) |
# ("minus", v)`` and ``{"a": a, **rest}`` were refused ("a pattern of this `match` statement is
# not supported"); they lower as the conditions and bindings of their parts (lower/matches.py,
# lower/matchor.py).


def match_nested(x):
    s = 0.0
    for item in [(x[0], (x[1], x[2])), (x[3], (x[0], x[1]))]:
        match item:
            case (a, (b, c)) if a > 0.4:
                s = s + a * b * c
            case (a, (b, _)):
                s = s + a + b**2
    cfg = {"w": (x[0], x[1]), "b": x[2]}
    match cfg:
        case {"w": (w1, w2), "b": b}:
            s = s + w1 * w2 + b**2
    return s


def match_as_nested(x):
    match (x[0], (x[1], x[2])):
        case (a, (b, c) as inner) if a > 0:
            return a * inner[0] + c * b + len(inner)
        case _:
            return 0.0


def match_or_binding(x):
    s = 0.0
    for item in [(1, x[0]), (2, x[1], x[2]), (3, "tag", x[3]), ("neg", x[1])]:
        match item:
            case (1, v) | (3, _, v) | ("neg", v):
                s = s + v**2
            case (2, a, b):
                s = s + a * b
    return s


def match_mapping_rest(x):
    d = {"a": x[0], "b": x[1], "c": x[2]}
    match d:
        case {"a": a, **rest}:
            return a * sum(rest.values()) + rest["c"] ** 2 + len(rest)
    return 0.0


@pytest.mark.parametrize("f", [match_nested, match_as_nested, match_or_binding, match_mapping_rest])
def test_match_patterns(f) -> None:
    check_scalar(f, X.copy())


def _classify(s, t):
    match s:
        case (1, v) | (3, _, v):
            return 10.0 + v * t
        case ((2 | 4) as tag, (a, b) as inner):
            return tag * a * t + b + len(inner)
        case [u, (y, [z, *more])]:
            return u * y * z * t + len(more)
        case {"kind": "lin", "w": (w1, w2), **rest}:
            return w1 * t + w2 + len(rest)
        case {"kind": ("a" | "b") as k, "v": v}:
            return (1.0 if k == "a" else 2.0) * v * t
        case str() as word:
            return len(word) * t
        case (float(first), *_, float(last)) as whole if first > last:
            return first - last + len(whole) * t
        case _:
            return -t


SUBJECTS = [
    (1, 2.0),
    (3, "x", 4.0),
    (1, 2.0, 3.0),
    (2, (5.0, 6.0)),
    (4, [1.0, 2.0]),
    (5, (1.0, 2.0)),
    (2, (5.0, 6.0, 7.0)),
    [1.5, (2.0, [3.0])],
    [1.5, (2.0, [3.0, 4.0, 5.0])],
    [1.5, (2.0, "ab")],
    {"kind": "lin", "w": (1.0, 2.0)},
    {"kind": "lin", "w": (1.0, 2.0), "extra": 3, "more": 4},
    {"kind": "lin", "w": [1.0, 2.0, 3.0]},
    {"kind": "b", "v": 3.0},
    {"kind": "c", "v": 3.0},
    "hello",
    (9.0, 1.0, 2.0),
    (1.0, 2.0, 9.0),
    [],
    3.0,
    (2, "ab"),
]


@pytest.mark.parametrize("k", range(len(SUBJECTS)))
def test_match_takes_the_case_python_takes(k) -> None:
    s, t = SUBJECTS[k], 0.7
    assert srcad.primal(_classify)(s, t) == _classify(s, t)
    fd = (_classify(s, t + 1e-6) - _classify(s, t - 1e-6)) / 2e-6
    assert srcad.grad(_classify, wrt=1)(s, t) == pytest.approx(fd, abs=1e-6)
