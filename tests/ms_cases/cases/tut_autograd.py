"""MindSpore 2.x's beginner tutorial on automatic differentiation (functions and Cells,
grad with positions, has_aux, stop_gradient, value_and_grad with weights)."""
import numpy as np
import mindspore as mindspore  # (the tutorial's `import mindspore`, renamable)
from mindspore import nn
from mindspore import ops
from mindspore import Tensor, Parameter


def run():
    rng = np.random.default_rng(5)
    x = ops.ones(5, mindspore.float32)  # input tensor
    y = ops.zeros(3, mindspore.float32)  # expected output
    w = Parameter(Tensor(rng.standard_normal((5, 3)), mindspore.float32), name='w')  # weight
    b = Parameter(Tensor(rng.standard_normal((3,)), mindspore.float32), name='b')  # bias

    def function(x, y, w, b):
        z = ops.matmul(x, w) + b
        loss = ops.binary_cross_entropy_with_logits(z, y, ops.ones_like(z), ops.ones_like(z))
        return loss

    out = {}
    out["loss"] = function(x, y, w, b)
    grad_fn = mindspore.grad(function, (2, 3))
    grads = grad_fn(x, y, w, b)
    out["grad_w"], out["grad_b"] = grads

    def function_with_logits(x, y, w, b):
        z = ops.matmul(x, w) + b
        loss = ops.binary_cross_entropy_with_logits(z, y, ops.ones_like(z), ops.ones_like(z))
        return loss, z

    grad_fn = mindspore.grad(function_with_logits, (2, 3))
    grads = grad_fn(x, y, w, b)
    out["sum_grad_w"], out["sum_grad_b"] = grads

    def function_stop_gradient(x, y, w, b):
        z = ops.matmul(x, w) + b
        loss = ops.binary_cross_entropy_with_logits(z, y, ops.ones_like(z), ops.ones_like(z))
        return loss, ops.stop_gradient(z)

    grad_fn = mindspore.grad(function_stop_gradient, (2, 3))
    grads = grad_fn(x, y, w, b)
    out["stop_grad_w"], out["stop_grad_b"] = grads

    grad_fn = mindspore.grad(function_with_logits, (2, 3), has_aux=True)
    grads, (z,) = grad_fn(x, y, w, b)
    out["aux_grad_w"], out["aux_z"] = grads[0], z

    class Network(nn.Cell):
        def __init__(self):
            super().__init__()
            self.w = w
            self.b = b

        def construct(self, x):
            z = ops.matmul(x, self.w) + self.b
            return z

    model = Network()
    loss_fn = nn.BCEWithLogitsLoss()

    def forward_fn(x, y):
        z = model(x)
        loss = loss_fn(z, y)
        return loss

    grad_fn = mindspore.value_and_grad(forward_fn, None, weights=model.trainable_params())
    loss, grads = grad_fn(x, y)
    out["vg_loss"], out["vg_w"], out["vg_b"] = loss, grads[0], grads[1]
    return out
