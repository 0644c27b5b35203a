"""What to build and what a build gives: `Mode`, `Spec` (`spec_of(args)`), `Request`, `Compiled`.

Input: a call's arguments (`spec_of`). Output: the frozen values naming a transform, the cache
key's parts (`srcad.backend.cache`, `srcad.backend.diskkey`). Kept apart from the build driver
(`srcad.backend.driver`, which re-exports them) so that a process loading its transforms from the
disk cache imports none of the transform machinery (issue 11's first call, `srcad.lazy`).
"""

from __future__ import annotations

import enum
import functools
import sys
import threading
import types
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

from srcad import lazy
from srcad.ad.kinds import value_kind
from srcad.arrays import is_complex_value, is_other_semantics
from srcad.errors import SrcadError
from srcad.lower.reads import layout_class, shadows_method, user_class
from srcad.trees import children, leaves

_args = lazy.module("srcad.args")  # (srcad.args imports the backend's users)
_oneshot = lazy.module("srcad.lower.oneshot")  # (the transform's: a parameter's reads)


class Mode(enum.Enum):
    """What to generate (derivatives of derivatives stack these: `Request.inner`)."""

    PRIMAL = "primal"  # the lowered function emitted again (the round trip)
    JVP = "jvp"  # jvp_f(*params, *tangents) -> (out, dout)
    VJP = "vjp"  # vjp_f_fwd(*params) -> (out, residuals); vjp_f_bwd(residuals, g) -> cotangents
    GRAD = "grad"  # grad_f(*params) -> (out, gradients)
    PULL = "pull"  # pull_f(*params, g) -> (out, cotangents): a reverse-mode Jacobian's rows


@dataclass(frozen=True)
class Spec:
    """What the call's arguments are, as far as the generated code depends on it (part of the
    cache key). The default, `Spec()`, knows no arguments: the version for array or float ones.

    scalars: positions of Python numbers (int/float); classes: (position, class) of instances of
    user classes (their methods are resolved statically; with lists of user objects in
    attributes, `values.layout_class`: their lengths and items' classes too); ndims: (position,
    rank) of float64 arrays; seqs: (position, kind) for `srcad.ad.seqs` (None: no argument
    values known); has_aux: the function returns ``(loss, aux)`` (grad); complex: positions of
    arguments that are (or hold) complex numbers (`srcad.passes.complex_taint`); numbers:
    positions of lists, tuples and dicts holding only numbers (``p[0] += v`` rebinds an item: no
    object inside is updated; the mutation check, `passes/alias.check_transform`); arrays:
    (position, rank) of the other arrays of numbers (float32, int, bool, complex; not object): for
    the mutation check only (``c = x[0]; c += v`` rebinds `c` when `x` is 1-D); fns: (position,
    function) of arguments that are functions, which the transform is specialised to; floats:
    the positions among `scalars` of Python floats (not ints or bools: ``1.0 * y`` of a float
    `y` is `y`, of an int a float); nones:
    positions of None arguments (``acc=None`` left out: the mutation check decides ``if acc is
    None``, `passes/alias_nones.py`); iters: positions of iterators (``iter(rows)``, a
    generator), whose parameter the function may read only once (`refuse_reread_iterators`);
    items: (position, the items' classes) of lists and tuples of user objects (``layers =
    [Dense(..), Dense(..)]``): ``for l in layers`` is unrolled for that length and those
    classes (`ad/layouts.py`), another length or class makes another transform."""

    scalars: tuple[int, ...] = ()
    classes: tuple[tuple[int, type], ...] = ()
    ndims: tuple[tuple[int, int], ...] = ()
    seqs: tuple[tuple[int, Any], ...] | None = None
    has_aux: bool = False
    complex: tuple[int, ...] = ()
    numbers: tuple[int, ...] = ()
    arrays: tuple[tuple[int, int], ...] = ()
    fns: tuple[tuple[int, Any], ...] = ()  # (position, function): `srcad.backend.fnspec`
    floats: tuple[int, ...] = ()
    nones: tuple[int, ...] = ()
    iters: tuple[int, ...] = ()
    items: tuple[tuple[int, tuple[type, ...]], ...] = ()

    @property
    def class_map(self) -> dict[int, type]:
        return dict(self.classes)

    @property
    def exact_types(self) -> dict[int, type]:
        """Position -> the exact class of the arguments whose class is known (`float`, `int`,
        `np.ndarray`): ``isinstance`` of them is decided when transforming (ad/typeswitch.py)."""
        out: dict[int, type] = {k: float if k in self.floats else int for k in self.scalars}
        out.update((k, np.ndarray) for k, _ in (*self.ndims, *self.arrays))
        return out

    @property
    def ndim_map(self) -> dict[int, int]:
        return dict(self.ndims)

    @property
    def alias_ndims(self) -> dict[int, int]:
        """The ranks of all array arguments of numbers (`ndims` and `arrays`)."""
        return {**dict(self.arrays), **dict(self.ndims)}

    @property
    def seq_map(self) -> dict[int, Any] | None:
        return None if self.seqs is None else dict(self.seqs)


