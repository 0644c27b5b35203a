"""``getattr(obj, name)(args)`` with a `name` known only when the code runs (``getattr(self,
"_step_" + method)(x)``, ``method`` a string argument), `obj` an instance of a class known now.

Input: the lowerer, the callee (a `PrimRef` of the builtin ``getattr``) and the gast call of
``getattr`` (`choice`: from lower/fnvalues.special_call), then the call of its result
(`MethodChoice.call`, from lower/calls.py as a `Getter`'s). Output: a `MethodChoice` (the
object's and the name's values, the candidate method names), and at its call the chain
``obj.c1(args) if name == "c1" else (obj.c2(args) if name == "c2" else ... obj.cN(args))``
after ``_srcad.require(name in (c1, ..., cN))``: each branch is the attribute call Python
makes for that name (its method resolved as any ``obj.c1(...)`` is), and a name outside the
candidates is refused at run time.

The class is the one `obj` is known to be now: an object's built here (lower/objstate.py; its
exact class, first: a subclass's own methods are candidates when a base class's method is
inlined on it), the class whose method is being lowered for its first parameter (``self``; the
method's ``__qualname__`` names it), or a module-level instance's. The candidates are the functions of its
classes (not ``__dunder__`` ones, nor a subclass's own: a name found in none is refused at run
time) whose names fit the name's constant prefix or suffix (``"_step_" + m``, ``m + "_rhs"``,
``f"_step_{m}"``: a name without one may be a field's), at most 16. Anything else (no class
known, a default given, no candidate) is lowered as before.
"""

from __future__ import annotations

import dis
import itertools
import types
from typing import Any

import gast

from srcad.lower.partials import Getter, _load, _lower_with
from srcad.lower.reads import module_name
from srcad.lower.values import LocalObj, PrimRef
from srcad.ssa.core import Const, Operand

_MAX = 16
_SERIAL = itertools.count()


class MethodChoice(Getter):
    """The value of ``getattr(obj, name)``: `obj` (its name: each branch reads the object as
    ``obj.c1(...)`` would, its fields too: an instance's own ``self.c1 = lambda ...`` shadows
    the class's method), `name` (lowered) and the candidate names."""

    def __init__(self, obj: str, name: Operand, names: tuple[str, ...]) -> None:
        self.obj, self.name, self.names = obj, name, names
        self.keys, self.attrs = [], []

    def __repr__(self) -> str:
        return "a method chosen by a name known only when the code runs (`getattr(obj, name)`)"

    def call(self, lw: Any, node: gast.Call) -> Operand:
        """``getattr(obj, name)(args)`` at `node`: the chain of the module docstring."""
        if any(isinstance(a, gast.Starred) for a in node.args) or any(
            k.arg is None for k in node.keywords
        ):
            raise lw.error(
                node,
                "a method chosen by `getattr` with a run-time name is called with `*`/`**` here",
                "pass the arguments one by one",
            )
        n = next(_SERIAL)
        names: dict[str, Any] = {f"$mn{n}": self.name}
        args = []
        for k, a in enumerate(node.args):
            names[f"$ma{n}_{k}"] = lw.value(a)
            args.append(_load(f"$ma{n}_{k}", node))
        kws = []
        for k, kw in enumerate(node.keywords):
            names[f"$mk{n}_{k}"] = lw.value(kw.value)
            kws.append(gast.keyword(arg=kw.arg, value=_load(f"$mk{n}_{k}", node)))
        lw.at(node)
        among = gast.Tuple(elts=[_const(m, node) for m in self.names], ctx=gast.Load())
        test = gast.Compare(left=_load(f"$mn{n}", node), ops=[gast.In()], comparators=[among])
        ok = _lower_with(lw, {f"$mn{n}": self.name}, gast.copy_location(test, node))
        why = Const(
            f"`getattr` chose a method by a name that is none of {', '.join(self.names)}: srcad "
            "follows those methods of the object's class only"
        )
        lw.op("srcad.runtime.require", [ok, why])
        expr: Any = _method_call(self.obj, self.names[-1], args, kws, node)
        for m in reversed(self.names[:-1]):
            test = gast.Compare(
                left=_load(f"$mn{n}", node), ops=[gast.Eq()], comparators=[_const(m, node)]
            )
            expr = gast.IfExp(
                test=test, body=_method_call(self.obj, m, args, kws, node), orelse=expr
            )
        for x in gast.walk(expr):
            if not isinstance(x, (gast.expr_context, gast.Name)):
                gast.copy_location(x, node)
        return _lower_with(lw, names, expr)


