"""What idioms25 accepts, checked numerically (gradient against central differences, the JVP/VJP
dot test, the Hessian against differences of the gradient), and the neighbours that must stay
refused (tests/corpus/users_idioms25.py holds the corpus cases):

- ``getattr(np, CFG["act"])(z)`` / ``getattr(np, ACT)(z)`` with a module-level configuration
  (lower/modattrs.py): the string is read now and recorded, so ``CFG["act"] = "sin"`` or a
  rebound ``CFG`` makes a new transform; a local or computed name stays refused;
- curve_fit style ``model(t, *params)`` filling defaulted parameters (lower/starcalls.py), and
  ``GRUCell(*GRU_W)`` of a module-level list (its length recorded: an append makes a new
  transform); a local list of run-time length, a default that is an array, defaults with
  ``*args`` stay refused;
- ``h = d["h"]; h.append(v); ... sum(d["h"])`` (lower/entrynames.py): `h` read as ``d["h"]``
  while both are the same object; a dict that escapes, an entry replaced, two entries holding
  one list: refused;
- ``for k in ("w", "b"): setattr(self, k, ...)`` in ``__init__`` or a method inlined
  (lower/attrloops.unrolled at the statement, objinit.parts, escapes.self_stores); a loop over
  run-time names (``kw.items()``) or with ``break`` stays refused.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import srcad
from tests.soundness.numeric import central_differences, check_scalar

X = np.array([0.3, 0.7, 0.2, 0.9])

CFG = {"act": "tanh", "net": {"out": "sin"}}
ACT = "cos"
ACTS = ("exp", "tanh")


def config_activation(x):
    z = x * 2.0
    return np.sum(getattr(np, CFG["act"])(z)) + np.sum(getattr(np, CFG["net"]["out"])(x))


def named_activation(x):
    return np.sum(getattr(np, ACT)(x) * getattr(np, ACTS[1])(x[::-1]))


@pytest.mark.parametrize("f", [config_activation, named_activation])
def test_module_attribute_by_configured_name(f):
    check_scalar(f, X)


def test_configured_name_changed_transforms_anew():
    g = srcad.grad(config_activation)
    np.testing.assert_allclose(g(X.copy()), 2 / np.cosh(2 * X) ** 2 + np.cos(X), rtol=1e-12)
    CFG["act"] = "sin"
    try:
        np.testing.assert_allclose(g(X.copy()), 2 * np.cos(2 * X) + np.cos(X), rtol=1e-12)
        _, t = srcad.jvp(config_activation, (X.copy(),), (np.ones(4),))
        np.testing.assert_allclose(t, np.sum(2 * np.cos(2 * X) + np.cos(X)), rtol=1e-12)
        CFG["act"] = "no_such_function"
        with pytest.raises(srcad.SrcadError, match="cannot tell which function"):
            g(X.copy())
    finally:
        CFG["act"] = "tanh"


def local_name_activation(x):
    act = "tanh"
    if x[0] > 10.0:
        act = "sin"
    return np.sum(getattr(np, act)(x))


def computed_name_activation(x):
    return np.sum(getattr(np, CFG["act"][:2] + "nh")(x))


def shadowed_config(x):
    CFG = {"act": "sin"}  # noqa: N806
    return np.sum(getattr(np, CFG["act"])(x))


@pytest.mark.parametrize("f", [local_name_activation, computed_name_activation, shadowed_config])
def test_run_time_attribute_names_still_refused(f):
    with pytest.raises(srcad.SrcadError, match="cannot tell which function"):
        srcad.grad(f)(X.copy())


def model(t, a=1.0, b=2.0):
    return a * np.sin(t) + b * t**2


def model_required(t, a, b=0.5, c=None):
    return a * np.exp(-b * t) + (0.0 if c is None else c)


def star_array_params(x):
    params = x[2:] * 1.5
    return np.sum(model(x[:2], *params))


def star_short_params(x):
    return np.sum(model(x[:2], *x[3:])) + np.sum(model(x[1:3], *x[:0]))


def star_tuple_params(x):
    p = (x[2], x[3])
    q = [x[0]]
    return np.sum(model(x[:2], *p)) * np.sum(model_required(x, *q)) + np.sum(
        model_required(x[1:], *x[2:])
    )


def star_keyword_default(x):
    return np.sum(model(x[:2], *x[2:3], b=x[3])) + np.sum(model(x[2:], *x[:0], b=x[0]))


@pytest.mark.parametrize(
    "f", [star_array_params, star_short_params, star_tuple_params, star_keyword_default]
)
def test_star_params_fill_defaulted_parameters(f):
    check_scalar(f, X)


def star_too_many(x):
    return np.sum(model(x[:1], *x[1:]))


def star_too_few(x):
    return np.sum(model_required(x[:1], *x[:0]))


@pytest.mark.parametrize("f", [star_too_many, star_too_few])
def test_star_params_wrong_count_is_python_type_error(f):
    with pytest.raises(TypeError):
        f(X.copy())
    with pytest.raises(TypeError):
        srcad.grad(f)(X.copy())


def model_array_default(t, a=1.0, b=np.zeros(2)):  # noqa: B008
    return a * t + b


def model_varargs(t, a=1.0, *rest):
    return a * t + sum(rest)


def star_array_default(x):
    return np.sum(model_array_default(x[:2], *x[2:3]))


def star_default_and_varargs(x):
    return np.sum(model_varargs(x[:2], *x[2:]))


@pytest.mark.parametrize("f", [star_array_default, star_default_and_varargs])
def test_star_params_other_defaults_still_refused(f):
    with pytest.raises(srcad.SrcadError, match=r"\*args"):
        srcad.grad(f)(X.copy())


GRU_W = [np.array([0.5, -0.2, 0.1, 0.3]), np.array([0.1, 0.2, -0.3, 0.4]), 0.7]
SIZES = [0.3, 0.4]


class GRUCell:
    def __init__(self, W, U, gain):
        self.W = W
        self.U = U
        self.gain = gain

    def __call__(self, h):
        z = 1.0 / (1.0 + np.exp(-(self.W * h)))
        return (1.0 - z) * h + z * np.tanh(self.U * h) * self.gain


def global_star_cell(x):
    cell = GRUCell(*GRU_W)
    h = x
    for _ in range(2):
        h = cell(h)
    return np.sum(h**2)


def global_star_library(x):
    return x[0] * math.hypot(*SIZES) + np.sum(x * x[1])


@pytest.mark.parametrize("f", [global_star_cell, global_star_library])
def test_global_sequence_star_argument(f):
    check_scalar(f, X)


def test_global_sequence_star_changed_transforms_anew():
    g = srcad.grad(global_star_library)
    g(X.copy())
    SIZES.append(1.2)
    GRU_W.append(1.0)
    try:
        np.testing.assert_allclose(
            g(X.copy()), central_differences(global_star_library, X), rtol=1e-6
        )
        with pytest.raises(TypeError):
            srcad.grad(global_star_cell)(X.copy())
    finally:
        SIZES.pop()
        GRU_W.pop()
    np.testing.assert_allclose(g(X.copy()), central_differences(global_star_library, X), rtol=1e-6)


def local_star_cell(x):
    ws = [x[:4] * 0.5, x[::-1] * 0.1]
    if x[0] > 10.0:
        ws.append(x)
    return np.sum(GRUCell(*ws, 0.5)(x))


def test_local_sequence_star_still_refused():
    with pytest.raises(srcad.SrcadError, match=r"\*args"):
        srcad.grad(local_star_cell)(X.copy())


def dict_entry_appended(x):
    d = {"h": [], "n": 0}
    h = d["h"]
    for i in range(3):
        h.append(x[i] ** 2)
    return sum(d["h"]) * x[3]


def dict_entry_array_written(x):
    hist = {"loss": [], "w": x * 1.0}
    w = hist["w"]
    w[0] = x[1] ** 2
    losses = hist["loss"]
    losses.append(np.sum(w))
    losses.append(np.sum(hist["w"] ** 2))
    return sum(hist["loss"]) + np.sum(hist["w"]) * w[1]


def list_entry_appended(x):
    rows = [[], [x[3]]]
    r0 = rows[0]
    r0.append(x[0])
    r0.append(x[1] * 2.0)
    return sum(rows[0]) * len(rows[0]) + rows[1][0] * r0[1]


@pytest.mark.parametrize("f", [dict_entry_appended, dict_entry_array_written, list_entry_appended])
def test_entry_updated_through_a_name(f):
    check_scalar(f, X)


def _extend(d, v):
    d["h"] = d["h"] + [v, v]


def entry_dict_escapes(x):
    d = {"h": [x[0]]}
    h = d["h"]
    h.append(x[1])
    _extend(d, x[2])
    return sum(d["h"]) + sum(h)


def entry_dict_aliased(x):
    d = {"h": [x[0]]}
    e = d
    h = d["h"]
    e["h"] = [x[3]]
    h.append(x[1])
    return sum(d["h"]) * 2.0 + sum(h)


def entry_replaced(x):
    d = {"h": [x[0]]}
    h = d["h"]
    d["h"] = [x[2]]
    h.append(x[1])
    return sum(d["h"]) + sum(h) * x[3]


def entry_rebound_in_branch(x):
    d = {"h": [x[0]]}
    h = d["h"]
    if x[0] > 0.0:
        h = [x[2]]
    h.append(x[1])
    return sum(d["h"]) + sum(h) * x[3]


def entries_share_a_list(x):
    shared = [x[0]]
    d = {"a": shared, "b": shared}
    h = d["a"]
    h.append(x[1] * 3.0)
    return sum(d["b"]) * x[2]


@pytest.mark.parametrize(
    "f",
    [
        entry_dict_escapes,
        entry_replaced,
        entry_rebound_in_branch,
        entries_share_a_list,
    ],
)
def test_entry_neighbours_refused(f):
    with pytest.raises(srcad.SrcadError, match="Python would see the change"):
        srcad.grad(f)(X.copy())


# -- forms of the brief that main already takes (pinned), and aliasing neighbours ------------------


def list_copy_element_rebound(x):
    lst = [x[0] * 1.0, x[1], x[2]]
    b = lst[:]
    b[0] += 1
    b[1] *= x[3]
    return lst[0] * b[0] + b[1] + lst[1]


def repeated_array_read(x):
    a = np.tanh(x[:2])
    rows = [a] * 3
    return rows[0][0] * rows[1][1] + np.sum(rows[2] * x[3])


def next_with_default(x):
    it = iter([x[0], x[1]])
    a = next(it, 0.0)
    b = next(it, x[2])
    c = next(it, x[3])
    return a * b + c


def nonlocal_accumulator(x):
    acc = 0.0

    def add(v):
        nonlocal acc
        acc += v

    for i in range(3):
        add(x[i] ** 2)
    return acc * x[3]


def _fresh(x):
    K = np.zeros((2, 2))
    n = x[0] * 1.0
    return K, n


def tuple_helper_written(x):
    K, n = _fresh(x)
    K[0, 0] += n
    return np.sum(K * x[1])


def raveled_new_array_written(x):
    A = np.outer(x[:2], x[2:])
    A.ravel()[0] = x[0] ** 2
    return np.sum(A**2)


@pytest.mark.parametrize(
    "f",
    [list_copy_element_rebound, repeated_array_read, next_with_default, nonlocal_accumulator,
     tuple_helper_written, raveled_new_array_written],
)  # fmt: skip
def test_brief_forms_taken(f):
    check_scalar(f, X)


def repeated_array_written(x):
    a = x[:2] * 2.0
    rows = [a] * 3
    rows[0][0] = x[3]  # all three rows are `a`
    return rows[1][0] * rows[2][1]


def repeated_array_updated(x):
    rows = [np.tanh(x[:2])] * 2
    rows[1] *= x[2]
    return np.sum(rows[0] ** 2)


def raveled_view_written(x):
    A = x.reshape(2, 2) * 1.0
    r = A.ravel()
    r[1] = x[3] ** 3
    return np.sum(A**2)


def raveled_transpose_written(x):
    A = (x.reshape(2, 2) * 1.0).T
    r = A.ravel()  # a copy: A not transposed in memory
    r[1] = x[3] ** 3
    return np.sum(A**2) + np.sum(r)


def _fresh_and_arg(x):
    return np.zeros((2, 2)), x


def tuple_helper_returns_argument(x):
    K, y = _fresh_and_arg(x)
    y[0] += x[1]  # writes into the caller's x
    return np.sum(K) + y[0] * x[2]


@pytest.mark.parametrize(
    "f",
    [repeated_array_written, repeated_array_updated, raveled_transpose_written,
     tuple_helper_returns_argument],
)  # fmt: skip
def test_aliasing_neighbours_refused(f):
    with pytest.raises(srcad.SrcadError, match="Python would see the change"):
        srcad.grad(f)(X.copy())


def test_raveled_view_written_through():
    # refused until refuse32a: the ravel of a C-contiguous array made by arithmetic is a view
    # (`A` asserted so when it runs), so the write is one into `A`, as NumPy's
    assert srcad.primal(raveled_view_written)(X.copy()) == raveled_view_written(X.copy())
    check_scalar(raveled_view_written, X)


class _Scaled:
    def __init__(self, x):
        for k in ("w", "b"):
            setattr(self, k, x[:2] * 2.0)
        self.c = x[3]

    def rescale(self, s):
        for k in ("w", "c"):
            setattr(self, k, getattr(self, k) * s)

    def total(self):
        return np.sum(self.w * self.b) * self.c


def setattr_loop_in_init(x):
    return _Scaled(x).total()


def setattr_loop_in_method(x):
    p = _Scaled(x)
    p.rescale(x[2])
    p.rescale(0.5)
    return p.total() + np.sum(p.w)


@pytest.mark.parametrize("f", [setattr_loop_in_init, setattr_loop_in_method])
def test_setattr_loop_in_methods(f):
    check_scalar(f, X)


class _Keywords:
    def __init__(self, x, **kw):
        self.x = x
        for k, v in kw.items():
            setattr(self, k, v)


def setattr_loop_of_keywords(x):
    d = _Keywords(x, w=x[0] * 2.0)
    return d.w * np.sum(d.x)


class _Breaks:
    def __init__(self, x):
        self.w = x[:2]
        self.b = x[2:]

    def scale_first(self, s):
        for k in ("w", "b"):
            setattr(self, k, getattr(self, k) * s)
            break


def setattr_loop_with_break(x):
    p = _Breaks(x)
    p.scale_first(x[3])
    return np.sum(p.w * p.b)


@pytest.mark.parametrize("f", [setattr_loop_of_keywords, setattr_loop_with_break])
def test_setattr_loops_of_run_time_names_refused(f):
    with pytest.raises(srcad.SrcadError):
        srcad.grad(f)(X.copy())
