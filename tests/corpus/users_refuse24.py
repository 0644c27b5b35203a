"""Programs srcad used to refuse, session 24 (`refuse24`): spurious refusals users hit.

- a helper updating a number argument ``c *= v`` called with a module-level number ``GAIN``
  (ad/callfacts.global_number: ``c *= v`` on a number rebinds `c`);
- ``sum(getattr(p, k) for k in ("a", "b"))`` and ``getattr(x, "sum")()`` (lower/attrconsts.py:
  a constant name is an attribute read; a comprehension over constant names, a list display);
- a decorator factory on a nested function, ``@scaled(0.5) def step(t)`` (lower/fnargs.py: a
  carried function called with a nested function passes it as itself).

Each is checked forward, reverse and (``extra="hvp"``) at second order; what must stay refused
is in tests/soundness/test_refuse24.py."""

from __future__ import annotations

import numpy as np

from . import Case

X6 = np.array([0.5, -1.2, 0.8, 2.0, -0.3, 1.1])

GAIN = 0.7
DECAY = np.float64(0.9)


def _damped(a, c):
    a3 = a * 1.0
    c *= np.tanh(a3[0])
    c -= DECAY * 0.1
    return np.sum(a3**2) * c


def global_gain_helper(x):
    g = GAIN
    return _damped(x, GAIN) + _damped(np.sin(x), g) * _damped(x[::2], DECAY)


class _Params:
    def __init__(self, x):
        self.w = x[:3] * 2.0
        self.b = np.tanh(x[3:])


def getattr_penalty(x):
    p = _Params(x)
    reg = sum(np.sum(getattr(p, k) ** 2) for k in ("w", "b"))
    norms = [getattr(getattr(p, k), "sum")() for k in ("b", "w")]  # noqa: B009
    return reg + norms[0] * norms[1]


def scaled(c):
    def deco(fn):
        def wrapped(t):
            return c * fn(t) + (1.0 - c) * t

        return wrapped

    return deco


def decorated_steps(x):
    @scaled(0.5)
    def step(t):
        return np.tanh(t * x[0]) + x[1]

    h = x[2:]
    for _ in range(3):
        h = step(h)
    return np.sum(h**2)


def object_rows_concatenated(x):
    rows = np.empty(2, dtype=object)
    rows[0] = [x[0], x[1]]
    rows[1] = [x[2], x[3]]
    both = rows + rows  # each entry: a list of 4 (lists concatenate)
    return both[0][0] * both[1][3] + both[0][1]


CASES = [
    Case(f, (X6.copy(),), (0,), extra="hvp")
    for f in (global_gain_helper, getattr_penalty, decorated_steps)
]
CASES.append(
    Case(
        object_rows_concatenated,
        (X6.copy(),),
        (0,),
        xfail={
            "rev": "`+` of object arrays of lists: the add VJP sums the cotangent to each operand "
            "instead of splitting the concatenated rows (ValueError when it runs; refuse24)"
        },
    )
)
