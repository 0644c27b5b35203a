"""Random programs over lists built in the function, shared by names, tuples, lists, dicts and
helpers and written in place through any of them (lower/listobjs.py): srcad's value, gradient and
Hessian-vector products agree with Python and central differences, or srcad refuses; never a
wrong value. A seeded generator (statements: item writes ``=``/``op=`` at constant, negative and
run-time positions, reads, ``range`` and ``while`` loops, loops over containers, branches, helpers
writing their arguments, copies, aliases chosen by a branch, appends)."""

from __future__ import annotations

import importlib.util
import random

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads

HEAD = """
import numpy as np

def _bump(v, c):
    v[0] = v[0] * c + 0.1 * v[-1]

def _swap_add(a, b):
    a[0] += 0.3 * b[-1]
    b[-1] -= 0.2 * a[0]
    return a[0] * b[0]

def _pair(a, b):
    return [a, b]

def _mk(x, k):
    r = [x[k], 0.5 * x[k + 1]]
    return r
"""


def gen(rng):
    lines = ["def f(x):"]
    lists = {}
    n = rng.randint(2, 4)
    for i in range(n):
        m = rng.randint(2, 3)
        items = [
            rng.choice(
                [
                    f"x[{rng.randint(0, 3)}]",
                    f"{rng.uniform(-1, 1):.2f}",
                    f"x[{rng.randint(0, 3)}] * {rng.uniform(0.5, 1.5):.2f}",
                ]
            )
            for _ in range(m)
        ]
        if rng.random() < 0.2:
            lines.append(f"    L{i} = _mk(x, {rng.randint(0, 2)})")
            m = 2
        else:
            lines.append(f"    L{i} = [{', '.join(items)}]")
        lists[f"L{i}"] = m
    names = dict(lists)  # name -> length
    conts = {}
    for j in range(rng.randint(1, 3)):
        ks = [rng.choice(list(lists)) for _ in range(rng.randint(2, 3))]
        kind = rng.choice(["(", "["])
        close = ")" if kind == "(" else "]"
        lines.append(
            f"    C{j} = {kind}{', '.join(ks)}{',' if kind == '(' and len(ks) == 1 else ''}{close}"
        )
        conts[f"C{j}"] = ks
    extra = {}
    if rng.random() < 0.5:
        a_, b_ = rng.sample(list(lists), 2)
        lines.append(f"    H = _pair({a_}, {b_})")
        extra["H[0]"] = lists[a_]
        extra["H[1]"] = lists[b_]
    if rng.random() < 0.5:
        a_, b_ = rng.sample(list(lists), 2)
        lines.append(f"    DD = {{'a': {a_}, 'b': ({b_}, 1.5)}}")
        extra["DD['a']"] = lists[a_]
        extra["DD['b'][0]"] = lists[b_]
    if conts and rng.random() < 0.5:
        c_ = rng.choice(list(conts))
        l_ = rng.choice(list(lists))
        lines.append(f"    NN = [{c_}, {l_}]")
        for k_, nm_ in enumerate(conts[c_]):
            extra[f"NN[0][{k_}]"] = lists[nm_]
        extra["NN[1]"] = lists[l_]
    for a in range(rng.randint(0, 2)):
        src = rng.choice(list(lists))
        lines.append(f"    A{a} = {src}")
        names[f"A{a}"] = lists[src]
    lines.append("    acc = 0.0")

    def path():
        if extra and rng.random() < 0.3:
            k_ = rng.choice(list(extra))
            return k_, extra[k_]
        if conts and rng.random() < 0.5:
            c = rng.choice(list(conts))
            k = rng.randrange(len(conts[c]))
            return f"{c}[{k}]", lists[conts[c][k]]
        nm = rng.choice(list(names))
        return nm, names[nm]

    def stmt(ind, depth):
        r = rng.random()
        p, m = path()
        idx = rng.randrange(-m, m)
        q, mq = path()
        qi = rng.randrange(mq)
        if r < 0.3:
            op = rng.choice(["+=", "-=", "*=", "="])
            e = (
                f"{q}[{qi}] * {rng.uniform(-0.5, 0.5):.2f} + {rng.uniform(0.5, 1.2):.2f}"
                if op != "*="
                else f"(1.0 + 0.1 * {q}[{qi}])"
            )
            return [f"{ind}{p}[{idx}] {op} {e}"]
        if r < 0.45:
            return [f"{ind}acc += {p}[{idx}] * {q}[{qi}]"]
        if r < 0.55 and depth < 2:
            body = stmt(ind + "    ", depth + 1) + stmt(ind + "    ", depth + 1)
            return [f"{ind}for _k{depth} in range({rng.randint(1, 3)}):"] + body
        if r < 0.63 and conts and depth < 2:
            c = rng.choice(list(conts))
            m2 = min(lists[k] for k in conts[c])
            return [
                f"{ind}for p{depth} in {c}:",
                f"{ind}    p{depth}[{rng.randrange(m2)}] += 0.1 * p{depth}[-1]",
                f"{ind}    acc += p{depth}[0]",
            ]
        if r < 0.7 and depth < 2:
            return (
                [f"{ind}if x[{rng.randint(0, 3)}] > 0.0:"]
                + stmt(ind + "    ", depth + 1)
                + [f"{ind}else:"]
                + stmt(ind + "    ", depth + 1)
            )
        if r < 0.77:
            return [f"{ind}_bump({p}, {rng.uniform(0.5, 1.5):.2f})"]
        if r < 0.84:
            return [f"{ind}acc += _swap_add({p}, {q})"]
        if r < 0.9:
            nm = f"D{rng.randint(0, 99)}"
            names[nm] = m
            lines_extra = [
                f"{ind}{nm} = {rng.choice(['list(' + p + ')', p + '[:]', p + '.copy()'])}"
            ]
            return lines_extra if depth == 0 else [f"{ind}acc += {p}[0]"]
        if r < 0.93:
            k = rng.randint(0, 3)
            return [
                f"{ind}i = int(x[{k}] > 0.0)",
                f"{ind}{p}[i - 1] += 0.2 * {q}[i]" if m >= 2 and mq >= 2 else f"{ind}acc += {p}[0]",
            ]
        if r < 0.95 and depth < 2:
            return [
                f"{ind}n = 0",
                f"{ind}while {p}[0] < 2.0 and n < 4:",
                f"{ind}    {p}[0] += 0.3 + 0.1 * {q}[0] ** 2",
                f"{ind}    n += 1",
                f"{ind}acc += n",
            ]
        if r < 0.97 and depth == 0:
            nm = f"B{rng.randint(0, 99)}"
            names[nm] = min(m, mq)
            return [f"{ind}{nm} = {p} if x[{rng.randint(0, 3)}] > 0.0 else {q}"]
        if r < 0.985 and depth == 0:
            nm = f"E{rng.randint(0, 99)}"
            return [f"{ind}{nm} = []", f"{ind}{nm}.append({p})", f"{ind}{nm}[0][0] -= 0.5 * {q}[0]"]
        return [f"{ind}acc += sum({p}) * 0.1"]

    for _ in range(rng.randint(3, 8)):
        lines += stmt("    ", 0)
    ret = " + ".join(
        f"{nm}[{rng.randrange(names[nm])}] * {rng.uniform(-1, 1):.2f}"
        for nm in rng.sample(list(names), min(3, len(names)))
    )
    lines.append(f"    return acc + {ret}")
    return HEAD + "\n".join(lines) + "\n"


