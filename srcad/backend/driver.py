"""The build driver: a `Request` (function, mode, wrt, specialization) -> generated code.

Input: a `Request`. Output: a `Build` holding what the last stage run produced: IR `Function`s
(first the entry point, then the derivatives of called user functions), the emitted source
(`Emitted` per module) and the compiled callables (`Compiled`). One literal list of stages, each a
plain function ``stage(build) -> None``:

    lower -> check -> optimise -> transform -> optimise-ad -> inplace -> emit -> compile

`build(request, stop_after=NAME)` stops after any of them (`srcad dump --stage NAME`). The first
three run once per code object (`srcad.passes.prepare.lowered` caches them; they run afresh only when
a build stops among them). In verify mode (`srcad.ssa.verify`), every IR stage's functions are
verified. `srcad.backend.cache` keeps the results. `Request`, `Spec`, `Mode` and `Compiled` are
`srcad.backend.request`'s (re-exported here): a disk cache hit imports none of this module.
"""

from __future__ import annotations

import gc
import logging
import threading
import time
import types
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from srcad.ad.augcheck import check_augmented_for
from srcad.ad.augmented import entry_seeds, primal_augmented
from srcad.ad.base import cloned_ops, refuse_one_shot_calls
from srcad.ad.compose import level_params, next_level, transform_level, with_callees
from srcad.ad.typeswitch import fold_type_switches
from srcad.backend.cache import global_reads
from srcad.backend.compile import compile_emitted, compile_linked, factory_source
from srcad.backend.emit import Emitted, emit_functions
from srcad.backend.globalranks import global_ranks, seeds
from srcad.backend.request import Compiled, Mode, Request, Spec, spec_of  # noqa: F401 (re-exported)
from srcad.errors import SrcadError
from srcad.lower.argcopy import drop_numbers
from srcad.lower.lower import lower_function
from srcad.passes.alias import check_mutations
from srcad.passes.inplace import inplace as mark_inplace
from srcad.passes.missing_keys import refuse as refuse_missing_reads
from srcad.passes.pipeline import optimize
from srcad.passes.prepare import lowered
from srcad.passes.raising import record as record_raising
from srcad.passes.shadowed_methods import refuse as refuse_param_methods
from srcad.passes.stdroots import RESTORE, var_roots
from srcad.rules import default_tables
from srcad.ssa.clone import clone_function
from srcad.ssa.core import Const, Function, Op, walk_ops
from srcad.ssa.printer import format_function
from srcad.ssa.verify import after_stage


@dataclass
class Build:
    """The state the stages pass along; each stage fills in its part."""

    request: Request
    stop_after: str | None = None
    functions: bool = True  # the `compile` stage compiles now (else when they are first read)
    fns: list[Function] = field(default_factory=list)  # entry point first
    cached: bool = False  # `fns` is the cached lowered IR (lower, check, optimise done)
    # ranks of the entry point's float64 array parameters (one-level transforms: shapes.py)
    entry_ndims: dict | None = None
    entry_opaque: bool = False
    entry_scalars: tuple = ()  # ... and positions of its Python-number parameters
    entry_floats: tuple = ()  # ... those of them that are Python floats
    entry_consts: dict = field(default_factory=dict)  # ... and its global arrays' (globalranks)
    # (function, its read counts) as `optimise` left them (`passes/pipeline.py`): the in-place
    # pass's, the IR unchanged in between
    reads: list[tuple[Function, dict]] = field(default_factory=list)
    emitted: list[tuple[dict, Emitted]] = field(default_factory=list)  # per module globals
    compiled: Compiled | None = None
    codes: dict[int, types.CodeType] = field(default_factory=dict)  # `factory_code`'s

    @property
    def label(self) -> str:
        return f"{self.request.mode.value} {self.request.pyfunc.__qualname__}"


