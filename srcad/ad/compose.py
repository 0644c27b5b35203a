"""Transforms of transforms: differentiate the IR a transform generated, level after level.

Input: the functions one level generated (the entry point first, then the derivatives of the user
functions it calls), what their parameters are (`Spec`-like: scalar positions, ranks, kinds) and
the next level's mode and differentiated positions. Output: the next level's functions, the
previous level's ones it still calls after them. ``hessian(f)`` is the JVP level over the GRAD
level of `f`: ``jvp_grad_f(x, dx) -> ((f(x), grads), (df, hessian @ dx))``.

Generated code is plain IR over primitives that all have records (rules included), so a level is
an ordinary transform of an ordinary function. What is special: calls between generated functions
(``global`` ops marked ``generated``) resolve to the callee's IR through a stand-in Python function
(`Function.generated`, ``stub.__srcad_ir__``), and a reverse level that will be differentiated
again updates no accumulator in place (`Module.functional`).
"""

from __future__ import annotations

import functools
import types
from typing import Any

from srcad.ad.base import entry_key
from srcad.ad.callfacts import DICT, NONE, call_facts
from srcad.ad.common import RT, Module
from srcad.ad.jvp import JVP
from srcad.ad.vjp import VJP
from srcad.lower import deeper
from srcad.passes.pipeline import optimize
from srcad.passes.prepare import lowered
from srcad.passes.ranks import float_ranks
from srcad.passes.scalars import scalar_vars
from srcad.rules import default_tables
from srcad.ssa.builder import Builder
from srcad.ssa.clone import clone_function
from srcad.ssa.core import Block, Const, Function, Op, Var, walk_ops


def stand_ins(fns: list[Function]) -> dict[str, types.FunctionType]:
    """One Python function per generated function, named like it, taking its positional
    parameters, carrying its IR (``__srcad_ir__``, a copy with parameter names the stand-in's
    signature binds); calling a stand-in is an error (it is never run)."""
    out: dict[str, types.FunctionType] = {}
    for f in fns:
        names = [f"_{i}" for i in range(len(f.params))]
        scope: dict[str, Any] = {}
        exec(f"def stub({', '.join(names)}):\n    raise RuntimeError('an IR stand-in')", scope)
        stub = scope["stub"]
        stub.__name__ = stub.__qualname__ = f.name
        ir = clone_function(f)
        ir.param_names = names
        stub.__srcad_ir__ = ir  # type: ignore[attr-defined]
        out[f.name] = stub
    for stub in out.values():
        stub.__srcad_ir__.generated = out  # type: ignore[attr-defined]
    return out


