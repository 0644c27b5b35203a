"""Ported cases (session 28, hunt28b), written anew after control flow and Python idioms in numeric
code: ``try``/``except ZeroDivisionError``/``else``/``finally`` around a division of Python floats,
``math.log`` falling back on ``ValueError``, an early ``return`` in a loop nested in a branch,
``while``/``else`` and ``for``/``else`` (both exits), recursion over nested dicts, lists and tuples,
generators yielding pairs, a string-keyed layer config (``if layer["act"] == "tanh"``),
``math.fsum``/``hypot``/``prod``/``copysign``/``fmod``, ``divmod``, ``round``, ``abs``, ``pow`` in
three forms (``a.__pow__``: refused), ``np.array`` of a list of floats, ``list(arr)`` and
``arr.tolist()`` summed, int/float/bool coercions, module-level tables, ``*args``/``**kwargs``
helpers, keyword-only defaults, a ``nonlocal`` accumulator, dict/set comprehensions,
``sorted``/``min``/``max`` with ``key=lambda``, ``zip(*rows)``, ``enumerate(start=1)``, dict and
tuple arguments (differentiated together), a recursion halving a list, rows of a list updated in
place, arrays aliased through a list (refused).

Small user functions -> `CASES` (tests/corpus/ported.py collects them); scalar ones are checked
at second order (``extra="hvp"``) too."""

from __future__ import annotations

import math

import numpy as np

from . import Case, refused_everywhere, refused_when_differentiated

X3 = np.array([0.3, -0.5, 0.8])
TABLE = {"a": 1.5, "b": -0.25, "c": 2.0}
COEFS = [0.5, -1.0, 0.25, 0.125]
SCALE = 3.0
CFG = {
    "layers": [
        {"act": "tanh", "scale": 2.0},
        {"act": "relu", "scale": 0.5},
        {"act": "id", "scale": 3.0},
    ]
}


def safe_ratio(x):
    tot = 0.0
    for i in range(len(x)):
        try:
            r = float(x[i]) / (i - 1)
        except ZeroDivisionError:
            r = x[i] * 10.0
        else:
            r = r * 2.0
        finally:
            tot += 0.01 * x[i]
        tot += r * r
    return tot


def try_math_domain(x):
    out = 0.0
    for v in x:
        try:
            out += math.log(v)
        except ValueError:
            out += v * v
    return out


def early_return_nested(x):
    acc = 0.0
    for v in x:
        if v > 0:
            for j in range(3):
                acc += v * j
                if acc > 1.0:
                    return acc * v
        else:
            acc -= v
    return acc


def while_else(x):
    v = x[0]
    k = 0
    while k < 5:
        v = v * 0.9 + x[1]
        if v > 10.0:
            break
        k += 1
    else:
        v = v + x[2]
    return v * v


def for_else_search(x):
    for i, v in enumerate(x):
        if v < -1.0:
            found = v * i
            break
    else:
        found = sum(x) * 0.5
    return found**2


def _tree_sum(node, depth=0):
    if isinstance(node, dict):
        return sum(_tree_sum(v, depth + 1) for v in node.values())
    if isinstance(node, (list, tuple)):
        return sum(_tree_sum(v, depth + 1) * 0.5 for v in node)
    return node * (depth + 1)


def nested_tree(x):
    t = {"l": [x[0], (x[1], x[2])], "r": {"a": x[0] * x[1], "b": [x[2] ** 2]}}
    return _tree_sum(t)


def gen_pairs(x):
    def pairs(v):
        for i in range(len(v) - 1):
            yield v[i], v[i + 1]

    return sum(a * b for a, b in pairs(x))


def cfg_driven(x, cfg):
    h = x
    for layer in cfg["layers"]:
        if layer["act"] == "tanh":
            h = np.tanh(h * layer["scale"])
        elif layer["act"] == "relu":
            h = np.maximum(h, 0.0) * layer["scale"]
        else:
            h = h * layer["scale"]
    loss = cfg.get("loss", "mse")
    if loss == "mse":
        return float(np.mean(h**2))
    return float(np.sum(np.abs(h)))


