"""MindSpore's random initial values, reproduced: the same numbers under the same seed.

Takes: numpy only (its global ``numpy.random`` state, which ``mindspore.set_seed`` seeds).
Gives: :class:`InitRandom`, the generator random Parameter initializers draw from
(``autograd_st.context.INIT_RNG``), with the calls they make of a numpy Generator:
``uniform``, ``normal``, ``standard_normal`` and ``truncated_normal``.

MindSpore 2.10 (``common/initializer.py`` and its C++ ``random.h``, measured): each random
initializer call takes a seed from numpy's global generator,
``np.random.randint(1, 2**63, dtype=np.int64)`` (``mindspore.set_seed(s)`` calls
``np.random.seed(s)``), and fills its float32 array from a Philox-4x32-10 counter generator
keyed by that seed (key: the seed's two 32-bit halves; counter: a block number in its first
two words, the seed in its last two), four 32-bit outputs per block, in order:

- uniform in ``[a, b)``: ``(b - a) * (u / 2**32) + a`` in double, then float32;
- normal: Box-Muller on pairs, each 32-bit output made a float in ``[0, 1)`` from its 23 low
  bits, floored at 1e-7: ``mean + sqrt(-2 log u1) * sigma * cos(2 pi u2)`` then ``sin`` for
  the next value (pi as float32's 3.1415926);
- truncated normal: the inverse of the normal's CDF at a uniform draw between the bounds'
  CDFs (boost's rational approximations of erf's inverse).

So ``set_seed`` (or ``np.random.seed``) then the same layers give MindSpore's initial
weights, and as in MindSpore an unseeded program draws from numpy's unseeded state.
Other random choices (``exponential``, ``integers``, ...) come from a numpy Generator seeded
the same way: reproducible, not MindSpore's.
"""
from __future__ import annotations

import math

import numpy as np

__all__ = ["InitRandom", "philox_u32", "DropoutStream", "FreshDropoutStream", "graph_seed",
           "kernel_seed", "reset_op_seeds", "StdMT19937", "kernel_standard_normal",
           "kernel_uniform_real", "kernel_uniform_int"]

_U32 = np.uint64(0xFFFFFFFF)
_S32 = np.uint64(32)


def _seed() -> int:
    """The next initializer's seed, as MindSpore's ``_numpy_seed()`` draws it."""
    return int(np.random.randint(low=1, high=1 << 63, dtype=np.int64))


def philox_u32(seed: int, n: int) -> np.ndarray:
    """The first ``n`` 32-bit outputs (as uint64) of MindSpore's ``random::Philox(seed)``."""
    seed &= (1 << 64) - 1
    blocks = (n + 3) // 4
    b = np.arange(blocks, dtype=np.uint64)
    c0, c1 = b & _U32, b >> _S32
    c2 = np.full(blocks, seed & 0xFFFFFFFF, np.uint64)
    c3 = np.full(blocks, seed >> 32, np.uint64)
    k0, k1 = np.uint64(seed & 0xFFFFFFFF), np.uint64(seed >> 32)
    m0, m1 = np.uint64(0xD2511F53), np.uint64(0xCD9E8D57)
    w0, w1 = np.uint64(0x9E3779B9), np.uint64(0xBB67AE85)
    for _ in range(10):
        t0, t1 = m0 * c0, m1 * c2
        c0, c1, c2, c3 = (t1 >> _S32) ^ c1 ^ k0, t1 & _U32, (t0 >> _S32) ^ c3 ^ k1, t0 & _U32
        k0, k1 = (k0 + w0) & _U32, (k1 + w1) & _U32
    return np.stack([c0, c1, c2, c3], axis=1).reshape(-1)[:n]


def _unit(u: np.ndarray) -> np.ndarray:
    """MindSpore's ``UniformDistribution<double>(0, 1)``: ``u / 2**32``."""
    return u.astype(np.float64) / 4294967296.0


def _f32(x) -> float:
    return float(np.float32(x))


