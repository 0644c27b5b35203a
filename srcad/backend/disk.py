"""The disk cache: generated source kept between processes.

Input: a `Request` and, after a build, the `Build` and the user functions the transform read.
Output: a `Compiled` rebuilt from a stored entry (`lookup`), or None to build as usual (`store`).

Where: ``$SRCAD_CACHE_DIR``, else the user's cache directory (platformdirs when installed, else
XDG: ``$XDG_CACHE_HOME/srcad`` or ``~/.cache/srcad``; ``~/Library/Caches/srcad`` on macOS,
``%LOCALAPPDATA%\\srcad\\Cache`` on Windows); ``SRCAD_NO_DISK_CACHE=1`` turns it off. The directory
is made owner-only (0700); a directory another user owns is not used.

What is stored: only transforms that can be rebuilt from source text and the module's globals, so
nothing baked into generated code can be stale: the function and every user function it reaches
through its globals have no closure and literal defaults only, every callable/module global is
described by name (modules, functions by module, qualified name and digest, classes, builtins that
resolve to the very object), the emitted code binds no constants (no closure values, arrays, rule
objects) and reads the globals of modules found again by name (the function's, and those of the
functions of other modules it calls: `srcad.backend.diskgroups`). Otherwise the entry is not
written (correctness first).

The keys (`srcad.backend.diskkey.key_of`): srcad's fingerprint, Python's and NumPy's versions,
the function's code and source, its global dependencies, mode, `wrt`, `inner` and `Spec`. Each
entry is stored under two keys that differ in how the source is named: by its files' stamps
(size, times, inode: a hit reads no source, issue 11's 5 ms first call) and by the functions'
text (after an edit elsewhere in a file the text finds the entry, which is then stored under
the new stamps). An entry goes under stamps only when the lines the transform read are the
stamped files' (`diskkey.lines_as_stamped`, and the stamps taken again after the build).
The entry also lists the user functions the transform lowered (callees, methods) with their
digests; `lookup` checks them in the loading process, and records the methods of classes the
transform read again (`class_read`: replacing one later, ``Model.forward = g``, makes the
transform again), and the listed functions read as modules' attributes (``losses.huber``:
`diskgroups.module_read`); a transform that read attributes of other objects is not stored.

An entry is a SHA-256 of its payload, a newline, then the payload: the interpreter's bytecode
magic number and the entry's `marshal` data (its text, the factory's compiled code and the
compiled checks of its guards, so a hit runs no `compile()`, and what the factory binds). Entries
are written atomically (temp file + os.replace); a corrupt, truncated, foreign-owned,
other-interpreter or mismatching entry is ignored (and rewritten by the build that follows),
never executed. No user rules defined in the process (`srcad.custom`): otherwise the cache is not
used.
"""

from __future__ import annotations

import hashlib
import importlib.util
import marshal
import os
import stat
import sys
import tempfile
import types
from pathlib import Path
from typing import TYPE_CHECKING, Any

from srcad import lazy
from srcad.backend import diskgroups, diskkey, guardcode, locations
from srcad.backend.compile import FACTORY, compile_emitted, factory_source
from srcad.backend.diskkey import function_digest, resolve
from srcad.backend.emitted import Emitted
from srcad.backend.request import Compiled, Request
from srcad.frontend.functions import unwrap
from srcad.lower.reads import ItemRead, function_reads

_driver = lazy.module("srcad.backend.driver")  # (loaded already when a build is stored)

if TYPE_CHECKING:
    from srcad.backend.driver import Build

FORMAT = 4  # 4: + other modules' groups; 3: + the guards' checks (2: marshal data, 1: JSON)
SUFFIX = ".srcad"
STATE = diskkey.STATE  # custom_rules, fingerprint
_MAGIC = importlib.util.MAGIC_NUMBER  # marshal data and bytecode of this interpreter


_DIRS: dict[tuple, str | None] = {}  # by the values of the environment variables read


def cache_dir() -> Path | None:
    """The directory of the disk cache, or None when it is turned off."""
    where = _where()
    return None if where is None else Path(where)


def _where() -> str | None:
    """`cache_dir()` as a string, found once per value of the environment variables it depends
    on (the load path asks on every disk lookup)."""
    get = os.environ.get
    k: tuple = (get("SRCAD_NO_DISK_CACHE"), get("SRCAD_CACHE_DIR"))
    if not k[1]:
        k += tuple(map(get, ("XDG_CACHE_HOME", "HOME", "LOCALAPPDATA", "USERPROFILE")))
    hit = _DIRS.get(k, False)
    if hit is False:
        if len(_DIRS) >= 16:
            _DIRS.clear()
        hit = _DIRS[k] = _find_dir(k[0], k[1])
    return hit


def _find_dir(off: str | None, env: str | None) -> str | None:
    if off not in (None, "", "0"):
        return None
    if env:
        return env
    try:
        import platformdirs

        return platformdirs.user_cache_dir("srcad", appauthor=False)
    except ImportError:
        pass
    if sys.platform == "win32":
        return str(
            Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
            / "srcad"
            / "Cache"
        )
    if sys.platform == "darwin":
        return str(Path.home() / "Library" / "Caches" / "srcad")
    return str(Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "srcad")


