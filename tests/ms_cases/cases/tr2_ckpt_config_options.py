"""ModelCheckpoint options scripts use: CheckpointConfig(append_info=['epoch_num',
'step_num', {'lr': 0.01}], saved_network=net, save_checkpoint_steps, keep_checkpoint_max),
two ModelCheckpoints with one prefix in one training (MindSpore 2.10 adds no suffix: the
later save of one name wins), no .meta files, and what each saved file holds (keys,
appended values)."""
import os
import tempfile

import numpy as np
import mindspore as ms
from mindspore import nn, Tensor
import mindspore.dataset as ds
from mindspore.train import Model, ModelCheckpoint, CheckpointConfig


def run():
    out = {}
    rng = np.random.default_rng(2)
    x = rng.normal(size=(8, 3)).astype(np.float32)
    y = rng.normal(size=(8, 2)).astype(np.float32)
    net = nn.Dense(3, 2, weight_init=Tensor(rng.normal(0, 0.5, (2, 3)).astype(np.float32)),
                   bias_init="zeros")
    model = Model(net, nn.MSELoss(), nn.Adam(net.trainable_params(), 0.01))
    with tempfile.TemporaryDirectory() as tmp:
        c1 = CheckpointConfig(save_checkpoint_steps=3, keep_checkpoint_max=10,
                              append_info=["epoch_num", "step_num", {"lr": 0.01}])
        c2 = CheckpointConfig(save_checkpoint_steps=4, saved_network=net)
        cb1 = ModelCheckpoint(prefix="run", directory=tmp, config=c1)
        cb2 = ModelCheckpoint(prefix="run", directory=tmp, config=c2)
        model.train(2, ds.NumpySlicesDataset((x, y), ["x", "y"], shuffle=False).batch(2),
                    callbacks=[cb1, cb2])
        files = sorted(os.listdir(tmp))
        ckpts = [f for f in files if f.endswith(".ckpt")]
        out["n_ckpt"] = float(len(ckpts))
        out["n_meta"] = float(len([f for f in files if f.endswith(".meta")]))
        for name in ("run-1_3.ckpt", "run-2_2.ckpt", "run-1_4.ckpt", "run_1-1_4.ckpt",
                     "run-2_4.ckpt"):
            out["has/" + name] = float(name in ckpts)
        first = ms.load_checkpoint(os.path.join(tmp, "run-1_3.ckpt"))
        out["first/n"] = float(len(first))
        out["first/epoch_num"] = float(first["epoch_num"].asnumpy())
        out["first/step_num"] = float(first["step_num"].asnumpy())
        out["first/lr"] = float(first["lr"].asnumpy())
        out["first/weight"] = first["weight"].asnumpy()
        net_only = ms.load_checkpoint(os.path.join(tmp, "run-1_4.ckpt"))
        out["net_only/n"] = float(len(net_only))
        out["net_only/weight"] = net_only["weight"].asnumpy()
        last = ms.load_checkpoint(os.path.join(tmp, "run-2_4.ckpt"))
        out["last/n"] = float(len(last))
        out["last/epoch_num"] = float(last["epoch_num"].asnumpy())
        out["last/step_num"] = float(last["step_num"].asnumpy())
        out["last/epoch_num_int64"] = float(last["epoch_num"].dtype == ms.int64)
    out["weight"] = net.weight.asnumpy()
    return out
