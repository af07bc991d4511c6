// A few transforms whose results the threads test compares: run as the main
// script of a worker thread or a forked child process, it posts them back;
// required, it exports the job for the calling thread.
'use strict'
const { parentPort } = require('node:worker_threads')
const F = require('musique/fft')

async function job() {
  const x = new Float64Array(1 << 15).map((_, i) => Math.sin(i * 0.01) + (i % 5))
  const image = { data: x, shape: [128, 256], dtype: 'float64' }
  return {
    fft: F.fft(x).data,
    rfft2: (await F.rfft2Async(image, { workers: 2 })).data,
    dct: F.dct(x, { type: 3, norm: 'ortho' }).data,
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
