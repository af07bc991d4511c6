// Behaviour of musique/fft beyond the SciPy fixtures: dtypes, shapes, errors,
// async forms, abort, workers and crash safety.
import { availableParallelism } from 'node:os'

import test from 'ava'

import { complex, type NDArray } from 'musique'
import * as F from 'musique/fft'

import { encodeRequest, header } from '../src/internal/request'

// eslint-disable-next-line @typescript-eslint/no-require-imports
const native = require('../binding.js')

function ramp(n: number, single = false): Float64Array | Float32Array {
  const a = single ? new Float32Array(n) : new Float64Array(n)
  for (let i = 0; i < n; i++) a[i] = Math.sin(0.37 * i) + (i % 7) / 7
  return a
}

function complexRamp(n: number, shape = [n]): NDArray {
  return { data: ramp(2 * n), shape, dtype: 'complex128' }
}

test('results are typed arrays with the right dtype and shape', (t) => {
  const y = F.fft([1, 2, 3, 4])
  t.true(y.data instanceof Float64Array)
  t.is(y.dtype, 'complex128')
  t.deepEqual(y.shape, [4])
  const r = F.rfft(ramp(9))
  t.deepEqual(r.shape, [5])
  t.is(r.dtype, 'complex128')
  const ir = F.irfft(r, { n: 9 })
  t.deepEqual(ir.shape, [9])
  t.is(ir.dtype, 'float64')
  t.true(ir.data instanceof Float64Array)
})

test('float32 stays float32', (t) => {
  const x = ramp(16, true)
  t.is(F.fft(x).dtype, 'complex64')
  t.true(F.fft(x).data instanceof Float32Array)
  t.is(F.rfft(x).dtype, 'complex64')
  t.is(F.dct(x).dtype, 'float32')
  t.true(F.dct(x).data instanceof Float32Array)
  t.is(F.irfft(F.rfft(x)).dtype, 'float32')
  t.is(F.ifftn({ data: ramp(32, true), shape: [4, 4], dtype: 'complex64' }).dtype, 'complex64')
})

test('n pads and crops, axis picks the axis, s and axes shape n-D output', (t) => {
  const x = { data: ramp(12), shape: [3, 4], dtype: 'float64' } as NDArray
  t.deepEqual(F.fft(x, { n: 7 }).shape, [3, 7])
  t.deepEqual(F.fft(x, { n: 2, axis: 0 }).shape, [2, 4])
  t.deepEqual(F.fft(x, { axis: -2 }).shape, [3, 4])
  t.deepEqual(F.fftn(x, { s: [5, 6] }).shape, [5, 6])
  t.deepEqual(F.fftn(x, { s: [-1, 6] }).shape, [3, 6])
  t.deepEqual(F.rfftn(x).shape, [3, 3])
  t.deepEqual(F.rfftn(x, { axes: [1, 0] }).shape, [2, 4])
  t.deepEqual(F.irfftn(F.rfftn(x), { s: [3, 4] }).shape, [3, 4])
  t.deepEqual(F.dctn(x, { s: [2, 2] }).shape, [2, 2])
  // Cropping keeps the first n points: fft of the cropped signal.
  const cropped = F.fft(ramp(10), { n: 4 })
  t.deepEqual(Array.from(cropped.data), Array.from(F.fft(ramp(10).slice(0, 4)).data))
})

test('complex helpers round-trip and check their arguments', (t) => {
  const z = complex([1, 2, 3], [4, 5, 6])
  t.deepEqual(Array.from(z.data), [1, 4, 2, 5, 3, 6])
  t.is(complex(new Float32Array([1]), new Float32Array([2])).dtype, 'complex64')
  t.throws(() => complex([1, 2], [1]), { instanceOf: RangeError, message: /im must be of length 2/ })
  t.throws(() => complex(new Float32Array(2), new Float64Array(2)), { instanceOf: TypeError, message: /im must be/ })
})

