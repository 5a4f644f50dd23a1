"""Attention and transformer layers: ``nn.MultiheadAttention``, ``nn.TransformerEncoderLayer``,
``nn.TransformerEncoder``, ``nn.TransformerDecoderLayer``, ``nn.TransformerDecoder`` and
``nn.Transformer``, with MindSpore 2.10's signatures, parameter names, initializers and
numbers (MindSpore's ``multi_head_attention_forward``, measured against MindSpore 2.10 on CPU).

What MindSpore does and this module does too:

- ``in_proj_weight (3E, E)`` is XavierUniform, ``in_proj_bias`` zeros; with ``kdim``/``vdim``
  other than ``embed_dim`` the projections are ``q_proj_weight``, ``k_proj_weight`` and
  ``v_proj_weight``; ``out_proj`` is a ``Dense`` (HeUniform(sqrt 5), bias uniform in
  ``+-1/sqrt(E)``); ``bias_k``/``bias_v (1, 1, E)`` are XavierNormal.
- queries and keys are each divided by ``head_dim ** 0.25`` before their product.
- a bool mask is True where attention is NOT allowed (``-inf`` is added there); a float mask is
  added.  A bool ``key_padding_mask`` joined with a float ``attn_mask`` is added as 0/1 and a
  float ``key_padding_mask`` joined with a bool ``attn_mask`` is or-ed (MindSpore's own
  arithmetic, kept as is).
- the attention weights come back averaged over the heads (``average_attn_weights=True``) or
  per head ``(batch, heads, L, S)``; ``need_weights=False`` returns a 1-tuple ``(output,)``.
- ``TransformerEncoder(layer, n)`` builds a new layer with ``layer``'s settings and deep-copies
  it ``n`` times (every layer starts with the same values, not ``layer``'s).
- the ``'gelu'`` activation is the exact (erf) GELU, ``ops.gelu``'s default.

Every ``construct`` is in the Python the compiler differentiates, built from ``dense``,
``ops.matmul``, ``ops.softmax``, reshapes, slices and ``ops.where``.
"""
from __future__ import annotations

import copy
import math
from typing import Any

import numpy as np

from .. import dtype as mstype
from .. import ops
from ..cell import Cell
from ..ops.nn_func import dense, dropout, erf
from ..tensor import Parameter
from .layers import GELU, CellList, Dense, Dropout, LayerNorm, ReLU, dense_any, initialize

__all__ = ["MultiheadAttention", "TransformerEncoderLayer", "TransformerEncoder",
           "TransformerDecoderLayer", "TransformerDecoder", "Transformer"]


def _gelu(x):
    """The exact GELU, ``0.5 x (1 + erf(x / sqrt 2))`` (MindSpore's ``ops.gelu`` default)."""
    return 0.5 * x * (1.0 + erf(x * 0.7071067811865476))


def _relu(x):
    return ops.relu(x)


def _linear(x, w, b):
    out = dense_any(x, w)
    if b is not None:
        out = out + b
    return out


def _pad_last(mask):
    """``mask`` with one more column on its last axis: False for a bool mask, 0 otherwise."""
    col = ops.zeros_like(mask[..., 0:1])
    return ops.concat((mask, col), -1)


def _is_bool(mask) -> bool:
    return mask.dtype == mstype.bool_


def _np_dtype(dtype):
    return mstype.to_numpy(dtype) or np.dtype(np.float32)


