"""The random transforms of ``mindspore.dataset.vision`` and those on PIL images:
``RandomColorAdjust``, ``RandomResizedCrop``, ``RandomCropDecodeResize``, ``RandomRotation``,
``RandomAffine``, ``CutOut``, ``RandomErasing``, ``MixUpBatch``, ``CutMixBatch``,
``RandomInvert`` / ``RandomEqualize`` / ``RandomAutoContrast`` / ``RandomAdjustSharpness`` /
``RandomSharpness`` / ``RandomColor`` / ``RandomPosterize`` / ``RandomSolarize``,
``RandAugment``, ``TrivialAugmentWide``; ``Decode`` and ``ToPIL``, ``Grayscale``,
``RandomGrayscale``, ``FiveCrop``, ``TenCrop`` (Pillow, an optional extra, imported on use).

Takes: :mod:`.vision` (``Inter``, ``Resize``, the seeded ``_Random`` base), :mod:`.vision2`
(the deterministic transforms they draw settings for), :mod:`.op_draws` (MindSpore's draws).
Gives: callables that ``Dataset.map`` runs.  ``RandomColorAdjust``, ``RandomResizedCrop``,
``RandomCropDecodeResize`` and ``RandomRotation`` draw MindSpore's numbers (its kernels'
distributions over each op's ``std::mt19937``, seeded as :mod:`.op_draws` says; recorded
cases ``rv_*``), and on a PIL image MindSpore's Python forms' (Python's ``random``).  The
others draw from ``ds.config``'s seed (reproducible, restarted by ``set_seed``; not
MindSpore's generator); their limit cases (probability 0 or 1, ranges of one value) give
MindSpore's numbers (recorded cases ``ds3_vision_*``, tests/test_dataset3.py).
"""
from __future__ import annotations

import importlib
import io
import math
import random

import numpy as np

from .op_draws import SeededOp, std_round
from .vision import Inter, Resize, _hw, _is_pil, _Random
from .vision2 import (
    AdjustBrightness,
    AdjustContrast,
    AdjustHue,
    AdjustSaturation,
    AdjustSharpness,
    Affine,
    AutoContrast,
    Equalize,
    Invert,
    Posterize,
    Rotate,
    Solarize,
    _fill,
    _gray,
    _like,
    _rgb,
    _rotate,
)

__all__ = ["RandomColorAdjust", "RandomResizedCrop", "RandomCropDecodeResize", "RandomRotation",
           "RandomAffine",
           "CutOut", "RandomErasing", "MixUpBatch", "CutMixBatch", "Decode", "ToPIL",
           "Grayscale", "RandomGrayscale", "FiveCrop", "TenCrop", "RandomInvert",
           "RandomEqualize", "RandomAutoContrast", "RandomAdjustSharpness", "RandomSharpness",
           "RandomColor", "RandomPosterize", "RandomSolarize", "RandAugment",
           "TrivialAugmentWide", "RandomSelectSubpolicy"]


def _range(value, what: str, center: float, low: float = 0.0):
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if value < 0:
            raise ValueError("%s: a single value must be non-negative; got %r" % (what, value))
        return (max(low, center - value), center + value)
    value = tuple(float(v) for v in value)
    if len(value) != 2 or value[0] > value[1] or value[0] < low:
        raise ValueError("%s: give (min, max) with %s <= min <= max; got %r"
                         % (what, low, value))
    return value


def _pil_module(name: str):
    return importlib.import_module("PIL." + name)


class RandomColorAdjust(SeededOp):
    """MindSpore's ``vision.RandomColorAdjust(brightness=(1, 1), contrast=(1, 1),
    saturation=(1, 1), hue=(0, 0))`` on an RGB image: a number ``v`` is the range
    ``[max(0, 1 - v), 1 + v]`` (hue: ``[-h, h]`` within [-0.5, 0.5]).  MindSpore's kernel:
    the four adjustments ``std::shuffle``d, then in that order each factor drawn
    (``uniform_real_distribution<float>``) and applied, a range ``(1, 1)`` (hue ``(0, 0)``)
    skipped without a draw.  A PIL image takes MindSpore's Python form: the four factors
    from ``random.uniform`` in the order brightness, contrast, saturation, hue, then the four
    Pillow adjustments applied in a ``random.shuffle``d order."""

    def __init__(self, brightness=(1, 1), contrast=(1, 1), saturation=(1, 1),
                 hue=(0, 0)) -> None:
        self.brightness = _range(brightness, "brightness", 1.0)
        self.contrast = _range(contrast, "contrast", 1.0)
        self.saturation = _range(saturation, "saturation", 1.0)
        self.hue = (-float(hue), float(hue)) if isinstance(hue, (int, float)) else \
            tuple(float(v) for v in hue)
        if len(self.hue) != 2 or not -0.5 <= self.hue[0] <= self.hue[1] <= 0.5:
            raise ValueError("RandomColorAdjust: hue must be a number in [0, 0.5] or (min, max) "
                             "within [-0.5, 0.5]; got %r" % (hue,))

    def _run(self, scope, path, img):
        if _is_pil(img):
            return self._pil(img)
        img = _rgb(img, "RandomColorAdjust")
        g = scope.generator(path)
        names = ["brightness", "contrast", "saturation", "hue"]
        g.shuffle(names)
        steps = {"brightness": (self.brightness, AdjustBrightness, 1.0),
                 "contrast": (self.contrast, AdjustContrast, 1.0),
                 "saturation": (self.saturation, AdjustSaturation, 1.0),
                 "hue": (self.hue, AdjustHue, 0.0)}
        for name in names:
            (lo, hi), op, identity = steps[name]
            if np.float32(lo) == np.float32(hi) == np.float32(identity):
                continue
            img = op(float(g.uniform_float(lo, hi)))(img)
        return img

    def _pil(self, img):
        enhance = _pil_module("ImageEnhance")
        b, c, s, h = (random.uniform(*r) for r in (self.brightness, self.contrast,
                                                    self.saturation, self.hue))
        steps = [lambda im: enhance.Brightness(im).enhance(b),
                 lambda im: enhance.Contrast(im).enhance(c),
                 lambda im: enhance.Color(im).enhance(s),
                 lambda im: _pil_hue(im, h)]
        random.shuffle(steps)
        for step in steps:
            img = step(img)
        return img


