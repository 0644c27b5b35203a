"""Python idioms users write that srcad used to refuse (session 6, `refuse`): ``zip`` over
``reversed(...)`` (lower/iterzip.py), ``str.format`` / f-strings of differentiated values in
forward mode (a zero rule), ``d.setdefault(k, []).append(v)`` (lower/idioms_more.py), and
``rows[i % 2].append(v)`` / ``d[name].append(v)`` with a computed key (the nested write-back of
passes/alias_nested.py); ``collections.defaultdict`` of differentiated values (its tangent is a
defaultdict of zeros); ``try: y = np.linalg.solve(A, b) except LinAlgError: ...`` (lower/trys.py:
the part that runs at the point); ``g = np.vectorize(h)`` called later; ``np.diag(v)`` of a 1-D
``v`` written in place (a new array, not a view); ``tot += v; out.append(tot)`` over ``for v in
x`` (``v`` is a number). Each is checked forward, reverse and (``extra="hvp"``) at second order;
the neighbours that must stay refused are in tests/soundness/test_refuse6.py."""

from __future__ import annotations

import collections
import copy
import functools
import io
import itertools

import numpy as np

from . import Case


def zip_reversed_list(x):
    p = x[:3]
    s = 0.0
    for a, b in zip(reversed(list(p)), x):
        s = s + a * b
    return s


def zip_reversed_comprehension(x):
    return sum([a * b**2 for a, b in zip(reversed(list(x)), x)])


def enumerate_zip_reversed(x):
    s = 0.0
    for k, (a, b) in enumerate(zip(reversed(x), x[::-1] * 2.0)):
        s = s + (k + 1) * a * b
    return s


_SINK = io.StringIO()


def format_logged(x):
    v = x @ x
    print("{:.3f}".format(v), f"loss={v:.3f} first={x[0]}", file=_SINK)  # noqa: UP032
    return v * x[1]


def format_in_loop(x):
    log = []
    s = 0.0
    for i in range(3):
        s = s + np.sin(x[i])
        log.append(f"step {i}: {s:.4f}")
    return s * len(log)


def setdefault_append(x):
    d = {}
    for i in range(3):
        d.setdefault(i % 2, []).append(x[i])
    return sum(d[0]) * sum(d[1])


def setdefault_extend_str_keys(x):
    d = {}
    for i in range(3):
        d.setdefault("k" + str(i % 2), []).extend([x[i], x[i] ** 2])
    return sum(d["k0"]) * sum(d["k1"])


def group_by_name(x):
    groups = {}
    for name, v in zip(["a", "b", "a"], x):
        groups.setdefault(name, []).append(v * v)
    return sum(np.sum(np.array(g)) for g in groups.values()) + groups["a"][0] * x[2]


def rows_computed_index(x):
    rows = [[] for _ in range(2)]
    for i in range(3):
        rows[i % 2].append(np.sin(x[i]))
    return sum(rows[0]) * sum(rows[1])


def dict_of_lists_concat(x):
    d = {}
    for i in range(3):
        k = i % 2
        if k not in d:
            d[k] = []
        d[k] = d[k] + [x[i]]  # the old entry is shorter than the new one (reverse: None)
    return sum(d[0]) * sum(d[1])


def defaultdict_float(x):
    d = collections.defaultdict(float)
    for i in range(3):
        d[i % 2] += x[i]
    return d[0] * d[1]


def defaultdict_list(x):
    d = collections.defaultdict(list)
    for i in range(3):
        d[i % 2].append(x[i] ** 2)
    return sum(d[0]) + sum(d[1]) * x[0]


def defaultdict_read_missing(x):
    d = collections.defaultdict(float)
    d["a"] = x[0] * 2.0
    return d["a"] * x[1] + d["b"] + len(d) * x[2]


_B = np.array([[2.0, 0.1, 0.0], [0.1, 3.0, 0.2], [0.0, 0.2, 4.0]])


def try_solve(x):
    A = _B + np.diag(x)
    try:
        y = np.linalg.solve(A, x)
    except np.linalg.LinAlgError:
        y = np.zeros(3)
    return np.sum(y**2)


