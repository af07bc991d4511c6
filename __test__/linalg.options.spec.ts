// musique/linalg options and errors (issue 15, §2 and §3): every export checks
// its options' keys (an unknown key is a TypeError naming the nearest known
// one) and every value once, by SciPy's rule; every error carries a Node-style
// code; a numerical failure comes from the binding as a structured error
// (name 'LinAlgError' and a code), never as a message prefix.
import test from 'ava'

import * as linalg from 'musique/linalg'
import { LinAlgError } from 'musique/linalg'

// eslint-disable-next-line @typescript-eslint/no-require-imports
import native = require('../src/internal/native')
import { ndarray } from '../src/ndarray'

const A = [
  [4, 1, 2],
  [1, 5, 3],
  [2, 3, 6],
]
const B = [1, 2, 3]
const ARG_CODES = ['ERR_INVALID_ARG_TYPE', 'ERR_INVALID_ARG_VALUE', 'ERR_OUT_OF_RANGE', 'ERR_UNKNOWN_OPTION']

type Any = (...args: unknown[]) => unknown
const L = linalg as unknown as Record<string, Any>

// Every export that takes an options object, with arguments that make a valid call.
const CALLS: [string, unknown[]][] = [
  ['solve', [A, B]],
  ['solveTriangular', [A, B]],
  ['inv', [A]],
  ['det', [A]],
  ['slogdet', [A]],
  ['lstsq', [A, B]],
  ['pinv', [A]],
  ['norm', [A]],
  ['lu', [A]],
  ['luFactor', [A]],
  ['luSolve', [linalg.luFactor(A), B]],
  ['qr', [A]],
  ['cholesky', [A]],
  ['choFactor', [A]],
  ['choSolve', [linalg.choFactor(A), B]],
  ['svd', [A]],
  ['svdvals', [A]],
  ['eig', [A]],
  ['eigvals', [A]],
  ['eigh', [A]],
  ['eigvalsh', [A]],
  ['expm', [A]],
  ['matrixRank', [A]],
]
// The Promise forms whose sync form takes no options object.
const ASYNC_ONLY: [string, unknown[]][] = [
  ['matmul', [A, A]],
  ['cond', [A, undefined]],
]

test('an unknown option is a TypeError ERR_UNKNOWN_OPTION naming it and the nearest known key', async (t) => {
  const e = t.throws(() => linalg.svd(A, { computeUv: false } as never), { instanceOf: TypeError })
  t.is(e?.message, "Unknown option 'computeUv' for svd; did you mean 'computeUV'?")
  t.is((e as Error & { code?: string }).code, 'ERR_UNKNOWN_OPTION')
  const ea = await t.throwsAsync(linalg.svdAsync(A, { computeUv: false } as never), { instanceOf: TypeError })
  t.is(ea?.message, "Unknown option 'computeUv' for svdAsync; did you mean 'computeUV'?")
  t.is((ea as Error & { code?: string }).code, 'ERR_UNKNOWN_OPTION')
  t.throws(() => linalg.solve(A, B, { assume_a: 'pos' } as never), { message: "Unknown option 'assume_a' for solve; did you mean 'assumeA'?", code: 'ERR_UNKNOWN_OPTION' } as never)
  t.throws(() => linalg.lu(A, { permute_l: true } as never), { message: "Unknown option 'permute_l' for lu; did you mean 'permuteL'?" })
  t.throws(() => linalg.eigh(A, { subset_by_index: [0, 1] } as never), { message: "Unknown option 'subset_by_index' for eigh; did you mean 'subsetByIndex'?" })
  // signal belongs to the Promise forms only.
  t.throws(() => linalg.inv(A, { signal: AbortSignal.timeout(1000) } as never), { message: /^Unknown option 'signal' for inv; expected one of 'checkFinite'/ })
  // Options SciPy has and Musique does not are refused, not ignored.
  t.throws(() => linalg.qr(A, { lwork: 10 } as never), { message: /^Unknown option 'lwork' for qr/, code: 'ERR_UNKNOWN_OPTION' } as never)
})

