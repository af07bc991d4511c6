// The Promise forms' shared abort plumbing: many calls on one signal.
import test from 'ava'

import { complex } from 'musique'
import { fft2Async, fftAsync } from 'musique/fft'
import { solveAsync } from 'musique/linalg'

test('a thousand concurrent calls sharing one AbortSignal add one listener: no MaxListenersExceededWarning', async (t) => {
  const warnings: Error[] = []
  const onWarning = (w: Error): void => {
    warnings.push(w)
  }
  process.on('warning', onWarning)
  try {
    const controller = new AbortController()
    const x = complex([1, 2, 3, 4])
    const ys = await Promise.all(
      Array.from({ length: 1000 }, (_, i) => (i % 2 === 0 ? fftAsync(x, { signal: controller.signal }) : solveAsync([[2, 0], [0, 2]], [2, 4], { signal: controller.signal }))),
    )
    t.is(ys.length, 1000)
    t.deepEqual(Array.from(ys[1].data), [1, 2])
    // Then abort calls still in flight on the same signal: every one rejects with its reason.
    const big = { data: new Float64Array(2 * 512 * 512), shape: [512, 512], dtype: 'complex128' as const }
    const pending = Array.from({ length: 20 }, () => fft2Async(big, { signal: controller.signal }))
    const reason = new Error('stop')
    controller.abort(reason)
    for (const p of pending) await t.throwsAsync(p, { is: reason })
    await new Promise((r) => setImmediate(r))
    t.deepEqual(
      warnings.filter((w) => w.name === 'MaxListenersExceededWarning').map((w) => w.message),
      [],
    )
  } finally {
    process.off('warning', onWarning)
  }
})
