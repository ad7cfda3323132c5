/**
 * The answers behind the bundled example fixtures. No model server runs on the machines this
 * project is built on, so `scripts/record-examples.ts` records these through the loopback
 * Ollama-compatible server instead. Some are wrong on purpose (too short, no heading, JSON wrapped
 * in prose, a dropped character) so that the example report shows real failure reasons.
 */
export interface ExampleAnswer {
  /** Every string must appear in the request's messages for this answer to be chosen. */
  when: string[]
  answer: string
}

export const exampleAnswers: ExampleAnswer[] = [
  // writer/write_chapter v2: the heading rule is in the prompt.
  {
    when: ['Start with the heading', "The Keeper's Lamp"],
    answer: `Chapter 1: The Keeper's Lamp

The storm had blown itself out by midnight, but the sea was still talking to the rocks when Mara climbed the last turn of the stair. Her father had taken the mail boat to the mainland that morning. He had banked the lamp himself, wound the clockwork, and told her twice not to touch the brass.

Yet the lamp was lit.

It turned above her in slow, patient sweeps, throwing its long white arm across the water and back again. Mara stood in the doorway of the lantern room with her candle guttering and counted the rotations the way he had taught her: one, two, three, flash. The rhythm was right. The wick was trimmed. Someone had polished the lens so recently that she could smell the vinegar.

"Hello?" Her voice went nowhere. The glass swallowed it.

On the logbook, open on the desk, a line of fresh ink sat below her father's careful hand. The writing was narrow and slanted and belonged to no one she knew. It gave the time, the wind, the state of the sea, and then one more entry, underlined twice:

Ship sighted, no lights, heading for the Teeth.

Mara looked out. Far beyond the reef, where no ship should be on a night like this, something dark was moving against the dark.`,
  },
  {
    when: ['Start with the heading', 'Scales for Sale'],
    answer: `Chapter 3: Scales for Sale

The night market opened when the bells of the old quarter stopped, and by the time Tomas found the right alley the lanterns were already swinging on their strings. He kept one hand on the map in his coat. It had cost him every coin he had saved since spring, and it had led him here, to a stall hung with copper bowls and a woman who did not look up when he stopped.

"The egg," he said. "The one in the map."

She lifted a cloth. The egg was the size of a loaf, green as river stone, and warm enough that the air above it shimmered. Tomas forgot the speech he had practised.

"Forty crowns," she said.

"I have twelve. And a good knife."

She laughed, not unkindly, and was about to answer when a gloved hand laid a purse on the counter. The stranger wore grey from hood to boots. The purse clinked with a sound that meant far more than forty crowns.

"Sold," said the woman.

Tomas turned, but the stranger was already walking away, the egg cradled in the crook of one arm. At the mouth of the alley the grey figure paused, looked back, and raised a finger to where a mouth should be. Then the lanterns flickered, and the alley was empty.`,
  },
  {
    // Too short: fails both length assertions.
    when: ['Start with the heading', 'Dead Reckoning'],
    answer: `Chapter 2: Dead Reckoning

Ines ran the numbers three times. The orbit was decaying, slowly, and the logs showed the captain had run the same numbers a week ago.`,
  },
  {
    when: ['Start with the heading', 'Windfall'],
    answer: `Chapter 5: Windfall

The storm took the roof of the hen house and two of the old fences, and in the morning the orchard looked as if a giant had walked through it in a temper. Pip and Wren went out in their boots before breakfast, because that was the rule after a storm: check the trees, count the damage, tell Gran.

The oldest apple tree had not fallen. It had tipped, its roots heaved out of the ground like the knuckles of a fist, and in the hollow underneath something square caught the light.

"Don't," said Wren, who always said don't.

Pip was already on her knees. The box was tin, the size of a prayer book, and rusted shut along every edge. Someone had scratched letters into the lid, and when Pip rubbed at them with her sleeve they read, plain as anything, FOR THE TWINS.

Wren sat down in the mud. "We weren't born," she said, "when this tree was planted."

"Then somebody knew we would be."

From the house came the sound of Gran calling them in. Pip looked at the box, at her sister, at the kitchen window where a curtain had just twitched, and slid the tin under her coat.`,
  },
  // writer/write_chapter v1: no heading rule; two answers too short for its length check.
  {
    when: ['Write complete, polished prose', "The Keeper's Lamp"],
    answer: `The lamp was lit. Mara's father was on the mainland, and no one else had a key. She climbed the stairs and found the logbook open, a stranger's handwriting on the last line.`,
  },
  {
    when: ['Write complete, polished prose', 'Scales for Sale'],
    answer: `Tomas found the stall at the far end of the night market, where the lanterns gave out and the stone was slick with fish scales. The woman behind the counter had eyes like a cat and a voice like a slammed door. When he asked about the egg she named a price three times what he carried. He offered his knife, his map, a promise. She was shaking her head when a figure in grey stepped past him, set down a heavy purse, and lifted the egg from its nest of straw as if it weighed nothing at all. The stranger did not look at Tomas. The woman counted the coins twice and smiled for the first time. By the time Tomas pushed through the crowd to the alley's mouth, the grey figure had gone, and the only sign of the egg was a faint warmth that lingered on the air like the memory of a fire.`,
  },
  {
    when: ['Write complete, polished prose', 'Dead Reckoning'],
    answer: `Ines had been the station's navigator for four years, long enough to feel a wrong number before she saw it. The drift was small: a few metres a day, the kind of error that hides inside rounding. She ran the model again with the thruster logs, and again with the raw telemetry, and each time the curve bent the same way, down toward the atmosphere. She went to the captain's cabin with the printout folded in her hand. He did not ask to see it. He opened his desk drawer and took out his own copy, dated nine days earlier, the same curve drawn in the same red pen. "Sit down," he said. "We need to talk about who else knows." Ines stayed standing. Somewhere below them the station turned on its slow axis, and for the first time she could feel the weight of the planet pulling at it.`,
  },
  {
    when: ['Write complete, polished prose', 'Windfall'],
    answer: `After the storm the twins found a tin box under the old apple tree. It said FOR THE TWINS on the lid. They had not been born when the tree was planted.`,
  },
  // editor/edit_chapter v1
  {
    when: ['for concision'],
    answer: `At dawn, as pale light crept over the hills, Elena was already awake in the village where she had always lived, thinking.`,
  },
  {
    // Drops Elena's name: fails the contains check.
    when: ['for cleaner dialogue tags'],
    answer: `"We leave at dawn," Marcus said. "Not without the map," she said. "Then find it." Marcus turned away.`,
  },
  {
    when: ['for active voice'],
    answer: `Elena wrote the letter, sealed it and gave it to the courier, who carried it across the river before the guards closed the bridge.`,
  },
  // architect/create_characters v1
  {
    when: ['Create 3 characters', 'safecracker'],
    answer: `{"characters": [
  {"name": "Ana Ribeiro", "role": "retired safecracker", "motivation": "to pay off her brother's debt and be left alone"},
  {"name": "Duarte Lobo", "role": "the fixer who finds her", "motivation": "to prove he can run one job without the old crew"},
  {"name": "Inspector Sofia Matos", "role": "the detective on the case", "motivation": "to close the file that ended her mentor's career"}
]}`,
  },
  {
    when: ['Create 3 characters', 'cartographers'],
    answer: `{"characters": [
  {"name": "Oriel Vance", "role": "top student of the academy", "motivation": "to be the first to map the island's route"},
  {"name": "Kit Marrow", "role": "Oriel's rival, a scholarship student", "motivation": "to prove the island is alive"},
  {"name": "Master Quillon", "role": "head of the academy", "motivation": "to keep the island's secret buried"}
]}`,
  },
  {
    // JSON wrapped in prose: fails the "JSON only" check.
    when: ['Create 2 characters', 'Mars'],
    answer: `Here are the characters you asked for:
{"characters": [
  {"name": "Juno Okafor", "role": "the missing child", "motivation": "to see the storm from outside"},
  {"name": "Dr. Lena Hart", "role": "the colony's doctor and Juno's mother", "motivation": "to find her daughter before the air runs out"}
]}`,
  },
  // architect: cast roles (task)
  {
    when: ['Name the protagonist and antagonist', 'safecracker'],
    answer: `{"protagonist": "Ana Ribeiro", "antagonist": "Inspector Sofia Matos"}`,
  },
  {
    when: ['Name the protagonist and antagonist', 'cartographers'],
    answer: `{"protagonist": "Kit Marrow", "antagonist": "Master Quillon"}`,
  },
]
