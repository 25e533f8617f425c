/**
 * Prompts per process type and parsing of the model's answer. A process's result is generated
 * in DESIGN.workflow.generationSteps slices; each prompt asks for one slice and lists what
 * earlier slices produced so the model does not repeat itself.
 *
 * Every prompt ends with a machine-readable `<request>` block: real models read it as context,
 * and the local Bedrock endpoint answers from it deterministically.
 */
import type { ProcessType } from '../../../guide';
import { WORKFLOW_ERRORS, WorkflowError } from '../domain/errors';
import { RESULT_PLAN, sliceSchema, sliceSize, toStorableText } from '../domain/schemas';
import type { ModelRequest } from '../ports';

export interface SliceRequest {
  kind: (typeof RESULT_PLAN)[ProcessType]['key'];
  count: { min: number; max: number };
  step: number;
  input: Record<string, unknown>;
  existingTitles: string[];
}

const SYSTEM = [
  'You are a planning assistant that breaks goals down mandala-chart style.',
  'Answer with ONE JSON object and nothing else: no prose, no code fences.',
  'Write in the language of the user input.',
].join(' ');

const ITEM_SHAPE: Record<ProcessType, string> = {
  SUBGOAL_GENERATION: '{"title": string (<= 200 chars), "description": string}',
  ACTION_GENERATION: '{"title": string (<= 200 chars), "description": string, "kind": "execution" | "habit"}',
  TASK_GENERATION: '{"title": string (<= 200 chars), "description": string, "estimatedMinutes": integer 1-1440}',
};

const TASK: Record<ProcessType, string> = {
  SUBGOAL_GENERATION: 'Propose sub-goals that together achieve the goal.',
  ACTION_GENERATION: 'Propose concrete actions for the sub-goal of the goal: "execution" for one-off actions, "habit" for recurring ones.',
  TASK_GENERATION: 'Break the action down into small tasks a person can do in one sitting.',
};

export function buildSlicePrompt(type: ProcessType, input: Record<string, unknown>, step: number, existing: unknown[]): ModelRequest {
  const { key } = RESULT_PLAN[type];
  const count = sliceSize(type, step);
  const existingTitles = existing.map((i) => String((i as { title?: unknown }).title ?? ''));
  const request: SliceRequest = { kind: key, count, step, input, existingTitles };
  const howMany = count.min === count.max ? `exactly ${count.min}` : `between ${count.min} and ${count.max}`;
  const prompt = [
    TASK[type],
    `Input: ${JSON.stringify(input)}`,
    existingTitles.length ? `Already proposed (do not repeat): ${existingTitles.map((t) => JSON.stringify(t)).join(', ')}` : '',
    `Return {"${key}": [${howMany} items of ${ITEM_SHAPE[type]}]}.`,
    `<request>${requestBlock(request)}</request>`,
  ]
    .filter(Boolean)
    .join('\n');
  return { system: SYSTEM, prompt, maxTokens: 2000 };
}

/**
 * The block's JSON with `<` and `>` escaped, so user text (which also appears raw in the `Input:`
 * line) can never open or close a block; the block is always the prompt's last line.
 */
const requestBlock = (request: SliceRequest): string => JSON.stringify(request).replace(/</g, '\\u003c').replace(/>/g, '\\u003e');

/** Reads the `<request>` block back (used by the local model endpoint). */
export function parseSliceRequest(prompt: string): SliceRequest | undefined {
  const m = /<request>([^<]*)<\/request>\s*$/.exec(prompt);
  if (!m) return undefined;
  try {
    return JSON.parse(m[1]!) as SliceRequest;
  } catch {
    return undefined;
  }
}

/**
 * Model text can carry what PostgreSQL cannot store: NUL (raw, or written as `\u0000` inside a
 * JSON string) and unpaired surrogates. NUL is dropped and a lone surrogate becomes U+FFFD, as a
 * UTF-8 decoder would; what is left is then checked by the schema like any other answer.
 */
export function cleanModelValue(value: unknown): unknown {
  if (typeof value === 'string') return toStorableText(value);
  if (Array.isArray(value)) return value.map(cleanModelValue);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [cleanModelValue(k) as string, cleanModelValue(v)]));
  }
  return value;
}

/** Extracts and validates one slice from the model's text; throws ModelOutputInvalid. */
export function parseSlice(type: ProcessType, step: number, answer: string): unknown[] {
  const text = toStorableText(answer);
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}');
  let value: unknown;
  try {
    value = cleanModelValue(JSON.parse(start >= 0 && end > start ? text.slice(start, end + 1) : text));
  } catch {
    throw new WorkflowError(WORKFLOW_ERRORS.modelOutputInvalid, 'The model did not answer with JSON');
  }
  const parsed = sliceSchema(type, step).safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new WorkflowError(
      WORKFLOW_ERRORS.modelOutputInvalid,
      `The model's answer does not match the ${type} result schema${issue ? ` (${issue.path.join('.')}: ${issue.message})` : ''}`,
    );
  }
  return (parsed.data as Record<string, unknown[]>)[RESULT_PLAN[type].key]!;
}
