#!/usr/bin/env python3
"""Times scipy.fft on the rows bench/run.js sends as JSON on stdin.

Each row: {"id", "fn", "shape", "dtype", "workers", "axes"?, "type"?}.
Prints {"scipy": version, "numpy": version, "rows": {id: median_ms}} as JSON.
Inputs are random arrays of the same shapes and dtypes as Musique's; each
sample is one call, samples are repeated until the row's time budget is
spent, and the median is reported.
"""

import json
import sys
import time

import numpy as np
import scipy
import scipy.fft as sf


def make(shape, dtype, rng):
    if dtype.startswith("complex"):
        x = rng.standard_normal(shape) + 1j * rng.standard_normal(shape)
    else:
        x = rng.standard_normal(shape)
    return x.astype(dtype)


def main():
    spec = json.load(sys.stdin)
    budget = spec.get("budget_s", 1.0)
    rng = np.random.default_rng(1)
    out = {}
    for row in spec["rows"]:
        x = make(tuple(row["shape"]), row["dtype"], rng)
        fn = getattr(sf, row["fn"])
        kwargs = {"workers": row.get("workers", 1)}
        if "axes" in row:
            kwargs["axes"] = tuple(row["axes"])
        if "type" in row:
            kwargs["type"] = row["type"]
        call = lambda: fn(x, **kwargs)  # noqa: E731
        call()
        # Calls per sample so that one sample lasts at least ~1 ms.
        t0 = time.perf_counter()
        call()
        once = max(time.perf_counter() - t0, 1e-7)
        per = max(1, int(1e-3 / once))
        samples = []
        start = time.perf_counter()
        while len(samples) < 5 or (time.perf_counter() - start < budget and len(samples) < 200):
            t0 = time.perf_counter()
            for _ in range(per):
                call()
            samples.append((time.perf_counter() - t0) / per * 1e3)
        out[row["id"]] = float(np.median(samples))
    json.dump({"scipy": scipy.__version__, "numpy": np.__version__, "rows": out}, sys.stdout)


if __name__ == "__main__":
    main()
