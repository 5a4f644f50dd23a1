"""Recurrent layers: ``nn.RNNCell``, ``nn.LSTMCell``, ``nn.GRUCell``, ``nn.RNN``, ``nn.LSTM``
and ``nn.GRU``, with MindSpore 2.10's signatures, parameter names and shapes, gate orders and
results.

Gate orders (measured in MindSpore 2.10, CPU): LSTM ``i, f, g, o`` (input, forget, cell,
output) in ``weight_ih`` / ``weight_hh`` / biases, ``c' = f * c + i * g``, ``h' = o * tanh(c')``;
GRU ``r, z, n`` (reset, update, new), ``n = tanh(W_in x + b_in + r * (W_hn h + b_hn))``,
``h' = n + z * (h - n)``; RNN ``h' = tanh(W_ih x + b_ih + W_hh h + b_hh)`` (or relu).

The multi-layer layers keep their weights in four ``ParameterTuple`` s, as MindSpore does, so
``parameters_and_names()`` lists every ``weight_ih_l{k}[_reverse]`` first, then the
``weight_hh_*``, ``bias_ih_*`` and ``bias_hh_*`` (a checkpoint of a MindSpore network maps by
name and the gradients by weights come in the same order).

Every ``construct`` is in the Python the compiler differentiates: the time steps are a
``for t in range(x.shape[0])`` loop (a loop, not unrolled: the length is a runtime value, so
compile time does not grow with it); layers and directions are unrolled.  A loop that is not
unrolled cannot grow a list, so each step writes its output into a ``(time, batch, hidden)``
Tensor with ``ops.where(steps == t, h_t, outs)``: memory stays linear in the sequence length
(growing the outputs with ``ops.concat`` kept every partial result on the tape, quadratic:
350 MB against 24 MB for a GRU(32, 64) over 400 steps of batch 16), and time has a term
quadratic in the length (each step touches the whole output Tensor), small beside the
matrix products for the lengths of a test or a small model.

``nn.LSTM`` without ``seq_length`` does not run that loop: each layer and direction is one
fused primitive, ``lstm_seq`` (``autograd_st/kernels_rnn.py``, rules in ``rules_nn.py``),
whose forward projects the inputs of every step with one matmul and whose reverse rule runs
the backward through time in numpy over the saved gates and takes each weight's gradient
with one matmul after the loop (forward mode and second derivatives have rules of their
own).  With ``seq_length`` (and for ``nn.GRU``/``nn.RNN``) the loop above runs.

Initial values: MindSpore draws every weight and bias uniformly in ``+-1/sqrt(hidden_size)``;
so does this module, from the generator of :func:`autograd_st.nn.seed_initializers` (the
numbers differ from MindSpore's, which come from numpy's global generator).
"""
from __future__ import annotations

import math

import numpy as np

from .. import dtype as mstype
from .. import ops
from ..cell import Cell
from ..ops.nn_func import dense
from ..prims import P, bindable
from ..tensor import Parameter, ParameterTuple
from .layers import _INIT_RNG, Dropout

__all__ = ["RNNCell", "LSTMCell", "GRUCell", "RNN", "LSTM", "GRU"]


# ---------------------------------------------------------------------------------------
# one step of each cell (MindSpore's _rnn_tanh_cell, _rnn_relu_cell, _lstm_cell, _gru_cell)
# ---------------------------------------------------------------------------------------

def _gates(x, h, w_ih, w_hh, b_ih, b_hh):
    """``(x @ w_ih.T + b_ih, h @ w_hh.T + b_hh)`` (no biases when ``b_ih`` is None)."""
    gi = dense(x, w_ih)
    gh = dense(h, w_hh)
    if b_ih is not None:
        gi = gi + b_ih
        gh = gh + b_hh
    return gi, gh


def _rnn_tanh_step(x, h, w_ih, w_hh, b_ih, b_hh):
    gi, gh = _gates(x, h, w_ih, w_hh, b_ih, b_hh)
    return ops.tanh(gi + gh)


def _rnn_relu_step(x, h, w_ih, w_hh, b_ih, b_hh):
    gi, gh = _gates(x, h, w_ih, w_hh, b_ih, b_hh)
    return ops.relu(gi + gh)


def _gate_sigmoid(z):
    """``sigmoid(z)`` as ``0.5 tanh(z / 2) + 0.5``: the same function, a tenth of the time of
    the overflow-proof ``exp(-logaddexp(0, -z))`` (gates need no relative accuracy below
    1e-7, where the two differ)."""
    return 0.5 * ops.tanh(0.5 * z) + 0.5


