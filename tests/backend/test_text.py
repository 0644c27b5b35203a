"""backend/text.py writes exactly what ast.unparse writes: random trees of the emitter's expression
and statement shapes, written through text.py's functions, against ast.unparse of the same tree."""

from __future__ import annotations

import ast
import random

import pytest

from srcad.backend import text as tx
from srcad.backend.text import ATOM, TEST, YIELD, St, wrap
from srcad.ssa.prims import BINOPS, CMPOPS, UNARYOPS

_BIN = {c.__name__: p for c, p in BINOPS.items()}
_CMP = {c.__name__: p for c, p in CMPOPS.items()}
_UN = {c.__name__: p for c, p in UNARYOPS.items()}
_CONSTS = [0, 1, 3, 2.5, 1e300, 0.1, float("inf"), float("nan"), 1j, 2 + 3j, True, False,
           None, "s", "it's", 'q"', b"b", ...]  # fmt: skip
_LITERALS = [-2, -0.0, -1.5, float("-inf"), complex(1, 2), complex(-0.0, 1), (1, -2.0), (),
             (3,), slice(1, None, -1), ((1, 2), 3)]  # fmt: skip


def _expr(rng: random.Random, depth: int) -> ast.expr:
    if depth <= 0 or rng.random() < 0.25:
        r = rng.random()
        if r < 0.5:
            return ast.Name(rng.choice("xyz") + str(rng.randrange(3)), ast.Load())
        if r < 0.8:
            return ast.Constant(rng.choice(_CONSTS))
        return ast.parse(repr(rng.choice(_LITERALS)), mode="eval").body  # -2, (1, -2.0), ...
    sub = lambda: _expr(rng, depth - 1)  # noqa: E731
    k = rng.randrange(10)
    if k == 0:
        return ast.BinOp(sub(), getattr(ast, rng.choice(list(_BIN)))(), sub())
    if k == 1:
        return ast.Compare(sub(), [getattr(ast, rng.choice(list(_CMP)))()], [sub()])
    if k == 2:
        return ast.UnaryOp(getattr(ast, rng.choice(list(_UN)))(), sub())
    if k == 3:
        kw = [ast.keyword(arg=rng.choice(["axis", "out", None]), value=sub())]
        return ast.Call(sub(), [sub() for _ in range(rng.randrange(3))], kw[: rng.randrange(2)])
    if k == 4:
        return ast.Attribute(sub(), rng.choice(["T", "copy", "real"]), ast.Load())
    if k == 5:
        return ast.Subscript(sub(), _index(rng, depth - 1), ast.Load())
    if k == 6:
        return ast.Tuple([sub() for _ in range(rng.randrange(4))], ast.Load())
    if k == 7:
        return ast.List([sub() for _ in range(rng.randrange(3))], ast.Load())
    if k == 8:
        n = rng.randrange(3)
        return ast.Dict([sub() for _ in range(n)], [sub() for _ in range(n)])
    return ast.BinOp(sub(), ast.Add(), ast.List([sub()], ast.Load()))  # list_append


def _index(rng: random.Random, depth: int) -> ast.expr:
    sl = lambda: ast.Slice(*[rng.choice([None, _expr(rng, 0)]) for _ in range(3)])  # noqa: E731
    if rng.random() < 0.4:
        parts = [sl()] + [rng.choice([sl, lambda: _expr(rng, depth)])() for _ in range(2)]
        return ast.Tuple(parts[: rng.randrange(1, 4)], ast.Load())
    return rng.choice([sl, lambda: _expr(rng, depth)])()


def _text(e: ast.expr) -> tx.E:
    """`e` written by text.py's functions (as the emitter calls them)."""
    t = type(e)
    if t is ast.Name:
        return e.id, ATOM
    if t is ast.Constant:
        return tx.constant(e.value)
    if t is ast.BinOp:
        if type(e.op) is ast.Add and type(e.right) is ast.List and len(e.right.elts) == 1:
            return tx.op_text("list_append", [_text(e.left), _text(e.right.elts[0])], [])
        return tx.op_text(_BIN[type(e.op).__name__], [_text(e.left), _text(e.right)], [])
    if t is ast.Compare:
        prim = _CMP[type(e.ops[0]).__name__]
        return tx.op_text(prim, [_text(e.left), _text(e.comparators[0])], [])
    if t is ast.UnaryOp:
        return tx.op_text(_UN[type(e.op).__name__], [_text(e.operand)], [])
    if t is ast.Call:
        kw = [(k.arg, _text(k.value)) for k in e.keywords]
        return tx.op_text("call", [_text(e.func)] + [_text(a) for a in e.args], kw)
    if t is ast.Attribute:
        return tx.attr(_text(e.value), e.attr), ATOM
    if t is ast.Subscript:
        sl = e.slice
        idx = [_text(x) for x in sl.elts] if type(sl) is ast.Tuple and sl.elts else _text(sl)
        return tx.op_text("getitem", [_text(e.value), idx], [])  # type: ignore[list-item]
    if t is ast.Slice:
        return tx.slice_([None if x is None else _text(x) for x in (e.lower, e.upper, e.step)])
    if t is ast.Tuple:
        return tx.op_text("tuple", [_text(x) for x in e.elts], [])
    if t is ast.List:
        return tx.op_text("list", [_text(x) for x in e.elts], [])
    if t is ast.Dict:
        flat = [_text(x) for kv in zip(e.keys, e.values) for x in kv]
        return tx.op_text("dict", flat, [])
    raise AssertionError(t)


