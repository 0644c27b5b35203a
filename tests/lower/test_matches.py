"""``match`` on values (lower/matches.py): an if/elif chain, differentiated like one.

Refused before (session 9): ``match kind: case "relu": ...`` in an activation helper, the
common configuration switch. Sequence, mapping and class patterns since session 10 (refuse10).
"""

from __future__ import annotations

import collections.abc
from dataclasses import dataclass

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads

X = np.array([0.31, -0.72, 1.13, 0.57])


def _act(z, kind):
    match kind:
        case "relu":
            return np.maximum(z, 0)
        case "tanh" | "th":
            return np.tanh(z)
        case None:
            return z
        case k if k == "sq":
            return z**2
        case other:
            raise ValueError(other)


def activations(x):
    return sum(np.sum(_act(x, k)) for k in ("relu", "th", None, "sq"))


def by_position(x):
    s = 0.0
    for i, v in enumerate(x, start=1):
        match i % 3:
            case 0:
                s += v * 2
            case 1:
                s += v**2
            case _:
                s -= v
    return s


def guards_and_as(x):
    match len(x):
        case 1 | 2 as small:
            y = x * small
        case 4 if x[0] > 0:
            y = x**3
        case 4:
            y = x
        case _:
            y = -x
    return np.sum(y)


def try_in_a_case(x):
    match x.ndim:
        case 1:
            try:
                v = np.log(x[0])
            except ValueError:
                v = 0.0
        case _:
            v = 1.0
    return v * np.sum(x)


@pytest.mark.parametrize("f", [activations, by_position, guards_and_as, try_in_a_case])
@pytest.mark.parametrize("sign", [1.0, -1.0])
def test_match_on_values(f, sign):
    x = sign * X
    if f is try_in_a_case:
        x = np.abs(x)
    assert srcad.primal(f)(x.copy()) == pytest.approx(f(x.copy()), rel=1e-12)
    check_grads(f, (x.copy(),), modes=("fwd", "rev"), order=2)


def subject_once(x):
    match bool(np.sin(x) > 0.5):  # (`np.True_ is True` is false: `case True` would not match)
        case True:
            return x * 3.0
        case False:
            return x * 2.0
    return x * 0.0


def test_the_subject_is_evaluated_once():
    assert srcad.grad(subject_once)(1.5) == 3.0
    assert srcad.grad(subject_once)(0.1) == 2.0
    assert srcad.source(subject_once).count("np.sin(") == 1


def sequence_pattern(x):
    match (1, 2):
        case (a, b):
            return x * a * b
    return x


def rest_of_mapping(x):
    match {"a": x, "b": 2.0}:
        case {"a": a, **others}:
            return a * len(others)
    return x


class _Keys:
    A = "a"


def key_by_name(x):
    match {"a": x, "b": 2.0}:
        case {_Keys.A: a}:
            return a * 3.0
    return x


def test_other_patterns_stay_refused():
    assert srcad.grad(sequence_pattern)(1.5) == 2.0  # since refuse10 (lower/matches.py)
    assert srcad.grad(rest_of_mapping)(1.5) == 1.0  # `**rest` since hunt34b (lower/matchor.py)
    with pytest.raises(
        srcad.SrcadError, match="pattern of this `match` statement is not supported"
    ):
        srcad.grad(key_by_name)(1.5)


def _which(item, x):
    match item:
        case [first, *rest, last]:
            return first * x + last * len(rest)
        case {"k": a}:
            return a * x * 2.0
        case _:
            return x * 5.0


class _Registered:
    """A class registered as a Sequence: Python's ``match`` reads the type's flag."""

    def __init__(self, x):
        self.items = [x, 2.0]

    def __len__(self):
        return 2

    def __getitem__(self, i):
        return self.items[i]


collections.abc.Sequence.register(_Registered)


class _LooksLikeAList:
    """Indexable with a length, but neither a Sequence nor registered: no sequence match."""

    def __len__(self):
        return 2

    def __getitem__(self, i):
        return 1.0


DEQUE = collections.deque([1.5, 1.0, 4.0])
USERLIST = collections.UserList([0.5, 3.0])
REGISTERED = _Registered(1.25)
LOOKALIKE = _LooksLikeAList()
ORDERED = collections.OrderedDict(k=2.5)
USERDICT = collections.UserDict(k=0.75)

SUBJECTS = {
    "ndarray": lambda x: _which(np.array([x, 2.0, 3.0]), x),  # a sequence from NumPy 2.5 on
    "tuple": lambda x: _which((x, 2.0), x),
    "range": lambda x: _which(range(3), x),
    "deque": lambda x: _which(DEQUE, x),
    "userlist": lambda x: _which(USERLIST, x),
    "registered": lambda x: _which(REGISTERED, x),
    "look-alike": lambda x: _which(LOOKALIKE, x),
    "str": lambda x: _which("ab", x),
    "ordereddict": lambda x: _which(ORDERED, x),
    "userdict": lambda x: _which(USERDICT, x),
    "dict": lambda x: _which({"k": x * x}, x),
}


@pytest.mark.parametrize("kind", list(SUBJECTS))
def test_sequence_and_mapping_patterns_take_pythons_case(kind):
    """The case taken is the one Python's own ``match`` takes for that subject's type (session
    10: ``isinstance(s, Sequence)`` said an ndarray never matches, while NumPy 2.5 marks
    ``ndarray`` a sequence type, so Python took ``[first, *rest, last]``: 3.17 for 1.18)."""

    f = SUBJECTS[kind]
    assert srcad.primal(f)(0.7) == pytest.approx(f(0.7), rel=1e-12)
    check_grads(f, (0.7,), modes=("fwd", "rev"), order=2)


@dataclass
class _Pt:
    u: float
    v: float


class _NoArgs:
    def __init__(self, u):
        self.u = u


def class_patterns(x):
    match _Pt(x, 2.0 * x):
        case _Pt(0.0, v):
            return v
        case _Pt(u, v=v) if u > 10.0:
            return u
        case _Pt(u, v):
            return u * v
    return x


def positional_without_match_args(x):
    match _NoArgs(x):
        case _NoArgs(u):
            return u
    return x


def local_class_name(x):
    cls = _Pt
    match _Pt(x, x):
        case cls(u, v):
            return u * v
    return x


def test_class_patterns_read_the_attributes():
    # positional sub-patterns read __match_args__ (the dataclass's fields), keywords their name
    assert srcad.grad(class_patterns)(1.5) == pytest.approx(6.0)
    assert srcad.hessian(class_patterns)(1.5) == pytest.approx(4.0)


def test_class_patterns_of_an_unknown_layout_stay_refused():
    # no __match_args__: Python raises TypeError; a parameter named like the class: not known
    for fn in (positional_without_match_args, local_class_name):
        with pytest.raises(srcad.SrcadError, match="pattern of this `match` statement"):
            srcad.grad(fn)(1.5)
