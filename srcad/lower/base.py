"""Lowering core: the environment, block switching, SSA joins for `if` and loop carries.

Input: callbacks that lower the pieces of a construct (a branch, a loop body). Output: structured
`if`/`for`/`while` ops in the current block, with the environment updated to their results.

The environment maps source names (and the pseudo-names of `scope`: ``$brk``, ``$cont``, ``$ret``,
``$retval``) to the current SSA value. Variable versions are simply successive Vars bound to a name; the
joins are the results of the structured ops (no phi nodes, no dominance computation).
"""

from __future__ import annotations

import types
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import gast

from srcad.errors import LoweringError
from srcad.lower import (
    deadjoin,
    factories,
    fieldlinks,
    fnvalues,
    lazygen,
    mappedseq,
    numpy_fns,
    objects,
    objstate,
    selfreturn,
    seqcarry,
    unbound,
    varargs,
)
from srcad.lower.fnvalues import FnSeq
from srcad.lower.lazygen import LazyGen
from srcad.lower.listkinds import list_result
from srcad.lower.mappedseq import MappedSeq
from srcad.lower.objseq import Items
from srcad.lower.scope import BRK, CONT, RET, RETVAL
from srcad.lower.unfollowed import Unfollowed
from srcad.lower.values import LocalMethod, LocalObj, ModuleRef, NestedFn, PrimRef, hint_of, same
from srcad.ssa.builder import Builder
from srcad.ssa.core import Block, Const, Loc, Op, Operand, Var

_SEQ_PRIMS = frozenset({"list", "tuple", "list_append", "builtins.list", "builtins.tuple",
                        "srcad.runtime.concat"})  # fmt: skip

FLAGS = (BRK, CONT, RET)
_LOCS: dict[tuple[int, int], Loc] = {}  # one (frozen) Loc per position, for every lowering
_BUILT = (LocalObj, LocalMethod, numpy_fns.Vectorized)  # what `_built_objects` makes values of


