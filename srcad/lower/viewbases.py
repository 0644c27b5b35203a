"""Which expressions make a new NumPy array (for lower/viewfacts.py, whose bases they are).

Input: gast expressions and the function's namespace. Output: `Base` facts: an expression
certainly makes a new, writeable array that no other name holds (its rank and layout when the
source says so), or may make a number (`Base.number`: ``x * 2.0`` of a float `x`), or one
asserted an ndarray when the code runs (`Base.checked`: ``x.copy()``, a list's copy being a
list). Makers: the NumPy functions below, ufuncs and ``np.clip`` of an operand made here,
arithmetic (``+ - * / **``) of one, ``a @ b`` (a number of two 1-D operands),
``np.tensordot``, ``.T`` / ``np.transpose`` / a C-order ``.reshape(...)`` of a new array (a
view no name holds, or a copy); an operand
is such an expression or a base's name (`Makers.operand`). `pairs` reads the (name, value)
pairs of an assignment.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import gast
import numpy as np

# NumPy function -> (rank rule, C-contiguous, most positional arguments: never `order`/`copy`):
# "shape" (the first argument), a fixed rank, None
_MAKERS: dict[Any, tuple[Any, bool, int]] = {
    np.zeros: ("shape", True, 2),
    np.ones: ("shape", True, 2),
    np.empty: ("shape", True, 2),
    np.full: ("shape", True, 3),
    np.eye: (2, True, 2),
    np.identity: (2, True, 1),
    np.arange: (1, True, 4),
    np.linspace: (1, True, 3),
    np.outer: (2, False, 2),
    np.array: (None, False, 1),
    np.copy: (None, False, 1),
}
# joining functions of one argument (their rank: at least) -> a new C-contiguous array
_JOINS: dict[Any, int] = {np.stack: 1, np.vstack: 2, np.concatenate: 1, np.hstack: 1}
# functions whose result is always a new array of their own -> most positional arguments
_FRESH: dict[Any, int] = {np.cov: 2, np.corrcoef: 2}
_MAKER_KWS = frozenset({"dtype", "M", "k", "endpoint"})  # keywords that keep the array plain
_ARITH = (gast.Add, gast.Sub, gast.Mult, gast.Div, gast.Pow)
_READS = (gast.Name, gast.Attribute, gast.Subscript, gast.Call)  # values of unknown type


@dataclass(frozen=True)
class Base:
    rank: int | None  # known rank, or None
    contiguous: bool  # certainly C-contiguous
    checked: bool = False  # ``y = x.copy()``: an ndarray only if checked when the code runs
    least: int = 0  # a rank it has at least (``np.zeros((3, 3)) + b``: 2, broadcasting)
    number: bool = False  # ``x * 2.0``: may be a number (x a float), so only ``A[...]`` views
    param: bool = False  # a parameter: ``t = x`` too (no ``t op= v`` after it: `Facts.chain`)


class Makers:
    """The maker rules over a namespace `ns`, the `bases` found so far, NumPy's global name
    `np_name` (None: no run-time check can be written) and the names holding list/dict/set
    displays (`literals`); lower/viewfacts.Facts fills them."""

    ns: Any
    bases: dict
    np_name: str | None
    literals: set

    def _resolve(self, func: Any) -> Any:
        if isinstance(func, gast.Name):
            kind, value = self.ns.lookup(func.id)
            return value if kind in ("global", "free", "builtin") else None
        if isinstance(func, gast.Attribute) and isinstance(func.value, gast.Name):
            kind, mod = self.ns.lookup(func.value.id)
            if kind in ("global", "free") and mod is np:
                return getattr(np, func.attr, None)
        return None

    def array(self, e: Any) -> Base | None:
        """The new array `e` certainly makes (its rank and layout when known), or None."""
        if isinstance(e, gast.BinOp) and isinstance(e.op, _ARITH):
            a, b = self.operand(e.left), self.operand(e.right)
            if a is not None and b is not None:
                same = a.rank is not None and a.rank == b.rank
                least, number = max(rank_least(a), rank_least(b)), a.number and b.number
                checked = a.checked or b.checked  # (`xs * 2` of a list's copy: a list)
                return Base(a.rank if same else None, False, checked, least, number)
            got, other = (a, e.right) if a is not None else (b, e.left)
            if got is None:  # `x * 2.0` of a value read (not a list's repetition `xs * 2`)
                num = e.left if numeric(e.left) else e.right if numeric(e.right) else None
                val = e.right if num is e.left else e.left
                repeat = (  # (`xs * -1`, `xs * 0`: an empty list or tuple, sharing nothing)
                    isinstance(e.op, gast.Mult)
                    and num is not None
                    and type(_constant(num)) is int
                    and not _non_positive(num)
                )
                if num is None or repeat or not isinstance(val, _READS) or self.np_name is None:
                    return None
                return Base(None, False, checked=True, number=True)  # new if an array (asserted)
            if not numeric(other):  # an array's arithmetic with anything: a new array, if one
                made = Base(None, False, checked=True, least=rank_least(got), number=got.number)
                return made if self.np_name is not None else None
            return Base(got.rank, got.contiguous, got.checked, got.least, got.number)
        if isinstance(e, gast.BinOp) and isinstance(e.op, gast.MatMult):
            return self._matmul(e)
        if isinstance(e, gast.UnaryOp) and isinstance(e.op, gast.USub):
            return self.array(e.operand)
        turned = self._turned(e)
        if turned is not None:  # `np.transpose(np.ones((2, 3)) * c)`: a view of a new array
            got = self.array(turned)  # no name holds, so a new array itself (never contiguous)
            if got is not None and not got.number:
                return Base(got.rank, False, got.checked, least=got.least)
            return None
        if self._reshaped(e) is not None or _plain_reshape(e):  # `x.copy().reshape(2, 3)`
            got = self.array(e.func.value)  # (C order: a view of a contiguous new array no name
            if got is not None and not got.number:  # holds, else a new copy; contiguous)
                return Base(self._reshaped(e), True, got.checked)
            return None
        if (
            isinstance(e, gast.Call)
            and isinstance(e.func, gast.Attribute)
            and e.func.attr == "copy"
            and not e.args
            and not e.keywords
            and self.np_name is not None
            and not (isinstance(e.func.value, gast.Name) and e.func.value.id in self.literals)
        ):  # a list's copy is a list, an array's is C-contiguous: checked when it runs
            return Base(self._reshaped(e.func.value), True, checked=True)
        if (
            isinstance(e, gast.Call)
            and isinstance(e.func, gast.Attribute)
            and e.func.attr == "astype"
            and len(e.args) == 1
            and not e.keywords
            and self.np_name is not None
        ):  # a new array of the receiver's layout
            return Base(None, False, checked=True)
        if isinstance(e, gast.Call) and self._tensordot(e):
            return Base(None, False)  # (`T[i]` of one of unknown rank: asserted a view)
        if not isinstance(e, gast.Call) or any(k.arg not in _MAKER_KWS for k in e.keywords):
            return None
        if (fresh := self._fresh(e)) is not None:
            return fresh
        f = self._resolve(e.func)
        if isinstance(f, np.ufunc) and f.nout == 1 and len(e.args) == f.nin and not e.keywords:
            return self._ufunc(e.args)  # `np.exp(S)`, `np.maximum(S, 0.0)`: a new array
        if f is np.clip and len(e.args) == 3 and not e.keywords:
            return self._ufunc(e.args)
        joined = next((r for m, r in _JOINS.items() if m is f), None) if f is not None else None
        if joined is not None and len(e.args) == 1 and not e.keywords:
            if not isinstance(e.args[0], gast.Starred):  # (a new C-contiguous array)
                return Base(None, True, checked=joined < 2, least=joined)
        rule = next((r for m, r in _MAKERS.items() if m is f), None) if f is not None else None
        if rule is None or not e.args or any(isinstance(a, gast.Starred) for a in e.args):
            return None
        rank, contiguous, most = rule
        if len(e.args) > most:
            return None
        if rank == "shape":
            rank = shape_rank(e.args[0])
        if f is np.array and rank is None:  # `np.array(np.tile(x, (2, 1)))`: at least 2-D
            rank, least = self._rank_of(e.args[0])
            return Base(rank, False, least=least)
        return Base(rank, contiguous)

    def _fresh(self, e: gast.Call) -> Base | None:
        """``np.einsum("ij,jk->ik", a, b)`` (two operands or more: with one it may be a view of
        it), ``np.linalg.solve(a, b)``, ``np.linalg.inv(a)``, ``np.cov(m)``, ``np.tile(a, reps)``
        (of ``len(reps)`` dimensions at least): a new array of
        their own whatever the operands (``A[i]`` of one of unknown rank: asserted a view when
        the code runs); the rank of einsum's output from a literal string."""
        if e.keywords or any(isinstance(a, gast.Starred) for a in e.args):
            return None
        f = self._dotted(e.func)
        if f is np.einsum and len(e.args) >= 3 and isinstance(e.args[0], gast.Constant):
            subs = e.args[0].value
            if not isinstance(subs, str):
                return None
            ins, arrow, out = subs.replace(" ", "").partition("->")
            labels = ins.replace(",", "")
            if not arrow or "." in subs or not (out or "a").isalpha():
                return Base(None, False)
            return Base(len(out), False) if labels.isalpha() and out else Base(None, False)
        if f is np.linalg.inv and len(e.args) == 1:
            return Base(None, False, least=2)  # (of a stack of matrices: 2-D at least)
        if f is np.linalg.solve and len(e.args) == 2:  # b of rank >= 2: the result's rank >= b's
            b = self.operand(e.args[1])
            least = rank_least(b) if b is not None and not b.number else 0
            return Base(None, False, least=least if least >= 2 else 0)
        if f is np.tile and len(e.args) == 2:  # a new array (a copy even for reps of ones)
            return Base(None, False, least=shape_rank(e.args[1]) or 0)  # max(ndim, len(reps))
        if f in _FRESH and 1 <= len(e.args) <= _FRESH[f]:
            return Base(None, False)  # (np.cov of one variable: 0-d; `A[i]` asserted a view)
        return None

    def _tensordot(self, e: gast.Call) -> bool:
        """``np.tensordot(a, b)``, ``(a, b, n)``, ``(a, b, axes=n)``: NumPy reshapes the new
        array `np.dot` makes, which no other name holds (0-d for a full contraction)."""
        if any(isinstance(a, gast.Starred) for a in e.args) or self._resolve(e.func) is not (
            np.tensordot
        ):
            return False
        kws = [k.arg for k in e.keywords]
        return (2 <= len(e.args) <= 3 and not kws) or (len(e.args) == 2 and kws == ["axes"])

    def _dotted(self, func: Any) -> Any:
        """The NumPy function ``np.name`` or ``np.linalg.name`` names, else None."""
        if isinstance(func, gast.Attribute) and isinstance(func.value, gast.Attribute):
            mod = self._resolve(func.value)
            return getattr(mod, func.attr, None) if mod is np.linalg else None
        return self._resolve(func)

    def operand(self, e: Any) -> Base | None:
        """What `e` is as an operand of arithmetic or a ufunc, which makes a new array of it:
        a base's name (`bases`: assigned once), or an array made here (`array`)."""
        if isinstance(e, gast.Name):
            return self.bases.get(e.id)
        return self.array(e)

    def _ufunc(self, args: list) -> Base | None:
        """An elementwise function's new array (a NumPy number when every operand is one):
        of an operand's rank at least; its rank when every operand has that rank (or is a
        number)."""
        got = [self.operand(a) for a in args]
        arrays = [g for g in got if g is not None and not g.number]
        if not arrays:
            if len(got) != 1 or got[0] is None:  # (`np.exp(x)`: a NumPy number of a float)
                return None
            return Base(got[0].rank, False, least=got[0].least, number=got[0].number)
        ranks = {g.rank for g in arrays}
        known = len(ranks) == 1 and all(g in arrays or numeric(a) for g, a in zip(got, args))
        return Base(ranks.pop() if known else None, False, least=max(map(rank_least, arrays)))

    @staticmethod
    def _reshaped(e: Any) -> int | None:
        """The rank of ``a.reshape(3, 4)`` / ``a.reshape((3, 4))`` (``a.reshape(3, 4).copy()``
        has it whatever `a`, when an array), else None."""
        if not (isinstance(e, gast.Call) and isinstance(e.func, gast.Attribute)):
            return None
        if e.func.attr != "reshape" or e.keywords or not e.args:
            return None
        if any(isinstance(a, gast.Starred) or _text(a) for a in e.args):
            return None
        if len(e.args) == 1:
            got = shape_rank(e.args[0])
            return got if isinstance(e.args[0], (gast.Tuple, gast.List)) else None
        return len(e.args)

    def _turned(self, e: Any) -> Any:
        """`a` of ``a.T``, ``a.transpose()``, ``np.transpose(a)`` (no axes), else None."""
        if isinstance(e, gast.Attribute) and e.attr == "T":
            return e.value
        if not isinstance(e, gast.Call) or e.keywords or len(e.args) > 1:
            return None
        if isinstance(e.func, gast.Attribute) and e.func.attr == "transpose" and not e.args:
            return e.func.value
        if len(e.args) == 1 and self._resolve(e.func) is np.transpose:
            return e.args[0]
        return None

    def _matmul(self, e: Any) -> Base | None:
        """``a @ b``: a new array, or a number when both are 1-D: known to be an array when an
        operand has two or more dimensions (made here, or a global array's now: a hint, the
        rewrite asserts an ndarray where it relies on it); else a `number` base when an
        operand is made here, else None."""
        a, b = self.operand(e.left), self.operand(e.right)
        ranks = [rank_least(x) if x is not None else self._global_ndim(y) for x, y in
                 ((a, e.left), (b, e.right))]  # fmt: skip
        if (a is None and b is None and max(ranks) < 2) or self.np_name is None:
            return None
        return Base(None, False, checked=True, number=max(ranks) < 2)

    def _global_ndim(self, e: Any) -> int:
        if isinstance(e, gast.Name):
            kind, value = self.ns.lookup(e.id)
            if kind in ("global", "free") and isinstance(value, np.ndarray):
                return value.ndim
        return 0

    def _rank_of(self, e: Any) -> tuple[int | None, int]:
        """(rank, a rank it has at least) of the array expression `e` as far as the source
        says: an array made here (`array`), ``np.tile(a, reps)`` (at least ``len(reps)``),
        ``np.broadcast_to(a, shape)`` (``len(shape)``); else (None, 0)."""
        got = self.array(e)
        if got is not None:
            return got.rank, got.least
        if isinstance(e, (gast.List, gast.Tuple)) and e.elts:  # `np.array([a, b])`
            items = [self.operand(v) for v in e.elts]
            if all(g is not None and not g.number for g in items):
                return None, 1 + min(map(rank_least, items))
            return (1, 0) if all(map(numeric, e.elts)) else (None, 0)
        if not isinstance(e, gast.Call) or e.keywords or len(e.args) != 2:
            return None, 0
        f = self._resolve(e.func)
        k = shape_rank(e.args[1])
        if f is np.tile and k is not None:
            return None, k
        if f is np.broadcast_to and k is not None:
            return k, 0
        return None, 0


