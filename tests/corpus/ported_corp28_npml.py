"""Ported cases (session 28, corp28), written anew as user code after numpy-ml (ddbourgin/numpy-ml,
numpy_ml/neural_nets/{activations,losses,layers,utils}, numpy_ml/linear_models, numpy_ml/gmm,
numpy_ml/hmm): the activation classes behind an ``ActivationBase.__call__`` that reshapes 1-D
inputs to rows (Sigmoid, LeakyReLU through a boolean-mask in-place write, GELU in both forms, the
exact one through ``math.erf`` element by element, ELU, SELU as a scaled ELU, SoftPlus,
HardSigmoid, Exponential, Affine), the losses (SquaredError as ``0.5 * norm(y_pred - y) ** 2``,
CrossEntropy with ``eps``, VAELoss's Bernoulli reconstruction and Gaussian KL, WGAN-GP's critic
loss with the gradient penalty given the interpolates' gradients), the layers' forward passes
(FullyConnected with an activation object, Conv1D through ``im2col`` index arrays, BatchNorm1D in
train mode, LayerNorm1D, RNNCell and LSTMCell steps over ``X[:, :, t]``, DotProductAttention with
a scale and ``softmax``, Embedding lookups), the linear models' objectives (ridge regression's
penalised sum of squares, LogisticRegression's ``_NLL`` with an l2 penalty, Bayesian linear
regression's log evidence with a known noise variance) and the GMM's variational lower bound and
the HMM's forward log-likelihood through ``logsumexp``.

Float weights / inputs -> float scalar losses (checked at second order with ``extra="hvp"``)."""

from __future__ import annotations

from math import erf

import numpy as np

from . import Case, refused_everywhere

R = np.random.default_rng(28002)
X64 = np.round(R.normal(size=(6, 4)), 3)
Y6 = np.round(R.normal(size=6), 3)
YB = np.array([1, 0, 1, 1, 0, 0])


class ActivationBase:
    def __call__(self, z):
        if z.ndim == 1:
            z = z.reshape(1, -1)
        return self.fn(z)


class Sigmoid(ActivationBase):
    def fn(self, z):
        return 1 / (1 + np.exp(-z))


class LeakyReLU(ActivationBase):
    def __init__(self, alpha=0.3):
        self.alpha = alpha

    def fn(self, z):
        _z = z.copy()
        _z[z < 0] = _z[z < 0] * self.alpha
        return _z


class GELU(ActivationBase):
    def __init__(self, approximate=True):
        self.approximate = approximate

    def fn(self, z):
        pi, sqrt, tanh = np.pi, np.sqrt, np.tanh
        if self.approximate:
            return 0.5 * z * (1 + tanh(sqrt(2 / pi) * (z + 0.044715 * z**3)))
        out = np.zeros_like(z)
        for i in range(z.shape[0]):
            for j in range(z.shape[1]):
                out[i, j] = 0.5 * z[i, j] * (1 + erf(z[i, j] / sqrt(2)))
        return out


class ELU(ActivationBase):
    def __init__(self, alpha=1.0):
        self.alpha = alpha

    def fn(self, z):
        return np.where(z > 0, z, self.alpha * (np.exp(z) - 1))


class SELU(ActivationBase):
    def __init__(self):
        self.alpha = 1.6732632423543772848170429916717
        self.scale = 1.0507009873554804934193349852946
        self.elu = ELU(alpha=self.alpha)

    def fn(self, z):
        return self.scale * self.elu.fn(z)


class SoftPlus(ActivationBase):
    def fn(self, z):
        return np.log(np.exp(z) + 1)


class HardSigmoid(ActivationBase):
    def fn(self, z):
        return np.clip((0.2 * z) + 0.5, 0.0, 1.0)


class Exponential(ActivationBase):
    def fn(self, z):
        return np.exp(z)


class Affine(ActivationBase):
    def __init__(self, slope=1, intercept=0):
        self.slope, self.intercept = slope, intercept

    def fn(self, z):
        return self.slope * z + self.intercept


def activations_sum(z):
    """numpy_ml/neural_nets/activations/activations.py: every activation object on one input."""
    acts = [Sigmoid(), LeakyReLU(0.2), GELU(), ELU(0.7), SELU(), SoftPlus(), Exponential()]
    acts.append(Affine(slope=0.5, intercept=0.1))
    total = 0.0
    for k, act in enumerate(acts):
        total = total + (k + 1) * np.sum(act(z) ** 2)
    return total


