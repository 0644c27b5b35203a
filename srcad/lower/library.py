"""Calls of library objects that have a derivative only in another form.

Input: gast `Call` nodes the call lowering hands over. Output: ops with derivative rules:

- ``obj.name(...)`` on an object known at transform time that is not an array (a user object, a
  ufunc, a random generator): a `call` of the bound method, differentiated through its source or
  refused, never an array method rule applied to the wrong receiver; ``np.ndarray.sum(a)`` is
  ``a.sum()``; ``np.add.reduce``/``accumulate`` and ``np.multiply.outer`` are ``np.sum``/``np.cumsum``
  and ``np.tensordot(a, b, 0)``;
- ``np.einsum(a, [0, 1], b, [1, 2], [0, 2])`` (sublists) -> ``np.einsum("ab,bc->ac", a, b)``;
- NumPy functions that are other primitives (`REWRITES`): ``divmod(a, b)`` -> ``(a // b, a % b)``,
  ``np.ptp`` -> ``np.max - np.min`` (ties as theirs), ``np.ediff1d`` and ``np.diff(prepend=,
  append=)`` -> ``np.diff`` of a concatenation, ``np.linalg.multi_dot([A, B, C])`` -> ``A @ B @ C``;
  ``np.maximum/minimum.accumulate`` and ``np.logaddexp(2).reduce`` -> runtime helpers;
- ``for idx, v in np.ndenumerate(a)``: a counted loop over ``np.ravel(a)`` (`ndenumerate_space`);
- ``dict(a=x)``, ``dict(pairs)``, ``dict(zip(keys, values))``, ``dict(mapping, k=v)``;
- ``__import__("m")`` / ``importlib.import_module("m")``: the module, as ``import m`` gives it.
"""

from __future__ import annotations

import builtins
import importlib
import inspect
import itertools
import types
from typing import Any

import gast
import numpy as np

from srcad.frontend.resolve import prim_name, type_module
from srcad.lower import (
    draws_np,
    frozen,
    idioms_more,
    iterzip,
    library_lib30,
    library_np,
    objcalls,
    objects,
    values,
)
from srcad.lower.exprs import ExprLowerer
from srcad.lower.reads import ItemRead, note_read, user_class
from srcad.lower.values import UFUNC_METHODS, ModuleRef, PrimRef, defining_op, note_attr
from srcad.ssa.core import Const, Operand, Var


