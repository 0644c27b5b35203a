"""frontend/togast.to_gast and to_gast_inplace make the tree gast.ast_to_gast makes (then
shifted as frontend.source shifted it): same node types, fields, attributes, on srcad's own
sources, the tests' and a sample of the standard library's."""

from __future__ import annotations

import ast
import os
import sys
from pathlib import Path
from typing import Any

import gast
import pytest

from srcad.frontend.togast import to_gast, to_gast_inplace

ROOT = Path(__file__).resolve().parents[2]
_STDLIB = Path(os.__file__).parent
_FILES = sorted((ROOT / "srcad").rglob("*.py")) + sorted((ROOT / "tests" / "corpus").glob("*.py"))
_FILES += [_STDLIB / n for n in ("ast.py", "typing.py", "asyncio/base_events.py", "dataclasses.py")]


def _shifted(tree: Any, dl: int, dc: int) -> Any:
    """What frontend.source did before: gast.ast_to_gast, then every position moved."""
    out = gast.ast_to_gast(tree)
    for n in gast.walk(out):
        if getattr(n, "lineno", None) is not None:
            n.lineno += dl
            if getattr(n, "end_lineno", None) is not None:
                n.end_lineno += dl
            if dc:
                if n.col_offset is not None:
                    n.col_offset += dc
                if getattr(n, "end_col_offset", None) is not None:
                    n.end_col_offset += dc
    return out


def _same(a: Any, b: Any, path: str = "") -> None:
    assert type(a) is type(b), path
    if isinstance(a, list):
        assert len(a) == len(b), path
        for i, (x, y) in enumerate(zip(a, b)):
            _same(x, y, f"{path}[{i}]")
    elif isinstance(a, gast.AST):
        # the same fields and attributes (their order in `__dict__` is read by nothing: the
        # fields' order is the class's `_fields`)
        assert sorted(a.__dict__) == sorted(b.__dict__), path
        for k in a.__dict__:
            _same(a.__dict__[k], b.__dict__[k], f"{path}.{k}")
    else:
        assert a == b or (a != a and b != b), path


@pytest.mark.parametrize("path", _FILES, ids=lambda p: p.name)
def test_same_tree_as_gast(path: Path) -> None:
    text = path.read_text()
    # the corpus modules (half the files, the same few node kinds) at one shift; the rest at all
    shifts = ((41, 4),) if path.parent.name == "corpus" else ((0, 0), (41, 4), (0, 8))
    for dl, dc in shifts:
        want = _shifted(ast.parse(text), dl, dc)
        _same(to_gast(ast.parse(text), dl, dc), want)
        _same(to_gast_inplace(ast.parse(text), dl, dc), want)


def test_version_specific_nodes() -> None:
    src = [
        "def f(a, /, b: int = 1, *c, d, **e) -> int:\n    try:\n        pass\n"
        "    except ValueError as err:\n        raise\n    except Exception:\n        pass\n",
        "class C(B, metaclass=M):\n    x: int = 1\n",
        "async def g():\n    async with a as b:\n        await c\n",
        "match p:\n    case [1, *rest] if rest:\n        pass\n    case {'k': v, **kw}:\n        pass\n",
        "x = f'{a!r:>{w}}' + b'q'\n",
    ]
    if sys.version_info >= (3, 11):
        src.append("try:\n    pass\nexcept* ValueError as e:\n    pass\n")
    if sys.version_info >= (3, 12):
        src.append("type T[X: int, *Ts, **P] = list[X]\ndef h[Y](y: Y) -> Y:\n    return y\n")
    for s in src:
        _same(to_gast(ast.parse(s), 3, 8), _shifted(ast.parse(s), 3, 8))
        _same(to_gast_inplace(ast.parse(s), 3, 8), _shifted(ast.parse(s), 3, 8))
        _same(to_gast_inplace(ast.parse(s)), _shifted(ast.parse(s), 0, 0))
