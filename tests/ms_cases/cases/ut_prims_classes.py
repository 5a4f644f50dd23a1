"""P.Select, P.Conv2D (mode, pad_mode, pad, stride, dilation, group as test_framstruct.py's
ConvNet), P.BiasAdd, P.Split and P.Print: values eagerly and gradients under GradOperation
(follows ops/test_grad.py::test_select_grad, test_framstruct.py::test_while_net,
test_stop_gradient.py::test_stop_print)."""
import numpy as np
import mindspore as ms
from mindspore import Tensor, nn, ops, Parameter
from mindspore.ops import operations as P


class ConvNet(nn.Cell):
    def __init__(self, pad_mode, pad, stride, dilation, group):
        super().__init__()
        self.conv = P.Conv2D(4, 3, mode=1, pad_mode=pad_mode, pad=pad, stride=stride,
                             dilation=dilation, group=group)
        w = np.linspace(-1, 1, 4 * (4 // group) * 9).reshape(4, 4 // group, 3, 3)
        self.w = Parameter(Tensor(w.astype(np.float32)), name='w')
        self.bias_add = P.BiasAdd()
        self.b = Parameter(Tensor(np.array([0.5, -1.0, 2.0, 0.0], np.float32)), name='b')
        self.printm = P.Print()

    def construct(self, x):
        y = self.bias_add(self.conv(x, self.w), self.b)
        self.printm("conv out", y)
        return y * y


def run():
    out = {}
    grad_all = ops.GradOperation(get_all=True)
    grad_sens = ops.GradOperation(get_all=True, sens_param=True)
    select = P.Select()
    cond = Tensor(np.array([[True, False, False], [False, True, True]]))
    x = Tensor(np.array([[1, 2, 3], [4, 5, 6]]).astype(np.float32))
    y = Tensor(np.array([[7, 8, 9], [10, 11, 12]]).astype(np.float32))

    def fsel(c, a, b):
        return select(c, a, b) * a

    sens = Tensor(np.array([[1, 2, 3], [0.5, -1, 2]], np.float32))
    out["select"] = fsel(cond, x, y)
    g = grad_sens(fsel)(cond, x, y, sens)
    out["select_dx"], out["select_dy"] = g[1], g[2]
    z = Tensor(np.linspace(-2, 2, 2 * 4 * 7 * 7).reshape(2, 4, 7, 7).astype(np.float32))
    for tag, args in [("pad", ("pad", 1, 1, 2, 1)), ("pad4", ("pad", (1, 0, 2, 1), 2, 1, 2)),
                      ("same", ("same", 0, 2, 1, 1)), ("valid", ("valid", 0, 1, 1, 4))]:
        net = ConvNet(*args)
        out["conv_" + tag] = net(z)
        gw = ops.GradOperation(get_all=True, get_by_list=True)(net, net.trainable_params())(z)
        out["conv_%s_dz" % tag], out["conv_%s_dw" % tag] = gw[0][0], gw[1][0]
        out["conv_%s_db" % tag] = gw[1][1]
    bias_add = P.BiasAdd()
    b = Tensor(np.array([0.5, -1., 2.], np.float32))
    x4 = Tensor(np.linspace(-1, 1, 2 * 3 * 2 * 2).reshape(2, 3, 2, 2).astype(np.float32))
    gb = grad_all(lambda a, bb: bias_add(a, bb) * bias_add(a, bb))(x4, b)
    out["biasadd4_dx"], out["biasadd4_db"] = gb
    split = P.Split(1, 3)
    split0 = P.Split(axis=0, output_num=2)

    def fsplit(a):
        r = split(a)
        s = split0(a)
        return r[0] * 2 + r[2] * r[1] + s[1].sum() * s[0]

    out["split"] = fsplit(x)
    out["split_dx"] = grad_all(fsplit)(x)[0]
    return out
