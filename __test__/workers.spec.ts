// The `workers` rule shared by every module, its scoped default, and the pools.
import { execFileSync } from 'node:child_process'
import { availableParallelism } from 'node:os'
import { join } from 'node:path'

import test from 'ava'

import { effectiveWorkers, fft, getWorkers, resolveWorkers, withWorkers, workerPools } from 'musique'

const cores = availableParallelism()

test('integers ≥ 1 are thread counts, -1 is every core, other negatives wrap', (t) => {
  t.is(resolveWorkers(1), 1)
  t.is(resolveWorkers(3), Math.min(3, cores))
  t.is(resolveWorkers(-1), cores)
  t.is(resolveWorkers(null), 1, 'null is the default, as SciPy\'s None')
  t.is(resolveWorkers(-cores), 1)
  if (cores > 1) t.is(resolveWorkers(-2), cores - 1)
})

test('0, non-integers, non-numbers and negatives below -cores are refused naming workers', (t) => {
  t.throws(() => resolveWorkers(0), { instanceOf: RangeError, code: 'ERR_OUT_OF_RANGE', message: /^workers must be a non-zero integer/ })
  t.throws(() => resolveWorkers(1.5), { instanceOf: RangeError, code: 'ERR_OUT_OF_RANGE', message: /^workers must be an integer; got 1.5/ })
  t.throws(() => resolveWorkers(NaN), { instanceOf: RangeError, message: /^workers must be an integer/ })
  t.throws(() => resolveWorkers('2' as unknown as number), { instanceOf: TypeError, code: 'ERR_INVALID_ARG_TYPE', message: /^workers must be an integer; got '2'/ })
  t.throws(() => resolveWorkers(-cores - 1), {
    instanceOf: RangeError,
    code: 'ERR_OUT_OF_RANGE',
    message: `workers value out of range; got ${-cores - 1}, must not be less than ${-cores} (there are ${cores} CPUs)`,
  })
  t.throws(() => fft([1, 2], { workers: -cores - 1 }), { instanceOf: RangeError, message: /workers/ })
})

test('the default is 1; withWorkers scopes it, also across await; the explicit option wins', async (t) => {
  t.is(getWorkers(), 1)
  const seen = await withWorkers(-1, async () => {
    const before = getWorkers()
    await new Promise((r) => setTimeout(r, 5))
    return [before, getWorkers(), resolveWorkers(), resolveWorkers(1)]
  })
  // Resolved when set, as scipy.fft.set_workers does: get_workers() is the core count.
  t.deepEqual(seen, [cores, cores, cores, 1])
  t.is(withWorkers(-1, getWorkers), cores)
  t.is(getWorkers(), 1)
  t.is(withWorkers(2, () => effectiveWorkers([64, 1024], { axes: [-1] })), 2)
  t.is(withWorkers(2, () => effectiveWorkers([64, 1024], { axes: [-1], workers: 1 })), 1)
  t.throws(() => withWorkers(0, () => 1), { instanceOf: RangeError, message: /^workers/ })
})

test('two concurrent scopes do not disturb each other', async (t) => {
  const tick = () => new Promise((r) => setTimeout(r, 1))
  const run = (w: number) =>
    withWorkers(w, async () => {
      const seen: number[] = []
      for (let i = 0; i < 5; i++) {
        await tick()
        seen.push(getWorkers())
      }
      return seen
    })
  const [a, b] = await Promise.all([run(1), run(3)])
  t.deepEqual(a, [1, 1, 1, 1, 1])
  t.deepEqual(b, [3, 3, 3, 3, 3])
})

test('pools are cached by size, never built per call', (t) => {
  const x = new Float64Array(1 << 17)
  fft({ data: x, shape: [64, 1 << 11], dtype: 'float64' }, { workers: -1 })
  const after = workerPools().map((p) => p.threads)
  t.true(after.includes(cores) || cores === 1)
  for (let i = 0; i < 5; i++) fft({ data: x, shape: [64, 1 << 11], dtype: 'float64' }, { workers: -1 })
  t.deepEqual(workerPools().map((p) => p.threads), after)
})

