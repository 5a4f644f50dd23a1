"""Fine-tuning as the tutorials do it: a small conv backbone with BatchNorm, its Parameters
frozen (requires_grad=False) but for the head, an optimizer over trainable_params(),
Model.train (BatchNorm moving statistics updated in training, used in eval), Model.eval
with Accuracy and the moving statistics / weights after; a checkpoint of the network keeps
the frozen and moving Parameters."""
import os
import tempfile

import numpy as np
import mindspore as ms
from mindspore import nn, Tensor
import mindspore.dataset as ds
from mindspore.train import Model, Accuracy, Loss


class Net(nn.Cell):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 3, 3, pad_mode="same", has_bias=False)
        self.bn = nn.BatchNorm2d(3, momentum=0.8)
        self.relu = nn.ReLU()
        self.pool = nn.AvgPool2d(2, 2)
        self.flatten = nn.Flatten()
        self.head = nn.Dense(3 * 2 * 2, 2)

    def construct(self, x):
        return self.head(self.flatten(self.pool(self.relu(self.bn(self.conv(x))))))


def run():
    rng = np.random.default_rng(41)
    x = rng.normal(size=(8, 1, 4, 4)).astype(np.float32)
    y = (x.mean(axis=(1, 2, 3)) > 0).astype(np.int32)
    net = Net()
    for p in net.get_parameters():
        if p.name.startswith("conv") or p.name.startswith("head"):
            p.set_data(Tensor(rng.normal(0.0, 0.5, p.shape).astype(np.float32)))
    for p in net.get_parameters():
        if not p.name.startswith("head"):
            p.requires_grad = False
    out = {"n_trainable": float(len(net.trainable_params())),
           "n_all": float(len(list(net.get_parameters())))}
    opt = nn.Momentum(net.trainable_params(), learning_rate=0.1, momentum=0.9)
    model = Model(net, nn.SoftmaxCrossEntropyWithLogits(sparse=True, reduction="mean"), opt,
                  metrics={"acc": Accuracy(), "loss": Loss()})
    data = ds.NumpySlicesDataset((x, y), ["x", "y"], shuffle=False).batch(4)
    model.train(2, data)
    res = model.eval(ds.NumpySlicesDataset((x, y), ["x", "y"], shuffle=False).batch(4))
    out["eval_acc"] = float(res["acc"])
    out["eval_loss"] = float(res["loss"])
    out["moving_mean"] = net.bn.moving_mean.asnumpy()
    out["moving_var"] = net.bn.moving_variance.asnumpy()
    out["gamma"] = net.bn.gamma.asnumpy()
    out["conv"] = net.conv.weight.asnumpy()
    out["head_w"] = net.head.weight.asnumpy()
    out["head_b"] = net.head.bias.asnumpy()
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "ft.ckpt")
        ms.save_checkpoint(net, path)
        saved = ms.load_checkpoint(path)
    out["ckpt_keys"] = float(len(saved))
    out["ckpt_moving_mean"] = saved["bn.moving_mean"].asnumpy()
    out["ckpt_requires_grad_head"] = float(saved["head.weight"].requires_grad)
    net.set_train(False)
    out["predict"] = net(Tensor(x[:3])).asnumpy()
    return out
