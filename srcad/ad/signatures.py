"""Rule signatures: the text of a rule's parameters -> `inspect.Signature`, and a call's operands
bound to it.

Input: a signature as written in a rule table (``"x, axis=None, *, keepdims=False"``; defaults are
literals). Output: `parse_signature` (one `inspect.Signature` per text) and `bind` (what
``sig.bind(*args, **kwargs)`` with defaults applied gives, by a plan kept per signature and
number of operands). Example::

    >>> bind(parse_signature("mean", "x, axis=None"), [1.0], {})
    {'x': 1.0, 'axis': None}
"""

from __future__ import annotations

import inspect


def bind(sig: inspect.Signature, args: list, kwargs: dict) -> dict[str, object] | None:
    """Map the operands to parameter names, defaults filled in; None when the fast plans do not
    apply (then ``sig.bind`` decides, and words the error)."""
    if not kwargs:  # the common case: a plan per signature and number of operands
        plan = _positional_plan(sig, len(args))
        if plan is not None:
            names, rest = plan
            out = dict(zip(names, args))
            if rest:
                out.update(rest)
            return out
    return _bind_plain(_plain_params(sig), args, kwargs)


_EMPTY = inspect.Parameter.empty


_PLANS: dict[int, tuple[inspect.Signature, tuple | None]] = {}  # id(sig) -> (sig, plan)


def _plain_params(sig: inspect.Signature) -> tuple | None:
    """``((name, default, positional, by keyword), ...)`` when every parameter is positional-only,
    positional-or-keyword or keyword-only (no ``*args``, ``**kwargs``), else None. Kept per
    signature object, not per equal signature (``dx=1`` and ``dx=1.0`` compare equal)."""
    hit = _PLANS.get(id(sig))
    if hit is not None and hit[0] is sig:
        return hit[1]
    out: list | None = []
    for p in sig.parameters.values():
        if p.kind is p.POSITIONAL_ONLY:
            out.append((p.name, p.default, True, False))
        elif p.kind is p.POSITIONAL_OR_KEYWORD:
            out.append((p.name, p.default, True, True))
        elif p.kind is p.KEYWORD_ONLY:
            out.append((p.name, p.default, False, True))
        else:
            out = None
            break
    plan = None if out is None else tuple(out)
    _PLANS[id(sig)] = (sig, plan)
    return plan


_POSITIONAL: dict[tuple[int, int], tuple] = {}  # (id(sig), n) -> (sig, plan)


def _positional_plan(sig: inspect.Signature, n: int) -> tuple | None:
    """What `_bind_plain` does with `n` positional operands and no keywords, as (the names the
    operands bind, in order; the defaults of the other parameters, in order), or None when it
    would not bind them (then `_bind_plain` and `inspect` decide, and word the error)."""
    hit = _POSITIONAL.get((id(sig), n))
    if hit is not None and hit[0] is sig:
        return hit[1]
    params = _plain_params(sig)
    plan = None
    if params is not None and n <= sum(1 for p in params if p[2]):
        names = tuple(p[0] for p in params[:n])
        rest = tuple((name, default) for name, default, _, _ in params[n:])
        if all(p[2] for p in params[:n]) and all(d is not _EMPTY for _, d in rest):
            plan = (names, rest)
    _POSITIONAL[id(sig), n] = (sig, plan)
    return plan


def _bind_plain(params: tuple | None, args: list, kwargs: dict) -> dict[str, object] | None:
    """What ``sig.bind(*args, **kwargs)`` with defaults applied gives, for a plain signature and
    a call that binds without error; None otherwise (`Rule.bind` then asks `inspect`, which also
    words the error). Signature.bind cost about a tenth of a reverse sweep."""
    if params is None or len(args) > sum(1 for p in params if p[2]):
        return None  # too many positional arguments
    out: dict[str, object] = {}
    n = len(args)
    for i, (name, default, positional, keyword) in enumerate(params):
        if positional and i < n:
            if name in kwargs:
                return None  # given twice (or a positional-only one by keyword)
            out[name] = args[i]
        elif name in kwargs:
            if not keyword:
                return None  # a positional-only parameter passed by keyword
            out[name] = kwargs[name]
        elif default is _EMPTY:
            return None  # missing
        else:
            out[name] = default
    if any(k not in out for k in kwargs):
        return None  # an unknown keyword
    return out


def parse_signature(prim: str, sig: str) -> inspect.Signature:
    """``"x, axis=None, *, keepdims=False"`` -> `inspect.Signature` (defaults must be literals).
    One per text: the registry's ~1500 rules have ~300 signatures, and compiling each again was
    a third of building the registry (the first transform of every process). A `Signature` is
    immutable, and so are the literal defaults allowed (numbers, strings, None, tuples)."""
    got = _SIGNATURES.get(sig)
    if got is None:
        scope: dict = {}
        exec(compile(f"def _sig({sig}): pass", f"<rule {prim}>", "exec"), {}, scope)
        got = _SIGNATURES[sig] = inspect.signature(scope["_sig"])
        if any(_mutable(p.default) for p in got.parameters.values()):
            del _SIGNATURES[sig]  # a list or dict default: each rule gets its own
    return got


_SIGNATURES: dict[str, inspect.Signature] = {}


def _mutable(v: object) -> bool:
    if isinstance(v, tuple):
        return any(_mutable(e) for e in v)
    plain = (bool, int, float, complex, str, bytes)
    return not (v is None or v is inspect.Parameter.empty or isinstance(v, plain))
