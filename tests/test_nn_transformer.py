"""Attention and transformer layers (autograd_st/nn/transformer.py).

1. Parameter names, order, initializers and argument checks as measured in MindSpore 2.10.
2. MultiheadAttention's values against a numpy attention written out here (masks, heads,
   kdim/vdim, bias_kv, zero_attn, batch_first, unbatched input).
3. Gradients through the compiler against float64 central differences: MultiheadAttention,
   TransformerEncoderLayer (post- and pre-norm, relu and gelu, padding and causal masks),
   TransformerEncoder, TransformerDecoderLayer and Transformer.
Real MindSpore's values and gradients: ``tests/ms_cases/cases/rnn_mha_*``, ``rnn_encoder_*``,
``rnn_decoder_layer`` and ``rnn_transformer_small``.
"""
from __future__ import annotations

import math

import numpy as np
import pytest
from helpers import assert_close

from autograd_st import Tensor, check_grads, nn, numerical_grad, ops
from autograd_st import dtype as mstype

F64 = mstype.float64


def _set_weights(net, seed, scale=0.5):
    rng = np.random.default_rng(seed)
    for _, p in net.parameters_and_names():
        p.set_data(Tensor(rng.uniform(-scale, scale, p.shape)))


def _randn(shape, seed, scale=1.0):
    return Tensor(np.random.default_rng(seed).standard_normal(shape) * scale)


def _assert_tree_close(got, want, rtol=1e-6, atol=1e-8):
    if isinstance(want, (tuple, list)):
        assert isinstance(got, (tuple, list)) and len(got) == len(want)
        for g, w in zip(got, want):
            _assert_tree_close(g, w, rtol, atol)
        return
    assert_close(got, want, rtol=rtol, atol=atol)


def _check_fd(loss, args, positions, weights):
    got = ops.grad(loss, positions, weights)(*args)
    want = numerical_grad(loss, args, positions, weights)
    _assert_tree_close(got, want)


# ---------------------------------------------------------------------------------------
# 1. structure
# ---------------------------------------------------------------------------------------

def test_parameter_names_follow_mindspore():
    assert [(n, tuple(p.shape)) for n, p in nn.MultiheadAttention(4, 2).parameters_and_names()
            ] == [("in_proj_weight", (12, 4)), ("in_proj_bias", (12,)),
                  ("out_proj.weight", (4, 4)), ("out_proj.bias", (4,))]
    mha = nn.MultiheadAttention(4, 2, kdim=3, vdim=5, add_bias_kv=True)
    assert [(n, tuple(p.shape)) for n, p in mha.parameters_and_names()] == [
        ("q_proj_weight", (4, 4)), ("k_proj_weight", (4, 3)), ("v_proj_weight", (4, 5)),
        ("in_proj_bias", (12,)), ("bias_k", (1, 1, 4)), ("bias_v", (1, 1, 4)),
        ("out_proj.weight", (4, 4)), ("out_proj.bias", (4,))]
    layer_names = ["self_attn.in_proj_weight", "self_attn.in_proj_bias",
                   "self_attn.out_proj.weight", "self_attn.out_proj.bias", "dense1.weight",
                   "dense1.bias", "dense2.weight", "dense2.bias", "norm1.gamma", "norm1.beta",
                   "norm2.gamma", "norm2.beta"]
    enc = nn.TransformerEncoder(nn.TransformerEncoderLayer(4, 2, 8), 2, nn.LayerNorm((4,)))
    assert [n for n, _ in enc.parameters_and_names()] == (
        ["layers.0." + n for n in layer_names] + ["layers.1." + n for n in layer_names]
        + ["norm.gamma", "norm.beta"])
    dec = nn.TransformerDecoderLayer(4, 2, 6)
    assert [n for n, _ in dec.parameters_and_names()] == (
        layer_names[:4] + [n.replace("self_attn", "multihead_attn") for n in layer_names[:4]]
        + layer_names[4:] + ["norm3.gamma", "norm3.beta"])
    names = [n for n, _ in nn.Transformer(4, 2, 1, 1, 6).parameters_and_names()]
    assert len(names) == 34 and names[0] == "encoder.layers.0.self_attn.in_proj_weight"
    assert names[12:14] == ["encoder.norm.gamma", "encoder.norm.beta"]
    assert names[-1] == "decoder.norm.beta"


