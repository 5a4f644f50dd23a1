

def test_a_copy_of_a_taped_value_is_not_overwritten():
    def f(xs, h, w):
        s = h * 0.0
        for t in range(xs.shape[0]):
            h2 = ops.tanh(ops.matmul(h, w) + xs[t])
            y = h2
            s = s + (y + 1.0) * xs[t]
            h = h2
        return ops.sum(s * h)

    def f_np(xs, h, w):
        s = h * 0.0
        for t in range(xs.shape[0]):
            h2 = np.tanh(h @ w + xs[t])
            y = h2
            s = s + (y + 1.0) * xs[t]
            h = h2
        return np.sum(s * h)
    r = np.random.default_rng(14)
    args = [r.standard_normal((4, 2, 3)), r.standard_normal((2, 3)) * 0.5,
            r.standard_normal((3, 3)) * 0.5]
    src = check(f, f_np, args, (0, 1, 2))
    fast = src[src.index("if _fwd"):src.index("else:", src.index("if _fwd"))]
    assert "out=h2)" not in fast and "out=y)" not in fast and "out=h_1)" not in fast
