// Objectives imported by worker_threads in the optimize tests.
import { BroadcastChannel, isMainThread, threadId } from 'node:worker_threads'

import { threadpoolInfo } from 'musique'

export function rosen(x) {
  let s = 0
  for (let i = 0; i < x.length - 1; i++) s += 100 * (x[i + 1] - x[i] * x[i]) ** 2 + (1 - x[i]) ** 2
  return s
}

/** Busy for about `ms` milliseconds, then the sphere function: an expensive objective. */
export function slowSphere(x, ms = 1) {
  const end = performance.now() + ms
  while (performance.now() < end) {}
  return x.reduce((s, v) => s + v * v, 0)
}

export const linalgThreads = () => threadpoolInfo()[0].numThreads

export function throws(x) {
  if (x[0] > -Infinity) throw new RangeError('objective refused ' + x[0])
  return 0
}

export async function asyncSphere(x) {
  await null
  return x.reduce((s, v) => s + v * v, 0)
}

export default function sphere(x) {
  return x.reduce((s, v) => s + v * v, 0)
}

// Reports, once per thread, where it runs (and linalg's thread count there) on a
// BroadcastChannel the test listens to; then the Rosenbrock function.
let reported = false
export function reportThread(x) {
  if (!reported) {
    reported = true
    const channel = new BroadcastChannel('musique-optimize-threads')
    channel.postMessage({ threadId, isMainThread, linalgThreads: threadpoolInfo()[0].numThreads })
    channel.close()
  }
  return rosen(x)
}

/** Sphere, slower: about 2 ms per point (for abort tests). */
export const slowerSphere = (x) => slowSphere(x, 2)

/** -x0 - x1: its minimum in the unit disc is at (√½, √½). */
export const negSum = (x) => -x[0] - x[1]

// Constraint functions for NonlinearConstraint by reference. `discAndLine`
// reports once per thread (as reportThread) on 'musique-optimize-constraints'.
export const disc = (x) => x[0] * x[0] + x[1] * x[1]
let constraintReported = false
export function discAndLine(x) {
  if (!constraintReported) {
    constraintReported = true
    const channel = new BroadcastChannel('musique-optimize-constraints')
    channel.postMessage({ threadId, isMainThread })
    channel.close()
  }
  return [x[0] * x[0] + x[1] * x[1], x[0] - x[1]]
}
export const badConstraint = (x) => (x[0] > 0 ? [1, 2, 3] : [1, 2])