# -- the stages -----------------------------------------------------------------------------------
def lower(b: Build) -> None:
    """Python source -> SSA IR (`srcad.lower`)."""
    if b.stop_after in _FRONT:  # a fresh copy to show this stage's output
        b.fns = [lower_function(b.request.pyfunc)]
    else:
        b.fns, b.cached = [lowered(b.request.pyfunc)], True


def check(b: Build) -> None:
    """Refuse programs whose meaning depends on aliasing of mutated objects (`passes/alias.py`).
    The hazards that depend on the argument types are decided by `transform`."""
    if not b.cached:
        check_mutations(b.fns[0], lowered)
        record_raising(b.fns[0])  # (as `passes/prepare.py` does: the unused ops that may raise)


def optimise(b: Build) -> None:
    """CSE and DCE to a fixpoint (`passes/pipeline.py`); generated functions that turned out the
    same (a recursive function's entry point and the version its recursive call asked for) are
    merged (`merge_duplicates`)."""
    if not b.cached:
        b.reads = []
        for f in b.fns:
            entry = f is b.fns[0]
            got: list = []
            optimize(
                f,
                ndims=b.entry_ndims if entry else None,
                opaque=entry and b.entry_opaque,
                scalars=b.entry_scalars if entry else (),
                floats=b.entry_floats if entry else (),
                consts=b.entry_consts if entry else None,
                reads=got,
            )
            b.reads += [(f, c) for c in got]
        b.fns = merge_duplicates(b.fns)


def merge_duplicates(fns: list[Function]) -> list[Function]:
    """Drop every function whose IR is the same as an earlier one's, up to the names of the
    generated functions it calls (when those are the same too), and call the earlier one instead.

    The transforms generate one function per `generated_key`; two keys may still give the same
    code (a recursive call knows less of its arguments than the entry point's cache key). Same
    code computes the same: merging is sound. Partition refinement from "same arity, same module"
    down to a fixpoint, so mutually recursive duplicates merge too; the first of each class stays
    (the entry point stays first)."""
    if len(fns) < 2:
        return fns
    first: dict[tuple, str] = {}
    rep = {f.name: first.setdefault(_shape(f), f.name) for f in fns}
    while True:
        first = {}
        new = {f.name: first.setdefault((rep[f.name], _renamed_text(f, rep)), f.name) for f in fns}
        if new == rep:
            break
        rep = new
    keep = [f for f in fns if rep[f.name] == f.name]
    if len(keep) < len(fns):
        for f in keep:
            for op in _generated_refs(f):
                _rename(op, rep[op.params["name"]])
    return keep


def _shape(f: Function) -> tuple:
    """Only versions of one source function (one namespace: globals and closure values) merge."""
    return (len(f.params), id(f.namespace))


def _plain(v: Any) -> bool:
    """Does the printer show `v` exactly (not as ``<ndarray>``)?"""
    if isinstance(v, (tuple, slice)):
        items = v if isinstance(v, tuple) else (v.start, v.stop, v.step)
        return all(_plain(e) for e in items)
    return isinstance(v, (bool, int, float, complex, str, bytes)) or v is None or v is Ellipsis


def _opaque(f: Function) -> tuple:
    """Identities of the values the printed IR shows only by type (constant arrays, objects)."""
    out = [id(v) for v in f.defaults.values() if not _plain(v)]
    for op in walk_ops(f.body):
        out += [id(a.value) for a in op.operands() if isinstance(a, Const) and not _plain(a.value)]
        out += [id(v) for v in op.params.values() if not _plain(v)]
    return tuple(out)


def _generated_refs(f: Function) -> list[Op]:
    return [
        op
        for op in walk_ops(f.body)
        if op.prim == "global" and op.params.get("generated") and op.params.get("name")
    ]


def _rename(op: Op, name: str) -> None:
    if op.result.hint == op.params["name"]:  # the Var is named after the function (JVP)
        op.result.hint = name
    op.params["name"] = name