class LowerBase:
    """State shared by the statement and expression lowerings."""

    def __init__(self, filename: str, lines: list[str], namespace: Any) -> None:
        self.filename = filename
        self.lines = lines
        self.ns = namespace
        self.home_ns = namespace  # the lowered function's (self.ns: an inlined helper's too)
        self.env: dict[str, Any] = {}
        self.b = Builder(Block())
        self.py_locals: set[str] = set()
        self.inline_depth = 0
        self.pinned_live: frozenset[str] | None = None  # (lower/livekill.py: set by lower.py)
        self.keep_refs = False  # a factory's `return np.tanh` stays the function (factories.py)
        self.inlined: Any = None  # (function, depth) whose body lower/varargs.py inlines now
        self.loop_at: list[int] = []  # block depths of the loop bodies lowered now (objseq.py)
        self.loop_bodies: list = []  # (loop node, names it carries) of those (objsplit.py)
        # names some nested function may write in its enclosing function (lower/closures.py), and
        # the `nonlocal` names of the nested function whose body is being inlined
        self.enclosing_writes: frozenset[str] = frozenset()
        self.nonlocal_ok: set[str] = set()
        self.eager: set[int] = set()  # ids of iterable arguments consumed at once (closures.py)
        self.now: set[int] = set()  # ... read at once, perhaps in part (`any(g)`)
        self.readers: set[int] = set()  # ... read whole and kept nowhere (`max(ms)`: objseq)
        self.items_snapshot: Any = None  # `d.items()` of a loop that writes only `d[k]`
        self.once: Any = None  # a value lowered once for two askers (objseq.lowered_once)
        self.augmented: list = []  # ops of `x op= v` (see Function.augmented)
        self.item_augmented: list = []  # ops of `c[k] op= v` (Function.item_augmented)
        # (statement, the statements after it, inlining depth, environment) (check_later)
        self.later: list[tuple[Any, list, int, dict]] = []
        self.param_set: frozenset[str] = frozenset()
        self.entry_vars: frozenset[Var] = frozenset()  # the lowered function's parameters' Vars
        # names bound to one-shot iterators; calls passed one (lower/oneshot.note_call)
        self.shot_names: set[str] = set()
        self.shot_calls: dict[tuple[int, int], tuple] = {}
        self.partly_read: frozenset[str] = frozenset()  # `it = iter(xs)`, `c = cycle(s)` names
        self.iter_reads: frozenset[int] = frozenset()  # ids of reads of `it` taking the rest
        self.outer_ops: list[list[Op]] = []  # op lists of the enclosing blocks, outermost first
        # loop carries (params and results) whose initial value and every iteration's value are
        # a list/dict (lower/idioms.container_kind); the params a method idiom relied on
        self.carry_kinds: dict[Var, str] = {}
        self.kinds_relied: set[Var] = set()
        # the ``attr.*`` op of each result and its block (objops._class)
        self.attr_reads: dict[Var, tuple[Block, Op]] = {}

    # -- errors and locations -----------------------------------------------------------------
    def error(self, node: Any, message: str, hint: str | None = None) -> LoweringError:
        line = getattr(node, "lineno", None)
        col = getattr(node, "col_offset", None)
        src = self.lines[line - 1] if line and 0 < line <= len(self.lines) else None
        return LoweringError(
            message, filename=self.filename, line=line, col=col, source_line=src, hint=hint
        )

    def at(self, node: Any) -> None:
        line = getattr(node, "lineno", None)
        if line is not None:
            key = (line, node.col_offset or 0)
            loc = _LOCS.get(key)
            if loc is None:  # (a frozen dataclass's __init__ costs more than the lookup)
                if len(_LOCS) >= 65536:
                    _LOCS.clear()
                loc = _LOCS[key] = Loc(*key)
            self.b.loc = loc

    # -- emitting -----------------------------------------------------------------------------
    def op(self, prim: str, args: list | tuple = (), kwargs: dict | None = None, **kw: Any) -> Var:
        v = self.b.op(prim, list(args), kwargs, **kw)
        if prim.startswith("attr."):
            self.attr_reads[v] = (self.b.block, self.b.block.ops[-1])
        return v

    @contextmanager
    def block(self, block: Block, env: dict[str, Any]) -> Iterator[None]:
        saved_b, saved_env = self.b, self.env
        self.outer_ops.append(saved_b.block.ops)
        self.b = Builder(block, saved_b.loc)
        self.env = env
        try:
            yield
        finally:
            self.b, self.env = saved_b, saved_env
            self.outer_ops.pop()

    def operand(self, v: Any, node: Any) -> Operand:
        """A runtime operand for an environment value (modules/prims become global/attr reads)."""
        if isinstance(v, (Var, Const)):
            return v
        if isinstance(v, (ModuleRef, PrimRef)):
            if v.node is None or self.ns is not self.home_ns:  # in a helper inlined here
                return Const(v.module if isinstance(v, ModuleRef) else v.obj)
            return self.materialize(v.node)
        if isinstance(v, FnSeq):
            return fnvalues.operand(self, v, node)
        if isinstance(v, MappedSeq):  # only a `for` loop may read it (lower/mappedseq.py)
            raise mappedseq.refuse(self, node)
        if isinstance(v, (LocalObj, LocalMethod)):  # an object built here (lower/objects.py)
            return objects.as_value(self, v, node)
        if isinstance(v, numpy_fns.Vectorized):
            return numpy_fns.vectorized_operand(self, v)
        if isinstance(v, NestedFn):
            raise factories.value_error(self, v, node)
        if hasattr(v, "as_operand"):  # a scipy interpolant made here (lower/scipy_calls.py)
            return v.as_operand(self, node)
        if isinstance(v, Items):  # `init, apply = Dense(3)`: lower/factories.py
            raise self.error(
                node,
                "a tuple of functions a helper returned is used as a value",
                "unpack it into names where it is made (`init_fun, apply_fun = layer(...)`)",
            )
        raise self.error(node, f"cannot use {v!r} as a value")

    def materialize(self, node: Any) -> Var:
        """Re-read a module-qualified name (``np.float64``) as runtime global/attribute reads."""
        if isinstance(node, gast.Name):
            kind, _ = self.ns.lookup(node.id)
            if self.ns is not self.home_ns and (c := varargs.foreign(self, node.id)) is not None:
                return c  # a name of a helper inlined from another module or closure
            prim = "free" if kind == "free" else "global"
            return self.op(prim, params={"name": node.id}, hint=node.id)
        if isinstance(node, gast.Attribute):
            base = self.materialize(node.value)
            return self.op(f"attr.{node.attr}", [base])
        if isinstance(node, gast.Subscript) and isinstance(node.slice, gast.Constant):
            return self.op("getitem", [self.materialize(node.value), Const(node.slice.value)])
        raise self.error(node, "cannot use this expression as a value")

    def _is_sequence(self, v: Operand) -> bool:
        """Known to be a list or tuple (a literal, an append, a comprehension)."""
        if isinstance(v, Const):
            return isinstance(v.value, (list, tuple))
        if v in self.entry_vars:  # (no op defines a parameter)
            return False
        for op in reversed(self.b.block.ops):
            if v in op.results:
                return op.prim in _SEQ_PRIMS
        return False

    # -- joins --------------------------------------------------------------------------------
    def branch(
        self,
        cond: Operand,
        then: Callable[[], None],
        orelse: Callable[[], None],
        node: Any,
        live: set[str] | None = None,
    ) -> None:
        """Lower an `if` whose branches are callbacks; rebinds every name they change.

        `live`, when given, holds the names that may be read after the `if`: a name bound to a
        function on one path only and never read again is simply dropped."""
        if isinstance(cond, Const):  # statically known: lower one branch only
            (then if cond.value else orelse)()
            return
        env0 = self.env
        tb, eb = Block(), Block()
        with self.block(tb, dict(env0)):
            then()
            env_t = self.env
        with self.block(eb, dict(env0)):
            orelse()
            env_e = self.env
        for blk, env, other in ((tb, env_t, env_e), (eb, env_e, env_t)):
            # objects built on one path only (lower/objects.py; `_built_objects` changes no
            # other value). A user's name not read after the join need not become a run-time
            # value: lower/objsplit.py joins objects of two classes that way
            keep = [
                n
                for n, v in env.items()
                if isinstance(v, _BUILT)
                and v is not other.get(n)
                and not same(v, other.get(n))
                and (live is None or n in live or not n.isidentifier())
            ]
            if keep:
                with self.block(blk, env):
                    self._built_objects(env, keep, node)
        names = self._changed(env0, [env_t, env_e], node, live, cond)
        names, links = fieldlinks.joined(names, env_t, env_e)  # one object, one result
        results = [Var(hint_of(n)) for n in names]
        tb.yields = [self._yield_value(env_t, n) for n in names]
        eb.yields = [self._yield_value(env_e, n) for n in names]
        self.b.append(Op("if", [cond], results=results, blocks=[tb, eb]))
        self.env.update(fieldlinks.bind(names, results, links))
        # Names only one branch bound that are not runtime values (nested defs) stay unbound.

    def _changed(
        self, env0: dict, envs: list[dict], node: Any, live_after: set[str] | None, cond: Operand
    ) -> list[str]:
        names: set[str] = set()
        for env in envs:
            for n, v in env.items():
                w = env0.get(n)  # (`same`'s first test, without its call)
                if w is not v and not same(w, v):
                    names.add(n)
        out = []
        # A path that has returned (or left the loop body) reads no name after the join, so its
        # bindings do not decide what a name means there (`if c: return x` / `def g` / `g(x)`).
        live = [env for env in envs if not _exited(env)]
        for n in sorted(names):
            vals = [env.get(n, env0.get(n)) for env in (live or envs)]
            if any(isinstance(v, Unfollowed) for v in vals):  # a field read nowhere, or refused
                self.env[n] = next(v for v in vals if isinstance(v, Unfollowed))
                continue
            if objstate.unset_somewhere(env0, n, vals):
                self.env.pop(n, None)  # an attribute set on one path only: not followed
                continue
            if any(type(v) is LazyGen for v in vals):  # lower/lazygen.py
                for v in vals:
                    if v is not env0.get(n):
                        lazygen.leaving(self, n, v, node)
                self.env.pop(n, None)  # consumed on its path: Python's is empty after the join
                continue
            if any(isinstance(v, seqcarry.KNOWN) for v in vals):
                if n == RETVAL:  # what each path returned decides (lower/factories.py)
                    vals = [env.get(n, env0.get(n)) for env in envs]
                if (not live and n != RETVAL) or all(v is vals[0] for v in vals):
                    self.env[n] = vals[0]
                    continue
                if live_after is not None and n not in live_after and n != RETVAL:
                    self.env.pop(n, None)  # dead after the join: nothing to decide
                    continue
                if n == RETVAL:
                    raise self.error(
                        node,
                        "this function returns a function on one path and another value or "
                        "function on another, chosen when the code runs",
                        "return one function and choose inside it (`lambda v: a(v) if c else "
                        "b(v)`), or make the choice a constant of the call",
                    )
                self.env[n] = seqcarry.join_fns(self, n, vals, node, cond)  # (else refused)
                continue
            if live_after is not None and deadjoin.dead(self, n, live_after):
                self.env.pop(n, None)  # read nowhere after the join (lower/deadjoin.py)
                continue
            out.append(n)
        return out

    def _built_objects(self, env: dict, names: list, node: Any) -> None:
        """Objects built here (lower/objects.py) bound to `names` that leave the block (a
        join, a loop carry) become run-time values, built in the current block."""
        for n in names:
            if isinstance(env.get(n), (LocalObj, LocalMethod)):
                env[n] = objects.as_value(self, env[n], node)
            elif isinstance(env.get(n), numpy_fns.Vectorized):  # the NumPy object, made here
                env[n] = numpy_fns.vectorized_operand(self, env[n])

    def _yield_value(self, env: dict, name: str) -> Operand:
        v = env[name] if name in env else unbound.placeholder(name)
        lazygen.leaving(self, name, v, None)
        return v if isinstance(v, (Var, Const)) else Const(None)

    # -- loops --------------------------------------------------------------------------------
    def loop(
        self,
        kind: str,
        head: list[Operand],
        carried: list[str],
        body: Callable[[Var | None], None],
        cond: Callable[[], Operand] | None,
        has_break: bool,
        node: Any,
    ) -> None:
        """Lower a `for` (head = start, stop, step) or `while` (cond callback) loop.

        `carried` names are loop-carried; a carried name without a value before the loop starts
        as None. `body(i)` lowers one iteration (i is the loop index for `for`).
        """
        env0 = self.env
        if kind == "for" and not has_break:  # attributes the loop sets first (lower/objstate.py)
            carried = carried + objstate.first_set(self, head, node)
        carried = [n for n in carried if not isinstance(env0.get(n), Unfollowed)]  # (refused)
        carried, seqs = seqcarry.split(self, env0, carried, node)  # lists of objects, by item
        self._built_objects(env0, carried, node)  # lower/objects.py: as run-time values
        carried, links = fieldlinks.split(self, env0, carried, node)  # one object, one carry
        inits = [self._yield_value(env0, n) for n in carried]
        for n in carried:
            v = env0.get(n)
            if isinstance(v, (ModuleRef, PrimRef, NestedFn, FnSeq, MappedSeq)):
                raise seqcarry.refuse(self, n, v, node)
        body_block = Block()
        idx = Var("i") if kind == "for" else None
        body_params = [Var(hint_of(n)) for n in carried]
        body_block.params = ([idx] if idx is not None else []) + body_params
        blocks = []
        if kind == "while":
            assert cond is not None
            cond_block = Block(params=[Var(hint_of(n)) for n in carried])
            cenv = dict(env0)
            cenv.update(fieldlinks.bind(carried, cond_block.params, links))
            seqcarry.bind(cenv, seqs, node, self, 1)
            with self.block(cond_block, dict(cenv)):
                c = cond()
                cond_block.yields = [c]
                objstate.check_condition(self, cenv, self.env, node)
            blocks.append(cond_block)
        kinds = {i: k for i, v in enumerate(inits) if (k := container_kind(self, v)) is not None}
        for i, k in kinds.items():
            self.carry_kinds[body_params[i]] = k
            if kind == "while":
                self.carry_kinds[blocks[0].params[i]] = k
        benv = dict(env0)
        benv.update(fieldlinks.bind(carried, body_params, links))
        seqcarry.bind(benv, seqs, node, self, 1)
        benv[BRK] = Const(False)
        benv[CONT] = Const(False)
        self.loop_at.append(len(self.outer_ops) + 1)
        self.loop_bodies.append((node, frozenset(carried)))
        try:
            with self.block(body_block, benv):
                body(idx)
                env_b = self.env
                objstate.check_carried(self, env0, env_b, [*carried, *links], node)
                selfreturn.check(self, env0, env_b, carried, node)
                fieldlinks.check(self, env_b, links, node)
                seqcarry.gather(self, env_b, seqs, node)
                self._built_objects(env_b, carried, node)
                seqcarry.check_end(self, env_b, carried, node)  # (no function, module)
                body_block.yields = [self._yield_value(env_b, n) for n in carried]
                kept = self._kept_kinds(kinds, body_block, carried, node)
                if has_break:
                    body_block.yields.append(self.exit_flag(env_b, (BRK, RET)))
        finally:
            self.loop_at.pop()
            self.loop_bodies.pop()
        blocks.append(body_block)
        results = [Var(hint_of(n)) for n in carried]
        args = (head if kind == "for" else []) + inits
        params = {"has_break": True} if has_break else {}
        self.b.append(Op(kind, args, results=results, blocks=blocks, params=params))
        self.env.update(fieldlinks.bind(carried, results, links))
        seqcarry.after(self.env, seqs, node, self)
        for i in kept:
            self.carry_kinds[results[i]] = kinds[i]

    def _kept_kinds(self, kinds: dict, body: Block, carried: list[str], node: Any) -> list[int]:
        """The carries (of `kinds`: index -> kind of the initial value) that stay a list/dict
        through the body; a carry a method idiom treated as one must (else it is refused)."""
        kept = []
        for i, k in kinds.items():
            if container_kind(self, body.yields[i]) == k:
                kept.append(i)
            elif body.params[-len(carried) + i] in self.kinds_relied:
                raise self.error(
                    node,
                    f"`{carried[i]}` is a {k} before this loop but may be rebound to something "
                    "else in it, and a list/dict method is called on it",
                    "keep the name bound to the one list/dict in the loop",
                )
        return kept

    def exit_flag(self, env: dict, flags: tuple[str, ...]) -> Operand:
        """The OR of the given control-flow flags that may be set (Const(False) if none)."""
        vals = [env.get(f, Const(False)) for f in flags]
        vals = [v for v in vals if not (isinstance(v, Const) and not v.value)]
        if not vals:
            return Const(False)
        if any(isinstance(v, Const) and v.value for v in vals):
            return Const(True)
        out = vals[0]
        for v in vals[1:]:
            out = self.op("bitor", [out, v], hint="stop")
        return out


