"""The inline call of a grad wrapper: one small function written for one kind of arguments.

Input: a grad/value_and_grad wrapper's layout (front arguments, `wrt` positions, has_aux, value,
multi), the arguments of a call that took the table path (`srcad.gradcall.grad_caller`), the
generated gradient it ran and its `Guard`. Output: ``call(args)``, which for arguments of
exactly those kinds (each argument's type; an array's dtype object and rank) runs the
generated code and returns what the wrapper returns, and otherwise returns `MISS` (the caller
then takes the table path). Issue 11: the table path's lookups, its guard's call and its
branches on the wrapper's layout cost about half of a cached call's overhead on arrays; here
they are tests written out for the one kind, with the guard's identity tests
(`srcad.backend.guardcode.check_tests`) inline. For ``grad(f)`` of a 1-D float64 array::

    def call(args):
        if len(args) != 1:
            return MISS
        a0 = args[0]
        try:
            ok = (type(a0) is ndarray and a0.dtype is D0 and a0.ndim == 1
                  and f.__code__ is code and ... and get0('np') is v0[0])
        ...

A test that fails, or an empty closure cell, is a MISS: the table path then runs the guard's
exact rule (`Guard.valid`), which refreshes the snapshot the tests read when only plain numbers
were rebound. The checks after the call are the table path's: the output (`loss_error`), each
gradient's layout (`fix_zero` unless already an array of its argument's dtype and shape, not a
read-only view; a float of a float).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from srcad.args import fix_zero
from srcad.backend.guard import Guard, check_env, guard_shape
from srcad.backend.guardcode import check_tests

MISS = object()  # what an inline call returns when it does not apply
_CODES: dict[str, Any] = {}  # compiled text -> code (the text names every kind it tests)
_FILENAME = "<srcad inline call>"


def inline_call(
    conf: tuple, args: tuple, gen: Callable, guard: Guard, failed: Callable, loss: Callable
) -> Callable[[tuple], Any]:
    """The inline call for arguments of the kinds of `args` (each a fast kind: a float, int,
    bool, None, str, NumPy float scalar or array). `conf`: (front arguments, positions,
    has_aux, value, multi); `gen`: the generated gradient; `failed()`: what the table path
    runs when it raises; ``loss(out)``: the output's error or None."""
    front, positions, has_aux, value, multi = conf
    shape = None if guard.weak else guard_shape(guard)
    text = _source(len(front), positions, has_aux, value, multi, args, shape)
    code = _CODES.get(text)
    if code is None:
        if len(_CODES) >= 256:
            _CODES.clear()
        code = _CODES[text] = compile(text, _FILENAME, "exec")
    env = check_env(guard)
    env.update(
        MISS=MISS, gen=gen, failed=failed, loss=loss, fix_zero=fix_zero, layout=layout,
        ndarray=np.ndarray, F64=np.float64, check=guard.check,
    )  # fmt: skip
    for i, p in enumerate(front):
        env[f"p{i}"] = p
    for j, a in enumerate(args):
        env[f"T{j}"] = type(a)
        if type(a) is np.ndarray:
            env[f"D{j}"] = a.dtype
    exec(code, env)
    return env["call"]


def _source(
    nfront: int, positions: tuple, has_aux: bool, value: bool, multi: bool, args: tuple, shape: Any
) -> str:
    """The text of `inline_call`'s function; `shape`: the guard's (None: a weak guard, whose
    own check runs: it binds the function first)."""
    n = len(args)
    names = [f"a{j}" for j in range(n)]
    kinds = []
    for j, a in enumerate(args):
        kinds.append(f"type(a{j}) is T{j}")
        if type(a) is np.ndarray:
            kinds.append(f"a{j}.dtype is D{j} and a{j}.ndim == {a.ndim}")
    tests = kinds + (["check()"] if shape is None else check_tests(shape))
    lines = [
        "def call(args):",
        f"    if len(args) != {n}:",
        "        return MISS",
        f"    {names[0]} = args[0]" if n == 1 else f"    {', '.join(names)} = args",
        "    try:",
        "        ok = (\n            " + "\n            and ".join(tests) + "\n        )",
        "    except ValueError:  # an empty closure cell",
        "        return MISS",
        "    if not ok:",
        "        return MISS",
        "    cache.hits += 1",
        "    try:",
        f"        out, grads = gen({', '.join([f'p{i}' for i in range(nfront)] + names)})",
        "    except Exception:",
        "        failed()",
        "        raise",
    ]
    if has_aux:
        lines += [
            "    if type(out) is not tuple or len(out) != 2 or (",
            "        type(out[0]) is not float and type(out[0]) is not F64",
            "    ):",
        ]
    else:
        lines.append("    if type(out) is not float and type(out) is not F64:")
    lines += ["        err = loss(out)", "        if err is not None:", "            raise err"]
    for i, k in enumerate(positions):
        lines.append(f"    g{i} = grads[{i}]")
        lines += _layout_lines(f"g{i}", k - nfront, args[k - nfront] if k >= nfront else None, k)
    gs = ", ".join(f"g{i}" for i in range(len(positions)))
    g = f"({gs},)" if multi else "g0"
    result = f"out, {g}" if value else f"{g}, out[1]" if has_aux else g
    lines.append(f"    return {result}")
    return "\n".join(lines) + "\n"


def _layout_lines(g: str, j: int, arg: Any, k: int) -> list[str]:
    """Lines laying out the gradient `g` of argument `j` of the call (`arg`, of a fast kind;
    a front argument when `j` < 0: position `k` of the front)."""
    if j < 0:
        return [f"    {g} = layout({g}, p{k})"]
    a = f"a{j}"
    if type(arg) is np.ndarray:
        return [
            f"    if type({g}) is not ndarray or {g}.dtype is not D{j} or {g}.shape != {a}.shape or (",
            f"        {g}.base is not None and not {g}.flags.writeable",
            "    ):",
            f"        {g} = fix_zero({g}, {a})",
        ]
    if type(arg) is float:
        return [f"    if type({g}) is not float:", f"        {g} = fix_zero({g}, {a})"]
    return [f"    {g} = layout({g}, {a})"]


def layout(g: Any, like: Any) -> Any:
    """`fix_zero(g, like)`, skipped when `g` already is laid out as `like` (the same type: a
    float, or an array of the same shape and dtype, not a read-only view)."""
    t = type(like)
    if t is float and type(g) is _F64:  # (a float argument's, computed by NumPy)
        return float(g)
    if type(g) is t and (
        t is float
        or (
            t is _NDARRAY
            and g.dtype is like.dtype
            and g.shape == like.shape
            and (g.base is None or g.flags.writeable)  # read-only views: copied by fix_zero
        )
    ):
        return g
    return fix_zero(g, like)


_NDARRAY = np.ndarray
_F64 = np.float64
