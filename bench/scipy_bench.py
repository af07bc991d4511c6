#!/usr/bin/env python3
"""Times scipy.fft for bench/run.js, in its own process.

Rows are JSON objects: {"id", "fn", "shape", "dtype", "workers", "axes"?, "type"?}.

Two modes:

* ``python3 bench/scipy_bench.py [ROWS_JSON]`` (batch): the row list comes as
  JSON on argv or stdin, either a list or {"rows": [...], "budget_s": s}. For
  each row it builds a random input of the same shape and dtype with numpy,
  times scipy.fft on it with the row's workers, and prints
  {"scipy", "numpy", "backend", "rows": {id: {median, p25, p75, n, per}}}.

* ``python3 bench/scipy_bench.py --serve`` (what ``npm run bench`` uses): one
  JSON command a line on stdin, one JSON answer a line on stdout, so that
  bench/run.js can interleave SciPy's samples with the JavaScript ones and
  give SciPy Musique's own input:
    {"cmd": "load", "row": ROW, "input": PATH, "ref": PATH?}
        reads the input (raw little-endian values of the row's dtype) from
        PATH, runs the transform once, compares it with Musique's result in
        "ref" (max abs error / max |ref|) and picks the calls per sample.
        -> {"err": e, "per": k}
    {"cmd": "sample", "id": ID}  -> {"ms": milliseconds per call, "faults": minor page faults per call}
        one untimed warm-up call, then k timed calls of that loaded row.
    {"cmd": "unload"}  forgets every loaded row.
    {"cmd": "quit"}
  The first line it prints describes the versions (or {"error": ...}).

Each timed call is the public call a user makes, ``scipy.fft.<fn>(x, workers=w)``,
which allocates its output as Musique does.

Linalg rows (``"module": "linalg"``) load the same way, with several inputs:
    {"cmd": "load", "row": {"id", "module": "linalg", "op", "threads",
                            "inputs": [{"path", "shape"}, ...]}, "ref": PATH?}
"op" is one of load_linalg's table (numpy's ``a @ b`` for matmul, scipy.linalg's
function with its defaults for the rest); "ref" holds Musique's signature of
the result (SIGNATURES: the values for matmul/solve/inv/lstsq/cholesky, the
determinant, the sorted singular values or eigenvalues), compared as max abs
error / max |ref| (the relative difference for det). "threads" limits the BLAS
thread pools of numpy's and scipy's OpenBLAS (threadpoolctl) before the check,
before every sample's warm-up call, and never inside the timed calls.

Optimize rows (``bench/optimize.js``) run one differential_evolution a command:
    {"cmd": "de", "spec": {"problem", "dim", "bounds": [lo, hi], "popsize",
                           "maxiter", "seed", "updating", "workers",
                           "vectorized", "spin"?}}
        -> {"ms", "fun", "nfev", "nit"}: one call of
        ``scipy.optimize.differential_evolution(f, bounds, maxiter=, popsize=,
        tol=0, polish=False, rng=seed (seed= before SciPy 1.15), updating=,
        workers=, vectorized=)``
        (timed alone, after an untimed gc.collect()). "problem" is one of
        PROBLEMS: scipy.optimize.rosen, the shifted test functions, or
        slow_rosen (rosen plus "spin" pure-Python square roots: the ~1 ms
        objective, a module-level function so that workers=2's Pool can pickle it).
    {"cmd": "calibrate", "target_ms": t} -> {"spin": n, "ms": median ms of one
        slow_rosen call}: the spin count for which slow_rosen costs about t ms here.
"""

import json
import sys
import time


