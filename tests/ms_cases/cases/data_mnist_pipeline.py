"""The quick-start pipeline over a small MNIST folder (tests/fixtures/mnist, IDX files):
MnistDataset (train / test / all, no shuffle, num_samples), map(Rescale, Normalize,
HWC2CHW) on image, map(TypeCast(int32)) on label, batch; and vision/transforms ops alone."""
import os

import numpy as np
import mindspore as ms
import mindspore.dataset as ds
from mindspore.dataset import transforms, vision


def _folder():
    here = os.getcwd()
    while not os.path.isdir(os.path.join(here, "tests", "fixtures", "mnist")):
        parent = os.path.dirname(here)
        if parent == here:
            raise FileNotFoundError("run from the repository: tests/fixtures/mnist")
        here = parent
    return os.path.join(here, "tests", "fixtures", "mnist")


def _put(out, key, value):
    arr = value.asnumpy() if hasattr(value, "asnumpy") else np.asarray(value)
    out[key] = arr
    out[key + "/kind"] = float(ord(arr.dtype.kind))
    out[key + "/itemsize"] = float(arr.dtype.itemsize)


def datapipe(dataset, batch_size):
    image_transforms = [vision.Rescale(1.0 / 255.0, 0),
                        vision.Normalize(mean=(0.1307,), std=(0.3081,)),
                        vision.HWC2CHW()]
    label_transform = transforms.TypeCast(ms.int32)
    dataset = dataset.map(image_transforms, "image")
    dataset = dataset.map(label_transform, "label")
    return dataset.batch(batch_size)


def run():
    out = {}
    folder = _folder()
    for usage in ("train", "test", "all"):
        raw = ds.MnistDataset(folder, usage=usage, shuffle=False)
        out[usage + "/size"] = float(raw.get_dataset_size())
        for i, (image, label) in enumerate(raw.create_tuple_iterator()):
            _put(out, "%s/%d/image" % (usage, i), image)
            _put(out, "%s/%d/label" % (usage, i), label)
    piped = datapipe(ds.MnistDataset(folder, usage="train", shuffle=False), 2)
    out["piped/size"] = float(piped.get_dataset_size())
    for i, row in enumerate(piped.create_dict_iterator()):
        _put(out, "piped/%d/image" % i, row["image"])
        _put(out, "piped/%d/label" % i, row["label"])
    few = ds.MnistDataset(folder, usage="train", num_samples=3, shuffle=False)
    _put(out, "few", np.array([int(r[1].asnumpy()) for r in few]))
    img = (np.arange(2 * 3 * 3) * 7 % 256).astype(np.uint8).reshape(2, 3, 3)
    _put(out, "normalize_hwc", vision.Normalize(mean=(10, 20, 30), std=(2, 4, 8))(img))
    chw = img.transpose(2, 0, 1)
    _put(out, "normalize_chw", vision.Normalize(mean=(10, 20, 30), std=(2, 4, 8),
                                                is_hwc=False)(chw))
    _put(out, "rescale", vision.Rescale(2.0, 1.0)(img))
    _put(out, "hwc2chw", vision.HWC2CHW()(img))
    x = np.arange(3 * 4 * 2, dtype=np.float32).reshape(3, 4, 2)
    _put(out, "resize_f32", vision.Resize((5, 7))(x))
    _put(out, "resize_short_side", vision.Resize(6)(x))
    _put(out, "resize_shrink", vision.Resize((2, 3))(x))
    _put(out, "typecast", transforms.TypeCast(ms.float16)(np.array([1, 2, 3])))
    _put(out, "onehot", transforms.OneHot(4)(np.array(2)))
    _put(out, "onehot_batch", transforms.OneHot(3)(np.array([0, 2])))
    return out
