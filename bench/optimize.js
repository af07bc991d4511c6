// The optimize module of `npm run bench` (bench/run.js): Musique's
// differentialEvolution beside scipy.optimize.differential_evolution (in the
// python3 process of bench/scipy_bench.py --serve) and, for the quality rows,
// nlopt-js's global methods (ESCH, CRS2-LM, ISRES; NLopt compiled to WASM).
//
// Three groups:
// - speed: DE on Rosenbrock 10-D for 200 generations, the objective as a JS
//   function, vectorized, or Musique's native `rosen` (the whole run in Rust);
//   SciPy with scipy.optimize.rosen called per point and vectorized.
// - workers: DE on an objective calibrated to cost about 1 ms (on each side),
//   workers 1 and 2: Musique with a plain function, a { module, export }
//   reference (worker_threads) and a map-like function over a small
//   worker_threads pool; SciPy with workers=1 and 2 (multiprocessing Pool.map).
// - quality: shifted Rastrigin, Ackley and Rosenbrock (minimum 0 at x = 0.5·1)
//   at 10 and 30 dimensions with one evaluation budget for every method: best
//   value reached and wall time (medians over seeds).
//
// Environment (besides run.js's): BENCH_OPTIMIZE_SMALL=1 (a smoke run: few
// generations, small budgets, two seeds; writes no files),
// BENCH_OPTIMIZE_BUDGET_MS (the speed rows' interleaved rounds, default 20000),
// BENCH_OPTIMIZE_WORKERS_BUDGET_MS (the workers rows', default 30000),
// BENCH_OPTIMIZE_SEEDS (quality rows, default 5), BENCH_OPTIMIZE_EVALS_PER_DIM
// (the quality budget is this × dimension evaluations, default 2000),
// BENCH_OPTIMIZE_DEADLINE_MS (default 230000: past its share of it, a quality
// row stops after 3 seeds).
'use strict'

const fs = require('node:fs')
const path = require('node:path')
const { pathToFileURL } = require('node:url')
const { Worker } = require('node:worker_threads')

const M = require('..')

const SMALL = Boolean(process.env.BENCH_OPTIMIZE_SMALL)
const BUDGET_MS = Number(process.env.BENCH_OPTIMIZE_BUDGET_MS ?? (SMALL ? 1000 : 20_000))
const WORKERS_BUDGET_MS = Number(process.env.BENCH_OPTIMIZE_WORKERS_BUDGET_MS ?? (SMALL ? 1000 : 30_000))
const SEEDS = Number(process.env.BENCH_OPTIMIZE_SEEDS ?? (SMALL ? 2 : 5))
const EVALS_PER_DIM = Number(process.env.BENCH_OPTIMIZE_EVALS_PER_DIM ?? (SMALL ? 300 : 2000))
// The whole module: past its share of this, a quality row stops after 3 seeds.
const DEADLINE_MS = Number(process.env.BENCH_OPTIMIZE_DEADLINE_MS ?? 230_000)
const OBJECTIVES = pathToFileURL(path.join(__dirname, 'objectives.mjs'))

// The speed rows: Rosenbrock 10-D, SciPy's default popsize, 200 generations.
const SPEED = { dim: 10, lo: -5, hi: 5, popsize: 15, maxiter: SMALL ? 20 : 200, seed: 1 }
// The workers rows: 10-D, popsize 10 (100 points a generation), an objective of ~1 ms.
const SLOW = { dim: 10, lo: -5, hi: 5, popsize: SMALL ? 5 : 10, maxiter: SMALL ? 2 : 10, seed: 1, targetMs: SMALL ? 0.2 : 1 }
// The quality rows: SciPy's default popsize, generations to fill the budget.
const QUALITY_POPSIZE = 15
const PROBLEMS = [
  { id: 'rastrigin', label: 'shifted Rastrigin', js: 'rastriginShifted', py: 'rastrigin_shifted', lo: -5.12, hi: 5.12 },
  { id: 'ackley', label: 'shifted Ackley', js: 'ackleyShifted', py: 'ackley_shifted', lo: -32.768, hi: 32.768 },
  { id: 'rosen', label: 'shifted Rosenbrock', js: 'rosenShifted', py: 'rosen_shifted', lo: -5, hi: 10 },
]
const DIMS = [10, 30]
const NLOPT = [
  { name: 'ESCH', alg: 'GN_ESCH' },
  { name: 'CRS2', alg: 'GN_CRS2_LM' },
  { name: 'ISRES', alg: 'GN_ISRES' },
]

const MU = 'Musique'
const SC = 'SciPy'
const bounds = (c) => Array.from({ length: c.dim }, () => [c.lo, c.hi])

function version(pkg) {
  try {
    let dir = path.dirname(require.resolve(pkg))
    while (!fs.existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir)
    return JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).version
  } catch {
    return undefined
  }
}

/**
 * nlopt-js, ready. Its Emscripten glue adds process-wide 'uncaughtException' and
 * 'unhandledRejection' listeners (the latter aborts the process); they are removed.
 */
