"""Ported cases (session 29, corp29), written anew as user code after Andrej Karpathy's micrograd
(karpathy/micrograd, micrograd/engine.py and micrograd/nn.py): a scalar ``Value`` class with
``data``, ``grad``, ``_prev`` (a set of children), ``_op`` and a ``_backward`` closure,
operator overloading (``__add__``/``__mul__`` wrapping plain numbers with ``isinstance(other,
Value)``, ``__pow__`` of an int or float exponent, ``relu``, ``tanh`` through ``math.exp``,
``__neg__``, ``__sub__``, ``__truediv__`` and the reflected ``__radd__``/``__rmul__``/
``__rsub__``/``__rtruediv__``), and the ``nn`` module's ``Neuron`` (``sum((wi * xi for wi, xi
in zip(self.w, x)), self.b)``), ``Layer`` (returning ``out[0]`` for one output), ``MLP``
chaining layers, ``parameters()`` lists, and ``zero_grad``. The weights are fixed numbers in the
classes; the inputs are differentiated through the ``.data`` of the forward pass, and through
micrograd's own hand-written ``backward()`` (a topological sort and closures' ``+=``).

Float inputs -> float scalars."""

from __future__ import annotations

import math

from . import Case, refused_everywhere


class Value:
    def __init__(self, data, _children=(), _op=""):
        self.data = data
        self.grad = 0
        self._backward = lambda: None
        self._prev = set(_children)
        self._op = _op

    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data + other.data, (self, other), "+")

        def _backward():
            self.grad += out.grad
            other.grad += out.grad

        out._backward = _backward
        return out

    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data * other.data, (self, other), "*")

        def _backward():
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad

        out._backward = _backward
        return out

    def __pow__(self, other):
        assert isinstance(other, (int, float)), "only supporting int/float powers for now"
        out = Value(self.data**other, (self,), f"**{other}")

        def _backward():
            self.grad += (other * self.data ** (other - 1)) * out.grad

        out._backward = _backward
        return out

    def relu(self):
        out = Value(0 if self.data < 0 else self.data, (self,), "ReLU")

        def _backward():
            self.grad += (out.data > 0) * out.grad

        out._backward = _backward
        return out

    def tanh(self):
        x = self.data
        t = (math.exp(2 * x) - 1) / (math.exp(2 * x) + 1)
        out = Value(t, (self,), "tanh")

        def _backward():
            self.grad += (1 - t**2) * out.grad

        out._backward = _backward
        return out

    def backward(self):
        topo = []
        visited = set()

        def build_topo(v):
            if v not in visited:
                visited.add(v)
                for child in v._prev:
                    build_topo(child)
                topo.append(v)

        build_topo(self)
        self.grad = 1
        for v in reversed(topo):
            v._backward()

    def __neg__(self):
        return self * -1

    def __radd__(self, other):
        return self + other

    def __sub__(self, other):
        return self + (-other)

    def __rsub__(self, other):
        return other + (-self)

    def __rmul__(self, other):
        return self * other

    def __truediv__(self, other):
        return self * other**-1

    def __rtruediv__(self, other):
        return other * self**-1


class Module:
    def zero_grad(self):
        for p in self.parameters():
            p.grad = 0

    def parameters(self):
        return []


class Neuron(Module):
    def __init__(self, weights, bias, nonlin=True):
        self.w = [Value(w) for w in weights]
        self.b = Value(bias)
        self.nonlin = nonlin

    def __call__(self, x):
        act = sum((wi * xi for wi, xi in zip(self.w, x)), self.b)
        return act.tanh() if self.nonlin else act

    def parameters(self):
        return self.w + [self.b]


class Layer(Module):
    def __init__(self, weights, biases, **kwargs):
        self.neurons = [Neuron(w, b, **kwargs) for w, b in zip(weights, biases)]

    def __call__(self, x):
        out = [n(x) for n in self.neurons]
        return out[0] if len(out) == 1 else out

    def parameters(self):
        return [p for n in self.neurons for p in n.parameters()]


W1 = [[0.5, -0.3], [0.8, 0.2], [-0.6, 0.9]]
B1 = [0.1, -0.2, 0.05]
W2 = [[0.7, -0.4, 0.3]]
B2 = [0.2]


class MLP(Module):
    def __init__(self):
        self.layers = [Layer(W1, B1), Layer(W2, B2, nonlin=False)]

    def __call__(self, x):
        for layer in self.layers:
            x = layer(x)
        return x

    def parameters(self):
        return [p for layer in self.layers for p in layer.parameters()]


