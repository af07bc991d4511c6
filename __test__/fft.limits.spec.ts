// Sizes, the raw binding and shared memory in musique/fft (issue 16 §1, §2, §3, §8):
// each case that used to end the process runs in a child process, which must
// exit normally having caught a RangeError with its message and code. Where
// memory is the point, the child runs under `ulimit -v`, so that the outcome
// does not depend on the machine's memory.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'

import test from 'ava'

import { inChild as run, type Outcome, PRELUDES } from './helpers/child'

import * as F from 'musique/fft'

const ROOT = join(__dirname, '..')

/** Runs `body` in a child Node with the fft prelude (helpers/child.ts), under `ulimit -v kb` when given. */
function inChild(body: string, kb?: number): Outcome {
  return run(body, { prelude: PRELUDES.fft, kb, timeoutMs: 60_000 })
}

/** 16 GiB of address space: more than Node needs, less than the requests below. */
const KB_16G = 16 * 2 ** 20

const ALLOC = { name: 'RangeError', code: 'ERR_OUT_OF_RANGE' }

test('fft with n = 2**31 - 1 is a RangeError naming the 32 GiB result, not an abort', (t) => {
  const got = inChild(`return F.fft([1, 2, 3, 4], { n: 2 ** 31 - 1 })`, KB_16G)
  t.like(got, ALLOC)
  t.regex(got.message ?? '', /^cannot allocate 32\.0 GiB for the result of fft \(.* available\)$/)
})

test('fftAsync with n = 2**31 - 1 rejects with the same RangeError', (t) => {
  const got = inChild(`return F.fftAsync([1, 2, 3, 4], { n: 2 ** 31 - 1 })`, KB_16G)
  t.like(got, ALLOC)
  t.regex(got.message ?? '', /^cannot allocate 32\.0 GiB for the result of fft /)
})

test('irfft with n = 2**32 - 1 is a RangeError naming the 32 GiB result', (t) => {
  const got = inChild(`return F.irfft([1, 2, 3, 4], { n: 2 ** 32 - 1 })`, KB_16G)
  t.like(got, ALLOC)
  t.regex(got.message ?? '', /^cannot allocate 32\.0 GiB for the result of irfft /)
})

test('fftfreq and rfftfreq refuse what cannot be had as the transforms do', (t) => {
  const got = inChild(`return F.fftfreq(2 ** 32 - 1)`, KB_16G)
  t.like(got, ALLOC)
  t.regex(got.message ?? '', /^cannot allocate 32\.0 GiB for the result of fftfreq \(.* available\)$/)
  const half = inChild(`return F.rfftfreq(2 ** 32 - 1, 0.5)`, KB_16G)
  t.like(half, ALLOC)
  t.regex(half.message ?? '', /^cannot allocate 16\.0 GiB for the result of rfftfreq /)
})

test('a result longer than a typed array may be is refused by its length', (t) => {
  // 2**32 - 1 complex values along one axis, times 2 rows: 2**33 values.
  const got = inChild(`return F.fft({ data: new Float64Array(4), shape: [2, 2], dtype: 'float64' }, { n: 2 ** 32 - 1 })`)
  t.like(got, ALLOC)
  t.regex(got.message ?? '', /^cannot allocate 128\.0 GiB for the result of fft: it has 17179869180 values, and a typed array holds at most 2\*\*32$/)
})

test('under ulimit -v, a result that fits a typed array but not the address space is a RangeError', (t) => {
  // 2**27 complex128 values: 2 GiB, under a 3 GiB limit that Node itself already uses part of.
  const got = inChild(`return F.fft(new Float64Array(8), { n: 2 ** 27 })`, 3 * 2 ** 20)
  t.like(got, ALLOC)
  t.regex(got.message ?? '', /^cannot allocate 2\.0 GiB for the result of fft \(.* available\)$/)
  // The async form refuses it the same way, before copying anything.
  const async = inChild(`return F.fftAsync(new Float64Array(8), { n: 2 ** 27 })`, 3 * 2 ** 20)
  t.like(async, ALLOC)
})

test('a Bluestein length whose plan cannot be had is refused before it is planned', (t) => {
  // 2**25 - 39 is prime: the result is 512 MiB, its Bluestein plan and scratch several GiB.
  const got = inChild(`return F.fft(new Float64Array(8), { n: 2 ** 25 - 39 })`, 3 * 2 ** 20)
  t.like(got, ALLOC)
  t.regex(got.message ?? '', /^cannot allocate [\d.]+ GiB for fft: 512\.0 MiB for the result and up to [\d.]+ GiB for plans, scratch and intermediates \(.* available\)$/)
})

