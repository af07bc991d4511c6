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
      const check = code.includes('const spectrum = fft([1, 2, 3, 4])')
        ? `\nif (Array.from(spectrum.data).join(',') !== '10,0,-2,2,-2,0,-2,-2') throw new Error('spectrum: ' + Array.from(spectrum.data))\nconsole.log('checked')\n`
        : ''
      writeFileSync(file, code + check)
      const out = execFileSync(process.execPath, ['--import', 'tsx', file], { cwd: ROOT, encoding: 'utf8' })
      if (check) t.regex(out, /checked/)
    })
    t.pass()
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})
