"""`frontend/resolve._still` reads the builtins module's names from its dict (a getattr that
misses raises and catches an AttributeError): a name bound or rebound in `builtins` after a
primitive's name was cached still makes the cached answer stale; an attribute of the module type
alone (``__class__``) is never a false hit."""

from __future__ import annotations

import builtins

import numpy as np
import pytest

from srcad.frontend import resolve


@pytest.fixture
def no_reshape():
    saved = builtins.__dict__.get("reshape", resolve._MISSING)
    yield
    if saved is resolve._MISSING:
        builtins.__dict__.pop("reshape", None)
    else:
        builtins.reshape = saved  # type: ignore[attr-defined]


def test_a_builtin_bound_later_is_seen(no_reshape) -> None:
    reads = ((builtins, "reshape", None), (None, "numpy", np))
    assert resolve._still(reads)
    builtins.reshape = np.reshape  # type: ignore[attr-defined]
    assert not resolve._still(reads)


def test_a_builtin_rebound_is_seen() -> None:
    assert resolve._still(((builtins, "len", len),))
    assert not resolve._still(((builtins, "len", sum),))


def test_a_module_type_attribute_is_no_false_hit() -> None:
    assert not resolve._still(((builtins, "__class__", type(builtins)),))  # (a miss: safe)
    assert not resolve._still(((builtins, "reshape", np.reshape),))


def test_prim_name_follows_a_rebound_builtin(no_reshape) -> None:
    assert resolve.prim_name(np.reshape) == resolve.prim_name(np.reshape)
    name = resolve.prim_name(np.reshape)
    builtins.reshape = np.reshape  # type: ignore[attr-defined]
    assert resolve.prim_name(np.reshape) is not None
    del builtins.reshape  # type: ignore[attr-defined]
    assert resolve.prim_name(np.reshape) == name