def _ready(path: str) -> bool:
    """Make `path` (0700); False when it cannot be used safely (another user owns it)."""
    try:
        os.makedirs(path, mode=0o700, exist_ok=True)
        st = os.stat(path)
        if hasattr(os, "getuid") and st.st_uid != os.getuid():
            return False
        if stat.S_IMODE(st.st_mode) & 0o077:
            os.chmod(path, 0o700)
        return True
    except OSError:
        return False


Keys = tuple  # (stamped key or None, text key): `diskkey.key_of(fast=True)`, `diskkey.key_of`


def lookup(request: Request, reads: list) -> tuple[Compiled | None, Keys | None]:
    """(the stored transform of `request` or None, the keys to `store` a build under, or None
    when it must not be stored); `reads`: `srcad.backend.cache.global_reads(request.pyfunc)`.

    First by the files' stamps (`diskkey.file_stamp`: no source is read), then by the
    functions' text, which finds the entry again after an edit elsewhere in their files (it is
    then stored under the new stamps)."""
    if _where() is None or request.spec.fns:  # (function arguments: `backend.fnspec`)
        return None, None
    fast = diskkey.key_of(request, reads, fast=True)
    if fast is not None:
        hit = _load(fast, request, True)
        if hit is not None:
            return hit[0], None
    slow = diskkey.key_of(request, reads)
    if slow is None:
        return None, None
    hit = _load(slow, request, False)
    if hit is None:
        return None, (fast, slow)
    c, e, deps = hit
    if fast is not None and _stamped(fast, request, reads, deps):
        _write(fast, {**e, "key": fast[1], "deps": _manifest(request, deps, True)})
    return c, None


def _stamped(fast: tuple, request: Request, reads: list, funcs: list) -> bool:
    """`fast` is still `request`'s stamped key and the lines the transform read of the files
    it names are those files as stamped (`diskkey.lines_as_stamped`)."""
    fs = [request.pyfunc, *funcs]
    fs += [v for _, _, v, dep in reads if dep and isinstance(v, types.FunctionType)]
    files = {f.__code__.co_filename for f in fs}
    return diskkey.key_of(request, reads, True) == fast and all(
        map(diskkey.lines_as_stamped, files)
    )


# -- entries --------------------------------------------------------------------------------------
def _manifest(request: Request, used: list, fast: bool = False) -> list | None:
    out, seen = [], {request.pyfunc.__code__}
    for f in used:
        if f.__code__ in seen:
            continue
        seen.add(f.__code__)
        d = function_digest(f, fast)
        if d is None or _resolve_function(f.__module__, f.__qualname__) is not f:
            return None
        out.append([f.__module__, f.__qualname__, d])
    return out


def _resolve_function(module: str, qualname: str) -> Any:
    obj = resolve(module, qualname)
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
        and resolve(cls.__module__, cls.__qualname__) is cls
    )


def _owner(c: Any) -> bool:
    return isinstance(c, (type, types.ModuleType))


def repeatable(read: tuple, funcs: list) -> bool:
    """`class_read`, or a read of one of the functions `funcs` the entry lists (its code and
    defaults, a callable its globals hold: `reads.function_reads`), made again on load."""
    obj, name, value = read
    if isinstance(obj, types.FunctionType):
        return isinstance(name, str) and any(obj is f for f in funcs)
    if type(obj) is dict and any(obj is f.__kwdefaults__ for f in funcs):
        return True  # a keyword-only default (`function_reads` makes it again)
    if type(obj) is dict:  # (a global object, not callable: not made again)
        dep = callable(value) or isinstance(value, types.ModuleType)
        return dep and isinstance(name, ItemRead) and any(obj is f.__globals__ for f in funcs)
    if isinstance(obj, types.ModuleType):  # ``losses.huber``: a listed function
        return diskgroups.module_read(read, funcs)
    return class_read(read)


def store(
    keys: Keys, request: Request, b: Build, used: list, reads: list, attrs: tuple = ()
) -> None:
    """Write the entry of a finished build, when it can be rebuilt from its text (module doc),
    under `lookup`'s keys (the stamped one when the files are still as stamped: `_stamped`);
    `reads`: the globals the function read; `attrs`: the methods of classes it read
    (`class_read`), read again on load so that replacing one later in that process
    (``Model.forward = g``) makes the transform again."""
    if b.compiled is None:
        return
    g, em = b.emitted[0]
    others = diskgroups.groups_data(b.emitted)  # (the functions of other modules)
    if g is not request.pyfunc.__globals__ or em.bindings or others is None:
        return
    deps = _manifest(request, used)
    if deps is None or _where() is None:
        return
    fast, slow = keys
    entry = {
        "format": FORMAT,
        "key": slow[1],
        "label": b.label,
        "text": factory_source(em),
        "source": em.source,
        "modules": tuple(em.modules.items()),  # in order: the factory's parameters
        "imports": tuple(em.imports),
        "names": tuple(em.names),
        "locs": locations.locs_data(em.locs),  # user lines of tracebacks
        "deps": deps,
        "code": None if others else _factory_code(b),
        "others": others,
        # the guards' checks, compiled: no compile() on load
        "checks": guardcode.stored_checks(request.pyfunc, reads, bool(attrs)),
        "reads": [diskgroups.read_data(c, n) for c, n, _ in attrs if _owner(c)],
    }
    _write(slow, entry)
    if fast is not None and _stamped(fast, request, reads, used):
        fdeps = _manifest(request, used, True)
        if fdeps is not None:
            _write(fast, {**entry, "key": fast[1], "deps": fdeps})


