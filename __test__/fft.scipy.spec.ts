// SciPy's own fft tests, translated: scipy/fft/tests/test_helper.py
// (next_fast_len, prev_fast_len, _init_nd_shape_and_axes through the public
// transforms, fftshift, fftfreq) and the argument rules of
// scipy/fft/_pocketfft/tests/test_basic.py and test_real_transforms.py: 0-d
// input, `axes: []`, one integer for `s` or `axes`, and an `s` entry of -1.
import test from 'ava'

import type { NDArray } from 'musique'
import * as F from 'musique/fft'

import { assertAllclose } from './helpers/allclose'

const TOL = { rtol: 1e-10, atol: 1e-10 }

function zeros(shape: number[], dtype: NDArray['dtype'] = 'float64'): NDArray {
  const n = shape.reduce((p, s) => p * s, 1) * (dtype.startsWith('complex') ? 2 : 1)
  const data = dtype === 'float32' || dtype === 'complex64' ? new Float32Array(n) : new Float64Array(n)
  return { data, shape, dtype } as NDArray
}

function random(shape: number[], dtype: NDArray['dtype'] = 'float64', seed = 1): NDArray {
  const a = zeros(shape, dtype)
  let s = seed
  for (let i = 0; i < a.data.length; i++) {
    s = (s * 1103515245 + 12345) % 2 ** 31
    a.data[i] = s / 2 ** 31 - 0.5
  }
  return a
}

// ---------------------------------------------------------------- test_helper.py: fast lengths

const FIVE_SMOOTH = [2, 3, 4, 5, 6, 8, 9, 10, 2 * 3 * 5, 2 ** 3 * 3 ** 5, 2 ** 3 * 3 ** 3 * 5 ** 2]

function isSmooth(x: bigint, n: number): boolean {
  for (const p of [2n, 3n, 5n, 7n, 11n].filter((p) => p <= BigInt(n))) while (x % p === 0n) x /= p
  return x === 1n
}

test('test_next_fast_len: 5-smooth numbers are their own next fast length', (t) => {
  for (const n of FIVE_SMOOTH) t.is(F.nextFastLen(n), n)
})

test('TestNextFastLen / TestPrevFastLen: 11-smooth (complex) and 5-smooth (real) from 1 to 999 and 2**5 3**5 4**5 + 1', (t) => {
  const nums = [...Array.from({ length: 999 }, (_, i) => i + 1), 2 ** 5 * 3 ** 5 * 4 ** 5 + 1]
  for (const n of nums) {
    for (const f of [F.nextFastLen, F.prevFastLen]) {
      const m = f(n)
      t.true(isSmooth(BigInt(m), 11), `${f.name}(${n}) = ${m} is 11-smooth`)
      t.is(f(n, false), m)
      t.true(isSmooth(BigInt(f(n, true)), 5), `${f.name}(${n}, true) is 5-smooth`)
    }
    t.true(F.nextFastLen(n) >= n && F.prevFastLen(n) <= n)
  }
})

test('test_np_integers: a bigint target gives the same length as a number, as a bigint', (t) => {
  t.is(F.nextFastLen(12345n), BigInt(F.nextFastLen(12345)))
  t.is(F.prevFastLen(12345n), BigInt(F.prevFastLen(12345)))
  t.is(F.prevFastLen(12345n, true), BigInt(F.prevFastLen(12345, true)))
  t.is(typeof F.nextFastLen(12345n), 'bigint')
  t.is(typeof F.nextFastLen(12345), 'number')
})

