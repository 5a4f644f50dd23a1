"""``mindspore.log`` (``from mindspore import log as logger``, 19 files of MindSpore's
official model zoo): ``debug``, ``info``, ``warning``, ``error``, ``critical`` and
``get_level``, over Python's ``logging`` (logger ``"autograd_st"``).

MindSpore's level comes from ``GLOG_v`` (0 debug, 1 info, 2 warning, the default, 3 error,
4 critical); ``get_level()`` returns it as MindSpore does, a string ('2' unless ``GLOG_v``
is set).  Messages go to stderr as ``[LEVEL] autograd_st: message``.

Takes: nothing from the package.  Gives: those functions.
"""
from __future__ import annotations

import logging
import os

__all__ = ["debug", "info", "warning", "error", "critical", "get_level"]

_LEVELS = {"0": logging.DEBUG, "1": logging.INFO, "2": logging.WARNING, "3": logging.ERROR,
           "4": logging.CRITICAL}
_LOGGER = logging.getLogger("autograd_st")


def get_level() -> str:
    """MindSpore's ``log.get_level()``: ``GLOG_v`` as a string, '2' (warning) unless set."""
    level = os.environ.get("GLOG_v", "2")
    return level if level in _LEVELS else "2"


def _log(level: int, msg, *args) -> None:
    if level < _LEVELS[get_level()]:
        return
    if not _LOGGER.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("[%(levelname)s] autograd_st: %(message)s"))
        _LOGGER.addHandler(handler)
        _LOGGER.propagate = False
    _LOGGER.setLevel(logging.DEBUG)
    _LOGGER.log(level, msg, *args)


def debug(msg, *args) -> None:
    """Log ``msg % args`` at debug level (shown when ``GLOG_v=0``)."""
    _log(logging.DEBUG, msg, *args)


def info(msg, *args) -> None:
    """Log ``msg % args`` at info level (``GLOG_v`` <= 1)."""
    _log(logging.INFO, msg, *args)


def warning(msg, *args) -> None:
    """Log ``msg % args`` at warning level (``GLOG_v`` <= 2, the default)."""
    _log(logging.WARNING, msg, *args)


def error(msg, *args) -> None:
    """Log ``msg % args`` at error level (``GLOG_v`` <= 3)."""
    _log(logging.ERROR, msg, *args)


def critical(msg, *args) -> None:
    """Log ``msg % args`` at critical level (always)."""
    _log(logging.CRITICAL, msg, *args)
