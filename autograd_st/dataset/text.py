"""``mindspore.dataset.text``: ``Vocab`` (``from_list``, ``from_dict``, ``from_dataset``),
``Lookup``, ``WhitespaceTokenizer``, ``UnicodeCharTokenizer``, ``BasicTokenizer``,
``PythonTokenizer``, ``Ngram``, ``ToNumber``, ``SlidingWindow``, ``TruncateSequencePair``.

Takes: :mod:`autograd_st.dtype`, :mod:`.core` (a Dataset to count words in).  Gives:
callables on numpy string arrays (what ``Dataset.map`` passes; strings stay numpy arrays, as
MindSpore's), results as MindSpore 2.10 gives them (measured: ids, dtypes, offsets in UTF-8
bytes as uint32, the order of ``from_dataset``'s words, the limits of ``Ngram`` and
``SlidingWindow``).  SentencePiece, Jieba, Wordpiece/Bert tokenizers are not provided.
"""
from __future__ import annotations

import collections
import unicodedata

import numpy as np

from .. import dtype as mstype
from .core import Dataset

__all__ = ["Vocab", "Lookup", "WhitespaceTokenizer", "UnicodeCharTokenizer", "BasicTokenizer",
           "PythonTokenizer", "Ngram", "ToNumber", "SlidingWindow", "TruncateSequencePair"]


def _words(words, what: str) -> list:
    if words is None:
        return []
    if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
        raise TypeError("%s must be a list of str; got %r" % (what, words))
    seen = set()
    for w in words:
        if w in seen:
            raise ValueError("%s contains duplicate word: %s." % (what, w))
        seen.add(w)
    return list(words)


class Vocab:
    """MindSpore's ``text.Vocab``: words and their ids, made by ``from_list``, ``from_dict``
    or ``from_dataset``."""

    def __init__(self, mapping=None) -> None:
        self._ids = dict(mapping or {})

    @classmethod
    def _with_specials(cls, words: list, special_tokens, special_first: bool) -> "Vocab":
        specials = _words(special_tokens, "special_tokens")
        common = set(specials) & set(words)
        if common:
            raise ValueError("special_tokens and word_list contain duplicate word :%s."
                             % common)
        order = specials + words if special_first else words + specials
        return cls({w: k for k, w in enumerate(order)})

    @classmethod
    def from_list(cls, word_list, special_tokens=None, special_first=True) -> "Vocab":
        """MindSpore's ``Vocab.from_list(word_list, special_tokens=None,
        special_first=True)``: ids in list order, the special tokens before (or after)."""
        return cls._with_specials(_words(word_list, "word_list"), special_tokens,
                                  bool(special_first))

    @classmethod
    def from_dict(cls, word_dict) -> "Vocab":
        """MindSpore's ``Vocab.from_dict(word_dict)``: the given ids (non-negative ints)."""
        if not isinstance(word_dict, dict):
            raise TypeError("word_dict must be a dict; got %r" % (word_dict,))
        for w, i in word_dict.items():
            if not isinstance(w, str) or isinstance(i, bool) or not isinstance(i, int) or i < 0:
                raise ValueError("word_dict maps str to non-negative int ids; got %r: %r"
                                 % (w, i))
        return cls(word_dict)

    @classmethod
    def from_dataset(cls, dataset, columns=None, freq_range=None, top_k=None,
                     special_tokens=None, special_first=True) -> "Vocab":
        """MindSpore's ``Vocab.from_dataset(dataset, columns=None, freq_range=None,
        top_k=None, special_tokens=None, special_first=True)``: the words of ``columns`` (all
        by default) counted over one epoch; those with a count in ``freq_range`` (min, max;
        None ends: unbounded) kept, ordered by count (highest first, ties by the word), the
        first ``top_k`` of them."""
        if not isinstance(dataset, Dataset):
            raise TypeError("from_dataset: dataset must be a Dataset; got %r" % (dataset,))
        names = dataset.get_col_names()
        cols = names if columns is None else ([columns] if isinstance(columns, str)
                                              else list(columns))
        idx = [names.index(c) for c in cols]
        counts: collections.Counter = collections.Counter()
        for row in dataset._rows(0):
            for i in idx:
                counts.update(str(w) for w in np.asarray(row[i]).ravel())
        lo, hi = (None, None) if freq_range is None else freq_range
        lo = 0 if lo is None else lo
        hi = float("inf") if hi is None else hi
        words = sorted((w for w, c in counts.items() if lo <= c <= hi),
                       key=lambda w: (-counts[w], w))
        if top_k is not None:
            words = words[:int(top_k)]
        return cls._with_specials(words, special_tokens, bool(special_first))

    def vocab(self) -> dict:
        """The words and their ids."""
        return dict(self._ids)

    def tokens_to_ids(self, tokens):
        """The id of each token (-1 for a word not in the vocabulary); one token: one id."""
        if isinstance(tokens, str):
            return self._ids.get(tokens, -1)
        return [self._ids.get(str(t), -1) for t in tokens]

    def ids_to_tokens(self, ids):
        """The word of each id ('' for an id not in the vocabulary); one id: one word."""
        words = {i: w for w, i in self._ids.items()}
        if isinstance(ids, (int, np.integer)):
            return words.get(int(ids), "")
        return [words.get(int(i), "") for i in ids]