def test_initializers_follow_mindspore():
    nn.seed_initializers(5)
    mha = nn.MultiheadAttention(8, 2)
    w = mha.in_proj_weight.asnumpy()
    assert np.abs(w).max() <= math.sqrt(6.0 / (8 + 24)) and np.abs(w).max() > 0.35
    assert np.all(mha.in_proj_bias.asnumpy() == 0)
    assert np.abs(mha.out_proj.bias.asnumpy()).max() <= 1 / math.sqrt(8)
    layer = nn.TransformerEncoderLayer(4, 2, 8)
    enc = nn.TransformerEncoder(layer, 2)
    first, second = enc.layers[0], enc.layers[1]
    # a fresh layer, deep-copied: both copies equal, neither is the given layer
    assert np.array_equal(first.dense1.weight.asnumpy(), second.dense1.weight.asnumpy())
    assert first.dense1.weight is not second.dense1.weight
    assert not np.array_equal(first.dense1.weight.asnumpy(), layer.dense1.weight.asnumpy())
    assert np.all(first.norm1.gamma.asnumpy() == 1) and first.norm1.epsilon == 1e-5


@pytest.mark.parametrize("activation,words", [
    ("tanh", "The activation must be relu/gelu"),
    (nn.Tanh(), "must be nn.ReLU or nn.GELU instance"),
    (3, "must be str, callable or Cell instance"),
    (ops.sigmoid, "must be ops.relu or ops.gelu"),
])
def test_bad_activation_raises_as_mindspore_does(activation, words):
    with pytest.raises(ValueError, match=words):
        nn.TransformerEncoderLayer(4, 2, 8, activation=activation)


def test_embed_dim_must_divide_by_heads():
    with pytest.raises(ValueError, match="divisible"):
        nn.MultiheadAttention(5, 2)


# ---------------------------------------------------------------------------------------
# 2. attention values against numpy
# ---------------------------------------------------------------------------------------

def _np_mha(mha, q, k, v, kpm=None, am=None, average=True):
    """Multi-head attention of time-major q (L, N, E), k, v in numpy (float masks added,
    bool masks True where masked)."""
    e, h = mha.embed_dim, mha.num_heads
    hd = e // h
    b = mha.in_proj_bias.asnumpy() if mha.has_bias else np.zeros(3 * e)
    if mha._qkv_same_embed_dim:
        w = mha.in_proj_weight.asnumpy()
        wq, wk, wv = w[:e], w[e:2 * e], w[2 * e:]
    else:
        wq, wk, wv = (p.asnumpy() for p in (mha.q_proj_weight, mha.k_proj_weight,
                                             mha.v_proj_weight))
    qp, kp, vp = q @ wq.T + b[:e], k @ wk.T + b[e:2 * e], v @ wv.T + b[2 * e:]
    L, N = q.shape[:2]
    if mha.add_bias_kv:
        kp = np.concatenate([kp, np.broadcast_to(mha.bias_k.asnumpy(), (1, N, e))])
        vp = np.concatenate([vp, np.broadcast_to(mha.bias_v.asnumpy(), (1, N, e))])
    if mha.add_zero_attn:
        kp = np.concatenate([kp, np.zeros((1, N, e))])
        vp = np.concatenate([vp, np.zeros((1, N, e))])
    S = kp.shape[0]
    add = np.zeros((N, h, L, S))
    if am is not None:
        m = np.zeros((L, S))
        m[:, :am.shape[1]] = np.where(am, -np.inf, 0) if am.dtype == bool else am
        add = add + m
    if kpm is not None:
        m = np.zeros((N, S))
        if am is not None and am.dtype != bool:
            m[:, :kpm.shape[1]] = kpm  # MindSpore adds a bool padding mask to a float one
        else:
            m[:, :kpm.shape[1]] = np.where(kpm, -np.inf, 0)
        add = add + m[:, None, None, :]
    out = np.zeros((L, N, e))
    weights = np.zeros((N, h, L, S))
    for n in range(N):
        for j in range(h):
            sl = slice(j * hd, (j + 1) * hd)
            s = qp[:, n, sl] @ kp[:, n, sl].T / math.sqrt(hd) + add[n, j]
            s = np.exp(s - s.max(-1, keepdims=True))
            s = s / s.sum(-1, keepdims=True)
            weights[n, j] = s
            out[:, n, sl] = s @ vp[:, n, sl]
    wo = mha.out_proj.weight.asnumpy()
    bo = mha.out_proj.bias.asnumpy() if mha.has_bias else 0
    out = out @ wo.T + bo
    return out, (weights.mean(1) if average else weights)


