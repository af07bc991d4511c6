// A script whose only pending work is differentialEvolutionAsync on worker
// threads: it must print the result before the process exits.
import { differentialEvolutionAsync } from 'musique/optimize'

const r = await differentialEvolutionAsync({ module: new URL('./objectives.mjs', import.meta.url), export: 'rosen' }, [[-2, 2], [-2, 2]], {
  seed: 1,
  workers: 2,
  updating: 'deferred',
})
console.log(JSON.stringify({ fun: r.fun, nit: r.nit }))
