"""ds.vision's geometric transforms on small images (MindSpore 2.10 numbers): Crop,
ResizedCrop, Erase, RandomSharpness / RandomColor at fixed degrees,
PadToSize, Rotate (90, 30, expand, centre, fill), Affine (translate, scale, rotation, shear),
Perspective."""
import numpy as np
import mindspore.dataset.vision as v


def run():
    img = (np.arange(5 * 6 * 3) * 37 % 256).astype(np.uint8).reshape(5, 6, 3)
    f = np.arange(4 * 5, dtype=np.float32).reshape(4, 5, 1) * 1.5
    return {
        "crop": v.Crop((1, 2), (2, 3))(img),
        "crop1": v.Crop((0, 0), 2)(img),
        "resizedcrop": v.ResizedCrop(1, 1, 3, 4, (6, 8))(img.astype(np.float32)),
        "erase": v.Erase(1, 2, 2, 3, value=(9, 8, 7))(img),
        "erase0": v.Erase(1, 2, 2, 3)(img),
        "rsharp": v.RandomSharpness((2.0, 2.0))(img),
        "rcolor": v.RandomColor((1.5, 1.5))(img),
        "padtosize": v.PadToSize((7, 8), offset=(1, 0), fill_value=9)(img),
        "padtosize_c": v.PadToSize((8, 9))(img),
        "padtosize_e": v.PadToSize(7, padding_mode=v.Border.EDGE)(img),
        "rot90": v.Rotate(90)(img),
        "rot180": v.Rotate(180)(img),
        "rot30": v.Rotate(30)(img),
        "rot30_exp": v.Rotate(30, expand=True)(img),
        "rot45_c": v.Rotate(45, center=(1, 1), fill_value=7)(img),
        "rot30_bil": v.Rotate(30, resample=v.Inter.BILINEAR)(f),
        "affine_t": v.Affine(0, [0.2, -0.25], 1.0, [0, 0])(img),
        "affine_t1": v.Affine(0, [1, -1], 1.0, [0, 0])(img),
        "affine_sh": v.Affine(10, [0, 0], 1.2, [15, 5])(img),
        "affine_s": v.Affine(0, [0, 0], 2.0, [0, 0], resample=v.Inter.NEAREST)(img),
        "affine_r": v.Affine(20, [0, 0], 1.0, [0, 0])(img),
        "affine_bil": v.Affine(15, [0.1, 0], 0.9, [5, 0], resample=v.Inter.BILINEAR)(img),
        "rot30_bil_u8": v.Rotate(30, resample=v.Inter.BILINEAR)(img),
        "persp_id": v.Perspective([[0, 0], [5, 0], [5, 4], [0, 4]],
                                  [[0, 0], [5, 0], [5, 4], [0, 4]])(img),
        "persp": v.Perspective([[0, 0], [5, 0], [5, 4], [0, 4]],
                               [[1, 0], [5, 1], [4, 4], [0, 3]])(img),
        "persp_near": v.Perspective([[0, 0], [5, 0], [5, 4], [0, 4]],
                                    [[1, 0], [5, 1], [4, 4], [0, 3]], v.Inter.NEAREST)(img),
        "persp_f": v.Perspective([[0, 0], [4, 0], [4, 3], [0, 3]],
                                 [[1, 1], [4, 0], [3, 3], [0, 2]])(f),
    }