@pytest.mark.parametrize("masks", ["padding", "padding+float", "padding+bool", "float"])
def test_attention_values_match_numpy(masks):
    mha = nn.MultiheadAttention(6, 3, dtype=F64)
    _set_weights(mha, 1)
    q, k, v = (np.random.default_rng(s).standard_normal(sh) for s, sh in
               ((2, (3, 2, 6)), (3, (4, 2, 6)), (4, (4, 2, 6))))
    kpm = np.array([[False, True, False, False], [False, False, False, True]])
    am = {"padding": None, "float": np.random.default_rng(5).standard_normal((3, 4)),
          "padding+float": np.random.default_rng(5).standard_normal((3, 4)),
          "padding+bool": np.array([[False, False, True, False]] * 3)}[masks]
    kpm = kpm if "padding" in masks else None
    out, w = mha(Tensor(q), Tensor(k), Tensor(v),
                 key_padding_mask=None if kpm is None else Tensor(kpm),
                 attn_mask=None if am is None else Tensor(am))
    want_out, want_w = _np_mha(mha, q, k, v, kpm, am)
    assert_close(out, want_out, rtol=1e-10, atol=1e-12)
    assert_close(w, want_w, rtol=1e-10, atol=1e-12)
    if masks in ("padding", "padding+bool"):
        assert np.all(w.asnumpy()[0, :, 1] == 0)  # padded keys get no weight
        assert np.all(w.asnumpy()[1, :, 3] == 0)
    if masks == "padding+float":
        # MindSpore 2.10 adds the bool padding mask to a float attn_mask as 0/1 (measured:
        # tests/ms_cases/cases/rnn_mha_masks.py), so padded keys keep some weight
        assert np.all(w.asnumpy()[0, :, 1] > 0)


def test_attention_options_match_numpy():
    mha = nn.MultiheadAttention(4, 2, kdim=3, vdim=5, add_bias_kv=True, add_zero_attn=True,
                                batch_first=True, has_bias=False, dtype=F64)
    _set_weights(mha, 6)
    q, k, v = (np.random.default_rng(s).standard_normal(sh) for s, sh in
               ((7, (2, 3, 4)), (8, (2, 5, 3)), (9, (2, 5, 5))))
    am = np.triu(np.ones((3, 5), bool), 2)
    out, w = mha(Tensor(q), Tensor(k), Tensor(v), attn_mask=Tensor(am),
                 average_attn_weights=False)
    t = (1, 0, 2)
    want_out, want_w = _np_mha(mha, q.transpose(t), k.transpose(t), v.transpose(t), None, am,
                               average=False)
    assert_close(out, want_out.transpose(t), rtol=1e-10, atol=1e-12)
    assert w.shape == (2, 2, 3, 7)
    assert_close(w, want_w, rtol=1e-10, atol=1e-12)


def test_unbatched_input_and_need_weights():
    mha = nn.MultiheadAttention(4, 2, dtype=F64)
    _set_weights(mha, 10)
    x = np.random.default_rng(11).standard_normal((3, 4))
    out, w = mha(Tensor(x), Tensor(x), Tensor(x))
    want_out, want_w = _np_mha(mha, x[:, None], x[:, None], x[:, None])
    assert out.shape == (3, 4) and w.shape == (3, 3)
    assert_close(out, want_out[:, 0], rtol=1e-10, atol=1e-12)
    assert_close(w, want_w[0], rtol=1e-10, atol=1e-12)
    only = mha(Tensor(x), Tensor(x), Tensor(x), need_weights=False)
    assert isinstance(only, tuple) and len(only) == 1
    assert_close(only[0], out.asnumpy())


def test_dropout_only_in_training():
    layer = nn.TransformerEncoderLayer(4, 2, 8, dropout=0.5, dtype=F64)
    x = _randn((3, 2, 4), 12)
    first = layer(x).asnumpy()
    assert_close(layer(x), first)
    layer.set_train(True)
    assert not np.allclose(layer(x).asnumpy(), first)
    layer.set_train(False)
    assert_close(layer(x), first)


# ---------------------------------------------------------------------------------------
# 3. gradients against float64 central differences
# ---------------------------------------------------------------------------------------

def test_mha_gradients_with_masks():
    mha = nn.MultiheadAttention(6, 2, dtype=F64)
    _set_weights(mha, 13)
    q, k, v = _randn((3, 2, 6), 14), _randn((4, 2, 6), 15), _randn((4, 2, 6), 16)
    kpm = Tensor(np.array([[False, False, True, False], [False, False, False, True]]))
    am = _randn((3, 4), 17, 0.3)
    wo, ww = _randn((3, 2, 6), 18), _randn((2, 3, 4), 19)

    def loss(q, k, v):
        out, w = mha(q, k, v, key_padding_mask=kpm, attn_mask=am)
        return ops.sum(out * wo) + ops.sum(w * ww)
    _check_fd(loss, (q, k, v), (0, 1, 2), mha.trainable_params())


