"""Ported cases (session 29, corp29), written anew as user code after Michael Nielsen's "Neural
Networks and Deep Learning" (mnielsen/neural-networks-and-deep-learning, src/network.py and
src/network2.py): a ``Network`` class holding ``sizes``, ``biases`` and ``weights`` lists built
by list comprehensions over ``zip(sizes[:-1], sizes[1:])``, ``feedforward`` looping over
``zip(self.biases, self.weights)``, the hand-written ``backprop`` (activations list,
``zs`` list, the output error through ``cost_derivative`` or a cost class's ``delta``, then a
loop ``for l in range(2, self.num_layers)`` reading ``weights[-l + 1]`` and writing
``nabla_w[-l]``), ``update_mini_batch`` averaging the nablas over a mini-batch and stepping
``self.weights = [w - (eta / len(mini_batch)) * nw for ...]`` (network2 with the L2 factor
``1 - eta * (lmbda / n)``), and the cost classes ``QuadraticCost`` / ``CrossEntropyCost``
with ``@staticmethod`` ``fn`` and ``delta`` (cross entropy through ``np.nan_to_num``).

Float weights / inputs -> float scalar losses: the total cost in the weights, and a loss of
the weights after a few SGD steps (backprop run as ordinary code) in the initial weights."""

from __future__ import annotations

import numpy as np

from . import Case

R = np.random.default_rng(29001)
SIZES = [3, 4, 2]
XS = [np.round(R.normal(size=(3, 1)), 3) for _ in range(4)]
YS = [np.eye(2)[:, [k]] for k in (0, 1, 1, 0)]
DATA = list(zip(XS, YS))


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def sigmoid_prime(z):
    return sigmoid(z) * (1 - sigmoid(z))


class QuadraticCost:
    @staticmethod
    def fn(a, y):
        return 0.5 * np.linalg.norm(a - y) ** 2

    @staticmethod
    def delta(z, a, y):
        return (a - y) * sigmoid_prime(z)


class CrossEntropyCost:
    @staticmethod
    def fn(a, y):
        return np.sum(np.nan_to_num(-y * np.log(a) - (1 - y) * np.log(1 - a)))

    @staticmethod
    def delta(z, a, y):
        return a - y


class Network:
    def __init__(self, sizes, biases, weights, cost=CrossEntropyCost):
        self.num_layers = len(sizes)
        self.sizes = sizes
        self.biases = biases
        self.weights = weights
        self.cost = cost

    def feedforward(self, a):
        for b, w in zip(self.biases, self.weights):
            a = sigmoid(np.dot(w, a) + b)
        return a

    def backprop(self, x, y):
        nabla_b = [np.zeros(b.shape) for b in self.biases]
        nabla_w = [np.zeros(w.shape) for w in self.weights]
        activation = x
        activations = [x]
        zs = []
        for b, w in zip(self.biases, self.weights):
            z = np.dot(w, activation) + b
            zs.append(z)
            activation = sigmoid(z)
            activations.append(activation)
        delta = (self.cost).delta(zs[-1], activations[-1], y)
        nabla_b[-1] = delta
        nabla_w[-1] = np.dot(delta, activations[-2].transpose())
        for l in range(2, self.num_layers):  # noqa: E741
            z = zs[-l]
            sp = sigmoid_prime(z)
            delta = np.dot(self.weights[-l + 1].transpose(), delta) * sp
            nabla_b[-l] = delta
            nabla_w[-l] = np.dot(delta, activations[-l - 1].transpose())
        return (nabla_b, nabla_w)

    def update_mini_batch(self, mini_batch, eta, lmbda, n):
        nabla_b = [np.zeros(b.shape) for b in self.biases]
        nabla_w = [np.zeros(w.shape) for w in self.weights]
        for x, y in mini_batch:
            delta_nabla_b, delta_nabla_w = self.backprop(x, y)
            nabla_b = [nb + dnb for nb, dnb in zip(nabla_b, delta_nabla_b)]
            nabla_w = [nw + dnw for nw, dnw in zip(nabla_w, delta_nabla_w)]
        self.weights = [
            (1 - eta * (lmbda / n)) * w - (eta / len(mini_batch)) * nw
            for w, nw in zip(self.weights, nabla_w)
        ]
        self.biases = [b - (eta / len(mini_batch)) * nb for b, nb in zip(self.biases, nabla_b)]

    def total_cost(self, data, lmbda):
        cost = 0.0
        for x, y in data:
            a = self.feedforward(x)
            cost += self.cost.fn(a, y) / len(data)
        cost += 0.5 * (lmbda / len(data)) * sum(np.linalg.norm(w) ** 2 for w in self.weights)
        return cost