class MultiheadAttention(Cell):
    """MindSpore's ``nn.MultiheadAttention(embed_dim, num_heads, dropout=0.0, has_bias=True,
    add_bias_kv=False, add_zero_attn=False, kdim=None, vdim=None, batch_first=False,
    dtype=float32)``.

    ``construct(query, key, value, key_padding_mask=None, need_weights=True, attn_mask=None,
    average_attn_weights=True)``: ``query (L, N, E)`` (``(N, L, E)`` with ``batch_first``, or
    unbatched ``(L, E)``), ``key``/``value (S, N, kdim / vdim)``, ``key_padding_mask (N, S)``,
    ``attn_mask (L, S)`` or ``(N * num_heads, L, S)``; returns ``(output, weights)``.
    ``dropout`` drops attention weights in training only.
    """

    def __init__(self, embed_dim, num_heads, dropout=0.0, has_bias=True, add_bias_kv=False,
                 add_zero_attn=False, kdim=None, vdim=None, batch_first=False,
                 dtype=mstype.float32) -> None:
        super().__init__()
        self.embed_dim = embed_dim
        self.kdim = kdim if kdim is not None else embed_dim
        self.vdim = vdim if vdim is not None else embed_dim
        self._qkv_same_embed_dim = self.kdim == embed_dim and self.vdim == embed_dim
        self.num_heads = num_heads
        self.dropout = dropout
        self.batch_first = batch_first
        self.head_dim = embed_dim // num_heads
        if self.head_dim * num_heads != self.embed_dim:
            raise ValueError("The init argument 'embed_dim' must be divisible by 'num_heads'.")
        if dtype is None:
            dtype = mstype.float32
        if not self._qkv_same_embed_dim:
            self.q_proj_weight = Parameter(initialize("XavierUniform", (embed_dim, embed_dim),
                                                      dtype), name="q_proj_weight")
            self.k_proj_weight = Parameter(initialize("XavierUniform", (embed_dim, self.kdim),
                                                      dtype), name="k_proj_weight")
            self.v_proj_weight = Parameter(initialize("XavierUniform", (embed_dim, self.vdim),
                                                      dtype), name="v_proj_weight")
            self.in_proj_weight = None
        else:
            self.in_proj_weight = Parameter(initialize("XavierUniform",
                                                       (3 * embed_dim, embed_dim), dtype),
                                            name="in_proj_weight")
            self.q_proj_weight = None
            self.k_proj_weight = None
            self.v_proj_weight = None
        self.has_bias = bool(has_bias)
        if has_bias:
            self.in_proj_bias = Parameter(initialize("zeros", (3 * embed_dim,), dtype),
                                          name="in_proj_bias")
        else:
            self.in_proj_bias = None
        self.out_proj = Dense(embed_dim, embed_dim, has_bias=has_bias, dtype=dtype)
        self.add_bias_kv = bool(add_bias_kv)
        if add_bias_kv:
            self.bias_k = Parameter(initialize("XavierNormal", (1, 1, embed_dim), dtype),
                                    name="bias_k")
            self.bias_v = Parameter(initialize("XavierNormal", (1, 1, embed_dim), dtype),
                                    name="bias_v")
        else:
            self.bias_k = self.bias_v = None
        self.add_zero_attn = add_zero_attn
        self.dtype = dtype
        self.scale = math.sqrt(math.sqrt(self.head_dim))

    def _project(self, query, key, value):
        e = self.embed_dim
        b_q = None
        b_k = None
        b_v = None
        if self.has_bias:
            b_q = self.in_proj_bias[0:e]
            b_k = self.in_proj_bias[e:2 * e]
            b_v = self.in_proj_bias[2 * e:3 * e]
        if self._qkv_same_embed_dim:
            q = _linear(query, self.in_proj_weight[0:e], b_q)
            k = _linear(key, self.in_proj_weight[e:2 * e], b_k)
            v = _linear(value, self.in_proj_weight[2 * e:3 * e], b_v)
        else:
            q = _linear(query, self.q_proj_weight, b_q)
            k = _linear(key, self.k_proj_weight, b_k)
            v = _linear(value, self.v_proj_weight, b_v)
        return q, k, v

    def construct(self, query, key, value, key_padding_mask=None, need_weights=True,
                  attn_mask=None, average_attn_weights=True):
        is_batched = len(query.shape) == 3
        if self.batch_first and is_batched:
            query = ops.transpose(query, (1, 0, 2))
            key = ops.transpose(key, (1, 0, 2))
            value = ops.transpose(value, (1, 0, 2))
        if not is_batched:
            query = ops.expand_dims(query, 1)
            key = ops.expand_dims(key, 1)
            value = ops.expand_dims(value, 1)
            if key_padding_mask is not None:
                key_padding_mask = ops.expand_dims(key_padding_mask, 0)
        tgt_len = query.shape[0]
        bsz = query.shape[1]
        heads = self.num_heads
        head_dim = self.head_dim
        q, k, v = self._project(query, key, value)

        if attn_mask is not None:
            if attn_mask.dtype == mstype.uint8:
                attn_mask = attn_mask != 0
            if len(attn_mask.shape) == 2:
                attn_mask = ops.expand_dims(attn_mask, 0)
        if self.add_bias_kv:
            k = ops.concat((k, ops.broadcast_to(self.bias_k, (1, bsz, self.embed_dim))), 0)
            v = ops.concat((v, ops.broadcast_to(self.bias_v, (1, bsz, self.embed_dim))), 0)
            if attn_mask is not None:
                attn_mask = _pad_last(attn_mask)
            if key_padding_mask is not None:
                key_padding_mask = _pad_last(key_padding_mask)

        q = ops.transpose(ops.reshape(q, (tgt_len, bsz * heads, head_dim)), (1, 0, 2))
        k = ops.transpose(ops.reshape(k, (k.shape[0], bsz * heads, head_dim)), (1, 0, 2))
        v = ops.transpose(ops.reshape(v, (v.shape[0], bsz * heads, head_dim)), (1, 0, 2))
        if self.add_zero_attn:
            k = ops.concat((k, ops.zeros_like(k[:, 0:1])), 1)
            v = ops.concat((v, ops.zeros_like(v[:, 0:1])), 1)
            if attn_mask is not None:
                attn_mask = _pad_last(attn_mask)
            if key_padding_mask is not None:
                key_padding_mask = _pad_last(key_padding_mask)
        src_len = k.shape[1]

        mask = attn_mask
        if key_padding_mask is not None:
            kpm = ops.reshape(key_padding_mask, (bsz, 1, 1, src_len))
            kpm = ops.reshape(ops.broadcast_to(kpm, (bsz, heads, 1, src_len)),
                              (bsz * heads, 1, src_len))
            if attn_mask is None:
                mask = kpm
            elif _is_bool(attn_mask):
                mask = ops.where(attn_mask, attn_mask, kpm != 0)
            else:
                mask = attn_mask + kpm
        if mask is not None:
            if _is_bool(mask):
                mask = ops.where(mask, float("-inf"), ops.zeros_like(q[0:1, 0:1, 0:1]))
            if mask.shape[0] == 1:
                mask = ops.expand_dims(mask, 0)
            else:
                mask = ops.reshape(mask, (bsz, heads, -1, src_len))

        q = ops.reshape(q, (bsz, heads, tgt_len, head_dim)) / self.scale
        k = ops.reshape(k, (bsz, heads, src_len, head_dim))
        v = ops.reshape(v, (bsz, heads, src_len, head_dim))
        attn = ops.matmul(q, ops.transpose(k, (0, 1, 3, 2)) / self.scale)
        if mask is not None:
            attn = attn + mask
        attn = ops.softmax(attn, -1)
        weights = attn
        if self.training:
            if 0.0 < self.dropout <= 1.0:
                attn = dropout(attn, 1.0 - self.dropout)
        out = ops.matmul(attn, v)
        out = ops.reshape(ops.transpose(out, (2, 0, 1, 3)), (bsz * tgt_len, self.embed_dim))
        if self.has_bias:
            out = _linear(out, self.out_proj.weight, self.out_proj.bias)
        else:
            out = dense(out, self.out_proj.weight)
        out = ops.reshape(out, (tgt_len, bsz, self.embed_dim))
        if average_attn_weights:
            weights = ops.sum(weights, 1) / heads
        if not is_batched:
            out = ops.squeeze(out, 1)
            weights = ops.squeeze(weights, 0)
        if self.batch_first and is_batched:
            out = ops.transpose(out, (1, 0, 2))
        if need_weights:
            result = (out, weights)
        else:
            result = (out,)
        return result


