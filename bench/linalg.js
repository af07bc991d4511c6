// The linalg module of `npm run bench` (bench/run.js): Musique's linalg at one
// thread and at every core (threadpoolLimits({ blas })), beside numpy/scipy.linalg
// (OpenBLAS, in the python3 process of bench/scipy_bench.py --serve, threads 1
// and all through threadpoolctl), ml-matrix (pure JS, one thread), and the
// Rust crate's own faer and OpenBLAS backends (the `backends` example of
// musique-linalg, run through cargo after the Node and SciPy rounds).
//
// Environment (besides run.js's): BENCH_LINALG_SMALL=1 divides every size by 10
// (a smoke run; the cargo example gets --quick), BENCH_LINALG_BUDGET_MS (per
// implementation per row, default 3000), BENCH_LINALG_DEADLINE_MS (the Node and
// SciPy rounds of all rows, ml-matrix included, default 240000),
// BENCH_ML_ONCE_MS (an ml-matrix call slower than this is timed once, default
// 1000), BENCH_NO_CARGO=1 (skip the Rust backends), BENCH_CARGO_REPEATS
// (default 7), BENCH_CARGO_BUILD_TIMEOUT_S (default 1200).
'use strict'

const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { spawnSync } = require('node:child_process')

const M = require('..')

const SMALL = Boolean(process.env.BENCH_LINALG_SMALL)
const BUDGET_MS = Number(process.env.BENCH_LINALG_BUDGET_MS ?? 3000)
const DEADLINE_MS = Number(process.env.BENCH_LINALG_DEADLINE_MS ?? 240_000)
const ML_ONCE_MS = Number(process.env.BENCH_ML_ONCE_MS ?? 1000)
const CARGO_REPEATS = Number(process.env.BENCH_CARGO_REPEATS ?? 7)
const CARGO_BUILD_TIMEOUT_S = Number(process.env.BENCH_CARGO_BUILD_TIMEOUT_S ?? 1200)
const ROOT = path.join(__dirname, '..')
const CORES = os.availableParallelism()
// Agreement: max abs error / max |Musique's value| (relative difference for det).
const TOLERANCE = 1e-8

let ml
let mlError
try {
  ml = require('ml-matrix')
} catch (e) {
  mlError = `ml-matrix not installed (${e.code ?? e.message}); run npm install`
}
// Its package.json is not in its exports: read from the package folder.
const ML_VERSION = ml ? JSON.parse(fs.readFileSync(path.join(path.dirname(require.resolve('ml-matrix')), 'package.json'), 'utf8')).version : undefined

const s = (n) => (SMALL ? Math.max(2, Math.round(n / 10)) : n)

/** The same LCG as run.js's random(), with a seed per input: values in [-1, 1). */
function random(n, seed) {
  const a = new Float64Array(n)
  let x = seed
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) % 2147483648
    a[i] = x / 1073741824 - 1
  }
  return a
}

const mat = (data, shape) => M.ndarray(data, shape, 'float64')
const rand = (r, c, seed) => (c === undefined ? mat(random(r, seed), [r]) : mat(random(r * c, seed), [r, c]))
/** Random plus n on the diagonal: well conditioned (the cargo example's `well`). */
function well(n, seed) {
  const d = random(n * n, seed)
  for (let i = 0; i < n; i++) d[i * n + i] += n
  return mat(d, [n, n])
}
/** `well` divided by n: a determinant of moderate size (the example's det input). */
function detInput(n, seed) {
  const a = well(n, seed)
  for (let i = 0; i < a.data.length; i++) a.data[i] /= n
  return a
}
/** Symmetric, entries in [-1, 1), n added on the diagonal: positive definite (the example's `spd`). */
function spd(n, seed) {
  const r = random(n * n, seed)
  const d = new Float64Array(n * n)
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) d[i * n + j] = i === j ? r[i * n + i] + n : r[Math.min(i, j) * n + Math.max(i, j)]
  return mat(d, [n, n])
}