def _renamed_text(f: Function, rep: dict[str, str]) -> tuple[str, tuple]:
    """The printed IR of `f` with its own name and those of the generated functions it calls
    replaced by their representatives (restored afterwards)."""
    refs = _generated_refs(f)
    saved = [(op.params["name"], op.result.hint) for op in refs]
    name = f.name
    try:
        f.name = rep[name]
        for op, (n, _) in zip(refs, saved):
            _rename(op, rep.get(n, n))
        return format_function(f), _opaque(f)
    finally:
        f.name = name
        for op, (n, h) in zip(refs, saved):
            op.params["name"], op.result.hint = n, h


def transform(b: Build) -> None:
    """The primal IR -> the functions of the requested mode (`ad/jvp.py`, `ad/vjp.py`), entry
    point first; derivatives of called user functions follow. The mutation hazards deferred to
    the argument types are decided here (by the transforms for every function they touch)."""
    r, spec, fn = b.request, b.request.spec, b.fns[0]
    b.cached = False
    if spec.classes:  # `q.sum()` of a class updating `q`, a property's getter updating it
        refuse_param_methods(fn, spec.class_map)
        refuse_missing_reads(fn, spec.class_map)  # a user `__missing__` (passes/missing_keys)
    if r.mode is Mode.PRIMAL:
        check_augmented_for(
            fn,
            spec.scalars,
            spec.alias_ndims,
            spec.seq_map,
            boxes=spec.numbers,
            nones=spec.nones,
            f64=tuple(spec.ndim_map),
        )
        if fn.one_shot_args:
            refuse_one_shot_calls(fn, {fn.params[i]: t for i, t in spec.classes})
        b.fns = [clone_function(fn)]
        aug = cloned_ops(fn, b.fns[0], fn.augmented + fn.item_augmented)  # (by walk order: first)
        var_roots(b.fns[0], lambda _: RESTORE)  # `s.var()`'s root: as written (passes/stdroots)
        if aug:  # `a op= v` runs `a.__iop__(v)` (ad/augmented.py)
            primal_augmented(b.fns[0], aug, entry_seeds(b.fns[0], spec))
        drop_numbers(b.fns[0], spec.scalars)  # `x op= v` of a number: no write-back
        entry = b.fns[0]  # (lower/opfork.py's ``isinstance(x, np.ndarray)`` of a known `x`)
        fold_type_switches(entry, {}, {entry.params[i]: t for i, t in spec.exact_types.items()})
        return
    tables = default_tables()
    scalars, ndims, seqs = spec.scalars, spec.ndim_map, spec.seq_map
    levels = (*r.inner, (r.mode, r.wrt))
    fns: list[Function] = []
    # the other parameters are constant at every level (their arrays of numbers: `Spec.arrays`)
    same = all(set(w) == set(r.wrt) for _, w in levels)
    fixed = tuple(k for k, _ in spec.arrays) if same else None
    for k, (mode, wrt) in enumerate(levels):
        functional = k < len(levels) - 1  # differentiated again: no in-place accumulators
        if k == 0:
            fns = transform_level(
                mode.value, fn, r.pyfunc, wrt, tables, scalars, spec.class_map, ndims, seqs,
                has_aux=spec.has_aux, functional=functional, complex_params=spec.complex,
                number_boxes=spec.numbers, other_arrays=spec.arrays, nones=spec.nones,
                fixed=fixed, items=spec.items, exact=spec.exact_types,
            )  # fmt: skip
        else:
            for f in fns:
                optimize(f)
            fns = next_level(
                mode.value,
                merge_duplicates(fns),
                wrt,
                tables,
                scalars,
                ndims,
                seqs,
                functional,
                fixed,
                spec.complex,
            )
        nparams = len(fns[0].params) - (len(wrt) if mode is Mode.JVP else mode is Mode.PULL)
        scalars, ndims, seqs = level_params(mode.value, nparams, wrt, scalars, ndims, seqs)
    b.fns = with_callees(fns)
    b.entry_ndims = ndims if not r.inner else None
    b.entry_scalars = tuple(scalars) if not r.inner else ()
    b.entry_floats = spec.floats if not r.inner else ()  # (a JVP's tangents: not these)
    if not r.inner:
        ranks = r.ranks
        if ranks is None:  # (a build asked for directly: `srcad dump`, `source(stage=...)`)
            ranks = global_ranks(r.pyfunc, global_reads(r.pyfunc))
        b.entry_consts = seeds(ranks, b.fns)
    # the default Spec(): arrays or numbers, nothing else known (passes/shape_infer.py)
    b.entry_opaque = (
        not r.inner and spec.seqs is None and not (spec.scalars or spec.classes or spec.ndims)
    )