test('bad input gets TypeError or RangeError naming the argument', (t) => {
  t.throws(() => F.fft(new Float64Array(0)), { instanceOf: RangeError, message: /at least 1 element along axis 0.*invalid number of data points \(0\)/ })
  t.throws(() => F.fft([1, 2], { n: 0 }), { instanceOf: RangeError, message: /^n must be at least 1; got 0/ })
  t.throws(() => F.fft([1, 2], { n: 1.5 }), { instanceOf: RangeError, message: /^n must be an integer/ })
  t.throws(() => F.fft([1, 2], { n: '2' as unknown as number }), { instanceOf: TypeError, message: /^n must be an integer/ })
  t.throws(() => F.fft([1, 2], { axis: 1 }), { instanceOf: RangeError, message: /^axis 1 is out of bounds for array of dimension 1/ })
  t.throws(() => F.fftn([[1, 2]], { axes: [0, 2] }), { instanceOf: RangeError, message: /^axes 2 is out of bounds/ })
  t.throws(() => F.fftn([[1, 2]], { axes: [1, -1] }), { instanceOf: RangeError, message: /^axes must be unique/ })
  t.throws(() => F.fftn([[1, 2]], { s: [2, 2], axes: [0] }), { instanceOf: RangeError, message: /^s must be the same length as axes/ })
  t.throws(() => F.fft({ data: new Float64Array(5), shape: [2, 3], dtype: 'float64' }), {
    instanceOf: RangeError,
    message: /^x\.data must be 6 values for shape \[2, 3\]/,
  })
  t.throws(() => F.fft([1, 2], { norm: 'bogus' as F.Norm }), {
    instanceOf: RangeError,
    message: `Invalid norm value 'bogus', should be "backward", "ortho" or "forward"`,
  })
  t.throws(() => F.dct([1, 2], { type: 5 as 1 }), { instanceOf: RangeError, message: /^type must be 1, 2, 3 or 4; got 5/ })
  t.throws(() => F.dct([1], { type: 1 }), { instanceOf: RangeError, message: /at least 2 elements.*type 1 DCT/ })
  t.throws(() => F.fft({ data: new Float32Array(4), shape: [4], dtype: 'float64' }), {
    instanceOf: TypeError,
    message: /^x\.data must be a Float64Array for dtype 'float64'/,
  })
  t.throws(() => F.fft({ data: new Float64Array(4), shape: [4], dtype: 'int32' as 'float64' }), {
    instanceOf: TypeError,
    message: /^x\.dtype must be/,
  })
  t.throws(() => F.fft('abc' as unknown as number[]), { instanceOf: TypeError, message: /^x must be an NDArray/ })
  t.throws(() => F.rfft(complex([1, 2], [0, 1])), { instanceOf: TypeError, code: 'ERR_INVALID_ARG_TYPE', message: /^x must be a real sequence/ })
  t.throws(() => F.irfft([1]), { instanceOf: RangeError, message: /at least 2 elements along axis 0 to infer/ })
  t.throws(() => F.fft([[1, 2], [3]]), { instanceOf: RangeError, message: /ragged/ })
  t.throws(() => F.fft([1, 2], { workers: 0 }), { instanceOf: RangeError, message: /^workers must be a non-zero integer/ })
})

test('a detached buffer is refused with a TypeError', (t) => {
  const x = new Float64Array(8)
  structuredClone(x.buffer, { transfer: [x.buffer] })
  t.throws(() => F.fft(x), { instanceOf: TypeError, message: /^x must be a typed array whose buffer is not detached/ })
})

test('NaN and Infinity propagate as in SciPy', (t) => {
  // Every output term sums every input, so each complex term has a NaN part
  // (which part depends on the butterflies, as in pocketfft; fixtures pin SciPy's pattern).
  const y = F.fft([1, NaN, 3, 4, 5])
  for (let k = 0; k < 5; k++) t.true(Number.isNaN(y.data[2 * k]) || Number.isNaN(y.data[2 * k + 1]), `term ${k}`)
  const z = F.rfft([Infinity, 0, 0, 0])
  for (let k = 0; k < 3; k++) t.is(z.data[2 * k], Infinity)
})

test('SharedArrayBuffer input is read in place by sync calls', (t) => {
  const shared = new Float64Array(new SharedArrayBuffer(8 * 64))
  shared.set(ramp(64))
  t.deepEqual(Array.from(F.fft(shared).data), Array.from(F.fft(ramp(64)).data))
})

test('a Rust panic becomes a JS error and the process goes on', (t) => {
  t.throws(() => native.__provokePanic(false), { message: /provoked panic/ })
  t.throws(() => native.__provokePanic(true), { message: /provoked panic in a pool thread/ })
  t.is(F.fft([1, 1]).data[0], 2)
})

