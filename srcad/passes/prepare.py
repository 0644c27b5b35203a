"""The first stages of the driver on one Python function, cached: lower, check, optimise.

Input: a Python function. Output: its lowered, mutation-checked and optimised `Function` (`lowered`),
kept per code object and re-made when its closure cells, defaults, globals dict or the callables
its global names point at change. The differentiated function and every user function it calls go
through here; the mutation check reads the callees' IR through it too (`lowered` is passed to
`srcad.passes.alias`, which cannot import this module back).
"""

from __future__ import annotations

import contextlib
import threading
import types
from collections.abc import Iterator
from typing import Any

from srcad.frontend.functions import global_names
from srcad.lower import objects
from srcad.lower.lower import lower_function
from srcad.lower.values import attrs_current, recording_attrs, replay_attrs
from srcad.passes.alias import check_mutations
from srcad.passes.dce import has_effects
from srcad.passes.missing_keys import record as record_missing_keys
from srcad.passes.pipeline import optimize
from srcad.passes.raising import record as record_raising
from srcad.passes.shadowed_methods import record as record_param_methods
from srcad.passes.stdroots import std_roots
from srcad.ssa.core import Function
from srcad.ssa.verify import after_stage

_lock = threading.Lock()
_lowered: dict[Any, tuple[tuple, Function]] = {}
_recording = threading.local()  # .used: the functions `lowered` was asked for (`recording`)

objects.EFFECTS = has_effects  # which operations lower/objects.py may run again


@contextlib.contextmanager
def recording() -> Iterator[list[types.FunctionType]]:
    """Collect every Python function whose IR `lowered` hands out in this thread meanwhile (the
    sources a transform read: the disk cache's dependencies)."""
    outer = getattr(_recording, "used", None)
    used: list[types.FunctionType] = []
    _recording.used = used
    try:
        yield used
    finally:
        _recording.used = outer
        if outer is not None:
            outer.extend(used)


def lowered(pyfunc: types.FunctionType) -> Function:
    """The driver's first three stages (lower, check, optimise: `srcad.backend.driver`) run on
    `pyfunc` once, cached per code object (re-run when its closure cells, defaults, globals dict
    or the callables its global names point at change). Used for the differentiated function and
    every user function it calls."""
    used = getattr(_recording, "used", None)
    if used is not None:
        used.append(pyfunc)
    cells = tuple(_cell(c) for c in (pyfunc.__closure__ or ()))
    # the lowering resolves global callables/modules (np.sin -> a primitive): their identities
    g = pyfunc.__globals__
    refs = tuple(g.get(n) for n in global_names(pyfunc.__code__))
    refs = tuple(v if (callable(v) or isinstance(v, types.ModuleType)) else None for v in refs)
    key = pyfunc.__code__
    with _lock:
        hit = _lowered.get(key)
        # compare by identity (the entry keeps the objects alive)
        if (
            hit is not None
            and hit[0][0] is pyfunc.__globals__
            and hit[0][2] is pyfunc.__defaults__
            and hit[0][3] is pyfunc.__kwdefaults__
            and len(hit[0][1]) == len(cells)
            and all(a is b for a, b in zip(hit[0][1], cells))
            and len(hit[0][4]) == len(refs)
            and all(a is b for a, b in zip(hit[0][4], refs))
            and attrs_current(hit[0][5])
        ):
            replay_attrs(hit[0][5])  # what this IR depends on, for the transform asking for it
            return hit[1]
    with recording_attrs() as attrs:
        fn = lower_function(pyfunc)
        after_stage("lower", [fn])
        # before DCE: a dead update still changes what Python's aliases see
        check_mutations(fn, lowered)
        after_stage("check", [fn])
        memo: dict = {}  # (the definitions both records read: `ssa/census.shared_defs`)
        record_param_methods(fn, memo)  # before CSE/DCE (passes/shadowed_methods.py)
        record_missing_keys(fn, memo)  # (passes/missing_keys.py)
        record_raising(fn, memo)  # (passes/raising.py: after it, DCE keeps what may raise)
        std_roots(fn, memo)  # (np.sqrt(np.var(x)) as np.std(x): passes/stdroots.py)
        optimize(fn)
        after_stage("optimise", [fn])
    with _lock:
        _lowered[key] = (
            (
                pyfunc.__globals__, cells, pyfunc.__defaults__, pyfunc.__kwdefaults__, refs,
                tuple(attrs),
            ),
            fn,
        )  # fmt: skip
    return fn


def _cell(c: Any) -> Any:
    try:
        return c.cell_contents
    except ValueError:
        return None
