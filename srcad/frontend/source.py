"""Frontend: a Python function -> its parsed source and the namespace its names resolve in.

Input: a function object (module-level, nested/closure, lambda assigned to a name, method, or a
srcad-wrapped function). Output: `Source` (gast tree of the `def`/`lambda`, file name, first line, source
lines) and `Namespace` (globals, closure values, builtins).
"""

from __future__ import annotations

import ast
import builtins
import inspect
import linecache
import textwrap
import types
from dataclasses import dataclass, field
from typing import Any

import gast

from srcad.errors import LoweringError
from srcad.frontend.current import check_current, plain_def
from srcad.frontend.functions import last_line, unwrap  # noqa: F401 (unwrap: re-exported)
from srcad.frontend.mangle import mangle_private
from srcad.frontend.togast import to_gast, to_gast_inplace
from srcad.lower.reads import note_function


@dataclass
class Namespace:
    """Where a function's free names resolve: closure cells first, then globals, then builtins."""

    globals: dict[str, Any]
    closure: dict[str, Any] = field(default_factory=dict)
    builtins: dict[str, Any] = field(default_factory=lambda: vars(builtins))

    def lookup(self, name: str) -> tuple[str, Any]:
        """-> ("free" | "global" | "builtin" | "missing", value)."""
        if name in self.closure:
            return "free", self.closure[name]
        if name in self.globals:
            return "global", self.globals[name]
        if name in self.builtins:
            return "builtin", self.builtins[name]
        return "missing", None


@dataclass
class Source:
    """The parsed source of one function."""

    node: Any  # gast.FunctionDef or gast.Lambda
    name: str
    filename: str
    firstline: int  # line number in `filename` of the first line of the source text
    lines: list[str]  # all lines of `filename` (for error messages)


def namespace_of(fn: types.FunctionType) -> Namespace:
    lifted = getattr(fn, "__srcad_source__", None)
    if lifted is not None:  # a nested function srcad lifted out (srcad.lower.lift)
        return lifted[1]
    closure: dict[str, Any] = {}
    if fn.__closure__:
        for name, cell in zip(fn.__code__.co_freevars, fn.__closure__):
            try:
                closure[name] = cell.cell_contents
            except ValueError:  # empty cell: the name is assigned later in the enclosing function
                pass
    b = fn.__globals__.get("__builtins__", builtins)
    return Namespace(fn.__globals__, closure, b if isinstance(b, dict) else vars(b))


def get_source(fn: types.FunctionType) -> Source:
    """Find and parse the source of `fn` (a `def` or a `lambda`). The transform running depends
    on `fn` from now on (`note_function`: its code, defaults, the callables its globals hold)."""
    lifted = getattr(fn, "__srcad_source__", None)
    if lifted is not None:  # a nested function srcad lifted out (srcad.lower.lift)
        return lifted[0]
    note_function(fn)
    code = fn.__code__
    filename = code.co_filename
    tree = text = None
    written = getattr(fn, "__srcad_text__", None)  # text srcad wrote (`backend/textfn.define`)
    if written is not None and linecache.cache.get(filename) is None:
        linecache.cache[filename] = written  # dropped by a `linecache.clearcache()`
    linecache.checkcache(filename)  # a file edited or reloaded since it was last read
    try:
        fast = _def_lines(fn)
        if fast is not None:
            lines, firstline, tree, text, shift = fast
        else:
            lines, firstline = inspect.getsourcelines(fn)
            shift = _indent(lines)
    except (OSError, TypeError) as e:
        raise LoweringError(
            f"cannot find the source of `{fn.__qualname__}` ({e})",
            hint="srcad reads source files; functions typed at an interactive prompt or made with "
            "exec() without linecache have none",
        ) from None
    all_lines = linecache.getlines(filename) or lines
    if text is None:
        text = textwrap.dedent("".join(lines))
    if fn.__name__ == "<lambda>":
        node, snippet = _find_lambda(text, code, firstline)
        check_current(fn, snippet, node, firstline)
        _relocate(node, firstline - 1, lines)
    else:
        # one parse, at the file's lines. A `def` needing no rebuilt context is compiled again
        # from that tree as it is by the currency check, then the tree becomes the gast tree
        # (columns moved back); otherwise a gast copy is made and the check compiles the tree
        # in its rebuilt context (which may change it: it goes second)
        tree = tree if tree is not None else _parse(text, fn, firstline)
        stdlib_def = _parse_def(tree, fn, filename)
        if plain_def(fn):
            check_current(fn, text, None, firstline, tree)
            node = to_gast_inplace(stdlib_def, 0, shift)
        else:
            node = to_gast(stdlib_def, 0, shift)
            check_current(fn, text, node, firstline, tree)
    if "__" in text:  # `self.__x` in a class body reads `self._C__x`
        mangle_private(fn, node)
    return Source(node, fn.__name__, filename, firstline, all_lines)


