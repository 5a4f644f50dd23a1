"""MindSpore's seeded random vision transforms (autograd_st/dataset/op_draws.py): the
generator each op holds, how an eager call and a map pipeline seed it, and the draws of each
transform, checked against the rules written out here again (the recorded MindSpore 2.10
numbers are the cases tests/ms_cases/cases/rv_*.py)."""
import io
import math
import random

import numpy as np
import pytest
from PIL import Image

import autograd_st as ms
import autograd_st.dataset as ds
from autograd_st.dataset import config, op_draws, transforms, vision
from autograd_st.dataset.op_draws import OpGenerator, std_round


@pytest.fixture(autouse=True)
def _default_seed():
    yield
    ds.config.set_seed(ds.config.DEFAULT_SEED)


def _img(h=10, w=12, shift=0):
    yy, xx = np.mgrid[0:h, 0:w]
    return ((np.stack([yy * 16, xx * 15, yy * 7 + xx * 13], -1) + shift) % 256).astype(np.uint8)


def _where(out, img):
    """The (top, left) of ``out`` in ``img`` (a crop of it)."""
    h, w = out.shape[:2]
    for y in range(img.shape[0] - h + 1):
        for x in range(img.shape[1] - w + 1):
            if np.array_equal(img[y:y + h, x:x + w], out):
                return y, x
    raise AssertionError("not a crop of the image")


# -- the generator ---------------------------------------------------------------------------
def test_generator_is_std_mt19937_with_libstdcxx_distributions():
    g = OpGenerator(5489)
    for _ in range(9999):
        g.mt()
    assert g.mt() == 4123659995  # the C++ standard's check of mt19937: its 10000th output
    raw = OpGenerator(77).mt
    outs = [raw() for _ in range(6)]
    g = OpGenerator(77)
    assert g.canonical() == (outs[0] + outs[1] * 2.0 ** 32) / 2.0 ** 64
    assert g.bernoulli(0.5) == ((outs[2] + outs[3] * 2.0 ** 32) / 2.0 ** 64 < 0.5)
    u = g.uniform_float(-1, 3)  # one output, as a float32 in [0, 1), scaled in float32
    assert u == np.float32(np.float32(np.float32(outs[4]) / np.float32(2 ** 32)) * 4) - 1
    assert u.dtype == np.float32
    scaling = (2 ** 32 - 1) // 7  # uniform_int: the output over the largest multiple below
    assert outs[5] < 7 * scaling  # (not redrawn, for this seed)
    assert g.uniform_int(3, 9) == 3 + outs[5] // scaling
    draws = [OpGenerator(s).uniform_int(0, 4) for s in range(400)]
    assert set(draws) == {0, 1, 2, 3, 4}
    assert all(0 <= OpGenerator(s).uniform_float(2, 5) < 5 for s in range(200))


def test_std_round_takes_halves_away_from_zero():
    assert [std_round(v) for v in (2.5, 3.5, -2.5, 2.4999, 0.5, -0.5)] == [3, 4, -3, 2, 1, -1]
    assert [round(v) for v in (2.5, -2.5)] == [2, -2]  # (Python's: to even)


def test_std_shuffle_of_four_draws_every_order():
    orders = set()
    for seed in range(200):
        names = ["b", "c", "s", "h"]
        OpGenerator(seed).shuffle(names)
        orders.add(tuple(names))
    assert len(orders) == 24


# -- eager calls -----------------------------------------------------------------------------
def test_eager_call_draws_the_first_numbers_of_the_seed():
    img = _img()
    crop = vision.RandomCrop((4, 5))
    for seed in (1, 2, 1234):
        ds.config.set_seed(seed)
        outs = [crop(img) for _ in range(3)]
        assert all(np.array_equal(outs[0], o) for o in outs)  # rebuilt each call
        g = OpGenerator(seed)
        x = g.uniform_int(0, 12 - 5)
        y = g.uniform_int(0, 10 - 4)  # x is drawn first, then y
        assert _where(outs[0], img) == (y, x)
        flipped = vision.RandomHorizontalFlip(0.5)(img)
        expect = OpGenerator(seed).bernoulli(0.5)
        assert np.array_equal(flipped, img[:, ::-1]) == expect


