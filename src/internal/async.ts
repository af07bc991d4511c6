// The Promise forms' one piece of plumbing: an AbortSignal wired to a native
// AbortToken, with native errors turned into their JS classes.

import { abortError, fromNative, typeError } from './errors'
import native = require('./native')

/** Checks an optional `signal` option. */
export function checkSignal(signal: unknown): AbortSignal | undefined {
  if (signal === undefined || signal === null) return undefined
  if (!(signal instanceof AbortSignal)) throw typeError('signal', 'an AbortSignal', signal)
  return signal
}

/** The callbacks waiting on each signal: one 'abort' listener per signal, however many calls share it. */
const waiting = new WeakMap<AbortSignal, Set<() => void>>()

/**
 * Calls `callback` once when `signal` aborts; the returned function
 * unsubscribes. Every call sharing one signal hangs off a single listener, so
 * a thousand concurrent calls with one signal give no
 * MaxListenersExceededWarning and leave nothing behind once settled.
 */
export function onAbort(signal: AbortSignal, callback: () => void): () => void {
  let callbacks = waiting.get(signal)
  if (callbacks === undefined) {
    const set = new Set<() => void>()
    callbacks = set
    waiting.set(signal, set)
    signal.addEventListener(
      'abort',
      () => {
        waiting.delete(signal)
        for (const f of [...set]) f()
      },
      { once: true },
    )
  }
  const set = callbacks
  set.add(callback)
  return () => {
    set.delete(callback)
  }
}

/**
 * Starts native work with a fresh AbortToken. The promise rejects as soon as
 * `signal` aborts (with the signal's reason), and the token tells the running
 * work to stop at its next check.
 */
export function withAbort<T>(begin: (token: InstanceType<typeof native.AbortToken>) => Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  const token = new native.AbortToken()
  // The native side copies its input before `begin` returns, so later writes cannot change the result.
  const work = begin(token).catch((err: unknown) => Promise.reject(fromNative(err, signal)))
  if (signal === undefined) return work
  if (signal.aborted) token.abort()
  const stop = onAbort(signal, () => token.abort())
  return untilAbort(work.finally(stop), signal)
}

/**
 * `work`, unless `signal` aborts first: then a rejection with the signal's
 * reason at once, whatever `work` does (it is left to settle on its own, its
 * outcome ignored). For batches the native side cannot stop: a Promise from
 * a map-like `workers` or an async objective that never settles.
 */
export function untilAbort<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return work
  if (signal.aborted) {
    work.catch(() => {})
    return Promise.reject(abortError(signal))
  }
  return new Promise((resolve, reject) => {
    const stop = onAbort(signal, () => reject(abortError(signal)))
    work.then(
      (v) => {
        stop()
        resolve(v)
      },
      (err: unknown) => {
        stop()
        reject(err)
      },
    )
  })
}
