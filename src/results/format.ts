/** A share as the reports print it, to one decimal and no trailing zero: 0.8 → "80%", 0.8125 → "81.3%". */
export function percent(share: number): string {
  return `${Math.round(share * 1000) / 10}%`
}
