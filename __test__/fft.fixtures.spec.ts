// Every scipy.fft function against SciPy's own output (fixtures/scipy/*.json,
// written by fixtures/scipy/generate.py).
import test, { type ExecutionContext } from 'ava'

import type { NDArray } from 'musique'
import * as F from 'musique/fft'

import { assertAllclose } from './helpers/allclose'
import { decode, describeCase, type EncodedArray, loadFixtures, type TransformCase } from './helpers/fixtures'

// Tolerances per precision, as scipy.fft's own tests state them: relative to
// each value, plus an absolute floor relative to the largest output value,
// since rounding errors scale with the output's magnitude, not each value's.
const TOL = {
  float64: { rtol: 1e-10, atol: 1e-10 },
  // float32 transforms accumulate ~log2(n) roundings of 6e-8 each.
  float32: { rtol: 1e-5, atol: 1.5e-4 },
}

type Fn = (x: NDArray, options?: object) => NDArray
type AsyncFn = (x: NDArray, options?: object) => Promise<NDArray>

function maxAbs(a: ArrayLike<number>): number {
  let m = 0
  for (let i = 0; i < a.length; i++) if (Number.isFinite(a[i])) m = Math.max(m, Math.abs(a[i]))
  return m
}

function check(t: ExecutionContext, c: TransformCase, actual: NDArray, expected: NDArray): void {
  const what = describeCase(c)
  t.is(actual.dtype, expected.dtype, what)
  t.deepEqual(actual.shape, expected.shape, what)
  const single = expected.dtype === 'float32' || expected.dtype === 'complex64'
  const tol = single ? TOL.float32 : TOL.float64
  let want: ArrayLike<number> = expected.data
  let got: ArrayLike<number> = actual.data
  if (!Array.from(want).every(Number.isFinite)) {
    // Non-finite input: every term SciPy makes non-finite is non-finite here too, and
    // terms finite in both agree. Where the butterflies subtract infinities, pocketfft
    // and rustfft/realfft differ (e.g. SciPy keeps some imaginary parts finite that come
    // out NaN here), so a term finite in SciPy may be NaN in Musique.
    const wantFinite = Array.from(want, Number.isFinite)
    const gotFinite = Array.from(got, Number.isFinite)
    t.true(wantFinite.every((f, i) => f || !gotFinite[i]), `${what}: non-finite wherever SciPy is`)
    const both = (a: ArrayLike<number>) => Array.from(a).filter((_, i) => wantFinite[i] && gotFinite[i])
    ;[want, got] = [both(want), both(got)]
  }
  assertAllclose(t, got, want, { rtol: tol.rtol, atol: tol.atol * Math.max(1, maxAbs(want)) }, what)
}

for (const file of ['c2c.json', 'real.json', 'hermitian.json', 'r2r.json']) {
  const fixtures = loadFixtures(file)
  const byFn = new Map<string, TransformCase[]>()
  for (const c of fixtures.cases) byFn.set(c.fn, [...(byFn.get(c.fn) ?? []), c])
  for (const [fn, cases] of byFn) {
    test(`${fn} matches scipy.fft ${fixtures.scipy} (${cases.length} cases from ${file})`, (t) => {
      const f = (F as unknown as Record<string, Fn>)[fn]
      t.is(typeof f, 'function', `musique/fft exports ${fn}`)
      for (const c of cases) check(t, c, f(decode(c.input), c.options), decode(c.output))
    })
    test(`${fn}Async matches ${fn} on the same cases (${file})`, async (t) => {
      const f = (F as unknown as Record<string, AsyncFn>)[`${fn}Async`]
      t.is(typeof f, 'function', `musique/fft exports ${fn}Async`)
      for (const c of cases.slice(0, 12)) check(t, c, await f(decode(c.input), c.options), decode(c.output))
    })
  }
}

interface HelperCase {
  fn: string
  args?: [number, number | boolean]
  input?: EncodedArray
  axes?: number | number[] | null
  output: EncodedArray | number
}

test('fftfreq, rfftfreq, fftshift, ifftshift, nextFastLen and prevFastLen match SciPy', (t) => {
  const fixtures = loadFixtures<HelperCase>('helpers.json')
  for (const c of fixtures.cases) {
    const what = `${c.fn}(${JSON.stringify(c.args ?? c.axes)})`
    if (c.fn === 'nextFastLen' || c.fn === 'prevFastLen') {
      const [target, real] = c.args as [number, boolean]
      t.is(F[c.fn](target, real), c.output as number, what)
      continue
    }
    const expected = decode(c.output as EncodedArray)
    const actual =
      c.fn === 'fftfreq' || c.fn === 'rfftfreq'
        ? F[c.fn](...(c.args as [number, number]))
        : F[c.fn as 'fftshift' | 'ifftshift'](decode(c.input as EncodedArray), c.axes ?? undefined)
    t.deepEqual(actual.shape, expected.shape, what)
    assertAllclose(t, actual.data, expected.data, { rtol: 1e-15, atol: 0 }, what)
  }
})
