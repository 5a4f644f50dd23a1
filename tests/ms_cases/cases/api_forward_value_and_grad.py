"""nn.ForwardValueAndGrad: the network's output and GradOperation's gradients (its docstring
example: inputs and weights; the first input only; a sens given)."""
import numpy as np
import mindspore as ms
from mindspore import Tensor, Parameter, ParameterTuple, nn, ops


class Net(nn.Cell):
    def __init__(self):
        super().__init__()
        self.weight = Parameter(Tensor(np.array([[0.5, -1.0], [2.0, 0.25]], np.float32)),
                                name="weight")
        self.matmul = ops.MatMul()

    def construct(self, x):
        return self.matmul(x, self.weight)


def run():
    net = Net()
    criterion = nn.SoftmaxCrossEntropyWithLogits()
    net_with_criterion = nn.WithLossCell(net, criterion)
    weights = ParameterTuple(net.trainable_params())
    train = nn.ForwardValueAndGrad(net_with_criterion, weights=weights, get_all=True,
                                   get_by_list=True)
    inputs = Tensor(np.array([[1.0, 2.0]], np.float32))
    labels = Tensor(np.array([[0.0, 1.0]], np.float32))
    loss, ((dx, dlabels), (dw,)) = train(inputs, labels)
    first = nn.ForwardValueAndGrad(net)
    out1, g1 = first(inputs)
    sens = nn.ForwardValueAndGrad(net, sens_param=True)
    out2, g2 = sens(inputs, Tensor(np.array([[0.5, -2.0]], np.float32)))
    return {"loss": loss, "dx": dx, "dlabels": dlabels, "dw": dw, "out1": out1, "g1": g1,
            "out2": out2, "g2": g2}