class Lookup:
    """MindSpore's ``text.Lookup(vocab, unknown_token=None, data_type=mstype.int32)``: each
    word's id; a word not in ``vocab`` takes ``unknown_token``'s id (without one: MindSpore's
    error)."""

    def __init__(self, vocab, unknown_token=None, data_type=mstype.int32) -> None:
        if not isinstance(vocab, Vocab):
            raise TypeError("Lookup: vocab must be a text.Vocab; got %r" % (vocab,))
        self.vocab, self.unknown_token = vocab, unknown_token
        self._np = mstype.to_numpy(data_type)

    def __call__(self, words):
        words = np.asarray(words)
        ids = self.vocab.vocab()
        unk = None if self.unknown_token is None else ids.get(self.unknown_token)
        out = []
        for w in words.ravel():
            w = str(w)
            if w in ids:
                out.append(ids[w])
            elif unk is not None:
                out.append(unk)
            elif self.unknown_token is not None:
                raise RuntimeError("Lookup: unknown_token %r is not in the vocabulary"
                                   % self.unknown_token)
            else:
                raise RuntimeError('Lookup: invalid data, token: "%s" doesn\'t exist in vocab '
                                   "and no unknown token is specified." % w)
        return np.asarray(out, self._np).reshape(words.shape)


def _text(data, what: str) -> str:
    arr = np.asarray(data)
    if arr.ndim != 0 or arr.dtype.kind not in "US":
        raise RuntimeError("%s: the input must be one string (a scalar string array); got "
                           "%s %s" % (what, arr.dtype, list(arr.shape)))
    return str(arr)


def _with_offsets(text: str, spans: list, with_offsets: bool):
    tokens = np.asarray([text[a:b] for a, b in spans] or [""])
    if not with_offsets:
        return tokens
    byte_at = np.cumsum([0] + [len(ch.encode("utf-8")) for ch in text])
    starts = np.asarray([byte_at[a] for a, _ in spans] or [0], np.uint32)
    limits = np.asarray([byte_at[b] for _, b in spans] or [0], np.uint32)
    return tokens, starts, limits


class WhitespaceTokenizer:
    """MindSpore's ``text.WhitespaceTokenizer(with_offsets=False)``: the string split at
    whitespace; with offsets also the tokens' start and end byte offsets (uint32)."""

    def __init__(self, with_offsets=False) -> None:
        self.with_offsets = bool(with_offsets)

    def __call__(self, data):
        text = _text(data, "WhitespaceTokenizer")
        spans, start = [], None
        for i, ch in enumerate(text + " "):
            if ch.isspace():
                if start is not None:
                    spans.append((start, i))
                    start = None
            elif start is None:
                start = i
        return _with_offsets(text, spans, self.with_offsets)


