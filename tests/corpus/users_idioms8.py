"""Python idioms users write that srcad used to refuse (session 8, `refuse8`): ``try``/``except``
around several statements and calls whose arguments are expressions (``y = math.sqrt(x[2])``,
``s += math.log(v)``, ``d["b"]`` with KeyError, ``xs[5]`` with IndexError, ``a / (b - c)`` with
ZeroDivisionError: lower/trys.py checks each step that may raise); imports inside the function
(``from functools import reduce``: lower/imports.py); advanced-index copies updated in place
(``t = x[[1, 0]]; t *= t``: passes/alias_index.py); slice writes into ``a.astype(float).ravel()``
in reverse mode (ad/seqs.py: no list); nested functions with ``*args``, keyword-only parameters
and ``**kwargs`` (lower/nestedargs.py); ``max(d, key=d.get)`` (lower/idioms.py) and
``acts.get(name, default)(x)`` (lower/fnitems.py). Each is checked forward,
reverse and (``extra="hvp"``) at second order; the neighbours that must stay refused are in
tests/soundness/test_refuse8.py."""

from __future__ import annotations

import math

import numpy as np

from . import Case


def try_sqrt_of_item(x):
    try:
        y = math.sqrt(x[2])
    except ValueError:
        y = 0.0
    return y * x[0]


def try_log_of_expression(x):
    out = 0.0
    for i in range(3):
        try:
            v = math.log(x[i] - 0.5)  # raises for x[i] <= 0.5: the handler runs
        except ValueError:
            v = -(x[i] ** 2)
        out = out + v * (i + 1)
    return out


def try_augmented_sum(x):
    s = 0.0
    for v in x:
        try:
            s += math.log(v)
        except ValueError:
            s += v * v
    return s


def try_key_error(x):
    d = {"a": x[0], "c": x[1]}
    try:
        b = d["b"] * 2.0
    except KeyError:
        b = d["a"] ** 2
    try:
        c = d["c"] * x[2]
    except KeyError:
        c = 0.0
    return b + c


def try_index_error(x):
    xs = [x[0], x[1] * x[2]]
    total = 0.0
    for k in range(4):
        try:
            total = total + xs[k] ** 2
        except IndexError:
            total = total * x[2]
    return total


def try_zero_division(a, b):
    try:
        r = a / (b - 1.0)
    except ZeroDivisionError:
        r = a * 3.0
    return r * a + b


def try_counting_into_dict(x):
    d = {}
    for i, key in enumerate(["u", "v", "u", "w", "u"]):
        try:
            d[key] += x[i % 3] * (i + 1)
        except KeyError:
            d[key] = x[i % 3] ** 2
    return d["u"] * d["v"] + d["w"]


def try_two_statements(x):
    try:
        A = np.outer(x, x) + np.eye(3)
        y = np.linalg.solve(A, x)
    except np.linalg.LinAlgError:
        y = x
    return np.sum(y**2)


def try_computed_argument(x):
    A = np.eye(3) * 2.0
    try:
        y = np.linalg.solve(A, x[[0, 2, 1]] * x[0])
    except (np.linalg.LinAlgError, IndexError):
        y = x
    return np.sum(y * x)


def _safe_acos(v):
    try:
        return math.acos(v / 2.0)
    except ValueError:
        return 0.0 * v


def try_in_helper(x):
    return _safe_acos(x[0]) + _safe_acos(x[1] * 4.0) * x[2]


def try_else_and_branch(x):
    if x[0] > 0:
        try:
            t = math.log(x[0] * x[1])
        except ValueError:
            t = x[1]
        else:
            t = t * x[2]
    else:
        t = x[2]
    return t * x[0]


def try_array_augmented(x):
    y = x.copy()
    try:
        y += np.log(x[0] * x)  # in place
    except FloatingPointError:
        y = y * 2.0
    return np.sum(y * x)


def try_several_handlers(x):
    vals = [x[0], x[1]]
    out = 0.0
    for k in range(3):
        try:
            out = out + math.sqrt(vals[k] ** 2 - 0.5)
        except ValueError:
            out = out - vals[k]
        except IndexError:
            out = out * x[2]
    return out


V3 = np.array([1.3, 0.7, 2.2])
V3N = np.array([0.3, -0.7, 1.2])
TABLE = [2.0, 3.0]

CASES = [
    Case(try_sqrt_of_item, (V3,), (0,), extra="hvp"),
    Case(try_sqrt_of_item, (V3N * np.array([1.0, 1.0, -1.0]),), (0,), name="try_sqrt_handler"),
    Case(try_log_of_expression, (V3,), (0,), extra="hvp"),
    Case(try_augmented_sum, (V3N,), (0,), extra="hvp"),
    Case(try_key_error, (V3,), (0,), extra="hvp"),
    Case(try_index_error, (V3,), (0,), extra="hvp"),
    Case(try_zero_division, (0.3, 0.5), (0, 1)),
    Case(try_counting_into_dict, (V3,), (0,), extra="hvp"),
    Case(try_two_statements, (V3N,), (0,), extra="hvp"),
    Case(try_computed_argument, (V3,), (0,), extra="hvp"),
    Case(try_in_helper, (V3N,), (0,), extra="hvp"),
    Case(try_else_and_branch, (V3,), (0,), extra="hvp"),
    Case(try_else_and_branch, (V3N,), (0,), name="try_else_other_branch"),
    Case(try_array_augmented, (V3,), (0,), extra="hvp"),
    Case(try_several_handlers, (V3,), (0,), extra="hvp"),
]


