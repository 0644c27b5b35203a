"""What emitting a module gives: `Emitted`, its source text and what its factory binds.

Input: made by `srcad.backend.emit`, or from a disk cache entry (`srcad.backend.disk`). Output:
read by `srcad.backend.compile`. Apart from the emitter so that loading an entry imports none of
it (issue 11's first call).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Emitted:
    """Emitted source and what its factory binds. Modules are imported at compile time."""

    source: str
    bindings: dict[str, Any] = field(default_factory=dict)  # closure values, constants, defaults
    modules: dict[str, str] = field(default_factory=dict)  # factory param -> module ("np": "numpy")
    imports: tuple[str, ...] = ()  # submodules to import first ("scipy.special")
    names: tuple[str, ...] = ()  # emitted function names, in order
    locs: tuple = ()  # per function, its statements' user lines (backend/locations.FnLocs)

    @property
    def factory_params(self) -> list[str]:
        return [*self.modules, *self.bindings]
