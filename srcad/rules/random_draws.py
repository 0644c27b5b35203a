"""Random draws differentiated in their parameters (the pathwise, reparameterised derivative):
the runtime helpers `lower/draws_np.py` calls for ``rng.normal(loc, scale, size)`` and its
kin, and their rules.

Input: the `RuleTable` pair. Output: the tables filled with the rules of `draw_std` (zero
derivative) and of `draw_ls`, `draw_lh`, `draw_exp`. Each of NumPy's location-scale samplers
computes every value from one standard variate ``s``, drawn the same way whatever the
parameters: ``normal``, ``laplace``, ``gumbel``, ``logistic`` (``loc + scale * s``),
``exponential`` (``scale * s``), ``uniform`` (``low + (high - low) * s``), ``lognormal``
(``exp(mean + sigma * s)``, ``s`` standard normal); the same for `np.random.Generator` and
`np.random.RandomState` (the legacy ``np.random.normal`` functions: ``rng`` None), and for
``scipy.stats.norm.rvs(loc, scale, size, random_state)`` (``s * scale + loc``; ``rng`` its
``random_state``: a generator, None or a seed).

``draw_std`` draws those ``s`` from the generator's state and puts the state back (NumPy's own
sampler with ``(0, 1)``: the same bits consumed, the same rejections), then ``draw_*`` makes the
user's call itself: its value is NumPy's, bit for bit, and the generator ends where the program
leaves it. ``draw_sized``: ``rs.randn(*shape)`` / ``rs.rand(*shape)`` of a RandomState (zero
derivative). Example::

    jvp of srcad.runtime.draw_ls(rng, kind, a, b, size, s): da + np.zeros_like(s) + db * s
"""

from __future__ import annotations

import sys
from typing import Any

import numpy as np

from srcad.ad.rules import RuleTable
from srcad.errors import DiffError
from srcad.rules.helpers import helper, rt

_GENERATORS = (np.random.Generator, np.random.RandomState)


def _generator(rng: Any) -> Any:
    """The generator `rng` names, as scipy's ``random_state``: a generator, None (NumPy's global
    one) or an int seed (a new ``RandomState``)."""
    if isinstance(rng, (int, np.integer)) and not isinstance(rng, bool):
        return np.random.RandomState(rng)
    g = np.random.mtrand._rand if rng is None else rng
    if not isinstance(g, _GENERATORS):  # (the lowering rewrites known generators only)
        raise TypeError(f"not a NumPy random generator: {type(g).__name__}")
    return g


@helper
def draw_std(rng, kind, a, b, size):
    """The standard variates ``rng.<kind>(a, b, size)`` computes its values from (NumPy's own
    sampler called with ``(0, 1)`` and the call's shape), the generator's state put back."""
    g = _generator(rng)
    if kind == "norm.rvs":
        return _peek(g, lambda: _norm_rvs(np.zeros(np.shape(a)), np.ones(np.shape(b)), size, g))
    shape = np.broadcast(np.asarray(a), np.asarray(b)).shape if size is None else size
    if kind == "exponential":
        return _peek(g, lambda: g.exponential(1.0, shape))
    return _peek(g, lambda: getattr(g, "normal" if kind == "lognormal" else kind)(0.0, 1.0, shape))


def _peek(g: Any, draw: Any) -> Any:
    """What `draw()` returns, `g`'s state put back after it."""
    legacy = isinstance(g, np.random.RandomState)
    state = g.get_state() if legacy else g.bit_generator.state
    try:
        return draw()
    finally:
        if legacy:
            g.set_state(state)
        else:
            g.bit_generator.state = state


def _norm_rvs(loc, scale, size, random_state):
    # (scipy.stats is imported: the program called scipy.stats.norm.rvs)
    return sys.modules["scipy.stats"].norm.rvs(loc, scale, size, random_state=random_state)