def value_expression(a, b):
    # engine.py's sanity-check expression, read back through `.data`
    x = Value(a)
    y = Value(b)
    c = x + y
    d = x * y + y**3
    c += c + 1
    c += 1 + c + (-x)
    d += d * 2 + (y + x).relu()
    d += 3 * d + (y - x).relu()
    e = c - d
    f = e**2
    g = f / 2.0
    g += 10.0 / f
    return g.data


def mlp_output(x0, x1):
    model = MLP()
    return model([Value(x0), Value(x1)]).data


def mlp_hinge_loss(x0, x1):
    # micrograd's demo loss (SVM max-margin with L2) over two points built from the inputs
    model = MLP()
    xs = [[x0, x1], [x1, -x0]]
    ys = [1.0, -1.0]
    scores = [model([Value(v) for v in x]) for x in xs]
    losses = [(1 + -yi * scorei).relu() for yi, scorei in zip(ys, scores)]
    data_loss = sum(losses) * (1.0 / len(losses))
    alpha = 1e-4
    reg_loss = alpha * sum(p * p for p in model.parameters())
    return (data_loss + reg_loss).data


def backward_input_grad(x0, x1):
    # the gradient micrograd computes for an input by its own backward(), differentiated again
    model = MLP()
    x = [Value(x0), Value(x1)]
    out = model(x)
    model.zero_grad()
    out.backward()
    return x[0].grad * 2.0 + x[1].grad


class Scalar:
    """The same engine as many ports write it for forward use: children kept in a tuple, no
    ``_backward`` closures (so no ``backward()``)."""

    def __init__(self, data, _children=(), _op=""):
        self.data = data
        self._prev = _children
        self._op = _op

    def __add__(self, other):
        other = other if isinstance(other, Scalar) else Scalar(other)
        return Scalar(self.data + other.data, (self, other), "+")

    def __mul__(self, other):
        other = other if isinstance(other, Scalar) else Scalar(other)
        return Scalar(self.data * other.data, (self, other), "*")

    def __pow__(self, other):
        return Scalar(self.data**other, (self,), f"**{other}")

    def tanh(self):
        e = math.exp(2 * self.data)
        return Scalar((e - 1) / (e + 1), (self,), "tanh")

    def relu(self):
        return Scalar(0 if self.data < 0 else self.data, (self,), "ReLU")

    def __neg__(self):
        return self * -1

    def __radd__(self, other):
        return self + other

    def __sub__(self, other):
        return self + (-other)

    def __rmul__(self, other):
        return self * other

    def __truediv__(self, other):
        return self * other**-1


class ScalarNeuron:
    def __init__(self, w, b, nonlin=True):
        self.w = w  # (Scalars made by the caller: see the report of corp29)
        self.b = b
        self.nonlin = nonlin

    def __call__(self, x):
        act = sum((wi * xi for wi, xi in zip(self.w, x)), self.b)
        return act.tanh() if self.nonlin else act


def scalar_neuron_layer(x0, x1):
    x = [Scalar(x0), Scalar(x1)]
    hidden = [
        ScalarNeuron([Scalar(0.5), Scalar(-0.3)], Scalar(0.1)),
        ScalarNeuron([Scalar(0.8), Scalar(0.2)], Scalar(-0.2)),
    ]
    outs = [n(x) for n in hidden]
    y = ScalarNeuron([Scalar(0.7), Scalar(-0.4)], Scalar(0.2), nonlin=False)(outs)
    loss = (1 + -1.0 * y).relu() + y**2 / 4.0
    return loss.data


_PARAMETERS = (
    "micrograd's `Layer.parameters()`: `[p for n in self.neurons for p in n.parameters()]`, a "
    "comprehension of two `for` clauses over objects, is a run-time list of `Value`s (whose "
    "`_backward` closures were stored): srcad does not rebuild such objects"
)
_BACKWARD = (
    "micrograd's backward(): a topological sort over sets of Value objects calling each "
    "one's stored `_backward` closure (lower/unfollowed.py: fields srcad does not follow)"
)

CASES = [
    Case(value_expression, (-4.0, 2.0), (0, 1), extra="hvp"),
    Case(mlp_output, (0.6, -1.1), (0, 1), extra="hvp"),
    Case(mlp_hinge_loss, (0.6, -1.1), (0, 1), xfail=refused_everywhere(_PARAMETERS)),
    Case(backward_input_grad, (0.6, -1.1), (0, 1), xfail=refused_everywhere(_BACKWARD)),
    Case(scalar_neuron_layer, (0.6, -1.1), (0, 1)),
]
