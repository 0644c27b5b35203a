"""Frontend: a Python function -> its parsed source and the namespace its names resolve in.

Input: a function object (module-level, nested/closure, lambda assigned to a name, method, or a
srcad-wrapped function). Output: `Source` (gast tree of the `def`/`lambda`, file name, first line, source
lines) and `Namespace` (globals, closure values, builtins).
"""

from __future__ import annotations
import __future__

import ast
import builtins
import dis
import functools
import inspect
import linecache
import operator
import sys
import textwrap
import types
from dataclasses import dataclass, field
from typing import Any

import gast

from srcad.errors import LoweringError
from srcad.frontend.togast import to_gast


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


# wrappers whose call is a call of __wrapped__ (functools.cache/lru_cache, staticmethod objects)
_TRANSPARENT = (functools._lru_cache_wrapper, staticmethod, classmethod)


def unwrap(fn: Any) -> Any:
    """The plain Python function behind srcad wrappers, functools.wraps chains and bound methods."""
    seen = 0
    while seen < 50:
        seen += 1
        if hasattr(fn, "__srcad_wrapped__"):
            fn = fn.__srcad_wrapped__
        elif isinstance(fn, types.MethodType):
            fn = fn.__func__
        elif isinstance(fn, functools.partial):
            raise LoweringError(
                "functools.partial objects are not supported",
                hint="differentiate the underlying function and pass the fixed arguments",
            )
        elif hasattr(fn, "__wrapped__") and not isinstance(fn, types.FunctionType):
            if not isinstance(fn, _TRANSPARENT):
                # calling it may do more than call __wrapped__ (scale, clip, convert): the
                # wrapped function's derivative could be the wrong one
                raise LoweringError(
                    f"cannot differentiate {fn!r}: it is not a Python function, and srcad cannot "
                    "tell whether calling it is the same as calling its __wrapped__",
                    hint="pass the function itself (obj.__wrapped__) if calling it is equivalent",
                )
            fn = fn.__wrapped__
        else:
            break
    if not isinstance(fn, types.FunctionType):
        raise LoweringError(
            f"cannot read the source of {fn!r}: srcad differentiates Python functions",
            hint="pass a function defined with `def` or `lambda`",
        )
    return fn


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
    """Find and parse the source of `fn` (a `def` or a `lambda`)."""
    lifted = getattr(fn, "__srcad_source__", None)
    if lifted is not None:  # a nested function srcad lifted out (srcad.lower.lift)
        return lifted[0]
    code = fn.__code__
    filename = code.co_filename
    tree = None
    linecache.checkcache(filename)  # a file edited or reloaded since it was last read
    try:
        fast = _def_lines(fn)
        if fast is not None:
            lines, firstline, tree = fast
        else:
            lines, firstline = inspect.getsourcelines(fn)
    except (OSError, TypeError) as e:
        raise LoweringError(
            f"cannot find the source of `{fn.__qualname__}` ({e})",
            hint="srcad reads source files; functions typed at an interactive prompt or made with "
            "exec() without linecache have none",
        ) from None
    all_lines = linecache.getlines(filename) or lines
    text = textwrap.dedent("".join(lines))
    if fn.__name__ == "<lambda>":
        node, snippet = _find_lambda(text, code, firstline)
        _check_current(fn, snippet, node, firstline)
        _relocate(node, firstline - 1, lines)
    else:
        # one parse, at the file's lines: the stdlib tree is converted to gast (columns moved
        # back), then compiled again by the currency check (which may change it: it goes second)
        tree = tree if tree is not None else _parse(text, fn, firstline)
        stdlib_def = _parse_def(tree, fn, filename)
        node = to_gast(stdlib_def, 0, _indent(lines))
        _check_current(fn, text, node, firstline, tree)
    return Source(node, fn.__name__, filename, firstline, all_lines)


_LINE = operator.itemgetter(2)  # co_lines() entries: (start, end, line or None)


def last_line(code: types.CodeType) -> int:
    """The last source line of `code` and the code objects nested in it."""
    lines = filter(None, map(_LINE, code.co_lines()))  # C-level: a 100-line function has ~2000
    last = max(code.co_firstlineno, max(lines, default=0))
    for c in code.co_consts:
        if isinstance(c, types.CodeType):
            last = max(last, last_line(c))
    return last


