"""mindspore.dataset.audio's IIR filters on float32 and float64 waveforms: BassBiquad (two
settings, one clamping loud input), Biquad and a third-order LFilter with and without clamp:
the samples, exactly."""
import numpy as np
import mindspore.dataset.audio as audio

TOLERANCE = (0.0, 0.0)  # the kernels' own float arithmetic


def run():
    rng = np.random.RandomState(0)
    x = (rng.normal(size=(2, 2, 120)) * 0.05).astype(np.float32)
    return {
        "bass": audio.BassBiquad(16000, 10.0)(x),
        "bass_other": audio.BassBiquad(44100, -6.0, 300.0, 0.5)(x[0, 0]),
        "bass_loud": audio.BassBiquad(16000, 10.0)((x * 100).astype(np.float32)),
        "bass_f64": audio.BassBiquad(8000, 3.5, 250.0, 0.9)(x.astype(np.float64)),
        "biquad": audio.Biquad(0.4, 0.2, 0.1, 1.0, -0.3, 0.05)(x),
        "lfilter": audio.LFilter([1.0, -0.5, 0.2, -0.05], [0.3, 0.25, 0.1, 0.05])(x * 4),
        "lfilter_free": audio.LFilter([2.0, -0.5, 0.2, -0.05], [0.3, 0.25, 0.1, 0.05],
                                      clamp=False)(x.astype(np.float64) * 30),
    }
