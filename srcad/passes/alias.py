"""Mutation check: refuse programs whose meaning depends on Python's shared mutable objects.

Input: a lowered `Function`. Output: nothing, or a `LoweringError` pointing at the read.

The IR treats ``x[i] = v`` and ``lst.append(v)`` as functional updates (a new value), which matches
Python only if nothing reads the *old* object afterwards: another name bound to it (``b = a``), a
view of it (``v = a[1:3]``), a container holding it, or the same name in a later loop iteration.
Such a read would see the change in Python but not in srcad, so it is refused.

    b = a            # b and a are one array
    a[0] = 1.0       # srcad: a new `a`; Python: b changes too
    return b         # error: `b` is read after ... is modified at line 2
"""

from __future__ import annotations

from srcad.errors import LoweringError
from srcad.ssa.core import Block, Const, Function, Op, Var

_BIG = 10**9
_MUTATORS = frozenset({"setitem", "list_append"})
# Results that never share memory with their arguments.
_FRESH_METHODS = frozenset({"copy", "sum", "mean", "prod", "max", "min", "std", "var", "dot",
                            "astype", "cumsum", "cumprod", "tolist", "item", "round", "clip",
                            "any", "all", "argmax", "argmin", "flatten", "format", "count",
                            "index", "trace", "nonzero", "argsort"})  # fmt: skip
_FRESH_PRIMS = frozenset({"add", "sub", "mul", "truediv", "floordiv", "mod", "pow", "matmul",
                          "neg", "pos", "invert", "not", "eq", "ne", "lt", "le", "gt", "ge", "is",
                          "is_not", "in", "not_in", "bitor", "bitand", "bitxor", "lshift",
                          "rshift", "len", "abs", "sum", "float", "int", "bool", "round", "range",
                          "slice", "global", "free", "setitem", "list_append", "isinstance",
                          "comment"})  # fmt: skip
_VIEW_NUMPY = frozenset({"reshape", "ravel", "transpose", "squeeze", "expand_dims", "swapaxes",
                         "moveaxis", "broadcast_to", "asarray", "asanyarray", "atleast_1d",
                         "atleast_2d", "atleast_3d", "diagonal", "real", "imag", "split",
                         "array_split", "hsplit", "vsplit", "dsplit", "rollaxis", "matrix_transpose",
                         "permute_dims", "broadcast_arrays", "flip", "fliplr", "flipud", "rot90",
                         "unstack", "ascontiguousarray", "asfortranarray", "require",
                         "asarray_chkfinite", "asmatrix"})  # fmt: skip
_CONTAINERS = frozenset({"tuple", "list", "dict"})
_FIRST_ONLY = frozenset({"getitem", "srcad.runtime.as_sequence", "builtins.list", "builtins.tuple",
                         "reversed"})  # fmt: skip


class _UF:
    def __init__(self) -> None:
        self.parent: dict[Var, Var] = {}

    def find(self, v: Var) -> Var:
        p = self.parent.get(v, v)
        if p is v:
            return v
        r = self.find(p)
        self.parent[v] = r
        return r

    def union(self, a: object, b: object) -> None:
        if isinstance(a, Var) and isinstance(b, Var):
            ra, rb = self.find(a), self.find(b)
            if ra is not rb:
                self.parent[ra] = rb


def check_mutations(fn: Function) -> list[tuple[Op, LoweringError]]:
    """Raise for hazards of ``x[i] = v`` / ``append``; return those of ``x op= v``.

    An augmented assignment updates an array in place but rebinds a number, so its hazards are
    decided once the types are known (`check_augmented`)."""
    state = _Scan(set(map(id, fn.augmented)))
    state.block(fn.body, ())
    _param_mutations(fn, state)
    lenient: _Scan | None = None
    deferred = []
    fn.elem_hazards = []
    for m, pm in state.mutators:
        try:
            _check(fn, state, m, pm)
        except LoweringError as e:
            # `x[i]` with an integer `i` is a copy when `x` is 1-D, a view otherwise: if the
            # hazard goes away when element reads are copies, decide once ranks are known
            if lenient is None:
                lenient = _Scan(state.augmented, lenient=True)
                lenient.block(fn.body, ())
            lm = {id(o): p for o, p in lenient.mutators}
            try:
                _check(fn, lenient, m, lm[id(m)])
            except LoweringError:
                if id(m) not in state.augmented:
                    raise
                deferred.append((m, e))
                continue
            fn.elem_hazards.append((sorted(lenient.elem_bases, key=id), e))
    return deferred


