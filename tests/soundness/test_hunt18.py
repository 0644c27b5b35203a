"""Soundness hunt 18: stale transforms and wrong first derivatives found by probes written like
users' code.

- STALE (wrong derivative and value): a number or string read as an attribute of a user module
  (``cfg.SCALE * x``, ``x ** cfg.P``, ``from cfg import SCALE`` in the function) is a constant of
  the transform, but the read was not recorded (`lower/reads.note_attr` kept callables and
  modules only): rebinding ``cfg.SCALE`` kept the old value, in the process and through the disk
  cache in the next one (a config module edited between runs).
- STALE: a keyword-only default updated in place (``f.__kwdefaults__["p"] = 3``): the signature
  cached per function (`args.signature_of`) still bound the old default, and a callee's default
  (bound into its caller's transform) was not compared.
- STALE: a wrapper of a bound method (``g = srcad.grad(model.loss)``, also value_and_grad,
  jacfwd, jacrev) kept serving the transform made for the object as it was: a method shadowed
  since by an instance attribute (``model.act = other``: Python calls that) was ignored. The
  fast path now compares the object's class and that no method is shadowed
  (`lower/reads.front_reads`).
- WRONG (nan): ``scipy.special.i0e`` / ``i1e`` at |x| >= 2**31, where they are finite: their
  derivatives read ``scipy.special.ive``, which is nan there (`rules/scipy_special2.bessel_ive`
  now takes the asymptotic series).
"""

from __future__ import annotations

import sys
import types

import numpy as np
import pytest

import srcad
from srcad.backend import disk

X = np.array([0.5, -1.2, 0.8])

cfg = types.ModuleType("srcad_hunt18_cfg")
cfg.SCALE = 2.0
cfg.P = 2
cfg.MODE = "sin"
sys.modules[cfg.__name__] = cfg


@pytest.fixture
def config():
    yield cfg
    cfg.SCALE, cfg.P, cfg.MODE = 2.0, 2, "sin"


def _scaled(x):
    return np.sum(cfg.SCALE * np.sin(x))


def _power(x):
    return np.sum(x**cfg.P)


def _switch(x):
    if cfg.MODE == "sin":
        return np.sum(np.sin(x))
    return np.sum(np.cos(x))


def _imported(x):
    from srcad_hunt18_cfg import SCALE

    return np.sum(SCALE * x)


def _caller(x):
    return _power(x) * 2.0


CASES = [
    (_scaled, lambda c: c.__setattr__("SCALE", 5.0), lambda x: 5.0 * np.cos(x)),
    (_power, lambda c: c.__setattr__("P", 3), lambda x: 3 * x**2),
    (_switch, lambda c: c.__setattr__("MODE", "cos"), lambda x: -np.sin(x)),
    (_imported, lambda c: c.__setattr__("SCALE", 5.0), lambda x: 5.0 + 0 * x),
    (_caller, lambda c: c.__setattr__("P", 3), lambda x: 6 * x**2),
]


@pytest.mark.parametrize("f, change, want", CASES, ids=[c[0].__name__ for c in CASES])
@pytest.mark.parametrize("api", ["grad", "wrapper", "jvp", "vjp", "jacfwd"])
def test_module_constant_rebound(config, f, change, want, api):
    srcad.grad(f)(X)
    wrapper = srcad.grad(f)
    wrapper(X)
    change(config)
    if api == "grad":
        got = srcad.grad(f)(X)
    elif api == "wrapper":
        got = wrapper(X)
    elif api == "jvp":
        got = np.array([srcad.jvp(f, (X,), (e,))[1] for e in np.eye(3)])
    elif api == "vjp":
        out, pull = srcad.vjp(f, X)
        np.testing.assert_allclose(out, f(X), rtol=1e-12)
        (got,) = pull(1.0)
    else:
        got = srcad.jacfwd(f)(X)
    np.testing.assert_allclose(got, want(X), rtol=1e-12)


