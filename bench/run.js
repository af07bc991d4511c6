#!/usr/bin/env node
// `npm run bench`: Musique's transforms beside scipy.fft (in its own python3
// process, bench/scipy_bench.py --serve, when python3 has SciPy), fft.js,
// pffft-wasm (SIMD) and ndarray-fft, in one process and one run; then the
// linalg rows (bench/linalg.js: Musique at 1 and all threads beside
// numpy/scipy.linalg, ml-matrix and the Rust crate's faer and OpenBLAS backends);
// then the optimize rows (bench/optimize.js: differentialEvolution beside
// scipy.optimize.differential_evolution and nlopt-js's global methods).
// `node bench/run.js fft`, `node bench/run.js linalg` or `node bench/run.js
// optimize` runs one module (or name several); its results replace that
// module's in results.json and RESULTS.md, the others' stay.
//
// Every implementation is first checked against Musique on the row's own input
// (SciPy gets the same input through a file); one that disagrees is reported,
// not timed. Then samples are taken in rounds over the implementations (each
// round in its own shuffled order) until the row's time budget is spent;
// before each sample (untimed): a GC, one event-loop turn, 30 ms of quiet, and
// one warm-up call of the same implementation right before the timed ones. Medians are reported, with ratios peer / Musique (> 1:
// Musique is faster). Musique's native call alone (the binding's fftExecute on
// the request the wrapper built) is timed in the same rounds, to show what the
// JS wrapper costs. Writes bench/RESULTS.md and bench/results.json, and prints
// the report.
//
// Environment: BENCH_BUDGET_MS (per implementation per row, default 2500),
// BENCH_ROWS=batch,fft2 (only rows whose id contains one of the words; no files
// are written), BENCH_SAMPLES=1 (print every sample), BENCH_NO_SCIPY=1,
// BENCH_DEADLINE_MS (the fft rows, default 300000); the linalg module's own
// variables are listed in bench/linalg.js (BENCH_LINALG_SMALL=1 for a smoke run
// on sizes / 10, which writes no files either; BENCH_NO_CARGO=1), the optimize
// module's in bench/optimize.js (BENCH_OPTIMIZE_SMALL=1 for a smoke run that
// writes no files).
// `node bench/run.js --report` rewrites RESULTS.md from results.json without
// timing anything.
'use strict'

if (typeof global.gc !== 'function') {
  // Re-run with --expose-gc so every implementation gets a collection between samples.
  const { spawnSync } = require('node:child_process')
  const r = spawnSync(process.execPath, ['--expose-gc', __filename, ...process.argv.slice(2)], { stdio: 'inherit' })
  process.exit(r.status ?? 1)
}

const { spawn, spawnSync } = require('node:child_process')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const readline = require('node:readline')
const { Worker } = require('node:worker_threads')

const M = require('..')
const binding = require('../binding.js')
const { fftjs, ndarrayFft, loadPffft } = require('./peers.js')
const { writeCharts } = require('./chart.js')
const linalg = require('./linalg.js')
const optimize = require('./optimize.js')

const MODULES = ['fft', 'linalg', 'optimize']
const ASKED = process.argv.slice(2).filter((a) => !a.startsWith('--'))
for (const a of ASKED) {
  if (!MODULES.includes(a)) {
    console.error(`unknown module '${a}': node bench/run.js [${MODULES.join('|')}]`)
    process.exit(2)
  }
}
const RUN = ASKED.length ? MODULES.filter((m) => ASKED.includes(m)) : MODULES

const BUDGET_MS = Number(process.env.BENCH_BUDGET_MS ?? 2500)
// The whole run stays under this: rows left get what is left, split evenly (MIN_ROUNDS at least, PAIR_ROUNDS for a workers pair).
const DEADLINE_MS = Number(process.env.BENCH_DEADLINE_MS ?? 300_000)
// A workers pair measured without two free vCPUs is timed again only if it ends before this.
const RETRY_DEADLINE_MS = DEADLINE_MS + 30_000
const ONLY = process.env.BENCH_ROWS?.split(',').filter(Boolean)
// Every row gets this many rounds at least, whatever its budget.
const MIN_ROUNDS = 5
// A workers 1 / workers 2 pair gets this many rounds at least: its speed-up compares two
// medians, and a two-thread sample on this VM is bimodal (a V8 GC helper that starts in the
// call takes a vCPU or not: fft2 16.5 or 19-21 ms), so 11 samples (what the fft2 pair got when
// the slow JS peers ran every round) left its median to chance.
const PAIR_ROUNDS = 25
// A JS peer whose one call takes longer than this is timed in the first SLOW_PEER_SAMPLES rounds only.
const SLOW_PEER_MS = 100
const SLOW_PEER_SAMPLES = 7

function random(n, single) {
  const a = single ? new Float32Array(n) : new Float64Array(n)
  let s = 12345
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) % 2147483648
    a[i] = s / 1073741824 - 1
  }
  return a
}

const size = (shape) => shape.reduce((a, b) => a * b, 1)
const c128 = (shape) => M.ndarray(random(2 * size(shape)), shape, 'complex128')
const c64 = (shape) => M.ndarray(random(2 * size(shape), true), shape, 'complex64')
const f64 = (shape) => M.ndarray(random(size(shape)), shape, 'float64')

