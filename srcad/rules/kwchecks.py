"""The run-time check of a call ``f(x, **d)`` whose dict's keys are known only when the code
runs (lower/kwdicts.py), with its (zero) rules.

Input: the `RuleTable` pair. Output: the tables filled with the zero rules of `kwargs_check`,
which raises Python's TypeError where Python's call would (a key naming no parameter the call
leaves free, or one it gives already; a required parameter the dict lacks) and refuses a dict
srcad reads otherwise than Python would (no plain dict, a key naming a parameter of a callee
taking ``**kw``, which Python would take out of `kw`, or one whose default is a function).
"""

from __future__ import annotations

from typing import Any

from srcad.ad.rules import RuleTable
from srcad.errors import SrcadError
from srcad.rules.helpers import defzero_helper, helper


@helper
def kwargs_check(
    d: Any, name: str, allowed: tuple, required: tuple, taken: tuple, flags: tuple
) -> None:
    """Nothing when ``name(..., **d)`` binds as lower/kwdicts.py read it; else Python's TypeError
    or a refusal (see the module docstring). `flags`: (the callee takes ``**kw``, the parameters
    whose function defaults the call keeps)."""
    varkw, fixed = flags
    if type(d) is not dict:
        raise SrcadError(
            f"`**` of a `{type(d).__name__}` in a call of `{name}`: srcad reads the keywords of "
            "a plain dict only",
            hint="pass a dict (`**dict(m)`)",
        )
    for k in d:
        if type(k) is not str:
            raise TypeError(f"{name}() keywords must be strings")
        if (varkw and k in taken) or k in fixed:
            raise SrcadError(
                f"the dict passed as `**` to `{name}` holds the key {k!r}, which srcad does not "
                "take from it there (a parameter whose default is a function, or of a callee "
                "taking `**kw`, which srcad passes the whole dict)",
                hint=f"pass `{k}` by name",
            )
        if not varkw and k not in allowed:
            why = "multiple values for argument" if k in taken else "an unexpected keyword argument"
            raise TypeError(f"{name}() got {why} '{k}'")
    missing = [r for r in required if r not in d]
    if missing:
        raise TypeError(f"{name}() missing required argument: '{missing[0]}'")


def register(jvp: RuleTable, vjp: RuleTable) -> None:
    """Fill `jvp` and `vjp` with the helper's rules."""
    defzero_helper(jvp, vjp, kwargs_check)
