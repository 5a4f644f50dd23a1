"""A message-passing GNN layer and a pointer-style decoder the way MindSpore code writes them:
node features gathered along edges (ops.gather), messages summed per target node with
ops.unsorted_segment_sum, ops.GatherNd picking (batch, position) pairs, ops.ScatterNd and
ops.tensor_scatter_add writing into zeros and into a tensor (repeated coordinates accumulate),
ops.sequence_mask for lengths, ops.Identity, nn.MatMul(transpose_x2=True), nn.ClipByNorm and
Tensor.from_numpy: the value and the gradients w.r.t. the inputs and every weight."""
import numpy as np
import mindspore as ms
from mindspore import nn, ops, Tensor


class GraphLayer(nn.Cell):
    def __init__(self, dim):
        super().__init__()
        self.msg = nn.Dense(dim, dim)
        self.upd = nn.Dense(2 * dim, dim, activation='relu')
        self.matmul = nn.MatMul(transpose_x2=True)
        self.gather_nd = ops.GatherNd()
        self.scatter_nd = ops.ScatterNd()
        self.identity = ops.Identity()
        self.clip = nn.ClipByNorm()

    def construct(self, h, src, dst, picks, lengths):
        m = self.msg(ops.gather(h, src, 0))
        agg = ops.unsorted_segment_sum(m, dst, 5)
        h2 = self.upd(ops.concat((h, agg), axis=1))
        scores = self.matmul(h2, h)
        seq = h2.reshape((1, 5, 4)).broadcast_to((2, 5, 4))
        picked = self.gather_nd(seq, picks)
        mask = ops.sequence_mask(lengths, 5).astype(ms.float32)
        placed = self.scatter_nd(picks, picked * 2.0, (2, 5, 4))
        bumped = ops.tensor_scatter_add(seq, picks, picked)
        clipped = self.clip(self.identity(h2), Tensor(1.5, ms.float32))
        return (scores.sum() + (picked * picked).sum() + (placed.sum(-1) * mask).sum()
                + (bumped * bumped).mean() + (clipped * clipped).sum())


def run():
    rng = np.random.RandomState(59)
    net = GraphLayer(4)
    for _, p in net.parameters_and_names():
        p.set_data(Tensor(rng.uniform(-0.6, 0.6, p.shape).astype(np.float32)))
    h = Tensor.from_numpy(rng.standard_normal((5, 4)).astype(np.float32))
    src = Tensor(np.array([0, 1, 2, 3, 4, 0, 2], np.int32))
    dst = Tensor(np.array([1, 2, 3, 4, 0, 2, 2], np.int32))
    picks = Tensor(np.array([[0, 1], [1, 3], [0, 1], [1, 0]], np.int32))
    lengths = Tensor(np.array([3, 5], np.int32))
    params = net.trainable_params()
    gh, gw = ops.grad(net, 0, params)(h, src, dst, picks, lengths)
    out = {"value": net(h, src, dst, picks, lengths), "gh": gh}
    for p, g in zip(params, gw):
        out["grad_" + p.name] = g
    out["segment_sum_2d"] = ops.unsorted_segment_sum(
        h[:4].reshape((2, 2, 4)), Tensor(np.array([[0, 2], [2, 1]], np.int32)), 3)
    out["mask_default"] = ops.sequence_mask(lengths).astype(ms.int32)
    out["scatter_repeat"] = ops.scatter_nd(Tensor(np.array([[1], [3], [1]], np.int32)),
                                           Tensor(np.array([1.0, 2.0, 3.0], np.float32)), (5,))
    return out