def _activation_of(activation: Any):
    """What a transformer layer calls for ``activation`` (MindSpore's checks and messages)."""
    if not isinstance(activation, (str, Cell)) and not callable(activation):
        raise ValueError("The argument 'activation' must be str, callable or Cell instance, "
                         "but get %r." % (activation,))
    if isinstance(activation, Cell):
        if not isinstance(activation, (ReLU, GELU)):
            raise ValueError("The argument 'activation' must be nn.ReLU or nn.GELU instance, "
                             "but get %r." % (activation,))
        return activation
    if callable(activation):
        if activation is ops.relu:
            return _relu
        if activation is getattr(ops, "gelu", None):
            return activation
        raise ValueError("The argument 'activation' must be ops.relu or ops.gelu instance, "
                         "but get %r." % (activation,))
    if activation == "relu":
        return _relu
    if activation == "gelu":
        return _gelu
    raise ValueError("The activation must be relu/gelu, but get %s" % (activation,))


class _FeedForward(Cell):
    """The shared parts of the transformer layers (not a MindSpore class)."""

    def _init_ffn(self, d_model, nhead, dim_feedforward, dropout, activation, layer_norm_eps,
                  batch_first, norm_first, dtype) -> None:
        self.dense1 = Dense(d_model, dim_feedforward, dtype=dtype)
        self.dropout = Dropout(p=dropout)
        self.dense2 = Dense(dim_feedforward, d_model, dtype=dtype)
        self.norm_first = norm_first
        self.norm1 = LayerNorm((d_model,), epsilon=layer_norm_eps, dtype=dtype)
        self.norm2 = LayerNorm((d_model,), epsilon=layer_norm_eps, dtype=dtype)

    def _settings(self, d_model, nhead, dim_feedforward, dropout, activation, layer_norm_eps,
                  batch_first, norm_first, dtype) -> None:
        self.activation1 = activation
        self.activation = _activation_of(activation)
        self.d_model = d_model
        self.nhead = nhead
        self.dim_feedforward = dim_feedforward
        self.dropout_num = dropout
        self.layernorm_eps = layer_norm_eps
        self.batch_first = batch_first
        self.norm_first = norm_first
        self.dtype = dtype

    def _ff_block(self, x, last_dropout):
        x = self.dense2(self.dropout(self.activation(self.dense1(x))))
        return last_dropout(x)


