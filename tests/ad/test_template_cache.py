"""The cache of lowered rule templates (srcad/ad/template.py).

A kept lowering is copied with fresh Vars; it must be exactly the ops a fresh lowering appends
(same primitives, operands, constants by type and value, hints, location), never reused for a
template whose lowering looks at the block (``+``, subscripts, method calls), for operands of
another kind or aliasing, nor after a module attribute it read was monkeypatched. End to end,
the gradient of a function that expands the same templates many times matches the closed form
and central finite differences.
"""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from srcad.ad import template
from srcad.ad.template import expand
from srcad.ssa.core import Block, Const, Loc, Op, Var
from srcad.ssa.printer import format_op
from srcad.testing import check_grads

TEMPLATES = [
    "_srcad.unbroadcast(g * y, x)",
    "_srcad.unbroadcast(-g * ans / y, y)",
    "-_srcad.unbroadcast(g, y)",
    "g * np.cos(x)",
    "g * -np.sin(x)",
    "g * (1.0 - ans * ans)",
    "g * x ** 2 / np.pi",
    "g * (x > y)",
    "g * x.T",
]


def _expand(tmpl: str, names: dict, fresh: bool, made_by: str = "") -> tuple[list[str], list]:
    """Expand into a block that already holds ops; `made_by`: the primitive of ops defining the
    Var operands there (a lowering that looked at them would differ from the kept one)."""
    if fresh:
        template._KEPT.clear()
    x0 = Var("x0")
    block = Block()
    block.ops.append(Op("neg", [x0], results=[Var("pre")]))  # ops already there
    if made_by:
        for v in {v for v in names.values() if isinstance(v, Var)}:
            block.ops.append(Op(made_by, [x0], results=[v], params={"name": "np"}))
    before = len(block.ops)
    loc = Loc(7, 3)
    out = expand(tmpl, names, block, loc)
    new = block.ops[before:]
    assert all(op.loc == loc for op in new)
    return [format_op(op) + f" # {[r.hint for r in op.results]}" for op in new], [out, new]


def _bindings() -> list[dict]:
    g, x, y, ans = Var("g"), Var("x"), Var("y"), Var("ans")
    return [
        {"g": g, "x": x, "y": y, "ans": ans},
        {"g": g, "x": x, "y": x, "ans": ans},  # two names, one Var
        {"g": g, "x": Const(2.0), "y": y, "ans": Const(0.5)},
        {"g": g, "x": Const(-0.0), "y": Const(0.0), "ans": ans},
        {"g": g, "x": Const(2), "y": Const(True), "ans": Const(1)},
        {"g": Const(1.0), "x": Const(3.0), "y": Const(2.0), "ans": Const(0.25)},
    ]


@pytest.mark.parametrize("made_by", ["list", "tuple", "builtins.list", "global", "attr.T"])
@pytest.mark.parametrize("tmpl", TEMPLATES)
def test_kept_lowering_ignores_how_operands_were_made(tmpl: str, made_by: str) -> None:
    """The key does not say which op defines an operand: a template is kept only when its
    lowering never looks (an operand made by a list literal, a global read...)."""
    g, x, y, ans = Var("g"), Var("x"), Var("y"), Var("ans")
    names = {k: v for k, v in {"g": g, "x": x, "y": y, "ans": ans}.items() if k in tmpl}
    fresh, _ = _expand(tmpl, names, fresh=True, made_by=made_by)
    template._KEPT.clear()
    _expand(tmpl, names, fresh=False)  # kept from a block where nothing defines them
    kept, _ = _expand(tmpl, names, fresh=False, made_by=made_by)
    assert kept == fresh


@pytest.mark.parametrize("tmpl", TEMPLATES)
def test_kept_lowering_is_the_fresh_lowering(tmpl: str) -> None:
    for names in _bindings():
        names = {k: v for k, v in names.items() if k in tmpl}
        fresh, (out1, ops1) = _expand(tmpl, names, fresh=True)
        kept, (out2, ops2) = _expand(tmpl, names, fresh=False)
        assert kept == fresh
        assert template._key(tmpl, names) in template._KEPT  # the second one was a copy
        made1 = {r for op in ops1 for r in op.results}
        made2 = {r for op in ops2 for r in op.results}
        assert not made1 & made2  # fresh Vars each use
        if isinstance(out1, Var) and out1 in made1:
            assert out2 in made2 and out2 is ops2[-1].results[0]
        else:
            assert out2 == out1 if isinstance(out1, Const) else out2 is out1


def test_kinds_and_constants_are_keyed_apart() -> None:
    g = Var("g")
    keys = {
        template._key("g * x", {"g": g, "x": Const(c)})
        for c in (0.0, -0.0, 1, 1.0, True, (1, 2.0), (1, 2))
    }
    keys.add(template._key("g * x", {"g": g, "x": Var("x")}))
    keys.add(template._key("g * x", {"g": g, "x": g}))
    assert None not in keys and len(keys) == 9
    assert template._key("g * x", {"g": g, "x": Const(np.ones(2))}) is None  # arrays: not kept