const desc = (a) => Float64Array.from(a).sort((x, y) => y - x)
const asc = (a) => Float64Array.from(a).sort((x, y) => x - y)
/** An ml-matrix Matrix from an NDArray (outside the timed calls). */
const toMl = (x) => (x.shape.length === 1 ? ml.Matrix.columnVector(Array.from(x.data)) : new ml.Matrix(Array.from({ length: x.shape[0] }, (_, i) => x.data.subarray(i * x.shape[1], (i + 1) * x.shape[1]))))

// op: scipy_bench.py's op. cargo: the row's name in the backends example. sig: the values compared across implementations.
/** n divided by k: the warm-up inputs of ml-matrix (k = 10). */
const d = (n, k) => Math.max(2, Math.round(n / k))
const n1 = s(1000)
const n5 = s(500)
const n2 = s(2000)
const ROWS = [
  {
    id: `matmul-${n1}`,
    label: `matmul ${n1} × ${n1}`,
    op: 'matmul',
    cargo: `matmul ${n1}`,
    inputs: (k = 1) => [rand(d(n1, k), d(n1, k), 11), rand(d(n1, k), d(n1, k), 12)],
    run: (a, b) => M.matmul(a, b),
    sig: (r) => r.data,
    ml: { call: 'A.mmul(B)', run: (a, b) => a.mmul(b), sig: (r) => r.to1DArray() },
  },
  {
    id: `solve-${n1}`,
    label: `solve ${n1} × ${n1}, one right-hand side`,
    op: 'solve',
    cargo: `solve ${n1}`,
    inputs: (k = 1) => [well(d(n1, k), 21), rand(d(n1, k), undefined, 22)],
    run: (a, b) => M.solve(a, b),
    sig: (r) => r.data,
    ml: { call: 'solve(A, b) (LU)', run: (a, b) => ml.solve(a, b), sig: (r) => r.to1DArray() },
  },
  {
    id: `inv-${n1}`,
    label: `inv ${n1} × ${n1}`,
    op: 'inv',
    cargo: `inv ${n1}`,
    inputs: (k = 1) => [well(d(n1, k), 31)],
    run: (a) => M.inv(a),
    sig: (r) => r.data,
    ml: { call: 'inverse(A) (LU)', run: (a) => ml.inverse(a), sig: (r) => r.to1DArray() },
  },
  {
    id: `det-${n1}`,
    label: `det ${n1} × ${n1}`,
    op: 'det',
    cargo: `det ${n1}`,
    inputs: (k = 1) => [detInput(d(n1, k), 41)],
    run: (a) => M.det(a),
    sig: (r) => [r],
    ml: { call: 'determinant(A) (LU)', run: (a) => ml.determinant(a), sig: (r) => [r] },
  },
  {
    id: `svd-${n5}`,
    label: `svd ${n5} × ${n5} (u, s, vh)`,
    op: 'svd',
    cargo: `svd ${n5}`,
    inputs: (k = 1) => [rand(d(n5, k), d(n5, k), 51)],
    run: (a) => M.svd(a),
    sig: (r) => desc(r.s.data),
    ml: { call: 'new SingularValueDecomposition(A) (U, s, V)', run: (a) => new ml.SingularValueDecomposition(a), sig: (r) => desc(r.diagonal) },
  },
  {
    id: `eigh-${n1}`,
    label: `eigh ${n1} × ${n1} (w, v)`,
    op: 'eigh',
    cargo: `eigh ${n1}`,
    inputs: (k = 1) => [spd(d(n1, k), 61)],
    run: (a) => M.eigh(a),
    sig: (r) => asc(r.w.data),
    ml: { call: 'new EigenvalueDecomposition(A, { assumeSymmetric: true })', run: (a) => new ml.EigenvalueDecomposition(a, { assumeSymmetric: true }), sig: (r) => asc(r.realEigenvalues) },
  },
  {
    id: `lstsq-${n2}x${n5}`,
    label: `lstsq ${n2} × ${n5}, one right-hand side`,
    op: 'lstsq',
    cargo: `lstsq ${n2}x${n5}`,
    inputs: (k = 1) => [rand(d(n2, k), d(n5, k), 71), rand(d(n2, k), undefined, 72)],
    run: (a, b) => M.lstsq(a, b),
    sig: (r) => r.x.data,
    ml: { call: 'solve(A, b) (QR, for a non-square A)', run: (a, b) => ml.solve(a, b), sig: (r) => r.to1DArray() },
  },
  {
    id: `cholesky-${n2}`,
    label: `cholesky ${n2} × ${n2}`,
    op: 'cholesky',
    cargo: `cholesky ${n2}`,
    inputs: (k = 1) => [spd(d(n2, k), 81)],
    run: (a) => M.cholesky(a),
    sig: (r) => r.data,
    // ml-matrix gives the lower factor L; Musique and SciPy the upper one, Lᵀ.
    ml: { call: 'new CholeskyDecomposition(A) (lower factor, compared transposed)', run: (a) => new ml.CholeskyDecomposition(a), sig: (r) => r.lowerTriangularMatrix.transpose().to1DArray() },
  },
]

