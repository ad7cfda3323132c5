/**
 * Deterministic embeddings for the loopback servers: a bag of words over a small vocabulary in
 * which synonyms share one word (`feline` → `cat`), stop words dropped, each word hashed (FNV-1a)
 * into one of DIMENSIONS buckets, the vector scaled to length 1. Paraphrases that use these
 * synonyms land close together; texts that share no content word are orthogonal (cosine 0) unless
 * two words collide in a bucket.
 */
export const DIMENSIONS = 256

const SYNONYMS: Record<string, string> = {
  feline: 'cat', kitten: 'cat', kitty: 'cat', cats: 'cat',
  sofa: 'couch', settee: 'couch',
  sleeps: 'sleep', sleeping: 'sleep', naps: 'sleep', napping: 'sleep', dozes: 'sleep', dozing: 'sleep', asleep: 'sleep',
  happy: 'glad', joyful: 'glad', cheerful: 'glad', content: 'glad',
  rain: 'rain', rainy: 'rain', raining: 'rain', showers: 'rain', wet: 'rain',
  tomorrow: 'tomorrow', 'next-day': 'tomorrow',
  forecast: 'forecast', prediction: 'forecast', expected: 'forecast', expect: 'forecast', likely: 'forecast',
  city: 'city', town: 'city',
  big: 'large', huge: 'large', large: 'large', enormous: 'large',
}

const STOP_WORDS = new Set(['a', 'an', 'the', 'is', 'are', 'on', 'in', 'of', 'and', 'to', 'it', 'its', 'there', 'will', 'be', 'that', 'this', 'with', 'very', 'some', 'for'])

function words(text: string): string[] {
  return (text.toLowerCase().match(/[a-z-]+/g) ?? []).filter((word) => !STOP_WORDS.has(word)).map((word) => SYNONYMS[word] ?? word)
}

function bucket(word: string): number {
  let hash = 0x811c9dc5
  for (let i = 0; i < word.length; i++) hash = Math.imul(hash ^ word.charCodeAt(i), 0x01000193) >>> 0
  return hash % DIMENSIONS
}

export function embed(text: string): number[] {
  const vector = new Array<number>(DIMENSIONS).fill(0)
  for (const word of words(text)) vector[bucket(word)]! += 1
  const norm = Math.hypot(...vector)
  return norm === 0 ? vector : vector.map((value) => value / norm)
}