def test_unseeded_ops_vary_from_call_to_call_and_runs_repeat():
    img = _img()
    ds.config.set_seed(ds.config.DEFAULT_SEED)  # MindSpore: each op built from /dev/urandom
    crop = vision.RandomCrop((3, 3))
    places = [_where(crop(img), img) for _ in range(30)]
    assert len(set(places)) > 10
    ds.config.set_seed(ds.config.DEFAULT_SEED)  # (the stream of seeds starts again)
    assert [_where(crop(img), img) for _ in range(30)] == places


def test_set_seed_seeds_python_and_numpy_random_too():
    ds.config.set_seed(42)
    a = (random.random(), np.random.rand())
    random.seed(42)
    np.random.seed(42)
    assert a == (random.random(), np.random.rand())
    ms.set_seed(43)  # mindspore.set_seed sets the dataset seed
    assert ds.config.get_seed() == 43


def test_random_crop_padding_and_no_draw_at_the_crop_size():
    img = _img()
    ds.config.set_seed(5)
    out = vision.RandomCrop((10, 12))(img)
    np.testing.assert_array_equal(out, img)
    padded = np.pad(img, ((1, 1), (1, 1), (0, 0)), constant_values=7)
    out = vision.RandomCrop((6, 6), padding=1, fill_value=7)(img)
    g = OpGenerator(5)
    x = g.uniform_int(0, 14 - 6)
    y = g.uniform_int(0, 12 - 6)
    np.testing.assert_array_equal(out, padded[y:y + 6, x:x + 6])
    out = vision.RandomCrop((12, 15), pad_if_needed=True)(img)  # 2 rows, 3 columns each end
    g = OpGenerator(5)
    x = g.uniform_int(0, 18 - 15)
    y = g.uniform_int(0, 14 - 12)
    big = np.pad(img, ((2, 2), (3, 3), (0, 0)))
    np.testing.assert_array_equal(out, big[y:y + 12, x:x + 15])


def test_random_resized_crop_box_and_fallback():
    img = _img(20, 30)
    op = vision.RandomResizedCrop((5, 6), scale=(0.2, 0.6), ratio=(0.5, 2.0),
                                  interpolation=vision.Inter.NEAREST)
    for seed in range(6):
        g = OpGenerator(seed)
        lo, hi = (np.float32(math.log(np.float32(r))) for r in (0.5, 2.0))
        while True:  # the box, written out from MindSpore's GetCropBox
            scale = float(g.uniform_float(0.2, 0.6))
            ratio = float(np.float32(math.exp(float(g.uniform_float(lo, hi)))))
            w = std_round(math.sqrt(600 * scale * ratio))
            h = std_round(w / ratio)
            if w <= 30 and h <= 20:
                x = g.uniform_int(0, 30 - w)
                y = g.uniform_int(0, 20 - h)
                break
        ds.config.set_seed(seed)
        np.testing.assert_array_equal(op(img), vision.Resize((5, 6), vision.Inter.NEAREST)(
            img[y:y + h, x:x + w]))
    # no box fits: the centre crop of the clamped ratio, offsets std::round(d / 2.0f)
    sq = _img(10, 10)
    fallback = vision.RandomResizedCrop((5, 10), scale=(0.95, 1.0), ratio=(2.0, 3.0),
                                        interpolation=vision.Inter.NEAREST)(sq)
    np.testing.assert_array_equal(fallback, sq[3:8])  # rows 2.5 -> 3 (Python's round: 2)


def test_random_color_adjust_order_and_factors():
    img = _img()
    op = vision.RandomColorAdjust(brightness=(0.5, 1.5), saturation=(0.2, 0.4))
    for seed in range(4):
        g = OpGenerator(seed)
        names = ["brightness", "contrast", "saturation", "hue"]
        g.shuffle(names)
        expect = img
        for name in names:  # contrast (1, 1) and hue (0, 0): skipped, no draw
            if name == "brightness":
                expect = vision.AdjustBrightness(float(g.uniform_float(0.5, 1.5)))(expect)
            elif name == "saturation":
                expect = vision.AdjustSaturation(float(g.uniform_float(0.2, 0.4)))(expect)
        ds.config.set_seed(seed)
        np.testing.assert_array_equal(op(img), expect)


