"""Ported cases (session 23, hunt23b), written anew after signal, image and geometry programs:
np.convolve and explicit convolution loops, total-variation energies (np.diff, np.roll), FFT power
spectra with Hanning/Hamming/Blackman/Kaiser windows, rfft/irfft/fft2/fftshift, STFT frames by
sliding_window_view and reshape, autocorrelation (np.correlate and loops), FIR design by a complex
response, phase unwrapping, sinc interpolation, cumulative trapezoids, np.interp and
np.searchsorted, polyval, median filters, overlap-add, Goertzel, an IIR filter loop, a rotated
image by bilinear sampling with floor and clip, Sobel edges; signed distances with smooth minima,
ray-sphere hits, barycentric coordinates, a mesh Laplacian by np.add.at, an ARAP energy and the
Kabsch algorithm (SVD with the reflection fix ``Vt[-1] *= -1``: refused before this session's
fix), eigenvector sign fixing, the shoelace area, de Casteljau (lists and in place), uniform and
centripetal Catmull-Rom, point-segment distance with a clamp, triangle angles by arccos.

Small user functions -> `CASES` (tests/corpus/ported.py collects them); scalar ones are checked
at second order (``extra="hvp"``) too."""

from __future__ import annotations

import numpy as np

from . import Case

X16 = np.sin(np.linspace(0, 5, 16)) + 0.2 * np.cos(np.linspace(0, 31, 16))
RN = np.random.default_rng(23)
TET = np.array([[0, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1.0]])
Q0 = TET
P_ROT = TET @ np.array([[0, 1, 0], [1, 0, 0], [0, 0, 1.0]]) + 0.1 * RN.standard_normal((4, 3))
CTRL = np.array([0.0, 0.0, 1.0, 2.0, 3.0, 2.5, 4.0, 0.0])


SIG = np.sin(np.linspace(0, 6, 32)) + 0.3 * np.cos(np.linspace(0, 23, 32))


def conv_loss(k):
    y = np.convolve(SIG, k, mode="same")
    return np.sum((y - SIG) ** 2)


def conv_loop(k):
    n, m = len(SIG), len(k)
    out = np.zeros(n - m + 1)
    for i in range(n - m + 1):
        for j in range(m):
            out[i] += SIG[i + j] * k[m - 1 - j]
    return np.sum(out**2)


def conv_wrt_signal(x):
    k = np.array([0.25, 0.5, 0.25])
    y = np.convolve(x, k, "valid")
    return np.sum(np.tanh(y) ** 2)


def tv_denoise(u):
    lam, eps = 0.5, 1e-3
    d = np.diff(u)
    return 0.5 * np.sum((u - SIG[: len(u)]) ** 2) + lam * np.sum(np.sqrt(eps + d**2))


def tv2d(x):
    U = x.reshape(6, 6)
    gx = np.roll(U, -1, axis=1) - U
    gy = np.roll(U, -1, axis=0) - U
    return np.sum(np.sqrt(gx**2 + gy**2 + 1e-4))


def power_spectrum(x):
    X = np.fft.rfft(x * np.hanning(len(x)))
    P = np.abs(X) ** 2
    return np.sum(P[1:5]) / np.sum(P)


def fft_roundtrip(x):
    X = np.fft.fft(x)
    X[5:-4] = 0
    y = np.fft.ifft(X).real
    return np.sum((y - x) ** 2)


def spectral_centroid(x):
    mag = np.abs(np.fft.rfft(x))
    f = np.fft.rfftfreq(len(x), d=0.01)
    return np.sum(f * mag) / np.sum(mag)


def window_energy(x):
    w = np.hamming(len(x))
    b = np.blackman(len(x))
    return np.sum((x * w) ** 2) + np.sum(np.abs(x * b))


def img_grad_energy(x):
    Im = x.reshape(5, 5)
    dx = np.roll(Im, 1, axis=1) - Im
    dy = np.roll(Im, 1, axis=0) - Im
    return np.sum(dx**2 + dy**2) + np.sum(np.gradient(Im)[0] ** 2)


IMG = np.random.default_rng(5).standard_normal((6, 7))


