import { assert, evaluate } from 'assay'
import { z } from 'zod'

const Cast = z.object({
  characters: z.array(z.object({ name: z.string(), role: z.string(), motivation: z.string() })).min(1),
})

const stories = [
  { name: 'heist', vars: { premise: 'A retired safecracker is pulled back for one last job in Lisbon.', genre: 'thriller', count: 3 } },
  { name: 'academy', vars: { premise: 'Two rival students at a school for cartographers map a moving island.', genre: 'fantasy', count: 3 } },
  { name: 'colony', vars: { premise: 'The first child born on Mars goes missing during a dust storm.', genre: 'science fiction', count: 2 } },
  { name: 'dynasty', vars: { premise: 'Three generations of a shipbuilding family fight over the last yard in Gdańsk.', genre: 'family saga', count: 6 } },
]

// Ollama's structured output: the JSON schema goes to the model as `format`.
evaluate('architect: characters', {
  template: 'architect/create_characters',
  model: 'llama3.2',
  options: { temperature: 0, seed: 7 },
  format: z.toJSONSchema(Cast),
  cases: stories,
  assert: [assert.json({ mode: 'strict' }), assert.schema(Cast), assert.tokens({ max: 300 }), assert.latency({ maxMs: 1000 })],
  threshold: 0.5,
})

// A task: several steps of your own code around the model, recorded and replayed like a template.
evaluate('architect: cast roles', {
  model: 'llama3.2',
  options: { temperature: 0, seed: 7 },
  cases: [
    { ...stories[0]!, reference: 'protagonist: Ana Ribeiro\nantagonist: Inspector Sofia Matos' },
    { ...stories[1]!, reference: 'protagonist: Oriel Vance\nantagonist: Master Quillon' },
  ],
  async task({ vars, llm }) {
    const answer = await llm.chat({
      messages: [
        { role: 'system', content: 'You are the Architect. Answer with JSON only.' },
        { role: 'user', content: `Name the protagonist and antagonist of this story as {"protagonist": "...", "antagonist": "..."}.\n\nPREMISE: ${String(vars.premise)}` },
      ],
      format: 'json',
    })
    const roles = z.object({ protagonist: z.string(), antagonist: z.string() }).parse(JSON.parse(answer.content))
    return `protagonist: ${roles.protagonist}\nantagonist: ${roles.antagonist}`
  },
  assert: [assert.matches(/^protagonist: \S/m), assert.equals()],
  threshold: 0.5,
})