class LibraryCalls(ExprLowerer):
    def library_method(self, base: Any, obj: Any, node: gast.Call) -> Operand:
        """``obj.name(...)`` on an object known at transform time that is not an array: a call of
        the bound method (differentiated through its source, or refused), except the unbound
        ``np.ndarray.name(a, ...)`` (the method of `a`) and ufunc methods with an equivalent."""
        if isinstance(obj, frozen.Frozen):  # d = norm(mu, s); d.logpdf(x)
            return frozen.call_method(self, obj, node)
        if (out := objects.factory_call(self, obj, node)) is not None:  # C.make(...): cls(...)
            return out
        if (out := objcalls.global_method(self, base, obj, node)) is not None:  # MD.loss(x)
            return out
        attr = node.func.attr
        if obj is itertools.chain and attr == "from_iterable":  # as chain(*seqs): iterzip.py
            if (out := iterzip.listed_chain(self, node)) is not None:
                return out
        args, kwargs = self.call_args(node)
        self.at(node)
        if isinstance(obj, type) and issubclass(obj, np.ndarray) and args:
            return self.op(f"method.{attr}", args, kwargs)
        if isinstance(obj, np.ufunc):
            out = self.ufunc_method(obj, attr, args, kwargs)
            if out is not None:
                return out
        if type_module(obj).startswith("scipy.stats."):  # scipy.stats.norm.logpdf: a prim
            prim = prim_name(getattr(obj, attr, None))
            if prim is not None:  # NumPy formulas for some (library_np.REWRITES), else a prim
                return self.library_rewrite(prim, args, kwargs) or self.op(prim, args, kwargs)
        if attr in draws_np.KINDS and isinstance(obj, draws_np.GENERATORS):  # RNG.normal(mu, s)
            out = draws_np.draw(self, self.operand(base, node.func.value), attr, args, kwargs)
            if out is not None:
                return out
        held = _held_function(obj, attr)  # NS.act(x) with NS.act = np.tanh: the primitive
        if held is not None:
            note_attr(obj, attr, held[0])  # (rebinding NS.act makes a new transform)
            return self.library_rewrite(held[1], args, kwargs) or self.op(held[1], args, kwargs)
        recv = self.operand(base, node.func.value)
        return self.op("call", [self.op(f"attr.{attr}", [recv]), *args], kwargs)

    def ufunc_method(self, uf: Any, attr: str, args: list, kwargs: dict) -> Operand | None:
        """``np.add.reduce(a, axis)`` -> ``np.sum(a, axis=axis)`` (axis 0 by default),
        ``np.multiply.outer(a, b)`` -> ``np.tensordot(a, b, 0)``; None for the others."""
        if (uf.__name__, attr) == ("multiply", "outer") and len(args) == 2 and not kwargs:
            return self.op("numpy.tensordot", [args[0], args[1], Const(0)])
        if attr == "outer" and uf.nin == 2 and uf.nout == 1 and len(args) == 2 and not kwargs:
            return library_np.ufunc_outer(self, uf, args[0], args[1])
        name = UFUNC_METHODS.get((uf.__name__, attr))
        if name is None and args:
            return self._ufunc_extra(uf.__name__, attr, args, kwargs)
        if name is None or not args:
            return None
        params = ["axis", "dtype"]  # an `out` array (the 4th argument) is not tracked: refused
        # (`initial=`, `where=`: the same parameters, meaning the same, of np.sum/prod/max/min)
        extra = {"keepdims", "initial", "where"} if attr == "reduce" else set()
        if len(args) > 1 + len(params) or set(kwargs) - {*params, *extra}:
            return None
        kw = dict(zip(params, args[1:])) | kwargs
        kw.setdefault("axis", Const(0))
        if name in ("numpy.max", "numpy.min"):  # no dtype parameter
            if "dtype" in kw and kw.pop("dtype") != Const(None):
                return None
        return self.op(name, [args[0]], kw)

    def _ufunc_extra(self, uf: str, attr: str, args: list, kwargs: dict) -> Operand | None:
        """``np.maximum/minimum/fmax/fmin.accumulate(a, axis=0)`` -> ``_srcad.ext_accumulate``,
        ``np.add.reduceat(a, indices, axis=0)`` -> ``_srcad.add_reduceat`` (rules/numpy_api13),
        ``np.maximum/minimum.reduceat`` -> ``_srcad.ext_reduceat`` (rules/reduceat_unique),
        ``np.logaddexp(2).reduce(a, axis=0, keepdims=)`` -> ``_srcad.lae_reduce`` (a logsumexp, no
        scipy); None for the others."""
        if attr == "accumulate" and uf in ("maximum", "minimum", "fmax", "fmin"):
            b = _bind(lambda array, axis=0, dtype=None: None, args, kwargs)
            if b is None or b["dtype"] != Const(None):
                return None
            return self.op("srcad.runtime.ext_accumulate", [b["array"], b["axis"], Const(uf)])
        if attr == "accumulate" and uf in ("logaddexp", "logaddexp2"):
            b = _bind(lambda array, axis=0, dtype=None: None, args, kwargs)
            return None if b is None else library_np.lae_accumulate(self, uf, **b)
        if attr == "reduceat" and uf in ("add", "maximum", "minimum"):  # (dtype, out: refused)
            b = _bind(lambda array, indices, axis=0: None, args, kwargs)
            if b is None or uf == "add":
                return None if b is None else self.op("srcad.runtime.add_reduceat", [*b.values()])
            return self.op("srcad.runtime.ext_reduceat", [*b.values(), Const(uf)])
        if attr == "reduce" and uf in ("logaddexp", "logaddexp2"):
            b = _bind(lambda array, axis=0, dtype=None, keepdims=False: None, args, kwargs)
            if b is None or b["dtype"] != Const(None):
                return None
            x, rest = b["array"], [b["axis"], b["keepdims"]]
            if uf == "logaddexp":
                return self.op("srcad.runtime.lae_reduce", [x, *rest])
            ln2 = self.op("srcad.runtime.ln2_of", [x])  # (a long double's own: precision)
            lse = self.op("srcad.runtime.lae_reduce", [self.op("mul", [x, ln2]), *rest])
            return self.op("truediv", [lse, ln2])
        return None

    def library_rewrite(self, name: str, args: list, kwargs: dict) -> Operand | None:
        """A call of `name` as the primitives it equals (see `REWRITES`), or None. A ufunc's
        keywords that say what its defaults say (``out=None``, ``casting="same_kind"``) are
        dropped from `kwargs` (its rules bind the arguments that carry a derivative only)."""
        if kwargs and name.startswith("numpy.") and library_lib30.is_ufunc_name(name):
            library_lib30.drop_default_keywords(kwargs)
        if "dtype" in kwargs and (out := library_np.ufunc_dtype(self, name, args, kwargs)):
            return out
        if name not in REWRITES and name not in library_np.REWRITES:
            return None
        sig, fn = REWRITES.get(name) or library_np.REWRITES[name]
        b = _bind(sig, args, kwargs)
        return None if b is None else fn(self, **b)

    def _divmod(self, x1: Operand, x2: Operand) -> Operand:
        # Python's float divmod is (x // y, x % y) by definition, as np.divmod is; an object's
        # own __divmod__ is refused when the code runs (`_srcad.divmod_operand`)
        if not (isinstance(x1, Const) and isinstance(x2, Const)):
            x1 = self.op("srcad.runtime.divmod_operand", [x1, x2])
        q = self.op("floordiv", [x1, x2])
        return self.op("tuple", [q, self.op("mod", [x1, x2])])

    def _ptp(self, a: Operand, axis: Operand, out: Operand, keepdims: Operand) -> Operand | None:
        if out != Const(None):
            return None
        kw = {"axis": axis, "keepdims": keepdims}
        hi, lo = self.op("numpy.max", [a], dict(kw)), self.op("numpy.min", [a], dict(kw))
        return self.op("sub", [hi, lo])

    def _edges(self, a: Operand, axis: Operand, first: Operand, last: Operand) -> list:
        """``[first', a, last']``: `first`/`last` as NumPy's diff prepends/appends them (a scalar
        broadcast to a slice of `a` along `axis`; None: empty)."""
        shape = self.op("numpy.shape", [a])
        edge = [self.op("srcad.runtime.diff_edge", [e, shape, axis]) for e in (first, last)]
        return [edge[0], a, edge[1]]

    def _diff(self, a, n, axis, prepend, append) -> Operand | None:  # noqa: ANN001
        if prepend == _NOVALUE and append == _NOVALUE:
            return None
        if not (isinstance(n, Const) and type(n.value) is int and n.value > 0):
            return None  # n == 0 returns `a` without the edges: refused unless known
        pre = Const(None) if prepend == _NOVALUE else prepend
        app = Const(None) if append == _NOVALUE else append
        parts = self.op("list", self._edges(a, axis, pre, app))
        joined = self.op("numpy.concatenate", [parts], {"axis": axis})
        return self.op("numpy.diff", [joined, n, axis])

    def _ediff1d(self, ary: Operand, to_end: Operand, to_begin: Operand) -> Operand:
        flat = self.op("numpy.ravel", [ary])
        if to_end == Const(None) and to_begin == Const(None):
            return self.op("numpy.diff", [flat])
        parts = self._edges(self.op("numpy.diff", [flat]), Const(0), to_begin, to_end)
        parts[0], parts[2] = (self.op("numpy.ravel", [p]) for p in (parts[0], parts[2]))
        joined = self.op("numpy.concatenate", [self.op("list", parts)])
        # NumPy's result has `ary`'s dtype, the edges cast to it (its TypeError when that cast is
        # not same_kind: float edges of an int array)
        dtype = self.op("srcad.runtime.ediff_dtype", [flat, to_begin, to_end])
        return self.op("method.astype", [joined, dtype])

    def _multi_dot(self, arrays: Operand, out: Operand) -> Operand | None:
        elts = self._literal_elts(arrays)
        if out != Const(None) or elts is None or len(elts) < 2:
            return None
        return library_np.multi_dot(self, elts)

    def _correlate(self, a: Operand, v: Operand, mode: Operand) -> Operand | None:
        # the convolution with the conjugate reversed ('valid'/'full': any lengths); 'same' is
        # the full one sliced where np.correlate takes it (otherwise than convolve when v is longer)
        if not (isinstance(mode, Const) and mode.value in ("valid", "full", "same")):
            return None
        rev = self.op("getitem", [self.op("numpy.conjugate", [v]), Const(slice(None, None, -1))])
        if mode.value != "same":
            return self.op("numpy.convolve", [a, rev, mode])
        full = self.op("numpy.convolve", [a, rev, Const("full")])
        lens = [self.op("len", [a]), self.op("len", [v])]
        return self.op("getitem", [full, self.op("srcad.runtime.correlate_same", lens)])

    def _vander(self, x: Operand, N: Operand, increasing: Operand) -> Operand | None:  # noqa: N803
        if not (isinstance(increasing, Const) and isinstance(increasing.value, bool)):
            return None
        x = self.op("numpy.asarray", [x])
        n = self.op("len", [x]) if N == Const(None) else N
        library_np.vander_checks(self, x, n)
        powers = self.op("numpy.arange", [n])
        if not increasing.value:
            powers = self.op("sub", [self.op("sub", [n, Const(1)]), powers])
        col = self.op("getitem", [x, Const((slice(None), None))])
        return self.op("pow", [col, powers])

    def _meshgrid(self, xi: tuple, copy: Operand, sparse: Operand, indexing: Operand):  # noqa: ANN202
        if not all(isinstance(c, Const) for c in (copy, sparse, indexing)) or not xi:
            return None
        if indexing.value not in ("xy", "ij") or copy.value is not True:
            return None
        n = len(xi)
        place = list(range(n))
        if indexing.value == "xy" and n > 1:
            place[0], place[1] = 1, 0
        out = []
        for x, k in zip(xi, place):
            shape = tuple(-1 if i == k else 1 for i in range(n))
            out.append(self.op("numpy.reshape", [x, Const(shape)]))
        if not sparse.value and n > 1:  # the broadcast shape: every other axis as ones
            ones = [self.op("numpy.ones_like", [r]) for r in out]
            full = []
            for i, r in enumerate(out):
                for j, o in enumerate(ones):
                    r = r if i == j else self.op("mul", [r, o])
                full.append(r)
            out = full
        return self.op("tuple", out)

    def _cov_rows(self, m: Operand, rowvar: Operand) -> Operand:
        return self.op("srcad.runtime.cov_rows", [m, rowvar])

    def _centered_gram(self, m, y, rowvar, bias, ddof) -> Operand | None:  # noqa: ANN001
        """``X X^T / (N - ddof)`` of the centered variables (rows) of m (and y): 2-D."""
        if not (isinstance(bias, Const) and isinstance(ddof, Const)):
            return None
        if library_np.not_integral(ddof.value):  # NumPy's ValueError, from the call itself
            return None
        X = self._cov_rows(m, rowvar)
        if y != Const(None):
            X = self.op("numpy.concatenate", [self.op("tuple", [X, self._cov_rows(y, rowvar)])])
        if ddof.value is None:
            ddof = Const(0 if bias.value else 1)
        n = self.op("getitem", [self.op("numpy.shape", [X]), Const(1)])
        fact = self.op("numpy.maximum", [self.op("sub", [n, ddof]), Const(0.0)])  # as NumPy:
        scale = self.op("truediv", [Const(1), fact])  # none left: inf (it warns), no error
        mean = self.op("numpy.mean", [X], {"axis": Const(1), "keepdims": Const(True)})
        Xc = self.op("sub", [X, mean])
        gram = self.op("matmul", [Xc, self.op("numpy.transpose", [Xc])])
        return self.op("mul", [gram, scale])

    def _cov(self, m, y, rowvar, bias, ddof, fweights, aweights, dtype) -> Operand | None:  # noqa: ANN001
        if dtype != Const(None):
            return None
        if (fweights, aweights) != (Const(None),) * 2:
            return library_np.cov_weighted(self, m, y, rowvar, bias, ddof, fweights, aweights)
        c = self._centered_gram(m, y, rowvar, bias, ddof)
        return None if c is None else self.op("numpy.squeeze", [c])

    def _corrcoef(self, x, y, rowvar, dtype) -> Operand | None:  # noqa: ANN001
        if dtype != Const(None):
            return None
        c = self._centered_gram(x, y, rowvar, Const(False), Const(None))
        sd = self.op("numpy.sqrt", [self.op("numpy.diagonal", [c])])
        c = self.op("truediv", [c, self.op("getitem", [sd, Const((slice(None), None))])])
        c = self.op("truediv", [c, self.op("getitem", [sd, Const((None, slice(None)))])])
        c = self.op("numpy.clip", [c, Const(-1), Const(1)])
        return self.op("numpy.squeeze", [c])

    def ndenumerate_space(self, it: Any) -> tuple | None:
        """``for idx, v in np.ndenumerate(a)``: (start, stop, step, item(i)) over the flat
        elements, the index tuples ``np.ndindex`` yields listed once (Python ints, as NumPy's
        ndenumerate gives: ``np.unravel_index``'s NumPy ints would make ``v * i`` of a float32
        `v` float64); None when `it` is another call."""
        if not isinstance(it, gast.Call) or it.keywords or len(it.args) != 1:
            return None
        f = self.expr(it.func)
        if not (isinstance(f, PrimRef) and f.name == "numpy.ndenumerate"):
            return None
        a = self.value(it.args[0])
        self.at(it)
        flat = self.op("numpy.ravel", [a])
        shape = self.op("numpy.shape", [a])
        n = self.op("len", [flat], hint="n")
        idxs = self.op("srcad.runtime.as_sequence", [self.op("numpy.ndindex", [shape])])

        def item(i: Var) -> Operand:
            idx = self.op("getitem", [idxs, i])
            return self.op("tuple", [idx, self.op("getitem", [flat, i])])

        return Const(0), n, Const(1), item

    def einsum_sublists(self, node: gast.Call, args: list) -> list:
        """``np.einsum(a, [0, 1], b, [1, 2])`` -> ``np.einsum("ab,bc->ac", a, b)``; a global or
        closure string (or ``+`` of them) is its value; f-strings, a `spec` parameter pass on."""
        text = self._static_str(args[0])
        if text is not None:
            return [Const(text), *args[1:]]
        sub = len(args) < 2 or isinstance(self._literal(args[1]), (list, tuple))
        sub = sub or isinstance(self.static_object(args[1])[1], (list, tuple))  # (SUBLIST)
        if values.built_str(args[0], self.b.block.ops, self.outer_ops) or not sub:  # or `spec`
            return args  # (a str when it runs: the rules take the subscripts then, checking)
        pairs, out = (args[:-1], self._literal(args[-1])) if len(args) % 2 else (args, None)
        ops, subs = pairs[0::2], [self._literal(a) for a in pairs[1::2]]
        given = len(args) % 2 == 1
        lists = all(isinstance(s, (list, tuple)) for s in subs)
        if not given and lists and all(type(i) is int or i is Ellipsis for s in subs for i in s):
            # implicit output: NumPy sorts the labels as ints, not as letters ("A" < "a")
            ints = [i for s in subs for i in s if i is not Ellipsis]
            ell = [Ellipsis] if len(ints) < sum(len(s) for s in subs) else []
            out = ell + sorted(i for i in set(ints) if ints.count(i) == 1)
        subscripts = None if given and out is None else values.einsum_subscripts(subs, out)
        if subscripts is None:
            raise self.error(
                node,
                "`np.einsum` with sublists is supported only for literal lists of ints",
                "write the subscripts as a string, e.g. np.einsum('ij,jk->ik', a, b)",
            )
        return [Const(subscripts), *ops]

    def _static_str(self, v: Operand, depth: int = 0) -> str | None:
        """The transform-time value of `v` when it is a string: a constant, a global or closure
        name holding one (a read the cache key records), or ``a + b`` of such strings."""
        if isinstance(v, Const):
            return v.value if isinstance(v.value, str) else None
        if not isinstance(v, Var) or depth > 8:
            return None
        op = defining_op(v, self.b.block.ops, self.outer_ops)
        if op is not None and op.prim == "add" and len(op.args) == 2 and not op.kwargs:
            parts = [self._static_str(a, depth + 1) for a in op.args]
            return None if None in parts else parts[0] + parts[1]
        if op is None or op.prim not in ("global", "free"):
            return None
        known, obj = self.static_object(v)
        if not known or type(obj) is not str:
            return None
        if op.prim == "global":
            note_read(self.home_ns.globals, ItemRead(op.params["name"]), obj)
        return obj

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
            src = self.value(idioms_more.spread(self, arg, pairs=True))  # (objects: objiter)
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


