// Two SVG charts beside RESULTS.md, from results.json:
//   speedup.svg: speed-up of 2 (or all) threads over 1, Musique beside SciPy,
//                for every row timed at both thread counts (fft workers,
//                linalg threads, differential evolution workers);
//   size.svg:    time per call against transform length (log-log), Musique
//                beside scipy.fft, for the complex float64 fft rows.
// Plain SVG written by hand: no plotting dependency for two small charts.
'use strict'

const fs = require('node:fs')
const path = require('node:path')

const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
const COLORS = { Musique: '#1f6feb', SciPy: '#d1242f' }

function median(x) {
  return x && typeof x === 'object' ? x.median : x
}

/** [{ label, musique, scipy }] speed-ups (t1 / tN) from every module's paired rows. */
function speedups(j) {
  const out = []
  const fft = j.results ?? []
  for (const g of ['batch', 'fft2']) {
    const w1 = fft.find((r) => r.id === `${g}-w1`)
    const w2 = fft.find((r) => r.id === `${g}-w2`)
    if (!w1 || !w2) continue
    const sc = (r) => median(r.peers?.['scipy.fft'])
    out.push({
      label: g === 'batch' ? 'fft batch 512×4096' : 'fft2 2048²',
      musique: median(w1.musique) / median(w2.musique),
      scipy: sc(w1) && sc(w2) ? sc(w1) / sc(w2) : undefined,
    })
  }
  for (const r of j.linalg?.results ?? []) {
    const keys = Object.keys(r.impls ?? {})
    const t1 = median(r.impls['Musique, 1 thread'])
    const tn = keys.find((k) => /^Musique, \d+ threads$/.test(k))
    const s1 = median(r.impls['numpy/scipy, 1 thread'])
    const sn = keys.find((k) => /^numpy\/scipy, \d+ threads$/.test(k))
    if (t1 && tn) out.push({ label: r.label ?? r.id, musique: t1 / median(r.impls[tn]), scipy: s1 && sn ? s1 / median(r.impls[sn]) : undefined })
  }
  const w = j.optimize?.workers?.impls
  if (w) {
    const g = (k) => median(w[k])
    const m1 = g('Musique, workers 1 (function)')
    const s1 = g('SciPy, workers 1')
    for (const [k, label] of [
      ['Musique, workers 2 (module reference)', 'DE 1 ms objective, module ref'],
      ['Musique, workers 2 (map-like)', 'DE 1 ms objective, map-like'],
      ['Musique, workers 2 (shared WorkerPool)', 'DE 1 ms objective, WorkerPool'],
    ]) {
      if (m1 && g(k)) out.push({ label, musique: m1 / g(k), scipy: s1 && g('SciPy, workers 2') ? s1 / g('SciPy, workers 2') : undefined })
    }
  }
  return out.filter((r) => Number.isFinite(r.musique))
}

