"""Class definitions inside the function (or a helper, or a method) being lowered: the class is
made when lowering, from the statement's own lines, and the name is bound to it (a constant).

Input: the lowerer at a `ClassDef` statement. Output: the environment binds the class's name to
`Const(cls)`, so ``Lin(2.0)`` builds an object as of a module-level class (lower/objects.py:
fields, inlined methods), or a located refusal.

Python makes a new class each time the statement runs; srcad makes one per transform. The two
differ only where the class itself is state, so only classes whose making has no effects and
reads nothing that changes between calls are made here:
- the class body holds methods (decorated by nothing, ``staticmethod``, ``classmethod``,
  ``property`` or ``<property>.setter``), a docstring, ``pass``, class constants that are
  literals (numbers, strings, tuples of them, ``None``) and aliases of the methods above
  (``__rmul__ = __mul__``); class decorators are
  ``dataclass``/``dataclasses.dataclass`` (with keyword arguments of constants); no keywords
  (``metaclass=``) and bases that are names;
- the names it reads (its body, bases, methods: Python's scoping, from `symtable`) resolve to
  globals or builtins (read live, through the function's module), or to classes defined earlier
  in the function (bound again here, as closure cells of its methods, as Python's are), or to
  the function's own closure cells (their current values); a local variable of the function is
  refused (the class would see its value at one moment only).
The statement's lines are compiled at their place in the file, inside a maker function whose
parameters are those outer classes: the methods' sources are found and checked as any method's.
"""

from __future__ import annotations

import textwrap
import types
from typing import Any

import gast

from srcad import lazy
from srcad.ssa.core import Const

_MAKER = "_srcad_local_class"
_METHOD_DECORATORS = frozenset({"staticmethod", "classmethod", "property"})

symtable = lazy.module("symtable")  # (only for a class defined in a function)


def define(lw: Any, s: gast.ClassDef) -> None:
    """Lower the statement `s` (see the module docstring)."""
    _check_shape(lw, s)
    lines = lw.lines
    first = min([s.lineno, *(d.lineno for d in s.decorator_list)])
    last = getattr(s, "end_lineno", None)
    if not lines or last is None or first < 2:
        raise lw.error(s, "srcad cannot find this class definition's source lines")
    text = "".join(lines[first - 1 : last])
    params = _outer_names(lw, s, text, first)
    head = f"def {_MAKER}({', '.join(params)}):\n"
    indent = len(lines[s.lineno - 1]) - len(lines[s.lineno - 1].lstrip())
    src = "\n" * (first - 2) + head + text.rstrip("\n") + "\n" + " " * indent + f"return {s.name}\n"
    try:
        module = compile(src, lw.filename, "exec")
    except SyntaxError as e:
        raise lw.error(s, f"srcad cannot compile this class definition alone ({e.msg})") from None
    code = next(c for c in module.co_consts if isinstance(c, types.CodeType))
    maker = types.FunctionType(code, lw.ns.globals, _MAKER)
    try:
        cls = maker(*params.values())
    except Exception as e:  # noqa: BLE001 - the class statement itself raised
        msg = f"making this class at transform time raised {type(e).__name__}: {e}"
        raise lw.error(s, msg) from None
    lw.env[s.name] = Const(cls)


def _check_shape(lw: Any, s: gast.ClassDef) -> None:
    if s.keywords or not all(isinstance(b, gast.Name) for b in s.bases):
        _refuse(lw, s, "its bases are not plain names, or it has keywords (`metaclass=`)")
    for d in s.decorator_list:
        if not _dataclass_decorator(d):
            _refuse(lw, d, "a class decorator other than `dataclass` may have effects")
    methods: set[str] = set()  # methods (and aliases of them) the body defined so far
    for b in s.body:
        if isinstance(b, gast.FunctionDef):
            methods.add(b.name)
            for d in b.decorator_list:
                if not _method_decorator(d):
                    _refuse(lw, d, "a method decorator other than staticmethod, classmethod, "
                            "property or `.setter`")  # fmt: skip
        elif isinstance(b, gast.Expr) and isinstance(b.value, gast.Constant):
            continue
        elif isinstance(b, gast.Pass):
            continue
        elif isinstance(b, (gast.Assign, gast.AnnAssign)) and _literal(b.value):
            continue
        elif isinstance(b, gast.AnnAssign) and b.value is None:
            continue  # a dataclass field
        elif _alias(b, methods):  # `__rmul__ = __mul__`: the same function under a new name
            methods.update(t.id for t in b.targets)
        else:
            _refuse(lw, b, "its body holds a statement other than methods and literal constants")


def _alias(b: Any, methods: set[str]) -> bool:
    """Is `b` ``name = method`` (plain names), `method` one the class body defined above?"""
    return (
        isinstance(b, gast.Assign)
        and all(isinstance(t, gast.Name) for t in b.targets)
        and isinstance(b.value, gast.Name)
        and b.value.id in methods
    )


def _dataclass_decorator(d: Any) -> bool:
    f = d.func if isinstance(d, gast.Call) else d
    if isinstance(d, gast.Call) and (d.args or not all(_literal(k.value) for k in d.keywords)):
        return False
    if isinstance(f, gast.Name):
        return f.id == "dataclass"
    return isinstance(f, gast.Attribute) and f.attr == "dataclass" and _is_name(f.value)


def _method_decorator(d: Any) -> bool:
    if isinstance(d, gast.Name):
        return d.id in _METHOD_DECORATORS
    return isinstance(d, gast.Attribute) and d.attr == "setter" and _is_name(d.value)


def _is_name(n: Any) -> bool:
    return isinstance(n, gast.Name)


def _literal(n: Any) -> bool:
    if n is None:
        return False
    if isinstance(n, gast.Constant):
        return True
    if isinstance(n, gast.UnaryOp) and isinstance(n.op, (gast.USub, gast.UAdd)):
        return _literal(n.operand)
    if isinstance(n, gast.Tuple):
        return all(_literal(e) for e in n.elts)
    return False


def _outer_names(lw: Any, s: gast.ClassDef, text: str, first: int) -> dict[str, Any]:
    """The names the class reads that Python resolves in the enclosing function (or its
    closure): name -> value; refused when one is a variable of the function."""
    table = symtable.symtable(textwrap.dedent(text), lw.filename, "exec")
    read: set[str] = set()
    todo = [table]
    while todo:
        t = todo.pop()
        todo.extend(t.get_children())
        for sym in t.get_symbols():
            if sym.is_referenced() and (sym.is_global() or sym.is_free()):
                if not sym.is_declared_global():
                    read.add(sym.get_name())
    out: dict[str, Any] = {}
    for n in sorted(read - {s.name}):
        v = lw.env.get(n)
        if v is None and n in lw.py_locals:
            _refuse(lw, s, f"it reads `{n}`, a variable of the function not bound yet here")
        if v is None:
            kind, value = lw.ns.lookup(n)
            if kind == "free":
                out[n] = value
            continue
        if isinstance(v, Const) and isinstance(v.value, type):
            out[n] = v.value  # a class defined before in the function
            continue
        _refuse(lw, s, f"it reads `{n}`, a variable of the function (the class would see "
                "its value at one moment only)")  # fmt: skip
    return out


def _refuse(lw: Any, node: Any, why: str) -> None:
    raise lw.error(
        node,
        f"this class definition inside the function is not supported: {why}",
        "define the class at module level",
    )
