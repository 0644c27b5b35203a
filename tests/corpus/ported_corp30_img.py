"""Ported cases (session 30, corp30), written anew as user code after textbook NumPy image and
signal processing scripts: total-variation denoising by gradient descent on the smoothed TV
energy (forward differences by ``np.diff(..., append=...)``, divergence by backward
differences), Chambolle's dual projection algorithm for the ROF model, a "valid" 2-D
convolution written as two loops over output pixels, a Gaussian blur by a separable kernel built
from ``sigma`` and applied row by row then column by column with ``np.convolve``; a direct-form
IIR filter ``y[n] = b0*x[n] + b1*x[n-1] - a1*y[n-1]`` as a loop over samples, Savitzky-Golay
smoothing by ``np.polyfit`` over sliding windows and by the pseudo-inverse of the window's
Vandermonde matrix, aligning two signals by the peak of ``np.correlate``; the same with
``np.pad``/``np.gradient``, a median filter by loops, FFT cross-correlation, and scipy's
``gaussian_filter``, ``lfilter`` and ``savgol_filter``.

Float images, kernels, signals and coefficients -> float scalar losses or arrays."""

from __future__ import annotations

import numpy as np
from scipy import ndimage, signal

from . import Case

R = np.random.default_rng(30002)
CLEAN = np.zeros((6, 6))
CLEAN[1:4, 2:5] = 1.0
NOISY = np.round(CLEAN + 0.2 * R.normal(size=CLEAN.shape), 3)
SIG = np.round(np.sin(np.linspace(0, 3, 12)) + 0.1 * R.normal(size=12), 3)


def grad_x(u):
    return np.diff(u, axis=1, append=u[:, -1:])


def grad_y(u):
    return np.diff(u, axis=0, append=u[-1:, :])


def div(px, py):
    # the negative adjoint of the forward differences above
    dx = np.zeros_like(px)
    dy = np.zeros_like(py)
    dx[:, 0] = px[:, 0]
    dx[:, 1:-1] = px[:, 1:-1] - px[:, :-2]
    dx[:, -1] = -px[:, -2]
    dy[0, :] = py[0, :]
    dy[1:-1, :] = py[1:-1, :] - py[:-2, :]
    dy[-1, :] = -py[-2, :]
    return dx + dy


def tv_denoise_gd(f, lam, n_iter=8, tau=0.1, eps=1e-2):
    u = f.copy()
    for _ in range(n_iter):
        ux, uy = grad_x(u), grad_y(u)
        norm = np.sqrt(ux**2 + uy**2 + eps**2)
        u = u - tau * ((u - f) - lam * div(ux / norm, uy / norm))
    return u


def tv_denoise_error(lam):
    # eps=0.1: with eps=0.01 the error swings between curvatures of -30 and 30 within 0.01 of lam
    # (pixel differences near 0, smoothed at 1e-2), beyond what central differences resolve
    u = tv_denoise_gd(NOISY, lam, eps=0.1)
    return np.mean((u - CLEAN) ** 2)


def tv_energy(u, f, lam):
    ux, uy = grad_x(u), grad_y(u)
    # smoothed at 0.1 (not 0.01: its curvature changes at a scale below central differences' step)
    return 0.5 * np.sum((u - f) ** 2) + lam * np.sum(np.sqrt(ux**2 + uy**2 + 1e-2))


def chambolle_rof(f, lam, n_iter=6, tau=0.125):
    h, w = f.shape
    px = np.zeros((h, w))
    py = np.zeros((h, w))
    for _ in range(n_iter):
        g = div(px, py) - f / lam
        gx, gy = grad_x(g), grad_y(g)
        norm = np.sqrt(gx * gx + gy * gy)
        px = (px + tau * gx) / (1.0 + tau * norm)
        py = (py + tau * gy) / (1.0 + tau * norm)
    return f - lam * div(px, py)


def chambolle_error(f, lam):
    return np.sum((chambolle_rof(f, lam) - CLEAN) ** 2)


def conv2d_valid(img, kernel):
    H, W = img.shape
    kh, kw = kernel.shape
    out = np.zeros((H - kh + 1, W - kw + 1))
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            out[i, j] = np.sum(img[i : i + kh, j : j + kw] * kernel)
    return out


def conv2d_loss(img, kernel):
    return np.sum(np.maximum(conv2d_valid(img, kernel), 0.0) ** 2)


def gaussian_kernel1d(sigma, radius):
    x = np.arange(-radius, radius + 1)
    g = np.exp(-(x**2) / (2 * sigma**2))
    return g / g.sum()


def gaussian_blur(img, sigma, radius=2):
    g = gaussian_kernel1d(sigma, radius)
    tmp = np.empty_like(img)
    for i in range(img.shape[0]):
        tmp[i, :] = np.convolve(img[i, :], g, mode="same")
    out = np.empty_like(img)
    for j in range(img.shape[1]):
        out[:, j] = np.convolve(tmp[:, j], g, mode="same")
    return out


def blur_fit(img, sigma):
    return np.sum((gaussian_blur(img, sigma) - CLEAN) ** 2)


