// musique/optimize against SciPy 1.17.1 (fixtures/scipy/optimize.json, written
// by fixtures/scipy/generate_optimize.py): qmc samples bit for bit, DE reaching
// SciPy's optima at a comparable nfev, local and scalar methods; DE's options
// and result fields; bad input. Worker semantics: optimize.workers.spec.ts.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'

import test from 'ava'

import {
  ackley,
  approxFprime,
  brentq,
  brute,
  Bounds,
  differentialEvolution,
  eggholder,
  Halton,
  type IntermediateResult,
  LatinHypercube,
  LinearConstraint,
  minimize,
  type MinimizeMethod,
  minimizeScalar,
  NonlinearConstraint,
  rastrigin,
  rootScalar,
  rosen,
  Sobol,
  sphere,
  type StrategyName,
} from '../src/optimize'

const FX = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'scipy', 'optimize.json'), 'utf8'))

function bits(v: number): string {
  const b = new DataView(new ArrayBuffer(8))
  b.setFloat64(0, v)
  return b.getBigUint64(0).toString(16).padStart(16, '0')
}

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => Math.max(...Array.from(a, (v, i) => Math.abs(v - b[i])))
const median = (v: number[]) => {
  const s = [...v].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}
const jsRosen = (x: ArrayLike<number>) => {
  let s = 0
  for (let i = 0; i < x.length - 1; i++) s += 100 * (x[i + 1] - x[i] * x[i]) ** 2 + (1 - x[i]) ** 2
  return s
}
const B2: [number, number][] = [
  [-3, 3],
  [-3, 3],
]

// ================================================================ qmc

test('unscrambled Sobol and Halton equal scipy.stats.qmc bit for bit', (t) => {
  t.is(FX.scipy, '1.17.1')
  for (const c of FX.qmc) {
    const e = c.engine === 'sobol' ? new Sobol(c.d, { scramble: false }) : new Halton(c.d, { scramble: false })
    const s = c.call === 'random_base2' ? (e as Sobol).randomBase2(c.m) : e.random(c.n)
    const want: string[] = c.sample.flat()
    t.deepEqual(s.shape, [c.sample.length, c.d])
    t.deepEqual(Array.from(s.data, bits), want, `${c.engine} d=${c.d} ${c.call}`)
  }
})

/** Centered L2 discrepancy (scipy.stats.qmc.discrepancy's default 'CD'). */
function discrepancy(data: Float64Array, n: number, d: number): number {
  let a = 0
  for (let i = 0; i < n; i++) {
    let p = 1
    for (let k = 0; k < d; k++) {
      const z = Math.abs(data[i * d + k] - 0.5)
      p *= 1 + 0.5 * z - 0.5 * z * z
    }
    a += p
  }
  let b = 0
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let p = 1
      for (let k = 0; k < d; k++) {
        const xi = data[i * d + k]
        const xj = data[j * d + k]
        p *= 1 + 0.5 * Math.abs(xi - 0.5) + 0.5 * Math.abs(xj - 0.5) - 0.5 * Math.abs(xi - xj)
      }
      b += p
    }
  }
  return (13 / 12) ** d - (2 / n) * a + b / (n * n)
}

test('scrambled Sobol/Halton and Latin hypercubes: in [0, 1), seeded, lower discrepancy than random points; each LHS stratum once', (t) => {
  const n = 128
  const d = 3
  let seed = 12345
  const uniform = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31)
  const randomCd = median(Array.from({ length: 9 }, () => discrepancy(Float64Array.from({ length: n * d }, uniform), n, d)))
  const samples = {
    sobol: new Sobol(d, { seed: 7 }).randomBase2(7),
    halton: new Halton(d, { seed: 7 }).random(n),
    lhs: new LatinHypercube(d, { seed: 7 }).random(n),
  }
  for (const [name, s] of Object.entries(samples)) {
    t.true(s.data.every((v) => v >= 0 && v < 1), name)
    const cd = discrepancy(s.data, n, d)
    t.true(cd < randomCd, `${name}: discrepancy ${cd} vs random ${randomCd}`)
  }
  t.true(discrepancy(samples.sobol.data, n, d) < randomCd / 4)
  // Each of the n strata of each axis holds exactly one LHS point.
  for (const m of [10, 128]) {
    const s = new LatinHypercube(4, { seed: m }).random(m)
    for (let k = 0; k < 4; k++) {
      const cells = Array.from({ length: m }, (_, i) => Math.floor(s.data[i * 4 + k] * m)).sort((a, b) => a - b)
      t.deepEqual(cells, Array.from({ length: m }, (_, i) => i), `LHS n=${m} axis ${k}`)
    }
  }
  // Scrambled: a seed fixes the points, another seed changes them, and they are not the unscrambled ones.
  t.deepEqual(new Sobol(2, { seed: 3 }).random(8).data, new Sobol(2, { seed: 3 }).random(8).data)
  t.notDeepEqual(new Sobol(2, { seed: 3 }).random(8).data, new Sobol(2, { seed: 4 }).random(8).data)
  t.notDeepEqual(new Halton(2, { seed: 3 }).random(8).data, new Halton(2, { scramble: false }).random(8).data)
})

