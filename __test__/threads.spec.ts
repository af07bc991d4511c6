// The addon in worker_threads and child processes, beside the main thread.
import { fork } from 'node:child_process'
import { join } from 'node:path'
import { Worker } from 'node:worker_threads'

import test from 'ava'

const JOB = join(__dirname, 'helpers', 'fft-job.js')

// eslint-disable-next-line @typescript-eslint/no-require-imports
const expected = (): Promise<Record<string, Float64Array>> => require(JOB).job()

function inWorker(): Promise<Record<string, Float64Array>> {
  return new Promise((resolve, reject) => {
    const w = new Worker(JOB)
    w.once('message', (m) => {
      resolve(m)
      void w.terminate()
    })
    w.once('error', reject)
  })
}

function inChild(): Promise<Record<string, number[]>> {
  return new Promise((resolve, reject) => {
    const c = fork(JOB, { stdio: 'ignore' })
    c.once('message', (m) => {
      resolve(m as Record<string, number[]>)
      c.kill()
    })
    c.once('error', reject)
  })
}

test('four worker_threads and the main thread compute the same results at once', async (t) => {
  const [main, ...workers] = await Promise.all([expected(), inWorker(), inWorker(), inWorker(), inWorker()])
  for (const w of workers) {
    for (const k of Object.keys(main)) t.deepEqual(w[k], main[k], k)
  }
})

test('a forked child process computes the same results', async (t) => {
  const [main, child] = await Promise.all([expected(), inChild()])
  for (const k of Object.keys(main)) t.deepEqual(child[k], Array.from(main[k]), k)
})