class TransformerEncoderLayer(_FeedForward):
    """MindSpore's ``nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward=2048,
    dropout=0.1, activation='relu', layer_norm_eps=1e-5, batch_first=False, norm_first=False,
    dtype=float32)``: self-attention and a feed-forward block, each with a residual and a
    LayerNorm (before the block with ``norm_first``, after the residual otherwise).

    ``construct(src, src_mask=None, src_key_padding_mask=None)``.
    """

    def __init__(self, d_model: int, nhead: int, dim_feedforward: int = 2048,
                 dropout: float = 0.1, activation: Any = "relu", layer_norm_eps: float = 1e-5,
                 batch_first: bool = False, norm_first: bool = False,
                 dtype=mstype.float32) -> None:
        super().__init__()
        self.self_attn = MultiheadAttention(d_model, nhead, dropout=dropout,
                                            batch_first=batch_first, dtype=dtype)
        args = (d_model, nhead, dim_feedforward, dropout, activation, layer_norm_eps,
                batch_first, norm_first, dtype)
        self._init_ffn(*args)
        self.dropout1 = Dropout(p=dropout)
        self.dropout2 = Dropout(p=dropout)
        self._settings(*args)

    def _sa_block(self, x, attn_mask, key_padding_mask):
        x = self.self_attn(x, x, x, attn_mask=attn_mask, key_padding_mask=key_padding_mask,
                           need_weights=False)[0]
        return self.dropout1(x)

    def construct(self, src, src_mask=None, src_key_padding_mask=None):
        x = src
        if self.norm_first:
            x = x + self._sa_block(self.norm1(x), src_mask, src_key_padding_mask)
            x = x + self._ff_block(self.norm2(x), self.dropout2)
        else:
            x = self.norm1(x + self._sa_block(x, src_mask, src_key_padding_mask))
            x = self.norm2(x + self._ff_block(x, self.dropout2))
        return x