def pairs(s: Any) -> list[tuple[Any, Any]]:
    """(Name target, value) of an assignment ``r = e`` or ``a, r = e1, e2`` (a tuple display
    of as many values, no starred item; Python evaluates every value before binding any
    target), else []."""
    t, value = s.targets[0], s.value
    if isinstance(t, gast.Name):
        return [(t, value)]
    if not (isinstance(t, (gast.Tuple, gast.List)) and isinstance(value, gast.Tuple)):
        return []
    if len(t.elts) != len(value.elts) or any(
        isinstance(e, gast.Starred) for e in (*t.elts, *value.elts)
    ):
        return []
    return [(n, v) for n, v in zip(t.elts, value.elts) if isinstance(n, gast.Name)]


def numeric(e: Any) -> bool:
    """`e` is an int or float constant, signed or not (``-0.5``)."""
    return type(_constant(e)) in (int, float)


def _constant(e: Any) -> Any:
    if isinstance(e, gast.UnaryOp) and isinstance(e.op, (gast.USub, gast.UAdd)):
        e = e.operand
    return e.value if isinstance(e, gast.Constant) else None


def _non_positive(e: Any) -> bool:
    """`e` is an int constant <= 0 (``-1``, ``0``): a sequence repeated that often is empty."""
    neg = isinstance(e, gast.UnaryOp) and isinstance(e.op, gast.USub)
    return _constant(e) == 0 or (neg and type(_constant(e)) is int)