def cross_entropy_total_cost(w1, w2, b1):
    net = Network(SIZES, [b1, np.zeros((2, 1))], [w1, w2])
    return net.total_cost(DATA, 0.1)


def quadratic_total_cost(w1, w2):
    net = Network(SIZES, [np.zeros((4, 1)), np.zeros((2, 1))], [w1, w2], cost=QuadraticCost)
    return net.total_cost(DATA, 0.0)


def network1_cost_derivative(output_activations, y):
    return output_activations - y


def network1_loss(w1, w2, x):
    # network.py's evaluate-style loss: the feedforward output against the target
    biases = [np.full((4, 1), 0.1), np.full((2, 1), -0.1)]
    net = Network(SIZES, biases, [w1, w2], cost=QuadraticCost)
    a = net.feedforward(x)
    err = network1_cost_derivative(a, YS[1])
    return float(np.sum(err**2))


def sgd_trained_loss(w1, w2):
    # network2's SGD for two epochs over two mini-batches, then the cross-entropy cost
    net = Network(SIZES, [np.zeros((4, 1)), np.zeros((2, 1))], [w1, w2])
    mini_batch_size = 2
    n = len(DATA)
    for _epoch in range(2):
        mini_batches = [DATA[k : k + mini_batch_size] for k in range(0, n, mini_batch_size)]
        for mini_batch in mini_batches:
            net.update_mini_batch(mini_batch, 0.5, 0.1, n)
    return net.total_cost(DATA, 0.0)


def sgd_trained_weights(w1, w2):
    # the trained weights themselves (an array output) after one SGD pass with the quadratic cost
    net = Network(SIZES, [np.zeros((4, 1)), np.zeros((2, 1))], [w1, w2], cost=QuadraticCost)
    for mini_batch in [DATA[:2], DATA[2:]]:
        net.update_mini_batch(mini_batch, 3.0, 0.0, len(DATA))
    return net.weights[0] * 1.0


def backprop_gradient_norm(w1, w2):
    # the squared norm of backprop's hand-written gradient, differentiated again
    net = Network(SIZES, [np.zeros((4, 1)), np.zeros((2, 1))], [w1, w2], cost=QuadraticCost)
    nabla_b, nabla_w = net.backprop(XS[0], YS[0])
    return sum(np.sum(nw**2) for nw in nabla_w) + sum(np.sum(nb**2) for nb in nabla_b)


W1 = np.round(R.normal(size=(4, 3)) * 0.7, 3)
W2 = np.round(R.normal(size=(2, 4)) * 0.7, 3)
B1 = np.round(R.normal(size=(4, 1)) * 0.3, 3)

CASES = [
    Case(cross_entropy_total_cost, (W1, W2, B1), (0, 1, 2), extra="hvp"),
    Case(quadratic_total_cost, (W1, W2), (0, 1), extra="hvp"),
    Case(network1_loss, (W1, W2, XS[2]), (0, 1, 2), extra="hvp"),
    Case(sgd_trained_loss, (W1, W2), (0, 1)),
    Case(sgd_trained_weights, (W1, W2), (0, 1)),
    Case(backprop_gradient_norm, (W1, W2), (0, 1), extra="hvp"),
]
