// Every musique/fft function against SciPy's own output: the cases in
// fixtures/scipy/*.json, written by fixtures/scipy/generate.py with the SciPy
// and numpy versions pinned in fixtures/scipy/requirements.txt. Nothing here
// is a hard-coded result.
import test, { type ExecutionContext } from 'ava'

import type { NDArray } from 'musique'
import * as F from 'musique/fft'

import { allcloseMismatch } from './helpers/allclose'
import { decode, describeCase, type HelperCase, loadFixtures, type TransformCase } from './helpers/fixtures'

// Tolerances, NumPy's rule |actual − expected| ≤ atol + rtol·|expected|.
// Musique (rustfft, realfft, rustdct) and SciPy (pocketfft) use different
// algorithms, so they agree to rounding, not bit for bit; and rounding errors
// scale with the magnitude of the whole output (each output value is a sum
// over every input), not with each value's: a value near zero in a large
// output is only good to ~eps·max|expected|·(a few log2 n). Hence an atol
// relative to the largest expected value, and an rtol for the rest.
// - float64: rtol 1e-10, atol 1e-10·max|expected|. (Measured: the worst case
//   is ~1.3e-15·max|expected|, irfft to 65537 points; the margin allows for
//   other CPUs' SIMD paths and SciPy builds.)
// - float32: rtol 1e-5, atol 1e-5·max|expected|, tighter than the
//   1.5e-4·max(1, max|expected|) one might start from, since it passes with
//   ~30x to spare (measured worst ~3.4e-7·max|expected|, rfft of 1009 points).
// No case needs a looser tolerance, large DCT-I/DST-I (4095, 4097 points) and
// the 2**16-point cases included.
const TOL = {
  float64: { rtol: 1e-10, atol: 1e-10 },
  float32: { rtol: 1e-5, atol: 1e-5 },
}

type Fn = (x: NDArray, options?: object) => NDArray
type AsyncFn = (x: NDArray, options?: object) => Promise<NDArray>
const fns = F as unknown as Record<string, unknown>

function maxAbs(a: ArrayLike<number>): number {
  let m = 0
  for (let i = 0; i < a.length; i++) if (Number.isFinite(a[i])) m = Math.max(m, Math.abs(a[i]))
  return m
}

function isSingle(dtype: NDArray['dtype']): boolean {
  return dtype === 'float32' || dtype === 'complex64'
}

/** The tolerance for one case, from its output's precision and magnitude. */
function tolerance(expected: NDArray): { rtol: number; atol: number } {
  const m = maxAbs(expected.data)
  return isSingle(expected.dtype)
    ? { rtol: TOL.float32.rtol, atol: TOL.float32.atol * m }
    : { rtol: TOL.float64.rtol, atol: TOL.float64.atol * m }
}

/** How one result differs from SciPy's (dtype, shape or values), or undefined when it matches. */
function mismatch(what: string, actual: NDArray, expected: NDArray): string | undefined {
  if (actual.dtype !== expected.dtype) return `${what}: dtype ${actual.dtype}, expected ${expected.dtype}`
  if (JSON.stringify(actual.shape) !== JSON.stringify(expected.shape)) {
    return `${what}: shape [${actual.shape}], expected [${expected.shape}]`
  }
  const complex = expected.dtype === 'complex128' || expected.dtype === 'complex64'
  return allcloseMismatch(actual.data, expected.data, { ...tolerance(expected), what, complex })
}

/** Runs one case synchronously: its result, or why it failed (an exception, a mismatch). */
function runCase(c: TransformCase): { result?: NDArray; failure?: string } {
  const f = fns[c.fn] as Fn
  let result: NDArray
  try {
    result = f(decode(c.input), c.options)
  } catch (err) {
    return { failure: `${describeCase(c)} threw ${String(err)}` }
  }
  return { result, failure: mismatch(describeCase(c), result, decode(c.output)) }
}

/**
 * Ends a test over many cases: every failing case logged (AVA stops a test at
 * its first failed assertion, so the cases are checked first and asserted
 * once), then one assertion that counts them and repeats the first.
 */
