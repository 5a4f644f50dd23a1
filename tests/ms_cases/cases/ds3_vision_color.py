"""ds.vision's deterministic colour transforms on a small uint8 HWC image (MindSpore 2.10
numbers): AdjustBrightness/Contrast/Saturation/Hue/Gamma/Sharpness, Invert, Posterize, Solarize,
AutoContrast, Equalize, ConvertColor, RgbToHsv/HsvToRgb, ToType, GaussianBlur and the
identity limits of RandomColorAdjust / RandomRotation / Affine."""
import numpy as np
import mindspore.dataset.vision as v


def _img():
    return (np.arange(5 * 6 * 3) * 37 % 256).astype(np.uint8).reshape(5, 6, 3)


def run():
    img = _img()
    f = img.astype(np.float32) / 255
    out = {
        "bright": v.AdjustBrightness(1.5)(img),
        "bright_f": v.AdjustBrightness(0.3)(img),
        "contrast": v.AdjustContrast(0.5)(img),
        "contrast2": v.AdjustContrast(1.7)(img),
        "sat": v.AdjustSaturation(0.5)(img),
        "sat2": v.AdjustSaturation(2.0)(img),
        "gamma": v.AdjustGamma(0.5, 1.0)(img),
        "gamma2": v.AdjustGamma(2.0, 0.8)(img),
        "sharp": v.AdjustSharpness(2.0)(img),
        "sharp0": v.AdjustSharpness(0.0)(img),
        "invert": v.Invert()(img),
        "poster": v.Posterize(3)(img),
        "solar": v.Solarize(100)(img),
        "solar2": v.Solarize((50, 150))(img),
        "autoc": v.AutoContrast()(img),
        "autoc_cut": v.AutoContrast(cutoff=10.0)(img),
        "equal": v.Equalize()(img),
        "gray": v.ConvertColor(v.ConvertMode.COLOR_RGB2GRAY)(img),
        "bgr": v.ConvertColor(v.ConvertMode.COLOR_RGB2BGR)(img),
        "rgba": v.ConvertColor(v.ConvertMode.COLOR_RGB2RGBA)(img),
        "hsv": v.RgbToHsv(is_hwc=True)(f),
        "hsv_chw": v.RgbToHsv()(f.transpose(2, 0, 1)),
        "rgb": v.HsvToRgb(is_hwc=True)(v.RgbToHsv(is_hwc=True)(f)),
        "totype": v.ToType(np.float32)(img),
        "gblur": v.GaussianBlur(3, 1.0)(img),
        "gblur2": v.GaussianBlur((3, 5), (0.8, 1.5))(img.astype(np.float32)),
        "rca_id": v.RandomColorAdjust()(img),
        "hue": v.AdjustHue(0.2)(img),
        "hue_neg": v.AdjustHue(-0.3)(img),
        "hue0": v.AdjustHue(0.0)(img),
        "rrot_id": v.RandomRotation((0, 0))(img),
        "affine_id": v.Affine(0, [0, 0], 1.0, [0, 0])(img),
    }
    return out
