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

__all__ = ["lstm_seq_forward", "lstm_seq_dgates", "lstm_seq_tangent", "lstm_seq_dgates_vjp",
           "lstm_seq_dgates_tangent", "KERNEL_NAMES"]


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


def _bptt_steps(gout, tape, c0, w_hh):
    """The backward through time of :func:`lstm_seq_dgates`, step by step (plain numpy, for
    the second-order rules): yields ``(t, dh_t, dc_t, a_t)`` for ``t = T-1 .. 0``, where
    ``dh_t``/``dc_t`` are the gradients of the step's output and cell state and ``a_t`` its
    gate gradients; the last item is ``(-1, dh0, dc0, None)``."""
    _, steps, batch, nh = tape.shape
    r = np.zeros((batch, nh), tape.dtype)
    e = np.zeros((batch, nh), tape.dtype)
    for t in range(steps - 1, -1, -1):
        c_t, i, f, g, o = tape[1, t], tape[2, t], tape[3, t], tape[4, t], tape[5, t]
        c_prev = tape[1, t - 1] if t > 0 else c0
        dh = gout[0, t] + r
        tc = np.tanh(c_t)
        dc = e + gout[1, t] + dh * o * (1.0 - tc * tc)
        a = np.concatenate([(dc * g + gout[2, t]) * i * (1.0 - i),
                            (dc * c_prev + gout[3, t]) * f * (1.0 - f),
                            (dc * i + gout[4, t]) * (1.0 - g * g),
                            (dh * tc + gout[5, t]) * o * (1.0 - o)], axis=1)
        yield t, dh, dc, a
        e = dc * f
        r = a @ w_hh
    yield -1, r, e, None


def _zeros_or(value, like):
    return np.zeros(np.shape(like), np.result_type(like)) if value is None \
        else np.asarray(value)


def lstm_seq_dgates_vjp(dout, gout, tape, c0, w_hh):
    """The reverse rule of :func:`lstm_seq_dgates` (second derivatives through the LSTM):
    ``dout (T + 1, B, 4H)``, the gradient of its result, gives the gradients of ``(gout,
    tape, c0, w_hh)``: the backward through time run backwards, a loop forward in time."""
    gout, tape, c0, w_hh = np.asarray(gout), np.asarray(tape), np.asarray(c0), \
        np.asarray(w_hh)
    dout = np.asarray(dout)
    _, steps, batch, nh = tape.shape
    saved = {t: (dh, dc, a) for t, dh, dc, a in _bptt_steps(gout, tape, c0, w_hh)}
    g_gout = np.zeros(np.shape(gout), np.result_type(gout, dout))
    g_tape = np.zeros(tape.shape, np.result_type(tape, dout))
    g_c0 = np.zeros(np.shape(c0), np.result_type(c0, dout))
    g_w = np.zeros(np.shape(w_hh), np.result_type(w_hh, dout))
    r_bar = dout[steps][:, :nh]  # the gradient of r = a @ w_hh of the step just done
    e_bar = dout[steps][:, nh:2 * nh]  # and of e = dc * f
    for t in range(steps):
        dh, dc, a = saved[t]
        c_t, i, f, g, o = tape[1, t], tape[2, t], tape[3, t], tape[4, t], tape[5, t]
        c_prev = tape[1, t - 1] if t > 0 else c0
        tc = np.tanh(c_t)
        s = 1.0 - tc * tc
        a_bar = dout[t] + r_bar @ w_hh.T
        g_w += a.T @ r_bar
        ab_i, ab_f, ab_g, ab_o = (a_bar[:, k * nh:(k + 1) * nh] for k in range(4))
        dc_bar = e_bar * f
        f_bar = e_bar * dc
        # a_g = (dc i + gout_g) (1 - g^2)
        u_g = dc * i + gout[4, t]
        ub_g = ab_g * (1.0 - g * g)
        g_bar = -2.0 * g * ab_g * u_g
        dc_bar = dc_bar + ub_g * i
        i_bar = ub_g * dc
        # a_f = (dc c_prev + gout_f) f (1 - f)
        u_f = dc * c_prev + gout[3, t]
        ub_f = ab_f * f * (1.0 - f)
        f_bar = f_bar + ab_f * u_f * (1.0 - 2.0 * f)
        dc_bar = dc_bar + ub_f * c_prev
        cp_bar = ub_f * dc
        # a_i = (dc g + gout_i) i (1 - i)
        u_i = dc * g + gout[2, t]
        ub_i = ab_i * i * (1.0 - i)
        i_bar = i_bar + ab_i * u_i * (1.0 - 2.0 * i)
        dc_bar = dc_bar + ub_i * g
        g_bar = g_bar + ub_i * dc
        # a_o = (dh tanh(c) + gout_o) o (1 - o)
        u_o = dh * tc + gout[5, t]
        ub_o = ab_o * o * (1.0 - o)
        o_bar = ab_o * u_o * (1.0 - 2.0 * o)
        dh_bar = ub_o * tc
        tc_bar = ub_o * dh
        # dc = e + gout_c + dh o (1 - tanh(c)^2)
        dh_bar = dh_bar + dc_bar * o * s
        o_bar = o_bar + dc_bar * dh * s
        tc_bar = tc_bar - 2.0 * tc * dc_bar * dh * o
        # dh = gout_h + r
        g_gout[0, t], g_gout[1, t], g_gout[2, t] = dh_bar, dc_bar, ub_i
        g_gout[3, t], g_gout[4, t], g_gout[5, t] = ub_f, ub_g, ub_o
        g_tape[1, t] += tc_bar * s
        g_tape[2, t], g_tape[3, t], g_tape[4, t], g_tape[5, t] = i_bar, f_bar, g_bar, o_bar
        if t > 0:
            g_tape[1, t - 1] += cp_bar
        else:
            g_c0 += cp_bar
        r_bar, e_bar = dh_bar, dc_bar
    return g_gout, g_tape, g_c0, g_w


