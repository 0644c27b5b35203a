"""The code of `srcad.backend.guard.Guard`'s checks: one small function per shape of guard.

Input: a Python function and the globals it reads (`srcad.backend.cache.global_reads`). Output:
its guard's groups of global names (`groups_of`), the shape of its check and the check's compiled
code (`check_code`, compiled once per shape). The disk cache stores a transform's checks with it
(`stored_checks`) and gives them back when it loads it (`add_checks`), so a process that loads
a transform compiles no check (issue 11: the second process's first call). For example, a guard
of ``def f(x): return np.sum(x)`` has the shape ``((('np',),), 0, False, False, (), ())`` and checks::

    f.__code__ is code and ... and cache.epoch == epoch and get0('np') is v0[0]
"""

from __future__ import annotations

import dis
import sys
import types
from typing import Any

from srcad.backend.depstate import dep_states
from srcad.backend.globalranks import rank_of

INLINE = 16  # globals of one dict tested one by one; more: one `all(map(is_, ...))`
_CODES: dict[tuple, Any] = {}  # the check's code per shape (names, cells, attributes)
_FILENAME = "<srcad guard>"


def groups_of(pyfunc: Any, reads: list) -> list[list]:
    """[globals dict, names, values, is a dependency] per globals dict of `reads` (the global
    names the functions visited load; ``co_names`` also holds attribute names, never read)."""
    groups: dict[int, list] = {}
    loaded = _loaded_names(pyfunc, reads)
    for g, n, v, d in reads:
        if n not in loaded:  # an attribute's name (`sum` of `np.sum`): not a global read
            continue
        grp = groups.setdefault(id(g), [g, [], [], []])
        if n not in grp[1]:
            grp[1].append(n)
            grp[2].append(v)
            grp[3].append(d)
    return [[g, tuple(ns), vs, tuple(ds)] for g, ns, vs, ds in groups.values()]


def shape_of(
    groups: list, ncells: int, attrs: bool, weak: bool, deps: tuple = (), ranked: tuple = ()
) -> tuple:
    """What the text of a check depends on (`check_source`); `deps`: the callees with closure
    values or defaults to compare (`srcad.backend.depstate.dep_states`): whether each has
    defaults and keyword defaults, and its number of cells, tested inline (their `__code__` is
    not: replacing a callee's code object is not seen); past `INLINE` callees, `deps_current`.
    `ranked`: the float64 arrays whose rank the transform was built for (`ranked_of`)."""
    names = tuple(ns if len(ns) <= INLINE else len(ns) for _, ns, _, _ in groups)
    tested = tuple((d[2] is not None, d[3] is not None, len(d[4])) for d in deps)
    return (names, ncells, attrs, weak, tested if len(tested) <= INLINE else len(tested), ranked)


def ranked_of(pyfunc: Any, groups: list, values: tuple) -> tuple:
    """The values of `groups` (of `pyfunc`'s own globals) and of its closure cells (`values`)
    that are float64 arrays, with their ranks (`srcad.backend.globalranks`): ``("g", group,
    position, rank)`` and ``("c", cell, rank)``, tested on every call (``X.shape = (...)``
    changes the rank of the same object)."""
    out: list[tuple] = []
    for i, (g, _, vs, deps) in enumerate(groups):
        if g is pyfunc.__globals__:
            for j, (v, dep) in enumerate(zip(vs, deps)):
                n = None if dep else rank_of(v)
                if n is not None:
                    out.append(("g", i, j, n))
    for i, v in enumerate(values):
        n = rank_of(v)
        if n is not None:
            out.append(("c", i, n))
    return tuple(out)


def check_code(shape: tuple) -> types.CodeType:
    """The compiled `check_source(shape)` (once per shape)."""
    code = _CODES.get(shape)
    if code is None:
        if len(_CODES) >= 256:
            _CODES.clear()
        code = _CODES[shape] = compile(check_source(shape), _FILENAME, "exec")
    return code


def stored_checks(pyfunc: Any, reads: list, attrs: bool) -> tuple:
    """The compiled checks of `pyfunc`'s guards (held strongly, as `grad` does, and weakly, as
    the jvp/vjp fast paths do) as (shape, code) pairs, for a function without closure cells
    (what the disk cache stores)."""
    groups = groups_of(pyfunc, reads)
    deps = dep_states(pyfunc, reads)
    ranked = ranked_of(pyfunc, groups, ())
    shapes = (shape_of(groups, 0, attrs, weak, deps, ranked) for weak in (False, True))
    return tuple((shape, check_code(shape)) for shape in shapes)


