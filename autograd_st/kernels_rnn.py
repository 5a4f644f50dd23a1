"""The numpy kernels of the fused LSTM primitive ``lstm_seq`` (one layer, one direction, a
whole sequence; :mod:`autograd_st.rules_nn` registers it and its rules, ``nn.LSTM`` calls it).

The forward returns the *tape* of the sequence, one array ``(6, T, B, H)``: for every step
``t`` the output ``h_t``, the cell state ``c_t`` and the four activated gates ``i, f, g, o``
(MindSpore's order: input, forget, cell, output), with
``c_t = f * c_{t-1} + i * g`` and ``h_t = o * tanh(c_t)``.  ``tape[0]`` is the layer's
output sequence, a contiguous ``(T, B, H)`` view, ``tape[0, -1]`` and ``tape[1, -1]`` the
final state.  Because the gates are part of the output, the reverse rule reads them instead
of recomputing them, the way a hand-written backward through time keeps its tape.

The work is laid out as an expert writes it by hand: the input projection of every step is
one matmul before the loop; each step adds one ``(B, H) @ (H, 4H)`` product and activates the
gates in place; the backward through time (:func:`lstm_seq_dgates`) writes each step's gate
gradients into one ``(T, B, 4H)`` array, so the weight gradients are one matmul each over the
whole sequence after the loop.

Sigmoids are ``0.5 tanh(z / 2) + 0.5`` (no overflow for any ``z``, the same function).
"""
from __future__ import annotations

import numpy as np

__all__ = ["lstm_seq_forward", "lstm_seq_dgates", "lstm_seq_tangent", "lstm_grad_x",
           "lstm_grad_w_ih", "lstm_grad_w_hh", "lstm_grad_b", "lstm_grad_state",
           "lstm_no_second_order"]


def _tag(prim_name: str):
    """Mark a kernel as the primitive ``prim_name`` (same parameters, same order)."""
    def deco(fn):
        fn._autograd_st_prim = prim_name
        return fn
    return deco


def _sigmoid_into(z, out):
    np.multiply(z, 0.5, out=out)
    np.tanh(out, out=out)
    out *= 0.5
    out += 0.5
    return out


def _dtype(*arrays):
    return np.result_type(*[np.asarray(a).dtype for a in arrays])


@_tag("lstm_seq")
def lstm_seq_forward(x, h0, c0, w_ih, w_hh, b):
    """The tape ``(6, T, B, H)`` of an LSTM layer over ``x (T, B, F)`` from ``h0``, ``c0``
    ``(B, H)``, with ``w_ih (4H, F)``, ``w_hh (4H, H)`` and the summed bias ``b (4H,)``."""
    x, h0, c0 = np.asarray(x), np.asarray(h0), np.asarray(c0)
    w_ih, w_hh, b = np.asarray(w_ih), np.asarray(w_hh), np.asarray(b)
    steps, batch, feat = x.shape
    nh = w_hh.shape[1]
    dt = _dtype(x, h0, c0, w_ih, w_hh, b)
    tape = np.empty((6, steps, batch, nh), dt)
    pre = np.matmul(x.reshape(steps * batch, feat).astype(dt, copy=False),
                    w_ih.T.astype(dt, copy=False)).reshape(steps, batch, 4 * nh)
    pre += b
    w_hh_t = w_hh.T.astype(dt, copy=False)
    rec = np.empty((batch, 4 * nh), dt)
    tc = np.empty((batch, nh), dt)
    h = h0.astype(dt, copy=False)
    c = c0.astype(dt, copy=False)
    for t in range(steps):
        z = pre[t]
        np.matmul(h, w_hh_t, out=rec)
        z += rec
        i, f, g, o, c_t, h_t = tape[2, t], tape[3, t], tape[4, t], tape[5, t], tape[1, t], \
            tape[0, t]
        _sigmoid_into(z[:, :nh], i)
        _sigmoid_into(z[:, nh:2 * nh], f)
        np.tanh(z[:, 2 * nh:3 * nh], out=g)
        _sigmoid_into(z[:, 3 * nh:], o)
        np.multiply(f, c, out=c_t)
        np.multiply(i, g, out=tc)
        c_t += tc
        np.tanh(c_t, out=tc)
        np.multiply(o, tc, out=h_t)
        h, c = h_t, c_t
    return tape