def test_mha_gradients_with_options():
    mha = nn.MultiheadAttention(4, 2, kdim=3, vdim=5, add_bias_kv=True, add_zero_attn=True,
                                batch_first=True, dtype=F64)
    _set_weights(mha, 20)
    q, k, v = _randn((2, 3, 4), 21), _randn((2, 5, 3), 22), _randn((2, 5, 5), 23)
    am = Tensor(np.triu(np.ones((3, 5), bool), 2))
    kpm = Tensor(np.array([[False] * 5, [False, True, False, False, False]]))
    wo, ww = _randn((2, 3, 4), 24), _randn((2, 2, 3, 7), 25)

    def loss(q, k, v):
        out, w = mha(q, k, v, key_padding_mask=kpm, attn_mask=am,
                     average_attn_weights=False)
        return ops.sum(out * wo) + ops.sum(w * ww)
    _check_fd(loss, (q, k, v), (0, 1, 2), mha.trainable_params())


@pytest.mark.parametrize("norm_first,activation,batch_first", [
    (True, "gelu", True), (False, "relu", False), (True, nn.GELU(), False)])
def test_encoder_layer_gradients(norm_first, activation, batch_first):
    layer = nn.TransformerEncoderLayer(6, 2, 8, activation=activation, norm_first=norm_first,
                                       batch_first=batch_first, dtype=F64)
    _set_weights(layer, 26)
    src = _randn((2, 4, 6) if batch_first else (4, 2, 6), 27)
    kpm = Tensor(np.array([[False, False, False, True], [False, True, True, False]]))
    wo = _randn(src.shape, 28)

    def loss(src):
        return ops.sum(layer(src, src_key_padding_mask=kpm) * wo)
    _check_fd(loss, (src,), 0, layer.trainable_params())


def test_encoder_stack_gradients_with_causal_mask():
    enc = nn.TransformerEncoder(nn.TransformerEncoderLayer(4, 2, 8, dtype=F64), 2,
                                nn.LayerNorm((4,), dtype=F64))
    _set_weights(enc, 29)
    src = _randn((4, 2, 4), 30)
    mask = Tensor(np.triu(np.ones((4, 4), bool), 1))
    wo = _randn((4, 2, 4), 31)

    def loss(src):
        return ops.sum(enc(src, src_mask=mask) * wo)
    _check_fd(loss, (src,), 0, enc.trainable_params())


def test_decoder_layer_and_transformer_gradients():
    dec = nn.TransformerDecoderLayer(4, 2, 6, norm_first=True, dtype=F64)
    _set_weights(dec, 32)
    tgt, mem = _randn((3, 2, 4), 33), _randn((5, 2, 4), 34)
    tgt_mask = Tensor(np.triu(np.full((3, 3), -1e9), 1))
    mkpm = Tensor(np.array([[False, False, False, True, True], [False] * 5]))
    wo = _randn((3, 2, 4), 35)

    def loss(tgt, mem):
        return ops.sum(dec(tgt, mem, tgt_mask=tgt_mask, memory_key_padding_mask=mkpm) * wo)
    _check_fd(loss, (tgt, mem), (0, 1), dec.trainable_params())

    net = nn.Transformer(4, 2, 1, 1, 6, batch_first=True, dtype=F64)
    _set_weights(net, 36)
    src, tgt = _randn((2, 4, 4), 37), _randn((2, 3, 4), 38)
    causal = Tensor(np.triu(np.ones((3, 3), bool), 1))
    wo2 = _randn((2, 3, 4), 39)

    def loss2(src, tgt):
        return ops.sum(net(src, tgt, tgt_mask=causal) * wo2)
    _check_fd(loss2, (src, tgt), (0, 1), net.trainable_params())


def test_forward_and_reverse_mode_agree_with_finite_differences():
    # check_grads: ops.jvp's tangents and ops.vjp's gradients (inner-product identity)
    layer = nn.TransformerEncoderLayer(4, 2, 8, activation="gelu", norm_first=True,
                                       dtype=F64)
    _set_weights(layer, 40)
    mha = nn.MultiheadAttention(4, 2, batch_first=True, dtype=F64)
    _set_weights(mha, 41)

    def attend(q, kv):
        return mha(q, kv, kv)
    check_grads(layer, (_randn((3, 2, 4), 42),))
    check_grads(attend, (_randn((2, 3, 4), 43), _randn((2, 5, 4), 44)))


def test_second_order_through_attention():
    mha = nn.MultiheadAttention(4, 2, dtype=F64)
    _set_weights(mha, 45)
    kpm = Tensor(np.array([[False, False, True], [False, False, False]]))

    def attend(q):
        return mha(q, q, q, key_padding_mask=kpm)[0]
    check_grads(attend, (_randn((3, 2, 4), 46),), order=2)
