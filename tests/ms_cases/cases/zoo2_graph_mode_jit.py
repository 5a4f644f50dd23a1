"""A script in MindSpore's GRAPH_MODE style: ms.set_context(mode=ms.GRAPH_MODE), a Cell whose
construct loops over an nn.CellList with zip against a tuple of scales, a @ms.jit train step
function (value_and_grad + optimizer inside it), ops.Map / ops.HyperMap over tuples of
gradients, ops.depend, and ms.Tensor created with dtype=ms.float32 from Python lists; three
steps: losses and final weights.  The context is put back to PYNATIVE_MODE at the end."""
import numpy as np
import mindspore as ms
from mindspore import nn, ops, Tensor


class Stack(nn.Cell):
    def __init__(self):
        super().__init__()
        self.layers = nn.CellList([nn.Dense(3, 3, activation='tanh') for _ in range(3)])
        self.scales = (1.0, 0.5, 0.25)
        self.head = nn.Dense(3, 1)

    def construct(self, x):
        for layer, s in zip(self.layers, self.scales):
            x = x + s * layer(x)
        return self.head(x).squeeze(-1)


def run():
    ms.set_context(mode=ms.GRAPH_MODE)
    try:
        net = Stack()
        rng = np.random.RandomState(127)
        for _, p in net.parameters_and_names():
            p.set_data(Tensor(rng.uniform(-0.5, 0.5, p.shape).astype(np.float32)))
        x = ms.Tensor(rng.standard_normal((5, 3)).tolist(), dtype=ms.float32)
        y = ms.Tensor([0.5, -1.0, 0.25, 2.0, 0.0], dtype=ms.float32)
        opt = nn.RMSProp(net.trainable_params(), learning_rate=0.01, decay=0.9, momentum=0.5)
        loss_fn = nn.MSELoss()
        halve = ops.MultitypeFuncGraph("halve")

        @halve.register("Tensor")
        def _halve(g):
            return g * 0.5

        hyper_map = ops.HyperMap()

        def forward(x, y):
            return loss_fn(net(x), y)

        grad_fn = ms.value_and_grad(forward, None, opt.parameters)

        @ms.jit
        def train_step(x, y):
            loss, grads = grad_fn(x, y)
            grads = hyper_map(halve, grads)
            loss = ops.depend(loss, opt(grads))
            return loss

        out = {}
        for i in range(3):
            out["loss%d" % i] = train_step(x, y)
        for name, p in net.parameters_and_names():
            out[name] = p.asnumpy().copy()
        out["pred"] = net(x)
        return out
    finally:
        ms.set_context(mode=ms.PYNATIVE_MODE)
