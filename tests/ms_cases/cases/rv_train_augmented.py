"""A CIFAR-style training script with random augmentation under mindspore.set_seed (MindSpore
2.10): a shuffled source, map([RandomCrop(padding), RandomHorizontalFlip, RandomColorAdjust,
Rescale, Normalize, HWC2CHW]) on two workers, batch, a small conv net trained with Momentum for
three epochs of one iterator; the augmented images, hence every loss, are MindSpore's."""
import numpy as np
import mindspore
from mindspore import nn
import mindspore.dataset as ds
import mindspore.dataset.transforms as transforms
import mindspore.dataset.vision as vision


class Net(nn.Cell):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3)
        self.relu = nn.ReLU()
        self.pool = nn.MaxPool2d(2, 2)
        self.flatten = nn.Flatten()
        self.dense = nn.Dense(4 * 4 * 4, 3)

    def construct(self, x):
        return self.dense(self.flatten(self.pool(self.relu(self.conv(x)))))


def run():
    r = np.random.RandomState(7)
    images = r.randint(0, 256, (24, 8, 8, 3)).astype(np.uint8)
    labels = r.randint(0, 3, 24).astype(np.int32)
    mindspore.set_seed(11)
    data = ds.NumpySlicesDataset({"image": images, "label": labels}, shuffle=True)
    data = data.map([vision.RandomCrop(8, padding=2), vision.RandomHorizontalFlip(),
                     vision.RandomColorAdjust(0.3, 0.3, 0.3),
                     vision.Rescale(1.0 / 255.0, 0), vision.Normalize((0.5,) * 3, (0.25,) * 3),
                     vision.HWC2CHW()], "image", num_parallel_workers=2)
    data = data.map(transforms.TypeCast(mindspore.int32), "label").batch(6)
    net = Net()
    loss_fn = nn.CrossEntropyLoss()
    opt = nn.Momentum(net.trainable_params(), 0.05, 0.9)

    def forward(x, y):
        return loss_fn(net(x), y)

    grad_fn = mindspore.value_and_grad(forward, None, opt.parameters)
    losses, firsts = [], []
    it = data.create_tuple_iterator(num_epochs=3)
    for _ in range(3):
        for k, (x, y) in enumerate(it):
            if k == 0:
                firsts.append(x.asnumpy())
            loss, grads = grad_fn(x, y)
            opt(grads)
            losses.append(float(loss.asnumpy()))
    return {"losses": np.array(losses), "first_batches": np.stack(firsts)}
