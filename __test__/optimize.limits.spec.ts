// optimize never ends the process, hangs or ignores an abort: sizes that
// cannot be allocated are RangeErrors naming the size, panics are typed
// errors, and every async form rejects with the signal's reason whatever its
// batch does. Crash and hang cases run in a child process (spawnSync's
// timeout is the hang guard; `ulimit -v` where memory is the point).
import test from 'ava'

import { inChild } from './helpers/child'
import * as O from 'musique/optimize'

/** 16 GiB of address space: more than Node needs, less than the requests below. */
const KB_16G = 16 * 2 ** 20
/** 8 GiB: about 6 GiB left to allocate once Node has started, below the 13.6 GiB asked below. */
const KB_8G = 8 * 2 ** 20
const ALLOC = { name: 'RangeError', code: 'ERR_OUT_OF_RANGE' }

// ---------------------------------------------------------------- §1 sizes

test('LatinHypercube(3).random(2**32 - 1) is a RangeError naming 96 GiB, not an abort', (t) => {
  const got = inChild(`return new O.LatinHypercube(3).random(2 ** 32 - 1)`, { kb: KB_16G })
  t.like(got, ALLOC)
  t.regex(got.message ?? '', /^cannot allocate 96\.0 GiB for the result of LatinHypercube\.random/)
})

test('Sobol(4, { bits: 32 }).randomBase2(31) is a RangeError naming 64 GiB; with 30 bits SciPy\'s own error', (t) => {
  const got = inChild(`return new O.Sobol(4, { bits: 32 }).randomBase2(31)`, { kb: KB_16G })
  t.like(got, ALLOC)
  t.regex(got.message ?? '', /^cannot allocate 64\.0 GiB for the result of Sobol\.randomBase2/)
  t.throws(() => new O.Sobol(4).randomBase2(31), { instanceOf: RangeError, message: /^At most 2\*\*30=1073741824 distinct points can be generated\./ })
})

test('Halton(65536) scrambled and Halton(2**31 - 1) are RangeErrors naming the size, not an abort or a hang', (t) => {
  const scrambled = inChild(`return new O.Halton(65536).random(1)`, { kb: KB_16G })
  t.like(scrambled, ALLOC)
  t.regex(scrambled.message ?? '', /^cannot allocate [\d.]+ GiB for the Halton scrambling permutations/)
  const huge = inChild(`return new O.Halton(2 ** 31 - 1)`, { kb: KB_16G })
  t.like(huge, ALLOC)
  t.regex(huge.message ?? '', /^cannot allocate [\d.]+ GiB for the Halton bases/)
  // Unscrambled, 65536 dimensions are cheap.
  t.is(new O.Halton(65536, { scramble: false }).random(1).data.length, 65536)
})

test('differentialEvolution with popsize 2**31 or 100,000 bounds is a RangeError, not an abort', (t) => {
  const big = inChild(`return O.differentialEvolution(O.sphere, [[0, 1]], { popsize: 2 ** 31 })`, { kb: KB_16G })
  t.like(big, { name: 'RangeError' })
  t.regex(big.message ?? '', /popsize/)
  const wide = inChild(`return O.differentialEvolution(O.sphere, Array.from({ length: 100000 }, () => [0, 1]))`, { kb: KB_16G })
  t.like(wide, { name: 'RangeError' })
  t.regex(wide.message ?? '', /100000 parameters/)
})

