"""Ported cases (session 9, corp9), written anew as user code:
ADBench's objectives: bundle adjustment's reprojection error, the GMM log-likelihood in
its loop and vectorized forms, hand tracking's skinned mesh and the LSTM.

Small user functions -> `CASES` for the corpus (tests/corpus/ported.py collects them); every row
is scalar-valued and also checked at second order (``extra="hvp"``)."""

from __future__ import annotations

import math  # noqa: F401

import numpy as np
import scipy.linalg as sla  # noqa: F401
from scipy import special  # noqa: F401

from . import Case

R = np.random.default_rng(15200013)
XS = np.round(R.standard_normal(80) * 0.5 + 0.1, 3)
ROT_IDX, C_IDX, F_IDX, X0_IDX, RAD_IDX = 0, 3, 6, 7, 9
CAMS = R.standard_normal((2, 11)) * 0.2 + np.array([0, 0, 0, 0, 0, -5.0, 1.0, 0, 0, 0, 0])
PTS = R.standard_normal((3, 3))
OBS = np.array([[0, 0], [1, 1], [0, 2], [1, 0]])
FEATS = R.standard_normal((4, 2)) * 0.1
WS = np.array([0.9, 1.1, 0.8, 1.0])
D, K, N = 3, 2, 4
GMM_X = R.standard_normal((N, D))
NBONES = 4
PARENTS = [-1, 0, 1, 1]
BASE_REL = np.stack([np.eye(4) + 0.1 * R.standard_normal((4, 4)) for _ in range(NBONES)])
BASE_REL[:, 3, :] = [0, 0, 0, 1]
BASE_REL[:, 3, :] = [0, 0, 0, 1]
INV_BASE_ABS = np.stack([np.eye(4) + 0.05 * R.standard_normal((4, 4)) for _ in range(NBONES)])
BASE_POS = np.hstack([R.standard_normal((5, 3)), np.ones((5, 1))])
HWEIGHTS = np.abs(R.standard_normal((5, NBONES)))
HPOINTS = R.standard_normal((3, 3))
CORR = [0, 2, 4]
TRIS = np.array([[0, 1, 2], [1, 2, 3], [2, 3, 4]])
HS = 3
SEQ = R.standard_normal((3, HS))
STATE0 = R.standard_normal((4, HS)) * 0.3


def _ad_cross(a, b):
    out = np.empty(3)
    out[0] = a[1] * b[2] - a[2] * b[1]
    out[1] = a[2] * b[0] - a[0] * b[2]
    out[2] = a[0] * b[1] - a[1] * b[0]
    return out


def _ad_rodrigues_rotate_point(rot, pt):
    sqtheta = np.sum(np.square(rot))
    if sqtheta != 0.0:
        theta = np.sqrt(sqtheta)
        costheta = np.cos(theta)
        sintheta = np.sin(theta)
        theta_inverse = 1.0 / theta
        w = theta_inverse * rot
        w_cross_x = _ad_cross(w, pt)
        tmp = np.dot(w, pt) * (1.0 - costheta)
        return pt * costheta + w_cross_x * sintheta + w * tmp
    return pt + _ad_cross(rot, pt)


def _ad_radial_distort(rad, proj):
    rsq = np.sum(np.square(proj))
    scale = 1.0 + rad[0] * rsq + rad[1] * rsq * rsq
    return proj * scale


def _ad_project(cam, pt):
    xcam = _ad_rodrigues_rotate_point(cam[ROT_IDX : ROT_IDX + 3], pt - cam[C_IDX : C_IDX + 3])
    distorted = _ad_radial_distort(cam[RAD_IDX : RAD_IDX + 2], xcam[0:2] / xcam[2])
    return distorted * cam[F_IDX] + cam[X0_IDX : X0_IDX + 2]


def _ad_compute_reproj_err(cam, pt, w, feat):
    return w * (_ad_project(cam, pt) - feat)


def _ad_ba_objective(cams, pts, w, obs, feats):
    p = obs.shape[0]
    reproj_err = np.empty((p, 2))
    for i in range(p):
        reproj_err[i] = _ad_compute_reproj_err(cams[obs[i, 0]], pts[obs[i, 1]], w[i], feats[i])
    w_err = 1.0 - np.square(w)
    return reproj_err, w_err