async function loadNlopt() {
  const before = { u: process.listeners('uncaughtException'), r: process.listeners('unhandledRejection') }
  try {
    const nlopt = require('nlopt-js')
    await nlopt.ready
    return { nlopt, version: version('nlopt-js') }
  } catch (e) {
    return { error: `nlopt-js not available (${e.code ?? e.message}); run npm install` }
  } finally {
    for (const [ev, keep] of [
      ['uncaughtException', before.u],
      ['unhandledRejection', before.r],
    ]) {
      for (const l of process.listeners(ev)) if (!keep.includes(l)) process.removeListener(ev, l)
    }
  }
}

/** A run as a sampler: one timed call (run.js's `time` settles before each: a GC, an event-loop turn, quiet). */
function runImpl(h, slot, run) {
  return {
    name: slot,
    slot,
    async sample() {
      const t = h.now()
      let r = run()
      if (r && typeof r.then === 'function') r = await r
      const ms = h.now() - t
      return { ms, fun: r.fun, nfev: r.nfev, nit: r.nit }
    },
  }
}

/** A SciPy run as a sampler: one differential_evolution call, timed in python3. */
function scipyImpl(py, slot, spec) {
  return {
    name: slot,
    slot,
    async sample() {
      const r = await py.request({ cmd: 'de', spec })
      if (r.error) throw new Error(r.error)
      return r
    },
  }
}

/** Checks (one untimed run of each, which is also its warm-up), then interleaved rounds. */
async function timeGroup(h, impls, budget, notes) {
  const first = {}
  const ok = []
  for (const impl of impls) {
    try {
      first[impl.slot] = await impl.sample()
      ok.push(impl)
    } catch (e) {
      notes.push(`${impl.slot} failed: ${e.message}`)
    }
  }
  const samples = await h.time(ok, budget)
  const out = {}
  ok.forEach((impl, i) => {
    if (impl.failed) notes.push(`${impl.slot} failed while timed: ${impl.failed}`)
    else if (impl.slot !== 'probe') out[impl.slot] = { ...h.stats(samples[i]), fun: first[impl.slot].fun, nfev: first[impl.slot].nfev, nit: first[impl.slot].nit }
  })
  const probe = ok.findIndex((i) => i.slot === 'probe')
  const ceiling = probe >= 0 ? { cpu: h.median(samples[probe].map((s) => s.value)), mem: h.median(samples[probe].map((s) => s.mem)) } : undefined
  return { impls: out, ceiling, rounds: samples[0]?.length ?? 0 }
}

// ---------------------------------------------------------------- speed rows

const S_JS = `${MU}, JS objective`
const S_VEC = `${MU}, vectorized JS objective`
const S_NAT = `${MU}, native rosen`
const S_PY = `${SC}, Python objective`
const S_PYVEC = `${SC}, vectorized`

async function speedRows(h, py, obj, notes) {
  const c = SPEED
  const b = bounds(c)
  const base = { maxiter: c.maxiter, popsize: c.popsize, tol: 0, seed: c.seed, polish: false }
  const spec = { problem: 'rosen', dim: c.dim, bounds: [c.lo, c.hi], popsize: c.popsize, maxiter: c.maxiter, seed: c.seed }
  const impls = [
    runImpl(h, S_JS, () => M.differentialEvolution(obj.rosen, b, base)),
    runImpl(h, S_VEC, () => M.differentialEvolution(obj.rosenVectorized, b, { ...base, vectorized: true, updating: 'deferred' })),
    runImpl(h, S_NAT, () => M.differentialEvolution(M.rosen, b, base)),
  ]
  if (!py.error) impls.push(scipyImpl(py, S_PY, spec), scipyImpl(py, S_PYVEC, { ...spec, vectorized: true, updating: 'deferred' }))
  process.send?.({ progress: { module: 'optimize', done: 0, total: 3, label: 'DE speed' } })
  process.stdout.write(`optimize: DE on rosen ${c.dim}-D, ${c.maxiter} generations (popsize ${c.popsize})… `)
  const r = await timeGroup(h, impls, BUDGET_MS, notes)
  const evals = c.popsize * c.dim * (c.maxiter + 1)
  for (const [slot, v] of Object.entries(r.impls)) {
    // A vectorized run counts calls, one a generation, on both sides.
    const expect = slot === S_PYVEC || slot === S_VEC ? c.maxiter + 1 : evals
    if (v.nit !== c.maxiter || v.nfev !== expect) notes.push(`${slot}: nit ${v.nit}, nfev ${v.nfev} (expected ${c.maxiter} and ${expect})`)
  }
  if (r.impls[S_JS] && r.impls[S_NAT] && r.impls[S_JS].fun !== r.impls[S_NAT].fun) {
    notes.push(`the JS-objective and native runs reached different values with the same seed (${r.impls[S_JS].fun} and ${r.impls[S_NAT].fun})`)
  }
  console.log(`[${r.rounds} rounds]`)
  const line = (s) => r.impls[s] && `${s} ${h.fmt(r.impls[s].median)}`
  console.log('  ' + [S_JS, S_VEC, S_NAT, S_PY, S_PYVEC].map(line).filter(Boolean).join(', '))
  return { config: { ...c, evaluations: evals, updating: 'immediate (vectorized: deferred)' }, ...r }
}