test('fftn pads and crops axis by axis: [1, 2**20] to [2**20, 1] never holds 2**40 values', (t) => {
  // Padding axis 0 first would need a 16 TiB intermediate; under 4 GiB of address space it runs.
  const got = inChild(
    `const n = 2 ** 20
     const data = new Float64Array(2 * n)
     for (let i = 0; i < 2 * n; i++) data[i] = i + 1
     const y = F.fftn({ data, shape: [1, n], dtype: 'complex128' }, { s: [n, 1], axes: [0, 1] })
     // x[0, 0] = 1 + 2i, padded along axis 0: its DFT is that value everywhere.
     let same = true
     for (let i = 0; i < 2 * n; i += 2) same &&= y.data[i] === 1 && y.data[i + 1] === 2
     return { shape: y.shape, same }`,
    4 * 2 ** 20,
  )
  t.deepEqual(got.value, { shape: [2 ** 20, 1], same: true })
})

test('rfftn and irfftn crop before the pass that must come first', (t) => {
  const got = inChild(
    `const n = 2 ** 20
     const r = F.rfftn({ data: new Float64Array(n).fill(1), shape: [n, 1], dtype: 'float64' }, { s: [1, n], axes: [0, 1] })
     const c = F.irfftn({ data: new Float64Array(2 * n).fill(1), shape: [1, n], dtype: 'complex128' }, { s: [n, 2], axes: [0, 1] })
     return [r.shape, c.shape]`,
    4 * 2 ** 20,
  )
  t.deepEqual(got.value, [[1, 2 ** 19 + 1], [2 ** 20, 2]])
})

/** A raw request for `fftExecute`, laid out by the binding's own table. */
const RAW_HEADER = `
  const W = B.fftWire()
  const raw = (kind, shape, axes, lens) => {
    const h = new Array(W.header.length).fill(0)
    h[W.header.indexOf('kind')] = W.kinds.indexOf(kind)
    h[W.header.indexOf('flags')] = W.flags.forward
    h[W.header.indexOf('workers')] = 1
    h[W.header.indexOf('ndim')] = shape.length
    h[W.header.indexOf('naxes')] = axes.length
    h[W.header.indexOf('name')] = W.names.indexOf('fftn')
    return new Uint32Array([...h, ...shape, ...axes, ...lens])
  }`

test('raw binding: a shape whose product wraps around 2**64 is an error, not a segfault', (t) => {
  for (const fn of ['fftExecute', 'fftExecuteInPlace', 'fftExecuteAsync']) {
    const got = inChild(`${RAW_HEADER}
      // 65536**4 = 2**64: wraps to 0, the length of the data.
      return B.${fn}(raw('c2c', [65536, 65536, 65536, 65536], [3], [65536]), new Float64Array(0))`)
    t.like(got, { name: 'Error', code: 'InvalidArg' }, fn)
    t.is(got.message, 'malformed fft request: shape [65536, 65536, 65536, 65536] has more elements than memory can hold', fn)
  }
  const into = inChild(`${RAW_HEADER}
    return B.fftExecuteInto(raw('c2c', [65536, 65536, 65536, 65536, 2], [4], [1]), new Float64Array(0), new Float64Array(0))`)
  t.like(into, { code: 'InvalidArg' })
})

test('raw binding: data of the wrong length, aliased output and bad axes are errors', (t) => {
  const got = inChild(`${RAW_HEADER}
    const out = []
    const tryIt = (f) => { try { f(); out.push('returned') } catch (e) { out.push(e.message) } }
    tryIt(() => B.fftExecute(raw('c2c', [2 ** 31], [0], [2 ** 31]), new Float64Array(8)))
    const x = new Float64Array(8)
    tryIt(() => B.fftExecuteInto(raw('c2c', [4], [0], [4]), x, x))
    const both = new Float64Array(12)
    tryIt(() => B.fftExecuteInto(raw('c2c', [4], [0], [4]), both.subarray(0, 8), both.subarray(4, 12)))
    tryIt(() => B.fftExecuteInto(raw('c2c', [4], [0], [4]), x, new Float64Array(7)))
    tryIt(() => B.fftExecute(raw('c2c', [4], [1], [4]), x))
    tryIt(() => B.fftExecute(raw('c2c', [2, 2], [0, 0], [2, 2]), x))
    return out`)
  t.deepEqual(got.value, [
    'data has 8 values but shape [2147483648] needs 4294967296',
    'out must not share memory with the input',
    'out must not share memory with the input',
    'out must hold 8 values; got 7',
    'malformed fft request header',
    'malformed fft request header',
  ])
})

test('raw binding: a resizable buffer is read at its length when the call is made', (t) => {
  // No user code runs while an fft entry point converts its arguments (typed
  // arrays only), so a buffer cannot shrink under native code; a view that
  // tracks a shrunk buffer is simply shorter than the request needs.
  const got = inChild(`${RAW_HEADER}
    const buf = new ArrayBuffer(64, { maxByteLength: 1 << 20 })
    const x = new Float64Array(buf)
    const h = raw('c2c', [4], [0], [4])
    const full = Array.from(B.fftExecute(h, x))
    buf.resize(32)
    const out = [full.length, x.length]
    try { B.fftExecute(h, x) } catch (e) { out.push(e.message) }
    // The async form copies its input before it returns: shrinking the buffer afterwards changes nothing.
    buf.resize(64)
    const p = B.fftExecuteAsync(h, x)
    buf.resize(0)
    out.push(Array.from(await p).join() === full.join())
    // An object with getters is not a typed array: refused by type, no getter runs.
    let read = false
    const fake = { get length() { read = true; return 8 }, get buffer() { read = true; return buf } }
    try { B.fftExecute(h, fake) } catch (e) { out.push(e.constructor.name) }
    out.push(read)
    return out`)
  t.deepEqual(got.value, [8, 4, 'data has 4 values but shape [4] needs 8', true, 'Error', false])
})