def _method_call(obj: str, m: str, args: list, kws: list, like: Any) -> gast.Call:
    f = gast.Attribute(value=_load(obj, like), attr=m, ctx=gast.Load())
    return gast.Call(func=f, args=list(args), keywords=list(kws))


def _const(v: str, like: Any) -> gast.Constant:
    return gast.copy_location(gast.Constant(value=v, kind=None), like)


def choice(lw: Any, f: Any, node: gast.Call) -> MethodChoice | None:
    """``getattr(obj, name)`` of a run-time `name` and an `obj` of a class known now, called
    at once by its caller (`MethodChoice`); None for anything else."""
    if not (isinstance(f, PrimRef) and f.obj is getattr) or len(node.args) != 2 or node.keywords:
        return None
    o, e = node.args
    if not isinstance(o, gast.Name) or isinstance(e, gast.Constant):
        return None
    cls = _class_of(lw, o)
    if cls is None:
        return None
    pre, post = _affixes(e)
    if not pre and not post:
        return None  # (`getattr(obj, name)`: perhaps a field's value; as before)
    names = _candidates(cls, pre, post)
    if not names or len(names) > _MAX:
        return None
    name = lw.value(e)
    if isinstance(name, Const):  # (known now after all: an attribute read, as before)
        return None
    return MethodChoice(o.id, name, names)


def _class_of(lw: Any, o: gast.Name) -> type | None:
    """The class `o` is known now to be an instance of (see the module docstring), or None."""
    if isinstance(lw.env.get(o.id), LocalObj):  # (its class exact: a subclass's methods too)
        return lw.env[o.id].cls
    fn = lw.inlined[0] if lw.inlined else getattr(lw, "pyfunc", None)
    if lw.inlined and lw.inlined[1] != lw.inline_depth:
        fn = None
    code = getattr(fn, "__code__", None)
    if code is not None and code.co_argcount and code.co_varnames[0] == o.id:
        path = fn.__qualname__.split(".")
        if len(path) == 2 and path[0] != "<locals>":
            where, cls = lw.ns.lookup(path[0])
            if where == "global" and isinstance(cls, type) and path[1] in vars(cls):
                return cls if _rebinds_never(code, o.id) else None
    if isinstance(lw.env.get(o.id), LocalObj):
        return lw.env[o.id].cls
    if o.id in lw.env or o.id in lw.py_locals:
        return None
    where, obj = lw.ns.lookup(o.id)
    if where in ("global", "free") and module_name(type(obj)) not in ("builtins", "numpy"):
        cls = type(obj)
        return cls if not isinstance(obj, (type, types.ModuleType)) else None
    return None


def _rebinds_never(code: types.CodeType, name: str) -> bool:
    """`name` (the first parameter) is never stored to in the function's own code."""
    return not any(
        i.opname in ("STORE_FAST", "DELETE_FAST") and i.argval == name
        for i in dis.get_instructions(code)
    )


def _affixes(e: Any) -> tuple[str, str]:
    """The constant prefix and suffix of the string expression `e`."""
    if isinstance(e, gast.BinOp) and isinstance(e.op, gast.Add):
        pre = e.left.value if _str_const(e.left) else ""
        post = e.right.value if _str_const(e.right) else ""
        return pre, post
    if isinstance(e, gast.JoinedStr) and e.values:
        pre = e.values[0].value if _str_const(e.values[0]) else ""
        post = e.values[-1].value if _str_const(e.values[-1]) and len(e.values) > 1 else ""
        return pre, post
    return "", ""


def _str_const(e: Any) -> bool:
    return isinstance(e, gast.Constant) and type(e.value) is str


def _candidates(cls: type, pre: str, post: str) -> tuple[str, ...]:
    """The names of `cls`'s functions (its MRO's, not ``__dunder__``) with that prefix and suffix
    (a subclass's own are not: a branch calling one would not resolve on `cls`'s instances)."""
    out = set()
    for k in cls.__mro__[:-1]:
        for name, v in vars(k).items():
            if name.startswith("__") and name.endswith("__"):
                continue
            v = v.__func__ if isinstance(v, (staticmethod, classmethod)) else v
            if isinstance(v, types.FunctionType) and name.startswith(pre) and name.endswith(post):
                out.add(name)
    return tuple(sorted(out))