test('every export (and its Promise form) checks its option keys', async (t) => {
  for (const [fn, args] of CALLS) {
    const e = t.throws(() => L[fn](...args, { bogusOption: 1 }), { instanceOf: TypeError }, fn)
    t.is((e as Error & { code?: string }).code, 'ERR_UNKNOWN_OPTION', fn)
    t.regex(e?.message ?? '', new RegExp(`^Unknown option 'bogusOption' for ${fn}; `), fn)
    t.notThrows(() => L[fn](...args, {}), fn)
    t.notThrows(() => L[fn](...args, null), `${fn} with null options`)
  }
  for (const [fn, args] of [...CALLS, ...ASYNC_ONLY]) {
    const e = await t.throwsAsync(Promise.resolve().then(() => L[`${fn}Async`](...args, { bogusOption: 1 })), { instanceOf: TypeError }, `${fn}Async`)
    t.is((e as Error & { code?: string }).code, 'ERR_UNKNOWN_OPTION', `${fn}Async`)
    t.regex(e?.message ?? '', new RegExp(`^Unknown option 'bogusOption' for ${fn}Async; `), `${fn}Async`)
    await t.notThrowsAsync(Promise.resolve().then(() => L[`${fn}Async`](...args, { signal: new AbortController().signal })), `${fn}Async with signal`)
  }
  // options must be an object
  t.throws(() => linalg.inv(A, 'x' as never), { instanceOf: TypeError, message: "options must be an object; got 'x'", code: 'ERR_INVALID_ARG_TYPE' } as never)
  t.throws(() => linalg.inv(A, [] as never), { instanceOf: TypeError, message: 'options must be an object; got an Array of length 0' })
})