def bilinear(pt):
    xs, ys = pt[0::2], pt[1::2]
    total = 0.0
    for x, y in zip(xs, ys):
        x0 = int(np.floor(x))
        y0 = int(np.floor(y))
        x0 = min(max(x0, 0), IMG.shape[1] - 2)
        y0 = min(max(y0, 0), IMG.shape[0] - 2)
        fx, fy = x - x0, y - y0
        v = (
            IMG[y0, x0] * (1 - fx) * (1 - fy)
            + IMG[y0, x0 + 1] * fx * (1 - fy)
            + IMG[y0 + 1, x0] * (1 - fx) * fy
            + IMG[y0 + 1, x0 + 1] * fx * fy
        )
        total += v**2
    return total


def bilinear_vec(pts):
    P = pts.reshape(-1, 2)
    x = np.clip(P[:, 0], 0, IMG.shape[1] - 1.001)
    y = np.clip(P[:, 1], 0, IMG.shape[0] - 1.001)
    x0 = np.floor(x).astype(int)
    y0 = np.floor(y).astype(int)
    wx = x - x0
    wy = y - y0
    v = (
        IMG[y0, x0] * (1 - wx) * (1 - wy)
        + IMG[y0, x0 + 1] * wx * (1 - wy)
        + IMG[y0 + 1, x0] * (1 - wx) * wy
        + IMG[y0 + 1, x0 + 1] * wx * wy
    )
    return np.sum(np.sin(v))


def gauss_blur_sep(sigma):
    r = 2
    t = np.arange(-r, r + 1)
    k = np.exp(-(t**2) / (2 * sigma**2))
    k /= k.sum()
    tmp = np.apply_along_axis(lambda row: np.convolve(row, k, mode="same"), 1, IMG)
    out = np.zeros_like(IMG)
    for j in range(IMG.shape[1]):
        out[:, j] = np.convolve(tmp[:, j], k, mode="same")
    return np.sum(out**2)


def stft_energy(x):
    n, hop = 8, 4
    frames = np.lib.stride_tricks.sliding_window_view(x, n)[::hop]
    F = np.fft.rfft(frames * np.hanning(n), axis=1)
    return np.sum(np.log(1e-2 + np.abs(F) ** 2))