def source_tree(fn: types.FunctionType) -> ast.Module | None:
    """`fn`'s source parsed with `ast` alone, to look at what it does (no dependency noted,
    no currency check: not for lowering), or None when it has none."""
    try:
        return ast.parse(textwrap.dedent(inspect.getsource(fn)))
    except (OSError, TypeError, SyntaxError):
        return None


def _def_lines(fn: Any) -> tuple[list[str], int, Any, str, int] | None:
    """The lines of a `def` from its code object's line table (inspect's tokenizer is slow),
    its first line, its text parsed at the file's lines, that text, and the columns to add to
    the tree's to get the file's.

    An indented `def` (a method, a nested function) is parsed as it is in the file, under an
    ``if 1:`` line (then taken out of it): textwrap.dedent would also remove the indentation
    inside its multi-line string literals, whose constants then differ from the running code's.
    A statement can continue past the last line holding bytecode (a closing bracket): lines are
    added until the text parses. None when this does not work out (inspect then decides)."""
    if fn.__name__ == "<lambda>":
        return None
    code = fn.__code__
    all_lines = linecache.getlines(code.co_filename, fn.__globals__)
    first = code.co_firstlineno
    if not all_lines or first > len(all_lines):
        return None
    head = all_lines[first - 1].lstrip()
    if not head.startswith(("def ", "@")):
        return None
    last = last_line(code)
    # (a `def` at column 0 has nothing to remove: textwrap.dedent would only empty the lines of
    # blanks, in a string literal too)
    indented = all_lines[first - 1][:1] in (" ", "\t")
    if indented and first < 2:  # (no line for the `if 1:`)
        return None
    head = "\n" * (first - 2) + "if 1:\n" if indented else "\n" * (first - 1)
    for end in range(last, min(last + 30, len(all_lines)) + 1):
        lines = all_lines[first - 1 : end]
        text = "".join(lines)
        try:
            tree = ast.parse(head + text)
        except SyntaxError:
            continue
        if indented:
            tree.body = tree.body[0].body
        return lines, first, tree, text, 0
    return None


def _parse(text: str, fn: Any, firstline: int) -> ast.Module:
    """`text`, which starts at line `firstline` of its file, parsed at the file's lines."""
    try:
        return ast.parse("\n" * (firstline - 1) + text)
    except SyntaxError as e:
        raise LoweringError(f"cannot parse the source of `{fn.__qualname__}`: {e.msg}") from None


def _indent(lines: list[str]) -> int:
    """The columns textwrap.dedent removed (the first line's indentation)."""
    first = lines[0] if lines else ""
    return len(first) - len(first.lstrip())


def _parse_def(tree: ast.Module, fn: Any, filename: str) -> ast.FunctionDef:
    """The `def` statement of a source text parsed at its file's lines; `async def` refused."""
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            if isinstance(node, ast.AsyncFunctionDef):
                line = node.lineno
                all_lines = linecache.getlines(filename)
                src = all_lines[line - 1] if 0 < line <= len(all_lines) else None
                col = (len(src) - len(src.lstrip())) if src else 0
                raise LoweringError(
                    "async functions are not supported",
                    filename=filename,
                    line=line,
                    col=col,
                    source_line=src,
                    hint="srcad differentiates plain functions",
                )
            return node
    raise LoweringError(f"cannot find `def {fn.__name__}` in its source")


