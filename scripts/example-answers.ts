/**
 * The answers behind the bundled example fixtures. No model server runs on the machines this
 * project is built on, so `scripts/record-examples.ts` records these through the loopback
 * Ollama-compatible server instead. Many are wrong on purpose (too short, rambling, the wrong
 * language, CJK drift, JSON in prose, a judge that does not answer in JSON) so that the example
 * run shows a real failure reason for every kind of assertion, and retries and early stops.
 */
export interface ExampleAnswer {
  /** Every string must appear in the request's messages; the first entry that matches answers. */
  when: string[]
  answer: string
  /** Recorded as this slow, in milliseconds. */
  delayMs?: number
}

/** The same paragraph of a chapter, padded with a refrain until it runs far past 500 words. */
function ramble(chapter: string, refrain: string): string {
  return `${chapter}\n\n${Array.from({ length: 40 }, () => refrain.repeat(3)).join('\n\n')}`
}

function dynasty(): string {
  const names = ['Tomasz Nowak', 'Halina Nowak', 'Piotr Nowak', 'Ewa Kowalczyk', 'Marek Zielinski', 'Zofia Nowak']
  const motivation =
    'to keep the yard in the family at any cost, even if it means selling the last hull to the people who ruined their father, ' +
    'and to prove to the rest of the family, to the town and above all to themselves that the name on the gate still means something'
  const characters = names.map((name, i) => ({ name, role: ['the patriarch', 'his sister', 'the heir', 'the rival', 'the banker', 'the youngest'][i], motivation }))
  return JSON.stringify({ characters }, null, 2)
}


/** editor/headline: v1 shouts on most stories, v2 stays plain (two of its answers run long). */
const HEADLINES: [story: string, plain: string][] = [
  ["The city council voted to close the old stone bridge for two years of repairs after engineers found cracks in three arches.", "Council closes old stone bridge for two years of repairs"],
  ["A village library that lends tools as well as books has doubled its members in a year.", "Village library that lends tools doubles its members"],
  ["Fishermen in the harbour town report the best mackerel season in a decade after a mild autumn.", "Mild autumn brings best mackerel season in a decade"],
  ["The new tram line opened a month early and carried forty thousand passengers on its first weekend.", "New tram line opens early, carries 40,000 in first weekend"],
  ["Volunteers replanted a three-hundred-year-old orchard with cuttings taken from its last surviving trees.", "Volunteers replant 300-year-old orchard from its last trees"],
  ["A museum returned a stolen medieval map after a student spotted it in an online auction.", "Student's tip brings stolen medieval map back to museum"],
  ["A primary school replaced homework with an hour of outdoor reading and saw test scores rise.", "School swaps homework for outdoor reading, and scores rise"],
  ["The Saturday market will move indoors for winter for the first time in its ninety-year history.", "Saturday market moves indoors for winter, a first in 90 years"],
  ["The folk festival sold out in eleven minutes, and organisers are adding a second weekend.", "Folk festival sells out in eleven minutes, adds second weekend"],
  ["Otters have returned to the river for the first time since the paper mill closed in 1987.", "Otters return to the river for the first time since 1987"],
  ["A bakery run by retired teachers trains teenagers who have left school without qualifications.", "Retired teachers' bakery trains school leavers"],
  ["Overnight storms brought down power lines across the valley, leaving two thousand homes without electricity.", "Overnight storms cut power to two thousand homes in the valley"],
  ["Amateur astronomers at the hill observatory found a comet that will be visible without a telescope in March.", "Hill observatory amateurs find comet visible to the naked eye in March"],
  ["A choir of hospital nurses reached the final of the national singing competition.", "Hospital nurses' choir reaches national singing final"],
  ["The railway station clock, stopped since 1994, is ticking again thanks to a retired watchmaker.", "Retired watchmaker restarts station clock stopped since 1994"],
  ["A rooftop garden on the town hall now grows vegetables for the school canteens.", "Town hall rooftop garden now feeds school canteens"],
  ["The island ferry will run every hour in summer after a campaign by residents and shop owners.", "Island ferry to run hourly this summer after residents' campaign"],
  ["A twelve-year-old won the regional chess championship, beating the defending champion in the final round.", "Twelve-year-old wins regional chess title"],
  ["The last independent cinema in the county has been saved by a community share offer.", "Community share offer saves county's last independent cinema"],
  ["Beekeepers say a ban on pesticide spraying along roadsides has helped hives recover.", "Roadside spraying ban helps beehives recover, keepers say"],
  ["The lighthouse keeper's cottage will become a small museum of the coast's shipwrecks.", "Lighthouse keeper's cottage to become shipwreck museum"],
  ["A ninety-one-year-old finished the city marathon in under six hours, a record for her age group.", "Ninety-one-year-old sets age record in city marathon"],
  ["The canal towpath reopened after a year of work to stop the banks from collapsing.", "Canal towpath reopens after year of bank repairs"],
  ["A bookshop that closed in the pandemic has reopened as a cooperative owned by its readers.", "Closed bookshop reopens as a readers' cooperative"],
  ["The children's hospital opened a playground designed by its young patients.", "Young patients design children's hospital playground"],
  ["A vineyard on the south slope made its first sparkling wine after a run of warm summers.", "South slope vineyard makes its first sparkling wine after warm summers brought the grapes on"],
  ["Bus fares for under-eighteens will be free from September, the transport authority said.", "Free bus fares for under-eighteens from September"],
  ["A community forest planted on a former landfill site has reached one hundred thousand trees.", "Community forest on old landfill reaches 100,000 trees"],
  ["The restored watermill is grinding flour again and sells it to the bakeries in town.", "Restored watermill grinds flour for town bakeries again"],
  ["The outdoor swimming pool will stay open all year after solar panels cut its heating bill.", "Solar panels keep outdoor pool open all year"],
]