class UnicodeCharTokenizer:
    """MindSpore's ``text.UnicodeCharTokenizer(with_offsets=False)``: one token per
    character (offsets in UTF-8 bytes)."""

    def __init__(self, with_offsets=False) -> None:
        self.with_offsets = bool(with_offsets)

    def __call__(self, data):
        text = _text(data, "UnicodeCharTokenizer")
        return _with_offsets(text, [(i, i + 1) for i in range(len(text))], self.with_offsets)


def _is_punct(ch: str) -> bool:
    cp = ord(ch)
    if 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126:
        return True
    return unicodedata.category(ch).startswith("P")


def _is_cjk(ch: str) -> bool:
    cp = ord(ch)
    return any(a <= cp <= b for a, b in ((0x4E00, 0x9FFF), (0x3400, 0x4DBF),
                                         (0x20000, 0x2A6DF), (0x2A700, 0x2B73F),
                                         (0x2B740, 0x2B81F), (0x2B820, 0x2CEAF),
                                         (0xF900, 0xFAFF), (0x2F800, 0x2FA1F)))


class BasicTokenizer:
    """MindSpore's ``text.BasicTokenizer(lower_case=False, keep_whitespace=False,
    normalization_form=NormalizeForm.NONE, preserve_unused_token=True,
    with_offsets=False)``: BERT's basic tokenizer: whitespace splits, each punctuation mark
    and CJK character its own token; ``lower_case`` lower-cases and strips accents (NFD).
    ``keep_whitespace`` and ``with_offsets`` are refused here; ``normalization_form`` other
    than NONE too."""

    def __init__(self, lower_case=False, keep_whitespace=False, normalization_form=None,
                 preserve_unused_token=True, with_offsets=False) -> None:
        if keep_whitespace or with_offsets or \
                getattr(normalization_form, "name", "NONE") not in ("NONE",):
            raise NotImplementedError("BasicTokenizer: autograd_st supports lower_case and "
                                      "preserve_unused_token only")
        self.lower_case = bool(lower_case)
        self.preserve_unused_token = bool(preserve_unused_token)

    def __call__(self, data):
        text = _text(data, "BasicTokenizer")
        if self.lower_case:
            text = "".join(ch for ch in unicodedata.normalize("NFD", text.lower())
                           if unicodedata.category(ch) != "Mn")
        tokens, word = [], ""
        for ch in text:
            if ch.isspace() or _is_punct(ch) or _is_cjk(ch):
                if word:
                    tokens.append(word)
                word = ""
                if not ch.isspace():
                    tokens.append(ch)
            elif unicodedata.category(ch) in ("Cc", "Cf") or ord(ch) in (0, 0xFFFD):
                continue
            else:
                word += ch
        if word:
            tokens.append(word)
        return np.asarray(tokens or [""])


class PythonTokenizer:
    """MindSpore's ``text.PythonTokenizer(tokenizer)``: ``tokenizer(str)`` (a list of
    strings) on a string array (MindSpore refuses a Python str)."""

    def __init__(self, tokenizer) -> None:
        if not callable(tokenizer):
            raise TypeError("PythonTokenizer: tokenizer must be callable; got %r"
                            % (tokenizer,))
        self.tokenizer = tokenizer

    def __call__(self, data):
        if not isinstance(data, np.ndarray):
            raise TypeError("input should be a NumPy array. Got %s." % type(data))
        return np.asarray(self.tokenizer(_text(data, "PythonTokenizer")), dtype=str)


