"""Numpy kernels behind the detection primitives of :mod:`autograd_st.rules_detect`
(``ops.IOU``, ``ops.NMSWithMask``, ``ops.BoundingBoxEncode`` / ``BoundingBoxDecode``,
``ops.CheckValid``, ``ops.ROIAlign``), each computing what MindSpore 2.10's CPU kernel
computes, in the input's dtype (measured in the side venv; the figures are in
``tests/test_detection_ops.py``).

Takes: numpy.  Gives: the kernels.

``roi_align`` is linear in the features and separable: each RoI's bin is an average of
bilinear samples whose weight is a product of a row weight and a column weight, so the
output of RoI ``r`` is ``Ay[r] @ x[batch[r]] @ Ax[r].T`` with two small matrices
(``roi_align_matrices``); its adjoint (``roi_align_grad``) is ``Ay[r].T @ dy[r] @ Ax[r]``
summed into the RoI's image.
"""
from __future__ import annotations

import numpy as np

from .kernels import _tag

__all__ = ["iou", "bbox_encode", "bbox_decode", "check_valid", "nms_order", "nms_sorted",
           "nms_index", "nms_mask",
           "roi_align_matrices", "roi_align", "roi_align_grad"]

_EPS = 1e-10  # MindSpore's IOU: overlap / (union + 1e-10)
_ROI_EPS = 0.00007  # MindSpore's ROIAlign: its batch index rint(x + eps), the y/x <= eps floor


def _corners(boxes):
    return boxes[..., 0], boxes[..., 1], boxes[..., 2], boxes[..., 3]


@_tag("iou")
def iou(anchor_boxes, gt_boxes, mode="iou"):
    """``(M, N)``: the overlap of ``gt_boxes[m]`` and ``anchor_boxes[n]`` over their union
    (``'iou'``) or over the gt box's area (``'iof'``), pixel areas ``(x1 - x0 + 1) (y1 - y0 +
    1)`` as MindSpore's."""
    dtype = np.result_type(anchor_boxes, gt_boxes)
    a = np.asarray(anchor_boxes, dtype)[None, :, :]
    g = np.asarray(gt_boxes, dtype)[:, None, :]
    one = dtype.type(1)
    ax0, ay0, ax1, ay1 = _corners(a)
    gx0, gy0, gx1, gy1 = _corners(g)
    w = np.maximum(dtype.type(0), np.minimum(ax1, gx1) - np.maximum(ax0, gx0) + one)
    h = np.maximum(dtype.type(0), np.minimum(ay1, gy1) - np.maximum(ay0, gy0) + one)
    overlap = w * h
    area_g = (gx1 - gx0 + one) * (gy1 - gy0 + one)
    if mode == "iof":
        return (overlap / (area_g + dtype.type(_EPS))).astype(dtype)
    area_a = (ax1 - ax0 + one) * (ay1 - ay0 + one)
    return (overlap / (area_a + area_g - overlap + dtype.type(_EPS))).astype(dtype)


def _centres(boxes, one):
    x0, y0, x1, y1 = _corners(boxes)
    half = boxes.dtype.type(0.5)
    return (x0 + x1) * half, (y0 + y1) * half, x1 - x0 + one, y1 - y0 + one


@_tag("bbox_encode")
def bbox_encode(anchor_box, groundtruth_box, means=(0.0, 0.0, 0.0, 0.0),
                stds=(1.0, 1.0, 1.0, 1.0)):
    """The deltas ``((gx - px) / pw, (gy - py) / ph, log(gw / pw), log(gh / ph))`` of each
    ground-truth box from its anchor (centres and ``x1 - x0 + 1`` sizes), less ``means``,
    over ``stds``."""
    dtype = np.result_type(anchor_box, groundtruth_box)
    one = dtype.type(1)
    px, py, pw, ph = _centres(np.asarray(anchor_box, dtype), one)
    gx, gy, gw, gh = _centres(np.asarray(groundtruth_box, dtype), one)
    with np.errstate(divide="ignore", invalid="ignore"):
        d = np.stack([(gx - px) / pw, (gy - py) / ph, np.log(gw / pw), np.log(gh / ph)], -1)
    return ((d - np.asarray(means, dtype)) / np.asarray(stds, dtype)).astype(dtype)