// ================================================================ DE against SciPy

const NATIVE = { rosen2: rosen, rosen5: rosen, rosen10: rosen, ackley2: ackley, rastrigin2: rastrigin, eggholder }

test('DE reaches SciPy optimum at a comparable nfev: rosen in 2, 5 and 10 dimensions, ackley, rastrigin', (t) => {
  for (const name of ['rosen2', 'rosen5', 'rosen10', 'ackley2', 'rastrigin2'] as const) {
    const p = FX.de[name]
    const runs = p.runs.map((r: { seed: number }) => differentialEvolution(NATIVE[name], p.bounds, { seed: r.seed }))
    for (const r of runs) {
      t.true(maxDiff(r.x, p.optimum.x) < 1e-6, `${name}: x ${r.x}`)
      t.true(r.fun <= Math.max(1e-12, 10 * p.fun_max), `${name}: fun ${r.fun} vs SciPy's worst ${p.fun_max}`)
      // rosen10 ends by maxiter in SciPy too (default tol on a long valley).
      t.is(r.success, name !== 'rosen10', `${name}: ${r.message}`)
      t.is(r.message, name === 'rosen10' ? 'Maximum number of iterations has been exceeded.' : 'Optimization terminated successfully.')
    }
    const nfev = median(runs.map((r: { nfev: number }) => r.nfev))
    t.true(nfev <= 3 * p.nfev_median && nfev >= p.nfev_median / 3, `${name}: median nfev ${nfev} vs SciPy ${p.nfev_median}`)
  }
})

test('DE on eggholder: the median over ten seeds is at least as low as SciPy', (t) => {
  const p = FX.de.eggholder
  const runs = p.runs.map((r: { seed: number }) => differentialEvolution(eggholder, p.bounds, { seed: r.seed }))
  const fun = median(runs.map((r: { fun: number }) => r.fun))
  t.true(fun <= p.fun_median + 0.02 * Math.abs(p.fun_median), `median ${fun} vs SciPy ${p.fun_median}`)
  t.true(Math.min(...runs.map((r: { fun: number }) => r.fun)) < -950)
  const nfev = median(runs.map((r: { nfev: number }) => r.nfev))
  t.true(nfev <= 3 * p.nfev_median, `nfev ${nfev} vs SciPy ${p.nfev_median}`)
})

test('DE with a NonlinearConstraint (SciPy example) and with integrality reach SciPy optimum', (t) => {
  const c = FX.de.constrained
  for (const { seed } of c.runs) {
    const r = differentialEvolution(rosen, c.bounds, { seed, constraints: new NonlinearConstraint((x) => x[0] ** 2 + x[1] ** 2, -Infinity, 1.9) })
    t.true(r.success, r.message)
    t.true(r.x[0] ** 2 + r.x[1] ** 2 <= 1.9)
    // The constrained polish (augmented Lagrangian) lands on SLSQP's optimum, from inside the circle.
    t.true(maxDiff(r.x, c.optimum.x) < 1e-6, `x ${r.x} vs ${c.optimum.x}`)
    t.true(Math.abs(r.fun - c.optimum.fun) < 1e-8, `fun ${r.fun} vs ${c.optimum.fun}`)
    t.is(r.jac!.length, 2, 'the polish improved the result')
    t.is(r.constr!.length, 1)
    t.deepEqual(Array.from(r.constr![0]), [0])
    t.is(r.constrViolation, 0)
    t.is(r.maxcv, 0)
    t.true(r.nfev <= 3 * c.nfev_median, `nfev ${r.nfev} vs ${c.nfev_median}`)
  }
  const g = FX.de.integer
  const f = (x: Float64Array) => (x[0] - 2.2) ** 2 + (x[1] + 2.6) ** 2 + (x[2] - 0.7) ** 2
  for (const { seed } of g.runs) {
    const r = differentialEvolution(f, g.bounds, { seed, integrality: [true, true, true] })
    t.deepEqual(Array.from(r.x), g.optimum.x)
    t.true(Math.abs(r.fun - g.optimum.fun) < 1e-12)
    t.true(r.nfev <= 3 * g.nfev_median)
    t.true(r.population.data.every(Number.isInteger), 'the population holds integers')
    t.is(r.jac, undefined, 'no polish when every parameter is an integer')
  }
  // Some parameters integer: the others are polished, the integers stay.
  const mixed = differentialEvolution(f, g.bounds, { seed: 1, integrality: [true, false, true] })
  t.deepEqual([mixed.x[0], mixed.x[2]], [2, 1])
  t.true(Math.abs(mixed.x[1] + 2.6) < 1e-4, `${mixed.x[1]}`)
  const mixedNative = differentialEvolution(sphere, [[-2.5, 3], [-2, 2]], { seed: 1, integrality: [true, false] })
  t.true(maxDiff(mixedNative.x, [0, 0]) < 1e-6, `${mixedNative.x}`)
})

