// The `workers` rule shared by every module, its scoped default, and the pools.
import { availableParallelism } from 'node:os'

import test from 'ava'

import { effectiveWorkers, fft, getWorkers, resolveWorkers, withWorkers, workerPools } from 'musique'

const cores = availableParallelism()

test('integers ≥ 1 are thread counts, -1 is every core, other negatives wrap', (t) => {
  t.is(resolveWorkers(1), 1)
  t.is(resolveWorkers(3), 3)
  t.is(resolveWorkers(-1), cores)
  t.is(resolveWorkers(-cores), 1)
  if (cores > 1) t.is(resolveWorkers(-2), cores - 1)
})

test('0, non-integers, non-numbers and negatives below -cores are refused naming workers', (t) => {
  t.throws(() => resolveWorkers(0), { instanceOf: RangeError, message: /^workers must be a non-zero integer/ })
  t.throws(() => resolveWorkers(1.5), { instanceOf: RangeError, message: /^workers must be an integer; got 1.5/ })
  t.throws(() => resolveWorkers(NaN), { instanceOf: RangeError, message: /^workers must be an integer/ })
  t.throws(() => resolveWorkers('2' as unknown as number), { instanceOf: TypeError, message: /^workers must be an integer; got '2'/ })
  t.throws(() => resolveWorkers(-cores - 1), { instanceOf: RangeError, message: /workers value out of range; got -\d+/ })
  t.throws(() => fft([1, 2], { workers: -cores - 1 }), { instanceOf: RangeError, message: /workers/ })
})

test('the default is 1; withWorkers scopes it, also across await; the explicit option wins', async (t) => {
  t.is(getWorkers(), 1)
  const seen = await withWorkers(-1, async () => {
    const before = getWorkers()
    await new Promise((r) => setTimeout(r, 5))
    return [before, getWorkers(), resolveWorkers(), resolveWorkers(1)]
  })
  t.deepEqual(seen, [-1, -1, cores, 1])
  t.is(getWorkers(), 1)
  t.is(withWorkers(2, () => effectiveWorkers([64, 1024], { axes: [-1] })), 2)
  t.is(withWorkers(2, () => effectiveWorkers([64, 1024], { axes: [-1], workers: 1 })), 1)
  t.throws(() => withWorkers(0, () => 1), { instanceOf: RangeError, message: /^workers/ })
})

test('two concurrent scopes do not disturb each other', async (t) => {
  const tick = () => new Promise((r) => setTimeout(r, 1))
  const run = (w: number) =>
    withWorkers(w, async () => {
      const seen: number[] = []
      for (let i = 0; i < 5; i++) {
        await tick()
        seen.push(getWorkers())
      }
      return seen
    })
  const [a, b] = await Promise.all([run(1), run(3)])
  t.deepEqual(a, [1, 1, 1, 1, 1])
  t.deepEqual(b, [3, 3, 3, 3, 3])
})

test('pools are cached by size, never built per call', (t) => {
  const x = new Float64Array(1 << 17)
  fft({ data: x, shape: [64, 1 << 11], dtype: 'float64' }, { workers: 3 })
  const after = workerPools().map((p) => p.threads)
  t.true(after.includes(3))
  for (let i = 0; i < 5; i++) fft({ data: x, shape: [64, 1 << 11], dtype: 'float64' }, { workers: 3 })
  t.deepEqual(workerPools().map((p) => p.threads), after)
})
