"""Session 51, hunt51b: regressions found by porting other projects' examples and test programs
(autograd's examples; tests/corpus/ported_corp51_b*.py)."""

from __future__ import annotations

from functools import partial

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")


def _fd(f, x, eps=1e-6):
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        e = np.zeros_like(x)
        e[i] = eps
        g[i] = (f(x + e) - f(x - e)) / (2 * eps)
    return g


# -- ``sum(map(functools.partial(f, params), data))``: autograd's hmm_em.py --------------------
def _lse(a, axis=None):
    m = np.max(a, axis=axis, keepdims=True)
    return np.squeeze(m, axis=axis) + np.log(np.sum(np.exp(a - m), axis=axis))


def log_partition(natural_params, data):
    if isinstance(data, list):
        return sum(map(partial(log_partition, natural_params), data))
    log_pi, log_A, log_B = natural_params
    log_alpha = log_pi
    for y in data:
        log_alpha = _lse(log_alpha[:, None] + log_A, axis=0) + log_B[:, y]
    return _lse(log_alpha)


_PI = np.log(np.array([0.3, 0.7]))
_A = np.log(np.array([[0.8, 0.2], [0.3, 0.7]]))
_B = np.log(np.array([[0.5, 0.3, 0.2], [0.1, 0.6, 0.3]]))
_SEQS = [np.array([0, 1, 2, 1]), np.array([2, 2, 0])]


def hmm_of_emissions(log_B):
    return log_partition([_PI, _A, log_B], _SEQS)


def _scaled(a, y, s=1.0):
    return np.sum(a * y) * s


def mapped_list(a, ys):
    return np.array(list(map(partial(_scaled, a, s=2.0), ys))) @ np.arange(1.0, 4.0)


def lazy_partial_map(a, ys):
    k = 2.0

    def h(b, y):
        return np.sum(b * y) * k

    m = map(partial(h, a), ys)
    k = 5.0  # Python's map runs `h` when `sum` consumes it: k is 5 then
    return sum(m)


def test_partial_mapped_and_consumed_at_once():
    """``sum(map(partial(f, p), data))`` was refused ("cannot use a `functools.partial` object
    made here as a value"): consumed at once, the partial is made once, first, and called per
    item. A lazy one (``m = map(partial(h, a), ys)`` read later) is answered since idiom52."""
    want = _fd(hmm_of_emissions, _B.copy())
    np.testing.assert_allclose(srcad.grad(hmm_of_emissions)(_B.copy()), want, rtol=1e-6)
    check_grads(hmm_of_emissions, (_B.copy(),), modes=("fwd", "rev"), order=2)
    ys = [np.array([1.0, 2.0]), np.array([0.5, -1.0]), np.array([-0.5, 3.0])]
    a = np.array([0.3, -0.4])
    np.testing.assert_allclose(srcad.primal(mapped_list)(a, ys), mapped_list(a, ys))
    check_grads(mapped_list, (a, ys), modes=("fwd", "rev"), wrt=(0,))
    # consumed later, its items run then, after statements that may rebind what the function
    # reads (here ``k``): since idiom52 the partial is made where the map is and called where
    # the map is read, with `k` then, as Python's (0.25; not evaluated where it is written)
    assert srcad.primal(lazy_partial_map)(a, ys[:2]) == pytest.approx(lazy_partial_map(a, ys[:2]))
    np.testing.assert_allclose(
        srcad.grad(lazy_partial_map)(a, ys[:2]), _fd(lambda t: lazy_partial_map(t, ys[:2]), a)
    )


# -- autograd's convnet.py: a factory's closure over a list of layers of several classes --------
class Parser:
    """Slices of one parameter vector by name (convnet.py's WeightsParser)."""

    def __init__(self):
        self.idxs_and_shapes = {}
        self.N = 0

    def add_weights(self, name, shape):
        start = self.N
        self.N += int(np.prod(shape))
        self.idxs_and_shapes[name] = (slice(start, self.N), shape)

    def get(self, vect, name):
        idxs, shape = self.idxs_and_shapes[name]
        return np.reshape(vect[idxs], shape)