def stft_reshape(x):
    n = 8
    frames = x[: (len(x) // n) * n].reshape(-1, n)
    F = np.fft.rfft(frames, axis=-1)
    return np.sum(np.abs(F))


def autocorr(x):
    x = x - x.mean()
    r = np.correlate(x, x, mode="full")[len(x) - 1 :]
    r = r / r[0]
    return np.sum(r[1:6] ** 2)


def autocorr_loop(x):
    m = np.mean(x)
    v = np.sum((x - m) ** 2)
    acf = []
    for lag in range(1, 5):
        acf.append(np.sum((x[lag:] - m) * (x[:-lag] - m)) / v)
    return sum(a * a for a in acf)


def fir_design(h):
    # frequency response magnitude error against ideal low-pass
    w = np.linspace(0, np.pi, 64)
    n = np.arange(len(h))
    H = np.exp(-1j * np.outer(w, n)) @ h
    ideal = (w < 1.0).astype(float)
    return np.mean((np.abs(H) - ideal) ** 2)


def phase_unwrap(w):
    t = np.linspace(0, 1, 40)
    z = np.exp(1j * (w * t + 0.3 * t**2 * w))
    ph = np.unwrap(np.angle(z))
    return np.sum(ph * t)


def kaiser_filter(x):
    win = np.kaiser(len(x), 5.0)
    return np.sum(np.abs(np.fft.rfft(x * win)) ** 2)


def sinc_interp(x):
    n = np.arange(len(x))
    t = np.linspace(0, len(x) - 1, 25)
    y = np.array([np.sum(x * np.sinc(tt - n)) for tt in t])
    return np.sum(y**2)


def fft2_blur(x):
    Im = x.reshape(8, 8)
    K = np.zeros((8, 8))
    K[0, 0] = 0.5
    K[0, 1] = K[1, 0] = K[-1, 0] = K[0, -1] = 0.125
    out = np.fft.ifft2(np.fft.fft2(Im) * np.fft.fft2(K)).real
    return np.sum((out - 0.5) ** 2)


def fftshift_spec(x):
    X = np.fft.fftshift(np.fft.fft(x))
    f = np.fft.fftshift(np.fft.fftfreq(len(x)))
    return np.sum(np.abs(X) * f**2)


def irfft_lowpass(x):
    X = np.fft.rfft(x)
    X = X * (np.arange(len(X)) < 4)
    y = np.fft.irfft(X, n=len(x))
    return np.sum((y - x) ** 2) + y[0]


def cumtrapz(v):
    t = np.linspace(0, 2, len(v))
    dt = t[1] - t[0]
    pos = np.concatenate([[0.0], np.cumsum(0.5 * (v[1:] + v[:-1]) * dt)])
    return np.sum((pos - t**2) ** 2)


def yield_interp(z):
    knots = np.array([0.5, 1, 2, 5, 10.0])
    t = np.array([0.75, 1.5, 3.0, 7.0, 9.0])
    zt = np.interp(t, knots, z)
    df = np.exp(-zt * t)
    return np.sum(5.0 * df) + 100 * df[-1]


def search_piecewise(x):
    edges = np.array([0.0, 1.0, 2.5, 4.0])
    slopes = np.array([1.0, -0.5, 2.0, 0.3])
    k = np.searchsorted(edges, x, side="right") - 1
    k = np.clip(k, 0, 3)
    y = slopes[k] * (x - edges[k])
    return np.sum(y**2)


def polyval_fit(c):
    t = np.linspace(-1, 1, 11)
    y = np.tanh(2 * t)
    p = np.polyval(c, t)
    return np.sum((p - y) ** 2)


def hypot_arctan2(x):
    P = x.reshape(-1, 2)
    r = np.hypot(P[:, 0], P[:, 1])
    th = np.arctan2(P[:, 1], P[:, 0])
    return np.sum(r * np.cos(2 * th)) + np.sum(th**2)


def median_filter(x):
    k = 3
    pad = np.pad(x, 1, mode="edge")
    out = np.array([np.median(pad[i : i + k]) for i in range(len(x))])
    return np.sum((out - x) ** 2)


def hann_ola(x):
    n, hop = 8, 4
    w = np.hanning(n)
    out = np.zeros(len(x))
    for s in range(0, len(x) - n + 1, hop):
        seg = x[s : s + n] * w
        out[s : s + n] += seg * w
    return np.sum((out - x) ** 2)


def goertzel(x):
    k, N = 3, len(x)
    w = 2 * np.pi * k / N
    c = 2 * np.cos(w)
    s1 = s2 = 0.0
    for v in x:
        s0 = v + c * s1 - s2
        s2 = s1
        s1 = s0
    return s1 * s1 + s2 * s2 - c * s1 * s2


def lfilter_iir(b):
    x = np.sin(np.linspace(0, 8, 30))
    a = np.array([1.0, -0.5, 0.2])
    y = np.zeros_like(x)
    for n in range(len(x)):
        acc = 0.0
        for k in range(len(b)):
            if n - k >= 0:
                acc += b[k] * x[n - k]
        for k in range(1, len(a)):
            if n - k >= 0:
                acc -= a[k] * y[n - k]
        y[n] = acc
    return np.sum(y**2)


def image_warp(theta):
    Im = np.outer(np.sin(np.linspace(0, 3, 10)), np.cos(np.linspace(0, 2, 10)))
    ys, xs = np.mgrid[0:10, 0:10].astype(float)
    c, s = np.cos(theta), np.sin(theta)
    xr = c * (xs - 4.5) - s * (ys - 4.5) + 4.5
    yr = s * (xs - 4.5) + c * (ys - 4.5) + 4.5
    xr = np.clip(xr, 0, 8.999)
    yr = np.clip(yr, 0, 8.999)
    x0 = np.floor(xr).astype(int)
    y0 = np.floor(yr).astype(int)
    fx = xr - x0
    fy = yr - y0
    W = (
        Im[y0, x0] * (1 - fx) * (1 - fy)
        + Im[y0, x0 + 1] * fx * (1 - fy)
        + Im[y0 + 1, x0] * (1 - fx) * fy
        + Im[y0 + 1, x0 + 1] * fx * fy
    )
    return (W - Im).ravel()  # (floor-indexed: the Jacobian only, no Hessian test across cells)


def sobel_edges(x):
    Im = x.reshape(6, 6)
    Kx = np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1.0]])
    Ky = Kx.T
    H, W = Im.shape
    gx = np.zeros((H - 2, W - 2))
    gy = np.zeros((H - 2, W - 2))
    for i in range(H - 2):
        for j in range(W - 2):
            patch = Im[i : i + 3, j : j + 3]
            gx[i, j] = np.sum(patch * Kx)
            gy[i, j] = np.sum(patch * Ky)
    return np.sum(np.sqrt(gx**2 + gy**2 + 1e-6))


