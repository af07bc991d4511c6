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

/**
 * The `code` of a TypeError or RangeError Musique throws, as Node's own errors
 * carry (`err.code === 'ERR_INVALID_ARG_TYPE'`):
 * - `ERR_INVALID_ARG_TYPE`: the wrong kind of value (a string where a number goes);
 * - `ERR_INVALID_ARG_VALUE`: the right kind, but not one of the values allowed (`norm: 'foo'`);
 * - `ERR_OUT_OF_RANGE`: a number outside its range, or not an integer where one is needed;
 * - `ERR_UNKNOWN_OPTION`: an options object has a key the function does not know.
 */
export type ArgErrorCode = 'ERR_INVALID_ARG_TYPE' | 'ERR_INVALID_ARG_VALUE' | 'ERR_OUT_OF_RANGE' | 'ERR_UNKNOWN_OPTION'

function withCode<E extends Error>(err: E, code: ArgErrorCode): E & { code: ArgErrorCode } {
  Object.defineProperty(err, 'code', { value: code, enumerable: false, writable: true, configurable: true })
  return err as E & { code: ArgErrorCode }
}

/** `TypeError: <name> must be <expected>; got <value>`, code `ERR_INVALID_ARG_TYPE`. */
export function typeError(name: string, expected: string, value: unknown): TypeError {
  return withCode(new TypeError(`${name} must be ${expected}; got ${describe(value)}`), 'ERR_INVALID_ARG_TYPE')
}

/** `RangeError: <name> must be <expected>; got <value>`, code `ERR_OUT_OF_RANGE`. */
export function rangeError(name: string, expected: string, value: unknown): RangeError {
  return withCode(new RangeError(`${name} must be ${expected}; got ${describe(value)}`), 'ERR_OUT_OF_RANGE')
}

/** `RangeError: <name> must be <expected>; got <value>`, code `ERR_INVALID_ARG_VALUE`: a value not among those allowed (SciPy's ValueError). */
export function valueError(name: string, expected: string, value: unknown): RangeError {
  return withCode(new RangeError(`${name} must be ${expected}; got ${describe(value)}`), 'ERR_INVALID_ARG_VALUE')
}

/**
 * A RangeError with a message of its own (for messages that do not fit
 * `<name> must be <expected>; got <value>`), code `ERR_OUT_OF_RANGE` unless given.
 */
export function rangeErrorMessage(message: string, code: ArgErrorCode = 'ERR_OUT_OF_RANGE'): RangeError {
  return withCode(new RangeError(message), code)
}

/** A TypeError with a message of its own, code `ERR_INVALID_ARG_TYPE` unless given. */
export function typeErrorMessage(message: string, code: ArgErrorCode = 'ERR_INVALID_ARG_TYPE'): TypeError {
  return withCode(new TypeError(message), code)
}

/** Damerau-free Levenshtein distance, for "did you mean" (keys are short). */
function distance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]
    prev[0] = i
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j]
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1))
      diag = up
    }
  }
  return prev[b.length]
}

/** The known key closest to `key` (case and `_` ignored first: `overwrite_x` → `overwriteX`), if any is close. */
export function nearest(key: string, known: readonly string[]): string | undefined {
  const fold = (s: string) => s.toLowerCase().replace(/_/g, '')
  const folded = known.find((k) => fold(k) === fold(key))
  if (folded !== undefined) return folded
  let best: string | undefined
  let bestD = Infinity
  for (const k of known) {
    const d = distance(key.toLowerCase(), k.toLowerCase())
    if (d < bestD) {
      best = k
      bestD = d
    }
  }
  return bestD <= Math.max(2, Math.floor(key.length / 3)) ? best : undefined
}

/** `TypeError: Unknown option 'nrom' for fft; did you mean 'norm'?`, code `ERR_UNKNOWN_OPTION`. */
export function unknownOption(key: string, where: string, known: readonly string[]): TypeError {
  const near = nearest(key, known)
  const hint = near !== undefined ? `; did you mean '${near}'?` : `; expected one of ${known.map((k) => `'${k}'`).join(', ')}`
  return withCode(new TypeError(`Unknown option '${key}' for ${where}${hint}`), 'ERR_UNKNOWN_OPTION')
}

/**
 * An optional options argument: `{}` when omitted (or null), else it must be a
 * plain object (TypeError naming `options`). With `known`, every own key must
 * be one of them (TypeError `ERR_UNKNOWN_OPTION` naming the key and the
 * nearest valid one), as SciPy raises for an unexpected keyword argument.
 */
export function checkOptions(options: unknown, where?: string, known?: readonly string[], name = 'options'): Record<string, unknown> {
  if (options === undefined || options === null) return {}
  if (typeof options !== 'object' || Array.isArray(options) || ArrayBuffer.isView(options)) throw typeError(name, 'an object', options)
  if (known !== undefined) {
    for (const key of Object.keys(options)) {
      if (!known.includes(key)) throw unknownOption(key, where ?? name, known)
    }
  }
  return options as Record<string, unknown>
}

/** The error an aborted call rejects with: the signal's reason, as fetch does. */
export function abortError(signal?: AbortSignal): unknown {
  if (signal?.reason !== undefined) return signal.reason
  return new DOMException('The operation was aborted', 'AbortError')
}

/** What numerical failure a {@link LinAlgError} reports. */
export type LinAlgErrorCode = 'ERR_SINGULAR_MATRIX' | 'ERR_NOT_POSITIVE_DEFINITE' | 'ERR_NO_CONVERGENCE'

const LINALG_CODES: readonly string[] = ['ERR_SINGULAR_MATRIX', 'ERR_NOT_POSITIVE_DEFINITE', 'ERR_NO_CONVERGENCE'] satisfies LinAlgErrorCode[]

/**
 * A numerical failure in linear algebra, as scipy.linalg.LinAlgError:
 * `code` says which — 'ERR_SINGULAR_MATRIX' (solve, also with assumeA 'pos' as SciPy, inv,
 * luSolve, solveTriangular), 'ERR_NOT_POSITIVE_DEFINITE' (cholesky, choFactor),
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
  // linalg's numerical failures come from the binding as an Error named 'LinAlgError' with the code set.
  if (err.name === 'LinAlgError' && code !== undefined && LINALG_CODES.includes(code)) return new LinAlgError(err.message, code as LinAlgErrorCode)
  // optimize's failures come built by the binding, class and code set, and pass through as they are:
  // SciPy's ValueError a RangeError 'ERR_INVALID_ARG_VALUE', its RuntimeError (no bracket within maxiter)
  // an Error 'ERR_NO_CONVERGENCE'.
  // Memory a request cannot have (runtime.rs, `alloc_error`): "cannot allocate 32.0 GiB for the result of fft".
  if (code === 'InvalidArg' && err.message.startsWith('cannot allocate ')) return rangeErrorMessage(err.message, 'ERR_OUT_OF_RANGE')
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
