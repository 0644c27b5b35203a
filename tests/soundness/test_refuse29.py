"""What refuse29 accepts, checked numerically (value and gradient against Python and central
differences, the JVP against the gradient, the VJP/JVP dot test, the Hessian; and
`srcad.testing.check_grads` forward and reverse), and the neighbours that must stay refused
(tests/corpus/users_refuse29.py holds the corpus cases):

1. lists of objects whose ``__init__`` computes fields, built from a sequence of run-time
   length by a comprehension (also filtered, over ``enumerate``) or a loop of appends (over any
   iterable, under an ``if``, through a name), read by comprehensions and index reads
   (lower/mappedseq.py); a list appended to after it was made, or sliced, stays refused;
2. dataclasses with ``__post_init__`` and ``field(default_factory=list)`` / ``dict``
   (lower/postinit.py, lower/objects._bind): a new empty one per object;
3. a user class chosen from a global table, ``self.fn = ACTS[name]()`` (lower/fnitems.py);
4. ``C(*ps)`` of a user class, `ps` of run-time length (lower/starcalls.class_call);
5. ``deque.rotate`` (lower/deques.py);
6. the messages of what stays refused (ad/classmsg.py);
7. ``np.random.rand(*x.shape)`` / ``randn`` (lower/fastcalls.py);
8. ``np.histogram`` of differentiated data (rules/histograms.py).
"""

from __future__ import annotations

import heapq
import re
from collections import deque
from dataclasses import dataclass, field
from heapq import heappop, heappush

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads
from tests.soundness.numeric import check_scalar

X = np.array([0.5, -1.2, 0.8, 2.0, -0.3, 1.1])


# -- 1. comprehensions over a mapped list of objects (lower/mappedseq.space) ---------------------
class Node:
    def __init__(self, v, i):
        self.v = v
        self.i = i
        self.w = v * (i + 1)


class Seg:
    def __init__(self, a, b):
        self.a = a
        self.b = b
        self.n = np.linalg.norm(b - a)


def nodes_summed(x):
    nodes = [Node(x[i], i) for i in range(len(x))]
    return sum(n.w * n.v for n in nodes)


def nodes_listed_then_summed(x):
    nodes = [Node(v, 2.0) for v in x]
    return sum([n.w * np.sin(n.v) for n in nodes])


def nodes_pairs(x):
    nodes = [Node(x[i], i) for i in range(len(x))]
    return sum(a.w * b.v for a in nodes for b in nodes if a.i < b.i)


def nodes_snapshot(x):
    s = x[0]
    nodes = [Node(v * s, 1) for v in x]
    s = 100.0  # (the comprehension read `s` as it was)
    return sum(n.w for n in nodes) + s


def nodes_looped_and_comprehended(x):
    nodes = [Node(x[i], i) for i in range(len(x))]
    tot = 0.0
    for n in nodes:
        tot = tot + n.w
    return tot * max([n.v for n in nodes])


def nodes_indexed(x):
    nodes = [Node(x[i], i) for i in range(len(x))]
    n = len(nodes)
    return nodes[0].w * nodes[-1].v + sum(nodes[k].w * nodes[n - 1 - k].v for k in range(n))


def segments_lengths(x):
    pts = x.reshape(-1, 2)
    segs = [Seg(pts[i], pts[i + 1]) for i in range(len(pts) - 1)]
    return sum(s.n**2 for s in segs) + np.prod([s.n for s in segs])


def nodes_appended_in_a_loop(x):
    nodes = []
    for i in range(len(x)):
        nodes.append(Node(x[i], i))
    return sum(n.w * n.v for n in nodes)


def nodes_appended_by_name(x):
    nodes = []
    for i, v in enumerate(x):
        nd = Node(v, i)
        nodes.append(nd)
    return sum(n.w for n in nodes) * nodes[-1].v


def nodes_appended_when_positive(x):
    nodes = []
    for i in range(len(x)):
        if x[i] > 0:
            nodes.append(Node(x[i], i))
    return sum(n.w * n.w for n in nodes) + len(nodes)


def nodes_filtered(x):
    lim = 0.0
    nodes = [Node(v, i) for i, v in enumerate(x) if v > lim]
    lim = 10.0  # (the kept items were chosen when the list was made)
    return sum(n.w / (n.i + 1) for n in nodes) * nodes[0].v + lim


def nodes_of_a_local_list(x):
    vals = [x[0] * x[1], x[2], x[3] ** 2]
    nodes = []
    for v in vals:
        nodes.append(Node(v, 2))
    vals.append(x[4])  # (the loop read the list as it was)
    return sum(n.w for n in nodes) + len(nodes) * vals[-1]


