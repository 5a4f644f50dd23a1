"""Small models the golden-file tests dump (kept in their own file: dumps name file:line)."""
import numpy as np

import autograd_st.nn as nn
import autograd_st.ops as ops
from autograd_st import Parameter, Tensor


class MatMulNet(nn.Cell):
    """The tutorials' MatMul network: f(x, y) = matmul(x * z, y)."""

    def __init__(self):
        super(MatMulNet, self).__init__()
        self.matmul = ops.MatMul()
        self.z = Parameter(Tensor(np.array([1.0], np.float32)), name='z')

    def construct(self, x, y):
        x = x * self.z
        out = self.matmul(x, y)
        return out


class LoopNet(nn.Cell):
    """A tanh recurrence in a for loop, then an if on a tensor value."""

    def __init__(self):
        super().__init__()
        self.w = Parameter(Tensor(np.array([[0.6, -0.2], [0.3, 0.8]], np.float32)), name='w')
        self.b = Parameter(Tensor(np.array([0.1, 0.0], np.float32)), name='b')

    def construct(self, x):
        for i in range(3):
            x = ops.tanh(ops.matmul(x, self.w) + self.b * i)
        if x.sum() > 0:
            y = x * x
        else:
            y = -x
        return y.sum()


def cube_sin(x):
    """A scalar function for the second-derivative and jvp golden dumps."""
    return ops.sum(x ** 3 + ops.sin(x) * x)


class Classifier(nn.Cell):
    """Two Dense layers with a ReLU between and a sparse softmax cross-entropy (the pattern
    of W2): sub-Cell pairs named once each, the loss's forward saving for its gradient."""

    def __init__(self):
        super().__init__()
        self.fc1 = nn.Dense(4, 3, weight_init=Tensor(np.full((3, 4), 0.1, np.float32)),
                            bias_init=Tensor(np.zeros(3, np.float32)))
        self.fc2 = nn.Dense(3, 2, weight_init=Tensor(np.full((2, 3), -0.2, np.float32)),
                            bias_init=Tensor(np.zeros(2, np.float32)))
        self.relu = nn.ReLU()
        self.loss = nn.SoftmaxCrossEntropyWithLogits(sparse=True, reduction="mean")

    def construct(self, x, labels):
        return self.loss(self.fc2(self.relu(self.fc1(x))), labels)