def try_cholesky_else(x):
    A = np.outer(x, x) + np.eye(3) * 0.5
    try:
        L = np.linalg.cholesky(A)
    except (np.linalg.LinAlgError, ValueError):
        L = np.eye(3)
    else:
        L = L * 2.0
    return np.sum(L)


def try_handler_taken(x):
    A = np.outer(x, x) - np.eye(3) * 0.5  # not positive definite: the handler runs
    try:
        L = np.linalg.cholesky(A)
    except np.linalg.LinAlgError:
        return np.sum(x**3)
    return np.sum(L)


def try_in_loop(x):
    s = 0.0
    for k in range(3):
        A = _B * (k + 1.0) + np.outer(x, x) * (1.0 - 4.0 * k)  # k = 2: not positive definite
        try:
            L = np.linalg.cholesky(A)
        except np.linalg.LinAlgError:
            L = A * 0.1
        s = s + np.sum(L)
    return s


def vectorize_stored(x):
    g = np.vectorize(lambda t: t * t if t > 0 else -t)
    return np.sum(g(x)) + np.sum(g(x * 2.0))


def vectorize_nested_otypes(x):
    def h(t, s):
        return t * s if t > s else t - s

    g = np.vectorize(h, otypes=[float])
    s = 0.0
    for i in range(2):
        s = s + np.sum(g(x, 0.5 * i) * x)
    return s


def diag_written(x):
    D = np.diag(x)  # a new 2-D array (np.diag of a 2-D one is a view)
    D[0, 1] = 0.5
    return np.sum(D @ x) + x[0]


def running_total(x):
    tot = 0.0
    out = []
    for v in x:
        tot += v  # a number: rebinds
        out.append(tot)
    return sum(out) * x[0]


def running_total_helper(x):
    tot = 0.0

    def acc(v):
        nonlocal tot
        tot += v
        return tot

    return sum([acc(v) for v in x])


def sorted_of_zip(x):
    pairs = sorted(zip([3, 1, 2], x))  # an iterator a consumer takes at once: its list
    return pairs[0][1] * 2 + pairs[2][1]


def dict_of_zip(x):
    d = dict(zip(["a", "b", "c"], x))
    return d["a"] * d["c"] + d["b"]


def sum_of_reversed(x):
    return sum(reversed(list(x * x))) + max(enumerate(x), key=lambda t: t[1])[1]


def errstate_ignored(x):
    with np.errstate(divide="ignore", invalid="ignore"):
        r = np.where(x > 0, np.log(np.abs(x)), 0.0)
    return np.sum(r * x)


def deepcopy_then_update(x):
    p = {"a": x.copy(), "b": [x[0], x[1]]}
    q = copy.deepcopy(p)
    q["a"] *= 2.0  # q shares nothing with p
    return np.sum(q["a"]) + q["b"][0] * p["b"][1]


def chain_loop(x):
    s = 0.0
    for v in itertools.chain(x[:2], [x[2] * 2.0]):
        s += v**2
    return s


def chain_islice_consumed(x):
    return sum(itertools.chain(x, [x[0] * x[1]])) * sum(itertools.islice(x, 1, None))


def fromiter_generator(x):
    y = np.fromiter((v * v for v in x), dtype=float)
    return y @ x


def zip_strict(x):
    return sum(a * b for a, b in zip(x, x[::-1] * 0.5, strict=True))


def ordered_dict_values(x):
    d = collections.OrderedDict()
    d["a"] = x[0]
    d["b"] = x[1] * 2
    return sum(d.values()) * x[2]


_XD = np.array([[1.0, 0.5, -0.2], [0.3, 1.0, 0.8], [0.1, -0.4, 1.0], [1.0, 1.0, 1.0]])
_YD = np.array([1.0, 0.0, 0.5, 2.0])


def _mse(w, X, y):
    return np.mean((X @ w - y) ** 2)


def partial_of_module_function(x):
    loss = functools.partial(_mse, X=_XD, y=_YD)
    return loss(x) + loss(x * 0.5, y=_YD * 2.0)  # the call's keyword wins


def partial_of_nested(x):
    def scale(v, k, shift=0.0):
        return v * k + shift

    twice = functools.partial(scale, k=2.0)
    return np.sum(twice(x) ** 2) + functools.partial(scale, x[0])(x[1], shift=x[2])