test('option values are checked by SciPy rules, with codes; null means the default', (t) => {
  const cases: [() => unknown, ErrorConstructor, string, string][] = [
    [() => linalg.solve(A, B, { assumeA: 'banana' as never }), RangeError, 'ERR_INVALID_ARG_VALUE', "assumeA must be one of 'gen', 'sym', 'her', 'pos', 'lower triangular', 'upper triangular', 'diagonal'; got 'banana'"],
    [() => linalg.solve(A, B, { assumeA: 1 as never }), TypeError, 'ERR_INVALID_ARG_TYPE', "assumeA must be 'gen', 'sym', 'pos', 'lower triangular', 'upper triangular' or 'diagonal'; got 1"],
    [() => linalg.solve(A, B, { lower: 1 as never }), TypeError, 'ERR_INVALID_ARG_TYPE', 'lower must be a boolean; got 1'],
    [() => linalg.solve(A, B, { transposed: 'false' as never }), TypeError, 'ERR_INVALID_ARG_TYPE', "transposed must be a boolean; got 'false'"],
    [() => linalg.solve(A, B, { checkFinite: 0 as never }), TypeError, 'ERR_INVALID_ARG_TYPE', 'checkFinite must be a boolean; got 0'],
    [() => linalg.solve(A, B, { overwriteA: 'yes' as never }), TypeError, 'ERR_INVALID_ARG_TYPE', "overwriteA must be a boolean; got 'yes'"],
    [() => linalg.inv(A, { assumeA: 'kaboom' as never }), RangeError, 'ERR_INVALID_ARG_VALUE', "assumeA must be one of 'gen', 'sym', 'her', 'pos', 'lower triangular', 'upper triangular', 'diagonal'; got 'kaboom'"],
    [() => linalg.solveTriangular(A, B, { trans: 3 as never }), RangeError, 'ERR_INVALID_ARG_VALUE', "trans must be 0, 1, 2, 'N', 'T' or 'C'; got 3"],
    [() => linalg.solveTriangular(A, B, { trans: 'X' as never }), RangeError, 'ERR_INVALID_ARG_VALUE', "trans must be 0, 1, 2, 'N', 'T' or 'C'; got 'X'"],
    [() => linalg.solveTriangular(A, B, { trans: true as never }), TypeError, 'ERR_INVALID_ARG_TYPE', "trans must be 0, 1, 2, 'N', 'T' or 'C'; got true"],
    [() => linalg.luSolve(linalg.luFactor(A), B, { trans: 'toString' as never }), RangeError, 'ERR_INVALID_ARG_VALUE', "trans must be 0, 1, 2, 'N', 'T' or 'C'; got 'toString'"],
    [() => linalg.qr(A, { mode: 'raw' as never }), RangeError, 'ERR_INVALID_ARG_VALUE', "mode must be 'full', 'economic' or 'r'; got 'raw'"],
    [() => linalg.qr(A, { mode: 2 as never }), TypeError, 'ERR_INVALID_ARG_TYPE', "mode must be 'full', 'economic' or 'r'; got 2"],
    [() => linalg.svd(A, { lapackDriver: 'foo' as never }), RangeError, 'ERR_INVALID_ARG_VALUE', "lapackDriver must be 'gesdd' or 'gesvd'; got 'foo'"],
    [() => linalg.svd(A, { lapackDriver: 1 as never }), TypeError, 'ERR_INVALID_ARG_TYPE', "lapackDriver must be 'gesdd' or 'gesvd'; got 1"],
    [() => linalg.lstsq(A, B, { lapackDriver: 'gelsx' as never }), RangeError, 'ERR_INVALID_ARG_VALUE', "lapackDriver must be 'gelsd', 'gelss' or 'gelsy'; got 'gelsx'"],
    [() => linalg.svd(A, { fullMatrices: 'no' as never }), TypeError, 'ERR_INVALID_ARG_TYPE', "fullMatrices must be a boolean; got 'no'"],
    [() => linalg.lu(A, { pIndices: 1 as never }), TypeError, 'ERR_INVALID_ARG_TYPE', 'pIndices must be a boolean; got 1'],
    [() => linalg.lstsq(A, B, { cond: '1e-3' as never }), TypeError, 'ERR_INVALID_ARG_TYPE', "cond must be a number; got '1e-3'"],
    [() => linalg.lstsq(A, B, { cond: NaN }), RangeError, 'ERR_OUT_OF_RANGE', 'cond must be a number; got NaN'],
    [() => linalg.pinv(A, { atol: -1 }), RangeError, 'ERR_OUT_OF_RANGE', 'atol must be a number >= 0; got -1'],
    [() => linalg.pinv(A, { rtol: [1] as never }), TypeError, 'ERR_INVALID_ARG_TYPE', 'rtol must be a number >= 0; got an Array of length 1'],
    [() => linalg.matrixRank(A, { tol: {} as never }), TypeError, 'ERR_INVALID_ARG_TYPE', 'tol must be a number; got an object (Object)'],
    [() => linalg.norm(A, { ord: 'foo' as never }), RangeError, 'ERR_INVALID_ARG_VALUE', "ord must be a number, Infinity, -Infinity, 'fro' or 'nuc'; got 'foo'"],
    [() => linalg.norm(A, { ord: NaN }), RangeError, 'ERR_OUT_OF_RANGE', "ord must be a number, Infinity, -Infinity, 'fro' or 'nuc'; got NaN"],
    [() => linalg.norm(A, { ord: [2] as never }), TypeError, 'ERR_INVALID_ARG_TYPE', "ord must be a number, Infinity, -Infinity, 'fro' or 'nuc'; got an Array of length 1"],
    [() => linalg.norm(A, { axis: 0.5 as never }), RangeError, 'ERR_OUT_OF_RANGE', 'axis must be an integer or a pair of integers; got 0.5'],
    [() => linalg.norm(A, { axis: '0' as never }), TypeError, 'ERR_INVALID_ARG_TYPE', "axis must be an integer or a pair of integers; got '0'"],
    [() => linalg.norm(A, { axis: 2 }), RangeError, 'ERR_OUT_OF_RANGE', 'axis 2 is out of bounds for array of dimension 2'],
    [() => linalg.norm(A, { keepdims: 1 as never }), TypeError, 'ERR_INVALID_ARG_TYPE', 'keepdims must be a boolean; got 1'],
    [() => linalg.eigh(A, { subsetByIndex: [0.5, 1] as never }), RangeError, 'ERR_OUT_OF_RANGE', 'subsetByIndex must be a pair of integers [lo, hi]; got \'[0.5, 1]\''],
    [() => linalg.eigh(A, { subsetByIndex: 1 as never }), TypeError, 'ERR_INVALID_ARG_TYPE', 'subsetByIndex must be a pair of integers [lo, hi]; got 1'],
    [() => linalg.eigh(A, { subsetByIndex: [2, 5] }), RangeError, 'ERR_INVALID_ARG_VALUE', 'subsetByIndex must satisfy 0 <= lo <= hi < 3; got [2, 5]'],
    [() => linalg.cond(A, 'foo' as never), RangeError, 'ERR_INVALID_ARG_VALUE', "p must be 'fro', 'nuc', 1, -1, 2, -2, Infinity or -Infinity; got foo"],
    [() => linalg.cond(A, {} as never), TypeError, 'ERR_INVALID_ARG_TYPE', "p must be 'fro', 'nuc', 1, -1, 2, -2, Infinity or -Infinity; got an object (Object)"],
    [() => linalg.choSolve({ c: A, lower: 'no' } as never, B), TypeError, 'ERR_INVALID_ARG_TYPE', "cAndLower.lower must be a boolean; got 'no'"],
    [() => linalg.luSolve({ lu: A, piv: [0, 1.5, 2] }, B), RangeError, 'ERR_OUT_OF_RANGE', 'luAndPiv.piv must be pivots in [0, 3); got 1.5'],
    [() => linalg.luSolve({ lu: A, piv: [0, 1] }, B), TypeError, 'ERR_INVALID_ARG_TYPE', 'luAndPiv.piv must be an Int32Array (or array) of 3 pivots; got an Array of length 2'],
    [() => linalg.luSolve({ lu: A, piv: ['0', 1, 2] as never }, B), TypeError, 'ERR_INVALID_ARG_TYPE', "luAndPiv.piv must be pivots in [0, 3); got '0'"],
  ]
  for (const [call, type, code, message] of cases) {
    const e = t.throws(call, { instanceOf: type }, message)
    t.is(e?.message, message)
    t.is((e as Error & { code?: string }).code, code, message)
  }
  // null is the default, as SciPy's None.
  const nulls = { assumeA: null, lower: null, transposed: null, checkFinite: null, overwriteA: null, overwriteB: null } as never
  t.deepEqual(linalg.solve(A, B, nulls), linalg.solve(A, B))
  t.deepEqual(linalg.svd(A, { fullMatrices: null, computeUV: null, lapackDriver: null } as never), linalg.svd(A))
  t.deepEqual(linalg.norm(A, { ord: null, axis: null, keepdims: null } as never), linalg.norm(A))
  t.deepEqual(linalg.solveTriangular(A, B, { trans: null } as never), linalg.solveTriangular(A, B))
  // SciPy's spellings of the same choice give the same result.
  for (const [x, y] of [
    ['T', 1],
    ['N', 0],
    ['C', 2],
  ] as const) {
    t.deepEqual(linalg.solveTriangular(A, B, { trans: x }), linalg.solveTriangular(A, B, { trans: y }))
  }
  // overwriteA/overwriteB are accepted (SciPy's permission) and change nothing: inputs are never written.
  const data = Float64Array.from(A.flat())
  const a = ndarray(data, [3, 3])
  t.deepEqual(linalg.inv(a, { overwriteA: true }), linalg.inv(A))
  t.deepEqual(Array.from(data), A.flat())
  t.deepEqual(linalg.svd(A, { lapackDriver: 'gesvd' }), linalg.svd(A, { lapackDriver: 'gesdd' }))
})

