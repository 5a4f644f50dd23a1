"""``mindspore.dataset.vision``: ``Rescale``, ``Normalize``, ``HWC2CHW``, ``Resize``.

Takes: numpy.  Gives: callables on images (numpy arrays, HWC unless said otherwise) that
``Dataset.map`` runs; each is also callable on its own.  Results follow MindSpore 2.10
(measured): ``Rescale`` and ``Normalize`` give float32.
"""
from __future__ import annotations

import enum

import numpy as np

__all__ = ["Rescale", "Normalize", "HWC2CHW", "Resize", "Inter"]


class Inter(enum.IntEnum):
    """MindSpore's interpolation modes (``Resize`` implements BILINEAR and NEAREST)."""

    NEAREST = 0
    ANTIALIAS = 1
    BILINEAR = LINEAR = 2
    BICUBIC = CUBIC = 3
    AREA = 4
    PILCUBIC = 5


class Rescale:
    """MindSpore's ``vision.Rescale(rescale, shift)``: ``image * rescale + shift`` in
    float32."""

    def __init__(self, rescale: float, shift: float) -> None:
        self.rescale, self.shift = float(rescale), float(shift)

    def __call__(self, img):
        return np.asarray(img).astype(np.float32) * np.float32(self.rescale) \
            + np.float32(self.shift)


class Normalize:
    """MindSpore's ``vision.Normalize(mean, std, is_hwc=True)``: ``(image - mean) / std`` per
    channel (the last axis; the first with ``is_hwc=False``), in float32."""

    def __init__(self, mean, std, is_hwc: bool = True) -> None:
        self.mean = np.asarray(mean, np.float32)
        self.std = np.asarray(std, np.float32)
        if self.mean.shape != self.std.shape or self.mean.ndim != 1:
            raise ValueError("Normalize: mean and std must be sequences of the same length, "
                             "one value per channel; got %r and %r" % (mean, std))
        if np.any(self.std <= 0):
            raise ValueError("Normalize: std values must be positive, got %r" % (std,))
        self.is_hwc = bool(is_hwc)

    def __call__(self, img):
        img = np.asarray(img).astype(np.float32)
        shape = (-1,) if self.is_hwc else (-1,) + (1,) * (img.ndim - 1)
        if img.ndim == 2:
            shape = (1,)
        return (img - self.mean.reshape(shape)) / self.std.reshape(shape)


class HWC2CHW:
    """MindSpore's ``vision.HWC2CHW()``: an HWC image as CHW (an HW image gets C=1)."""

    def __call__(self, img):
        img = np.asarray(img)
        if img.ndim == 2:
            img = img[:, :, None]
        return np.ascontiguousarray(img.transpose(2, 0, 1))


class Resize:
    """MindSpore's ``vision.Resize(size, interpolation=Inter.BILINEAR)`` of an HWC (or HW)
    image: ``size`` (h, w), or an int for the shorter side (the other keeps the aspect ratio,
    truncated).  Bilinear with half-pixel centres and edge clamping, as OpenCV; float images
    match MindSpore, uint8 images are computed in float and rounded (OpenCV's fixed-point
    arithmetic can differ by 1).  Other interpolations are refused."""

    def __init__(self, size, interpolation=Inter.BILINEAR) -> None:
        self.size = size
        self.interpolation = Inter(interpolation)
        if self.interpolation not in (Inter.BILINEAR, Inter.NEAREST):
            raise NotImplementedError("Resize: autograd_st implements Inter.BILINEAR and "
                                      "Inter.NEAREST, not %s" % self.interpolation.name)

    def _out_size(self, h: int, w: int):
        if isinstance(self.size, int):
            if h <= w:
                return self.size, int(w * self.size / h)
            return int(h * self.size / w), self.size
        return tuple(int(s) for s in self.size)

    def __call__(self, img):
        img = np.asarray(img)
        h, w = img.shape[:2]
        oh, ow = self._out_size(h, w)
        ys = (np.arange(oh) + 0.5) * (h / oh) - 0.5
        xs = (np.arange(ow) + 0.5) * (w / ow) - 0.5
        if self.interpolation == Inter.NEAREST:
            yi = np.minimum(np.floor(np.arange(oh) * (h / oh)).astype(int), h - 1)
            xi = np.minimum(np.floor(np.arange(ow) * (w / ow)).astype(int), w - 1)
            return img[yi][:, xi]
        ys, xs = np.clip(ys, 0, h - 1), np.clip(xs, 0, w - 1)
        y0, x0 = np.floor(ys).astype(int), np.floor(xs).astype(int)
        y1, x1 = np.minimum(y0 + 1, h - 1), np.minimum(x0 + 1, w - 1)
        wy, wx = (ys - y0).astype(np.float32), (xs - x0).astype(np.float32)
        if img.ndim == 3:
            wy, wx = wy[:, None, None], wx[None, :, None]
        else:
            wy, wx = wy[:, None], wx[None, :]
        f = img.astype(np.float32)
        top = f[y0][:, x0] * (1 - wx) + f[y0][:, x1] * wx
        bottom = f[y1][:, x0] * (1 - wx) + f[y1][:, x1] * wx
        out = top * (1 - wy) + bottom * wy
        if img.dtype == np.uint8:
            return np.clip(np.rint(out), 0, 255).astype(np.uint8)
        return out.astype(img.dtype)