def sdf_scene(p):
    P = p.reshape(-1, 3)
    c1, r1 = np.array([0.0, 0.0, 0.0]), 1.0
    c2 = np.array([1.2, 0.3, 0.0])
    d1 = np.linalg.norm(P - c1, axis=1) - r1
    q = np.abs(P - c2) - np.array([0.4, 0.3, 0.5])
    d2 = np.linalg.norm(np.maximum(q, 0.0), axis=1) + np.minimum(np.max(q, axis=1), 0.0)
    k = 0.3
    h = np.clip(0.5 + 0.5 * (d2 - d1) / k, 0.0, 1.0)
    d = d2 * (1 - h) + d1 * h - k * h * (1 - h)
    return np.sum(d**2)


def sdf_logsumexp_min(p):
    P = p.reshape(-1, 2)
    centers = np.array([[0.0, 0.0], [1.0, 0.5], [-0.5, 1.0]])
    radii = np.array([0.5, 0.3, 0.4])
    D = np.linalg.norm(P[:, None, :] - centers[None], axis=-1) - radii
    k = 8.0
    smin = -np.log(np.sum(np.exp(-k * D), axis=1)) / k
    return np.sum(smin**2)


def ray_sphere(o):
    d = np.array([0.0, 0.3, 1.0])
    d = d / np.linalg.norm(d)
    c = np.array([0.1, 1.3, 5.0])
    R = 1.0
    oc = o - c
    b = np.dot(oc, d)
    cc = np.dot(oc, oc) - R * R
    disc = b * b - cc
    if disc < 0:
        return 0.0 * o[0] + 10.0
    t = -b - np.sqrt(disc)
    hit = o + t * d
    n = (hit - c) / R
    return t + 0.5 * np.dot(n, np.array([0.0, 1.0, 0.0]))


def ray_sphere_where(o):
    dirs = np.array([[0, 0, 1.0], [0.1, 0, 1.0], [0, 0.2, 1.0], [0.5, 0.5, 1.0]])
    dirs = dirs / np.linalg.norm(dirs, axis=1, keepdims=True)
    c = np.array([0.0, 0.0, 4.0])
    oc = o - c
    b = dirs @ oc
    disc = b**2 - (oc @ oc - 1.0)
    t = np.where(disc > 0, -b - np.sqrt(np.maximum(disc, 0.0)), 10.0)
    return np.sum(t)


TRI = np.array([[0.0, 0.0], [2.0, 0.2], [0.5, 1.8]])


def barycentric(p):
    a, b, c = TRI
    v0, v1, v2 = b - a, c - a, p - a
    d00, d01, d11 = v0 @ v0, v0 @ v1, v1 @ v1
    d20, d21 = v2 @ v0, v2 @ v1
    den = d00 * d11 - d01 * d01
    v = (d11 * d20 - d01 * d21) / den
    w = (d00 * d21 - d01 * d20) / den
    u = 1 - v - w
    vals = np.array([1.0, 3.0, -2.0])
    return (u * vals[0] + v * vals[1] + w * vals[2]) ** 2


def bary_wrt_tri(t):
    T = t.reshape(3, 2)
    p = np.array([0.7, 0.6])
    M = np.array([[T[0, 0] - T[2, 0], T[1, 0] - T[2, 0]], [T[0, 1] - T[2, 1], T[1, 1] - T[2, 1]]])
    l12 = np.linalg.solve(M, p - T[2])
    lam = np.append(l12, 1 - l12.sum())
    return np.sum(lam**3)


