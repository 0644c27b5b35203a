"""The disk cache: generated source kept between processes.

Input: a `Request` and, after a build, the `Build` and the user functions the transform read.
Output: a `Compiled` rebuilt from a stored entry (`load`), or None to build as usual.

Where: ``$SRCAD_CACHE_DIR``, else the user's cache directory (platformdirs when installed, else
XDG: ``$XDG_CACHE_HOME/srcad`` or ``~/.cache/srcad``; ``~/Library/Caches/srcad`` on macOS,
``%LOCALAPPDATA%\\srcad\\Cache`` on Windows); ``SRCAD_NO_DISK_CACHE=1`` turns it off. The directory
is made owner-only (0700); a directory another user owns is not used.

What is stored: only transforms that can be rebuilt from source text and the module's globals, so
nothing baked into generated code can be stale: the function and every user function it reaches
through its globals have no closure and literal defaults only, every callable/module global is
described by name (modules, functions by module, qualified name and digest, classes, builtins that
resolve to the very object), the emitted code binds no constants (no closure values, arrays, rule
objects) and has one module's globals. Otherwise the entry is not written (correctness first).

The key (`key_of`): srcad's version and a fingerprint of its files, Python's and NumPy's versions,
the function's code and source text, its global dependencies, mode, `wrt`, `inner` and `Spec`. The
entry also lists the user functions the transform lowered (callees, methods) with their digests;
`load` checks them in the loading process, and records the methods of classes the transform read
again (`class_read`: replacing one later, ``Model.forward = g``, makes the transform again; a
transform that read attributes of other objects is not stored). Entries are written atomically (temp file +
os.replace) with a SHA-256 of their text in front; a corrupt, truncated, foreign-owned or
mismatching entry is ignored (and rewritten by the build that follows), never executed. No user
rules defined in the process (`srcad.custom`): otherwise the cache is not used.
"""

from __future__ import annotations

import base64
import hashlib
import json
import linecache
import marshal
import os
import stat
import sys
import tempfile
import types
from pathlib import Path
from typing import Any

import numpy as np

from srcad.backend import locations
from srcad.backend.compile import FACTORY, compile_emitted, factory_source
from srcad.backend.driver import Build, Compiled, Request
from srcad.backend.emit import Emitted
from srcad.frontend.source import last_line, unwrap

FORMAT = 1
SUFFIX = ".srcad"
_LITERALS = (int, float, complex, str, bytes, bool, type(None))


class _State:
    custom_rules = False  # a user rule was defined in this process: the cache is off
    fingerprint: str | None = None


STATE = _State()


def cache_dir() -> Path | None:
    """The directory of the disk cache, or None when it is turned off."""
    if os.environ.get("SRCAD_NO_DISK_CACHE", "") not in ("", "0"):
        return None
    env = os.environ.get("SRCAD_CACHE_DIR")
    if env:
        return Path(env)
    try:
        import platformdirs

        return Path(platformdirs.user_cache_dir("srcad", appauthor=False))
    except ImportError:
        pass
    if sys.platform == "win32":
        return (
            Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
            / "srcad"
            / "Cache"
        )
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "srcad"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "srcad"


def _ready(path: Path) -> bool:
    """Make `path` (0700); False when it cannot be used safely (another user owns it)."""
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        st = os.stat(path)
        if hasattr(os, "getuid") and st.st_uid != os.getuid():
            return False
        if stat.S_IMODE(st.st_mode) & 0o077:
            os.chmod(path, 0o700)
        return True
    except OSError:
        return False


# -- keys -----------------------------------------------------------------------------------------
def _fingerprint() -> str:
    """srcad's version and its files (name, size, mtime): an edited srcad is another version."""
    if STATE.fingerprint is None:
        version = getattr(sys.modules.get("srcad"), "__version__", "?")
        h = hashlib.sha256(str(version).encode())
        root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        for rel, st in sorted(_sources(root, "")):
            h.update(f"{rel}:{st.st_size}:{st.st_mtime_ns}\n".encode())
        STATE.fingerprint = h.hexdigest()
    return STATE.fingerprint


def _sources(top: str, rel: str) -> list[tuple[str, os.stat_result]]:
    """(path relative to srcad's directory, stat) of every ``.py`` file under `top` (os.scandir:
    a fraction of pathlib's rglob on the first call of a process)."""
    out = []
    with os.scandir(top) as it:
        for e in it:
            if e.is_dir(follow_symlinks=False):
                if e.name != "__pycache__":
                    out += _sources(e.path, f"{rel}{e.name}/")
            elif e.name.endswith(".py"):
                out.append((rel + e.name, e.stat()))
    return out


def _code_digest(code: types.CodeType, h: Any) -> None:
    h.update(code.co_code)
    h.update(repr((code.co_names, code.co_varnames, code.co_freevars, code.co_cellvars)).encode())
    qualname = getattr(code, "co_qualname", code.co_name)
    h.update(repr((qualname, code.co_filename, code.co_firstlineno)).encode())
    for c in code.co_consts:
        if isinstance(c, types.CodeType):
            _code_digest(c, h)
        elif isinstance(c, frozenset):
            h.update(repr(sorted(map(repr, c))).encode())
        else:
            h.update(f"{type(c).__name__}:{c!r}\n".encode())


