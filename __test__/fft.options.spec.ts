// Options of every musique/fft export (issue 15 §2): unknown keys are refused
// with the nearest valid one, every value is checked once by SciPy's rule,
// null means the default, and every error carries a Node-style code. No
// conversion error from the native binding reaches a user.
import test from 'ava'

import type { NDArray } from 'musique'
import * as F from 'musique/fft'

type Fn = (x: unknown, options?: unknown) => NDArray
type AsyncFn = (x: unknown, options?: unknown) => Promise<NDArray>
const fns = F as unknown as Record<string, Fn>

const ONE_D = ['fft', 'ifft', 'rfft', 'irfft', 'hfft', 'ihfft']
const N_D = ['fft2', 'ifft2', 'fftn', 'ifftn', 'rfft2', 'irfft2', 'rfftn', 'irfftn', 'hfft2', 'ihfft2', 'hfftn', 'ihfftn']
const R2R = ['dct', 'idct', 'dst', 'idst']
const R2R_N = ['dctn', 'idctn', 'dstn', 'idstn']
const ALL = [...ONE_D, ...N_D, ...R2R, ...R2R_N]

const real = (): NDArray => ({ data: Float64Array.from({ length: 12 }, (_, i) => Math.sin(i)), shape: [3, 4], dtype: 'float64' })
const cplx = (): NDArray => ({ data: Float64Array.from({ length: 24 }, (_, i) => Math.cos(i)), shape: [3, 4], dtype: 'complex128' })
/** An input each function accepts: real for rfft/ihfft and their n-D forms, complex for the rest. */
const input = (fn: string): NDArray => (/^(rfft|ihfft)/.test(fn) || /^i?d[cs]t/.test(fn) ? real() : cplx())

test('an unknown option is a TypeError naming it and the nearest valid key, for every transform', (t) => {
  for (const fn of ALL) {
    t.throws(() => fns[fn](input(fn), { nrom: 'ortho' }), {
      instanceOf: TypeError,
      code: 'ERR_UNKNOWN_OPTION',
      message: `Unknown option 'nrom' for ${fn}; did you mean 'norm'?`,
    })
    t.throws(() => fns[fn](input(fn), { overwrite_x: true }), {
      instanceOf: TypeError,
      code: 'ERR_UNKNOWN_OPTION',
      message: `Unknown option 'overwrite_x' for ${fn}; did you mean 'overwriteX'?`,
    })
    // SciPy's `plan` is not an option here either.
    t.throws(() => fns[fn](input(fn), { plan: null }), { instanceOf: TypeError, code: 'ERR_UNKNOWN_OPTION', message: new RegExp(`^Unknown option 'plan' for ${fn}`) })
  }
  // A 1-D function's key on an n-D function (and back) is unknown there.
  t.throws(() => F.fftn(cplx(), { axis: 0 } as object), { code: 'ERR_UNKNOWN_OPTION', message: "Unknown option 'axis' for fftn; did you mean 'axes'?" })
  t.throws(() => F.fft(cplx(), { axes: [0] } as object), { code: 'ERR_UNKNOWN_OPTION', message: "Unknown option 'axes' for fft; did you mean 'axis'?" })
  t.throws(() => F.fft(cplx(), { s: [2] } as object), { code: 'ERR_UNKNOWN_OPTION', message: /^Unknown option 's' for fft/ })
  t.throws(() => F.fftn(cplx(), { n: 2 } as object), { code: 'ERR_UNKNOWN_OPTION', message: /^Unknown option 'n' for fftn/ })
  // type and orthogonalize belong to the DCT/DST only; signal to the Promise forms only.
  t.throws(() => F.fft(cplx(), { type: 2 } as object), { code: 'ERR_UNKNOWN_OPTION', message: /^Unknown option 'type' for fft/ })
  t.throws(() => F.dct(real(), { orthogonalise: true } as object), { code: 'ERR_UNKNOWN_OPTION', message: "Unknown option 'orthogonalise' for dct; did you mean 'orthogonalize'?" })
  t.throws(() => F.fft(cplx(), { signal: new AbortController().signal } as object), { code: 'ERR_UNKNOWN_OPTION', message: /^Unknown option 'signal' for fft/ })
  // Nothing close: the valid keys are listed.
  t.throws(() => F.fft(cplx(), { zzzzzzzz: 1 } as object), {
    code: 'ERR_UNKNOWN_OPTION',
    message: "Unknown option 'zzzzzzzz' for fft; expected one of 'n', 'axis', 'norm', 'workers', 'overwriteX'",
  })
})