test('testnext_fast_len_small / testprev_fast_len_small', (t) => {
  const next: [number, number][] = [[1, 1], [2, 2], [3, 3], [4, 4], [5, 5], [6, 6], [7, 8], [8, 8], [14, 15], [15, 15], [16, 16], [17, 18], [1021, 1024], [1536, 1536], [51200000, 51200000]]
  for (const [x, y] of next) t.is(F.nextFastLen(x, true), y, `nextFastLen(${x}, true)`)
  const prevReal: [number, number][] = [[1, 1], [2, 2], [3, 3], [4, 4], [5, 5], [6, 6], [7, 6], [8, 8], [14, 12], [15, 15], [16, 16], [17, 16], [1021, 1000], [1536, 1536], [51200000, 51200000]]
  for (const [x, y] of prevReal) t.is(F.prevFastLen(x, true), y, `prevFastLen(${x}, true)`)
  const prev: [number, number][] = [
    [1, 1], [2, 2], [3, 3], [4, 4], [5, 5], [6, 6], [7, 7], [8, 8], [9, 9], [10, 10], [11, 11], [12, 12], [13, 12], [14, 14], [15, 15],
    [16, 16], [17, 16], [18, 18], [19, 18], [20, 20], [21, 21], [22, 22], [120, 120], [121, 121], [122, 121], [1021, 1008], [1536, 1536], [51200000, 51200000],
  ]
  for (const [x, y] of prev) t.is(F.prevFastLen(x, false), y, `prevFastLen(${x}, false)`)
})

// test_helper.py's testnext_fast_len_big, as bigints (beyond 2**53 a number cannot hold them).
const NEXT_BIG: [bigint, bigint][] = [
  [510183360n, 510183360n], [510183360n + 1n, 512000000n], [511000000n, 512000000n],
  [854296875n, 854296875n], [854296875n + 1n, 859963392n],
  [196608000000n, 196608000000n], [196608000000n + 1n, 196830000000n],
  [8789062500000n, 8789062500000n], [8789062500000n + 1n, 8796093022208n],
  [206391214080000n, 206391214080000n], [206391214080000n + 1n, 206624260800000n],
  [470184984576000n, 470184984576000n], [470184984576000n + 1n, 470715894135000n],
  [7222041363087360n, 7222041363087360n], [7222041363087360n + 1n, 7230196133913600n],
  [11920928955078125n, 11920928955078125n], [11920928955078125n - 1n, 11920928955078125n], // 5**23
  [16677181699666569n, 16677181699666569n], [16677181699666569n - 1n, 16677181699666569n], // 3**34
  [18014398509481984n, 18014398509481984n], [18014398509481984n - 1n, 18014398509481984n], // 2**54
  [19200000000000000n, 19200000000000000n], [19200000000000000n + 1n, 19221679687500000n],
  [288230376151711744n, 288230376151711744n], [288230376151711744n + 1n, 288325195312500000n],
  [288325195312500000n - 1n, 288325195312500000n], [288325195312500000n, 288325195312500000n],
  [288325195312500000n + 1n, 288555831593533440n],
]

// test_helper.py's testprev_fast_len_big.
const PREV_BIG: [bigint, bigint][] = [
  [510183360n, 510183360n], [510183360n + 1n, 510183360n], [510183360n - 1n, 509607936n],
  [511000000n, 510183360n], [511000000n + 1n, 510183360n], [511000000n - 1n, 510183360n],
  [854296875n, 854296875n], [854296875n + 1n, 854296875n], [854296875n - 1n, 850305600n],
  [196608000000n, 196608000000n], [196608000000n + 1n, 196608000000n], [196608000000n - 1n, 195910410240n],
  [8789062500000n, 8789062500000n], [8789062500000n + 1n, 8789062500000n], [8789062500000n - 1n, 8748000000000n],
  [206391214080000n, 206391214080000n], [206391214080000n + 1n, 206391214080000n], [206391214080000n - 1n, 206158430208000n],
  [470184984576000n, 470184984576000n], [470184984576000n + 1n, 470184984576000n], [470184984576000n - 1n, 469654673817600n],
  [7222041363087360n, 7222041363087360n], [7222041363087360n + 1n, 7222041363087360n], [7222041363087360n - 1n, 7213895789838336n],
  [11920928955078125n, 11920928955078125n], [11920928955078125n + 1n, 11920928955078125n], [11920928955078125n - 1n, 11901557422080000n],
  [16677181699666569n, 16677181699666569n], [16677181699666569n + 1n, 16677181699666569n], [16677181699666569n - 1n, 16607531250000000n],
  [18014398509481984n, 18014398509481984n], [18014398509481984n + 1n, 18014398509481984n], [18014398509481984n - 1n, 18000000000000000n],
  [19200000000000000n, 19200000000000000n], [19200000000000000n + 1n, 19200000000000000n], [19200000000000000n - 1n, 19131876000000000n],
  [288230376151711744n, 288230376151711744n], [288230376151711744n + 1n, 288230376151711744n], [288230376151711744n - 1n, 288000000000000000n],
  [288325195312500000n, 288325195312500000n], [288325195312500000n + 1n, 288325195312500000n], [288325195312500000n - 1n, 288230376151711744n],
]