class Dense:
    def __init__(self, size):
        self.size = size

    def build(self, n_in):
        self.parser = Parser()
        self.parser.add_weights("W", (n_in, self.size))
        self.parser.add_weights("b", (self.size,))
        return self.parser.N, self.size

    def forward(self, x, w):
        return self.act(x @ self.parser.get(w, "W") + self.parser.get(w, "b"))


class TanhDense(Dense):
    def act(self, z):
        return np.tanh(z)


class SoftmaxDense(Dense):
    def act(self, z):
        m = np.max(z, axis=1, keepdims=True)
        return z - m - np.log(np.sum(np.exp(z - m), axis=1, keepdims=True))


class Scale:
    def __init__(self, s):
        self.s = s

    def build(self, n_in):
        return 0, n_in

    def forward(self, x, w):
        return x * self.s


def make_nn_funs(n_in, layer_specs):
    parser = Parser()
    for layer in layer_specs:
        n_weights, n_in = layer.build(n_in)
        parser.add_weights(layer, (n_weights,))

    def loss(w, X, T):
        units = X
        for layer in layer_specs:
            units = layer.forward(units, parser.get(w, layer))
        return -np.sum(units * T) + 0.1 * np.dot(w, w)

    return parser.N, loss


_LAYERS = [TanhDense(4), Scale(1.5), SoftmaxDense(3)]
_NW, cnn_loss = make_nn_funs(3, _LAYERS)
_XB = np.random.default_rng(0).standard_normal((5, 3))
_TB = np.eye(3)[[0, 2, 1, 1, 0]]


def _field_get(w, layer):
    return np.sum(layer.forward(_XB, w) ** 2)


def test_closure_list_of_layers_and_their_fields():
    """`for layer in layer_specs` of a closure's list of objects of several classes was not
    unrolled as a module-level list is (``layer.forward`` refused: "no derivative rule"), and
    ``self.parser.get(w, "W")`` on a field holding a user object, known from the layout of its
    owner, was taken for ``dict.get`` (refused when it ran). Both are right now, also after the
    list changes (the cache entry is re-made)."""
    w = np.random.default_rng(1).standard_normal(_NW) * 0.5
    args = (w, _XB, _TB)
    want = _fd(lambda v: cnn_loss(v, _XB, _TB), w)
    np.testing.assert_allclose(srcad.grad(cnn_loss)(*args), want, rtol=1e-6, atol=1e-8)
    check_grads(cnn_loss, args, modes=("fwd", "rev"), wrt=(0,), order=2)
    layer = _LAYERS[0]
    w0 = w[: layer.parser.N]
    want = _fd(lambda v: _field_get(v, layer), w0)
    np.testing.assert_allclose(srcad.grad(_field_get)(w0, layer), want, rtol=1e-6, atol=1e-8)
    f = _chain([Scale(0.5), Scale(1.5)])
    x = np.array([0.3, -0.2, 0.9])
    for step in range(3):
        np.testing.assert_allclose(srcad.grad(f)(x), _fd(f, x), rtol=1e-6, atol=1e-9)
        layers = f.__closure__[0].cell_contents
        if step == 0:
            layers.append(Scale(-2.0))  # its length and items are in the cache key
        else:
            layers[1] = Scale(3.0)


def _chain(layers):
    def f(x):
        for layer in layers:
            x = np.tanh(layer.forward(x, None))
        return np.sum(x)

    return f


# -- autograd's variational_autoencoder.py: ``rs.randn(*mean.shape)`` of a RandomState ----------
def sample_diag_gaussian(mean, log_std, rs):
    return rs.randn(*mean.shape) * np.exp(log_std) + mean


def elbo_like(params):
    mean, log_std = params[:, :2], params[:, 2:]
    z = sample_diag_gaussian(mean, log_std, np.random.RandomState(0))
    keep = np.random.RandomState(1).rand(*z.shape) < 0.7
    return np.sum(np.tanh(z) * keep) + np.sum(log_std)


class NotAState:
    def randn(self, *shape):
        return np.ones(shape)


def sampled_by(params, rs):
    return np.sum(sample_diag_gaussian(params[:, :2], params[:, 2:], rs))


