"""Ported cases (session 31, corp31), written anew as user code after Ceres' bundle-adjustment
example on BAL data (the Snavely reprojection error: a 9-parameter camera, the point rotated by
the angle-axis vector with Rodrigues' formula and its first-order branch when ``theta2`` is
below epsilon, the perspective division with a minus sign, the two-coefficient radial
distortion, the focal length), a problem dict of cameras, points and observations summed as
squared residuals, ICP's point-to-plane error under a small-angle rotation, and a homography's
symmetric reprojection error with homogeneous division.

Float camera/point/pose parameters -> float scalar costs, or residual arrays."""

from __future__ import annotations

import math

import numpy as np

from . import Case

R = np.random.default_rng(31003)
EPS = np.finfo(float).eps


def angle_axis_rotate_point(angle_axis, pt):
    theta2 = float(np.dot(angle_axis, angle_axis))
    if theta2 > EPS:
        # away from zero: Rodrigues' formula
        theta = math.sqrt(theta2)
        costheta = math.cos(theta)
        sintheta = math.sin(theta)
        theta_inverse = 1.0 / theta
        w = [
            angle_axis[0] * theta_inverse,
            angle_axis[1] * theta_inverse,
            angle_axis[2] * theta_inverse,
        ]
        w_cross_pt = [
            w[1] * pt[2] - w[2] * pt[1],
            w[2] * pt[0] - w[0] * pt[2],
            w[0] * pt[1] - w[1] * pt[0],
        ]
        tmp = (w[0] * pt[0] + w[1] * pt[1] + w[2] * pt[2]) * (1.0 - costheta)
        result = [pt[i] * costheta + w_cross_pt[i] * sintheta + w[i] * tmp for i in range(3)]
    else:
        # near zero: the first-order Taylor expansion R = I + hat(w)
        w_cross_pt = [
            angle_axis[1] * pt[2] - angle_axis[2] * pt[1],
            angle_axis[2] * pt[0] - angle_axis[0] * pt[2],
            angle_axis[0] * pt[1] - angle_axis[1] * pt[0],
        ]
        result = [pt[i] + w_cross_pt[i] for i in range(3)]
    return result


def snavely_residual(camera, point, observed_x, observed_y):
    p = angle_axis_rotate_point(camera[0:3], point)
    # camera[3,4,5] are the translation
    p[0] += camera[3]
    p[1] += camera[4]
    p[2] += camera[5]
    # the centre of distortion; the camera looks down the negative z axis
    xp = -p[0] / p[2]
    yp = -p[1] / p[2]
    l1 = camera[7]
    l2 = camera[8]
    r2 = xp * xp + yp * yp
    distortion = 1.0 + r2 * (l1 + l2 * r2)
    focal = camera[6]
    predicted_x = focal * distortion * xp
    predicted_y = focal * distortion * yp
    return np.array([predicted_x - observed_x, predicted_y - observed_y])


N_CAM, N_PT = 2, 4
CAMS = np.column_stack(
    [
        R.normal(0, 0.1, (N_CAM, 3)),
        R.normal(0, 0.2, (N_CAM, 2)),
        -4.0 + R.normal(0, 0.1, N_CAM),
        np.full(N_CAM, 500.0),
        np.full(N_CAM, 1e-2),
        np.full(N_CAM, 1e-3),
    ]
)
PTS = R.normal(0, 0.5, (N_PT, 3))
OBS = [(c, j) for c in range(N_CAM) for j in range(N_PT) if (c + j) % 3 != 2]


def _observe(cams, pts):
    out = []
    for c, j in OBS:
        r = snavely_residual(cams[c], pts[j], 0.0, 0.0)
        out.append((c, j, r[0] + 0.5, r[1] - 0.3))
    return out


OBSERVATIONS = _observe(CAMS, PTS)


def build_problem(cameras, points):
    return {"cameras": cameras, "points": points, "observations": OBSERVATIONS}


def ba_cost(cameras, points):
    # Ceres' cost: one half the sum of the squared residuals
    problem = build_problem(cameras, points)
    cost = 0.0
    for cam_idx, pt_idx, ox, oy in problem["observations"]:
        r = snavely_residual(problem["cameras"][cam_idx], problem["points"][pt_idx], ox, oy)
        cost += 0.5 * float(r @ r)
    return cost


def ba_residuals(cameras, points):
    res = [snavely_residual(cameras[c], points[j], ox, oy) for c, j, ox, oy in OBSERVATIONS]
    return np.concatenate(res)


def ba_small_rotation(angle_axis, point):
    # a rotation below the threshold takes the Taylor branch, whose first derivatives are those
    # of the rotation at 0 (an array: its second derivatives are the linear branch's, which a
    # Hessian check's differences, steps of 1e-4, would compare with Rodrigues' across the branch)
    camera = np.concatenate([angle_axis, CAMS[0][3:]])
    return snavely_residual(camera, point, 0.5, -0.3)


