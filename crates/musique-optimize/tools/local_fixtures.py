"""Writes tests/data/local.json: SciPy's results for the local minimizers,
minimize_scalar and the scalar root finders on the problems that
tests/local.rs and tests/scalar.rs run.

    pip install -r fixtures/scipy/requirements.txt   # scipy 1.17.1
    python crates/musique-optimize/tools/local_fixtures.py
"""
import json
import os

import numpy as np
import scipy
from scipy import optimize
from scipy.optimize import rosen, rosen_der

X0 = [1.3, 0.7, 0.8, 1.9, 1.2]


def quad(x):
    x = np.asarray(x)
    return float(np.sum((np.arange(1, x.size + 1) * (x - 1.5)) ** 2))


def quad_der(x):
    x = np.asarray(x)
    k = np.arange(1, x.size + 1)
    return 2 * k * k * (x - 1.5)


def powell(x):
    x1, x2, x3, x4 = x
    return float((x1 + 10 * x2) ** 2 + 5 * (x3 - x4) ** 2 + (x2 - 2 * x3) ** 4 + 10 * (x1 - x4) ** 4)


def powell_der(x):
    x1, x2, x3, x4 = x
    return np.array([
        2 * (x1 + 10 * x2) + 40 * (x1 - x4) ** 3,
        20 * (x1 + 10 * x2) + 4 * (x2 - 2 * x3) ** 3,
        10 * (x3 - x4) - 8 * (x2 - 2 * x3) ** 3,
        -10 * (x3 - x4) - 40 * (x1 - x4) ** 3,
    ])


PROBLEMS = {
    "rosen2": (rosen, rosen_der, [1.3, 0.7], None),
    "rosen5": (rosen, rosen_der, X0, None),
    "rosen10": (rosen, rosen_der, X0 + X0, None),
    "quad4": (quad, quad_der, [0.0, 0.0, 0.0, 0.0], None),
    "powell4": (powell, powell_der, [3.0, -1.0, 0.0, 1.0], None),
    # The minimum of rosen lies outside: the upper bound 0.8 is active.
    "rosen5_bounded": (rosen, rosen_der, X0, [(-2.0, 0.8)] * 5),
    # quad with lower bounds above 1.5 on two variables.
    "quad4_bounded": (quad, quad_der, [3.0, 3.0, 3.0, 3.0], [(2.0, 4.0), (-1.0, 1.0), (None, None), (0.0, None)]),
}

CASES = [
    # (problem, method, with analytic gradient)
    ("rosen2", "Nelder-Mead", False),
    ("rosen5", "Nelder-Mead", False),
    ("quad4", "Nelder-Mead", False),
    ("rosen5_bounded", "Nelder-Mead", False),
    ("rosen2", "Powell", False),
    ("rosen5", "Powell", False),
    ("quad4", "Powell", False),
    ("powell4", "Powell", False),
    ("rosen5_bounded", "Powell", False),
    ("rosen2", "BFGS", True),
    ("rosen5", "BFGS", True),
    ("rosen5", "BFGS", False),
    ("rosen10", "BFGS", True),
    ("quad4", "BFGS", True),
    ("powell4", "BFGS", True),
    ("rosen2", "CG", True),
    ("rosen5", "CG", True),
    ("rosen5", "CG", False),
    ("quad4", "CG", True),
    ("powell4", "CG", True),
    ("rosen2", "L-BFGS-B", True),
    ("rosen5", "L-BFGS-B", True),
    ("rosen5", "L-BFGS-B", False),
    ("rosen10", "L-BFGS-B", True),
    ("quad4", "L-BFGS-B", True),
    ("powell4", "L-BFGS-B", True),
    ("rosen5_bounded", "L-BFGS-B", True),
    ("rosen5_bounded", "L-BFGS-B", False),
    ("quad4_bounded", "L-BFGS-B", True),
    ("quad4_bounded", "L-BFGS-B", False),
]


def result(r):
    out = {
        "x": [float(v) for v in np.atleast_1d(r.x)],
        "fun": float(r.fun),
        "nfev": int(r.nfev),
        "nit": int(r.nit),
        "status": int(r.status),
        "success": bool(r.success),
        "message": str(r.message),
    }
    if "njev" in r:
        out["njev"] = int(r.njev)
    return out


def local_cases():
    out = []
    for name, method, grad in CASES:
        fun, der, x0, bounds = PROBLEMS[name]
        r = optimize.minimize(fun, x0, method=method, jac=der if grad else None, bounds=bounds)
        out.append({"problem": name, "method": method, "jac": grad, "x0": x0,
                    # null: no bound on that side.
                    "bounds": [list(b) for b in bounds] if bounds else None,
                    **result(r)})
    return out


def scalar_cases():
    f = lambda x: (x - 2.0) * x * (x + 2.0) ** 2  # noqa: E731  (scipy's doc example)
    out = {}
    for method, kw in [("brent", {}), ("golden", {}), ("bounded", {"bounds": (-3, -1)}),
                       ("brent_bracket", {"bracket": (0, 1, 2)})]:
        meth = method.split("_")[0]
        r = optimize.minimize_scalar(f, method=meth, **kw)
        d = {"x": float(r.x), "fun": float(r.fun), "nfev": int(r.nfev), "nit": int(r.nit),
             "success": bool(r.success), "message": str(r.message)}
        if "status" in r:
            d["status"] = int(r.status)
        out[method] = d
    roots = {}
    g = lambda x: x ** 3 - 1  # noqa: E731
    gp = lambda x: 3 * x ** 2  # noqa: E731
    for name, kw in [("brentq", dict(method="brentq", bracket=[0, 3])),
                     ("bisect", dict(method="bisect", bracket=[0, 3])),
                     ("newton", dict(method="newton", x0=0.2, fprime=gp)),
                     ("newton_fd", dict(method="newton", x0=0.2)),
                     ("secant", dict(method="secant", x0=0.2, x1=0.3))]:
        r = optimize.root_scalar(g, **kw)
        roots[name] = {"root": float(r.root), "iterations": int(r.iterations),
                       "function_calls": int(r.function_calls), "converged": bool(r.converged),
                       "flag": r.flag}
    out["roots"] = roots
    out["approx_fprime_rosen5"] = [float(v) for v in optimize.approx_fprime(np.array(X0), rosen)]
    return out


def main():
    data = {
        "scipy": scipy.__version__,
        "local": local_cases(),
        "scalar": scalar_cases(),
    }
    path = os.path.join(os.path.dirname(__file__), "..", "tests", "data", "local.json")
    with open(path, "w") as fh:
        json.dump(data, fh, indent=1)
        fh.write("\n")


if __name__ == "__main__":
    main()