@pytest.mark.parametrize(
    "tmpl",
    ["g + x", "g * x[0]", "g * x.sum()", "(g, x)", "g if x else g", "g * (0 < x < 1)"],
)
def test_templates_that_look_at_the_block_are_not_kept(tmpl: str) -> None:
    assert template._key(tmpl, {"g": Var("g"), "x": Var("x")}) is None


SUM_VJP = (
    "(_srcad.sum_vjp((g if dtype is None else _srcad.int_zero(g, dtype)), a, axis, keepdims) "
    "if (where is None if initial is None else False) else _srcad.sum_vjp((g if dtype is None "
    "else _srcad.int_zero(g, dtype)), a, axis, keepdims, where))"
)


@pytest.mark.parametrize(
    "tmpl, consts",
    [
        (SUM_VJP, {"axis": None, "keepdims": False, "dtype": None, "initial": None, "where": None}),
        (SUM_VJP, {"axis": 0, "keepdims": True, "dtype": None, "initial": 1.0, "where": None}),
        ("g * x if c else -g", {"c": True}),
        ("g * x if c else -g", {"c": 0}),
        ("g * x if c > 1.5 else -g", {"c": 2.0}),
    ],
)
def test_conditionals_on_constants_are_kept(tmpl: str, consts: dict) -> None:
    """A conditional expression whose test reads constants lowers one side, decided by the
    key: kept, and the copy is the fresh lowering."""
    names = {
        "g": Var("g"),
        "a": Var("a"),
        "x": Var("x"),
        **{k: Const(v) for k, v in consts.items()},
    }
    names = {k: v for k, v in names.items() if k in tmpl}
    fresh, _ = _expand(tmpl, names, fresh=True)
    kept, _ = _expand(tmpl, names, fresh=False)
    assert kept == fresh
    assert template._key(tmpl, names) in template._KEPT


def test_conditionals_on_values_are_not_kept() -> None:
    names = {"g": Var("g"), "a": Var("a"), "axis": Const(None), "keepdims": Const(False),
             "dtype": Const(None), "initial": Const(None), "where": Var("w")}  # fmt: skip
    assert template._key(SUM_VJP, names) is None  # `where is None` on a value: an `if` op
    assert (
        template._key("g * x if c else -g", {"g": Var("g"), "x": Var("x"), "c": Var("c")}) is None
    )


def test_monkeypatched_module_function_is_lowered_again(monkeypatch) -> None:
    names = {"g": Var("g"), "x": Var("x")}
    template._KEPT.clear()
    first, _ = _expand("g * np.cos(x)", names, fresh=False)
    assert any("numpy.cos" in line for line in first)

    def cos(v):
        return v

    monkeypatch.setattr(np, "cos", cos)
    template.new_epoch()  # what the next transform does: the reads are checked on first use
    patched, _ = _expand("g * np.cos(x)", names, fresh=False)
    assert not any("numpy.cos" in line for line in patched)
    monkeypatch.undo()
    template.new_epoch()
    again, _ = _expand("g * np.cos(x)", names, fresh=False)
    assert again == first


def waves(x, y):
    a = np.sin(x) * y + x * 0.5 - np.cos(y) / (1.0 + x * x)
    b = np.sin(a) * x + y * 0.5 - np.cos(x) / (1.0 + a * a)
    c = np.sin(b) * a + b * 0.5 - np.cos(a) / (1.0 + b * b)
    return np.sum(np.tanh(c) * a + b)


def test_gradient_through_repeated_templates_numbers() -> None:
    x, y = np.array([0.3, -0.7, 1.1]), np.array([0.2, 0.5, -0.4])
    gx, gy = srcad.grad(waves, wrt=(0, 1))(x, y)
    # the same chain rule by hand (elementwise: every output depends on its own position)
    a = np.sin(x) * y + x * 0.5 - np.cos(y) / (1.0 + x * x)
    da_dx = np.cos(x) * y + 0.5 + np.cos(y) * 2 * x / (1.0 + x * x) ** 2
    da_dy = np.sin(x) + np.sin(y) / (1.0 + x * x)
    b = np.sin(a) * x + y * 0.5 - np.cos(x) / (1.0 + a * a)
    db_da = np.cos(a) * x + np.cos(x) * 2 * a / (1.0 + a * a) ** 2
    db_dx = np.sin(a) + np.sin(x) / (1.0 + a * a) + db_da * da_dx
    db_dy = 0.5 + db_da * da_dy
    c = np.sin(b) * a + b * 0.5 - np.cos(a) / (1.0 + b * b)
    dc_db = np.cos(b) * a + 0.5 + np.cos(a) * 2 * b / (1.0 + b * b) ** 2
    dc_da = np.sin(b) + np.sin(a) / (1.0 + b * b)
    t = np.tanh(c)
    dl_dc, dl_da, dl_db = (1 - t * t) * a, t, 1.0
    gb = dl_db + dl_dc * dc_db
    ga = dl_da + dl_dc * dc_da
    np.testing.assert_allclose(gx, ga * da_dx + gb * db_dx, rtol=1e-12)
    np.testing.assert_allclose(gy, ga * da_dy + gb * db_dy, rtol=1e-12)
    check_grads(waves, (x, y))