def _shape(size) -> tuple:
    if size is None:
        return ()
    return (int(size),) if isinstance(size, (int, np.integer)) else tuple(int(s) for s in size)


class InitRandom:
    """The generator MindSpore's random initializers draw from (see the module docstring):
    one new seed from ``numpy.random`` per call, as one MindSpore initializer call takes."""

    def uniform(self, low=0.0, high=1.0, size=None) -> np.ndarray:
        shape = _shape(size)
        n = int(np.prod(shape))
        a, b = _f32(low), _f32(high)  # (MindSpore passes them to C++ as float)
        s = _unit(philox_u32(_seed(), n))
        return ((b - a) * s + a).astype(np.float32).reshape(shape)

    def normal(self, loc=0.0, scale=1.0, size=None) -> np.ndarray:
        shape = _shape(size)
        n = int(np.prod(shape))
        mean, sigma = _f32(loc), _f32(scale)
        m = n + (n & 1)
        u = philox_u32(_seed(), m)
        f = ((u & np.uint64(0x7FFFFF)) | np.uint64(127 << 23)).astype(np.uint32)
        f = (f.view(np.float32) - np.float32(1.0)).astype(np.float64)
        floor = _f32(1.0e-7)
        u1, u2 = np.maximum(f[0::2], floor), np.maximum(f[1::2], floor)
        x = np.sqrt(-2.0 * np.log(u1)) * sigma
        y = 2.0 * _f32(3.1415926) * u2
        out = np.empty(m)
        out[0::2] = mean + x * np.cos(y)
        out[1::2] = mean + x * np.sin(y)
        return out[:n].astype(np.float32).reshape(shape)

    def standard_normal(self, size=None) -> np.ndarray:
        return self.normal(0.0, 1.0, size)

    def truncated_normal(self, a, b, mean, sigma, size=None) -> np.ndarray:
        """Normal with ``mean`` and ``sigma`` kept in ``[a, b]`` (MindSpore's
        ``TruncatedNormal`` initializer: the inverse CDF at a uniform draw)."""
        shape = _shape(size)
        n = int(np.prod(shape))
        a, b, mean, sigma = _f32(a), _f32(b), _f32(mean), _f32(sigma)
        if sigma <= 0:
            raise ValueError("TruncatedNormal: invalid sigma %r." % sigma)
        root2 = _f32(1.4142135)
        cdf_a = math.erfc(-((a - mean) / sigma) / root2) / 2.0
        cdf_b = math.erfc(-((b - mean) / sigma) / root2) / 2.0
        u = _unit(philox_u32(_seed(), n))
        p = cdf_a + u * (cdf_b - cdf_a)
        x = -_erfc_inv(2.0 * p) * root2
        return (mean + x * sigma).astype(np.float32).reshape(shape)

    def __getattr__(self, name: str):
        # another draw (exponential, integers, random ...): a numpy Generator from the next
        # seed (not for special names: copy and pickle look those up and must draw nothing)
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(np.random.default_rng(_seed()), name)


# boost's rational approximations of erf's inverse, as MindSpore's TruncatedNormal evaluates
# them (in double): (Y, P, Q) per range
_ERF_INV_SMALL = (0.0891314744949340820313, (
    -0.000508781949658280665617, -0.00836874819741736770379, 0.0334806625409744615033,
    -0.0126926147662974029034, -0.0365637971411762664006, 0.0219878681111168899165,
    0.00822687874676915743155, -0.00538772965071242932965), (
    1.0, -0.970005043303290640362, -1.56574558234175846809, 1.56221558398423026363,
    0.662328840472002992063, -0.71228902341542847553, -0.0527396382340099713954,
    0.0795283687341571680018, -0.00233393759374190016776, 0.000886216390456424707504))
