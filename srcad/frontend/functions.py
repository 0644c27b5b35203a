"""Facts of Python functions read from their objects, without parsing: the plain function behind
wrappers (`unwrap`), the last source line of a code object (`last_line`), the global names it
reads (`global_names`).

Input: a function or code object. Output: as above. No import of the front end (`gast`, the
lowering): a call served by the disk cache needs these (`srcad.frontend.source` and
`srcad.passes.prepare` re-export them). Example::

    >>> def f(x):
    ...     return np.sin(x) + y
    >>> global_names(f.__code__), unwrap(f) is f
    (['np', 'sin', 'y'], True)
"""

from __future__ import annotations

import functools
import operator
import types
from typing import Any

from srcad.errors import LoweringError

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


_LINE = operator.itemgetter(2)  # co_lines() entries: (start, end, line or None)


def last_line(code: types.CodeType) -> int:
    """The last source line of `code` and the code objects nested in it."""
    lines = filter(None, map(_LINE, code.co_lines()))  # C-level: a 100-line function has ~2000
    last = max(code.co_firstlineno, max(lines, default=0))
    for c in code.co_consts:
        if isinstance(c, types.CodeType):
            last = max(last, last_line(c))
    return last


def global_names(code: types.CodeType) -> list[str]:
    """Names a code object (and the functions/lambdas defined in it) reads as globals."""
    names = list(code.co_names)
    for c in code.co_consts:
        if isinstance(c, types.CodeType):
            names += global_names(c)
    return names
