// Type tests for musique/linalg, checked by `npm run typecheck` (tsc --noEmit):
// result types track the inputs' precision (issue 15 §6). float32 in gives
// float32 out; float64, numbers and nested number arrays give float64; two
// inputs promote as NumPy does (float32 only when both are).
import type { NDArray } from 'musique'
import {
  choFactor,
  choSolve,
  eig,
  eigh,
  eighAsync,
  eigvals,
  expm,
  inv,
  lstsq,
  lu,
  luFactor,
  luSolve,
  matmul,
  matmulAsync,
  norm,
  pinv,
  qr,
  solve,
  solveAsync,
  solveTriangular,
  svd,
  svdvals,
  type PromotedOf,
  type RealArray,
  type RealDTypeOf,
} from 'musique/linalg'

const f32: NDArray<'float32'> = { data: new Float32Array(4), shape: [2, 2], dtype: 'float32' }
const f64: NDArray<'float64'> = { data: new Float64Array(4), shape: [2, 2], dtype: 'float64' }
const v32 = new Float32Array(2)
const nested = [
  [1, 2],
  [3, 4],
]
// A readonly shape (a literal tuple) is accepted, and its dtype read.
const literal = { data: new Float32Array(4), shape: [2, 2] as const, dtype: 'float32' as const }

// float32 in, float32 out
const s32: NDArray<'float32'> = solve(f32, v32)
const s32lit: NDArray<'float32'> = solve(literal, v32)
const t32: NDArray<'float32'> = solveTriangular(f32, f32, { lower: true })
const i32: NDArray<'float32'> = inv(f32)
const p32: NDArray<'float32'> = pinv(literal)
const m32: NDArray<'float32'> = matmul(f32, literal)
const e32: NDArray<'float32'> = expm(f32)
const sv32: NDArray<'float32'> = svdvals(f32)
const { u: u32 }: { u: NDArray<'float32'> } = svd(f32)
const { q: q32 }: { q: NDArray<'float32'> } = qr(f32)
const { l: l32 }: { l: NDArray<'float32'> } = lu(f32)
const { pl }: { pl: NDArray<'float32'> } = lu(f32, { permuteL: true })
const fac = luFactor(f32)
const ls32: NDArray<'float32'> = luSolve(fac, v32)
const cs32: NDArray<'float32'> = choSolve(choFactor(f32), v32)
const { x: x32 }: { x: NDArray<'float32'> } = lstsq(f32, v32)
const { w: w64 }: { w: NDArray<'complex64'> } = eig(f32)
const ev: NDArray<'complex64'> = eigvals(literal)
const { v: vh32 }: { v: NDArray<'float32'> } = eigh(f32)
void [s32, s32lit, t32, i32, p32, m32, e32, sv32, u32, q32, l32, pl, ls32, cs32, x32, w64, ev, vh32]

// float64, numbers, nested arrays and mixed inputs: float64 out
const s64: NDArray<'float64'> = solve(nested, [1, 2])
const sScalar: NDArray<'float64'> = solve(2, [4, 6])
const mixed: NDArray<'float64'> = solve(f32, [1, 2])
const mixed2: NDArray<'float64'> = matmul(f64, f32)
const mixed3: NDArray<'float64'> = luSolve(fac, [1, 2])
const i64: NDArray<'float64'> = inv(nested)
const n64: number | NDArray<'float64'> = norm(f64, { axis: 1 })
const { w: wc }: { w: NDArray<'complex128'> } = eig(nested)
void [s64, sScalar, mixed, mixed2, mixed3, i64, n64, wc]

// An input whose type does not say (the RealArray default) gives either.
declare const either: RealArray
const r: RealArray = inv(either)
void r

// The helpers themselves.
const a1: RealDTypeOf<Float32Array> = 'float32'
const a2: RealDTypeOf<number[][]> = 'float64'
const a3: PromotedOf<Float32Array, number[]> = 'float64'
const a4: PromotedOf<NDArray<'float32'>, Float32Array> = 'float32'
void [a1, a2, a3, a4]

// Promise forms track it too.
void (async () => {
  const x: NDArray<'float32'> = await solveAsync(f32, v32)
  const y: NDArray<'float64'> = await matmulAsync(nested, f32)
  const { w }: { w: NDArray<'float32'> } = await eighAsync(literal)
  void [x, y, w]
  // @ts-expect-error a float32 result is not float64
  const wrong: NDArray<'float64'> = await solveAsync(f32, v32)
  void wrong
})

// @ts-expect-error a float32 result is not assignable to NDArray<'float64'>
const bad1: NDArray<'float64'> = solve(f32, v32)
// @ts-expect-error mixed inputs promote to float64, not float32
const bad2: NDArray<'float32'> = solve(f32, [1, 2])
// @ts-expect-error nested number arrays are float64
const bad3: NDArray<'float32'> = inv(nested)
// @ts-expect-error eig of float32 is complex64, not complex128
const { w: bad4 }: { w: NDArray<'complex128'> } = eig(f32)
// @ts-expect-error qr's factors of float32 are float32
const { r: bad5 }: { r: NDArray<'float64'> } = qr(literal, { mode: 'economic' })
// @ts-expect-error a string is not a matrix
void inv('1, 2; 3, 4')
void [bad1, bad2, bad3, bad4, bad5]
