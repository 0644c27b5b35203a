"""The namespace of the helpers generated derivative code and rule templates call (``_srcad``).

Input: nothing. Output: every helper of the rule families (`srcad.rules.*`), under the one name
generated code and rule names use (``_srcad.unbroadcast``, ``srcad.runtime.unbroadcast``).

The helpers live beside their rules in the family modules of `srcad.rules`, marked ``@helper``
(`srcad.rules.helpers`); they are pure functions of primal values, tangents and cotangents
(NumPy arrays, Python scalars, or tuples, lists and dicts of them) and report ``srcad.runtime``
as their module. The helpers of optional families (scipy) appear when those are registered
(module ``__getattr__``). Example::

    >>> unbroadcast(np.ones((3, 4)), np.zeros(4))
    array([3., 3., 3., 3.])
"""

from __future__ import annotations

import srcad.rules  # noqa: F401  (defines the helpers)
from srcad.rules.checks import UNBOUND  # noqa: F401  (a name with no value: `_srcad.UNBOUND`)
from srcad.rules.helpers import HELPERS

globals().update(HELPERS)
__all__ = sorted(HELPERS)


def __getattr__(name: str) -> object:
    """A helper of an optional family (`srcad.rules.OPTIONAL`), registered once the program has
    imported its library (code loaded from the disk cache may call it before any transform)."""
    if name not in HELPERS and not name.startswith("__"):
        srcad.rules.default_registry()
    try:
        fn = HELPERS[name]
    except KeyError:
        raise AttributeError(f"module 'srcad.runtime' has no attribute {name!r}") from None
    globals()[name] = fn
    return fn


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(HELPERS))