def _stmt(rng: random.Random, depth: int) -> tuple[ast.stmt, St]:
    k = rng.randrange(7 if depth > 0 else 4)
    e = _expr(rng, 3)
    if k == 0:
        return ast.Assign([ast.Name("t", ast.Store())], e), St("t = " + wrap(_text(e), TEST))
    if k == 1:
        return ast.Expr(e), St(wrap(_text(e), YIELD))
    if k == 2:
        return ast.Return(e), St("return " + wrap(_text(e), TEST))
    if k == 3:
        return ast.Break(), St("break")
    body = [_stmt(rng, depth - 1) for _ in range(rng.randrange(1, 3))]
    a, s = [x for x, _ in body], [y for _, y in body]
    if k == 4:
        orelse = [_stmt(rng, depth - 1) for _ in range(rng.randrange(3))]
        node = ast.If(e, a, [x for x, _ in orelse])
        return node, St("if " + wrap(_text(e), TEST) + ":", s, [y for _, y in orelse])
    if k == 5:
        it = ast.Call(ast.Name("range", ast.Load()), [e], [])
        node = ast.For(ast.Name("i", ast.Store()), it, a, [], type_comment=None)
        return node, St("for i in " + tx.call("range", [_text(e)])[0] + ":", s)
    return ast.While(e, a, []), St("while " + wrap(_text(e), TEST) + ":", s)


@pytest.mark.parametrize("seed", range(40))
def test_random_trees_are_written_as_ast_unparse_writes_them(seed: int, monkeypatch) -> None:
    monkeypatch.setattr(tx, "WIDTH", 10**6)  # no line split
    rng = random.Random(seed)
    for _ in range(25):
        pairs = [_stmt(rng, 2) for _ in range(rng.randrange(1, 6))]
        fn = ast.parse("def f(a):\n    pass").body[0]
        fn.body = [a for a, _ in pairs]  # type: ignore[attr-defined]
        out: list[str] = ["def f(a):"]
        tx.write([s for _, s in pairs], "    ", out, [], [])
        assert "\n".join(out) == ast.unparse(ast.fix_missing_locations(fn))


def test_literals_read_back_as_their_values() -> None:
    for v in _CONSTS + _LITERALS + [-3, 2**70, -(2**70), complex(0.0, -1.0), complex(-1, 0.0)]:
        text = wrap(tx.literal(v), TEST)
        assert ast.unparse(ast.parse(text, mode="eval")) == text, v
        assert repr(eval(text, {})) == repr(v), v


def test_false_constants() -> None:
    assert [v for v in (0, 0.0, -0.0, 0j, "", None, False, (), 1, "a") if tx.false_constant(v)] == [
        0, 0.0, 0j, "", None, False]  # fmt: skip


def test_common_shapes() -> None:
    x, y = ("x", ATOM), ("y", ATOM)
    assert wrap(tx.op_text("pow", [tx.op_text("neg", [x], []), ("2", tx.INT)], []), TEST) == (
        "(-x) ** 2"
    )
    assert tx.attr(("2", tx.INT), "real") == "2 .real"
    assert tx.subscript(x, [tx.slice_([None, None]), ("None", ATOM)])[0] == "x[:, None]"
    assert tx.subscript(x, [y])[0] == "x[y,]"
    assert tx.subscript(x, [])[0] == "x[()]"
    assert tx.op_text("sub", [x, tx.op_text("sub", [y, x], [])], [])[0] == "x - (y - x)"


@pytest.mark.parametrize("seed", range(20))
def test_split_lines_parse_as_the_one_line(seed: int) -> None:
    """`text.split` breaks only after commas inside brackets (never in a string) and keeps the
    code the same; every line fits where the statement has a comma to break after in time."""
    rng = random.Random(seed)
    for _ in range(40):
        node, st = _stmt(rng, 0)
        line = "    " + st.text
        width = rng.choice([30, 50, 100])
        lines = tx.split(line, width)
        assert ast.dump(ast.parse("\n".join(lines).strip())) == ast.dump(ast.parse(line.strip()))
        assert "".join(lines).replace(" ", "") == line.replace(" ", "")  # only spaces moved
        if len(lines) > 1:
            assert all(x.rstrip() == x for x in lines)


def test_split_a_long_tuple_under_its_first_item() -> None:
    items = ", ".join(f"_srcad.shape_like(x{i})" for i in range(8))
    assert tx.split(f"        tape.append(({items}))", 90) == [
        "        tape.append((_srcad.shape_like(x0), _srcad.shape_like(x1), _srcad.shape_like(x2),",
        "                     _srcad.shape_like(x3), _srcad.shape_like(x4), _srcad.shape_like(x5),",
        "                     _srcad.shape_like(x6), _srcad.shape_like(x7)))",
    ]
    long = "x" * 90
    assert tx.split(f"    y = f('a, b', {long})", 50) == ["    y = f('a, b',", f"          {long})"]
