/** assay's statistics, for users who want the tests behind the verdicts. Pure functions, no I/O. */
export { binomialTest, mcnemarExact, pairedTTest, oneSampleTTest, welchTTest, signTest, wilcoxonSignedRank, mannWhitneyU, type TestResult } from './tests.js'
export {
  meanInterval,
  wilsonInterval,
  clopperPearsonInterval,
  pairedProportionInterval,
  clusteredStandardError,
  holm,
  pairedSampleSize,
  pairedProportionSampleSize,
  nonInferiority,
  regressionBeyondMargin,
  type Interval,
  type PairedTable,
  type PowerOptions,
  type NonInferiority,
} from './intervals.js'
export { discordantEvidence, bettingEvidence, alwaysValidP } from './sequential.js'
export { bootstrapTTest, type BootstrapOptions, type BootstrapResult } from './bootstrap.js'
export { mcnemarExactPower, mcnemarSampleSize, meanSampleSize, type SampleSize, type PowerTarget } from './power.js'
export {
  discordantGroupSequential,
  discordantBoundaries,
  DiscordantBoundary,
  spentAlpha,
  type DiscordantLook,
  type SequentialDesign,
  type Spending,
  type GroupSequentialResult,
} from './group-sequential.js'
export { seededRandom } from './random.js'
export { normalCdf, normalSf, normalQuantile, tCdf, tSf, tQuantile, regularizedBeta, binomialCdf, binomialSfInclusive } from './dist.js'
