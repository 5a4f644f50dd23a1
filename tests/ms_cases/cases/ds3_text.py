"""ds.text (MindSpore 2.10 numbers): Vocab.from_list / from_dict / from_dataset (special
tokens first and last, freq_range, top_k), tokens_to_ids / ids_to_tokens, Lookup (unknown
token, int64), WhitespaceTokenizer / UnicodeCharTokenizer (with byte offsets),
BasicTokenizer, Ngram, ToNumber, SlidingWindow, TruncateSequencePair, PythonTokenizer and a
tokenize-then-lookup pipeline.  Strings are returned as their code points."""
import numpy as np
import mindspore as ms
import mindspore.dataset as ds
import mindspore.dataset.text as text


def _codes(value):
    arr = np.asarray(value)
    return np.array([ord(ch) for s in arr.ravel() for ch in str(s) + "|"], np.int64)


def _vocab(v):
    items = sorted(v.vocab().items())
    return np.array([ord(ch) for w, i in items for ch in w + "=" + str(i) + ";"], np.int64)


def run():
    out = {}
    v = text.Vocab.from_list(["home", "world", "hello"], special_tokens=["<pad>", "<unk>"],
                             special_first=True)
    out["vocab"] = _vocab(v)
    out["vocab_last"] = _vocab(text.Vocab.from_list(["a", "b"], ["<unk>"], False))
    out["vocab_dict"] = _vocab(text.Vocab.from_dict({"x": 3, "y": 7}))
    out["t2i"] = np.array(v.tokens_to_ids(["hello", "nope", "world"]))
    out["t2i_one"] = float(v.tokens_to_ids("home"))
    out["i2t"] = _codes(v.ids_to_tokens([0, 3, 99]))
    out["i2t_one"] = _codes(v.ids_to_tokens(2))
    out["lookup"] = text.Lookup(v, "<unk>")(np.array(["hello", "zzz", "home"]))
    out["lookup_scalar"] = text.Lookup(v, "<unk>")("world")
    out["lookup_i64"] = text.Lookup(v, "<unk>", ms.int64)(np.array(["hello"]))
    out["ws"] = _codes(text.WhitespaceTokenizer()("Hello  world\tfoo\nbar "))
    tok, start, end = text.WhitespaceTokenizer(True)("ab cd")
    out["ws_tok"], out["ws_start"], out["ws_end"] = _codes(tok), start, end
    out["uc"] = _codes(text.UnicodeCharTokenizer()("h\u00e9llo 1"))
    tok, start, end = text.UnicodeCharTokenizer(True)("h\u00e9")
    out["uc_tok"], out["uc_start"], out["uc_end"] = _codes(tok), start, end
    out["basic"] = _codes(text.BasicTokenizer()("Hello, World! It's 2024."))
    out["basic_lower"] = _codes(text.BasicTokenizer(lower_case=True)("Hello, WORLD!\u00dcn\u00ef"))
    out["ngram"] = _codes(text.Ngram(2)(np.array(["a", "b", "c"])))
    out["ngram_list"] = _codes(text.Ngram([1, 3])(np.array(["a", "b", "c"])))
    out["ngram_pad"] = _codes(text.Ngram(2, left_pad=("_", 1), right_pad=("-", 1),
                                         separator="+")(np.array(["a", "b"])))
    out["ngram_none"] = _codes(text.Ngram(4)(np.array(["a", "b"])))
    out["tonum"] = text.ToNumber(ms.int32)(np.array(["1", "-2", "3"]))
    out["tonum_f"] = text.ToNumber(ms.float32)(np.array(["1.5", "2e3"]))
    out["tonum_trunc"] = text.ToNumber(ms.int32)(np.array(["1.5"]))
    out["sw"] = text.SlidingWindow(2)(np.array([1, 2, 3, 4]))
    out["sw_none"] = text.SlidingWindow(5)(np.array([1, 2, 3]))
    a, b = text.TruncateSequencePair(4)(np.array([1, 2, 3]), np.array([4, 5, 6]))
    out["tsp_a"], out["tsp_b"] = a, b
    a, b = text.TruncateSequencePair(3)(np.array([1]), np.array([5, 6, 7, 8]))
    out["tsp2_a"], out["tsp2_b"] = a, b
    out["pytok"] = _codes(text.PythonTokenizer(lambda s: s.split("-"))(np.array("a-b-c")))
    data = ds.NumpySlicesDataset(["a b a", "c a"], column_names=["text"], shuffle=False)
    data = data.map(text.WhitespaceTokenizer(), "text")
    vd = text.Vocab.from_dataset(data, columns=["text"], special_tokens=["<unk>"],
                                 special_first=True)
    out["from_ds"] = _vocab(vd)
    out["from_ds_freq"] = _vocab(text.Vocab.from_dataset(data, columns="text",
                                                         freq_range=(2, 10), top_k=5))
    out["from_ds_topk"] = _vocab(text.Vocab.from_dataset(data, top_k=2,
                                                         special_tokens=["<pad>"],
                                                         special_first=False))
    ids = data.map(text.Lookup(vd, "<unk>"), "text")
    for i, (row,) in enumerate(ids.create_tuple_iterator(output_numpy=True)):
        out["ids/%d" % i] = row
    return out