MAPPED = [
    nodes_appended_in_a_loop,
    nodes_appended_by_name,
    nodes_appended_when_positive,
    nodes_filtered,
    nodes_of_a_local_list,
    nodes_summed,
    nodes_listed_then_summed,
    nodes_pairs,
    nodes_snapshot,
    nodes_looped_and_comprehended,
    nodes_indexed,
    segments_lengths,
]


@pytest.mark.parametrize("f", MAPPED)
def test_comprehension_over_mapped_objects(f):
    check_scalar(f, X)
    check_grads(f, (X.copy(),), modes=("fwd", "rev"))


def nodes_appended_then_comprehended(x):
    nodes = [Node(v, 1) for v in x]
    nodes.append(Node(x[0], 5))
    return sum(n.w for n in nodes)


def nodes_appended_then_indexed(x):
    nodes = [Node(v, 1) for v in x]
    nodes.append(Node(x[0], 5))
    return nodes[0].w


def nodes_counting_themselves(x):
    nodes = []
    for v in x:
        if len(nodes) < 3:  # (reads the list the loop grows: not a comprehension's)
            nodes.append(Node(v, len(nodes)))
    return nodes[0].w


def test_loop_reading_the_list_it_grows_is_not_folded():
    with pytest.raises(srcad.SrcadError, match="run-time value"):
        srcad.grad(nodes_counting_themselves)(X)


def test_comprehension_over_an_appended_mapped_list_stays_refused():
    for f in (nodes_appended_then_comprehended, nodes_appended_then_indexed):
        with pytest.raises(srcad.SrcadError, match="other than by a `for` loop"):
            srcad.grad(f)(X)


# -- 2. dataclasses with __post_init__ and default_factory (lower/postinit.py) -------------------
@dataclass
class Particle:
    m: float
    v: float
    ke: float = 0.0
    hist: list = field(default_factory=list)

    def __post_init__(self):
        self.ke = 0.5 * self.m * self.v**2


@dataclass
class Tagged:
    m: float
    tags: dict = field(default_factory=dict)
    seen: list = field(default_factory=list, init=False)

    def __post_init__(self):
        self.m2 = self.m * self.m


def particle_energy(x):
    p = Particle(x[0], x[1])
    return p.ke * x[2]


def particle_history(x):
    p = Particle(x[0], x[1])
    p.hist.append(p.ke)
    p.hist.append(x[2] * p.ke)
    q = Particle(x[3], x[4])  # (a new list of its own: not p's)
    q.hist.append(q.ke * x[5])
    return sum(p.hist) * len(p.hist) + sum(q.hist) * len(q.hist)


def particle_given_history(x):
    p = Particle(x[0], x[1], hist=[x[3]])
    p.hist.append(p.ke)
    return sum(p.hist) * p.m


def particles_built_in_a_comprehension(x):
    ps = [Particle(x[i], x[i + 3]) for i in range(3)]
    for p in ps:
        p.hist.append(p.ke * 2.0)
    return sum(sum(p.hist) for p in ps) + sum(p.ke for p in ps)


def tagged(x):
    t = Tagged(x[0])
    t.tags["a"] = x[1] * t.m2
    t.seen.append(t.m2)
    return t.tags["a"] + sum(t.seen) * len(t.tags)


FACTORY = [
    particle_energy,
    particle_history,
    particle_given_history,
    particles_built_in_a_comprehension,
    tagged,
]


@pytest.mark.parametrize("f", FACTORY)
def test_post_init_with_default_factory(f):
    check_scalar(f, X)
    check_grads(f, (X.copy(),), modes=("fwd", "rev"))


# -- 3. a class chosen from a global table: ``self.fn = ACTS[name]()`` (lower/fnitems.py) --------
class Tanh:
    def __call__(self, z):
        return np.tanh(z)


class Sigmoid:
    def __init__(self, slope=1.0):
        self.slope = slope

    def __call__(self, z):
        return 1.0 / (1.0 + np.exp(-self.slope * z))


ACTS = {"tanh": Tanh, "sigmoid": Sigmoid}


class Dense:
    def __init__(self, w, act):
        self.w = w
        self.fn = ACTS[act]()

    def forward(self, h):
        return self.fn(self.w * h)


def layer_from_table(x):
    a = Dense(x[0], "sigmoid")
    b = Dense(x[1], "tanh")
    return np.sum(b.forward(a.forward(x[2:])))


def activation_object_from_table(x):
    act = ACTS["sigmoid"](x[0])
    return np.sum(act(x[1:]) ** 2)


@pytest.mark.parametrize("f", [layer_from_table, activation_object_from_table])
def test_class_from_a_global_table(f):
    check_scalar(f, X)
    check_grads(f, (X.copy(),), modes=("fwd", "rev"))


TABLE = {"act": Tanh}


def table_entry_called(x):
    return np.sum(TABLE["act"]()(x))


