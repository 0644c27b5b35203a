"""A stdlib `ast` tree -> the `gast` tree `gast.ast_to_gast` makes, in one fast pass that can also
move every position (the lines and columns of a snippet -> those of its file).

Input: a tree from `ast.parse` on Python 3.10-3.13, a line shift and a column shift. Output: the
same nodes, fields and attributes as `gast.ast_to_gast(tree)` followed by shifting each node's
`lineno`/`end_lineno` by `line_shift` and `col_offset`/`end_col_offset` by `col_shift` (nodes
without a `lineno` keep their columns), as `frontend.source` did in two more walks.

gast's converter is a `NodeTransformer` (a `getattr` dispatch and a dict comprehension per
node); this one keeps, per node class, its gast class and fields, and special-cases exactly the
nodes gast's `Ast3ToGAst` does on these versions (`Name`, `arg`, a named `ExceptHandler`,
`FunctionDef`/`AsyncFunctionDef`/`ClassDef` before 3.12, the type parameters of 3.12). New
nodes get their fields stored directly (gast's `__init__` only stores them); the operators and
expression contexts (no fields, no positions) are one shared instance per class, as in the trees
CPython's parser makes (nothing sets attributes on them). tests/lower/test_togast.py compares
both on srcad's and the standard library's sources.

    tree = to_gast(ast.parse(text), line_shift=9)

`to_gast_inplace` makes the same tree out of the stdlib one itself (each node's class swapped
for gast's, fields added or renamed where gast's differ): no node is allocated and, unshifted,
no position copied; the stdlib tree is gone afterwards (`frontend.source` uses it when nothing
else reads that tree).
"""

from __future__ import annotations

import ast
import sys
from typing import Any

import gast

_MINOR = sys.version_info.minor
_LOC = ("lineno", "col_offset", "end_lineno", "end_col_offset")
# per stdlib class: how it converts (`_info`)
_CLASSES: dict[type, tuple[int, Any, tuple[str, ...], bool]] = {}


def to_gast(node: ast.AST, line_shift: int = 0, col_shift: int = 0) -> Any:
    """`gast.ast_to_gast(node)` with every position shifted (see the module docstring)."""
    return _Converter(line_shift, col_shift).node(node)


def to_gast_inplace(node: ast.AST, line_shift: int = 0, col_shift: int = 0) -> Any:
    """`to_gast(node, line_shift, col_shift)`, made of `node`'s own objects (see the module
    docstring): `node` is part of the result."""
    return _InPlace(line_shift, col_shift).node(node)


# field values copied as they are
_PLAIN = frozenset((str, int, float, complex, bytes, bool, type(None), type(Ellipsis)))
_GENERIC, _SHARED, _SPECIAL = 0, 1, 2
_NAME, _AST_NAME = gast.Name, ast.Name
# the expression contexts: one shared gast instance per class (as `_info` makes for the others)
_CTX = {getattr(ast, c): getattr(gast, c)() for c in ("Load", "Store", "Del")}