@_tag("lstm_seq_dgates")
def lstm_seq_dgates(gout, tape, c0, w_hh):
    """The backward through time of :func:`lstm_seq_forward`: ``gout (6, T, B, H)`` (the
    gradient of the tape) and ``tape`` give ``(T + 1, B, 4H)``: rows ``0..T-1``
    the gradients of every step's gate pre-activations (``x W_ih^T + h W_hh^T + b``), row
    ``T`` the gradients of ``h0`` (columns ``0:H``) and ``c0`` (``H:2H``)."""
    dout, out, c0, w_hh = np.asarray(gout), np.asarray(tape), np.asarray(c0), np.asarray(w_hh)
    _, steps, batch, nh = out.shape
    dt = _dtype(dout, out, c0, w_hh)
    w_hh = w_hh.astype(dt, copy=False)
    dg = np.empty((steps + 1, batch, 4 * nh), dt)
    # the gradients of the cell state and the gates arrive only where the tape's rows other
    # than the outputs are read (the final cell state, mostly): skip the zero ones
    has = [bool(np.any(dout[k])) for k in range(6)]
    dh = np.zeros((batch, nh), dt)
    dc = np.zeros((batch, nh), dt)
    tc = np.empty((batch, nh), dt)
    tmp = np.empty((batch, nh), dt)
    for t in range(steps - 1, -1, -1):
        i, f, g, o, c_t = out[2, t], out[3, t], out[4, t], out[5, t], out[1, t]
        c_prev = out[1, t - 1] if t > 0 else c0
        if has[0]:
            dh += dout[0, t]
        if has[1]:
            dc += dout[1, t]
        d = dg[t]
        np.tanh(c_t, out=tc)
        # the output gate: (dh tanh(c) + dout_o) o (1 - o)
        d_o = d[:, 3 * nh:]
        np.multiply(dh, tc, out=d_o)
        if has[5]:
            d_o += dout[5, t]
        np.subtract(1.0, o, out=tmp)
        tmp *= o
        d_o *= tmp
        # dc += dh o (1 - tanh(c)^2)
        np.multiply(tc, tc, out=tmp)
        np.subtract(1.0, tmp, out=tmp)
        tmp *= o
        tmp *= dh
        dc += tmp
        # the input gate: (dc g + dout_i) i (1 - i)
        d_i = d[:, :nh]
        np.multiply(dc, g, out=d_i)
        if has[2]:
            d_i += dout[2, t]
        np.subtract(1.0, i, out=tmp)
        tmp *= i
        d_i *= tmp
        # the forget gate: (dc c_prev + dout_f) f (1 - f)
        d_f = d[:, nh:2 * nh]
        np.multiply(dc, c_prev, out=d_f)
        if has[3]:
            d_f += dout[3, t]
        np.subtract(1.0, f, out=tmp)
        tmp *= f
        d_f *= tmp
        # the cell gate: (dc i + dout_g) (1 - g^2)
        d_g = d[:, 2 * nh:3 * nh]
        np.multiply(dc, i, out=d_g)
        if has[4]:
            d_g += dout[4, t]
        np.multiply(g, g, out=tmp)
        np.subtract(1.0, tmp, out=tmp)
        d_g *= tmp
        dc *= f
        np.matmul(d, w_hh, out=dh)
    last = dg[steps]
    last[:, :nh] = dh
    last[:, nh:2 * nh] = dc
    last[:, 2 * nh:] = 0.0
    return dg


def lstm_grad_x(dg, w_ih, x):
    """The gradient of ``x (T, B, F)``: every step's gate gradients times ``w_ih``, one
    matmul."""
    steps, batch = dg.shape[0] - 1, dg.shape[1]
    flat = dg[:steps].reshape(steps * batch, -1)
    return np.matmul(flat, w_ih).reshape(np.shape(x)).astype(_dtype(x), copy=False)


def lstm_grad_w_ih(dg, x, w_ih):
    """The gradient of ``w_ih (4H, F)``: one matmul over the stacked steps."""
    steps, batch = dg.shape[0] - 1, dg.shape[1]
    flat = dg[:steps].reshape(steps * batch, -1)
    x = np.asarray(x)
    return np.matmul(flat.T, x.reshape(steps * batch, -1)).astype(_dtype(w_ih), copy=False)