// kind: how the JS peers read the row. scipy: how bench/scipy_bench.py reproduces it.
const ROWS = [
  { id: 'fft-2^20', label: 'complex fft, n = 2^20', kind: 'fft', shape: [1 << 20], dtype: 'complex128', input: c128, run: (x) => M.fft(x), scipy: { fn: 'fft' } },
  { id: 'rfft-2^20', label: 'rfft, n = 2^20', kind: 'rfft', shape: [1 << 20], dtype: 'float64', input: f64, run: (x) => M.rfft(x), scipy: { fn: 'rfft' } },
  { id: 'fft-1000003', label: 'complex fft, n = 1,000,003 (prime)', kind: 'fft', shape: [1000003], dtype: 'complex128', input: c128, run: (x) => M.fft(x), scipy: { fn: 'fft' } },
  { id: 'batch-w1', label: 'batch 512 x 4096 fft along the last axis, workers 1', kind: 'batch', shape: [512, 4096], dtype: 'complex128', group: 'batch', workers: 1, input: c128, run: (x) => M.fft(x, { workers: 1 }), scipy: { fn: 'fft' } },
  { id: 'batch-w2', label: 'batch 512 x 4096 fft along the last axis, workers 2', kind: 'batch', shape: [512, 4096], dtype: 'complex128', group: 'batch', workers: 2, input: c128, run: (x) => M.fft(x, { workers: 2 }), scipy: { fn: 'fft' } },
  { id: 'fft2-w1', label: 'fft2 2048 x 2048, workers 1', kind: 'fft2', shape: [2048, 2048], dtype: 'complex128', group: 'fft2', workers: 1, input: c128, run: (x) => M.fft2(x, { workers: 1 }), scipy: { fn: 'fft2' } },
  { id: 'fft2-w2', label: 'fft2 2048 x 2048, workers 2', kind: 'fft2', shape: [2048, 2048], dtype: 'complex128', group: 'fft2', workers: 2, input: c128, run: (x) => M.fft2(x, { workers: 2 }), scipy: { fn: 'fft2' } },
  // SciPy's overwrite_x: each call transforms its own copy of the input again, in place, with
  // norm 'ortho' (four unitary transforms are the identity, so the values stay bounded); no
  // result array is allocated, by Musique or by SciPy. The JS peers have no in-place form.
  { id: 'fft2-inplace-w1', label: 'fft2 2048 x 2048 in place (overwriteX, norm ortho), workers 1', kind: 'fft2', shape: [2048, 2048], dtype: 'complex128', group: 'fft2-inplace', workers: 1, inPlace: true, input: c128, run: (x) => M.fft2(x, { workers: 1, norm: 'ortho', overwriteX: true }), reference: (x) => M.fft2(x, { norm: 'ortho' }), scipy: { fn: 'fft2', norm: 'ortho', overwrite_x: true } },
  { id: 'fft2-inplace-w2', label: 'fft2 2048 x 2048 in place (overwriteX, norm ortho), workers 2', kind: 'fft2', shape: [2048, 2048], dtype: 'complex128', group: 'fft2-inplace', workers: 2, inPlace: true, input: c128, run: (x) => M.fft2(x, { workers: 2, norm: 'ortho', overwriteX: true }), reference: (x) => M.fft2(x, { norm: 'ortho' }), scipy: { fn: 'fft2', norm: 'ortho', overwrite_x: true } },
  { id: 'dct2-2^20', label: 'dct type II, n = 2^20', kind: 'dct', shape: [1 << 20], dtype: 'float64', input: f64, run: (x) => M.dct(x), scipy: { fn: 'dct', type: 2 } },
  { id: 'latency-1024', label: 'call latency, complex fft n = 1024', kind: 'fft', shape: [1024], dtype: 'complex128', input: c128, run: (x) => M.fft(x), scipy: { fn: 'fft' } },
  { id: 'f32-4096', label: 'float32 complex fft, n = 4096', kind: 'fft', shape: [4096], dtype: 'complex64', input: c64, run: (x) => M.fft(x), scipy: { fn: 'fft' } },
  { id: 'f32-65536', label: 'float32 complex fft, n = 65536', kind: 'fft', shape: [65536], dtype: 'complex64', input: c64, run: (x) => M.fft(x), scipy: { fn: 'fft' } },
  { id: 'fft-1000', label: 'complex fft, n = 1000', kind: 'fft', shape: [1000], dtype: 'complex128', input: c128, run: (x) => M.fft(x), scipy: { fn: 'fft' } },
  { id: 'fft-1009', label: 'complex fft, n = 1009 (prime)', kind: 'fft', shape: [1009], dtype: 'complex128', input: c128, run: (x) => M.fft(x), scipy: { fn: 'fft' } },
  { id: 'fft-10007', label: 'complex fft, n = 10007 (prime)', kind: 'fft', shape: [10007], dtype: 'complex128', input: c128, run: (x) => M.fft(x), scipy: { fn: 'fft' } },
]

const SCIPY = 'scipy.fft'
const PEERS = [SCIPY, 'fft.js', 'ndarray-fft', 'pffft-wasm (SIMD)']

function now() {
  return Number(process.hrtime.bigint()) / 1e6
}

function maxAbs(a) {
  let m = 0
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]))
  return m
}

/** Max abs error relative to max |ref|. */
function relErr(ref, got) {
  if (got.length !== ref.length) return NaN
  let e = 0
  for (let i = 0; i < ref.length; i++) e = Math.max(e, Math.abs(ref[i] - got[i]))
  return e / Math.max(1e-300, maxAbs(ref))
}

const tolerance = (row) => (row.dtype === 'complex64' ? 1e-4 : 1e-9)
const tick = () => new Promise((resolve) => setImmediate(resolve))

/** The request and data the wrapper hands the binding for `run()`, to time the native call alone. */
function captureNative(run) {
  // The wrapper calls fftExecute (large results) or fftExecuteInto with an array it allocated
  // (small ones): replay the same native call, allocation included.
  const [exec, into, inPlace] = [binding.fftExecute, binding.fftExecuteInto, binding.fftExecuteInPlace]
  let call
  // The header arrives in a buffer the wrapper reuses for every call: keep a copy.
  binding.fftExecute = (h, d) => {
    const hc = h.slice()
    call = () => exec(hc, d)
    return exec(h, d)
  }
  binding.fftExecuteInto = (h, d, out) => {
    const Ctor = out.constructor
    const hc = h.slice()
    call = () => {
      const buf = Buffer.allocUnsafeSlow(out.byteLength)
      const o = new Ctor(buf.buffer, buf.byteOffset, out.length)
      into(hc, d, o)
      return o
    }
    return into(h, d, out)
  }
  // In place (overwriteX): the replay transforms its own copy of the data, again at every call.
  binding.fftExecuteInPlace = (h, d) => {
    const hc = h.slice()
    const own = d.slice()
    call = () => {
      inPlace(hc, own)
      return own
    }
    return inPlace(h, d)
  }
  try {
    run()
  } finally {
    binding.fftExecute = exec
    binding.fftExecuteInto = into
    binding.fftExecuteInPlace = inPlace
  }
  return call
}

// ---------------------------------------------------------------- scipy.fft

/** bench/scipy_bench.py --serve as a child process: one JSON line per command and answer. */
async function startScipy() {
  if (process.env.BENCH_NO_SCIPY) return { error: 'BENCH_NO_SCIPY set' }
  const child = spawn('python3', [path.join(__dirname, 'scipy_bench.py'), '--serve'], { stdio: ['pipe', 'pipe', 'pipe'] })
  let stderr = ''
  child.stderr.on('data', (d) => (stderr += d))
  const waiting = []
  let dead = null
  const fail = (msg) => {
    dead = msg
    while (waiting.length) waiting.shift().reject(new Error(msg))
  }
  child.on('error', (e) => fail(`python3: ${e.message}`))
  child.on('exit', (code) => fail(`python3 exited (${code}) ${stderr.trim().split('\n').pop() ?? ''}`.trim()))
  child.stdin.on('error', () => {})
  readline.createInterface({ input: child.stdout }).on('line', (line) => waiting.shift()?.resolve(JSON.parse(line)))
  const next = () => (dead ? Promise.reject(new Error(dead)) : new Promise((resolve, reject) => waiting.push({ resolve, reject })))
  const request = (cmd) => {
    if (dead) return Promise.reject(new Error(dead))
    const p = next()
    child.stdin.write(JSON.stringify(cmd) + '\n')
    return p
  }
  let hello
  try {
    hello = await next()
  } catch (e) {
    return { error: e.message }
  }
  if (hello.error) return { error: hello.error }
  return { ...hello, request, close: () => child.stdin.end(JSON.stringify({ cmd: 'quit' }) + '\n') }
}

