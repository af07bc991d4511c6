// The addon in worker_threads, child processes and cluster workers, beside
// the main thread: fft, linalg and differential evolution run concurrently
// everywhere and every result equals the one computed alone.
import { fork } from 'node:child_process'
import cluster from 'node:cluster'
import { join } from 'node:path'
import { Worker } from 'node:worker_threads'

import test from 'ava'

const JOB = join(__dirname, 'helpers', 'job.js')

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

test.serial('four worker_threads and the main thread compute the same results at once as alone', async (t) => {
  t.timeout(120_000)
  const alone = await expected()
  const [main, ...workers] = await Promise.all([expected(), inWorker(), inWorker(), inWorker(), inWorker()])
  t.true(Object.keys(alone).length >= 8)
  for (const k of Object.keys(alone)) t.deepEqual(main[k], alone[k], `main thread: ${k}`)
  for (const w of workers) {
    for (const k of Object.keys(alone)) t.deepEqual(w[k], alone[k], k)
  }
})

test.serial('a forked child process computes the same results', async (t) => {
  t.timeout(120_000)
  const [main, child] = await Promise.all([expected(), inChild()])
  for (const k of Object.keys(main)) t.deepEqual(child[k], Array.from(main[k]), k)
})

test.serial('cluster workers compute the same results', async (t) => {
  t.timeout(120_000)
  const main = await expected()
  cluster.setupPrimary({ exec: JOB, silent: true })
  const got = await Promise.all(
    [0, 1].map(
      () =>
        new Promise<Record<string, number[]>>((resolve, reject) => {
          const w = cluster.fork()
          w.once('message', (m) => {
            resolve(m as Record<string, number[]>)
            w.kill()
          })
          w.once('error', reject)
        }),
    ),
  )
  for (const r of got) for (const k of Object.keys(main)) t.deepEqual(r[k], Array.from(main[k]), k)
})
