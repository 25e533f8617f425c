/**
 * The local model: a deterministic generator that answers a slice request (see
 * functions/src/ai/prompts.ts) with readable items that pass the type's result schema, varied by
 * the input and the step. Same request, same answer.
 */
import { createHash } from 'node:crypto';
import type { SliceRequest } from '../functions/src/ai/prompts';

const SUBGOAL_THEMES = [
  ['Build the core skills', 'Practise the skills that matter most for'],
  ['Set up a weekly routine', 'Reserve fixed time every week to work on'],
  ['Gather the right resources', 'Collect the books, tools and budget needed for'],
  ['Find people who can help', 'Ask mentors, peers and communities for support with'],
  ['Measure progress', 'Define three numbers that show whether you are getting closer to'],
  ['Protect your health and energy', 'Sleep, move and eat in a way that keeps you going on'],
  ['Remove the biggest obstacle', 'Name what most often stops you and plan around it for'],
  ['Celebrate milestones', 'Mark each step forward so motivation stays high on'],
] as const;

const ACTION_VERBS = [
  ['Draft a one-page plan for', 'execution'],
  ['Spend 20 minutes a day on', 'habit'],
  ['Book a session with an expert on', 'execution'],
  ['Review progress every Sunday on', 'habit'],
  ['Finish a small first project for', 'execution'],
  ['Keep a short journal about', 'habit'],
  ['Sign up for a course on', 'execution'],
  ['Share one thing you learned each week about', 'habit'],
] as const;

const TASK_STEPS = [
  'List what you already have for',
  'Choose the first concrete step of',
  'Block time in your calendar for',
  'Prepare the materials for',
  'Do a 25-minute focused session on',
  'Write down what went well with',
  'Ask one person for feedback on',
  'Tidy up and plan the next session of',
  'Check the result against the goal of',
  'Share an update on',
] as const;

function seedOf(value: unknown): number {
  return createHash('sha256').update(JSON.stringify(value)).digest().readUInt32BE(0);
}

/** A small deterministic PRNG (mulberry32): numbers in [0, 1). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** At most `n` characters (code points, as the schemas count them): never half of a surrogate pair. */
function clip(s: string, n: number): string {
  const chars = Array.from(s);
  return chars.length <= n ? s : `${chars.slice(0, n - 1).join('')}…`;
}
const titleOf = (v: unknown, fallback: string) => clip(String((v as { title?: unknown } | undefined)?.title ?? fallback), 80);

function rotate<T>(items: readonly T[], by: number): T[] {
  const k = by % items.length;
  return [...items.slice(k), ...items.slice(0, k)];
}

export function generateSlice(req: SliceRequest): Record<string, unknown[]> {
  const random = rng(seedOf({ input: req.input, kind: req.kind }));
  const offset = Math.floor(random() * 1000);
  const count =
    req.count.min === req.count.max ? req.count.min : req.count.min + Math.floor(rng(seedOf(req))() * (req.count.max - req.count.min + 1));
  const first = req.step * req.count.max; // stable position of this slice in the whole result
  const pick = <T>(list: readonly T[]) => Array.from({ length: count }, (_, i) => rotate(list, offset)[(first + i) % list.length]!);

  switch (req.kind) {
    case 'subgoals': {
      const goal = titleOf(req.input.goal, 'the goal');
      return { subgoals: pick(SUBGOAL_THEMES).map(([title, lead]) => ({ title: `${title}: ${goal}`, description: `${lead} "${goal}".` })) };
    }
    case 'actions': {
      const subgoal = titleOf(req.input.subgoal, 'the sub-goal');
      const goal = titleOf(req.input.goal, 'the goal');
      return {
        actions: pick(ACTION_VERBS).map(([verb, kind]) => ({
          title: `${verb} ${subgoal}`,
          description: `${verb} "${subgoal}", as part of "${goal}".`,
          kind,
        })),
      };
    }
    case 'tasks': {
      const action = titleOf(req.input.action, 'the action');
      const minutes = rng(seedOf(req));
      return {
        tasks: pick(TASK_STEPS).map((lead) => ({
          title: `${lead} ${action}`,
          description: `${lead} "${action}" and note anything that blocks you.`,
          estimatedMinutes: 5 * (1 + Math.floor(minutes() * 12)),
        })),
      };
    }
  }
}