def transform_level(
    mode: str,
    fn: Function,
    pyfunc: Any,
    wrt: tuple[int, ...],
    tables: tuple[Any, Any],
    scalars: tuple[int, ...],
    classes: dict[int, type],
    ndims: dict[int, int],
    seqs: dict[int, Any] | None,
    has_aux: bool = False,
    functional: bool = False,
    taken: tuple[str, ...] = (),
    complex_params: tuple[int, ...] = (),
    number_boxes: tuple[int, ...] = (),
    other_arrays: tuple[tuple[int, int], ...] = (),
    nones: tuple[int, ...] = (),
    fixed: tuple[int, ...] | None = None,
    items: tuple[tuple[int, tuple[type, ...]], ...] = (),
    exact: dict[int, type] | None = None,
    lists: tuple[tuple[int, int], ...] = (),
) -> list[Function]:
    """One transform (``"jvp"``, ``"vjp"``, ``"grad"`` or ``"pull"``: `VJP.pulled`) of `fn`
    (whose Python function, or stand-in, is `pyfunc`): the entry point first, the derivatives of
    callees after. `taken`: names already used by functions emitted beside these. `fixed`: when
    no level of the request differentiates another parameter of `fn`, the positions of its
    arrays of numbers that are not float64 (`Module.next_fixed`); None otherwise. `items`: the
    entry point's lists of user objects (`Spec.items`); `exact`: the exact classes of its
    parameters (`Spec.exact_types`)."""
    module = Module(functional=functional)
    module.entry = fn  # (the function the request differentiates: callfacts.written_back)
    module.derive = functools.partial(derivative_callee, module=module)
    module.taken.update(taken)
    module.next_complex = frozenset(complex_params)  # the entry point's (its Spec's)
    module.next_boxes = frozenset(number_boxes)  # (its lists/dicts of numbers: Spec.numbers)
    module.next_arrays = dict(other_arrays)  # (ranks of its other arrays of numbers: Spec.arrays)
    # (its None arguments: Spec.nones; a derivative called inside: its caller's lists of numbers)
    module.next_facts = (*((k, NONE) for k in nones), *lists)
    module.next_fixed = fixed
    module.next_items = dict(items)
    module.next_exact = dict(exact or {})
    args = (fn, wrt, tables[0] if mode == "jvp" else tables[1], module, scalars, classes, ndims)
    try:
        if mode in ("grad", "pull"):  # no recursive call can reuse the combined forms
            name = module.unique(f"{mode}_{fn.name}")
            module.names.append(name)
            vjp = VJP(*args, param_seqs=seqs)
            entry = vjp.combined(name, has_aux) if mode == "grad" else vjp.pulled(name)
            return [entry, *module.functions]
        # a recursive call with what the entry point was generated for finds it under this key
        key = entry_key(mode, pyfunc, len(fn.params), wrt, scalars, ndims, classes, seqs)
        base = module.unique(f"{mode}_{fn.name}")
        module.done[key] = base
        if mode == "jvp":
            module.names.append(base)
            return [JVP(*args, param_seqs=seqs).run(base), *module.functions]
        module.names += [f"{base}_fwd", f"{base}_bwd"]
        return [*VJP(*args, param_seqs=seqs).split(f"{base}_fwd", f"{base}_bwd"), *module.functions]
    finally:  # module -> derive -> module: a cycle would leave the whole IR to the collector
        module.derive = None
        module.params_of.clear()  # (-> each transform -> module)


def next_level(
    mode: str,
    fns: list[Function],
    wrt: tuple[int, ...],
    tables: tuple[Any, Any],
    scalars: tuple[int, ...],
    ndims: dict[int, int],
    seqs: dict[int, Any] | None,
    functional: bool,
    fixed: tuple[int, ...] | None = None,
    complex_params: tuple[int, ...] = (),
) -> list[Function]:
    """Differentiate the generated functions `fns` (entry point first) once more: the new
    entry point, the new derivatives, then those of `fns` the new ones still call. `fixed`: as
    `transform_level`'s (every level of the request differentiates the same parameters);
    `complex_params`: the original parameters that may be complex (the generated entry point
    takes them first, in their places)."""
    stubs = stand_ins(fns)
    entry = stubs[fns[0].name].__srcad_ir__  # type: ignore[attr-defined]
    out = transform_level(
        mode, entry, stubs[fns[0].name], wrt, tables, scalars, {}, ndims, seqs,
        functional=functional, taken=tuple(stubs), fixed=fixed, complex_params=complex_params,
    )  # fmt: skip
    return out + _still_called(out, fns)


def _still_called(new: list[Function], old: list[Function]) -> list[Function]:
    """The functions of `old` that `new` (or they, transitively) call by name."""
    by_name = {f.name: f for f in old}
    keep: list[Function] = []
    todo = list(new)
    while todo:
        f = todo.pop()
        for op in walk_ops(f.body):
            name = op.params.get("name") if op.prim == "global" else None
            g = by_name.pop(name, None) if op.params.get("generated") else None
            if g is not None:
                keep.append(g)
                todo.append(g)
    return sorted(keep, key=old.index)