function headlineAnswers(): ExampleAnswer[] {
  return HEADLINES.flatMap(([story, plain], i) => [
    // v1 asks for an exciting headline: two stories in three get clickbait.
    { when: ['Write an exciting headline', story], answer: i % 3 === 2 ? plain : `You Won't Believe What Just Happened in Our Town! ${plain}!` },
    { when: ['Answer with the headline only', story], answer: plain },
  ])
}

/** The orchard chapter padded past 500 words: both attempts ramble and are stopped. */
const ORCHARD_RAMBLE = ramble(`Chapter 5: Windfall

The storm took the roof of the hen house and two of the old fences, and in the morning the orchard looked as if a giant had walked through it in a temper. Pip and Wren went out in their boots before breakfast, because that was the rule after a storm: check the trees, count the damage, tell Gran.

The oldest apple tree had not fallen. It had tipped, its roots heaved out of the ground like the knuckles of a fist, and in the hollow underneath something square caught the light.

"Don't," said Wren, who always said don't.

Pip was already on her knees. The box was tin, the size of a prayer book, and rusted shut along every edge. Someone had scratched letters into the lid, and when Pip rubbed at them with her sleeve they read, plain as anything, FOR THE TWINS.

Wren sat down in the mud. "We weren't born," she said, "when this tree was planted."

"Then somebody knew we would be."

From the house came the sound of Gran calling them in. Pip looked at the box, at her sister, at the kitchen window where a curtain had just twitched, and slid the tin under her coat.`, 'And still the twins did not open it. ')