test('fuzz: a wrong value for any option is a TypeError or RangeError with a code, never a napi error', async (t) => {
  const bad: unknown[] = ['x', '', {}, [], [1], [1, 2, 3], NaN, Infinity, -1, 2.5, 1e300, true, () => 0, Symbol('s'), 10n, new Float64Array(2)]
  const known: Record<string, string[]> = {
    solve: ['assumeA', 'lower', 'transposed', 'checkFinite', 'overwriteA', 'overwriteB'],
    solveTriangular: ['trans', 'lower', 'unitDiagonal', 'checkFinite', 'overwriteB'],
    inv: ['assumeA', 'lower', 'checkFinite', 'overwriteA'],
    det: ['checkFinite', 'overwriteA'],
    lstsq: ['cond', 'checkFinite', 'lapackDriver', 'overwriteB'],
    pinv: ['atol', 'rtol'],
    norm: ['ord', 'axis', 'keepdims'],
    lu: ['permuteL', 'pIndices'],
    luSolve: ['trans'],
    qr: ['mode', 'pivoting'],
    cholesky: ['lower'],
    svd: ['fullMatrices', 'computeUV', 'lapackDriver'],
    eigh: ['lower', 'subsetByIndex'],
    matrixRank: ['tol'],
  }
  const args = Object.fromEntries(CALLS)
  const check = (what: string, e: unknown) => {
    const ok = (e instanceof TypeError || e instanceof RangeError) && ARG_CODES.includes((e as Error & { code?: string }).code ?? '')
    t.true(ok, `${what}: ${e instanceof Error ? `${e.constructor.name} ${String((e as Error & { code?: string }).code)}: ${e.message}` : String(e)}`)
  }
  for (const [fn, keys] of Object.entries(known)) {
    for (const key of keys) {
      for (const v of bad) {
        let thrown: unknown
        try {
          L[fn](...args[fn], { [key]: v })
        } catch (e) {
          thrown = e
        }
        // Some values are valid (e.g. tol: Infinity, ord: -1, axis: -1); only an error is checked.
        if (thrown !== undefined) check(`${fn}({ ${key}: ${typeof v === 'symbol' ? 'Symbol' : typeof v === 'bigint' ? '10n' : JSON.stringify(v) ?? String(v)} })`, thrown)
      }
    }
  }
  // bad arguments where matrices go
  for (const v of ['x', {}, [[1, 'a']], [[1], [1, 2]], NaN, null, Symbol('s')]) {
    for (const fn of ['inv', 'det', 'svd', 'lu', 'qr']) {
      let thrown: unknown
      try {
        L[fn](v)
      } catch (e) {
        thrown = e
      }
      if (thrown !== undefined) check(`${fn}(${typeof v === 'symbol' ? 'Symbol' : JSON.stringify(v)})`, thrown)
      else t.fail(`${fn}(${typeof v === 'symbol' ? 'Symbol' : JSON.stringify(v)}) did not throw`)
    }
  }
  await t.throwsAsync(linalg.invAsync(A, { assumeA: 7 as never }), { instanceOf: TypeError, code: 'ERR_INVALID_ARG_TYPE' } as never)
})

