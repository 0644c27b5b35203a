"""Ported cases (session 33, corp33), written anew as user code after O'Reilly's "Deep Learning from
Scratch" (common/functions.py, layers.py, util.im2col, multi_layer_net: softmax over the transposed
batch, cross-entropy for labels or one-hot rows, Affine/Relu/SoftmaxWithLoss layers on a 4-D input,
a convolution by im2col with max pooling, a batch norm whose forward calls a private method, a dict
of layers, optimizers stepping a dict of parameters over its keys), "Neural Networks from Scratch"
(dense layers with L1/L2 regularisers, the softmax-cross-entropy pair, a hand-written backward pass
and one SGD step), scikit-learn's MLP (_base.py activations and losses, the forward pass over a list
of activations, the L2 term) and scipy.stats log-densities as users write them (t, gamma, beta, von
Mises, skew-normal with loc and scale).

Float parameters -> float scalars."""

from __future__ import annotations

import numpy as np
from scipy import special as sc

from . import Case

R = np.random.default_rng(33001)
X = R.standard_normal((4, 3))
X4 = R.standard_normal((3, 2, 2, 2))
IMG = R.standard_normal((2, 2, 5, 5))
T1 = np.eye(5)[[0, 3, 2, 4]]
T2 = np.array([1, 0, 4, 2])
D = np.array([0.3, 1.7, 0.9, 2.4, 0.2])
A = np.array([0.1, 0.5, 0.85, 0.33])
ANG = np.array([0.3, -2.0, 2.9, 1.1])


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def softmax(x):
    if x.ndim == 2:
        x = x.T
        x = x - np.max(x, axis=0)
        y = np.exp(x) / np.sum(np.exp(x), axis=0)
        return y.T
    x = x - np.max(x)
    return np.exp(x) / np.sum(np.exp(x))


def cross_entropy_error(y, t):
    if y.ndim == 1:
        t = t.reshape(1, t.size)
        y = y.reshape(1, y.size)
    if t.size == y.size:
        t = t.argmax(axis=1)
    batch_size = y.shape[0]
    return -np.sum(np.log(y[np.arange(batch_size), t] + 1e-7)) / batch_size


def two_layer_onehot(p):
    a1 = np.dot(X, p[:15].reshape(3, 5)) + p[15:20]
    return cross_entropy_error(softmax(sigmoid(a1)), T1)


def two_layer_labels(p):
    a1 = np.dot(X, p[:15].reshape(3, 5)) + p[15:20]
    return cross_entropy_error(softmax(sigmoid(a1)), T2)


def single_sample(p):
    return cross_entropy_error(softmax(p), np.array([0.0, 0.0, 1.0, 0.0]))


class Affine:
    def __init__(self, W, b):
        self.W = W
        self.b = b
        self.x = None
        self.original_x_shape = None

    def forward(self, x):
        self.original_x_shape = x.shape
        x = x.reshape(x.shape[0], -1)
        self.x = x
        return np.dot(self.x, self.W) + self.b


class Relu:
    def __init__(self):
        self.mask = None

    def forward(self, x):
        self.mask = x <= 0
        out = x.copy()
        out[self.mask] = 0
        return out


class SoftmaxWithLoss:
    def forward(self, x, t):
        self.t = t
        self.y = softmax(x)
        self.loss = cross_entropy_error(self.y, self.t)
        return self.loss


def layers_4d_input(p):
    layers = [Affine(p[:32].reshape(8, 4), p[32:36]), Relu(), Affine(p[36:48].reshape(4, 3), 0.0)]
    x = X4
    for layer in layers:
        x = layer.forward(x)
    return SoftmaxWithLoss().forward(x, np.array([0, 2, 1]))


def layer_dict(p):
    params = {"W1": p[:32].reshape(8, 4), "b1": p[32:36], "W2": p[36:48].reshape(4, 3)}
    layers = {
        "Affine1": Affine(params["W1"], params["b1"]),
        "Relu1": Relu(),
        "Affine2": Affine(params["W2"], np.zeros(3)),
    }
    x = X4
    for layer in layers.values():
        x = layer.forward(x)
    weight_decay = 0.0
    for idx in (1, 2):
        weight_decay += 0.5 * 0.1 * np.sum(params["W" + str(idx)] ** 2)
    return SoftmaxWithLoss().forward(x, np.array([0, 2, 1])) + weight_decay


