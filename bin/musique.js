#!/usr/bin/env node
// The musique command line: `musique info [--json]`.
'use strict'

const HELP = {
  main: `Usage: musique <command> [options]

Commands:
  info     Version, native binary, cores and thread pools (like python -m threadpoolctl -i),
           then a short fft demo
  bench    The side-by-side benchmark against SciPy and JS peers (from a checkout)
  help     Show this help

Run 'musique <command> --help' for a command's options.`,
  info: `Usage: musique info [--json] [--no-demo]

Prints the Musique version, the native binary that was loaded, the cores
the process may use (what workers: -1 means) and every thread pool Musique
owns, as threadpoolInfo() lists them (user API 'blas' for linalg, 'workers'
for the workers option), after timing a 2^20-point complex fft with
workers 1 and -1 and a 500 x 500 matmul on linalg's default threads.

Options:
  --json      Print the same as JSON
  --no-demo   Skip the fft demo
  --help      Show this help`,
  bench: `Usage: musique bench [fft|linalg|optimize] [--help]

Runs Musique's benchmark beside SciPy (in its own python3 process, when
python3 has scipy) and the best JavaScript peers (fft.js, pffft-wasm,
ndarray-fft, ml-matrix, nlopt-js), all modules or the one named, with a
progress bar on a terminal. Writes bench/RESULTS.md, bench/results.json and
the charts bench/speedup.svg (speed-up against workers/threads) and
bench/size.svg (time against size) beside them.

It runs from a checkout of the repository, after \`npm install\` (the peers are
devDependencies): git clone …/musique && cd musique && npm install && npx musique bench

Options:
  --help      Show this help`,
}

function demo(m) {
  const n = 1 << 20
  const x = new Float64Array(2 * n)
  for (let i = 0; i < x.length; i++) x[i] = Math.sin(i * 0.001) + ((i * 7919) % 13) / 13
  const signal = { data: x, shape: [8, n / 8], dtype: 'complex128' }
  const rows = []
  for (const workers of [1, -1]) {
    m.fft(signal, { workers }) // warm the plan and the pool
    const t0 = process.hrtime.bigint()
    const y = m.fft(signal, { workers })
    const ms = Number(process.hrtime.bigint() - t0) / 1e6
    rows.push({
      workers,
      threads: m.effectiveWorkers(signal.shape, { axes: [-1], workers }),
      ms: Math.round(ms * 100) / 100,
      dc: y.data[0],
    })
  }
  const n2 = 500
  const a = { data: new Float64Array(n2 * n2).map((_, i) => ((i * 7919) % 101) / 101), shape: [n2, n2], dtype: 'float64' }
  m.matmul(a, a)
  const t0 = process.hrtime.bigint()
  m.matmul(a, a)
  const linalg = { call: 'matmul of two 500 x 500 float64 matrices', threads: m.threadpoolInfo()[0].numThreads, ms: Math.round(Number(process.hrtime.bigint() - t0) / 1e4) / 100 }
  return { transform: 'fft of an 8 x 131072 complex128 batch along axis -1', runs: rows, linalg }
}

function info(args) {
  const m = require('..')
  const out = m.info()
  if (!args.includes('--no-demo')) {
    out.demo = demo(m)
    out.workerPools = m.workerPools()
    out.threadpools = m.threadpoolInfo()
  }
  if (args.includes('--json')) {
    console.log(JSON.stringify(out, null, 2))
    return
  }
  console.log(`musique ${out.version}`)
  console.log(`  binary:   ${out.binary.path ?? '(not found)'} (${out.binary.target})`)
  console.log(`  node:     ${out.node} on ${out.platform}-${out.arch}`)
  console.log(`  cores:    ${out.cores} (workers: -1)`)
  console.log(`  default workers: ${out.defaultWorkers}`)
  if (out.demo) {
    console.log(`  demo:     ${out.demo.transform}`)
    for (const r of out.demo.runs) {
      console.log(`            workers ${String(r.workers).padStart(2)} -> ${r.threads} thread(s), ${r.ms} ms`)
    }
  }
  if (out.demo) console.log(`            ${out.demo.linalg.call}: ${out.demo.linalg.threads} thread(s), ${out.demo.linalg.ms} ms`)
  console.log('  thread pools (threadpoolInfo):')
  for (const p of out.threadpools) {
    console.log(`            user_api ${p.userApi.padEnd(8)} internal_api ${p.internalApi.padEnd(9)} version ${p.version.padEnd(8)} num_threads ${p.numThreads}`)
  }
  console.log(`  rayon pools built: ${out.workerPools.length === 0 ? 'none yet' : out.workerPools.map((p) => `${p.threads} threads${p.cpus ? ` (bound to CPUs ${p.cpus.join(', ')})` : ''}`).join(', ')}`)
}

/** Runs bench/run.js with an IPC channel, drawing its progress on a terminal. */
function bench(args) {
  const path = require('node:path')
  const fs = require('node:fs')
  const script = path.join(__dirname, '..', 'bench', 'run.js')
  if (!fs.existsSync(script)) {
    console.error("musique bench runs from a checkout of the repository (the benchmark and its peers are not part of the package):\n  git clone <repository> musique && cd musique && npm install && npx musique bench")
    return Promise.resolve(2)
  }
  const modules = args.filter((a) => !a.startsWith('-'))
  for (const m of modules) {
    if (!['fft', 'linalg', 'optimize'].includes(m)) {
      console.error(`musique bench: unknown module '${m}' (fft, linalg or optimize)\n\n${HELP.bench}`)
      return Promise.resolve(2)
    }
  }
  const tty = process.stderr.isTTY
  const { fork } = require('node:child_process')
  // --expose-gc here, so run.js does not re-launch itself (which would drop the IPC channel).
  const child = fork(script, modules, { execArgv: ['--expose-gc'], stdio: ['ignore', 'pipe', 'inherit', 'ipc'] })
  let bar = ''
  const clear = () => {
    if (tty && bar) process.stderr.write('\r\x1b[2K')
  }
  const draw = () => {
    if (tty && bar) process.stderr.write(bar)
  }
  child.stdout.on('data', (chunk) => {
    clear()
    process.stdout.write(chunk)
    draw()
  })
  child.on('message', (m) => {
    if (!m || !m.progress) return
    const { module, done, total, label } = m.progress
    const width = 24
    const filled = total > 0 ? Math.round((width * done) / total) : 0
    clear()
    bar = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${module} ${done}/${total} ${String(label).slice(0, 60)}`
    if (tty) draw()
    else process.stderr.write(bar + '\n')
  })
  return new Promise((resolve) => {
    child.on('exit', (code) => {
      clear()
      resolve(code ?? 1)
    })
  })
}

function main(argv) {
  const [cmd, ...args] = argv
  if (!cmd || cmd === 'help' || cmd === '--help' || cmd === '-h') {
    console.log(HELP.main)
    return 0
  }
  if (args.includes('--help') || args.includes('-h')) {
    if (!HELP[cmd]) {
      console.error(`musique: unknown command '${cmd}'\n\n${HELP.main}`)
      return 2
    }
    console.log(HELP[cmd])
    return 0
  }
  if (cmd === 'info') {
    info(args)
    return 0
  }
  if (cmd === 'bench') return bench(args)
  console.error(`musique: unknown command '${cmd}'\n\n${HELP.main}`)
  return 2
}

Promise.resolve(main(process.argv.slice(2))).then((code) => {
  process.exitCode = code
})