def math_floats(x):
    a, b, c = float(x[0]), float(x[1]), float(x[2])
    s = math.fsum([a * a, b * c, c])
    h = math.hypot(a, b, c)
    p = math.prod([a, b, c, 2.0])
    cs = math.copysign(a * 2, b)
    fm = math.fmod(c * 7.0, 1.3)
    return s + h + p + cs + fm


def divmod_round(x):
    q, r = divmod(x[0] * 10.0, 3.0)
    rr = round(x[1] * 100.0) / 100.0
    return q * x[2] + r**2 + rr + abs(x[1]) + pow(x[2], 2) + pow(2.0, x[0]) + x[2] ** -1.5


def pow_forms(x):
    a = float(x[0])
    return pow(a, 3) + a.__pow__(2) + math.pow(abs(x[1]), 1.5) + x[2] ** 2.5 + 2 ** x[2]


def list_np_mix(x):
    lst = [float(v) for v in x]
    arr = np.array(lst) * 2.0
    back = list(arr)
    tl = arr.tolist()
    return sum(back) * sum(tl) + float(np.dot(arr, lst))


def coercions(x):
    n = int(3.7)
    flag = bool(x[0] > 0)
    f = float(x[1])
    total = f * n + flag * x[2] + int(flag) * 2.0
    return total + float(True) * x[0]


def globals_tables(x):
    s = 0.0
    for i, c in enumerate(COEFS):
        s += c * x[0] ** i
    return s * SCALE + TABLE["a"] * x[1] + sum(TABLE.values()) * x[2]


def _helper(*args, scale=1.0, **kw):
    s = sum(a * a for a in args) * scale
    for k, v in sorted(kw.items()):
        s += v * len(k)
    return s


def star_kwargs(x):
    return _helper(x[0], x[1], scale=2.0, alpha=x[2], be=x[0] * x[1]) + _helper(*x)


def _kwonly(a, b=2.0, *, c=0.5, d=None):
    out = a * b + c
    if d is not None:
        out = out * d
    return out


def kw_defaults(x):
    return _kwonly(x[0]) + _kwonly(x[1], c=x[2]) + _kwonly(x[0], x[1], d=x[2], c=1.0)


def nonlocal_acc(x):
    total = 0.0
    count = 0

    def add(v, w=1.0):
        nonlocal total, count
        total += w * v
        count += 1

    for i, v in enumerate(x):
        add(v * v, w=float(i + 1))
        if v < 0:
            add(v)
    return total / count


def comprehensions(x):
    d = {f"k{i}": v * v for i, v in enumerate(x)}
    s = {round(v, 3) for v in [0.1, 0.2, 0.1]}
    nested = [[a * b for b in x] for a in x]
    return sum(d.values()) + len(s) * x[0] + sum(sum(r) for r in nested)


def sort_key(x):
    pts = [(x[0], 1.0), (x[1], -2.0), (x[2], 0.5)]
    srt = sorted(pts, key=lambda p: p[1])
    best = max(pts, key=lambda p: p[0] * p[1])
    worst = min(x, key=lambda v: abs(v - 0.1))
    return srt[0][0] * 2 + best[0] + worst**2


def zip_transpose(x):
    rows = [[x[0], x[1]], [x[2], x[0] * 2], [1.0, x[1] ** 2]]
    cols = list(zip(*rows))
    return sum(c[0] * c[-1] for c in cols) + sum(cols[1])


def enumerate_start(x):
    return sum(i * v for i, v in enumerate(x, start=1)) + sum(v / i for i, v in enumerate(x, 1))


def dict_params(p, x):
    h = np.tanh(x * p["w"] + p["b"])
    return float(np.sum(h**2)) + p["reg"] * float(np.sum(p["w"] ** 2))


def tuple_floats(a, b, c=2.0):
    return a**c + math.exp(b) * a


def recursion_halves(x):
    def rec(vals, depth):
        if len(vals) == 1:
            return vals[0]
        mid = len(vals) // 2
        return rec(vals[:mid], depth + 1) * rec(vals[mid:], depth + 1) + depth

    return rec(list(x), 0)