test('DE with a LinearConstraint (and a native objective): the polish may not leave the feasible set', (t) => {
  // rosen with x + y <= 1: the constrained minimum is on the line, not at (1, 1).
  const lc = new LinearConstraint([[1, 1]], -Infinity, 1)
  for (const f of [rosen, (x: Float64Array) => jsRosen(x)]) {
    const r = differentialEvolution(f, B2, { seed: 2, constraints: lc })
    t.true(r.success, r.message)
    t.true(r.x[0] + r.x[1] <= 1 + 1e-12, `${r.x}`)
    t.is(r.maxcv, 0)
    t.true(Math.abs(r.x[0] - 0.6188) < 0.02, `${r.x}`)
  }
  // Infeasible everywhere: success false with SciPy's message.
  const r = differentialEvolution(sphere, B2, { seed: 1, maxiter: 5, constraints: new NonlinearConstraint((x) => x[0], 10, Infinity) })
  t.false(r.success)
  t.regex(r.message, /^The solution does not satisfy the constraints, MAXCV = /)
  t.true(r.maxcv! > 0 && r.constrViolation === r.maxcv)
})

// ================================================================ DE options

test('DE: all twelve strategies, a user strategy, fixed or dithered mutation, recombination', (t) => {
  const names: StrategyName[] = ['best1bin', 'best1exp', 'rand1bin', 'rand1exp', 'rand2bin', 'rand2exp', 'randtobest1bin', 'randtobest1exp', 'currenttobest1bin', 'currenttobest1exp', 'best2bin', 'best2exp']
  const xs = new Set<string>()
  for (const strategy of names) {
    const r = differentialEvolution(sphere, B2, { strategy, seed: 1, popsize: 10, polish: false })
    t.true(r.fun < 1e-4, `${strategy}: ${r.fun}`)
    // Converged populations can coincide (all energies 0): compare five generations on rosen.
    xs.add(Array.from(differentialEvolution(rosen, B2, { strategy, seed: 1, popsize: 10, polish: false, maxiter: 5 }).populationEnergies).join())
  }
  t.is(xs.size, 12, 'each strategy makes its own run')
  let calls = 0
  const custom = (_k: number, pop: { data: Float64Array; shape: number[] }, rng: () => number) => {
    calls++
    const [S, N] = pop.shape
    const pick = () => Math.floor(rng() * S)
    const a = pick()
    const b = pick()
    const c = pick()
    return Array.from({ length: N }, (_, j) => Math.min(3, Math.max(-3, pop.data[a * N + j] + 0.7 * (pop.data[b * N + j] - pop.data[c * N + j]))))
  }
  const r = differentialEvolution(sphere, B2, { strategy: custom, seed: 1, popsize: 10, polish: false })
  t.true(calls > 0 && r.fun < 1e-3, `${r.fun}`)
  t.deepEqual(differentialEvolution(sphere, B2, { strategy: custom, seed: 1, popsize: 10, polish: false }).x, r.x, 'the user strategy draws from the seeded stream')
  const fixed = differentialEvolution(rosen, B2, { mutation: 0.8, recombination: 0.9, seed: 1, polish: false })
  const dithered = differentialEvolution(rosen, B2, { mutation: [0.5, 1], recombination: 0.9, seed: 1, polish: false })
  const lowCr = differentialEvolution(rosen, B2, { mutation: [0.5, 1], recombination: 0.3, seed: 1, polish: false })
  t.true(fixed.fun < 1e-3 && dithered.fun < 1e-3 && lowCr.fun < 1e-3)
  const early = (o: object) => Array.from(differentialEvolution(rosen, B2, { seed: 1, polish: false, maxiter: 5, ...o }).populationEnergies).join()
  t.not(early({ mutation: 0.8, recombination: 0.9 }), early({ mutation: [0.5, 1], recombination: 0.9 }))
  t.not(early({ recombination: 0.9 }), early({ recombination: 0.3 }))
  t.deepEqual(differentialEvolution(rosen, B2, { seed: 1, polish: false }).x, differentialEvolution(rosen, B2, { mutation: [0.5, 1], recombination: 0.7, seed: 1, polish: false }).x, 'SciPy defaults: mutation (0.5, 1), recombination 0.7')
})