test('numerical failures come from the binding as structured errors: name LinAlgError and a code', async (t) => {
  // The raw binding: an Error whose name and code say what failed (no message prefix to parse).
  const raw = t.throws(() => native.linalgExecute({ op: 'inv', threads: 1 }, [Float64Array.from([1, 2, 2, 4])], [2, 2]))
  t.is(raw?.name, 'LinAlgError')
  t.is((raw as Error & { code?: string }).code, 'ERR_SINGULAR_MATRIX')
  t.is(raw?.message, 'Matrix is singular.')
  const rawAsync = await t.throwsAsync(native.linalgExecuteAsync({ op: 'cholesky', threads: 1, lower: false }, [Float64Array.from([1, 2, 2, 1])], [2, 2]))
  t.is(rawAsync?.name, 'LinAlgError')
  t.is((rawAsync as Error & { code?: string }).code, 'ERR_NOT_POSITIVE_DEFINITE')
  t.is(rawAsync?.message, '2-th leading minor of the array is not positive definite')
  // The public API turns them into LinAlgError, sync and async, with the same message and code.
  const sync = t.throws(() => linalg.cholesky([[1, 2], [2, 1]]), { instanceOf: LinAlgError })
  t.is(sync?.code, 'ERR_NOT_POSITIVE_DEFINITE')
  t.is(sync?.message, '2-th leading minor of the array is not positive definite')
  t.is(sync?.name, 'LinAlgError')
  const async = await t.throwsAsync(linalg.choleskyAsync([[1, 2], [2, 1]]), { instanceOf: LinAlgError })
  t.deepEqual([async?.code, async?.message], [sync?.code, sync?.message])
  for (const [name, call] of [
    ['solve', () => linalg.solveAsync([[1, 2], [2, 4]], [1, 1])],
    ['solve pos', () => linalg.solveAsync([[1, 2], [2, 4]], [1, 1], { assumeA: 'pos' })],
    ['luSolve', () => linalg.luSolveAsync(linalg.luFactor([[1, 2], [2, 4]]), [1, 1])],
    ['solveTriangular', () => linalg.solveTriangularAsync([[0, 1], [0, 1]], [1, 1])],
  ] as const) {
    const e = await t.throwsAsync(call(), { instanceOf: LinAlgError }, name)
    t.is(e?.code, 'ERR_SINGULAR_MATRIX', name)
    t.is(e?.message, 'Matrix is singular.', name)
  }
  // A malformed request to the raw binding is a RangeError, not a LinAlgError.
  t.throws(() => native.linalgExecute({ op: 'inv', threads: 1 }, [Float64Array.from([1, 2, 3])], [2, 2]), { message: /^malformed linalg request/ })
})

test('fuzzer findings: a 0-d matrixRank and an empty cond are answered in TypeScript, not by the binding', (t) => {
  // numpy.linalg.matrix_rank of a scalar: 1 unless it is zero.
  t.is(linalg.matrixRank(ndarray(Float64Array.from([0.88]), [], 'float64')), 1)
  t.is(linalg.matrixRank(ndarray(Float32Array.from([0]), [], 'float32')), 0)
  for (const a of [[[]], ndarray(new Float64Array(0), [0, 0]), ndarray(new Float64Array(0), [0, 3])]) {
    const e = t.throws(() => linalg.cond(a), { instanceOf: RangeError })
    t.regex(e?.message ?? '', /^cond is not defined on empty arrays/)
    t.is((e as Error & { code?: string }).code, 'ERR_INVALID_ARG_VALUE')
  }
})