class TransformerDecoderLayer(_FeedForward):
    """MindSpore's ``nn.TransformerDecoderLayer(d_model, nhead, dim_feedforward=2048,
    dropout=0.1, activation='relu', layer_norm_eps=1e-5, batch_first=False, norm_first=False,
    dtype=float32)``: self-attention, attention over ``memory`` and a feed-forward block.

    ``construct(tgt, memory, tgt_mask=None, memory_mask=None, tgt_key_padding_mask=None,
    memory_key_padding_mask=None)``.
    """

    def __init__(self, d_model: int, nhead: int, dim_feedforward: int = 2048,
                 dropout: float = 0.1, activation: Any = "relu", layer_norm_eps: float = 1e-5,
                 batch_first: bool = False, norm_first: bool = False,
                 dtype=mstype.float32) -> None:
        super().__init__()
        self.self_attn = MultiheadAttention(d_model, nhead, dropout=dropout,
                                            batch_first=batch_first, dtype=dtype)
        self.multihead_attn = MultiheadAttention(d_model, nhead, dropout=dropout,
                                                 batch_first=batch_first, dtype=dtype)
        args = (d_model, nhead, dim_feedforward, dropout, activation, layer_norm_eps,
                batch_first, norm_first, dtype)
        self._init_ffn(*args)
        self.norm3 = LayerNorm((d_model,), epsilon=layer_norm_eps, dtype=dtype)
        self.dropout1 = Dropout(p=dropout)
        self.dropout2 = Dropout(p=dropout)
        self.dropout3 = Dropout(p=dropout)
        self._settings(*args)

    def _sa_block(self, x, attn_mask, key_padding_mask):
        x = self.self_attn(x, x, x, attn_mask=attn_mask, key_padding_mask=key_padding_mask,
                           need_weights=False)[0]
        return self.dropout1(x)

    def _mha_block(self, x, mem, attn_mask, key_padding_mask):
        x = self.multihead_attn(x, mem, mem, attn_mask=attn_mask,
                                key_padding_mask=key_padding_mask, need_weights=False)[0]
        return self.dropout2(x)

    def construct(self, tgt, memory, tgt_mask=None, memory_mask=None,
                  tgt_key_padding_mask=None, memory_key_padding_mask=None):
        x = tgt
        if self.norm_first:
            x = x + self._sa_block(self.norm1(x), tgt_mask, tgt_key_padding_mask)
            x = x + self._mha_block(self.norm2(x), memory, memory_mask,
                                    memory_key_padding_mask)
            x = x + self._ff_block(self.norm3(x), self.dropout3)
        else:
            x = self.norm1(x + self._sa_block(x, tgt_mask, tgt_key_padding_mask))
            x = self.norm2(x + self._mha_block(x, memory, memory_mask,
                                               memory_key_padding_mask))
            x = self.norm3(x + self._ff_block(x, self.dropout3))
        return x


def _clones(layer: Cell, kind, num_layers: int) -> CellList:
    fresh = kind(layer.d_model, layer.nhead, layer.dim_feedforward, layer.dropout_num,
                 layer.activation1, layer.layernorm_eps, layer.batch_first, layer.norm_first,
                 dtype=layer.dtype)
    return CellList([copy.deepcopy(fresh) for _ in range(num_layers)])


class TransformerEncoder(Cell):
    """MindSpore's ``nn.TransformerEncoder(encoder_layer, num_layers, norm=None)``: a new layer
    with ``encoder_layer``'s settings, deep-copied ``num_layers`` times into ``layers``, then
    ``norm`` when given.  ``construct(src, src_mask=None, src_key_padding_mask=None)``."""

    def __init__(self, encoder_layer, num_layers, norm=None) -> None:
        super().__init__()
        self.layers = _clones(encoder_layer, TransformerEncoderLayer, num_layers)
        self.num_layers = num_layers
        self.norm = norm

    def construct(self, src, src_mask=None, src_key_padding_mask=None):
        output = src
        for mod in self.layers:
            output = mod(output, src_mask=src_mask, src_key_padding_mask=src_key_padding_mask)
        if self.norm is not None:
            output = self.norm(output)
        return output