/** Loads a row into the SciPy process with Musique's input; returns its agreement and a sampler. */
async function scipyImpl(py, row, x, ref) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'musique-bench-'))
  const bytes = (a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength)
  const input = path.join(dir, 'input.bin')
  const refPath = path.join(dir, 'ref.bin')
  fs.writeFileSync(input, bytes(x.data))
  fs.writeFileSync(refPath, bytes(ref))
  const { fn, ...kwargs } = row.scipy
  const spec = { id: row.id, fn, shape: row.shape, dtype: row.dtype, workers: row.workers ?? 1, ...kwargs }
  try {
    const r = await py.request({ cmd: 'load', row: spec, input, ref: refPath })
    if (r.error) throw new Error(r.error)
    return {
      err: r.err,
      impl: {
        name: SCIPY,
        per: r.per,
        async sample() {
          const s = await py.request({ cmd: 'sample', id: row.id })
          if (s.error) throw new Error(s.error)
          return s
        },
      },
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

// ---------------------------------------------------------------- timing

const faults = () => process.resourceUsage().minorPageFault

/**
 * A JS implementation as a sampler: (untimed, after `time`'s `settle`) a
 * warm-up call, then `per` timed calls. Page faults are counted over the
 * timed calls.
 *
 * The warm-up comes last, right before the timed calls, as in
 * bench/scipy_bench.py: on this VM a vCPU idle for a few ms (a GC on the
 * other one) comes back sharing one host CPU with its sibling for several
 * ms, so a two-thread call timed after a GC measured the host's scheduler
 * (64 × 0.1 ms of spinning on two threads: 3.4 ms after 5 ms idle, 6.0-6.6 ms
 * after 20 ms).
 */
function jsImpl(name, run) {
  run()
  const t0 = now()
  run()
  // Calls per sample: enough that one sample lasts ~2 ms.
  const callMs = now() - t0
  const per = Math.max(1, Math.floor(2 / Math.max(callMs, 1e-4)))
  return {
    name,
    per,
    callMs,
    async sample() {
      run()
      const f0 = faults()
      const t = now()
      for (let k = 0; k < per; k++) run()
      const ms = (now() - t) / per
      return { ms, faults: (faults() - f0) / per }
    },
  }
}

const median = (v) => [...v].sort((a, b) => a - b)[v.length >> 1]

function stats(samples) {
  const ms = samples.map((s) => s.ms)
  const s = [...ms].sort((a, b) => a - b)
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))]
  return { median: q(0.5), p25: q(0.25), p75: q(0.75), n: s.length, faultsPerCall: median(samples.map((x) => x.faults)), samples: ms }
}

/**
 * The order of one round: a permutation of 0..n-1 drawn from `seed` (a
 * 32-bit LCG, so runs repeat). A fixed order gave each implementation the
 * same predecessor in every round, and what ran before a sample shapes it on
 * this VM: a vCPU left idle (SciPy's one-thread sample runs in its own process
 * while Node waits) comes back at full speed only after 10-20 ms of demand,
 * so the sample right after SciPy's workers = 1 one, Musique's workers = 2,
 * lost that time in every round (batch row: its samples were 4.6 or 8 ms,
 * the native call alone, sampled right after it, 4.6).
 */
function roundOrder(n, seed) {
  const order = [...Array(n).keys()]
  let x = (seed * 2654435761 + 1) >>> 0
  for (let i = n - 1; i > 0; i--) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0
    const j = x % (i + 1)
    ;[order[i], order[j]] = [order[j], order[i]]
  }
  return order
}

/** Quiet time before every sample, in ms (see `settle`). */
const SETTLE_MS = 30

/**
 * Untimed, before every sample of every implementation (SciPy's too): a GC,
 * one event-loop turn (where Node runs the finalizers of collected results),
 * then SETTLE_MS of quiet. A GC leaves work to V8's background threads
 * (sweeping, freeing), and a single-threaded JS peer sampled just before
 * (fft.js, ndarray-fft) leaves much garbage: that work then ran beside the
 * next sample, on the same two vCPUs, and took from a two-thread call what a
 * one-thread call never missed (fft2 2048² at workers 2 after 2 million
 * short-lived typed arrays and a GC: 20.5 -> 22.8-23.9 ms; after 30 ms of
 * quiet 21.8-24.0 with the one-thread row unchanged). Quiet, not spinning:
 * keeping both vCPUs busy for 60 ms first made the next calls slower at both
 * thread counts on this VM (fft2 41 -> 46 ms at workers 1).
 */
async function settle() {
  global.gc()
  await tick()
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS))
}

/** Rounds over the implementations, each in its own shuffled order, until `budget` ms have passed (`minRounds` rounds at least, 200 at most); `settle` before every sample. */
async function time(impls, budget, minRounds = MIN_ROUNDS) {
  const samples = impls.map(() => [])
  const start = now()
  let round = 0
  while (samples[0].length < minRounds || (now() - start < budget && samples[0].length < 200)) {
    for (const i of roundOrder(impls.length, round++)) {
      const impl = impls[i]
      // maxSamples: a slow peer (ml-matrix on the large linalg rows, a JS fft peer slower than
      // SLOW_PEER_MS) timed in the first round(s) only.
      if (impl.failed || (impl.maxSamples && samples[i].length >= impl.maxSamples)) continue
      try {
        await settle()
        samples[i].push(await impl.sample())
      } catch (e) {
        // A peer that fails while timed (the python3 process dying, say) drops out of the row.
        impl.failed = e.message
        console.log(`\n  ${impl.label ?? impl.name} failed: ${e.message}`)
      }
    }
  }
  if (process.env.BENCH_SAMPLES) {
    impls.forEach((impl, i) => console.log(`\n  ${impl.label ?? impl.name}: ${samples[i].map((v) => (v.ms ?? v.value).toFixed(3)).join(' ')}`))
  }
  return samples
}

// ---------------------------------------------------------------- machine

