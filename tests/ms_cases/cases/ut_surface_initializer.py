"""mindspore.common.initializer.initializer with the forms the unit tests use: a number
(test_cell_bprop.py's initializer(1, (2, 2), mstype.float32)), names, Initializer objects,
a Tensor, an int shape; the Parameter made from one under a gradient."""
import numpy as np
import mindspore as ms
from mindspore import nn, Tensor, Parameter
from mindspore.common import dtype as mstype
from mindspore.common.initializer import initializer, One, Zero, Constant
from mindspore.ops import composite as C


class TwoInputWithParameter(nn.Cell):
    def __init__(self):
        super().__init__()
        self.inputdata = Parameter(initializer(1, (2, 2), mstype.float32), name="global_step")

    def construct(self, x, y):
        x = self.inputdata + x
        return x * y


def run():
    out = {
        "num": initializer(1, (2, 2), mstype.float32),
        "ones": initializer("ones", (2,), mstype.float32),
        "zeros_i32": initializer("zeros", [2, 1], mstype.int32),
        "one_f16": initializer(One(), (2, 2), mstype.float16),
        "zero": initializer(Zero(), 3, mstype.float32),
        "const": initializer(Constant(3), (2,), mstype.float32),
        "float_to_int": initializer(2.5, (2,), mstype.int32),
        "bool": initializer(True, (2,), mstype.float32),
        "tensor": initializer(Tensor(np.array([[1.0, 2.0], [3.0, 4.0]]), ms.float64), (2, 2),
                              mstype.float32),
    }
    net = TwoInputWithParameter()
    x = Tensor(np.array([[1.0, 2.0], [3.0, 4.0]], np.float32))
    y = Tensor(np.array([[0.5, -1.0], [2.0, 1.0]], np.float32))
    gx, gy = C.GradOperation(get_all=True)(net, )(x, y)
    gp = C.GradOperation(get_by_list=True)(net, net.trainable_params())(x, y)[0]
    out.update({"gx": gx, "gy": gy, "gp": gp, "param": net.inputdata})
    return out
