// One place that builds every error Musique throws.

/** Describes a value for an error message: its type, and the value itself when short. */
export function describe(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return `an Array of length ${value.length}`
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name} of length ${(value as unknown as ArrayLike<unknown>).length}`
  switch (typeof value) {
    case 'string':
      return `'${value.length > 40 ? value.slice(0, 40) + '…' : value}'`
    case 'number':
    case 'boolean':
    case 'bigint':
    case 'undefined':
      return String(value)
    case 'function':
      return 'a function'
    default:
      return `an object (${Object.prototype.toString.call(value).slice(8, -1)})`
  }
}

/** `TypeError: <name> must be <expected>; got <value>`. */
export function typeError(name: string, expected: string, value: unknown): TypeError {
  return new TypeError(`${name} must be ${expected}; got ${describe(value)}`)
}

/** `RangeError: <name> must be <expected>; got <value>`. */
export function rangeError(name: string, expected: string, value: unknown): RangeError {
  return new RangeError(`${name} must be ${expected}; got ${describe(value)}`)
}

/** An optional options argument: {} when omitted, else it must be an object (TypeError naming `options`). */
export function checkOptions(options: unknown): Record<string, unknown> {
  if (options === undefined || options === null) return {}
  if (typeof options !== 'object') throw typeError('options', 'an object', options)
  return options as Record<string, unknown>
}

/** The error an aborted call rejects with: the signal's reason, as fetch does. */
export function abortError(signal?: AbortSignal): unknown {
  if (signal?.reason !== undefined) return signal.reason
  return new DOMException('The operation was aborted', 'AbortError')
}

/** What numerical failure a {@link LinAlgError} reports. */
export type LinAlgErrorCode = 'ERR_SINGULAR_MATRIX' | 'ERR_NOT_POSITIVE_DEFINITE' | 'ERR_NO_CONVERGENCE'

const LINALG_CODES: Record<string, LinAlgErrorCode> = {
  singular: 'ERR_SINGULAR_MATRIX',
  'not-positive-definite': 'ERR_NOT_POSITIVE_DEFINITE',
  'no-convergence': 'ERR_NO_CONVERGENCE',
}

/**
 * A numerical failure in linear algebra, as scipy.linalg.LinAlgError:
 * `code` says which — 'ERR_SINGULAR_MATRIX' (solve, inv, luSolve, solveTriangular),
 * 'ERR_NOT_POSITIVE_DEFINITE' (cholesky, choFactor, solve with assumeA 'pos'),
 * 'ERR_NO_CONVERGENCE' (svd, eig, eigh). Bad arguments are TypeError/RangeError instead.
 *
 * @example
 * ```ts
 * import { inv, LinAlgError } from 'musique/linalg'
 * try {
 *   inv([[1, 2], [2, 4]])
 * } catch (e) {
 *   if (e instanceof LinAlgError) e.code // 'ERR_SINGULAR_MATRIX'; e.message 'Matrix is singular.'
 * }
 * ```
 */
export class LinAlgError extends Error {
  /** Which failure: 'ERR_SINGULAR_MATRIX', 'ERR_NOT_POSITIVE_DEFINITE' or 'ERR_NO_CONVERGENCE'. */
  readonly code: LinAlgErrorCode
  constructor(message: string, code: LinAlgErrorCode) {
    super(message)
    this.name = 'LinAlgError'
    this.code = code
  }
}

/** Turns an error thrown by the native binding into the JS error class it stands for. */
export function fromNative(err: unknown, signal?: AbortSignal): unknown {
  if (!(err instanceof Error)) return err
  const code = (err as Error & { code?: string }).code
  if (code === 'Cancelled') return abortError(signal)
  const linalg = /^LinAlgError:([a-z-]+):(.*)$/s.exec(err.message)
  if (linalg && LINALG_CODES[linalg[1]]) return new LinAlgError(linalg[2], LINALG_CODES[linalg[1]])
  // SciPy's RuntimeError from an optimizer (no bracket found, …): a plain Error with SciPy's message.
  if (err.message.startsWith('OptimizeRuntimeError:')) return new Error(err.message.slice('OptimizeRuntimeError:'.length))
  if (code === 'InvalidArg') return new RangeError(err.message)
  return err
}

/** Calls `fn`, rethrowing native errors as their JS classes. */
export function callNative<R>(fn: () => R): R {
  try {
    return fn()
  } catch (err) {
    throw fromNative(err)
  }
}
