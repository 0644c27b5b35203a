"""Session 35 (fuzz35): what the fuzzer (tests/fuzz, seeds 35100000+, and the new ``wild35``
grammar of Python-level scalar code mixed with arrays) found.

- Crash: a list of Python floats built in a loop over an array (``L.append(math.cos(t))``),
  made an array and multiplied by a complex value whose imaginary part is read
  (``(np.exp(1j * x) * np.array(L)).imag``), failed in the gradient with ``TypeError: float()
  argument must be a string or a real number, not 'complex'`` (wild35 seed 35500016, shrunk).
  The cotangent of ``np.array(L)`` is complex there (JAX's convention: a real value's cotangent
  may carry a meaningless imaginary part), and `_srcad.array_vjp` handed each Python float its
  entry as a Python complex, which the loop's reverse sweep wrote into the float array of the
  argument's cotangent (``bx[k] = g``). A real entry's cotangent is now its real part, as
  `_srcad.unbroadcast` already gave a real number's (np.float64 entries, which NumPy had
  written with a ComplexWarning, too). ``np.stack(L)`` / ``np.hstack(L)`` of such a list crashed
  the same way (`_like_input`, the piece of a stack's cotangent for a number: now its real part).
- Open: ``w = np.zeros(n); for i, t in enumerate(x): w[i] = math.tanh(t)`` then ``(w * Z)`` with
  a complex `Z`: the gradient is right, but the loop's reverse sweep writes the complex
  cotangent ``bw[k] * (1 - tanh^2)`` into the float array ``bx`` with NumPy's ComplexWarning (an
  error under ``-W error``). Not fixed: the cotangent of a real array may carry an imaginary part
  by design, and the element write is inline code (no helper to take the real part).
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads

X2 = np.array([-0.1933, 1.0975])
X4 = np.array([0.31, -0.52, 0.77, 0.12])


# -- complex cotangents of lists of real numbers -----------------------------------------------


def cos_list_imag(x):
    ls = []
    for t in x:
        ls.append(math.cos(t))
    return np.sum((np.exp(1j * x) * np.array(ls)).imag)


def cos_list_times_1j(x):
    ls = []
    for t in x:
        ls.append(math.cos(t))
    return np.sum((1j * np.array(ls)).imag) + np.sum(x**2)


def scaled_list_real(x):
    ls = []
    for t in x:
        ls.append(t * 2.0)  # np.float64 entries
    return np.sum(np.abs(np.exp(0.5j * np.array(ls)) + 1.0) ** 2)


def comprehension_real(x):
    ls = [math.sin(t) * t for t in x]
    return float(np.real(np.sum(np.array(ls) * np.exp(1j * x[::-1]))))


def asarray_of_float_list(x):
    ls = [float(t) ** 2 for t in x]
    z = np.asarray(ls) * (0.5 + 0.25j)
    return np.sum(z.real * z.imag)


def stack_of_floats(x):
    ls = [math.cos(t) for t in x]
    return np.sum((np.stack(ls) * np.exp(0.3j * np.arange(len(ls)))).imag)


def hstack_of_floats(x):
    ls = []
    for t in x:
        ls.append(math.sin(t))
    return np.sum((np.hstack(ls) * np.exp(0.3j * np.arange(len(ls)))).real ** 2)


def stack_of_float64(x):
    ls = [t * 2.0 for t in x]  # np.float64 entries
    return np.sum((np.stack(ls) * np.exp(0.3j * np.arange(len(ls)))).imag)


CASES = [cos_list_imag, cos_list_times_1j, scaled_list_real, comprehension_real]
CASES += [stack_of_floats, hstack_of_floats, stack_of_float64]


@pytest.mark.parametrize("f", CASES + [asarray_of_float_list])
@pytest.mark.parametrize("x", [X2, X4], ids=["n2", "n4"])
def test_complex_cotangent_of_real_list(f, x):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # (no ComplexWarning from the reverse sweep either)
        g = srcad.grad(f)(x)
    assert g.dtype == np.float64 and g.shape == x.shape
    check_grads(f, (x,), modes=("fwd", "rev"), order=2)


def test_wild35_seed_35500016_shape():
    """The fuzzer's program, its differentiated part: a Python float in a `while` loop, the
    list of cosines, the complex product's imaginary part, dict counts of its signs."""

    def f(x3):
        t3, y2 = float(x3[0]), 0.0
        k = 0
        while k < 20:
            y2 = math.cos(y2 * 0.5 + t3 * 0.1)
            k += 1
        v1 = x3 * y2
        ls = []
        for t9 in v1:
            ls.append(math.cos(t9))
        v7 = np.array(ls) * 1.0
        v11 = (np.exp(1j * np.cumprod(np.log10((-0.327 * t3) ** 2 + 2))) * v7).imag
        d = {}
        for t in v11:
            key = int(t > 0.2273)
            d[key] = d.get(key, 0) + 1
        return np.sum(v11 * d.get(1, 0) + d.get(0, 0) * 0.5)

    check_grads(f, (X2,), modes=("fwd", "rev"), order=2)
