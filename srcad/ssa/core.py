"""The SSA IR: values, ops, blocks and functions.

Input: nothing (data definitions). Output: the classes every pass, transform and the backend share.

Shape of the IR (see docs/architecture.md):

- `Var`: an SSA value. Identity only; `hint` is the source name it came from, used by printers.
- `Const`: a literal operand (int, float, complex, bool, str, None, Ellipsis, slice or tuple of them).
- `Op`: ``results = prim(args..., **kwargs) {blocks}`` with static `params`. `prim` is a qualified string:
  ``"add"``, ``"numpy.sin"``, ``"method.sum"``, ``"attr.T"``, ``"getitem"``, ``"setitem"``, ``"call"``.
- `Block`: ``params`` (block arguments), ``ops`` and ``yields`` (the values it passes out).
- Structured ops own blocks; their results are the SSA joins:

  ``if``     args ``[cond]``; blocks ``[then, else]``; each block yields one value per result.
  ``for``    args ``[start, stop, step, *inits]``; block ``[body]``; body params ``[i, *carries]``;
             body yields ``[*new_carries]`` plus a trailing stop flag when ``params["has_break"]``.
  ``while``  args ``[*inits]``; blocks ``[cond, body]``; both take the carries as params; cond yields
             ``[flag]``; body yields ``[*new_carries]`` (+ stop flag when ``has_break``).

- `Function`: ``params`` (the positional parameters), ``body`` (yields ``[return value]``), and the
  namespace the source was read in.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import chain
from operator import attrgetter
from typing import Any, Union


class Var:
    """An SSA value: defined once, never changed. Compared by identity."""

    __slots__ = ("hint",)

    def __init__(self, hint: str = "") -> None:
        self.hint = hint

    def __repr__(self) -> str:
        return f"Var({self.hint!r})"


@dataclass(frozen=True)
class Const:
    """A literal operand (its value may be any object: a helper's dict or list default)."""

    value: Any

    def __repr__(self) -> str:
        return f"Const({self.value!r})"

    # A value Python cannot hash is the object itself (a helper's dict or list default, another
    # module's global, an array): equal only to a Const of that object and hashed by its
    # identity, so two dicts with equal contents are two operands, each read when the generated
    # code runs. Slices and tuples of them (unhashable before Python 3.12) compare by value, on
    # every version alike (`_key`).
    def __hash__(self) -> int:
        v = self.value
        if type(v) in _HASHABLE:  # (the common constants: `_key` would return `v` itself)
            return hash(v)
        return hash(_key(v))

    def __eq__(self, other: object) -> bool:
        if type(other) is not Const:
            return NotImplemented
        a, b = self.value, other.value
        return a is b or _key(a) == _key(b)


_HASHABLE = frozenset((int, float, bool, str, type(None)))


def _key(v: Any) -> Any:
    """`v` itself when hashable; a slice or tuple by its parts; anything else by identity."""
    try:
        hash(v)
        return v
    except TypeError:
        pass
    if type(v) is slice:
        return (slice, _key(v.start), _key(v.stop), _key(v.step))
    if type(v) is tuple:
        return (tuple, *[_key(e) for e in v])
    return (id, id(v))


Operand = Union[Var, Const]


@dataclass(frozen=True)
class Loc:
    """A position in the user's source file (1-based line, 0-based column)."""

    line: int
    col: int


class Block:
    """A straight-line list of ops with block arguments and the values it yields."""

    __slots__ = ("params", "ops", "yields", "census")

    def __init__(
        self,
        params: list[Var] | None = None,
        ops: list[Op] | None = None,
        yields: list[Operand] | None = None,
    ) -> None:
        self.params: list[Var] = list(params or [])
        self.ops: list[Op] = list(ops or [])
        self.yields: list[Operand] = list(yields or [])
        self.census: Any = None  # its ops as one list, kept for walks of it unchanged (census.py)


class Op:
    """``results = prim(args..., **kwargs) {blocks}``; `params` holds static, printable data."""

    __slots__ = ("prim", "args", "kwargs", "results", "blocks", "params", "loc")

    def __init__(
        self,
        prim: str,
        args: list[Operand] | None = None,
        kwargs: dict[str, Operand] | None = None,
        results: list[Var] | None = None,
        blocks: list[Block] | None = None,
        params: dict[str, Any] | None = None,
        loc: Loc | None = None,
    ) -> None:
        self.prim = prim
        self.args: list[Operand] = list(args) if args else []
        self.kwargs: dict[str, Operand] = dict(kwargs) if kwargs else {}
        self.results: list[Var] = list(results) if results else []
        self.blocks: list[Block] = list(blocks) if blocks else []
        self.params: dict[str, Any] = dict(params) if params else {}
        self.loc = loc

    @property
    def result(self) -> Var:
        assert len(self.results) == 1, self.prim
        return self.results[0]

    def operands(self) -> tuple[Operand, ...]:
        """Positional then keyword operands (not the ones used inside nested blocks). A tuple,
        not a generator: every pass calls this for every op (a generator cost twice as much)."""
        if self.kwargs:
            return (*self.args, *self.kwargs.values())
        return tuple(self.args)

    def __repr__(self) -> str:
        return f"Op({self.prim!r}, {len(self.args)} args, {len(self.results)} results)"


STRUCTURED = frozenset({"if", "for", "while"})
_OPS = attrgetter("ops")


@dataclass
class Function:
    """A lowered function."""

    name: str
    params: list[Var]
    param_names: list[str]
    body: Block
    # Default values of trailing parameters (Python objects), by parameter name.
    defaults: dict[str, Any] = field(default_factory=dict)
    filename: str = "<unknown>"
    firstline: int = 1
    namespace: Any = None  # frontend.source.Namespace, used to resolve globals and callees
    source_lines: list[str] = field(default_factory=list)
    # Python-level function object this was lowered from (None for generated functions).
    pyfunc: Any = None
    # Ops computing `x op= v` for a plain name `x`: on arrays Python updates `x` in place, so the
    # mutation check treats them like `x[...] = v` (see passes/alias.py).
    augmented: list = field(default_factory=list)
    # Ops computing `c[k] op= v`: Python runs `c[k].__iop__(v)` too (ad/augmented.py); not
    # treated as in-place updates by the mutation check.
    item_augmented: list = field(default_factory=list)
    # The IR before optimization, kept when a mutation hazard depends on the argument types
    # (`x op= v` on a number rebinds, `x[i]` of a 1-D array is a copy, an array holds no other
    # objects) or an argument is updated in place; `alias_deferred`: some hazard is type-dependent.
    # Decided per transform (passes/alias.check_transform).
    alias_recheck: Any = None
    alias_deferred: bool = False
    # (objects the return value may be, objects it may hold) as ("p"|"pe", parameter index) or
    # ("x", 0) for globals; read by callers' mutation checks (passes/alias.py).
    return_aliases: Any = None
    # parameter index -> ("always" | "augmented" | "element", op): the function updates that
    # argument (or, for "element", an object inside it) in place, which its callers would see
    # (set by passes/alias.py).
    param_mutations: dict = field(default_factory=dict)
    # How the mutation check gets the IR of a called user function (passes/prepare.lowered),
    # kept for the per-transform re-check; None: calls are opaque (the worst is assumed).
    lower_callee: Any = None
    # Generated functions this one may call (name -> a stand-in Python function whose
    # `__srcad_ir__` is their IR), when it is itself differentiated again (ad/compose.py).
    generated: dict = field(default_factory=dict)
    # Results of ``x[i]`` reads known to be single numbers (a float 1-D `x`, an int `i`: facts
    # from the argument types a transform knows), for the in-place pass (passes/inplace.py).
    element_reads: set = field(default_factory=set)
    # The calls passed a one-shot iterator (a generator expression, ...): (line, col) ->
    # (positions, keywords) of those arguments (lower/oneshot.note_call; ad/base.py refuses
    # one passed to a user function that reads it twice).
    one_shot_args: dict = field(default_factory=dict)
    # (parameter position, op) of method calls on a parameter that the optimiser takes for
    # NumPy's pure methods (``q.sum()``), recorded before it runs (passes/shadowed_methods.py).
    param_methods: list = field(default_factory=list)


def walk_ops(block: Block) -> Iterator[Op]:
    """Every op in `block` and in the blocks nested in it, in program order (pre-order).

    One generator with a stack of iterators, not one per nested block: an op at depth d was
    passed up through d generators. Lists are read as the walk reaches them, as a recursive
    walk would (an op's `blocks` after it was yielded, each block's `ops` when it starts)."""
    stack: list[Iterator[Op]] = []
    it: Iterator[Op] = iter(block.ops)
    while True:
        for op in it:
            yield op
            if op.blocks:  # most ops have none
                stack.append(it)
                it = chain.from_iterable(map(_OPS, op.blocks))
                break
        else:
            if not stack:
                return
            it = stack.pop()


def defining_ops(block: Block) -> dict[Var, Op]:
    """The op that defines each result in `block` and the blocks nested in it."""
    out: dict[Var, Op] = {}
    for op in walk_ops(block):
        for r in op.results:
            out[r] = op
    return out


def blocks_with_defs(block: Block) -> Iterator[tuple[Block, dict[Var, Op]]]:
    """Each block in `block` (nested ones first, then the block itself) with the ops that define
    its own results, by Var: what a peephole matching chains of ops within one block reads."""
    defs: dict[Var, Op] = {}
    for op in block.ops:
        for sub in op.blocks:
            yield from blocks_with_defs(sub)
        for r in op.results:
            defs[r] = op
    yield block, defs


def uses(block: Block) -> dict[Var, int]:
    """Number of reads of each Var in `block` (operands and yields, nested blocks included)."""
    counts: dict[Var, int] = {}
    get = counts.get
    todo = [block]  # (a worklist, not a recursive closure: that is a reference cycle, which
    while todo:  # keeps `counts` alive until the cyclic collector finds it)
        b = todo.pop()
        for op in b.ops:
            for a in op.args:
                if type(a) is Var:
                    counts[a] = get(a, 0) + 1
            if op.kwargs:
                for a in op.kwargs.values():
                    if type(a) is Var:
                        counts[a] = get(a, 0) + 1
            if op.blocks:
                todo.extend(op.blocks)
        for y in b.yields:
            if type(y) is Var:
                counts[y] = get(y, 0) + 1
    return counts


def uses_among(block: Block, want: set[Var]) -> dict[Var, int]:
    """`uses(block)` for the Vars in `want` only (a test per read, no count of the others)."""
    counts: dict[Var, int] = {}
    get = counts.get
    todo = [block]  # (a worklist: no reference cycle, see `uses`)
    while todo:
        b = todo.pop()
        for op in b.ops:
            for a in op.args:
                if type(a) is Var and a in want:
                    counts[a] = get(a, 0) + 1
            if op.kwargs:
                for a in op.kwargs.values():
                    if type(a) is Var and a in want:
                        counts[a] = get(a, 0) + 1
            if op.blocks:
                todo.extend(op.blocks)
        for y in b.yields:
            if type(y) is Var and y in want:
                counts[y] = get(y, 0) + 1
    return counts


def shared_uses(block: Block, memo: dict | None) -> dict[Var, int]:
    """`uses(block)`, counted once per `memo` (the peepholes that look at one unchanged IR in a
    row share it: `ad/sigmoid.py`, `ad/squares.py`, `ad/softplus_tail.py`); no `memo`: counted."""
    if memo is None:
        return uses(block)
    got = memo.get(block)
    if got is None:
        got = memo[block] = uses(block)
    return got


def replace_uses(block: Block, subst: dict[Var, Any]) -> None:
    """Read ``subst[v]`` wherever `block` and the blocks nested in it read `v` (following chains:
    ``a -> b -> c`` reads `c`). An op reading one gets new `args`/`kwargs` lists (a block new
    `yields`); the others keep theirs (a list per op was half the cost of a substitution)."""
    if not subst:
        return
    final: dict[Var, Any] = {}
    for v, a in subst.items():  # the end of each chain, once
        while type(a) is Var and a in subst:
            a = subst[a]
        final[v] = a
    get = final.get
    todo = [block]  # (a worklist: no reference cycle, see `uses`)
    while todo:
        b = todo.pop()
        for op in b.ops:
            for a in op.args:
                if type(a) is Var and a in final:
                    op.args = [get(a, a) if type(a) is Var else a for a in op.args]
                    break
            if op.kwargs and any(type(v) is Var and v in final for v in op.kwargs.values()):
                op.kwargs = {k: get(v, v) if type(v) is Var else v for k, v in op.kwargs.items()}
            if op.blocks:
                todo.extend(op.blocks)
        for y in b.yields:
            if type(y) is Var and y in final:
                b.yields = [get(y, y) if type(y) is Var else y for y in b.yields]
                break