EDGES = np.array([[0, 1], [1, 2], [2, 0], [2, 3], [3, 0], [1, 3]])


def mesh_laplacian(x):
    V = x.reshape(4, 3)
    n = len(V)
    L = np.zeros_like(V)
    deg = np.zeros(n)
    i, j = EDGES[:, 0], EDGES[:, 1]
    np.add.at(L, i, V[j] - V[i])
    np.add.at(L, j, V[i] - V[j])
    np.add.at(deg, i, 1.0)
    np.add.at(deg, j, 1.0)
    L = L / deg[:, None]
    return np.sum(L**2)


def arap(x):
    V = x.reshape(4, 3)
    V0 = np.array([[0, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1.0]])
    E = 0.0
    for v in range(4):
        nbr = [e[1] if e[0] == v else e[0] for e in EDGES if v in e]
        P = np.array([V0[u] - V0[v] for u in nbr])
        Q = np.array([V[u] - V[v] for u in nbr])
        S = P.T @ Q
        U, s, Vt = np.linalg.svd(S)
        R = Vt.T @ U.T
        if np.linalg.det(R) < 0:
            Vt[-1] *= -1
            R = Vt.T @ U.T
        E += np.sum((Q - P @ R.T) ** 2)
    return E


def shoelace(p):
    P = p.reshape(-1, 2)
    x, y = P[:, 0], P[:, 1]
    area = 0.5 * np.abs(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1)))
    perim = np.sum(np.linalg.norm(P - np.roll(P, 1, axis=0), axis=1))
    return perim**2 / area


def decasteljau(cp):
    P = cp.reshape(-1, 2)
    pts = []
    for t in np.linspace(0, 1, 9):
        Q = [P[i] for i in range(len(P))]
        while len(Q) > 1:
            Q = [(1 - t) * Q[i] + t * Q[i + 1] for i in range(len(Q) - 1)]
        pts.append(Q[0])
    pts = np.array(pts)
    seg = np.diff(pts, axis=0)
    return np.sum(np.sqrt(np.sum(seg**2, axis=1)))


def decasteljau_inplace(t):
    P = np.array([[0.0, 0.0], [1.0, 2.0], [3.0, 2.5], [4.0, 0.0]])
    Q = P.copy()
    n = len(Q)
    for r in range(1, n):
        for i in range(n - r):
            Q[i] = (1 - t) * Q[i] + t * Q[i + 1]
    return Q[0, 0] * Q[0, 1]


def catmull_rom(p):
    P = p.reshape(-1, 2)
    out = 0.0
    for i in range(1, len(P) - 2):
        p0, p1, p2, p3 = P[i - 1], P[i], P[i + 1], P[i + 2]
        for t in (0.25, 0.5, 0.75):
            t2, t3 = t * t, t * t * t
            q = 0.5 * (
                (2 * p1)
                + (-p0 + p2) * t
                + (2 * p0 - 5 * p1 + 4 * p2 - p3) * t2
                + (-p0 + 3 * p1 - 3 * p2 + p3) * t3
            )
            out += q @ q
    return out


def centripetal_cr(p):
    P = p.reshape(-1, 2)
    p0, p1, p2, p3 = P

    def tj(ti, a, b):
        return ti + np.sum((b - a) ** 2) ** 0.25

    t0 = 0.0
    t1 = tj(t0, p0, p1)
    t2 = tj(t1, p1, p2)
    t3 = tj(t2, p2, p3)
    t = t1 + 0.4 * (t2 - t1)
    A1 = (t1 - t) / (t1 - t0) * p0 + (t - t0) / (t1 - t0) * p1
    A2 = (t2 - t) / (t2 - t1) * p1 + (t - t1) / (t2 - t1) * p2
    A3 = (t3 - t) / (t3 - t2) * p2 + (t - t2) / (t3 - t2) * p3
    B1 = (t2 - t) / (t2 - t0) * A1 + (t - t0) / (t2 - t0) * A2
    B2 = (t3 - t) / (t3 - t1) * A2 + (t - t1) / (t3 - t1) * A3
    C = (t2 - t) / (t2 - t1) * B1 + (t - t1) / (t2 - t1) * B2
    return C[0] + 2 * C[1]