def gelu_exact(z):
    """GELU(approximate=False) via ``math.erf`` per element (numpy-ml calls it on the array)."""
    return np.sum(GELU(approximate=False)(z) * np.arange(1, z.size + 1).reshape(z.shape))


def hard_sigmoid_loss(z):
    return np.sum(HardSigmoid()(z) ** 2)


class SquaredError:
    def __call__(self, y, y_pred):
        return self.loss(y, y_pred)

    @staticmethod
    def loss(y, y_pred):
        return 0.5 * np.linalg.norm(y_pred - y) ** 2


class CrossEntropy:
    def __call__(self, y, y_pred):
        return self.loss(y, y_pred)

    @staticmethod
    def loss(y, y_pred):
        eps = np.finfo(float).eps
        return -np.sum(y * np.log(y_pred + eps))


def softmax(x, axis=-1):
    e_X = np.exp(x - np.max(x, axis=axis, keepdims=True))
    return e_X / e_X.sum(axis=axis, keepdims=True)


class FullyConnected:
    def __init__(self, W, b, act_fn):
        self.parameters = {"W": W, "b": b}
        self.act_fn = act_fn

    def forward(self, X):
        W, b = self.parameters["W"], self.parameters["b"]
        Z = X @ W + b
        return self.act_fn(Z)


def mlp_squared_error(W1, b1, W2):
    """numpy_ml FullyConnected layers (ReLU-free: Tanh-like ELU, then Affine) + SquaredError."""
    l1 = FullyConnected(W1, b1, ELU(alpha=1.0))
    l2 = FullyConnected(W2, np.zeros(1), Affine())
    y_pred = l2.forward(l1.forward(X64))[:, 0]
    return SquaredError()(Y6, y_pred)


def softmax_cross_entropy(W):
    y = np.eye(3)[[0, 2, 1, 1, 0, 2]]
    return CrossEntropy()(y, softmax(X64 @ W))


class VAELoss:
    def __call__(self, y, y_pred, t_mean, t_log_var):
        return self.loss(y, y_pred, t_mean, t_log_var)

    @staticmethod
    def loss(y, y_pred, t_mean, t_log_var):
        eps = np.finfo(float).eps
        y_pred = np.clip(y_pred, eps, 1 - eps)
        rec_loss = -np.sum(y * np.log(y_pred) + (1 - y) * np.log(1 - y_pred), axis=1)
        kl_loss = -0.5 * np.sum(1 + t_log_var - t_mean**2 - np.exp(t_log_var), axis=1)
        loss = np.mean(kl_loss + rec_loss)
        return loss


def vae_loss(W_enc, W_dec):
    """numpy_ml/neural_nets/losses VAELoss on a tiny encoder / decoder with fixed noise."""
    y = (X64 > 0).astype(float)
    h = X64 @ W_enc
    t_mean, t_log_var = h[:, :2], h[:, 2:]
    z = t_mean + np.exp(0.5 * t_log_var) * np.linspace(-1, 1, 12).reshape(6, 2)
    y_pred = Sigmoid()(z @ W_dec)
    return VAELoss()(y, y_pred, t_mean, t_log_var)


def wgan_gp_loss(W, lambda_=10.0):
    """numpy_ml WGAN_GPLoss: mean(Y_fake) - mean(Y_real) + lambda * mean((||grad|| - 1)**2); a
    linear critic's gradient at the interpolates is W itself, tiled per row."""
    Y_real = X64 @ W
    X_fake = np.tanh(X64[::-1] * 0.8)
    Y_fake = X_fake @ W
    gradInterp = np.tile(W, (X64.shape[0], 1)) * np.linspace(0.8, 1.2, 6)[:, None]
    norm = np.linalg.norm(gradInterp, axis=1)
    d_loss = np.mean(Y_fake) - np.mean(Y_real) + lambda_ * np.mean((norm - 1) ** 2)
    return d_loss