@_tag("bbox_decode")
def bbox_decode(anchor_box, deltas, max_shape, means=(0.0, 0.0, 0.0, 0.0),
                stds=(1.0, 1.0, 1.0, 1.0), wh_ratio_clip=0.016):
    """The boxes ``deltas`` (times ``stds`` plus ``means``; the size deltas clipped to
    ``|log(wh_ratio_clip)|``) make of each anchor: ``(gx -+ gw / 2 +- 0.5, ...)``, x clipped
    to ``[0, max_shape[1]]`` and y to ``[0, max_shape[0]]``."""
    dtype = np.result_type(anchor_box, deltas)
    one, half = dtype.type(1), dtype.type(0.5)
    d = np.asarray(deltas, dtype) * np.asarray(stds, dtype) + np.asarray(means, dtype)
    limit = dtype.type(abs(np.log(wh_ratio_clip)))
    dw, dh = np.clip(d[..., 2], -limit, limit), np.clip(d[..., 3], -limit, limit)
    px, py, pw, ph = _centres(np.asarray(anchor_box, dtype), one)
    gx, gy = px + pw * d[..., 0], py + ph * d[..., 1]
    gw, gh = pw * np.exp(dw), ph * np.exp(dh)
    zero = dtype.type(0)
    h_max, w_max = dtype.type(max_shape[0]), dtype.type(max_shape[1])
    x0 = np.clip(gx - gw * half + half, zero, w_max)
    y0 = np.clip(gy - gh * half + half, zero, h_max)
    x1 = np.clip(gx + gw * half - half, zero, w_max)
    y1 = np.clip(gy + gh * half - half, zero, h_max)
    return np.stack([x0, y0, x1, y1], -1).astype(dtype)


@_tag("check_valid")
def check_valid(bboxes, img_metas):
    """Whether each box starts at or after 0 and ends inside the image of ``img_metas = (h,
    w, ratio)``: ``x1 <= w ratio - 1``, ``y1 <= h ratio - 1`` (a bool array ``(N,)``)."""
    dtype = np.result_type(bboxes, img_metas)
    b = np.asarray(bboxes, dtype)
    m = np.asarray(img_metas, dtype)
    one = dtype.type(1)
    x0, y0, x1, y1 = _corners(b)
    return (x0 >= 0) & (y0 >= 0) & (x1 <= m[1] * m[2] - one) & (y1 <= m[0] * m[2] - one)


def nms_order(bboxes):
    """The order MindSpore's CPU NMSWithMask puts the boxes in: its bitonic sort of the
    scores (column 4) ascending over a power-of-two buffer padded with the dtype's largest
    value, read backwards from the last real box (equal scores come out in the order this
    sort leaves them, which is not the input's)."""
    scores = np.asarray(bboxes)[:, 4]
    n = scores.shape[0]
    size = 1
    while size < n:
        size <<= 1
    data = np.full(size, np.finfo(scores.dtype).max, scores.dtype)
    data[:n] = scores
    index = np.arange(size)
    tid = np.arange(size)
    i = 2
    while i <= size:
        j = i >> 1
        while j > 0:
            comp = tid ^ j
            first = tid[comp > tid]
            second = first ^ j
            up = (first & i) == 0
            swap = np.where(up, data[first] > data[second], data[first] < data[second])
            a, b = first[swap], second[swap]
            data[a], data[b] = data[b], data[a].copy()
            index[a], index[b] = index[b], index[a].copy()
            j >>= 1
        i <<= 1
    return index[:n][::-1].copy()


@_tag("nms_sorted")
def nms_sorted(bboxes):
    """``bboxes (N, 5)`` in :func:`nms_order` (NMSWithMask's first output)."""
    return bboxes[nms_order(bboxes)]