_F64 = np.dtype(np.float64)
_PLAIN_TYPES = frozenset({list, tuple, dict, bool, str, type(None), complex, np.float64})


def spec_of(
    args: list[Any] | tuple[Any, ...], has_aux: bool = False, matrices: bool = False
) -> Spec:
    """The `Spec` of a call with these (bound, positional) arguments. An `np.matrix` among them
    (its ``*`` and ``**`` are matrix products, not the ndarray rules') is a `SrcadError` unless
    `matrices` (the primal round trip, which runs NumPy's own operators)."""
    scal, classes, ndims, seqs, cplx, nums, arrs, fns, nones = [], [], [], [], [], [], [], [], []
    floats, iters, items = [], [], []
    for k, a in enumerate(args):
        if is_complex_value(a):
            cplx.append(k)
        kind = value_kind(a)
        if kind is not None:
            seqs.append((k, kind))
            if not matrices:
                _no_matrix(a, k)
        t = type(a)
        if t is float or t is int:
            scal.append(k)
            if t is float:
                floats.append(k)
        elif t is np.ndarray:
            if a.dtype == _F64:
                ndims.append((k, a.ndim))
            elif a.dtype.kind in "biufc":
                arrs.append((k, a.ndim))
        elif (t is list or t is tuple or t is dict) and _of_numbers(a):
            nums.append(k)
        elif (t is list or t is tuple) and a:
            got = _item_classes(a)
            if got is not None:
                items.append((k, got))
        elif isinstance(a, _FUNCTION_TYPES):
            fns.append((k, a))
        elif a is None:
            nones.append(k)
        elif t not in _PLAIN_TYPES:
            if isinstance(a, Iterator):
                iters.append(k)
            if not matrices:
                _no_matrix(a, k)
            cls = layout_class(a)  # with the lengths/classes of its lists of objects
            if cls is not None:
                classes.append((k, cls))
    return Spec(
        tuple(scal),
        tuple(classes),
        tuple(ndims),
        tuple(seqs),
        has_aux,
        tuple(cplx),
        tuple(nums),
        tuple(arrs),
        tuple(fns),
        tuple(floats),
        tuple(nones),
        tuple(iters),
        tuple(items),
    )


def _item_classes(a: list | tuple) -> tuple[type, ...] | None:
    """The classes of the items of `a` when all are instances of user classes, at most
    `_ITEMS_MAX` of them (a list of layers), else None."""
    if len(a) > _ITEMS_MAX or user_class(a[0]) is None:
        return None
    out = tuple(map(user_class, a))
    if not all(type(c) is type for c in out) or any(shadows_method(e, type(e)) for e in a):
        return None
    return out


_ITEMS_MAX = 64


def _of_numbers(a: list | tuple | dict) -> bool:
    """`a` holds real numbers only (Python's, NumPy scalars: immutable), at least one."""
    items = a.values() if type(a) is dict else a
    return bool(items) and all(
        type(e) in _NUMBER or (isinstance(e, np.generic) and e.dtype.kind in "biuf") for e in items
    )


_NUMBER = frozenset({float, int, bool})
# a def, lambda, builtin, ufunc, bound method, partial or class: a function-valued argument
_FUNCTION_TYPES = (
    types.FunctionType,
    types.BuiltinFunctionType,
    types.MethodType,
    np.ufunc,
    functools.partial,
    type,
)


def _no_matrix(a: Any, k: int) -> None:
    """Refuse an argument that is or holds an np.matrix or a masked array (np.ma)."""
    try:
        values = (a, *leaves(a))
    except RecursionError:  # a cycle of objects (a parent pointer): each value once
        values, todo, seen = (), [a], set()
        while todo:
            v = todo.pop()
            if id(v) not in seen:
                seen.add(id(v))
                values += (v,)
                todo.extend(children(v) or ())
    if any(isinstance(v, np.matrix) for v in values):
        raise SrcadError(
            f"argument {k} is (or holds) an np.matrix, whose * and ** are matrix products; "
            "srcad's derivatives follow ndarray semantics",
            hint="pass np.asarray(...) and write matrix products with @",
        )
    ma = sys.modules.get("numpy.ma")  # (not imported: no masked array exists; importing costs 6 ms)
    if ma is not None and any(isinstance(v, ma.MaskedArray) for v in values):
        raise SrcadError(  # its reductions skip masked entries; the ndarray rules would not
            f"argument {k} is (or holds) a masked array (np.ma); srcad's derivatives follow "
            "ndarray semantics, which count the masked entries",
            hint="pass the data and the mask separately (np.where(mask, 0.0, x), x[~mask])",
        )


