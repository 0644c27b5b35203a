"""The disk cache's keys: what names one transform in another process.

Input: a `Request` and the globals its function reads. Output: `key_of` -> (file name, key text),
or None when the transform must not use the disk cache (see `srcad.backend.disk`).

The key holds srcad's fingerprint (`fingerprint`), Python's and NumPy's versions, the function's
code and source (`function_digest`: the text of its lines, or with ``fast=True`` its file's
`file_stamp`, which reads no source), its global dependencies described by name (`describe`),
mode, `wrt`, `inner`, `Spec` and the ranks of the global float64 arrays (`Request.ranks`).

srcad's fingerprint is taken once per process, while srcad is imported (the files it names are
the ones this process runs; taken later, an edit made meanwhile would label the old code's
entries as the new code's). An installed srcad (a wheel: its files beside a
``srcad-VERSION.dist-info/RECORD`` that lists them) is its version and that RECORD's size and
time, one ``stat`` (pip rewrites RECORD on every install); a source tree (an editable install, a
checkout on ``sys.path``) is every ``.py`` file's name, size and modification time, since any
of them may be edited in place, which changes no directory's time.
"""

from __future__ import annotations

import hashlib
import linecache
import marshal
import os
import sys
import types
from typing import Any

import numpy as np

from srcad.ad.kinds import constant_kind, inf_globals
from srcad.arrays import is_complex_value
from srcad.backend.request import Request
from srcad.frontend.functions import last_line

_LITERALS = (int, float, complex, str, bytes, bool, type(None))


class _State:
    custom_rules = False  # a user rule was defined in this process: the cache is off
    fingerprint: str | None = None


STATE = _State()


def fingerprint() -> str:
    """srcad's fingerprint (module doc): an edited or reinstalled srcad is another version;
    "" when its files cannot be listed (a zip import, a permission error): no disk cache."""
    if STATE.fingerprint is None:
        version = str(getattr(sys.modules.get("srcad"), "__version__", "?"))
        root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        try:
            stamp = _installed(root, version)
            if stamp is None:
                stamp = "\n".join(sorted(_sources(root, "", [])))
        except OSError:
            STATE.fingerprint = ""
            return ""
        STATE.fingerprint = hashlib.sha256(f"{version}\n{root}\n{stamp}".encode()).hexdigest()
    return STATE.fingerprint


def _installed(root: str, version: str) -> str | None:
    """The size and time of the RECORD of the wheel `root` was installed from, when it lists
    this very file; None for a source tree."""
    record = os.path.join(os.path.dirname(root), f"srcad-{version}.dist-info", "RECORD")
    try:
        with open(record, "rb") as fh:
            st = os.fstat(fh.fileno())
            listed = b"\nsrcad/backend/diskkey.py," in b"\n" + fh.read()
    except OSError:
        return None
    return f"wheel:{st.st_size}:{st.st_mtime_ns}" if listed else None


def _sources(top: str, rel: str, out: list[str]) -> list[str]:
    """``path:size:mtime`` of every ``.py`` file under `top` (os.scandir: no per-file Path)."""
    with os.scandir(top) as it:
        for e in it:
            name = e.name
            if name.endswith(".py"):
                st = e.stat()
                out.append(f"{rel}{name}:{st.st_size}:{st.st_mtime_ns}")
            elif name != "__pycache__" and e.is_dir(follow_symlinks=False):
                _sources(e.path, f"{rel}{name}/", out)
    return out


def _code_digest(code: types.CodeType, h: Any) -> None:
    """Digest `code`: its marshal data (version 2: no references, so no dependence on reference
    counts), unless a frozenset constant (``x in {"a", "b"}``) makes it follow string hashes:
    then its parts, the frozensets' elements sorted."""
    if _marshal_stable(code):
        h.update(marshal.dumps(code, 2))
        return
    h.update(code.co_code)
    qualname = getattr(code, "co_qualname", code.co_name)
    names = "\0".join(
        (*code.co_names, "", *code.co_varnames, "", *code.co_freevars, "", *code.co_cellvars)
    )
    consts = code.co_consts
    nested = [c for c in consts if type(c) is types.CodeType]
    if nested or any(type(c) is frozenset for c in consts):  # no stable repr: written out
        consts = tuple(_Stable(c) if type(c) in (types.CodeType, frozenset) else c for c in consts)
    # repr tells 1, 1.0, True, -0.0 and 0.0 apart; one C-level repr of the whole tuple
    h.update(repr((names, qualname, code.co_filename, code.co_firstlineno, consts)).encode())
    for c in nested:
        _code_digest(c, h)


def _marshal_stable(code: types.CodeType) -> bool:
    kinds = set(map(type, code.co_consts))
    if frozenset in kinds:
        return False
    if types.CodeType in kinds:
        return all(_marshal_stable(c) for c in code.co_consts if type(c) is types.CodeType)
    return True


class _Stable:
    """A constant without a stable repr: nested code (digested after), a frozenset (its
    elements' reprs sorted: its order follows string hashes). The repr is unquoted, so no
    literal constant has it."""

    def __init__(self, c: Any) -> None:
        self.text = "<code>" if type(c) is types.CodeType else f"{{{sorted(map(repr, c))}}}"

    def __repr__(self) -> str:
        return self.text