def point_segment_dist(p):
    a = np.array([0.0, 0.0])
    b = np.array([2.0, 1.0])
    ab = b - a
    t = np.dot(p - a, ab) / np.dot(ab, ab)
    t = max(0.0, min(1.0, t))
    closest = a + t * ab
    return np.linalg.norm(p - closest)


def triangle_angles(p):
    P = p.reshape(3, 2)
    angs = []
    for i in range(3):
        u = P[(i + 1) % 3] - P[i]
        v = P[(i + 2) % 3] - P[i]
        cosang = u @ v / (np.linalg.norm(u) * np.linalg.norm(v))
        angs.append(np.arccos(np.clip(cosang, -1, 1)))
    return np.sum((np.array(angs) - np.pi / 3) ** 2)


def ok_kabsch(x):
    P = x.reshape(4, 3)
    Q = np.array([[0, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1.0]])
    Pc = P - P.mean(0)
    Qc = Q - Q.mean(0)
    H = Pc.T @ Qc
    U, S, Vt = np.linalg.svd(H)
    d = np.sign(np.linalg.det(Vt.T @ U.T))
    if d < 0:
        Vt[-1, :] *= -1
    R = Vt.T @ U.T
    return np.sum((Pc @ R.T - Qc) ** 2)


def ok_eigh(x):
    S = x.reshape(3, 3)
    S = S + S.T
    w, V = np.linalg.eigh(S)
    for j in range(3):
        if V[0, j] < 0:
            V[:, j] *= -1
    return np.sum(V[:, 0] * np.array([1.0, 2.0, 3.0])) + w[0]