def level_params(
    mode: str,
    nparams: int,
    wrt: tuple[int, ...],
    scalars: tuple[int, ...],
    ndims: dict[int, int],
    seqs: dict[int, Any] | None,
) -> tuple[tuple[int, ...], dict[int, int], dict[int, Any] | None]:
    """What the parameters of a level's entry point are, from its input's: a JVP level appends
    one tangent per differentiated parameter, of that parameter's kind; GRAD keeps them."""
    if mode != "jvp":
        return scalars, ndims, seqs
    tan = {nparams + j: k for j, k in enumerate(wrt)}
    scalars = (*scalars, *(t for t, k in tan.items() if k in scalars))
    ndims = {**ndims, **{t: ndims[k] for t, k in tan.items() if k in ndims}}
    if seqs is not None:
        seqs = {**seqs, **{t: seqs[k] for t, k in tan.items() if k in seqs}}
    return scalars, ndims, seqs


def derivative_callee(
    fn: Function, op: Op, wrapper: Any, module: Module | None = None
) -> tuple[Function, Any] | None:
    """The IR of ``srcad.grad(inner)``, called by `op` in a function being differentiated
    (MAML: ``loss(w - lr * grad(loss)(w, b1), b2)``): a function of `inner`'s parameters that
    calls ``grad_inner_pair`` (the gradient level, generated here with no in-place accumulators,
    so that it can be differentiated) and returns its gradient(s). None for derivatives of other
    kinds (the caller refuses them)."""
    inside = getattr(wrapper, "__srcad_inside__", None)
    if inside is not None:  # srcad.jvp/vjp/hvp/hessian/... called there (srcad.lower.api_calls)
        n = len(lowered(inside[0]).params)
        ranks = {k: r for k, r in _arg_ranks(module, fn, op).items() if k < n}
        nums, lists = _arg_numbers(module, fn, op, n), _arg_lists(module, fn, op, n)
        return _inside_callee(op, wrapper, *inside, nums, ranks, lists)
    chain = getattr(wrapper, "__srcad_chain__", None)
    if chain is None or chain.prefix:
        return None
    (mode, wrt), pyfunc = chain.levels[0], chain.pyfunc
    if len(chain.levels) != 1 or mode.value != "grad" or not isinstance(pyfunc, types.FunctionType):
        py = deeper.helper(wrapper)  # grad(grad(f)), hessian(f), ...: a function with source
        return (lowered(py), py) if py is not None else None
    prim = lowered(pyfunc)
    ndims = _arg_ranks(module, fn, op)
    nums = _arg_numbers(module, fn, op, len(prim.params))
    lists = _arg_lists(module, fn, op, len(prim.params))
    fns = transform_level("grad", prim, pyfunc, wrt, default_tables(), nums, {}, ndims, None,
                          has_aux=chain.has_aux, functional=True, lists=lists)  # fmt: skip

    def select(b: Builder, pair: Var, params: list[Var]) -> Var:
        grads = b.op("getitem", [pair, Const(1)], hint="grads")
        loss = b.op("getitem", [pair, Const(0)], hint="out")
        if chain.has_aux:
            loss = b.op("getitem", [loss, Const(0)], hint="out")
        # a real argument's gradient is the real part of a complex cotangent (`real_grad`), of a
        # scalar output (`scalar_grad`: the level seeds every element of an array with 1)
        gs = [b.op(RT + "real_grad", [b.op("getitem", [grads, Const(k)]), params[i]], hint="g")
              for k, i in enumerate(wrt)]  # fmt: skip
        gs = [b.op(RT + "scalar_grad", [g, loss, Const(pyfunc.__name__)], hint="g") for g in gs]
        g = b.op("tuple", gs) if chain.multi else gs[0]
        if chain.with_value:  # value_and_grad
            g = b.op("tuple", [b.op("getitem", [pair, Const(0)], hint="value"), g])
        elif chain.has_aux:  # grad with has_aux: (gradient, aux)
            out = b.op("getitem", [pair, Const(0)], hint="out")
            g = b.op("tuple", [g, b.op("getitem", [out, Const(1)], hint="aux")])
        return g

    return _adapter(f"grad_{prim.name}", prim, fns, (), op, select), wrapper


