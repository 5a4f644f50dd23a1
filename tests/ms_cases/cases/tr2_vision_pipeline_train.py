"""A CIFAR-style image pipeline (uint8 HWC images from a GeneratorDataset): map with
vision.Pad (each Border), CenterCrop, HorizontalFlip / RandomHorizontalFlip(1.0),
RandomCrop at the padded size, Rescale + Normalize + HWC2CHW, ToTensor, TypeCast on the
label, batch; then a conv network trained two epochs by Model with Momentum, eval'd by
Accuracy. The random transforms' draws are the engine's, so only draw-free settings."""
import numpy as np
import mindspore as ms
from mindspore import nn, Tensor
import mindspore.dataset as ds
from mindspore.dataset import vision, transforms
from mindspore.dataset.vision import Border
from mindspore.train import Model, Accuracy, Loss

RNG = np.random.default_rng(23)
IMAGES = RNG.integers(0, 256, size=(8, 6, 6, 3)).astype(np.uint8)
LABELS = (IMAGES[:, :, :3].mean(axis=(1, 2, 3)) > IMAGES[:, :, 3:].mean(axis=(1, 2, 3)))


def source():
    for img, lab in zip(IMAGES, LABELS):
        yield img, np.int64(lab)


def pipeline(batch):
    data = ds.GeneratorDataset(source, ["image", "label"])
    data = data.map([vision.Pad(2, padding_mode=Border.REFLECT),
                     vision.RandomCrop((10, 10)),
                     vision.CenterCrop(8),
                     vision.RandomHorizontalFlip(1.0),
                     vision.Rescale(1.0 / 255.0, 0.0),
                     vision.Normalize(mean=(0.5, 0.5, 0.5), std=(0.25, 0.25, 0.25)),
                     vision.HWC2CHW()], "image")
    data = data.map(transforms.TypeCast(ms.int32), "label")
    return data.batch(batch)


class Net(nn.Cell):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3, stride=2, pad_mode="valid", has_bias=True)
        self.relu = nn.ReLU()
        self.flatten = nn.Flatten()
        self.fc = nn.Dense(4 * 3 * 3, 2)

    def construct(self, x):
        return self.fc(self.flatten(self.relu(self.conv(x))))


def run():
    out = {}
    img = IMAGES[0]
    for mode in (Border.CONSTANT, Border.EDGE, Border.REFLECT, Border.SYMMETRIC):
        out["pad/" + mode.name] = vision.Pad((1, 2, 0, 3), fill_value=(9, 8, 7),
                                             padding_mode=mode)(img).astype(np.float64)
    out["center_big"] = vision.CenterCrop((9, 7))(img).astype(np.float64)
    out["center_odd"] = vision.CenterCrop((3, 4))(img).astype(np.float64)
    out["vflip"] = vision.VerticalFlip()(img).astype(np.float64)
    out["to_tensor"] = vision.ToTensor()(img)
    out["rcrop_shape"] = np.array(vision.RandomCrop(4, padding=1)(img).shape, np.float64)
    out["rcrop_needed_shape"] = np.array(
        vision.RandomCrop((7, 9), pad_if_needed=True)(img).shape, np.float64)
    first = next(pipeline(4).create_tuple_iterator(output_numpy=True))
    out["batch0/image"] = first[0]
    out["batch0/label"] = first[1].astype(np.float64)
    net = Net()
    rng = np.random.default_rng(3)
    for p in net.trainable_params():
        p.set_data(Tensor(rng.normal(0.0, 0.3, p.shape).astype(np.float32)))
    model = Model(net, nn.SoftmaxCrossEntropyWithLogits(sparse=True, reduction="mean"),
                  nn.Momentum(net.trainable_params(), 0.05, 0.9),
                  metrics={"acc": Accuracy(), "loss": Loss()})
    model.train(2, pipeline(4))
    res = model.eval(pipeline(8))
    out["eval_acc"] = float(res["acc"])
    out["eval_loss"] = float(res["loss"])
    out["fc"] = net.fc.weight.asnumpy()
    out["conv"] = net.conv.weight.asnumpy()
    return out