def versions():
    import numpy as np
    import scipy
    import scipy.fft as sf

    # scipy.fft dispatches through uarray; with no backend set (the default),
    # every call lands in SciPy's own bundled C++ engine: pocketfft's
    # pypocketfft up to SciPy 1.17, ducc0's pyduccfft from 1.18. Both take
    # c2c(x, axes, forward, norm, out, workers). Neither module is public, so
    # a SciPy that has moved it again is still timed, with the backend named
    # as unverified.
    engine = None
    for name, module in (("ducc0", "scipy.fft._duccfft.pyduccfft"), ("pocketfft", "scipy.fft._pocketfft.pypocketfft")):
        try:
            engine = (name, __import__(module, fromlist=["c2c"]))
            break
        except ImportError:
            continue
    if engine is None:
        backend = "scipy.fft's default backend [its engine module was not found: unverified]"
    else:
        name, mod = engine
        x = np.random.default_rng(0).standard_normal(1000) + 0j
        backend_ok = np.array_equal(sf.fft(x), mod.c2c(x, (0,), True, 0, None, 1))
        backend = (
            f"scipy's bundled {name} (C++ {mod.__name__.rsplit('.', 1)[-1]}: "
            + mod.__file__.split("site-packages/")[-1]
            + ")"
            + ("" if backend_ok else " [unverified]")
        )
    return {
        "scipy": scipy.__version__,
        "numpy": np.__version__,
        "python": sys.version.split()[0],
        "blas": blas_info(),
        "backend": backend,
    }


_CONTROLLER = None


def controller():
    """threadpoolctl's controller over the BLAS libraries numpy and scipy.linalg loaded (None without threadpoolctl)."""
    global _CONTROLLER
    if _CONTROLLER is None:
        try:
            import numpy  # noqa: F401  (loads numpy's OpenBLAS)
            import scipy.linalg  # noqa: F401  (loads scipy's OpenBLAS)
            from threadpoolctl import ThreadpoolController
        except ImportError:
            return None
        _CONTROLLER = ThreadpoolController()
    return _CONTROLLER


def blas_info():
    """The BLAS libraries loaded by numpy and scipy, as threadpoolctl describes them, or why not."""
    ctl = controller()
    if ctl is None:
        return {"error": "threadpoolctl is not installed (pip install threadpoolctl): BLAS threads cannot be limited"}
    libs = []
    for lib in ctl.info():
        if lib.get("user_api") != "blas":
            continue
        path = lib.get("filepath") or ""
        owner = "numpy" if "numpy" in path else "scipy" if "scipy" in path else "?"
        libs.append(
            {
                "owner": owner,
                "internal_api": lib.get("internal_api"),
                "version": lib.get("version"),
                "architecture": lib.get("architecture"),
                "threading_layer": lib.get("threading_layer"),
                "num_threads": lib.get("num_threads"),
                "file": path.split("site-packages/")[-1],
            }
        )
    return {"libraries": libs}


def limit_blas(threads):
    """Limits numpy's and scipy's BLAS pools to `threads` (process-global, as threadpoolctl does)."""
    ctl = controller()
    if ctl is not None and threads:
        ctl.limit(limits=int(threads), user_api="blas")




def signature(op, r):
    import numpy as np

    if op in ("matmul", "solve", "inv", "cholesky"):
        return np.asarray(r).ravel()
    if op == "det":
        return np.array([r])
    if op == "svd":
        return np.sort(r[1])[::-1]
    if op == "eigh":
        return np.sort(r[0])
    if op == "lstsq":
        return np.asarray(r[0]).ravel()
    raise ValueError(f"unknown linalg op {op}")


def load_linalg(row, ref_path):
    import numpy as np
    import scipy.linalg as sl

    fn = {
        "matmul": lambda a, b: a @ b,
        "solve": sl.solve,
        "inv": sl.inv,
        "det": sl.det,
        "svd": sl.svd,
        "eigh": sl.eigh,
        "lstsq": sl.lstsq,
        "cholesky": sl.cholesky,
    }[row["op"]]
    xs = [np.fromfile(i["path"], dtype="<f8").reshape(i["shape"]) for i in row["inputs"]]
    call = lambda: fn(*xs)  # noqa: E731
    limit_blas(row.get("threads"))
    res = {}
    if ref_path:
        got = signature(row["op"], call())
        ref = np.fromfile(ref_path, dtype="<f8")
        if got.shape != ref.shape:
            res["err"] = float("nan")
        elif row["op"] == "det":
            res["err"] = float(abs(got[0] - ref[0]) / max(abs(ref[0]), 1e-300))
        else:
            res["err"] = float(np.max(np.abs(got - ref))) / max(float(np.max(np.abs(ref))), 1e-300)
    return call, res