test('the Promise forms refuse unknown options too, and know signal', async (t) => {
  for (const fn of ALL) {
    const f = (F as unknown as Record<string, AsyncFn>)[`${fn}Async`]
    await t.throwsAsync(() => f(input(fn), { nrom: 'ortho' }), {
      instanceOf: TypeError,
      code: 'ERR_UNKNOWN_OPTION',
      message: `Unknown option 'nrom' for ${fn}Async; did you mean 'norm'?`,
    })
    await t.throwsAsync(() => f(input(fn), { sigal: null }), { code: 'ERR_UNKNOWN_OPTION', message: `Unknown option 'sigal' for ${fn}Async; did you mean 'signal'?` })
    t.deepEqual((await f(input(fn), { signal: new AbortController().signal })).shape, fns[fn](input(fn)).shape)
  }
  await t.throwsAsync(() => F.fftAsync(cplx(), { signal: 'stop' as unknown as AbortSignal }), {
    instanceOf: TypeError,
    code: 'ERR_INVALID_ARG_TYPE',
    message: "signal must be an AbortSignal; got 'stop'",
  })
})

test('null means the default for every option, as SciPy’s None', async (t) => {
  for (const fn of ALL) {
    const nulls = Object.fromEntries(
      [...(/[2n]$/.test(fn) ? ['s', 'axes'] : ['n', 'axis']), 'norm', 'workers', 'overwriteX', ...(/d[cs]t/.test(fn) ? ['type', 'orthogonalize'] : [])].map((k) => [k, null]),
    )
    const x = input(fn)
    const want = fns[fn](x)
    t.deepEqual(fns[fn](x, nulls), want, fn)
    const f = (F as unknown as Record<string, AsyncFn>)[`${fn}Async`]
    t.deepEqual(await f(x, { ...nulls, signal: null }), want, `${fn}Async`)
  }
  t.deepEqual(F.fftfreq(4, null as unknown as number), F.fftfreq(4))
  t.deepEqual(F.fftshift(real(), null as unknown as number), F.fftshift(real()))
  t.is(F.nextFastLen(11, null as unknown as boolean), 11)
  t.is(F.effectiveWorkers([4, 4], { axes: null as unknown as number[], workers: null as unknown as number }), 1)
})

test('options must be an object', (t) => {
  for (const bad of [5, 'ortho', [1], true, new Float64Array(2)]) {
    t.throws(() => F.fft(cplx(), bad as never), { instanceOf: TypeError, code: 'ERR_INVALID_ARG_TYPE', message: /^options must be an object; got / })
  }
})