def local_import_reduce(x):
    import functools
    import operator

    return functools.reduce(operator.mul, x) + functools.reduce(lambda a, b: a + b * b, x, 0.0)


def local_from_imports(x):
    from functools import partial, reduce
    from math import pi, sqrt

    from scipy.special import expit

    scale = partial(np.multiply, pi)
    return reduce(lambda a, b: a + sqrt(b * b + 1.0), x, 0.0) * np.sum(scale(expit(x)))


def local_import_user_helpers(x):
    from tests.corpus.users_idioms8 import _safe_acos, try_sqrt_of_item

    def inner(v):
        import math as m

        return m.tanh(v) * m.e

    return _safe_acos(x[0]) + try_sqrt_of_item(x * x) + inner(x[1])


def fancy_copy_updated(x):
    t = x[[1, 0]]
    t *= t  # a copy: `x` is unchanged, as in Python
    u = x[np.array([2, 0, 1])]
    u += x
    return np.sum(t) * x[2] + np.sum(u * x)


def mask_copy_in_loop(x):
    y = x * 1.0
    s = 0.0
    for k in range(3):
        t = y[y > 0.1 * k]
        t *= x[k]
        t[0] = t[0] + 1.0  # a write into the copy only
        s = s + np.sum(t**2) + np.sum(y)
    return s


def _sorted_scaled(v, w):
    t = v[np.argsort(v)]
    t *= w
    return t


def argsort_copy_in_helper(x):
    t = _sorted_scaled(x, x[0])
    if x[1] > 0:
        r = x[np.flatnonzero(x > 0.0)]
        r -= 1.0
    else:
        r = x[[0, 1]]
        r /= 2.0
    return t[0] * t[2] + np.sum(r * r)


def fancy_rows_of_matrix(x):
    A = np.outer(x, x) + 1.0
    B = A[[2, 0]]
    B *= 2.0
    C = A[:, [1, 2]]
    C += A[:, :2]
    return np.sum(B * A[:2]) + np.sum(C**2)


def astype_ravel_slice_write(x):
    u = np.triu(np.outer(x, x)).astype(float)
    w = u.ravel()
    w[:] = w * 2.0  # an array (of a NumPy method): no list splice
    v = np.tril(np.outer(x, x)).copy().ravel()
    v[1:4] = v[1:4] * x[0]
    return np.sum(w**2) + np.sum(v * w)


def nested_varargs_and_keywords(x):
    def total(*vs):
        return sum(v * v for v in vs)

    def affine(a, b=2.0, *, c=1.0, **kw):
        return a * b + c + kw.get("d", 0.0) * len(kw)

    def first(a, /, *rest, scale=1.0):
        return (a + len(rest)) * scale

    s = total(x[0], x[1]) + total(x[2]) + total()
    for i in range(3):
        s = s + affine(x[i], c=x[(i + 1) % 3])
        if x[i] > 0.5:
            s = s + affine(x[i], x[0], d=x[1], e=2.0)
    return s + first(x[2], x[0], x[1], scale=x[1]) + total(*[x[0], x[2]])


def max_key_dict_get(x):
    d = {"a": x[0], "b": x[1], "c": x[2]}
    s = 0.0
    for _ in range(3):
        k = max(d, key=d.get)  # the bound method of `d` as it is now
        s = s + d[k] * 2.0
        d[k] = d[k] * 0.1
    ks = sorted(d, key=d.get)
    m = min(["a", "c"], key=d.__getitem__)
    return s + d[ks[0]] * d[ks[-1]] + d[m] * 3.0


def table_get_call(x):
    acts = {"tanh": np.tanh, "sin": np.sin, "sq": lambda v: v * v}
    s = 0.0
    for name in ["tanh", "sq", "nope"]:
        s = s + acts.get(name, np.cos)(x[0] * x[1])
    name = "tanh" if x[0] > 0 else "sin"
    return s + acts.get(name)(x[2]) + acts.get(name + "x", lambda v: 2.0 * v)(x[1])


CASES += [
    Case(local_import_reduce, (V3,), (0,), extra="hvp"),
    Case(local_from_imports, (V3N,), (0,), extra="hvp"),
    Case(local_import_user_helpers, (V3N,), (0,), extra="hvp"),
    Case(fancy_copy_updated, (V3,), (0,), extra="hvp"),
    Case(mask_copy_in_loop, (V3,), (0,), extra="hvp"),
    Case(argsort_copy_in_helper, (V3N,), (0,), extra="hvp"),
    Case(argsort_copy_in_helper, (V3,), (0,), name="argsort_copy_other_branch"),
    Case(fancy_rows_of_matrix, (V3,), (0,), extra="hvp"),
    Case(astype_ravel_slice_write, (V3,), (0,), extra="hvp"),
    Case(nested_varargs_and_keywords, (V3,), (0,), extra="hvp"),
    Case(max_key_dict_get, (V3,), (0,), extra="hvp"),
    Case(table_get_call, (V3,), (0,), extra="hvp"),
    Case(table_get_call, (V3N,), (0,), name="table_get_call_other_key"),
]