function report(t: ExecutionContext, total: number, failures: string[]): void {
  for (const f of failures) t.log(`failing case: ${f}`)
  t.is(failures.length, 0, `${failures.length} of ${total} cases differ from SciPy; the first: ${failures[0]}`)
}

function byFunction(cases: TransformCase[]): Map<string, TransformCase[]> {
  const out = new Map<string, TransformCase[]>()
  for (const c of cases) out.set(c.fn, [...(out.get(c.fn) ?? []), c])
  return out
}

const TRANSFORM_FILES = ['c2c.json', 'real.json', 'hermitian.json', 'r2r.json']
const ALL_TRANSFORMS = [
  'fft', 'ifft', 'fft2', 'ifft2', 'fftn', 'ifftn',
  'rfft', 'irfft', 'rfft2', 'irfft2', 'rfftn', 'irfftn',
  'hfft', 'ihfft', 'hfft2', 'ihfft2', 'hfftn', 'ihfftn',
  'dct', 'idct', 'dst', 'idst', 'dctn', 'idctn', 'dstn', 'idstn',
]
const loaded = TRANSFORM_FILES.map((file) => ({ file, fixtures: loadFixtures(file) }))

test('the fixtures cover every transform, norm, DCT/DST type and precision', (t) => {
  const cases = loaded.flatMap(({ fixtures }) => fixtures.cases)
  const seen = new Set(cases.map((c) => c.fn))
  t.deepEqual(ALL_TRANSFORMS.filter((fn) => !seen.has(fn)), [], 'functions without a fixture')
  for (const fn of ALL_TRANSFORMS) {
    const mine = cases.filter((c) => c.fn === fn)
    for (const norm of ['backward', 'ortho', 'forward']) {
      t.true(mine.some((c) => (c.options.norm ?? 'backward') === norm), `${fn} with norm ${norm}`)
    }
    t.true(mine.some((c) => isSingle(c.input.dtype)), `${fn} with float32/complex64 input`)
    if (/^i?d[cs]tn?$/.test(fn)) {
      for (const type of [1, 2, 3, 4]) t.true(mine.some((c) => (c.options.type ?? 2) === type), `${fn} type ${type}`)
      for (const o of [true, false]) t.true(mine.some((c) => c.options.orthogonalize === o), `${fn} orthogonalize ${o}`)
    }
  }
  for (const { fixtures } of loaded) t.is(fixtures.scipy, loaded[0].fixtures.scipy, 'one SciPy version for all files')
})

for (const { file, fixtures } of loaded) {
  for (const [fn, cases] of byFunction(fixtures.cases)) {
    test(`${fn} matches scipy.fft ${fixtures.scipy} (${cases.length} cases from ${file})`, (t) => {
      t.is(typeof fns[fn], 'function', `musique/fft exports ${fn}`)
      const failures = cases.map((c) => runCase(c).failure).filter((f): f is string => f !== undefined)
      report(t, cases.length, failures)
    })
  }
}

// NaN and infinities in the input, one test per case, compared with what
// SciPy gave: NaN for NaN, the same infinity for an infinity, finite values
// within the tolerance. Which outputs come out NaN rather than infinite (or
// finite) depends on each algorithm's arithmetic (inf − inf, inf·0 in a
// twiddle's zero part), so Musique and pocketfft can differ. The cases where
// they do are listed here, each as a failing test (ava's test.failing: it
// passes while the difference remains and fails once Musique matches SciPy,
// so the entry can be removed):
const NONFINITE_DIFFERENCES: Record<string, string> = {
  // x[0] meets only the twiddle 1, so every X_k = inf + i·(finite), as SciPy
  // gives. Musique: the imaginary parts of X_1, X_3, X_5 and X_7 are NaN.
  'fft(float64[8]) with x[0] = inf': 'NaN imaginary parts where SciPy has finite ones',
  // The same for the real FFT: SciPy X_1 = inf + 0.125i, X_3 = inf − 0.597i;
  // Musique X_1 = X_3 = NaN + NaN·i, real parts included (the even-length
  // real FFT's post-processing combines X_k with X_{n/2-k}: inf − inf).
  'rfft(float64[8]) with x[0] = inf': 'NaN + NaN·i where SciPy has inf + finite·i',
  // SciPy [inf, NaN, NaN, NaN, NaN, NaN]; Musique [inf, -inf, NaN, inf, -inf, NaN].
  // Mathematically every term is ±inf (2·inf·sin(π·9(2k+1)/24) ≠ 0), so here
  // Musique is the closer of the two; SciPy's output is recorded as it is.
  'dst(float64[6], {"type":4}) with x[4] = inf': '±inf where SciPy has NaN',
}