const T1 = 'Musique, 1 thread'
const TALL = `Musique, ${CORES} threads`
const SC1 = 'numpy/scipy, 1 thread'
const SCALL = `numpy/scipy, ${CORES} threads`
const ML = 'ml-matrix'

function relErr(ref, got, op) {
  if (got.length !== ref.length) return NaN
  if (op === 'det') return Math.abs(ref[0] - got[0]) / Math.max(Math.abs(ref[0]), 1e-300)
  let e = 0
  let m = 0
  for (let i = 0; i < ref.length; i++) {
    e = Math.max(e, Math.abs(ref[i] - got[i]))
    m = Math.max(m, Math.abs(ref[i]))
  }
  return Number.isNaN(e) ? NaN : e / Math.max(m, 1e-300)
}

// ---------------------------------------------------------------- the Rust backends (cargo example)

const CARGO_ARGS = ['-p', 'musique-linalg', '--example', 'backends', '--features', 'openblas-system']

/** Whether the cargo example can run here; builds it (before anything is timed). */
function cargoBuild() {
  if (process.env.BENCH_NO_CARGO) return { skipped: 'BENCH_NO_CARGO set' }
  const v = spawnSync('cargo', ['--version'], { encoding: 'utf8' })
  if (v.error || v.status !== 0) return { skipped: 'cargo not found' }
  const lib = spawnSync('ldconfig', ['-p'], { encoding: 'utf8' })
  const found = (lib.stdout ?? '').split('\n').find((l) => /libopenblas\.so\b/.test(l))
  if (!found) return { skipped: 'the system OpenBLAS (libopenblas.so, Debian: libopenblas-dev) was not found' }
  const pkg = spawnSync('dpkg-query', ['-W', '-f', '${Package} ${Version}\\n', 'libopenblas0*', 'libopenblas-dev'], { encoding: 'utf8' })
  const version = (pkg.stdout ?? '')
    .split('\n')
    .filter((l) => /\S+ \S+/.test(l))
    .join(', ')
  const library = `${found.split('=>').pop().trim()}${version ? ` (${version})` : ''}`
  console.log(`linalg: building the backends example (cargo build --release ${CARGO_ARGS.join(' ')}) before timing anything…`)
  const t0 = Date.now()
  const b = spawnSync('cargo', ['build', '--release', ...CARGO_ARGS], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'], timeout: CARGO_BUILD_TIMEOUT_S * 1000 })
  if (b.error || b.status !== 0) return { skipped: `cargo build failed (${b.error?.message ?? `exit ${b.status}`})`, library }
  return { ready: true, library, cargo: v.stdout.trim(), buildSeconds: (Date.now() - t0) / 1000 }
}

/** Runs the built example (nothing else running): { rows: [{name, backend, threads, medianMs}] }. */
function cargoRun(build) {
  if (!build.ready) return { skipped: build.skipped, library: build.library }
  const args = ['run', '--release', '-q', ...CARGO_ARGS, '--', '--json', '--repeats', String(CARGO_REPEATS), ...(SMALL ? ['--quick'] : [])]
  process.stdout.write(`linalg: cargo ${args.join(' ')}… `)
  const t0 = Date.now()
  const r = spawnSync('cargo', args, { cwd: ROOT, encoding: 'utf8', timeout: 600_000, maxBuffer: 1 << 24 })
  const seconds = (Date.now() - t0) / 1000
  console.log(`${seconds.toFixed(0)} s`)
  const notes = (r.stderr ?? '')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && (l.includes('disagree') || l.includes('failed')))
  const line = (r.stdout ?? '').trim().split('\n').pop()
  try {
    const j = JSON.parse(line)
    return { rows: j.rows, notes, seconds, buildSeconds: build.buildSeconds, library: build.library, repeats: CARGO_REPEATS, exit: r.status }
  } catch {
    return { skipped: `the example printed no JSON (${r.error?.message ?? `exit ${r.status}`}: ${(r.stderr ?? '').trim().split('\n').pop() ?? ''})`, library: build.library }
  }
}

