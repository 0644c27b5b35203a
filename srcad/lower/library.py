"""Calls of library objects that have a derivative only in another form.

Input: gast `Call` nodes the call lowering hands over. Output: ops with derivative rules:

- ``obj.name(...)`` on an object known at transform time that is not an array (a user object, a
  ufunc, a random generator): a `call` of the bound method, differentiated through its source or
  refused, never an array method rule applied to the wrong receiver; ``np.ndarray.sum(a)`` is
  ``a.sum()``; ``np.add.reduce``/``accumulate`` and ``np.multiply.outer`` are ``np.sum``/``np.cumsum``
  and ``np.tensordot(a, b, 0)``;
- ``np.einsum(a, [0, 1], b, [1, 2], [0, 2])`` (sublists) -> ``np.einsum("ab,bc->ac", a, b)``;
- ``dict(a=x)``, ``dict(pairs)``, ``dict(zip(keys, values))``, ``dict(mapping, k=v)``;
- ``__import__("m")`` / ``importlib.import_module("m")``: the module, as ``import m`` gives it.
"""

from __future__ import annotations

import builtins
import importlib
from typing import Any

import gast
import numpy as np

from srcad.frontend.resolve import prim_name
from srcad.lower.exprs import ExprLowerer
from srcad.lower.values import UFUNC_METHODS, ModuleRef, einsum_subscripts
from srcad.ssa.core import Const, Operand