test('integers are integers: n, axis, s, axes and type', (t) => {
  const x = cplx()
  t.throws(() => F.fft(x, { n: 2.5 }), { instanceOf: RangeError, code: 'ERR_OUT_OF_RANGE', message: 'n must be an integer; got 2.5' })
  t.throws(() => F.fft(x, { n: '4' as never }), { instanceOf: TypeError, code: 'ERR_INVALID_ARG_TYPE', message: "n must be an integer; got '4'" })
  t.throws(() => F.fft(x, { n: NaN }), { instanceOf: RangeError, code: 'ERR_OUT_OF_RANGE', message: 'n must be an integer; got NaN' })
  t.throws(() => F.fft(x, { n: Infinity }), { instanceOf: RangeError, code: 'ERR_OUT_OF_RANGE', message: 'n must be an integer; got Infinity' })
  t.throws(() => F.fft(x, { n: 4n as never }), { instanceOf: TypeError, code: 'ERR_INVALID_ARG_TYPE', message: 'n must be an integer; got 4' })
  t.throws(() => F.fft(x, { n: [4] as never }), { instanceOf: TypeError, code: 'ERR_INVALID_ARG_TYPE', message: 'n must be an integer; got an Array of length 1' })
  t.throws(() => F.fft(x, { n: 2 ** 40 }), { instanceOf: RangeError, code: 'ERR_OUT_OF_RANGE', message: `n must be below 2**32; got ${2 ** 40}` })
  // SciPy: ValueError "invalid number of data points (0) specified" (test_basic.py test_fft_n).
  t.throws(() => F.fft(x, { n: 0 }), { instanceOf: RangeError, code: 'ERR_OUT_OF_RANGE', message: 'n must be at least 1; got 0 (invalid number of data points (0) specified)' })
  t.throws(() => F.fft([[1, 1], [2, 2]], { n: -5 }), { instanceOf: RangeError, code: 'ERR_OUT_OF_RANGE', message: /invalid number of data points \(-5\) specified/ })
  t.throws(() => F.fft(x, { axis: 0.5 }), { instanceOf: RangeError, code: 'ERR_OUT_OF_RANGE', message: 'axis must be an integer; got 0.5' })
  t.throws(() => F.fft(x, { axis: '0' as never }), { instanceOf: TypeError, code: 'ERR_INVALID_ARG_TYPE', message: "axis must be an integer; got '0'" })
  t.throws(() => F.fft(x, { axis: 2 }), { instanceOf: RangeError, code: 'ERR_OUT_OF_RANGE', message: 'axis 2 is out of bounds for array of dimension 2' })
  t.throws(() => F.fftn(x, { s: [2.5, 3] }), { instanceOf: RangeError, code: 'ERR_OUT_OF_RANGE', message: 's must be an integer or an array of integers; got 2.5' })
  t.throws(() => F.fftn(x, { s: ['2', 3] as never }), { instanceOf: TypeError, code: 'ERR_INVALID_ARG_TYPE', message: "s must be an integer or an array of integers; got '2'" })
  t.throws(() => F.fftn(x, { s: [[1, 2]] as never }), { instanceOf: TypeError, code: 'ERR_INVALID_ARG_TYPE', message: 's must be an integer or an array of integers; got an Array of length 2' })
  t.throws(() => F.fftn(x, { s: '4' as never }), { instanceOf: TypeError, code: 'ERR_INVALID_ARG_TYPE', message: "s must be an integer or an array of integers; got '4'" })
  t.throws(() => F.fftn(x, { axes: [1.5] }), { instanceOf: RangeError, code: 'ERR_OUT_OF_RANGE', message: 'axes must be an integer or an array of integers; got 1.5' })
  t.throws(() => F.fftn(x, { axes: { 0: 1 } as never }), { instanceOf: TypeError, code: 'ERR_INVALID_ARG_TYPE', message: 'axes must be an integer or an array of integers; got an object (Object)' })
  t.throws(() => F.dct(real(), { type: 2.5 as 2 }), { instanceOf: RangeError, code: 'ERR_INVALID_ARG_VALUE', message: 'type must be 1, 2, 3 or 4; got 2.5' })
  t.throws(() => F.dct(real(), { type: '2' as never }), { instanceOf: TypeError, code: 'ERR_INVALID_ARG_TYPE', message: "type must be 1, 2, 3 or 4; got '2'" })
  t.throws(() => F.dct(real(), { type: 0 as 2 }), { instanceOf: RangeError, code: 'ERR_INVALID_ARG_VALUE', message: 'type must be 1, 2, 3 or 4; got 0' })
})

