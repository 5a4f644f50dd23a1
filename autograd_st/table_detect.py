"""The op-table rows of the detection functionals (``ops.iou``, ``ops.bounding_box_encode``,
``ops.bounding_box_decode``, ``ops.check_valid``), MindSpore 2.10's signatures and defaults
(measured in the side venv), over the primitives of :mod:`autograd_st.rules_detect`; the
primitive classes (``ops.IOU``, ``ops.NMSWithMask``, ``ops.ROIAlign`` ...) are in
``autograd_st.ops.classes_detect``.

Takes: :class:`~autograd_st.op_row.Op`, :data:`~autograd_st.prims.P`.  Gives: :data:`OPS`
and the adapters.
"""
from __future__ import annotations

from . import rules_detect  # noqa: F401  (registers the primitives the rows name)
from .op_row import Op
from .prims import P

__all__ = ["OPS", "iou", "bounding_box_encode", "bounding_box_decode", "check_valid",
           "nms_with_mask", "roi_align"]

_ZERO4, _ONE4 = (0.0, 0.0, 0.0, 0.0), (1.0, 1.0, 1.0, 1.0)


def _floats(values, what, op):
    if not isinstance(values, (tuple, list)) or len(values) != 4:
        raise TypeError("For '%s', '%s' must be a tuple of 4 numbers, but got %r"
                        % (op, what, values))
    return tuple(float(v) for v in values)


def iou(anchor_boxes, gt_boxes, mode="iou"):
    """MindSpore's ``ops.iou(anchor_boxes, gt_boxes, mode='iou')``: ``(M, N)`` overlaps of the
    ``M`` gt boxes and ``N`` anchors (``(x0, y0, x1, y1)``, pixel areas ``(x1 - x0 + 1) (y1 -
    y0 + 1)``) over their union, or over the gt box's area (``'iof'``).  No gradient (zero,
    as MindSpore's)."""
    if mode not in ("iou", "iof"):
        raise ValueError("For 'IOU', the 'mode' must be 'iou' or 'iof', but got %r" % (mode,))
    return P.iou(anchor_boxes, gt_boxes, mode)


def bounding_box_encode(anchor_box, groundtruth_box, means=_ZERO4, stds=_ONE4):
    """MindSpore's ``ops.bounding_box_encode(anchor_box, groundtruth_box, means=(0, 0, 0, 0),
    stds=(1, 1, 1, 1))``: each ground-truth box's deltas from its anchor, ``((gx - px) / pw,
    (gy - py) / ph, log(gw / pw), log(gh / ph))`` (centres, sizes ``x1 - x0 + 1``), less
    ``means``, over ``stds``.  A gradient through it is refused, as MindSpore raises."""
    return P.bbox_encode(anchor_box, groundtruth_box, _floats(means, "means",
                                                              "BoundingBoxEncode"),
                         _floats(stds, "stds", "BoundingBoxEncode"))


def bounding_box_decode(anchor_box, deltas, max_shape, means=_ZERO4, stds=_ONE4,
                        wh_ratio_clip=0.016):
    """MindSpore's ``ops.bounding_box_decode(anchor_box, deltas, max_shape, means, stds,
    wh_ratio_clip=0.016)``: the boxes ``deltas`` make of the anchors (the inverse of
    encoding, size deltas clipped to ``|log(wh_ratio_clip)|``), x clipped to ``[0,
    max_shape[1]]`` and y to ``[0, max_shape[0]]``.  A gradient through it is refused."""
    if not isinstance(max_shape, (tuple, list)) or len(max_shape) != 2:
        raise TypeError("For 'BoundingBoxDecode', 'max_shape' must be a tuple of 2 numbers, "
                        "but got %r" % (max_shape,))
    return P.bbox_decode(anchor_box, deltas, tuple(max_shape),
                         _floats(means, "means", "BoundingBoxDecode"),
                         _floats(stds, "stds", "BoundingBoxDecode"), float(wh_ratio_clip))


def check_valid(bboxes, img_metas):
    """MindSpore's ``ops.check_valid(bboxes, img_metas)``: whether each box ``(x0, y0, x1,
    y1)`` lies in the image of ``img_metas = (height, width, ratio)``: ``x0 >= 0``, ``y0 >=
    0``, ``x1 <= width ratio - 1``, ``y1 <= height ratio - 1`` (bool, measured on 2.10)."""
    return P.check_valid(bboxes, img_metas)


def nms_with_mask(bboxes, iou_threshold=0.5):
    """MindSpore's ``ops.NMSWithMask(iou_threshold)(bboxes)`` on CPU: ``(boxes sorted by
    score, highest first, in its bitonic sort's order; arange(N) int32; the kept mask)``."""
    boxes = P.nms_sorted(bboxes)
    return boxes, P.nms_index(bboxes), P.nms_mask(boxes, float(iou_threshold))


def roi_align(features, rois, pooled_height, pooled_width, spatial_scale, sample_num=2,
              roi_end_mode=1):
    """MindSpore's ``ops.ROIAlign(pooled_height, pooled_width, spatial_scale, sample_num=2,
    roi_end_mode=1)(features, rois)``; its gradient goes to the features only."""
    return P.roi_align(features, P.stop_gradient(rois), int(pooled_height), int(pooled_width),
                       float(spatial_scale), int(sample_num), int(roi_end_mode))


#: the rows (see :mod:`autograd_st.op_table`).
OPS: tuple[Op, ...] = (
    Op("iou", fn=iou, ops=("iou",)),
    Op("bbox_encode", fn=bounding_box_encode, ops=("bounding_box_encode",)),
    Op("bbox_decode", fn=bounding_box_decode, ops=("bounding_box_decode",)),
    Op("check_valid", fn=check_valid, ops=("check_valid",)),
)
