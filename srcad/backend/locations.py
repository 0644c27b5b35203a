"""Where generated code came from: generated lines -> the user's lines, on the error path.

Input: while emitting, each statement's user line (`Op.loc` of the op it was emitted for; the
reverse sweep's ops carry the loc of the primal op they differentiate), collected per function in
statement order (`FnLocs`, by `backend/text.write`); the compiled text, registered under its pseudo-filename
``<srcad LABEL>`` (`register`). Output, only when generated code raises (`locate`, called by the
API's call paths in their ``except``; nothing runs on success):

- a traceback entry for the user's line (file, line, function; its text from the file), inserted
  before each generated frame. A real entry, so every traceback printer shows it on every Python
  (3.10's `traceback` ignores notes); the exception's type and message are unchanged;
- a note (``add_note`` on 3.11+, ``__notes__`` on 3.10) saying which generated line came from
  which user line;
- with ``SRCAD_SHOW_CODE=1``, the generated code on stderr, numbered, the failing line marked.

The line map is built on the first error only: the registered text is parsed again and its
statements, in the same order as the emitter's, are matched with the recorded lines (when the
counts differ nothing is mapped: no location rather than a wrong one). Registered texts live in
`linecache` as long as a function compiled from them does (`hold`), so memory follows the
transform cache.
"""

from __future__ import annotations

import ast
import functools
import linecache
import os
import re
import sys
import threading
import types
import weakref
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from srcad.errors import SrcadError


@dataclass(frozen=True)
class FnLocs:
    """One emitted function's statements' user lines, in statement order (0: none)."""

    filename: str
    firstline: int
    lines: tuple[int, ...]
    source_lines: Sequence[str] = field(compare=False, repr=False)
    cols: tuple[int, ...] = ()  # the columns of those lines' operations (a refusal's caret)


def _parsed(body: list) -> Iterator[ast.stmt]:
    for s in body:
        yield s
        for name in ("body", "orelse"):
            yield from _parsed(getattr(s, name, None) or [])


class _Entry:
    def __init__(self, text: str, lines: list[str], locs: tuple) -> None:
        self.text, self.lines, self.locs, self.refs = text, lines, locs, 0
        self.map: dict[int, tuple[FnLocs, int, int]] | None = None

    def user_line(self, lineno: int) -> tuple[FnLocs, int, int] | None:
        """(the function's locations, user line, column) of generated line `lineno`."""
        if self.map is None:
            self.map = _line_map(self.text, self.locs)
        return self.map.get(lineno)


def _line_map(text: str, locs: tuple) -> dict[int, tuple[FnLocs, int, int]]:
    """Generated line -> (function's locations, user line, column); inner statements win."""
    out: dict[int, tuple[FnLocs, int, int]] = {}
    if not locs:
        return out
    factory = ast.parse(text).body[0]
    defs = [s for s in getattr(factory, "body", []) if isinstance(s, ast.FunctionDef)]
    if len(defs) != len(locs):
        return out
    for d, fl in zip(defs, locs):
        stmts = list(_parsed(d.body))
        if len(stmts) != len(fl.lines):
            continue  # the text does not match the record: map nothing rather than guess
        cols = fl.cols if len(fl.cols) == len(fl.lines) else (0,) * len(fl.lines)
        for s, line, col in zip(stmts, fl.lines, cols):
            if line:
                for k in range(s.lineno, (s.end_lineno or s.lineno) + 1):
                    out[k] = (fl, line, col)
    return out


_LOCK = threading.Lock()
_ENTRIES: dict[str, _Entry] = {}


def register(text: str, label: str, locs: tuple = ()) -> str:
    """Put `text` in `linecache` under ``<srcad LABEL>`` (``#2``, ``#3``... when taken by another
    text) with its statements' user lines; the filename to compile it under."""
    lines = text.splitlines(keepends=True)
    k = 1
    with _LOCK:
        while True:
            filename = f"<srcad {label}>" if k == 1 else f"<srcad {label}#{k}>"
            entry = linecache.cache.get(filename)
            known = _ENTRIES.get(filename)
            # the same text made from other user lines (a function of the same name and body in
            # another file) takes another name: its errors must point at its own lines
            other_lines = known is not None and known.text == text and known.locs and locs
            other_lines = bool(other_lines) and known.locs != locs
            if not other_lines and (entry is None or (len(entry) == 4 and entry[2] == lines)):
                # mtime None: linecache.checkcache never drops the entry.
                linecache.cache[filename] = (len(text), None, lines, filename)
                if filename not in _ENTRIES or _ENTRIES[filename].text != text:
                    _ENTRIES[filename] = _Entry(text, lines, locs)
                elif locs and not _ENTRIES[filename].locs:
                    _ENTRIES[filename].locs = locs
                return filename
            k += 1


