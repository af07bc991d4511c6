// scipy.stats.qmc's samplers, as differential evolution's `init` uses them:
// Sobol, Halton and LatinHypercube, computed in Rust (musique-optimize).
// Unscrambled Sobol and Halton points equal SciPy's bit for bit; scrambled
// ones and Latin hypercubes use Musique's PCG-64 stream, so a seed gives
// other points than NumPy's.

import { randomInt } from 'node:crypto'

import { checkOptions, rangeError, rangeErrorMessage, typeError } from './internal/errors'
import { boolOption, intOption } from './internal/options'
import native = require('./internal/native')
import type { NDArray } from './ndarray'

/** Options shared by the samplers. */
export interface QmcOptions {
  /** Randomize the sequence (Owen-type scrambling for Sobol, permutations for Halton, jitter for LatinHypercube). @default true */
  scramble?: boolean
  /** Seed (an integer below 2^53) for reproducible scrambled points; a random seed when omitted. SciPy's `rng`/`seed`. */
  seed?: number
}

/** The options each sampler knows: SciPy's keywords that Musique supports. */
const QMC_OPTIONS = ['scramble', 'seed'] as const
const SOBOL_OPTIONS = [...QMC_OPTIONS, 'bits'] as const
const NAMES = { sobol: 'Sobol', halton: 'Halton', lhs: 'LatinHypercube' } as const

function checkD(d: unknown): number {
  // The binding takes d as a u32.
  const expected = 'a positive integer below 2**32 (the dimension)'
  if (typeof d !== 'number') throw typeError('d', expected, d)
  if (!Number.isInteger(d) || d < 1 || d > 2 ** 32 - 1) throw rangeError('d', expected, d)
  return d
}

/** A seed for the native generator: the given one, checked, or a fresh random one. */
export function checkSeed(seed: unknown, name = 'seed'): number {
  if (seed === undefined || seed === null) return randomInt(2 ** 47) * 64 + randomInt(64)
  if (typeof seed !== 'number') throw typeError(name, 'a non-negative integer below 2**53', seed)
  if (!Number.isSafeInteger(seed) || seed < 0) throw rangeError(name, 'a non-negative integer below 2**53', seed)
  return seed
}

/** A count of points (the binding takes a u32). */
function checkN(n: unknown, name = 'n'): number {
  if (typeof n !== 'number') throw typeError(name, 'a non-negative integer', n)
  if (!Number.isInteger(n) || n < 0 || n > 2 ** 32 - 1) throw rangeError(name, 'a non-negative integer below 2**32', n)
  return n
}

/** The common face of the samplers, as scipy.stats.qmc.QMCEngine. */
export abstract class QMCEngine {
  /** Dimension of the points. */
  readonly d: number
  /** Points drawn so far. */
  numGenerated = 0
  /** @internal The native sampler state (not part of the public API). */
  protected readonly engine: InstanceType<typeof native.QmcEngine>

  protected constructor(kind: 'sobol' | 'halton' | 'lhs', d: unknown, options: unknown, bits?: number) {
    const o = checkOptions(options, NAMES[kind], kind === 'sobol' ? SOBOL_OPTIONS : QMC_OPTIONS)
    this.d = checkD(d)
    const scramble = boolOption(o.scramble, 'scramble', true)
    this.engine = callSampler(() => new native.QmcEngine(kind, this.d, scramble, checkSeed(o.seed), bits))
  }

  /**
   * The next `n` points, an n×d float64 NDArray in [0, 1).
   *
   * @example
   * ```ts
   * import { Halton } from 'musique/optimize'
   * new Halton(2, { scramble: false }).random(3).data // Float64Array [0, 0, 0.5, 0.333…, 0.25, 0.666…]
   * ```
   */
  random(n = 1): NDArray<'float64'> {
    const count = checkN(n)
    const data = callSampler(() => this.engine.random(count))
    this.numGenerated += count
    return { data, shape: [count, this.d], dtype: 'float64' }
  }

  /** Starts the sequence again. */
  reset(): this {
    this.engine.reset()
    this.numGenerated = 0
    return this
  }

  /** Skips `n` points (any count up to 2**53: Sobol and Halton jump there at once). */
  fastForward(n: number): this {
    if (typeof n !== 'number') throw typeError('n', 'a non-negative integer', n)
    if (!Number.isInteger(n) || n < 0 || n > 2 ** 53) throw rangeError('n', 'a non-negative integer up to 2**53', n)
    const count = n
    callSampler(() => this.engine.fastForward(count))
    this.numGenerated += count
    return this
  }
}

/** Calls the native sampler; its errors are SciPy's ValueErrors that depend on the sequence's state (too many points for `bits`, a broken balance). */
function callSampler<R>(fn: () => R): R {
  try {
    return fn()
  } catch (e) {
    throw rangeErrorMessage((e as Error).message)
  }
}

/**
 * Sobol' sequence (scipy.stats.qmc.Sobol), with Joe and Kuo's direction numbers
 * for up to 1111 dimensions. Draw powers of two (`randomBase2`) to keep its balance.
 *
 * @example
 * ```ts
 * import { Sobol } from 'musique/optimize'
 * new Sobol(2, { scramble: false }).randomBase2(2).data // Float64Array [0, 0, 0.5, 0.5, 0.75, 0.25, 0.25, 0.75]
 * ```
 */
export class Sobol extends QMCEngine {
  /** Bits of precision of the points. @default 30 */
  readonly bits: number

  constructor(d: number, options?: QmcOptions & { bits?: number }) {
    const bits = intOption(checkOptions(options, 'Sobol', SOBOL_OPTIONS).bits, 'bits', 30, { min: 1, max: 64 })
    super('sobol', d, options, bits)
    this.bits = bits
  }

  /** The next 2^m points. */
  randomBase2(m: number): NDArray<'float64'> {
    const mm = checkN(m, 'm')
    const data = callSampler(() => this.engine.randomBase2(mm))
    this.numGenerated += 2 ** mm
    return { data, shape: [2 ** mm, this.d], dtype: 'float64' }
  }

  override random(n = 1): NDArray<'float64'> {
    if (!this.engine.isBalanced(checkN(n))) {
      process.emitWarning("The balance properties of Sobol' points require n to be a power of 2.", 'UserWarning')
    }
    return super.random(n)
  }
}

/**
 * Halton sequence (scipy.stats.qmc.Halton).
 *
 * @example
 * ```ts
 * import { Halton } from 'musique/optimize'
 * new Halton(3, { seed: 1 }).random(4).shape // [4, 3]
 * ```
 */
export class Halton extends QMCEngine {
  constructor(d: number, options?: QmcOptions) {
    super('halton', d, options)
  }
}

/**
 * Latin hypercube sampling (scipy.stats.qmc.LatinHypercube): each axis is cut
 * into n equal cells and each cell holds one point.
 *
 * @example
 * ```ts
 * import { LatinHypercube } from 'musique/optimize'
 * new LatinHypercube(2, { seed: 7 }).random(10).shape // [10, 2]
 * ```
 */
export class LatinHypercube extends QMCEngine {
  constructor(d: number, options?: QmcOptions) {
    super('lhs', d, options)
  }
}