def bool_arith(x):
    pos = [v > 0 for v in x]
    n_pos = sum(pos)
    w = [float(p) * 2.0 - 1.0 for p in pos]
    return sum(wi * v for wi, v in zip(w, x)) * n_pos + any(pos) * x[0] + all(pos) * x[1]


def str_keys(x):
    d = dict(zip(["alpha", "beta", "gamma"], x))
    out = 0.0
    for k in sorted(d, key=len):
        out = out * 0.5 + d[k] * len(k)
    return out + d.get("delta", 1.0) * d["beta"]


def max_index(x):
    vals = [float(v) for v in np.sin(x)]
    m = max(vals)
    i = vals.index(m)
    return m * (i + 1) + min(vals) ** 2


def list_rows_update(x):
    rows = [x[:2].copy(), x[1:].copy()]
    for r in rows:
        r *= 2.0
        r[0] += r[1] ** 2
    return float(sum(np.sum(r) for r in rows))


def view_in_list(x):
    a = x.copy()
    parts = [a[:2], a[1:]]
    parts[0][1] = parts[0][1] * 3.0
    return float(np.sum(parts[1] ** 2) + np.sum(a))


_ALIAS = "an array held twice in a list and written through one entry: refused as an alias"

CASES = [
    Case(safe_ratio, (X3,), (0,), extra="hvp"),
    Case(try_math_domain, (X3,), (0,), extra="hvp"),
    Case(early_return_nested, (X3,), (0,), extra="hvp"),
    Case(early_return_nested, (np.array([0.3, 0.5, 0.8]),), (0,), name="hunt28b3.early_ret2"),
    Case(while_else, (X3,), (0,), extra="hvp"),
    Case(while_else, (np.array([3.0, 2.0, 0.1]),), (0,), name="hunt28b3.while_else_break"),
    Case(for_else_search, (X3,), (0,), extra="hvp"),
    Case(for_else_search, (np.array([0.3, -1.5, 0.8]),), (0,), name="hunt28b3.for_else_found"),
    Case(nested_tree, (X3,), (0,), extra="hvp"),
    Case(gen_pairs, (np.array([0.3, -0.5, 0.8, 1.2]),), (0,), extra="hvp"),
    Case(cfg_driven, (X3, CFG), (0,), extra="hvp"),
    Case(math_floats, (X3,), (0,), extra="hvp"),
    Case(divmod_round, (np.array([0.37, -0.52, 0.81]),), (0,), extra="hvp"),
    Case(
        pow_forms,
        (X3,),
        (0,),
        xfail=refused_when_differentiated("no derivative rule for `float.__pow__` called by name"),
    ),
    Case(list_np_mix, (X3,), (0,), extra="hvp"),
    Case(coercions, (X3,), (0,), extra="hvp"),
    Case(globals_tables, (X3,), (0,), extra="hvp"),
    Case(star_kwargs, (X3,), (0,), extra="hvp"),
    Case(kw_defaults, (X3,), (0,), extra="hvp"),
    Case(nonlocal_acc, (X3,), (0,), extra="hvp"),
    Case(comprehensions, (X3,), (0,), extra="hvp"),
    Case(sort_key, (X3,), (0,), extra="hvp"),
    Case(zip_transpose, (X3,), (0,), extra="hvp"),
    Case(enumerate_start, (X3,), (0,), extra="hvp"),
    Case(dict_params, ({"w": np.array([0.3, -0.2]), "b": 0.1, "reg": 0.01}, X3[:2]), (0, 1)),
    Case(tuple_floats, (0.7, 0.2), (0, 1), extra="hvp"),
    Case(recursion_halves, (np.array([0.3, -0.5, 0.8, 1.1]),), (0,), extra="hvp"),
    Case(bool_arith, (X3,), (0,), extra="hvp"),
    Case(str_keys, (X3,), (0,), extra="hvp"),
    Case(max_index, (X3,), (0,), extra="hvp"),
    Case(list_rows_update, (X3,), (0,), extra="hvp"),
    Case(view_in_list, (X3,), (0,), xfail=refused_everywhere(_ALIAS)),
]
