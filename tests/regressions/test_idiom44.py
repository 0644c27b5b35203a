"""Idioms refused before session 44 (idiom44), checked by value: derivatives against central
differences (forward and reverse, to order 2) and the primal and the caller's objects against
Python's own run.

1. ``for k in params: params[k] -= lr * grads[k]`` on a dict (or list) argument of NumPy arrays
   (an SGD step inside the differentiated function): lower/argitems.py's items mode, the array
   items copied at entry and their final values written into the caller's arrays at the end.
"""

from __future__ import annotations

import copy
import itertools

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads

R = np.random.default_rng(4404)


def sgd_dict(params, x):
    lr = 0.1
    for _ in range(2):
        grads = {"w": params["w"] * x, "b": params["b"] ** 2}
        for k in params:
            params[k] -= lr * grads[k]
    return np.sum(params["w"] ** 2) + np.sum(params["b"])


def sgd_dict_plus(params, x):
    for k in params:
        params[k] += 0.1 * np.sin(params[k]) * x
    return sum(np.sum(v**2) for v in params.values())


def sgd_list(ps, x):
    for i in range(len(ps)):
        ps[i] -= 0.1 * ps[i] * x
    return np.sum(ps[0] ** 2) + np.sum(ps[1])


def sgd_list_items(ps, x):
    for p in ps:
        p -= 0.1 * p * x
    return np.sum(ps[0] ** 2) + np.sum(ps[1])


def sgd_dict_items(params, x):
    for _k, v in params.items():
        v -= 0.1 * v * x
    return np.sum(params["w"] ** 2) + np.sum(params["b"])


def sgd_zip(params, grads, lr):
    for p, g in zip(params, grads):
        p -= lr * g
    return sum(np.sum(p**2) for p in params)


def scale_shift(params, x):
    for k in params:
        params[k] *= x
        params[k] += 1.0
    return sum(np.sum(np.sin(v)) for v in params.values())


def mixed_items(params, x):
    """A number item (rebound by ``op=``) beside an array item (updated in place)."""
    for k in params:
        params[k] += x * 2.0
    return np.sum(params["w"]) * params["c"]


def maml_inner(params, x, y):
    """A MAML-style inner loop: two SGD steps on a linear model, then the loss."""
    for _ in range(2):
        err = x @ params["w"] + params["b"] - y
        grads = {"w": x.T @ err / len(y), "b": np.mean(err)}
        for k in params:
            params[k] -= 0.5 * grads[k]
    return np.mean((x @ params["w"] + params["b"] - y) ** 2)


def _sgd_step(params, grads, lr):
    for k in params:
        params[k] -= lr * grads[k]


def maml_helper(params, x, y):
    """The inner loop's update in a helper that updates the dict's items in place."""
    for _ in range(2):
        err = x @ params["w"] + params["b"] - y
        _sgd_step(params, {"w": x.T @ err / len(y), "b": np.mean(err)}, 0.5)
    return np.mean((x @ params["w"] + params["b"] - y) ** 2)


def _p():
    return {"w": R.standard_normal(3), "b": R.standard_normal(2)}


def _l():
    return [R.standard_normal(3), R.standard_normal(2)]


X = R.standard_normal((5, 3))
Y = R.standard_normal(5)

CASES = [
    (sgd_dict, (_p(), 0.7)),
    (sgd_dict_plus, (_p(), 0.7)),
    (sgd_list, (_l(), 0.7)),
    (sgd_list_items, (_l(), 0.7)),
    (sgd_dict_items, (_p(), 0.7)),
    (sgd_zip, (_l(), _l(), 0.1)),
    (scale_shift, (_p(), 0.7)),
    (mixed_items, ({"w": R.standard_normal(3), "c": 1.5}, 0.7)),
    (maml_inner, ({"w": R.standard_normal(3), "b": 0.3}, X, Y)),
    (maml_helper, ({"w": R.standard_normal(3), "b": np.array(0.3)}, X, Y)),
]


@pytest.mark.parametrize(("fn", "args"), CASES, ids=[c[0].__name__ for c in CASES])
def test_item_updates_by_value(fn, args):
    check_grads(fn, args, modes=("fwd", "rev"), order=2)


def _items(c):
    return list(c.items()) if isinstance(c, dict) else list(enumerate(c))


