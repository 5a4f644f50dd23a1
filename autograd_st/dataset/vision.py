"""``mindspore.dataset.vision``: ``Rescale``, ``Normalize``, ``HWC2CHW``, ``Resize``,
``CenterCrop``, ``Pad`` (with ``Border``), ``HorizontalFlip``, ``VerticalFlip``,
``RandomHorizontalFlip``, ``RandomVerticalFlip``, ``RandomCrop``, ``ToTensor``.

Takes: numpy, :mod:`.config` (the seed of the random transforms).  Gives: callables on
images (numpy arrays, HWC unless said otherwise) that ``Dataset.map`` runs; each is also
callable on its own.  Results follow MindSpore 2.10 (measured): ``Rescale`` and
``Normalize`` give float32; crops and pads place the image as MindSpore does.  The random
transforms ``RandomHorizontalFlip``, ``RandomVerticalFlip`` and ``RandomCrop`` draw MindSpore's
numbers (:mod:`.op_draws`: the same images under the same seed, eagerly and in ``map``).
"""
from __future__ import annotations

import enum
import importlib
import itertools
import random

import numpy as np

from . import config
from .op_draws import SeededOp

__all__ = ["Rescale", "Normalize", "HWC2CHW", "Resize", "Inter", "Border", "CenterCrop", "Pad",
           "HorizontalFlip", "VerticalFlip", "RandomHorizontalFlip", "RandomVerticalFlip",
           "RandomCrop", "ToTensor"]

_RANDOM = itertools.count()  # each random transform draws from its own stream of the seed


def _is_pil(img) -> bool:
    """A PIL image: MindSpore 2.10 runs a transform's Python (Pillow) form on one, and gives
    a PIL image back (Resize, CenterCrop, Pad here)."""
    return type(img).__module__.startswith("PIL.")


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
    float32, rounded once as MindSpore's fused multiply-add rounds it (measured on 2.10: every
    pixel equal; a float32 multiply then add differs by one ulp in 60 % of the pixels of
    ``Rescale(1 / 127.5, -1)``).  The product and sum are formed in float64 (exact for 8- and
    16-bit images) and rounded to float32."""

    def __init__(self, rescale: float, shift: float) -> None:
        self.rescale, self.shift = float(rescale), float(shift)

    def __call__(self, img):
        x = np.asarray(img).astype(np.float32).astype(np.float64)
        return (x * float(np.float32(self.rescale))
                + float(np.float32(self.shift))).astype(np.float32)


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
    truncated; a PIL image is resized by Pillow, as MindSpore's PIL form, and stays a PIL
    image).  Bilinear with half-pixel centres and edge clamping, as OpenCV; float images
    in float32; uint8 images in OpenCV's fixed point (weights in 1/2048, its vectorized
    vertical pass and rounding: equal to MindSpore 2.10's pixels).  Other interpolations
    are refused."""

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

    def _pil(self, img):
        # MindSpore's py_transforms_util.resize: Pillow's resize, the shorter side to an int
        # size (the other truncated), an image already that size returned as it is
        if isinstance(self.size, int):
            w, h = img.size
            if (w <= h and w == self.size) or (h <= w and h == self.size):
                return img
            if w < h:
                return img.resize((self.size, int(self.size / (w / h))), int(self.interpolation))
            return img.resize((int(self.size * (w / h)), self.size), int(self.interpolation))
        return img.resize(tuple(int(v) for v in self.size)[::-1], int(self.interpolation))

    def __call__(self, img):
        if _is_pil(img):
            return self._pil(img)
        img = np.asarray(img)
        h, w = img.shape[:2]
        oh, ow = self._out_size(h, w)
        ys = (np.arange(oh) + 0.5) * (h / oh) - 0.5
        xs = (np.arange(ow) + 0.5) * (w / ow) - 0.5
        if self.interpolation == Inter.NEAREST:
            # OpenCV's INTER_NEAREST: floor(i * (1 / (out / in))) (measured: the source
            # columns of a 395 -> 500 upscale, where i * in / out takes 3 of them one less)
            yi = np.minimum(np.floor(np.arange(oh) * (1.0 / (oh / h))).astype(int), h - 1)
            xi = np.minimum(np.floor(np.arange(ow) * (1.0 / (ow / w))).astype(int), w - 1)
            return img[yi][:, xi]
        if img.dtype == np.uint8:
            return _bilinear_u8(img, oh, ow)
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
        return out.astype(img.dtype)


