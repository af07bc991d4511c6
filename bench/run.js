#!/usr/bin/env node
// `npm run bench`: Musique's transforms beside scipy.fft (in its own python3
// process, when it has SciPy), fft.js, pffft-wasm (SIMD) and ndarray-fft, in
// one run. Every implementation is checked against Musique on the row's input
// before it is timed; samples are interleaved across implementations, with a
// GC between samples (untimed) so each one starts from the same heap; medians
// are reported, with ratios peer / Musique (> 1: Musique is faster).
// Writes bench/RESULTS.md and bench/results.json.
'use strict'

if (typeof global.gc !== 'function') {
  // Re-run with --expose-gc so every implementation gets a collection between samples.
  const { spawnSync } = require('node:child_process')
  const r = spawnSync(process.execPath, ['--expose-gc', __filename, ...process.argv.slice(2)], { stdio: 'inherit' })
  process.exit(r.status ?? 1)
}

const { spawnSync } = require('node:child_process')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')

const F = require('../src/fft.js')
const { fftjs, ndarrayFft, loadPffft } = require('./peers.js')

const BUDGET_MS = Number(process.env.BENCH_BUDGET_MS ?? 1200)
// BENCH_ROWS=batch,fft2 runs only the rows whose id contains one of the words (RESULTS.md is not written then).
const ONLY = process.env.BENCH_ROWS?.split(',').filter(Boolean)

function random(n, single) {
  const a = single ? new Float32Array(n) : new Float64Array(n)
  let s = 12345
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) % 2147483648
    a[i] = s / 1073741824 - 1
  }
  return a
}

const c128 = (shape) => ({ data: random(2 * shape.reduce((a, b) => a * b, 1)), shape, dtype: 'complex128' })
const c64 = (shape) => ({ data: random(2 * shape.reduce((a, b) => a * b, 1), true), shape, dtype: 'complex64' })
const f64 = (shape) => ({ data: random(shape.reduce((a, b) => a * b, 1)), shape, dtype: 'float64' })

// kind: how peers read the row. scipy: how bench/scipy_bench.py reproduces it.
const ROWS = [
  { id: 'fft-2^20', label: 'complex fft, n = 2^20', kind: 'fft', shape: [1 << 20], dtype: 'complex128', input: c128, run: (x) => F.fft(x), scipy: { fn: 'fft' } },
  { id: 'rfft-2^20', label: 'rfft, n = 2^20', kind: 'rfft', shape: [1 << 20], dtype: 'float64', input: f64, run: (x) => F.rfft(x), scipy: { fn: 'rfft' } },
  { id: 'fft-1000003', label: 'complex fft, n = 1,000,003 (prime)', kind: 'fft', shape: [1000003], dtype: 'complex128', input: c128, run: (x) => F.fft(x), scipy: { fn: 'fft' } },
  { id: 'batch-w1', label: 'batch 512 x 4096 along the last axis, workers 1', kind: 'batch', shape: [512, 4096], dtype: 'complex128', input: c128, run: (x) => F.fft(x, { workers: 1 }), scipy: { fn: 'fft', workers: 1 } },
  { id: 'batch-w2', label: 'batch 512 x 4096 along the last axis, workers 2', kind: 'batch', shape: [512, 4096], dtype: 'complex128', input: c128, run: (x) => F.fft(x, { workers: 2 }), scipy: { fn: 'fft', workers: 2 } },
  { id: 'fft2-w1', label: 'fft2 2048 x 2048, workers 1', kind: 'fft2', shape: [2048, 2048], dtype: 'complex128', input: c128, run: (x) => F.fft2(x, { workers: 1 }), scipy: { fn: 'fft2', workers: 1 } },
  { id: 'fft2-w2', label: 'fft2 2048 x 2048, workers 2', kind: 'fft2', shape: [2048, 2048], dtype: 'complex128', input: c128, run: (x) => F.fft2(x, { workers: 2 }), scipy: { fn: 'fft2', workers: 2 } },
  { id: 'dct2-2^20', label: 'dct type II, n = 2^20', kind: 'dct', shape: [1 << 20], dtype: 'float64', input: f64, run: (x) => F.dct(x), scipy: { fn: 'dct', type: 2 } },
  { id: 'latency-1024', label: 'call latency, complex fft n = 1024', kind: 'fft', shape: [1024], dtype: 'complex128', input: c128, run: (x) => F.fft(x), scipy: { fn: 'fft' } },
  { id: 'f32-4096', label: 'float32 complex fft, n = 4096', kind: 'fft', shape: [4096], dtype: 'complex64', input: c64, run: (x) => F.fft(x), scipy: { fn: 'fft' } },
  { id: 'f32-65536', label: 'float32 complex fft, n = 65536', kind: 'fft', shape: [65536], dtype: 'complex64', input: c64, run: (x) => F.fft(x), scipy: { fn: 'fft' } },
  { id: 'fft-1000', label: 'complex fft, n = 1000', kind: 'fft', shape: [1000], dtype: 'complex128', input: c128, run: (x) => F.fft(x), scipy: { fn: 'fft' } },
  { id: 'fft-1009', label: 'complex fft, n = 1009 (prime)', kind: 'fft', shape: [1009], dtype: 'complex128', input: c128, run: (x) => F.fft(x), scipy: { fn: 'fft' } },
  { id: 'fft-10007', label: 'complex fft, n = 10007 (prime)', kind: 'fft', shape: [10007], dtype: 'complex128', input: c128, run: (x) => F.fft(x), scipy: { fn: 'fft' } },
]