test('norm, overwriteX, orthogonalize and workers: SciPy’s values only', (t) => {
  const x = cplx()
  // SciPy's message word for word (_pocketfft/tests/test_basic.py test_invalid_norm).
  t.throws(() => F.fft(x, { norm: 'o' as F.Norm }), {
    instanceOf: RangeError,
    code: 'ERR_INVALID_ARG_VALUE',
    message: `Invalid norm value 'o', should be "backward", "ortho" or "forward"`,
  })
  t.throws(() => F.fft(x, { norm: 1 as never }), { instanceOf: TypeError, code: 'ERR_INVALID_ARG_TYPE', message: "norm must be 'backward', 'ortho' or 'forward'; got 1" })
  t.throws(() => F.fft(x, { overwriteX: 1 as never }), { instanceOf: TypeError, code: 'ERR_INVALID_ARG_TYPE', message: 'overwriteX must be a boolean; got 1' })
  t.throws(() => F.dct(real(), { orthogonalize: 'yes' as never }), { instanceOf: TypeError, code: 'ERR_INVALID_ARG_TYPE', message: "orthogonalize must be a boolean; got 'yes'" })
  t.throws(() => F.fft(x, { workers: 0 }), { instanceOf: RangeError, code: 'ERR_OUT_OF_RANGE', message: /^workers must be a non-zero integer/ })
  t.throws(() => F.fft(x, { workers: 1.5 }), { instanceOf: RangeError, code: 'ERR_OUT_OF_RANGE', message: /^workers must be an integer; got 1\.5/ })
  t.throws(() => F.fft(x, { workers: '2' as never }), { instanceOf: TypeError, code: 'ERR_INVALID_ARG_TYPE', message: /^workers must be an integer; got '2'/ })
  t.throws(() => F.fft(x, { workers: -1e9 }), { instanceOf: RangeError, message: /^workers value out of range/ })
  // A huge count runs on the CPUs there are (not a wrapped 32-bit value).
  t.deepEqual(F.fft(x, { workers: 2 ** 40 }).data, F.fft(x).data)
})

test('the helpers check their arguments and options too', (t) => {
  t.throws(() => F.fftfreq(4, { dd: 1 } as never), { instanceOf: TypeError, code: 'ERR_UNKNOWN_OPTION', message: "Unknown option 'dd' for fftfreq; did you mean 'd'?" })
  t.throws(() => F.rfftfreq(4, { dx: 1 } as never), { code: 'ERR_UNKNOWN_OPTION', message: "Unknown option 'dx' for rfftfreq; did you mean 'd'?" })
  t.throws(() => F.fftfreq(2.5), { instanceOf: RangeError, code: 'ERR_OUT_OF_RANGE', message: 'n must be an integer; got 2.5' })
  t.throws(() => F.fftfreq('4' as never), { instanceOf: TypeError, code: 'ERR_INVALID_ARG_TYPE', message: "n must be an integer; got '4'" })
  t.throws(() => F.fftfreq(4, '1' as never), { instanceOf: TypeError, code: 'ERR_INVALID_ARG_TYPE', message: "d must be a number; got '1'" })
  t.throws(() => F.fftfreq(4, NaN), { instanceOf: RangeError, code: 'ERR_OUT_OF_RANGE', message: 'd must be a finite, non-zero number; got NaN' })
  t.deepEqual(F.fftfreq(4, { d: 0.5 }), F.fftfreq(4, 0.5))
  t.deepEqual(F.rfftfreq(9, { d: Math.PI }), F.rfftfreq(9, Math.PI))
  t.throws(() => F.fftshift(real(), { axis: 0 } as never), { code: 'ERR_UNKNOWN_OPTION', message: "Unknown option 'axis' for fftshift; did you mean 'axes'?" })
  t.throws(() => F.ifftshift(real(), { axes: 2 }), { instanceOf: RangeError, code: 'ERR_OUT_OF_RANGE', message: /^axes 2 is out of bounds for array of dimension 2/ })
  t.throws(() => F.fftshift(real(), '0' as never), { instanceOf: TypeError, code: 'ERR_INVALID_ARG_TYPE', message: "axes must be an integer or an array of integers; got '0'" })
  t.deepEqual(F.fftshift(real(), { axes: 0 }), F.fftshift(real(), 0))
  t.throws(() => F.nextFastLen(5, { reall: true } as never), { code: 'ERR_UNKNOWN_OPTION', message: "Unknown option 'reall' for nextFastLen; did you mean 'real'?" })
  t.throws(() => F.prevFastLen(5, 1 as never), { instanceOf: TypeError, code: 'ERR_INVALID_ARG_TYPE', message: 'real must be a boolean; got 1' })
  t.throws(() => F.effectiveWorkers([4, 4], { axis: 0 } as never), { code: 'ERR_UNKNOWN_OPTION', message: "Unknown option 'axis' for effectiveWorkers; did you mean 'axes'?" })
  t.throws(() => F.effectiveWorkers(['4'] as never), { instanceOf: TypeError, code: 'ERR_INVALID_ARG_TYPE', message: "shape must be an array of non-negative integers; got '4'" })
  t.throws(() => F.effectiveWorkers([-1, 4]), { instanceOf: RangeError, code: 'ERR_OUT_OF_RANGE', message: /^shape must be an array of integers from 0 to 2\*\*32 - 1/ })
  t.throws(() => F.effectiveWorkers([4, 4], { axes: [2] }), { instanceOf: RangeError, code: 'ERR_OUT_OF_RANGE', message: /^axes 2 is out of bounds/ })
})