test('DE: seed/rng, maxiter, popsize, tol/atol, result fields and shapes', (t) => {
  const a = differentialEvolution(jsRosen, B2, { seed: 5, maxiter: 3, popsize: 4, polish: false })
  t.deepEqual(differentialEvolution(jsRosen, B2, { rng: 5, maxiter: 3, popsize: 4, polish: false }), a, 'rng is seed')
  t.notDeepEqual(differentialEvolution(jsRosen, B2, { seed: 6, maxiter: 3, popsize: 4, polish: false }).x, a.x)
  t.is(a.nit, 3)
  t.false(a.success)
  t.is(a.message, 'Maximum number of iterations has been exceeded.')
  t.is(a.nfev, 8 * 4, 'popsize × N points, evaluated once at start and once per generation')
  t.deepEqual(a.population.shape, [8, 2])
  t.is(a.populationEnergies.length, 8)
  t.is(a.populationEnergies[0], a.fun)
  t.deepEqual(Array.from(a.population.data.subarray(0, 2)), Array.from(a.x), 'the best member first')
  t.is(Math.min(...a.populationEnergies), a.fun)
  t.is(a.fun, jsRosen(a.x))
  t.is(a.jac, undefined)
  // Defaults: popsize 15, maxiter 1000, tol 0.01.
  const d = differentialEvolution(sphere, B2, { seed: 1, polish: false })
  t.deepEqual(d.population.shape, [30, 2])
  t.true(d.success && d.nit < 1000)
  const e = d.populationEnergies
  const mean = e.reduce((s, v) => s + v, 0) / e.length
  const std = Math.sqrt(e.reduce((s, v) => s + (v - mean) ** 2, 0) / e.length)
  t.true(std <= 0.01 * Math.abs(mean), 'converged by SciPy rule std(E) <= atol + tol·|mean(E)|')
  // A huge atol stops after the first generation; tol 0 with atol 0 runs to maxiter.
  t.is(differentialEvolution(sphere, B2, { seed: 1, atol: 1e9, polish: false }).nit, 1)
  const z = differentialEvolution(sphere, B2, { seed: 1, tol: 0, maxiter: 15, polish: false })
  t.is(z.nit, 15)
  t.false(z.success)
  t.true(differentialEvolution(rosen, B2, { seed: 1, tol: 1e-6, polish: false }).nit > differentialEvolution(rosen, B2, { seed: 1, polish: false }).nit, 'a tighter tol runs longer')
  // maxiter 0: the initial population only.
  const m0 = differentialEvolution(sphere, B2, { seed: 1, maxiter: 0, polish: false })
  t.is(m0.nit, 0)
  t.is(m0.nfev, 30)
})

test('DE: callback gets the intermediate result and stops the run by returning true or throwing; polishing still runs', (t) => {
  const seen: IntermediateResult[] = []
  const r = differentialEvolution(rosen, B2, {
    seed: 1,
    callback: (res) => {
      seen.push(res)
      return res.nit === 4
    },
  })
  t.deepEqual(seen.map((s) => s.nit), [1, 2, 3, 4])
  t.true(seen.every((s) => s.x.length === 2 && typeof s.fun === 'number' && s.convergence! > 0 && s.population!.shape[0] === 30 && s.populationEnergies!.length === 30))
  t.is(seen[3].fun, seen[3].populationEnergies![0])
  t.is(r.nit, 4)
  t.false(r.success)
  t.is(r.message, 'callback function requested stop early')
  t.true(r.fun < seen[3].fun, 'polished after the stop')
  t.true(r.fun < 1e-8 && r.jac !== undefined)
  // Only `true` stops: other return values (such as Array#push's) do not.
  t.true(differentialEvolution(rosen, B2, { seed: 1, polish: false, callback: () => 1 }).success)
  const thrown = differentialEvolution(rosen, B2, {
    seed: 1,
    callback: (res) => {
      if (res.nit === 2) throw new Error('stop')
    },
  })
  t.is(thrown.nit, 2)
  t.false(thrown.success)
  t.is(thrown.message, 'callback function requested stop early')
  t.true(thrown.fun < 1e-8, 'polished')
  // The native test functions take the same path when there is a callback.
  const nat = differentialEvolution(sphere, B2, { seed: 1, polish: false, callback: (res) => res.nit >= 2 })
  t.is(nat.nit, 2)
})

