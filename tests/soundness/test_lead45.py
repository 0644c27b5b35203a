"""Session 45's lead: a lifted idiom taken back.

``with MGR:`` on a module-level instance of a user context manager was lowered as
``MGR.__enter__()``, the body, ``MGR.__exit__(None, None, None)`` after checking MGR's class at
transform time. The cache's guard does not follow a global that is neither callable nor a
module, so after ``MGR = Swallow()`` (a manager whose ``__exit__`` returns True) the cached code
ran the body on past the raise: gradient 100 where Python's is 3. Refused again ("`with`
statements are not supported"), as before session 45; ``with Manager():`` (a call) is lowered.
"""

from __future__ import annotations

import numpy as np
import pytest

import srcad


class _Plain:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


MGR = _Plain()


def body_raises_under_module_manager(x):
    y = 3.0 * x
    with MGR:
        y = 3.0 * x
        z = 1.0 / (x.size - x.size)  # noqa: F841 (ZeroDivisionError)
        y = 100.0 * x
    return np.sum(y)


def module_manager(x):
    with MGR:
        y = np.cos(x) ** 2
    return np.sum(y * x)


@pytest.mark.parametrize("fn", [body_raises_under_module_manager, module_manager])
def test_with_on_a_module_level_instance_is_refused(fn):
    with pytest.raises(srcad.SrcadError, match="with"):
        srcad.grad(fn)(np.ones(3))


def test_with_on_a_made_manager_still_lowered():
    def made(x):
        with _Plain():
            y = np.cos(x) ** 2
        return np.sum(y * x)

    x = np.array([0.3, -0.2, 0.5])
    g = srcad.grad(made)(x)
    want = np.cos(x) ** 2 - 2.0 * np.cos(x) * np.sin(x) * x
    assert np.allclose(g, want)


# -- np.cos(np.abs(x)) under a np.where mask: its smooth derivative unmasked gave 0 * sin(inf) ---
# (ad/squares.py's even functions of abs, session 45, added the contribution without the mask
# the square's other kinds take: nan where 8abe2bd2 and np.cos(x) give 0)


def cos_abs_masked(x):
    return np.where(x[1] > 0, 1.0, np.cos(np.abs(x[0])))


def test_even_function_of_abs_keeps_the_where_mask():
    with np.errstate(invalid="ignore"):
        g = srcad.grad(cos_abs_masked)(np.array([np.inf, 1.0]))
    assert np.array_equal(g, [0.0, 0.0])
    x = np.array([0.3, -1.0])
    assert np.allclose(srcad.grad(cos_abs_masked)(x), [-np.sin(0.3), 0.0])