_ERF_INV_MID = (2.249481201171875, (
    -0.202433508355938759655, 0.105264680699391713268, 8.37050328343119927838,
    17.6447298408374015486, -18.8510648058714251895, -44.6382324441786960818,
    17.445385985570866523, 21.1294655448340526258, -3.67192254707729348546), (
    1.0, 6.24264124854247537712, 3.9713437953343869095, -28.6608180499800029974,
    -20.1432634680485188801, 48.5609213108739935468, 10.8268667355460159008,
    -22.6436933413139721736, 1.72114765761200282724))
_ERF_INV_TAIL3 = (0.807220458984375, (
    -0.131102781679951906451, -0.163794047193317060787, 0.117030156341995252019,
    0.387079738972604337464, 0.337785538912035898924, 0.142869534408157156766,
    0.0290157910005329060432, 0.00214558995388805277169, -0.679465575181126350155e-6,
    0.285225331782217055858e-7, -0.681149956853776992068e-9), (
    1.0, 3.46625407242567245975, 5.38168345707006855425, 4.77846592945843778382,
    2.59301921623620271374, 0.848854343457902036425, 0.152264338295331783612,
    0.01105924229346489121))
_ERF_INV_TAIL6 = (0.93995571136474609375, (
    -0.0350353787183177984712, -0.00222426529213447927281, 0.0185573306514231072324,
    0.00950804701325919603619, 0.00187123492819559223345, 0.000157544617424960554631,
    0.460469890584317994083e-5, -0.230404776911882601748e-9, 0.266339227425782031962e-11), (
    1.0, 1.3653349817554063097, 0.762059164553623404043, 0.220091105764131249824,
    0.0341589143670947727934, 0.00263861676657015992959, 0.764675292302794483503e-4))


def _poly(coeffs, x):
    out = np.zeros_like(x)
    for c in reversed(coeffs):
        out = out * x + c
    return out


def _erfc_inv(z: np.ndarray) -> np.ndarray:
    """The inverse of erfc on ``(0, 2)`` (ends clamped inside), for the truncated normals a
    narrow band of sigmas gives (|x| below 6 sigmas: the ranges MindSpore's initializers
    reach)."""
    z = np.clip(z, np.nextafter(np.float32(0), np.float32(2)),
                np.nextafter(np.float32(2), np.float32(0))).astype(np.float64)
    upper = z > 1.0
    q = np.where(upper, 2.0 - z, z)
    p = 1.0 - q
    s = np.where(upper, -1.0, 1.0)
    out = np.empty_like(z)
    small = p <= 0.5
    if small.any():
        y, pc, qc = _ERF_INV_SMALL
        pp = p[small]
        g = pp * (pp + 10.0)
        out[small] = g * _f32(y) + g * (_poly(pc, pp) / _poly(qc, pp))
    mid = ~small & (q >= 0.25)
    if mid.any():
        y, pc, qc = _ERF_INV_MID
        qq = q[mid]
        g = np.sqrt(-2.0 * np.log(qq))
        xs = qq - 0.25
        out[mid] = g / (_f32(y) + _poly(pc, xs) / _poly(qc, xs))
    tail = ~small & ~mid
    if tail.any():
        x = np.sqrt(-np.log(q[tail]))
        res = np.empty_like(x)
        for sel, (y, pc, qc), shift in ((x < 3.0, _ERF_INV_TAIL3, 1.125),
                                        (x >= 3.0, _ERF_INV_TAIL6, 3.0)):
            if sel.any():
                xs = x[sel] - shift
                res[sel] = _f32(y) * x[sel] + (_poly(pc, xs) / _poly(qc, xs)) * x[sel]
        out[tail] = res
    return s * out


# ---------------------------------------------------------------------------------------
# nn.Dropout's masks: MindSpore's op seeds, its seed scramble and its CPU kernel's stream
# ---------------------------------------------------------------------------------------

_MAXINT32 = 2 ** 31 - 1
_KEY_STEP = 3528531795 ^ 3449720151  # MindSpore's keyConstant[0] ^ keyConstant[2]
_DEFAULT_GRAPH_SEED = 87654321
_KERNEL_SEEDS: dict = {}  # (kernel name, op seed) -> the op seed its next op gets (_KERNEL_SEED)


