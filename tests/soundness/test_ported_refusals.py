"""Ported programs srcad must refuse, not differentiate: each raises a located `SrcadError`
(file:line:col of the user's line, a caret and a hint) for `srcad.jvp` and `srcad.grad`/`vjp`.

They are the ported corpora's programs (tests/corpus/ported*.py), imported from there: in-place
updates through views and aliases, arguments updated in place, complex
values, `try`, and options with no derivative rule (`np.interp`'s `xp`/`right`, `np.quantile`'s
`q`). Python would see the update (or the derivative is not defined by srcad's rules): a silent
answer would be wrong."""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads
from tests.corpus.ported_python import (
    py_argument_aug,
    py_argument_mutation,
    py_helper_mutates_local,
)
from tests.corpus.ported_semantics1 import (
    sy_alias_mutation,
    sy_reshape_view_write,
    sy_transpose_view_write,
    sy_view_mutation,
)
from tests.corpus.ported_signatures import (
    kw_interp_left_right,
    kw_quantile_active_q,
)

V3 = np.array([0.4, -0.7, 1.3])
V5 = np.array([0.3, -1.1, 0.8, 1.7, -0.4])
M23 = np.array([[0.5, -0.3, 1.2], [0.9, 0.2, -0.8]])
M33 = np.array([[1.5, 0.2, -0.3], [0.1, 1.2, 0.4], [-0.2, 0.3, 0.9]])


# writes through views of a copy made here: written into the copy now (lower/viewwrites.py)
# (session 12: and through a second name of the copy, `z = y; z += 1.0`)
VIEW_WRITES = [
    (sy_view_mutation, V5),
    (sy_reshape_view_write, M23),
    (sy_transpose_view_write, M23),
    (sy_alias_mutation, V5),
]


@pytest.mark.parametrize("fn,x", VIEW_WRITES, ids=[c[0].__name__ for c in VIEW_WRITES])
def test_ported_view_writes_are_right(fn, x) -> None:
    np.testing.assert_allclose(srcad.primal(fn)(x.copy()), fn(x.copy()), rtol=1e-12)
    check_grads(lambda a: np.sum(np.sin(fn(a))), (x.copy(),), modes=("fwd", "rev"))


CASES = [
    (py_helper_mutates_local, (V3,), 0, "_scale_in_place(y)"),
    (kw_quantile_active_q, (V5, 0.37), 1, "np.quantile"),
]


@pytest.mark.parametrize("fn", [py_argument_mutation, py_argument_aug])
def test_ported_argument_updates_follow_python(fn) -> None:
    # refused before; a private copy written back now (lower/argcopy.py)
    a, b = V3.copy(), V3.copy()
    np.testing.assert_allclose(srcad.primal(fn)(a), fn(b), rtol=1e-12)
    np.testing.assert_array_equal(a, b)
    check_grads(fn, (V3.copy(),), modes=("fwd", "rev"))


def _check_refusal(err: srcad.SrcadError, fn, snippet: str) -> None:
    text = str(err)
    where = fn.__code__.co_filename.rsplit("/", 1)[-1]  # the corpus file the program is in
    assert where in text and "^" in text, text
    assert snippet in text, text
    assert "hint:" in text, text


@pytest.mark.parametrize("fn,args,k,snippet", CASES, ids=[c[0].__name__ for c in CASES])
def test_ported_program_is_refused_with_a_location(fn, args, k, snippet) -> None:
    tangents = tuple(np.ones_like(a) if i == k else None for i, a in enumerate(args))
    with pytest.raises(srcad.SrcadError) as fwd:
        srcad.jvp(fn, args, tangents)
    _check_refusal(fwd.value, fn, snippet)
    with pytest.raises(srcad.SrcadError) as rev:
        srcad.vjp(fn, *args, wrt=k)
    _check_refusal(rev.value, fn, snippet)


def test_ported_interp_active_right_is_differentiated() -> None:
    # refused before session 21 (no rule for an active `right`)
    check_grads(lambda x: np.sum(kw_interp_left_right(x) ** 2), (V5 * 0.3,), modes=("fwd", "rev"))
    check_grads(lambda x: np.sum(kw_interp_left_right(x) ** 2), (V5 * 3.0,), modes=("fwd", "rev"))
