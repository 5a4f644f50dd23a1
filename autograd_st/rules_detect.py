"""Primitives of the detection ops (``ops.IOU``, ``ops.NMSWithMask``,
``ops.BoundingBoxEncode`` / ``BoundingBoxDecode``, ``ops.CheckValid``, ``ops.ROIAlign``),
registered in the one registry of :mod:`autograd_st.rules`, with MindSpore 2.10's gradients:

- ``iou``, ``check_valid``, ``nms_index``, ``nms_mask``: no gradient (``diff=()``;
  MindSpore's IOU and CheckValid give zeros; the NMS index and mask are ints and booleans);
- ``bbox_encode``, ``bbox_decode``, ``nms_sorted``: refused, as MindSpore 2.10 raises
  ("Illegal primitive BoundingBoxEncode's bprop not defined", measured; NMSWithMask's too);
- ``roi_align``: linear in the features, its reverse rule ``roi_align_grad`` (whose own rule
  is ``roi_align``: each the other's adjoint, so every order is written); the RoIs get no
  gradient, as in MindSpore.

Takes: the kernels of :mod:`autograd_st.kernels_detect`.  Gives: the primitives
(:data:`DETECT_PRIMITIVES`).
"""
from __future__ import annotations

from .kernels_detect import (
    bbox_decode,
    bbox_encode,
    check_valid,
    iou,
    nms_index,
    nms_mask,
    nms_sorted,
    roi_align,
    roi_align_grad,
)
from .rules import jvp, primitive, vjp

__all__ = ["DETECT_PRIMITIVES"]

_NO_BPROP = ("a gradient through ops.%s: MindSpore 2.10 defines none (its gradient raises "
             "\"Illegal primitive %s's bprop not defined\"); pass the boxes through "
             "ops.stop_gradient first")


@primitive(name="iou", diff=())
def iou_(anchor_boxes, gt_boxes, mode="iou"):
    return iou(anchor_boxes, gt_boxes, mode)


@primitive(name="check_valid", diff=())
def check_valid_(bboxes, img_metas):
    return check_valid(bboxes, img_metas)


@primitive(name="nms_index", diff=())
def nms_index_(bboxes):
    return nms_index(bboxes)


@primitive(name="nms_sorted", diff=("bboxes",),
           refused=_NO_BPROP % ("NMSWithMask", "NMSWithMask"))
def nms_sorted_(bboxes):
    return nms_sorted(bboxes)


@primitive(name="nms_mask", diff=())
def nms_mask_(sorted_boxes, iou_threshold=0.5):
    return nms_mask(sorted_boxes, iou_threshold)


@primitive(name="bbox_encode", diff=("anchor_box", "groundtruth_box"),
           refused=_NO_BPROP % ("BoundingBoxEncode", "BoundingBoxEncode"))
def bbox_encode_(anchor_box, groundtruth_box, means=(0.0, 0.0, 0.0, 0.0),
                 stds=(1.0, 1.0, 1.0, 1.0)):
    return bbox_encode(anchor_box, groundtruth_box, means, stds)


@primitive(name="bbox_decode", diff=("anchor_box", "deltas"),
           refused=_NO_BPROP % ("BoundingBoxDecode", "BoundingBoxDecode"))
def bbox_decode_(anchor_box, deltas, max_shape=(1, 1), means=(0.0, 0.0, 0.0, 0.0),
                 stds=(1.0, 1.0, 1.0, 1.0), wh_ratio_clip=0.016):
    return bbox_decode(anchor_box, deltas, max_shape, means, stds, wh_ratio_clip)


@primitive(name="roi_align", diff=("x",))
def roi_align_(x, rois, pooled_height=1, pooled_width=1, spatial_scale=1.0, sample_num=2,
               roi_end_mode=1):
    return roi_align(x, rois, pooled_height, pooled_width, spatial_scale, sample_num,
                     roi_end_mode)


@vjp(roi_align_)
def _(dout, out, x, rois, pooled_height, pooled_width, spatial_scale, sample_num,
      roi_end_mode):
    return (roi_align_grad(dout, rois, x, pooled_height, pooled_width, spatial_scale,
                           sample_num, roi_end_mode),)


@jvp(roi_align_)
def _(out, x, rois, pooled_height, pooled_width, spatial_scale, sample_num, roi_end_mode,
      dx):
    return (roi_align(dx, rois, pooled_height, pooled_width, spatial_scale, sample_num,
                      roi_end_mode),)


@primitive(name="roi_align_grad", diff=("dy",))
def roi_align_grad_(dy, rois, like, pooled_height=1, pooled_width=1, spatial_scale=1.0,
                    sample_num=2, roi_end_mode=1):
    return roi_align_grad(dy, rois, like, pooled_height, pooled_width, spatial_scale,
                          sample_num, roi_end_mode)


@vjp(roi_align_grad_)
def _(dout, out, dy, rois, like, pooled_height, pooled_width, spatial_scale, sample_num,
      roi_end_mode):
    return (roi_align(dout, rois, pooled_height, pooled_width, spatial_scale, sample_num,
                      roi_end_mode),)


@jvp(roi_align_grad_)
def _(out, dy, rois, like, pooled_height, pooled_width, spatial_scale, sample_num,
      roi_end_mode, ddy):
    return (roi_align_grad(ddy, rois, like, pooled_height, pooled_width, spatial_scale,
                           sample_num, roi_end_mode),)


DETECT_PRIMITIVES = ("iou", "check_valid", "nms_index", "nms_sorted", "nms_mask", "bbox_encode",
                     "bbox_decode", "roi_align", "roi_align_grad")
"""The primitives this module registers."""