@_tag("nms_index")
def nms_index(bboxes):
    """NMSWithMask's second output on MindSpore 2.10's CPU: ``arange(N)`` int32 (its kernel
    writes each position's own index, not the sorted box's input index; measured)."""
    return np.arange(np.shape(bboxes)[0], dtype=np.int32)


@_tag("nms_mask")
def nms_mask(sorted_boxes, iou_threshold=0.5):
    """Which boxes (sorted by score, highest first) non-maximum suppression keeps: a box is
    dropped when its overlap over union (areas ``(x1 - x0) (y1 - y0)``, no +1) with a kept
    box before it is above ``iou_threshold`` (equal to it: kept)."""
    b = np.asarray(sorted_boxes)
    n = b.shape[0]
    x0, y0, x1, y1 = _corners(b)
    zero = b.dtype.type(0)
    w = np.maximum(np.minimum(x1[:, None], x1[None, :]) - np.maximum(x0[:, None], x0[None, :]),
                   zero)
    h = np.maximum(np.minimum(y1[:, None], y1[None, :]) - np.maximum(y0[:, None], y0[None, :]),
                   zero)
    area = (x1 - x0) * (y1 - y0)
    inter = w * h
    with np.errstate(divide="ignore", invalid="ignore"):
        over = inter / (area[:, None] + area[None, :] - inter) > b.dtype.type(iou_threshold)
    keep = np.ones(n, bool)
    for i in range(n - 1):
        if keep[i]:
            keep[i + 1:] &= ~over[i, i + 1:]
    return keep


def _axis_matrices(start, bin_size, grid, pooled, size, dtype):
    """``(R, pooled, size)``: each RoI's bilinear row (or column) weights along one axis,
    averaged over its ``grid`` samples per bin (``grid`` 0: a 0/0, NaN, as MindSpore)."""
    n_rois = start.shape[0]
    g_max = max(int(grid.max()) if n_rois else 0, 1)
    p = np.arange(pooled, dtype=dtype)[None, :, None]
    k = np.arange(g_max)
    g = grid.astype(dtype)[:, None, None]
    with np.errstate(divide="ignore", invalid="ignore"):
        pos = (start[:, None, None] + p * bin_size[:, None, None]
               + (k.astype(dtype)[None, None, :] + dtype.type(0.5)) * bin_size[:, None, None] / g)
    used = k[None, None, :] < grid[:, None, None]
    valid = used & (pos >= dtype.type(-1)) & (pos <= dtype.type(size))
    pos = np.where(valid, np.maximum(pos, dtype.type(0)), dtype.type(0))
    low = np.where(pos <= dtype.type(_ROI_EPS), 0, np.floor(pos)).astype(np.int64)
    last = low >= size - 1
    low = np.where(last, size - 1, low)
    high = np.where(last, size - 1, low + 1)
    pos = np.where(last, low.astype(dtype), pos)
    lw = (pos - low.astype(dtype)) * valid
    hw = (dtype.type(1) - (pos - low.astype(dtype))) * valid
    out = np.zeros((n_rois, pooled, size), dtype)
    r = np.broadcast_to(np.arange(n_rois)[:, None, None], low.shape)
    pp = np.broadcast_to(np.arange(pooled)[None, :, None], low.shape)
    np.add.at(out, (r, pp, low), hw)
    np.add.at(out, (r, pp, high), lw)
    with np.errstate(divide="ignore", invalid="ignore"):
        return out / g


