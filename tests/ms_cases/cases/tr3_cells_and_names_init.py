"""The pix2pix / cyclegan tutorials' weight re-initialization: a loop over
cells_and_names() setting each Conv2d's weight to initializer(Normal(0.02)) under
set_seed. MindSpore walks the Cells depth-first in attribute order, so the seeded draws go
to the Parameters in that order (autograd_st walked breadth-first: the same numbers landed
in other layers)."""
import numpy as np
import mindspore as ms
import mindspore.nn as nn
from mindspore.common import initializer as init


class Block(nn.Cell):
    def __init__(self, cin, cout):
        super().__init__()
        self.features = nn.SequentialCell([nn.Conv2d(cin, cout, 3), nn.BatchNorm2d(cout),
                                           nn.LeakyReLU(0.2)])


class Net(nn.Cell):
    def __init__(self):
        super().__init__()
        self.features = nn.SequentialCell([nn.Conv2d(3, 4, 3), nn.LeakyReLU(0.2), Block(4, 5),
                                           Block(5, 6), nn.Conv2d(6, 2, 3)])
        self.head = Block(2, 3)


def run():
    ms.set_seed(1)
    net = Net()
    order = []
    for name, cell in net.cells_and_names():
        order.append(name)
        if isinstance(cell, nn.Conv2d):
            cell.weight.set_data(init.initializer(init.Normal(0.02), cell.weight.shape))
    out = {p.name: p.asnumpy().astype(np.float64) for p in net.get_parameters()
           if p.name.endswith("weight")}
    out["order_len"] = float(len(order))
    out["order_depth"] = np.array([n.count(".") + (n != "") for n in order], np.float64)
    return out