test('DE: disp prints each generation', (t) => {
  const lines: string[] = []
  const log = console.log
  console.log = (...a: unknown[]) => void lines.push(a.join(' '))
  try {
    differentialEvolution(sphere, B2, { seed: 1, maxiter: 3, disp: true, polish: false })
  } finally {
    console.log = log
  }
  t.is(lines.length, 3)
  t.regex(lines[0], /^differential_evolution step 1: f\(x\)= [\d.e-]+$/)
})

test('DE: polish true (L-BFGS-B, jac when it improved), false, or a function', (t) => {
  const unpolished = differentialEvolution(jsRosen, B2, { seed: 1, maxiter: 20, polish: false })
  const polished = differentialEvolution(jsRosen, B2, { seed: 1, maxiter: 20 })
  t.is(unpolished.jac, undefined)
  t.true(polished.fun < unpolished.fun && polished.fun < 1e-9)
  t.is(polished.jac!.length, 2)
  t.true(Math.abs(polished.jac![0]) < 1e-3)
  t.true(polished.nfev > unpolished.nfev)
  t.is(polished.populationEnergies[0], polished.fun)
  let got: unknown[] = []
  const custom = differentialEvolution(jsRosen, B2, {
    seed: 1,
    maxiter: 20,
    polish: (f, x0, o) => {
      got = [f(x0), Array.from(x0), o.bounds]
      return { x: Float64Array.from([1, 1]), fun: f(Float64Array.from([1, 1])), nfev: 2, success: true }
    },
  })
  t.is(got[0], unpolished.fun)
  t.deepEqual(got[1], Array.from(unpolished.x))
  t.deepEqual(got[2], B2)
  t.deepEqual(Array.from(custom.x), [1, 1])
  t.is(custom.fun, 0)
  t.is(custom.nfev, unpolished.nfev + 2)
  // A polish that is worse or fails is not kept.
  const worse = differentialEvolution(jsRosen, B2, { seed: 1, maxiter: 20, polish: () => ({ x: Float64Array.from([0, 0]), fun: 1e9, nfev: 1 }) })
  t.deepEqual(worse.x, unpolished.x)
})

test("DE: init 'latinhypercube', 'sobol', 'halton', 'random' or an array; x0 joins the population", (t) => {
  const xs = new Set<string>()
  for (const init of ['latinhypercube', 'sobol', 'halton', 'random'] as const) {
    const r = differentialEvolution(sphere, B2, { init, seed: 1, polish: false })
    t.true(r.fun < 1e-4, `${init}: ${r.fun}`)
    xs.add(Array.from(differentialEvolution(rosen, B2, { init, seed: 1, polish: false, maxiter: 2 }).populationEnergies).join())
    const r0 = differentialEvolution(sphere, B2, { init, seed: 1, maxiter: 0, polish: false })
    t.true(r0.population.data.every((v) => v >= -3 && v <= 3))
  }
  t.is(xs.size, 4)
  t.deepEqual(differentialEvolution(sphere, B2, { seed: 1, polish: false }).x, differentialEvolution(sphere, B2, { init: 'latinhypercube', seed: 1, polish: false }).x, "default init is 'latinhypercube'")
  // SciPy: sobol rounds the population up to a power of two.
  t.is(differentialEvolution(sphere, B2, { init: 'sobol', seed: 1, maxiter: 0, polish: false }).population.shape[0], 32)
  const init = [
    [1, 1],
    [2, -1],
    [-1, 0.5],
    [0.5, 0.5],
    [-2, 2],
  ]
  const a = differentialEvolution(sphere, B2, { init, seed: 1, maxiter: 0, polish: false })
  t.deepEqual(a.population.shape, [5, 2])
  t.true(maxDiff(a.x, [0.5, 0.5]) < 1e-15, 'the best given point (through the unit cube and back)')
  t.true(maxDiff([...a.populationEnergies].sort((p, q) => p - q), [0.5, 1.25, 2, 5, 8]) < 1e-12, `${a.populationEnergies}`)
  const x0 = differentialEvolution(sphere, B2, { x0: [0.01, -0.02], seed: 1, maxiter: 0, polish: false })
  t.true(maxDiff(x0.x, [0.01, -0.02]) < 1e-15, `${x0.x}`)
  t.true(Math.abs(x0.fun - (0.01 ** 2 + 0.02 ** 2)) < 1e-15)
})