@pytest.mark.parametrize("how", ["grad", "value_and_grad", "jvp", "vjp", "hessian", "primal"])
@pytest.mark.parametrize(("fn", "args"), CASES, ids=[c[0].__name__ for c in CASES])
def test_item_updates_side_effects(fn, args, how):
    """The caller's container holds the same array objects, with Python's final values."""
    want_args = copy.deepcopy(args)
    want = fn(*want_args)
    got_args = copy.deepcopy(args)
    arrays = {k: v for k, v in _items(got_args[0]) if isinstance(v, np.ndarray)}
    if how == "grad":
        srcad.grad(fn)(*got_args)
    elif how == "value_and_grad":
        out, _ = srcad.value_and_grad(fn, argnums=(0, 1))(*got_args)
        assert np.allclose(out, want)
    elif how == "jvp":
        c = got_args[0]
        t0 = (
            {k: np.ones_like(v) for k, v in c.items()}
            if isinstance(c, dict)
            else [np.ones_like(v) for v in c]
        )
        tangents = (t0,) + (None,) * (len(got_args) - 1)
        out, _ = srcad.jvp(fn, got_args, tangents)
        assert np.allclose(out, want)
    elif how == "vjp":
        out, pullback = srcad.vjp(fn, *got_args)
        pullback(1.0)
        assert np.allclose(out, want)
    elif how == "hessian":
        srcad.hessian(fn, argnums=1)(*got_args)
    else:
        assert np.allclose(srcad.primal(fn)(*got_args), want)
    for (k, v), (k2, w) in zip(_items(got_args[0]), _items(want_args[0])):
        assert k == k2
        assert np.allclose(v, w), (k, v, w)
        if k in arrays:
            assert v is arrays[k]  # updated in place, as Python's `op=` does


def test_jacobian_columns_write_back_once():
    def vec(params, x):
        for k in params:
            params[k] -= 0.1 * params[k] * x
        return params["w"] * 2.0

    p = _p()
    want = copy.deepcopy(p)
    vec(want, 0.7)
    w = p["w"]
    srcad.jacrev(vec, argnums=1)(p, 0.7)
    assert p["w"] is w and np.allclose(p["w"], want["w"]) and np.allclose(p["b"], want["b"])
    q = copy.deepcopy(want)
    srcad.jacfwd(vec, argnums=1)(want, 0.7)
    vec(q, 0.7)
    assert np.allclose(want["w"], q["w"])


def test_float32_items_keep_their_dtype():
    ps = [R.standard_normal(3).astype(np.float32), R.standard_normal(2)]
    want = copy.deepcopy(ps)
    sgd_list(want, 0.7)
    srcad.grad(sgd_list, argnums=1)(ps, 0.7)
    assert ps[0].dtype == np.float32 and np.array_equal(ps[0], want[0])


# -- 2. `f(**params)` of a dict whose keys are known only at run time (lower/kwdicts.py) -------------


def _model(w, b, x, scale=2.0):
    return np.sum(np.tanh(w * x + b)) * scale


def call_kw(params, x):
    return _model(x=x, **params)


def _model_hp(x, **hp):
    return np.sum(x * hp["scale"] + hp.get("shift", 0.0))


def call_hp(x, hp):
    return _model_hp(x, **hp)


P2 = {"w": R.standard_normal(3), "b": R.standard_normal(3)}
X2 = R.standard_normal(3)
KW_CASES = [
    (call_kw, (P2, X2)),
    (call_kw, ({**P2, "scale": 0.5}, X2)),
    (call_hp, (X2, {"scale": 1.5})),
    (call_hp, (X2, {"scale": 1.5, "shift": 0.3})),
]


@pytest.mark.parametrize(("fn", "args"), KW_CASES, ids=["kw", "kw_default", "hp", "hp2"])
def test_double_star_of_runtime_dict(fn, args):
    check_grads(fn, args, modes=("fwd", "rev"), order=2)
    assert np.allclose(srcad.primal(fn)(*args), fn(*args))


@pytest.mark.parametrize(
    "params",
    [{"w": P2["w"]}, {**P2, "zz": 1.0}, {**P2, "x": X2}],
    ids=["missing", "unexpected", "twice"],
)
def test_double_star_binding_errors_as_python(params):
    with pytest.raises(TypeError):
        call_kw(params, X2)
    with pytest.raises(TypeError):
        srcad.grad(call_kw, argnums=1)(params, X2)


def test_double_star_key_of_a_named_parameter_refused():
    with pytest.raises(TypeError):
        call_hp(X2, {"scale": 1.0, "x": 2.0})
    with pytest.raises((TypeError, srcad.SrcadError)):
        srcad.grad(call_hp)(X2, {"scale": 1.0, "x": 2.0})


# -- 3. `getattr(self, "_step_" + method)(x)`, `method` known only at run time (methodpick) ------