def ad_ba_loss(x):
    cams = CAMS + 0.1 * x[:22].reshape(2, 11)
    pts = PTS + x[22:31].reshape(3, 3)
    err, werr = _ad_ba_objective(cams, pts, WS * (1.0 + 0.1 * x[31]), OBS, FEATS)
    return np.sum(err**2) + np.sum(werr**2)


def ad_ba_reproj_wrapper(x):
    # ADBench's Jacobian wrapper: one observation's parameters in one vector
    params = np.concatenate([CAMS[0] + 0.1 * x[:11], PTS[1] + x[11:14], [0.9 + 0.1 * x[14]]])
    e = _ad_compute_reproj_err(params[0:11], params[11:14], params[-1], FEATS[0])
    return np.sum(e**2)


def ad_ba_zero_rotation(x):
    cam = CAMS[0].copy()
    cam[:3] = 0.0  # the other branch of _ad_rodrigues_rotate_point
    cam[3:] = cam[3:] + 0.1 * x[:8]
    e = _ad_compute_reproj_err(cam, PTS[0] + x[8:11], 1.0, FEATS[1])
    return np.sum(e**2)


def _ad_logsumexp(x):
    mx = np.amax(x)
    emx = np.asarray([np.exp(x[i] - mx) for i in range(x.size)])
    return np.log(emx.sum()) + mx


def _ad_logsumexpvec(x):
    mx = np.max(x, 1)
    lset = np.log(np.sum(np.exp(x.T - mx), 0))
    return lset + mx


def _ad_sqsum(x):
    return np.square(x).sum()


def _ad_log_wishart_prior(p, wishart_gamma, wishart_m, sum_qs, qdiags, icf):
    n = p + wishart_m + 1
    k = icf.shape[0]
    out = 0
    for ik in range(k):
        frob = _ad_sqsum(qdiags[ik, :]) + _ad_sqsum(icf[ik, p:])
        out = out + 0.5 * wishart_gamma * wishart_gamma * frob - wishart_m * sum_qs[ik]
    c = n * p * (np.log(wishart_gamma) - 0.5 * np.log(2)) - special.multigammaln(0.5 * n, p)
    return out - k * c


def _ad_construct_l_plain(d, icf):
    idx = d
    columns = []
    for i in range(d):
        nelems = d - i - 1
        columns.append(np.concatenate((np.zeros(i + 1), icf[idx : idx + nelems])))
        idx += nelems
    return np.column_stack(columns)


def _ad_qtimesx(qdiag, lm, x):
    res = np.asarray([qdiag[i] * x[i] for i in range(qdiag.size)])
    for i in range(lm.shape[0]):
        res = res + np.asarray([lm[j, i] * x[i] for j in range(lm.shape[0])])
    return res


def _ad_gmm_objective_loop(alphas, means, icf, x, wishart_gamma, wishart_m):
    n, d = x.shape
    k = alphas.size
    qdiags = np.asarray([np.exp(icf[ik, :d]) for ik in range(k)])
    sum_qs = np.asarray([np.sum(icf[ik, :d]) for ik in range(k)])
    ls = np.asarray([_ad_construct_l_plain(d, c) for c in icf])

    def inner_term(ix, ik):
        xc = x[ix, :] - means[ik, :]
        lxc = _ad_qtimesx(qdiags[ik, :], ls[ik, :, :], xc)
        return alphas[ik] + sum_qs[ik] - 0.5 * _ad_sqsum(lxc)

    slse = 0
    for ix in range(n):
        lse = np.asarray([inner_term(ix, ik) for ik in range(k)])
        slse = slse + _ad_logsumexp(lse)
    const = -n * d * 0.5 * np.log(2 * np.pi)
    return (
        const
        + slse
        - n * _ad_logsumexp(alphas)
        + _ad_log_wishart_prior(d, wishart_gamma, wishart_m, sum_qs, qdiags, icf)
    )


def _ad_gmm_objective_vec(alphas, means, icf, x, wishart_gamma, wishart_m):
    n, d = x.shape
    qdiags = np.exp(icf[:, :d])
    sum_qs = np.sum(icf[:, :d], 1)
    ls = np.stack([_ad_construct_l_plain(d, c) for c in icf])
    xc = np.stack(tuple(x[i] - means for i in range(n)))
    lxc = qdiags * xc + np.einsum("ijk,mik->mij", ls, xc)
    inner = alphas + sum_qs - 0.5 * np.sum(lxc**2, 2)
    slse = np.sum(_ad_logsumexpvec(inner))
    const = -n * d * 0.5 * math.log(2 * math.pi)
    k = icf.shape[0]
    nn = d + wishart_m + 1
    out = np.sum(
        0.5 * wishart_gamma**2 * (np.sum(qdiags**2, 1) + np.sum(icf[:, d:] ** 2, 1))
        - wishart_m * sum_qs
    )
    c = nn * d * math.log(wishart_gamma / math.sqrt(2))
    prior = out - k * (c - special.multigammaln(0.5 * nn, d))
    return const + slse - n * _ad_logsumexp(alphas) + prior