test('DE: vectorized gets an N×S array and counts one evaluation per call, as SciPy', (t) => {
  const shapes: number[][] = []
  const f = (x: { data: Float64Array; shape: number[] }) => {
    shapes.push(x.shape)
    const [n, s] = x.shape
    return Array.from({ length: s }, (_, j) => {
      let v = 0
      for (let i = 0; i < n; i++) v += x.data[i * s + j] ** 2
      return v
    })
  }
  const warnings: Error[] = []
  const onWarning = (w: Error) => warnings.push(w)
  process.on('warning', onWarning)
  let r
  try {
    r = differentialEvolution(f as never, B2, { vectorized: true, updating: 'deferred', seed: 1, maxiter: 5, polish: false })
  } finally {
    process.off('warning', onWarning)
  }
  t.is(warnings.length, 0)
  t.deepEqual(shapes[0], [2, 30])
  t.is(shapes.length, 6)
  t.is(r.nfev, 6, 'SciPy: nfev 6 for maxiter 5 (one per call)')
  t.is(r.nit, 5)
  // Same run as the point-by-point objective.
  const plain = differentialEvolution(sphere, B2, { updating: 'deferred', seed: 1, maxiter: 5, polish: false })
  t.deepEqual(r.x, plain.x)
  // Polished too (SciPy polishes through the vectorized function).
  const p = differentialEvolution(f as never, B2, { vectorized: true, updating: 'deferred', seed: 1, maxiter: 5 })
  t.true(p.fun < 1e-12 && p.jac !== undefined)
  t.true(p.nfev > 6)
  t.throws(() => differentialEvolution(((x: { shape: number[] }) => new Float64Array(x.shape[1] - 1)) as never, B2, { vectorized: true, updating: 'deferred' }), {
    instanceOf: TypeError,
    message: /^a vectorized func must return 30 values \(one per column\); got 29 values/,
  })
})

test('DE: updating immediate (default) and deferred both converge and differ', (t) => {
  const i = differentialEvolution(jsRosen, B2, { seed: 1, polish: false })
  const d = differentialEvolution(jsRosen, B2, { seed: 1, polish: false, updating: 'deferred' })
  t.true(i.fun < 1e-3 && d.fun < 1e-3)
  t.notDeepEqual(i.populationEnergies, d.populationEnergies)
  t.deepEqual(differentialEvolution(jsRosen, B2, { seed: 1, polish: false, updating: 'immediate' }).populationEnergies, i.populationEnergies)
})

// ================================================================ local and scalar methods

test('minimize reaches SciPy x* from x0 = [1.3, 0.7, 0.8, 1.9, 1.2] with each method, and bounded L-BFGS-B', (t) => {
  for (const c of FX.local) {
    const method = c.method as MinimizeMethod
    const r = minimize(rosen, c.x0, { method, bounds: c.bounds ?? undefined })
    const js = minimize((x) => jsRosen(x), c.x0, { method, bounds: c.bounds ?? undefined })
    // Nelder-Mead, Powell, BFGS and bounded L-BFGS-B follow SciPy evaluation for evaluation.
    const exact = method !== 'CG' && !(method === 'L-BFGS-B' && !c.bounds)
    const tol = exact ? 1e-7 : 1e-4
    t.true(maxDiff(r.x, c.x) < tol, `${method} ${c.problem}: x ${r.x} vs ${c.x}`)
    t.true(Math.abs(r.fun - c.fun) < (exact ? 1e-9 : 1e-9), `${method}: fun ${r.fun} vs ${c.fun}`)
    t.is(r.success, c.success)
    if (exact) {
      t.is(r.nfev, c.nfev, `${method}: nfev`)
      t.is(r.nit, c.nit, `${method}: nit`)
    } else {
      t.true(r.nfev <= 1.5 * c.nfev, `${method}: nfev ${r.nfev} vs ${c.nfev}`)
    }
    t.is(js.nfev, r.nfev, 'the JS objective takes the same path')
    t.true(maxDiff(js.x, r.x) < 1e-9)
  }
})

