"""Ported cases (session 26, corp26), written anew as user code: Flax / Haiku-style neural-network
modules rewritten in NumPy, the way JAX users structure them: module classes with ``__call__``
taking a nested params dict (``params["dense1"]["kernel"]``), ``init`` functions building the
dict from a seeded generator, ``Sequential`` of module objects, ``tree_map``-style helpers over
nested dicts, a residual MLP block, LayerNorm / RMSNorm with scale and bias, an embedding
lookup, single-head self-attention with a causal mask, a GRU and an LSTM cell scanned over time
(``hk.dynamic_unroll`` as a Python loop), a 1-D convolution module, a mixture-density head, an
optax-like SGD step as a pure function of (params, grads), L2 weight decay over the leaves, and
JAX's examples' losses (softmax cross entropy on one-hot labels, the DP-SGD per-example clipped
gradient norm of a linear model).

Nested dicts / float arrays -> float scalar losses (checked at second order with ``extra="hvp"``
on array arguments) or arrays."""

from __future__ import annotations

import numpy as np

from . import Case

R = np.random.default_rng(26000003)
XN = np.round(R.normal(size=(6, 4)), 3)
YN = np.eye(3)[[0, 2, 1, 1, 0, 2]]


def tree_map(f, tree):
    if isinstance(tree, dict):
        return {k: tree_map(f, v) for k, v in tree.items()}
    return f(tree)


def tree_leaves(tree):
    if isinstance(tree, dict):
        out = []
        for k in tree:
            out.extend(tree_leaves(tree[k]))
        return out
    return [tree]


class Dense:
    def __init__(self, name):
        self.name = name

    def __call__(self, params, x):
        p = params[self.name]
        return x @ p["kernel"] + p["bias"]


class LayerNorm:
    def __init__(self, name, eps=1e-5):
        self.name, self.eps = name, eps

    def __call__(self, params, x):
        mu = x.mean(-1, keepdims=True)
        var = ((x - mu) ** 2).mean(-1, keepdims=True)
        p = params[self.name]
        return (x - mu) / np.sqrt(var + self.eps) * p["scale"] + p["bias"]


class RMSNorm:
    def __init__(self, name):
        self.name = name

    def __call__(self, params, x):
        ms = np.mean(x * x, axis=-1, keepdims=True)
        return x / np.sqrt(ms + 1e-6) * params[self.name]["scale"]


def gelu(x):
    return 0.5 * x * (1 + np.tanh(np.sqrt(2 / np.pi) * (x + 0.044715 * x**3)))


class Sequential:
    def __init__(self, layers):
        self.layers = layers

    def __call__(self, params, x):
        for layer in self.layers:
            x = layer(params, x)
            if isinstance(layer, Dense) and layer.name != "out":
                x = gelu(x)
        return x


class Module:
    """A base class with an ``__init__`` of its own (as torch.nn.Module / hk.Module have)."""

    def __init__(self):
        self.training = False

    def __call__(self, params, x):
        return self.forward(params, x)


class DenseM(Module):
    def __init__(self, name):
        super().__init__()
        self.name = name

    def forward(self, params, x):
        return x @ params[self.name]["kernel"] + params[self.name]["bias"]


class GeluM(Module):
    def forward(self, params, x):
        return gelu(x)


class SequentialM(Module):
    def __init__(self, layers):
        super().__init__()
        self.layers = layers

    def forward(self, params, x):
        for layer in self.layers:
            x = layer(params, x)
        return x


def mlp_ce_module(params):
    model = SequentialM([DenseM("dense1"), GeluM(), DenseM("out")])
    logits = model(params, XN)
    return -np.mean(np.sum(YN * log_softmax(logits), axis=-1))


def init_mlp(sizes, names, seed=0):
    rng = np.random.default_rng(seed)
    params = {}
    for name, (m, n) in zip(names, zip(sizes[:-1], sizes[1:])):
        params[name] = {"kernel": rng.normal(size=(m, n)) / np.sqrt(m), "bias": np.zeros(n)}
    return params


def log_softmax(z):
    z = z - z.max(-1, keepdims=True)
    return z - np.log(np.sum(np.exp(z), -1, keepdims=True))


def mlp_ce(params):
    model = Sequential([Dense("dense1"), LayerNorm("ln"), Dense("out")])
    logits = model(params, XN)
    return -np.mean(np.sum(YN * log_softmax(logits), axis=-1))


def mlp_ce_weight_decay(params, wd):
    l2 = sum(np.sum(w**2) for w in tree_leaves(params))
    return mlp_ce(params) + 0.5 * wd * l2


def sgd_step_loss(params):
    grads = tree_map(lambda w: 0.1 * w, params)
    new = {k: {n: params[k][n] - 0.5 * grads[k][n] for n in params[k]} for k in params}
    return mlp_ce(new)


def residual_block(W1, W2, scale):
    params = {"rms": {"scale": scale}}
    h = RMSNorm("rms")(params, XN)
    return np.sum((XN + gelu(h @ W1) @ W2) ** 2)


IDS = np.array([1, 3, 3, 0, 2])
YMDN = np.array([0.3, -0.5, 1.2, 0.1, 0.8, -1.0])


def embed_mean(table, ids=IDS):
    e = table[ids]
    return np.sum(np.tanh(e.mean(axis=0)) ** 2) + np.sum(e[-1] * e[0])