test('workers > 1 gives the same result as one thread', (t) => {
  const x = complexRamp(64 * 1024, [64, 1024])
  const one = F.fft2(x, { workers: 1 })
  const two = F.fft2(x, { workers: 2 })
  const all = F.fft2(x, { workers: -1 })
  t.deepEqual(two.data, one.data)
  t.deepEqual(all.data, one.data)
  t.deepEqual(F.dctn({ data: ramp(65536), shape: [256, 256], dtype: 'float64' }, { workers: 2 }).data,
    F.dctn({ data: ramp(65536), shape: [256, 256], dtype: 'float64' }).data)
})

test('effectiveWorkers: never more than lines, one below 32768 elements', (t) => {
  t.is(F.effectiveWorkers([512, 4096], { axes: [-1], workers: 2 }), 2)
  t.is(F.effectiveWorkers([1, 1 << 20], { axes: [-1], workers: 2 }), 1)
  t.is(F.effectiveWorkers([100, 100], { workers: 2 }), 1)
  // workers above the CPUs the process may use run on that many threads.
  const cpus = availableParallelism()
  t.is(F.effectiveWorkers([3, 100000], { axes: [1], workers: 8 }), Math.min(3, cpus))
  t.is(F.effectiveWorkers([3, 100000], { axes: [0], workers: 8 }), Math.min(8, cpus))
  t.is(F.effectiveWorkers([3, 100000], { axes: 0, workers: 8 }), Math.min(8, cpus))
})

test('async forms equal the sync forms', async (t) => {
  const x = complexRamp(4096, [16, 256])
  t.deepEqual((await F.fftAsync(x)).data, F.fft(x).data)
  t.deepEqual((await F.fft2Async(x, { workers: 2 })).data, F.fft2(x).data)
  const r = { data: ramp(4096), shape: [16, 256], dtype: 'float64' } as NDArray
  t.deepEqual((await F.rfftnAsync(r)).data, F.rfftn(r).data)
  t.deepEqual((await F.dctAsync(r, { type: 3, norm: 'ortho' })).data, F.dct(r, { type: 3, norm: 'ortho' }).data)
  await t.throwsAsync(() => F.fftAsync([1, 2], { norm: 'x' as F.Norm }), { instanceOf: RangeError })
})

test('an async call owns its input: changing it afterwards does not change the result', async (t) => {
  const x = ramp(1 << 16)
  const expected = F.fft(x).data
  const p = F.fftAsync(x)
  x.fill(0)
  t.deepEqual((await p).data, expected)
})

test('overwriteX: sync calls compute in the input, with workers too; Promise forms leave it alone', async (t) => {
  for (const single of [false, true]) {
    const x: NDArray = { data: ramp(2 * 4096, single), shape: [64, 64], dtype: single ? 'complex64' : 'complex128' }
    const expected = F.fft2(x, { workers: 2 }).data
    const copy = x.data.slice()
    const y = F.fft2(x, { overwriteX: true, workers: 2 })
    t.is(y.data, x.data)
    t.is(y.dtype as string, x.dtype)
    t.deepEqual(y.shape, [64, 64])
    t.deepEqual(y.data, expected)
    // A Promise form works on its own copy (an async call owns its input), so x is not touched.
    const z = { ...x, data: copy.slice() } as NDArray
    const r = await F.fft2Async(z, { overwriteX: true, workers: 2 })
    t.not(r.data, z.data)
    t.deepEqual(z.data, copy)
    t.deepEqual(r.data, expected)
  }
  // Padding changes the layout: a new array, and the input stays as it was.
  const x = complexRamp(64)
  const before = x.data.slice()
  const padded = F.fft(x, { n: 100, overwriteX: true })
  t.not(padded.data, x.data)
  t.deepEqual(x.data, before)
  // Real input to fft is promoted to complex: a new array too.
  const r = ramp(64)
  t.not(F.fft(r, { overwriteX: true }).data, r)
  // A real-to-real transform of a plain Float64Array runs in it.
  const d = ramp(64)
  const dctExpected = F.dct(d, { type: 4 }).data
  t.is(F.dct(d, { type: 4, overwriteX: true }).data, d)
  t.deepEqual(d, dctExpected)
  t.throws(() => F.fft(complexRamp(4), { overwriteX: 1 as unknown as boolean }), { instanceOf: TypeError, message: /overwriteX must be a boolean/ })
  t.throws(() => F.dct(ramp(4), { overwriteX: 'yes' as unknown as boolean }), { instanceOf: TypeError, message: /overwriteX/ })
})

