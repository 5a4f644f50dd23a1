"""ds.vision's PIL-image transforms (MindSpore 2.10 numbers): ToPIL, Grayscale (1 and 3
channels), RandomGrayscale(prob=1), FiveCrop, TenCrop (horizontal and vertical flips),
Decode of PNG bytes, and ToTensor of a PIL image."""
import io

import numpy as np
import mindspore.dataset.vision as v
from PIL import Image


def run():
    img = (np.arange(5 * 7 * 3) * 37 % 256).astype(np.uint8).reshape(5, 7, 3)
    pil = v.ToPIL()(img)
    out = {"topil": np.asarray(pil)}
    out["gray1"] = np.asarray(v.Grayscale()(pil))
    out["gray3"] = np.asarray(v.Grayscale(3)(pil))
    out["rgray"] = np.asarray(v.RandomGrayscale(1.0)(pil))
    out["rgray0"] = np.asarray(v.RandomGrayscale(0.0)(pil))
    for i, crop in enumerate(v.FiveCrop(3)(pil)):
        out["five/%d" % i] = np.asarray(crop)
    for i, crop in enumerate(v.FiveCrop((2, 4))(pil)):
        out["five_hw/%d" % i] = np.asarray(crop)
    for i, crop in enumerate(v.TenCrop(3)(pil)):
        out["ten/%d" % i] = np.asarray(crop)
    for i, crop in enumerate(v.TenCrop((2, 3), use_vertical_flip=True)(pil)):
        out["ten_v/%d" % i] = np.asarray(crop)
    buf = io.BytesIO()
    Image.fromarray(img).save(buf, format="PNG")
    data = np.frombuffer(buf.getvalue(), np.uint8)
    out["decode"] = v.Decode()(data)
    out["decode_pil"] = np.asarray(v.Decode(to_pil=True)(data))
    out["totensor_pil"] = v.ToTensor()(pil)
    return out