// ---------------------------------------------------------------- workers rows

/**
 * A map-like `workers` for Musique: `(fn, points) => Promise<values>` over
 * `size` worker threads that import bench/objectives.mjs and call `exportName`
 * (the function itself cannot cross threads: as Pool.map pickles a function
 * by reference, the pool knows it by name). The points are split into `size`
 * contiguous chunks, one per thread, sent as transferred Float64Arrays.
 */
class MapPool {
  constructor(size, exportName) {
    const code = `
const { parentPort, workerData } = require('node:worker_threads')
import(workerData.url).then((m) => {
  const fn = m[workerData.exportName]
  parentPort.on('message', ({ xs, dim }) => {
    const n = xs.length / dim
    const out = new Float64Array(n)
    for (let i = 0; i < n; i++) out[i] = fn(xs.subarray(i * dim, (i + 1) * dim))
    parentPort.postMessage(out, [out.buffer])
  })
  parentPort.postMessage('ready')
})`
    this.workers = Array.from({ length: size }, () => new Worker(code, { eval: true, workerData: { url: OBJECTIVES.href, exportName } }))
    // One job at a time per worker: its pending { resolve, reject }.
    this.pending = this.workers.map(() => null)
    this.ready = Promise.all(
      this.workers.map(
        (w, i) =>
          new Promise((resolve, reject) => {
            this.pending[i] = { resolve, reject }
            w.on('message', (m) => {
              const p = this.pending[i]
              this.pending[i] = null
              p?.resolve(m)
            })
            w.on('error', (e) => {
              const p = this.pending[i]
              this.pending[i] = null
              p?.reject(e)
            })
          }),
      ),
    )
    this.map = (fn, points) => this.run(points)
  }

  async run(points) {
    const n = points.length
    const dim = n ? points[0].length : 0
    const k = this.workers.length
    const jobs = []
    let start = 0
    for (let w = 0; w < k; w++) {
      const count = Math.floor(n / k) + (w < n % k ? 1 : 0)
      const xs = new Float64Array(count * dim)
      for (let i = 0; i < count; i++) xs.set(points[start + i], i * dim)
      start += count
      jobs.push(
        new Promise((resolve, reject) => {
          this.pending[w] = { resolve, reject }
          this.workers[w].postMessage({ xs, dim }, [xs.buffer])
        }),
      )
    }
    const parts = await Promise.all(jobs)
    const out = new Float64Array(n)
    let o = 0
    for (const p of parts) {
      out.set(p, o)
      o += p.length
    }
    return out
  }

  close() {
    return Promise.all(this.workers.map((w) => w.terminate()))
  }
}

/** Spin iterations for which obj.slowRosen costs about targetMs here (median of 7 calls). */
function calibrateJs(h, obj, targetMs) {
  const x = new Float64Array(10).fill(0.5)
  const cost = (n) => {
    obj.setSpin(n)
    const v = []
    for (let i = 0; i < 7; i++) {
      const t = h.now()
      obj.slowRosen(x)
      v.push(h.now() - t)
    }
    return h.median(v)
  }
  let n = 1000
  cost(n)
  while (cost(n) < 0.2 * targetMs) n *= 4
  for (let i = 0; i < 3; i++) n = Math.max(1, Math.round((n * targetMs) / cost(n)))
  const ms = cost(n)
  obj.setSpin(n)
  process.env.BENCH_OPT_SPIN = String(n)
  return { spin: n, ms }
}

const W1 = `${MU}, workers 1 (function)`
const W1REF = `${MU}, workers 1 (module reference)`
const W2REF = `${MU}, workers 2 (module reference)`
const W2MAP = `${MU}, workers 2 (map-like)`
const W2POOL = `${MU}, workers 2 (shared WorkerPool)`
const SW1 = `${SC}, workers 1`
const SW2 = `${SC}, workers 2`