test('testnext_fast_len_big / testprev_fast_len_big: bigints up to 2**58, numbers up to 2**53', (t) => {
  for (const [x, y] of NEXT_BIG) {
    t.is(F.nextFastLen(x, true), y, `nextFastLen(${x}n, true)`)
    // The same target as a number, where a number holds it exactly.
    if (x <= BigInt(Number.MAX_SAFE_INTEGER)) t.is(F.nextFastLen(Number(x), true), Number(y), `nextFastLen(${x}, true)`)
  }
  for (const [x, y] of PREV_BIG) {
    t.is(F.prevFastLen(x, true), y, `prevFastLen(${x}n, true)`)
    if (x <= BigInt(Number.MAX_SAFE_INTEGER)) t.is(F.prevFastLen(Number(x), true), Number(y), `prevFastLen(${x}, true)`)
  }
  // The largest number target: its next fast length is 2**53, exact.
  t.is(F.nextFastLen(2 ** 53 - 1, true), 2 ** 53)
  t.is(F.nextFastLen(2 ** 53 - 1), 2 ** 53)
  t.is(F.prevFastLen(2 ** 53 - 1, true), 9000000000000000) // 2**15 3**2 5**15, SciPy's value
})

test('test_keyword_args: real as a boolean or { real }', (t) => {
  t.is(F.nextFastLen(11, { real: true }), 12)
  t.is(F.nextFastLen(7, { real: false }), 7)
  t.is(F.prevFastLen(11, { real: true }), 10)
  t.is(F.prevFastLen(7, { real: false }), 7)
  t.is(F.nextFastLen(11, true), 12)
})

test('fast lengths: 0 gives 0; negative, fractional, unsafe and too large targets are refused with SciPy’s words', (t) => {
  t.is(F.nextFastLen(0), 0)
  t.is(F.prevFastLen(0, true), 0)
  t.is(F.nextFastLen(0n), 0n)
  for (const f of [F.nextFastLen, F.prevFastLen]) {
    t.throws(() => f(-1), { instanceOf: RangeError, code: 'ERR_OUT_OF_RANGE', message: 'target must be a non-negative integer; got -1 (Target length must be positive)' })
    t.throws(() => f(-1n), { instanceOf: RangeError, code: 'ERR_OUT_OF_RANGE', message: /\(Target length must be positive\)$/ })
    t.throws(() => f(2.5), { instanceOf: RangeError, code: 'ERR_OUT_OF_RANGE', message: 'target must be an integer (a bigint above 2**53); got 2.5' })
    t.throws(() => f('4' as never), { instanceOf: TypeError, code: 'ERR_INVALID_ARG_TYPE', message: "target must be an integer (a bigint above 2**53); got '4'" })
    t.throws(() => f(null as never), { instanceOf: TypeError, code: 'ERR_INVALID_ARG_TYPE' })
    t.throws(() => f(2 ** 53), { instanceOf: RangeError, code: 'ERR_OUT_OF_RANGE', message: /^target must be a safe integer \(at most 2\*\*53 - 1; pass a bigint for larger targets\)/ })
    // SciPy's bound: 1676976733973595602 is the largest target it takes.
    t.is(typeof f(1676976733973595602n), 'bigint')
    t.throws(() => f(1676976733973595603n), {
      instanceOf: RangeError,
      code: 'ERR_OUT_OF_RANGE',
      message: 'target must be at most 1676976733973595602; got 1676976733973595603 (Target length is too large to perform an FFT: 1676976733973595603)',
    })
    t.throws(() => f(2n ** 64n), { instanceOf: RangeError, message: /Target length is too large to perform an FFT/ })
    t.throws(() => f(2n ** 200n), { instanceOf: RangeError, message: /Target length is too large to perform an FFT/ })
  }
  // SciPy's answers at its bound.
  t.is(F.nextFastLen(1676976733973595602n), 1676991887214336000n)
  t.is(F.nextFastLen(1676976733973595602n, true), 1677721600000000000n)
  t.is(F.prevFastLen(1676976733973595602n), 1676906920944640000n)
  t.is(F.prevFastLen(1676976733973595602n, true), 1673656512480000000n)
})

