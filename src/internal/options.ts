// Value checks for options, by SciPy's rules, one function per kind of value.
// Each takes the raw value and the name the user wrote; `undefined` and
// `null` (SciPy's None) give the default. Keys are checked by checkOptions in
// ./errors: an options object reaches these only after its keys are known.

import { rangeError, typeError, valueError } from './errors'

/** Bounds of a number option; both inclusive unless `exclusiveMin`. */
export interface NumberRange {
  min?: number
  max?: number
  /** `min` itself is out of range (`> min`, e.g. a tolerance `> 0`). */
  exclusiveMin?: boolean
}

function rangeText(r: NumberRange, what: string): string {
  const lo = r.min === undefined ? '' : r.exclusiveMin ? `> ${r.min}` : `>= ${r.min}`
  const hi = r.max === undefined ? '' : `<= ${r.max}`
  if (lo && hi) return `${what} ${lo} and ${hi}`
  if (lo || hi) return `${what} ${lo || hi}`
  return what
}

function inRange(v: number, r: NumberRange): boolean {
  if (r.min !== undefined && (r.exclusiveMin ? !(v > r.min) : !(v >= r.min))) return false
  if (r.max !== undefined && !(v <= r.max)) return false
  return true
}

/**
 * An integer option (SciPy's `operator.index`): a number that is an integer,
 * within `range`. A string or other type is a TypeError; 2.5, NaN or a value
 * out of range is a RangeError. `undefined`/`null` give `dflt`.
 */
export function intOption(value: unknown, name: string, dflt: number, range?: NumberRange): number
export function intOption(value: unknown, name: string, dflt?: undefined, range?: NumberRange): number | undefined
export function intOption(value: unknown, name: string, dflt?: number, range: NumberRange = {}): number | undefined {
  if (value === undefined || value === null) return dflt
  const what = rangeText(range, 'an integer')
  if (typeof value !== 'number') throw typeError(name, what, value)
  if (!Number.isInteger(value) || !inRange(value, range)) throw rangeError(name, what, value)
  return value
}

/** A real-number option within `range` (NaN is refused; ±Infinity only where the range allows it). */
export function numberOption(value: unknown, name: string, dflt: number, range?: NumberRange): number
export function numberOption(value: unknown, name: string, dflt?: undefined, range?: NumberRange): number | undefined
export function numberOption(value: unknown, name: string, dflt?: number, range: NumberRange = {}): number | undefined {
  if (value === undefined || value === null) return dflt
  const what = rangeText(range, 'a number')
  if (typeof value !== 'number') throw typeError(name, what, value)
  if (Number.isNaN(value) || !inRange(value, range)) throw rangeError(name, what, value)
  return value
}

/** A boolean option (no truthy coercion: `'false'` is a TypeError). */
export function boolOption(value: unknown, name: string, dflt: boolean): boolean
export function boolOption(value: unknown, name: string, dflt?: undefined): boolean | undefined
export function boolOption(value: unknown, name: string, dflt?: boolean): boolean | undefined {
  if (value === undefined || value === null) return dflt
  if (typeof value !== 'boolean') throw typeError(name, 'a boolean', value)
  return value
}

/** One of a set of strings (SciPy's ValueError for anything else: RangeError `ERR_INVALID_ARG_VALUE`). */
export function enumOption<T extends string>(value: unknown, name: string, allowed: readonly T[], dflt: T): T
export function enumOption<T extends string>(value: unknown, name: string, allowed: readonly T[], dflt?: undefined): T | undefined
export function enumOption<T extends string>(value: unknown, name: string, allowed: readonly T[], dflt?: T): T | undefined {
  if (value === undefined || value === null) return dflt
  const what = oneOf(allowed)
  if (typeof value !== 'string') throw typeError(name, what, value)
  if (!(allowed as readonly string[]).includes(value)) throw valueError(name, what, value)
  return value as T
}

/** A function option. */
export function functionOption<F extends (...args: never[]) => unknown>(value: unknown, name: string): F | undefined {
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'function') throw typeError(name, 'a function', value)
  return value as F
}

/** `'a', 'b' or 'c'`. */
export function oneOf(values: readonly string[]): string {
  const q = values.map((v) => `'${v}'`)
  return q.length <= 1 ? q.join('') : `${q.slice(0, -1).join(', ')} or ${q[q.length - 1]}`
}