def _ad_gmm_split(x):
    alphas = x[:K]
    means = x[K : K + K * D].reshape(K, D)
    icf = x[K + K * D : K + K * D + K * (D * (D + 1) // 2)].reshape(K, -1)
    return alphas, means, icf


def ad_gmm_loop(x):
    a, m, icf = _ad_gmm_split(x)
    return _ad_gmm_objective_loop(a, m, icf, GMM_X, 1.0, 0)


def ad_gmm_vec(x):
    a, m, icf = _ad_gmm_split(x)
    return _ad_gmm_objective_vec(a, m, icf, GMM_X, 1.0, 0)


def _ad_to_pose_params(theta, nbones):
    pose = np.zeros((nbones + 3, 3))
    pose[0, :] = theta[0:3]
    pose[1, :] = np.ones(3)
    pose[2, :] = theta[3:6]
    i_theta = 6
    i_pose = 5
    for _i_finger in range(1):
        for i in [1, 2]:
            pose[i_pose - 2, 0] = theta[i_theta]
            i_theta += 1
            if i == 1:
                pose[i_pose - 2, 1] = theta[i_theta]
                i_theta += 1
            i_pose += 1
    return pose


def _ad_euler_to_rot(xzy):
    tx, ty, tz = xzy[0], xzy[2], xzy[1]
    rx = np.eye(3)
    rx[1, 1] = np.cos(tx)
    rx[2, 1] = np.sin(tx)
    rx[1, 2] = -rx[2, 1]
    rx[2, 2] = rx[1, 1]
    ry = np.eye(3)
    ry[0, 0] = np.cos(ty)
    ry[2, 0] = np.sin(ty)
    ry[0, 2] = -ry[2, 0]
    ry[2, 2] = ry[0, 0]
    rz = np.eye(3)
    rz[0, 0] = np.cos(tz)
    rz[1, 0] = np.sin(tz)
    rz[0, 1] = -rz[1, 0]
    rz[1, 1] = rz[0, 0]
    return (rz @ ry) @ rx


def _ad_get_posed_relatives(pose, base_relatives):
    def inner(rot_param, base_relative):
        tr = np.eye(4)
        tr[:3, :3] = _ad_euler_to_rot(rot_param)
        return base_relative @ tr

    return np.stack([inner(pose[3:][i], base_relatives[i]) for i in range(len(pose[3:]))])


def _ad_relatives_to_absolutes(relatives, parents):
    absolutes = []
    for i in range(relatives.shape[0]):
        if parents[i] == -1:
            absolutes.append(relatives[i])
        else:
            absolutes.append(absolutes[parents[i]] @ relatives[i])
    return np.stack(absolutes)


def _ad_angle_axis_to_rot(aa):
    n = np.sqrt(np.sum(aa**2))

    def aa2r():
        v = aa / n
        x, y, z = v[0], v[1], v[2]
        s, c = np.sin(n), np.cos(n)
        r = np.zeros((3, 3))
        r[0, 0] = x * x + (1 - x * x) * c
        r[0, 1] = x * y * (1 - c) - z * s
        r[0, 2] = x * z * (1 - c) + y * s
        r[1, 0] = x * y * (1 - c) + z * s
        r[1, 1] = y * y + (1 - y * y) * c
        r[1, 2] = y * z * (1 - c) - x * s
        r[2, 0] = x * z * (1 - c) - y * s
        r[2, 1] = z * y * (1 - c) + x * s
        r[2, 2] = z * z + (1 - z * z) * c
        return r

    if n < 0.0001:
        return np.eye(3)
    return aa2r()


def _ad_apply_global_transform(pose, positions):
    r = _ad_angle_axis_to_rot(pose[0])
    s = pose[1]
    r *= s
    t = pose[2]
    return (r @ positions.T).T + t


def _ad_skinned_positions(pose, base_relatives, parents, inv_base_abs, base_positions, weights):
    relatives = _ad_get_posed_relatives(pose, base_relatives)
    absolutes = _ad_relatives_to_absolutes(relatives, parents)
    transforms = np.stack([absolutes[i] @ inv_base_abs[i] for i in range(len(absolutes))])
    positions = np.stack(
        [transforms[i, :, :] @ base_positions.T for i in range(transforms.shape[0])]
    ).transpose(2, 0, 1)
    positions2 = np.sum(positions * weights.reshape(weights.shape + (1,)), 1)[:, :3]
    return _ad_apply_global_transform(pose, positions2)


def ad_hand_simple(x):
    theta = x[:9] * 0.3 + 0.2
    pose = _ad_to_pose_params(theta, NBONES)
    verts = _ad_skinned_positions(pose, BASE_REL, PARENTS, INV_BASE_ABS, BASE_POS, HWEIGHTS)
    err = np.stack([HPOINTS[i] - verts[int(CORR[i])] for i in range(HPOINTS.shape[0])])
    return np.sum(err**2)


def ad_hand_complicated(x):
    npts = HPOINTS.shape[0]
    us = x[: 2 * npts].reshape((npts, 2)) * 0.3
    theta = x[2 * npts : 2 * npts + 9] * 0.3 + 0.2
    pose = _ad_to_pose_params(theta, NBONES)
    verts = _ad_skinned_positions(pose, BASE_REL, PARENTS, INV_BASE_ABS, BASE_POS, HWEIGHTS)

    def get_hand_pt(u, tri):
        return (
            u[0] * verts[int(tri[0])]
            + u[1] * verts[int(tri[1])]
            + (1.0 - u[0] - u[1]) * verts[int(tri[2])]
        )

    err = np.stack([HPOINTS[i] - get_hand_pt(us[i], TRIS[int(CORR[i]) % 3]) for i in range(npts)])
    return np.sum(err**2)


def _ad_sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def _ad_lstm(weight, bias, hidden, cell, inp):
    gates = np.concatenate((inp, hidden, inp, hidden)) * weight + bias
    hsize = hidden.shape[0]
    forget = _ad_sigmoid(gates[0:hsize])
    ingate = _ad_sigmoid(gates[hsize : 2 * hsize])
    outgate = _ad_sigmoid(gates[2 * hsize : 3 * hsize])
    change = np.tanh(gates[3 * hsize :])
    cell = cell * forget + ingate * change
    hidden = outgate * np.tanh(cell)
    return hidden, cell


def _ad_predict(w, w2, s, x):
    s2 = s.copy()
    x = x * w2[0]
    for i in range(0, len(s), 2):
        (s2[i], s2[i + 1]) = _ad_lstm(w[i], w[i + 1], s[i], s[i + 1], x)
        x = s2[i]
    return x * w2[1] + w2[2], s2


def _ad_lstm_objective(main_params, extra_params, state, sequence):
    rng = range(0, len(sequence) - 1)
    total = 0.0
    count = 0
    inp = sequence[rng[0]]
    all_states = [state]
    for t in rng:
        ypred, new_state = _ad_predict(main_params, extra_params, all_states[t], inp)
        all_states.append(new_state)
        ynorm = ypred - np.log(sum(np.exp(ypred), 2))
        ygold = sequence[t + 1]
        total += sum(ygold * ynorm)
        count += ygold.shape[0]
        inp = ygold
    return -total / count


def ad_lstm_main(x):
    main = x[:48].reshape(4, 4 * HS) * 0.5
    extra = np.full((3, HS), 0.5)
    return _ad_lstm_objective(main, extra, STATE0, SEQ)


def ad_lstm_extra(x):
    main = np.full((4, 4 * HS), 0.3)
    extra = x[:9].reshape(3, HS)
    return _ad_lstm_objective(main, extra, STATE0, SEQ)


def _hvp(fn, x, **kw):
    return Case(fn, (x,), (0,), extra="hvp", **kw)


CASES = [
    _hvp(ad_ba_loss, XS),
    _hvp(ad_ba_reproj_wrapper, XS),
    _hvp(ad_ba_zero_rotation, XS, jitter=0.0),
    _hvp(ad_gmm_loop, XS),
    _hvp(ad_gmm_vec, XS),
    _hvp(ad_hand_simple, XS),
    _hvp(ad_hand_complicated, XS),
    _hvp(ad_lstm_main, XS),
    _hvp(ad_lstm_extra, XS),
]