async function workersRows(h, py, obj, notes) {
  const c = SLOW
  const b = bounds(c)
  const calibration = { js: calibrateJs(h, obj, c.targetMs) }
  if (!py.error) {
    const r = await py.request({ cmd: 'calibrate', target_ms: c.targetMs })
    if (r.error) notes.push(`SciPy calibration failed: ${r.error}`)
    else calibration.scipy = r
  }
  const ref = { module: OBJECTIVES, export: 'slowRosen' }
  const base = { maxiter: c.maxiter, popsize: c.popsize, tol: 0, seed: c.seed, polish: false, updating: 'deferred' }
  // The user's pool, started once (outside the timed runs), as one would a piscina pool.
  const pool = new MapPool(2, 'slowRosen')
  await pool.ready
  // Musique's own way to keep worker threads across solves: a WorkerPool passed as workers.
  const shared = new M.WorkerPool(ref, { size: 2 })
  const probe = await h.ceilingProbe()
  const impls = [
    runImpl(h, W1, () => M.differentialEvolution(obj.slowRosen, b, { ...base, workers: 1 })),
    runImpl(h, W1REF, () => M.differentialEvolution(ref, b, { ...base, workers: 1 })),
    runImpl(h, W2REF, () => M.differentialEvolution(ref, b, { ...base, workers: 2 })),
    runImpl(h, W2MAP, () => M.differentialEvolutionAsync(obj.slowRosen, b, { ...base, workers: pool.map })),
    runImpl(h, W2POOL, () => M.differentialEvolution(shared.objective, b, { ...base, workers: shared })),
  ]
  if (!py.error && calibration.scipy) {
    const spec = { problem: 'slow_rosen', dim: c.dim, bounds: [c.lo, c.hi], popsize: c.popsize, maxiter: c.maxiter, seed: c.seed, updating: 'deferred', spin: calibration.scipy.spin }
    impls.push(scipyImpl(py, SW1, { ...spec, workers: 1 }), scipyImpl(py, SW2, { ...spec, workers: 2 }))
  }
  impls.push({ ...probe, slot: 'probe' })
  const evals = c.popsize * c.dim * (c.maxiter + 1)
  process.send?.({ progress: { module: 'optimize', done: 1, total: 3, label: 'DE workers' } })
  process.stdout.write(`optimize: DE on a ~${c.targetMs} ms objective (${evals} evaluations), workers 1 and 2… `)
  let r
  try {
    r = await timeGroup(h, impls, WORKERS_BUDGET_MS, notes)
  } finally {
    await probe.close()
    await pool.close()
    await shared.close()
  }
  for (const [slot, v] of Object.entries(r.impls)) {
    if (v.nit !== c.maxiter || v.nfev !== evals) notes.push(`${slot}: nit ${v.nit}, nfev ${v.nfev} (expected ${c.maxiter} and ${evals})`)
  }
  const mu = [W1, W1REF, W2REF, W2MAP, W2POOL].filter((s) => r.impls[s])
  if (new Set(mu.map((s) => r.impls[s].fun)).size > 1) notes.push(`Musique's workers rows reached different values with the same seed: ${mu.map((s) => `${s} ${r.impls[s].fun}`).join(', ')}`)
  if (r.impls[SW1] && r.impls[SW2] && r.impls[SW1].fun !== r.impls[SW2].fun) notes.push(`SciPy's workers 1 and 2 reached different values with the same seed (${r.impls[SW1].fun}, ${r.impls[SW2].fun})`)
  console.log(`[${r.rounds} rounds]`)
  console.log('  ' + [W1, W1REF, W2REF, W2MAP, W2POOL, SW1, SW2].filter((s) => r.impls[s]).map((s) => `${s} ${h.fmt(r.impls[s].median)}`).join(', '))
  if (r.ceiling) console.log(`  two threads against one: ${r.ceiling.cpu.toFixed(2)}× compute, ${r.ceiling.mem.toFixed(2)}× memory copies`)
  console.log(`  objective cost: JS ${calibration.js.ms.toFixed(3)} ms (${calibration.js.spin} square roots)${calibration.scipy ? `, Python ${calibration.scipy.ms.toFixed(3)} ms (${calibration.scipy.spin} square roots)` : ''}`)
  return { config: { ...c, evaluations: evals }, calibration, ...r }
}

// ---------------------------------------------------------------- quality rows

/** The same LCG as run.js's random(): a start point per seed for nlopt (which needs x0). */
function startPoint(dim, lo, hi, seed) {
  const x = new Array(dim)
  let s = seed * 7919 + 17
  for (let i = 0; i < dim; i++) {
    s = (s * 1103515245 + 12345) % 2147483648
    x[i] = lo + ((hi - lo) * s) / 2147483648
  }
  return x
}

const Q_MU = `${MU} DE`
const Q_SC = `${SC} DE`