def test_class_from_a_global_table_follows_the_table():
    # (the entry is recorded: rebinding it makes a new transform, as Python calls the new class)
    g1 = srcad.grad(table_entry_called)(X)
    np.testing.assert_allclose(g1, 1.0 - np.tanh(X) ** 2)
    TABLE["act"] = Sigmoid
    try:
        s = 1.0 / (1.0 + np.exp(-X))
        np.testing.assert_allclose(srcad.grad(table_entry_called)(X), s * (1.0 - s))
    finally:
        TABLE["act"] = Tanh


# -- 4. ``C(*ps)`` of a user class, `ps` of run-time length (lower/starcalls.class_call) --------
class V3:
    def __init__(self, a, b, c):
        self.a, self.b, self.c = a, b, c


class Polar:
    def __init__(self, x, y, scale=1.0):
        self.r = np.hypot(x, y) * scale
        self.t = np.arctan2(y, x)


@dataclass
class Pair:
    p: float
    q: float


def vec_from_generator(x):
    v = V3(*(a + b for a, b in zip(x[:3], x[3:])))
    return v.a * v.b + v.c**2


def vec_from_squares(x):
    v = V3(*(t * t for t in x[:3]))
    w = V3(*x[3:])
    return v.a * w.b + v.c * w.a + w.c


def polar_from_slice(x):
    p = Polar(*x[:2])
    q = Polar(*(x[2:4] * 2.0), scale=x[4])
    return p.r * np.cos(p.t) + q.r * q.t


def pair_from_list(x):
    items = [x[0] * x[1], np.exp(x[2])]
    pr = Pair(*items)
    return pr.p * pr.q


STARRED = [vec_from_generator, vec_from_squares, polar_from_slice, pair_from_list]


@pytest.mark.parametrize("f", STARRED)
def test_class_call_of_a_starred_sequence(f):
    check_scalar(f, X)
    check_grads(f, (X.copy(),), modes=("fwd", "rev"))


def vec_from_too_many(x):
    v = V3(*x)
    return v.a


def test_class_call_of_a_starred_sequence_of_the_wrong_length_raises_as_python():
    with pytest.raises(TypeError):
        vec_from_too_many(X)
    with pytest.raises(TypeError):
        srcad.grad(vec_from_too_many)(X)


# -- 5. ``deque.rotate`` (lower/deques.py: the deque as a list) ---------------------------------
def deque_rotated(x):
    q = deque([x[0], x[1], x[2], x[3]])
    q.rotate()
    q.rotate(-3)
    k = 6
    q.rotate(k)
    return q[0] * 3.0 + q[1] * q[2] + q[3] ** 2


def ring_buffer_rotated(x):
    q = deque(maxlen=3)
    out = 0.0
    for i in range(6):
        q.append(x[i])
        q.rotate(-1)
        out = out + q[0] * (i + 1) - q[-1] * q[0]
    return out


def empty_deque_rotated(x):
    q = deque()
    q.rotate(2)
    q.append(x[0])
    q.rotate(-5)
    return q[0] * x[1] + len(q)


@pytest.mark.parametrize("f", [deque_rotated, ring_buffer_rotated, empty_deque_rotated])
def test_deque_rotate(f):
    check_scalar(f, X)
    check_grads(f, (X.copy(),), modes=("fwd", "rev"))


def deque_rotated_by_a_call(x):
    q = deque([x[0], x[1], x[2]])
    q.rotate(int(x[3]))
    return q[0]


def deque_rotated_with_a_local_max(x):
    max = 2
    q = deque([x[0], x[1], x[2]])
    q.rotate(max)
    return q[0]


def test_deque_rotate_left_refused_where_not_rewritten():
    # (a step that is a call would be read twice; a local `max` is not the builtin)
    for f in (deque_rotated_by_a_call, deque_rotated_with_a_local_max):
        with pytest.raises(srcad.SrcadError):
            srcad.grad(f)(X)


# -- 6. what stays refused says why (ad/classmsg.py) -------------------------------------------
class Ring(list):
    def __getitem__(self, i):
        return list.__getitem__(self, i % len(self))


class Counted:
    count = 0

    def __init__(self, w):
        self.w = w
        Counted.count += 1


def ring_read(x):
    r = Ring([x[0], x[1], x[2]])
    return r[4] * r[0]


def counted_layers(x):
    a, b = Counted(x[0]), Counted(x[1])
    return a.w * b.w


@dataclass
class Squares:
    m: float
    d: dict = field(default_factory=dict)

    def __post_init__(self):
        self.d["sq"] = self.m * self.m  # (an item written into a field while building)


def squares_read(x):
    return Squares(x[0]).d["sq"] * x[1]


def nodes_sliced(x):
    nodes = [Node(x[i], i) for i in range(len(x))]
    return sum(n.w for n in nodes[1:])