// Two probes of what two threads really get on this (virtual) machine, each
// timed alone on the main thread, then on the main thread and a worker at once:
// a pure-compute loop, and copies between two 32 MiB arrays (memory bandwidth).
const PROBE = `
const { parentPort } = require('node:worker_threads')
${spin.toString()}
${copies.toString()}
const a = new Float64Array(1 << 22).fill(1)
const b = new Float64Array(1 << 22).fill(2)
parentPort.on('message', (m) => parentPort.postMessage(m.spin ? spin(m.spin) : copies(a, b, m.copies)))
`
function spin(n) {
  let x = 0
  for (let i = 0; i < n; i++) x += Math.sqrt(i)
  return x
}
function copies(a, b, k) {
  for (let i = 0; i < k; i++) {
    b.set(a)
    a.set(b)
  }
  return k
}

/**
 * A sampler of both probes: value = 2 x alone / together for each (2.0 with
 * two free cores and twice the bandwidth, 1.0 when the second thread brings
 * nothing). One sample takes ~0.3 s.
 */
async function ceilingProbe() {
  const w = new Worker(PROBE, { eval: true })
  const a = new Float64Array(1 << 22).fill(1)
  const b = new Float64Array(1 << 22).fill(2)
  const onWorker = (m) =>
    new Promise((resolve) => {
      w.once('message', resolve)
      w.postMessage(m)
    })
  const n = 2e7
  const k = 8
  const pair = async (m, run) => {
    let t = now()
    run()
    const alone = now() - t
    t = now()
    const other = onWorker(m)
    run()
    await other
    return (2 * alone) / (now() - t)
  }
  await onWorker({ spin: n })
  await onWorker({ copies: k })
  spin(n)
  copies(a, b, k)
  return {
    name: 'two-thread probe',
    async sample() {
      const value = await pair({ spin: n }, () => spin(n))
      const mem = await pair({ copies: k }, () => copies(a, b, k))
      return { value, mem }
    },
    close: () => w.terminate(),
  }
}

async function parallelCeiling() {
  const p = await ceilingProbe()
  const v = []
  for (let i = 0; i < 5; i++) v.push(await p.sample())
  await p.close()
  return { cpu: median(v.map((x) => x.value)), mem: median(v.map((x) => x.mem)) }
}

function cpuModel() {
  try {
    const info = fs.readFileSync('/proc/cpuinfo', 'utf8')
    const model = info.match(/^model name\s*:\s*(.*)$/m)?.[1]
    const flags = info.match(/^flags\s*:\s*(.*)$/m)?.[1].split(' ') ?? []
    const simd = ['avx2', 'fma', 'avx512f'].filter((f) => flags.includes(f))
    const hyper = info.includes('hypervisor') || flags.includes('hypervisor') ? ', virtual machine' : ''
    if (model) return `${model}${simd.length ? ` (${simd.join(', ')})` : ''}${hyper}`
  } catch {}
  return os.cpus()[0]?.model ?? 'unknown'
}

function gitState() {
  const git = (...args) => spawnSync('git', args, { cwd: path.join(__dirname, '..'), encoding: 'utf8' })
  const head = git('rev-parse', '--short', 'HEAD')
  if (head.status !== 0) return undefined
  const dirty = git('status', '--porcelain', '--untracked-files=no').stdout.trim()
  return `${head.stdout.trim()}${dirty ? ' + uncommitted changes' : ''}`
}

// The addon this process loaded: its file's time now, before anyone rebuilds it during the run.
let ADDON_BUILT
try {
  ADDON_BUILT = fs.statSync(path.join(__dirname, '..', `musique.${process.platform}-${process.arch}-gnu.node`)).mtime.toISOString()
} catch {}

function machine(scipy) {
  const addon = ADDON_BUILT
  return {
    cpu: cpuModel(),
    cores: os.availableParallelism(),
    memory: `${Math.round(os.totalmem() / 2 ** 30)} GiB`,
    os: `${os.type()} ${os.release()} (${process.platform}-${process.arch})`,
    node: process.version,
    musique: require('../package.json').version,
    commit: gitState(),
    addonBuilt: addon,
    scipy: scipy.error ? null : { scipy: scipy.scipy, numpy: scipy.numpy, python: scipy.python, backend: scipy.backend },
    scipyError: scipy.error,
  }
}

// ---------------------------------------------------------------- main

const fmt = (ms) => (ms === undefined ? 'n/a' : ms < 0.1 ? `${(ms * 1000).toFixed(1)} µs` : ms < 10 ? `${ms.toFixed(3)} ms` : `${ms.toFixed(2)} ms`)
const ratio = (peer, ours) => `${(peer / ours).toFixed(2)}×`

/** Consecutive rows of the same group (the workers 1 / workers 2 pairs) are timed in the same rounds. */
function groups(rows) {
  const out = []
  for (const row of rows) {
    const last = out[out.length - 1]
    if (row.group && last && last[0].group === row.group) last.push(row)
    else out.push([row])
  }
  return out
}

/**
 * Checks and times one group of rows (one row, or a workers 1 / workers 2
 * pair) in interleaved rounds for `budget` ms; returns the rows' results.
 */