def _find_lambda(text: str, code: types.CodeType, firstline: int) -> tuple[Any, str]:
    """The lambda in `text` whose position matches `code` (first one on its line otherwise), and
    the text it was parsed from."""
    src = text.strip()
    tree = None
    # Source lines of a lambda may be a fragment (`f = lambda x: x,` inside a call): trim until it parses.
    for end in range(len(src), 0, -1):
        try:
            tree = gast.parse(src[:end])
            break
        except SyntaxError:
            continue
    lambdas = [] if tree is None else [n for n in gast.walk(tree) if isinstance(n, gast.Lambda)]
    want_line = code.co_firstlineno - firstline + 1
    if not lambdas:  # what comes before parses alone (`g for g in grad(lambda z: ...)(x)`)
        src, end, lambdas = _from_lambda(src, code, want_line)
    if tree is None and not lambdas:
        raise LoweringError("cannot parse the source of a lambda")
    if not lambdas:
        raise LoweringError("cannot find the lambda in its source")
    on_line = [n for n in lambdas if n.lineno == want_line] or lambdas
    if len(on_line) > 1:
        # several lambdas: the one that compiles to the same code (bytecode, names, constants)
        same = [n for n in on_line if _same_code(_segment(src[:end], n), code)]
        if not same:
            raise LoweringError(
                "cannot tell which of the lambdas on this line is being differentiated",
                hint="give it its own line or a `def`",
            )
        on_line = same
    return on_line[0], src[:end]


def _from_lambda(src: str, code: types.CodeType, want_line: int) -> tuple[str, int, list]:
    """`src` from a ``lambda`` that parses (the text before it blanked, in brackets, so positions
    stay), trimmed at the end until it parses: (the text, its end, its lambdas). The first such
    ``lambda`` whose text holds one on `want_line` compiling to `code`: a continuation line of a
    dict literal (``"m": lambda x: ..., "ty": lambda x: ...}``) parses from its first lambda as a
    tuple holding that one only; else the first that parses."""
    first = None
    for i in range(1, len(src)):
        after = src[i + 6 : i + 7]
        if not src.startswith("lambda", i) or any(
            c.isalnum() or c == "_" for c in src[i - 1] + after
        ):
            continue
        for end in range(len(src), i, -1):
            text = "(" + " " * (i - 1) + src[i:end] + ")"
            try:
                tree = gast.parse(text)
            except SyntaxError:
                continue
            found = (text, len(text), [n for n in gast.walk(tree) if isinstance(n, gast.Lambda)])
            first = first or found
            if any(n.lineno == want_line and _same_code(_segment(text, n), code) for n in found[2]):
                return found
            break
    return first or (src, len(src), [])


def _lambda_codes(c: types.CodeType) -> list:
    return [k for k in c.co_consts if isinstance(k, types.CodeType)]


def _segment(text: str, node: Any) -> str:
    lines = text.splitlines()
    l0, l1 = node.lineno - 1, node.end_lineno - 1
    if l0 == l1:
        return lines[l0][node.col_offset : node.end_col_offset]
    parts = [lines[l0][node.col_offset :], *lines[l0 + 1 : l1], lines[l1][: node.end_col_offset]]
    return "\n".join(parts)


def _same_code(segment: str, code: types.CodeType) -> bool:
    try:
        outer = compile("(" + segment + ")", "<lambda>", "eval")
    except SyntaxError:
        return False
    inner = next((c for c in outer.co_consts if isinstance(c, types.CodeType)), None)
    if inner is None:
        return False

    def key(c: types.CodeType) -> tuple:
        # not co_code: the same source compiles to different bytecode in different contexts
        consts = tuple(repr(k) for k in c.co_consts if not isinstance(k, types.CodeType))
        return (c.co_argcount, c.co_names, c.co_varnames, consts, len(_lambda_codes(c)))

    return key(inner) == key(code)


def _relocate(node: Any, line_shift: int, original: list[str]) -> None:
    """Positions in the parsed snippet -> positions in the real file (lines, and the columns
    textwrap.dedent removed), in one walk."""
    indent = _indent(original)
    for n in gast.walk(node):
        if getattr(n, "lineno", None) is not None:
            n.lineno += line_shift
            if getattr(n, "end_lineno", None) is not None:
                n.end_lineno += line_shift
            if indent:
                if n.col_offset is not None:
                    n.col_offset += indent
                if getattr(n, "end_col_offset", None) is not None:
                    n.end_col_offset += indent