# ---------------------------------------------------------------- optimize (bench/optimize.js)

SHIFT = 0.5  # every shifted function has its minimum 0 at x* = SHIFT * ones (as bench/objectives.mjs)

# Imported once here (not inside the objectives, which run per point); absent
# numpy/scipy only fail the optimize commands.
try:
    import math

    import numpy as _np
    from scipy.optimize import rosen as _rosen
except ImportError:  # versions() reports it
    _np = _rosen = None


def rastrigin_shifted(x):
    z = x - SHIFT
    return 10.0 * z.size + float(_np.sum(z * z - 10.0 * _np.cos(2.0 * _np.pi * z)))


def ackley_shifted(x):
    z = x - SHIFT
    n = z.size
    return float(-20.0 * _np.exp(-0.2 * _np.sqrt(_np.sum(z * z) / n)) - _np.exp(_np.sum(_np.cos(2.0 * _np.pi * z)) / n) + 20.0 + _np.e)


def rosen_shifted(x):
    return float(_rosen(x - (SHIFT - 1.0)))


def spin(n):
    s = 0.0
    sqrt = math.sqrt
    for i in range(n):
        s += sqrt(i)
    return s


def slow_rosen(x, n):
    """scipy.optimize.rosen plus n pure-Python square roots (module level: workers=2 pickles it)."""
    s = spin(n)
    return float(_rosen(x)) + (1.0 if s < 0 else 0.0)


def problem(name):
    return {
        "rosen": _rosen,
        "slow_rosen": slow_rosen,
        "rastrigin_shifted": rastrigin_shifted,
        "ackley_shifted": ackley_shifted,
        "rosen_shifted": rosen_shifted,
    }[name]


def run_de(spec):
    import gc
    import inspect
    import warnings

    from scipy.optimize import differential_evolution

    f = problem(spec["problem"])
    lo, hi = spec["bounds"]
    kwargs = dict(
        maxiter=spec["maxiter"],
        popsize=spec["popsize"],
        tol=0,
        polish=False,
        updating=spec.get("updating", "immediate"),
        workers=spec.get("workers", 1),
        vectorized=spec.get("vectorized", False),
    )
    # SciPy >= 1.15 names the seed `rng`; older releases `seed`.
    kwargs["rng" if "rng" in inspect.signature(differential_evolution).parameters else "seed"] = spec["seed"]
    if spec["problem"] == "slow_rosen":
        kwargs["args"] = (spec["spin"],)
    gc.collect()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t0 = time.perf_counter()
        r = differential_evolution(f, [(lo, hi)] * spec["dim"], **kwargs)
        ms = (time.perf_counter() - t0) * 1e3
    return {"ms": ms, "fun": float(r.fun), "nfev": int(r.nfev), "nit": int(r.nit)}


def calibrate(target_ms):
    """The spin count for which one slow_rosen call costs about target_ms (median of 7)."""
    import numpy as np

    x = np.full(10, 0.5)

    def cost(n):
        v = []
        for _ in range(7):
            t0 = time.perf_counter()
            slow_rosen(x, n)
            v.append((time.perf_counter() - t0) * 1e3)
        return sorted(v)[3]

    n = 1000
    while cost(n) < 0.2 * target_ms:
        n *= 4
    for _ in range(3):
        n = max(1, int(round(n * target_ms / cost(n))))
    return {"spin": n, "ms": cost(n)}


def make_call(row, x):
    import scipy.fft as sf

    fn = getattr(sf, row["fn"])
    kwargs = {"workers": row.get("workers", 1)}
    if "axes" in row:
        kwargs["axes"] = tuple(row["axes"])
    if "type" in row:
        kwargs["type"] = row["type"]
    if "norm" in row:
        kwargs["norm"] = row["norm"]
    if row.get("overwrite_x"):
        # In place, again at every call, on this process' own copy of the input.
        kwargs["overwrite_x"] = True
    return lambda: fn(x, **kwargs)


