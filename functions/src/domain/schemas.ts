/**
 * Inputs and results per process type (DESIGN.md §4), as zod schemas. The same schemas validate
 * API bodies, model output and, in tests, what the local model generator produces.
 *
 * Written with `zod/mini`, the tree-shakable API of the same zod 4 core: a handler bundle carries
 * ~25 KB of it instead of classic zod's ~440 KB, and the issues (codes, paths, messages) are the
 * core's, so the contract's VALIDATION_ERROR messages and `details` are what classic zod gave.
 * Mini loads no locale by itself: the English one is set here, as classic does on import.
 */
import * as z from 'zod/mini';
import { en } from 'zod/locales';
import { DESIGN, type ProcessType } from '../../../guide';

z.config(en());

/**
 * NUL and unpaired UTF-16 surrogates: a JavaScript string may hold them, but PostgreSQL's json,
 * jsonb and text types refuse them (and UTF-8 cannot encode a lone surrogate). Input carrying one
 * is refused with 400 here, on AWS and locally, instead of failing later in the database.
 */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const UNSTORABLE = new RegExp(`\\u0000|${LONE_SURROGATE.source}`);
export const isStorableText = (s: string): boolean => !UNSTORABLE.test(s);
/** Drops NUL and turns each unpaired surrogate into U+FFFD (what a UTF-8 decoder shows). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is exactly what PostgreSQL cannot store
export const toStorableText = (s: string): string => s.replace(/\u0000/g, '').replace(LONE_SURROGATE, '\ufffd');
export const UNSTORABLE_TEXT_MESSAGE = 'must not contain NUL (U+0000) or unpaired surrogate characters';
/** A string that PostgreSQL can store. */
const text = () => z.string().check(z.refine(isStorableText, UNSTORABLE_TEXT_MESSAGE));

/**
 * The user id is the JWT `sub`. It must be a non-empty string PostgreSQL can store; 255 characters
 * (code points, as the schemas count; a Cognito subject is 36) keeps it well inside a B-tree index
 * entry (user_id is indexed, and PostgreSQL refuses an entry over ~2700 bytes).
 */
export const USER_ID_MAX_LENGTH = 255;
export const isValidUserId = (sub: unknown): sub is string =>
  typeof sub === 'string' && sub.length > 0 && isStorableText(sub) && Array.from(sub).length <= USER_ID_MAX_LENGTH;

const isoDate = z.string().check(
  z.regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD'),
  z.refine(
    (s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s),
    'must be a real calendar date',
  ),
);

const title = text().check(z.trim(), z.minLength(1), z.maxLength(200));
const description = text().check(z.maxLength(2000));

export const goalSchema = z.strictObject({ title, description: z.optional(description), deadline: z.optional(isoDate) });
export const subgoalSchema = z.strictObject({ title, description: z.optional(description) });
export const actionKind = z.enum(['execution', 'habit']);
export const actionSchema = z.strictObject({ title, description: z.optional(description), kind: z.optional(actionKind) });

export const INPUT_SCHEMAS = {
  SUBGOAL_GENERATION: z.strictObject({ goal: goalSchema }),
  ACTION_GENERATION: z.strictObject({ goal: goalSchema, subgoal: subgoalSchema }),
  TASK_GENERATION: z.strictObject({ action: actionSchema }),
} as const satisfies Record<ProcessType, z.ZodMiniType>;

const resultItem = z.strictObject({
  title: text().check(z.minLength(1), z.maxLength(200)),
  description: text().check(z.minLength(1), z.maxLength(2000)),
});
const actionItem = z.extend(resultItem, { kind: actionKind });
const taskItem = z.extend(resultItem, { estimatedMinutes: z.number().check(z.int(), z.minimum(1), z.maximum(24 * 60)) });

/** How the result of each type is built: items per slice, one slice per generation step. */
export const RESULT_PLAN = {
  SUBGOAL_GENERATION: { key: 'subgoals', item: resultItem, total: { min: 8, max: 8 } },
  ACTION_GENERATION: { key: 'actions', item: actionItem, total: { min: 8, max: 8 } },
  TASK_GENERATION: { key: 'tasks', item: taskItem, total: { min: 1, max: 20 } },
} as const;

export const RESULT_SCHEMAS = {
  SUBGOAL_GENERATION: z.strictObject({ subgoals: z.array(resultItem).check(z.length(8)) }),
  ACTION_GENERATION: z.strictObject({ actions: z.array(actionItem).check(z.length(8)) }),
  TASK_GENERATION: z.strictObject({ tasks: z.array(taskItem).check(z.minLength(1), z.maxLength(20)) }),
} as const satisfies Record<ProcessType, z.ZodMiniType>;

/** Number of items the model must return in slice `step` (0-based) of `steps`. */
export function sliceSize(type: ProcessType, step: number, steps: number = DESIGN.workflow.generationSteps): { min: number; max: number } {
  const { total } = RESULT_PLAN[type];
  if (total.min === total.max) {
    // Spread a fixed count evenly: 8 over 4 steps is 2 each.
    const base = Math.floor(total.max / steps);
    const extra = step < total.max % steps ? 1 : 0;
    return { min: base + extra, max: base + extra };
  }
  // A range: every slice adds at least one item and at most its share of the maximum.
  return { min: 1, max: Math.floor(total.max / steps) };
}

/** Schema of one slice's model output: `{"<key>": [items]}`. */
export function sliceSchema(type: ProcessType, step: number) {
  const { key, item } = RESULT_PLAN[type];
  const { min, max } = sliceSize(type, step);
  return z.strictObject({ [key]: z.array(item).check(z.minLength(min), z.maxLength(max)) });
}

export const startRequestSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('SUBGOAL_GENERATION'), input: INPUT_SCHEMAS.SUBGOAL_GENERATION }),
  z.strictObject({ type: z.literal('ACTION_GENERATION'), input: INPUT_SCHEMAS.ACTION_GENERATION }),
  z.strictObject({ type: z.literal('TASK_GENERATION'), input: INPUT_SCHEMAS.TASK_GENERATION }),
]);

/** Turns zod issues into a short message and safe details. */
export function describeIssues(error: { issues: readonly z.core.$ZodIssue[] }): {
  message: string;
  details: { path: string; message: string }[];
} {
  const details = error.issues.map((i) => ({ path: i.path.join('.') || '(body)', message: i.message }));
  const first = details[0];
  return { message: first ? `Invalid request: ${first.path}: ${first.message}` : 'Invalid request', details };
}