def _pil_hue(img, factor: float):
    """MindSpore's Python ``adjust_hue``: the hue of Pillow's HSV shifted by
    ``numpy.uint8(factor * 255)`` (numpy 1's C cast: truncated, then wrapped), wrapping."""
    if img.mode in {"L", "1", "I", "F"}:
        return img
    image_module = _pil_module("Image")
    hue, sat, val = img.convert("HSV").split()
    h = np.array(hue, dtype=np.uint8)
    with np.errstate(over="ignore"):
        h += np.uint8(int(factor * 255) % 256)
    return image_module.merge("HSV", (image_module.fromarray(h, "L"), sat, val)).convert(
        img.mode)


class RandomResizedCrop(SeededOp):
    """MindSpore's ``vision.RandomResizedCrop(size, scale=(0.08, 1.0), ratio=(3/4, 4/3),
    interpolation=Inter.BILINEAR, max_attempts=10)``: a region of random area (``scale`` of
    the image) and aspect ratio (``ratio``, log-uniform) resized to ``size``.  MindSpore's
    kernel, per attempt: the scale and the log-ratio from ``uniform_real_distribution<float>``,
    the ratio its ``expf``, ``w = round(sqrt(H W scale ratio))`` and ``h = round(w / ratio)``
    in double
    (``std::round``: halves away from zero), then, when it fits, ``x`` and ``y`` from
    ``uniform_int_distribution``; after ``max_attempts`` misses the centre crop of the ratio
    clamped to ``ratio`` (no draw).  Several input columns are cropped at the first one's
    box.  A PIL image takes MindSpore's Python form (``random.uniform``, Python's
    ``round``, ``top`` then ``left`` from ``random.randint``; Pillow's resize)."""

    def __init__(self, size, scale=(0.08, 1.0), ratio=(3.0 / 4.0, 4.0 / 3.0),
                 interpolation=Inter.BILINEAR, max_attempts=10) -> None:
        self.size = _hw(size, "RandomResizedCrop")
        self.scale, self.ratio = tuple(map(float, scale)), tuple(map(float, ratio))
        if not 0 <= self.scale[0] <= self.scale[1] or not 0 < self.ratio[0] <= self.ratio[1]:
            raise ValueError("RandomResizedCrop: scale and ratio must be (min, max) with "
                             "0 <= min <= max (ratio > 0); got %r, %r" % (scale, ratio))
        self.interpolation = Inter(interpolation)
        self.resize = Resize(self.size, interpolation)
        self.max_attempts = int(max_attempts)

    def _box(self, h: int, w: int, g):
        """MindSpore's ``GetCropBox``: (x, y, crop height, crop width)."""
        f32 = np.float32
        lo, hi = (f32(math.log(float(f32(r)))) for r in self.ratio)
        for _ in range(self.max_attempts):
            scale = float(g.uniform_float(self.scale[0], self.scale[1]))
            # (``exp`` of a float is float's: expf, correctly rounded; measured on the box
            # MindSpore cuts at seed 6885 of a 375 x 500 image, where exp in double cuts
            # one row and one column less)
            aspect = float(f32(math.exp(float(g.uniform_float(lo, hi)))))
            cw = max(1, std_round(math.sqrt(h * w * scale * aspect)))
            ch = max(1, std_round(cw / aspect))
            if cw <= w and ch <= h:
                x = g.uniform_int(0, w - cw)
                return x, g.uniform_int(0, h - ch), ch, cw
        low, high = float(f32(self.ratio[0])), float(f32(self.ratio[1]))
        cw, ch = w, h
        if w / h < low:
            ch = max(1, std_round(w / low))
        elif w / h > high:
            cw = max(1, std_round(h * high))
        return (std_round(f32(w - cw) / f32(2)), std_round(f32(h - ch) / f32(2)), ch, cw)

    def _run(self, scope, path, *imgs):
        if len(imgs) == 1 and _is_pil(imgs[0]):
            return self._pil(imgs[0])
        out, box = [], None
        for img in imgs:
            img = np.asarray(img)
            if box is None:
                box = self._box(img.shape[0], img.shape[1], scope.generator(path))
            x, y, ch, cw = box
            out.append(self.resize(img[y:y + ch, x:x + cw]))
        return tuple(out) if len(out) > 1 else out[0]

    def _pil(self, img):
        w, h = img.size
        for _ in range(self.max_attempts):
            area = random.uniform(*self.scale) * (w * h)
            aspect = math.exp(random.uniform(math.log(self.ratio[0]), math.log(self.ratio[1])))
            cw = int(round(math.sqrt(area * aspect)))
            ch = int(round(cw / aspect))
            if 0 < cw <= w and 0 < ch <= h:
                top = random.randint(0, h - ch)
                left = random.randint(0, w - cw)
                break
        else:
            cw, ch = w, h
            if w / h < self.ratio[0]:
                ch = int(round(w / self.ratio[0]))
            elif w / h > self.ratio[1]:
                cw = int(round(h * self.ratio[1]))
            top, left = int(round((h - ch) / 2.)), int(round((w - cw) / 2.))
        img = img.crop((left, top, left + cw, top + ch))
        return img.resize(self.size[::-1], int(self.interpolation))


