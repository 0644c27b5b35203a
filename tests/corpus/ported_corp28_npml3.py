"""Ported cases (session 28, corp28), numpy-ml's layers (third part of ported_corp28_npml): written
anew as user code after ddbourgin/numpy-ml's numpy_ml/neural_nets/layers DotProductAttention
(scaled scores, ``softmax`` over the keys) and Embedding with mean pooling over id sequences.

Float weights / inputs -> float scalar losses (checked at second order with ``extra="hvp"``)."""

from __future__ import annotations

import numpy as np

from . import Case
from .ported_corp28_npml import softmax

R = np.random.default_rng(28105)


def dot_product_attention(Q, K, V):
    """numpy_ml DotProductAttention(scale=True) with its softmax over the keys."""
    d_k = K.shape[-1]
    scale = 1 / np.sqrt(d_k)
    scores = Q @ K.swapaxes(-2, -1) * scale
    weights = softmax(scores)
    Y = weights @ V
    return np.sum(Y * np.arange(Y.size).reshape(Y.shape) * 0.1)


def embedding_pool(W):
    """numpy_ml Embedding with pool="mean" over each sequence of ids."""
    ids = np.array([[0, 2, 3], [4, 1, 1]])
    emb = W[ids].mean(axis=1)
    return np.sum(emb**2) + np.sum(np.exp(W) * 0.01)


CASES = [
    Case(
        dot_product_attention,
        tuple(np.round(R.normal(size=(2, 3, 2)) * 0.7, 3) for _ in range(3)),
        (0, 1, 2),
        extra="hvp",
    ),
    Case(embedding_pool, (np.round(R.normal(size=(5, 3)), 3),), (0,), extra="hvp"),
]
