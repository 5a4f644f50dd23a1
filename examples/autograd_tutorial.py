"""MindSpore tutorial "Automatic Differentiation" (ops.value_and_grad), with only the imports
changed from mindspore to autograd_st.  Prints what the tutorial prints."""
import numpy as np

import autograd_st as ms
import autograd_st.nn as nn
from autograd_st import Tensor, ops

# Define network
net = nn.Dense(10, 1)

# Define loss function
loss_fn = nn.MSELoss()


# Combine forward network and loss function
def forward(inputs, labels):
    logits = net(inputs)
    loss = loss_fn(logits, labels)
    return loss, logits


inputs = Tensor(np.random.randn(16, 10).astype(np.float32))
labels = Tensor(np.random.randn(16, 1).astype(np.float32))
weights = net.trainable_params()

# has_aux is set to True, which means that only loss is used to derive, while logits is not.
grad_fn = ops.value_and_grad(forward, grad_position=None, weights=weights, has_aux=True)
(loss, logits), params_gradient = grad_fn(inputs, labels)

# Print result
print(logits.shape, len(weights), len(params_gradient))


class Net(nn.Cell):
    def __init__(self):
        super(Net, self).__init__()
        self.w = ms.Parameter(ms.Tensor(np.array([6], np.float32)), name='w')
        self.b = ms.Parameter(ms.Tensor(np.array([1.0], np.float32)), name='b', requires_grad=False)

    def construct(self, x):
        out = x * self.w + self.b
        return out


# Build derivation network
net = Net()
params = net.trainable_params()
x = ms.Tensor([5], dtype=ms.float32)
value, gradient = ops.value_and_grad(net, grad_position=None, weights=params)(x)

print(gradient)

from autograd_st.ops import stop_gradient  # noqa: E402


class Net(nn.Cell):  # noqa: F811 - the tutorial redefines Net
    def __init__(self):
        super(Net, self).__init__()
        self.w = ms.Parameter(ms.Tensor(np.array([6], np.float32)), name='w')
        self.b = ms.Parameter(ms.Tensor(np.array([1.0], np.float32)), name='b')

    def construct(self, x):
        out = x * self.w + self.b
        # Stop updating gradient, and the out does not contribute to gradient calculation
        out = stop_gradient(out)
        return out


net = Net()
params = net.trainable_params()
x = ms.Tensor([100], dtype=ms.float32)
value, output = ops.value_and_grad(net, grad_position=None, weights=params)(x)

print(f"wgrad: {output[0]}\nbgrad: {output[1]}")