@pytest.fixture
def disk_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("SRCAD_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("SRCAD_NO_DISK_CACHE", raising=False)
    monkeypatch.setattr(disk.STATE, "custom_rules", False)
    srcad.cache_clear()
    yield
    srcad.cache_clear()


def test_module_constant_through_the_disk_cache(config, disk_cache):
    # the next process (cache_clear: nothing in memory) imports an edited config module
    np.testing.assert_allclose(srcad.grad(_power)(X), 2 * X, rtol=1e-12)
    srcad.cache_clear()
    config.P = 3
    np.testing.assert_allclose(srcad.grad(_power)(X), 3 * X**2, rtol=1e-12)


def _kw(x, *, p=2):
    return np.sum(x**p)


def _kw_caller(x):
    return _kw(x) * 2.0


@pytest.mark.parametrize("api", ["grad", "wrapper", "caller", "jvp", "jacrev"])
def test_keyword_default_updated_in_place(api):
    f = types.FunctionType(_kw.__code__, _kw.__globals__, "_kw")
    f.__kwdefaults__ = {"p": 2}
    wrapper = srcad.grad(f)
    np.testing.assert_allclose(wrapper(X), 2 * X, rtol=1e-12)
    if api == "caller":
        saved = dict(_kw.__kwdefaults__)
        try:
            srcad.grad(_kw_caller)(X)
            _kw.__kwdefaults__["p"] = 3
            np.testing.assert_allclose(srcad.grad(_kw_caller)(X), 6 * X**2, rtol=1e-12)
        finally:
            _kw.__kwdefaults__.update(saved)
        return
    f.__kwdefaults__["p"] = 3
    if api == "grad":
        got = srcad.grad(f)(X)
    elif api == "wrapper":
        got = wrapper(X)
    elif api == "jvp":
        got = srcad.jvp(f, (X,), (np.ones(3),))[1]
        np.testing.assert_allclose(got, np.sum(3 * X**2), rtol=1e-12)
        return
    else:
        got = srcad.jacrev(f)(X)
    np.testing.assert_allclose(got, 3 * X**2, rtol=1e-12)


class _Net:
    def __init__(self, n):
        self.layers = [_Layer(1.0 + i) for i in range(n)]

    def act(self, z):
        return np.sin(z)

    def loss(self, x):
        for layer in self.layers:
            x = layer(x)
        return np.sum(self.act(x))

    def vec(self, x):
        return self.act(x) * 2.0


class _Layer:
    def __init__(self, w):
        self.w = w

    def __call__(self, z):
        return np.tanh(self.w * z)


def _fd(f, x, h=1e-6):
    return np.array([(f(x + h * e) - f(x - h * e)) / (2 * h) for e in np.eye(len(x))])


@pytest.mark.parametrize("api", ["grad", "value_and_grad", "jacfwd", "jacrev"])
def test_bound_method_wrapper_after_the_object_changed(api):
    net = _Net(1)
    if api in ("grad", "value_and_grad"):
        w = getattr(srcad, api)(net.loss)
        run = (lambda x: w(x)) if api == "grad" else (lambda x: w(x)[1])
    else:
        w = getattr(srcad, api)(net.vec)
        run = lambda x: np.diag(w(x))  # noqa: E731
    want = 2 * np.cos(X) if api[0] == "j" else _fd(net.loss, X)
    np.testing.assert_allclose(run(X), want, rtol=1e-6)
    net.act = lambda z: z**3  # an instance attribute: Python calls it, not _Net.act
    with pytest.raises(srcad.SrcadError):  # (srcad does not differentiate through it: refused)
        run(X)


XB = np.array([-1e10, -3e9, 2.5, 5e9, 1e10, 1e300])


@pytest.mark.parametrize("name", ["i0e", "i1e"])
@pytest.mark.parametrize("mode", ["grad", "jvp"])
def test_scaled_bessel_at_huge_arguments(name, mode):
    # d/dx i0e = i1e - sign(x) i0e, d/dx i1e = i0e - i1e / x - sign(x) i1e: finite (scipy's ive,
    # which the rules read, is nan beyond |x| = 2**31)
    sp = pytest.importorskip("scipy.special")
    fn = getattr(sp, name)

    def f(x):
        return np.sum(fn(x))

    if name == "i0e":
        want = sp.i1e(XB) - np.sign(XB) * sp.i0e(XB)
    else:
        want = sp.i0e(XB) - sp.i1e(XB) / XB - np.sign(XB) * sp.i1e(XB)
    if mode == "grad":
        got = srcad.grad(f)(XB)
    else:
        got = np.array([srcad.jvp(f, (XB,), (e,))[1] for e in np.eye(len(XB))])
    # (a difference of terms near 1e-5: rounding of 1e-21 at most)
    np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-20)
