// Packs the main package and this platform's binary package as `npm publish`
// would ship them, installs both into a fresh project with no Rust toolchain
// on PATH and no network, and uses musique there from CommonJS and ESM.
import { execFileSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'

import test from 'ava'

const ROOT = join(__dirname, '..')
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'))

function platformDir(): string {
  const abi = process.platform === 'linux' ? (process.report?.getReport() as { header?: { glibcVersionRuntime?: string } })?.header?.glibcVersionRuntime ? '-gnu' : '-musl' : process.platform === 'win32' ? '-msvc' : ''
  return `${process.platform}-${process.arch}${abi}`
}

/** PATH without any directory holding cargo or rustc, as on a user's machine. */
function pathWithoutRust(): string {
  return (process.env.PATH ?? '')
    .split(delimiter)
    .filter((d) => !['cargo', 'rustc'].some((tool) => existsSync(join(d, tool))))
    .join(delimiter)
}

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): string {
  // npm is npm.cmd on Windows, which only a shell runs.
  const shell = process.platform === 'win32' && cmd === 'npm'
  return execFileSync(cmd, args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], shell })
}

function pack(dir: string, dest: string): string {
  const out = run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dest], dir)
  return join(dest, JSON.parse(out)[0].filename)
}

test.serial('the packed packages install offline without Rust and work from CommonJS and ESM', (t) => {
  t.timeout(180_000)
  const platform = platformDir()
  const binary = `musique.${platform}.node`
  t.true(existsSync(join(ROOT, 'npm', platform, 'package.json')), `npm/${platform} exists`)
  t.true(existsSync(join(ROOT, binary)), `${binary} was built`)

  const work = mkdtempSync(join(tmpdir(), 'musique-pack-'))
  try {
    // The main package, with the optionalDependencies `napi prepublish` adds at publish time.
    const files: { path: string }[] = JSON.parse(run('npm', ['pack', '--dry-run', '--ignore-scripts', '--json'], ROOT))[0].files
    const paths = files.map((f) => f.path)
    t.false(paths.some((p) => p.endsWith('.node')), 'no native binary inside the main package')
    t.false(paths.some((p) => p.endsWith('.rs') || p.startsWith('crates/')), 'no Rust sources')
    for (const p of ['index.js', 'index.mjs', 'index.d.ts', 'binding.js', 'src/fft.js', 'src/fft.mjs', 'src/fft.d.ts', 'bin/musique.js']) {
      t.true(paths.includes(p), `${p} is packed`)
    }
    const main = join(work, 'main')
    for (const p of paths) cpSync(join(ROOT, p), join(main, p))
    const optional = Object.fromEntries(readdirSync(join(ROOT, 'npm')).map((d) => [`musique-${d}`, pkg.version]))
    writeFileSync(join(main, 'package.json'), JSON.stringify({ ...pkg, optionalDependencies: optional }, null, 2))

    // This platform's binary package, with the binary CI would put there.
    const native = join(work, 'native')
    cpSync(join(ROOT, 'npm', platform), native, { recursive: true })
    cpSync(join(ROOT, binary), join(native, binary))

    const tarballs = join(work, 'tarballs')
    mkdirSync(tarballs)
    const mainTgz = pack(main, tarballs)
    const nativeTgz = pack(native, tarballs)

    const app = join(work, 'app')
    mkdirSync(app)
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', private: true }))
    const env = { ...process.env, PATH: pathWithoutRust(), CARGO_HOME: '', RUSTUP_HOME: '' }
    t.throws(() => run('cargo', ['--version'], app, env), undefined, 'cargo is not on PATH')
    run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', nativeTgz, mainTgz], app, env)
    t.false(existsSync(join(app, 'node_modules', 'musique', binary)), 'the binary comes from the platform package')

    const expected = '10,0,-2,2,-2,0,-2,-2'
    const cjs = run(process.execPath, ['-e', `
      const m = require('musique'); const f = require('musique/fft')
      const y = f.fft([1, 2, 3, 4])
      if (m.fft !== f.fft) throw new Error('one instance')
      console.log(JSON.stringify({ data: Array.from(y.data).join(','), dtype: y.dtype, binary: require.resolve('musique-${platform}') }))
    `], app, env)
    const c = JSON.parse(cjs)
    t.is(c.data, expected)
    t.is(c.dtype, 'complex128')
    t.true(c.binary.includes(join('node_modules', `musique-${platform}`)))

    writeFileSync(join(app, 'esm.mjs'), `
      import { fft } from 'musique/fft'
      import musique, { complex, fftAsync } from 'musique'
      const y = await fftAsync(complex([1, 2, 3, 4]))
      console.log(JSON.stringify({ sync: Array.from(fft([1, 2, 3, 4]).data).join(','), async: Array.from(y.data).join(','), same: musique.fft === fft }))
    `)
    const e = JSON.parse(run(process.execPath, ['esm.mjs'], app, env))
    t.is(e.sync, expected)
    t.is(e.async, expected)
    t.true(e.same, 'ESM and CommonJS share one instance')

    const info = run(process.execPath, [join(app, 'node_modules', 'musique', 'bin', 'musique.js'), 'info', '--json', '--no-demo'], app, env)
    t.regex(JSON.parse(info).binary.path ?? '', new RegExp(`musique-${platform}`))
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
})
