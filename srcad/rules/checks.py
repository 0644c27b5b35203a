"""The runtime helpers of the checks generated code makes: the user's ``raise``/``assert``
statements, and the run-time refusals and errors of srcad's own rewrites, with their rules.

Input: the `RuleTable` pair. Output: the tables filled with zero rules for the helpers (a check
computes no value a result depends on).

``assert_`` is the user's ``assert cond, msg`` (an `AssertionError`, as Python raises; generated
code always runs it, ``python -O`` or not). ``require`` is a check srcad adds itself, a call and
never an ``assert`` statement, so that ``python -O`` cannot skip it: a failed one raises a
`srcad.SrcadError` (a rewrite's assumption that only the values can tell broken: a view's base
that is no array, a list of layers changed while a loop unrolled over it; the API points it at
the user's line, `srcad.backend.locations`), or the error Python raises in the construct the
check stands for (`zip(strict=True)`: ValueError; `statistics.mean([])`: StatisticsError)::

    _srcad.require(isinstance(u, np.ndarray), '`u` is not a NumPy array; ...')
    _srcad.require(n == n_1, 'zip() argument 2 has another length than argument 1', 'ValueError')
"""

from __future__ import annotations

import importlib

from srcad.ad.rules import RuleTable
from srcad.errors import SrcadError
from srcad.rules.helpers import defzero_helper, helper

# `require`'s kinds of error: srcad's refusal, or the error Python raises (`statistics` is
# imported when a check of its fails: a program without it never loads it, tests/test_first_call)
_KINDS: dict[str, type[Exception]] = {"srcad": SrcadError, "ValueError": ValueError}


def _kind(kind: str) -> type[Exception]:
    if kind == "StatisticsError":
        return importlib.import_module("statistics").StatisticsError
    return _KINDS[kind]


@helper
def raise_(exc):
    """`raise exc` as a call (the lowering keeps statements as ops)."""
    if exc is None:
        raise RuntimeError("No active exception to reraise")
    raise exc


@helper
def assert_(cond, msg=None):
    """`assert cond, msg` as a call."""
    if not cond:
        raise AssertionError(msg) if msg is not None else AssertionError()


@helper
def require(cond, msg, kind="srcad"):
    """Nothing when `cond` holds; else the error of `kind` (see `_KINDS`) with `msg`."""
    if not cond:
        raise _kind(kind)(msg)


def register(jvp: RuleTable, vjp: RuleTable) -> None:
    """Fill `jvp` and `vjp` with the (zero) rules of the check helpers."""
    defzero_helper(jvp, vjp, raise_, assert_, require)