def add_checks(pairs: Any) -> None:
    """Take `stored_checks`' pairs from a disk cache entry (checked by its digest; written by
    this srcad, which its key names): the checks of those shapes are not compiled again."""
    for shape, code in pairs:
        if type(shape) is tuple and type(code) is types.CodeType and code.co_filename == _FILENAME:
            _CODES.setdefault(shape, code)


def _loaded_names(pyfunc: Any, reads: list) -> set[str]:
    """The names the functions `global_reads` visited load as globals (``co_names`` also holds
    attribute names; a global of such a name is never read, so the guard skips it)."""
    funcs = [pyfunc] + [getattr(v, "__func__", v) for _, _, v, dep in reads if dep]
    names: set[str] = set()
    for f in funcs:
        if isinstance(f, types.FunctionType):
            names |= _code_globals(f.__code__)
    return names


def _code_globals(code: types.CodeType) -> frozenset[str]:
    """The names `code` (and the code nested in it) loads, stores or deletes as globals, read
    off its bytecode (`dis.get_instructions` takes milliseconds on a long function)."""
    hit = _GLOBALS.get(code)
    if hit is None:
        found, names, raw = set(), code.co_names, code.co_code
        for op in _BY_NAME:  # bytes.find: a few hits, not a Python step per instruction
            shift = _GLOBAL_SHIFT if op == _LOAD_GLOBAL else 0
            i = raw.find(op)
            while i >= 0:
                if not i % 2:  # an opcode, not an argument byte
                    a, j = raw[i + 1], i
                    while j >= 2 and raw[j - 2] == _EXTENDED:
                        j -= 2
                        a |= raw[j + 1] << (4 * (i - j))
                    found.add(names[a >> shift])
                i = raw.find(op, i + 1)
        for c in code.co_consts:
            if isinstance(c, types.CodeType):
                found |= _code_globals(c)
        if len(_GLOBALS) >= 1024:
            _GLOBALS.clear()
        hit = _GLOBALS[code] = frozenset(found)
    return hit


_EXTENDED = dis.opmap["EXTENDED_ARG"]
_LOAD_GLOBAL = dis.opmap["LOAD_GLOBAL"]
_GLOBAL_SHIFT = 1 if sys.version_info >= (3, 11) else 0  # 3.11: the low bit is a push-NULL flag
_BY_NAME = tuple(
    dis.opmap[n] for n in ("LOAD_GLOBAL", "LOAD_NAME", "STORE_GLOBAL", "DELETE_GLOBAL")
)
_GLOBALS: dict[types.CodeType, frozenset[str]] = {}


def check_source(shape: tuple) -> str:
    """The text of a check for guards of this shape (names per globals dict, or their number
    when there are many; the number of closure cells; whether attributes were read; whether
    the function is held weakly; the callees' numbers of cells, `shape_of`)."""
    weak = shape[3]
    body = "\n            and ".join(check_tests(shape))
    return (
        "def check():\n"
        + ("    f = fref()\n    if f is None:\n        return False\n" if weak else "")
        + "    try:\n"
        f"        if (\n            {body}\n        ):\n"
        "            return True\n"
        "    except ValueError:  # an empty closure cell\n"
        "        pass\n"
        "    return valid()\n"
    )


def check_tests(shape: tuple) -> list[str]:
    """The identity tests of a check of this shape, each an expression over the names
    `srcad.backend.guard` binds (`f`: the function; a weak guard binds it first). A test of a
    closure cell raises ValueError when the cell is empty."""
    groups, ncells, has_attrs, weak, deps, ranked = shape
    tests = [
        "f.__code__ is code",
        "f.__defaults__ is dflt",
        "f.__kwdefaults__ is kwd",
        "cache.epoch == epoch",
    ]
    tests += [f"c{i}.cell_contents is w{i}" for i in range(ncells)]
    for i, names in enumerate(groups):
        if isinstance(names, int):
            tests.append(f"all(map(is_, map(get{i}, n{i}), v{i}))")
        else:
            tests += [f"get{i}({n!r}) is v{i}[{j}]" for j, n in enumerate(names)]
    for r in ranked:  # (after the identity tests: the value is the one the guard holds)
        v = f"v{r[1]}[{r[2]}]" if r[0] == "g" else f"w{r[1]}"
        tests.append(f"{v}.ndim == {r[-1]} and {v}.dtype is DF64")
    if has_attrs:
        tests.append("attrs_current(attrs)")
    if isinstance(deps, int):
        tests.append("deps_current(deps)")
    for i, (dflt, kwd, n) in enumerate(deps if isinstance(deps, tuple) else ()):
        tests += [f"d{i}.__defaults__ is d{i}d"] if dflt else []
        tests += [f"d{i}.__kwdefaults__ is d{i}k"] if kwd else []
        tests += [f"d{i}c{j}.cell_contents is d{i}w{j}" for j in range(n)]
    return tests
