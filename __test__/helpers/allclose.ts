// NumPy's closeness rule, |a − e| ≤ atol + rtol·|e|, as one assertion whose
// failure names the first failing index, both values and the tolerances.
import type { ExecutionContext } from 'ava'

export interface Tolerance {
  rtol: number
  atol: number
}

export function assertAllclose(
  t: ExecutionContext,
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  { rtol, atol }: Tolerance,
  what = 'values',
): void {
  if (actual.length !== expected.length) {
    t.fail(`${what}: length ${actual.length} differs from the expected ${expected.length}`)
    return
  }
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i]
    const e = expected[i]
    if (a === e || (Number.isNaN(a) && Number.isNaN(e))) continue
    if (!(Math.abs(a - e) <= atol + rtol * Math.abs(e))) {
      t.fail(`${what}: index ${i}: actual ${a}, expected ${e} (|diff| ${Math.abs(a - e)} > atol ${atol} + rtol ${rtol}·|expected|)`)
      return
    }
  }
  t.pass()
}