def im2col_indices(X_shape, fr, fc, s):
    n_ex, n_in, in_rows, in_cols = X_shape
    out_rows = (in_rows - fr) // s + 1
    out_cols = (in_cols - fc) // s + 1
    i0 = np.repeat(np.arange(fr), fc)
    i0 = np.tile(i0, n_in)
    i1 = s * np.repeat(np.arange(out_rows), out_cols)
    j0 = np.tile(np.arange(fc), fr * n_in)
    j1 = s * np.tile(np.arange(out_cols), out_rows)
    i = i0.reshape(-1, 1) + i1.reshape(1, -1)
    j = j0.reshape(-1, 1) + j1.reshape(1, -1)
    k = np.repeat(np.arange(n_in), fr * fc).reshape(-1, 1)
    return k, i, j, out_rows, out_cols


def conv1d_im2col(X, W, b):
    """numpy_ml/neural_nets/utils conv1D: a 1-D signal as a height-1 image, ``im2col`` by fancy
    indexing, the filters as a matrix product, reshaped back to (n_ex, l_out, out_ch)."""
    n_ex, l_in, in_ch = X.shape
    fw, _, out_ch = W.shape
    X2 = np.expand_dims(X, axis=1).transpose(0, 3, 1, 2)  # (n_ex, in_ch, 1, l_in)
    k, i, j, out_rows, out_cols = im2col_indices(X2.shape, 1, fw, 1)
    cols = X2[:, k, i, j]  # (n_ex, in_ch * fw, out_rows * out_cols)
    cols = cols.transpose(1, 2, 0).reshape(fw * in_ch, -1)
    W_col = W.transpose(2, 1, 0).reshape(out_ch, -1)
    Z = (W_col @ cols).reshape(out_ch, out_rows * out_cols, n_ex).transpose(2, 1, 0)
    return Z + b


def conv1d_loss(X, W):
    Z = conv1d_im2col(X, W, np.array([0.1, -0.1]))
    return np.sum(np.tanh(Z) ** 2)


class BatchNorm1D:
    def __init__(self, n_in, momentum=0.9, epsilon=1e-5):
        self.momentum, self.epsilon = momentum, epsilon
        self.parameters = {
            "scaler": np.ones(n_in),
            "intercept": np.zeros(n_in),
            "running_var": np.ones(n_in),
            "running_mean": np.zeros(n_in),
        }
        self.trainable = True

    def forward(self, X):
        mm, ep = self.momentum, self.epsilon
        rm, rv = self.parameters["running_mean"], self.parameters["running_var"]
        scaler, intercept = self.parameters["scaler"], self.parameters["intercept"]
        X_mean, X_var = self.parameters["running_mean"], self.parameters["running_var"]
        if self.trainable and X.shape[0] > 1:
            X_mean, X_var = X.mean(axis=0), X.var(axis=0)
            self.parameters["running_mean"] = mm * rm + (1.0 - mm) * X_mean
            self.parameters["running_var"] = mm * rv + (1.0 - mm) * X_var
        N = (X - X_mean) / np.sqrt(X_var + ep)
        return scaler * N + intercept


def batchnorm1d_loss(X, scaler):
    bn = BatchNorm1D(X.shape[1])
    bn.parameters["scaler"] = scaler
    y = bn.forward(X)
    return np.sum(y**3) + np.sum(bn.parameters["running_var"])


def layernorm1d_loss(X, scaler):
    ep = 1e-5
    X_mean, X_var = X.mean(axis=1, keepdims=True), X.var(axis=1, keepdims=True)
    lnorm = (X - X_mean) / np.sqrt(X_var + ep)
    y = scaler * lnorm + 0.1
    return np.sum(y * np.sin(np.arange(y.size)).reshape(y.shape))


class RNNCell:
    def __init__(self, Wax, Waa, ba, bx):
        self.parameters = {"Wax": Wax, "Waa": Waa, "ba": ba, "bx": bx}
        self.derived_variables = {"A": [], "Z": [], "n_timesteps": 0}
        self.act_fn = np.tanh

    def forward(self, Xt):
        p = self.parameters
        As = self.derived_variables["A"]
        if len(As) == 0:
            As.append(np.zeros((Xt.shape[0], p["Waa"].shape[0])))
        Zt = As[-1] @ p["Waa"] + p["ba"] + Xt @ p["Wax"] + p["bx"]
        At = self.act_fn(Zt)
        self.derived_variables["Z"].append(Zt)
        self.derived_variables["A"].append(At)
        self.derived_variables["n_timesteps"] += 1
        return At