test('overwriteX on a SharedArrayBuffer is computed out of place; elsewhere in place', (t) => {
  const shared = new Float64Array(new SharedArrayBuffer(8 * 8))
  shared.set([1, 0, 2, 0, 3, 0, 4, 0])
  const x = { data: shared, shape: [4], dtype: 'complex128' as const }
  const y = F.fft(x, { overwriteX: true })
  t.not(y.data, shared)
  t.deepEqual(Array.from(shared), [1, 0, 2, 0, 3, 0, 4, 0])
  t.deepEqual(Array.from(y.data), [10, 0, -2, 2, -2, 0, -2, -2])
  const own = new Float64Array([1, 0, 2, 0, 3, 0, 4, 0])
  t.is(F.fft({ data: own, shape: [4], dtype: 'complex128' }, { overwriteX: true }).data, own)
  const r = new Float64Array(new SharedArrayBuffer(4 * 8))
  r.set([1, 2, 3, 4])
  t.not(F.dct(r, { overwriteX: true }).data, r)
  t.deepEqual(Array.from(r), [1, 2, 3, 4])
})

test('raw binding: 20,000 random headers and data lengths give results or InvalidArg errors, never a crash', (t) => {
  const got = inChild(`${RAW_HEADER}
    let seed = 12345
    const rand = (n) => ((seed = (seed * 1103515245 + 12345) % 2147483648) % n)
    const fns = ['fftExecute', 'fftExecuteInPlace', 'fftExecuteInto', 'fftExecuteAsync']
    const counts = { returned: 0, refused: 0 }
    const odd = []
    const seen = (e) => {
      if (e && e.code === 'InvalidArg') counts.refused++
      else odd.push(String(e && e.message))
    }
    const pending = []
    for (let i = 0; i < 20000; i++) {
      const ndim = rand(4)
      const shape = Array.from({ length: ndim }, () => rand(7))
      const naxes = rand(ndim + 2)
      const axes = Array.from({ length: naxes }, () => rand(ndim + 1))
      const lens = Array.from({ length: naxes }, () => rand(9))
      const h = new Array(W.header.length).fill(0)
      h[W.header.indexOf('kind')] = rand(6)
      h[W.header.indexOf('flags')] = rand(32)
      h[W.header.indexOf('type')] = rand(6)
      h[W.header.indexOf('norm')] = rand(4)
      h[W.header.indexOf('workers')] = 1 + rand(2)
      h[W.header.indexOf('ndim')] = ndim
      h[W.header.indexOf('naxes')] = naxes
      h[W.header.indexOf('name')] = rand(28)
      const header = new Uint32Array([...h, ...shape, ...axes, ...lens])
      const n = shape.reduce((a, b) => a * b, 1) * (1 + rand(2)) + (rand(4) === 0 ? rand(3) : 0)
      const single = rand(2) === 0
      const data = single ? new Float32Array(n).fill(0.5) : new Float64Array(n).fill(0.5)
      const fn = fns[rand(fns.length)]
      try {
        if (fn === 'fftExecuteAsync') {
          pending.push(B.fftExecuteAsync(header, data).then(() => counts.returned++, seen))
        } else if (fn === 'fftExecuteInto') {
          const m = rand(64)
          B.fftExecuteInto(header, data, single ? new Float32Array(m) : new Float64Array(m))
          counts.returned++
        } else {
          B[fn](header, data)
          counts.returned++
        }
      } catch (e) {
        seen(e)
      }
    }
    await Promise.all(pending)
    return { ...counts, odd: odd.slice(0, 5) }`)
  const v = got.value as { returned: number; refused: number; odd: string[] }
  t.deepEqual(v.odd, [])
  t.true(v.returned > 100, `${v.returned} calls returned`)
  t.is(v.returned + v.refused, 20000)
})

test('every export of the fft binding and of the shared runtime is panic-safe (catch_unwind)', (t) => {
  for (const file of ['fft.rs', 'runtime.rs']) {
    const src = readFileSync(join(ROOT, 'crates', 'musique-napi', 'src', file), 'utf8')
    // An exported function or method: a #[napi…] attribute, doc comments, then `pub fn`.
    const exported = [...src.matchAll(/#\[napi(\([^\]]*\))?\]\s*(?:\/\/\/[^\n]*\s*)*pub fn (\w+)/g)]
    t.true(exported.length > 3, file)
    for (const m of exported) t.regex(m[1] ?? '', /catch_unwind/, `${file}: ${m[2]}`)
  }
})
