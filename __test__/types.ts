// Type tests, checked by `npm run typecheck` (tsc --noEmit): what the public
// types accept and refuse.
import type { NDArray } from 'musique'
import { complex, fft, getWorkers } from 'musique'
import { dct, fftAsync, type Norm } from 'musique/fft'

const a: NDArray<'complex128'> = fft([1, 2, 3]) as NDArray<'complex128'>
void a
const f32: NDArray<'float32'> = { data: new Float32Array(4), shape: [4], dtype: 'float32' }
void dct(f32, { type: 3, norm: 'ortho', orthogonalize: false, workers: -1 })
void fftAsync(complex([1], [2]), { signal: new AbortController().signal })
const n: number = getWorkers()
void n
const norm: Norm = 'forward'
void norm

// @ts-expect-error float32 data cannot carry a float64 dtype
const wrong: NDArray<'float64'> = { data: new Float32Array(4), shape: [4], dtype: 'float64' }
void wrong
// @ts-expect-error unknown norm
void fft([1], { norm: 'sideways' })
// @ts-expect-error DCT types are 1 to 4
void dct([1, 2], { type: 5 })
// @ts-expect-error strings are not arrays
void fft('1, 2, 3')

// Result types track the input's precision (float32 stays float32).
import { irfft, rfft, rfftAsync, fftshift } from 'musique/fft'
import type { DTypeOf } from 'musique'
const half: NDArray<'complex64'> = rfft(new Float32Array(8))
const halfD: NDArray<'complex128'> = rfft([1, 2, 3, 4])
const back: NDArray<'float32'> = irfft(half)
const backD: NDArray<'float64'> = irfft(halfD)
const fromNd: NDArray<'complex64'> = fft({ data: new Float32Array(4), shape: [2, 2] as const, dtype: 'float32' as const })
const sameDct: NDArray<'float32'> = dct(new Float32Array(4))
const shifted: NDArray<'float32'> = fftshift(new Float32Array(4))
void [half, halfD, back, backD, fromNd, sameDct, shifted]
void (async () => {
  const a: NDArray<'complex64'> = await rfftAsync(new Float32Array(8))
  // @ts-expect-error a complex64 result is not complex128
  const b: NDArray<'complex128'> = await rfftAsync(new Float32Array(8))
  void [a, b]
})
// @ts-expect-error rfft of float32 is complex64, not complex128
const wrongHalf: NDArray<'complex128'> = rfft(new Float32Array(8))
// @ts-expect-error irfft of complex128 is float64, not float32
const wrongBack: NDArray<'float32'> = irfft(halfD)
// @ts-expect-error a DCT keeps the dtype: float64 in, float64 out
const wrongDct: NDArray<'float32'> = dct([1, 2, 3])
void [wrongHalf, wrongBack, wrongDct]
const dt: DTypeOf<Float32Array> = 'float32'
void dt