def causal_attention(Wq, Wk, Wv):
    x = XN
    q, k, v = x @ Wq, x @ Wk, x @ Wv
    s = q @ k.T / np.sqrt(q.shape[-1])
    mask = np.tril(np.ones((x.shape[0], x.shape[0]), dtype=bool))
    s = np.where(mask, s, -1e9)
    a = np.exp(log_softmax(s))
    return np.sum((a @ v) ** 2)


def _sigmoid(z):
    return 1 / (1 + np.exp(-z))


class GRUCell:
    def __init__(self, p):
        self.p = p

    def __call__(self, x, h):
        p = self.p
        z = _sigmoid(x @ p["Wz"] + h @ p["Uz"])
        r = _sigmoid(x @ p["Wr"] + h @ p["Ur"])
        a = np.tanh(x @ p["Wa"] + (r * h) @ p["Ua"])
        return (1 - z) * h + z * a


def gru_unroll(p, xs):
    cell = GRUCell(p)
    h = np.zeros(p["Uz"].shape[0])
    outs = []
    for x in xs:
        h = cell(x, h)
        outs.append(h)
    return np.sum(np.stack(outs) ** 2)


def lstm_unroll(W, U, b):
    h = np.zeros(U.shape[0])
    c = np.zeros(U.shape[0])
    hs = []
    for t in range(XN.shape[0]):
        gates = XN[t] @ W + h @ U + b
        i, f, g, o = np.split(gates, 4)
        c = _sigmoid(f + 1.0) * c + _sigmoid(i) * np.tanh(g)
        h = _sigmoid(o) * np.tanh(c)
        hs.append(h)
    return np.mean(np.array(hs))


class Conv1D:
    def __init__(self, kernel, stride=1):
        self.kernel, self.stride = kernel, stride

    def __call__(self, x):
        k = self.kernel.shape[0]
        n = (x.shape[0] - k) // self.stride + 1
        cols = np.stack([x[i * self.stride : i * self.stride + k] for i in range(n)])
        return np.einsum("nkc,kco->no", cols, self.kernel)


def conv1d_loss(kernel):
    y = Conv1D(kernel, stride=1)(XN)
    y2 = Conv1D(kernel[:, :2, :], stride=2)(y[:, :2] if y.shape[1] >= 2 else y)
    return np.sum(np.tanh(y) ** 2) + np.sum(y2**2)


def mdn_nll(W, y=YMDN):
    out = XN @ W
    logits, mu, log_sigma = out[:, :3], out[:, 3:6], out[:, 6:9]
    logpi = log_softmax(logits)
    z = (y[:, None] - mu) / np.exp(log_sigma)
    comp = -0.5 * z**2 - log_sigma - 0.5 * np.log(2 * np.pi)
    m = np.max(logpi + comp, axis=1, keepdims=True)
    return -np.mean(m[:, 0] + np.log(np.sum(np.exp(logpi + comp - m), axis=1)))


def dpsgd_clipped(w, l2_clip=1.0):
    total = np.zeros_like(w)
    for x, y in zip(XN, YN[:, 0]):
        p = _sigmoid(x @ w)
        g = (p - y) * x
        total = total + g / max(1.0, np.linalg.norm(g) / l2_clip)
    return np.sum((w - 0.1 * total / len(XN)) ** 2)


P0 = init_mlp([4, 5, 3], ["dense1", "out"], seed=1)
P0["ln"] = {"scale": np.ones(5) * 1.1, "bias": np.full(5, 0.05)}
GRU = {
    k: np.round(R.normal(size=(4, 3) if k[0] == "W" else (3, 3)) * 0.5, 3)
    for k in ("Wz", "Uz", "Wr", "Ur", "Wa", "Ua")
}
CASES = [
    Case(mlp_ce, (P0,), (0,)),
    Case(mlp_ce_weight_decay, (P0, 1e-2), (0, 1)),
    Case(mlp_ce_module, (P0,), (0,)),
    Case(sgd_step_loss, (P0,), (0,)),  # (models27's fnlifted, the lead's lower/seqitems)
    Case(
        residual_block,
        (R.normal(size=(4, 6)) * 0.4, R.normal(size=(6, 4)) * 0.4, np.full(4, 1.2)),
        (0, 1, 2),
        extra="hvp",
    ),
    Case(embed_mean, (np.round(R.normal(size=(4, 3)), 3),), (0,), extra="hvp"),
    Case(
        causal_attention,
        tuple(np.round(R.normal(size=(4, 3)) * 0.5, 3) for _ in range(3)),
        (0, 1, 2),
        extra="hvp",
    ),
    Case(gru_unroll, (GRU, XN), (0, 1)),
    Case(
        lstm_unroll,
        (R.normal(size=(4, 12)) * 0.5, R.normal(size=(3, 12)) * 0.5, np.zeros(12)),
        (0, 1, 2),
        extra="hvp",
    ),
    Case(conv1d_loss, (np.round(R.normal(size=(3, 4, 2)) * 0.5, 3),), (0,), extra="hvp"),
    Case(mdn_nll, (np.round(R.normal(size=(4, 9)) * 0.3, 3),), (0,), extra="hvp"),
    Case(dpsgd_clipped, (np.array([0.5, -0.3, 0.8, 0.1]),), (0,), extra="hvp"),
]