def _lstm_step(x, h, c, w_ih, w_hh, b_ih, b_hh):
    gi, gh = _gates(x, h, w_ih, w_hh, b_ih, b_hh)
    gates = gi + gh
    n = h.shape[-1]
    ingate = _gate_sigmoid(gates[..., 0:n])
    forgetgate = _gate_sigmoid(gates[..., n:2 * n])
    cellgate = ops.tanh(gates[..., 2 * n:3 * n])
    outgate = _gate_sigmoid(gates[..., 3 * n:4 * n])
    cy = forgetgate * c + ingate * cellgate
    hy = outgate * ops.tanh(cy)
    return hy, cy


def _gru_step(x, h, w_ih, w_hh, b_ih, b_hh):
    gi, gh = _gates(x, h, w_ih, w_hh, b_ih, b_hh)
    n = h.shape[-1]
    resetgate = _gate_sigmoid(gi[..., 0:n] + gh[..., 0:n])
    inputgate = _gate_sigmoid(gi[..., n:2 * n] + gh[..., n:2 * n])
    newgate = ops.tanh(gi[..., 2 * n:3 * n] + resetgate * gh[..., 2 * n:3 * n])
    return newgate + inputgate * (h - newgate)


@bindable
def _lstm_layer(x, h0, c0, w_ih, w_hh, b):
    """One LSTM layer in one direction over the whole sequence ``x (time, batch, features)``:
    the fused primitive ``lstm_seq`` (``autograd_st/kernels_rnn.py``), whose output is the
    tape ``(6, time, batch, hidden)``; returns ``(outputs, h_last, c_last)``."""
    tape = P.lstm_seq(x, h0, c0, w_ih, w_hh, b)
    # one slice of the tape: its gradient is made once, from the gradients of these two rows
    # (the gates' rows get none)
    states = tape[0:2]
    outs = states[0]
    return outs, outs[-1], states[1, -1]