def inplace(b: Build) -> None:
    """Mark updates no one else can observe as in place (`passes/inplace.py`); last on the IR."""
    for f in b.fns:
        counts = next((c for g, c in b.reads if g is f), None)
        mark_inplace(f, b.entry_ndims if f is b.fns[0] else None, counts)


def emit_source(b: Build) -> None:
    """IR -> Python source (`backend/emit.py`): one text per module the functions come from
    (functions of other modules read their own module's globals)."""
    main = b.request.pyfunc.__globals__
    groups: list[tuple[dict, list[Function]]] = [(main, [])]
    for f in b.fns:
        g = f.namespace.globals if f.namespace is not None else main
        for gd, members in groups:
            if gd is g:
                members.append(f)
                break
        else:
            groups.append((g, [f]))
    b.emitted = [(g, emit_functions(m, [f.name for f in m])) for g, m in groups if m]


def compile_source(b: Build) -> None:
    """Source -> callables (`backend/compile.py`); with `b.functions` False, compiled when first
    read (`Compiled.later`: `srcad.source` reads the text only); calls across modules'
    factories go through late-bound stubs."""
    names = [f.name for f in b.fns]
    # (not `b`: a build compiled later would keep its IR alive, `b.reads`, in the cache)
    emitted, label, request, codes = list(b.emitted), b.label, b.request, b.codes

    def make() -> tuple[Callable, dict[str, Callable]]:
        _gc_pause(True)
        try:
            if len(emitted) > 1:  # calls across modules' factories: late-bound stubs
                table = compile_linked(emitted, label)
            else:
                # the text the disk cache stores: its code compiled once for both (the disk's
                # when it stored the build first; else this one, when under ``<srcad LABEL>``)
                (g, em), made = emitted[0], []
                table = compile_emitted(em, g, label, codes.get(0), made=made)
                if made and made[0][0] == f"<srcad {label}>":
                    codes[0] = made[0][1]
        except SrcadError:
            raise
        except Exception as e:  # (as in `build`: a bug in srcad, still a refusal)
            raise _internal(request, e) from e
        finally:
            _gc_pause(False)
        return table[names[0]], table

    b.compiled = Compiled.later(source_of(b), make)
    if b.functions:
        b.compiled.functions()


def factory_code(b: Build, i: int) -> types.CodeType:
    """The compiled factory of `b.emitted[i]` as emitted (`backend/compile.py`; without the
    stubs of a build of several modules), under the file name ``<srcad LABEL>``: compiled once
    for both the functions and the disk cache's entry."""
    code = b.codes.get(i)
    if code is None:
        module = compile(factory_source(b.emitted[i][1]), f"<srcad {b.label}>", "exec")
        code = b.codes[i] = next(c for c in module.co_consts if isinstance(c, types.CodeType))
    return code


@dataclass(frozen=True)
class Stage:
    name: str
    run: Callable[[Build], None]
    ir: bool  # its result is IR (verified in verify mode, printed by `text`)


# The pipeline. `srcad dump --help` lists these names.
STAGES: tuple[Stage, ...] = (
    Stage("lower", lower, True),
    Stage("check", check, True),
    Stage("optimise", optimise, True),
    Stage("transform", transform, True),
    Stage("optimise-ad", optimise, True),
    Stage("inplace", inplace, True),
    Stage("emit", emit_source, False),
    Stage("compile", compile_source, False),
)
STAGE_NAMES: tuple[str, ...] = tuple(s.name for s in STAGES)
_FRONT = frozenset(STAGE_NAMES[:3])


