"""What the source alone proves about NumPy views (for lower/viewwrites.py).

Input: a function's tree and its namespace. Output: `Facts`: the local names certainly bound to a
new, writeable NumPy array (its rank and whether it is C-contiguous, when the source says so), the
names certainly holding Python ints, and `chain`, which reads an expression such as ``A[1]``,
``A[:, 0]``, ``A.T[0]``, ``y.reshape(2, 2)`` or ``u.reshape(-1)[1:]`` as a `View` of such a base
when NumPy returns a view there whatever the run-time values:

- a basic index (ints, slices, ``None``, ``...``) of an ndarray is a view unless it picks one
  element (as many ints as the rank): with no slice, ``None`` or ``...`` the rank must be known;
- ``.T``, ``.transpose()``, ``np.transpose(a)``, ``.swapaxes(i, j)`` are views;
- ``.reshape(...)``, ``np.reshape(a, s)``, ``.ravel()``, ``np.ravel(a)`` are views of a C-contiguous
  array only (of another layout they may copy): a base made C-contiguous (``np.zeros``,
  ``np.ones``, ``np.empty``, ``np.full`` without ``order=``, ``np.eye``, ``np.arange``, ...), or
  one whose layout follows its operands' (``np.copy(a)``, ``a.astype(t)``, arithmetic: `contig`,
  lower/viewwrites.py asserts ``A.flags.c_contiguous`` when the code runs);
- a plain name of the base (``t = A``) is the base itself when it is an ndarray (asserted when
  the code runs: ``np.exp(A)`` of a 0-d `A` is a number, which ``t += v`` would not change);
- fancy indexing, ``np.diagonal`` (read-only), ``np.broadcast_to`` (read-only), ``.flatten()``
  (a copy) and anything else are no `View` (the mutation check then decides, as before).

A base is a local assigned once in the whole function (``A += v`` and ``A = A`` besides; an
item of ``n, A = e1, e2`` counts), by an expression lower/viewbases.py reads as a new array,
never named by ``global``/``nonlocal``: the name holds that array wherever it is bound. A
parameter never rebound (``x += v`` besides) is a base too (`Base.param`: its object is the
caller's; lower/argcopy.py writes the updates back): as a maybe-number only its indexing and
``t = x`` are views, the latter asserted an array, list or dict (alike for ``t[k] = v``) and
never rewritten where ``t op= v`` or ``x op= v`` follows (a float rebinds one name). A copy
``A = x.copy()`` is a `checked` base: a C-contiguous ndarray if it is one at all (a list's copy is
a list), which lower/viewwrites.py asserts where it relies on it (``isinstance(A, np.ndarray)``,
and ``A.ndim >= 2`` for its rows: never for ``s = A[0]; s += v``, a number of a 1-D `A`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import gast
import numpy as np

from srcad.lower import scope
from srcad.lower.viewbases import Base, Makers, pairs, rebound_first, shape_rank

# every name in NumPy of the functions `Facts._head` reads as views (``np.permute_dims`` is
# ``np.transpose``), their methods' too (lower/viewscan.may_rewrite; tests/lower/test_views.py)
HEAD_FNS = (np.transpose, np.swapaxes, np.ravel, np.reshape)
HEAD_NAMES = frozenset({"transpose", "swapaxes", "ravel", "reshape", "permute_dims"})
# ``np.asarray(A)``, ``np.asanyarray(A)`` and ``A.view()`` of an ndarray `A` share all of it
SAME_NAMES = frozenset({"asarray", "asanyarray", "view"})
DISPLAYS = (gast.List, gast.Dict, gast.Set, gast.ListComp, gast.DictComp, gast.SetComp)
_INT_ARITH = (gast.Add, gast.Sub, gast.Mult, gast.FloorDiv, gast.Mod)


@dataclass(frozen=True)
class View:
    """``base.<head>[idx0][idx1]...``: `head` is None, "T", "swap" (swapaxes) or "reshape"
    (reshape/ravel; the head's node is `head_node`), `idxs` the index nodes, `deps` every name
    it reads."""

    base: str
    head: str | None
    head_node: Any
    idxs: tuple
    deps: frozenset
    need: int = 0  # a checked base: the rank to assert (0: only that it is an ndarray)
    contig: bool = False  # a reshape of a base not made C-contiguous: asserted when it runs
    least: int = 0  # a checked base's rank the view relies on (`Base.least`): asserted too
    alias: bool = False  # ``t = A``: the same object, an ndarray asserted when it runs
    strict: bool = False  # ``np.asarray(A)``: an ndarray asserted (never a list: a copy)
    f64: bool = False  # ``np.asarray(A, dtype=float)``: and ``A.dtype == np.float64`` (else a copy)
    branch: bool = False  # `need` unchecked: ``r op= v`` tests the rank (lower/viewbranch.py)


class Facts(Makers):
    def __init__(self, root: Any, ns: Any) -> None:
        self.ns = ns
        stores: dict[str, list] = {}
        assigns: dict[str, Any] = {}
        range_targets: dict[str, int] = {}
        declared: set[str] = set()
        aug_targets: set[int] = set()
        for node in scope.walk(root):  # one walk (a list, no expression contexts)
            if isinstance(node, (gast.Global, gast.Nonlocal)):
                declared.update(node.names)
            elif isinstance(node, gast.Name) and isinstance(node.ctx, (gast.Store, gast.Del)):
                stores.setdefault(node.id, []).append(node)
            elif isinstance(node, (gast.FunctionDef, gast.ClassDef, gast.AsyncFunctionDef)):
                stores.setdefault(node.name, []).append(node)
            elif isinstance(node, gast.alias):
                stores.setdefault((node.asname or node.name).split(".")[0], []).append(node)
            elif isinstance(node, gast.Assign) and len(node.targets) == 1:
                for t, value in pairs(node):
                    if isinstance(value, gast.Name) and value.id == t.id:
                        aug_targets.add(id(t))  # `A = A`: the same object
                    else:
                        assigns[id(t)] = value
            elif isinstance(node, gast.For) and isinstance(node.target, gast.Name):
                if self.builtin_call(node.iter, "range"):
                    range_targets[node.target.id] = range_targets.get(node.target.id, 0) + 1
            elif (
                isinstance(node, gast.AugAssign)
                and isinstance(node.target, gast.Name)
                and not isinstance(node.op, gast.MatMult)
            ):
                aug_targets.add(id(node.target))
        params = {p.id for p in scope.walk(root.args) if isinstance(p, gast.Name)}
        self.bases: dict[str, Base] = {}
        self.ints: set[str] = set()
        self.literals: set[str] = set()  # names assigned once, a list/dict/set display
        # a global name of NumPy itself: the run-time check of ``x.copy()`` bases names it
        self.np_name = next(
            (n for n in sorted(ns.globals) if ns.globals[n] is np and ns.lookup(n)[1] is np), None
        )
        if self.np_name in stores or ns.lookup("isinstance")[0] != "builtin":
            self.np_name = None
        for name, nodes in stores.items():
            if name in params or name in declared:
                continue
            if len(nodes) == range_targets.get(name, -1):
                self.ints.add(name)
            plain = [n for n in nodes if id(n) not in aug_targets]
            if len(plain) == 1 and isinstance(assigns.get(id(plain[0])), DISPLAYS):
                self.literals.add(name)
        made = {}
        for name, nodes in stores.items():
            if name in declared:
                continue
            plain = [n for n in nodes if id(n) not in aug_targets]
            if len(plain) == 1 and id(plain[0]) in assigns:
                if name not in params or rebound_first(root.body, name, plain[0]):
                    made[name] = assigns[id(plain[0])]
        rebound = {n for n, nodes in stores.items() if any(id(m) not in aug_targets for m in nodes)}
        for name in sorted(params - rebound - declared):  # an argument's object throughout
            self.bases[name] = Base(None, False, True, number=True, param=True)
        grew = True
        while grew:  # `B = A + A` of a base `A` assigned later in the text (a loop) too
            grew = False
            for name, value in made.items():
                if name not in self.bases:
                    got = self.array(value)
                    if got is not None:
                        self.bases[name] = got
                        grew = True

    # -- what the source proves ------------------------------------------------------------------
    def builtin_call(self, node: Any, name: str) -> bool:
        return (
            isinstance(node, gast.Call)
            and isinstance(node.func, gast.Name)
            and node.func.id == name
            and self.ns.lookup(name)[0] == "builtin"
        )

    def is_int(self, e: Any) -> bool:
        """`e` is certainly a Python int (a constant, a `range` loop's variable, their arithmetic)."""
        if isinstance(e, gast.Constant):
            return type(e.value) is int
        if isinstance(e, gast.Name):
            return e.id in self.ints
        if isinstance(e, gast.UnaryOp) and isinstance(e.op, gast.USub):
            return self.is_int(e.operand)
        if isinstance(e, gast.BinOp) and isinstance(e.op, _INT_ARITH):
            return self.is_int(e.left) and self.is_int(e.right)
        return False

    def _np_int(self, e: Any) -> bool:
        """``np.int64(i)`` (any NumPy integer type) of an int `i`: an index as `i` is."""
        return (
            isinstance(e, gast.Call)
            and len(e.args) == 1
            and not e.keywords
            and self.is_int(e.args[0])
            and isinstance(t := self._resolve(e.func), type)
            and issubclass(t, np.integer)
        )

    def _index(self, idx: Any) -> tuple[int, bool] | None:
        """(how many ints, whether a slice/None/... makes the result an array) of a basic index."""
        parts = idx.elts if isinstance(idx, gast.Tuple) else [idx]
        ints, arr = 0, False
        for p in parts:
            if isinstance(p, gast.Slice) or (
                isinstance(p, gast.Constant) and (p.value is None or p.value is Ellipsis)
            ):
                arr = True
            elif self.is_int(p) or self._np_int(p):
                ints += 1
            else:
                return None  # an array, a list, a bool or unknown: possibly fancy (a copy)
        return ints, arr

    def chain(self, e: Any) -> View | None:
        """`e` as a view of a base array (the module docstring), or None."""
        idxs: list = []
        while isinstance(e, gast.Subscript):
            idxs.append(e.slice)
            e = e.value
        idxs.reverse()
        head, head_node = None, None
        same = None if idxs else self._same(e)
        if same is not None:  # `u = np.asarray(w)`: `w` itself (a view of all of it)
            base = self.bases.get(same[0].id)
            if base is None or base.param or self.np_name is None:
                return None  # (an argument may be a list, which `np.asarray` copies)
            deps = frozenset({same[0].id})
            return View(same[0].id, None, None, (), deps, alias=True, strict=True, f64=same[1])
        if not isinstance(e, gast.Name):
            head, e, head_node = self._head(e)
            if head is None:
                return None
        base = self.bases.get(e.id)
        if base is None or (
            base.number and (head not in (None, "reshape") or not (idxs or base.param or head))
        ):  # (`t = y`, `y.T` of a number `y`: `t += 1` rebinds, Python's; `y.reshape(2, 3)`
            return None  # of a NumPy number is a new array: `y` asserted an ndarray first)
        if head is None and not idxs:  # `t = A` (a number made by `np.exp(A)` is no alias)
            alias = View(e.id, None, None, (), frozenset({e.id}), alias=True)
            return alias if self.np_name is not None else None
        rank, need, contig, least = base.rank, 0, False, 0
        if head == "reshape":
            contig = not base.contiguous  # (`np.copy(a)` keeps a's layout: asserted C)
            rank = _reshape_rank(head_node, e)
        for k, idx in enumerate(idxs):
            got = self._index(idx)
            if got is None:
                return None
            ints, arr = got
            if k == 0 and head is None and not arr and rank is None and ints < base.least:
                rank = least = base.least  # `(np.zeros((3, 3)) + b)[i]`: a row whatever `b`
            if (base.checked or (rank is None and self.np_name is not None)) and (
                k == 0 and head is None and not arr and not least
            ):  # `A[i]` asserted a view: `A.ndim >= 2` (and an ndarray, `np.array(..) * c`)
                if base.checked and rank is not None:  # (``x.reshape(3, 4).copy()``)
                    least = rank  # asserted, no number: `row = A[1]; row *= 2.0` is a view
                else:
                    rank = need = ints + 1
            nones = sum(
                1
                for p in (idx.elts if isinstance(idx, gast.Tuple) else [idx])
                if isinstance(p, gast.Constant) and p.value is None
            )
            if not arr and (rank is None or ints >= rank):
                return None  # one element (a number) or unknown
            has_ellipsis = any(
                isinstance(p, gast.Constant) and p.value is Ellipsis
                for p in (idx.elts if isinstance(idx, gast.Tuple) else [idx])
            )
            rank = None if rank is None or has_ellipsis else rank - ints + nones
        deps = {e.id} | {
            n.id for part in [head_node, *idxs] if part is not None for n in gast.walk(part)
            if isinstance(n, gast.Name)
        }  # fmt: skip
        least = least if base.checked else 0  # (of a checked base: asserted when it runs)
        return View(e.id, head, head_node, tuple(idxs), frozenset(deps), need, contig, least=least)

    def _same(self, e: Any) -> tuple[Any, bool] | None:
        """(the Name `a`, whether float64 is asserted) of ``np.asarray(a)``, ``np.asanyarray(a)``,
        ``np.asarray(a, dtype=float)`` (``np.float64``), ``a.view()``: `a` itself (or a view
        of all of it) when `a` is an ndarray (of dtype float64 for the third), else None."""
        if not isinstance(e, gast.Call) or any(isinstance(a, gast.Starred) for a in e.args):
            return None
        f, args, kws = e.func, e.args, e.keywords
        if isinstance(f, gast.Attribute) and f.attr == "view" and not args and not kws:
            return (f.value, False) if isinstance(f.value, gast.Name) else None
        g = self._resolve(f)
        if g not in (np.asarray, np.asanyarray) or len(args) != 1:
            return None
        if not isinstance(args[0], gast.Name):
            return None
        if not kws:
            return args[0], False
        if (
            len(kws) == 1
            and kws[0].arg == "dtype"
            and self._resolve(kws[0].value)
            in (
                float,
                np.float64,
            )
        ):
            return args[0], True
        return None

    def _head(self, e: Any) -> tuple[str | None, Any, Any]:
        """("T" | "reshape", the base Name, the call) for ``a.T``, ``a.transpose()``,
        ``np.transpose(a)``, ``a.reshape(...)``, ``np.reshape(a, s)``, ``a.ravel()``,
        ``np.ravel(a)`` of a Name `a`."""
        none = (None, None, None)
        if isinstance(e, gast.Attribute) and e.attr == "T" and isinstance(e.value, gast.Name):
            return "T", e.value, e
        if not isinstance(e, gast.Call) or e.keywords:
            return none
        f, args = e.func, e.args
        if any(isinstance(a, gast.Starred) for a in args):
            return none
        if isinstance(f, gast.Attribute) and isinstance(f.value, gast.Name):
            if f.value.id in self.bases:
                if f.attr == "transpose" and not args:
                    return "T", f.value, e
                if f.attr == "swapaxes" and len(args) == 2 and all(map(self.is_int, args)):
                    return "swap", f.value, e
                if f.attr == "ravel" and not args:
                    return "reshape", f.value, e
                if f.attr == "reshape" and args and not any(_text(a) for a in args):
                    return "reshape", f.value, e  # (never `a.reshape(s, "F")`: may copy)
        g = self._resolve(f)
        if args and isinstance(args[0], gast.Name):
            if g is np.transpose and len(args) == 1:
                return "T", args[0], e
            if g is np.swapaxes and len(args) == 3 and all(map(self.is_int, args[1:])):
                return "swap", args[0], e
            if g is np.ravel and len(args) == 1:
                return "reshape", args[0], e
            if g is np.reshape and len(args) == 2:
                return "reshape", args[0], e
        return none


def _text(e: Any) -> bool:
    return isinstance(e, gast.Constant) and isinstance(e.value, (str, bytes))


def _reshape_rank(call: Any, base: Any) -> int | None:
    """The rank a reshape/ravel call gives (None when unknown)."""
    args = list(call.args)
    if isinstance(call.func, gast.Attribute) and call.func.attr == "ravel":
        return 1
    if args and isinstance(args[0], gast.Name) and args[0] is base:
        args = args[1:]  # np.reshape(a, s) / np.ravel(a)
        if not args:
            return 1
    if len(args) == 1:
        return shape_rank(args[0])
    return len(args) if all(isinstance(a, (gast.Constant, gast.Name)) for a in args) else None