def _def_lines(fn: Any) -> tuple[list[str], int, Any] | None:
    """The lines of a `def` from its code object's line table (inspect's tokenizer is slow).

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
    for end in range(last, min(last + 30, len(all_lines)) + 1):
        lines = all_lines[first - 1 : end]
        try:
            tree = ast.parse("\n" * (first - 1) + textwrap.dedent("".join(lines)))
        except SyntaxError:
            continue
        return lines, first, tree
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
    if tree is None:
        raise LoweringError("cannot parse the source of a lambda")
    lambdas = [n for n in gast.walk(tree) if isinstance(n, gast.Lambda)]
    if not lambdas:
        raise LoweringError("cannot find the lambda in its source")
    want_line = code.co_firstlineno - firstline + 1
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


# -- is the source text the one the running code was compiled from? -------------------------------

_FUTURE_FLAGS = 0
for _name in __future__.all_feature_names:
    _FUTURE_FLAGS |= getattr(__future__, _name).compiler_flag


def _check_current(
    fn: types.FunctionType, snippet: str, node: Any, firstline: int, tree: Any = None
) -> None:
    """Refuse to differentiate source text that is not what `fn`'s code was compiled from.

    The text comes from `linecache`, which follows the file on disk: after the file is edited
    (reloaded or not), the lines at `fn`'s position may be other code than what runs. The `def`
    (or lambda) is compiled again in a reconstruction of its context (its class, for name
    mangling and `super()`; an enclosing function defining its free variables; the module's
    `__future__` flags; its real line numbers) and compared with `fn.__code__`, nested code
    included: bytecode, names, constants, line numbers. Runs once per lowering (cache miss).
    `tree`: `snippet` already parsed at the file's lines (stdlib ast; the check may change it)."""
    code = fn.__code__
    try:
        rebuilt = _recompile(fn, snippet, node, firstline, tree)
    except (SyntaxError, ValueError, TypeError, ImportError):
        return  # the context cannot be rebuilt here: nothing to compare with
    if rebuilt is not None and (
        _code_key(rebuilt, strict=True) == _code_key(code, strict=True)
        or _code_key(rebuilt, strict=False) == _code_key(code, strict=False)
    ):
        return
    what = "lambda" if fn.__name__ == "<lambda>" else f"`{fn.__qualname__}`"
    raise LoweringError(
        f"the source of {what} in {code.co_filename} changed since it was imported; "
        "reload the module",
        filename=code.co_filename,
        line=code.co_firstlineno,
        col=0,
        hint="the text in the file is not the code that runs, and srcad differentiates source "
        "text: importlib.reload(module) and differentiate the reloaded function, or restore the file",
    )


def _recompile(
    fn: types.FunctionType, snippet: str, node: Any, firstline: int, tree: Any = None
) -> types.CodeType | None:
    """`fn`'s def/lambda text compiled again in a rebuilt context -> its code object."""
    code = fn.__code__
    shift = firstline - 1 if tree is None else 0  # a given tree is at the file's lines already
    tree = tree if tree is not None else ast.parse(snippet)
    target: Any = None
    if isinstance(node, gast.Lambda):
        for n in ast.walk(tree):
            if (
                isinstance(n, ast.Lambda)
                and n.lineno == node.lineno
                and n.col_offset == node.col_offset
            ):
                ast.increment_lineno(n, shift)
                target = ast.copy_location(ast.Expr(n), n)
                break
    else:
        target = next((n for n in tree.body if isinstance(n, ast.FunctionDef)), None)
        if target is not None and shift:
            ast.increment_lineno(target, shift)
    if target is None:
        return None
    body: Any = target
    free = [v for v in code.co_freevars if v != "__class__"]
    if free:
        args = ast.arguments([], [ast.arg(v) for v in free], None, [], [], None, [])
        body = ast.FunctionDef("_srcad_enclosing", args, [body], [], None, None)
    cls = _enclosing_class(fn.__qualname__)
    if cls is not None or "__class__" in code.co_freevars:
        body = ast.ClassDef(cls or "_srcad_class", [], [], [body], [])
    module = ast.Module([body], [])
    _copy_location(module, target)
    if _pytest_rewritten(code):  # a test module: pytest compiled its asserts rewritten
        from _pytest.assertion.rewrite import rewrite_asserts

        text = "".join(linecache.getlines(code.co_filename, fn.__globals__))
        rewrite_asserts(module, text.encode(), code.co_filename, None)
    flags = code.co_flags & _FUTURE_FLAGS
    top = compile(module, code.co_filename, "exec", flags=flags, dont_inherit=True)
    todo = [top]
    while todo:  # breadth first: the outermost code of that name on that line
        c = todo.pop(0)
        if c is not top and c.co_name == code.co_name and c.co_firstlineno == code.co_firstlineno:
            return c
        todo += [k for k in c.co_consts if isinstance(k, types.CodeType)]
    return None


