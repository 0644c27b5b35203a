"""backend/unparse.py writes exactly what ast.unparse writes: random trees of the emitter's node
shapes (and shared nodes, whose precedence the last parent sets), the corpus's emitted functions,
and shapes outside the fast path (handed to ast.unparse)."""

from __future__ import annotations

import ast
import random

import pytest

from srcad.backend.unparse import stmt_lines, unparse

_BIN = [ast.Add, ast.Sub, ast.Mult, ast.MatMult, ast.Div, ast.FloorDiv, ast.Mod, ast.Pow,
        ast.BitAnd, ast.BitOr, ast.BitXor, ast.LShift, ast.RShift]  # fmt: skip
_CMP = [ast.Eq, ast.NotEq, ast.Lt, ast.LtE, ast.Gt, ast.GtE, ast.Is, ast.IsNot, ast.In, ast.NotIn]
_UN = [ast.USub, ast.UAdd, ast.Not, ast.Invert]
_CONSTS = [0, 1, 3, -2, 2.5, 1e300, 0.1, float("inf"), float("nan"), 1j, 2 + 3j, True, False,
           None, "s", "it's", 'q"', b"b", ...]  # fmt: skip


def _expr(rng: random.Random, depth: int, pool: list[ast.expr]) -> ast.expr:
    if pool and rng.random() < 0.1:
        return rng.choice(pool)  # a shared node
    if depth <= 0 or rng.random() < 0.25:
        if rng.random() < 0.5:
            return ast.Name(rng.choice("xyz") + str(rng.randrange(3)), ast.Load())
        return ast.Constant(rng.choice(_CONSTS))
    k = rng.randrange(12)
    sub = lambda: _expr(rng, depth - 1, pool)  # noqa: E731
    if k == 0:
        e: ast.expr = ast.BinOp(sub(), rng.choice(_BIN)(), sub())
    elif k == 1:
        n = rng.randrange(1, 3)
        e = ast.Compare(sub(), [rng.choice(_CMP)() for _ in range(n)], [sub() for _ in range(n)])
    elif k == 2:
        e = ast.UnaryOp(rng.choice(_UN)(), sub())
    elif k == 3:
        kw = [ast.keyword(arg=rng.choice(["axis", "out", None]), value=sub())]
        e = ast.Call(sub(), [sub() for _ in range(rng.randrange(3))], kw[: rng.randrange(2)])
    elif k == 4:
        e = ast.Attribute(sub(), rng.choice(["T", "copy", "real"]), ast.Load())
    elif k == 5:
        e = ast.Subscript(sub(), _index(rng, depth - 1, pool), ast.Load())
    elif k == 6:
        e = ast.Tuple([sub() for _ in range(rng.randrange(4))], ast.Load())
    elif k == 7:
        e = ast.List([sub() for _ in range(rng.randrange(3))], ast.Load())
    elif k == 8:
        n = rng.randrange(3)
        e = ast.Dict([sub() for _ in range(n)], [sub() for _ in range(n)])
    elif k == 9:
        e = ast.Slice(*[rng.choice([None, sub()]) for _ in range(3)])
    elif k == 10:
        e = ast.BoolOp(ast.And(), [sub(), sub()])  # outside the fast path
    else:
        e = ast.Call(ast.Name("f", ast.Load()), [ast.Starred(sub(), ast.Load())], [])
    pool.append(e)
    return e


def _index(rng: random.Random, depth: int, pool: list[ast.expr]) -> ast.expr:
    if rng.random() < 0.4:
        parts = [ast.Slice(rng.choice([None, _expr(rng, 0, pool)]), None, None)]
        parts += [_expr(rng, depth, pool) for _ in range(rng.randrange(3))]
        return ast.Tuple(parts, ast.Load())
    return _expr(rng, depth, pool)


def _stmt(rng: random.Random, depth: int, pool: list[ast.expr]) -> ast.stmt:
    k = rng.randrange(8 if depth > 0 else 5)
    e = lambda: _expr(rng, 3, pool)  # noqa: E731
    body = lambda: [_stmt(rng, depth - 1, pool) for _ in range(rng.randrange(1, 3))]  # noqa: E731
    if k == 0:
        target = rng.choice([ast.Name("t", ast.Store()), ast.Subscript(e(), e(), ast.Store())])
        return ast.Assign([target], e())
    if k == 1:
        return ast.Expr(e())
    if k == 2:
        return ast.Return(rng.choice([None, e()]))
    if k == 3:
        return ast.Break()
    if k == 4:
        return ast.Pass()
    if k == 5:
        orelse = rng.choice([[], body(), [ast.If(e(), body(), [])]])
        return ast.If(e(), body(), orelse)
    if k == 6:
        it = ast.Call(ast.Name("range", ast.Load()), [e()], [])
        return ast.For(ast.Name("i", ast.Store()), it, body(), [], type_comment=None)
    return ast.While(e(), body(), [])


def _def(rng: random.Random) -> ast.FunctionDef:
    pool: list[ast.expr] = []
    args = [ast.arg(arg=n) for n in ("a", "b", "c")[: rng.randrange(4)]]
    defaults = [_expr(rng, 1, pool) for _ in range(rng.randrange(len(args) + 1))]
    arguments = ast.arguments(posonlyargs=[], args=args, vararg=None, kwonlyargs=[],
                              kw_defaults=[], kwarg=None, defaults=defaults)  # fmt: skip
    body = [_stmt(rng, 2, pool) for _ in range(rng.randrange(1, 6))]
    kw = {"type_params": []} if "type_params" in ast.FunctionDef._fields else {}
    fn = ast.FunctionDef("f", arguments, body, [], None, None, **kw)
    return stmt_lines(fn)  # type: ignore[return-value]


@pytest.mark.parametrize("seed", range(40))
def test_random_trees_unparse_as_ast_does(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(25):
        fn = _def(rng)
        assert unparse(fn) == ast.unparse(fn)
        for s in fn.body:
            assert unparse(s) == ast.unparse(s)


def test_shared_node_keeps_the_last_parents_precedence() -> None:
    x = ast.BinOp(ast.Name("a", ast.Load()), ast.Add(), ast.Name("b", ast.Load()))
    sub = ast.Subscript(x, ast.Constant(0), ast.Store())
    fn = ast.parse("def f():\n    pass").body[0]
    fn.body = [ast.Assign([sub], ast.Constant(1.0)), ast.Assign([ast.Name("n", ast.Store())], x)]
    stmt_lines(fn)
    text = unparse(fn)
    assert text == ast.unparse(fn)
    assert text == "def f():\n    (a + b)[0] = 1.0\n    n = (a + b)"


def test_common_shapes() -> None:
    for src in ("y = -x ** 2", "y = (-x) ** 2", "y = 2 .real", "y = a[:, None, 1:2:3]", "y = a[i,]",
                "y = (a, b)", "y = not a < b", "y = np.sum(g, axis=(0, 1), keepdims=True)",
                "y = {'a': 1e400, 2: -0.0}", "y = x - (y - z)", "y = a @ b.T / (c * d)"):  # fmt: skip
        tree = ast.parse(src).body[0]
        assert unparse(tree) == ast.unparse(tree), src
