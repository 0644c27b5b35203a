"""Neighbours of the layer lists refuse19 accepts (tests/corpus/users_refuse19.py): a list of
objects is known when lowering only while every change Python makes to it is one srcad sees.
Must stay refused:

- an append in a branch (the list differs per path), in a loop over a run-time sequence (a
  method called after ``__init__``, ``net.add(layer)``, is taken since hunt47b: right);
- ``self.layers`` held by another name or object before the append (``self.alias =
  self.layers``, ``Helper(self.layers)``): the other holder would not see the layers.

Must stay right (or refused): a display of calls that are not objects (``[np.sin(x),
np.cos(x)]``: lowered again as a run-time list, nothing evaluated twice), an ``__init__``
appending numbers, a constructor with an effect (a global counter), run once per element."""

from __future__ import annotations

import numpy as np
import pytest

import srcad

X = np.array([0.5, -1.2, 0.8])


def _fd(f, x, eps=1e-6):
    return np.array([(f(x + eps * e) - f(x - eps * e)) / (2 * eps) for e in np.eye(len(x))])


def _right_or_refused(f, x=X):
    try:
        g = srcad.grad(f)(x)
    except srcad.SrcadError:
        return "refused"
    np.testing.assert_allclose(g, _fd(f, x), rtol=1e-5, atol=1e-7)
    return "right"


class Sine:
    def __init__(self, a):
        self.a = a

    def __call__(self, x):
        return np.sin(self.a * x)


def appended_in_branch(x):
    ls = []
    if x[0] > 0:
        ls.append(Sine(2.0))
    ls.append(Sine(3.0))
    for s in ls:
        x = s(x)
    return np.sum(x)


def appended_over_runtime(x, ws):
    ls = []
    for w in ws:
        ls.append(Sine(w))
    for s in ls:
        x = s(x)
    return np.sum(x)


class AddNet:
    def __init__(self):
        self.layers = []

    def add(self, layer):
        self.layers.append(layer)

    def __call__(self, x):
        for layer in self.layers:
            x = layer(x)
        return np.sum(x)


def added_by_method(x):
    n = AddNet()
    n.add(Sine(1.0))
    n.add(Sine(2.0))
    return n(x)


class Aliased:
    def __init__(self):
        self.layers = []
        self.alias = self.layers
        self.layers.append(Sine(2.0))

    def __call__(self, x):
        for layer in self.alias:
            x = layer(x)
        return np.sum(x)


def aliased_field(x):
    return Aliased()(x)


class Holder:
    def __init__(self, items):
        self.items = items


class Shared:
    def __init__(self):
        self.layers = []
        self.holder = Holder(self.layers)
        self.layers.append(Sine(2.0))

    def __call__(self, x):
        for layer in self.holder.items:
            x = layer(x)
        return np.sum(x) + len(self.holder.items)


def shared_with_holder(x):
    return Shared()(x)


class GrownLater:
    def __init__(self):
        self.layers = []
        self.layers.append(Sine(2.0))

    def __call__(self, x):
        for layer in self.layers:
            x = layer(x)
        return np.sum(x)


def grown_after_init(x):
    n = GrownLater()
    n.layers.append(Sine(0.5))
    return n(x)


def test_appends_srcad_cannot_follow_stay_refused():
    for f in (appended_in_branch, aliased_field):
        with pytest.raises(srcad.SrcadError):
            srcad.grad(f)(X)
    # (taken since hunt47b, ad/receivers.py: its layers' class known from `[]` + appends)
    assert _right_or_refused(added_by_method) == "right"
    assert _right_or_refused(added_by_method, -X) == "right"


def test_appends_over_a_run_time_list_checked():
    # (refused until lower/mappedseq.py: the loop is folded into a comprehension the loop over
    # `ls` builds again, item by item)
    ws = [0.5, 1.5]
    g = srcad.grad(appended_over_runtime)(X, ws)
    np.testing.assert_allclose(
        g, _fd(lambda x: appended_over_runtime(x, ws), X), rtol=1e-5, atol=1e-7
    )


def test_shared_list_right_or_refused():
    assert _right_or_refused(shared_with_holder) in ("right", "refused")
    assert _right_or_refused(grown_after_init) in ("right", "refused")


def values_display(x):
    s = 0.0
    for v in [np.sin(x), np.cos(x) * 2.0, x**2]:
        s = s + np.sum(v * v)
    return s


class History:
    def __init__(self, w):
        self.w = w
        self.hist = []
        self.hist.append(0.5)
        self.hist.append(w * 2.0)

    def __call__(self, x):
        return np.sum(np.sin(self.w * x)) * self.hist[1] + self.hist[0]


def init_appends_numbers(x):
    return History(x[0])(x)


COUNT = [0]


class Counted:
    def __init__(self, a):
        COUNT[0] += 1
        self.a = a

    def __call__(self, x):
        return np.sin(self.a * x)


def counted_display(x):
    for layer in [Counted(0.5), Counted(1.5)]:
        x = layer(x)
    return np.sum(x)


def test_displays_and_numbers_right():
    assert _right_or_refused(values_display) == "right"
    assert _right_or_refused(init_appends_numbers) in ("right", "refused")


def test_constructor_effects_run_once_per_element():
    try:
        g = srcad.grad(counted_display)
    except srcad.SrcadError:
        return
    COUNT[0] = 0
    try:
        out = g(X)
    except srcad.SrcadError:
        return
    assert COUNT[0] == 2
    np.testing.assert_allclose(out, _fd(counted_display, X), rtol=1e-5, atol=1e-7)


def method_var_correction(x):
    return x.var(correction=1)  # np.var takes correction=, the method does not (TypeError)


def test_method_var_correction_stays_refused():
    with pytest.raises(TypeError):
        method_var_correction(X)
    with pytest.raises(srcad.SrcadError):
        srcad.grad(method_var_correction)(X)


def late_bound_two_level(x):
    c = 1.0

    def mk(a):
        def mid(b):
            def inner(z):
                return z * a * b * c

            return inner

        return mid

    g = mk(2.0)(3.0)
    c = 5.0  # Python's inner reads this c when it runs
    return np.sum(g(x))


def _counter(a):
    total = 0.0

    def mid(b):
        def inner(z):
            nonlocal total
            total = total + b
            return np.sum(z * a) + total

        return inner

    return mid


def stateful_two_level(x):
    g = _counter(2.0)(3.0)
    return g(x) + g(x)


def test_two_level_factories_right_or_refused():
    assert _right_or_refused(late_bound_two_level) in ("right", "refused")
    assert _right_or_refused(stateful_two_level) in ("right", "refused")


class Model:
    def __init__(self, w):
        self.w = w

    def loss(self, x):
        return np.sum(np.tanh(self.w * x) ** 2)

    def grad_norm(self, x):
        return np.sum(srcad.grad(self.loss)(x) ** 2)


def grad_of_method(x):
    return Model(1.5).grad_norm(x)


def hvp_of_method(x):
    m = Model(1.5)
    return np.sum(srcad.hvp(m.loss, x, x))


def test_derivative_of_a_method_inside_is_refused_by_name():
    for f in (grad_of_method, hvp_of_method):
        with pytest.raises(srcad.SrcadError, match=r"of the method `\.loss` of an object"):
            srcad.grad(f)(X)
