import { describe, expect, it } from 'vitest'
import { compareVersions, parseVersion } from '../../src/templates/version.js'

describe('template versions', () => {
  it('compares as numbers, so v10 is newer than v9 (the seed sorted them as strings)', () => {
    expect(compareVersions(parseVersion('10')!, parseVersion('9')!)).toBeGreaterThan(0)
    expect(compareVersions(parseVersion('1.10')!, parseVersion('1.9')!)).toBeGreaterThan(0)
  })

  it('treats trailing zeros as equal: 2, 2.0 and 2.0.0 are one version', () => {
    expect(compareVersions(parseVersion('2')!, parseVersion('2.0.0')!)).toBe(0)
  })

  it('rejects anything but numbers and dots', () => {
    expect(parseVersion('2a')).toBeUndefined()
    expect(parseVersion('')).toBeUndefined()
    expect(parseVersion('1..2')).toBeUndefined()
  })
})
