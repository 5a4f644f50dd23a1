"""The MindSpore 2.x functional training loop with mindspore.experimental.optim: Adam, AdamW
and SGD (momentum, nesterov, weight_decay) driven by ops.value_and_grad over
optimizer.parameters, with lr_scheduler StepLR, MultiStepLR, CosineAnnealingLR, LinearLR,
ExponentialLR, LambdaLR and SequentialLR stepped once per epoch (get_last_lr recorded)."""
import numpy as np
import mindspore as ms
from mindspore import nn, ops, Tensor
from mindspore.experimental import optim


class MLP(nn.Cell):
    def __init__(self, seed):
        super().__init__()
        rng = np.random.default_rng(seed)
        self.fc1 = nn.Dense(4, 6, weight_init=Tensor(rng.normal(0, 0.5, (6, 4)).astype(np.float32)),
                            bias_init="zeros")
        self.fc2 = nn.Dense(6, 2, weight_init=Tensor(rng.normal(0, 0.5, (2, 6)).astype(np.float32)),
                            bias_init="zeros")

    def construct(self, x):
        return self.fc2(ops.tanh(self.fc1(x)))


def train(out, tag, make_opt, make_sched, epochs=5):
    rng = np.random.default_rng(11)
    x = Tensor(rng.normal(size=(8, 4)).astype(np.float32))
    y = Tensor(rng.integers(0, 2, size=(8,)).astype(np.int32))
    net = MLP(1)
    loss_fn = nn.CrossEntropyLoss()
    optimizer = make_opt(net)
    scheduler = make_sched(optimizer)

    def forward_fn(data, label):
        logits = net(data)
        return loss_fn(logits, label), logits

    grad_fn = ms.value_and_grad(forward_fn, None, optimizer.parameters, has_aux=True)
    lrs, losses = [], []
    for _ in range(epochs):
        (loss, _), grads = grad_fn(x, y)
        optimizer(grads)
        scheduler.step()
        losses.append(float(loss))
        lrs.append(float(scheduler.get_last_lr()[0]))
    out[tag + "/losses"] = np.array(losses)
    out[tag + "/lrs"] = np.array(lrs)
    out[tag + "/w1"] = net.fc1.weight.value()
    out[tag + "/b2"] = net.fc2.bias.value()


def run():
    out = {}
    train(out, "adam_step", lambda n: optim.Adam(n.trainable_params(), lr=0.05),
          lambda o: optim.lr_scheduler.StepLR(o, step_size=2, gamma=0.5))
    train(out, "adamw_multistep",
          lambda n: optim.AdamW(n.trainable_params(), lr=0.03, weight_decay=0.1),
          lambda o: optim.lr_scheduler.MultiStepLR(o, milestones=[1, 3], gamma=0.3))
    train(out, "sgd_cosine",
          lambda n: optim.SGD(n.trainable_params(), lr=0.2, momentum=0.9, nesterov=True,
                              weight_decay=0.01),
          lambda o: optim.lr_scheduler.CosineAnnealingLR(o, T_max=4, eta_min=0.01))
    train(out, "sgd_linear",
          lambda n: optim.SGD(n.trainable_params(), lr=0.1, momentum=0.5, dampening=0.1),
          lambda o: optim.lr_scheduler.LinearLR(o, start_factor=0.25, total_iters=3))
    train(out, "adam_exp", lambda n: optim.Adam(n.trainable_params(), lr=0.02, amsgrad=True),
          lambda o: optim.lr_scheduler.ExponentialLR(o, gamma=0.8))
    train(out, "sgd_lambda", lambda n: optim.SGD(n.trainable_params(), lr=0.1),
          lambda o: optim.lr_scheduler.LambdaLR(o, lr_lambda=lambda e: 1.0 / (e + 1)))

    def seq(o):
        s1 = optim.lr_scheduler.LinearLR(o, start_factor=0.5, total_iters=2)
        s2 = optim.lr_scheduler.ExponentialLR(o, gamma=0.7)
        return optim.lr_scheduler.SequentialLR(o, schedulers=[s1, s2], milestones=[2])

    train(out, "adam_seq", lambda n: optim.Adam(n.trainable_params(), lr=0.05), seq, epochs=6)
    return out