def lstm_seq_dgates_tangent(out, gout, tape, c0, w_hh, dgout, dtape, dc0, dw_hh):
    """The forward rule of :func:`lstm_seq_dgates`: the tangent of its result ``(T + 1, B,
    4H)`` for the tangents of ``(gout, tape, c0, w_hh)`` (None: zero)."""
    gout, tape, c0, w_hh = np.asarray(gout), np.asarray(tape), np.asarray(c0), \
        np.asarray(w_hh)
    dgout, dtape = _zeros_or(dgout, gout), _zeros_or(dtape, tape)
    dc0, dw_hh = _zeros_or(dc0, c0), _zeros_or(dw_hh, w_hh)
    _, steps, batch, nh = tape.shape
    tan = np.zeros(np.shape(out), np.result_type(out, dgout, dtape, dc0, dw_hh))
    r_dot = np.zeros((batch, nh), tan.dtype)
    e_dot = np.zeros((batch, nh), tan.dtype)
    for t, dh, dc, a in _bptt_steps(gout, tape, c0, w_hh):
        if t < 0:
            tan[steps][:, :nh] = r_dot
            tan[steps][:, nh:2 * nh] = e_dot
            break
        c_t, i, f, g, o = tape[1, t], tape[2, t], tape[3, t], tape[4, t], tape[5, t]
        c_prev = tape[1, t - 1] if t > 0 else c0
        ct_dot, i_dot, f_dot, g_dot, o_dot = (dtape[k, t] for k in range(1, 6))
        cp_dot = dtape[1, t - 1] if t > 0 else dc0
        tc = np.tanh(c_t)
        s = 1.0 - tc * tc
        tc_dot = s * ct_dot
        dh_dot = dgout[0, t] + r_dot
        dc_dot = e_dot + dgout[1, t] + dh_dot * o * s + dh * o_dot * s \
            - 2.0 * dh * o * tc * tc_dot
        u_i, u_f = dc * g + gout[2, t], dc * c_prev + gout[3, t]
        u_g, u_o = dc * i + gout[4, t], dh * tc + gout[5, t]
        a_dot = np.concatenate([
            (dc_dot * g + dc * g_dot + dgout[2, t]) * i * (1.0 - i)
            + u_i * i_dot * (1.0 - 2.0 * i),
            (dc_dot * c_prev + dc * cp_dot + dgout[3, t]) * f * (1.0 - f)
            + u_f * f_dot * (1.0 - 2.0 * f),
            (dc_dot * i + dc * i_dot + dgout[4, t]) * (1.0 - g * g) - 2.0 * u_g * g * g_dot,
            (dh_dot * tc + dh * tc_dot + dgout[5, t]) * o * (1.0 - o)
            + u_o * o_dot * (1.0 - 2.0 * o)], axis=1)
        tan[t] = a_dot
        e_dot = dc_dot * f + dc * f_dot
        r_dot = a_dot @ w_hh + a @ dw_hh
    return tan


KERNEL_NAMES = ("lstm_seq_forward", "lstm_seq_dgates")
"""The kernels that are primitives (tagged: generated code calls them by name)."""