function speedupSvg(rows, machine) {
  const W = 760
  const rowH = 26
  const left = 250
  const top = 50
  const H = top + rows.length * rowH + 60
  const max = Math.max(2.2, ...rows.flatMap((r) => [r.musique, r.scipy ?? 0]))
  const x = (v) => left + ((W - left - 30) * v) / max
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="system-ui, sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${W / 2}" y="20" text-anchor="middle" font-size="15" font-weight="bold">Speed-up of 2 threads over 1 (higher is better; 2× is ideal on 2 cores)</text>`,
    `<text x="${W / 2}" y="37" text-anchor="middle" fill="#555">${esc(machine)}</text>`,
  ]
  for (const v of [0, 0.5, 1, 1.5, 2, 2.5, 3].filter((v) => v <= max)) {
    parts.push(`<line x1="${x(v)}" y1="${top - 5}" x2="${x(v)}" y2="${top + rows.length * rowH}" stroke="${v === 1 || v === 2 ? '#999' : '#eee'}" ${v === 2 ? 'stroke-dasharray="4 3"' : ''}/>`)
    parts.push(`<text x="${x(v)}" y="${top + rows.length * rowH + 15}" text-anchor="middle" fill="#555">${v}×</text>`)
  }
  rows.forEach((r, i) => {
    const y = top + i * rowH
    parts.push(`<text x="${left - 8}" y="${y + 16}" text-anchor="end">${esc(r.label)}</text>`)
    parts.push(`<rect x="${x(0)}" y="${y + 3}" width="${x(r.musique) - x(0)}" height="9" fill="${COLORS.Musique}"/>`)
    parts.push(`<text x="${x(r.musique) + 4}" y="${y + 12}" font-size="10">${r.musique.toFixed(2)}×</text>`)
    if (r.scipy !== undefined) {
      parts.push(`<rect x="${x(0)}" y="${y + 13}" width="${x(r.scipy) - x(0)}" height="9" fill="${COLORS.SciPy}"/>`)
      parts.push(`<text x="${x(r.scipy) + 4}" y="${y + 22}" font-size="10">${r.scipy.toFixed(2)}×</text>`)
    }
  })
  const ly = top + rows.length * rowH + 35
  parts.push(`<rect x="${left}" y="${ly}" width="12" height="10" fill="${COLORS.Musique}"/><text x="${left + 16}" y="${ly + 9}">Musique</text>`)
  parts.push(`<rect x="${left + 90}" y="${ly}" width="12" height="10" fill="${COLORS.SciPy}"/><text x="${left + 106}" y="${ly + 9}">SciPy (same machine, same run)</text>`)
  parts.push('</svg>')
  return parts.join('\n')
}

/** [{ n, musique, scipy }] for the complex float64 1-D fft rows, by length. */
function sizes(j) {
  return (j.results ?? [])
    .filter((r) => r.dtype === 'complex128' && r.shape?.length === 1)
    .map((r) => ({ n: r.shape[0], musique: median(r.musique), scipy: median(r.peers?.['scipy.fft']) }))
    .filter((r) => Number.isFinite(r.musique))
    .sort((a, b) => a.n - b.n)
}

function sizeSvg(pts, machine) {
  const W = 760
  const H = 420
  const L = 70
  const R = 20
  const T = 50
  const B = 60
  const ns = pts.map((p) => p.n)
  const ts = pts.flatMap((p) => [p.musique, p.scipy].filter(Number.isFinite))
  const [x0, x1] = [Math.log10(Math.min(...ns)) - 0.1, Math.log10(Math.max(...ns)) + 0.1]
  const [y0, y1] = [Math.floor(Math.log10(Math.min(...ts))), Math.ceil(Math.log10(Math.max(...ts)))]
  const x = (n) => L + ((W - L - R) * (Math.log10(n) - x0)) / (x1 - x0)
  const y = (t) => H - B - ((H - T - B) * (Math.log10(t) - y0)) / (y1 - y0)
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="system-ui, sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${W / 2}" y="20" text-anchor="middle" font-size="15" font-weight="bold">Complex fft (float64, one thread): time per call against length</text>`,
    `<text x="${W / 2}" y="37" text-anchor="middle" fill="#555">${esc(machine)}</text>`,
  ]
  for (let e = y0; e <= y1; e++) {
    const t = 10 ** e
    parts.push(`<line x1="${L}" y1="${y(t)}" x2="${W - R}" y2="${y(t)}" stroke="#eee"/>`)
    parts.push(`<text x="${L - 6}" y="${y(t) + 4}" text-anchor="end" fill="#555">${t >= 1 ? `${t} ms` : `${+(t * 1000).toPrecision(3)} µs`}</text>`)
  }
  for (const p of pts) {
    parts.push(`<line x1="${x(p.n)}" y1="${T}" x2="${x(p.n)}" y2="${H - B}" stroke="#f4f4f4"/>`)
    parts.push(`<text x="${x(p.n)}" y="${H - B + 16}" text-anchor="middle" fill="#555" font-size="10">${p.n.toLocaleString('en-US')}</text>`)
  }
  for (const [key, name] of [
    ['scipy', 'SciPy'],
    ['musique', 'Musique'],
  ]) {
    const q = pts.filter((p) => Number.isFinite(p[key]))
    if (q.length === 0) continue
    parts.push(`<polyline fill="none" stroke="${COLORS[name]}" stroke-width="2" points="${q.map((p) => `${x(p.n).toFixed(1)},${y(p[key]).toFixed(1)}`).join(' ')}"/>`)
    for (const p of q) parts.push(`<circle cx="${x(p.n).toFixed(1)}" cy="${y(p[key]).toFixed(1)}" r="3.5" fill="${COLORS[name]}"/>`)
  }
  parts.push(`<text x="${(L + W - R) / 2}" y="${H - 20}" text-anchor="middle">length n (log scale; primes 1009, 10007 and 1,000,003 included)</text>`)
  parts.push(`<rect x="${L + 10}" y="${T + 5}" width="12" height="10" fill="${COLORS.Musique}"/><text x="${L + 26}" y="${T + 14}">Musique</text>`)
  parts.push(`<rect x="${L + 90}" y="${T + 5}" width="12" height="10" fill="${COLORS.SciPy}"/><text x="${L + 106}" y="${T + 14}">scipy.fft</text>`)
  parts.push('</svg>')
  return parts.join('\n')
}

/** Writes bench/speedup.svg and bench/size.svg from a results.json object; returns the paths written. */
function writeCharts(j, dir = __dirname) {
  const m = j.machine ?? {}
  const machine = [m.cpu, m.cores && `${m.cores} cores`, j.date && j.date.slice(0, 10)].filter(Boolean).join(', ')
  const written = []
  const s = speedups(j)
  if (s.length) {
    fs.writeFileSync(path.join(dir, 'speedup.svg'), speedupSvg(s, machine) + '\n')
    written.push('bench/speedup.svg')
  }
  const z = sizes(j)
  if (z.length >= 2) {
    fs.writeFileSync(path.join(dir, 'size.svg'), sizeSvg(z, machine) + '\n')
    written.push('bench/size.svg')
  }
  return written
}

module.exports = { writeCharts, speedups, sizes }

if (require.main === module) {
  const j = JSON.parse(fs.readFileSync(path.join(__dirname, 'results.json'), 'utf8'))
  console.log(`wrote ${writeCharts(j).join(' and ') || 'no chart (no paired rows in results.json)'}`)
}
