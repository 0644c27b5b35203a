"""A stdlib `ast` tree -> the `gast` tree `gast.ast_to_gast` makes, in one fast pass that can also
move every position (the lines and columns of a snippet -> those of its file).

Input: a tree from `ast.parse` on Python 3.10-3.13, a line shift and a column shift. Output: the
same nodes, fields and attributes as `gast.ast_to_gast(tree)` followed by shifting each node's
`lineno`/`end_lineno` by `line_shift` and `col_offset`/`end_col_offset` by `col_shift` (nodes
without a `lineno` keep their columns), as `frontend.source` did in two more walks.

gast's converter is a `NodeTransformer` (a `getattr` dispatch and a dict comprehension per
node); this one keeps, per node class, its gast class and fields, and special-cases exactly the
nodes gast's `Ast3ToGAst` does on these versions (`Name`, `arg`, a named `ExceptHandler`,
`FunctionDef`/`AsyncFunctionDef`/`ClassDef` before 3.12, the type parameters of 3.12).
tests/lower/test_togast.py compares both on srcad's and the standard library's sources.

    tree = to_gast(ast.parse(text), line_shift=9)
"""

from __future__ import annotations

import ast
import sys
from typing import Any

import gast

_MINOR = sys.version_info.minor
_LOC = ("lineno", "col_offset", "end_lineno", "end_col_offset")
# per stdlib class: (gast class or None, its fields, its attributes)
_CLASSES: dict[type, tuple[Any, tuple[str, ...], tuple[str, ...]]] = {}


def to_gast(node: ast.AST, line_shift: int = 0, col_shift: int = 0) -> Any:
    """`gast.ast_to_gast(node)` with every position shifted (see the module docstring)."""
    return _Converter(line_shift, col_shift).node(node)


class _Converter:
    def __init__(self, line_shift: int, col_shift: int) -> None:
        self.dl, self.dc = line_shift, col_shift

    def value(self, v: Any) -> Any:
        if isinstance(v, ast.AST):
            return self.node(v)
        if isinstance(v, list):
            return [self.value(x) for x in v]
        return v

    def locate(self, new: Any, old: ast.AST) -> Any:
        """gast/ast.copy_location (every location attribute the old node has), shifted."""
        d = old.__dict__
        if "lineno" not in d:
            for a in _LOC:
                if a in d and a in new._attributes:
                    setattr(new, a, d[a])
            return new
        line = d["lineno"]
        if line is None:  # as copied, never shifted
            for a in _LOC:
                if a in d:
                    setattr(new, a, d[a])
            return new
        dl, dc = self.dl, self.dc
        new.lineno = line + dl
        if "col_offset" in d:
            c = d["col_offset"]
            new.col_offset = c + dc if (dc and c is not None) else c
        if "end_lineno" in d:
            e = d["end_lineno"]
            new.end_lineno = e + dl if e is not None else None
        if "end_col_offset" in d:
            c = d["end_col_offset"]
            new.end_col_offset = c + dc if (dc and c is not None) else c
        return new

    def node(self, n: ast.AST) -> Any:
        t = type(n)
        if t is ast.Name:
            return self.locate(gast.Name(n.id, self.node(n.ctx), None, None), n)
        if t is ast.arg:
            new = gast.Name(
                n.arg, gast.Param(), self.value(n.annotation), self.value(n.type_comment)
            )
            return self.locate(new, n)
        if t is ast.ExceptHandler and n.name:
            name = gast.Name(n.name, gast.Store(), None, None)
            new = gast.ExceptHandler(self.value(n.type), name, self.value(n.body))
            return self.locate(new, n)
        if _MINOR < 12:
            if t is ast.FunctionDef or t is ast.AsyncFunctionDef:
                cls = gast.FunctionDef if t is ast.FunctionDef else gast.AsyncFunctionDef
                new = cls(
                    self.value(n.name),
                    self.value(n.args),
                    self.value(n.body),
                    self.value(n.decorator_list),
                    self.value(n.returns),
                    self.value(n.type_comment),
                    [],
                )
                return self.locate(new, n)
            if t is ast.ClassDef:
                new = gast.ClassDef(
                    self.value(n.name),
                    self.value(n.bases),
                    self.value(n.keywords),
                    self.value(n.body),
                    self.value(n.decorator_list),
                    [],
                )
                return self.locate(new, n)
        elif _MINOR == 12 and t.__name__ in ("TypeVar", "TypeVarTuple", "ParamSpec"):
            extra = (self.value(n.bound),) if t.__name__ == "TypeVar" else ()
            new = getattr(gast, t.__name__)(self.value(n.name), *extra, None)
            return self.locate(new, n)
        info = _CLASSES.get(t)
        if info is None:
            info = _CLASSES[t] = (getattr(gast, t.__name__, None), t._fields, t._attributes)
        cls, fields, attributes = info
        if cls is None:  # not part of gast's AST: dropped, as gast does
            return None
        d = n.__dict__
        new = cls(**{f: self.value(d[f]) for f in fields if f in d})
        if attributes:
            self.locate(new, n)
        return new
