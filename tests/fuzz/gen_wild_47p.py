"""The module-level prelude of a wild47 program (tests/fuzz/gen_wild_47.py), added after wild46's
(tests/fuzz/gen_wild_46p.py).

Input: a decision source (`choice.Rand`). Output: the source of the helpers session 46's
features meet in the wild47 blocks, constants drawn: magnitudes computed in helpers (a 2-norm,
an ``abs``, the root of a sum of squares, a ``hypot``, a standard deviation), a helper that may
raise called in a ``try`` (lower/tryglobals.py), a ``@contextlib.contextmanager`` generator given
the differentiated value (lower/withgens.py), and a helper reading a constant tuple at a key.
"""

from __future__ import annotations

from typing import Any

from .gen_wild_43p import _c

HEADER = "import contextlib\n"


def prelude47(r: Any) -> str:
    """The definitions of the module docstring, constants drawn."""
    post = r.pick(["_ = k + 1.0", "k = k * 2.0", "pass"])
    return f"""

def _nrm47(v):
    return np.linalg.norm(v)


def _abs47(v):
    return np.abs(v)


def _dist47(a, b):
    return np.sqrt(np.sum((a - b) ** 2))


def _hyp47(v):
    return np.hypot(v[0], v[-1])


def _sd47(v):
    return np.std(v)


def _chk47(v, t):
    if np.min(v) < t:
        raise ValueError("below")
    return v * {_c(r, 0.5, 1.5)}


def _pick47(v, k):
    (1.0, 2.0, 3.0)[k]
    return v * (k + 1.0)


@contextlib.contextmanager
def gain47(c):
    k = c * {_c(r, 0.5, 2.0)}
    yield k
    {post}
"""