def test_random_rotation_angle_is_float_mid_plus_draw_times_half_range():
    img = _img()
    for degrees, (lo, hi) in ((30, (-30, 30)), ((10, 80), (10, 80)), (400, (-40, 40)),
                              ((-90, 300), (-180, 180)), ((350, 20), (350, 380))):
        ds.config.set_seed(3)
        out = vision.RandomRotation(degrees)(img)
        u = OpGenerator(3).uniform_float(-1, 1)
        f = np.float32
        angle = (f(hi) + f(lo)) / f(2) + u * ((f(hi) - f(lo)) / f(2))
        np.testing.assert_array_equal(out, vision.Rotate(float(angle))(img))


def test_random_crop_decode_resize_on_png_is_random_resized_crop_of_the_decoded():
    base = _img(24, 32)
    buf = io.BytesIO()
    Image.fromarray(base).save(buf, "PNG")
    png = np.frombuffer(buf.getvalue(), np.uint8)
    for seed in (1, 2, 3):
        ds.config.set_seed(seed)
        a = vision.RandomCropDecodeResize((10, 12), scale=(0.3, 0.9))(png)
        b = vision.RandomResizedCrop((10, 12), scale=(0.3, 0.9))(base)
        np.testing.assert_array_equal(a, b)
    with pytest.raises(TypeError, match="1-D NumPy"):
        vision.RandomCropDecodeResize(8)(base)


# -- map pipelines ---------------------------------------------------------------------------
def _flips(seed, workers, epochs=3, n=6, take=None, repeat=None, maps=1, per_map=1):
    imgs = np.stack([_img(2, 3, 40 * i) for i in range(n)])
    ds.config.set_seed(seed)
    d = ds.NumpySlicesDataset({"img": imgs, "i": np.arange(n)}, shuffle=False)
    for _ in range(maps):
        d = d.map([vision.RandomHorizontalFlip() for _ in range(per_map)], input_columns=["img"],
                  num_parallel_workers=workers)
    if take:
        d = d.take(take)
    if repeat:
        d = d.repeat(repeat)
    it = d.create_dict_iterator(num_epochs=epochs, output_numpy=True)
    return [[int(not np.array_equal(r["img"], imgs[int(r["i"])])) for r in it]
            for _ in range(epochs)]


def _rule(seed, workers, passes):
    """Worker ``w`` draws from ``mt19937(seed + w)``; rows take the workers in turn and each
    pass's end takes one turn."""
    gens = [OpGenerator(seed + w) for w in range(workers)]
    turn, out = 0, []
    for n in passes:
        row = []
        for _ in range(n):
            row.append(int(gens[turn % workers].bernoulli(0.5)))
            turn += 1
        turn += 1
        out.append(row)
    return out


@pytest.mark.parametrize("workers", [1, 2, 3])
def test_map_seeds_each_worker_and_runs_on_through_epochs(workers):
    assert _flips(1234, workers) == _rule(1234, workers, [6, 6, 6])


def test_map_ops_have_their_own_generators():
    assert _flips(9, 1, per_map=2) == [[0] * 6] * 3  # the same draws twice: flipped back
    assert _flips(9, 1, maps=2) == [[0] * 6] * 3


def test_take_reads_its_child_to_the_end_of_the_epoch():
    full = _rule(77, 2, [6, 6, 6])
    assert _flips(77, 2, take=2) == [e[:2] for e in full]


def test_repeat_passes_each_take_a_turn():
    rule = _rule(77, 2, [6, 6, 6, 6])
    assert _flips(77, 2, epochs=2, repeat=2) == [rule[0] + rule[1], rule[2] + rule[3]]


def test_default_workers_and_their_setting():
    assert ds.config.get_num_parallel_workers() == min(8, config._CPUS)
    with pytest.raises(ValueError, match="between 1 and"):
        ds.config.set_num_parallel_workers(config._CPUS + 1)
    with pytest.raises(TypeError):
        ds.config.set_num_parallel_workers(1.5)
    old = ds.config.get_num_parallel_workers()
    ds.config.set_num_parallel_workers(1)
    try:
        assert _flips(5, None) == _rule(5, 1, [6, 6, 6])
    finally:
        config._WORKERS[0] = old