// ---------------------------------------------------------------- rounds

/**
 * ml-matrix as a sampler. The agreement call (untimed) tells how long one call
 * takes: above ML_ONCE_MS, one sample of one call (no warm-up: the agreement
 * call was it), else run.js's jsImpl.
 */
function mlImpl(h, run, checkMs) {
  if (checkMs <= ML_ONCE_MS) return { ...h.jsImpl(ML, run), once: false }
  return {
    name: ML,
    per: 1,
    maxSamples: 1,
    once: true,
    async sample() {
      // run.js's `time` settles first (a GC, an event-loop turn, quiet).
      const t = h.now()
      run()
      return { ms: h.now() - t, faults: 0 }
    },
  }
}

/** Loads a row's inputs and Musique's signature into the SciPy process, at `threads` BLAS threads. */
async function scipyImpl(py, row, xs, ref, threads, name) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'musique-bench-'))
  const bytes = (a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength)
  const inputs = xs.map((x, i) => {
    const p = path.join(dir, `input${i}.bin`)
    fs.writeFileSync(p, bytes(x.data))
    return { path: p, shape: x.shape }
  })
  const refPath = path.join(dir, 'ref.bin')
  fs.writeFileSync(refPath, bytes(Float64Array.from(ref)))
  const id = `${row.id}@${threads}`
  try {
    const r = await py.request({ cmd: 'load', row: { id, module: 'linalg', op: row.op, inputs, threads }, ref: refPath })
    if (r.error) throw new Error(r.error)
    return {
      err: r.err ?? NaN,
      impl: {
        name,
        per: r.per,
        async sample() {
          const x = await py.request({ cmd: 'sample', id })
          if (x.error) throw new Error(x.error)
          return x
        },
      },
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

async function runRow(row, budget, py, h) {
  const xs = row.inputs()
  const r = { id: row.id, label: row.label, op: row.op, cargo: row.cargo, agreement: {}, notes: [], impls: {} }
  const ref = Array.from(row.sig(row.run(...xs)))
  const one = () => M.threadpoolLimits({ blas: 1 }, () => row.run(...xs))
  const all = () => row.run(...xs)
  r.agreement[T1] = relErr(ref, row.sig(one()), row.op)
  if (!(r.agreement[T1] < TOLERANCE)) r.notes.push(`Musique at 1 thread differs from Musique at ${CORES} (${r.agreement[T1].toExponential(1)} relative)`)
  const impls = [
    { ...h.jsImpl(T1, one), slot: T1 },
    { ...h.jsImpl(TALL, all), slot: TALL },
  ]
  if (!py.error) {
    // Without threadpoolctl, SciPy's BLAS threads cannot be limited: only its default (all cores) is timed.
    const limited = !py.blas?.error
    if (!limited) r.notes.push(`${SC1} not timed: ${py.blas.error}`)
    for (const [threads, name] of [
      [1, SC1],
      [CORES, SCALL],
    ].filter(([t]) => limited || t !== 1)) {
      try {
        const sc = await scipyImpl(py, row, xs, ref, threads, name)
        r.agreement[name] = sc.err
        if (sc.err < TOLERANCE) impls.push({ ...sc.impl, slot: name })
        else r.notes.push(`${name} disagrees with Musique (${Number.isNaN(sc.err) ? 'different shape' : `${sc.err.toExponential(1)} relative`}); not timed`)
      } catch (e) {
        r.notes.push(`${name} failed: ${e.message}`)
      }
    }
  }
  if (ml && row.ml) {
    const ins = xs.map(toMl)
    const run = () => row.ml.run(...ins)
    try {
      // JIT warm-up on inputs 10 times smaller (a few ms), so that its first full-size call,
      // which may be its only timed one, runs optimised code.
      const small = row.inputs(10).map(toMl)
      for (let i = 0; i < 10; i++) row.ml.run(...small)
      global.gc()
      const t = h.now()
      const out = run()
      const checkMs = h.now() - t
      r.agreement[ML] = relErr(ref, Array.from(row.ml.sig(out)), row.op)
      if (r.agreement[ML] < TOLERANCE) {
        const impl = mlImpl(h, run, checkMs)
        impls.push({ ...impl, slot: ML })
        if (impl.once) r.notes.push(`ml-matrix timed once (one call took ${(checkMs / 1000).toFixed(1)} s in the agreement check)`)
      } else r.notes.push(`ml-matrix disagrees with Musique (${Number.isNaN(r.agreement[ML]) ? 'different length' : `${r.agreement[ML].toExponential(1)} relative`}); not timed`)
    } catch (e) {
      r.notes.push(`ml-matrix failed: ${e.message}`)
    }
  }
  const samples = await h.time(impls, Math.min(BUDGET_MS * impls.length, budget))
  impls.forEach((impl, i) => {
    if (impl.failed) r.notes.push(`${impl.slot} failed while timed: ${impl.failed}`)
    else r.impls[impl.slot] = { ...h.stats(samples[i]), per: impl.per }
  })
  await py.request?.({ cmd: 'unload' }).catch(() => {})
  console.log(`[${samples[0].length} rounds]`)
  const t1 = r.impls[T1]?.median
  const ta = r.impls[TALL]?.median
  const base = (slot) => (slot === SCALL || slot === TALL ? ta : t1)
  console.log(
    '  ' +
      [T1, TALL, SC1, SCALL, ML]
        .filter((n) => r.impls[n])
        .map((n) => `${n} ${h.fmt(r.impls[n].median)}${n === T1 || n === TALL ? '' : ` (${h.ratio(r.impls[n].median, base(n))})`}`)
        .join(', '),
  )
  for (const n of r.notes) console.log(`    note: ${n}`)
  return r
}

/**
 * The linalg module: builds the cargo example first (call `prepare` before
 * anything is timed), then `run` times the rows and runs the example.
 */
function prepare() {
  return { cargo: cargoBuild() }
}

async function run(prep, py, h, only) {
  const t0 = h.now()
  const rows = ROWS.filter((r) => !only || only.some((w) => r.id.includes(w)))
  const results = []
  for (const [i, row] of rows.entries()) {
    process.send?.({ progress: { module: 'linalg', done: i, total: rows.length, label: row.label } })
    process.stdout.write(`${row.label}… `)
    const left = DEADLINE_MS - (h.now() - t0)
    const budget = Math.max(0, left / (rows.length - i) - 1000)
    results.push(await runRow(row, budget, py, h))
  }
  const cargo = rows.length ? cargoRun(prep.cargo) : { skipped: 'no rows' }
  if (cargo.skipped) console.log(`linalg: Rust backends not timed: ${cargo.skipped}`)
  for (const n of cargo.notes ?? []) console.log(`  cargo example: ${n}`)
  return {
    date: new Date().toISOString(),
    seconds: (h.now() - t0) / 1000,
    small: SMALL,
    cores: CORES,
    musiqueBackend: M.threadpoolInfo()[0],
    mlMatrix: ML_VERSION ?? null,
    mlError,
    scipyBlas: py.error ? null : py.blas,
    cargo,
    results,
  }
}

// ---------------------------------------------------------------- report

/** Machine-section lines about the linalg libraries. */
function machineLines(lin) {
  const out = []
  if (lin.separateRun && lin.host) {
    const c = lin.parallelCeiling ?? {}
    const probe = ['start', 'end'].filter((k) => c[k]).map((k) => `${c[k].cpu.toFixed(2)}× compute, ${c[k].mem.toFixed(2)}× memory copies at the ${k}`)
    out.push(
      `- The linalg rows were timed in a separate run (\`node bench/run.js linalg\`, ${lin.date.slice(0, 16).replace('T', ' ')} UTC) on: ${lin.host.cpu}; ${lin.host.cores} cores; ${lin.host.memory}; ${lin.host.os}; Node ${lin.host.node}${probe.length ? `; two threads against one: ${probe.join(', ')}` : ''}`,
    )
  }
  const b = lin.musiqueBackend
  if (b) out.push(`- Musique linalg: ${b.internalApi} ${b.version} (threadpoolInfo), ${lin.cores} threads by default; "1 thread" rows run in \`threadpoolLimits({ blas: 1 }, fn)\``)
  const libs = lin.scipyBlas?.libraries
  if (libs?.length) {
    out.push(
      `- numpy's and scipy's BLAS (threadpoolctl): ${libs.map((l) => `${l.owner}: ${l.internal_api} ${l.version} (${l.architecture} kernels, ${l.threading_layer}; ${l.file})`).join('; ')}`,
    )
  } else if (lin.scipyBlas?.error) out.push(`- numpy's and scipy's BLAS: ${lin.scipyBlas.error}`)
  if (lin.cargo?.library) out.push(`- System OpenBLAS for the Rust OpenBLAS backend (cargo example): ${lin.cargo.library}`)
  return out
}

function report(lin, m, h) {
  const { fmt, ratio } = h
  const C = lin.cores
  const t1 = `Musique, 1 thread`
  const ta = `Musique, ${C} threads`
  const s1 = `numpy/scipy, 1 thread`
  const sa = `numpy/scipy, ${C} threads`
  const res = lin.results
  const get = (r, n) => r.impls[n]?.median
  const cell = (r, n, base) => {
    const v = get(r, n)
    if (v !== undefined) return `${fmt(v)} (${ratio(v, base)})${n === ML && r.notes.some((t) => t.startsWith('ml-matrix timed once')) ? ' ¹' : ''}`
    if (r.notes.some((t) => t.startsWith(`${n} disagrees`))) return 'disagrees'
    if (r.notes.some((t) => t.startsWith(`${n} failed`))) return 'failed'
    if (n.startsWith('numpy') && !lin.scipyBlas) return 'n/a'
    return '–'
  }
  const cargoRows = lin.cargo?.rows ?? []
  const cg = (r, backend, threads) => cargoRows.find((x) => x.name === r.cargo && x.backend === backend && x.threads === threads)?.medianMs
  const ob = (r, t) => (cg(r, 'faer', t) && cg(r, 'openblas', t) ? ratio(cg(r, 'openblas', t), cg(r, 'faer', t)) : '–')
  const lines = [
    '',
    '## Linear algebra',
    '',
    `Timed${lin.small ? ' **on the small sizes (BENCH_LINALG_SMALL: every size divided by 10)**' : ''} on ${lin.date.slice(0, 16).replace('T', ' ')} UTC, in ${lin.seconds.toFixed(0)} s, Musique ${lin.commit ? `at ${lin.commit}` : ''}${lin.addonBuilt ? ` with the native addon built ${lin.addonBuilt.slice(0, 16).replace('T', ' ')} UTC` : ''} (\`node bench/run.js linalg\` runs these rows alone; \`npm run bench\` runs them after the fft rows).`,
    '',
    'Method: as for the fft rows. Each implementation is first checked against Musique on the row\'s',
    'own input (generated once in Node, handed to SciPy through files): solutions, inverses, products',
    'and Cholesky factors by value, determinants by relative difference, SVD and eigh by their sorted',
    `singular values and eigenvalues (max abs error / max |value| below ${TOLERANCE}); one that`,
    'disagrees is not timed. Samples are then taken in rounds (Musique 1 thread, Musique all threads,',
    'SciPy 1 thread, SciPy all threads, ml-matrix; each round in its own shuffled order), each',
    'preceded, untimed, by a GC, an event-loop turn, 30 ms of quiet and a warm-up call (SciPy: its',
    'thread limit is set, then one warm-up call).',
    'Medians. Ratio = peer time / Musique time at the same thread count (ml-matrix, which has one',
    'thread, against Musique at 1 thread): above 1× Musique is faster. Inputs: random entries in',
    '[-1, 1); solve and inv get the random matrix plus n on the diagonal, det the same divided by n,',
    'eigh and cholesky a symmetric matrix plus n on the diagonal (positive definite).',
    '',
    `| row | ${t1} | ${ta} | ${s1} (ratio) | ${sa} (ratio) | ml-matrix (ratio to 1 thread) | Rust backends: OpenBLAS / faer, 1 thread | OpenBLAS / faer, ${C} threads |`,
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ]
  for (const r of res) {
    const a = get(r, t1)
    const b = get(r, ta)
    lines.push(`| ${r.label} | ${fmt(a)} | ${fmt(b)} | ${cell(r, s1, a)} | ${cell(r, sa, b)} | ${cell(r, ML, a)} | ${ob(r, 1)} | ${ob(r, C)} |`)
  }
  lines.push('', '–: not run (the peer lacks the operation, or the Rust example did not run).')
  if (res.some((r) => r.notes.some((t) => t.startsWith('ml-matrix timed once')))) {
    lines.push(`¹ ml-matrix timed once: one call takes longer than ${ML_ONCE_MS} ms, so after the agreement check (itself preceded by ten calls on inputs 10 times smaller, which warm up the JIT) it gets one timed call in the first round instead of repeated samples.`)
  }
  const notes = res.flatMap((r) => r.notes.filter((n) => !n.startsWith('ml-matrix timed once')).map((n) => `- ${r.label}: ${n}`))
  if (notes.length) lines.push('', ...notes)

  lines.push('', '### The Rust backends (musique-linalg\'s `backends` example)', '')
  if (lin.cargo?.rows) {
    lines.push(
      `\`cargo run --release -p musique-linalg --example backends --features openblas-system -- --json --repeats ${lin.cargo.repeats}${lin.small ? ' --quick' : ''}\`, run after the`,
      'rounds above with nothing else running: the crate\'s faer backend (what Musique ships) and its',
      'OpenBLAS backend (the LAPACK drivers SciPy uses, on the system libopenblas) on the same inputs,',
      `median of ${lin.cargo.repeats} calls after one warm-up, no Node in between (it ran in ${lin.cargo.seconds.toFixed(0)} s${lin.cargo.buildSeconds !== undefined ? `, after a \`cargo build\` of ${lin.cargo.buildSeconds.toFixed(0)} s before anything was timed` : ''}); the example`,
      'checks that both backends agree before timing. Its inputs come from the crate\'s own generator (same shapes and recipes, other',
      'numbers), so compare its faer column with Musique above only as a rough measure of what the',
      'Node wrapper costs.',
      '',
      `| row | faer, 1 thread | OpenBLAS, 1 thread | ratio | faer, ${C} threads | OpenBLAS, ${C} threads | ratio |`,
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    )
    for (const r of res) {
      if (!cargoRows.some((x) => x.name === r.cargo)) continue
      lines.push(`| ${r.cargo} | ${fmt(cg(r, 'faer', 1))} | ${fmt(cg(r, 'openblas', 1))} | ${ob(r, 1)} | ${fmt(cg(r, 'faer', C))} | ${fmt(cg(r, 'openblas', C))} | ${ob(r, C)} |`)
    }
    for (const n of lin.cargo.notes ?? []) lines.push(`- ${n}`)
    if (lin.cargo.exit) lines.push(`- the example exited with status ${lin.cargo.exit} (backends disagree on some row)`)
  } else {
    lines.push(`Not run: ${lin.cargo?.skipped ?? 'unknown'}.`)
  }

  lines.push('', '### Targets (linalg, from the project issue)', '')
  const check = (ok, text) => lines.push(`- ${ok === undefined ? 'not measured' : ok ? 'met' : '**missed**'}: ${text}`)
  // Within 1.3× of SciPy at both thread counts.
  const scipyMiss = []
  let scipyRan = 0
  for (const r of res) {
    for (const [ours, theirs, t] of [
      [t1, s1, '1 thread'],
      [ta, sa, `${C} threads`],
    ]) {
      const a = get(r, ours)
      const b = get(r, theirs)
      if (a === undefined || b === undefined) continue
      scipyRan++
      if (a > 1.3 * b) scipyMiss.push(`${r.label}, ${t} (Musique ${(a / b).toFixed(2)}× SciPy's time)`)
    }
  }
  check(
    scipyRan === 0 ? undefined : scipyRan < 2 * res.length && scipyMiss.length === 0 ? undefined : scipyMiss.length === 0,
    `within 1.3× of numpy/scipy's time on every row, at 1 and ${C} threads${scipyMiss.length ? ` — slower than that on: ${scipyMiss.join('; ')}` : ''}${scipyRan < 2 * res.length ? ` (SciPy timed on ${scipyRan} of ${2 * res.length} row × thread cells)` : ''}`,
  )
  const mlRan = res.filter((r) => get(r, ML) !== undefined && get(r, t1) !== undefined)
  const mlMiss = mlRan.filter((r) => get(r, ML) / get(r, t1) < 10).map((r) => `${r.label} (${ratio(get(r, ML), get(r, t1))})`)
  check(mlRan.length ? mlMiss.length === 0 : undefined, `at least 10× faster than ml-matrix (Musique at 1 thread) on every row it runs (${mlRan.length} rows)${mlMiss.length ? ` — below that on: ${mlMiss.join('; ')}` : ''}`)
  const obMiss = []
  let obRan = 0
  for (const r of res) {
    for (const t of [1, C]) {
      const f = cg(r, 'faer', t)
      const o = cg(r, 'openblas', t)
      if (f === undefined || o === undefined) continue
      obRan++
      if (f > o) obMiss.push(`${r.cargo}, ${t} thread${t > 1 ? 's' : ''} (faer ${(f / o).toFixed(2)}× OpenBLAS's time)`)
    }
  }
  check(
    obRan ? obMiss.length === 0 : undefined,
    `faer ahead of the OpenBLAS backend's own build (Rust example) where faer allows${obRan ? '' : ` (${lin.cargo?.skipped ?? 'not run'})`}${obMiss.length ? ` — behind on: ${obMiss.join('; ')} (whether faer allows more there is the project's call)` : ''}`,
  )
  if (lin.small) lines.push('- (small sizes: these checks say nothing about the targets, which are for the full sizes)')

  lines.push(
    '',
    '### How each linalg peer runs',
    '',
    `- Musique: \`matmul\`, \`solve\`, \`inv\`, \`det\`, \`svd\`, \`eigh\`, \`lstsq\`, \`cholesky\` from \`require('musique')\` with their defaults, on NDArrays made once per row; 1 thread inside \`threadpoolLimits({ blas: 1 }, fn)\`, ${C} threads by default (all cores).`,
    `- numpy/scipy: \`a @ b\` (numpy) for matmul, \`scipy.linalg.solve / inv / det / svd / eigh / lstsq / cholesky\` with their defaults (check_finite=True; solve's assume_a=None inspects a first, an O(n²) pass that finds a general matrix here; svd is gesdd, eigh syevr, lstsq gelsd) in the python3 process of bench/scipy_bench.py --serve; BLAS threads set with threadpoolctl (numpy's and scipy's OpenBLAS both), outside the timed calls.`,
    `- ml-matrix${lin.mlMatrix ? ` ${lin.mlMatrix}` : ''} (pure JS, one thread): ${ROWS.map((r) => `${r.op}: \`${r.ml.call}\``).join('; ')}; on Matrix objects built once per row from the same input (conversion not timed).`,
  )
  if (lin.mlError) lines.push(`- ml-matrix: not run (${lin.mlError})`)
  return lines
}

module.exports = { prepare, run, report, machineLines, ROWS }