def _arg_ranks(module: Module | None, fn: Function, op: Op) -> dict[int, int]:
    """The positions of the call `op` (in `fn`, a function a transform of `module` works on)
    whose arguments are certainly float arrays of a known rank -> the rank (passes/ranks.py):
    what the calling transform knows of its parameters. The level made for the call is then
    checked as for those arrays (``a = w.copy(); a[1:3][0] = v`` updates no object inside `w`),
    as srcad.grad(inner) checks it when called with them. Empty when unknown."""
    rec = module.params_of.get(id(fn)) if module is not None else None
    if rec is None or rec[0] is not fn or op.kwargs or not rec[1]:
        return {}
    ndims, scalars = rec[1], rec[2]
    ranks = float_ranks(
        fn, {fn.params[i]: n for i, n in ndims.items()}, {fn.params[i] for i in scalars}
    )
    return {k: ranks[a] for k, a in enumerate(op.args[1:]) if isinstance(a, Var) and a in ranks}


def _arg_numbers(module: Module | None, fn: Function, op: Op, n: int) -> tuple[int, ...]:
    """The positions among the first `n` arguments of the call `op` (in `fn`, as `_arg_ranks`)
    that are certainly numbers: the calling transform's numbers (passes/scalars.py) and number
    constants. The level made for the call takes them for numbers, as srcad.grad(inner) called
    with numbers does (``th = th0; th += v`` rebinds `th`: a number is not updated in place)."""
    rec = module.params_of.get(id(fn)) if module is not None else None
    if rec is None or rec[0] is not fn or op.kwargs:
        return ()
    ndims, scalars = rec[1], rec[2]
    seeds = {fn.params[i] for i in scalars}
    scal = scalar_vars(fn, seeds, {fn.params[i]: r for i, r in ndims.items()}) if seeds else ()
    known = [a in scal if isinstance(a, Var) else type(a.value) in (int, float) for a in op.args]
    return tuple(k for k, ok in enumerate(known[1 : n + 1]) if ok)


def _arg_lists(module: Module | None, fn: Function, op: Op, n: int) -> tuple:
    """((position, kind), ...) for the first `n` arguments of the call `op` (in `fn`, as
    `_arg_ranks`) that the calling transform knows to be lists, tuples (-2) or dicts (DICT) of
    numbers (`callfacts.call_facts`): the level made for the call checks ``emit[t, tags[t]]``
    of such a ``tags`` as a number, not a view of `emit` (``s = emit[0, tags[0]]; s += ...``
    rebinds `s`), as srcad.jvp called with the list checks it."""
    rec = module.params_of.get(id(fn)) if module is not None else None
    if rec is None or rec[0] is not fn or op.kwargs:
        return ()
    facts = call_facts(rec[3], fn, list(op.args[1 : n + 1]), always=True)
    return tuple((k, r) for k, r in facts if r in (-2, DICT))


def _adapter(
    name: str, prim: Function, fns: list[Function], extra_names: tuple, op: Op, select: Any
) -> Function:
    """``name(*prim's params, *extra_names)``: calls the entry point of the level functions `fns`
    (renamed ``<entry>_pair``; optimised here; reached through stand-ins) and returns
    ``select(builder, its result)``."""
    for f in fns:
        optimize(f)
    entry = fns[0]
    taken = {f.name for f in fns}
    pair = f"{entry.name}_pair"  # (`grad_f`'s JVP calls `jvp_grad_f_pair`: `deeper.helper`)
    while pair in taken:
        pair += "_"
    entry.name = pair
    stubs = stand_ins(fns)
    params = [Var(n) for n in prim.param_names] + [Var(n) for n in extra_names]
    body = Block(params=params)
    b = Builder(body, op.loc)
    g = b.op("global", params={"name": entry.name, "generated": True}, hint=entry.name)
    body.yields = [select(b, b.op("call", [g, *params], hint="pair"), params)]
    adapter = Function(
        name=name,
        params=params,
        param_names=[*prim.param_names, *extra_names],
        body=body,
        filename=prim.filename,
        firstline=prim.firstline,
        namespace=prim.namespace,
        source_lines=prim.source_lines,
        generated=stubs,
    )
    # the level runs `prim` on the caller's objects (its write-backs): the caller's mutation
    # check sees `prim`'s updates of its arguments (ad/base.refuse_argument_mutation; typed
    # by `prim`'s own re-check: callfacts.typed_mutations)
    adapter.param_mutations = prim.param_mutations
    adapter.level_of = prim
    adapter.writes_back = True  # (its level writes updates back: callfacts.written_back)
    return adapter


