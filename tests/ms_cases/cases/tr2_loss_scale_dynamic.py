"""Loss scaling as scripts use it: Model refusing DynamicLossScaleManager on CPU (as MindSpore 2.10),
the manager's getters and update cell, and Model with FixedLossScaleManager(drop_overflow_update=False)
and the optimizer's loss_scale (what MindSpore 2.10 runs on CPU)."""
import numpy as np
import mindspore as ms
from mindspore import nn, Tensor
import mindspore.dataset as ds
from mindspore.train import Model, Callback, DynamicLossScaleManager, FixedLossScaleManager


def make_net():
    net = nn.Dense(3, 2, weight_init=Tensor(np.array([[0.5, -0.3, 0.2], [0.8, -0.6, 0.1]],
                                                      np.float32)), bias_init="zeros")
    return net


rng = np.random.default_rng(9)
X = rng.normal(size=(12, 3)).astype(np.float32)
Y = rng.integers(0, 2, size=(12,)).astype(np.int32)


class Rec(Callback):
    def __init__(self):
        super().__init__()
        self.rows = []

    def on_train_step_end(self, run_context):
        p = run_context.original_args()
        out = p.net_outputs
        loss = out[0] if isinstance(out, (tuple, list)) else out
        self.rows.append(float(loss.asnumpy()))


def run():
    out = {}
    net = make_net()
    opt = nn.Momentum(net.trainable_params(), learning_rate=0.1, momentum=0.9)
    manager = DynamicLossScaleManager(init_loss_scale=2.0 ** 130, scale_factor=2, scale_window=3)
    try:  # MindSpore 2.10 refuses it on CPU (Model's check); so must we
        Model(net, loss_fn=nn.SoftmaxCrossEntropyWithLogits(sparse=True, reduction="mean"),
              optimizer=opt, loss_scale_manager=manager)
        out["dynamic_model_refused"] = 0.0
    except ValueError:
        out["dynamic_model_refused"] = 1.0
    out["manager/scale"] = float(manager.get_loss_scale())
    out["manager/drop"] = float(manager.get_drop_overflow_update())

    upd = manager.get_update_cell()
    out["manager/update_scale"] = float(upd.get_loss_scale())
    # the update Cells driven by hand with a run of overflow flags: the scale after each
    for tag, cell, start in (("dyn", nn.DynamicLossScaleUpdateCell(1024.0, 2, 3), 1024.0),
                             ("dyn_min", nn.DynamicLossScaleUpdateCell(4.0, 4, 2), 4.0),
                             ("fixed", nn.FixedLossScaleUpdateCell(8.0), 8.0)):
        scale = ms.Parameter(Tensor(np.float32(start)), name="scale_" + tag)
        seen = []
        for flag in (False, False, False, True, False, True, True, False, False, False, False):
            back = cell(scale, Tensor(np.array(flag)))
            seen.append([float(scale.asnumpy()), float(np.asarray(back.asnumpy()))])
        out["update/" + tag] = np.array(seen)
    # (TrainOneStepWithLossScaleCell itself cannot run on MindSpore 2.10's CPU: its overflow
    # check calls NPUGetFloatStatusV2, which has no CPU kernel, in PyNative and graph mode)
    net = make_net()
    opt = nn.Momentum(net.trainable_params(), learning_rate=0.1, momentum=0.9, loss_scale=8.0)
    model = Model(net, loss_fn=nn.SoftmaxCrossEntropyWithLogits(sparse=True, reduction="mean"),
                  optimizer=opt,
                  loss_scale_manager=FixedLossScaleManager(8.0, drop_overflow_update=False))
    rec = Rec()
    model.train(1, ds.NumpySlicesDataset((X, Y), ["x", "y"], shuffle=False).batch(3),
                callbacks=[rec])
    out["fixed_model/losses"] = np.array(rec.rows)
    out["fixed_model/w"] = net.weight.asnumpy()
    return out