def _check_size(value, what: str, cls_name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError("For '%s', the '%s' must be a positive int, but got %r (%s)."
                        % (cls_name, what, value, type(value).__name__))
    if value <= 0:
        raise ValueError("For '%s', the '%s' must be a positive int, but got %d."
                         % (cls_name, what, value))
    return int(value)


def _check_bool(value, what: str, cls_name: str) -> bool:
    if not isinstance(value, bool):
        raise TypeError("For '%s', the '%s' must be a bool, but got %r (%s)."
                        % (cls_name, what, value, type(value).__name__))
    return value


def _uniform(shape, bound: float, dtype) -> np.ndarray:
    """A uniform initializer's values (MindSpore's ``initializer(Uniform(bound))``)."""
    return _INIT_RNG[0].uniform(-bound, bound, shape).astype(dtype)


def _layer_uniform(shape, bound: float, dtype) -> np.ndarray:
    """An RNN layer's weight as MindSpore 2.10 draws it: ``np.random.uniform`` itself, in
    float32 (so ``set_seed`` gives its values)."""
    return np.random.uniform(-bound, bound, shape).astype(np.float32).astype(dtype)


def _np_dtype(dtype):
    return mstype.to_numpy(dtype) or np.dtype(np.float32)


# ---------------------------------------------------------------------------------------
# cells
# ---------------------------------------------------------------------------------------

class _RNNCellBase(Cell):
    """``weight_ih (chunks * hidden, input)``, ``weight_hh (chunks * hidden, hidden)`` and,
    with ``has_bias``, ``bias_ih``/``bias_hh (chunks * hidden,)``, all uniform in
    ``+-1/sqrt(hidden_size)`` (MindSpore's ``reset_parameters``)."""

    def __init__(self, input_size: int, hidden_size: int, has_bias: bool, num_chunks: int,
                 dtype=mstype.float32) -> None:
        super().__init__()
        name = type(self).__name__
        _check_bool(has_bias, "has_bias", name)
        self.hidden_size = _check_size(hidden_size, "hidden_size", name)
        self.input_size = _check_size(input_size, "input_size", name)
        self.has_bias = has_bias
        np_dtype = _np_dtype(dtype)
        stdv = 1.0 / math.sqrt(self.hidden_size)
        gate = num_chunks * self.hidden_size
        shapes = [(gate, self.input_size), (gate, self.hidden_size)] + \
            ([(gate,), (gate,)] if has_bias else [])
        for shape in shapes:  # MindSpore 2.10 first fills them with np.random.randn, then
            np.random.randn(*shape)  # with Uniform(stdv): the same draws, for the same values
        values = [_uniform(shape, stdv, np_dtype) for shape in shapes]
        self.weight_ih = Parameter(values[0], name="weight_ih")
        self.weight_hh = Parameter(values[1], name="weight_hh")
        if has_bias:
            self.bias_ih = Parameter(values[2], name="bias_ih")
            self.bias_hh = Parameter(values[3], name="bias_hh")
        else:
            self.bias_ih = None
            self.bias_hh = None


class RNNCell(_RNNCellBase):
    """MindSpore's ``nn.RNNCell(input_size, hidden_size, has_bias=True, nonlinearity='tanh',
    dtype=float32)``: ``h' = tanh(x W_ih^T + b_ih + h W_hh^T + b_hh)`` (``'relu'``: relu).

    ``construct(x, hx)``: ``x (batch, input_size)``, ``hx (batch, hidden_size)``; returns ``h'``.
    """

    def __init__(self, input_size: int, hidden_size: int, has_bias: bool = True,
                 nonlinearity: str = "tanh", dtype=mstype.float32) -> None:
        super().__init__(input_size, hidden_size, has_bias, num_chunks=1, dtype=dtype)
        if not isinstance(nonlinearity, str):
            raise TypeError("For 'RNNCell', the 'nonlinearity' must be a str, but got %r."
                            % (nonlinearity,))
        if nonlinearity not in ("tanh", "relu"):
            raise ValueError("For 'RNNCell', the 'nonlinearity' must be in ['tanh', 'relu'], "
                             "but got %r." % (nonlinearity,))
        self.nonlinearity = nonlinearity

    def construct(self, x, hx):
        if self.nonlinearity == "tanh":
            out = _rnn_tanh_step(x, hx, self.weight_ih, self.weight_hh, self.bias_ih,
                                 self.bias_hh)
        else:
            out = _rnn_relu_step(x, hx, self.weight_ih, self.weight_hh, self.bias_ih,
                                 self.bias_hh)
        return out


class LSTMCell(_RNNCellBase):
    """MindSpore's ``nn.LSTMCell(input_size, hidden_size, has_bias=True, dtype=float32)``.

    ``construct(x, hx)``: ``x (batch, input_size)``, ``hx = (h, c)`` each
    ``(batch, hidden_size)``; returns ``(h', c')``.  Gates ``i, f, g, o`` in that order.
    """

    def __init__(self, input_size: int, hidden_size: int, has_bias: bool = True,
                 dtype=mstype.float32) -> None:
        super().__init__(input_size, hidden_size, has_bias, num_chunks=4, dtype=dtype)

    def construct(self, x, hx):
        h, c = hx
        return _lstm_step(x, h, c, self.weight_ih, self.weight_hh, self.bias_ih, self.bias_hh)


class GRUCell(_RNNCellBase):
    """MindSpore's ``nn.GRUCell(input_size, hidden_size, has_bias=True, dtype=float32)``.

    ``construct(x, hx)``: ``x (batch, input_size)``, ``hx (batch, hidden_size)``; returns
    ``h'``.  Gates ``r, z, n`` in that order.
    """

    def __init__(self, input_size: int, hidden_size: int, has_bias: bool = True,
                 dtype=mstype.float32) -> None:
        super().__init__(input_size, hidden_size, has_bias, num_chunks=3, dtype=dtype)

    def construct(self, x, hx):
        return _gru_step(x, hx, self.weight_ih, self.weight_hh, self.bias_ih, self.bias_hh)


# ---------------------------------------------------------------------------------------
# layers over sequences
# ---------------------------------------------------------------------------------------

def _reverse_sequence(x, lengths):
    """MindSpore's ``ReverseSequence(seq_dim=0, batch_dim=1)``: for each batch column ``b``,
    the first ``lengths[b]`` steps of ``x (time, batch, ...)`` reversed, the rest kept."""
    steps = np.arange(x.shape[0])[:, None]
    cols = np.arange(x.shape[1])[None, :]
    lens = lengths[None, :]
    rows = ops.where(steps < lens, lens - 1 - steps, steps)
    return x[rows, cols]


class _RNNBase(Cell):
    """The common body of ``nn.RNN``, ``nn.LSTM`` and ``nn.GRU`` (MindSpore's ``_RNNBase``)."""

    def __init__(self, mode: str, input_size: int, hidden_size: int, num_layers: int = 1,
                 has_bias: bool = True, batch_first: bool = False, dropout: float = 0.,
                 bidirectional: bool = False, dtype=mstype.float32) -> None:
        super().__init__()
        name = type(self).__name__
        hidden_size = _check_size(hidden_size, "hidden_size", name)
        input_size = _check_size(input_size, "input_size", name)
        num_layers = _check_size(num_layers, "num_layers", name)
        if not isinstance(dropout, float):
            raise TypeError("For '%s', the 'dropout' must be a float, but got %r."
                            % (name, dropout))
        _check_bool(has_bias, "has_bias", name)
        _check_bool(batch_first, "batch_first", name)
        _check_bool(bidirectional, "bidirectional", name)
        if not 0 <= dropout < 1:
            raise ValueError("For '%s', the 'dropout' must be a number in range [0, 1) "
                             "representing the probability of an element being zeroed, but "
                             "got %r." % (name, dropout))
        chunks = {"LSTM": 4, "GRU": 3, "RNN_TANH": 1, "RNN_RELU": 1}
        if mode not in chunks:
            raise ValueError("For '%s', the 'mode' must be in ['RNN_RELU', 'RNN_TANH', 'LSTM', "
                             "'GRU'], but got %r." % (name, mode))
        gate_size = chunks[mode] * hidden_size
        self.mode = mode
        self.is_lstm = mode == "LSTM"
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.batch_first = batch_first
        self.num_layers = num_layers
        self.dropout = dropout
        self.dropout_op = Dropout(p=float(dropout))
        self.bidirectional = bidirectional
        self.has_bias = has_bias
        self.num_directions = 2 if bidirectional else 1
        np_dtype = _np_dtype(dtype)
        stdv = 1.0 / math.sqrt(hidden_size)
        w_ih, w_hh, b_ih, b_hh = [], [], [], []
        for layer in range(num_layers):
            for direction in range(self.num_directions):
                layer_input = input_size if layer == 0 else hidden_size * self.num_directions
                suffix = "_l%d%s" % (layer, "_reverse" if direction == 1 else "")
                w_ih.append(Parameter(_layer_uniform((gate_size, layer_input), stdv, np_dtype),
                                      name="weight_ih" + suffix))
                w_hh.append(Parameter(_layer_uniform((gate_size, hidden_size), stdv, np_dtype),
                                      name="weight_hh" + suffix))
                if has_bias:
                    b_ih.append(Parameter(_layer_uniform((gate_size,), stdv, np_dtype),
                                          name="bias_ih" + suffix))
                    b_hh.append(Parameter(_layer_uniform((gate_size,), stdv, np_dtype),
                                          name="bias_hh" + suffix))
        self.w_ih_list = ParameterTuple(w_ih)
        self.w_hh_list = ParameterTuple(w_hh)
        self.b_ih_list = ParameterTuple(b_ih)
        self.b_hh_list = ParameterTuple(b_hh)

    def _zero_state(self, x):
        zeros = ops.zeros_like(x[0:1, :, 0:1])
        return ops.broadcast_to(zeros, (self.num_layers * self.num_directions, x.shape[1],
                                        self.hidden_size))

    def _direction(self, x, h, c, seq_length, w_ih, w_hh, b_ih, b_hh):
        """One layer in one direction over ``x (time, batch, features)`` from ``h`` (and ``c``):
        ``(outputs (time, batch, hidden), h_last, c_last)``.  With ``seq_length``, a batch
        column's state stops changing after its length and its later outputs are 0.  (The
        outputs are written into a stacked array with ``where``, not gathered in a list: forward
        mode cannot read a list built at run time.)  An LSTM without ``seq_length`` is one
        fused primitive over the whole sequence instead (:func:`_lstm_layer`)."""
        if self.is_lstm and seq_length is None:
            if b_ih is None:
                b = ops.zeros_like(w_hh[:, 0])  # (4 * hidden,)
            else:
                b = b_ih + b_hh
            return _lstm_layer(x, h, c, w_ih, w_hh, b)
        steps = np.arange(x.shape[0])[:, None, None]
        outs = ops.zeros_like(ops.expand_dims(h, 0) * x[:, :, 0:1])
        if seq_length is not None:
            lengths = ops.expand_dims(seq_length, 1)
            zero = ops.zeros_like(h)
        for t in range(x.shape[0]):
            x_t = x[t]
            if self.mode == "LSTM":
                h_t, c_t = _lstm_step(x_t, h, c, w_ih, w_hh, b_ih, b_hh)
            elif self.mode == "GRU":
                h_t = _gru_step(x_t, h, w_ih, w_hh, b_ih, b_hh)
            elif self.mode == "RNN_TANH":
                h_t = _rnn_tanh_step(x_t, h, w_ih, w_hh, b_ih, b_hh)
            else:
                h_t = _rnn_relu_step(x_t, h, w_ih, w_hh, b_ih, b_hh)
            if seq_length is None:
                out = h_t
                h = h_t
                if self.is_lstm:
                    c = c_t
            else:
                keep = lengths > t
                out = ops.where(keep, h_t, zero)
                h = ops.where(keep, h_t, h)
                if self.is_lstm:
                    c = ops.where(keep, c_t, c)
            outs = ops.where(steps == t, ops.expand_dims(out, 0), outs)
        return outs, h, c

    def construct(self, x, hx=None, seq_length=None):
        if self.batch_first:
            x = ops.transpose(x, (1, 0, 2))
        if self.is_lstm:
            if hx is None:
                h0 = self._zero_state(x)
                c0 = h0
            else:
                h0, c0 = hx
        else:
            c0 = None
            if hx is None:
                h0 = self._zero_state(x)
            else:
                h0 = hx
        pre_layer = x
        output = x
        h_n = []
        c_n = []
        for i in range(self.num_layers):
            outs = []
            for d in range(self.num_directions):
                k = i * self.num_directions + d
                b_ih = None
                b_hh = None
                if self.has_bias:
                    b_ih = self.b_ih_list[k]
                    b_hh = self.b_hh_list[k]
                c_k = None
                if self.is_lstm:
                    c_k = c0[k]
                x_d = pre_layer
                if d == 1:
                    if seq_length is None:
                        x_d = pre_layer[::-1]
                    else:
                        x_d = _reverse_sequence(pre_layer, seq_length)
                out_d, h_d, c_d = self._direction(x_d, h0[k], c_k, seq_length,
                                                  self.w_ih_list[k], self.w_hh_list[k],
                                                  b_ih, b_hh)
                if d == 1:
                    if seq_length is None:
                        out_d = out_d[::-1]
                    else:
                        out_d = _reverse_sequence(out_d, seq_length)
                outs.append(out_d)
                h_n.append(h_d)
                c_n.append(c_d)
            if self.bidirectional:
                output = ops.concat((outs[0], outs[1]), 2)
            else:
                output = outs[0]
            pre_layer = output
            if self.dropout != 0 and i < self.num_layers - 1:
                pre_layer = self.dropout_op(output)
        if self.batch_first:
            output = ops.transpose(output, (1, 0, 2))
        if self.is_lstm:
            result = output, (ops.stack(h_n), ops.stack(c_n))
        else:
            result = output, ops.stack(h_n)
        return result


class RNN(_RNNBase):
    """MindSpore's ``nn.RNN(input_size, hidden_size, num_layers=1, has_bias=True,
    batch_first=False, dropout=0., bidirectional=False, dtype=float32)``; ``nonlinearity``
    (``'tanh'`` or ``'relu'``) is keyword-only, as in MindSpore.

    ``construct(x, hx=None, seq_length=None)``: ``x (seq_len, batch, input_size)`` (batch
    first with ``batch_first``), ``hx (num_layers * num_directions, batch, hidden_size)``
    (zeros when None), ``seq_length (batch,)`` ints; returns ``(output, h_n)`` with ``output
    (seq_len, batch, num_directions * hidden_size)``.  ``dropout`` drops the outputs of every
    layer but the last, in training only.
    """

    def __init__(self, *args, **kwargs) -> None:
        nonlinearity = kwargs.pop("nonlinearity", "tanh")
        if nonlinearity == "tanh":
            mode = "RNN_TANH"
        elif nonlinearity == "relu":
            mode = "RNN_RELU"
        else:
            raise ValueError("For 'RNN', the 'nonlinearity' must be in ['tanh', 'relu'], "
                             "but got %r." % (nonlinearity,))
        super().__init__(mode, *args, **kwargs)


class GRU(_RNNBase):
    """MindSpore's ``nn.GRU(input_size, hidden_size, num_layers=1, has_bias=True,
    batch_first=False, dropout=0., bidirectional=False, dtype=float32)``; ``construct`` as
    :class:`RNN`'s, returning ``(output, h_n)``."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__("GRU", *args, **kwargs)


class LSTM(_RNNBase):
    """MindSpore's ``nn.LSTM(input_size, hidden_size, num_layers=1, has_bias=True,
    batch_first=False, dropout=0., bidirectional=False, dtype=float32)``.

    ``construct(x, hx=None, seq_length=None)`` as :class:`RNN`'s but ``hx = (h_0, c_0)``;
    returns ``(output, (h_n, c_n))``.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__("LSTM", *args, **kwargs)