def roi_align_matrices(rois, batch, height, width, pooled_height, pooled_width,
                       spatial_scale, sample_num=2, roi_end_mode=1, dtype=np.float32):
    """``(image index (R,), Ay (R, pooled_height, height), Ax (R, pooled_width, width))`` of
    MindSpore's ROIAlign for ``rois (R, 5)`` rows ``(image, x0, y0, x1, y1)``: a RoI whose
    x0 and x1 are both within 0.001 of 0 is skipped (its output 0 here; MindSpore 2.10's
    CPU kernel leaves that output unwritten, so it holds whatever its buffer held)."""
    dtype = np.dtype(dtype)
    r = np.asarray(rois, dtype)
    index = np.rint(r[:, 0].astype(np.float32) + np.float32(_ROI_EPS)).astype(np.int64)
    if r.shape[0] and (r[:, 0].min() < 0 or r[:, 0].max() > batch - 1):
        raise ValueError("For 'ROIAlign', image_index must be a number in [0,%d], but got %s"
                         % (batch - 1, r[:, 0]))
    scale, end = dtype.type(spatial_scale), dtype.type(roi_end_mode)
    start_w, start_h = r[:, 1] * scale, r[:, 2] * scale
    roi_w = (r[:, 3] + end) * scale - start_w
    roi_h = (r[:, 4] + end) * scale - start_h
    if roi_end_mode == 0:
        roi_w, roi_h = np.maximum(roi_w, dtype.type(1)), np.maximum(roi_h, dtype.type(1))
    bin_h, bin_w = roi_h / dtype.type(pooled_height), roi_w / dtype.type(pooled_width)
    if sample_num > 0:
        grid_h = grid_w = np.full(r.shape[0], sample_num, np.int64)
    else:
        grid_h = np.floor(bin_h).astype(np.int64)
        grid_w = np.floor(bin_w).astype(np.int64)
    ay = _axis_matrices(start_h, bin_h, grid_h, pooled_height, height, dtype)
    ax = _axis_matrices(start_w, bin_w, grid_w, pooled_width, width, dtype)
    off = np.float32(0.001)
    skipped = (np.abs(r[:, 1]) < off) & (np.abs(r[:, 3]) < off)
    ay[skipped] = 0
    ax[skipped] = 0
    return index, ay, ax


def _matrices_for(x_shape, rois, pooled_height, pooled_width, spatial_scale, sample_num,
                  roi_end_mode, dtype):
    n, _, h, w = x_shape
    return roi_align_matrices(rois, n, h, w, pooled_height, pooled_width, spatial_scale,
                              sample_num, roi_end_mode, dtype)


@_tag("roi_align")
def roi_align(x, rois, pooled_height, pooled_width, spatial_scale, sample_num=2,
              roi_end_mode=1):
    """``(R, C, pooled_height, pooled_width)``: each RoI's bins of ``x (N, C, H, W)``, the
    mean of ``sample_num``^2 bilinear samples each (MindSpore's ROIAlign)."""
    index, ay, ax = _matrices_for(x.shape, rois, pooled_height, pooled_width, spatial_scale,
                                  sample_num, roi_end_mode, x.dtype)
    out = np.empty((ay.shape[0], x.shape[1], pooled_height, pooled_width), x.dtype)
    for image in np.unique(index):
        mine = index == image
        out[mine] = np.einsum("rph,chw,rqw->rcpq", ay[mine], x[image], ax[mine],
                              optimize=True)
    return out


@_tag("roi_align_grad")
def roi_align_grad(dy, rois, like, pooled_height, pooled_width, spatial_scale, sample_num=2,
                   roi_end_mode=1):
    """The adjoint of :func:`roi_align` in ``x``: each RoI's ``Ay.T @ dy @ Ax`` summed into
    its image, shaped like ``like``; a bin without samples (NaN forward) passes nothing back,
    as MindSpore's ROIAlignGrad (measured)."""
    dtype = np.result_type(dy, like)
    index, ay, ax = _matrices_for(like.shape, rois, pooled_height, pooled_width,
                                  spatial_scale, sample_num, roi_end_mode, dtype)
    ay, ax = np.nan_to_num(ay, nan=0.0), np.nan_to_num(ax, nan=0.0)
    out = np.zeros(like.shape, dtype)
    for image in np.unique(index):
        mine = index == image
        out[image] = np.einsum("rph,rcpq,rqw->chw", ay[mine], dy[mine], ax[mine],
                               optimize=True)
    return out