class _Integ:
    def __init__(self, h):
        self.h = h

    def _step_euler(self, x):
        return x + self.h * np.sin(x)

    def _step_mid(self, x):
        return x + self.h * np.sin(x + 0.5 * self.h * np.sin(x))

    def run(self, x, method="mid"):
        return np.sum(getattr(self, "_step_" + method)(x))

    def run_plus(self, x, method):
        return getattr(self, "_step_" + method)(x)

    def run_loop(self, x, method="mid"):
        step = getattr(self, f"_step_{method}")
        for _ in range(3):
            x = step(x)
        return np.sum(x**2)


class _Sub(_Integ):
    def _step_mid(self, x):
        return x * 2.0

    def _step_new(self, x):
        return x * np.cos(x)


INTEG = _Integ(0.1)


def names_from_a_loop(x):
    """Moved from test_idiom43.py, where it was pinned as refused: checked by value."""
    ig = _Integ(0.1)
    acc = 0.0
    for w in ("euler", "mid"):
        acc = acc + np.sum(ig.run_plus(x, w))
    return acc


def global_instance(x, method):
    return getattr(INTEG, "_step_" + method)(x) @ x


X3 = np.array([0.3, -0.7, 1.2])


@pytest.mark.parametrize("method", ["euler", "mid", "new"])
@pytest.mark.parametrize("cls", [_Integ, _Sub])
@pytest.mark.parametrize("which", ["run", "run_loop"])
def test_method_chosen_by_a_string_argument(cls, method, which):
    f = getattr(cls(0.1), which)
    if method == "new":  # (a subclass's own method: no candidate of `_Integ.run`'s getattr)
        if cls is _Integ:
            with pytest.raises(AttributeError):
                f(X3, method)
        with pytest.raises(srcad.SrcadError, match="none of"):
            srcad.grad(f)(X3, method)
        return
    assert np.allclose(srcad.primal(f)(X3, method), f(X3, method))
    check_grads(f, (X3, method), modes=("fwd", "rev"), order=2, wrt=0)


def test_method_names_from_a_loop_and_a_global_instance():
    check_grads(names_from_a_loop, (X3,), modes=("fwd", "rev"), order=2)
    for m in ("euler", "mid"):
        check_grads(global_instance, (X3, m), modes=("fwd", "rev"), order=2, wrt=0)


# -- moved from tests/soundness/test_refuse18.py, where they were pinned as refused ----------------


def bump_first(p, v):
    p[0] += v
    return p[0] * p[1]


def bump_entry(d, v):
    d["b"] += v
    return d["a"] * d["b"]


@pytest.mark.parametrize(
    ("fn", "arg"),
    [
        (bump_first, [np.array([0.5]), np.array([2.0])]),
        (bump_entry, {"a": 2.0, "b": np.array([1.5])}),
    ],
    ids=["list", "dict"],
)
def test_item_of_an_array_updated_in_place(fn, arg):
    """A list/dict of arrays, ``p[0] += v``: the array item updated in place, as Python does."""
    check_grads(fn, (arg, 3.0), modes=("fwd", "rev"), order=2)
    want, got = copy.deepcopy(arg), copy.deepcopy(arg)
    out = fn(want, 3.0)
    items = dict(_items(got))
    y, dy = srcad.jvp(fn, (got, 3.0), (None, 1.0))
    assert np.allclose(y, out) and np.allclose(dy, 2.0)
    for (k, v), (_, w) in zip(_items(got), _items(want)):
        assert np.allclose(v, w)
        if isinstance(v, np.ndarray):
            assert v is items[k]


def _dense(w, b, x, act=np.tanh):
    return act(w * x + b)


def dense_kw(params, x):
    return np.sum(_dense(x=x, **params) ** 2)


def test_double_star_into_a_helper_with_a_function_default():
    """The helper's function default is kept (the call is inlined with it known); a key naming
    that parameter is refused at run time."""
    check_grads(dense_kw, ({"w": X2 * 0.3, "b": 0.1}, X2), modes=("fwd", "rev"), order=2)
    with pytest.raises(srcad.SrcadError, match="'act'"):
        srcad.grad(dense_kw, argnums=1)({"w": X2, "b": 0.1, "act": np.sin}, X2)


# -- 4. `for a, b in itertools.combinations(bodies, 2)` writing the items (lower/combos.py) ------


def pairs_comb(x):
    bodies = [[x[0], x[1], 1.0], [x[2], x[3], 2.0], [x[4], x[5], 0.5]]
    for a, b in itertools.combinations(bodies, 2):
        d = a[0] - b[0]
        a[0] -= 0.01 * d * b[2]
        b[0] += 0.01 * d * a[2]
    return sum(b[0] ** 2 + b[1] for b in bodies)


def pairs_perm_continue(x):
    bodies = [[x[0]], [x[1]], [x[2]]]
    acc = 0.0
    for a, b in itertools.permutations(bodies, 2):
        if a[0] > b[0]:
            continue
        a[0] += 0.1 * b[0]
        acc = acc + a[0] * b[0]
    return acc + sum(b[0] for b in bodies)