def lstm_grad_w_hh(dg, h0, out, w_hh):
    """The gradient of ``w_hh (4H, H)``: the gate gradients of steps ``1..T-1`` against the
    outputs ``0..T-2`` (one matmul), plus step 0's against ``h0``."""
    steps, batch = dg.shape[0] - 1, dg.shape[1]
    nh = out.shape[-1]
    grad = np.matmul(dg[0].T, np.asarray(h0))
    if steps > 1:
        grad += np.matmul(dg[1:steps].reshape((steps - 1) * batch, -1).T,
                          out[0, :steps - 1].reshape((steps - 1) * batch, nh))
    return grad.astype(_dtype(w_hh), copy=False)


def lstm_grad_b(dg, b):
    """The gradient of the summed bias ``b (4H,)``: the gate gradients summed over steps and
    batch."""
    steps, batch = dg.shape[0] - 1, dg.shape[1]
    return dg[:steps].reshape(steps * batch, -1).sum(axis=0).astype(_dtype(b), copy=False)


def lstm_grad_state(dg, which, like):
    """The gradient of ``h0`` (``which`` 0) or ``c0`` (1): row ``T`` of ``dg``."""
    nh = np.shape(like)[-1]
    return dg[-1, :, which * nh:(which + 1) * nh].astype(_dtype(like), copy=True)


def lstm_seq_tangent(out, x, h0, c0, w_ih, w_hh, dx, dh0, dc0, dw_ih, dw_hh, db):
    """Forward mode through :func:`lstm_seq_forward`: the tangent of the tape ``(6, T, B,
    H)`` for the tangents of the inputs (None: zero), one loop over the steps."""
    out, x, h0, c0 = np.asarray(out), np.asarray(x), np.asarray(h0), np.asarray(c0)
    w_ih, w_hh = np.asarray(w_ih), np.asarray(w_hh)
    _, steps, batch, nh = out.shape
    feat = x.shape[-1]
    dt = out.dtype
    tan = np.empty_like(out)
    dpre = np.zeros((steps, batch, 4 * nh), dt)
    if dx is not None:
        dpre += np.matmul(np.asarray(dx).reshape(steps * batch, feat), w_ih.T).reshape(dpre.shape)
    if dw_ih is not None:
        dpre += np.matmul(x.reshape(steps * batch, feat),
                          np.asarray(dw_ih).T).reshape(dpre.shape)
    if db is not None:
        dpre += db
    dh = np.zeros((batch, nh), dt) if dh0 is None else np.asarray(dh0, dt)
    dc = np.zeros((batch, nh), dt) if dc0 is None else np.asarray(dc0, dt)
    for t in range(steps):
        h_prev = out[0, t - 1] if t > 0 else h0
        c_prev = out[1, t - 1] if t > 0 else c0
        i, f, g, o, c_t = out[2, t], out[3, t], out[4, t], out[5, t], out[1, t]
        dz = dpre[t] + np.matmul(dh, w_hh.T)
        if dw_hh is not None:
            dz += np.matmul(h_prev, np.asarray(dw_hh).T)
        di = i * (1.0 - i) * dz[:, :nh]
        df = f * (1.0 - f) * dz[:, nh:2 * nh]
        dgg = (1.0 - g * g) * dz[:, 2 * nh:3 * nh]
        do = o * (1.0 - o) * dz[:, 3 * nh:]
        dc = df * c_prev + f * dc + di * g + i * dgg
        tc = np.tanh(c_t)
        dh = do * tc + o * (1.0 - tc * tc) * dc
        tan[0, t], tan[1, t], tan[2, t], tan[3, t], tan[4, t], tan[5, t] = \
            dh, dc, di, df, dgg, do
    return tan


def lstm_no_second_order(*args):
    """The derivative of the fused LSTM's backward (a second derivative through ``nn.LSTM``):
    not implemented; raises."""
    raise NotImplementedError(
        "second derivatives through the fused LSTM (nn.LSTM without seq_length) are not "
        "implemented: the backward through time (primitive 'lstm_seq_dgates') has no "
        "derivative rule. Differentiate once, or write the time loop with nn.LSTMCell to "
        "get second derivatives.")
