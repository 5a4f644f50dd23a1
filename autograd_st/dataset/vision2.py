"""More of ``mindspore.dataset.vision`` on numpy HWC images, the deterministic ones: colour
(``AdjustBrightness``, ``AdjustContrast``, ``AdjustSaturation``, ``AdjustHue``,
``AdjustGamma``, ``AdjustSharpness``, ``Invert``, ``Posterize``, ``Solarize``,
``AutoContrast``, ``Equalize``, ``ConvertColor``, ``RgbToHsv``, ``HsvToRgb``, ``ToType``,
``GaussianBlur``) and geometry (``Crop``, ``PadToSize``, ``ResizedCrop``, ``Erase``,
``Rotate``, ``Affine``, ``Perspective``); the random ones are in :mod:`.vision_random`.

Takes: numpy, :mod:`.vision` (``Inter``, ``Border``, padding, ``Resize``).
Gives: callables that ``Dataset.map`` runs.  MindSpore computes these with OpenCV; the
numbers here follow OpenCV's rules (its rounding of uint8 results, warpAffine's fixed-point
coordinates, equalizeHist's table) and were compared with MindSpore 2.10 (recorded cases
``ds3_vision_*``).
"""
from __future__ import annotations

import enum
import math

import numpy as np

from .. import dtype as mstype
from .vision import Border, Inter, Resize, _hw, _pad

__all__ = ["AdjustBrightness", "AdjustContrast", "AdjustSaturation", "AdjustGamma",
           "AdjustSharpness", "AdjustHue", "Invert", "Posterize", "Solarize", "AutoContrast",
           "Equalize", "ConvertMode", "ConvertColor", "RgbToHsv", "HsvToRgb", "ToType",
           "GaussianBlur", "Crop", "PadToSize", "Rotate", "Affine", "Perspective",
           "ResizedCrop", "Erase"]


def _like(out: np.ndarray, dtype) -> np.ndarray:
    """A float result in the image's dtype as OpenCV's saturate_cast (round half to even)."""
    dtype = np.dtype(dtype)
    if dtype.kind in "iu":
        info = np.iinfo(dtype)
        return np.clip(np.rint(out), info.min, info.max).astype(dtype)
    return out.astype(dtype)


def _rgb(img, what: str) -> np.ndarray:
    img = np.asarray(img)
    if img.ndim != 3 or img.shape[2] != 3:
        raise RuntimeError("%s: the image must be RGB, <H, W, 3>; got shape %s"
                           % (what, list(img.shape)))
    return img


def _gray(img: np.ndarray) -> np.ndarray:
    """OpenCV's RGB2GRAY: for uint8 its fixed-point weights in 1/2**15 (9798, 19235, 3735;
    rounded: MindSpore 2.10's gray on 10,000 random pixels, where the 1/2**14 weights miss 16),
    floats in float32."""
    if img.dtype == np.uint8:
        r, g, b = (img[..., k].astype(np.int64) for k in range(3))
        return ((r * 9798 + g * 19235 + b * 3735 + (1 << 14)) >> 15).astype(np.uint8)
    f = img.astype(np.float32)
    return (f[..., 0] * np.float32(0.299) + f[..., 1] * np.float32(0.587)
            + f[..., 2] * np.float32(0.114)).astype(img.dtype)


def _factor(value, what: str, low=0.0) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < low:
        raise ValueError("Input %s is not within the required interval of [%s, 16777216]; "
                         "got %r." % (what, low, value))
    return float(value)


def _f32(img: np.ndarray) -> np.ndarray:
    return img.astype(np.float32)


class AdjustBrightness:
    """MindSpore's ``vision.AdjustBrightness(brightness_factor)``: ``image * factor``,
    saturated to the dtype."""

    def __init__(self, brightness_factor) -> None:
        self.brightness_factor = _factor(brightness_factor, "brightness_factor")

    def __call__(self, img):
        img = _rgb(img, "AdjustBrightness")
        return _like(_f32(img) * np.float32(self.brightness_factor), img.dtype)


class AdjustContrast:
    """MindSpore's ``vision.AdjustContrast(contrast_factor)``: the image blended with the
    mean of its grayscale (OpenCV's weights): ``image * f + mean * (1 - f)``."""

    def __init__(self, contrast_factor) -> None:
        self.contrast_factor = _factor(contrast_factor, "contrast_factor")

    def __call__(self, img):
        img = _rgb(img, "AdjustContrast")
        mean = float(np.mean(_gray(img), dtype=np.float64))
        if img.dtype == np.uint8:
            mean = float(np.rint(mean))
        f = np.float32(self.contrast_factor)
        return _like(_f32(img) * f + np.float32(mean) * (np.float32(1) - f), img.dtype)