async function runGroup(group, budget, ctx) {
  const { py, jsPeers } = ctx
  // One input for the whole group: the workers 1 and 2 rows transform the same array.
  const x = group[0].input(group[0].shape)
  const impls = []
  const rs = []
  // In-place rows never touch `x`: each implementation transforms its own copy.
  const own = (row) => (row.inPlace ? M.ndarray(x.data.slice(), x.shape, x.dtype) : x)
  for (const row of group) {
    const ref = row.inPlace ? row.reference(x).data : row.run(x).data
    const nativeCall = captureNative(() => row.run(own(row)))
    const r = { id: row.id, label: row.label, shape: row.shape, dtype: row.dtype, workers: row.workers, agreement: {}, notes: [], peers: {}, ref }
    rs.push(r)
    if (row.inPlace) {
      const inPlaceErr = relErr(ref, row.run(own(row)).data)
      if (inPlaceErr !== 0) r.notes.push(`the in-place call differs from the default call (${inPlaceErr})`)
    }
    const nativeErr = relErr(ref, nativeCall())
    if (nativeErr !== 0) r.notes.push(`the native call alone differs from the wrapper's result (${nativeErr})`)
    const mine = own(row)
    impls.push({ ...jsImpl('musique', () => row.run(mine)), label: `musique ${row.id}`, rows: [r], slot: 'musique' })
    impls.push({ ...jsImpl('musique native call', nativeCall), label: `native ${row.id}`, rows: [r], slot: 'native' })
    if (!py.error) {
      try {
        const s = await scipyImpl(py, row, x, ref)
        r.agreement[SCIPY] = s.err
        if (s.err < tolerance(row)) impls.push({ ...s.impl, label: `scipy ${row.id}`, rows: [r], slot: SCIPY })
        else r.notes.push(`scipy.fft disagrees with Musique (${s.err.toExponential(1)} relative); not timed`)
      } catch (e) {
        r.notes.push(`scipy.fft failed: ${e.message}`)
      }
    }
  }
  // The JS peers have no workers: timed once per group, reported on each of its rows.
  for (const p of jsPeers.filter((p) => !group[0].inPlace && p.supports(group[0]))) {
    const run = p.prepare(group[0], x)
    const err = relErr(rs[0].ref, run())
    for (const r of rs) r.agreement[p.name] = err
    if (err < tolerance(group[0])) {
      const impl = { ...jsImpl(p.name, run), rows: rs, slot: p.name }
      // A peer many times slower than Musique needs few samples for its ratio; its rounds would
      // otherwise take most of the row's budget (fft.js and ndarray-fft on fft2: 0.3-0.6 s a
      // sample, against 0.02-0.03 s for Musique), leaving the workers pair with 11 rounds.
      if (impl.callMs > SLOW_PEER_MS) impl.maxSamples = SLOW_PEER_SAMPLES
      impls.push(impl)
    }
    else for (const r of rs) r.notes.push(`${p.name} disagrees with Musique (${Number.isNaN(err) ? 'different length' : `${err.toExponential(1)} relative`}); not timed`)
  }
  const probe = group.length > 1 ? await ceilingProbe() : undefined
  if (probe) impls.push(probe)
  const samples = await time(impls, Math.min(BUDGET_MS * impls.length, budget), group.length > 1 ? PAIR_ROUNDS : MIN_ROUNDS)
  impls.forEach((impl, i) => {
    if (impl === probe) return
    if (impl.failed) {
      for (const r of impl.rows) r.notes.push(`${impl.slot} failed while timed: ${impl.failed}`)
      return
    }
    const st = { ...stats(samples[i]), per: impl.per }
    for (const r of impl.rows) {
      if (impl.slot === 'musique' || impl.slot === 'native') r[impl.slot] = st
      else r.peers[impl.slot] = st
    }
  })
  // The wrapper's cost, robust to drift: the median over rounds of (Musique − native call) in the same round.
  impls.forEach((impl, i) => {
    if (impl.slot !== 'musique') return
    const j = impls.findIndex((o) => o.slot === 'native' && o.rows[0] === impl.rows[0])
    impl.rows[0].wrapperMs = median(samples[i].map((s, k) => s.ms - samples[j][k].ms))
  })
  if (probe) {
    const ps = samples[impls.indexOf(probe)]
    const c = { cpu: median(ps.map((s) => s.value)), mem: median(ps.map((s) => s.mem)) }
    for (const r of rs) r.ceiling = c
    await probe.close()
  }
  await py.request?.({ cmd: 'unload' }).catch(() => {})
  console.log(`[${samples[0].length} rounds]`)
  for (const r of rs) {
    delete r.ref
    console.log(
      `  ${r.label}: musique ${fmt(r.musique.median)} (native call ${fmt(r.native.median)}); ` +
        PEERS.filter((n) => r.peers[n])
          .map((n) => `${n} ${fmt(r.peers[n].median)} (${ratio(r.peers[n].median, r.musique.median)})`)
          .join(', ') +
        (r.ceiling ? `; two threads against one: ${r.ceiling.cpu.toFixed(2)}× compute, ${r.ceiling.mem.toFixed(2)}× memory copies` : ''),
    )
    for (const n of r.notes) console.log(`    note: ${n}`)
  }
  return rs
}

const speedups = (rs) => {
  const [a, b] = rs
  const sc = a.peers[SCIPY] && b.peers[SCIPY] ? `, SciPy ${(a.peers[SCIPY].median / b.peers[SCIPY].median).toFixed(2)}×` : ''
  return `Musique ${(a.musique.median / b.musique.median).toFixed(2)}×${sc}`
}

/** Progress for `musique bench`, which runs this script with an IPC channel and draws a bar. */
function progress(module, done, total, label) {
  process.send?.({ progress: { module, done, total, label } })
}