def _linear_coefficients(dst: int, src: int, clamp: bool):
    """OpenCV's INTER_LINEAR source index and fixed-point weights (1/2048) per output
    position: ``f = (d + 0.5) * scale - 0.5`` in float32; along x (``clamp``) a position
    before the first or past the last source pixel takes that pixel whole, along y the
    weights stay and the rows are clipped (as cv::resize)."""
    f = ((np.arange(dst) + 0.5) * (1.0 / (dst / src)) - 0.5).astype(np.float32)
    s = np.floor(f).astype(np.int64)
    f = (f - s.astype(np.float32)).astype(np.float32)
    if clamp:
        low, high = s < 0, s >= src - 1
        f[low | high] = 0
        s[low], s[high] = 0, src - 1
    a1 = np.rint(f * np.float32(2048)).astype(np.int64)
    a0 = np.rint((np.float32(1) - f) * np.float32(2048)).astype(np.int64)
    return s, a0, a1


def _bilinear_u8(img, oh: int, ow: int):
    """cv::resize(INTER_LINEAR) of a uint8 image: the horizontal pass in integers, the
    vertical one as OpenCV's vector code computes it
    (``((S0 >> 4) * b0 >> 16) + ((S1 >> 4) * b1 >> 16) + 2 >> 2``)."""
    h, w = img.shape[:2]
    src = img.reshape(h, w, -1).astype(np.int64)
    xs, a0, a1 = _linear_coefficients(ow, w, True)
    ys, b0, b1 = _linear_coefficients(oh, h, False)
    rows = src[:, xs] * a0[None, :, None] + src[:, np.minimum(xs + 1, w - 1)] * a1[None, :, None]
    s0, s1 = rows[np.clip(ys, 0, h - 1)], rows[np.clip(ys + 1, 0, h - 1)]
    b0, b1 = b0[:, None, None], b1[:, None, None]
    out = ((((s0 >> 4) * b0) >> 16) + (((s1 >> 4) * b1) >> 16) + 2) >> 2
    return np.clip(out, 0, 255).astype(np.uint8).reshape((oh, ow) + img.shape[2:])


class Border(enum.Enum):
    """MindSpore's padding modes."""

    CONSTANT = "constant"
    EDGE = "edge"
    REFLECT = "reflect"
    SYMMETRIC = "symmetric"


def _hw(size, what: str) -> tuple:
    if isinstance(size, (int, np.integer)) and not isinstance(size, bool):
        size = (int(size), int(size))
    size = tuple(int(v) for v in size)
    if len(size) != 2 or min(size) <= 0:
        raise ValueError("%s: size must be a positive int or a (height, width) pair; got %r"
                         % (what, size))
    return size


def _ltrb(padding, what: str) -> tuple:
    """MindSpore's padding: an int (all sides), (left/right, top/bottom) or (left, top,
    right, bottom)."""
    if isinstance(padding, (int, np.integer)) and not isinstance(padding, bool):
        padding = (int(padding),) * 4
    padding = tuple(int(v) for v in padding)
    if len(padding) == 2:
        padding = (padding[0], padding[1], padding[0], padding[1])
    if len(padding) != 4 or min(padding) < 0:
        raise ValueError("%s: padding must be a non-negative int or a sequence of 2 or 4 of "
                         "them; got %r" % (what, padding))
    return padding


def _pad(img: np.ndarray, left: int, top: int, right: int, bottom: int, fill_value,
         mode: Border) -> np.ndarray:
    widths = [(top, bottom), (left, right)] + [(0, 0)] * (img.ndim - 2)
    if mode is not Border.CONSTANT:
        return np.pad(img, widths, mode=mode.value)
    out = np.pad(img, widths, mode="constant")
    fill = np.asarray(fill_value, img.dtype)
    if np.any(fill != 0):
        mask = np.ones(img.shape[:2], bool)
        mask = np.pad(mask, widths[:2], constant_values=False)
        out[~mask] = fill
    return out