function now() {
  return Number(process.hrtime.bigint()) / 1e6
}

function maxAbs(a) {
  let m = 0
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]))
  return m
}

function agree(ref, got, single) {
  if (got.length !== ref.length) return { ok: false, err: `length ${got.length} vs ${ref.length}` }
  let e = 0
  for (let i = 0; i < ref.length; i++) e = Math.max(e, Math.abs(ref[i] - got[i]))
  const rel = e / Math.max(1e-300, maxAbs(ref))
  return { ok: rel < (single ? 1e-4 : 1e-9), err: rel }
}

const tick = () => new Promise((resolve) => setImmediate(resolve))

/**
 * Interleaved rounds over the implementations; returns each one's median in ms.
 * Before each sample (untimed): one warm-up call of the same implementation
 * (its threads and memory may have gone cold while the others ran), then a GC
 * and one turn of the event loop, where Node runs the finalizers that free
 * the native memory of collected results.
 */
async function time(impls) {
  // Calls per sample: enough that one sample lasts ~2 ms (timed after a warm-up call).
  const per = impls.map((impl) => {
    impl.run()
    const t0 = now()
    impl.run()
    return Math.max(1, Math.floor(2 / Math.max(now() - t0, 1e-4)))
  })
  const samples = impls.map(() => [])
  const start = now()
  while (samples[0].length < 5 || (now() - start < BUDGET_MS * impls.length && samples[0].length < 200)) {
    for (const [i, impl] of impls.entries()) {
      impl.run()
      global.gc()
      await tick()
      const t0 = now()
      for (let k = 0; k < per[i]; k++) impl.run()
      samples[i].push((now() - t0) / per[i])
    }
  }
  if (process.env.BENCH_SAMPLES) impls.forEach((impl, i) => console.log(`\n  ${impl.name}: ${samples[i].map((v) => v.toFixed(2)).join(' ')}`))
  return samples.map((s) => s.sort((a, b) => a - b)[s.length >> 1])
}

function runScipy() {
  const rows = ROWS.map((r) => ({ id: r.id, fn: r.scipy.fn, shape: r.shape, dtype: r.dtype, workers: r.scipy.workers ?? 1, ...(r.scipy.type ? { type: r.scipy.type } : {}) }))
  const py = spawnSync('python3', [path.join(__dirname, 'scipy_bench.py')], {
    input: JSON.stringify({ rows, budget_s: (BUDGET_MS * 2) / 1000 }),
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  })
  if (py.status !== 0) return { error: (py.stderr || py.error?.message || 'python3 failed').trim().split('\n').pop() }
  return JSON.parse(py.stdout)
}

function machine() {
  const cpus = os.cpus()
  return {
    cpu: cpus[0]?.model ?? 'unknown',
    cores: os.availableParallelism(),
    memory: `${Math.round(os.totalmem() / 2 ** 30)} GiB`,
    os: `${os.type()} ${os.release()} (${process.platform}-${process.arch})`,
    node: process.version,
    musique: require('../package.json').version,
  }
}

const fmt = (ms) => (ms === undefined ? 'n/a' : ms < 0.1 ? `${(ms * 1000).toFixed(1)} µs` : `${ms.toFixed(2)} ms`)
const ratio = (peer, ours) => (peer === undefined ? 'n/a' : `${(peer / ours).toFixed(2)}×`)

async function main() {
  const pffft = await loadPffft()
  const peers = [fftjs, ndarrayFft, pffft]
  process.stdout.write('scipy.fft (own process)… ')
  const scipy = runScipy()
  console.log(scipy.error ? `not available: ${scipy.error}` : `scipy ${scipy.scipy}`)
  const results = []
  for (const row of ROWS.filter((r) => !ONLY || ONLY.some((w) => r.id.includes(w)))) {
    process.stdout.write(`${row.label}… `)
    const x = row.input(row.shape)
    const ref = row.run(x).data
    const single = row.dtype === 'complex64'
    const impls = [{ name: 'musique', run: () => row.run(x) }]
    const notes = []
    for (const p of peers.filter((p) => p.supports(row))) {
      const run = p.prepare(row, x)
      const a = agree(ref, run(), single)
      if (a.ok) impls.push({ name: p.name, run })
      else notes.push(`${p.name} disagrees with Musique (${typeof a.err === 'number' ? a.err.toExponential(1) : a.err}); not timed`)
    }
    const medians = await time(impls)
    const r = { id: row.id, label: row.label, musique: medians[0], peers: {}, notes }
    impls.slice(1).forEach((impl, i) => (r.peers[impl.name] = medians[i + 1]))
    if (!scipy.error) r.peers['scipy.fft'] = scipy.rows[row.id]
    results.push(r)
    console.log(
      `musique ${fmt(r.musique)}; ` +
        Object.entries(r.peers)
          .map(([k, v]) => `${k} ${fmt(v)} (${ratio(v, r.musique)})`)
          .join(', '),
    )
  }
  if (ONLY) return
  const m = machine()
  fs.writeFileSync(path.join(__dirname, 'results.json'), JSON.stringify({ machine: m, scipy: scipy.error ? null : { scipy: scipy.scipy, numpy: scipy.numpy }, results }, null, 2) + '\n')
  fs.writeFileSync(path.join(__dirname, 'RESULTS.md'), report(m, scipy, results))
  console.log('\nwrote bench/RESULTS.md and bench/results.json')
}