class Ngram:
    """MindSpore's ``text.Ngram(n, left_pad=('', 0), right_pad=('', 0), separator=' ')``:
    the n-grams of a 1-D string array for each n in ``n`` (an int or a list), joined by
    ``separator``, after ``left_pad[1]`` / ``right_pad[1]`` pad tokens; no n-gram at all
    gives ``['']`` (measured)."""

    def __init__(self, n, left_pad=("", 0), right_pad=("", 0), separator=" ") -> None:
        self.n = [n] if isinstance(n, int) else list(n)
        if not self.n or any(isinstance(k, bool) or not isinstance(k, int) or k <= 0
                             for k in self.n):
            raise ValueError("Ngram: n must be a positive int or a list of them; got %r"
                             % (n,))
        self.left_pad, self.right_pad = tuple(left_pad), tuple(right_pad)
        self.separator = separator

    def __call__(self, data):
        words = np.asarray(data)
        if words.ndim != 1 or words.dtype.kind not in "US":
            raise RuntimeError("Ngram: the input must be a 1-D string array; got %s %s"
                               % (words.dtype, list(words.shape)))
        seq = ([self.left_pad[0]] * int(self.left_pad[1]) + [str(w) for w in words]
               + [self.right_pad[0]] * int(self.right_pad[1]))
        out = [self.separator.join(seq[i:i + k]) for k in self.n
               for i in range(len(seq) - k + 1)]
        return np.asarray(out or [""])


class ToNumber:
    """MindSpore's ``text.ToNumber(data_type)``: numeric strings as ``data_type`` (an int
    type takes the integer part of a decimal, measured; a value out of the type's range is
    MindSpore's error)."""

    def __init__(self, data_type) -> None:
        self._np = np.dtype(mstype.to_numpy(data_type))
        if self._np.kind not in "iuf":
            raise TypeError("ToNumber: data_type must be numeric; got %r" % (data_type,))

    def __call__(self, data):
        arr = np.asarray(data)
        values = []
        for s in arr.ravel():
            s = str(s)
            try:
                v = float(s) if self._np.kind == "f" else int(float(s)) if not \
                    s.strip().lstrip("+-").isdigit() else int(s)
            except ValueError:
                raise RuntimeError("ToNumber: string input %s is not a valid %s." %
                                   (s, self._np)) from None
            if self._np.kind in "iu":
                info = np.iinfo(self._np)
                if not info.min <= v <= info.max:
                    raise RuntimeError("ToNumber: string input %s will be out of bounds if "
                                       "cast to %s. The valid range is: [%d, %d]."
                                       % (s, self._np, info.min, info.max))
            values.append(v)
        return np.asarray(values, self._np).reshape(arr.shape)


class SlidingWindow:
    """MindSpore's ``text.SlidingWindow(width, axis=0)``: the windows of ``width``
    consecutive values of a 1-D array (MindSpore 2.10 takes 1-D only), stacked; none (a
    shorter input) gives an empty array."""

    def __init__(self, width, axis=0) -> None:
        if isinstance(width, bool) or not isinstance(width, int) or width <= 0:
            raise ValueError("Input width is not within the required interval of "
                             "[1, 2147483647].")
        self.width, self.axis = width, axis

    def __call__(self, data):
        arr = np.asarray(data)
        if arr.ndim != 1:
            raise RuntimeError("SlidingWindow: SlidingWindow supports 1D input only for now, "
                               "but got %dD." % arr.ndim)
        n = len(arr) - self.width + 1
        if n <= 0:
            return np.empty((0,), arr.dtype)
        return np.stack([arr[i:i + self.width] for i in range(n)])


class TruncateSequencePair:
    """MindSpore's ``text.TruncateSequencePair(max_length)``: two 1-D arrays cut at their
    ends, the longer one first (a tie: the second), until their total length is at most
    ``max_length``."""

    def __init__(self, max_length) -> None:
        if isinstance(max_length, bool) or not isinstance(max_length, int) or max_length < 0:
            raise ValueError("TruncateSequencePair: max_length must be a non-negative int; "
                             "got %r" % (max_length,))
        self.max_length = max_length

    def __call__(self, first, second):
        a, b = np.asarray(first), np.asarray(second)
        la, lb = len(a), len(b)
        while la + lb > self.max_length:
            if la > lb:
                la -= 1
            else:
                lb -= 1
        return a[:la], b[:lb]