def _call(rng, kind, a, b, size):
    if kind == "norm.rvs":
        return _norm_rvs(a, b, size, rng)
    g = _generator(rng)
    if kind == "exponential":
        return g.exponential(b, size)
    return getattr(g, kind)(a, b, size)


@helper
def draw_ls(rng, kind, a, b, size, s):
    """``rng.<kind>(a, b, size)`` of a location-scale sampler (normal, laplace, gumbel,
    logistic; exponential: ``rng.exponential(b, size)``): ``a + b * s``."""
    return _call(rng, kind, a, b, size)


@helper
def draw_lh(rng, kind, a, b, size, s):
    """``rng.uniform(a, b, size)``: ``a + (b - a) * s``."""
    return _call(rng, kind, a, b, size)


@helper
def draw_exp(rng, kind, a, b, size, s):
    """``rng.lognormal(a, b, size)``: ``exp(a + b * s)``."""
    return _call(rng, kind, a, b, size)


@helper
def draw_sized(rng, name, shape):
    """``rng.randn(*shape)`` / ``rng.rand(*shape)`` (`name`) of a ``np.random.RandomState``,
    the shape's length known only when the code runs (lower/draws_np.star_sized): the draws
    themselves; a `DiffError` for another receiver, whose own method srcad did not follow."""
    if type(rng) is not np.random.RandomState:
        raise DiffError(
            f"srcad took `.{name}(*shape)` for a np.random.RandomState's, but it applies to a "
            f"`{type(rng).__name__}`",
            hint="pass the arguments explicitly (`rs.randn(n, m)`)",
        )
    return getattr(rng, name)(*shape)


# facts (srcad/rules/facts.py): they read and advance a generator's state, so never dropped,
# merged or moved
EFFECTS = tuple(rt(f) for f in (draw_std, draw_ls, draw_lh, draw_exp, draw_sized))
SIG = "rng, kind, a, b, size, s"
_MARKS = {"nondiff": ("rng", "kind", "size"), "zero_in": ("s",)}


KINDS = ("normal", "laplace", "gumbel", "logistic", "exponential", "uniform", "lognormal")
PASSED = (
    "srcad differentiates the draws of a NumPy generator made in the function (rng = "
    "np.random.default_rng(seed)) or a global one in their parameters, not those of one passed "
    "in: make it inside, or draw z = rng.standard_normal(n) and write loc + scale * z"
)
MVN = (
    "NumPy draws it through an SVD of cov (method='svd'), whose derivative srcad does not "
    "follow: write mean + z @ L.T with L = np.linalg.cholesky(cov) and z = "
    "rng.standard_normal((n, d))"
)


def register(jvp: RuleTable, vjp: RuleTable) -> None:
    """Fill `jvp` and `vjp` with this family's rules."""
    for k in KINDS:  # (lower/draws_np.py rewrites the calls it knows the generator of)
        jvp.registry.record(f"method.{k}").no_rules = PASSED
    for name in ("method.multivariate_normal", "numpy.random.multivariate_normal"):
        jvp.registry.record(name).no_rules = MVN
    for fn in (draw_std, draw_sized):  # (standard variates: no parameter to differentiate in)
        jvp.defzero(rt(fn))
        vjp.defzero(rt(fn))
    terms = {
        draw_ls: (("da + np.zeros_like(s)", "db * s"), ("g", "g * s")),
        draw_lh: (("da * (1.0 - s)", "db * s"), ("g * (1.0 - s)", "g * s")),
        draw_exp: (("da * ans", "db * s * ans"), ("g * ans", "g * s * ans")),
    }
    for fn, ((ja, jb), (va, vb)) in terms.items():
        jvp.defjvp(rt(fn), SIG, **_MARKS, a=ja, b=jb)
        vjp.defvjp(
            rt(fn),
            SIG,
            **_MARKS,
            a=f"_srcad.unbroadcast({va}, a)",
            b=f"_srcad.unbroadcast({vb}, b)",
        )