def container_kind(lw: Any, v: Operand, scopes: tuple | None = None) -> str | None:
    """Kind of `v`: "list" or "dict" when the ops that made it (in the current block and the
    enclosing ones, through `if` joins, updates and loop carries) say so; None when unknown (an
    argument, a result). `scopes`: the op lists to search, innermost first."""
    if type(v) is not Var:  # (ops' results are Vars, compared by identity: no op made it)
        return None
    if v in lw.carry_kinds:
        lw.kinds_relied.add(v)
        return lw.carry_kinds[v]
    scopes = (lw.b.block.ops, *reversed(lw.outer_ops)) if scopes is None else scopes
    ops, outer = scopes[0], scopes[1:]
    for k, op in enumerate(reversed(ops)):
        if v not in op.results:
            continue
        here = (ops[: len(ops) - k - 1], *outer)
        if op.prim in ("dict", "builtins.dict"):
            return "dict"
        if op.prim in ("list", "list_append", "builtins.list", "sorted"):
            return "list"
        if op.prim in ("setitem", "srcad.runtime.concat", "srcad.runtime.dict_without"):
            return container_kind(lw, op.args[0], here) if op.args else None
        if op.prim == "bitor" and len(op.args) == 2:  # `d | e` of two dicts (`d.update(e)`)
            got = {container_kind(lw, a, here) for a in op.args}
            return "dict" if got == {"dict"} else None
        if op.prim in ("getitem", "add"):  # `xs[a:b]`, `xs + ys` of lists
            return list_result(lw, op, here, container_kind)
        if op.prim == "if" and len(op.blocks) == 2:
            i = op.results.index(v)
            got = {container_kind(lw, b.yields[i], (b.ops, *here)) for b in op.blocks}
            return got.pop() if len(got) == 1 else None
        return None
    return container_kind(lw, v, outer) if outer else None


