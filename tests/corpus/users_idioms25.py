"""Programs srcad used to refuse, session 25 (`idioms25`): spurious refusals users hit.

- ``getattr(np, CFG["act"])(z)``: a module function named by a module-level configuration
  (lower/modattrs.py; the string is recorded as read, a new value makes a new transform).

Each is checked forward, reverse and (``extra="hvp"``) at second order; what must stay refused
is in tests/soundness/test_idioms25.py."""

from __future__ import annotations

import numpy as np

from . import Case

X6 = np.array([0.5, -1.2, 0.8, 2.0, -0.3, 1.1])

CFG = {"hidden": "tanh", "out": "sin", "sizes": (3, 3)}


def configured_mlp(x):
    W = np.outer(x[:3], x[3:]) * 0.5
    h = getattr(np, CFG["hidden"])(W @ x[3:] + x[:3])
    return np.sum(getattr(np, CFG["out"])(h) ** 2)


CASES = [Case(f, (X6.copy(),), (0,), extra="hvp") for f in (configured_mlp,)]