test('minimizeScalar, rootScalar, brentq, brute and approxFprime give SciPy values', (t) => {
  const f = (x: number) => (x - 2) * x * (x + 2) ** 2
  for (const m of ['brent', 'golden', 'bounded'] as const) {
    const r = minimizeScalar(f, m === 'bounded' ? { method: m, bounds: [-3, -1] } : { method: m })
    const s = FX.scalar[m]
    t.true(Math.abs(r.x - s.x) <= 1e-12 * Math.max(1, Math.abs(s.x)), `${m}: ${r.x} vs ${s.x}`)
    t.is(r.nfev, s.nfev, m)
    t.is(r.nit, s.nit, m)
    t.is(r.success, true)
  }
  t.is(minimizeScalar(f, { bounds: [-3, -1] }).x, FX.scalar.bounded.x, "bounds imply 'bounded'")
  const g = (x: number) => x ** 3 - 1
  const roots = {
    brentq: rootScalar(g, { bracket: [0, 3] }),
    bisect: rootScalar(g, { method: 'bisect', bracket: [0, 3] }),
    newton: rootScalar(g, { x0: 0.2, fprime: (x) => 3 * x * x }),
    secant: rootScalar(g, { method: 'secant', x0: 0.2, x1: 0.3 }),
  }
  for (const [name, r] of Object.entries(roots)) {
    const s = FX.roots[name]
    t.true(Math.abs(r.root - s.root) < 1e-12, `${name}: ${r.root}`)
    t.is(r.iterations, s.iterations, name)
    t.is(r.functionCalls, s.function_calls, name)
    t.is(r.converged, s.converged)
    t.is(r.method, name)
  }
  t.is(brentq((x) => x * x - 2, 0, 2), FX.brentq_sqrt2)
  t.throws(() => brentq((x) => x * x + 1, 0, 2), { instanceOf: RangeError, message: /f\(a\) and f\(b\) must have different signs/ })
  const P = FX.brute.params
  const bf = (z: Float64Array) => {
    const [x, y] = z
    const [a, b, c, d, e, ff, gg, h, i, j, k, l, scale] = P
    return a * x ** 2 + b * x * y + c * y ** 2 + d * x + e * y + ff - gg * Math.exp(-((x - h) ** 2 + (y - i) ** 2) / scale) - j * Math.exp(-((x - k) ** 2 + (y - l) ** 2) / scale)
  }
  const grid = brute(bf, FX.brute.ranges, { Ns: FX.brute.Ns, finish: null })
  t.deepEqual(Array.from(grid.x), FX.brute.grid_x)
  t.is(grid.fun, FX.brute.grid_fun)
  t.deepEqual(grid.grid.shape, [17 * 17, 2])
  t.is(grid.jout[0], FX.brute.jout_first)
  t.is(grid.jout[grid.jout.length - 1], FX.brute.jout_last)
  t.true(Math.abs(grid.jout.reduce((s, v) => s + v, 0) - FX.brute.jout_sum) < 1e-9 * FX.brute.jout_sum)
  const fin = brute(bf, FX.brute.ranges, { Ns: FX.brute.Ns })
  t.true(maxDiff(fin.x, FX.brute.x) < 1e-8, `${fin.x}`)
  t.true(Math.abs(fin.fun - FX.brute.fun) < 1e-12)
  const af = FX.approx_fprime
  t.true(maxDiff(approxFprime(af.x, rosen), af.rosen) < 1e-9)
  t.true(maxDiff(approxFprime(af.x, (x) => jsRosen(x), 1e-6), af['eps_1e-6']) < 1e-9)
})

// ================================================================ bad input

