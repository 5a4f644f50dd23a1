"""MindSpore's detection primitive classes (``ops.IOU``, ``ops.NMSWithMask``,
``ops.BoundingBoxEncode``, ``ops.BoundingBoxDecode``, ``ops.CheckValid``, ``ops.ROIAlign``)
with MindSpore 2.10's constructor signatures and defaults: each instance is a constant to the
compiler, its call a function of :mod:`autograd_st.table_detect` (over the primitives of
:mod:`autograd_st.rules_detect`).

Takes: :class:`~autograd_st.ops.primitive_base.Primitive` and the adapters of
:mod:`autograd_st.table_detect`.  Gives: the classes (``operations`` publishes them).
"""
from __future__ import annotations

from .. import table_detect
from .primitive_base import Primitive

__all__ = ["IOU", "NMSWithMask", "BoundingBoxEncode", "BoundingBoxDecode", "CheckValid",
           "ROIAlign"]


class IOU(Primitive):
    """MindSpore's ``ops.IOU(mode='iou')``: ``op(anchor_boxes (N, 4), gt_boxes (M, 4))`` is
    ``ops.iou``'s ``(M, N)``."""

    def __init__(self, mode="iou") -> None:
        if mode not in ("iou", "iof"):
            raise ValueError("For 'IOU', the 'mode' must be 'iou' or 'iof', but got %r"
                             % (mode,))
        self.mode = mode

    def __call__(self, anchor_boxes, gt_boxes):
        return table_detect.iou(anchor_boxes, gt_boxes, self.mode)


class NMSWithMask(Primitive):
    """MindSpore's ``ops.NMSWithMask(iou_threshold=0.5)``: ``op(bboxes (N, 5))`` is
    ``(output_boxes, output_idx, selected_mask)`` as its CPU kernel gives them: the boxes
    sorted by score (column 4), highest first (equal scores in its bitonic sort's order);
    ``arange(N)`` int32; which boxes survive suppression (a later box goes when its overlap
    over union with a kept earlier one, areas ``(x1 - x0) (y1 - y0)``, is above the
    threshold).  A gradient through the boxes is refused, as MindSpore raises."""

    def __init__(self, iou_threshold=0.5) -> None:
        if isinstance(iou_threshold, bool) or not isinstance(iou_threshold, (int, float)):
            raise TypeError("For 'NMSWithMask', the 'iou_threshold' must be a float, but got "
                            "%r" % (iou_threshold,))
        self.iou_threshold = float(iou_threshold)

    def __call__(self, bboxes):
        return table_detect.nms_with_mask(bboxes, self.iou_threshold)


class BoundingBoxEncode(Primitive):
    """MindSpore's ``ops.BoundingBoxEncode(means=(0.0, 0.0, 0.0, 0.0), stds=(1.0, 1.0, 1.0,
    1.0))``: ``op(anchor_box, groundtruth_box)`` is ``ops.bounding_box_encode``."""

    def __init__(self, means=(0.0, 0.0, 0.0, 0.0), stds=(1.0, 1.0, 1.0, 1.0)) -> None:
        self.means, self.stds = tuple(means), tuple(stds)

    def __call__(self, anchor_box, groundtruth_box):
        return table_detect.bounding_box_encode(anchor_box, groundtruth_box, self.means,
                                                self.stds)


class BoundingBoxDecode(Primitive):
    """MindSpore's ``ops.BoundingBoxDecode(max_shape, means=(0.0, 0.0, 0.0, 0.0), stds=(1.0,
    1.0, 1.0, 1.0), wh_ratio_clip=0.016)``: ``op(anchor_box, deltas)`` is
    ``ops.bounding_box_decode``."""

    def __init__(self, max_shape, means=(0.0, 0.0, 0.0, 0.0), stds=(1.0, 1.0, 1.0, 1.0),
                 wh_ratio_clip=0.016) -> None:
        self.max_shape, self.means, self.stds = tuple(max_shape), tuple(means), tuple(stds)
        self.wh_ratio_clip = float(wh_ratio_clip)

    def __call__(self, anchor_box, deltas):
        return table_detect.bounding_box_decode(anchor_box, deltas, self.max_shape,
                                                self.means, self.stds, self.wh_ratio_clip)


class CheckValid(Primitive):
    """MindSpore's ``ops.CheckValid()``: ``op(bboxes, img_metas)`` is ``ops.check_valid``."""

    def __init__(self) -> None:
        pass

    def __call__(self, bboxes, img_metas):
        return table_detect.check_valid(bboxes, img_metas)


class ROIAlign(Primitive):
    """MindSpore's ``ops.ROIAlign(pooled_height, pooled_width, spatial_scale, sample_num=2,
    roi_end_mode=1)``: ``op(features (N, C, H, W), rois (R, 5))`` is ``(R, C, pooled_height,
    pooled_width)``, each bin the mean of ``sample_num``^2 bilinear samples (``sample_num``
    <= 0: ``floor(bin size)`` per axis, a bin with none is NaN), a RoI row ``(image, x0, y0,
    x1, y1)`` scaled by ``spatial_scale`` (``roi_end_mode`` 1: its end shifted by +1 first;
    0: the RoI at least 1 x 1).  Differentiable in the features (the RoIs get none, as in
    MindSpore).  Differs: MindSpore 2.10's gradient always uses ``roi_end_mode=1`` (its CPU
    ROIAlignGrad hard-codes it, measured), so with ``roi_end_mode=0`` it is not its
    forward's derivative; here it is (checked by finite differences)."""

    def __init__(self, pooled_height, pooled_width, spatial_scale, sample_num=2,
                 roi_end_mode=1) -> None:
        for name, value in (("pooled_height", pooled_height), ("pooled_width", pooled_width),
                            ("sample_num", sample_num), ("roi_end_mode", roi_end_mode)):
            if isinstance(value, bool) or not isinstance(value, int):
                raise TypeError("For 'ROIAlign', '%s' must be an int, but got %r"
                                % (name, value))
        if roi_end_mode not in (0, 1):
            raise ValueError("For 'ROIAlign', 'roi_end_mode' must be 0 or 1, but got %r"
                             % (roi_end_mode,))
        if not isinstance(spatial_scale, float):
            raise TypeError("For 'ROIAlign', 'spatial_scale' must be a float, but got %r"
                            % (spatial_scale,))
        self.pooled_height, self.pooled_width = pooled_height, pooled_width
        self.spatial_scale, self.sample_num = spatial_scale, sample_num
        self.roi_end_mode = roi_end_mode

    def __call__(self, features, rois):
        return table_detect.roi_align(features, rois, self.pooled_height, self.pooled_width,
                                      self.spatial_scale, self.sample_num, self.roi_end_mode)
