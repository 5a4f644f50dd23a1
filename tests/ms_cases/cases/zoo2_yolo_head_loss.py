"""A YOLO-style detection head and loss as the zoo writes it: a 1x1 Conv2d head reshaped to
(batch, anchors, 5 + classes, H, W) and transposed, grid offsets from ops.meshgrid, box decode
with ops.sigmoid / ops.exp and anchors, an IoU between decoded and ground-truth boxes with
ops.maximum / ops.minimum and clamp, ops.Split / ops.Concat, an ignore mask from
ops.ReduceMax over IoUs and ops.Select, nn.BCEWithLogitsLoss(reduction='none') for objectness
and classes, a GIoU-free box loss with ops.square; loss and gradients w.r.t. the features
and every weight."""
import numpy as np
import mindspore as ms
from mindspore import nn, ops, Tensor


class YoloHead(nn.Cell):
    def __init__(self, in_ch=4, anchors=2, classes=3):
        super().__init__()
        self.na, self.nc = anchors, classes
        self.conv = nn.Conv2d(in_ch, anchors * (5 + classes), 1, has_bias=True)
        self.anchors = Tensor(np.array([[1.0, 1.5], [2.0, 1.0]], np.float32))
        self.split = ops.Split(axis=-1, output_num=4)
        self.concat = ops.Concat(axis=-1)
        self.reduce_max = ops.ReduceMax(keep_dims=True)
        self.bce = nn.BCEWithLogitsLoss(reduction='none')
        self.select = ops.Select()

    def construct(self, feat, gt_box, obj_mask, cls_target):
        b, _, h, w = feat.shape
        p = self.conv(feat).reshape((b, self.na, 5 + self.nc, h, w)).transpose(0, 1, 3, 4, 2)
        gy, gx = ops.meshgrid(ops.arange(h).astype(ms.float32),
                              ops.arange(w).astype(ms.float32), indexing='ij')
        grid = ops.stack((gx, gy), axis=-1).reshape((1, 1, h, w, 2))
        xy = (ops.sigmoid(p[..., :2]) + grid) / Tensor(np.array([w, h], np.float32))
        wh = ops.exp(ops.clamp(p[..., 2:4], max=4.0)) * self.anchors.reshape((1, self.na, 1, 1, 2)) / 4.0
        box = self.concat((xy - wh / 2, xy + wh / 2))
        x1, y1, x2, y2 = self.split(box)
        gx1, gy1, gx2, gy2 = self.split(gt_box)
        iw = ops.clamp(ops.minimum(x2, gx2) - ops.maximum(x1, gx1), min=0.0)
        ih = ops.clamp(ops.minimum(y2, gy2) - ops.maximum(y1, gy1), min=0.0)
        inter = iw * ih
        union = (x2 - x1) * (y2 - y1) + (gx2 - gx1) * (gy2 - gy1) - inter
        iou = (inter / (union + 1e-7)).squeeze(-1)
        best = self.reduce_max(iou, 1)
        ignore = self.select(best > 0.3, ops.zeros_like(best), ops.ones_like(best))
        conf = p[..., 4]
        obj_loss = obj_mask * self.bce(conf, obj_mask) \
            + (1 - obj_mask) * ignore * self.bce(conf, obj_mask)
        cls_loss = obj_mask.expand_dims(-1) * self.bce(p[..., 5:], cls_target)
        box_loss = obj_mask * ops.square(1.0 - iou)
        return obj_loss.sum() / b + cls_loss.sum() / b + box_loss.sum() / b, iou


def run():
    net = YoloHead()
    rng = np.random.RandomState(89)
    for _, p in net.parameters_and_names():
        p.set_data(Tensor(rng.uniform(-0.5, 0.5, p.shape).astype(np.float32)))
    feat = Tensor(rng.standard_normal((2, 4, 3, 3)).astype(np.float32))
    c = rng.uniform(0.2, 0.8, (2, 2, 3, 3, 2))
    s = rng.uniform(0.1, 0.4, (2, 2, 3, 3, 2))
    gt = Tensor(np.concatenate([c - s / 2, c + s / 2], -1).astype(np.float32))
    obj = Tensor((rng.uniform(size=(2, 2, 3, 3)) > 0.6).astype(np.float32))
    cls = Tensor(np.eye(3, dtype=np.float32)[rng.randint(0, 3, (2, 2, 3, 3))])
    params = net.trainable_params()

    def loss(feat):
        return net(feat, gt, obj, cls)[0]

    value, iou = net(feat, gt, obj, cls)
    gf, gw = ms.grad(loss, 0, params)(feat)
    out = {"loss": value, "iou": iou, "gfeat": gf}
    for p, g in zip(params, gw):
        out["grad_" + p.name] = g
    return out
