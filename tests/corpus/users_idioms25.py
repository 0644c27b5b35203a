"""Programs srcad used to refuse, session 25 (`idioms25`): spurious refusals users hit.

- ``getattr(np, CFG["act"])(z)``: a module function named by a module-level configuration
  (lower/modattrs.py; the string is recorded as read, a new value makes a new transform);
- curve_fit style ``model(t, *params)`` of ``def model(t, a=1.0, b=2.0, c=0.0)`` with `params`
  an array filling some of the defaulted parameters (lower/starcalls.py);
- ``GRUCell(*GRU_W)``: a class built from a module-level list of arrays (starcalls.global_star:
  the list's length recorded as read);
- a training history ``hist = {"loss": []}; losses = hist["loss"]; losses.append(v)`` read
  back as ``hist["loss"]`` (lower/entrynames.py);
- ``for k in ("W", "b"): setattr(self, k, ...)`` in ``__init__`` and in a method
  (lower/attrloops.unrolled where a method's body is lowered).

Still refused (strict xfail, the reason given): ``l.insert(0, a); l[1][0] = v``; a helper
returning two fresh arrays in a tuple, both then written; ``for r in rows: r *= r.sum()`` over
a list of views.

Each is checked forward, reverse and (``extra="hvp"``) at second order; what must stay refused
is in tests/soundness/test_idioms25.py."""

from __future__ import annotations

import numpy as np

from . import Case, refused_everywhere

X6 = np.array([0.5, -1.2, 0.8, 2.0, -0.3, 1.1])

CFG = {"hidden": "tanh", "out": "sin", "sizes": (3, 3)}


def configured_mlp(x):
    W = np.outer(x[:3], x[3:]) * 0.5
    h = getattr(np, CFG["hidden"])(W @ x[3:] + x[:3])
    return np.sum(getattr(np, CFG["out"])(h) ** 2)


def _decay(t, a=1.0, k=0.5, c=0.0):
    return a * np.exp(-k * t) + c


def curve_fit_residuals(x):
    t = np.linspace(0.0, 2.0, 5)
    y = np.array([1.1, 0.8, 0.5, 0.45, 0.3])
    full = np.sum((_decay(t, *x[:3]) - y) ** 2)
    two = np.sum((_decay(t, *x[3:5]) - y) ** 2)
    return full + two * x[5] ** 2


GRU_W = [np.array([0.4, -0.3, 0.2]), np.array([0.1, 0.5, -0.2]), np.array([0.3, 0.3, 0.3])]


class GRUCell:
    def __init__(self, Wz, Wh, b):
        self.Wz = Wz
        self.Wh = Wh
        self.b = b

    def __call__(self, h, u):
        z = 1.0 / (1.0 + np.exp(-(self.Wz * u + self.b)))
        return (1.0 - z) * h + z * np.tanh(self.Wh * u + h)


def gru_from_global_weights(x):
    cell = GRUCell(*GRU_W)
    h = np.zeros(3)
    for t in range(2):
        h = cell(h, x[3 * t : 3 * t + 3])
    return np.sum(h**2)


def history_through_names(x):
    hist = {"loss": [], "w": x[:3] * 1.0}
    losses = hist["loss"]
    w = hist["w"]
    for t in range(3):
        w[t] = w[t] - 0.1 * x[3 + t] * w[t]
        losses.append(np.sum(w**2) * x[5])
    return sum(hist["loss"]) + np.sum(hist["w"] * w) * len(hist["loss"])


class _Layer:
    def __init__(self, x):
        for k in ("W", "b"):
            setattr(self, k, x[:3] * 0.5 if k == "W" else x[3:])

    def decay(self, rate):
        for k in ("W", "b"):
            setattr(self, k, getattr(self, k) * (1.0 - rate))

    def __call__(self, u):
        return np.tanh(self.W * u + self.b)


def setattr_fields_layer(x):
    layer = _Layer(x)
    layer.decay(0.1 * x[0])
    return np.sum(layer(x[::2]) ** 2)


CASES = [
    Case(f, (X6.copy(),), (0,), extra="hvp")
    for f in (
        configured_mlp,
        curve_fit_residuals,
        gru_from_global_weights,
        history_through_names,
        setattr_fields_layer,
    )
]


def insert_then_nested_write(x):
    rows = [[x[0], x[1]], [x[2]]]
    rows.insert(0, [x[3], 1.0])
    rows[1][0] = x[4] * 3.0
    return rows[0][0] * rows[1][0] + rows[1][1] + rows[2][0] * x[5]


def _two_fresh(n):
    K = np.eye(2) * n
    f = np.ones(2) * n
    return K, f


def helper_tuple_both_written(x):
    K, f = _two_fresh(x[0])
    K[0, 0] += x[1]
    f[1] += x[2]
    return np.sum(K @ f) * x[3]


def rows_of_views_scaled(x):
    y = x * 1.0
    rows = [y[0:3], y[3:6]]
    for r in rows:
        r *= r.sum()
    return np.sum(y**2)


_ALIAS = (
    "the mutation check: {} (refused as an aliasing hazard; Python's result is well defined, "
    "idioms25 left it open)"
)
CASES += [
    Case(
        insert_then_nested_write,
        (X6.copy(),),
        (0,),
        xfail=refused_everywhere(
            _ALIAS.format("`l.insert(0, a)` lowered as slices concatenated may hold a row twice")
        ),
    ),
    Case(
        helper_tuple_both_written,
        (X6.copy(),),
        (0,),
        xfail=refused_everywhere(
            _ALIAS.format(
                "a helper's returned fresh arrays are one summary object, not one per "
                "tuple position"
            )
        ),
    ),
    Case(
        rows_of_views_scaled,
        (X6.copy(),),
        (0,),
        xfail=dict.fromkeys(  # (its IR verifies: the check refuses it)
            ("primal", "fwd", "rev"), _ALIAS.format("a list of views of `y` updated in place")
        ),
    ),
]