test('no error from the native conversion reaches a user: a small fuzz over every export', async (t) => {
  // Strings, objects, arrays where scalars go, NaN, infinities, huge, negative and fractional numbers, bigints.
  const values: unknown[] = ['4', {}, [], [2], [2, 'x'], NaN, Infinity, -Infinity, 1e300, 2 ** 53, -1, -5, 0, 2.5, true, 4n, -1n, 2n ** 70n, Symbol('s'), () => 1]
  const leaks: string[] = []
  const check = (what: string, err: unknown): void => {
    const e = err as Error & { code?: unknown }
    if (!(e instanceof TypeError || e instanceof RangeError) || typeof e.code !== 'string' || !e.code.startsWith('ERR_')) {
      leaks.push(`${what}: ${String(e?.constructor?.name)} ${String(e.code)} ${String(e.message)}`)
    }
  }
  const attempt = (what: string, f: () => unknown): void => {
    try {
      f()
    } catch (err) {
      check(what, err)
    }
  }
  for (const fn of ALL) {
    const keys = [...(/[2n]$/.test(fn) ? ['s', 'axes'] : ['n', 'axis']), 'norm', 'workers', 'overwriteX', ...(/d[cs]t/.test(fn) ? ['type', 'orthogonalize'] : [])]
    for (const v of values) {
      attempt(`${fn}(${String(v)})`, () => fns[fn](v))
      attempt(`${fn}(x, ${String(v)})`, () => fns[fn](input(fn), v))
      for (const k of keys) {
        attempt(`${fn}({ ${k}: ${String(v)} })`, () => fns[fn](input(fn), { [k]: v }))
        if (k === 's' || k === 'axes') attempt(`${fn}({ ${k}: [${String(v)}, 1] })`, () => fns[fn](input(fn), { [k]: [v, 1] }))
      }
    }
    const f = (F as unknown as Record<string, AsyncFn>)[`${fn}Async`]
    for (const v of values) await f(input(fn), { n: v, s: undefined, signal: undefined }).catch((err: unknown) => check(`${fn}Async`, err))
  }
  for (const v of values) {
    for (const fn of ['fftfreq', 'rfftfreq'] as const) {
      attempt(`${fn}(${String(v)})`, () => F[fn](v as number))
      attempt(`${fn}(4, ${String(v)})`, () => F[fn](4, v as number))
    }
    for (const fn of ['fftshift', 'ifftshift'] as const) {
      attempt(`${fn}(x, ${String(v)})`, () => F[fn](real(), v as number))
      attempt(`${fn}(${String(v)})`, () => F[fn](v as number[]))
    }
    for (const fn of ['nextFastLen', 'prevFastLen'] as const) {
      attempt(`${fn}(${String(v)})`, () => F[fn](v as number))
      attempt(`${fn}(5, ${String(v)})`, () => F[fn](5, v as boolean))
    }
    attempt(`effectiveWorkers(${String(v)})`, () => F.effectiveWorkers(v as number[]))
    attempt(`effectiveWorkers([${String(v)}, 4])`, () => F.effectiveWorkers([v as number, 4]))
    attempt(`effectiveWorkers(axes ${String(v)})`, () => F.effectiveWorkers([4, 4], { axes: v as number }))
    attempt(`effectiveWorkers(workers ${String(v)})`, () => F.effectiveWorkers([4, 4], { workers: v as number }))
  }
  t.deepEqual(leaks, [])
})
