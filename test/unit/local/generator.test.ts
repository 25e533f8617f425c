/** The local model's generator: schema-valid, deterministic, varied by input. */
import { DESIGN, PROCESS_TYPES, type ProcessType } from '../../../guide';
import { buildSlicePrompt, parseSlice, parseSliceRequest } from '../../../functions/src/ai/prompts';
import { RESULT_PLAN, RESULT_SCHEMAS, isStorableText } from '../../../functions/src/domain/schemas';
import { generateSlice } from '../../../local/generator';

const INPUTS: Record<ProcessType, Record<string, unknown>[]> = {
  SUBGOAL_GENERATION: [{ goal: { title: 'Run a marathon' } }, { goal: { title: '英語で会議を回せるようになる', description: '半年で' } }],
  ACTION_GENERATION: [
    { goal: { title: 'Open a bakery' }, subgoal: { title: 'Learn sourdough' } },
    { goal: { title: 'x'.repeat(200) }, subgoal: { title: 'y' } },
  ],
  TASK_GENERATION: [{ action: { title: 'Write the first chapter' } }, { action: { title: 'Run 5 km', kind: 'habit' } }],
};

/** Titles whose cut falls inside a surrogate pair when strings are cut by UTF-16 units. */
const ASTRAL: Record<ProcessType, Record<string, unknown>> = {
  SUBGOAL_GENERATION: { goal: { title: '😀'.repeat(200) } },
  ACTION_GENERATION: { goal: { title: 'a😀'.repeat(100) }, subgoal: { title: '𠮷'.repeat(200) } },
  TASK_GENERATION: { action: { title: 'x' + '🏃'.repeat(199) } },
};

/** Runs the whole generation as the worker does: one prompt per step, each answer parsed. */
function generate(type: ProcessType, input: Record<string, unknown>): Record<string, unknown> {
  const slices: unknown[][] = [];
  for (let step = 0; step < DESIGN.workflow.generationSteps; step++) {
    const prompt = buildSlicePrompt(type, input, step, slices.flat());
    const answer = JSON.stringify(generateSlice(parseSliceRequest(prompt.prompt)!));
    slices.push(parseSlice(type, step, answer));
  }
  return { [RESULT_PLAN[type].key]: slices.flat() };
}

describe('generateSlice', () => {
  it.each(PROCESS_TYPES.flatMap((t) => INPUTS[t].map((input) => [t, input] as const)))(
    'gives a %s result that passes its schema for %j',
    (type, input) => {
      const result = generate(type, input);

      expect(RESULT_SCHEMAS[type].safeParse(result).success).toBe(true);
    },
  );

  it.each(PROCESS_TYPES)('answers the same %s input the same way, and another input differently', (type) => {
    const [a, b] = INPUTS[type];

    expect(generate(type, a!)).toEqual(generate(type, a!));
    expect(generate(type, a!)).not.toEqual(generate(type, b!));
  });

  it.each(PROCESS_TYPES)('cuts long %s input by characters, never through a surrogate pair', (type) => {
    // act
    const result = generate(type, ASTRAL[type]);

    // assess
    expect(RESULT_SCHEMAS[type].safeParse(result).success).toBe(true);
    expect(isStorableText(JSON.stringify(result))).toBe(true);
  });

  it('does not repeat a sub-goal within one result', () => {
    const { subgoals } = generate('SUBGOAL_GENERATION', INPUTS.SUBGOAL_GENERATION[0]!) as { subgoals: { title: string }[] };

    expect(new Set(subgoals.map((s) => s.title)).size).toBe(8);
  });
});
