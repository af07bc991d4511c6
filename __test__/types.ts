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