class RandomCropDecodeResize(RandomResizedCrop):
    """MindSpore's ``vision.RandomCropDecodeResize(size, scale=(0.08, 1.0), ratio=(3/4, 4/3),
    interpolation=Inter.BILINEAR, max_attempts=10)`` on encoded image bytes (a 1-D uint8
    array): ``RandomResizedCrop``'s box and draws on the decoded image (``Decode``:
    Pillow).  MindSpore decodes a JPEG's box only (libjpeg's cropped decoding), whose pixels
    next to the box's edges can differ from those of the whole image decoded (measured: 2
    of 10 boxes, by up to 14 levels); PNG, BMP and the other formats are decoded whole
    there too, and give MindSpore's images."""

    def _run(self, scope, path, *data):
        for d in data:
            d = np.asarray(d)
            if d.ndim != 1 or d.dtype != np.uint8:
                raise TypeError("Input should be an encoded image with uint8 type in 1-D NumPy "
                                "format, got format:%s, dtype:%s." % (type(d), d.dtype))
        return super()._run(scope, path, *(Decode()(d) for d in data))


def _degrees(degrees) -> tuple:
    """MindSpore's RandomRotation range: a number ``d`` is ``(-(d % 360), d % 360)``; a
    range of 360 or more ``(-180, 180)``; else both ends taken modulo 360, the upper one
    plus 360 when below the lower."""
    if isinstance(degrees, (int, float)) and not isinstance(degrees, bool):
        if degrees < 0:
            raise ValueError("RandomRotation: a single degrees value must be non-negative; got "
                             "%r" % (degrees,))
        d = degrees % 360
        return (-d, d)
    lo, hi = degrees
    if hi - lo >= 360:
        return (-180, 180)
    lo, hi = lo % 360, hi % 360
    return (lo, hi + 360) if lo > hi else (lo, hi)


class RandomRotation(SeededOp):
    """MindSpore's ``vision.RandomRotation(degrees, resample=Inter.NEAREST, expand=False,
    center=None, fill_value=0)``: ``Rotate`` by ``mid + u * half`` in float32, ``mid`` and
    ``half`` the middle and half width of ``degrees`` (taken as MindSpore takes it: modulo
    360) and ``u`` from ``uniform_real_distribution<float>(-1, 1)``.  A PIL image takes
    MindSpore's Python form (``random.uniform`` over the range, Pillow's rotate)."""

    def __init__(self, degrees, resample=Inter.NEAREST, expand=False, center=None,
                 fill_value=0) -> None:
        self.degrees = _degrees(degrees)
        self.resample, self.expand = Inter(resample), bool(expand)
        self.center, self.fill_value = center, _fill(fill_value)

    def _run(self, scope, path, img):
        if _is_pil(img):
            fill = self.fill_value
            fill = (fill,) * 3 if isinstance(fill, int) else tuple(fill)
            angle = random.uniform(*self.degrees) % 360.0
            return img.rotate(angle, int(self.resample), self.expand, self.center,
                              fillcolor=fill)
        f32 = np.float32
        lo, hi = f32(self.degrees[0]), f32(self.degrees[1])
        u = scope.generator(path).uniform_float(-1, 1)
        angle = (hi + lo) / f32(2) + u * ((hi - lo) / f32(2))
        return _rotate(img, float(angle), self.resample, self.expand, self.center,
                       self.fill_value)


class RandomAffine(_Random):
    """MindSpore's ``vision.RandomAffine(degrees, translate=None, scale=None, shear=None,
    resample=Inter.NEAREST, fill_value=0)``: ``Affine`` with an angle in ``degrees``, a
    translation up to ``translate`` (fractions of width and height), a scale in ``scale``
    and shears in ``shear``, each drawn uniformly."""

    def __init__(self, degrees, translate=None, scale=None, shear=None,
                 resample=Inter.NEAREST, fill_value=0) -> None:
        super().__init__()
        self.degrees = (-float(degrees), float(degrees)) if isinstance(degrees, (int, float)) \
            else tuple(map(float, degrees))
        self.translate = (0.0, 0.0, 0.0, 0.0) if translate is None else tuple(
            map(float, translate)) + ((0.0, 0.0) if len(translate) == 2 else ())
        if len(self.translate) == 4 and translate is not None and len(translate) == 2:
            t = tuple(map(float, translate))
            self.translate = (-t[0], t[0], -t[1], t[1])
        self.scale = (1.0, 1.0) if scale is None else tuple(map(float, scale))
        sh = (0.0,) if shear is None else ((float(shear),) if isinstance(shear, (int, float))
                                          else tuple(map(float, shear)))
        if len(sh) == 1:
            sh = (-sh[0], sh[0], 0.0, 0.0)
        elif len(sh) == 2:
            sh = (sh[0], sh[1], 0.0, 0.0)
        self.shear = sh
        self.resample, self.fill_value = Inter(resample), _fill(fill_value)

    def __call__(self, img):
        img = np.asarray(img)
        h, w = img.shape[:2]
        rng = self._draw()

        def draw(lo, hi):
            return lo if lo == hi else float(rng.uniform(lo, hi))

        tx = round(draw(self.translate[0], self.translate[1]) * w)
        ty = round(draw(self.translate[2], self.translate[3]) * h)
        return Affine(draw(*self.degrees), (tx, ty), draw(*self.scale),
                      (draw(*self.shear[:2]), draw(*self.shear[2:])), self.resample,
                      self.fill_value)(img)


