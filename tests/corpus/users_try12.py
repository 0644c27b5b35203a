"""``try`` statements users write that srcad refused before session 12 (`try12`): a ``raise``
inside the body caught by a handler (decided when lowering: the class is named), a body that
branches or loops over library calls that may raise at run time (each checked, the handler taken
as Python takes it; lower/tryflow.py), and ``try``/``except``/``else``/``finally`` (the
``finally`` part after the statement; lower/lower.py). Each function runs at an input where the
handler runs and at one where it does not; checked forward, reverse and (``extra="hvp"``) at
second order (tests/soundness/test_try12.py). Also ``np.copyto`` into a view of a local array
(``np.copyto(u[::2], v)``, with ``where=``: the item assignment it is, lower/inplace_np.py) and
``np.ndindex(*m.shape)`` (``np.ndindex(m.shape)``, lower/starcalls.shape_star), and writes
through a reshape/ravel view of a copy, an ``astype`` or arithmetic (its layout follows the
operands': C-contiguous asserted when the code runs, lower/viewwrites.py), or through another
name of the same array (``t = u``: an ndarray asserted when the code runs), and ``w.fill(c)`` of
such a view (``w[...] = c``)."""

from __future__ import annotations

import math

import numpy as np

from . import Case

SMALL = np.array([0.1, 0.2, 0.05])
LARGE = np.array([0.5, 0.7, 0.4])


class _Large(ValueError):
    pass


def raise_in_branch(a):
    try:
        if float(np.sum(a)) > 0.9:
            raise ValueError("large")
        t = np.sin(a) * 2.0
    except ValueError:
        t = np.cos(a)
    return np.sum(t)


def raise_in_loop(a):
    t = 0.0
    try:
        for i in range(3):
            t = t + np.sum(np.sin(a * (i + 1)))
            if t > 0.9:
                raise _Large("big")  # a subclass: the `except ValueError` catches it
        t = t * 2.0
    except ValueError:
        t = t - 1.0
    return t


def second_handler_catches(a):
    try:
        if float(a[0]) > 0.3:
            raise KeyError("k")
        y = np.exp(a)
    except ZeroDivisionError:
        y = a
    except (KeyError, IndexError):
        y = np.cos(a) * 3.0
    else:
        y = y + 1.0
    return np.sum(y)


def library_raises_in_branch(a):
    try:
        s = float(np.sum(a)) - 1.0
        if s < 5.0:
            v = math.log(s) * a[0]  # ValueError for s <= 0: the handler
        else:
            v = a[1]
    except ValueError:
        v = a[0] * a[1]
    return v


def while_raise_finally(a):
    k = 0
    t = a * 1.0
    try:
        while k < 3:
            t = np.sin(t) + a
            if float(np.max(t)) > 1.2:
                raise ArithmeticError
            k += 1
    except ArithmeticError:
        t = t * 0.5
    finally:
        k += 10
    return np.sum(t) * k


def return_in_try(a):
    try:
        if float(a[0]) > 0.3:
            raise ValueError
        return np.sum(a**2)
    except ValueError:
        pass
    return np.sum(np.sin(a))


def break_outer_loop(a):
    acc = 0.0
    for i in range(4):
        try:
            if i == 2:
                break
            acc = acc + np.sum(a) * i
            if acc > 0.8:
                raise ValueError
        except ValueError:
            acc = acc * 0.5
    return acc


def index_error_in_loop(a):
    acc = 0.0
    n = 2 if float(a[0]) > 0.3 else 5  # 5: a[3] raises IndexError
    try:
        for i in range(n):
            acc = acc + a[i] * a[i]
    except IndexError:
        acc = acc + 1.0
    return acc


def exception_around_loop(a):
    acc = 0.0  # bound before: the handler catching NameError sees none here
    n = 2 if float(a[0]) > 0.3 else 5
    try:
        for i in range(n):
            acc = acc + a[i] * a[i]
    except Exception:
        acc = acc + 1.0
    return acc


def array_truth_in_if(a):
    try:
        if a > 0.3:  # ValueError: the truth of an array of three
            y = a * 2.0
        else:
            y = a
    except ValueError:
        y = np.sin(a)
    return np.sum(y)


def else_finally(a):
    k = 1
    try:
        t = np.tanh(a) * 1.5
    except FloatingPointError:
        t = a
    else:
        t = t + 0.5
    finally:
        k += 1
    return np.sum(t * k)


def library_finally(a):
    try:
        v = math.log(float(a[0]) - 0.2)
    except ValueError:
        v = 0.0
    finally:
        w = a[1] * 2.0
    return v * a[2] + w


M43 = np.arange(12.0).reshape(4, 3) / 10.0 - 0.313