def _info(t: type) -> tuple[int, Any, tuple[str, ...], bool]:
    """How `_Converter.node` converts a stdlib class: (`_SPECIAL`: as gast's converter
    special-cases it; `_SHARED`: a node without fields or attributes, the operators and expression
    contexts, is one shared gast instance (as CPython's parser shares them); `_GENERIC`: field by
    field, `cls` None when gast drops it), the gast class or instance, the fields, and whether
    the class has location attributes."""
    name = t.__name__
    if t in (ast.Name, ast.arg, ast.ExceptHandler) or (
        _MINOR < 12 and t in (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
    ) or (_MINOR == 12 and name in ("TypeVar", "TypeVarTuple", "ParamSpec")):  # fmt: skip
        return (_SPECIAL, None, (), False)
    cls = getattr(gast, name, None)
    if cls is not None and not t._fields and not t._attributes:
        return (_SHARED, cls(), (), False)
    return (_GENERIC, cls, t._fields, bool(t._attributes))


class _Converter:
    def __init__(self, line_shift: int, col_shift: int) -> None:
        self.dl, self.dc = line_shift, col_shift
        self.shift = bool(line_shift or col_shift)

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
        self.position(d, new.__dict__)
        return new

    def position(self, d: dict, out: dict) -> None:
        """The location attributes of a node's `__dict__` `d` (it has a `lineno`), shifted, into
        the new node's `out`."""
        line = d["lineno"]
        if line is None:  # as copied, never shifted
            for a in _LOC:
                if a in d:
                    out[a] = d[a]
            return
        dl, dc = self.dl, self.dc
        out["lineno"] = line + dl
        if "col_offset" in d:
            c = d["col_offset"]
            out["col_offset"] = c + dc if (dc and c is not None) else c
        if "end_lineno" in d:
            e = d["end_lineno"]
            out["end_lineno"] = e + dl if e is not None else None
        if "end_col_offset" in d:
            c = d["end_col_offset"]
            out["end_col_offset"] = c + dc if (dc and c is not None) else c

    def node(self, n: ast.AST) -> Any:
        t = type(n)
        info = _CLASSES.get(t)
        if info is None:
            info = _CLASSES[t] = _info(t)
        kind, cls, fields, located = info
        if kind == _SHARED:
            return cls
        if kind == _SPECIAL:
            return self.special(n, t)
        if cls is None:  # not part of gast's AST: dropped, as gast does
            return None
        d = n.__dict__
        new = cls.__new__(cls)  # gast's __init__ only stores the fields: stored here directly
        out = new.__dict__
        node = self.node
        for f in fields:
            if f in d:
                v = d[f]
                if type(v) in _PLAIN:
                    out[f] = v
                elif type(v) is list:
                    out[f] = [x if type(x) in _PLAIN else self.value(x) for x in v]
                elif isinstance(v, ast.AST):
                    out[f] = node(v)
                else:
                    out[f] = self.value(v)
        if located:
            if "lineno" in d:
                self.position(d, out)
            else:
                self.locate(new, n)
        return new

    def special(self, n: Any, t: type) -> Any:
        """The nodes gast's converter special-cases."""
        if t is ast.Name:  # the commonest node: gast.Name(n.id, ctx, None, None), located
            d = n.__dict__
            new = _NAME.__new__(_NAME)
            new.__dict__.update(id=d["id"], ctx=self.node(d["ctx"]), annotation=None,
                                type_comment=None)  # fmt: skip
            if "lineno" in d:
                self.position(d, new.__dict__)
                return new
            return self.locate(new, n)
        if t is ast.arg:
            new = gast.Name(
                n.arg, gast.Param(), self.value(n.annotation), self.value(n.type_comment)
            )
            return self.locate(new, n)
        if t is ast.ExceptHandler:
            name = gast.Name(n.name, gast.Store(), None, None) if n.name else None
            new = gast.ExceptHandler(self.value(n.type), name, self.value(n.body))
            return self.locate(new, n)
        if t is ast.FunctionDef or t is ast.AsyncFunctionDef:  # before 3.12
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
        if t is ast.ClassDef:  # before 3.12
            new = gast.ClassDef(
                self.value(n.name),
                self.value(n.bases),
                self.value(n.keywords),
                self.value(n.body),
                self.value(n.decorator_list),
                [],
            )
            return self.locate(new, n)
        # the type parameters of 3.12
        extra = (self.value(n.bound),) if t.__name__ == "TypeVar" else ()
        new = getattr(gast, t.__name__)(self.value(n.name), *extra, None)
        return self.locate(new, n)


# stdlib operator/context class -> its shared gast instance (`_info`'s), as `_InPlace.node` met them
_SHARED_OF: dict[type, Any] = {}
_AST_CONSTANT, _GAST_CONSTANT = ast.Constant, gast.Constant


def _leaf(x: Any, t: type) -> bool:
    """`_InPlace(0, 0).node(x)` done here when `x` (of type `t`) is a `Name` or a `Constant` of
    plain values (the commonest nodes: no call per node); False (nothing done) otherwise."""
    if t is _AST_NAME:
        d = x.__dict__
        x.__class__ = _NAME
        d["ctx"] = _CTX[type(d["ctx"])]
        d["annotation"] = d["type_comment"] = None
        return True
    if t is _AST_CONSTANT:
        d = x.__dict__
        if type(d.get("value")) in _PLAIN and type(d.get("kind")) in _PLAIN:
            x.__class__ = _GAST_CONSTANT
            return True
    return False


# the commonest nodes with children: their fields holding nodes or lists of nodes (never None
# in a tree `ast.parse` made), their field holding an operator, a context or a list of
# operators (converted after them), and their gast classes
_COMMON: dict[type, tuple[tuple[str, ...], str | None]] = {
    ast.BinOp: (("left", "right"), "op"),
    ast.Attribute: (("value",), "ctx"),
    ast.Call: (("func", "args", "keywords"), None),
    ast.Assign: (("targets", "value"), None),  # (and `type_comment`, a string or None)
    ast.Subscript: (("value", "slice"), "ctx"),
    ast.Compare: (("left", "comparators"), "ops"),
    ast.UnaryOp: (("operand",), "op"),
    ast.keyword: (("value",), None),  # (and `arg`, a string or None)
    ast.Expr: (("value",), None),
    ast.If: (("test", "body", "orelse"), None),
    ast.For: (("target", "iter", "body", "orelse"), None),  # (and `type_comment`)
}
_COMMON_CLASS = {t: getattr(gast, t.__name__) for t in _COMMON}


class _InPlace(_Converter):
    """`_Converter`'s result, from the stdlib nodes themselves: a node's class becomes gast's
    (the classes have the same layout: both derive from `ast.AST`), its fields are converted in
    place. The operators and contexts are replaced by the shared gast instances; the nodes gast
    changes more (`arg` -> `Name`, a new field) are edited, the rare ones copied (`special`)."""

    def node(self, n: ast.AST) -> Any:
        t = type(n)
        d = n.__dict__
        if t is _AST_NAME:  # the commonest node
            n.__class__ = _NAME
            d["ctx"] = _CTX[type(d["ctx"])]
            d["annotation"] = d["type_comment"] = None
            if self.shift and "lineno" in d:
                self.position(d, d)
            return n
        inline = not self.shift  # (the leaves below converted here, as `node` would: no call)
        if inline and t in _COMMON:  # `node`'s loop below, its field types known (all nodes)
            node = self.node
            fields, shared = _COMMON[t]
            for f in fields:
                v = d[f]
                if type(v) is list:
                    for i, x in enumerate(v):
                        tx = type(x)
                        if tx is _AST_NAME:  # (`_leaf`'s, inline: the commonest node)
                            xd = x.__dict__
                            x.__class__ = _NAME
                            xd["ctx"] = _CTX[type(xd["ctx"])]
                            xd["annotation"] = xd["type_comment"] = None
                        elif tx is not _AST_CONSTANT or not _leaf(x, tx):
                            v[i] = node(x)
                    continue
                tv = type(v)
                if tv is _AST_NAME:
                    vd = v.__dict__
                    v.__class__ = _NAME
                    vd["ctx"] = _CTX[type(vd["ctx"])]
                    vd["annotation"] = vd["type_comment"] = None
                elif tv is not _AST_CONSTANT or not _leaf(v, tv):
                    d[f] = node(v)
            if shared is not None:  # an operator, a context (a shared instance), a list of them
                op = d[shared]
                if type(op) is list:
                    d[shared] = [_SHARED_OF.get(type(o)) or node(o) for o in op]
                else:
                    d[shared] = _SHARED_OF.get(type(op)) or node(op)
            n.__class__ = _COMMON_CLASS[t]
            return n
        info = _CLASSES.get(t)
        if info is None:
            info = _CLASSES[t] = _info(t)
        kind, cls, fields, located = info
        if kind == _SHARED:
            _SHARED_OF[t] = cls
            return cls
        if kind == _SPECIAL:
            return self.edit(n, t, d)
        if cls is None:  # not part of gast's AST: dropped, as gast does
            return None
        node = self.node
        for f in fields:
            v = d.get(f)
            if v is None:
                continue
            tv = type(v)
            if tv in _PLAIN:
                continue
            if tv is list:
                for i, x in enumerate(v):
                    tx = type(x)
                    if tx in _PLAIN:
                        continue
                    if inline and _leaf(x, tx):
                        continue
                    v[i] = node(x) if isinstance(x, ast.AST) else self.value(x)
            elif tv in _SHARED_OF:
                d[f] = _SHARED_OF[tv]
            elif not (inline and _leaf(v, tv)) and isinstance(v, ast.AST):
                d[f] = node(v)
        n.__class__ = cls
        if located and self.shift and "lineno" in d:
            self.position(d, d)
        return n

    def edit(self, n: Any, t: type, d: dict) -> Any:
        """The nodes gast's converter special-cases (but `Name`)."""
        if t is ast.arg:
            ann = d["annotation"]
            new = {"id": d["arg"], "ctx": gast.Param(),
                   "annotation": None if ann is None else self.node(ann),
                   "type_comment": d["type_comment"]}  # fmt: skip
            pos = {a: d[a] for a in _LOC if a in d}
            d.clear()
            d.update(new)
            if "lineno" in pos:
                self.position(pos, d)
            else:
                d.update(pos)
            n.__class__ = _NAME
            return n
        if _MINOR < 12 and t in (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef):
            for f in t._fields:
                d[f] = self.value(d[f])
            d["type_params"] = []
            n.__class__ = getattr(gast, t.__name__)
            if self.shift and "lineno" in d:
                self.position(d, d)
            return n
        return self.special(n, t)  # a named `except`, the type parameters of 3.12: copied