def made_by_class(lw: Any, v: object) -> type | None:
    """The class other than `list` whose call made `v` (``collections.deque([...])``, a user
    class, a list subclass), as far as the ops in scope say; else None."""
    for ops in (lw.b.block.ops, *reversed(lw.outer_ops)):
        for op in reversed(ops):
            if v in op.results:
                if op.prim != "call" or not op.args:
                    return None
                known, cls = lw.static_object(op.args[0])
                return cls if known and isinstance(cls, type) and cls is not list else None
    return None


def unpacked(lw: Any, v: Operand, node: Any) -> Operand:
    """What ``a, b = v`` indexes: `v`, or ``list(v)`` for a known dict (its keys) or dict view
    (no indexing); refused for an object of a class defining its own ``__iter__`` (indexing it
    may mean something else)."""
    cls = made_by_class(lw, v)
    if cls is not None and isinstance(getattr(cls, "__iter__", None), types.FunctionType):
        raise lw.error(
            node,
            f"unpacking a `{cls.__name__}` object, whose class defines `__iter__`, is not "
            "supported (srcad unpacks by indexing)",
            "unpack a tuple or list the object returns (e.g. `a, b = obj.parts()`)",
        )
    views = ("method.keys", "method.values", "method.items")
    made = next((op for op in reversed(lw.b.block.ops) if v in op.results), None)
    if container_kind(lw, v) == "dict" or (made is not None and made.prim in views):
        return lw.op("builtins.list", [v])
    return v


def made_as_tuple(lw: Any, v: object) -> bool:
    """`v` was made here as a tuple (a literal, ``tuple(...)``), as far as the ops in scope say."""
    for ops in (lw.b.block.ops, *reversed(lw.outer_ops)):
        for op in reversed(ops):
            if v in op.results:
                if op.prim == "setitem" and op.args:
                    return made_as_tuple(lw, op.args[0])
                return op.prim in ("tuple", "builtins.tuple", "srcad.runtime.as_tuple")
    return False


def _exited(env: dict) -> bool:
    """True if the path that built `env` has certainly returned, broken or continued."""
    return any(isinstance(env.get(f), Const) and env[f].value for f in (BRK, CONT, RET))
