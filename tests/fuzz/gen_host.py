"""The host generator's methods a wild grammar's block mixin calls (``--grammar wild44`` ..
``wild52f``).

Input: none. Output: `HostStubs`, the one base of the block mixins (gen_wild_44b.Blocks44a,
gen_wild_44c.Blocks44c, gen_wild_45b.Blocks45 .. gen_wild_52f.Blocks52f), declaring what their host
class gives them: fresh names, the vectors in scope, and gen_wild_43b's constants and scalar/vector
expressions. Every grammar's host class lists its block mixins after the classes defining these,
so the stubs are never called.
"""

from __future__ import annotations


class HostStubs:
    """The host's methods, declared once for the block mixins."""

    def fresh(self, p: str = "v") -> str:  # pragma: no cover - the host's
        raise NotImplementedError

    def vecs(self) -> list[str]:  # pragma: no cover - the host's
        raise NotImplementedError

    def const(self, lo: float = 0.1, hi: float = 0.9) -> str:  # pragma: no cover - 43b's
        raise NotImplementedError

    def sx(self, depth: int = 1) -> str:  # pragma: no cover - 43b's
        raise NotImplementedError

    def vx(self, depth: int = 1) -> str:  # pragma: no cover - 43b's
        raise NotImplementedError