def _param_mutations(fn: Function, state: _Scan) -> None:
    """Which parameters the function updates in place (a caller would see the change):
    index -> ("always" | "augmented", op). `x op= v` only updates arrays, not numbers."""
    fn.param_mutations = {}
    for m, pm in state.mutators:
        x = m.args[0]
        if not isinstance(x, Var):
            continue
        hit = _affected(state, x, pm)
        for i, p in enumerate(fn.params):
            if p in hit:
                kind = "augmented" if id(m) in state.augmented else "always"
                if fn.param_mutations.get(i, ("",))[0] != "always":
                    fn.param_mutations[i] = (kind, m)


def check_elements(fn: Function, one_d: set[Var]) -> None:
    """Raise a deferred element-read hazard unless every array read with `x[i]` is 1-D."""
    for bases, err in getattr(fn, "elem_hazards", []):
        if not all(b in one_d for b in bases):
            raise err


def check_augmented(fn: Function, scalars: set[Var]) -> None:
    """Raise the deferred ``x op= v`` hazard of `fn` unless the old `x` is a known number."""
    for op, err in getattr(fn, "aug_hazards", []):
        old = op.args[0]
        if not (isinstance(old, Var) and old in scalars):
            raise err


class _Scan:
    def __init__(self, augmented: set[int] = frozenset(), lenient: bool = False) -> None:
        self.augmented = augmented
        self.lenient = lenient  # treat `x[i]` with an integer `i` as a copy (1-D arrays)
        self.ints: set[Var] = set()
        self.elem_bases: set[Var] = set()
        self.named: dict[tuple, Var] = {}  # first read of a global / an attribute
        self.uf = _UF()
        self.contained_in: dict[Var, list[Var]] = {}
        self.def_path: dict[Var, tuple] = {}
        self.reads: list[tuple[Var, tuple, Op | None]] = []
        self.mutators: list[tuple[Op, tuple]] = []
        self.ops_at: dict[tuple, Op] = {}

    def block(self, b: Block, path: tuple) -> None:
        for p in b.params:
            self.def_path[p] = path + (-1,)
        for i, op in enumerate(b.ops):
            self.op(op, path + (i,))
        for y in b.yields:
            if isinstance(y, Var):
                self.reads.append((y, path + (len(b.ops),), None))

    def _int_like(self, a: object) -> bool:
        if isinstance(a, Const):
            return type(a.value) is int
        return isinstance(a, Var) and a in self.ints

    def op(self, op: Op, path: tuple) -> None:
        self.ops_at[path] = op
        if op.prim == "for" and all(self._int_like(a) for a in op.args[:3]):
            self.ints.add(op.blocks[0].params[0])
        for a in op.operands():
            if isinstance(a, Var):
                self.reads.append((a, path, op))
        for k, blk in enumerate(op.blocks):
            self.block(blk, path + (k,))
        for r in op.results:
            self.def_path[r] = path + (_BIG,)
        p = op.prim
        if p in ("global", "free") and op.results:
            key = (p, op.params.get("name"))  # every read of a global is the same object,
            first = self.named.setdefault(key, op.results[0])
            self.uf.union(first, op.results[0])
            self.def_path[op.results[0]] = (-1,)  # which exists before the function runs
        if p.startswith("attr.") and op.results and op.args and isinstance(op.args[0], Var):
            first = self.named.setdefault((p, op.args[0]), op.results[0])
            self.uf.union(first, op.results[0])
        if p == "len" or (
            p in ("add", "sub", "mul", "floordiv", "mod") and all(map(self._int_like, op.args))
        ):
            self.ints.update(op.results)
        if p in _MUTATORS or id(op) in self.augmented:
            self.mutators.append((op, path))
        if self.lenient and p == "getitem" and self._int_like(op.args[1]):
            if isinstance(op.args[0], Var):
                self.elem_bases.add(op.args[0])
            return
        if p == "if":
            for k, r in enumerate(op.results):
                for blk in op.blocks:
                    self.uf.union(r, blk.yields[k])
        elif p in ("for", "while"):
            body = op.blocks[-1]
            off = 1 if p == "for" else 0
            inits = op.args[3:] if p == "for" else op.args
            for k, r in enumerate(op.results):
                self.uf.union(r, inits[k])
                self.uf.union(r, body.yields[k])
                for blk in op.blocks:
                    self.uf.union(r, blk.params[(off if blk is body else 0) + k])
        elif p in _CONTAINERS or p == "list_append" or p == "setitem":
            items = op.args if p in _CONTAINERS else op.args[-1:]
            for a in items:
                if isinstance(a, Var):
                    self.contained_in.setdefault(a, []).extend(op.results)
        elif not _fresh(p):
            # what the result may share memory with: the receiver / first argument of views,
            # every argument of calls and unknown functions
            if p == "call":
                sources = op.args[1:] + list(op.kwargs.values())
            elif p in _FIRST_ONLY or p.startswith(("attr.", "method.", "numpy.")):
                sources = op.args[:1]
            else:
                sources = list(op.operands())
            for a in sources:
                for r in op.results:
                    self.uf.union(r, a)