def hold(filename: str, fns: Iterable[Any]) -> None:
    """Keep `filename`'s text while any of `fns` (compiled from it) lives."""
    entry = _ENTRIES.get(filename)
    if entry is None:
        return
    for f in fns:
        with _LOCK:
            entry.refs += 1
        weakref.finalize(f, _release, filename, entry)


def _release(filename: str, entry: _Entry) -> None:
    with _LOCK:
        entry.refs -= 1
        if entry.refs > 0 or _ENTRIES.get(filename) is not entry:
            return
        del _ENTRIES[filename]
        cached = linecache.cache.get(filename)
        if cached is not None and len(cached) == 4 and cached[2] == entry.lines:
            del linecache.cache[filename]


# -- the error path -------------------------------------------------------------------------------
def locate(exc: BaseException) -> None:
    """Point `exc`'s traceback at the user's lines of the generated frames it passed through (see
    the module docstring). Never raises: a failure here must not hide the user's error."""
    try:
        _locate(exc)
    except Exception:  # pragma: no cover - defensive
        pass


def _locate(exc: BaseException) -> None:
    seen: set = exc.__dict__.setdefault("_srcad_seen", set())
    shown: dict[str, list[int]] = {}
    innermost = None
    prev, tb = None, exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        entry = _ENTRIES.get(filename) if filename.startswith("<srcad ") else None
        if entry is not None and id(tb.tb_frame) not in seen:
            seen.add(id(tb.tb_frame))
            if linecache.cache.get(filename) is None:  # linecache.clearcache() ran
                linecache.cache[filename] = (len(entry.text), None, entry.lines, filename)
            shown.setdefault(filename, []).append(tb.tb_lineno)
            where = entry.user_line(tb.tb_lineno)
            if where is not None:
                innermost = where
            if where is not None and prev is not None:
                fl, line, _col = where
                name, first = _function_name(fl, line)
                fake = types.TracebackType(tb, _frame(fl.filename, name, first), -1, line)
                prev.tb_next = fake
                _note(exc, filename, tb.tb_lineno, fl, line, name)
        prev, tb = tb, tb.tb_next
    if innermost is not None and isinstance(exc, SrcadError) and exc.filename is None:
        _place(exc, *innermost)
    if shown and os.environ.get("SRCAD_SHOW_CODE", "") not in ("", "0"):
        for filename, linenos in shown.items():
            _show(exc, filename, _ENTRIES[filename], linenos)


def _place(exc: SrcadError, fl: FnLocs, line: int, col: int) -> None:
    """A refusal a runtime helper raised (a case only the values reveal: a stack, a non-square
    matrix) pointed at the user's operation: file:line:col, the source line and a caret."""
    exc.filename, exc.line, exc.col = fl.filename, line, col
    if 0 < line <= len(fl.source_lines):
        exc.source_line = fl.source_lines[line - 1]
    exc.args = (exc._format(),)


def _note(exc: BaseException, gen: str, gen_line: int, fl: FnLocs, line: int, name: str) -> None:
    text = fl.source_lines[line - 1].strip() if 0 < line <= len(fl.source_lines) else ""
    note = (
        f"srcad: line {gen_line} of the generated code {gen} comes from\n"
        f'  File "{fl.filename}", line {line}, in {name}\n    {text}'
    )
    if hasattr(exc, "add_note"):
        exc.add_note(note)
    else:  # Python 3.10: kept for tools that read it; the traceback entry is what 3.10 shows
        exc.__notes__ = [*getattr(exc, "__notes__", []), note]  # type: ignore[attr-defined]


UNKNOWN = object()  # reverse_output: no output to read


