"""Compile emitted source into callables, with the text registered in `linecache`.

Input: an `Emitted` (source + factory bindings), the user's module globals, a label. Output: the
functions by name. The source is wrapped in a factory whose parameters are the bindings:

    def _srcad_factory(np, w):
        def f(x):
            ...
        return {'f': f}

so module aliases and closure values are fixed, while globals are read live from `globals_dict`.
Tracebacks and pdb show the generated lines under the pseudo-filename ``<srcad LABEL>``, kept in
`linecache` while the functions live; errors are mapped to the user's lines by
`srcad.backend.locations`.
"""

from __future__ import annotations

import dataclasses
import importlib
import types
from collections.abc import Callable
from typing import Any

from srcad.backend import locations
from srcad.backend.emitted import Emitted

FACTORY = "_srcad_factory"


def factory_source(em: Emitted) -> str:
    """The text that is compiled: the emitted functions inside the factory."""
    head = f"def {FACTORY}({', '.join(em.factory_params)}):\n"
    ret = ", ".join(f"{n!r}: {n}" for n in em.names)
    # textwrap.indent's rule (blank lines stay empty), without its per-line predicate calls
    body = "".join("    " + ln if ln.strip() else ln for ln in em.source.splitlines(True))
    return head + body + f"    return {{{ret}}}\n"


def register_source(text: str, label: str, locs: tuple = ()) -> str:
    """Put `text` in `linecache` under ``<srcad LABEL>`` (``#2``, ``#3``... when taken), with its
    statements' user lines (`srcad.backend.locations`)."""
    return locations.register(text, label, locs)


def compile_emitted(
    em: Emitted,
    globals_dict: dict[str, Any],
    label: str,
    code: types.CodeType | None = None,
    text: str | None = None,
    made: list | None = None,
) -> dict[str, Callable[..., Any]]:
    """Compile `em` and return its functions by name; `globals_dict` is never modified. `code`
    and `text`: the factory's compiled code and `factory_source(em)`, when known (the disk
    cache stores both; the code is renamed when its label is taken, never compiled again).
    `made`: gets (the file name, the factory's code) when compiled here.

    >>> fns = compile_emitted(emit_function(fn), f.__globals__, "grad f")
    >>> fns["f"](2.0)
    """
    for sub in em.imports:
        try:
            importlib.import_module(sub)
        except ImportError:
            pass  # an attribute path rather than a submodule; the generated code reports it
    values = {alias: importlib.import_module(mod) for alias, mod in em.modules.items()}
    values.update(em.bindings)
    if text is None:
        text = factory_source(em)
    filename = register_source(text, label, em.locs)
    if code is None:
        module = compile(text, filename, "exec")
        code = next(c for c in module.co_consts if isinstance(c, types.CodeType))
        if made is not None:
            made.append((filename, code))
    elif code.co_filename != filename:  # ``<srcad LABEL>`` holds another text: ``#2``, ...
        code = _renamed(code, filename)
    # A function over the user's globals dict (not exec of the module code), so the dict is not
    # given a `__builtins__` entry; the functions it makes read globals live.
    factory = types.FunctionType(code, globals_dict, FACTORY)
    fns = factory(*[values[p] for p in em.factory_params])
    locations.hold(filename, fns.values())  # the text stays in linecache while they live
    return fns


def compile_linked(groups: list[tuple[dict, Emitted]], label: str) -> dict[str, Callable]:
    """The functions of several modules' groups (globals dict, `Emitted`), each compiled over
    its module's globals; a call of another group's function goes through a late-bound stub
    (the table is filled group by group)."""
    every = [n for _, em in groups for n in em.names]
    table: dict[str, Callable] = {}
    for g, em in groups:
        stubs = {n: _late(table, n) for n in every if n not in em.names}
        em = dataclasses.replace(em, bindings={**em.bindings, **stubs})
        table.update(compile_emitted(em, g, label))
    return table


def _late(table: dict, name: str) -> Callable:
    def call(*args: Any, **kwargs: Any) -> Any:
        return table[name](*args, **kwargs)

    call.__name__ = name
    return call


def _renamed(code: types.CodeType, filename: str) -> types.CodeType:
    """`code`, and the code objects nested in it, under another file name (what compiling the
    same text under that name gives: tracebacks and pdb read the lines registered there)."""
    consts = tuple(
        _renamed(c, filename) if isinstance(c, types.CodeType) else c for c in code.co_consts
    )
    return code.replace(co_filename=filename, co_consts=consts)