function report(m, scipy, results) {
  const names = ['scipy.fft', 'fft.js', 'ndarray-fft', 'pffft-wasm (SIMD)']
  const by = Object.fromEntries(results.map((r) => [r.id, r]))
  const lines = [
    '# Benchmark results',
    '',
    'Written by `npm run bench` (bench/run.js). Medians of interleaved samples; before each sample',
    '(untimed) one warm-up call of the same implementation, a GC and one event-loop turn, where',
    'Node runs the finalizers that free the native memory of collected results. Each peer is',
    'checked against Musique on the same input first. SciPy runs its samples back to back in its',
    'own process.',
    'Ratio = peer time / Musique time: above 1× Musique is faster.',
    '',
    '## Machine',
    '',
    `- CPU: ${m.cpu}, ${m.cores} cores available`,
    `- Memory: ${m.memory}`,
    `- OS: ${m.os}`,
    `- Node ${m.node}, Musique ${m.musique}`,
    `- SciPy: ${scipy.error ? `not available (${scipy.error})` : `scipy ${scipy.scipy}, numpy ${scipy.numpy} (scipy.fft's bundled pocketfft), timed in its own python3 process`}`,
    '',
    '## Rows',
    '',
    `| row | Musique | ${names.map((n) => `${n} (ratio)`).join(' | ')} |`,
    `| --- | --- | ${names.map(() => '---').join(' | ')} |`,
  ]
  for (const r of results) {
    lines.push(`| ${r.label} | ${fmt(r.musique)} | ${names.map((n) => (r.peers[n] === undefined ? '–' : `${fmt(r.peers[n])} (${ratio(r.peers[n], r.musique)})`)).join(' | ')} |`)
  }
  const notes = results.flatMap((r) => r.notes.map((n) => `- ${r.label}: ${n}`))
  if (notes.length) lines.push('', ...notes)
  const speedup = (a, b, who) => (by[a].peers[who] && by[b].peers[who] ? by[a].peers[who] / by[b].peers[who] : undefined)
  const ours = (a, b) => by[a].musique / by[b].musique
  lines.push(
    '',
    '## workers = 2 against workers = 1',
    '',
    '| row | Musique | scipy.fft |',
    '| --- | --- | --- |',
    `| batch 512 x 4096 | ${ours('batch-w1', 'batch-w2').toFixed(2)}× | ${speedup('batch-w1', 'batch-w2', 'scipy.fft')?.toFixed(2) ?? 'n/a'}× |`,
    `| fft2 2048 x 2048 | ${ours('fft2-w1', 'fft2-w2').toFixed(2)}× | ${speedup('fft2-w1', 'fft2-w2', 'scipy.fft')?.toFixed(2) ?? 'n/a'}× |`,
    '',
    '## Targets',
    '',
  )
  const check = (ok, text) => lines.push(`- ${ok ? 'met' : '**missed**'}: ${text}`)
  const slower = (peer) => results.filter((r) => r.peers[peer] !== undefined && r.musique > r.peers[peer]).map((r) => r.label)
  const s = slower('scipy.fft')
  check(!scipy.error && s.length === 0, `at or below scipy.fft's time on every row${s.length ? ` (slower on: ${s.join('; ')})` : ''}${scipy.error ? ' (SciPy not available in this run)' : ''}`)
  for (const p of ['fft.js', 'ndarray-fft']) {
    const sl = slower(p)
    check(sl.length === 0, `ahead of ${p} on every row it runs${sl.length ? ` (slower on: ${sl.join('; ')})` : ''}`)
  }
  const sp = slower('pffft-wasm (SIMD)')
  check(sp.length === 0, `at or below pffft-wasm on the float32 rows${sp.length ? ` (slower on: ${sp.join('; ')})` : ''}`)
  const b = ours('batch-w1', 'batch-w2')
  const f2 = ours('fft2-w1', 'fft2-w2')
  check(b >= 1.8 && f2 >= 1.8, `workers = 2 at least 1.8× faster than workers = 1 on the batch (${b.toFixed(2)}×) and fft2 (${f2.toFixed(2)}×) rows`)
  return lines.join('\n') + '\n'
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