class CutOut(_Random):
    """MindSpore's ``vision.CutOut(length, num_patches=1, is_hwc=True)``: ``num_patches``
    squares of side ``length`` (clipped at the borders, centres drawn uniformly) set to 0."""

    def __init__(self, length, num_patches=1, is_hwc=True) -> None:
        super().__init__()
        if isinstance(length, bool) or not isinstance(length, int) or length <= 0:
            raise ValueError("Input length is not within the required interval of "
                             "[1, 2147483647].")
        if isinstance(num_patches, bool) or not isinstance(num_patches, int) or \
                num_patches <= 0:
            raise ValueError("Input num_patches is not within the required interval of "
                             "[1, 2147483647].")
        self.length, self.num_patches, self.is_hwc = length, num_patches, bool(is_hwc)

    def __call__(self, img):
        out = np.array(img, copy=True)
        view = out if self.is_hwc else np.moveaxis(out, 0, -1)
        h, w = view.shape[:2]
        rng = self._draw()
        for _ in range(self.num_patches):
            cy, cx = int(rng.integers(h)), int(rng.integers(w))
            y0, x0 = max(0, cy - self.length // 2), max(0, cx - self.length // 2)
            view[y0:min(h, y0 + self.length), x0:min(w, x0 + self.length)] = 0
        return out


class RandomErasing(_Random):
    """MindSpore's ``vision.RandomErasing(prob=0.5, scale=(0.02, 0.33), ratio=(0.3, 3.3),
    value=0, inplace=False, max_attempts=10)`` on a CHW array: with probability ``prob`` a
    region of area ``scale`` of the image and aspect ``ratio`` (log-uniform) set to
    ``value`` (a number, one per channel, or 'random': normal noise)."""

    def __init__(self, prob=0.5, scale=(0.02, 0.33), ratio=(0.3, 3.3), value=0, inplace=False,
                 max_attempts=10) -> None:
        super().__init__()
        if not 0.0 <= float(prob) <= 1.0:
            raise ValueError("Input prob is not within the required interval of [0.0, 1.0].")
        self.prob, self.scale, self.ratio = float(prob), tuple(scale), tuple(ratio)
        self.value, self.inplace, self.max_attempts = value, bool(inplace), int(max_attempts)

    def __call__(self, img):
        img = np.asarray(img)
        rng = self._draw()
        if not (self.prob >= 1.0 or (self.prob > 0.0 and rng.random() < self.prob)):
            return img
        c, h, w = img.shape
        area = h * w
        for _ in range(self.max_attempts):
            target = area * rng.uniform(*self.scale)
            aspect = math.exp(rng.uniform(math.log(self.ratio[0]), math.log(self.ratio[1])))
            eh, ew = int(round(math.sqrt(target * aspect))), int(round(math.sqrt(target /
                                                                                  aspect)))
            if eh < h and ew < w:
                top, left = int(rng.integers(h - eh + 1)), int(rng.integers(w - ew + 1))
                out = img if self.inplace else img.copy()
                if self.value == "random":
                    patch = rng.standard_normal((c, eh, ew))
                else:
                    patch = np.broadcast_to(np.asarray(self.value, np.float64).reshape(-1, 1, 1)
                                            if np.ndim(self.value) else self.value, (c, eh, ew))
                out[:, top:top + eh, left:left + ew] = patch
                return out
        return img


def _batch_labels(images, labels, what: str):
    images, labels = np.asarray(images), np.asarray(labels)
    if images.ndim != 4:
        raise RuntimeError("%s: images must be a batch <N, H, W, C> (batch the dataset first); "
                           "got shape %s" % (what, list(images.shape)))
    if labels.ndim != 2:
        raise RuntimeError("%s: labels must be one-hot <N, num_classes> (apply OneHot "
                           "first); got shape %s" % (what, list(labels.shape)))
    return images, labels


class MixUpBatch(_Random):
    """MindSpore's ``vision.MixUpBatch(alpha=1.0)`` on a batch (images <N, H, W, C>, one-hot
    labels <N, K>): each image and label mixed with those of a permuted batch, ``lam *
    own + (1 - lam) * other`` with one ``lam ~ Beta(alpha, alpha)`` for the batch; images keep
    their dtype (measured: uint8 stays uint8), labels become float32."""

    def __init__(self, alpha=1.0) -> None:
        super().__init__()
        if float(alpha) <= 0:
            raise ValueError("MixUpBatch: alpha must be positive; got %r" % (alpha,))
        self.alpha = float(alpha)

    def __call__(self, images, labels):
        images, labels = _batch_labels(images, labels, "MixUpBatch")
        rng = self._draw()
        lam = rng.beta(self.alpha, self.alpha)
        perm = rng.permutation(len(images))
        mixed = lam * images.astype(np.float64) + (1 - lam) * images[perm]
        return (_like(mixed, images.dtype),
                (lam * labels + (1 - lam) * labels[perm]).astype(np.float32))


class CutMixBatch(_Random):
    """MindSpore's ``vision.CutMixBatch(image_batch_format, alpha=1.0, prob=1.0)`` on a
    batch: with probability ``prob`` a box (area ``1 - lam``, ``lam ~ Beta(alpha, alpha)``)
    of each image replaced by that of a permuted image, the labels mixed by the box's share;
    ``image_batch_format`` 'NHWC' / 'NCHW' (or ImageBatchFormat)."""

    def __init__(self, image_batch_format, alpha=1.0, prob=1.0) -> None:
        super().__init__()
        fmt = getattr(image_batch_format, "name", image_batch_format)
        if fmt not in ("NHWC", "NCHW"):
            raise ValueError("CutMixBatch: image_batch_format must be NHWC or NCHW; got %r"
                             % (image_batch_format,))
        self.nhwc, self.alpha, self.prob = fmt == "NHWC", float(alpha), float(prob)

    def __call__(self, images, labels):
        images, labels = _batch_labels(images, labels, "CutMixBatch")
        rng = self._draw()
        images, labels = images.copy(), labels.astype(np.float32)
        view = images if self.nhwc else np.moveaxis(images, 1, -1)
        h, w = view.shape[1:3]
        perm = rng.permutation(len(images))
        src_v, src_l = view[perm].copy(), labels[perm].copy()
        for i in range(len(images)):
            if not (self.prob >= 1.0 or rng.random() < self.prob):
                continue
            lam = rng.beta(self.alpha, self.alpha)
            rh, rw = int(h * math.sqrt(1 - lam)), int(w * math.sqrt(1 - lam))
            cy, cx = int(rng.integers(h)), int(rng.integers(w))
            y0, y1 = max(0, cy - rh // 2), min(h, cy + rh // 2)
            x0, x1 = max(0, cx - rw // 2), min(w, cx + rw // 2)
            view[i, y0:y1, x0:x1] = src_v[i, y0:y1, x0:x1]
            share = (y1 - y0) * (x1 - x0) / float(h * w)
            labels[i] = (1 - share) * labels[i] + share * src_l[i]
        return images, labels


class Decode:
    """MindSpore's ``vision.Decode(to_pil=False)``: encoded image bytes (JPEG, PNG, BMP, ...;
    a 1-D uint8 array, Python ``bytes``, or the one-element bytes array a MindRecord bytes
    column gives) as an RGB HWC uint8 array (or a PIL image with ``to_pil``), decoded by
    Pillow, an optional extra imported here on first use (JPEG decoders may differ from
    MindSpore's by a few levels; PNG and BMP are exact)."""

    def __init__(self, to_pil=False) -> None:
        self.to_pil = bool(to_pil)

    def __call__(self, img):
        try:
            image_module = importlib.import_module("PIL.Image")
        except ImportError as exc:
            raise ImportError("vision.Decode needs Pillow (an optional extra of "
                              "autograd_st): pip install Pillow") from exc
        if isinstance(img, (bytes, bytearray)):
            img = np.frombuffer(bytes(img), np.uint8)
        data = np.asarray(img)
        if data.dtype.kind == "S" and data.shape == (1,):
            # a MindRecord bytes column's value, as MindSpore 2.10 hands it to Decode
            data = np.frombuffer(data[0], np.uint8)
        if data.dtype != np.uint8 or data.ndim != 1:
            raise TypeError("Decode: the input must be the encoded bytes, a 1-D uint8 array; "
                            "got %s %s" % (data.dtype, list(data.shape)))
        try:
            pil = image_module.open(io.BytesIO(data.tobytes())).convert("RGB")
        except Exception as exc:  # noqa: BLE001 - Pillow raises several kinds
            raise RuntimeError("Decode: the data is not an image Pillow can read (%s)"
                               % exc) from exc
        return pil if self.to_pil else np.asarray(pil)


class ToPIL:
    """MindSpore's ``vision.ToPIL()``: an HWC uint8 numpy image as a PIL image (Pillow, an
    optional extra imported on first use)."""

    def __call__(self, img):
        try:
            image_module = importlib.import_module("PIL.Image")
        except ImportError as exc:
            raise ImportError("vision.ToPIL needs Pillow (an optional extra of "
                              "autograd_st): pip install Pillow") from exc
        img = np.asarray(img)
        if img.ndim == 3 and img.shape[2] == 1:
            img = img[..., 0]
        return image_module.fromarray(img)


def _pil(img, what: str):
    """``img`` if it is a PIL image (MindSpore's PIL-only transforms refuse arrays)."""
    if not hasattr(img, "convert") or not hasattr(img, "crop"):
        raise TypeError("img should be PIL image. Got %s. Use Decode() for encoded data or "
                        "ToPIL() for decoded data. (%s)" % (type(img), what))
    return img


class Grayscale:
    """MindSpore's ``vision.Grayscale(num_output_channels=1)`` on a PIL image (Pillow's 'L'
    conversion; 3 channels: the gray copied to R, G, B)."""

    def __init__(self, num_output_channels=1) -> None:
        if num_output_channels not in (1, 3):
            raise ValueError("Number of channels of the output grayscale image should be "
                             "either 1 or 3. Got %r." % (num_output_channels,))
        self.num_output_channels = num_output_channels

    def __call__(self, img):
        gray = _pil(img, "Grayscale").convert("L")
        if self.num_output_channels == 1:
            return gray
        image_module = importlib.import_module("PIL.Image")
        return image_module.merge("RGB", [gray, gray, gray])


class RandomGrayscale(_Random):
    """MindSpore's ``vision.RandomGrayscale(prob=0.1)`` on a PIL image: with probability
    ``prob``, ``Grayscale`` keeping the number of channels (3 for RGB, 1 for 'L')."""

    def __init__(self, prob=0.1) -> None:
        super().__init__()
        if not 0.0 <= float(prob) <= 1.0:
            raise ValueError("Input prob is not within the required interval of [0.0, 1.0].")
        self.prob = float(prob)

    def __call__(self, img):
        img = _pil(img, "RandomGrayscale")
        if self.prob >= 1.0 or (self.prob > 0.0 and self._draw().random() < self.prob):
            return Grayscale(3 if img.mode == "RGB" else 1)(img)
        return img


def _five(img, size: tuple) -> tuple:
    w, h = img.size
    ch, cw = size
    if ch > h or cw > w:
        raise ValueError("Crop size %s is larger than input image size %s."
                         % (list(size), [h, w]))
    top, left = int(round((h - ch) / 2.0)), int(round((w - cw) / 2.0))
    return (img.crop((0, 0, cw, ch)), img.crop((w - cw, 0, w, ch)),
            img.crop((0, h - ch, cw, h)), img.crop((w - cw, h - ch, w, h)),
            img.crop((left, top, left + cw, top + ch)))


class FiveCrop:
    """MindSpore's ``vision.FiveCrop(size)`` on a PIL image: the top-left, top-right,
    bottom-left, bottom-right and centre crops of ``size`` (an int or (h, w)); the centre's
    offsets rounded as Python's ``round``."""

    def __init__(self, size) -> None:
        self.size = _hw(size, "FiveCrop")

    def __call__(self, img):
        return _five(_pil(img, "FiveCrop"), self.size)


class TenCrop:
    """MindSpore's ``vision.TenCrop(size, use_vertical_flip=False)`` on a PIL image:
    ``FiveCrop`` of the image, then of its horizontal (or vertical) flip."""

    def __init__(self, size, use_vertical_flip=False) -> None:
        self.size, self.use_vertical_flip = _hw(size, "TenCrop"), bool(use_vertical_flip)

    def __call__(self, img):
        img = _pil(img, "TenCrop")
        image_module = importlib.import_module("PIL.Image")
        flip = image_module.Transpose.FLIP_TOP_BOTTOM if self.use_vertical_flip else \
            image_module.Transpose.FLIP_LEFT_RIGHT
        return _five(img, self.size) + _five(img.transpose(flip), self.size)


class _RandomApplyOne(SeededOp):
    """The op with probability ``prob``: a ``std::bernoulli_distribution(prob)`` draw of
    its generator (MindSpore's kernel)."""

    _op = None

    def __init__(self, *args, prob=0.5) -> None:
        if not 0.0 <= float(prob) <= 1.0:
            raise ValueError("Input prob is not within the required interval of [0.0, 1.0].")
        self.prob, self._inner = float(prob), type(self)._op(*args)

    def _run(self, scope, path, img):
        if scope.generator(path).bernoulli(self.prob):
            return self._inner(img)
        return np.asarray(img)


class RandomInvert(_RandomApplyOne):
    """MindSpore's ``vision.RandomInvert(prob=0.5)``: ``Invert`` with probability ``prob``."""

    _op = Invert

    def __init__(self, prob=0.5) -> None:
        super().__init__(prob=prob)


class RandomEqualize(_RandomApplyOne):
    """MindSpore's ``vision.RandomEqualize(prob=0.5)``: ``Equalize`` with probability
    ``prob``."""

    _op = Equalize

    def __init__(self, prob=0.5) -> None:
        super().__init__(prob=prob)


class RandomAutoContrast(_RandomApplyOne):
    """MindSpore's ``vision.RandomAutoContrast(cutoff=0.0, ignore=None, prob=0.5)``."""

    _op = AutoContrast

    def __init__(self, cutoff=0.0, ignore=None, prob=0.5) -> None:
        super().__init__(cutoff, ignore, prob=prob)


class RandomAdjustSharpness(_RandomApplyOne):
    """MindSpore's ``vision.RandomAdjustSharpness(degree, prob=0.5)``."""

    _op = AdjustSharpness

    def __init__(self, degree, prob=0.5) -> None:
        super().__init__(degree, prob=prob)


def _degrees_range(degrees, what: str) -> tuple:
    degrees = tuple(float(d) for d in degrees)
    if len(degrees) != 2 or not 0 <= degrees[0] <= degrees[1]:
        raise ValueError("%s: degrees must be (min, max) with 0 <= min <= max; got %r"
                         % (what, degrees))
    return degrees


class RandomSharpness(SeededOp):
    """MindSpore's ``vision.RandomSharpness(degrees=(0.1, 1.9))``: ``AdjustSharpness`` by
    ``mid + u * half`` in float32 (the middle and half width of ``degrees``, ``u`` from
    ``uniform_real_distribution<float>(-1, 1)``: MindSpore's kernel)."""

    def __init__(self, degrees=(0.1, 1.9)) -> None:
        self.degrees = _degrees_range(degrees, "RandomSharpness")

    def _run(self, scope, path, img):
        f32 = np.float32
        lo, hi = f32(self.degrees[0]), f32(self.degrees[1])
        u = scope.generator(path).uniform_float(-1, 1)
        return AdjustSharpness(float((hi + lo) / f32(2) + u * ((hi - lo) / f32(2))))(img)


class RandomColor(SeededOp):
    """MindSpore's ``vision.RandomColor(degrees=(0.1, 1.9))`` on an RGB image: a factor ``t``
    from ``uniform_real_distribution<float>(*degrees)``; within 0.00195 of 1 the image, of
    0 its gray (RGB2GRAY in three channels), else ``AdjustSaturation(t)`` (MindSpore's
    kernel)."""

    def __init__(self, degrees=(0.1, 1.9)) -> None:
        self.degrees = _degrees_range(degrees, "RandomColor")

    def _run(self, scope, path, img):
        img = _rgb(img, "RandomColor")
        t = float(scope.generator(path).uniform_float(*self.degrees))
        if abs(t - 1.0) < 0.00195:
            return img
        if abs(t) < 0.00195:
            return np.repeat(_gray(img)[..., None], 3, axis=-1)
        return AdjustSaturation(t)(img)


class RandomPosterize(SeededOp):
    """MindSpore's ``vision.RandomPosterize(bits=(8, 8))``: ``Posterize`` with bits from
    ``uniform_int_distribution`` over the range (one value, or an int: no draw)."""

    def __init__(self, bits=(8, 8)) -> None:
        self.bits = (bits, bits) if isinstance(bits, int) else tuple(bits)

    def _run(self, scope, path, img):
        lo, hi = self.bits
        return Posterize(lo if lo == hi else scope.generator(path).uniform_int(lo, hi))(img)


class RandomSolarize(SeededOp):
    """MindSpore's ``vision.RandomSolarize(threshold=(0, 255))``: ``Solarize`` of the range
    between two ``uniform_int_distribution`` draws over ``threshold`` (sorted)."""

    def __init__(self, threshold=(0, 255)) -> None:
        self.threshold = tuple(threshold)

    def _run(self, scope, path, img):
        lo, hi = (int(v) for v in self.threshold)
        g = scope.generator(path)
        a = g.uniform_int(lo, hi)
        return Solarize(tuple(sorted((a, g.uniform_int(lo, hi)))))(img)


def _augment_ops(bins: int, wide: bool, h: int, w: int) -> list:
    """torchvision's operation table of RandAugment / TrivialAugmentWide:
    ``(name, magnitudes, signed)``."""
    lin = np.linspace
    shear, move, turn, tone = (0.99, 32.0, 135.0, 0.99) if wide else \
        (0.3, None, 30.0, 0.9)
    bits_div = 6 if wide else 4
    return [("Identity", np.zeros(bins), False),
           ("ShearX", lin(0, shear, bins), True), ("ShearY", lin(0, shear, bins), True),
           ("TranslateX", lin(0, move if wide else 150.0 / 331.0 * w, bins), True),
           ("TranslateY", lin(0, move if wide else 150.0 / 331.0 * h, bins), True),
           ("Rotate", lin(0, turn, bins), True),
           ("Brightness", lin(0, tone, bins), True), ("Color", lin(0, tone, bins), True),
           ("Contrast", lin(0, tone, bins), True), ("Sharpness", lin(0, tone, bins), True),
           ("Posterize", 8 - np.round(np.arange(bins) / ((bins - 1) / bits_div)), False),
           ("Solarize", lin(255.0, 0.0, bins), False),
           ("AutoContrast", np.zeros(bins), False), ("Equalize", np.zeros(bins), False)]


def _augment_one(img, name: str, mag: float, inter: Inter, fill):
    h, w = img.shape[:2]
    if name == "Identity":
        return img
    if name in ("ShearX", "ShearY"):
        deg = math.degrees(math.atan(mag))
        return Affine(0, (0, 0), 1.0, (deg, 0) if name == "ShearX" else (0, deg), inter,
                      fill)(img)
    if name in ("TranslateX", "TranslateY"):
        t = (mag / w, 0.0) if name == "TranslateX" else (0.0, mag / h)
        return Affine(0, t, 1.0, (0, 0), inter, fill)(img)
    if name == "Rotate":
        return Rotate(mag, inter, fill_value=fill)(img)
    if name in ("Brightness", "Color", "Contrast", "Sharpness"):
        op = {"Brightness": AdjustBrightness, "Color": AdjustSaturation,
              "Contrast": AdjustContrast, "Sharpness": AdjustSharpness}[name]
        return op(1.0 + mag)(img)
    if name == "Posterize":
        return Posterize(int(mag))(img)
    if name == "Solarize":
        return Solarize(int(mag))(img)
    return (AutoContrast if name == "AutoContrast" else Equalize)()(img)


def _augment_image(img, what: str) -> np.ndarray:
    img = np.asarray(img)
    if img.dtype != np.uint8:
        raise RuntimeError("%s: the data type of image tensor does not match the requirement "
                           "of operator. Expecting tensor in type of (uint8). But got type %s."
                           % (what, img.dtype))
    if img.ndim != 3:
        raise RuntimeError("%s: the dimension of image tensor does not match the requirement "
                           "of operator. Expecting tensor in dimension of (3), in shape of "
                           "<H, W, C>. But got dimension %d." % (what, img.ndim))
    return img


def _bins(num_magnitude_bins) -> int:
    if isinstance(num_magnitude_bins, bool) or not isinstance(num_magnitude_bins, int) or \
            num_magnitude_bins < 2:
        raise ValueError("Input num_magnitude_bins is not within the required interval of "
                         "[2, 16777216].")
    return num_magnitude_bins


class RandAugment(_Random):
    """MindSpore's ``vision.RandAugment(num_ops=2, magnitude=9, num_magnitude_bins=31,
    interpolation=Inter.NEAREST, fill_value=0)`` on uint8 HWC images: ``num_ops`` operations
    drawn from torchvision's RandAugment table (shears, translations, rotation, brightness,
    colour, contrast, sharpness, posterize, solarize, autocontrast, equalize, identity), each
    at ``magnitude`` with a random sign.  The draws are autograd_st's (seeded), and shears
    turn about the image centre; MindSpore's numbers are not reproduced."""

    def __init__(self, num_ops=2, magnitude=9, num_magnitude_bins=31,
                 interpolation=Inter.NEAREST, fill_value=0) -> None:
        super().__init__()
        self.num_magnitude_bins = _bins(num_magnitude_bins)
        if isinstance(num_ops, bool) or not isinstance(num_ops, int) or num_ops < 0:
            raise ValueError("Input num_ops is not within the required interval of "
                             "[0, 16777216].")
        if isinstance(magnitude, bool) or not isinstance(magnitude, int) or \
                not 0 <= magnitude < self.num_magnitude_bins:
            raise ValueError("Input magnitude is not within the required interval of [0, %d)."
                             % self.num_magnitude_bins)
        self.num_ops, self.magnitude = num_ops, magnitude
        self.interpolation, self.fill_value = Inter(interpolation), _fill(fill_value)

    def __call__(self, img):
        img = _augment_image(img, "RandAugment")
        rng = self._draw()
        ops = _augment_ops(self.num_magnitude_bins, False, *img.shape[:2])
        for _ in range(self.num_ops):
            name, mags, signed = ops[int(rng.integers(len(ops)))]
            mag = float(mags[self.magnitude])
            if signed and rng.random() < 0.5:
                mag = -mag
            img = _augment_one(img, name, mag, self.interpolation, self.fill_value)
        return img


class TrivialAugmentWide(_Random):
    """MindSpore's ``vision.TrivialAugmentWide(num_magnitude_bins=31,
    interpolation=Inter.NEAREST, fill_value=0)`` on uint8 HWC images: one operation of
    torchvision's wide table at a magnitude drawn uniformly among the bins, random sign (the
    draws are autograd_st's; MindSpore's numbers are not reproduced)."""

    def __init__(self, num_magnitude_bins=31, interpolation=Inter.NEAREST,
                 fill_value=0) -> None:
        super().__init__()
        self.num_magnitude_bins = _bins(num_magnitude_bins)
        self.interpolation, self.fill_value = Inter(interpolation), _fill(fill_value)

    def __call__(self, img):
        img = _augment_image(img, "TrivialAugmentWide")
        rng = self._draw()
        ops = _augment_ops(self.num_magnitude_bins, True, *img.shape[:2])
        name, mags, signed = ops[int(rng.integers(len(ops)))]
        mag = float(mags[int(rng.integers(self.num_magnitude_bins))])
        if signed and rng.random() < 0.5:
            mag = -mag
        return _augment_one(img, name, mag, self.interpolation, self.fill_value)


class RandomSelectSubpolicy(_Random):
    """MindSpore's ``vision.RandomSelectSubpolicy(policy)``: for each image one subpolicy of
    ``policy`` (a list of lists of ``(transform, prob)``), drawn uniformly, its transforms
    applied in order each with its probability.  The draws come from the seed (reproducible,
    not MindSpore's generator)."""

    def __init__(self, policy) -> None:
        super().__init__()
        if not isinstance(policy, (list, tuple)) or not policy or not all(
                isinstance(sub, (list, tuple)) and sub and all(
                    isinstance(step, (list, tuple)) and len(step) == 2 and callable(step[0])
                    and 0.0 <= float(step[1]) <= 1.0 for step in sub) for sub in policy):
            raise ValueError("RandomSelectSubpolicy: policy must be a non-empty list of "
                             "non-empty lists of (transform, probability in [0, 1]) pairs; "
                             "got %r" % (policy,))
        self.policy = [[(op, float(prob)) for op, prob in sub] for sub in policy]

    def __call__(self, img):
        rng = self._draw()
        for op, prob in self.policy[int(rng.integers(len(self.policy)))]:
            if rng.random() < prob:
                img = op(img)
        return img