def copyto_strided_rows(m):
    u = np.array(m)
    np.copyto(u[::2], np.broadcast_to(-1.2, (2, 3)) * m[0, 0])
    return np.sum(np.sin(u) * u)


def copyto_where(m):
    u = m * 2.0
    np.copyto(u[1:], np.cos(m[:-1]), where=m[1:] > 0.3)
    return np.sum(u**2)


def copyto_row_in_loop(m):
    u = m.copy()
    for k in range(3):
        np.copyto(u[1, ...], np.sin(u[1]) * (k + 0.5))  # reads the row written before
    return np.sum(u * m)


def copyto_column_then_view(m):
    u = m.copy()
    np.copyto(u[:, -1], m[:, 0] * m[:, 1])
    w = u[1:]  # a view made after the write
    return np.sum(w * w)


def ndindex_star(m):
    t = 0.0
    for i, j in np.ndindex(*m.shape):
        t = t + m[i, j] * (i - j + 0.5)
    return t


def ndindex_np_shape(m):
    t = 0.0
    for idx in np.ndindex(*np.shape(m)):
        t = t + np.sin(m[idx]) * idx[0]
    return t


def reshape_view_of_copy(m):
    u = np.copy(m)
    w = u.reshape(-1)
    w[1::2] = w[:6] * 2.0  # through the view: `u` changes
    return np.sum(np.sin(u) * m)


def ravel_view_of_arithmetic(m):
    u = np.ones((4, 3)) * m + 0.25
    w = u.ravel()
    w += np.cos(w)
    return np.sum(u * u)


def reshape_view_of_astype(m):
    u = m.astype(float)
    w = u.reshape(2, 6)
    w[:, 0] *= 3.0
    return np.sum(u * np.cos(u)) + np.sum(w)


def alias_then_base_written(m):
    u = np.zeros((4, 3)) + m
    t = u  # the same array: it sees the writes below
    u[u > 0.2] = 0.5
    u[[1]] += np.sin(m[0])
    return np.sum(u * u) + np.sum(np.exp(np.sin(t)))


def alias_written_in_place(m):
    u = np.copy(m)
    t = u
    t += np.cos(m)  # in place: `u` changes too
    t[0] *= 2.0
    return np.sum(u * m)


def alias_reshaped(m):
    u = np.copy(m)
    t = u
    w = t.reshape(-1)
    u[..., :] += m
    return np.sum(np.sin(t)) + np.sum(w * w)


def fill_row_view(m):
    u = np.ones((4, 3))
    u[0] = m[0] * 2.0
    w = u[1]
    w.fill(0.5)  # `u[1][...] = 0.5`
    u[2:] = np.sin(m[2:])
    return np.sum(u * m) + np.sum(w * m[1])


def fill_strided_view(m):
    u = np.zeros((4, 3))
    u += m
    w = u[1:, ::2]
    w.fill(-1.0)
    return np.sum(np.sin(u) * m)


def fill_of_a_number(m):
    u = np.zeros(3)
    u += m[0]
    w = u[1]  # a number of a 1-D array: its fill changes nothing
    w.fill(7.0)
    return np.sum(u * m[1])


def row_of_broadcast_sum(m):
    u = np.zeros((4, 3)) + np.matmul(m, np.eye(3))  # rank 2 at least, whatever the other
    w = u[-1]  # a row (a view)
    w *= w
    for i in range(1, 3):
        u[i] = 0.8 * u[i - 1] + np.sin(m[i])
    return np.sum(u * np.cos(u)) + np.sum(w * np.cos(w))


CASES = [
    Case(f, (x,), (0,), name=f"users_try12.{f.__name__}_{tag}", extra="hvp")
    for f in (
        raise_in_branch,
        raise_in_loop,
        second_handler_catches,
        library_raises_in_branch,
        while_raise_finally,
        return_in_try,
        break_outer_loop,
        index_error_in_loop,
        exception_around_loop,
        array_truth_in_if,
        else_finally,
        library_finally,
    )
    for tag, x in (("small", SMALL), ("large", LARGE))
]
CASES += [
    Case(f, (M43,), (0,), extra="hvp")
    for f in (
        copyto_strided_rows,
        copyto_where,
        copyto_row_in_loop,
        copyto_column_then_view,
        ndindex_star,
        ndindex_np_shape,
        reshape_view_of_copy,
        ravel_view_of_arithmetic,
        reshape_view_of_astype,
        alias_then_base_written,
        alias_written_in_place,
        alias_reshaped,
        fill_row_view,
        fill_strided_view,
        fill_of_a_number,
        row_of_broadcast_sum,
    )
]