async function qualityRows(h, py, obj, nl, notes, moduleStart) {
  const rows = []
  const qStart = h.now()
  const total = PROBLEMS.length * DIMS.length
  for (const p of PROBLEMS) {
    for (const dim of DIMS) {
      const budget = EVALS_PER_DIM * dim
      const maxiter = Math.floor(budget / (QUALITY_POPSIZE * dim)) - 1
      const deEvals = QUALITY_POPSIZE * dim * (maxiter + 1)
      const b = Array.from({ length: dim }, () => [p.lo, p.hi])
      const f = obj[p.js]
      const row = { id: `${p.id}-${dim}`, label: `${p.label}, ${dim}-D`, problem: p.id, dim, bounds: [p.lo, p.hi], budget, deMaxiter: maxiter, deEvaluations: deEvals, runs: {} }
      process.send?.({ progress: { module: 'optimize', done: 2, total: 3, label: row.label } })
      process.stdout.write(`optimize: ${row.label}, ${budget} evaluations, ${SEEDS} seeds… `)
      const t0 = h.now()
      const add = (name, run) => (row.runs[name] ??= []).push(run)
      for (let seed = 1; seed <= SEEDS; seed++) {
        // This row's share of what the deadline leaves to the quality rows.
        const rowEnd = qStart + ((DEADLINE_MS - (qStart - moduleStart)) * (rows.length + 1)) / total
        if (seed > 3 && h.now() > rowEnd) {
          notes.push(`${row.label}: ${seed - 1} runs instead of ${SEEDS} (BENCH_OPTIMIZE_DEADLINE_MS)`)
          break
        }
        global.gc()
        await h.tick()
        let t = h.now()
        const r = M.differentialEvolution(f, b, { popsize: QUALITY_POPSIZE, maxiter, tol: 0, polish: false, seed })
        add(Q_MU, { fun: r.fun, ms: h.now() - t, nfev: r.nfev, seed })
        if (!py.error) {
          const s = await py.request({ cmd: 'de', spec: { problem: p.py, dim, bounds: [p.lo, p.hi], popsize: QUALITY_POPSIZE, maxiter, seed } })
          if (s.error) notes.push(`${Q_SC} on ${row.label}, seed ${seed}: ${s.error}`)
          else add(Q_SC, { fun: s.fun, ms: s.ms, nfev: s.nfev, seed })
        }
        if (nl.nlopt) {
          const x0 = startPoint(dim, p.lo, p.hi, seed)
          for (const m of NLOPT) {
            global.gc()
            await h.tick()
            t = h.now()
            let nfev = 0
            let best = Infinity
            const opt = new nl.nlopt.Optimize(nl.nlopt.Algorithm[m.alg], dim)
            opt.setLowerBounds(b.map((v) => v[0]))
            opt.setUpperBounds(b.map((v) => v[1]))
            opt.setMinObjective((x) => {
              nfev++
              const v = f(x)
              // CRS2 may evaluate a few points past maxeval: only the budget's first evaluations count.
              if (nfev <= budget && v < best) best = v
              return v
            }, 0)
            opt.setMaxeval(budget)
            let res
            try {
              res = opt.optimize(x0)
            } catch (e) {
              notes.push(`${m.name} on ${row.label}, run ${seed}: ${e.message ?? e}`)
            }
            const ms = h.now() - t
            nl.nlopt.GC.flush()
            if (res) add(m.name, { fun: best, nloptValue: res.value, ms, nfev, seed })
          }
        }
      }
      const summary = {}
      for (const [name, runs] of Object.entries(row.runs)) {
        const funs = runs.map((r) => r.fun)
        summary[name] = { fun: h.median(funs), min: Math.min(...funs), max: Math.max(...funs), ms: h.median(runs.map((r) => r.ms)), nfev: h.median(runs.map((r) => r.nfev)), n: runs.length }
        const most = Math.max(...runs.map((r) => r.nfev))
        if (most > budget) row.over = { ...row.over, [name]: most - budget }
      }
      row.summary = summary
      rows.push(row)
      console.log(`${((h.now() - t0) / 1000).toFixed(1)} s`)
      console.log('  ' + [Q_MU, Q_SC, ...NLOPT.map((m) => m.name)].filter((n) => summary[n]).map((n) => `${n} ${fmtF(summary[n].fun)} (${h.fmt(summary[n].ms)})`).join(', '))
    }
  }
  return rows
}

const fmtF = (v) => (v === undefined ? 'n/a' : v === 0 ? '0' : Math.abs(v) >= 0.01 && Math.abs(v) < 1e4 ? v.toPrecision(3) : v.toExponential(2))

// ---------------------------------------------------------------- the module

async function run(py, h, only) {
  const t0 = h.now()
  const want = (id) => !only || only.some((w) => id.includes(w))
  const obj = await import(OBJECTIVES.href)
  const nl = await loadNlopt()
  if (nl.error) console.log(`optimize: ${nl.error}`)
  const notes = { speed: [], workers: [], quality: [] }
  const speed = want('speed') ? await speedRows(h, py, obj, notes.speed) : undefined
  const workers = want('workers') ? await workersRows(h, py, obj, notes.workers) : undefined
  const quality = want('quality') ? await qualityRows(h, py, obj, nl, notes.quality, t0) : undefined
  for (const [k, v] of Object.entries(notes)) for (const n of v) console.log(`  note (${k}): ${n}`)
  return {
    date: new Date().toISOString(),
    seconds: (h.now() - t0) / 1000,
    small: SMALL,
    nlopt: nl.version ?? null,
    nloptError: nl.error,
    scipy: py.error ? null : { scipy: py.scipy, numpy: py.numpy, python: py.python },
    speed,
    workers,
    quality: quality && { popsize: QUALITY_POPSIZE, evalsPerDim: EVALS_PER_DIM, seeds: SEEDS, rows: quality },
    notes,
  }
}