def reset_op_seeds() -> None:
    """What ``mindspore.set_seed`` does to the op seeds (``_reset_op_seed``: each back to the
    op seed it started from)."""
    _KERNEL_SEEDS.clear()


def graph_seed(global_seed, kernel_name: str, op_seed=0) -> tuple:
    """MindSpore's ``_get_graph_seed(op_seed, kernel_name)`` for an op made now: ``(seed0,
    seed1)``; ``(0, 0)`` without a global seed and an op seed (the kernel then draws a random
    seed).  Each call steps that kernel's op seed (per ``(kernel_name, op_seed)``)."""
    if global_seed == 0:
        global_seed = _DEFAULT_GRAPH_SEED
    elif global_seed is None:
        global_seed = 0
    op_seed = op_seed or 0
    if global_seed == 0 and op_seed == 0:
        return 0, 0
    key = (kernel_name, op_seed)
    current = _KERNEL_SEEDS.get(key, op_seed)
    _KERNEL_SEEDS[key] = current + _KEY_STEP
    return global_seed % _MAXINT32, current % _MAXINT32


def _philox_block(counter, key) -> list:
    c, k = list(counter), list(key)
    for _ in range(10):
        t0, t1 = 0xD2511F53 * c[0], 0xCD9E8D57 * c[2]
        c = [((t1 >> 32) ^ c[1] ^ k[0]) & 0xFFFFFFFF, t1 & 0xFFFFFFFF,
             ((t0 >> 32) ^ c[3] ^ k[1]) & 0xFFFFFFFF, t0 & 0xFFFFFFFF]
        k = [(k[0] + 0x9E3779B9) & 0xFFFFFFFF, (k[1] + 0xBB67AE85) & 0xFFFFFFFF]
    return c


def kernel_seed(seed0: int, seed1: int) -> int:
    """MindSpore's ``random::GetSeed(seed0, seed1)``: the two seeds scrambled by one Philox
    block (key 0x3ec8f720, 0x02461e29)."""
    mix = _philox_block([seed0 & 0xFFFFFFFF, seed0 >> 32, seed1 & 0xFFFFFFFF, seed1 >> 32],
                        [0x3ec8f720, 0x02461e29])
    return (mix[1] << 32) | mix[0]


_MINSTD_A, _MINSTD_M = 16807, 2 ** 31 - 1
_BLOCK = 1024
_POWERS = None  # 16807**1 .. 16807**_BLOCK mod m