def ba_rotation_cost(angle_axis, point):
    camera = np.concatenate([angle_axis, CAMS[0][3:]])
    r = snavely_residual(camera, point, 0.5, -0.3)
    return float(np.sum(r**2))


def huber(s, delta=1.0):
    # Ceres' HuberLoss rho(s) of the squared norm s
    if s > delta * delta:
        return 2.0 * delta * math.sqrt(s) - delta * delta
    return s


def ba_robust_cost(cameras, points):
    cost = 0.0
    for c, j, ox, oy in OBSERVATIONS:
        r = snavely_residual(cameras[c], points[j], ox, oy)
        cost += 0.5 * huber(float(r[0] ** 2 + r[1] ** 2), delta=2.0)
    return cost


# ICP point-to-plane: source points moved by a small rotation and a translation
SRC = R.normal(size=(8, 3))
NRM = R.normal(size=(8, 3))
NRM /= np.linalg.norm(NRM, axis=1, keepdims=True)
DST = SRC + np.array([0.05, -0.02, 0.1]) + 0.01 * R.normal(size=(8, 3))


def skew(v):
    return np.array([[0.0, -v[2], v[1]], [v[2], 0.0, -v[0]], [-v[1], v[0], 0.0]])


def icp_point_to_plane(pose):
    # linearised: R ~ I + hat(omega); residual_i = n_i . (R p_i + t - q_i)
    omega, t = pose[:3], pose[3:]
    Rm = np.eye(3) + skew(omega)
    err = 0.0
    for i in range(len(SRC)):
        d = Rm @ SRC[i] + t - DST[i]
        err += np.dot(NRM[i], d) ** 2
    return err


def rodrigues_matrix(omega):
    theta = np.linalg.norm(omega)
    K = skew(omega / theta)
    return np.eye(3) + np.sin(theta) * K + (1 - np.cos(theta)) * K @ K


def icp_exact_rotation(pose):
    Rm = rodrigues_matrix(pose[:3])
    moved = SRC @ Rm.T + pose[3:]
    r = np.einsum("ij,ij->i", NRM, moved - DST)
    return np.sum(r**2)


# homography: points of one image mapped into the other, a symmetric transfer error
PA = R.uniform(-1, 1, size=(6, 2))
H_TRUE = np.array([[1.1, 0.05, 0.1], [-0.03, 0.95, -0.2], [0.02, 0.01, 1.0]])


def apply_h(H, pts):
    ph = np.hstack([pts, np.ones((len(pts), 1))]) @ H.T
    return ph[:, :2] / ph[:, 2:3]


PB = apply_h(H_TRUE, PA) + 0.01 * R.normal(size=(6, 2))


def homography_transfer(h8):
    H = np.append(h8, 1.0).reshape(3, 3)  # h33 fixed to 1
    fwd = apply_h(H, PA) - PB
    back = apply_h(np.linalg.inv(H), PB) - PA
    return np.sum(fwd**2) + np.sum(back**2)


def homography_dlt_residual(h):
    # the algebraic (DLT) residuals A h, two rows per correspondence
    rows = []
    for (x, y), (u, v) in zip(PA, PB):
        rows.append([-x, -y, -1.0, 0.0, 0.0, 0.0, u * x, u * y, u])
        rows.append([0.0, 0.0, 0.0, -x, -y, -1.0, v * x, v * y, v])
    A = np.array(rows)
    return A @ (h / np.linalg.norm(h))


CAM_X = CAMS + R.normal(0, 1e-3, CAMS.shape)
PTS_X = PTS + R.normal(0, 0.05, PTS.shape)
H8 = H_TRUE.ravel()[:8] + R.normal(0, 0.01, 8)

CASES = [
    Case(ba_cost, (CAM_X, PTS_X), (0, 1), rtol=1e-5, jitter=0.0),
    Case(ba_residuals, (CAM_X, PTS_X), (0, 1), rtol=1e-5, jitter=0.0),
    Case(ba_small_rotation, (np.array([1e-9, -2e-9, 5e-9]), PTS[0].copy()), (0, 1), jitter=0.0),
    Case(ba_rotation_cost, (np.array([0.1, -0.2, 0.05]), PTS[0].copy()), (0, 1)),
    Case(ba_robust_cost, (CAM_X, PTS_X), (0, 1), rtol=1e-5, jitter=0.0),
    Case(icp_point_to_plane, (np.array([0.01, -0.02, 0.03, 0.05, -0.02, 0.1]),), (0,)),
    Case(icp_exact_rotation, (np.array([0.01, -0.02, 0.03, 0.05, -0.02, 0.1]),), (0,)),
    Case(homography_transfer, (H8,), (0,)),
    Case(homography_dlt_residual, (H_TRUE.ravel() + 0.01,), (0,)),
]