// ---------------------------------------------------------------- test_helper.py: _init_nd_shape_and_axes

test('Test_init_nd_shape_and_axes: defaults, s with -1, axes, and their subsets (through fftn)', (t) => {
  t.deepEqual(F.fftn(zeros([3])).shape, [3])
  t.deepEqual(F.fftn(zeros([2, 4])).shape, [2, 4])
  t.deepEqual(F.fftn(zeros([6, 2, 5, 3, 4])).shape, [6, 2, 5, 3, 4])
  // test_xp_5d_set_shape
  t.deepEqual(F.fftn(zeros([6, 2, 5, 3, 4]), { s: [10, -1, -1, 1, 4] }).shape, [10, 2, 5, 1, 4])
  // test_xp_5d_set_axes: only the listed axes change (here: none, no s)
  t.deepEqual(F.fftn(zeros([6, 2, 5, 3, 4]), { axes: [4, 1, 2] }).shape, [6, 2, 5, 3, 4])
  // test_xp_5d_set_shape_axes: shape (10, 6, 2) along axes [1, 0, 3]
  t.deepEqual(F.fftn(zeros([6, 2, 5, 3, 4]), { s: [10, -1, 2], axes: [1, 0, 3] }).shape, [6, 10, 5, 2, 4])
  // test_shape_axes_subset: s of length 3 on a 4-D array takes the last 3 axes
  t.deepEqual(F.fftn(zeros([2, 3, 4, 5]), { s: [5, 5, 5] }).shape, [2, 5, 5, 5])
})

test('Test_init_nd_shape_and_axes.test_errors, with SciPy’s messages', (t) => {
  const x = zeros([1])
  t.throws(() => F.fftn(x, { axes: [[1, 2], [3, 4]] as never }), { instanceOf: TypeError, code: 'ERR_INVALID_ARG_TYPE', message: /^axes must be an integer or an array of integers/ })
  t.throws(() => F.fftn(x, { axes: [1.5, 2, 3, 4] }), { instanceOf: RangeError, message: /^axes must be an integer or an array of integers/ })
  t.throws(() => F.fftn(x, { axes: [1] }), { instanceOf: RangeError, code: 'ERR_OUT_OF_RANGE', message: 'axes 1 is out of bounds for array of dimension 1 (axes exceeds dimensionality of input)' })
  t.throws(() => F.fftn(x, { axes: [-2] }), { instanceOf: RangeError, message: /axes exceeds dimensionality of input/ })
  t.throws(() => F.fftn(x, { axes: [0, 0] }), { instanceOf: RangeError, code: 'ERR_INVALID_ARG_VALUE', message: /all axes must be unique/ })
  t.throws(() => F.fftn(x, { s: [[1, 2], [3, 4]] as never }), { instanceOf: TypeError, message: /^s must be an integer or an array of integers/ })
  t.throws(() => F.fftn(x, { s: [1.5, 2, 3, 4] }), { instanceOf: RangeError, message: /^s must be an integer or an array of integers/ })
  t.throws(() => F.fftn(zeros([1, 1, 1, 1]), { s: [1, 2, 3], axes: [1] }), {
    instanceOf: RangeError,
    code: 'ERR_INVALID_ARG_VALUE',
    message: /when given, axes and shape arguments have to be of the same length/,
  })
  t.throws(() => F.fftn(x, { s: [0] }), { instanceOf: RangeError, code: 'ERR_OUT_OF_RANGE', message: /invalid number of data points \(\[0\]\) specified/ })
  t.throws(() => F.fftn(x, { s: -2 }), { instanceOf: RangeError, message: /invalid number of data points \(\[-2\]\) specified/ })
})

// ---------------------------------------------------------------- test_helper.py: fftshift, fftfreq

