// An fft, linalg and optimize workload whose results the threads test
// compares: run as the main script of a worker thread, a forked child process
// or a cluster worker, it posts them back; required, it exports the job for
// the calling thread.
'use strict'
const { parentPort } = require('node:worker_threads')
const F = require('musique/fft')
const L = require('musique/linalg')
const O = require('musique/optimize')

function spd(n) {
  // a·aᵀ + n·I: symmetric positive definite.
  const a = new Float64Array(n * n).map((_, i) => Math.sin(i * 0.37))
  const at = new Float64Array(n * n)
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) at[j * n + i] = a[i * n + j]
  const b = L.matmul({ data: a, shape: [n, n], dtype: 'float64' }, { data: at, shape: [n, n], dtype: 'float64' })
  for (let i = 0; i < n; i++) b.data[i * n + i] += n
  return b
}

function linalgAndOptimize() {
  const a = spd(120)
  const rhs = new Float64Array(120).map((_, i) => i % 7)
  return {
    solve: L.solve(a, rhs, { assumeA: 'pos' }).data,
    svd: L.svdvals(a).data,
    matmul: L.matmul(a, a).data,
    de: O.differentialEvolution(O.rosen, [[-2, 2], [-2, 2], [-2, 2], [-2, 2]], { seed: 7, maxiter: 80, workers: 2, updating: 'deferred' }).x,
    deJs: O.differentialEvolution((x) => x.reduce((s, v) => s + (v - 0.5) ** 2, 0), [[-1, 1], [-1, 1]], { seed: 11, maxiter: 50 }).x,
  }
}

async function job() {
  const x = new Float64Array(1 << 15).map((_, i) => Math.sin(i * 0.01) + (i % 5))
  const image = { data: x, shape: [128, 256], dtype: 'float64' }
  return {
    fft: F.fft(x).data,
    rfft2: (await F.rfft2Async(image, { workers: 2 })).data,
    dct: F.dct(x, { type: 3, norm: 'ortho' }).data,
    ...linalgAndOptimize(),
    eighAsync: (await L.eighAsync(spd(60))).w.data,
    deAsync: (await O.differentialEvolutionAsync(O.rastrigin, [[-5, 5], [-5, 5], [-5, 5]], { seed: 3, workers: 2, updating: 'deferred', maxiter: 60 })).x,
  }
}

if (require.main === module) {
  if (parentPort) {
    job().then((r) => parentPort.postMessage(r))
  } else if (process.send) {
    job().then((r) => process.send(Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Array.from(v)]))))
  }
}

module.exports = { job }