def rnn_many_to_one(Wax, Waa):
    """numpy_ml RNN: an RNNCell applied to ``X[:, :, t]`` for each t; the last state's sum."""
    X = X64.reshape(2, 4, 3)
    cell = RNNCell(Wax, Waa, np.zeros(3), np.full(3, 0.05))
    for t in range(X.shape[2]):
        At = cell.forward(X[:, :, t])
    return np.sum(At**2) + cell.derived_variables["n_timesteps"]


def lstm_cell_loss(Wf, Wu, Wo, Wc):
    """numpy_ml LSTMCell.forward: ``C = [A_prev, Xt]`` concatenated, gates by sigmoid, the
    candidate by tanh, then ``Ct = Gf * Ct_prev + Gu * Cc``, ``At = Go * tanh(Ct)``."""
    X = X64.reshape(2, 4, 3)
    n_ex, n_in, T = X.shape
    n_out = Wf.shape[1]
    A, Cs = [np.zeros((n_ex, n_out))], [np.zeros((n_ex, n_out))]
    gate = Sigmoid()
    for t in range(T):
        C = np.hstack([A[-1], X[:, :, t]])
        Gf = gate(C @ Wf)
        Gu = gate(C @ Wu)
        Go = gate(C @ Wo)
        Cc = np.tanh(C @ Wc)
        Ct = Gf * Cs[-1] + Gu * Cc
        A.append(Go * np.tanh(Ct))
        Cs.append(Ct)
    return np.sum(A[-1]) + np.sum(Cs[-1] ** 2)


W41 = np.round(R.normal(size=(4, 1)) * 0.5, 3)

_ALIASED_LIST = (
    "refused: `As = self.derived_variables['A']; As.append(..)` then "
    "`self.derived_variables['A'].append(..)` (a list in a dict field appended to through both "
    "names: srcad treats values as immutable)"
)


CASES = [
    Case(activations_sum, (np.round(R.normal(size=(2, 3)), 3),), (0,), extra="hvp"),
    Case(
        activations_sum,
        (np.round(R.normal(size=5), 3),),
        (0,),
        name="ported_corp28_npml.activations_sum_1d",
    ),
    Case(gelu_exact, (np.round(R.normal(size=(2, 3)), 3),), (0,), extra="hvp"),
    Case(hard_sigmoid_loss, (np.array([0.3, -1.2, 2.0, -0.4]),), (0,), extra="hvp"),
    Case(
        mlp_squared_error,
        (
            np.round(R.normal(size=(4, 3)) * 0.5, 3),
            np.full(3, 0.1),
            np.round(R.normal(size=(3, 1)), 3),
        ),
        (0, 1, 2),
        extra="hvp",
    ),
    Case(softmax_cross_entropy, (np.round(R.normal(size=(4, 3)) * 0.5, 3),), (0,), extra="hvp"),
    Case(
        vae_loss,
        (np.round(R.normal(size=(4, 4)) * 0.3, 3), np.round(R.normal(size=(2, 4)) * 0.5, 3)),
        (0, 1),
        extra="hvp",
    ),
    Case(wgan_gp_loss, (W41[:, 0] * 0.6, 10.0), (0, 1), extra="hvp"),
    Case(
        conv1d_loss,
        (np.round(R.normal(size=(2, 5, 3)), 3), np.round(R.normal(size=(2, 3, 2)) * 0.4, 3)),
        (0, 1),
        extra="hvp",
    ),
    Case(batchnorm1d_loss, (X64, np.array([1.0, 0.9, 1.1, 0.8])), (0, 1), extra="hvp"),
    Case(layernorm1d_loss, (X64, np.array([1.0, 0.9, 1.1, 0.8])), (0, 1), extra="hvp"),
    Case(
        rnn_many_to_one,
        (np.round(R.normal(size=(4, 3)) * 0.5, 3), np.round(R.normal(size=(3, 3)) * 0.5, 3)),
        (0, 1),
        xfail=refused_everywhere(_ALIASED_LIST),
    ),
    Case(
        lstm_cell_loss,
        tuple(np.round(R.normal(size=(6, 2)) * 0.5, 3) for _ in range(4)),
        (0, 1, 2, 3),
        extra="hvp",
    ),
]