class AdjustSaturation:
    """MindSpore's ``vision.AdjustSaturation(saturation_factor)``: the image blended with
    its grayscale: ``image * f + gray * (1 - f)``."""

    def __init__(self, saturation_factor) -> None:
        self.saturation_factor = _factor(saturation_factor, "saturation_factor")

    def __call__(self, img):
        img = _rgb(img, "AdjustSaturation")
        gray = _f32(_gray(img))[..., None]
        f = np.float32(self.saturation_factor)
        return _like(_f32(img) * f + gray * (np.float32(1) - f), img.dtype)


class AdjustGamma:
    """MindSpore's ``vision.AdjustGamma(gamma, gain=1)``: for uint8 the table
    ``floor(256 * gain * (x / 255) ** gamma)`` saturated (MindSpore 2.10's numbers, measured),
    ``gain * x ** gamma`` for floats."""

    def __init__(self, gamma, gain=1.0) -> None:
        self.gamma = _factor(gamma, "gamma")
        if isinstance(gain, bool) or not isinstance(gain, (int, float)):
            raise TypeError("AdjustGamma: gain must be a number; got %r" % (gain,))
        self.gain = float(gain)

    def __call__(self, img):
        img = np.asarray(img)
        if img.dtype == np.uint8:
            table = np.clip(np.floor(256.0 * self.gain * (np.arange(256) / 255.0)
                                     ** self.gamma), 0, 255).astype(np.uint8)
            return table[img]
        return (self.gain * img.astype(np.float64) ** self.gamma).astype(img.dtype)