def reverse_output(exc: BaseException) -> Any:
    """The output a generated gradient entry point (``grad_f``: forward sweep, ``# reverse
    sweep`` marker, reverse sweep, ``return out, grads``) had computed when `exc` came out of
    its reverse sweep, read from the finished frame (so `f` need not run again to tell a
    non-scalar output from an error of its own); `UNKNOWN` when the error came from the forward
    sweep (the user's own code) or the frame or text cannot be read."""
    tb = exc.__traceback__
    while tb is not None and not tb.tb_frame.f_code.co_filename.startswith("<srcad "):
        tb = tb.tb_next
    if tb is None:
        return UNKNOWN
    code = tb.tb_frame.f_code
    lines = linecache.getlines(code.co_filename)
    first = code.co_firstlineno - 1
    if not 0 <= first < len(lines):
        return UNKNOWN
    indent = len(lines[first]) - len(lines[first].lstrip())
    end, marker = first + 1, None
    while end < len(lines) and (
        not lines[end].strip() or len(lines[end]) - len(lines[end].lstrip()) > indent
    ):
        if lines[end].strip() == "# reverse sweep" and marker is None:
            marker = end + 1
        end += 1
    if marker is None or tb.tb_lineno < marker:
        return UNKNOWN
    try:
        last = ast.parse("".join(s[indent:] for s in lines[first:end])).body[0].body[-1]
    except (SyntaxError, IndexError, AttributeError):
        return UNKNOWN
    elts = getattr(getattr(last, "value", None), "elts", None)
    if not isinstance(last, ast.Return) or not elts or len(elts) != 2:
        return UNKNOWN
    if isinstance(elts[0], ast.Constant):
        return elts[0].value
    if isinstance(elts[0], ast.Name):
        return tb.tb_frame.f_locals.get(elts[0].id, UNKNOWN)
    return UNKNOWN


_DEF = re.compile(r"\s*(?:async\s+)?def\s+(\w+)")


def _function_name(fl: FnLocs, line: int) -> tuple[str, int]:
    """The user function around `line` and its ``def`` line: the nearest ``def`` above it
    indented less, or on `line` itself (``def f(x): return ...``); a lambda: ``<lambda>`` and
    the transformed function's first line."""
    src = fl.source_lines
    if not 0 < line <= len(src):
        return "<srcad>", max(line, 1)
    indent = len(src[line - 1]) - len(src[line - 1].lstrip())
    for k in range(line - 1, max(fl.firstline - 2, -1), -1):
        m = _DEF.match(src[k])
        if m and (k == line - 1 or len(src[k]) - len(src[k].lstrip()) < indent):
            return m.group(1), k + 1
    return "<lambda>", max(fl.firstline, 1)


@functools.lru_cache(maxsize=256)
def _code(filename: str, name: str, first: int) -> types.CodeType:
    # co_firstlineno: tools that print a frame's function (pytest) start at its ``def``
    code = compile("_frame = _getframe()", filename, "exec")
    return code.replace(co_name=name, co_firstlineno=first)


def _frame(filename: str, name: str, first: int) -> types.FrameType:
    """A finished frame of code named `name` in `filename` (for a traceback entry; its line is
    the entry's ``tb_lineno``)."""
    ns: dict[str, Any] = {"_getframe": sys._getframe, "__name__": "srcad.location"}
    exec(_code(filename, name, first), ns)
    return ns.pop("_frame")


def _show(exc: BaseException, filename: str, entry: _Entry, linenos: list[int]) -> None:
    """SRCAD_SHOW_CODE: the generated text on stderr, numbered, the failing lines marked."""
    width = len(str(len(entry.lines)))
    at = ", ".join(map(str, linenos))
    out = [f"srcad: {type(exc).__name__} raised at line {at} of the generated code {filename}:"]
    for k, text in enumerate(entry.lines, 1):
        mark = ">>" if k in linenos else "  "
        out.append(f"{mark} {k:>{width}} | {text.rstrip()}")
    print("\n".join(out), file=sys.stderr)


def locs_data(locs: tuple) -> tuple:
    """`Emitted.locs` as marshal data (the disk cache stores them with the text)."""
    return tuple((fl.filename, fl.firstline, fl.lines, fl.cols) for fl in locs)


def locs_from_data(data: tuple) -> tuple:
    """`locs_data`'s data back (from an entry checked by its digest); each file's lines are
    read from `linecache` when an error first needs them, as Python's tracebacks do."""
    return tuple(FnLocs(f, first, lines, _Lines(f), cols) for f, first, lines, cols in data)


class _Lines(Sequence):
    """A file's lines, read from `linecache` on first use (a disk cache hit reads no source)."""

    def __init__(self, filename: str) -> None:
        self.filename, self.lines = filename, None

    def _get(self) -> list[str]:
        if self.lines is None:
            self.lines = linecache.getlines(self.filename)
        return self.lines

    def __len__(self) -> int:
        return len(self._get())

    def __getitem__(self, k: Any) -> Any:
        return self._get()[k]