def function_digest(f: types.FunctionType) -> str | None:
    """A digest of `f`'s code and source text; None when its transform may depend on more
    (closure values, non-literal defaults, source lifted by srcad)."""
    if f.__closure__ or hasattr(f, "__srcad_source__"):
        return None
    for d in (*(f.__defaults__ or ()), *(f.__kwdefaults__ or {}).values()):
        if not _literal(d):
            return None
    code = f.__code__
    h = hashlib.sha256()
    _code_digest(code, h)
    lines = linecache.getlines(code.co_filename, f.__globals__)
    if not lines:
        return None
    h.update("".join(lines[code.co_firstlineno - 1 : last_line(code) + 30]).encode())
    h.update(repr((f.__defaults__, f.__kwdefaults__)).encode())
    return h.hexdigest()


def _literal(v: Any) -> bool:
    if isinstance(v, tuple):
        return all(_literal(e) for e in v)
    return type(v) in _LITERALS


def _resolve(module: str, qualname: str) -> Any:
    obj: Any = sys.modules.get(module)
    for part in qualname.split("."):
        if obj is None or part == "<locals>":
            return None
        obj = getattr(obj, part, None)
    return obj


def describe(v: Any) -> list | None:
    """A description of a global dependency that names the same object in another process."""
    if isinstance(v, types.ModuleType):
        return ["m", v.__name__]
    if isinstance(v, types.FunctionType):
        d = function_digest(v)
        return None if d is None else ["f", v.__module__, v.__qualname__, d]
    mod, name = getattr(v, "__module__", None), getattr(v, "__qualname__", None)
    if not isinstance(mod, str) or not isinstance(name, str) or _resolve(mod, name) is not v:
        return None
    return ["c" if isinstance(v, type) else "o", mod, name]


def key_of(request: Request, reads: list[tuple[dict, str, Any, bool]]) -> tuple[str, str] | None:
    """(file name, key text) of `request`'s entry; None when it must not use the disk cache.
    `reads`: the globals the function reads (`srcad.backend.cache.global_reads`)."""
    if STATE.custom_rules:
        return None
    f = request.pyfunc
    d = function_digest(f) if isinstance(f, types.FunctionType) else None
    if d is None or cache_dir() is None:
        return None
    deps = []
    for _, name, v, dep in reads:
        if dep:
            desc = describe(v)
            if desc is None:
                return None
            deps.append([name, desc])
    s = request.spec
    classes = [[k, c.__module__, c.__qualname__] for k, c in s.classes]
    if any(_resolve(m, q) is not c for (_, m, q), (_, c) in zip(classes, s.classes)):
        return None
    parts = {
        "srcad": _fingerprint(),
        "python": sys.version,
        "numpy": np.__version__,
        "function": [f.__module__, f.__qualname__, d],
        "globals": deps,
        "mode": request.mode.value,
        "wrt": list(request.wrt),
        "inner": [[m.value, list(w)] for m, w in request.inner],
        "spec": [s.scalars, classes, s.ndims, repr(s.seqs), s.has_aux],
    }
    text = json.dumps(parts, sort_keys=True, default=repr)
    return hashlib.sha256(text.encode()).hexdigest()[:40], text


# -- entries --------------------------------------------------------------------------------------
def _manifest(request: Request, used: list) -> list | None:
    out, seen = [], {request.pyfunc.__code__}
    for f in used:
        if f.__code__ in seen:
            continue
        seen.add(f.__code__)
        d = function_digest(f)
        if d is None or _resolve_function(f.__module__, f.__qualname__) is not f:
            return None
        out.append([f.__module__, f.__qualname__, d])
    return out


def _resolve_function(module: str, qualname: str) -> Any:
    obj = _resolve(module, qualname)
    try:
        return None if obj is None else unwrap(obj)
    except Exception:
        return None


def class_read(read: tuple) -> bool:
    """A recorded attribute read (`lower/values.note_attr`) another process can repeat: a method
    of a class it imports by name (``Model.forward``)."""
    cls, name, _ = read
    return (
        isinstance(cls, type)
        and isinstance(name, str)
        and _resolve(cls.__module__, cls.__qualname__) is cls
    )


