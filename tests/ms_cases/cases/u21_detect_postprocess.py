"""Detection post-processing as model-zoo SSD/FasterRCNN code writes it with the old primitive
classes: anchors decoded from predicted deltas (BoundingBoxDecode), boxes checked against the
image (CheckValid), scored boxes suppressed (NMSWithMask, ties included), matched to ground
truth (IOU, both modes) and re-encoded (BoundingBoxEncode); then RoI features pooled with
ROIAlign from a feature map and a small head's loss differentiated with respect to the
features and a weight (GatherV2 picks the kept rows, ops.dense the head)."""
import numpy as np
import mindspore as ms
from mindspore import ops, Tensor

# float32 sums in another order (MindSpore's ROIAlignGrad adds each sample's share in turn,
# ours is two matrix products): one feature gradient of 0.186 differs by 1.8e-5
TOLERANCE = (3e-4, 3e-5)


def run():
    rng = np.random.default_rng(21)
    out = {}
    anchors = np.array([[2, 3, 20, 25], [10, 12, 40, 30], [0, 0, 15, 15], [30, 30, 60, 62],
                        [5, 5, 18, 22], [31, 29, 58, 60]], np.float32)
    deltas = (rng.standard_normal((6, 4)) * 0.3).astype(np.float32)
    decode = ops.BoundingBoxDecode(max_shape=(64, 56), means=(0.0, 0.0, 0.0, 0.0),
                                   stds=(0.1, 0.1, 0.2, 0.2), wh_ratio_clip=0.016)
    boxes = decode(Tensor(anchors), Tensor(deltas))
    out["decoded"] = boxes
    out["valid"] = ops.CheckValid()(boxes, Tensor(np.array([60, 50, 1.0], np.float32)))
    scores = np.array([0.9, 0.6, 0.6, 0.8, 0.6, 0.75], np.float32)
    scored = ops.Concat(1)((boxes, Tensor(scores[:, None])))
    kept_boxes, kept_idx, mask = ops.NMSWithMask(0.3)(scored)
    out["nms_boxes"], out["nms_idx"], out["nms_mask"] = kept_boxes, kept_idx, mask
    gts = Tensor(np.array([[3, 4, 21, 24], [29, 31, 61, 60]], np.float32))
    out["iou"] = ops.IOU()(boxes, gts)
    out["iof"] = ops.IOU(mode="iof")(boxes, gts)
    best = ops.Argmax(axis=0)(out["iou"])
    matched = ops.GatherV2()(gts, best, 0, 0)  # (PyNative: batch_dims given)
    out["encoded"] = ops.BoundingBoxEncode(means=(0.0, 0.0, 0.0, 0.0),
                                           stds=(0.1, 0.1, 0.2, 0.2))(Tensor(anchors), matched)

    feats = Tensor(rng.standard_normal((2, 3, 8, 7)).astype(np.float32))
    rois = Tensor(np.array([[0, 1.5, 2.0, 20.0, 24.0], [1, 10.0, 12.0, 40.0, 30.0],
                            [0, 30.0, 30.0, 55.0, 50.0], [1, 5.0, 5.0, 18.0, 22.0]],
                           np.float32))
    weight = Tensor(rng.standard_normal((5, 12)).astype(np.float32))
    align = ops.ROIAlign(2, 2, 0.125, 2, 1)
    keep = Tensor(np.array([0, 1, 3], np.int32))

    def head(feats, weight):
        pooled = align(feats, rois)
        flat = ops.reshape(ops.GatherV2()(pooled, keep, 0, 0), (3, 12))
        return ops.reduce_sum(ops.tanh(ops.dense(flat, weight)))

    out["pooled"] = align(feats, rois)
    out["loss"], (out["g_feats"], out["g_weight"]) = ops.value_and_grad(head, (0, 1))(
        feats, weight)
    return out