def calls_per_sample(call, target_s=2e-3):
    """Calls per sample so that one sample lasts about target_s (after a warm-up call)."""
    call()
    t0 = time.perf_counter()
    call()
    once = max(time.perf_counter() - t0, 1e-7)
    return max(1, int(target_s / once))


def sample(call, per, warm=True):
    if warm:
        call()  # untimed warm-up, as bench/run.js does before every sample
    t0 = time.perf_counter()
    for _ in range(per):
        call()
    return (time.perf_counter() - t0) / per * 1e3


def batch(spec):
    import numpy as np

    if isinstance(spec, list):
        spec = {"rows": spec}
    budget = spec.get("budget_s", 1.0)
    rng = np.random.default_rng(1)
    out = {}
    for row in spec["rows"]:
        shape = tuple(row["shape"])
        if row["dtype"].startswith("complex"):
            x = rng.standard_normal(shape) + 1j * rng.standard_normal(shape)
        else:
            x = rng.standard_normal(shape)
        x = x.astype(row["dtype"])
        call = make_call(row, x)
        per = calls_per_sample(call)
        samples = []
        start = time.perf_counter()
        while len(samples) < 5 or (time.perf_counter() - start < budget and len(samples) < 200):
            samples.append(sample(call, per))
        q = np.percentile(samples, [25, 50, 75])
        out[row["id"]] = {"median": float(q[1]), "p25": float(q[0]), "p75": float(q[2]), "n": len(samples), "per": per}
    return {**versions(), "rows": out}


def serve():
    import resource

    import numpy as np

    def say(obj):
        sys.stdout.write(json.dumps(obj) + "\n")
        sys.stdout.flush()

    def faults():
        return resource.getrusage(resource.RUSAGE_SELF).ru_minflt

    try:
        say(versions())
    except Exception as e:  # no numpy/scipy: run.js writes 'n/a'
        say({"error": f"{type(e).__name__}: {e}"})
        return
    loaded = {}  # id -> (call, calls per sample, BLAS threads or None)
    for line in sys.stdin:
        cmd = json.loads(line)
        try:
            if cmd["cmd"] == "de":
                say(run_de(cmd["spec"]))
            elif cmd["cmd"] == "calibrate":
                say(calibrate(cmd["target_ms"]))
            elif cmd["cmd"] == "load" and cmd["row"].get("module") == "linalg":
                row = cmd["row"]
                call, res = load_linalg(row, cmd.get("ref"))
                per = calls_per_sample(call)
                loaded[row["id"]] = (call, per, row.get("threads"))
                res["per"] = per
                say(res)
            elif cmd["cmd"] == "load":
                row = cmd["row"]
                x = np.fromfile(cmd["input"], dtype=np.dtype(row["dtype"]).newbyteorder("<")).reshape(row["shape"])
                call = make_call(row, x)
                res = {}
                if cmd.get("ref"):
                    got = np.asarray(call())
                    ref = np.fromfile(cmd["ref"], dtype=got.dtype.newbyteorder("<")).reshape(got.shape)
                    scale = max(float(np.max(np.abs(ref))), 1e-300)
                    res["err"] = float(np.max(np.abs(got - ref))) / scale
                    del got, ref
                per = calls_per_sample(call)
                loaded[row["id"]] = (call, per, None)
                res["per"] = per
                say(res)
            elif cmd["cmd"] == "sample":
                call, per, threads = loaded[cmd["id"]]
                limit_blas(threads)  # untimed, before the warm-up
                call()  # untimed warm-up
                f0 = faults()
                ms = sample(call, per, warm=False)
                say({"ms": ms, "faults": (faults() - f0) / per})
            elif cmd["cmd"] == "unload":
                loaded.clear()
                say({})
            elif cmd["cmd"] == "quit":
                return
        except Exception as e:
            say({"error": f"{type(e).__name__}: {e}"})


def main():
    if "--serve" in sys.argv[1:]:
        serve()
        return
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    spec = json.loads(args[0]) if args else json.load(sys.stdin)
    json.dump(batch(spec), sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
