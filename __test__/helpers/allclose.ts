// NumPy's closeness rule as one assertion: |a − e| ≤ atol + rtol·|e| for every
// pair, where NaN equals NaN and an infinity equals only the same infinity.
// A failure names the first failing index, both values and the tolerances.
import type { ExecutionContext } from 'ava'

export interface Tolerance {
  rtol: number
  atol: number
  /** Prefix of the failure message (what is being compared). */
  what?: string
  /** The data is complex, interleaved re, im: name failing entries as element and part. */
  complex?: boolean
}

/** The same rule for one pair of values. */
export function isClose(a: number, e: number, rtol: number, atol: number): boolean {
  if (Number.isNaN(a) || Number.isNaN(e)) return Number.isNaN(a) && Number.isNaN(e)
  if (a === e) return true // equal infinities (and exact matches)
  if (!Number.isFinite(a) || !Number.isFinite(e)) return false
  return Math.abs(a - e) <= atol + rtol * Math.abs(e)
}

/** Index of the first pair that is not close, or -1 (lengths must match). */
export function firstMismatch(actual: ArrayLike<number>, expected: ArrayLike<number>, rtol: number, atol: number): number {
  for (let i = 0; i < expected.length; i++) if (!isClose(actual[i], expected[i], rtol, atol)) return i
  return -1
}

/**
 * Why `actual` is not close to `expected` (the first failing index, both
 * values, the tolerances, how many values fail and the largest difference),
 * or undefined when every value is close.
 */
export function allcloseMismatch(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  { rtol, atol, what = 'values', complex = false }: Tolerance,
): string | undefined {
  if (actual.length !== expected.length) return `${what}: ${actual.length} values, expected ${expected.length}`
  const i = firstMismatch(actual, expected, rtol, atol)
  if (i < 0) return undefined
  let count = 0
  let worst = 0
  for (let k = i; k < expected.length; k++) {
    if (!isClose(actual[k], expected[k], rtol, atol)) {
      count++
      const d = Math.abs(actual[k] - expected[k])
      if (d > worst) worst = d // a NaN difference (one side NaN) never counts as the largest
    }
  }
  const where = complex ? `index ${i} (element ${i >> 1}, ${i % 2 ? 'imag' : 'real'})` : `index ${i}`
  const a = actual[i]
  const e = expected[i]
  return (
    `${what}: not close at ${where}: actual ${a}, expected ${e}, |diff| ${Math.abs(a - e)} > ` +
    `atol ${atol} + rtol ${rtol}·|expected| = ${atol + rtol * Math.abs(e)} ` +
    `(${count} of ${expected.length} values not close; largest finite |diff| ${worst})`
  )
}

/**
 * Asserts NumPy's allclose(actual, expected, rtol, atol) (with equal_nan):
 * one passing assertion, or a failure naming the first failing index, both
 * values and the tolerances. Returns whether it passed (in AVA a failed
 * assertion throws, ending the test).
 */
export function assertAllclose(
  t: ExecutionContext,
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  tolerance: Tolerance,
): boolean {
  const why = allcloseMismatch(actual, expected, tolerance)
  if (why === undefined) {
    t.pass()
    return true
  }
  t.fail(why)
  return false
}