CASES = [
    Case(conv_loss, (np.array([0.2, 0.5, 0.3]),), (0,), extra="hvp"),
    Case(conv_loop, (np.array([0.2, 0.5, 0.3, -0.1]),), (0,), extra="hvp"),
    Case(conv_wrt_signal, (SIG[:10].copy(),), (0,), extra="hvp"),
    Case(tv_denoise, (SIG[:12] + 0.1,), (0,), extra="hvp"),
    Case(tv2d, (RN.standard_normal(36),), (0,), extra="hvp"),
    Case(power_spectrum, (SIG[:16].copy(),), (0,), extra="hvp"),
    Case(fft_roundtrip, (SIG[:16].copy(),), (0,), extra="hvp"),
    Case(spectral_centroid, (SIG[:16].copy(),), (0,), extra="hvp"),
    Case(window_energy, (SIG[:9].copy(),), (0,), extra="hvp"),
    Case(img_grad_energy, (RN.standard_normal(25),), (0,), extra="hvp"),
    Case(bilinear, (np.array([1.3, 2.7, 4.5, 0.2, 5.9, 4.4]),), (0,), extra="hvp"),
    Case(bilinear_vec, (np.array([1.3, 2.7, 4.5, 0.2, 5.5, 4.4]),), (0,), extra="hvp"),
    Case(gauss_blur_sep, (1.2,), (0,), extra="hvp"),
    Case(stft_energy, (SIG[:24].copy(),), (0,), extra="hvp"),
    Case(stft_reshape, (SIG[:20].copy(),), (0,), extra="hvp"),
    Case(autocorr, (SIG[:16].copy(),), (0,), extra="hvp"),
    Case(autocorr_loop, (SIG[:16].copy(),), (0,), extra="hvp"),
    Case(fir_design, (np.array([0.1, 0.2, 0.3, 0.2, 0.1]),), (0,), extra="hvp"),
    Case(phase_unwrap, (9.0,), (0,), extra="hvp"),
    Case(kaiser_filter, (X16.copy(),), (0,), extra="hvp"),
    Case(sinc_interp, (X16[:8].copy(),), (0,), extra="hvp"),
    Case(fft2_blur, (RN.standard_normal(64),), (0,), extra="hvp"),
    Case(fftshift_spec, (X16.copy(),), (0,), extra="hvp"),
    Case(irfft_lowpass, (X16.copy(),), (0,), extra="hvp"),
    Case(cumtrapz, (np.linspace(0, 4, 9) + 0.1,), (0,), extra="hvp"),
    Case(yield_interp, (np.array([0.01, 0.015, 0.02, 0.025, 0.03]),), (0,), extra="hvp"),
    Case(search_piecewise, (np.array([0.5, 1.7, 3.1, 4.5]),), (0,), extra="hvp"),
    Case(polyval_fit, (np.array([0.1, -0.2, 1.5, 0.05]),), (0,), extra="hvp"),
    Case(hypot_arctan2, (np.array([1.0, 0.5, -0.3, 0.8, -1.0, -0.2]),), (0,), extra="hvp"),
    Case(median_filter, (X16.copy(),), (0,), extra="hvp"),
    Case(hann_ola, (X16.copy(),), (0,), extra="hvp"),
    Case(goertzel, (X16.copy(),), (0,), extra="hvp"),
    Case(lfilter_iir, (np.array([0.2, 0.3, 0.1]),), (0,), extra="hvp"),
    Case(image_warp, (0.2,), (0,)),
    Case(sobel_edges, (RN.standard_normal(36),), (0,), extra="hvp"),
    Case(sdf_scene, (np.array([0.5, 0.2, 0.1, 1.1, 0.4, 0.2, -0.3, 1.5, 0.8]),), (0,), extra="hvp"),
    Case(sdf_logsumexp_min, (np.array([0.5, 0.2, 0.1, 1.1, 0.4, 0.2]),), (0,), extra="hvp"),
    Case(ray_sphere, (np.array([0.05, 0.0, 0.0]),), (0,), extra="hvp"),
    Case(
        ray_sphere,
        (np.array([3.0, 0.0, 0.0]),),
        (0,),
        name="ported_hunt23b.ray_sphere_miss",
        extra="hvp",
    ),
    Case(ray_sphere_where, (np.array([0.05, 0.1, 0.0]),), (0,), extra="hvp"),
    Case(barycentric, (np.array([0.7, 0.6]),), (0,), extra="hvp"),
    Case(bary_wrt_tri, (TRI.ravel().copy(),), (0,), extra="hvp"),
    Case(mesh_laplacian, (RN.standard_normal(12),), (0,), extra="hvp"),
    Case(arap, ((TET + 0.1 * RN.standard_normal((4, 3))).ravel(),), (0,), extra="hvp"),
    Case(
        shoelace,
        (np.array([0.0, 0.0, 2.0, 0.1, 2.2, 1.5, 0.3, 1.8, -0.4, 0.9]),),
        (0,),
        extra="hvp",
    ),
    Case(decasteljau, (CTRL.copy(),), (0,), extra="hvp"),
    Case(decasteljau_inplace, (0.35,), (0,), extra="hvp"),
    Case(
        catmull_rom,
        (np.array([0.0, 0.0, 1.0, 2.0, 3.0, 2.5, 4.0, 0.0, 5.0, 1.0]),),
        (0,),
        extra="hvp",
    ),
    Case(centripetal_cr, (CTRL.copy(),), (0,), extra="hvp"),
    Case(point_segment_dist, (np.array([1.0, 1.5]),), (0,), extra="hvp"),
    Case(
        point_segment_dist,
        (np.array([3.0, 1.5]),),
        (0,),
        name="ported_hunt23b.pt_seg_end",
        extra="hvp",
    ),
    Case(triangle_angles, (np.array([0.0, 0.0, 2.0, 0.1, 0.5, 1.8]),), (0,), extra="hvp"),
    Case(ok_kabsch, (P_ROT.ravel(),), (0,), name="ported_hunt23b.kabsch", extra="hvp"),
    Case(
        ok_kabsch,
        ((P_ROT @ np.diag([1, 1, -1.0])).ravel(),),
        (0,),
        name="ported_hunt23b.kabsch_reflected",
        extra="hvp",
    ),
    Case(ok_eigh, (RN.standard_normal(9),), (0,), name="ported_hunt23b.eigh_sign_fix", extra="hvp"),
]
