// The README's examples run as they are written, so they cannot rot.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

import test from 'ava'

const ROOT = join(__dirname, '..')

function tsBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1])
}

test('every TypeScript example in the README runs, and its stated results hold', (t) => {
  const blocks = tsBlocks(readFileSync(join(ROOT, 'README.md'), 'utf8'))
  t.true(blocks.length > 0, 'the README has TypeScript examples')
  // Inside the package folder, so `import … from 'musique'` resolves to this checkout.
  const dir = mkdtempSync(join(ROOT, '__test__', '.readme-'))
  try {
    blocks.forEach((code, i) => {
      const file = join(dir, `example-${i}.mts`)
      // The first example states fft([1, 2, 3, 4])'s value in a comment: check it.
      let check = code.includes('const spectrum = fft([1, 2, 3, 4])')
        ? `\nif (Array.from(spectrum.data).join(',') !== '10,0,-2,2,-2,0,-2,-2') throw new Error('spectrum: ' + Array.from(spectrum.data))\nconsole.log('checked')\n`
        : ''
      // The linear-algebra example states its values in comments: check them.
      if (code.includes('const x = solve(a, [2, 4, -1])')) {
        check = `
const near = (got, want) => got.length === want.length && want.every((w, i) => Math.abs(got[i] - w) < 1e-12 * (1 + Math.abs(w)))
if (!near(Array.from(x.data), [2, -2, 9])) throw new Error('solve: ' + Array.from(x.data))
if (Math.abs(d + 2) > 1e-14) throw new Error('det: ' + d)
if (!near(Array.from(s.data), [3, 2])) throw new Error('svd: ' + Array.from(s.data))
if (!near(Array.from(w.data), [1, 3])) throw new Error('eigh: ' + Array.from(w.data))
if (!near(Array.from(fit.x.data), [1, 2]) || fit.rank !== 2) throw new Error('lstsq')
if (threadpoolInfo()[0].userApi !== 'blas') throw new Error('threadpoolInfo')
console.log('checked')
`
      }
      // The optimization example states its values in comments: check them.
      if (code.includes('const r = differentialEvolution(rosen')) {
        check = `
const near = (got, want, tol) => got.length === want.length && want.every((w, i) => Math.abs(got[i] - w) <= tol)
if (!near(Array.from(r.x), [1, 1, 1], 1e-6) || r.message !== 'Optimization terminated successfully.') throw new Error('de: ' + Array.from(r.x))
if (!near(Array.from(a.x), [1, -0.5], 1e-6) || !near(Array.from(m.x), Array.from(a.x), 1e-9)) throw new Error('async/map-like')
if (!near(Array.from(local.x), [1, 1, 1, 1, 1], 1e-4)) throw new Error('minimize')
if (root !== 1.4142135623731364) throw new Error('brentq: ' + root)
if (points.data[2] !== 0.5 || points.shape[0] !== 8) throw new Error('sobol')
console.log('checked')
`
      }
      writeFileSync(file, code + check)
      const out = execFileSync(process.execPath, ['--import', 'tsx', file], { cwd: ROOT, encoding: 'utf8' })
      if (check) t.regex(out, /checked/)
      if (code.includes('inv([[1, 2], [2, 4]])')) t.regex(out, /ERR_SINGULAR_MATRIX/)
    })
    t.pass()
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})