def other_globals(reads: list[tuple[dict, str, Any, bool]]) -> tuple[str, ...]:
    """The plain globals among `reads` that are (or hold) an np.matrix or a masked array: the
    generated code reads them live, so one becoming such a value makes another key, whose
    transform refuses it (`refuse_other_semantics`)."""
    return tuple(name for _, name, v, dep in reads if not dep and is_other_semantics(v))


def refuse_reread_iterators(pyfunc: Any, positions: tuple[int, ...]) -> None:
    """An iterator argument (`Spec.iters`) whose parameter `pyfunc` reads more than once, or in
    a loop (`oneshot.reread_params`): Python's second read finds it exhausted, srcad reads it
    as a list each time (``sum(it)`` twice is one value; so are two comprehensions over it)."""
    names = _args.param_names(pyfunc)
    try:
        reread = _oneshot.reread_params_of(pyfunc)
    except SrcadError:
        return  # (no source: the transform says so)
    for k in positions:
        if k < len(names) and names[k] in reread:
            raise SrcadError(
                f"argument `{names[k]}` is an iterator, which this function reads more than "
                "once (or in a loop): Python's second read finds it exhausted, srcad would read "
                "all of it again",
                hint=f"pass a list (`list(...)`) as `{names[k]}`",
                **_args._def_location(pyfunc, names[k]),
            )


def refuse_other_semantics(pyfunc: Any, cell_values: tuple, reads: list) -> None:
    """Refuse a global or closure value (`cell_values`) the function reads that has other
    semantics than an ndarray (`srcad.arrays.is_other_semantics`), as `_no_matrix` refuses
    such an argument."""
    names = other_globals(reads)
    cells = zip(pyfunc.__code__.co_freevars, cell_values)
    names += tuple(n for n, v in cells if is_other_semantics(v))
    if names:
        raise SrcadError(
            f"`{names[0]}`, read by `{pyfunc.__qualname__}`, is (or holds) an np.matrix or a "
            "masked array (np.ma), whose operators or reductions differ from an ndarray's; "
            "srcad's derivatives follow ndarray semantics",
            hint="use np.asarray(...) and @ for matrix products; the data and the mask "
            "separately for a masked array (np.where(mask, 0.0, x))",
        )


@dataclass(frozen=True)
class Request:
    """One thing to build: `pyfunc` (a plain Python function) in `mode`, differentiated in the
    parameter positions `wrt`, specialized for `spec` (which describes `pyfunc`'s parameters).
    `inner`: transforms applied first, innermost first, as (mode, wrt) pairs; `mode` then
    differentiates their result (``hessian(f)``: JVP with ``inner=((Mode.GRAD, (0,)),)``).
    `ranks`: the float64 arrays `pyfunc` reads as globals or closure values, with their ranks
    (`backend/globalranks.py`; filled in by `cache.compile_transform`, None: read by the build)."""

    pyfunc: Any
    mode: Mode
    wrt: tuple[int, ...] = ()
    spec: Spec = Spec()
    inner: tuple[tuple[Mode, tuple[int, ...]], ...] = ()
    ranks: tuple[tuple[str, str, int], ...] | None = None


class Compiled:
    """The result of a build: the entry point, the source text, every generated function.

    `Compiled.later(source, make)`: the functions are made by `make() -> (fn, fns)` when first
    read (`srcad.source` wants the text only: compiling it is ~12% of a transform). Made once,
    under a lock, so every reader gets the same function objects."""

    def __init__(
        self, fn: Callable | None, source: str, fns: dict[str, Callable] | None,
        keepalive: tuple = (),
    ) -> None:  # fmt: skip
        self._fn, self.source, self._fns, self.keepalive = fn, source, fns, keepalive
        self._make: Callable[[], tuple[Callable, dict[str, Callable]]] | None = None

    @classmethod
    def later(cls, source: str, make: Callable[[], tuple[Callable, dict]]) -> Compiled:
        c = cls(None, source, None)
        c._make = make
        return c

    def functions(self) -> Compiled:
        """`self`, its functions made (compiled) now if they were not yet."""
        if self._make is not None:
            with _MAKE_LOCK:
                if self._make is not None:
                    self._fn, self._fns = self._make()
                    self._make = None
        return self

    @property
    def fn(self) -> Callable:
        return self._fn if self._make is None else self.functions()._fn  # type: ignore[return-value]

    @fn.setter
    def fn(self, value: Callable) -> None:
        self._fn = value

    @property
    def fns(self) -> dict[str, Callable]:
        return self._fns if self._make is None else self.functions()._fns  # type: ignore[return-value]

    @fns.setter
    def fns(self, value: dict[str, Callable]) -> None:
        self._fns = value


_MAKE_LOCK = threading.RLock()  # (reentrant: making one may read another's functions)
