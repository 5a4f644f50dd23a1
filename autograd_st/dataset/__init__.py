"""``autograd_st.dataset``: MindSpore's ``mindspore.dataset`` as tutorials use it.

``import autograd_st.dataset as ds`` (``mindspore.dataset``) gives the sources
``NumpySlicesDataset``, ``GeneratorDataset`` and ``MnistDataset``, the pipeline stages
(``.map``, ``.batch``, ``.shuffle``, ``.repeat``, ``.take``, ``.skip``, ``.rename``,
``.project``), iterators that yield Tensors (``create_tuple_iterator``,
``create_dict_iterator``), ``ds.config.set_seed`` and the submodules ``transforms``
(``TypeCast``, ``OneHot``, ``Compose``, and :mod:`.transforms2`'s ``Duplicate``, ``Fill``, ...),
``vision`` (``Rescale``, ``Normalize``, ``HWC2CHW``, ``Resize``, ..., and :mod:`.vision2`'s
colour, geometry and random transforms), ``text`` (``Vocab``, ``Lookup``, tokenizers) and
``audio`` (``LFilter``, ``Biquad``, ``BassBiquad``).
:mod:`.sources2` adds the file sources (``Cifar10Dataset``, ``ImageFolderDataset``,
``CSVDataset``, ``TextFileDataset``, ...).

Takes: :class:`~autograd_st.tensor.Tensor` and :mod:`autograd_st.dtype`; numpy does the work.
Gives: the names above.  A global seed setter calls :func:`config.set_seed` (the hook;
``mindspore.set_seed`` sets the dataset seed too).
"""
from . import audio, config, text, transforms, vision, vision2, vision_random
from .cache import DatasetCache
from .config import get_seed, set_seed
from .core import BatchInfo, Dataset
from .mindrecord import MindDataset
from .samplers import (
    DistributedSampler,
    PKSampler,
    RandomSampler,
    Sampler,
    SequentialSampler,
    SubsetRandomSampler,
    SubsetSampler,
    WeightedRandomSampler,
)
from .sources import GeneratorDataset, MnistDataset, NumpySlicesDataset
from .sources2 import (
    Cifar10Dataset,
    Cifar100Dataset,
    CSVDataset,
    FakeImageDataset,
    FashionMnistDataset,
    ImageFolderDataset,
    KMnistDataset,
    PaddedDataset,
    RandomDataset,
    Schema,
    Shuffle,
    TextFileDataset,
)

# ds.vision is one namespace: vision2's and vision_random's transforms (which build on vision's
# Inter, Border and Resize, so vision cannot import them back without a cycle) are published in
# it here
for _more in (vision2, vision_random):
    for _name in _more.__all__:
        setattr(vision, _name, getattr(_more, _name))
    vision.__all__ = list(vision.__all__) + [n for n in _more.__all__ if n not in vision.__all__]


def zip(datasets):  # noqa: A001 - MindSpore's name (mindspore.dataset.zip)
    """MindSpore's ``mindspore.dataset.zip(datasets)``: a tuple of Datasets side by side
    (their columns in order; as many rows as the shortest)."""
    if not isinstance(datasets, tuple) or len(datasets) < 2 or \
            not all(isinstance(d, Dataset) for d in datasets):
        raise TypeError("zip: datasets must be a tuple of at least two Datasets; got %r"
                        % (datasets,))
    return datasets[0].zip(datasets[1:])

__all__ = ["DatasetCache", "Dataset", "BatchInfo", "zip", "DistributedSampler", "SequentialSampler", "SubsetSampler",
           "RandomSampler", "SubsetRandomSampler", "NumpySlicesDataset", "GeneratorDataset", "MnistDataset", "config",
           "transforms", "vision", "set_seed", "get_seed", "text", "audio",
           "Cifar10Dataset", "Cifar100Dataset", "ImageFolderDataset", "CSVDataset",
           "TextFileDataset", "FashionMnistDataset", "KMnistDataset", "PaddedDataset",
           "FakeImageDataset", "RandomDataset", "Schema", "Shuffle", "WeightedRandomSampler",
           "PKSampler", "Sampler", "MindDataset"]
