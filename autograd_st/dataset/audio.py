"""``mindspore.dataset.audio``: ``LFilter``, ``Biquad`` and ``BassBiquad``, computed as
MindSpore 2.10's kernels compute them (the same float32 / float64 results, measured).

Takes: numpy only.  Gives: the three transforms (callables on a ``<..., time>`` float array).

MindSpore's IIR filter runs in the input's dtype: the coefficients divided by ``a0``, then per
time step ``y = sum(b[j] * x[n - j]) - sum(a[j] * y[n - j])`` accumulated in that order (no
fused multiply-add), the feedback using the unclamped ``y``, the output clamped to
``[-1, 1]`` with ``clamp``.  ``BassBiquad`` keeps its float arguments in float32 (``gain / 40``
too), works out the shelf's coefficients in float64 and casts them to the input's dtype.
"""
from __future__ import annotations

import math

import numpy as np

__all__ = ["LFilter", "Biquad", "BassBiquad"]


def _waveform(waveform, what: str) -> np.ndarray:
    x = np.asarray(waveform)
    if x.ndim == 0:
        raise RuntimeError("%s: input tensor is not in shape of <..., time>." % what)
    if x.dtype not in (np.float32, np.float64):
        raise RuntimeError("%s: input tensor type should be float32 or float64 here (MindSpore "
                           "also takes float16), but got: %s; cast it with astype(np.float32)"
                           % (what, x.dtype))
    return x


def _lfilter(x: np.ndarray, a, b, clamp: bool) -> np.ndarray:
    """MindSpore's LFilter kernel on ``x`` (``<..., time>``), in ``x``'s dtype."""
    dt = x.dtype.type
    a = [dt(v) for v in a]
    b = [dt(v) / a[0] for v in b]
    a = [a[0]] + [v / a[0] for v in a[1:]]
    rows = x.reshape(-1, x.shape[-1])
    order = len(b) - 1
    past_x = [np.zeros(len(rows), dt) for _ in range(order + 1)]
    past_y = [np.zeros(len(rows), dt) for _ in range(len(a))]
    out = np.empty_like(rows)
    for t in range(rows.shape[1]):
        past_x = past_x[1:] + [rows[:, t]]
        acc = np.zeros(len(rows), dt)
        for j in range(order + 1):
            acc = acc + b[j] * past_x[order - j]
        for j in range(1, len(a)):
            acc = acc - a[j] * past_y[len(a) - j]
        past_y = past_y[1:] + [acc]
        out[:, t] = np.clip(acc, -1, 1) if clamp else acc
    return out.reshape(x.shape)


class LFilter:
    """MindSpore's ``audio.LFilter(a_coeffs, b_coeffs, clamp=True)``: the IIR filter with
    denominator ``a_coeffs`` and numerator ``b_coeffs`` (the same length, lowest delay first),
    its coefficients held in float32 as MindSpore holds them."""

    def __init__(self, a_coeffs, b_coeffs, clamp=True) -> None:
        if len(a_coeffs) != len(b_coeffs) or not len(a_coeffs):
            raise ValueError("LFilter: a_coeffs and b_coeffs must be non-empty and of the same "
                             "length (pad the shorter with zeros); got %d and %d"
                             % (len(a_coeffs), len(b_coeffs)))
        if float(a_coeffs[0]) == 0.0:
            raise ValueError("LFilter: the first value of a_coeffs should not be 0")
        self.a = [float(np.float32(v)) for v in a_coeffs]
        self.b = [float(np.float32(v)) for v in b_coeffs]
        self.clamp = bool(clamp)

    def __call__(self, waveform):
        return _lfilter(_waveform(waveform, "LFilter"), self.a, self.b, self.clamp)


class Biquad:
    """MindSpore's ``audio.Biquad(b0, b1, b2, a0, a1, a2)``: the second-order IIR filter
    (float32 coefficients), its output clamped to ``[-1, 1]``."""

    def __init__(self, b0, b1, b2, a0, a1, a2) -> None:
        self.filter = LFilter([a0, a1, a2], [b0, b1, b2], True)

    def __call__(self, waveform):
        return _lfilter(_waveform(waveform, "Biquad"), self.filter.a, self.filter.b, True)


class BassBiquad:
    """MindSpore's ``audio.BassBiquad(sample_rate, gain, central_freq=100.0, Q=0.707)``: a
    two-pole low-shelf filter raising (or cutting) the frequencies below ``central_freq`` by
    ``gain`` dB, as SoX's ``bass``; output clamped to ``[-1, 1]``."""

    def __init__(self, sample_rate, gain, central_freq=100.0, Q=0.707) -> None:  # noqa: N803
        if isinstance(sample_rate, bool) or not isinstance(sample_rate, (int, np.integer)):
            raise TypeError("BassBiquad: sample_rate must be an int; got %r" % (sample_rate,))
        if sample_rate == 0:
            raise ValueError("BassBiquad: sample_rate can not be 0")
        if not 0 < float(Q) <= 1:
            raise ValueError("BassBiquad: Q must be in (0, 1]; got %r" % (Q,))
        f32 = (lambda v: float(np.float32(v)))  # (MindSpore holds them as float32)
        self.sample_rate = int(sample_rate)
        self.gain, self.central_freq, self.Q = f32(gain), f32(central_freq), f32(Q)

    def coefficients(self):
        """``([b0, b1, b2], [1, a1, a2])`` divided by ``a0``, in float64."""
        w0 = 2 * math.pi * self.central_freq / self.sample_rate
        alpha = math.sin(w0) / 2 / self.Q
        amp = math.exp(float(np.float32(self.gain) / np.float32(40)) * math.log(10))  # (float)
        t1 = 2 * math.sqrt(amp) * alpha
        t2 = (amp - 1) * math.cos(w0)
        t3 = (amp + 1) * math.cos(w0)
        b = [amp * ((amp + 1) - t2 + t1), 2 * amp * ((amp - 1) - t3),
             amp * ((amp + 1) - t2 - t1)]
        a0 = (amp + 1) + t2 + t1
        a = [a0, -2 * ((amp - 1) + t3), (amp + 1) + t2 - t1]
        return [v / a0 for v in b], [1.0, a[1] / a0, a[2] / a0]

    def __call__(self, waveform):
        x = _waveform(waveform, "BassBiquad")
        b, a = self.coefficients()
        return _lfilter(x, a, b, True)