def rank_least(b: Base) -> int:
    return b.rank if b.rank is not None else b.least


def shape_rank(shape: Any) -> int | None:
    if isinstance(shape, (gast.Tuple, gast.List)):
        return len(shape.elts) if not any(isinstance(v, gast.Starred) for v in shape.elts) else None
    if isinstance(shape, gast.Constant) and type(shape.value) is int:
        return 1
    return None


def _text(e: Any) -> bool:
    return isinstance(e, gast.Constant) and isinstance(e.value, (str, bytes))


def rebound_first(body: list, name: str, target: Any) -> bool:
    """Is the parameter `name` bound once, by the top-level statement of `body` that stores
    `target`, with no statement before it naming `name` (the value may read it: evaluated
    first)? Then it is a base from there on like a local assigned once (lower/viewfacts.py):
    no view, alias or write of the argument's object precedes the rebinding."""
    for s in body:
        if isinstance(s, gast.Assign) and any(t is target for t, _ in pairs(s)):
            return True
        if any(type(n) is gast.Name and n.id == name for n in gast.walk(s)):
            return False
    return False


def _plain_reshape(e: Any) -> bool:
    """``a.reshape(...)`` with positional shape arguments only (C order)."""
    return (
        isinstance(e, gast.Call)
        and isinstance(e.func, gast.Attribute)
        and e.func.attr == "reshape"
        and bool(e.args)
        and not e.keywords
        and not any(isinstance(a, gast.Starred) for a in e.args)
    )
