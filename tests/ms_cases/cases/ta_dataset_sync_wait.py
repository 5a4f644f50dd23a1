"""sync_wait / sync_update steering a map (the callback's state read by the next rows) over
five epochs, and RandomSelectSubpolicy with one subpolicy of certain steps (probability 1
and 0): the values."""
import numpy as np
import mindspore.dataset as ds
import mindspore.dataset.vision as vision


class _State:
    def __init__(self):
        self.epoch, self.step = 0, 0

    def apply(self, x):
        return np.array(x * 10 + self.step ** self.epoch - 1)

    def update(self, data):
        self.epoch, self.step = data["epoch"], data["step"]


def run():
    state = _State()
    data = ds.NumpySlicesDataset(list(range(1, 4)), shuffle=False)
    data = data.sync_wait(condition_name="policy", callback=state.update)
    data = data.map(operations=[state.apply])
    it = data.create_tuple_iterator(num_epochs=5, output_numpy=True)
    seen, step = [], 0
    for epoch in range(5):
        for row in it:
            seen.append(float(row[0]))
            step += 1
            data.sync_update(condition_name="policy", data={"epoch": epoch, "step": step})
    img = (np.arange(4 * 6 * 3) % 255).astype(np.uint8).reshape(4, 6, 3)
    policy = vision.RandomSelectSubpolicy([[(vision.HorizontalFlip(), 1.0),
                                            (vision.VerticalFlip(), 0.0),
                                            (vision.Invert(), 1.0)]])
    return {"seen": np.array(seen), "policy": policy(img).astype(np.float64)}
