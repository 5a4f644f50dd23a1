"""A checkpoint of the new layers, saved and loaded into a net built with other initial values
(save_checkpoint, load_checkpoint, load_param_into_net): nothing left unloaded, every
parameter (names as MindSpore gives them: bn.bn2d.moving_mean, td.layer.weight, cdict.a.weight,
ssim.conv.weight ...) and the forward output after loading."""
import os
import tempfile

import numpy as np
import mindspore as ms
from mindspore import nn, Tensor


class Net(nn.Cell):
    def __init__(self, seed):
        super().__init__()
        rs = np.random.RandomState(seed)

        def t(*shape):
            return Tensor(rs.randn(*shape).astype(np.float32))
        self.conv = nn.Conv3d(2, 3, 2, has_bias=True, weight_init=t(3, 2, 2, 2, 2),
                              bias_init=t(3))
        self.bn = nn.BatchNorm3d(3, gamma_init=t(3), beta_init=t(3), moving_mean_init=t(3),
                                 moving_var_init=Tensor(rs.rand(3).astype(np.float32) + 0.5))
        self.convt = nn.Conv3dTranspose(3, 2, 2, stride=2, has_bias=True,
                                        weight_init=t(3, 2, 2, 2, 2), bias_init=t(2))
        self.inorm = nn.InstanceNorm2d(4, gamma_init=t(4), beta_init=t(4))
        self.bidense = nn.BiDense(3, 2, 4, weight_init=t(4, 3, 2), bias_init=t(4))
        self.emb = nn.EmbeddingLookup(5, 2, param_init=t(5, 2))
        self.td = nn.TimeDistributed(nn.Dense(2, 3, weight_init=t(3, 2), bias_init=t(3)), 1)
        self.cdict = nn.CellDict({"a": nn.Dense(3, 1, weight_init=t(1, 3), bias_init=t(1))})
        self.ssim = nn.SSIM(filter_size=3)

    def construct(self, x):
        return self.convt(self.bn(self.conv(x)))


def run():
    a, b = Net(0), Net(1)
    a.set_train(False)
    b.set_train(False)
    path = os.path.join(tempfile.mkdtemp(), "nnl.ckpt")
    ms.save_checkpoint(a, path)
    not_loaded = ms.load_param_into_net(b, ms.load_checkpoint(path))
    if isinstance(not_loaded, tuple):
        not_loaded = not_loaded[0]
    out = {"not_loaded": len(not_loaded), "count": len(list(b.get_parameters()))}
    for p in b.get_parameters():
        out[p.name] = p
    x = Tensor(np.random.RandomState(2).randn(1, 2, 3, 3, 3).astype(np.float32))
    out["forward"] = b(x)
    out["forward_same"] = float(np.abs((a(x) - b(x)).asnumpy()).max())
    return out