def _minstd_run(state: int, n: int) -> np.ndarray:
    """The next ``n`` outputs of libstdc++'s ``std::default_random_engine`` (minstd_rand0)
    after ``state``, computed by blocks of powers of its multiplier."""
    global _POWERS
    if _POWERS is None:
        pw = np.empty(_BLOCK, np.uint64)
        x = 1
        for i in range(_BLOCK):
            x = x * _MINSTD_A % _MINSTD_M
            pw[i] = x
        _POWERS = pw
    blocks = -(-n // _BLOCK)
    step = int(_POWERS[-1])
    starts = np.empty(blocks, np.uint64)
    s = state
    for j in range(blocks):
        starts[j] = s
        s = s * step % _MINSTD_M
    m = np.uint64(_MINSTD_M)
    return ((starts[:, None] * _POWERS[None, :]) % m).reshape(-1)[:n]


class DropoutStream:
    """The masks one ``nn.Dropout`` draws, as MindSpore 2.10's CPU Dropout kernel draws them
    (measured): its generator (``std::default_random_engine``, seeded with
    :func:`kernel_seed` of the op's two seeds) starts afresh for each input shape and dtype
    the layer meets and runs on through the calls with that one; each element is kept when
    its ``float((x - 1) / (2**31 - 2))`` is below ``keep_prob`` (in float32)."""

    def __init__(self, seed0: int, seed1: int) -> None:
        self.seed = kernel_seed(seed0, seed1)
        self._states: dict = {}

    def keep(self, shape: tuple, dtype, keep_prob: float) -> np.ndarray:
        key = (tuple(shape), np.dtype(dtype).str)
        state = self._states.get(key)
        if state is None:
            state = self.seed % _MINSTD_M or 1
        n = int(np.prod(shape))
        xs = _minstd_run(state, n)
        if n:
            self._states[key] = int(xs[-1])
        u = (xs - np.uint64(1)).astype(np.float32) / np.float32(2147483646.0)
        return (u < np.float32(keep_prob)).reshape(shape)


class FreshDropoutStream:
    """The masks ``ops.dropout(x, p, seed=...)`` draws: MindSpore makes a new Dropout op at
    each call (its kernel not cached), with the next op seeds of the ``"dropout"`` kernel
    (:func:`graph_seed`), so each call is a fresh :class:`DropoutStream` (measured).
    ``global_seed`` reads the global seed at the call; :meth:`keep` gives None when there is
    neither a global nor an op seed (the kernel then draws a random seed)."""

    def __init__(self, global_seed, op_seed=None) -> None:
        self.global_seed = global_seed
        self.op_seed = op_seed

    def keep(self, shape: tuple, dtype, keep_prob: float):
        seeds = graph_seed(self.global_seed(), "dropout", self.op_seed)
        if seeds == (0, 0):
            return None
        return DropoutStream(*seeds).keep(shape, dtype, keep_prob)


# ---------------------------------------------------------------------------------------
# the random ops' CPU kernels (StandardNormal, UniformReal, UniformInt): ops.randn, ops.rand,
# ops.uniform, ops.randint ... each call a new op with its function's next op seeds
# ---------------------------------------------------------------------------------------

_U32_MAX = 0xFFFFFFFF


_FIRST = 64  # outputs read for a new generator at once (an eager transform needs a few)
_SEEDER: list = []  # one MT19937, seeded again for each new generator's first outputs


def _seeded_bits(seed: int):
    """numpy's MT19937 in ``std::mt19937(seed)``'s state: ``init_genrand``, what
    ``RandomState(seed)`` does (its ``_legacy_seeding``)."""
    bits = np.random.MT19937(0)
    if hasattr(bits, "_legacy_seeding"):
        bits._legacy_seeding(seed)
    else:  # (a numpy without it: the state RandomState gives, copied)
        key, pos = np.random.RandomState(seed).get_state()[1:3]
        bits.state = {"bit_generator": "MT19937", "state": {"key": key, "pos": pos}}
    return bits


class StdMT19937:
    """``std::mt19937(seed)``'s outputs: numpy's MT19937 seeded as ``RandomState(seed)``
    (the same initialisation, ``init_genrand``), read in blocks.  Its first outputs come from
    one shared generator seeded again (a few microseconds; the dataset's random transforms
    build a generator per eager call); its own is made when they run out."""

    def __init__(self, seed: int) -> None:
        self._seed = seed & _U32_MAX
        if not _SEEDER:
            _SEEDER.append(_seeded_bits(0))
        first = _SEEDER[0]
        if hasattr(first, "_legacy_seeding"):
            first._legacy_seeding(self._seed)
        else:
            first = _seeded_bits(self._seed)
        self._block: list = first.random_raw(_FIRST).tolist()
        self._at = 0
        self._bits = None  # its own generator, past the outputs already read

    def _stream(self):
        if self._bits is None:
            self._bits = _seeded_bits(self._seed)
            self._bits.random_raw(_FIRST)
        return self._bits

    def raw(self, n: int) -> np.ndarray:
        """The next ``n`` outputs at once (uint64 holding 32-bit values)."""
        head = self._block[self._at:self._at + n]
        self._at += len(head)
        if len(head) == n:
            return np.array(head, dtype=np.uint64)
        rest = self._stream().random_raw(n - len(head))
        return np.concatenate([np.array(head, dtype=np.uint64), rest]) if head else rest

    def __call__(self) -> int:
        if self._at == len(self._block):
            self._block = self._stream().random_raw(1024).tolist()
            self._at = 0
        self._at += 1
        return self._block[self._at - 1]

    def below(self, bound: int) -> int:
        """``std::uniform_int_distribution(0, bound - 1)(g)`` as libstdc++ (the version
        MindSpore 2.10 is built with) draws it: ``g() // scaling`` below the largest
        multiple, redrawn above it."""
        scaling = _U32_MAX // bound
        past = bound * scaling
        r = self()
        while r >= past:
            r = self()
        return r // scaling


def kernel_standard_normal(seeds: tuple, n: int) -> np.ndarray:
    """StandardNormal's CPU kernel (measured on MindSpore 2.10): libstdc++'s
    ``std::normal_distribution<float>`` (Marsaglia's polar method, in float: each uniform
    ``float(g() - 1) / 2**31``, the pair's second value first) over
    ``std::default_random_engine`` seeded with :func:`kernel_seed` of the op's seeds."""
    f32 = np.float32
    state = kernel_seed(*seeds) % _MINSTD_M or 1
    parts, have = [], 0
    while have < n:
        g = _minstd_run(state, 2 * (n - have) + 16)
        state = int(g[-1])
        c = (g - np.uint64(1)).astype(f32) / f32(2147483648.0)
        c = np.minimum(c, np.nextafter(f32(1), f32(0)))
        xy = ((f32(2.0) * c).astype(np.float64) - 1.0).astype(f32)
        x, y = xy[0::2], xy[1::2]
        r2 = x * x + y * y
        ok = (r2 <= 1) & (r2 != 0)
        x, y, r2 = x[ok], y[ok], r2[ok]
        log_r2 = np.log(r2.astype(np.float64)).astype(f32)  # (logf, correctly rounded)
        mult = np.sqrt((f32(-2) * log_r2 / r2).astype(np.float64)).astype(f32)
        parts.append(np.stack([y * mult, x * mult], axis=1).reshape(-1))
        have += len(parts[-1])
    return np.concatenate(parts)[:n] if parts else np.empty(0, f32)


def kernel_uniform_real(seeds: tuple, n: int) -> np.ndarray:
    """UniformReal's CPU kernel: ``std::uniform_real_distribution<double>(0, 1)`` over
    ``std::mt19937`` seeded with :func:`kernel_seed` of the op's seeds (53 bits from two
    outputs: ``(g1 + g2 * 2**32) / 2**64``), each value then float32."""
    raw = StdMT19937(kernel_seed(*seeds)).raw(2 * n).astype(np.float64)
    u = (raw[0::2] + raw[1::2] * 4294967296.0) / 18446744073709551616.0
    return np.minimum(u, np.nextafter(1.0, 0.0)).astype(np.float32)


def kernel_uniform_int(seeds: tuple, n: int, low: int, high: int) -> np.ndarray:
    """UniformInt's CPU kernel: ``std::uniform_int_distribution<int>(low, high - 1)`` over
    ``std::mt19937`` seeded as :func:`kernel_uniform_real`, int32."""
    if high <= low:
        raise ValueError("For 'UniformInt', invalid min/max values: (%d/%d)" % (low, high))
    bound = high - low
    scaling = _U32_MAX // bound
    past = np.uint64(bound * scaling)
    g = StdMT19937(kernel_seed(*seeds))
    parts, have = [], 0
    while have < n:
        raw = g.raw(n - have + 8)
        kept = raw[raw < past]
        parts.append(kept)
        have += len(kept)
    vals = np.concatenate(parts)[:n] if parts else np.empty(0, np.uint64)
    return (vals // np.uint64(scaling)).astype(np.int64).astype(np.int32) + np.int32(low)