def unsharp_mask(img, amount):
    blurred = gaussian_blur(img, 1.0)
    sharp = img + amount * (img - blurred)
    return np.clip(sharp, 0.0, 1.0)


# -- signal processing ---------------------------------------------------------------------------


def iir_filter(x, b0, b1, a1):
    y = np.zeros_like(x)
    for n in range(len(x)):
        y[n] = b0 * x[n]
        if n > 0:
            y[n] += b1 * x[n - 1] - a1 * y[n - 1]
    return y


def iir_fit(b0, b1, a1):
    target = np.convolve(SIG, [0.5, 0.3], mode="full")[: len(SIG)]
    return np.sum((iir_filter(SIG, b0, b1, a1) - target) ** 2)


def savgol_polyfit(x, window=5, deg=2):
    half = window // 2
    t = np.arange(-half, half + 1)
    y = x.copy()
    for i in range(half, len(x) - half):
        coeffs = np.polyfit(t, x[i - half : i + half + 1], deg)
        y[i] = np.polyval(coeffs, 0)
    return y


def savgol_coeffs(window, deg):
    half = window // 2
    A = np.vander(np.arange(-half, half + 1), deg + 1, increasing=True).astype(float)
    return np.linalg.pinv(A)[0]


def savgol_pinv(x, window=5, deg=2):
    c = savgol_coeffs(window, deg)
    return np.convolve(x, c[::-1], mode="valid")


def savgol_roughness(x):
    return np.sum(np.diff(savgol_pinv(x)) ** 2) + np.sum(savgol_polyfit(x) ** 2)


def align_by_xcorr(a, b):
    # shift b onto a by the lag of the cross-correlation peak, then the residual
    corr = np.correlate(a - a.mean(), b - b.mean(), mode="full")
    lag = int(np.argmax(corr)) - (len(b) - 1)
    shifted = np.roll(b, lag)
    return np.sum((a - shifted) ** 2)


def soft_lag(a, b, temp=0.5):
    corr = np.correlate(a, b, mode="full")
    lags = np.arange(-(len(b) - 1), len(a))
    w = np.exp((corr - corr.max()) / temp)
    return np.sum(w * lags) / np.sum(w)


def median_filter_energy(img):
    # a 3x3 median filter by loops over a reflect-padded image
    out = np.zeros_like(img)
    H, W = img.shape
    p = np.pad(img, 1, mode="reflect")
    for i in range(H):
        for j in range(W):
            out[i, j] = np.median(p[i : i + 3, j : j + 3])
    return np.sum((out - CLEAN) ** 2)


def fft_soft_lag(a, b, temp=0.3):
    # circular cross-correlation through the FFT, its peak located by a soft argmax
    n = len(a)
    c = np.fft.irfft(np.fft.rfft(a) * np.conj(np.fft.rfft(b)), n)
    w = np.exp((c - c.max()) / temp)
    return np.sum(w * np.arange(n)) / np.sum(w)


def tv_padded(u, f, lam):
    # the same energy with edge padding and np.gradient, as other scripts write it
    p = np.pad(u, 1, mode="edge")
    gx = (p[1:-1, 2:] - p[1:-1, :-2]) / 2.0
    gy, _ = np.gradient(u)
    return 0.5 * np.sum((u - f) ** 2) + lam * np.sum(np.sqrt(gx**2 + gy**2 + 1e-3))


def scipy_pipeline(img, sig, b0):
    # ndimage's Gaussian, lfilter's IIR and savgol_filter: the library versions of the above
    blurred = ndimage.gaussian_filter(img, 0.8)
    y = signal.lfilter([b0, 0.2], [1.0, -0.3], sig)
    smooth = signal.savgol_filter(sig, 5, 2)
    return np.sum((blurred - CLEAN) ** 2) + np.sum((y - smooth) ** 2)


CASES = [
    Case(tv_denoise_error, (0.3,), (0,)),
    Case(tv_energy, (NOISY * 0.9, NOISY, 0.2), (0, 1, 2)),
    Case(chambolle_error, (NOISY, 0.25), (0, 1)),
    Case(conv2d_loss, (NOISY, np.round(R.normal(size=(3, 3)), 3)), (0, 1)),
    Case(blur_fit, (NOISY, 0.9), (0, 1)),
    Case(unsharp_mask, (NOISY * 0.5 + 0.25, 0.7), (0, 1)),
    Case(iir_fit, (0.4, 0.2, -0.3), (0, 1, 2)),
    Case(iir_filter, (SIG, 0.4, 0.2, -0.3), (0, 1, 2, 3)),
    Case(savgol_roughness, (SIG,), (0,)),
    Case(align_by_xcorr, (SIG, np.roll(SIG, 2) + 0.05), (0, 1)),
    Case(soft_lag, (SIG, np.roll(SIG, 2)), (0, 1)),
    Case(median_filter_energy, (NOISY,), (0,)),
    Case(fft_soft_lag, (SIG, np.roll(SIG, 3)), (0, 1)),
    Case(tv_padded, (NOISY * 0.9, NOISY, 0.2), (0, 1, 2)),
    Case(scipy_pipeline, (NOISY, SIG, 0.4), (0, 1, 2)),
]