def test_random_state_draws_of_a_starred_shape():
    """``rs.randn(*mean.shape)`` (and ``rand``) of a ``np.random.RandomState`` was refused
    ("`*args` in a call is supported only for tuple/list literals of known length"), also in a
    module-level helper given the state: the draws themselves now, of the same values as
    Python's; a receiver that turns out to be no RandomState is refused when it runs."""
    p = np.random.default_rng(2).standard_normal((3, 4)) * 0.5
    np.testing.assert_array_equal(srcad.primal(elbo_like)(p.copy()), elbo_like(p.copy()))
    want = _fd(elbo_like, p.copy())
    np.testing.assert_allclose(srcad.grad(elbo_like)(p.copy()), want, rtol=1e-6, atol=1e-9)
    check_grads(elbo_like, (p.copy(),), modes=("fwd", "rev"), order=2)
    with pytest.raises(srcad.SrcadError, match="RandomState"):
        srcad.grad(sampled_by)(p.copy(), NotAState())


# -- pyperformance's chaos.py: a class whose ``__init__`` validates its arguments --------------
class Gauss:
    def __init__(self, mu, knots, sigma):
        if len(knots) < 2:
            raise ValueError("not enough knots")
        last = knots[0]
        for cur in knots[1:]:
            if cur < last:
                raise ValueError("knots not strictly increasing")
            last = cur
        if sigma <= 0:
            raise ValueError("sigma must be positive")
        assert np.ndim(mu) == 1, "mu must be a vector"
        self.mu = mu
        self.sigma = sigma

    def logpdf(self, x):
        return -0.5 * np.sum((x - self.mu) ** 2) / self.sigma**2 - len(x) * np.log(self.sigma)


def gauss_logpdf(p):
    return Gauss(p[:2], [0, 0, 1, 1], p[2]).logpdf(np.array([0.1, 0.2]))


def test_init_that_validates_builds_the_object_here():
    """An ``__init__`` with ``if ...: raise ValueError(...)`` (also in a loop over the knots) or
    an ``assert`` was not built while lowering (its raise counted as an effect building it
    twice would repeat): the object was a run-time value and ``Gauss(...).logpdf(x)``
    refused ("cannot differentiate through `Gauss(...)`"). The checks still raise when they
    fail."""
    p = np.array([0.3, -0.2, 0.8])
    np.testing.assert_allclose(srcad.grad(gauss_logpdf)(p.copy()), _fd(gauss_logpdf, p), 1e-6)
    check_grads(gauss_logpdf, (p.copy(),), modes=("fwd", "rev"), order=2)
    with pytest.raises(ValueError, match="sigma must be positive"):
        srcad.grad(gauss_logpdf)(np.array([0.3, -0.2, -0.8]))
    with pytest.raises(ValueError, match="sigma must be positive"):
        srcad.jvp(gauss_logpdf, (np.array([0.3, -0.2, -0.8]),), (p,))


# -- a helper that guards its arguments with ``if ...: raise`` and returns an object -----------
class Vec2:
    def __init__(self, x, y):
        self.x = x
        self.y = y

    def mag(self):
        return np.sqrt(self.x**2 + self.y**2)

    def blend(self, o, l1, l2):
        return Vec2(self.x * l1 + o.x * l2, self.y * l1 + o.y * l2)


def checked_blend(a, b, u):
    if u < 0 or u > 1:
        raise ValueError("u outside [0, 1]")
    return a.blend(b, 1 - u, u)


def blended_length(p, u):
    return checked_blend(Vec2(p[0], p[1]), Vec2(p[2], p[3]), u).mag()


def test_guard_raise_does_not_hide_the_returned_class():
    """A helper's ``if bad: raise ValueError`` joined the raising branch's None with the object
    the other branch returns, so the class of the result was unknown and ``.mag()`` refused
    ("no derivative rule for `.mag()`"): a branch that always raises yields nothing."""
    p = np.array([0.1, 0.2, 0.5, 0.9])
    want = _fd(lambda q: blended_length(q, 0.3), p)
    np.testing.assert_allclose(srcad.grad(blended_length)(p, 0.3), want, rtol=1e-6)
    check_grads(blended_length, (p, 0.3), modes=("fwd", "rev"), order=2)
    with pytest.raises(ValueError, match="outside"):
        srcad.grad(blended_length)(p, 1.5)