// ---------------------------------------------------------------- report

function machineLines(opt) {
  const out = []
  if (opt.separateRun && opt.host) {
    const c = opt.parallelCeiling ?? {}
    const probe = ['start', 'end'].filter((k) => c[k]).map((k) => `${c[k].cpu.toFixed(2)}× compute, ${c[k].mem.toFixed(2)}× memory copies at the ${k}`)
    out.push(
      `- The optimize rows were timed in a separate run (\`node bench/run.js optimize\`, ${opt.date.slice(0, 16).replace('T', ' ')} UTC) on: ${opt.host.cpu}; ${opt.host.cores} cores; ${opt.host.memory}; ${opt.host.os}; Node ${opt.host.node}${probe.length ? `; two threads against one: ${probe.join(', ')}` : ''}`,
    )
  }
  out.push(`- Optimize peers: ${opt.scipy ? `scipy.optimize.differential_evolution (SciPy ${opt.scipy.scipy}, numpy ${opt.scipy.numpy}, Python ${opt.scipy.python})` : 'SciPy not available'}; ${opt.nlopt ? `nlopt-js ${opt.nlopt} (NLopt compiled to WASM)` : `nlopt-js: ${opt.nloptError ?? 'not run'}`}`)
  return out
}

function report(opt, h) {
  const { fmt, ratio } = h
  const t = (ms) => (ms === undefined ? 'n/a' : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : fmt(ms))
  const lines = [
    '',
    '## Optimize',
    '',
    `Timed${opt.small ? ' **on the small settings (BENCH_OPTIMIZE_SMALL: few generations, small budgets)**' : ''} on ${opt.date.slice(0, 16).replace('T', ' ')} UTC, in ${opt.seconds.toFixed(0)} s, Musique ${opt.commit ? `at ${opt.commit}` : ''}${opt.addonBuilt ? ` with the native addon built ${opt.addonBuilt.slice(0, 16).replace('T', ' ')} UTC` : ''} (\`node bench/run.js optimize\` runs these rows alone; \`npm run bench\` runs them after the linalg rows).`,
    '',
    'Method: every run is one call of `differentialEvolution` (Musique) or',
    '`scipy.optimize.differential_evolution` (SciPy, in the python3 process of',
    'bench/scipy_bench.py --serve, timed there around the call alone) with the same settings on',
    'both sides: the same bounds, popsize and maxiter, `tol: 0` (so every generation runs),',
    '`polish: false`, a fixed seed, and the same `updating`. The two libraries draw different',
    'random numbers, so their trajectories differ; the check run before timing (untimed, it is',
    'also the warm-up) confirms the same number of generations and evaluations on both sides.',
    'Runs are then taken in rounds (each implementation once a round, in a shuffled order; a GC,',
    'an event-loop turn and 30 ms of quiet before each) until the group\'s time budget is spent',
    '(5 rounds at least). Medians.',
    'Ratio = SciPy time / Musique time: above 1× Musique is faster.',
  ]
  const s = opt.speed
  if (s) {
    const c = s.config
    const g = (slot) => s.impls[slot]?.median
    const cell = (mu, sc) => (g(mu) !== undefined && g(sc) !== undefined ? `${t(g(sc))} (${ratio(g(sc), g(mu))})` : 'n/a')
    const f = (slot) => (s.impls[slot] ? fmtF(s.impls[slot].fun) : 'n/a')
    lines.push(
      '',
      `### Differential evolution: Rosenbrock ${c.dim}-D, ${c.maxiter} generations`,
      '',
      `Bounds [${c.lo}, ${c.hi}]^${c.dim}, popsize ${c.popsize} (${c.popsize * c.dim} points a generation, ${c.evaluations} evaluations), seed ${c.seed}, ${s.rounds} rounds. The JS-objective and native rows use \`updating: 'immediate'\` (both libraries' default), the vectorized rows \`'deferred'\` (which vectorized forces on both).`,
      '',
      `| Musique row | Musique | ${S_PY} (ratio) | ${S_PYVEC} (ratio) | best f: Musique |`,
      '| --- | ---: | ---: | ---: | ---: |',
      `| JS objective (\`rosen\` in JS, one call a point) | ${t(g(S_JS))} | ${cell(S_JS, S_PY)} | ${cell(S_JS, S_PYVEC)} | ${f(S_JS)} |`,
      `| vectorized JS objective (one call a generation, N × S) | ${t(g(S_VEC))} | ${cell(S_VEC, S_PY)} | ${cell(S_VEC, S_PYVEC)} | ${f(S_VEC)} |`,
      `| native \`rosen\` (the whole run in Rust) | ${t(g(S_NAT))} | ${cell(S_NAT, S_PY)} | ${cell(S_NAT, S_PYVEC)} | ${f(S_NAT)} |`,
      '',
      `Best f reached by SciPy: ${f(S_PY)} (Python objective), ${f(S_PYVEC)} (vectorized). Vectorized runs report nfev as the number of calls (${c.maxiter + 1}) in both libraries. The JS-objective and native rows reach the same point with the same seed (the same engine); the vectorized row differs from them by its deferred updating.`,
    )
    for (const n of opt.notes?.speed ?? []) lines.push(`- ${n}`)
  }
  const w = opt.workers
  if (w) {
    const c = w.config
    const g = (slot) => w.impls[slot]?.median
    const sp = (a, b) => (g(a) !== undefined && g(b) !== undefined ? `${(g(a) / g(b)).toFixed(2)}×` : 'n/a')
    const cal = w.calibration
    lines.push(
      '',
      `### Differential evolution on a ~${c.targetMs} ms objective, workers 1 and 2`,
      '',
      `Rosenbrock ${c.dim}-D plus a fixed loop of square roots, calibrated at the start to cost about ${c.targetMs} ms a call on each side: ${cal.js.spin} iterations in JS (${cal.js.ms.toFixed(3)} ms measured)${cal.scipy ? `, ${cal.scipy.spin} in Python (${cal.scipy.ms.toFixed(3)} ms)` : ''}. Popsize ${c.popsize} (${c.popsize * c.dim} points a generation), ${c.maxiter} generations, ${c.evaluations} evaluations, \`updating: 'deferred'\` in every row (workers force it; the workers 1 rows use it too, so both counts run the same algorithm), seed ${c.seed}, ${w.rounds} rounds. The two-thread probe (a JS loop on two threads against one, as in the fft rows) is timed in the same rounds.`,
      '',
      '| row | Musique | SciPy | ratio (SciPy / Musique) |',
      '| --- | ---: | ---: | ---: |',
      `| workers 1 | ${t(g(W1))} (a plain function, main thread) | ${t(g(SW1))} | ${g(W1) && g(SW1) ? ratio(g(SW1), g(W1)) : 'n/a'} |`,
      `| workers 1, module reference (one worker thread) | ${t(g(W1REF))} | – | – |`,
      `| workers 2, module reference (\`{ module, export }\`, worker_threads) | ${t(g(W2REF))} | ${t(g(SW2))} (multiprocessing Pool.map) | ${g(W2REF) && g(SW2) ? ratio(g(SW2), g(W2REF)) : 'n/a'} |`,
      `| workers 2, map-like (\`(fn, points) => Promise<values>\` over a 2-thread pool started once) | ${t(g(W2MAP))} | – | ${g(W2MAP) && g(SW2) ? ratio(g(SW2), g(W2MAP)) : 'n/a'} |`,
      `| workers 2, a shared \`WorkerPool\` of 2 threads started once (\`workers: pool\`) | ${t(g(W2POOL))} | – | ${g(W2POOL) && g(SW2) ? ratio(g(SW2), g(W2POOL)) : 'n/a'} |`,
      `| speed-up, workers 2 against workers 1 | module reference ${sp(W1, W2REF)}, map-like ${sp(W1, W2MAP)}, shared WorkerPool ${sp(W1, W2POOL)} | ${sp(SW1, SW2)} | |`,
      '',
      w.ceiling ? `Two-thread probe during these rows: ${w.ceiling.cpu.toFixed(2)}× (compute), ${w.ceiling.mem.toFixed(2)}× (memory copies); it bounds any workers = 2 speed-up on this machine at the time.` : '',
      'Musique\'s module-reference rows start their worker threads inside each timed call (as SciPy\'s',
      'workers=2 starts its Pool inside each call); the map-like pool and the shared WorkerPool are',
      'started once before the rounds, as one keeps a pool across solves.',
    )
    for (const n of opt.notes?.workers ?? []) lines.push(`- ${n}`)
  }
  const q = opt.quality
  if (q) {
    const names = [Q_MU, Q_SC, ...NLOPT.map((m) => m.name)]
    lines.push(
      '',
      '### Quality at a fixed evaluation budget',
      '',
      `Each method gets ${q.evalsPerDim} × dimension evaluations on the shifted functions (minimum f = 0 at x = 0.5·1; bounds: Rastrigin [-5.12, 5.12], Ackley [-32.768, 32.768], Rosenbrock [-5, 10] in every dimension), ${q.seeds} runs each: DE with popsize ${q.popsize} and maxiter filling the budget (popsize × dim × (maxiter + 1) evaluations), \`tol: 0\`, no polish, seeds 1…${q.seeds}, the objective in JS (Musique) or numpy (SciPy); nlopt-js's GN_ESCH, GN_CRS2_LM and GN_ISRES with \`setMaxeval(budget)\`, the same bounds and JS objectives, from a start point drawn in the bounds per run (nlopt-js does not expose nlopt_srand, so its runs are not seeded). Cell: median best f over the runs, then median wall time.`,
      '',
      `| problem | evaluations | ${names.join(' | ')} |`,
      `| --- | ---: | ${names.map(() => '---:').join(' | ')} |`,
    )
    for (const r of q.rows) {
      lines.push(`| ${r.label} | ${r.budget} | ${names.map((n) => (r.summary[n] ? `${fmtF(r.summary[n].fun)} (${t(r.summary[n].ms)})` : 'n/a')).join(' | ')} |`)
    }
    lines.push('', 'Min and max over the runs, and every run, are in results.json (optimize.quality).')
    const over = {}
    for (const r of q.rows) for (const [n, k] of Object.entries(r.over ?? {})) over[n] = Math.max(over[n] ?? 0, k)
    for (const [n, k] of Object.entries(over)) lines.push(`${n} evaluates up to ${k} point${k > 1 ? 's' : ''} past \`setMaxeval\` on some rows; its best f counts only the budget's first evaluations (its time includes the extra ones).`)
    for (const n of opt.notes?.quality ?? []) lines.push(`- ${n}`)
  }

  lines.push('', '### Targets (optimize, from the project issue)', '')
  const check = (ok, text) => lines.push(`- ${ok === undefined ? 'not measured' : ok ? 'met' : '**missed**'}: ${text}`)
  const sg = (slot) => s?.impls[slot]?.median
  const rt = (a, b) => (sg(a) !== undefined && sg(b) !== undefined ? sg(b) / sg(a) : undefined)
  const js = rt(S_JS, S_PY)
  check(js === undefined ? undefined : js >= 5, `JS-objective DE at least 5× faster than SciPy's (Python objective, same settings)${js === undefined ? '' : `: ${js.toFixed(2)}×`}`)
  const nat = rt(S_NAT, S_PY)
  check(nat === undefined ? undefined : nat >= 50, `native-objective DE at least 50× faster than SciPy's (Python objective)${nat === undefined ? '' : `: ${nat.toFixed(2)}×${sg(S_PYVEC) ? ` (${(sg(S_PYVEC) / sg(S_NAT)).toFixed(2)}× against SciPy vectorized)` : ''}`}`)
  const wg = (slot) => w?.impls[slot]?.median
  for (const [slot, label] of [
    [W2REF, 'module reference, threads started per call'],
    [W2POOL, 'module reference on a shared WorkerPool'],
    [W2MAP, 'map-like'],
  ]) {
    const v = wg(W1) !== undefined && wg(slot) !== undefined ? wg(W1) / wg(slot) : undefined
    const probe = w?.ceiling ? `; two-thread compute probe in the same rounds ${w.ceiling.cpu.toFixed(2)}×` : ''
    const scipy = wg(SW1) && wg(SW2) ? `; SciPy ${(wg(SW1) / wg(SW2)).toFixed(2)}×` : ''
    check(v === undefined ? undefined : v >= 1.7, `workers = 2 at least 1.7× faster than workers = 1 on the ~1 ms objective (${label})${v === undefined ? '' : `: ${v.toFixed(2)}×${probe}${scipy}${v < 1.7 && w?.ceiling && w.ceiling.cpu < 1.8 ? ' — two threads of pure compute got only that much on this machine during these rows' : ''}`}`)
  }
  if (opt.small) lines.push('- (small settings: these checks say nothing about the targets, which are for the full settings)')

  lines.push(
    '',
    '### How each optimize peer runs',
    '',
    '- Musique: `differentialEvolution(func, bounds, { maxiter, popsize, tol: 0, seed, polish: false, … })` from `require(\'musique\')`; the JS objectives are in bench/objectives.mjs (the vectorized one gets the population as an N × S NDArray, one point per column, as SciPy hands it); the native row passes Musique\'s `rosen`, which runs the whole solve in Rust; workers rows: `workers: 1` with a plain function, `{ module, export: \'slowRosen\' }` with `workers: 1` and `2` (Musique\'s WorkerPool, started per call), the same reference on a `new WorkerPool(ref, { size: 2 })` made once and passed as `workers`, and `differentialEvolutionAsync` with a map-like `workers` over two worker_threads that import the same module (bench/optimize.js\'s MapPool: one contiguous chunk of points per thread, sent as transferred Float64Arrays).',
    '- SciPy: `differential_evolution(f, bounds, maxiter=, popsize=, tol=0, polish=False, rng=seed, updating=, workers=, vectorized=)`; f is `scipy.optimize.rosen` (numpy, per point or vectorized), the ~1 ms objective a module-level function with `args=(spin,)` (workers=2: SciPy\'s own multiprocessing Pool(2).map, started per call), the shifted functions numpy expressions (bench/scipy_bench.py).',
    `- nlopt-js${opt.nlopt ? ` ${opt.nlopt}` : ''}: \`new Optimize(Algorithm.GN_ESCH | GN_CRS2_LM | GN_ISRES, n)\`, \`setLowerBounds\`, \`setUpperBounds\`, \`setMinObjective(f, 0)\`, \`setMaxeval(budget)\`, \`optimize(x0)\`; best f is the lowest value the objective returned within the budget\'s first evaluations.`,
  )
  return lines
}

module.exports = { run, report, machineLines }