test('requests in flight do not share state: calls started back to back each get their own transform', async (t) => {
  // The header travels in one buffer reused by every call; each async call must have read its own.
  const x = complexRamp(4096, [16, 256])
  const y = { data: ramp(3000), shape: [3, 1000], dtype: 'float64' } as NDArray
  const calls = [F.fft2Async(x), F.rfftAsync(y, { axis: 0, norm: 'ortho' }), F.dctnAsync(y, { type: 1 }), F.ifftAsync(x, { n: 300 })]
  const sync = [F.fft2(x), F.rfft(y, { axis: 0, norm: 'ortho' }), F.dctn(y, { type: 1 }), F.ifft(x, { n: 300 })]
  const got = await Promise.all(calls)
  got.forEach((g, i) => {
    t.deepEqual(g.shape, sync[i].shape)
    t.deepEqual(g.data, sync[i].data)
  })
})

test('async work leaves the event loop free', async (t) => {
  const x = complexRamp(1 << 20, [64, 1 << 14])
  let ticks = 0
  const timer = setInterval(() => ticks++, 1)
  const jobs = []
  for (let i = 0; i < 6; i++) jobs.push(F.fft2Async(x))
  await Promise.all(jobs)
  clearInterval(timer)
  t.true(ticks > 0, `timers fired ${ticks} times while transforms ran`)
})

test('AbortSignal: aborted before the call rejects at once', async (t) => {
  const ac = new AbortController()
  ac.abort()
  const err = await F.fftAsync([1, 2], { signal: ac.signal }).catch((e: unknown) => e)
  t.true(err instanceof DOMException)
  t.is((err as DOMException).name, 'AbortError')
})

test.serial('AbortSignal: aborting a running transform rejects with AbortError and later calls still work', async (t) => {
  const x = complexRamp(1 << 22, [4096, 1024])
  const ac = new AbortController()
  const p = F.fft2Async(x, { signal: ac.signal })
  setTimeout(() => ac.abort(), 5)
  const err = await p.catch((e: unknown) => e)
  t.is((err as DOMException).name, 'AbortError')
  const reason = new Error('custom reason')
  const ac2 = new AbortController()
  const p2 = F.fftAsync(x, { signal: ac2.signal })
  ac2.abort(reason)
  t.is(await p2.catch((e: unknown) => e), reason)
  t.deepEqual((await F.fftAsync([1, 1])).data, F.fft([1, 1]).data)
})

test.serial('1,000 async calls in flight: all complete correctly, half aborted reject, nothing leaks', async (t) => {
  const x = complexRamp(1024)
  const expected = F.fft(x).data
  const round = async () => {
    const controllers = Array.from({ length: 1000 }, () => new AbortController())
    const calls = controllers.map((ac) => F.fftAsync(x, { signal: ac.signal }).then((y) => y, (e: unknown) => e))
    controllers.forEach((ac, i) => i % 2 === 1 && ac.abort())
    return Promise.all(calls)
  }
  const results = await round()
  results.forEach((r, i) => {
    if (i % 2 === 1) t.is((r as DOMException).name, 'AbortError')
    else t.deepEqual((r as NDArray).data, expected)
  })
  // Memory after many more rounds stays flat: 20,000 results of 16 KiB would hold 312 MiB if kept.
  for (let i = 0; i < 3; i++) await round()
  const before = process.memoryUsage().rss
  for (let i = 0; i < 20; i++) await round()
  const grown = (process.memoryUsage().rss - before) / 2 ** 20
  t.true(grown < 150, `RSS grew by ${grown.toFixed(1)} MiB over 20,000 more calls`)
})

test.serial('the cooperative flag stops native work that is already running', async (t) => {
  const x = complexRamp(1 << 22, [4096, 1024])
  const req = encodeRequest({
    kind: 'c2c', shape: [4096, 1024], axes: [0, 1], lens: [4096, 1024], forward: true, hermitian: false,
    inverse: false, type: 0, orthogonalize: false, norm: 'backward', realInput: false, workers: 1, name: 'fft2',
  })
  const token = new native.AbortToken()
  const p = native.fftExecuteAsync(header(req), x.data, token)
  // Abort only once the job is running on its pool thread (not while queued).
  while (!token.started) await new Promise((r) => setImmediate(r))
  token.abort()
  const err = await t.throwsAsync(p)
  t.is((err as Error & { code?: string }).code, 'Cancelled')
})

