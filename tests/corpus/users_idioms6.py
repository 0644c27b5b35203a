"""Python idioms users write that srcad used to refuse (session 6, `refuse`): ``zip`` over
``reversed(...)`` (lower/iterzip.py), ``str.format`` / f-strings of differentiated values in
forward mode (a zero rule), ``d.setdefault(k, []).append(v)`` (lower/idioms_more.py), and
``rows[i % 2].append(v)`` / ``d[name].append(v)`` with a computed key (the nested write-back of
passes/alias_nested.py). Each is checked forward, reverse and (``extra="hvp"``) at second order;
the neighbours that must stay refused are in tests/soundness/test_refuse6.py."""

from __future__ import annotations

import io

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
]