@pytest.mark.parametrize(
    "f, says",
    [
        (ring_read, "`Ring` subclasses the builtin `list`"),
        (counted_layers, "`Counted.__init__` writes `Counted.count`, outside the object"),
        (nodes_sliced, "the object is a run-time value here"),
        (squares_read, "its __init__ mutates or has effects"),
    ],
)
def test_refused_objects_say_why(f, says):
    with pytest.raises(srcad.SrcadError, match=re.escape(says)):
        srcad.grad(f)(X)


def nodes_index_out_of_range(x):
    nodes = [Node(v, 1) for v in x]
    return nodes[len(x)].w


def test_mapped_index_out_of_range_raises_as_python():
    with pytest.raises(IndexError):
        nodes_index_out_of_range(X)
    with pytest.raises(IndexError):
        srcad.grad(nodes_index_out_of_range)(X)


# -- 7. ``np.random.rand(*x.shape)`` noise (lower/fastcalls.py) -----------------------------------
def dropout_noise(x):
    np.random.seed(3)
    mask = np.random.rand(*x.shape) < 0.6
    noise = np.random.randn(*np.shape(x))
    return np.sum(x * x * mask + 0.1 * noise * x)


def scalar_noise(x):
    np.random.seed(4)
    s = np.sum(x)
    return s * np.random.rand(*np.shape(s)) + s**2 * np.random.randn(*x[:2].shape)[1]


@pytest.mark.parametrize("f", [dropout_noise, scalar_noise])
def test_random_draws_of_a_starred_shape(f):
    check_scalar(f, X)
    check_grads(f, (X.copy(),), modes=("fwd", "rev"))
    # the same draws as Python's (a fresh seed in the function)
    assert srcad.value_and_grad(f)(X)[0] == f(X)


def draw_of_empty_shape(x):
    np.random.seed(5)
    return np.random.rand(*np.shape(x[0])), np.random.randn(*())


def test_random_draws_of_an_empty_shape_are_floats():
    out = srcad.primal(draw_of_empty_shape)(X)
    ref = draw_of_empty_shape(X)
    assert out == ref and all(type(o) is float for o in out)


# -- 8. ``np.histogram`` of differentiated data (rules/histograms.py) ----------------------------
XH = np.array([0.52, -1.23, 0.81, 2.04, -0.31, 1.17])  # (no value near an edge of 3 or 4 bins)


def histogram_edges_and_counts(x):
    counts, edges = np.histogram(x, bins=3)
    return np.sum(counts * edges[:3] ** 2) + np.sum(x**2) + edges[-1] * edges[1]


def histogram_fixed_edges(x):
    counts, edges = np.histogram(x * 2.0, bins=[-3.0, 0.0, 1.0, 5.0], density=True)
    c2, e2 = np.histogram(x, 4, range=(-2.0, 3.0))
    return np.sum(counts * x[:3]) + np.sum(c2 * e2[1:]) * x[0]


@pytest.mark.parametrize("f", [histogram_edges_and_counts, histogram_fixed_edges])
def test_histogram_of_the_data(f):
    check_scalar(f, XH)
    check_grads(f, (XH.copy(),), modes=("fwd", "rev"))


def histogram_density_moving(x):
    counts, _ = np.histogram(x, bins=3, density=True)
    return np.sum(counts * x[:3])


def test_histogram_density_over_moving_edges():
    # refused when it ran until refuse30b wrote the density as NumPy's formula over the counts
    # (tests/soundness/test_refuse30b.py)
    check_scalar(histogram_density_moving, XH)
    check_grads(histogram_density_moving, (XH.copy(),), modes=("fwd", "rev"))


# -- 9. ``heapq`` priority queues in a local list (lower/heaps.py) --------------------------------
def heap_of_weighted_values(x):
    h = []
    for i in range(len(x)):
        heapq.heappush(h, (float(i % 3), x[i]))
    tot = 0.0
    while h:
        p, v = heapq.heappop(h)
        tot = tot * 0.5 + (p + 1.0) * v * v
    return tot


def heap_of_costs(x):
    h = []
    for i in range(len(x)):
        heappush(h, (x[i] ** 2 + 0.1 * i, i))
    best, k = heappop(h)
    nxt, j = h[0]
    return best * 3.0 + nxt * (j + 1) + len(h) * k


@pytest.mark.parametrize("f", [heap_of_weighted_values, heap_of_costs])
def test_heapq_priority_queue(f):
    check_scalar(f, X)
    check_grads(f, (X.copy(),), modes=("fwd", "rev"))


def heap_iterated(x):
    h = []
    for v in x:
        heapq.heappush(h, v)
    return h[1] * x[0] + sum(w * w for w in h)  # (the heap's layout: not a sorted list's)


def test_heap_read_past_its_first_item_stays_refused():
    with pytest.raises(srcad.SrcadError, match="heap"):
        srcad.grad(heap_iterated)(X)