const nonfinite = loadFixtures<TransformCase & { note: string }>('nonfinite.json')
for (const c of nonfinite.cases) {
  const name = `${describeCase(c)} with ${c.note}`
  const known = NONFINITE_DIFFERENCES[name]
  const title = `non-finite input: ${name} matches scipy.fft ${nonfinite.scipy}`
  const body = (t: ExecutionContext): void => report(t, 1, [runCase(c).failure].filter((f): f is string => f !== undefined))
  if (known === undefined) test(title, body)
  else test.failing(`${title} (known difference: ${known})`, body)
}

test('every listed non-finite difference names a fixture case', (t) => {
  const names = new Set(nonfinite.cases.map((c) => `${describeCase(c)} with ${c.note}`))
  t.deepEqual(Object.keys(NONFINITE_DIFFERENCES).filter((n) => !names.has(n)), [])
})

// The Promise forms run the same transform off the JS thread: the same result
// as the sync form, value for value (NaN for NaN), and so SciPy's. A sample of
// each function's cases: a few small ones, its float32 ones and its largest.
function sample(cases: TransformCase[]): TransformCase[] {
  const size = (c: TransformCase): number => c.input.data.length
  const largest = cases.reduce((a, b) => (size(b) > size(a) ? b : a))
  const single = cases.filter((c) => isSingle(c.input.dtype)).slice(0, 2)
  const nd = cases.filter((c) => c.input.shape.length > 1).slice(0, 2)
  return [...new Set([...cases.slice(0, 4), ...single, ...nd, largest])]
}

const casesByFn = byFunction(loaded.flatMap(({ fixtures }) => fixtures.cases))
for (const fn of ALL_TRANSFORMS) {
  test(`${fn}Async gives the same result as ${fn}`, async (t) => {
    const f = fns[`${fn}Async`] as AsyncFn
    t.is(typeof f, 'function', `musique/fft exports ${fn}Async`)
    const cases = sample(casesByFn.get(fn) ?? [])
    t.true(cases.length > 0)
    const results = await Promise.all(cases.map((c) => f(decode(c.input), c.options)))
    const failures: string[] = []
    cases.forEach((c, k) => {
      const what = `${fn}Async: ${describeCase(c)}`
      const { result: sync } = runCase(c)
      const got = results[k]
      if (sync === undefined) failures.push(`${what}: the sync form threw`)
      else if (got.data.constructor !== sync.data.constructor) failures.push(`${what}: ${got.data.constructor.name}, sync ${sync.data.constructor.name}`)
      else {
        // Value for value the sync result (the same code runs), and so within SciPy's tolerance.
        const why = mismatch(what, got, sync) ?? allcloseMismatch(got.data, sync.data, { rtol: 0, atol: 0, what: `${what} vs ${fn}` })
        if (why !== undefined) failures.push(why)
      }
      const vsScipy = mismatch(what, got, decode(c.output))
      if (vsScipy !== undefined) failures.push(vsScipy)
    })
    report(t, cases.length, failures)
  })
}