class BatchNormalization:
    def __init__(self, gamma, beta, momentum=0.9):
        self.gamma = gamma
        self.beta = beta
        self.momentum = momentum
        self.input_shape = None
        self.running_mean = None
        self.running_var = None

    def forward(self, x, train_flg=True):
        self.input_shape = x.shape
        if x.ndim != 2:
            x = x.reshape(x.shape[0], -1)
        out = self.__forward(x, train_flg)
        return out.reshape(*self.input_shape)

    def __forward(self, x, train_flg):
        if self.running_mean is None:
            self.running_mean = np.zeros(x.shape[1])
            self.running_var = np.zeros(x.shape[1])
        if train_flg:
            mu = x.mean(axis=0)
            xc = x - mu
            var = np.mean(xc**2, axis=0)
            xn = xc / np.sqrt(var + 10e-7)
            self.running_mean = self.momentum * self.running_mean + (1 - self.momentum) * mu
            self.running_var = self.momentum * self.running_var + (1 - self.momentum) * var
        else:
            xn = (x - self.running_mean) / np.sqrt(self.running_var + 10e-7)
        return self.gamma * xn + self.beta


def batchnorm_private(p):
    layer = BatchNormalization(p[:8], p[8:16])
    out = layer.forward(X4 * p[16])
    out2 = layer.forward(X4 * p[17], train_flg=False)
    return np.sum(out**2 * X4) + np.sum(np.sin(out2)) + np.sum(layer.running_var)


def im2col(input_data, filter_h, filter_w, stride=1, pad=0):
    N, C, H, W = input_data.shape
    out_h = (H + 2 * pad - filter_h) // stride + 1
    out_w = (W + 2 * pad - filter_w) // stride + 1
    img = np.pad(input_data, [(0, 0), (0, 0), (pad, pad), (pad, pad)], "constant")
    col = np.zeros((N, C, filter_h, filter_w, out_h, out_w))
    for y in range(filter_h):
        y_max = y + stride * out_h
        for x in range(filter_w):
            x_max = x + stride * out_w
            col[:, :, y, x, :, :] = img[:, :, y:y_max:stride, x:x_max:stride]
    return col.transpose(0, 4, 5, 1, 2, 3).reshape(N * out_h * out_w, -1)


def conv_pool(p):
    W, b = p[:54].reshape(3, 2, 3, 3), p[54:57]
    N, _, H, Wd = IMG.shape
    out_h, out_w = 1 + (H + 2 - 3) // 2, 1 + (Wd + 2 - 3) // 2
    out = np.dot(im2col(IMG, 3, 3, 2, 1), W.reshape(3, -1).T) + b
    out = out.reshape(N, out_h, out_w, -1).transpose(0, 3, 1, 2)
    col = im2col(out, 2, 2, 1, 0).reshape(-1, 4)
    pooled = np.max(col, axis=1).reshape(N, out_h - 1, out_w - 1, 3).transpose(0, 3, 1, 2)
    return np.sum(pooled**2)


class LayerDense:
    def __init__(self, weights, biases, weight_regularizer_l1=0, weight_regularizer_l2=0):
        self.weights = weights
        self.biases = biases
        self.weight_regularizer_l1 = weight_regularizer_l1
        self.weight_regularizer_l2 = weight_regularizer_l2

    def forward(self, inputs):
        self.inputs = inputs
        self.output = np.dot(inputs, self.weights) + self.biases

    def backward(self, dvalues):
        self.dweights = np.dot(self.inputs.T, dvalues)
        self.dbiases = np.sum(dvalues, axis=0, keepdims=True)
        if self.weight_regularizer_l1 > 0:
            dL1 = np.ones_like(self.weights)
            dL1[self.weights < 0] = -1
            self.dweights += self.weight_regularizer_l1 * dL1
        if self.weight_regularizer_l2 > 0:
            self.dweights += 2 * self.weight_regularizer_l2 * self.weights
        self.dinputs = np.dot(dvalues, self.weights.T)


class ActivationReLU:
    def forward(self, inputs):
        self.inputs = inputs
        self.output = np.maximum(0, inputs)

    def backward(self, dvalues):
        self.dinputs = dvalues.copy()
        self.dinputs[self.inputs <= 0] = 0


class SoftmaxCrossEntropy:
    def forward(self, inputs, y_true):
        exp_values = np.exp(inputs - np.max(inputs, axis=1, keepdims=True))
        self.output = exp_values / np.sum(exp_values, axis=1, keepdims=True)
        clipped = np.clip(self.output, 1e-7, 1 - 1e-7)
        if len(y_true.shape) == 1:
            confidences = clipped[range(len(clipped)), y_true]
        else:
            confidences = np.sum(clipped * y_true, axis=1)
        return np.mean(-np.log(confidences))

    def backward(self, dvalues, y_true):
        samples = len(dvalues)
        if len(y_true.shape) == 2:
            y_true = np.argmax(y_true, axis=1)
        self.dinputs = dvalues.copy()
        self.dinputs[range(samples), y_true] -= 1
        self.dinputs = self.dinputs / samples


