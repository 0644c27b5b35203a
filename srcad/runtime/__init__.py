"""The namespace of the helpers generated derivative code and rule templates call (``_srcad``).

Input: nothing. Output: every helper of the rule families (`srcad.rules.*`), under the one name
generated code and rule names use (``_srcad.unbroadcast``, ``srcad.runtime.unbroadcast``).

The helpers live beside their rules in the family modules of `srcad.rules`, marked ``@helper``
(`srcad.rules.helpers`); they are pure functions of primal values, tangents and cotangents
(NumPy arrays, Python scalars, or tuples, lists and dicts of them) and report ``srcad.runtime``
as their module. Example::

    >>> unbroadcast(np.ones((3, 4)), np.zeros(4))
    array([3., 3., 3., 3.])
"""

from __future__ import annotations

import srcad.rules  # noqa: F401  (defines the helpers)
from srcad.rules.helpers import HELPERS

globals().update(HELPERS)
__all__ = sorted(HELPERS)
