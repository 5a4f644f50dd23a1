"""``mindspore.dataset.text`` (filled below)."""
