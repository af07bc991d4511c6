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

/**
 * Starts native work with a fresh AbortToken. The promise rejects as soon as
 * `signal` aborts (with the signal's reason), and the token tells the running
 * work to stop at its next check.
 */
export function withAbort<T>(begin: (token: InstanceType<typeof native.AbortToken>) => Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  const token = new native.AbortToken()
  // The native side copies its input before `begin` returns, so later writes cannot change the result.
  const work = begin(token)
  if (signal === undefined) return work.catch((err: unknown) => Promise.reject(fromNative(err)))
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      token.abort()
      reject(abortError(signal))
    }
    signal.addEventListener('abort', onAbort, { once: true })
    work.then(
      (out) => {
        signal.removeEventListener('abort', onAbort)
        resolve(out)
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort)
        reject(fromNative(err, signal))
      },
    )
  })
}