def _fresh(p: str) -> bool:
    if p in _FRESH_PRIMS:
        return True
    if p.startswith("method."):
        return p[7:] in _FRESH_METHODS
    if p.startswith("attr."):
        return p[5:] in ("shape", "ndim", "size", "dtype")
    if p.startswith(("numpy.", "math.", "cmath.", "scipy.")):
        return p.rsplit(".", 1)[-1] not in _VIEW_NUMPY
    if p.startswith("srcad.runtime."):
        return p != "srcad.runtime.as_sequence"
    return False


def _affected(state: _Scan, x: Var, pm: tuple) -> set[Var]:
    """Values that observe a mutation of `x` at `pm`: its views, and containers that already
    held any of them (a container filled later holds whichever version was put in it)."""
    uf = state.uf
    members: dict[Var, list[Var]] = {}
    for v in state.def_path:
        members.setdefault(uf.find(v), []).append(v)
    seen_roots: set[Var] = set()
    todo = [uf.find(x)]
    out: set[Var] = set()
    while todo:
        r = todo.pop()
        if r in seen_roots:
            continue
        seen_roots.add(r)
        for m in members.get(r, [r]):
            out.add(m)
            for c in state.contained_in.get(m, []):
                if state.def_path.get(c, (_BIG,)) < pm:
                    todo.append(uf.find(c))
    return out


def _after(state: _Scan, pr: tuple, pm: tuple) -> bool:
    if pr <= pm:
        return False
    for d in range(min(len(pr), len(pm))):
        if pr[d] != pm[d]:
            if d % 2 == 1:  # different blocks of one op: branches of an `if` never both run
                owner = state.ops_at.get(pm[:d])
                return not (owner is not None and owner.prim == "if")
            return True
    return True


def _check(fn: Function, state: _Scan, m: Op, pm: tuple) -> None:
    x = m.args[0]
    if not isinstance(x, Var):
        return
    stale = {s for s in _affected(state, x, pm) if state.def_path.get(s, (_BIG,)) < pm}
    loops = [
        pm[: k + 1]
        for k in range(0, len(pm) - 1, 2)
        if state.ops_at[pm[: k + 1]].prim in ("for", "while")
    ]
    for v, pr, op in state.reads:
        if v not in stale:
            continue
        bad = False
        for lp in loops:
            inside = pr[: len(lp)] == lp and len(pr) > len(lp)
            defined_outside = state.def_path[v][: len(lp)] != lp
            if inside and defined_outside:
                bad = True
        if not bad and (pr != pm or op is not m) and _after(state, pr, pm):
            bad = True
        if bad:
            _raise(fn, v, op or m, m)


def _raise(fn: Function, v: Var, at: Op, m: Op) -> None:
    loc = at.loc or m.loc
    line = loc.line if loc else None
    src = fn.source_lines[line - 1] if line and 0 < line <= len(fn.source_lines) else None
    what = {"setitem": "modified", "list_append": "appended to"}.get(m.prim, "updated with `op=`")
    where = f" at line {m.loc.line}" if m.loc else ""
    name = f"`{v.hint}`" if v.hint else "a value"
    raise LoweringError(
        f"{name} is read after the object it shares with another name is {what}{where}; "
        "Python would see the change, srcad treats values as immutable",
        filename=fn.filename,
        line=line,
        col=loc.col if loc else None,
        source_line=src,
        hint="make the copy explicit (`b = a.copy()`), read the value before modifying it, or "
        "write `x = x + v` instead of `x += v` when you mean a new value",
    )
