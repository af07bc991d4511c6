// musique/optimize/common: pieces the optimizers share: the objective type and option helpers.

import { rangeError, typeError } from '../internal/errors'
import { numberOption } from '../internal/options'
import type { ModuleFunction } from '../workerpool'

/** The objective of an optimizer: a function of x, a `{ module, export }` reference worker threads import, or one of Musique's test functions. */
export type Objective = ((x: Float64Array, ...args: never[]) => number) | ModuleFunction

/** A finite number option (a finite-difference step): NaN and ±Infinity are RangeErrors. */
export function finiteOption(value: unknown, name: string): number | undefined {
  const v = numberOption(value, name, undefined)
  if (v !== undefined && !Number.isFinite(v)) throw rangeError(name, 'a finite number', v)
  return v
}

/** An extra-arguments option (SciPy's `args`): an array, `[]` when omitted. */
export function argsOption(value: unknown, name = 'args'): unknown[] {
  if (value === undefined || value === null) return []
  if (!Array.isArray(value)) throw typeError(name, 'an array', value)
  return value
}