class CenterCrop:
    """MindSpore's ``vision.CenterCrop(size)``: the centre ``size`` of an HWC / HW image
    (offset ``(H - h) // 2``); a larger size pads with 0, the extra row or column going to
    the top / left (measured).  A PIL image is cropped by Pillow as MindSpore's PIL form
    (offsets ``round((H - h) / 2)``, half to even) and stays a PIL image."""

    def __init__(self, size) -> None:
        self.size = _hw(size, "CenterCrop")

    def __call__(self, img):
        h, w = self.size
        if _is_pil(img):  # MindSpore's PIL form: offsets rounded half to even, then crop
            top, left = int(round((img.size[1] - h) / 2.)), int(round((img.size[0] - w) / 2.))
            return img.crop((left, top, left + w, top + h))
        img = np.asarray(img)
        dh, dw = max(0, h - img.shape[0]), max(0, w - img.shape[1])
        if dh or dw:
            img = _pad(img, (dw + 1) // 2, (dh + 1) // 2, dw // 2, dh // 2, 0, Border.CONSTANT)
        top, left = (img.shape[0] - h) // 2, (img.shape[1] - w) // 2
        return img[top:top + h, left:left + w].copy()


class Pad:
    """MindSpore's ``vision.Pad(padding, fill_value=0, padding_mode=Border.CONSTANT)``:
    ``padding`` an int, (left/right, top/bottom) or (left, top, right, bottom);
    ``fill_value`` an int or one per channel.  A PIL image is padded by Pillow as
    MindSpore's PIL form and stays a PIL image."""

    def __init__(self, padding, fill_value=0, padding_mode=Border.CONSTANT) -> None:
        self.padding = _ltrb(padding, "Pad")
        self.fill_value, self.padding_mode = fill_value, Border(padding_mode)

    def __call__(self, img):
        if _is_pil(img):
            return self._pil(img)
        return _pad(np.asarray(img), *self.padding, self.fill_value, self.padding_mode)

    def _pil(self, img):
        # MindSpore's py_transforms_util.pad: ImageOps.expand for a constant border (an int
        # fill is one per RGB channel), numpy's pad for the other modes
        left, top, right, bottom = self.padding
        if self.padding_mode is Border.CONSTANT:
            fill = self.fill_value
            fill = tuple(fill) if isinstance(fill, (list, tuple)) else (int(fill),) * 3
            if img.mode in ("L", "1"):
                fill = fill[0]
            image_ops = importlib.import_module("PIL.ImageOps")
            return image_ops.expand(img, border=(left, top, right, bottom), fill=fill)
        arr = np.asarray(img)
        widths = ((top, bottom), (left, right)) + (((0, 0),) if arr.ndim == 3 else ())
        image_module = importlib.import_module("PIL.Image")
        return image_module.fromarray(np.pad(arr, widths, self.padding_mode.value))


class HorizontalFlip:
    """MindSpore's ``vision.HorizontalFlip()``: columns reversed."""

    def __call__(self, img):
        return np.asarray(img)[:, ::-1].copy()


class VerticalFlip:
    """MindSpore's ``vision.VerticalFlip()``: rows reversed."""

    def __call__(self, img):
        return np.asarray(img)[::-1].copy()


class _Random:
    """A random transform: ``_draw()`` is its own stream of the seed (stream ``_BASE`` plus
    its number among the transforms counted by ``_COUNTER``), restarted by ``set_seed``."""

    _BASE = 10 ** 6
    _COUNTER = _RANDOM

    def __init__(self) -> None:
        self._stream = next(self._COUNTER)
        self._rng, self._sets = None, -1

    def _draw(self) -> np.random.Generator:
        if self._rng is None or self._sets != config.seed_sets():  # set_seed restarts it
            self._rng = config.generator(self._BASE + self._stream, 0)
            self._sets = config.seed_sets()
        return self._rng


def _prob(prob, what: str) -> float:
    if isinstance(prob, bool) or not isinstance(prob, (int, float)) or not 0.0 <= prob <= 1.0:
        raise ValueError("%s: prob must be in [0, 1]; got %r" % (what, prob))
    return float(prob)


class _RandomFlip(SeededOp):
    _flip: type = HorizontalFlip
    _pil_flip = "FLIP_LEFT_RIGHT"

    def __init__(self, prob=0.5) -> None:
        self.prob = _prob(prob, type(self).__name__)

    def _run(self, scope, path, img):
        if _is_pil(img):  # MindSpore's Python form: Python's random, Pillow's transpose
            if self.prob > random.random():
                transpose = importlib.import_module("PIL.Image").Transpose
                return img.transpose(getattr(transpose, self._pil_flip))
            return img
        if scope.generator(path).bernoulli(self.prob):
            return self._flip()(img)
        return np.asarray(img)


class RandomHorizontalFlip(_RandomFlip):
    """MindSpore's ``vision.RandomHorizontalFlip(prob=0.5)``: flipped when a
    ``std::bernoulli_distribution(prob)`` draw of the op's generator says so (MindSpore's
    draws: :mod:`.op_draws`); a PIL image by MindSpore's Python form (``prob >
    random.random()``)."""


class RandomVerticalFlip(_RandomFlip):
    """MindSpore's ``vision.RandomVerticalFlip(prob=0.5)`` (as ``RandomHorizontalFlip``)."""

    _flip = VerticalFlip
    _pil_flip = "FLIP_TOP_BOTTOM"


class RandomCrop(SeededOp):
    """MindSpore's ``vision.RandomCrop(size, padding=None, pad_if_needed=False,
    fill_value=0, padding_mode=Border.CONSTANT)``: ``padding`` first (as ``Pad``), then,
    with ``pad_if_needed``, a side shorter than ``size`` padded by the difference on both
    ends, then a crop of ``size`` at ``x = uniform_int(0, W - w)``, ``y = uniform_int(0,
    H - h)`` drawn in that order (none when the image is already ``size``); several input
    columns are cropped at the first one's place.  A PIL image takes MindSpore's Python
    form: ``top``, then ``left``, from ``random.randint``."""

    def __init__(self, size, padding=None, pad_if_needed=False, fill_value=0,
                 padding_mode=Border.CONSTANT) -> None:
        self.size = _hw(size, "RandomCrop")
        self.padding = None if padding is None else _ltrb(padding, "RandomCrop")
        self.pad_if_needed = bool(pad_if_needed)
        self.fill_value, self.padding_mode = fill_value, Border(padding_mode)

    def _padded(self, img):
        if self.padding is not None:
            img = _pad(img, *self.padding, self.fill_value, self.padding_mode)
        h, w = self.size
        if self.pad_if_needed:
            dh, dw = max(0, h - img.shape[0]), max(0, w - img.shape[1])
            if dh or dw:
                img = _pad(img, dw, dh, dw, dh, self.fill_value, self.padding_mode)
        if img.shape[0] < h or img.shape[1] < w:
            raise RuntimeError("RandomCrop: the crop size %s is larger than the (padded) image "
                               "%s; pass padding or pad_if_needed=True"
                               % (list(self.size), list(img.shape[:2])))
        return img

    def _run(self, scope, path, *imgs):
        if len(imgs) == 1 and _is_pil(imgs[0]):
            return self._pil(imgs[0])
        h, w = self.size
        out, at = [], None
        for img in imgs:
            img = self._padded(np.asarray(img))
            if img.shape[:2] == (h, w):
                out.append(img)
                continue
            if at is None:
                g = scope.generator(path)
                x = g.uniform_int(0, img.shape[1] - w)
                at = (g.uniform_int(0, img.shape[0] - h), x)
            out.append(img[at[0]:at[0] + h, at[1]:at[1] + w].copy())
        return tuple(out) if len(out) > 1 else out[0]

    def _pil(self, img):
        h, w = self.size
        if self.padding is not None:
            img = Pad(self.padding, self.fill_value, self.padding_mode)._pil(img)
        if self.pad_if_needed and img.size[0] < w:
            img = Pad((w - img.size[0], 0), self.fill_value, self.padding_mode)._pil(img)
        if self.pad_if_needed and img.size[1] < h:
            img = Pad((0, h - img.size[1]), self.fill_value, self.padding_mode)._pil(img)
        if h > img.size[1] or w > img.size[0]:
            raise ValueError("Crop size %s is larger than input image size %s."
                             % ((h, w), (img.size[1], img.size[0])))
        if (w, h) == img.size:
            return img.crop((0, 0, w, h))
        top = random.randint(0, img.size[1] - h)
        left = random.randint(0, img.size[0] - w)
        return img.crop((left, top, left + w, top + h))


class ToTensor:
    """MindSpore's ``vision.ToTensor(output_type=np.float32)``: an HWC (or HW) image as CHW
    times ``float32(1 / 255)`` (MindSpore's product, measured; then cast to
    ``output_type``)."""

    def __init__(self, output_type=np.float32) -> None:
        self.output_type = output_type

    def __call__(self, img):
        img = np.asarray(img)
        if img.ndim == 2:
            img = img[:, :, None]
        out = img.astype(np.float32) * np.float32(1.0 / 255.0)
        out = np.ascontiguousarray(out.transpose(2, 0, 1))
        return out.astype(self.output_type)
