"""Checkpoints as MindSpore 2.x scripts use them: save_checkpoint of a Cell with append_dict
and choice_func, of a list of {"name", "data"} dicts and of a parameter dict;
load_checkpoint with filter_prefix / specify_prefix / choice_func; load_param_into_net's
(param_not_load, ckpt_not_load) with strict_load False, into a net with a renamed head;
then the loaded net's output."""
import os
import tempfile
import numpy as np
import mindspore as ms
from mindspore import nn, ops, Tensor, Parameter


class Net(nn.Cell):
    def __init__(self, out=2):
        super().__init__()
        self.backbone = nn.SequentialCell(nn.Dense(4, 5), nn.ReLU(), nn.Dense(5, 3))
        self.bn = nn.BatchNorm1d(3)
        self.head = nn.Dense(3, out)

    def construct(self, x):
        return self.head(self.bn(self.backbone(x)))


def run():
    out = {}
    ms.set_seed(1)
    net = Net()
    rng = np.random.default_rng(5)
    x = Tensor(rng.normal(size=(4, 4)).astype(np.float32))
    for p in net.get_parameters():
        p.set_data(Tensor(rng.normal(size=p.shape).astype(np.float32)))
    net.set_train(False)
    out["before"] = net(x)
    d = tempfile.mkdtemp()
    full = os.path.join(d, "full.ckpt")
    ms.save_checkpoint(net, full, append_dict={"epoch_num": 7, "lr": 0.5})
    loaded = ms.load_checkpoint(full)
    out["names"] = np.array(len(loaded))
    out["epoch_num"] = loaded["epoch_num"]
    out["lr"] = loaded["lr"]
    part = os.path.join(d, "part.ckpt")
    ms.save_checkpoint(net, part, choice_func=lambda name: name.startswith("backbone"))
    out["part_count"] = np.array(len(ms.load_checkpoint(part)))
    no_bn = ms.load_checkpoint(full, filter_prefix=["bn.", "epoch", "lr"])
    out["filter_count"] = np.array(len(no_bn))
    only_head = ms.load_checkpoint(full, specify_prefix="head")
    out["specify"] = only_head["head.weight"]
    chosen = ms.load_checkpoint(full, choice_func=lambda n: n.endswith("bias"))
    out["choice_count"] = np.array(len(chosen))
    lst = os.path.join(d, "list.ckpt")
    ms.save_checkpoint([{"name": "w", "data": Tensor(np.ones((2, 2), np.float32))},
                        {"name": "b", "data": Tensor(np.array([1.5], np.float32))}], lst)
    lw = ms.load_checkpoint(lst)
    out["list_w"] = lw["w"]
    out["list_b"] = lw["b"]
    net2 = Net(out=4)  # the head differs: loading it fails, the rest goes in
    net2.set_train(False)
    params = ms.load_checkpoint(full)
    params.pop("head.weight")
    params.pop("head.bias")
    not_loaded, ckpt_left = ms.load_param_into_net(net2, params, strict_load=False)
    out["not_loaded"] = np.array(len(not_loaded))
    out["ckpt_left"] = np.array(len(ckpt_left))
    out["bn_mean"] = net2.bn.moving_mean.value()
    out["backbone_w"] = net2.backbone[0].weight.value()
    net3 = Net()
    net3.set_train(False)
    ms.load_param_into_net(net3, ms.load_checkpoint(full))
    out["after"] = net3(x)
    return out