class LibraryCalls(ExprLowerer):
    def library_method(self, base: Any, obj: Any, node: gast.Call) -> Operand:
        """``obj.name(...)`` on an object known at transform time that is not an array: a call of
        the bound method (differentiated through its source, or refused), except the unbound
        ``np.ndarray.name(a, ...)`` (the method of `a`) and ufunc methods with an equivalent."""
        attr = node.func.attr
        args, kwargs = self.call_args(node)
        self.at(node)
        if isinstance(obj, type) and issubclass(obj, np.ndarray) and args:
            return self.op(f"method.{attr}", args, kwargs)
        if isinstance(obj, np.ufunc):
            out = self.ufunc_method(obj, attr, args, kwargs)
            if out is not None:
                return out
        if type(obj).__module__.startswith("scipy.stats."):  # scipy.stats.norm.logpdf: a prim
            prim = prim_name(getattr(obj, attr, None))
            if prim is not None:
                return self.op(prim, args, kwargs)
        recv = self.operand(base, node.func.value)
        return self.op("call", [self.op(f"attr.{attr}", [recv]), *args], kwargs)

    def ufunc_method(self, uf: Any, attr: str, args: list, kwargs: dict) -> Operand | None:
        """``np.add.reduce(a, axis)`` -> ``np.sum(a, axis=axis)`` (axis 0 by default),
        ``np.multiply.outer(a, b)`` -> ``np.tensordot(a, b, 0)``; None for the others."""
        if (uf.__name__, attr) == ("multiply", "outer") and len(args) == 2 and not kwargs:
            return self.op("numpy.tensordot", [args[0], args[1], Const(0)])
        name = UFUNC_METHODS.get((uf.__name__, attr))
        if name is None or not args:
            return None
        params = ["axis", "dtype"]  # an `out` array (the 4th argument) is not tracked: refused
        extra = {"keepdims"} if attr == "reduce" else set()
        if len(args) > 1 + len(params) or set(kwargs) - {*params, *extra}:
            return None
        kw = dict(zip(params, args[1:])) | kwargs
        kw.setdefault("axis", Const(0))
        if name in ("numpy.max", "numpy.min"):  # no dtype parameter
            if "dtype" in kw and kw.pop("dtype") != Const(None):
                return None
        return self.op(name, [args[0]], kw)

    def einsum_sublists(self, node: gast.Call, args: list) -> list:
        """``np.einsum(a, [0, 1], b, [1, 2], [0, 2])`` -> ``np.einsum("ab,bc->ac", a, b)`` (the
        sublists must be literal)."""
        pairs, out = (args[:-1], self._literal(args[-1])) if len(args) % 2 else (args, None)
        ops, subs = pairs[0::2], [self._literal(a) for a in pairs[1::2]]
        given = len(args) % 2 == 1
        lists = all(isinstance(s, (list, tuple)) for s in subs)
        if not given and lists and all(type(i) is int or i is Ellipsis for s in subs for i in s):
            # implicit output: NumPy sorts the labels as ints, not as letters ("A" < "a")
            ints = [i for s in subs for i in s if i is not Ellipsis]
            ell = [Ellipsis] if len(ints) < sum(len(s) for s in subs) else []
            out = ell + sorted(i for i in set(ints) if ints.count(i) == 1)
        subscripts = None if given and out is None else einsum_subscripts(subs, out)
        if subscripts is None:
            raise self.error(
                node,
                "`np.einsum` with sublists is supported only for literal lists of ints",
                "write the subscripts as a string, e.g. np.einsum('ij,jk->ik', a, b)",
            )
        return [Const(subscripts), *ops]

    def _literal(self, v: Operand) -> Any:
        """The value of a constant or of a list/tuple literal of constants, else None."""
        if isinstance(v, Const):
            return v.value
        elts = self._literal_elts(v)
        if elts is None or not all(isinstance(e, Const) for e in elts):
            return None
        return [e.value for e in elts]

    def dynamic_import(self, f: Any, node: gast.Call) -> ModuleRef | None:
        """``__import__("m")`` / ``importlib.import_module("m")`` with a literal name: the module,
        as an ``import`` statement gives it (so ``m.mean(x)`` is not taken for an array method)."""
        known, fn = self.static_object(f)
        if not known or (fn is not builtins.__import__ and fn is not importlib.import_module):
            return None
        if len(node.args) != 1 or node.keywords:
            return None
        name = node.args[0]
        if not (isinstance(name, gast.Constant) and isinstance(name.value, str)):
            raise self.error(node, "importing a module whose name is computed is not supported")
        mod = importlib.import_module(name.value)
        if fn is builtins.__import__:  # `__import__("a.b")` is the package `a`
            mod = importlib.import_module(name.value.split(".")[0])
        return ModuleRef(mod, None)

    def dict_call(self, node: gast.Call) -> Operand:
        """``dict(a=x)``, ``dict(zip(keys, values))``, ``dict(pairs)``, ``dict(mapping, k=v)``: a
        dict literal, or the dict comprehension ``{k: v for k, v in <pairs>}`` (whose values the
        mutation check sees held by the dict), then one `setitem` per keyword."""
        if len(node.args) > 1 or any(kw.arg is None for kw in node.keywords):
            raise self.error(
                node, "this form of `dict(...)` is not supported", "use a dict literal"
            )
        if not node.args:
            items: list[Operand] = []
            for kw in node.keywords:
                items += [Const(kw.arg), self.value(kw.value)]
            self.at(node)
            return self.op("dict", items)
        arg = node.args[0]
        if self._iter_call(arg) == "zip" or isinstance(arg, (gast.List, gast.Tuple)):
            out = self._pairs_comprehension(arg, node)
        else:  # a mapping or a sequence of pairs, decided at run time by `dict` itself
            src = self.value(arg)
            self.at(node)
            out = self.op("builtins.dict", [src])
            if node.keywords:  # a fresh dict to update (`out` may be what `src` holds)
                self.env["$dsrc"] = self.op("srcad.runtime.dict_items", [out])
                out = self._pairs_comprehension(gast.Name("$dsrc", gast.Load(), None, None), node)
        for kw in node.keywords:
            v = self.value(kw.value)
            self.at(node)
            out = self.op("setitem", [out, Const(kw.arg), v])
        return out

    def _pairs_comprehension(self, pairs: Any, node: gast.Call) -> Operand:
        """Lower ``{k: v for k, v in pairs}`` (`pairs` a gast expression)."""
        k, v = (gast.Name(n, gast.Store(), None, None) for n in ("$dk", "$dv"))
        target = gast.Tuple([k, v], gast.Store())
        gen = gast.comprehension(target=target, iter=pairs, ifs=[], is_async=0)
        load = [gast.Name(n, gast.Load(), None, None) for n in ("$dk", "$dv")]
        comp = gast.DictComp(key=load[0], value=load[1], generators=[gen])
        for n in (comp, gen, target, k, v, *load, pairs):
            if getattr(n, "lineno", None) is None:
                gast.copy_location(n, node)
        return self.expr_DictComp(comp)


def is_str(v: Operand) -> bool:
    return isinstance(v, Const) and isinstance(v.value, str)