def _filter3(img: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """A 3x3 correlation with OpenCV's default border (reflect 101), in float64."""
    f = img.astype(np.float64)
    pad = np.pad(f, [(1, 1), (1, 1)] + [(0, 0)] * (img.ndim - 2), mode="reflect")
    out = np.zeros_like(f)
    for dy in range(3):
        for dx in range(3):
            out += kernel[dy, dx] * pad[dy:dy + f.shape[0], dx:dx + f.shape[1]]
    return out


class AdjustSharpness:
    """MindSpore's ``vision.AdjustSharpness(sharpness_factor)``: the image blended with its
    smoothed copy (kernel [[1, 1, 1], [1, 5, 1], [1, 1, 1]] / 13, the border rows and columns
    kept): ``image * f + smooth * (1 - f)``."""

    def __init__(self, sharpness_factor) -> None:
        self.sharpness_factor = _factor(sharpness_factor, "sharpness_factor")

    def __call__(self, img):
        img = np.asarray(img)
        kernel = np.array([[1, 1, 1], [1, 5, 1], [1, 1, 1]], np.float64) / 13.0
        smooth = _like(_filter3(img, kernel), img.dtype).astype(np.float64)
        base = img.astype(np.float64)
        smooth[0], smooth[-1], smooth[:, 0], smooth[:, -1] = (base[0], base[-1], base[:, 0],
                                                              base[:, -1])
        f = np.float32(self.sharpness_factor)
        return _like(base.astype(np.float32) * f + smooth.astype(np.float32) * (np.float32(1) - f),
                     img.dtype)


def _rgb2hsv_full(img: np.ndarray) -> np.ndarray:
    """OpenCV's RGB2HSV_FULL on uint8 (fixed point, 12 bits; hue in [0, 256))."""
    x = img.astype(np.int64)
    r, g, b = x[..., 0], x[..., 1], x[..., 2]
    v, vmin = x.max(-1), x.min(-1)
    diff = v - vmin
    i = np.arange(256)
    sdiv = np.where(i > 0, np.rint((255 << 12) / np.maximum(i, 1)), 0).astype(np.int64)
    hdiv = np.where(i > 0, np.rint((256 << 12) / (6.0 * np.maximum(i, 1))), 0).astype(np.int64)
    s = (diff * sdiv[v] + (1 << 11)) >> 12
    h = np.where(v == r, g - b, np.where(v == g, b - r + 2 * diff, r - g + 4 * diff))
    h = (h * hdiv[diff] + (1 << 11)) >> 12
    h = np.where(h < 0, h + 256, h)
    return np.stack([h, s, v], -1)


def _hsv2rgb_full(hsv: np.ndarray) -> np.ndarray:
    """OpenCV's HSV2RGB_FULL on uint8 (in float32; hue range 255 on this way back)."""
    h = hsv[..., 0].astype(np.float32) * np.float32(6.0 / 255.0)
    s = hsv[..., 1].astype(np.float32) * np.float32(1 / 255.0)
    v = hsv[..., 2].astype(np.float32) * np.float32(1 / 255.0)
    h = np.where(h >= 6, h - 6, h)
    sector = np.floor(h).astype(np.int64)
    f = h - sector
    one = np.float32(1)
    tab = np.stack([v, v * (one - s), v * (one - s * f), v * (one - s * (one - f))], -1)
    order = np.array([[1, 3, 0], [1, 0, 2], [3, 0, 1], [0, 2, 1], [0, 1, 3], [2, 1, 0]])
    pick = order[sector % 6]  # b, g, r
    bgr = np.take_along_axis(tab, pick, -1)
    rgb = np.where((s == 0)[..., None], v[..., None], bgr[..., ::-1])
    return _like(rgb * np.float32(255), np.uint8)


class AdjustHue:
    """MindSpore's ``vision.AdjustHue(hue_factor)`` (``hue_factor`` in [-0.5, 0.5]) on uint8
    RGB: OpenCV's 8-bit HSV (full range), the hue shifted by ``uint8(hue_factor * 255)``
    (wrapping), back to RGB (measured).  Float images are refused (MindSpore 2.10's results on
    them leave [0, 1])."""

    def __init__(self, hue_factor) -> None:
        if isinstance(hue_factor, bool) or not isinstance(hue_factor, (int, float)) or \
                not -0.5 <= hue_factor <= 0.5:
            raise ValueError("Input hue_factor is not within the required interval of "
                             "[-0.5, 0.5].")
        self.hue_factor = float(hue_factor)

    def __call__(self, img):
        img = _rgb(img, "AdjustHue")
        if img.dtype != np.uint8:
            raise NotImplementedError("AdjustHue: autograd_st adjusts uint8 images only; got "
                                      "%s" % img.dtype)
        hsv = _rgb2hsv_full(img)
        shift = int(np.float32(self.hue_factor) * np.float32(255)) % 256  # C's cast, wrapped
        hsv[..., 0] = (hsv[..., 0] + shift) % 256
        return _hsv2rgb_full(hsv)


class Invert:
    """MindSpore's ``vision.Invert()``: ``255 - image`` (uint8)."""

    def __call__(self, img):
        img = np.asarray(img)
        return (255 - img.astype(np.int64)).astype(img.dtype)


class Posterize:
    """MindSpore's ``vision.Posterize(bits)``: each uint8 value keeps its ``bits`` high
    bits."""

    def __init__(self, bits) -> None:
        if isinstance(bits, bool) or not isinstance(bits, int) or not 0 <= bits <= 8:
            raise ValueError("Input bits is not within the required interval of [0, 8].")
        self.bits = bits

    def __call__(self, img):
        img = np.asarray(img)
        if img.dtype != np.uint8:
            raise RuntimeError("Posterize: the image must be uint8; got %s" % img.dtype)
        return img & np.uint8((0xFF << (8 - self.bits)) & 0xFF)


class Solarize:
    """MindSpore's ``vision.Solarize(threshold)``: values in ``[threshold, 255]`` (an int) or
    in ``[low, high]`` (a pair) inverted (``255 - x``)."""

    def __init__(self, threshold) -> None:
        t = (threshold, 255) if isinstance(threshold, (int, float)) else tuple(threshold)
        if len(t) != 2 or not 0 <= t[0] <= t[1] <= 255:
            raise ValueError("Solarize: threshold must be in [0, 255] (a pair: low <= high); "
                             "got %r" % (threshold,))
        self.threshold = t

    def __call__(self, img):
        img = np.asarray(img)
        lo, hi = self.threshold
        inside = (img >= lo) & (img <= hi)
        return np.where(inside, (255 - img.astype(np.int64)).astype(img.dtype), img)


class AutoContrast:
    """MindSpore's ``vision.AutoContrast(cutoff=0.0, ignore=None)``: each channel stretched
    to [0, 255] from its lowest and highest values, after dropping ``cutoff`` percent of the
    pixels at each end (values in ``ignore`` not counted)."""

    def __init__(self, cutoff=0.0, ignore=None) -> None:
        if not 0.0 <= float(cutoff) < 50.0:
            raise ValueError("Input cutoff is not within the required interval of [0, 50).")
        self.cutoff = float(cutoff)
        self.ignore = [] if ignore is None else ([ignore] if isinstance(ignore, int)
                                                 else list(ignore))

    def _channel(self, ch: np.ndarray) -> np.ndarray:
        hist = np.bincount(ch.ravel(), minlength=256).astype(np.int64)
        for k in self.ignore:
            hist[k] = 0
        if self.cutoff:
            cut = int(hist.sum() * self.cutoff / 100.0)
            for order in (range(256), range(255, -1, -1)):
                left = cut
                for i in order:
                    take = min(left, hist[i])
                    hist[i] -= take
                    left -= take
                    if left <= 0:
                        break
        nz = np.nonzero(hist)[0]
        if len(nz) == 0 or nz[-1] <= nz[0]:
            return ch.copy()
        lo, hi = int(nz[0]), int(nz[-1])
        scale = np.float32(255.0) / np.float32(hi - lo)
        table = np.arange(256, dtype=np.float32) * scale - np.float32(lo) * scale
        return np.clip(table, 0, 255).astype(np.uint8)[ch]  # truncated (measured)

    def __call__(self, img):
        img = np.asarray(img)
        if img.ndim == 2:
            return self._channel(img)
        return np.stack([self._channel(img[..., k]) for k in range(img.shape[2])], -1)


def _equalize(ch: np.ndarray) -> np.ndarray:
    hist = np.bincount(ch.ravel(), minlength=256)
    total = ch.size
    first = int(np.nonzero(hist)[0][0])
    if hist[first] == total:
        return np.full_like(ch, first)
    scale = 255.0 / (total - hist[first])
    lut = np.zeros(256, np.uint8)
    acc = np.cumsum(hist[first + 1:])
    lut[first + 1:] = np.clip(np.rint(acc * scale), 0, 255).astype(np.uint8)
    return lut[ch]


class Equalize:
    """MindSpore's ``vision.Equalize()``: each channel's histogram equalised (OpenCV's
    equalizeHist)."""

    def __call__(self, img):
        img = np.asarray(img)
        if img.dtype != np.uint8:
            raise RuntimeError("Equalize: the image must be uint8; got %s" % img.dtype)
        if img.ndim == 2:
            return _equalize(img)
        return np.stack([_equalize(img[..., k]) for k in range(img.shape[2])], -1)


class ConvertMode(enum.IntEnum):
    """MindSpore's ``vision.ConvertMode`` (the ones ``ConvertColor`` computes here)."""

    COLOR_BGR2BGRA = 0
    COLOR_RGB2RGBA = 0
    COLOR_BGRA2BGR = 1
    COLOR_RGBA2RGB = 1
    COLOR_BGR2RGBA = 2
    COLOR_RGB2BGRA = 2
    COLOR_RGBA2BGR = 3
    COLOR_BGRA2RGB = 3
    COLOR_BGR2RGB = 4
    COLOR_RGB2BGR = 4
    COLOR_BGRA2RGBA = 5
    COLOR_RGBA2BGRA = 5
    COLOR_BGR2GRAY = 6
    COLOR_RGB2GRAY = 7
    COLOR_GRAY2BGR = 8
    COLOR_GRAY2RGB = 8
    COLOR_GRAY2BGRA = 9
    COLOR_GRAY2RGBA = 9
    COLOR_BGRA2GRAY = 10
    COLOR_RGBA2GRAY = 11


class ConvertColor:
    """MindSpore's ``vision.ConvertColor(convert_mode)``: OpenCV's colour conversions
    between RGB/BGR (with or without alpha, 255 added) and gray."""

    def __init__(self, convert_mode) -> None:
        self.convert_mode = ConvertMode(convert_mode)

    def __call__(self, img):
        img = np.asarray(img)
        m = int(self.convert_mode)
        alpha = np.full(img.shape[:2] + (1,), 255 if img.dtype == np.uint8 else 1, img.dtype)
        if m in (8, 9):
            out = np.repeat(img[..., None] if img.ndim == 2 else img[..., :1], 3, -1)
            return np.concatenate([out, alpha], -1) if m == 9 else out
        rgb = img[..., :3]
        if m in (6, 10):
            return _gray(rgb[..., ::-1])
        if m in (7, 11):
            return _gray(rgb)
        if m in (2, 3, 4, 5):
            rgb = rgb[..., ::-1]
        if m in (0, 2):
            return np.concatenate([rgb, alpha], -1)
        if m == 5:
            return np.concatenate([rgb, img[..., 3:]], -1)
        return np.ascontiguousarray(rgb)


def _chw_hwc(img, is_hwc: bool) -> np.ndarray:
    img = np.asarray(img)
    return img if is_hwc else np.moveaxis(img, 0, -1)


class RgbToHsv:
    """MindSpore's ``vision.RgbToHsv(is_hwc=False)``: RGB values in [0, 1] as HSV in [0, 1]
    (Python's colorsys rules, float64 out as MindSpore gives); CHW unless ``is_hwc``."""

    def __init__(self, is_hwc=False) -> None:
        self.is_hwc = bool(is_hwc)

    def __call__(self, img):
        x = _chw_hwc(img, self.is_hwc).astype(np.float64)
        r, g, b = x[..., 0], x[..., 1], x[..., 2]
        maxc, minc = x.max(-1), x.min(-1)
        span = maxc - minc
        same = span == 0
        safe = np.where(same, 1.0, span)
        s = np.where(same, 0.0, span / np.where(maxc == 0, 1.0, maxc))
        rc, gc, bc = (maxc - r) / safe, (maxc - g) / safe, (maxc - b) / safe
        h = np.where(r == maxc, bc - gc, np.where(g == maxc, 2.0 + rc - bc, 4.0 + gc - rc))
        h = np.where(same, 0.0, (h / 6.0) % 1.0)
        out = np.stack([h, s, maxc], -1)
        return out if self.is_hwc else np.moveaxis(out, -1, 0)


class HsvToRgb:
    """MindSpore's ``vision.HsvToRgb(is_hwc=False)``: the inverse of ``RgbToHsv`` (colorsys
    rules, float64 out)."""

    def __init__(self, is_hwc=False) -> None:
        self.is_hwc = bool(is_hwc)

    def __call__(self, img):
        x = _chw_hwc(img, self.is_hwc).astype(np.float64)
        h, s, v = x[..., 0], x[..., 1], x[..., 2]
        i = np.floor(h * 6.0)
        f = h * 6.0 - i
        p, q, t = v * (1.0 - s), v * (1.0 - s * f), v * (1.0 - s * (1.0 - f))
        i = i.astype(np.int64) % 6
        choices = [(v, t, p), (q, v, p), (p, v, t), (p, q, v), (t, p, v), (v, p, q)]
        out = np.stack([np.choose(i, [c[k] for c in choices]) for k in range(3)], -1)
        out = np.where((s == 0.0)[..., None], v[..., None], out)
        return out if self.is_hwc else np.moveaxis(out, -1, 0)


class ToType:
    """MindSpore's ``vision.ToType(data_type)``: the values as ``data_type`` (a numpy or
    MindSpore dtype)."""

    def __init__(self, data_type) -> None:
        self.data_type = data_type
        self._np = mstype.to_numpy(data_type) if not isinstance(data_type, type) else \
            np.dtype(data_type)

    def __call__(self, img):
        return np.asarray(img).astype(self._np)


def _gauss_kernel(n: int, sigma: float) -> np.ndarray:
    if sigma <= 0:
        sigma = 0.3 * ((n - 1) * 0.5 - 1) + 0.8
    x = np.arange(n) - (n - 1) / 2.0
    k = np.exp(-x * x / (2.0 * sigma * sigma))
    return k / k.sum()


def _fixed_kernel(k: np.ndarray) -> np.ndarray:
    q = np.rint(k * 256).astype(np.int64)
    q[len(q) // 2] += 256 - q.sum()  # the sum kept exactly 1
    return q


class GaussianBlur:
    """MindSpore's ``vision.GaussianBlur(kernel_size, sigma=None)``: OpenCV's separable
    Gaussian (reflect-101 border); ``kernel_size`` odd, an int or (x, y); ``sigma`` a
    number or (x, y), None: from the size as OpenCV."""

    def __init__(self, kernel_size, sigma=None) -> None:
        ks = (kernel_size, kernel_size) if isinstance(kernel_size, int) else tuple(kernel_size)
        if len(ks) != 2 or any(k <= 0 or k % 2 == 0 for k in ks):
            raise ValueError("GaussianBlur: kernel_size must be positive odd ints; got %r"
                             % (kernel_size,))
        sg = (0.0, 0.0) if sigma is None else (
            (float(sigma),) * 2 if isinstance(sigma, (int, float)) else tuple(map(float, sigma)))
        self.kernel_size, self.sigma = ks, sg

    def __call__(self, img):
        img = np.asarray(img)
        kx, ky = (_gauss_kernel(k, s) for k, s in zip(self.kernel_size, self.sigma))
        if img.dtype == np.uint8:  # OpenCV's bit-exact path: kernels in 1/256, rounded once
            kx, ky = (_fixed_kernel(k) for k in (kx, ky))
            f = img.astype(np.int64)
        else:
            f = img.astype(np.float64)
        tail = [(0, 0)] * (img.ndim - 2)
        rx, ry = len(kx) // 2, len(ky) // 2
        pad = np.pad(f, [(0, 0), (rx, rx)] + tail, mode="reflect")
        f = sum(kx[k] * pad[:, k:k + img.shape[1]] for k in range(len(kx)))
        pad = np.pad(f, [(ry, ry), (0, 0)] + tail, mode="reflect")
        f = sum(ky[k] * pad[k:k + img.shape[0]] for k in range(len(ky)))
        if img.dtype == np.uint8:
            return np.clip((f + (1 << 15)) >> 16, 0, 255).astype(np.uint8)
        return _like(f, img.dtype)


class Crop:
    """MindSpore's ``vision.Crop(coordinates, size)``: the ``size`` (an int or (h, w)) region
    whose top-left corner is ``coordinates`` (top, left)."""

    def __init__(self, coordinates, size) -> None:
        self.coordinates = tuple(int(v) for v in coordinates)
        self.size = _hw(size, "Crop")

    def __call__(self, img):
        img = np.asarray(img)
        (top, left), (h, w) = self.coordinates, self.size
        if top + h > img.shape[0] or left + w > img.shape[1]:
            raise RuntimeError("Crop: the region (top %d, left %d, %dx%d) is outside the image "
                               "%s" % (top, left, h, w, list(img.shape[:2])))
        return img[top:top + h, left:left + w].copy()


class PadToSize:
    """MindSpore's ``vision.PadToSize(size, offset=None, fill_value=0,
    padding_mode=Border.CONSTANT)``: the image padded to ``size`` (h, w), ``offset`` (top,
    left; None: centred, the odd pixel after)."""

    def __init__(self, size, offset=None, fill_value=0, padding_mode=Border.CONSTANT) -> None:
        self.size = _hw(size, "PadToSize")
        self.offset = None if offset is None else (
            (int(offset),) * 2 if isinstance(offset, int) else tuple(int(v) for v in offset))
        self.fill_value, self.padding_mode = fill_value, Border(padding_mode)

    def __call__(self, img):
        img = np.asarray(img)
        dh, dw = self.size[0] - img.shape[0], self.size[1] - img.shape[1]
        if dh < 0 or dw < 0:
            raise RuntimeError("PadToSize: the target size %s is smaller than the image %s"
                               % (list(self.size), list(img.shape[:2])))
        top, left = (dh // 2, dw // 2) if self.offset is None else self.offset
        return _pad(img, left, top, dw - left, dh - top, self.fill_value, self.padding_mode)


def _warp(img: np.ndarray, m: np.ndarray, out_hw: tuple, inter: Inter, fill) -> np.ndarray:
    """OpenCV's warpAffine with the forward matrix ``m`` (2x3): each output pixel reads the
    source at the inverse map, coordinates in OpenCV's fixed point (1/1024, then 1/32 for
    bilinear), outside pixels the constant ``fill``."""
    a = np.vstack([m, [0, 0, 1]])
    inv = np.linalg.inv(a)[:2]
    oh, ow = out_hw
    h, w = img.shape[:2]
    ys, xs = np.arange(oh)[:, None], np.arange(ow)[None, :]
    base_x = np.rint((inv[0, 1] * ys + inv[0, 2]) * 1024).astype(np.int64)
    base_y = np.rint((inv[1, 1] * ys + inv[1, 2]) * 1024).astype(np.int64)
    dx = np.rint(inv[0, 0] * xs * 1024).astype(np.int64)
    dy = np.rint(inv[1, 0] * xs * 1024).astype(np.int64)
    if inter == Inter.NEAREST:
        return _sample(img, (base_x + dx + 512) >> 10, (base_y + dy + 512) >> 10, inter, fill)
    return _sample(img, (base_x + dx + 16) >> 5, (base_y + dy + 16) >> 5, inter, fill)


def _sample(img: np.ndarray, sx: np.ndarray, sy: np.ndarray, inter: Inter, fill):
    """OpenCV's remap with a constant border: NEAREST reads pixel (sy, sx); BILINEAR takes
    coordinates in 1/32 pixel and weights of 1/1024 (exact products; uint8 results rounded
    half up as OpenCV's fixed point)."""
    oh, ow = sx.shape
    h, w = img.shape[:2]
    fill_px = np.broadcast_to(np.asarray(fill, img.dtype), img.shape[2:])
    if inter == Inter.NEAREST:
        ok = (sx >= 0) & (sx < w) & (sy >= 0) & (sy < h)
        out = np.empty((oh, ow) + img.shape[2:], img.dtype)
        out[...] = fill_px
        out[ok] = img[sy[ok], sx[ok]]
        return out
    if inter != Inter.BILINEAR:
        raise NotImplementedError("autograd_st warps with Inter.NEAREST and Inter.BILINEAR, "
                                  "not %s" % Inter(inter).name)
    src = img.astype(np.float64)
    x0, y0 = sx >> 5, sy >> 5
    ax, ay = (sx & 31) / 32.0, (sy & 31) / 32.0
    if img.ndim == 3:
        ax, ay = ax[..., None], ay[..., None]
    out = np.zeros((oh, ow) + img.shape[2:])
    for oy, wy in ((0, 1 - ay), (1, ay)):
        for ox, wx in ((0, 1 - ax), (1, ax)):
            yy, xx = y0 + oy, x0 + ox
            ok = (xx >= 0) & (xx < w) & (yy >= 0) & (yy < h)
            px = np.empty((oh, ow) + img.shape[2:])
            px[...] = fill_px
            px[ok] = src[yy[ok], xx[ok]]
            out += wy * wx * px
    if img.dtype == np.uint8:
        return np.clip(np.floor(out + 0.5), 0, 255).astype(np.uint8)
    return _like(out, img.dtype)


def _perspective_matrix(src, dst) -> np.ndarray:
    """OpenCV's getPerspectiveTransform: the 3x3 map of four points ``src`` onto ``dst``."""
    a, b = np.zeros((8, 8)), np.zeros(8)
    for i, ((x, y), (u, v)) in enumerate(zip(src, dst)):
        a[i] = [x, y, 1, 0, 0, 0, -x * u, -y * u]
        a[i + 4] = [0, 0, 0, x, y, 1, -x * v, -y * v]
        b[i], b[i + 4] = u, v
    return np.append(np.linalg.solve(a, b), 1.0).reshape(3, 3)


class Perspective:
    """MindSpore's ``vision.Perspective(start_points, end_points,
    interpolation=Inter.BILINEAR)``: the warp taking the four ``start_points`` [x, y] to the
    ``end_points`` (OpenCV's warpPerspective, constant 0 border); NEAREST and BILINEAR."""

    def __init__(self, start_points, end_points, interpolation=Inter.BILINEAR) -> None:
        for name, points in (("start_points", start_points), ("end_points", end_points)):
            for p in points:
                for c in p:
                    if isinstance(c, bool) or not isinstance(c, (int, np.integer)):
                        raise TypeError("Argument %s with value %r is not of type "
                                        "[<class 'int'>], but got %s." % (name, c, type(c)))
        self.start_points = [tuple(float(c) for c in p) for p in start_points]
        self.end_points = [tuple(float(c) for c in p) for p in end_points]
        if len(self.start_points) != 4 or len(self.end_points) != 4 or \
                any(len(p) != 2 for p in self.start_points + self.end_points):
            raise TypeError("Perspective: start_points and end_points must be 4 [x, y] points "
                            "each")
        self.interpolation = Inter(interpolation)

    def __call__(self, img):
        img = np.asarray(img)
        h, w = img.shape[:2]
        inv = np.linalg.inv(_perspective_matrix(self.start_points, self.end_points))
        ys, xs = np.mgrid[0:h, 0:w].astype(np.float64)
        x0 = inv[0, 0] * xs + inv[0, 1] * ys + inv[0, 2]
        y0 = inv[1, 0] * xs + inv[1, 1] * ys + inv[1, 2]
        wz = inv[2, 0] * xs + inv[2, 1] * ys + inv[2, 2]
        scale = 1.0 if self.interpolation == Inter.NEAREST else 32.0
        with np.errstate(divide="ignore"):
            wz = np.where(wz != 0, scale / np.where(wz != 0, wz, 1.0), 0.0)
        lim = float(np.iinfo(np.int32).max)
        sx = np.rint(np.clip(x0 * wz, -lim, lim)).astype(np.int64)
        sy = np.rint(np.clip(y0 * wz, -lim, lim)).astype(np.int64)
        return _sample(img, sx, sy, self.interpolation, 0)


class ResizedCrop:
    """MindSpore's ``vision.ResizedCrop(top, left, height, width, size,
    interpolation=Inter.BILINEAR)``: the region cropped, then ``Resize(size)``."""

    def __init__(self, top, left, height, width, size, interpolation=Inter.BILINEAR) -> None:
        self.region = (int(top), int(left), int(height), int(width))
        if min(self.region) < 0 or min(self.region[2:]) <= 0:
            raise ValueError("ResizedCrop: top and left must be >= 0, height and width > 0; "
                             "got %r" % (self.region,))
        self.resize = Resize(size, interpolation)

    def __call__(self, img):
        top, left, h, w = self.region
        return self.resize(Crop((top, left), (h, w))(img))


class Erase:
    """MindSpore's ``vision.Erase(top, left, height, width, value=0, inplace=False)`` on an
    HWC RGB image: the region set to ``value`` (a number or one per channel)."""

    def __init__(self, top, left, height, width, value=0, inplace=False) -> None:
        self.region = (int(top), int(left), int(height), int(width))
        self.value, self.inplace = value, bool(inplace)

    def __call__(self, img):
        img = np.asarray(img)
        if img.ndim != 3 or img.shape[2] != 3:
            raise RuntimeError("Erase: channel of input image should be 3, but got: %d"
                               % (img.shape[-1] if img.ndim else 0))
        out = img if self.inplace and img.flags.writeable else img.copy()
        top, left, h, w = self.region
        out[top:top + h, left:left + w] = np.asarray(self.value).astype(img.dtype)
        return out


def _rotation(degrees: float, center) -> np.ndarray:
    cx, cy = center
    a, b = math.cos(math.radians(degrees)), math.sin(math.radians(degrees))
    return np.array([[a, b, (1 - a) * cx - b * cy], [-b, a, b * cx + (1 - a) * cy]])


def _rotate(img, degrees, resample, expand, center, fill):
    img = np.asarray(img)
    h, w = img.shape[:2]
    c = ((w - 1) / 2.0, (h - 1) / 2.0) if center is None else tuple(map(float, center))
    m = _rotation(degrees, c)
    out_hw = (h, w)
    if expand:  # OpenCV's RotatedRect(...).boundingRect2f(), its size rounded
        a, b = abs(math.cos(math.radians(degrees))), abs(math.sin(math.radians(degrees)))
        bw, bh = np.float32(w * a + h * b), np.float32(w * b + h * a)
        m[0, 2] += float(bw) / 2.0 - w / 2.0
        m[1, 2] += float(bh) / 2.0 - h / 2.0
        out_hw = (int(np.rint(bh)), int(np.rint(bw)))
    return _warp(img, m, out_hw, Inter(resample), fill)


def _fill(fill_value):
    return fill_value if isinstance(fill_value, (int, float)) else tuple(fill_value)


class Rotate:
    """MindSpore's ``vision.Rotate(degrees, resample=Inter.NEAREST, expand=False,
    center=None, fill_value=0)``: counter-clockwise about ``center`` (x, y; None: the image
    centre), the canvas grown to hold the whole image with ``expand``; NEAREST and BILINEAR
    (OpenCV's fixed-point warp)."""

    def __init__(self, degrees, resample=Inter.NEAREST, expand=False, center=None,
                 fill_value=0) -> None:
        self.degrees, self.resample, self.expand = float(degrees), Inter(resample), bool(expand)
        self.center, self.fill_value = center, _fill(fill_value)

    def __call__(self, img):
        return _rotate(img, self.degrees, self.resample, self.expand, self.center,
                       self.fill_value)


def _affine_matrix(degrees, translate, scale, shear, center) -> np.ndarray:
    """The forward matrix of MindSpore's (torchvision's) affine: T * C * RSS * C^-1."""
    cx, cy = center
    rot, sx, sy = math.radians(degrees), math.radians(shear[0]), math.radians(shear[1])
    a = math.cos(rot - sy) / math.cos(sy)
    b = -math.cos(rot - sy) * math.tan(sx) / math.cos(sy) - math.sin(rot)
    c = math.sin(rot - sy) / math.cos(sy)
    d = -math.sin(rot - sy) * math.tan(sx) / math.cos(sy) + math.cos(rot)
    rss = np.array([[a, b], [c, d]]) * scale
    tx, ty = translate
    m = np.zeros((2, 3))
    m[:, :2] = rss
    m[:, 2] = np.array([cx + tx, cy + ty]) - rss @ np.array([cx, cy])
    return m


class Affine:
    """MindSpore's ``vision.Affine(degrees, translate, scale, shear, resample=Inter.NEAREST,
    fill_value=0)``: rotation by ``degrees``, translation (``translate``: fractions of the
    width and height), scale and shear (degrees, x and y) about the image centre, as one
    warp (torchvision's matrix; the numbers are MindSpore's, recorded)."""

    def __init__(self, degrees, translate, scale, shear, resample=Inter.NEAREST,
                 fill_value=0) -> None:
        self.degrees = float(degrees)
        self.translate = tuple(float(v) for v in translate)
        if float(scale) <= 0:
            raise ValueError("Affine: scale must be positive; got %r" % (scale,))
        self.scale = float(scale)
        shear = (shear, 0.0) if isinstance(shear, (int, float)) else tuple(shear)
        self.shear = tuple(float(v) for v in shear)
        self.resample, self.fill_value = Inter(resample), _fill(fill_value)

    def __call__(self, img):
        img = np.asarray(img)
        h, w = img.shape[:2]
        m = _affine_matrix(self.degrees, (self.translate[0] * w, self.translate[1] * h),
                           self.scale, self.shear, ((w - 1) / 2.0, (h - 1) / 2.0))
        return _warp(img, m, (h, w), self.resample, self.fill_value)
