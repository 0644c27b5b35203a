"""NumPy 2 functions users call under their Array API names: ``np.linalg.cross`` (3-vectors
along ``axis``; NumPy raises for other lengths, so the operands are what ``np.cross`` reads).

Input: the `RuleTable` pair. Output: the tables filled with the rules: bilinear, the JVP terms
``np.linalg.cross`` again (every order closes), the VJP ``np.cross``'s helper
(``<g, a x b> = <a, b x g> = <b, g x a>``). Example::

    jvp of np.linalg.cross(x1, x2, axis=-1): np.linalg.cross(dx1, x2, axis=axis) + ...
"""

from __future__ import annotations

from srcad.ad.rules import RuleTable

_AXES = "axis, axis, axis, axis"


def register(jvp: RuleTable, vjp: RuleTable) -> None:
    """Fill `jvp` and `vjp` with this family's rules."""
    sig, nd = "x1, x2, /, *, axis=-1", ("axis",)
    jvp.defjvp(
        "numpy.linalg.cross", sig, nondiff=nd,
        x1="np.linalg.cross(dx1, x2, axis=axis)", x2="np.linalg.cross(x1, dx2, axis=axis)",
    )  # fmt: skip
    vjp.defvjp(
        "numpy.linalg.cross", sig, nondiff=nd,
        x1=f"_srcad.cross_vjp(g, x1, x2, {_AXES}, 0)", x2=f"_srcad.cross_vjp(g, x1, x2, {_AXES}, 1)",
    )  # fmt: skip