def _pytest_rewritten(code: types.CodeType) -> bool:
    if any(n.startswith("@py") for n in code.co_names + code.co_varnames):
        return True
    return any(_pytest_rewritten(k) for k in code.co_consts if isinstance(k, types.CodeType))


def _copy_location(module: ast.Module, target: Any) -> None:
    """Wrapper nodes: line 1, column 0 (as ast.fix_missing_locations would: the target, parsed,
    has all its positions, and walking it to fill in nothing cost as much as the compile),
    then those before the target in breadth-first order take the target's first line."""
    todo: list[Any] = [module]
    while todo:
        n = todo.pop()
        if n is target:
            continue
        if "lineno" in n._attributes and getattr(n, "lineno", None) is None:
            n.lineno, n.col_offset, n.end_lineno, n.end_col_offset = 1, 0, 1, 0
        todo += list(ast.iter_child_nodes(n))
    for n in ast.walk(module):
        if n is target:
            break
        if isinstance(n, (ast.FunctionDef, ast.ClassDef, ast.arguments, ast.arg)):
            n.lineno = getattr(target, "lineno", 1)
            n.end_lineno = n.lineno


def _enclosing_class(qualname: str) -> str | None:
    """The innermost class around a function, from its qualified name (`C.m.<locals>.f` -> C)."""
    parts = qualname.split(".")[:-1]
    cls = None
    for i, p in enumerate(parts):
        if p != "<locals>" and (i + 1 == len(parts) or parts[i + 1] != "<locals>"):
            cls = p
    return cls


_SCOPE_OPS = {
    "LOAD_METHOD": "LOAD_ATTR",  # 3.11: LOAD_ATTR when the base name is imported in the module
    "LOAD_GLOBAL": "LOAD",
    "LOAD_DEREF": "LOAD",
    "LOAD_NAME": "LOAD",
    "LOAD_CLASSDEREF": "LOAD",
    "LOAD_FROM_DICT_OR_DEREF": "LOAD",
    "LOAD_FROM_DICT_OR_GLOBALS": "LOAD",
    "STORE_GLOBAL": "STORE",
    "STORE_DEREF": "STORE",
    "STORE_NAME": "STORE",
}
_NOISE = {"RESUME", "NOP", "CACHE", "COPY_FREE_VARS", "MAKE_CELL", "PUSH_NULL", "EXTENDED_ARG"}
_JUMPS = set(dis.hasjrel) | set(dis.hasjabs)


def _local_qualname(k: object, name: str) -> object:
    """Python 3.10 stores a nested function's qualified name as a constant of the code making it
    (``'outer.<locals>.f.<locals>.<genexpr>'``): the part after ``f.<locals>.``, since the
    rebuilt context has other enclosing names (3.11+ keep it in co_qualname, not compared)."""
    if sys.version_info < (3, 11) and type(k) is str:
        mark = f"{name}.<locals>."
        if mark in k:
            return k.rsplit(mark, 1)[1]
    return k


def _code_key(c: types.CodeType, strict: bool) -> tuple:
    """What the compiled text decides. `strict`: bytecode, names and line table exactly; else
    instructions with free-variable and global reads made alike (an enclosing scope that could
    not be rebuilt exactly changes only those) and the set of lines."""
    consts = tuple(
        _code_key(k, strict)
        if isinstance(k, types.CodeType)
        else (type(k).__name__, repr(_local_qualname(k, c.co_name)))
        for k in c.co_consts
    )
    head = (c.co_name, c.co_argcount, c.co_posonlyargcount, c.co_kwonlyargcount, c.co_varnames)
    if strict:
        return (*head, c.co_code, c.co_names, c.co_freevars, c.co_cellvars, consts,
                tuple(c.co_lines()))  # fmt: skip
    ins = []
    for i in dis.get_instructions(c):
        if i.opname in _NOISE:
            continue
        arg = None if i.opcode in _JUMPS or isinstance(i.argval, types.CodeType) else i.argval
        ins.append((_SCOPE_OPS.get(i.opname, i.opname), repr(arg)))
    lines = sorted({line for _, _, line in c.co_lines() if line is not None})
    return (*head, tuple(ins), consts, tuple(lines))
