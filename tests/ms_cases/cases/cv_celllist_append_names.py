"""Parameter names of CellLists of CellLists filled by append after being attached (the
pattern of staged vision models): MindSpore's prefix rule gives names like
0.blocks.1.blocks.0.weight.  The case returns each Parameter's value under a key made of
its name, so names and order are compared with the values."""
import numpy as np
from mindspore import nn, Tensor


class Block(nn.Cell):
    def __init__(self, k):
        super().__init__()
        self.fc = nn.Dense(2, 2)
        self.fc.weight.set_data(Tensor(np.full((2, 2), k, np.float32)))
        self.fc.bias.set_data(Tensor(np.full((2,), -k, np.float32)))


class Stage(nn.Cell):
    def __init__(self, depth, k):
        super().__init__()
        self.blocks = nn.CellList()
        for i in range(depth):
            self.blocks.append(Block(k + i))


class Net(nn.Cell):
    def __init__(self):
        super().__init__()
        self.stem = nn.Dense(2, 2, weight_init="ones", bias_init="zeros")
        self.stages = nn.CellList()
        for i in range(3):
            self.stages.append(Stage(2, 10 * i))
        self.more = nn.CellList([Stage(1, 100), Stage(1, 200)])
        self.seq = nn.SequentialCell([Stage(1, 300)])
        self.seq.append(Stage(1, 400))


def run():
    net = Net()
    out = {}
    for i, p in enumerate(net.trainable_params()):
        out["%02d:%s" % (i, p.name)] = p
    return out