test('TestFFTShift: definition, inverse, axes keyword, uneven dims', (t) => {
  const x = [0, 1, 2, 3, 4, -4, -3, -2, -1]
  const y = [-4, -3, -2, -1, 0, 1, 2, 3, 4]
  t.deepEqual(Array.from(F.fftshift(x).data), y)
  t.deepEqual(Array.from(F.ifftshift(y).data), x)
  const x2 = [0, 1, 2, 3, 4, -5, -4, -3, -2, -1]
  const y2 = [-5, -4, -3, -2, -1, 0, 1, 2, 3, 4]
  t.deepEqual(Array.from(F.fftshift(x2).data), y2)
  t.deepEqual(Array.from(F.ifftshift(y2).data), x2)
  for (const n of [1, 4, 9, 100, 211]) {
    const r = random([n])
    t.deepEqual(F.ifftshift(F.fftshift(r)).data, r.data)
  }
  const freqs = [[0, 1, 2], [3, 4, -4], [-3, -2, -1]]
  const shifted = [[-1, -3, -2], [2, 0, 1], [-4, 3, 4]]
  const flat = (a: number[][]): number[] => a.flat()
  t.deepEqual(Array.from(F.fftshift(freqs, [0, 1]).data), flat(shifted))
  t.deepEqual(F.fftshift(freqs, 0).data, F.fftshift(freqs, [0]).data)
  t.deepEqual(F.fftshift(freqs, { axes: 0 }).data, F.fftshift(freqs, [0]).data)
  t.deepEqual(Array.from(F.ifftshift(shifted, [0, 1]).data), flat(freqs))
  t.deepEqual(F.ifftshift(shifted, 0).data, F.ifftshift(shifted, [0]).data)
  t.deepEqual(Array.from(F.fftshift(freqs).data), flat(shifted))
  t.deepEqual(Array.from(F.ifftshift(shifted).data), flat(freqs))
  const uneven = [[0, 1], [2, 3], [4, 5]]
  const dim0 = [[4, 5], [0, 1], [2, 3]]
  const dim1 = [[1, 0], [3, 2], [5, 4]]
  const both = [[5, 4], [1, 0], [3, 2]]
  t.deepEqual(Array.from(F.fftshift(uneven, 0).data), flat(dim0))
  t.deepEqual(Array.from(F.ifftshift(dim0, 0).data), flat(uneven))
  t.deepEqual(Array.from(F.fftshift(uneven, [0]).data), flat(dim0))
  t.deepEqual(Array.from(F.fftshift(uneven, 1).data), flat(dim1))
  t.deepEqual(Array.from(F.ifftshift(dim1, 1).data), flat(uneven))
  t.deepEqual(Array.from(F.fftshift(uneven, [0, 1]).data), flat(both))
  t.deepEqual(Array.from(F.ifftshift(both, [0, 1]).data), flat(uneven))
  t.deepEqual(Array.from(F.fftshift(uneven, undefined).data), flat(both))
  t.deepEqual(Array.from(F.fftshift(uneven, { axes: undefined }).data), flat(both))
  t.deepEqual(Array.from(F.ifftshift(both).data), flat(uneven))
})

test('TestFFTFreq / TestRFFTFreq: definition, d positional or { d }', (t) => {
  const scaled = (a: NDArray, k: number): number[] => Array.from(a.data, (v) => v * k)
  assertAllclose(t, scaled(F.fftfreq(9), 9), [0, 1, 2, 3, 4, -4, -3, -2, -1], TOL)
  assertAllclose(t, scaled(F.fftfreq(9, Math.PI), 9 * Math.PI), [0, 1, 2, 3, 4, -4, -3, -2, -1], TOL)
  assertAllclose(t, scaled(F.fftfreq(10), 10), [0, 1, 2, 3, 4, -5, -4, -3, -2, -1], TOL)
  assertAllclose(t, scaled(F.fftfreq(10, { d: Math.PI }), 10 * Math.PI), [0, 1, 2, 3, 4, -5, -4, -3, -2, -1], TOL)
  assertAllclose(t, scaled(F.rfftfreq(9), 9), [0, 1, 2, 3, 4], TOL)
  assertAllclose(t, scaled(F.rfftfreq(9, Math.PI), 9 * Math.PI), [0, 1, 2, 3, 4], TOL)
  assertAllclose(t, scaled(F.rfftfreq(10), 10), [0, 1, 2, 3, 4, 5], TOL)
  assertAllclose(t, scaled(F.rfftfreq(10, { d: Math.PI }), 10 * Math.PI), [0, 1, 2, 3, 4, 5], TOL)
})