test('a count above the CPUs runs on the CPUs, as SciPy\'s pool: no pool larger than the CPU count is built', (t) => {
  // SciPy: fft of a [40000, 2] batch with workers=4096 takes ~3 ms on a pool of cpu_count threads.
  const x = { data: new Float64Array(80000).map((_, i) => Math.sin(i)), shape: [40000, 2], dtype: 'float64' as const }
  const y = fft(x, { workers: 4096 })
  t.deepEqual(Array.from(y.data), Array.from(fft(x).data))
  t.is(resolveWorkers(4096), cores)
  t.is(resolveWorkers(2 ** 31), cores)
  for (let w = 2; w <= 60; w++) fft(x, { workers: w })
  t.true(
    workerPools().every((p) => p.threads <= cores),
    `pools: ${JSON.stringify(workerPools())}`,
  )
  t.is(withWorkers(4096, () => resolveWorkers()), cores)
})

/**
 * Runs a script in a fresh process with MUSIQUE_BIND_THREADS as given; it builds
 * the pool of every allowed core and (with 3 cores or more) one of cores - 1
 * (no pool is larger than the cores: counts above them are capped), and reports
 * workerPools() with each pool thread's own allowed-CPU list from /proc.
 */
function poolsIn(bind: string | undefined): { pools: { threads: number; cpus?: number[] }[]; allowed: string; threads: Record<string, string> } {
  const script = `
    const fs = require('node:fs')
    const { availableParallelism } = require('node:os')
    const { fft, workerPools } = require(${JSON.stringify(join(__dirname, '..'))})
    const n = availableParallelism()
    for (const w of [n, n - 1]) if (w > 1) fft({ data: new Float64Array(1 << 17), shape: [64, 1 << 11], dtype: 'float64' }, { workers: w })
    const allowedOf = (status) => status.match(/^Cpus_allowed_list:\\s*(.*)$/m)?.[1]
    const threads = {}
    if (process.platform === 'linux') {
      for (const tid of fs.readdirSync('/proc/self/task')) {
        const name = fs.readFileSync('/proc/self/task/' + tid + '/comm', 'utf8').trim()
        if (name.startsWith('musique-')) threads[name] = allowedOf(fs.readFileSync('/proc/self/task/' + tid + '/status', 'utf8'))
      }
    }
    const allowed = process.platform === 'linux' ? allowedOf(fs.readFileSync('/proc/self/status', 'utf8')) : ''
    console.log(JSON.stringify({ pools: workerPools(), allowed, threads }))
  `
  const env = { ...process.env }
  delete env.MUSIQUE_BIND_THREADS
  if (bind !== undefined) env.MUSIQUE_BIND_THREADS = bind
  return JSON.parse(execFileSync(process.execPath, ['-e', script], { env, encoding: 'utf8' }))
}

/** Expands a kernel CPU list such as "0-2,5" into [0, 1, 2, 5]. */
function cpuList(list: string): number[] {
  return list.split(',').flatMap((part) => {
    const [a, b = a] = part.split('-').map(Number)
    return Array.from({ length: b - a + 1 }, (_, i) => a + i)
  })
}

test('on Linux, a pool with one thread per allowed CPU binds each thread to its own CPU; other pools stay free', (t) => {
  const { pools, allowed, threads } = poolsIn(undefined)
  const all = pools.find((p) => p.threads === cores)
  const fewer = pools.find((p) => p.threads === cores - 1)
  t.is(fewer === undefined, cores <= 2, 'a pool of cores - 1 threads is built when that is 2 threads or more')
  t.is(fewer?.cpus, undefined)
  t.false(pools.some((p) => p.threads > cores))
  if (process.platform !== 'linux' || cores === 1) {
    // Never bound elsewhere than Linux, nor when one thread would be.
    t.true(pools.every((p) => p.cpus === undefined))
    return
  }
  const cpus = cpuList(allowed)
  t.is(cpus.length, cores)
  t.deepEqual(all?.cpus, cpus)
  // The kernel says the same of each thread.
  for (let i = 0; i < cores; i++) t.is(threads[`musique-${cores}-${i}`], String(cpus[i]), `thread ${i}`)
  for (let i = 0; i < cores - 1 && cores > 2; i++) t.is(threads[`musique-${cores - 1}-${i}`], allowed, `thread ${i} of the smaller pool`)
})

test('MUSIQUE_BIND_THREADS=0 leaves every pool free', (t) => {
  const { pools, allowed, threads } = poolsIn('0')
  t.true(pools.length >= (cores > 2 ? 2 : 1))
  t.true(pools.every((p) => p.cpus === undefined))
  if (process.platform === 'linux') for (const [name, list] of Object.entries(threads)) t.is(list, allowed, name)
})