def regularization_loss(layer):
    loss = 0
    if layer.weight_regularizer_l1 > 0:
        loss += layer.weight_regularizer_l1 * np.sum(np.abs(layer.weights))
    if layer.weight_regularizer_l2 > 0:
        loss += layer.weight_regularizer_l2 * np.sum(layer.weights * layer.weights)
    return loss


YL = np.array([0, 1, 2, 1])


def nnfs_loss(p):
    dense1 = LayerDense(p[:12].reshape(3, 4), p[12:16].reshape(1, 4), weight_regularizer_l2=5e-4)
    act1 = ActivationReLU()
    dense2 = LayerDense(p[16:28].reshape(4, 3), p[28:31].reshape(1, 3), weight_regularizer_l1=1e-3)
    dense1.forward(X)
    act1.forward(dense1.output)
    dense2.forward(act1.output)
    data_loss = SoftmaxCrossEntropy().forward(dense2.output, np.eye(3)[YL])
    return data_loss + regularization_loss(dense1) + regularization_loss(dense2)


def nnfs_sgd_step(p):
    dense1 = LayerDense(p[:12].reshape(3, 4), p[12:16].reshape(1, 4), weight_regularizer_l2=5e-4)
    act1 = ActivationReLU()
    dense2 = LayerDense(p[16:28].reshape(4, 3), p[28:31].reshape(1, 3), weight_regularizer_l1=1e-3)
    loss_act = SoftmaxCrossEntropy()
    dense1.forward(X)
    act1.forward(dense1.output)
    dense2.forward(act1.output)
    loss_act.forward(dense2.output, YL)
    loss_act.backward(loss_act.output, YL)
    dense2.backward(loss_act.dinputs)
    act1.backward(dense2.dinputs)
    dense1.backward(act1.dinputs)
    new = [
        dense1.weights - 0.5 * dense1.dweights,
        dense1.biases - 0.5 * dense1.dbiases,
        dense2.weights - 0.5 * dense2.dweights,
        dense2.biases - 0.5 * dense2.dbiases,
    ]
    return nnfs_loss(np.concatenate([w.ravel() for w in new]))


class SGD:
    def __init__(self, lr=0.01):
        self.lr = lr


class AdaGrad:
    def __init__(self, lr=0.01):
        self.lr = lr
        self.h = None


def net_loss_grads(params):
    z = np.dot(X, params["W1"]) + params["b1"]
    y = softmax(z)
    loss = cross_entropy_error(y, T2[:4] % 3)
    dy = y.copy()
    dy[np.arange(4), T2[:4] % 3] -= 1
    dy = dy / 4
    return loss, {"W1": np.dot(X.T, dy), "b1": np.sum(dy, axis=0)}


def optimizer_steps(p):
    params = {"W1": p[:9].reshape(3, 3).copy(), "b1": p[9:].copy()}
    sgd, ada = SGD(lr=0.5), AdaGrad(lr=0.3)
    ada.h = {key: np.zeros_like(val) for key, val in params.items()}
    for i in range(4):
        _, grads = net_loss_grads(params)
        if i % 2 == 0:
            for key in params.keys():
                params[key] -= sgd.lr * grads[key]
        else:
            for key in params.keys():
                ada.h[key] += grads[key] * grads[key]
                params[key] -= ada.lr * grads[key] / (np.sqrt(ada.h[key]) + 1e-7)
    return net_loss_grads(params)[0]


def skl_logistic(z):
    return sc.expit(z)


def skl_relu(z):
    return np.clip(z, 0, np.finfo(z.dtype).max)


def skl_softmax(z):
    tmp = z - z.max(axis=1)[:, np.newaxis]
    z = np.exp(tmp)
    z /= z.sum(axis=1)[:, np.newaxis]
    return z


def skl_log_loss(y_true, y_prob, sample_weight=None):
    eps = np.finfo(y_prob.dtype).eps
    y_prob = np.clip(y_prob, eps, 1 - eps)
    if y_prob.shape[1] == 1:
        y_prob = np.append(1 - y_prob, y_prob, axis=1)
    if y_true.shape[1] == 1:
        y_true = np.append(1 - y_true, y_true, axis=1)
    return -np.average(sc.xlogy(y_true, y_prob), weights=sample_weight, axis=0).sum()


def skl_binary_log_loss(y_true, y_prob, sample_weight=None):
    eps = np.finfo(y_prob.dtype).eps
    y_prob = np.clip(y_prob, eps, 1 - eps)
    terms = sc.xlogy(y_true, y_prob) + sc.xlogy(1 - y_true, 1 - y_prob)
    return -np.average(terms, weights=sample_weight, axis=0).sum()


