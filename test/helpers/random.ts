/** The seeded generator the statistics use (mulberry32), so simulations and fuzzing repeat exactly. */
export { seededRandom } from '../../src/stats/random.js'