export const exampleAnswers: ExampleAnswer[] = [
  ...headlineAnswers(),
  // orbit, second attempt: the re-ask fixed the length.
  { when: ['Dead Reckoning', 'Your answer did not pass these checks'], answer: `Chapter 2: Dead Reckoning

Ines ran the numbers three times, and three times the station fell.

Not quickly. The drift was a few metres a day, the kind of error that hides inside rounding and the tired eyes of a night shift. She checked the thruster logs against the raw telemetry, then against the star fixes she took by hand from the observation blister, the way her first instructor had made her learn before he trusted her with a computer. Every method bent the same curve, slow and patient, down toward the cloud tops.

She folded the printout into her sleeve and went up to the captain's cabin without calling ahead.

He did not ask to see it. He opened the drawer of his desk and laid his own copy beside her hand: the same curve, the same red pen, dated nine days earlier.

"Sit down, Ines."

"You knew."

"I knew. The board knows. The families on the ring do not, and they will not, until we have somewhere to put eleven hundred people." He poured two cups of the bad coffee he kept for emergencies. "Which brings me to you. Can you find us a transfer window that the board's models say does not exist?"

Outside the port, the planet turned, enormous and indifferent. For the first time in four years Ines could feel it pulling.

"Yes," she said, and only afterwards wondered whether it was true.` },
  // orchard, second attempt: it rambles past the word limit again and is stopped again.
  { when: ['Windfall', 'Your answer did not pass these checks'], answer: ORCHARD_RAMBLE },
  // jardin, second attempt: still English, still no heading.
  { when: ["Le Jardin d'hiver", 'Your answer did not pass these checks'], answer: `The greenhouse at the end of Grandmother's garden had been locked for as long as Colette could remember. On the first morning of the winter holidays she found the key under the stone rabbit by the well, exactly where nobody would think to look, and she let herself in with her breath smoking in the cold.

Inside it was warm. Not greenhouse warm, but summer warm: the air smelled of cut grass and peaches, and somewhere beyond the rows of sleeping geraniums a blackbird was singing as if it were June. At the far end, half hidden behind a fig tree, stood a narrow wooden door that had no business being there, because behind it, Colette knew, there was nothing but the garden wall.

She put her hand on the latch. It was warm too.` },
  // kyoto, second attempt: clean English, but the judge finds the outline missed.
  { when: ['The Last Train to Kyoto', 'Your answer did not pass these checks'], answer: `Chapter 7: The Last Train to Kyoto

Hana reached the platform as the doors closed, and stood with her hand raised like someone hailing a friend who had already turned away. The last train slid out toward Kyoto, its windows a ribbon of yellow light, and then the station was quiet.

She sat on a bench under the departures board and counted her options. A taxi would cost more than the week's food. Her phone had four per cent of its battery and no signal. The night attendant, an old man in a cap too large for him, told her the waiting room stayed open until the first train at five, and brought her a paper cup of barley tea without being asked.

"People miss the last train all the time," he said. "Usually it is the best thing that happens to them."

She laughed, because he expected it, and drank the tea, because it was warm. Around her the station settled into its night sounds: the tick of cooling rails, the hum of the vending machines, a pigeon shifting in the rafters. She thought about the interview she would miss in the morning, and found, to her surprise, that she did not mind very much.

At some point she slept. When she woke, the old man was gone, the tea was cold, and the board above her head showed a train she had never heard of, leaving in eleven minutes for a city that did not exist.` },
  // writer/write_chapter v2, first attempts.
  { when: ['Start with the heading', "The Keeper's Lamp"], answer: `Chapter 1: The Keeper's Lamp

The storm had blown itself out by midnight, but the sea was still talking to the rocks when Mara climbed the last turn of the stair. Her father had taken the mail boat to the mainland that morning. He had banked the lamp himself, wound the clockwork, and told her twice not to touch the brass.

Yet the lamp was lit.

It turned above her in slow, patient sweeps, throwing its long white arm across the water and back again. Mara stood in the doorway of the lantern room with her candle guttering and counted the rotations the way he had taught her: one, two, three, flash. The rhythm was right. The wick was trimmed. Someone had polished the lens so recently that she could smell the vinegar.

"Hello?" Her voice went nowhere. The glass swallowed it.

On the logbook, open on the desk, a line of fresh ink sat below her father's careful hand. The writing was narrow and slanted and belonged to no one she knew. It gave the time, the wind, the state of the sea, and then one more entry, underlined twice:

Ship sighted, no lights, heading for the Teeth.

Mara looked out. Far beyond the reef, where no ship should be on a night like this, something dark was moving against the dark.` },
  { when: ['Start with the heading', 'Scales for Sale'], answer: `Chapter 3: Scales for Sale

The night market opened when the bells of the old quarter stopped, and by the time Tomas found the right alley the lanterns were already swinging on their strings. He kept one hand on the map in his coat. It had cost him every coin he had saved since spring, and it had led him here, to a stall hung with copper bowls and a woman who did not look up when he stopped.

"The egg," he said. "The one in the map."

She lifted a cloth. The egg was the size of a loaf, green as river stone, and warm enough that the air above it shimmered. Tomas forgot the speech he had practised.

"Forty crowns," she said.

"I have twelve. And a good knife."

She laughed, not unkindly, and was about to answer when a gloved hand laid a purse on the counter. The stranger wore grey from hood to boots. The purse clinked with a sound that meant far more than forty crowns.

"Sold," said the woman.

Tomas turned, but the stranger was already walking away, the egg cradled in the crook of one arm. At the mouth of the alley the grey figure paused, looked back, and raised a finger to where a mouth should be. Then the lanterns flickered, and the alley was empty.` },
  // Too short: fails the length checks, so it is asked again (retryOnFail).
  { when: ['Start with the heading', 'Dead Reckoning'], answer: `Chapter 2: Dead Reckoning

Ines ran the numbers three times. The orbit was decaying, slowly, and the logs showed the captain had run the same numbers a week ago.` },
  // Rambles: stopped by stream: 'abort-on-fail' once past 500 words.
  { when: ['Start with the heading', 'Windfall'], answer: ORCHARD_RAMBLE },
  // English where French was asked, and no heading.
  { when: ['Start with the heading', "Le Jardin d'hiver"], answer: `The greenhouse at the end of Grandmother's garden had been locked for as long as Colette could remember. That winter she found the key under the stone rabbit by the well, and when she opened the door the air inside smelled of summer. At the far end, behind a fig tree, stood a narrow wooden door that led, as far as she knew, to nothing but the garden wall. She put her hand on the latch, and it was warm.` },
  // Drifts into Japanese: stopped early by noCJK, then asked again.
  { when: ['Start with the heading', 'The Last Train to Kyoto'], answer: `Chapter 7: The Last Train to Kyoto

Hana reached the platform as the doors closed. The last train slid away toward Kyoto, and the station fell silent. 彼女はベンチに座り、時計を見上げた。時計の針は逆に回っていた。駅員は何も言わずにお茶を持ってきた。夜は長く、静かだった。` },
  // The judge, for writer: chapter. The first answer for the market chapter is not JSON, so it is asked again.
  { when: ['That reply is not valid', 'Tomas'], answer: `{"score": 0.85, "reason": "Follows the outline closely and ends on the stranger's silent warning, a clear hook."}` },
  { when: ['ANSWER TO GRADE', 'Tomas'], answer: `Great chapter! I would give it 9/10 for atmosphere.` },
  { when: ['ANSWER TO GRADE', 'Mara'], answer: `{"score": 0.9, "reason": "The lamp lit in the father's absence and the unlit ship heading for the Teeth follow the outline and end on a strong hook."}` },
  { when: ['ANSWER TO GRADE', 'Ines'], answer: `{"score": 0.8, "reason": "Covers the decaying orbit and the captain's prior knowledge; the closing doubt is a fair hook."}` },
  { when: ['ANSWER TO GRADE', 'twins'], answer: `{"score": 0.45, "reason": "Finds the box, but the chapter repeats itself and is cut off before any hook."}` },
  { when: ['ANSWER TO GRADE', 'Colette'], answer: `{"score": 0.4, "reason": "Written in English, not French, and without the chapter heading, though the door is a hook."}` },
  { when: ['ANSWER TO GRADE', 'Hana'], answer: `{"score": 0.3, "reason": "The clocks never run backwards in the chapter; the outline's central image is missing until a last-line twist."}` },
  // writer/write_chapter v1: no heading rule. One answer is too short, one has CJK and mojibake.
  { when: ['Write complete, polished prose', "The Keeper's Lamp"], answer: `The lamp was lit. Mara's father was on the mainland, and no one else had a key. She climbed the stairs and found the logbook open, a stranger's handwriting on the last line.` },
  { when: ['Write complete, polished prose', 'Scales for Sale'], answer: `Tomas found the stall at the far end of the night market, where the lanterns gave out and the stone was slick with fish scales. The woman behind the counter had eyes like a cat and a voice like a slammed door. When he asked about the egg she named a price three times what he carried. He offered his knife, his map, a promise. She was shaking her head when a figure in grey stepped past him, set down a heavy purse, and lifted the egg from its nest of straw as if it weighed nothing at all. The stranger did not look at Tomas. The woman counted the coins twice and smiled for the first time. By the time Tomas pushed through the crowd to the alley's mouth, the grey figure had gone, and the only sign of the egg was a faint warmth that lingered on the air like the memory of a fire.` },
  { when: ['Write complete, polished prose', 'Dead Reckoning'], answer: `Ines had been the station's navigator for four years, long enough to feel a wrong number before she saw it. The drift was small: a few metres a day, the kind of error that hides inside rounding. She ran the model again with the thruster logs, and again with the raw telemetry, and each time the curve bent the same way, down toward the atmosphere. She went to the captain's cabin with the printout folded in her hand. He did not ask to see it. He opened his desk drawer and took out his own copy, dated nine days earlier, the same curve drawn in the same red pen. "Sit down," he said. "We need to talk about who else knows." Ines stayed standing. Somewhere below them the station turned on its slow axis, and for the first time she could feel the weight of the planet pulling at it.` },
  { when: ['Write complete, polished prose', 'Windfall'], answer: `The storm took the roof of the hen house and two of the old fences, and in the morning Pip and Wren went out to count the damage, as they always did. The oldest apple tree had tipped, its roots heaved out of the ground, and in the hollow beneath it lay a tin box, rusted shut. Someone had scratched letters into the lid: FOR THE TWINS. 果樹園の古い木の下で見つけた。 Wren sat down in the mud. "We weren't born when this tree was planted," she said. Pip rubbed the lid with her sleeve. �� The date under the letters was older than their mother. ���� From the house came the sound of Gran calling them in, and the kitchen curtain twitched. ���� Pip slid the box under her coat and said nothing at all.` },
  { when: ['Write complete, polished prose', "Le Jardin d'hiver"], answer: `La serre au fond du jardin de grand-mère était fermée à clé depuis toujours. Le premier matin des vacances d'hiver, Colette trouva la clé sous le lapin de pierre, près du puits, et elle entra en soufflant dans ses mains. À l'intérieur, il faisait chaud, une chaleur d'été qui sentait l'herbe coupée et les pêches mûres. Quelque part derrière les géraniums endormis, un merle chantait comme en juin. Tout au fond, à moitié cachée par un figuier, une petite porte en bois attendait, alors que derrière elle il n'y avait, Colette le savait, que le mur du jardin. Elle posa la main sur le loquet. Il était tiède.` },
  { when: ['Write complete, polished prose', 'The Last Train to Kyoto'], answer: `Hana reached the platform just as the doors closed, and the last train to Kyoto slid away into the dark. The station attendant, an old man in a cap too big for him, brought her a cup of barley tea and told her the waiting room stayed open until five. She sat beneath the departures board and listened to the rails tick as they cooled. Some time after midnight she noticed that the station clock was running backwards, the second hand sweeping patiently the wrong way round the dial, and that the attendant, when she turned to ask him about it, was nowhere to be seen. The board above her flickered and showed a train she had never heard of, leaving in eleven minutes.` },
  // editor/edit_chapter v1
  { when: ['for concision'], answer: `At dawn, as pale light crept over the hills, Elena was already awake in the village where she had always lived, thinking.` },
  // Drops Elena's name: fails contains.
  { when: ['for cleaner dialogue tags'], answer: `"We leave at dawn," Marcus said. "Not without the map," she said. "Then find it." Marcus turned away.` },
  { when: ['for active voice'], answer: `Elena wrote the letter, sealed it and gave it to the courier, who carried it across the river before the guards closed the bridge.` },
  // Makes it longer and keeps every adverb: fails notContains, similar and the custom check.
  { when: ['for fewer adverbs'], answer: `Elena very quietly and very carefully opened the heavy oak door of the old house and then, very slowly and with great care, stepped inside the dim hall, where the many candles were all burning very softly and very slowly in the silence.` },
  // architect/create_characters v1
  { when: ['Create 3 characters', 'safecracker'], answer: `{"characters": [
  {"name": "Ana Ribeiro", "role": "retired safecracker", "motivation": "to pay off her brother's debt and be left alone"},
  {"name": "Duarte Lobo", "role": "the fixer who finds her", "motivation": "to prove he can run one job without the old crew"},
  {"name": "Inspector Sofia Matos", "role": "the detective on the case", "motivation": "to close the file that ended her mentor's career"}
]}` },
  { when: ['Create 3 characters', 'cartographers'], answer: `{"characters": [
  {"name": "Oriel Vance", "role": "top student of the academy", "motivation": "to be the first to map the island's route"},
  {"name": "Kit Marrow", "role": "Oriel's rival, a scholarship student", "motivation": "to prove the island is alive"},
  {"name": "Master Quillon", "role": "head of the academy", "motivation": "to keep the island's secret buried"}
]}` },
  // JSON wrapped in prose, and one character lacks a motivation: fails json (strict) and schema.
  { when: ['Create 2 characters', 'Mars'], answer: `Here are the characters you asked for:
{"characters": [
  {"name": "Juno Okafor", "role": "the missing child", "motivation": "to see the storm from outside"},
  {"name": "Dr. Lena Hart", "role": "the colony's doctor and Juno's mother"}
]}` },
  // Six characters with long motivations: over the token budget, and slow (recorded with a delay).
  { when: ['Create 6 characters', 'shipbuilding'], answer: dynasty(), delayMs: 1200 },
  // architect: cast roles (task). The second names a different protagonist than the reference.
  { when: ['Name the protagonist and antagonist', 'safecracker'], answer: `{"protagonist": "Ana Ribeiro", "antagonist": "Inspector Sofia Matos"}` },
  { when: ['Name the protagonist and antagonist', 'cartographers'], answer: `{"protagonist": "Kit Marrow", "antagonist": "Master Quillon"}` },
]
