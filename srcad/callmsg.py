"""The message of a call whose arguments do not fit the function's signature, as Python words it.

Input: the function a transform was given, the call's arguments, and the `TypeError` that
`inspect.Signature.bind` raised. Output: the text of the `TypeError` to raise:
``f() takes 1 positional argument but 2 were given``, ``f() missing 1 required positional
argument: 'y'`` (Python's own words, where `bind` says "too many positional arguments" or
"missing a required argument"), else ``f(): <bind's words>``. A library callable given to a
transform (``srcad.hessian(np.sum)``, `srcad.libwrap`) takes its required parameters only: the
message says so and how to pass the others (a lambda).
"""

from __future__ import annotations

import inspect
from typing import Any

_POSITIONAL = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)


def bind_message(
    pyfunc: Any, sig: inspect.Signature, args: tuple, kwargs: dict, e: Exception
) -> str:
    """The text of the `TypeError` for ``pyfunc(*args, **kwargs)`` failing to bind to `sig`."""
    name = getattr(pyfunc, "__name__", None) or type(pyfunc).__name__
    params = list(sig.parameters.values())
    positional = [p for p in params if p.kind in _POSITIONAL]
    star = any(p.kind is p.VAR_POSITIONAL for p in params)
    text = f"{name}() {e}" if str(e).startswith("got ") else f"{name}(): {e}"
    if str(e) == "too many positional arguments" and not star:
        hi = len(positional)
        lo = sum(p.default is p.empty for p in positional)
        takes = f"{hi}" if lo == hi else f"from {lo} to {hi}"
        s = "" if hi == 1 and lo == hi else "s"
        were = "was" if len(args) == 1 else "were"
        text = f"{name}() takes {takes} positional argument{s} but {len(args)} {were} given"
    elif str(e).startswith("missing a required argument"):
        missing = [
            repr(p.name)
            for p in positional[len(args) :]
            if p.default is p.empty and p.name not in kwargs
        ]
        if missing:
            s = "" if len(missing) == 1 else "s"
            listed = missing[0] if len(missing) == 1 else _and(missing)
            text = f"{name}() missing {len(missing)} required positional argument{s}: {listed}"
    library = getattr(pyfunc, "__globals__", {}).get("__srcad_library__")
    if library is not None:
        where = f"{getattr(library, '__module__', None) or 'numpy'}.{name}"
        names = ", ".join(p.name for p in params)
        text += (
            f" (a library function given to a transform takes its required parameters only: "
            f"{name}({names}); pass the others in a lambda, e.g. lambda {names}: "
            f"{where}({names}, ...))"
        )
    return text


def _and(items: list[str]) -> str:
    return " and ".join(items) if len(items) == 2 else ", ".join(items[:-1]) + ", and " + items[-1]
