"""Writes tests/data/qmc.json: unscrambled scipy.stats.qmc samples.

Run from the repository root (needs fixtures/scipy/requirements.txt):
    python crates/musique-optimize/tools/qmc_fixtures.py

Each value is stored as the 16 hex digits of its IEEE-754 bits, so the Rust
tests compare bit for bit without trusting a JSON float parser.
"""

import json
import pathlib
import warnings

import numpy as np
import scipy
from scipy.stats import qmc


def rows(a):
    a = np.ascontiguousarray(a, dtype=np.float64)
    return [[f"{int(b):016x}" for b in r] for r in a.view(np.uint64)]


def main():
    out = pathlib.Path(__file__).resolve().parent.parent / "tests" / "data" / "qmc.json"
    cases = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for d in (1, 2, 5, 40):
            cases.append({"engine": "sobol", "d": d, "call": "random", "n": 64,
                          "sample": rows(qmc.Sobol(d, scramble=False).random(64))})
        for d, m in ((1, 3), (3, 5), (40, 6)):
            cases.append({"engine": "sobol", "d": d, "call": "random_base2", "m": m,
                          "sample": rows(qmc.Sobol(d, scramble=False).random_base2(m))})
        # Draws in pieces: the first point, then the rest continue the sequence.
        e = qmc.Sobol(5, scramble=False)
        pieces = [rows(e.random(n)) for n in (1, 3, 4, 8)]
        cases.append({"engine": "sobol", "d": 5, "call": "pieces", "ns": [1, 3, 4, 8],
                      "sample": [r for p in pieces for r in p]})
        # Non-power-of-two first draw (SciPy warns) and a high dimension.
        cases.append({"engine": "sobol", "d": 3, "call": "random", "n": 10,
                      "sample": rows(qmc.Sobol(3, scramble=False).random(10))})
        cases.append({"engine": "sobol", "d": 1111, "call": "random", "n": 4,
                      "sample": rows(qmc.Sobol(1111, scramble=False).random(4))})
        cases.append({"engine": "sobol", "d": 4, "bits": 10, "call": "random", "n": 32,
                      "sample": rows(qmc.Sobol(4, scramble=False, bits=10).random(32))})
        cases.append({"engine": "sobol", "d": 4, "bits": 64, "call": "random", "n": 32,
                      "sample": rows(qmc.Sobol(4, scramble=False, bits=64).random(32))})
        e = qmc.Sobol(3, scramble=False)
        e.fast_forward(5)
        cases.append({"engine": "sobol", "d": 3, "call": "fast_forward", "skip": 5, "n": 11,
                      "sample": rows(e.random(11))})
        for d in (1, 3, 10):
            cases.append({"engine": "halton", "d": d, "call": "random", "n": 64,
                          "sample": rows(qmc.Halton(d, scramble=False).random(64))})
        e = qmc.Halton(3, scramble=False)
        pieces = [rows(e.random(n)) for n in (5, 7)]
        cases.append({"engine": "halton", "d": 3, "call": "pieces", "ns": [5, 7],
                      "sample": [r for p in pieces for r in p]})
        disc = qmc.discrepancy(qmc.Halton(3, scramble=False).random(64), method="CD")
    data = {"scipy": scipy.__version__, "cases": cases,
            "halton3_64_cd": f"{int(np.float64(disc).view(np.uint64)):016x}"}
    out.write_text(json.dumps(data, separators=(",", ":")) + "\n")
    print(f"wrote {out} ({len(cases)} cases)")


if __name__ == "__main__":
    main()