def test_iterators_start_again_and_read_the_seed_when_made():
    imgs = np.stack([_img(4, 5, 30 * i) for i in range(5)])
    ds.config.set_seed(31)
    d = ds.NumpySlicesDataset({"img": imgs}, shuffle=False).map(
        [vision.RandomCrop((3, 3))], num_parallel_workers=1)
    first = [r["img"] for r in d.create_dict_iterator(output_numpy=True)]
    it = d.create_dict_iterator(num_epochs=1, output_numpy=True)
    ds.config.set_seed(32)
    again = [r["img"] for r in it]
    assert all(np.array_equal(a, b) for a, b in zip(first, again))
    ds.config.set_seed(31)  # a look at the shapes or the size on the way: its own draws
    it = d.create_dict_iterator(num_epochs=2, output_numpy=True)
    rows = []
    for _ in range(2):
        for r in it:
            rows.append(r["img"])
            d.output_shapes()
            d.get_dataset_size()
    g = OpGenerator(31)
    for k, row in enumerate(rows):
        x = g.uniform_int(0, 2)
        y = g.uniform_int(0, 1)
        np.testing.assert_array_equal(row, imgs[k % 5][y:y + 3, x:x + 3])


def test_compose_is_flattened_into_the_map():
    imgs = np.stack([_img(6, 7, 20 * i) for i in range(4)])

    def rows(ops):
        ds.config.set_seed(8)
        d = ds.NumpySlicesDataset({"img": imgs}, shuffle=False).map(ops, num_parallel_workers=2)
        return [r["img"] for r in d.create_dict_iterator(output_numpy=True)]
    a = rows([transforms.Compose([vision.RandomCrop((4, 4)), vision.RandomVerticalFlip()])])
    b = rows([vision.RandomCrop((4, 4)), vision.RandomVerticalFlip()])
    assert all(np.array_equal(p, q) for p, q in zip(a, b))


def test_compounds_draw_then_their_transforms_draw_from_the_seed():
    imgs = np.stack([_img(2, 3, 40 * i) for i in range(6)])
    ds.config.set_seed(8)
    d = ds.NumpySlicesDataset({"img": imgs}, shuffle=False).map(
        [transforms.RandomApply([vision.RandomHorizontalFlip(0.5)], 1.0)],
        num_parallel_workers=2)
    got = [int(not np.array_equal(r["img"], imgs[k]))
           for k, r in enumerate(d.create_dict_iterator(output_numpy=True))]
    inner = [OpGenerator(8), OpGenerator(8)]  # each worker's copy: seeded with 8 itself
    assert got == [int(inner[k % 2].bernoulli(0.5)) for k in range(6)]
    ds.config.set_seed(8)
    pick = transforms.RandomChoice([vision.HorizontalFlip(), vision.VerticalFlip()])(imgs[1])
    j = OpGenerator(8).uniform_int(0, 1)
    np.testing.assert_array_equal(pick, imgs[1][:, ::-1] if j == 0 else imgs[1][::-1])
    ds.config.set_seed(8)
    kept = transforms.RandomApply([vision.HorizontalFlip()], 0.3)(imgs[1])
    applied = OpGenerator(8).uniform_double(0.0, 1.0) <= 0.3
    np.testing.assert_array_equal(kept, imgs[1][:, ::-1] if applied else imgs[1])


# -- PIL images: MindSpore's Python forms ----------------------------------------------------
def test_pil_images_draw_from_python_random():
    img = _img()
    pil = Image.fromarray(img)
    ds.config.set_seed(21)
    outs = [np.asarray(vision.RandomHorizontalFlip()(pil)) for _ in range(6)]
    random.seed(21)
    assert [np.array_equal(o, img[:, ::-1]) for o in outs] == \
        [0.5 > random.random() for _ in range(6)]
    ds.config.set_seed(21)
    out = np.asarray(vision.RandomCrop((4, 5))(pil))
    random.seed(21)
    top, left = random.randint(0, 6), random.randint(0, 7)  # top first, here
    np.testing.assert_array_equal(out, img[top:top + 4, left:left + 5])
    ds.config.set_seed(21)
    angle_img = vision.RandomRotation(30)(pil)
    random.seed(21)
    angle = random.uniform(-30, 30) % 360.0
    np.testing.assert_array_equal(np.asarray(angle_img), np.asarray(pil.rotate(
        angle, 0, False, None, fillcolor=(0, 0, 0))))
    assert op_draws.current_run() is None
