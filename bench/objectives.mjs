// Objectives of the optimize module of `npm run bench` (bench/optimize.js).
// An ES module so that worker threads can import it by reference
// ({ module: URL, export }), as Musique's workers and the bench's map-like
// pool do. bench/scipy_bench.py has the same functions for SciPy.

/** Rosenbrock, as scipy.optimize.rosen: Σ 100(x[i+1] − x[i]²)² + (1 − x[i])². */
export function rosen(x) {
  let s = 0
  for (let i = 0; i < x.length - 1; i++) {
    const a = x[i + 1] - x[i] * x[i]
    const b = 1 - x[i]
    s += 100 * a * a + b * b
  }
  return s
}

/** Rosenbrock of a population for `vectorized: true`: X is N×S (one point per column), as SciPy hands it. */
export function rosenVectorized(X) {
  const [n, S] = X.shape
  const d = X.data
  const out = new Float64Array(S)
  for (let i = 0; i < n - 1; i++) {
    const row = i * S
    const next = row + S
    for (let s = 0; s < S; s++) {
      const xi = d[row + s]
      const a = d[next + s] - xi * xi
      const b = 1 - xi
      out[s] += 100 * a * a + b * b
    }
  }
  return out
}

// ---------------------------------------------------------------- the ~1 ms objective

/** A fixed amount of compute: n square roots (the loop's cost sets the objective's). */
export function spin(n) {
  let s = 0
  for (let i = 0; i < n; i++) s += Math.sqrt(i)
  return s
}

// Iterations of spin per call: calibrated by bench/optimize.js to about 1 ms on the
// main thread, then handed to worker threads through the environment (a worker
// gets a copy of process.env when it starts).
let SPIN = Number(process.env.BENCH_OPT_SPIN ?? 100000)

/** Sets the main thread's spin count (worker threads read BENCH_OPT_SPIN). */
export function setSpin(n) {
  SPIN = n
}

/** Rosenbrock plus SPIN square roots: an objective costing about 1 ms. */
export function slowRosen(x) {
  const s = spin(SPIN)
  // s >= 0 always; the test keeps the loop's result alive.
  return rosen(x) + (s < 0 ? 1 : 0)
}

// ---------------------------------------------------------------- shifted test functions (quality rows)

/** Every shifted function has its minimum f = 0 at x* = SHIFT·1. */
export const SHIFT = 0.5

/** Rastrigin at z = x − SHIFT: 10n + Σ (z² − 10 cos 2πz). */
export function rastriginShifted(x) {
  const n = x.length
  let s = 10 * n
  for (let i = 0; i < n; i++) {
    const z = x[i] - SHIFT
    s += z * z - 10 * Math.cos(2 * Math.PI * z)
  }
  return s
}

/** Ackley at z = x − SHIFT: −20 exp(−0.2 √(mean z²)) − exp(mean cos 2πz) + 20 + e. */
export function ackleyShifted(x) {
  const n = x.length
  let sq = 0
  let cs = 0
  for (let i = 0; i < n; i++) {
    const z = x[i] - SHIFT
    sq += z * z
    cs += Math.cos(2 * Math.PI * z)
  }
  return -20 * Math.exp(-0.2 * Math.sqrt(sq / n)) - Math.exp(cs / n) + 20 + Math.E
}

/** Rosenbrock at z = x − SHIFT + 1 (its minimum, z = 1, moved to x = SHIFT). */
export function rosenShifted(x) {
  let s = 0
  for (let i = 0; i < x.length - 1; i++) {
    const zi = x[i] - SHIFT + 1
    const zj = x[i + 1] - SHIFT + 1
    const a = zj - zi * zi
    const b = 1 - zi
    s += 100 * a * a + b * b
  }
  return s
}