def build(request: Request, stop_after: str | None = None, functions: bool = True) -> Build:
    """Run the stages in order, up to and including `stop_after` (all of them by default);
    `functions` False: the `compile` stage leaves the compiling to the first read of the
    functions (`Compiled.later`: `srcad.source` reads the text only).
    Refusals are `SrcadError`s; anything else going wrong is reported as an internal error (a
    `SrcadError` too: never a wrong derivative)."""
    if stop_after is not None and stop_after not in STAGE_NAMES:
        raise ValueError(f"unknown stage {stop_after!r}; stages: {', '.join(STAGE_NAMES)}")
    b = Build(request, stop_after, functions)
    t0 = time.perf_counter()
    _gc_pause(True)
    try:
        for stage in STAGES:
            stage.run(b)
            if stage.ir:
                after_stage(stage.name, b.fns)
            if stage.name == stop_after:
                break
    except SrcadError:
        raise
    except RecursionError:
        name = request.pyfunc.__name__
        raise SrcadError(f"`{name}` is nested or recursive too deeply to transform") from None
    except Exception as e:  # a bug in srcad: still a refusal, never a wrong derivative
        raise _internal(request, e) from e
    finally:
        if stop_after is None:  # the IR is done with: freed now (`reads` holds it too), not
            b.fns, b.reads = [], []  # traversed by the collector, enabled again just below
        _gc_pause(False)
    _log_build(request, time.perf_counter() - t0, stop_after)
    return b


def _internal(request: Request, e: Exception) -> SrcadError:
    return SrcadError(
        f"internal error while transforming `{request.pyfunc.__qualname__}` "
        f"({request.mode.value}): {type(e).__name__}: {e}",
        hint="this is a bug in srcad; please report it with the function's source",
    )


LOG = logging.getLogger("srcad")
SLOW_SECONDS = 1.0  # transforms slower than this are logged at INFO


def _log_build(request: Request, seconds: float, stop_after: str | None) -> None:
    """DEBUG for every transform, INFO for a slow one (function, mode, time)."""
    level = logging.INFO if seconds > SLOW_SECONDS else logging.DEBUG
    if LOG.isEnabledFor(level):
        r = request
        mode = "/".join(m.value for m, _ in (*r.inner, (r.mode, r.wrt)))
        LOG.log(
            level,
            "transform %s (%s, wrt=%s%s): %.1f ms",
            getattr(r.pyfunc, "__qualname__", r.pyfunc),
            mode,
            r.wrt,
            "" if stop_after is None else f", up to {stop_after}",
            seconds * 1e3,
        )


_GC_LOCK = threading.Lock()
_GC_DEPTH = [0, False]  # builds running, whether the collector was enabled before the first


def _gc_pause(start: bool) -> None:
    """The cyclic garbage collector paused while transforming: a transform allocates many
    long-lived objects (trees, IR), and the full collections they trigger walk all of them
    again and again (about half the time of a large transform). Nested and concurrent builds
    share one pause; the collector is enabled again when the last one ends."""
    with _GC_LOCK:
        if start:
            if _GC_DEPTH[0] == 0:
                _GC_DEPTH[1] = gc.isenabled()
                gc.disable()
            _GC_DEPTH[0] += 1
        else:
            _GC_DEPTH[0] -= 1
            if _GC_DEPTH[0] == 0 and _GC_DEPTH[1]:
                gc.enable()


def text(b: Build) -> str:
    """What the last stage run produced, as text: the IR of every function, or the source."""
    if b.emitted:
        return source_of(b)
    return "\n".join(format_function(f) for f in b.fns)


def source_of(b: Build) -> str:
    return "\n".join(em.source for _, em in b.emitted)