def function_digest(f: types.FunctionType, fast: bool = False) -> str | None:
    """A digest of `f`'s code and source text; None when its transform may depend on more
    (closure values, non-literal defaults, source lifted by srcad). `fast`: the source file's
    `file_stamp` instead of its text (None when it has none), read without opening the file."""
    if f.__closure__ or hasattr(f, "__srcad_source__"):
        return None
    for d in (*(f.__defaults__ or ()), *(f.__kwdefaults__ or {}).values()):
        if not _literal(d):
            return None
    code = f.__code__
    h = hashlib.sha256()
    _code_digest(code, h)
    if fast:
        stamp = file_stamp(code.co_filename)
        if stamp is None:
            return None
        h.update(stamp.encode())
    else:
        lines = linecache.getlines(code.co_filename, f.__globals__)
        if not lines:
            return None
        h.update("".join(lines[code.co_firstlineno - 1 : last_line(code) + 30]).encode())
    h.update(repr((f.__defaults__, f.__kwdefaults__)).encode())
    return h.hexdigest()


def file_stamp(filename: str) -> str | None:
    """Size, modification and change times (ns) and inode of the file at the absolute path
    `filename`: any write changes them (the rule of Python's own bytecode cache, with the
    change time added, which no tool sets back); None for other names (``<string>``, cells of
    a notebook): those have their text digested only."""
    if not os.path.isabs(filename):
        return None
    try:
        st = os.stat(filename)
    except OSError:
        return None
    return f"{filename}:{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}:{st.st_ino}"


def lines_as_stamped(filename: str) -> bool:
    """The lines `linecache` holds of `filename`, if any, were read from the file as it is now
    (their size and time are its size and time now): a transform built from them may be stored
    under the file's `file_stamp`."""
    entry = linecache.cache.get(filename)
    if entry is None:
        return True
    try:
        st = os.stat(filename)
    except OSError:
        return False
    return len(entry) == 4 and entry[:2] == (st.st_size, st.st_mtime)


def _literal(v: Any) -> bool:
    if isinstance(v, tuple):
        return all(_literal(e) for e in v)
    return type(v) in _LITERALS


def resolve(module: str, qualname: str) -> Any:
    """The object `module`.`qualname` names in this process (None when it names none)."""
    obj: Any = sys.modules.get(module)
    for part in qualname.split("."):
        if obj is None or part == "<locals>":
            return None
        obj = getattr(obj, part, None)
    return obj


def describe(v: Any, fast: bool = False) -> list | None:
    """A description of a global dependency that names the same object in another process
    (`fast`: functions by `function_digest(fast=True)`)."""
    if isinstance(v, types.ModuleType):
        return ["m", v.__name__]
    if isinstance(v, types.FunctionType):
        d = function_digest(v, fast)
        return None if d is None else ["f", v.__module__, v.__qualname__, d]
    mod, name = getattr(v, "__module__", None), getattr(v, "__qualname__", None)
    if not isinstance(mod, str) or not isinstance(name, str) or resolve(mod, name) is not v:
        return None
    return ["c" if isinstance(v, type) else "o", mod, name]


def key_of(
    request: Request, reads: list[tuple[dict, str, Any, bool]], fast: bool = False
) -> tuple[str, str] | None:
    """(file name, key text) of `request`'s entry; None when it must not use the disk cache.
    `reads`: the globals the function reads (`srcad.backend.cache.global_reads`); `fast`: the
    functions' files by `file_stamp`, not by their text (None when one has none)."""
    if STATE.custom_rules or not fingerprint():
        return None
    f = request.pyfunc
    d = function_digest(f, fast) if isinstance(f, types.FunctionType) else None
    if d is None:
        return None
    deps = []
    for _, name, v, dep in reads:
        if dep:
            desc = describe(v, fast)
            if desc is None:
                return None
            deps.append([name, desc])
    s = request.spec
    classes = [[k, c.__module__, c.__qualname__] for k, c in s.classes]
    if any(resolve(m, q) is not c for (_, m, q), (_, c) in zip(classes, s.classes)):
        return None
    items = [[k, [[c.__module__, c.__qualname__] for c in cs]] for k, cs in s.items]
    if any(
        resolve(m, q) is not c
        for (_, ns), (_, cs) in zip(items, s.items)
        for (m, q), c in zip(ns, cs)
    ):
        return None
    parts = {
        "srcad": fingerprint(),
        "python": sys.version,
        "numpy": np.__version__,
        "function": [f.__module__, f.__qualname__, d],
        "fast": fast,
        "globals": deps,
        "mode": request.mode.value,
        "wrt": list(request.wrt),
        "inner": [[m.value, list(w)] for m, w in request.inner],
        "spec": [
            s.scalars,
            classes,
            s.ndims,
            repr(s.seqs),
            s.has_aux,
            s.complex,
            s.numbers,
            s.arrays,
            s.floats,
            s.nones,
            items,
        ],
        "complex_globals": [n for _, n, v, dep in reads if not dep and is_complex_value(v)],
        "global_kinds": [[n, constant_kind(v)] for _, n, v, dep in reads if not dep],
        "inf_globals": list(inf_globals(reads)),
        "ranks": request.ranks,  # (`backend/globalranks.py`)
    }
    text = repr(parts)  # in the order written above; a repr of builtins only (json: 2x slower)
    return hashlib.sha256(text.encode()).hexdigest()[:40], text


if os.environ.get("SRCAD_NO_DISK_CACHE", "") in ("", "0"):
    fingerprint()  # at import: see the module doc