test.serial('a synchronous loop over large transforms does not pile up memory', (t) => {
  // 60 results of 32 MiB each: 1.9 GiB if results were freed only when the event loop turns.
  const x = complexRamp(512 * 4096, [512, 4096])
  const before = process.memoryUsage().rss
  for (let i = 0; i < 60; i++) F.fft(x)
  const grown = (process.memoryUsage().rss - before) / 2 ** 20
  t.true(grown < 1024, `RSS grew by ${grown.toFixed(0)} MiB over 60 sync calls`)
})

test('plans are cached and the cache stays bounded', (t) => {
  for (const n of [1000, 1001, 1002]) F.fft(ramp(n))
  const before = native.fftPlanCacheInfo()
  F.fft(ramp(1000))
  t.is(native.fftPlanCacheInfo().plansF64, before.plansF64)
  // Smooth lengths near 2**20 whose plans add up past the 2**23-point budget.
  for (const n of [1 << 20, 3 << 18, 5 << 17, 9 << 17, 15 << 16, 25 << 15, 27 << 15, 45 << 14, 75 << 14, 81 << 14, 125 << 13]) {
    F.fft(new Float64Array(n))
  }
  const info = native.fftPlanCacheInfo()
  t.true(info.lenF64 <= 1 << 23, `cache holds ${info.lenF64} points of plans`)
})

test('helpers: fftfreq, rfftfreq, fftshift round trip, fast lengths', (t) => {
  t.deepEqual(Array.from(F.fftshift(F.fftfreq(5)).data), [-0.4, -0.2, 0, 0.2, 0.4])
  const m = { data: ramp(12), shape: [3, 4], dtype: 'float64' } as NDArray
  t.deepEqual(F.ifftshift(F.fftshift(m)).data, m.data)
  t.deepEqual(F.ifftshift(F.fftshift(m, 1), 1).data, m.data)
  t.throws(() => F.fftfreq(0), { instanceOf: RangeError, message: /^n must be at least 1/ })
  t.throws(() => F.fftfreq(4, 0), { instanceOf: RangeError, message: /^d must be a finite, non-zero number/ })
  t.throws(() => F.nextFastLen(-1), { instanceOf: RangeError, message: /^target must be a non-negative integer/ })
  for (const target of [1, 7, 13, 1009, 65537]) {
    const n = F.nextFastLen(target)
    t.true(n >= target)
    t.true(F.prevFastLen(target) <= target)
  }
})

test('the request format and the norm table come from the binding, written once in fft.rs', (t) => {
  const wire = native.fftWire()
  // The Norm type's values, in SciPy's order, are the binding's table.
  t.deepEqual(wire.norms, ['backward', 'ortho', 'forward'])
  t.deepEqual(wire.kinds, ['c2c', 'r2c', 'c2r', 'dct', 'dst'])
  t.deepEqual(wire.header, ['kind', 'flags', 'type', 'norm', 'workers', 'ndim', 'naxes', 'name'])
  const flags = Object.values(wire.flags) as number[]
  t.is(new Set(flags).size, flags.length, 'distinct flag bits')
  for (const f of flags) t.is(f & (f - 1), 0, `${f} is one bit`)
  // A request names its values by the binding's layout.
  const req = encodeRequest({
    kind: 'dct', shape: [3, 4], axes: [1], lens: [4], forward: true, hermitian: false,
    inverse: true, type: 3, orthogonalize: true, norm: 'forward', realInput: false, workers: 2, name: 'idct',
  })
  t.is(req[wire.header.indexOf('kind')], wire.kinds.indexOf('dct'))
  t.is(req[wire.header.indexOf('norm')], wire.norms.indexOf('forward'))
  t.is(req[wire.header.indexOf('flags')], wire.flags.forward | wire.flags.inverse | wire.flags.orthogonalize)
  t.deepEqual(req.slice(wire.header.length), [3, 4, 1, 4])
  t.is(wire.smallResult, 1 << 20)
})

test('a malformed request reaching the raw binding is an error, not a crash', (t) => {
  const bad = [[], [9, 0, 0, 0, 1, 1, 1, 4, 0, 4], [0, 1, 0, 7, 1, 1, 1, 4, 0, 4], [0, 1, 0, 0, 1, 2, 1, 4, 0, 4]]
  for (const h of bad) t.throws(() => native.fftExecute(new Uint32Array(h), new Float64Array(8)), { message: 'malformed fft request header' })
  t.throws(() => native.nextFastLen(-5n, false), { message: 'fast length target out of range' })
  t.throws(() => native.nextFastLen(2n ** 64n, false), { message: 'fast length target out of range' })
})
