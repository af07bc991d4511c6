// The JS peers, each wrapped as `prepare(row, input) -> run()` returning its
// result as interleaved complex (or real) values for the agreement check.
'use strict'

const FFT = require('fft.js')
const ndarray = require('ndarray')
const ndfft = require('ndarray-fft')

function deinterleave(data) {
  const n = data.length / 2
  const re = new Float64Array(n)
  const im = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    re[i] = data[2 * i]
    im[i] = data[2 * i + 1]
  }
  return [re, im]
}

function interleave(re, im, imSign = 1) {
  const out = new Float64Array(re.length * 2)
  for (let i = 0; i < re.length; i++) {
    out[2 * i] = re[i]
    out[2 * i + 1] = imSign * im[i]
  }
  return out
}

const isPow2 = (n) => n >= 2 && (n & (n - 1)) === 0

/**
 * fft.js: radix-4, power-of-two lengths, float64 arithmetic into a preallocated output (reused
 * across calls, which favours it: Musique allocates a new result every call). A batch is a loop
 * of 1-D transforms over the rows; fft2 is row transforms, then each column gathered into a
 * scratch array, transformed and scattered back (a row-column transform with the transposes
 * done column by column). Every array it sees is a Float64Array (its createComplexArray gives
 * plain Arrays, and mixing array types makes V8 deoptimise its kernels for every later row):
 * on float32 rows each call first widens the input into a preallocated Float64Array.
 */
const fftjs = {
  name: 'fft.js',
  supports: (row) => row.kind !== 'dct' && row.shape.every(isPow2),
  prepare(row, x) {
    const [rows, n] = row.shape.length === 2 ? row.shape : [1, row.shape[0]]
    if (row.kind === 'rfft') {
      const f = new FFT(n)
      const out = new Float64Array(2 * n)
      return () => {
        f.realTransform(out, x.data)
        return out.slice(0, 2 * (n / 2 + 1))
      }
    }
    const f = new FFT(n)
    const out = new Float64Array(x.data.length)
    // Float32 input: widened into this array on each call, so fft.js only ever sees Float64Arrays.
    const wide = x.data instanceof Float64Array ? undefined : new Float64Array(x.data.length)
    if (row.kind === 'fft2') {
      const g = new FFT(rows)
      const t = new Float64Array(x.data.length)
      const colIn = new Float64Array(2 * rows)
      const colOut = new Float64Array(2 * rows)
      return () => {
        for (let r = 0; r < rows; r++) f.transform(out.subarray(2 * r * n, 2 * (r + 1) * n), x.data.subarray(2 * r * n, 2 * (r + 1) * n))
        for (let c = 0; c < n; c++) {
          for (let r = 0; r < rows; r++) {
            colIn[2 * r] = out[2 * (r * n + c)]
            colIn[2 * r + 1] = out[2 * (r * n + c) + 1]
          }
          g.transform(colOut, colIn)
          for (let r = 0; r < rows; r++) {
            t[2 * (r * n + c)] = colOut[2 * r]
            t[2 * (r * n + c) + 1] = colOut[2 * r + 1]
          }
        }
        return t
      }
    }
    return () => {
      let input = x.data
      if (wide) {
        wide.set(x.data)
        input = wide
      }
      for (let r = 0; r < rows; r++) f.transform(out.subarray(2 * r * n, 2 * (r + 1) * n), input.subarray(2 * r * n, 2 * (r + 1) * n))
      return out
    }
  },
}

/**
 * ndarray-fft: any length (Bluestein), n-D, in place on separate re/im arrays. Its direction 1
 * uses exp(+i…), so it runs on the conjugated input and its output is conjugated back
 * (fft(x) = conj(fft₊(conj(x)))); the conjugations ride along the copies it needs anyway.
 */
const ndarrayFft = {
  name: 'ndarray-fft',
  // Complex rows only (it has no real transform); float32 input is widened by the copy it needs anyway.
  supports: (row) => (row.dtype === 'complex128' || row.dtype === 'complex64') && row.kind !== 'dct' && row.kind !== 'rfft',
  prepare(row, x) {
    const [re0, im0] = deinterleave(x.data)
    for (let i = 0; i < im0.length; i++) im0[i] = -im0[i]
    const re = new Float64Array(re0.length)
    const im = new Float64Array(im0.length)
    const shape = row.shape
    return () => {
      re.set(re0)
      im.set(im0)
      const a = ndarray(re, shape)
      const b = ndarray(im, shape)
      if (row.kind === 'batch') {
        // Transform along the last axis only: one row at a time.
        for (let r = 0; r < shape[0]; r++) ndfft(1, a.pick(r, null), b.pick(r, null))
      } else {
        ndfft(1, a, b)
      }
      return interleave(re, im, -1)
    }
  },
}

/**
 * pffft compiled to WASM with SIMD (@echogarden/pffft-wasm/simd, an Emscripten module): float32,
 * complex lengths a multiple of 16 with factors 2, 3 and 5. Setup and aligned buffers are made
 * once per row; each call copies the input into the WASM heap, runs pffft_transform_ordered
 * (canonical order, exp(-i…) forward, unscaled: the same convention as Musique) and copies the
 * result out into a new Float32Array.
 */
async function loadPffft() {
  const PFFFT = (await import('@echogarden/pffft-wasm/simd')).default
  const m = await PFFFT()
  return {
    name: 'pffft-wasm (SIMD)',
    supports: (row) => row.dtype === 'complex64' && row.shape.length === 1 && row.shape[0] % 16 === 0,
    prepare(row, x) {
      const n = row.shape[0]
      const setup = m._pffft_new_setup(n, 1 /* PFFFT_COMPLEX */)
      const bytes = 2 * n * 4
      const inp = m._pffft_aligned_malloc(bytes)
      const out = m._pffft_aligned_malloc(bytes)
      const work = m._pffft_aligned_malloc(bytes)
      return () => {
        // From a Float32Array to a new Float32Array, as a user calls it.
        m.HEAPF32.set(x.data, inp >> 2)
        m._pffft_transform_ordered(setup, inp, out, work, 0 /* PFFFT_FORWARD */)
        return m.HEAPF32.slice(out >> 2, (out >> 2) + 2 * n)
      }
    },
  }
}

module.exports = { fftjs, ndarrayFft, loadPffft }