X = np.array([0.31, -0.72, 1.13, 0.46, 0.2])


def _program(seed, tmp_path):
    text = gen(random.Random(43_000 + seed))
    path = tmp_path / f"nbody43_gen_{seed}.py"
    path.write_text(text)
    spec = importlib.util.spec_from_file_location(f"nbody43_gen_{seed}", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return text, mod


@pytest.mark.parametrize("seed", range(40))
def test_random_shared_lists(seed, tmp_path):
    text, mod = _program(seed, tmp_path)
    try:
        want = mod.f(X.copy())
    except Exception:
        pytest.skip("the program raises in Python")
    try:
        val, _ = srcad.value_and_grad(mod.f)(X.copy())
    except srcad.SrcadError:
        return  # refused: allowed
    assert np.allclose(val, want, rtol=1e-10, atol=1e-10), text
    check_grads(mod.f, (X.copy(),), modes=("fwd", "rev"), order=2)


def test_random_shared_lists_mostly_taken(tmp_path):
    """Before lower/listobjs.py nearly all of these were refused (5 of 200 taken)."""
    taken = 0
    for seed in range(40):
        _, mod = _program(seed, tmp_path)
        try:
            mod.f(X.copy())
        except Exception:
            continue
        try:
            srcad.value_and_grad(mod.f)(X.copy())
            taken += 1
        except srcad.SrcadError:
            pass
    assert taken >= 25
