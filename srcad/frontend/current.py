"""Is the source text of a function the one its running code was compiled from?

Input: a function, the text of its `def`/lambda read from `linecache` (and, for a `def` needing
a rebuilt context, its stdlib tree). Output: nothing, or a `LoweringError` asking to reload the
module (`check_current`). Used by `frontend/source.py` once per lowering.
"""

from __future__ import annotations
import __future__

import ast
import dis
import linecache
import operator
import sys
import types
from typing import Any

import gast

from srcad.errors import LoweringError


def plain_def(fn: types.FunctionType) -> bool:
    """A `def` the currency check compiles as its text alone: no free variables (no enclosing
    function to rebuild), no class around it, no pytest assertion rewriting."""
    code = fn.__code__
    return (
        not code.co_freevars
        and _enclosing_class(fn.__qualname__) is None
        and not _pytest_rewritten(code)
    )


_FUTURE_FLAGS = 0
for _name in __future__.all_feature_names:
    _FUTURE_FLAGS |= getattr(__future__, _name).compiler_flag


def check_current(
    fn: types.FunctionType, snippet: str, node: Any, firstline: int, tree: Any = None
) -> None:
    """Refuse to differentiate source text that is not what `fn`'s code was compiled from.

    The text comes from `linecache`, which follows the file on disk: after the file is edited
    (reloaded or not), the lines at `fn`'s position may be other code than what runs. The `def`
    (or lambda) is compiled again in a reconstruction of its context (its class, for name
    mangling and `super()`; an enclosing function defining its free variables; the module's
    `__future__` flags; its real line numbers) and compared with `fn.__code__`, nested code
    included: bytecode, names, constants, line numbers. Runs once per lowering (cache miss).
    `tree`: `snippet` already parsed at the file's lines (stdlib ast; the check may change it,
    unless `node` is None). `node` None: a `def` that needs no context (`plain_def`), compiled
    from `tree` as it is (or from `snippet` alone)."""
    code = fn.__code__
    try:
        rebuilt = _recompile(fn, snippet, node, firstline, tree)
    except (SyntaxError, ValueError, TypeError, ImportError):
        return  # the context cannot be rebuilt here: nothing to compare with
    if rebuilt is not None and (
        rebuilt == code  # CPython's own comparison (bytecode, typed constants, names, positions)
        or _same_strict(rebuilt, code)
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
    flags = code.co_flags & _FUTURE_FLAGS
    if node is None:  # a `def` needing no context (`plain_def`): its text, at the file's lines
        # (its tree, parsed already, when given: compiling the tree is ~15% faster than compiling
        # the text again, which parses it, on 3.10-3.13, and gives the same code)
        src = tree if tree is not None else "\n" * (firstline - 1) + snippet
        top = compile(src, code.co_filename, "exec", flags=flags, dont_inherit=True)
        return _find_code(top, code)
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
    top = compile(module, code.co_filename, "exec", flags=flags, dont_inherit=True)
    return _find_code(top, code)


def _find_code(top: types.CodeType, code: types.CodeType) -> types.CodeType | None:
    """The code object compiled in `top` for `code`'s text: breadth first, the outermost code
    of that name on that line."""
    todo = [top]
    while todo:
        c = todo.pop(0)
        if c is not top and c.co_name == code.co_name and c.co_firstlineno == code.co_firstlineno:
            return c
        todo += [k for k in c.co_consts if isinstance(k, types.CodeType)]
    return None


_PYTEST_NAME = operator.methodcaller("startswith", "@py")  # `@py_assert1`, `@pytest_ar`


def _pytest_rewritten(code: types.CodeType) -> bool:
    if any(map(_PYTEST_NAME, code.co_names + code.co_varnames)):  # (C-level: no generator)
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
        # a comprehension's in a comprehension: ``f.<locals>.<listcomp>.<listcomp>``
        mark = f"{name}."
        if name.startswith("<") and ".<locals>." in k and mark in k:
            return k.rsplit(mark, 1)[1]
    return k


def _const_repr(v: Any) -> str:
    """`repr(v)`, a frozenset's items sorted: `x in {"a", "b"}` compiles to a frozenset whose
    order follows the string hashes of the process that wrote the .pyc (PYTHONHASHSEED)."""
    if isinstance(v, frozenset):
        return "frozenset(" + repr(sorted(map(_const_repr, v))) + ")"
    return repr(v)


def _same_strict(a: types.CodeType, b: types.CodeType) -> bool:
    """`_code_key(a, True) == _code_key(b, True)`, the line tables compared as `co_lines()` only
    where their encodings differ (equal bytecode, line table and first line give equal
    `co_lines()`: a 400-line function has ~2000 entries)."""
    return _code_key(a, True, lines=False) == _code_key(b, True, lines=False) and _same_lines(a, b)


def _same_lines(a: types.CodeType, b: types.CodeType) -> bool:
    """`co_lines()` of `a`, `b` and their nested code (which `_code_key` matched) equal."""
    if not (
        a.co_linetable == b.co_linetable
        and a.co_firstlineno == b.co_firstlineno
        and a.co_code == b.co_code
    ) and tuple(a.co_lines()) != tuple(b.co_lines()):
        return False
    nested = (k for k in a.co_consts if isinstance(k, types.CodeType))
    others = (k for k in b.co_consts if isinstance(k, types.CodeType))
    return all(_same_lines(x, y) for x, y in zip(nested, others))


def _code_key(c: types.CodeType, strict: bool, lines: bool = True) -> tuple:
    """What the compiled text decides. `strict`: bytecode, names and line table exactly; else
    instructions with free-variable and global reads made alike (an enclosing scope that could
    not be rebuilt exactly changes only those) and the set of lines. `lines` False: strict,
    without the line tables (`_same_strict` compares them)."""
    consts = tuple(
        _code_key(k, strict, lines)
        if isinstance(k, types.CodeType)
        else (type(k).__name__, _const_repr(_local_qualname(k, c.co_name)))
        for k in c.co_consts
    )
    head = (c.co_name, c.co_argcount, c.co_posonlyargcount, c.co_kwonlyargcount, c.co_varnames)
    if strict:
        return (*head, c.co_code, c.co_names, c.co_freevars, c.co_cellvars, consts,
                tuple(c.co_lines()) if lines else ())  # fmt: skip
    ins = []
    for i in dis.get_instructions(c):
        if i.opname in _NOISE:
            continue
        arg = None if i.opcode in _JUMPS or isinstance(i.argval, types.CodeType) else i.argval
        arg = _local_qualname(arg, c.co_name)  # (3.10: ``MAKE_FUNCTION``'s name, loaded)
        ins.append((_SCOPE_OPS.get(i.opname, i.opname), _const_repr(arg)))
    lines = sorted({line for _, _, line in c.co_lines() if line is not None})
    return (*head, tuple(ins), consts, tuple(lines))