def _write(key: tuple[str, str], entry: dict) -> None:
    """Write `entry` as `key`'s file: atomically, owner-only, its SHA-256 in front."""
    where = _where()
    if where is None or not _ready(where):
        return
    try:
        payload = _MAGIC + marshal.dumps(entry)
    except ValueError:  # an unmarshallable value: not stored
        return
    data = hashlib.sha256(payload).hexdigest().encode() + b"\n" + payload
    try:
        fd, tmp = tempfile.mkstemp(dir=where, prefix=".tmp-", suffix=SUFFIX)
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            os.replace(tmp, os.path.join(where, key[0] + SUFFIX))
        except BaseException:
            os.unlink(tmp)
            raise
    except OSError:
        pass  # a read-only or full disk: the cache is an optimisation


def _factory_code(b: Build) -> types.CodeType | None:
    """The compiled factory of `b`'s text (`driver.factory_code`: the one its functions are
    made from), so that loading skips `compile` (a few ms for a long function); its file name
    is the one the loading process registers first (another one renames it: `compile_emitted`)."""
    try:
        return _driver.factory_code(b, 0)
    except Exception:
        return None


def _read(path: str | Path) -> dict | None:
    """The entry at `path`, verified: a regular file of this user's, not writable by others,
    whose SHA-256 matches, written by this interpreter (its bytecode magic number). Read with
    one `os.read` and no copy (fresh buffers cost page faults: this is the load path)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or stat.S_IMODE(st.st_mode) & 0o022:
            return None
        if hasattr(os, "getuid") and st.st_uid != os.getuid():
            return None
        chunks = [os.read(fd, st.st_size + 1)]
        while chunks[-1]:  # a short read: the rest (or b"" at the end)
            chunks.append(os.read(fd, 1 << 16))
    except OSError:
        return None
    finally:
        os.close(fd)
    data = memoryview(chunks[0] if len(chunks) == 2 else b"".join(chunks))
    end = 64  # the hex digest, then a newline
    if len(data) < end + 1 + len(_MAGIC) or data[end] != 10:
        return None
    payload = data[end + 1 :]
    if hashlib.sha256(payload).hexdigest().encode() != data[:end]:
        return None
    if payload[: len(_MAGIC)] != _MAGIC:
        return None
    try:
        e = marshal.loads(payload[len(_MAGIC) :])
    except (EOFError, ValueError, TypeError):
        return None
    return e if type(e) is dict and e.get("format") == FORMAT else None


def _load(key: tuple[str, str], request: Request, fast: bool) -> tuple | None:
    """(the compiled entry of `key`, the entry, the user functions it lists), or None (missing,
    corrupt, foreign, stale dependencies); `fast`: a stamped key (`diskkey.key_of`)."""
    where = _where()
    if where is None:
        return None
    e = _read(os.path.join(where, key[0] + SUFFIX))
    if e is None or e.get("key") != key[1]:
        return None
    try:
        deps = []
        for module, qualname, digest in e["deps"]:
            f = _resolve_function(module, qualname)
            if not isinstance(f, types.FunctionType) or function_digest(f, fast) != digest:
                return None
            deps.append(f)
        locs = locations.locs_from_data(e["locs"])  # user lines of tracebacks
        em = Emitted(e["source"], {}, dict(e["modules"]), e["imports"], e["names"], locs)
        reads = []
        for module, qualname, name in e["reads"]:  # a class's or module's attributes
            read = diskgroups.reread(module, qualname, name, deps)
            if read is None:
                return None
            reads.append(read)
        for f in deps:  # what the build read of the functions it lists
            reads += function_reads(f)
        code = e.get("code")
        if not isinstance(code, types.CodeType) or not _factory_of(code, em):
            code = None  # compiled from the text instead
        guardcode.add_checks(e["checks"])
        g, others = request.pyfunc.__globals__, e["others"]
        if others:  # functions of other modules too
            table = diskgroups.compile_groups(em, g, others, e["label"])
            if table is None:
                return None
            source = "\n".join([em.source, *(o[1] for o in others)])
        else:
            table, source = compile_emitted(em, g, e["label"], code, e["text"]), em.source
        c = Compiled(table[em.names[0]], source, table)
        c.attr_reads = tuple(reads)  # type: ignore[attr-defined]
        return c, e, deps
    except Exception:
        return None


def _factory_of(code: types.CodeType, em: Emitted) -> bool:
    """`code` is a factory of `em`'s parameters."""
    params = list(code.co_varnames[: code.co_argcount])
    return code.co_name == FACTORY and params == em.factory_params


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
