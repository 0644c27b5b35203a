"""State of a function a factory returned that updates the factory's variables (``nonlocal``):
a counter, an accumulator, a running mean.

Input: a `Carried` function (lower/fnargs.py) whose body writes variables of the factory that
made it, the factory's frame gone once it returned; its calls. Output: those variables kept in
the lowering environment under names of their own (``%fn3.total``, objstate's prefix, so inlined
calls, rollbacks of attempted inlinings and joins see them as they see objects' fields): each
call's body reads them and writes them back, so the next call reads what the last one left::

    def make():                         t = make()
        total = 0.0                     t(a)          # total = 0.0 + sum(a**2)
        def add(z):                     t(b)          # total = that + sum(b**2)
            nonlocal total
            total = total + np.sum(z ** 2)
            return total
        return add

Calls are taken in the block the factory was called in only (an unrolled loop's rounds are in
it: lower/fnlists.py); in a branch or a loop body lowered once the state would need a join or
a loop carry of its own: refused there. A factory returning two functions that share the state
(``return add, get``) is refused (each would keep a copy).
"""

from __future__ import annotations

from typing import Any

from srcad.lower import objseq
from srcad.lower.objstate import PREFIX

_SERIAL = "_srcad_fnstate_serial"


def make(lw: Any, env: dict, writes: set[str], into: dict, depth: int) -> tuple[int, int]:
    """The state of a function writing `writes`, their values in `env` (the factory's, at its
    return) put into `into` (the environment the factory's caller continues with, at block
    `depth`); returns (`depth`, the state's serial) for `Carried.state`."""
    serial = getattr(lw, _SERIAL, 0) + 1
    setattr(lw, _SERIAL, serial)
    for n in sorted(writes):
        if n in env:
            into[_key(serial, n)] = env[n]
    return depth, serial


def enter(
    lw: Any, name: str, state: tuple[int, int], writes: set[str], env: dict, node: Any
) -> None:
    """Before a call: the state's current values into the body's environment `env`."""
    depth, serial = state
    keys = {n: _key(serial, n) for n in writes}
    if objseq.depth(lw) != depth or not all(k in lw.env for k in keys.values()):
        raise lw.error(
            node,
            f"`{name}` updates the variables of the function that made it (`nonlocal`), and is "
            "called in a branch or a loop body: srcad keeps that state only for calls in the "
            "block where the function was made",
            "call it outside the branch or loop, or return the state from it",
        )
    for n, k in keys.items():
        env[n] = lw.env[k]


def leave(lw: Any, state: tuple[int, int], writes: set[str], env: dict) -> None:
    """After a call: what the body left in the variables, the state's values now."""
    for n in writes:
        if n in env:
            lw.env[_key(state[1], n)] = env[n]


def _key(serial: int, name: str) -> str:
    return f"{PREFIX}fn{serial}.{name}"