// ---------------------------------------------------------------- 0-d input, axes: [] (SciPy returns x itself)

const C2C_ND = ['fftn', 'ifftn']
const R2R_ND = ['dctn', 'idctn', 'dstn', 'idstn']
const REAL_ND = ['rfftn', 'irfftn', 'hfftn', 'ihfftn']
const TWO_D = ['fft2', 'ifft2', 'rfft2', 'irfft2', 'hfft2', 'ihfft2']
type Fn = (x: unknown, options?: object) => NDArray
const fns = F as unknown as Record<string, Fn>

test('0-d input: fftn, ifftn and the n-D DCT/DST return it unchanged, in its dtype', (t) => {
  for (const dtype of ['float64', 'float32', 'complex128', 'complex64'] as const) {
    const x = zeros([], dtype)
    x.data[0] = 3
    if (dtype.startsWith('complex')) x.data[1] = 1
    for (const fn of [...C2C_ND, ...R2R_ND]) {
      for (const options of [undefined, { axes: [] }, { s: [] }, { norm: 'ortho' as const, workers: 2 }]) {
        const y = fns[fn](x, options)
        t.is(y.dtype, dtype, `${fn}(0-d ${dtype})`)
        t.deepEqual(y.shape, [])
        t.deepEqual(Array.from(y.data), Array.from(x.data))
      }
    }
  }
})

test('0-d input: the real n-D transforms need an axis, the 2-D ones two, the 1-D ones one (SciPy raises)', (t) => {
  const x: NDArray = { data: new Float64Array([3]), shape: [], dtype: 'float64' }
  for (const fn of REAL_ND) {
    t.throws(() => fns[fn](x), {
      instanceOf: RangeError,
      code: 'ERR_INVALID_ARG_VALUE',
      message: `${fn} must transform at least one axis; got a 0-d array (at least 1 axis must be transformed)`,
    })
  }
  for (const fn of TWO_D) {
    t.throws(() => fns[fn](x), { instanceOf: RangeError, code: 'ERR_OUT_OF_RANGE', message: 'axes -2 is out of bounds for array of dimension 0 (axes exceeds dimensionality of input)' })
  }
  for (const fn of ['fft', 'ifft', 'rfft', 'irfft', 'hfft', 'ihfft', 'dct', 'idct', 'dst', 'idst']) {
    t.throws(() => fns[fn](x), { instanceOf: RangeError, code: 'ERR_OUT_OF_RANGE', message: 'axis -1 is out of bounds for array of dimension 0' })
  }
  // s or axes that a 0-d array does not have.
  t.throws(() => F.fftn(x, { s: [2] }), { instanceOf: RangeError, message: /shape requires more axes than are present/ })
  t.throws(() => F.fftn(x, { axes: [0] }), { instanceOf: RangeError, message: /axes exceeds dimensionality of input/ })
})

test('test_no_axes: axes [] returns the input unchanged (fftn, ifftn, fft2, ifft2, dctn…), its own data as in SciPy', (t) => {
  const x = random([2, 2, 2])
  for (const fn of [...C2C_ND, 'fft2', 'ifft2', ...R2R_ND]) {
    const y = fns[fn](x, { axes: [] })
    t.is(y.data, x.data, fn)
    t.is(y.dtype, 'float64')
    t.deepEqual(y.shape, [2, 2, 2])
    // s: [] alone means no axes too.
    if (!fn.endsWith('2')) t.is(fns[fn](x, { s: [] }).data, x.data)
  }
  const z = random([2, 3], 'complex64')
  t.is(F.fftn(z, { axes: [], s: [] }).data, z.data)
  t.is(F.dctn(z, { axes: [] }).dtype, 'complex64')
  // Options are still checked.
  t.throws(() => F.fftn(x, { axes: [], nrom: 'ortho' } as object), { code: 'ERR_UNKNOWN_OPTION' })
  t.throws(() => F.fftn(x, { axes: [], workers: 0 }), { instanceOf: RangeError })
})

