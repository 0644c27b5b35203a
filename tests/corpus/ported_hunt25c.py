"""Ported cases (session 25, hunt25c), written anew after loss functions as users write them, with
Python idioms mixed in: t-SNE's KL divergence with a Student-t kernel and ``np.fill_diagonal``,
a contrastive loss with a margin ``np.maximum(0, m - d) ** 2``, a triplet loss picking the
hardest negative by ``max(..., key=)``, focal loss with ``float32`` probabilities, label
smoothing written into a one-hot row by fancy indexing, Huber by ``np.where`` and by ``match`` on
a string config, the pinball (quantile) loss over a dict comprehension of quantiles then
``.items()``, InfoNCE with ``axis=-1, keepdims=True``, a Dice loss, a KL between diagonal
Gaussians, a loss accumulated by a generator with ``yield``, a walrus in a comprehension's
filter, ``sorted(..., key=)`` of per-sample losses (a trimmed mean), a recursive tree-structured
sum, an ``@staticmethod`` reduction on a loss class with a property, a 0-d array weight and an
int count mixed in.

Small user functions -> `CASES` (tests/corpus/ported.py collects them); scalar ones are checked
at second order (``extra="hvp"``) too."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import Case

R = np.random.default_rng(252)
P_HI = R.random((5, 5))
P_HI = P_HI + P_HI.T
np.fill_diagonal(P_HI, 0.0)
P_HI /= P_HI.sum()
LABELS = np.array([0, 2, 1, 1, 0])
PAIRS = [(0, 1, 1), (1, 2, 0), (2, 3, 1), (0, 4, 0), (3, 4, 0)]


def tsne_kl(y_flat):
    Y = y_flat.reshape(5, 2)
    sq = np.sum(Y**2, axis=1)
    d2 = sq[:, None] + sq[None, :] - 2 * Y @ Y.T
    num = 1.0 / (1.0 + d2)
    np.fill_diagonal(num, 0.0)
    Q = num / num.sum()
    mask = P_HI > 0
    return np.sum(P_HI[mask] * np.log(P_HI[mask] / Q[mask]))


def contrastive(e_flat, margin=1.5):
    E = e_flat.reshape(5, 3)
    loss = 0.0
    for i, j, same in PAIRS:
        d = np.linalg.norm(E[i] - E[j])
        loss += same * d**2 + (1 - same) * np.maximum(0.0, margin - d) ** 2
    return loss / len(PAIRS)


def triplet_hardest(e_flat, margin=0.3):
    E = e_flat.reshape(5, 3)
    total = 0.0
    for a in range(5):
        pos = [p for p in range(5) if p != a and LABELS[p] == LABELS[a]]
        if not pos:
            continue
        negs = [n for n in range(5) if LABELS[n] != LABELS[a]]
        hard = max(negs, key=lambda n: -np.sum((E[a] - E[n]) ** 2))
        dp = np.sum((E[a] - E[pos[0]]) ** 2)
        dn = np.sum((E[a] - E[hard]) ** 2)
        total += max(dp - dn + margin, 0.0)
    return total


def focal(logits, gamma=2.0, alpha=0.25):
    y = np.array([1, 0, 1, 0, 1], dtype=np.float32)
    p = 1 / (1 + np.exp(-logits))
    pt = np.where(y == 1, p, 1 - p)
    at = np.where(y == 1, alpha, 1 - alpha)
    return float(np.mean(-at * (1 - pt) ** gamma * np.log(pt)))


def label_smoothing(logits_flat, eps=0.1):
    z = logits_flat.reshape(5, 3)
    target = np.full((5, 3), eps / 3)
    target[np.arange(5), LABELS] += 1 - eps
    z = z - z.max(axis=-1, keepdims=True)
    logp = z - np.log(np.exp(z).sum(axis=-1, keepdims=True))
    return -(target * logp).sum(axis=-1).mean()


def huber(r, delta=1.0):
    a = np.abs(r)
    return np.sum(np.where(a <= delta, 0.5 * r**2, delta * (a - 0.5 * delta)))


def robust(r, kind="huber", c=1.0):
    match kind:
        case "l2":
            rho = 0.5 * r**2
        case "huber":
            a = np.abs(r)
            rho = np.where(a <= c, 0.5 * r**2, c * (a - 0.5 * c))
        case "cauchy":
            rho = 0.5 * c**2 * np.log1p((r / c) ** 2)
        case _:
            raise ValueError(kind)
    return rho.sum()


def robust_all(r):
    return sum(robust(r, k) for k in ("l2", "huber", "cauchy"))


def pinball(pred_flat):
    y = np.array([0.2, 1.1, -0.4, 0.8])
    qs = (0.1, 0.5, 0.9)
    preds = {q: pred_flat[i::3] for i, q in enumerate(qs)}
    total = 0.0
    for q, p in preds.items():
        e = y - p
        total += np.mean(np.maximum(q * e, (q - 1) * e))
    return total


def info_nce(z_flat, tau=0.5):
    z = z_flat.reshape(4, 3)
    z = z / np.linalg.norm(z, axis=-1, keepdims=True)
    a, b = z[:2], z[2:]
    logits = a @ b.T / tau
    logits -= logits.max(axis=-1, keepdims=True)
    logp = logits - np.log(np.exp(logits).sum(axis=-1, keepdims=True))
    return -np.trace(logp) / 2


def dice(logits, smooth=1.0):
    target = np.array([1.0, 0.0, 1.0, 1.0, 0.0, 0.0])
    p = 1 / (1 + np.exp(-logits))
    inter = (p * target).sum()
    return 1 - (2 * inter + smooth) / (p.sum() + target.sum() + smooth)


def kl_diag(params):
    mu, log_var = np.split(params, 2)
    return -0.5 * np.sum(1 + log_var - mu**2 - np.exp(log_var))


def _per_sample(w):
    X = np.array([[1.0, 0.5], [0.3, -1.2], [-0.7, 0.4], [2.0, 1.0], [0.1, 0.1]])
    y = np.array([1.0, -1.0, 0.5, 2.0, 0.0])
    for xi, yi in zip(X, y):
        yield (xi @ w - yi) ** 2


def gen_loss(w):
    return sum(_per_sample(w)) / 5


def walrus_filter(w):
    return sum(v for x in _per_sample(w) if (v := 2 * x) > 0.1)


def trimmed_mean(w):
    losses = sorted(_per_sample(w), key=float)
    kept = losses[1:-1]
    return sum(kept) / len(kept)


def tree_sum(x, depth=0):
    if len(x) == 1:
        return x[0] ** 2 * (depth + 1)
    mid = len(x) // 2
    return tree_sum(x[:mid], depth + 1) + np.sin(tree_sum(x[mid:], depth + 1))


@dataclass
class WeightedLoss:
    weight: np.ndarray
    count: int = 2

    @property
    def scale(self):
        return self.weight / self.count

    @staticmethod
    def reduce(v):
        return np.mean(v, axis=-1)

    def __call__(self, r):
        return self.scale * self.reduce(r**2).sum()


def weighted_loss(r):
    loss = WeightedLoss(np.array(1.5))
    return float(loss(r.reshape(2, 3)))


CASES = [
    Case(tsne_kl, (R.standard_normal(10),), (0,), extra="hvp"),
    Case(contrastive, (R.standard_normal(15),), (0,), extra="hvp"),
    Case(triplet_hardest, (R.standard_normal(15),), (0,), extra="hvp"),
    Case(focal, (R.standard_normal(5),), (0,), extra="hvp"),
    Case(label_smoothing, (R.standard_normal(15),), (0,), extra="hvp"),
    Case(huber, (np.array([0.3, -1.7, 2.4, 0.1]),), (0,), extra="hvp"),
    Case(robust_all, (np.array([0.3, -1.7, 2.4, 0.1]),), (0,), extra="hvp"),
    Case(pinball, (R.standard_normal(12),), (0,), extra="hvp"),
    Case(info_nce, (R.standard_normal(12),), (0,), extra="hvp"),
    Case(dice, (R.standard_normal(6),), (0,), extra="hvp"),
    Case(kl_diag, (R.standard_normal(6),), (0,), extra="hvp"),
    Case(gen_loss, (np.array([0.4, -0.3]),), (0,), extra="hvp"),
    Case(walrus_filter, (np.array([0.4, -0.3]),), (0,), extra="hvp"),
    Case(trimmed_mean, (np.array([0.4, -0.3]),), (0,), extra="hvp"),
    Case(tree_sum, (np.array([0.3, -0.5, 0.2, 0.4, -0.1]),), (0,), extra="hvp"),
    Case(weighted_loss, (R.standard_normal(6),), (0,), extra="hvp"),
]