// overwriteX (SciPy's overwrite_x): every case again with overwriteX: true.
// Where the result has the input's dtype and shape (fft, ifft, fft2, ifft2,
// fftn and ifftn of complex input, DCT/DST of real input, nothing padded or
// cropped), it is computed in the input's own typed array, which becomes the
// result's data; elsewhere the input is left as it was. Either way the result
// is the default call's, value for value, and so SciPy's.
const IN_PLACE = /^(i?fft[2n]?|i?d[cs]tn?)$/
for (const fn of ALL_TRANSFORMS) {
  test(`${fn} with overwriteX: true gives the default result, in the input's memory where the layout allows`, (t) => {
    const f = fns[fn] as Fn
    const cases = casesByFn.get(fn) ?? []
    const failures: string[] = []
    let inPlace = 0
    for (const c of cases) {
      const what = `${describeCase(c)} with overwriteX`
      const { result: plain } = runCase(c)
      if (plain === undefined) continue // the case's own test reports it
      const x = decode(c.input)
      const got = f(x, { ...c.options, overwriteX: true })
      const why = mismatch(what, got, plain) ?? allcloseMismatch(got.data, plain.data, { rtol: 0, atol: 0, what: `${what} vs the default call` })
      if (why !== undefined) failures.push(why)
      const complexIn = x.dtype.startsWith('complex')
      const expectInPlace =
        IN_PLACE.test(fn) &&
        complexIn === fn.includes('fft') &&
        JSON.stringify(plain.shape) === JSON.stringify(x.shape) &&
        x.data.length > 0
      if (expectInPlace) {
        inPlace++
        if (got.data !== x.data) failures.push(`${what}: a new array, expected the input's`)
      } else {
        if (got.data === x.data) failures.push(`${what}: the input's array, expected a new one`)
        const untouched = allcloseMismatch(x.data, decode(c.input).data, { rtol: 0, atol: 0, what: `${what}: the input` })
        if (untouched !== undefined) failures.push(`${untouched} (changed, though not computed in place)`)
      }
    }
    if (IN_PLACE.test(fn)) t.true(inPlace > 0, `${fn}: some cases run in place`)
    report(t, cases.length, failures)
  })
}

// fftfreq, rfftfreq, fftshift, ifftshift, nextFastLen and prevFastLen: exact
// arithmetic (one multiplication per frequency) or integers, so they must
// agree with SciPy to the last bit, up to rtol 1e-15 for the frequencies.
const helpers = loadFixtures<HelperCase>('helpers.json')
for (const fn of ['fftfreq', 'rfftfreq', 'fftshift', 'ifftshift', 'nextFastLen', 'prevFastLen'] as const) {
  const cases = helpers.cases.filter((c) => c.fn === fn)
  test(`${fn} matches scipy.fft ${helpers.scipy} (${cases.length} cases)`, (t) => {
    t.true(cases.length > 0)
    const failures: string[] = []
    for (const c of cases) {
      const what = describeCase(c)
      const args = c.args ?? {}
      if (fn === 'nextFastLen' || fn === 'prevFastLen') {
        const target = args.target as number
        const got = args.real === undefined ? F[fn](target) : F[fn](target, args.real as boolean)
        if (got !== c.output) failures.push(`${what}: ${got}, expected ${String(c.output)}`)
        continue
      }
      const expected = decode(c.output as Parameters<typeof decode>[0])
      let actual: NDArray
      if (fn === 'fftfreq' || fn === 'rfftfreq') {
        actual = args.d === undefined ? F[fn](args.n as number) : F[fn](args.n as number, args.d as number)
      } else {
        actual = F[fn](decode(c.input!), c.options?.axes)
      }
      const rtol = fn.endsWith('freq') ? 1e-15 : 0
      const why =
        (actual.dtype !== expected.dtype ? `${what}: dtype ${actual.dtype}, expected ${expected.dtype}` : undefined) ??
        (JSON.stringify(actual.shape) !== JSON.stringify(expected.shape) ? `${what}: shape [${actual.shape}], expected [${expected.shape}]` : undefined) ??
        allcloseMismatch(actual.data, expected.data, { rtol, atol: 0, what, complex: expected.dtype.startsWith('complex') }) ??
        // Signed zeros too (fftfreq with a negative spacing starts with -0, as numpy's does).
        (Array.from(actual.data).every((v, i) => v !== 0 || Object.is(v, expected.data[i])) ? undefined : `${what}: a zero of the wrong sign`)
      if (why !== undefined) failures.push(why)
    }
    report(t, cases.length, failures)
  })
}