test('test_no_axes: a Promise form returns a copy of the unchanged input (it owns its input)', async (t) => {
  const x = random([2, 3])
  const y = await F.fftnAsync(x, { axes: [] })
  t.not(y.data, x.data)
  t.deepEqual(y, { ...x })
  t.deepEqual((await F.dctnAsync({ data: new Float64Array([5]), shape: [], dtype: 'float64' })).data, new Float64Array([5]))
})

test('test_no_axes (rfftn, irfftn) and their relatives: at least 1 axis must be transformed', (t) => {
  for (const fn of [...REAL_ND, 'rfft2', 'irfft2', 'hfft2', 'ihfft2']) {
    const x = fn.startsWith('i') && fn !== 'ihfftn' && fn !== 'ihfft2' ? random([3, 4], 'complex128') : random([3, 4])
    t.throws(() => fns[fn](x, { axes: [] }), {
      instanceOf: RangeError,
      code: 'ERR_INVALID_ARG_VALUE',
      message: `${fn} must transform at least one axis; got axes [] (at least 1 axis must be transformed)`,
    })
  }
  t.throws(() => F.rfftn([], { axes: [] }), { message: /at least 1 axis must be transformed/ })
  t.throws(() => F.irfftn([], { axes: [] }), { message: /at least 1 axis must be transformed/ })
})

// ---------------------------------------------------------------- _pocketfft/tests: sizes and shapes

test('test_invalid_sizes: SciPy’s list of lengths in the message (fftn, ifftn, rfftn, irfftn)', (t) => {
  for (const fn of ['fftn', 'ifftn', 'rfftn', 'irfftn']) {
    t.throws(() => fns[fn]([[]]), { instanceOf: RangeError, code: 'ERR_OUT_OF_RANGE', message: /invalid number of data points \(\[1, 0\]\) specified/ }, fn)
    t.throws(() => fns[fn]([[1, 1], [2, 2]], { s: [4, -3] }), { instanceOf: RangeError, message: /invalid number of data points \(\[4, -3\]\) specified/ }, fn)
  }
  for (const fn of ['fft', 'ifft', 'rfft', 'irfft']) {
    t.throws(() => fns[fn]([]), { instanceOf: RangeError, message: /invalid number of data points/ }, fn)
    t.throws(() => fns[fn]([[1, 1], [2, 2]], { n: -5 }), { instanceOf: RangeError, message: /invalid number of data points \(-5\)/ }, fn)
  }
  // irfft of one point: 2 (m - 1) = 0.
  t.throws(() => F.irfft([1]), { instanceOf: RangeError, message: /invalid number of data points \(0\) specified/ })
})

test('test_shape_argument_more: s longer than the array', (t) => {
  t.throws(() => F.fftn(zeros([4, 4, 2]), { s: [8, 8, 2, 1] }), {
    instanceOf: RangeError,
    code: 'ERR_OUT_OF_RANGE',
    message: 's must have at most 3 entries (the array\'s dimensions); got [8, 8, 2, 1] (shape requires more axes than are present)',
  })
})

test('test_complex_input: rfftn of complex input, x must be a real sequence', (t) => {
  t.throws(() => F.rfftn(zeros([10], 'complex64')), { instanceOf: TypeError, code: 'ERR_INVALID_ARG_TYPE', message: /^x must be a real sequence/ })
  t.throws(() => F.rfft(zeros([10], 'complex128')), { instanceOf: TypeError, message: /^x must be a real sequence/ })
  t.throws(() => F.ihfft2(zeros([2, 2], 'complex128')), { instanceOf: TypeError, message: /^x must be a real sequence/ })
})

// ---------------------------------------------------------------- one integer for s or axes