test("differentialEvolution's init 'halton' in 11,000 dimensions is a RangeError naming its permutations", (t) => {
  const got = inChild(`return O.differentialEvolution(O.sphere, Array.from({ length: 11000 }, () => [0, 1]), { popsize: 1, init: 'halton', maxiter: 0, polish: false })`, { kb: KB_8G })
  t.like(got, ALLOC)
  t.regex(got.message ?? '', /^cannot allocate 13\.6 GiB for the Halton permutations of differentialEvolution's init/)
})

// ---------------------------------------------------------------- §3 panics

test('eggholder([1]) and a 3-D native DE on it are RangeErrors, not "index out of bounds"', (t) => {
  t.throws(() => O.eggholder([1]), { instanceOf: RangeError, message: 'eggholder is defined in 2 dimensions; got points of 1 values' })
  t.throws(() => O.differentialEvolution(O.eggholder, [[0, 1], [0, 1], [0, 1]], { maxiter: 2 }), { instanceOf: RangeError, message: /eggholder is defined in 2 dimensions/ })
  t.is(typeof O.eggholder([512, 404.2319]), 'number')
})

test('L-BFGS-B with maxcor 1e18 runs (memory grows with the corrections stored)', (t) => {
  const r = O.minimize((x) => x[0] * x[0], [1], { method: 'L-BFGS-B', options: { maxcor: 1e18 } })
  t.true(r.success)
})

// ---------------------------------------------------------------- §8 smaller

test('an exception thrown by a minimize callback propagates', (t) => {
  const boom = new Error('boom')
  for (const method of ['Nelder-Mead', 'BFGS', 'L-BFGS-B', 'Powell', 'CG'] as const) {
    t.throws(
      () =>
        O.minimize((x) => x[0] * x[0] + x[1] * x[1], [1, 1], {
          method,
          callback() {
            throw boom
          },
        }),
      { is: boom },
      method,
    )
  }
})

test('a ragged initialSimplex is a RangeError', (t) => {
  t.throws(() => O.minimize((x) => x[0] * x[0] + x[1] * x[1], [1, 1], { method: 'Nelder-Mead', options: { initialSimplex: [[1, 1], [2], [1, 2]] } }), {
    instanceOf: RangeError,
    message: /initialSimplex .*ragged/,
  })
})

test('brentq(() => NaN, 0, 1) names the NaN, as SciPy', (t) => {
  t.throws(() => O.brentq(() => NaN, 0, 1), { instanceOf: RangeError, code: 'ERR_INVALID_ARG_VALUE', message: 'The function value at x=0.0 is NaN; solver cannot continue.' } as never)
})

test("randomBase2(64)'s message prints 2**64 exactly", (t) => {
  t.throws(() => new O.Sobol(2, { bits: 64 }).randomBase2(64), { instanceOf: RangeError, message: /n=0\+18446744073709551616=18446744073709551616\./ })
  t.throws(() => new O.Sobol(2).randomBase2(64), { instanceOf: RangeError, message: /n=0\+18446744073709551616=18446744073709551616\. Consider increasing `bits`\./ })
})

test('Sobol fastForward jumps at once: 2**53 with 64 bits; past 2**bits a RangeError, not a panic', (t) => {
  const s = new O.Sobol(2, { bits: 64, scramble: false })
  s.fastForward(2 ** 53)
  t.is(s.numGenerated, 2 ** 53)
  t.is(s.random(1).data.length, 2)
  t.throws(() => new O.Sobol(2, { bits: 30 }).fastForward(2 ** 32), { instanceOf: RangeError, message: /^At most 2\*\*30=1073741824 distinct points/ })
  t.throws(() => new O.Sobol(2, { bits: 30 }).fastForward(2 ** 31), { instanceOf: RangeError, message: /^At most 2\*\*30/ })
  // The jump lands where stepping does.
  for (const skip of [1, 2, 3, 7, 8, 100, 1023]) {
    const a = new O.Sobol(3, { seed: 5 })
    a.random(skip)
    const b = new O.Sobol(3, { seed: 5 })
    b.fastForward(skip)
    t.deepEqual(Array.from(b.random(4).data), Array.from(a.random(4).data), `skip ${skip}`)
  }
  const c = new O.Sobol(3, { seed: 5 })
  c.random(5)
  c.fastForward(6)
  const d = new O.Sobol(3, { seed: 5 })
  d.random(11)
  t.deepEqual(Array.from(c.random(2).data), Array.from(d.random(2).data))
  const h = new O.Halton(2, { scramble: false })
  h.fastForward(2 ** 53)
  t.is(h.numGenerated, 2 ** 53)
  t.throws(() => h.fastForward(2 ** 53 + 2), { instanceOf: RangeError, message: /up to 2\*\*53/ })
})

// ---------------------------------------------------------------- §5 AbortSignal

test('differentialEvolutionAsync rejects with the reason when aborted during a batch that never settles', async (t) => {
  t.timeout(30_000)
  const bounds: [number, number][] = [[0, 1], [0, 1]]
  const cases: [string, () => O.DifferentialEvolutionOptions, O.Objective][] = [
    ['an async objective', () => ({}), (() => new Promise(() => {})) as never],
    ['a map-like workers', () => ({ workers: () => new Promise(() => {}) }), (x) => x[0]],
  ]
  for (const [what, options, func] of cases) {
    const ac = new AbortController()
    const reason = new Error(`stop ${what}`)
    const run = O.differentialEvolutionAsync(func, bounds, { ...options(), signal: ac.signal })
    setTimeout(() => ac.abort(reason), 100)
    await t.throwsAsync(run, { is: reason }, what)
  }
})

test('differentialEvolutionAsync aborts a module objective that loops forever: its workers are terminated', (t) => {
  const got = inChild(`
    const ac = new AbortController()
    setTimeout(() => ac.abort(new Error('stop')), 300)
    const t0 = Date.now()
    try {
      await O.differentialEvolutionAsync({ module: M.misbehave, export: 'forever' }, [[0, 1]], { workers: 2, signal: ac.signal })
    } catch (e) {
      // The process must be able to end on its own: no worker left running.
      process.exitCode = 0
      return { message: e.message }
    }`)
  t.deepEqual(got.value, { message: 'stop' })
})

test('many calls sharing one signal: no MaxListenersExceededWarning, and all reject when it aborts', async (t) => {
  t.timeout(60_000)
  const warnings: string[] = []
  const onWarning = (w: Error) => warnings.push(w.name)
  process.on('warning', onWarning)
  try {
    const ac = new AbortController()
    const runs = Array.from({ length: 30 }, () => O.differentialEvolutionAsync(() => new Promise<number>(() => {}) as never, [[0, 1]], { signal: ac.signal }))
    const natives = Array.from({ length: 30 }, () => O.differentialEvolutionAsync(O.rastrigin, Array.from({ length: 20 }, (): [number, number] => [-5, 5]), { signal: ac.signal, maxiter: 1e6, tol: 0, popsize: 50 }))
    await new Promise((r) => setTimeout(r, 50))
    ac.abort()
    const settled = await Promise.allSettled([...runs, ...natives])
    t.deepEqual(new Set(settled.map((r) => (r.status === 'rejected' ? (r.reason as Error).name : 'fulfilled'))), new Set(['AbortError']))
    await new Promise((r) => setImmediate(r))
    t.false(warnings.includes('MaxListenersExceededWarning'))
  } finally {
    process.off('warning', onWarning)
  }
})

// ---------------------------------------------------------------- §6 memory in synchronous work

test('a sync minimize or differentialEvolution with a JS objective keeps memory bounded', (t) => {
  // Before: each call into JS left its handles and a finalizer-owned result until the solve returned
  // (Nelder-Mead on a 50-D objective reached 3.4 GB; DE grew ~12 MB per 1,000 generations).
  const got = inChild(`
    const rss = () => process.memoryUsage().rss / 2 ** 20
    O.minimize(() => Math.random(), new Float64Array(50).fill(1), { method: 'Nelder-Mead', options: { maxfev: 20000, maxiter: 20000, xatol: 0, fatol: 0 } })
    const r0 = rss()
    const nm = O.minimize(() => Math.random(), new Float64Array(50).fill(1), { method: 'Nelder-Mead', options: { maxfev: 300000, maxiter: 300000, xatol: 0, fatol: 0 } })
    const r1 = rss()
    const de = O.differentialEvolution(() => Math.random(), [[-1, 1], [-1, 1]], { maxiter: 20000, tol: 0, polish: false, seed: 1 })
    const r2 = rss()
    return { nmFev: nm.nfev, deNit: de.nit, nmGrowth: r1 - r0, deGrowth: r2 - r1 }`)
  const v = got.value as { nmFev: number; deNit: number; nmGrowth: number; deGrowth: number }
  t.is(v.nmFev, 300000)
  t.is(v.deNit, 20000)
  // Generous bounds: the leaks grew by several hundred MB over these runs.
  t.true(v.nmGrowth < 100, `Nelder-Mead grew RSS by ${v.nmGrowth} MB`)
  t.true(v.deGrowth < 100, `DE grew RSS by ${v.deGrowth} MB`)
})