test('bad input: TypeError/RangeError naming the argument', (t) => {
  const f = (x: Float64Array) => x[0] ** 2
  t.throws(() => differentialEvolution(f, [[1, -1]]), { instanceOf: RangeError, message: /^bounds\[0\] must be a pair with lo <= hi; got '\[1, -1\]'/ })
  t.throws(() => differentialEvolution(f, [[0, Infinity]]), { instanceOf: RangeError, message: /^bounds\[0\] must be finite \[lo, hi\]/ })
  t.throws(() => differentialEvolution(f, [[0, 1], [NaN, 1]]), { instanceOf: RangeError, message: /^bounds\[1\]/ })
  t.throws(() => differentialEvolution(f, new Bounds([0, 2], [1, 1])), { instanceOf: RangeError, message: /^bounds\[1\] must be a pair with lo <= hi/ })
  t.throws(() => differentialEvolution(f, [] as never), { instanceOf: TypeError, message: /^bounds must be an array of \[lo, hi\] pairs/ })
  t.throws(() => differentialEvolution(f, [[0, 1, 2]] as never), { instanceOf: TypeError, message: /^bounds\[0\] must be a \[lo, hi\] pair/ })
  t.throws(() => differentialEvolution(f, [[-1, 1]], { x0: [2] }), { instanceOf: RangeError, message: /^x0 must be a point within the bounds; got 'x0\[0\] = 2'/ })
  t.throws(() => differentialEvolution(f, [[-1, 1]], { x0: [0, 0] }), { instanceOf: RangeError, message: /^x0 must be 1 values/ })
  t.throws(() => differentialEvolution(f, [[-1, 1]], { popsize: 0 }), { instanceOf: RangeError, message: /^popsize must be an integer >= 1; got 0/ })
  t.throws(() => differentialEvolution(f, [[-1, 1]], { popsize: 2.5 }), { instanceOf: RangeError, message: /^popsize/ })
  t.throws(() => differentialEvolution(f, [[-1, 1]], { strategy: 'best3bin' as never }), { instanceOf: RangeError, message: /^strategy must be one of 'best1bin'.* or a function; got 'best3bin'/ })
  t.throws(() => differentialEvolution(f, [[-1, 1]], { maxiter: -1 }), { instanceOf: RangeError, message: /^maxiter/ })
  t.throws(() => differentialEvolution(f, [[-1, 1]], { tol: -1 }), { instanceOf: RangeError, message: /^tol/ })
  t.throws(() => differentialEvolution(f, [[-1, 1]], { recombination: 1.5 }), { instanceOf: RangeError, message: /^recombination/ })
  t.throws(() => differentialEvolution(f, [[-1, 1]], { mutation: 2.5 }), { instanceOf: RangeError, message: /mutation constant/ })
  t.throws(() => differentialEvolution(f, [[-1, 1]], { updating: 'later' as never }), { instanceOf: RangeError, message: /^updating must be 'immediate' or 'deferred'/ })
  t.throws(() => differentialEvolution(f, [[-1, 1]], { init: 'grid' as never }), { message: /init/ })
  t.throws(() => differentialEvolution(f, [[-1, 1]], { seed: -1 }), { instanceOf: RangeError, message: /^seed/ })
  t.throws(() => differentialEvolution(f, [[-1, 1]], { seed: 1, rng: 1 }), { instanceOf: TypeError, message: /seed or rng, not both/ })
  t.throws(() => differentialEvolution(f, [[-1, 1]], { integrality: [true, false] }), { instanceOf: RangeError, message: /^integrality/ })
  t.throws(() => differentialEvolution(f, [[-1, 1]], { callback: 3 as never }), { instanceOf: TypeError, message: /^callback must be a function/ })
  t.throws(() => differentialEvolution(f, [[-1, 1]], { polish: 'yes' as never }), { instanceOf: TypeError, message: /^polish must be a boolean or a function/ })
  t.throws(() => differentialEvolution(42 as never, [[-1, 1]]), { instanceOf: TypeError, message: /^func must be a function/ })
  // An objective returning non-numbers.
  t.throws(() => differentialEvolution((() => '1') as never, [[-1, 1]]), { instanceOf: TypeError, message: /^the objective must return a number; got string/ })
  t.throws(() => differentialEvolution((() => null) as never, [[-1, 1]]), { instanceOf: TypeError, message: /^the objective must return a number; got null/ })
  t.throws(() => differentialEvolution((() => [1]) as never, [[-1, 1]], { workers: (fn, p) => p.map(fn) }), { instanceOf: TypeError, message: /must return .*numbers|must return a number/ })
  // minimize and friends.
  t.throws(() => minimize(f, [1], { method: 'SLSQP' as never }), { instanceOf: RangeError, message: /^method must be 'Nelder-Mead', 'Powell', 'CG', 'BFGS' or 'L-BFGS-B'/ })
  t.throws(() => minimize(f, [1, 2], { bounds: [[0, 1]] }), { instanceOf: RangeError, message: /^bounds must be 2 \[lo, hi\] pairs/ })
  t.throws(() => minimize(f, 3 as never), { instanceOf: TypeError, message: /^x0 must be an array of numbers/ })
  t.throws(() => minimize((() => 'x') as never, [1]), { instanceOf: TypeError, message: /must return a number/ })
  t.throws(() => brute(f, [[0, 1]], { Ns: 1 }), { instanceOf: RangeError, message: /^Ns must be an integer >= 2/ })
  t.throws(() => minimizeScalar(3 as never), { instanceOf: TypeError, message: /^fun must be a function/ })
  t.throws(() => new Sobol(0), { instanceOf: RangeError, message: /^d must be a positive integer/ })
  t.throws(() => new Halton(2).random(-1), { instanceOf: RangeError, message: /^n must be a non-negative integer/ })
})