def store(key: tuple[str, str], request: Request, b: Build, used: list, reads: tuple = ()) -> None:
    """Write the entry of a finished build, when it can be rebuilt from its text (module doc);
    `reads`: the methods of classes it read (`class_read`), read again on load so that replacing
    one later in that process (``Model.forward = g``) makes the transform again."""
    if len(b.emitted) != 1 or b.compiled is None:
        return
    g, em = b.emitted[0]
    if g is not request.pyfunc.__globals__ or em.bindings:
        return
    deps = _manifest(request, used)
    where = cache_dir()
    if deps is None or where is None or not _ready(where):
        return
    payload = json.dumps(
        {
            "format": FORMAT,
            "key": key[1],
            "label": b.label,
            "source": em.source,
            "modules": em.modules,
            "imports": list(em.imports),
            "names": list(em.names),
            "locs": locations.locs_to_json(em.locs),  # user lines of tracebacks
            "deps": deps,
            "code": _factory_code(em, b.label),
            "reads": [[c.__module__, c.__qualname__, n] for c, n, _ in reads],
        },
        sort_keys=True,
    ).encode()
    data = hashlib.sha256(payload).hexdigest().encode() + b"\n" + payload
    try:
        fd, tmp = tempfile.mkstemp(dir=where, prefix=".tmp-", suffix=SUFFIX)
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            os.replace(tmp, where / (key[0] + SUFFIX))
        except BaseException:
            os.unlink(tmp)
            raise
    except OSError:
        pass  # a read-only or full disk: the cache is an optimisation


def _factory_code(em: Emitted, label: str) -> str | None:
    """The compiled factory of `em` (marshal, base64), so that loading skips `compile` (a few ms
    for a long function); the key holds Python's exact version, so the bytecode is this
    interpreter's. Its file name is the one the loading process registers first."""
    try:  # the factory's parameters in the order `load` rebuilds them (the JSON's sorted keys)
        modules = json.loads(json.dumps(em.modules, sort_keys=True))
        em = Emitted(em.source, {}, modules, em.imports, em.names)
        module = compile(factory_source(em), f"<srcad {label}>", "exec")
        code = next(c for c in module.co_consts if isinstance(c, types.CodeType))
        return base64.b64encode(marshal.dumps(code)).decode("ascii")
    except Exception:
        return None


def _loaded_code(e: dict, em: Emitted) -> types.CodeType | None:
    """The factory code of a verified entry, when its parameters are `em`'s factory's (None:
    compile the source instead)."""
    data = e.get("code")
    if not isinstance(data, str):
        return None
    code = marshal.loads(base64.b64decode(data))
    if not isinstance(code, types.CodeType):
        return None
    params = list(code.co_varnames[: code.co_argcount])
    return code if params == em.factory_params and code.co_name == FACTORY else None


def _read(path: Path) -> bytes | None:
    """The entry's verified payload: a regular file of this user's, not writable by others,
    whose SHA-256 matches."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    with os.fdopen(fd, "rb") as fh:
        st = os.fstat(fh.fileno())
        if not stat.S_ISREG(st.st_mode) or stat.S_IMODE(st.st_mode) & 0o022:
            return None
        if hasattr(os, "getuid") and st.st_uid != os.getuid():
            return None
        data = fh.read()
    digest, sep, payload = data.partition(b"\n")
    if not sep or hashlib.sha256(payload).hexdigest().encode() != digest:
        return None
    return payload


def load(key: tuple[str, str], request: Request) -> Compiled | None:
    """The compiled entry of `key`, or None (missing, corrupt, foreign, stale dependencies)."""
    where = cache_dir()
    if where is None:
        return None
    payload = _read(where / (key[0] + SUFFIX))
    if payload is None:
        return None
    try:
        e = json.loads(payload)
        if e["format"] != FORMAT or e["key"] != key[1]:
            return None
        for module, qualname, digest in e["deps"]:
            f = _resolve_function(module, qualname)
            if not isinstance(f, types.FunctionType) or function_digest(f) != digest:
                return None
        locs = locations.locs_from_json(e.get("locs", []))  # user lines of tracebacks
        em = Emitted(
            e["source"], {}, dict(e["modules"]), tuple(e["imports"]), tuple(e["names"]), locs
        )
        reads = []
        for module, qualname, name in e.get("reads", []):
            cls = _resolve(module, qualname)
            if not isinstance(cls, type):
                return None
            reads.append((cls, name, getattr(cls, name)))
        table = compile_emitted(em, request.pyfunc.__globals__, e["label"], _loaded_code(e, em))
        c = Compiled(table[em.names[0]], em.source, table)
        c.attr_reads = tuple(reads)  # type: ignore[attr-defined]
        return c
    except Exception:
        return None


# -- `srcad cache info|clear` ---------------------------------------------------------------------
def info() -> dict[str, Any]:
    """Where the cache is, whether it is on, its entries and their size in bytes."""
    where = cache_dir()
    files = sorted(where.glob("*" + SUFFIX)) if where is not None and where.is_dir() else []
    files = [p for p in files if not p.name.startswith(".tmp-")]
    return {
        "directory": str(where) if where is not None else None,
        "enabled": where is not None,
        "entries": len(files),
        "bytes": sum(p.stat().st_size for p in files),
    }


def clear() -> int:
    """Delete the cache's entries (and stray temp files); the number of entries deleted."""
    where = cache_dir()
    if where is None or not where.is_dir():
        return 0
    n = 0
    for p in where.glob("*" + SUFFIX):
        try:
            p.unlink()
            n += not p.name.startswith(".tmp-")
        except OSError:
            pass
    return n