class TransformerDecoder(Cell):
    """MindSpore's ``nn.TransformerDecoder(decoder_layer, num_layers, norm=None)``, built as
    :class:`TransformerEncoder` is."""

    def __init__(self, decoder_layer, num_layers, norm=None) -> None:
        super().__init__()
        self.layers = _clones(decoder_layer, TransformerDecoderLayer, num_layers)
        self.num_layers = num_layers
        self.norm = norm

    def construct(self, tgt, memory, tgt_mask=None, memory_mask=None,
                  tgt_key_padding_mask=None, memory_key_padding_mask=None):
        output = tgt
        for mod in self.layers:
            output = mod(output, memory, tgt_mask=tgt_mask, memory_mask=memory_mask,
                         tgt_key_padding_mask=tgt_key_padding_mask,
                         memory_key_padding_mask=memory_key_padding_mask)
        if self.norm is not None:
            output = self.norm(output)
        return output


class Transformer(Cell):
    """MindSpore's ``nn.Transformer(d_model=512, nhead=8, num_encoder_layers=6,
    num_decoder_layers=6, dim_feedforward=2048, dropout=0.1, activation='relu',
    custom_encoder=None, custom_decoder=None, layer_norm_eps=1e-5, batch_first=False,
    norm_first=False, dtype=float32)``; every parameter of more than one axis is then
    re-drawn XavierUniform, as MindSpore does.

    ``construct(src, tgt, src_mask=None, tgt_mask=None, memory_mask=None,
    src_key_padding_mask=None, tgt_key_padding_mask=None, memory_key_padding_mask=None)``.
    """

    def __init__(self, d_model: int = 512, nhead: int = 8, num_encoder_layers: int = 6,
                 num_decoder_layers: int = 6, dim_feedforward: int = 2048,
                 dropout: float = 0.1, activation: Any = "relu", custom_encoder=None,
                 custom_decoder=None, layer_norm_eps: float = 1e-5, batch_first: bool = False,
                 norm_first: bool = False, dtype=mstype.float32) -> None:
        super().__init__()
        if custom_encoder is not None:
            self.encoder = custom_encoder
        else:
            layer = TransformerEncoderLayer(d_model, nhead, dim_feedforward, dropout,
                                            activation, layer_norm_eps, batch_first,
                                            norm_first, dtype=dtype)
            norm = LayerNorm((d_model,), epsilon=layer_norm_eps, dtype=dtype)
            self.encoder = TransformerEncoder(layer, num_encoder_layers, norm)
        if custom_decoder is not None:
            self.decoder = custom_decoder
        else:
            layer = TransformerDecoderLayer(d_model, nhead, dim_feedforward, dropout,
                                            activation, layer_norm_eps, batch_first,
                                            norm_first, dtype=dtype)
            norm = LayerNorm((d_model,), epsilon=layer_norm_eps, dtype=dtype)
            self.decoder = TransformerDecoder(layer, num_decoder_layers, norm)
        for _, p in self.parameters_and_names():
            if p.ndim > 1:
                p.set_data(initialize("XavierUniform", p.shape, _np_dtype(p.dtype)))
        self.d_model = d_model
        self.nhead = nhead
        self.batch_first = batch_first

    def construct(self, src, tgt, src_mask=None, tgt_mask=None, memory_mask=None,
                  src_key_padding_mask=None, tgt_key_padding_mask=None,
                  memory_key_padding_mask=None):
        memory = self.encoder(src, src_mask=src_mask, src_key_padding_mask=src_key_padding_mask)
        return self.decoder(tgt, memory, tgt_mask=tgt_mask, memory_mask=memory_mask,
                            tgt_key_padding_mask=tgt_key_padding_mask,
                            memory_key_padding_mask=memory_key_padding_mask)