_NOVALUE = Const(np._NoValue)
# the parameter lists of the lambdas `_bind` is given (constants): (code, defaults) -> signature
_SIGNATURES: dict[tuple, inspect.Signature] = {}


def _bind(sig: Any, args: list, kwargs: dict) -> dict[str, Operand] | None:
    """The arguments of a call bound to the parameters of `sig` (defaults as `Const`s), or None
    when they do not bind."""
    kw = sig.__kwdefaults__
    key = (sig.__code__, sig.__defaults__, tuple(kw.items()) if kw else None)
    s = _SIGNATURES.get(key)
    if s is None:
        s = _SIGNATURES[key] = inspect.signature(sig)
    try:
        b = s.bind(*args, **kwargs)
    except TypeError:
        return None
    b.apply_defaults()
    star = {p.name for p in b.signature.parameters.values() if p.kind is p.VAR_POSITIONAL}
    return {
        k: v if isinstance(v, Operand) or k in star else Const(v) for k, v in b.arguments.items()
    }


REWRITES = {
    "divmod": (lambda x1, x2, /: None, LibraryCalls._divmod),
    "numpy.divmod": (lambda x1, x2, /: None, LibraryCalls._divmod),
    "numpy.ptp": (lambda a, axis=None, out=None, keepdims=False: None, LibraryCalls._ptp),
    "numpy.diff": (
        lambda a, n=1, axis=-1, prepend=np._NoValue, append=np._NoValue: None,
        LibraryCalls._diff,
    ),
    "numpy.ediff1d": (lambda ary, to_end=None, to_begin=None: None, LibraryCalls._ediff1d),
    "numpy.linalg.multi_dot": (lambda arrays, *, out=None: None, LibraryCalls._multi_dot),
    "numpy.correlate": (lambda a, v, mode="valid": None, LibraryCalls._correlate),
    "numpy.vander": (lambda x, N=None, increasing=False: None, LibraryCalls._vander),
    "numpy.meshgrid": (
        lambda *xi, copy=True, sparse=False, indexing="xy": None,
        LibraryCalls._meshgrid,
    ),
    "numpy.cov": (
        lambda m, y=None, rowvar=True, bias=False, ddof=None, fweights=None, aweights=None, *, dtype=None: (
            None
        ),
        LibraryCalls._cov,
    ),
    "numpy.corrcoef": (
        lambda x, y=None, rowvar=True, *, dtype=None: None,
        LibraryCalls._corrcoef,
    ),
}


def _held_function(obj: Any, attr: str) -> tuple[Any, str] | None:
    """(the function, its primitive) when `obj` is a ``SimpleNamespace`` or an object of a user
    class whose own attribute `attr` holds a NumPy/math function srcad has as a primitive."""
    if not (type(obj) is types.SimpleNamespace or user_class(obj) is not None):
        return None
    value = getattr(obj, "__dict__", {}).get(attr)
    if value is None or isinstance(value, types.FunctionType):
        return None
    prim = prim_name(value)
    return None if prim is None else (value, prim)