async function main() {
  // The Rust example is compiled (if needed) before anything is timed.
  const linPrep = RUN.includes('linalg') ? linalg.prepare() : undefined
  const pffft = await loadPffft()
  const ctx = { py: await startScipy(), jsPeers: [fftjs, ndarrayFft, pffft] }
  const { py } = ctx
  console.log(py.error ? `scipy: not available (${py.error})` : `scipy ${py.scipy}, numpy ${py.numpy} in a python3 ${py.python} process`)
  const ceilings = { start: await parallelCeiling() }
  console.log(`two threads against one: ${ceilings.start.cpu.toFixed(2)}× (compute), ${ceilings.start.mem.toFixed(2)}× (memory copies)`)
  const fftStart = now()
  const rows = RUN.includes('fft') ? ROWS.filter((r) => !ONLY || ONLY.some((w) => r.id.includes(w))) : []
  const results = []
  const done = []
  const gs = groups(rows)
  for (const group of gs) {
    progress('fft', done.length, rows.length, group.map((r) => r.label).join(' | '))
    process.stdout.write(`${group.map((r) => r.label).join(' | ')}… `)
    // Adaptive budget: what is left of the deadline, split over the rows left.
    const left = DEADLINE_MS - (now() - fftStart)
    const budget = Math.max(0, (left / (rows.length - done.length)) * group.length - 1000)
    const t0 = now()
    const rs = await runGroup(group, budget, ctx)
    results.push(...rs)
    done.push(...group)
    if (group.length > 1) {
      ceilings[group[0].group] = rs[0].ceiling
      group.ms = now() - t0
    }
  }
  // A workers pair timed while the host gave the VM's second vCPU little time (compute probe
  // below 1.8×) says nothing about scaling: time it once more if the run has time left, and
  // report the attempt with the higher probe (the probe measures the machine, not Musique).
  for (const group of gs.filter((g) => g.length > 1)) {
    const first = results.filter((r) => group.some((g) => g.id === r.id))
    if (first[0].ceiling.cpu >= 1.8 || now() - fftStart + group.ms > RETRY_DEADLINE_MS) continue
    process.stdout.write(`again (compute probe was ${first[0].ceiling.cpu.toFixed(2)}×): ${group.map((r) => r.label).join(' | ')}… `)
    const rs = await runGroup(group, group.ms, ctx)
    const [keep, drop] = rs[0].ceiling.cpu > first[0].ceiling.cpu ? [rs, first] : [first, rs]
    const note = `workers rows timed twice: compute probe ${first[0].ceiling.cpu.toFixed(2)}× then ${rs[0].ceiling.cpu.toFixed(2)}×; reported: the ${keep === rs ? 'second' : 'first'} attempt; the other gave ${speedups(drop)} for workers 2 against 1`
    for (const r of keep) {
      r.notes.push(note)
      r.otherAttempt = drop.find((d) => d.id === r.id)
    }
    if (keep === rs) for (const r of rs) results.splice(results.findIndex((x) => x.id === r.id), 1, r)
    ceilings[group[0].group] = keep[0].ceiling
  }
  const fftSeconds = (now() - fftStart) / 1000
  progress('fft', rows.length, rows.length, 'done')
  if (RUN.includes('linalg')) progress('linalg', 0, 1, 'linalg rows')
  const lin = RUN.includes('linalg') ? await linalg.run(linPrep, py, { now, tick, jsImpl, time, stats, median, fmt, ratio }, ONLY) : undefined
  if (lin) {
    // A linalg-only run may be merged under another run's machine section: it says where it ran.
    const mm = machine({ error: 'n/a' })
    Object.assign(lin, { commit: mm.commit, addonBuilt: mm.addonBuilt, separateRun: !RUN.includes('fft'), host: { cpu: mm.cpu, cores: mm.cores, memory: mm.memory, os: mm.os, node: mm.node }, parallelCeiling: ceilings })
  }
  if (RUN.includes('optimize')) progress('optimize', 0, 1, 'optimize rows')
  const opt = RUN.includes('optimize') ? await optimize.run(py, { now, tick, time, stats, median, fmt, ratio, ceilingProbe }, ONLY) : undefined
  if (opt) {
    const mm = machine({ error: 'n/a' })
    Object.assign(opt, { commit: mm.commit, addonBuilt: mm.addonBuilt, separateRun: !RUN.includes('fft'), host: { cpu: mm.cpu, cores: mm.cores, memory: mm.memory, os: mm.os, node: mm.node }, parallelCeiling: ceilings })
  }
  ceilings.end = await parallelCeiling()
  py.close?.()
  const m = machine(py)
  m.parallelCeiling = ceilings
  const round = (s) => s && { ...s, samples: s.samples.map((v) => +v.toPrecision(6)) }
  const roundRow = (r) => ({ ...r, musique: round(r.musique), native: round(r.native), peers: Object.fromEntries(Object.entries(r.peers).map(([k, v]) => [k, round(v)])) })
  const json = results.map((r) => ({ ...roundRow(r), ...(r.otherAttempt ? { otherAttempt: roundRow(r.otherAttempt) } : {}) }))
  const linJson = lin && { ...lin, results: lin.results.map((r) => ({ ...r, impls: Object.fromEntries(Object.entries(r.impls).map(([k, v]) => [k, round(v)])) })) }
  // A one-module run keeps the other module's results from results.json.
  const file = path.join(__dirname, 'results.json')
  let out = { note: 'times in milliseconds per call; faultsPerCall: minor page faults per call (whole process)', date: new Date().toISOString(), seconds: fftSeconds, machine: m, results: json, linalg: linJson, optimize: opt }
  if (RUN.length < MODULES.length && fs.existsSync(file)) {
    const old = JSON.parse(fs.readFileSync(file, 'utf8'))
    // The fft rows own the top-level fields (date, seconds, machine, results).
    if (!RUN.includes('fft')) out = { ...old, linalg: linJson, optimize: opt }
    if (!RUN.includes('linalg')) out.linalg = old.linalg
    if (!RUN.includes('optimize')) out.optimize = old.optimize
  }
  const text = report(out.machine, out.results, out.seconds, new Date(out.date), out.linalg, out.optimize)
  console.log('\n' + text)
  if (ONLY || lin?.small || opt?.small) return console.log('(BENCH_ROWS, BENCH_LINALG_SMALL or BENCH_OPTIMIZE_SMALL set: no files written)')
  fs.writeFileSync(file, JSON.stringify(out, null, 2) + '\n')
  const charts = writeCharts(out)
  fs.writeFileSync(path.join(__dirname, 'RESULTS.md'), text + chartLinks(charts))
  console.log(`wrote bench/RESULTS.md, bench/results.json${charts.length ? ` and ${charts.join(', ')}` : ''}`)
}

/** RESULTS.md's last section: the charts bench/chart.js drew beside it. */
function chartLinks(charts) {
  if (charts.length === 0) return ''
  const alt = { 'bench/speedup.svg': 'Speed-up of two threads over one, Musique beside SciPy', 'bench/size.svg': 'Complex fft time against length, Musique beside scipy.fft' }
  return ['', '## Charts', '', ...charts.map((c) => `![${alt[c] ?? c}](${path.basename(c)})`), ''].join('\n')
}

// ---------------------------------------------------------------- report