def pairs_named(x):
    bodies = [[x[0], 1.0], [x[1], 2.0], [x[2], 3.0]]
    for p in itertools.combinations(bodies, 2):
        p[0][0] += 0.1 * p[1][1] * p[1][0]
    return sum(b[0] ** 2 for b in bodies)


def pairs_of_argument(bodies, x):
    s = 0.0
    for a, b in itertools.combinations(bodies, 2):
        a[0] = a[0] + 0.0  # (a write: rewritten, the argument checked to be a list)
        s = s + (a[0] - b[0]) ** 2 * x
    return s


X6 = R.standard_normal(6)


@pytest.mark.parametrize("fn", [pairs_comb, pairs_perm_continue, pairs_named])
def test_pairs_updating_items(fn):
    assert np.isclose(srcad.primal(fn)(X6), fn(X6))
    check_grads(fn, (X6,), modes=("fwd", "rev"), order=2)


def test_pairs_of_an_argument_checked_at_run_time():
    with pytest.raises(srcad.SrcadError):  # (the caller's inner lists would change)
        srcad.grad(pairs_of_argument, argnums=1)([[0.1], [0.5], [0.2]], 0.7)
    from srcad.rules.pairchecks import pair_source

    assert pair_source([[1.0]]) is None and pair_source(([1.0],)) is None
    with pytest.raises(srcad.SrcadError, match="list or tuple"):
        pair_source({0: [0.1], 1: [0.5]})  # (a dict's pairs are of its keys)


# -- 6. `zip` of generators looping over their argument (lower/genzip.check_sequences) ----------


def _gen_sq(v):
    for e in v:
        yield e * e


def _gen_sin(v):
    for e in v:
        yield np.sin(e)


def zip_generators(x):
    s = 0.0
    for a, b in zip(_gen_sq(x), _gen_sin(x[1:])):
        s += a * b
    return s


def zip_generators_of_list(x):
    xs = [x[0], x[1], x[2]]
    return sum(a * b for a, b in zip(_gen_sq(xs), _gen_sin(xs)))


def zip_generators_of(x, v):
    s = 0.0
    for a, b in zip(_gen_sq(v), _gen_sin(x)):
        s += a * b
    return s


@pytest.mark.parametrize("fn", [zip_generators, zip_generators_of_list])
def test_zip_of_generators_over_their_argument(fn):
    assert np.isclose(srcad.primal(fn)(X6), fn(X6))
    check_grads(fn, (X6,), modes=("fwd", "rev"), order=2)


def test_zip_of_a_generator_over_an_iterator_refused():
    v = (t for t in [0.5, 1.0, 2.0])
    assert np.isfinite(zip_generators_of(X6, (t for t in [0.5, 1.0, 2.0])))
    with pytest.raises(srcad.SrcadError):
        srcad.grad(zip_generators_of)(X6, v)
    from srcad.rules.pairchecks import finite_sequence

    with pytest.raises(srcad.SrcadError, match="generator pulled by `zip`"):
        finite_sequence(iter([1.0]))
    assert np.isclose(srcad.grad(zip_generators_of)(X6, [0.5, 1.0])[0], np.cos(X6[0]) * 0.25)


# -- moved from tests/lower/test_idioms2.py, where it was pinned as refused -------------------------


def _opts():
    return {"scale": 2.0}


def _affine_kw(x, **kw):
    return x * kw.get("scale", 1.0)


def kwargs_not_literal(x):
    return _affine_kw(x, **_opts())


def test_double_star_of_a_dict_made_at_run_time():
    x = np.array([0.5, -1.0, 2.0, 0.3])
    assert np.allclose(srcad.primal(kwargs_not_literal)(x), kwargs_not_literal(x))
    check_grads(kwargs_not_literal, (x,), modes=("fwd", "rev"), order=2)
    assert np.allclose(srcad.jacfwd(kwargs_not_literal)(x), 2.0 * np.eye(4))


# -- moved from tests/regressions/test_lang42.py, where it was pinned as refused -------------------


def _squares(x):
    for v in x:
        yield v * v


def zip_unbounded(x):  # `for v in x` in a zipped generator: `x` checked to be a sequence
    return sum(a * b for a, b in zip(_squares(x), _squares(x[:2])))


def test_zip_of_generators_over_an_array_argument():
    x = np.array([1.0, 2.0, 3.0])
    assert np.isclose(srcad.primal(zip_unbounded)(x), zip_unbounded(x))
    check_grads(zip_unbounded, (x,), modes=("fwd", "rev"), order=2)