def tuple_keys_items(x):
    d = {(0, 1): x[0], (1, 2): x[1]}
    return sum(v * (a + b) for (a, b), v in d.items())


def set_membership_and_loop(x, mode="relu"):
    s = 0.0
    for i in {2, 0, 1}:  # ints: Python's set order, the same in every process
        s = s * 0.5 + x[i]
    if mode in {"relu", "gelu"}:
        s = s + np.sum(np.maximum(x, 0.0))
    return s + sum(x[k] for k in sorted({2, 0}) if k not in {1})


def list_slice_copy(x):
    a = [x[0], x[1], x[2]]
    b = a[:]  # a new list: appending to it leaves `a` as it is
    b.append(x[0])
    c = a[1:]
    a[1] = 5.0
    return sum(a) * len(b) + sum(c) * a[1]


def try_in_nested_helper(x):
    def safe_solve(A, b):
        try:
            y = np.linalg.solve(A, b)
        except np.linalg.LinAlgError:
            y = b * 0.0
        return y

    s = 0.0
    k = 0
    while k < 3:
        A = (np.eye(3) + np.diag(x)) * (k - 1.0)  # k = 1: singular, the handler runs
        s = s + np.sum(safe_solve(A, x))
        k += 1
    return s


V3 = np.array([0.3, -0.7, 1.2])

CASES = [
    Case(zip_reversed_list, (V3,), (0,), extra="hvp"),
    Case(zip_reversed_comprehension, (V3,), (0,), extra="hvp"),
    Case(enumerate_zip_reversed, (V3,), (0,), extra="hvp"),
    Case(format_logged, (V3,), (0,), extra="hvp"),
    Case(format_in_loop, (V3,), (0,), extra="hvp"),
    Case(setdefault_append, (V3,), (0,), extra="hvp"),
    Case(setdefault_extend_str_keys, (V3,), (0,), extra="hvp"),
    Case(group_by_name, (V3,), (0,), extra="hvp"),
    Case(rows_computed_index, (V3,), (0,), extra="hvp"),
    Case(dict_of_lists_concat, (V3,), (0,), extra="hvp"),
    Case(defaultdict_float, (V3,), (0,), extra="hvp"),
    Case(defaultdict_list, (V3,), (0,), extra="hvp"),
    Case(defaultdict_read_missing, (V3,), (0,), extra="hvp"),
    Case(try_solve, (V3,), (0,), extra="hvp"),
    Case(try_cholesky_else, (V3,), (0,), extra="hvp"),
    Case(try_handler_taken, (V3,), (0,), extra="hvp"),
    Case(try_in_loop, (V3,), (0,), extra="hvp"),
    Case(try_in_nested_helper, (V3,), (0,), extra="hvp"),
    Case(vectorize_stored, (V3,), (0,), extra="hvp"),
    Case(vectorize_nested_otypes, (V3,), (0,), extra="hvp"),
    Case(diag_written, (V3,), (0,), extra="hvp"),
    Case(running_total, (V3,), (0,), extra="hvp"),
    Case(running_total_helper, (V3,), (0,), extra="hvp"),
    Case(sorted_of_zip, (V3,), (0,), extra="hvp"),
    Case(dict_of_zip, (V3,), (0,), extra="hvp"),
    Case(sum_of_reversed, (V3,), (0,), extra="hvp"),
    Case(errstate_ignored, (V3,), (0,), extra="hvp"),
    Case(deepcopy_then_update, (V3,), (0,), extra="hvp"),
    Case(chain_loop, (V3,), (0,), extra="hvp"),
    Case(chain_islice_consumed, (V3,), (0,), extra="hvp"),
    Case(fromiter_generator, (V3,), (0,), extra="hvp"),
    Case(zip_strict, (V3,), (0,), extra="hvp"),
    Case(ordered_dict_values, (V3,), (0,), extra="hvp"),
    Case(partial_of_module_function, (V3,), (0,), extra="hvp"),
    Case(partial_of_nested, (V3,), (0,), extra="hvp"),
    Case(tuple_keys_items, (V3,), (0,), extra="hvp"),
    Case(set_membership_and_loop, (V3,), (0,), extra="hvp"),
    Case(list_slice_copy, (V3,), (0,), extra="hvp"),
]