ACTIVATIONS = {"tanh": np.tanh, "relu": skl_relu, "logistic": skl_logistic, "softmax": skl_softmax}
YC = np.eye(3)[[0, 1, 2, 1]]
YB = np.array([[1.0], [0.0], [1.0], [0.0]])
SW = np.array([1.0, 2.0, 0.5, 1.5])


def mlp_loss(p, hidden, out, binary, sample_weight):
    k = 1 if binary else 3
    coefs = [p[:12].reshape(3, 4), p[12 : 12 + 4 * k].reshape(4, k)]
    intercepts = [p[12 + 4 * k : 16 + 4 * k], p[16 + 4 * k :]]
    activations = [X.copy(), None, None]
    for i in range(2):
        activations[i + 1] = np.dot(activations[i], coefs[i]) + intercepts[i]
        activations[i + 1] = ACTIVATIONS[hidden if i == 0 else out](activations[i + 1])
    if binary:
        loss = skl_binary_log_loss(YB, activations[-1], sample_weight)
    else:
        loss = skl_log_loss(YC, activations[-1], sample_weight)
    values = 0
    for s in coefs:
        s = s.ravel()
        values += np.dot(s, s)
    return loss + (0.5 * 1e-2) * values / X.shape[0]


def t_logpdf(p):
    df, loc, scale = np.exp(p[0]) + 1, p[1], np.exp(p[2])
    y = (D - loc) / scale
    lp = sc.gammaln((df + 1) / 2) - sc.gammaln(df / 2) - 0.5 * np.log(df * np.pi)
    return np.sum(lp - (df + 1) / 2 * np.log1p(y * y / df) - np.log(scale))


def gamma_logpdf(p):
    a, loc, scale = np.exp(p[0]), p[1], np.exp(p[2])
    x = (D - loc) / scale
    return np.sum(sc.xlogy(a - 1.0, x) - x - sc.gammaln(a) - np.log(scale))


def beta_logpdf(p):
    a, b = np.exp(p[0]), np.exp(p[1])
    lpx = sc.xlog1py(b - 1.0, -A) + sc.xlogy(a - 1.0, A)
    lpx -= sc.betaln(a, b)
    return np.sum(lpx)


def vonmises_logpdf(p):
    kappa, loc = np.exp(p[0]), p[1]
    return np.sum(kappa * np.cos(ANG - loc) - np.log(2 * np.pi * sc.i0e(kappa)) - kappa)


def skewnorm_logpdf(p):
    a, loc, scale = p[0], p[1], np.exp(p[2])
    x = (D - loc) / scale
    norm_logpdf = -(x**2) / 2 - np.log(np.sqrt(2 * np.pi))
    return np.sum(np.log(2) + norm_logpdf + sc.log_ndtr(a * x) - np.log(scale))


def _mlp_case(hidden, out, binary, sw):
    def f(p):
        return mlp_loss(p, hidden, out, binary, sw)

    f.__name__ = f"mlp_{hidden}_{out}{'_weighted' if sw is not None else ''}"
    n = 16 + 5 * (1 if binary else 3)
    return Case(f, (R.standard_normal(n) * 0.7,), (0,))


CASES = [
    Case(two_layer_onehot, (R.standard_normal(20),), (0,)),
    Case(two_layer_labels, (R.standard_normal(20),), (0,)),
    Case(single_sample, (R.standard_normal(4),), (0,)),
    Case(layers_4d_input, (R.standard_normal(48),), (0,)),
    Case(layer_dict, (R.standard_normal(48),), (0,)),
    Case(batchnorm_private, (R.standard_normal(18) + 1.0,), (0,)),
    Case(conv_pool, (R.standard_normal(57),), (0,)),
    Case(optimizer_steps, (R.standard_normal(12) * 0.5,), (0,)),
    Case(nnfs_loss, (R.standard_normal(31) * 0.6,), (0,)),
    Case(nnfs_sgd_step, (R.standard_normal(31) * 0.6,), (0,)),
    _mlp_case("tanh", "softmax", False, None),
    _mlp_case("logistic", "logistic", True, SW),
    _mlp_case("relu", "softmax", False, SW),
    Case(t_logpdf, (np.array([0.4, 0.8, -0.2]),), (0,)),
    Case(gamma_logpdf, (np.array([0.4, -0.5, 0.1]),), (0,)),
    Case(beta_logpdf, (np.array([0.4, -0.3]),), (0,)),
    Case(vonmises_logpdf, (np.array([0.2, 0.4]),), (0,)),
    Case(skewnorm_logpdf, (np.array([1.5, 0.8, 0.1]),), (0,)),
]