def _inside_callee(
    op: Op,
    wrapper: Any,
    pyfunc: Any,
    kind: str,
    wrt: tuple[int, ...],
    extra_names: tuple,
    nums: tuple[int, ...] = (),
    ranks: dict[int, int] | None = None,
    lists: tuple = (),
) -> tuple[Function, Any]:
    """The IR of a derivative called inside differentiated code by `srcad.lower.api_calls`:
    ``jvp_f(*params, *tangents) -> (out, tangent)``, ``pull_f(*params, g) -> cotangents``,
    ``hvp_f(*params, tangent) -> (gradient, Hessian @ tangent)`` (JVP over GRAD), each an adapter
    calling the level's generated function (built functional, so it can be differentiated).
    `nums`: the positions of `pyfunc`'s arguments the caller knows to be numbers; `ranks`: those
    it knows to be float arrays of a rank (`_arg_ranks`: ``E = p[0]; E -= dE`` of a vector's item
    rebinds a number, as srcad.jvp called with that vector checks it)."""
    prim = lowered(pyfunc)
    tables = default_tables()
    ranks = ranks or {}
    if kind == "hvp":
        first = transform_level("grad", prim, pyfunc, wrt, tables, nums, {}, ranks, None,
                                functional=True, lists=lists)  # fmt: skip
        for f in first:
            optimize(f)
        fns = next_level("jvp", first, wrt, tables, nums, ranks, None, True)
    else:
        fns = transform_level(kind, prim, pyfunc, wrt, tables, nums, {}, ranks, None,
                              functional=True, lists=lists)  # fmt: skip

    def real(b: Builder, ts: Var, k: int, params: list[Var]) -> Var:
        # a real argument's derivative is the real part of a complex one (`real_grad`)
        return b.op(RT + "real_grad", [b.op("getitem", [ts, Const(k)]), params[wrt[k]]], hint="g")

    def select(b: Builder, res: Var, params: list[Var]) -> Var:
        if kind == "pull":  # (out, cotangents) -> cotangents
            cts = b.op("getitem", [res, Const(1)], hint="cts")
            return b.op("tuple", [real(b, cts, k, params) for k in range(len(wrt))])
        if kind == "hvp":  # ((out, grads), (dout, dgrads)) -> (gradient, Hessian @ tangent)
            pair = b.op("getitem", [res, Const(0)], hint="pair")
            grads = b.op("getitem", [pair, Const(1)], hint="grads")
            dgrads = b.op("getitem", [b.op("getitem", [res, Const(1)]), Const(1)], hint="dgrads")
            out = b.op("getitem", [pair, Const(0)], hint="out")  # a scalar (`scalar_grad`)
            gs = [real(b, grads, 0, params), real(b, dgrads, 0, params)]
            name = Const(pyfunc.__name__)
            return b.op("tuple", [b.op(RT + "scalar_grad", [g, out, name]) for g in gs])
        return res  # (out, tangent)

    return _adapter(f"{kind}_{prim.name}", prim, fns, extra_names, op, select), wrapper


def with_callees(fns: list[Function]) -> list[Function]:
    """`fns` and every generated function they call that is not among them (a function made for
    a derivative called inside the differentiated code, still called as it is), transitively."""
    out = list(fns)
    names = {f.name for f in out}
    k = 0
    while k < len(out):
        f = out[k]
        k += 1
        if not f.generated:
            continue  # no stand-ins: every generated function it calls is among `out`
        for op in walk_ops(f.body):
            name = op.params.get("name") if op.prim == "global" else None
            if not op.params.get("generated") or name in names:
                continue
            stub = f.generated.get(name)
            if stub is None:
                continue  # named by the transform that made `fns`: it is among them
            ir = clone_function(stub.__srcad_ir__)
            out.append(ir)
            names.add(name)
    return out
