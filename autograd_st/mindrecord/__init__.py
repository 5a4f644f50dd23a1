"""``mindspore.mindrecord``: the names (``FileWriter``, ``FileReader``) that model-zoo data
modules import at their top, so that importing them works; MindRecord files themselves are
not supported here.

MindRecord is MindSpore's own on-disk dataset format (written by its C++ shard writer); the
zoo's ``src/dataset.py`` files import ``FileWriter`` to convert raw data once, and the
networks never use it.  Creating a writer or reader raises ``NotImplementedError`` saying
what to do instead (feed numpy arrays through ``dataset.NumpySlicesDataset`` or
``GeneratorDataset``).

Takes: nothing from the package.  Gives: ``FileWriter``, ``FileReader``.
"""
from __future__ import annotations

__all__ = ["FileWriter", "FileReader"]

_HINT = ("MindRecord files are MindSpore's own format and are not supported by autograd_st: "
         "keep the data as numpy arrays (np.save / np.load) and feed them through "
         "autograd_st.dataset.NumpySlicesDataset or GeneratorDataset")


class FileWriter:
    """MindSpore's ``mindrecord.FileWriter(file_name, shard_num=1, overwrite=False)``: not
    supported (raises ``NotImplementedError`` when created)."""

    def __init__(self, file_name, shard_num=1, overwrite=False) -> None:
        raise NotImplementedError("mindrecord.FileWriter(%r): %s." % (file_name, _HINT))


class FileReader:
    """MindSpore's ``mindrecord.FileReader(file_name, num_consumer=4, columns=None,
    operator=None)``: not supported (raises ``NotImplementedError`` when created)."""

    def __init__(self, file_name, num_consumer=4, columns=None, operator=None) -> None:
        raise NotImplementedError("mindrecord.FileReader(%r): %s." % (file_name, _HINT))