function report(m, results, seconds, date = new Date(), lin = undefined, opt = undefined) {
  const hasFft = results.length > 0
  const by = Object.fromEntries(results.map((r) => [r.id, r]))
  const med = (s) => s?.median
  const cell = (r, n) => (r.peers[n] ? `${fmt(r.peers[n].median)} (${ratio(r.peers[n].median, r.musique.median)})` : r.notes.some((t) => t.startsWith(`${n} disagrees`)) ? 'disagrees' : r.notes.some((t) => t.startsWith(`${n} failed`)) ? 'failed' : '–')
  const lines = [
    '# Benchmark results',
    '',
    hasFft
      ? `Written by \`npm run bench\` (bench/run.js); fft rows timed on ${date.toISOString().slice(0, 16).replace('T', ' ')} UTC, in ${seconds.toFixed(0)} s${lin ? '; linalg rows below' : ''}.`
      : `Written by \`npm run bench\` (bench/run.js): ${[lin && 'linalg', opt && 'optimize'].filter(Boolean).join(' and ') || 'no'} rows only (\`node bench/run.js fft\` adds the fft rows).`,
    '',
    'Method (fft rows): every implementation is first checked against Musique on the row\'s own',
    'input (max abs error / max |value| below 1e-9 for float64, 1e-4 for float32); one that',
    'disagrees is not timed.',
    'Then samples are taken in rounds over the implementations (Musique, its native call alone,',
    'SciPy, fft.js, ndarray-fft, pffft-wasm; each round in its own shuffled order, so that no',
    `implementation always follows the same one) until the row's time budget is spent (${MIN_ROUNDS} rounds`,
    `at least, ${PAIR_ROUNDS} for a workers 1 / workers 2 pair, whose speed-up compares two medians; the`,
    'budget adapts so the fft rows stay under 5 minutes). A JS peer whose one call takes over',
    `${SLOW_PEER_MS} ms is timed in the first ${SLOW_PEER_SAMPLES} rounds only (its ratio needs no more). A sample is enough`,
    'back-to-back calls to last ~2 ms (one call for the large rows), preceded, untimed, by a GC,',
    'an event-loop turn and 30 ms of quiet on the Node side (before SciPy\'s samples too: V8\'s',
    'background GC work, after a JS peer\'s garbage, otherwise ran beside the next sample), then',
    'one warm-up call of the same implementation. Medians are',
    'reported. Ratio = peer time / Musique time: above 1× Musique is faster. The workers = 1 and',
    'workers = 2 rows of the batch and of fft2 are timed in the same rounds, so their speed-ups',
    'compare samples taken side by side; fft.js and ndarray-fft have no workers and are timed once',
    'for both rows.',
    '',
    '## Machine',
    '',
    `- CPU: ${m.cpu}; ${m.cores} cores available to Node (os.availableParallelism())`,
    `- Two threads against one (a JS loop on the main thread and on a worker thread at once, against the same loop alone): pure compute ran ${Object.entries(m.parallelCeiling).map(([k, c]) => `${c.cpu.toFixed(2)}× (${k === 'start' || k === 'end' ? `at the ${k}` : `during the ${k} rows`})`).join(', ')} as fast; copies between 32 MiB arrays (memory bandwidth) ${Object.entries(m.parallelCeiling).map(([k, c]) => `${c.mem.toFixed(2)}× (${k === 'start' || k === 'end' ? `at the ${k}` : `during the ${k} rows`})`).join(', ')}. The first bounds any workers = 2 speed-up on this (virtual) machine at the time; the second, the speed-up of the memory-bound share of a transform`,
    `- Memory: ${m.memory}; OS: ${m.os}`,
    `- Node ${m.node}; Musique ${m.musique}${m.commit ? ` at ${m.commit}` : ''}${m.addonBuilt ? `, native addon built ${m.addonBuilt.slice(0, 16).replace('T', ' ')} UTC` : ''}`,
    m.scipy
      ? `- SciPy ${m.scipy.scipy}, numpy ${m.scipy.numpy}, Python ${m.scipy.python}; scipy.fft runs ${m.scipy.backend}, not numpy's FFT; timed in its own python3 process (bench/scipy_bench.py --serve), its samples interleaved with the others, on Musique's own input`
      : `- SciPy: not available (${m.scipyError}); the SciPy column says n/a`,
    ...(lin ? linalg.machineLines(lin) : []),
    ...(opt ? optimize.machineLines(opt) : []),
  ]
  if (!hasFft) {
    // No fft rows: the fft method paragraph goes.
    lines.splice(4, lines.indexOf('## Machine') - 4)
    if (lin) lines.push(...linalg.report(lin, m, { fmt, ratio }))
    if (opt) lines.push(...optimize.report(opt, { fmt, ratio }))
    return lines.join('\n') + '\n'
  }
  lines.push(
    '',
    '## Rows',
    '',
    `| row | Musique | ${PEERS.map((n) => `${n} (ratio)`).join(' | ')} |`,
    `| --- | ---: | ${PEERS.map(() => '---:').join(' | ')} |`,
  )
  for (const r of results) {
    lines.push(`| ${r.label} | ${fmt(r.musique.median)} | ${PEERS.map((n) => (n === SCIPY && !m.scipy ? 'n/a' : cell(r, n))).join(' | ')} |`)
  }
  lines.push('', '–: the peer does not run that row (size, dtype or transform it lacks).')
  const notes = results.flatMap((r) => r.notes.map((n) => `- ${r.label}: ${n}${n.includes('disagrees') && r.agreement[SCIPY] !== undefined ? ` (scipy.fft agrees with Musique to ${r.agreement[SCIPY].toExponential(1)} on the same input)` : ''}`))
  if (notes.length) lines.push('', ...notes)

  lines.push(
    '',
    '## Where Musique\'s time goes',
    '',
    'The same rounds also time the native call alone (the binding\'s `fftExecute` on the request the',
    'wrapper built, result allocation included); the rest is the JS wrapper (argument checks, the',
    'request, the NDArray). "wrapper" is the median over rounds of (Musique − native call) within',
    'the same round; on the large rows (one call per sample) it is within the noise.',
    '',
    'Minor page faults per call (whole process, median over samples) show which implementations',
    'write into fresh memory on each call: on this VM a first touch of a 4 KiB page costs a few',
    'microseconds, so thousands of faults per call add milliseconds. (A count, not a cost: a',
    'transparent huge page fault zeroes 2 MiB at once and counts as one.)',
    '',
    `| row | Musique | native call alone | wrapper | page faults per call: Musique | ${PEERS.filter((n) => results.some((r) => r.peers[n])).join(' | ')} |`,
    `| --- | ---: | ---: | ---: | ---: | ${PEERS.filter((n) => results.some((r) => r.peers[n])).map(() => '---:').join(' | ')} |`,
  )
  const fl = (s) => (s === undefined ? '–' : s.faultsPerCall < 10 ? s.faultsPerCall.toFixed(1) : s.faultsPerCall.toFixed(0))
  for (const r of results) {
    const d = r.wrapperMs
    const w = Math.abs(d) < 0.1 ? `${(d * 1000).toFixed(1)} µs` : `${d.toFixed(3)} ms`
    lines.push(`| ${r.label} | ${fmt(r.musique.median)} | ${fmt(r.native.median)} | ${w} | ${fl(r.musique)} | ${PEERS.filter((n) => results.some((x) => x.peers[n])).map((n) => fl(r.peers[n])).join(' | ')} |`)
  }

  if (by['batch-w1'] && by['batch-w2'] && by['fft2-w1'] && by['fft2-w2']) {
    const sp = (a, b, get) => (get(by[a]) && get(by[b]) ? get(by[a]) / get(by[b]) : undefined)
    const ours = (r) => med(r.musique)
    const nativeAlone = (r) => med(r.native)
    const theirs = (r) => med(r.peers[SCIPY])
    const f = (v) => (v === undefined ? 'n/a' : `${v.toFixed(2)}×`)
    lines.push(
      '',
      '## workers = 2 against workers = 1',
      '',
      `| row | Musique | Musique's native call alone | scipy.fft | probe: two threads of compute | probe: two threads of memory copies |`,
      '| --- | ---: | ---: | ---: | ---: | ---: |',
      ...[
        ['batch 512 x 4096', 'batch'],
        ['fft2 2048 x 2048', 'fft2'],
        ['fft2 2048 x 2048 in place (overwriteX)', 'fft2-inplace'],
      ]
        .filter(([, g]) => by[`${g}-w1`] && by[`${g}-w2`])
        .map(([label, g]) => {
          const [a, b] = [`${g}-w1`, `${g}-w2`]
          return `| ${label} | ${f(sp(a, b, ours))} | ${f(sp(a, b, nativeAlone))} | ${f(sp(a, b, theirs))} | ${f(by[a].ceiling?.cpu)} | ${f(by[a].ceiling?.mem)} |`
        }),
      '',
      'The probes are timed in the same rounds as the rows (medians): two threads against one, on',
      'a compute loop and on copies between 32 MiB arrays. A transform over 32 to 64 MiB arrays is',
      'partly bound by memory bandwidth, so its speed-up lies between the two; on a VM whose second',
      'vCPU is busy on the host, the compute probe falls towards 1× and no library can scale.',
      'Musique and its native call alone run the same code in the same rounds; where their',
      'speed-ups differ, the difference lies in what ran beside the samples (in Node, V8\'s garbage',
      'collector, which a 64 MiB result can start inside the call: see docs/parallel.md).',
    )
  }

  lines.push('', '## Targets (from the project issue)', '')
  const check = (ok, text) => lines.push(`- ${ok === undefined ? 'not measured' : ok ? 'met' : '**missed**'}: ${text}`)
  const slower = (peer) => results.filter((r) => r.peers[peer] && r.musique.median > r.peers[peer].median).map((r) => `${r.label} (${ratio(r.peers[peer].median, r.musique.median)})`)
  const ran = (peer) => results.filter((r) => r.peers[peer]).length
  const s = slower(SCIPY)
  check(!m.scipy || (s.length === 0 && ran(SCIPY) < results.length) ? undefined : s.length === 0, `at or below scipy.fft's time on every row${s.length ? ` — slower on: ${s.join('; ')}` : ''}${!m.scipy ? ' (SciPy not available in this run)' : ran(SCIPY) < results.length ? ' (SciPy did not run every row)' : ''}`)
  for (const p of ['fft.js', 'ndarray-fft']) {
    const sl = slower(p)
    check(sl.length === 0, `ahead of ${p} on every row it runs (${ran(p)} rows)${sl.length ? ` — slower on: ${sl.join('; ')}` : ''}`)
  }
  const sp = slower('pffft-wasm (SIMD)')
  check(ran('pffft-wasm (SIMD)') ? sp.length === 0 : undefined, `at or below pffft-wasm on the float32 rows${sp.length ? ` — slower on: ${sp.join('; ')}` : ''}`)
  if (by['batch-w1'] && by['batch-w2'] && by['fft2-w1'] && by['fft2-w2']) {
    const b = by['batch-w1'].musique.median / by['batch-w2'].musique.median
    const f2 = by['fft2-w1'].musique.median / by['fft2-w2'].musique.median
    const cb = by['batch-w1'].ceiling
    const cf = by['fft2-w1'].ceiling
    const sc = (a, b) => (by[a].peers[SCIPY] && by[b].peers[SCIPY] ? `${(by[a].peers[SCIPY].median / by[b].peers[SCIPY].median).toFixed(2)}×` : 'n/a')
    const ok = b >= 1.8 && f2 >= 1.8
    check(
      ok,
      `workers = 2 at least 1.8× faster than workers = 1 on the batch (${b.toFixed(2)}×) and fft2 (${f2.toFixed(2)}×) rows` +
        (ok
          ? ''
          : cb.cpu < 1.8 || cf.cpu < 1.8
            ? ` — not measurable in this run: during these rows two threads of pure compute ran only ${cb.cpu.toFixed(2)}× (batch) / ${cf.cpu.toFixed(2)}× (fft2) as fast as one (the host gave the VM's second vCPU little time); SciPy in the same rounds: ${sc('batch-w1', 'batch-w2')} / ${sc('fft2-w1', 'fft2-w2')}`
            : ` — measured with two free vCPUs (compute probe ${cb.cpu.toFixed(2)}× / ${cf.cpu.toFixed(2)}×, batch / fft2); memory copies scaled ${cb.mem.toFixed(2)}× / ${cf.mem.toFixed(2)}× on this VM, and SciPy reached ${sc('batch-w1', 'batch-w2')} / ${sc('fft2-w1', 'fft2-w2')} in the same rounds`),
    )
  }
  lines.push(
    '',
    '## How each peer runs',
    '',
    '- scipy.fft: `scipy.fft.<fn>(x, workers=w)` in python3 on the same input, result allocated per call.',
    '- fft.js 4.0.4: `transform` / `realTransform` (rfft: the n/2 + 1 bins it fills) into a preallocated',
    '  Float64Array reused across calls. Batch rows: a loop of 1-D transforms over the 512 rows (single',
    '  thread: it has no workers). fft2: row transforms, then each column gathered into a scratch array,',
    '  transformed and scattered back (row-column with the transposes done a column at a time).',
    '  Float32 rows: each call widens the input into a preallocated Float64Array first (fft.js is',
    '  only ever given Float64Arrays, which keeps V8 from deoptimising it for later rows).',
    '- ndarray-fft 1.0.3: in place on separate re/im Float64Arrays (copied from the input each call,',
    '  conjugated, since its forward direction uses exp(+i…)), then interleaved into a new array;',
    '  any length (Bluestein for non-powers of two). Batch rows: one call per row (`pick(r, null)`);',
    '  fft2: one call on the 2-D ndarray.',
    '- pffft-wasm 0.4.2 (SIMD build): `pffft_transform_ordered` on a setup made once per row; each call',
    '  copies the input into the WASM heap and the result out into a new Float32Array. Float32',
    '  complex rows only (pffft needs lengths that are multiples of 16 with factors 2, 3, 5).',
    '- All JS peers run in the same Node process, row after row, so their JIT state carries over.',
  )
  if (lin) lines.push(...linalg.report(lin, m, { fmt, ratio }))
  if (opt) lines.push(...optimize.report(opt, { fmt, ratio }))
  return lines.join('\n') + '\n'
}

// `node bench/run.js --report`: rewrite RESULTS.md from results.json, without timing anything.
const rerender = () => {
  const j = JSON.parse(fs.readFileSync(path.join(__dirname, 'results.json'), 'utf8'))
  const charts = writeCharts(j)
  fs.writeFileSync(path.join(__dirname, 'RESULTS.md'), report(j.machine, j.results ?? [], j.seconds, new Date(j.date), j.linalg, j.optimize) + chartLinks(charts))
  console.log(`rewrote bench/RESULTS.md${charts.length ? ` and ${charts.join(', ')}` : ''} from bench/results.json`)
}

;(process.argv.includes('--report') ? Promise.resolve().then(rerender) : main()).catch((err) => {
  console.error(err)
  process.exit(1)
})