test('a single integer for s or axes, wherever SciPy takes one', (t) => {
  const x = random([3, 4], 'complex128')
  const r = random([3, 4])
  t.deepEqual(F.fftn(x, { axes: 1 }), F.fftn(x, { axes: [1] }))
  t.deepEqual(F.fftn(x, { s: 5 }), F.fftn(x, { s: [5] }))
  t.deepEqual(F.fftn(x, { s: 5 }).shape, [3, 5])
  t.deepEqual(F.fftn(x, { s: 6, axes: 0 }), F.fftn(x, { s: [6], axes: [0] }))
  t.deepEqual(F.fft2(x, { axes: 0 }), F.fft(x, { axis: 0 }))
  t.deepEqual(F.fft2(x, { s: 5, axes: 1 }).shape, [3, 5])
  t.deepEqual(F.rfftn(r, { s: 6 }), F.rfftn(r, { s: [6] }))
  t.deepEqual(F.irfftn(x, { s: 4 }).shape, [3, 4])
  t.deepEqual(F.dctn(r, { s: 4 }), F.dctn(r, { s: [4] }))
  t.deepEqual(F.dctn(r, { axes: 0 }), F.dct(r, { axis: 0 }))
  t.deepEqual(F.idstn(r, { axes: -1, type: 3 }), F.idst(r, { type: 3 }))
  t.deepEqual(F.effectiveWorkers([4, 4], { axes: 0 }), 1)
})

test('fft2 takes axes [-2, -1] even when s is given, so an s of another length is refused (as SciPy)', (t) => {
  const x = random([3, 4], 'complex128')
  for (const s of [4, [4], [2, 3, 4]]) {
    t.throws(() => F.fft2(x, { s }), {
      instanceOf: RangeError,
      code: 'ERR_INVALID_ARG_VALUE',
      message: /^s must be the same length as axes \(2\) when both are given; got .* \(when given, axes and shape arguments have to be of the same length\)$/,
    })
  }
  t.deepEqual(F.fft2(random([2, 3, 4], 'complex128'), { s: [5, 6] }).shape, [2, 5, 6])
})

test('test_axes_and_shape (test_real_transforms.py): dctn/dstn with s and axes of different lengths', (t) => {
  const data = random([16, 16])
  for (const f of [F.dctn, F.dstn, F.idctn, F.idstn]) {
    t.throws(() => f(data, { s: 16, axes: [0, 1] }), { instanceOf: RangeError, message: /when given, axes and shape arguments have to be of the same length/ })
    t.throws(() => f(data, { s: [16, 16], axes: 0 }), { instanceOf: RangeError, message: /when given, axes and shape arguments have to be of the same length/ })
  }
  for (const f of [F.dctn, F.dstn]) t.deepEqual(f(data, { s: [128, 128] }).shape, [128, 128])
})

// ---------------------------------------------------------------- s = -1 on the last axis of irfftn/hfftn

test('an s entry of -1 keeps the input’s length, on the last axis of irfft2/irfftn/hfft2/hfftn too', (t) => {
  const x = random([4, 5], 'complex128')
  for (const fn of ['irfftn', 'irfft2', 'hfftn', 'hfft2']) {
    t.deepEqual(fns[fn](x).shape, [4, 8], `${fn} default: 2 (m - 1)`)
    t.deepEqual(fns[fn](x, { s: [-1, -1] }).shape, [4, 5], `${fn} s [-1, -1]`)
    t.deepEqual(fns[fn](x, { s: [-1, -1] }), fns[fn](x, { s: [4, 5] }))
    t.deepEqual(fns[fn](x, { s: [3, -1] }), fns[fn](x, { s: [3, 5] }))
    t.deepEqual(fns[fn](x, { s: [-1, 7] }).shape, [4, 7])
    t.deepEqual(fns[fn](x, { s: -1, axes: 1 }).shape, [4, 5])
    t.deepEqual(fns[fn](x, { s: [-1], axes: [0] }).shape, [4, 5])
    t.deepEqual(fns[fn](x, { s: [-1, -1], axes: [1, 0] }).shape, [4, 5])
  }
  t.deepEqual(F.irfftn(x, { s: -1 }).shape, [4, 5])
  t.deepEqual(F.irfftn(random([4, 1], 'complex128'), { s: [-1, -1] }).shape, [4, 1])
  // A round trip of an odd length, as the doc says: irfftn(rfftn(a), { s: [-1, n] }).
  const a = random([3, 7])
  const back = F.irfftn(F.rfftn(a), { s: [-1, 7] })
  assertAllclose(t, back.data, a.data, TOL)
})
