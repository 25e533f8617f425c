import { DESIGN, PROCESS_TYPES } from '../../../../guide';
import {
  INPUT_SCHEMAS,
  RESULT_PLAN,
  RESULT_SCHEMAS,
  sliceSchema,
  sliceSize,
  startRequestSchema,
} from '../../../../functions/src/domain/schemas';
import { VALID_INPUTS, VALID_RESULTS } from '../../../../harness/processes';

const text = (n: number) => 'x'.repeat(n);

describe('startRequestSchema', () => {
  it.each(PROCESS_TYPES)('accepts the contract example when the type is %s', (type) => {
    // prepare
    const body = { type, input: VALID_INPUTS[type] };

    // act
    const parsed = startRequestSchema.safeParse(body);

    // assess
    expect(parsed.success).toBe(true);
  });

  describe.each([
    ['an unknown type', { type: 'PLAN_GENERATION', input: VALID_INPUTS.SUBGOAL_GENERATION }],
    ['no type', { input: VALID_INPUTS.SUBGOAL_GENERATION }],
    ['no input', { type: 'SUBGOAL_GENERATION' }],
    ['an extra top-level field', { type: 'SUBGOAL_GENERATION', input: VALID_INPUTS.SUBGOAL_GENERATION, priority: 1 }],
    ['the input of another type', { type: 'TASK_GENERATION', input: VALID_INPUTS.SUBGOAL_GENERATION }],
    ['a body that is not an object', 'SUBGOAL_GENERATION'],
    ['no body', undefined],
  ])('with %s', (_name, body) => {
    it('refuses the request when it is validated', () => {
      expect(startRequestSchema.safeParse(body).success).toBe(false);
    });
  });
});

describe('INPUT_SCHEMAS', () => {
  const goal = (g: Record<string, unknown>) => ({ goal: g });

  describe.each([
    ['a 1-char title', goal({ title: 'a' }), true],
    ['a 200-char title', goal({ title: text(200) }), true],
    ['a 201-char title', goal({ title: text(201) }), false],
    ['an empty title', goal({ title: '' }), false],
    ['a blank title', goal({ title: '   ' }), false],
    ['no title', goal({ description: 'd' }), false],
    ['a 2000-char description', goal({ title: 't', description: text(2000) }), true],
    ['a 2001-char description', goal({ title: 't', description: text(2001) }), false],
    ['a deadline YYYY-MM-DD', goal({ title: 't', deadline: '2027-02-28' }), true],
    ['a leap-day deadline', goal({ title: 't', deadline: '2028-02-29' }), true],
    ['a deadline that is not a calendar date', goal({ title: 't', deadline: '2027-02-30' }), false],
    ['a deadline with a time', goal({ title: 't', deadline: '2027-02-28T00:00:00Z' }), false],
    ['a deadline in another format', goal({ title: 't', deadline: '28/02/2027' }), false],
    ['an unknown goal field', goal({ title: 't', owner: 'me' }), false],
    ['a title that is not a string', goal({ title: 42 }), false],
  ])('SUBGOAL_GENERATION with %s', (_name, input, valid) => {
    it(`${valid ? 'accepts' : 'refuses'} the input when it is validated`, () => {
      expect(INPUT_SCHEMAS.SUBGOAL_GENERATION.safeParse(input).success).toBe(valid);
    });
  });

  describe.each([
    ['a goal and a subgoal', { goal: { title: 'g' }, subgoal: { title: 's', description: 'd' } }, true],
    ['no subgoal', { goal: { title: 'g' } }, false],
    ['a subgoal without a title', { goal: { title: 'g' }, subgoal: { description: 'd' } }, false],
    ['a subgoal with a deadline', { goal: { title: 'g' }, subgoal: { title: 's', deadline: '2027-01-01' } }, false],
    ['an invalid goal', { goal: { title: '' }, subgoal: { title: 's' } }, false],
  ])('ACTION_GENERATION with %s', (_name, input, valid) => {
    it(`${valid ? 'accepts' : 'refuses'} the input when it is validated`, () => {
      expect(INPUT_SCHEMAS.ACTION_GENERATION.safeParse(input).success).toBe(valid);
    });
  });

  describe.each([
    ['an action title only', { action: { title: 'a' } }, true],
    ['an execution action', { action: { title: 'a', description: 'd', kind: 'execution' } }, true],
    ['a habit action', { action: { title: 'a', kind: 'habit' } }, true],
    ['an unknown kind', { action: { title: 'a', kind: 'chore' } }, false],
    ['no action', {}, false],
    ['a goal instead of an action', { goal: { title: 'g' } }, false],
  ])('TASK_GENERATION with %s', (_name, input, valid) => {
    it(`${valid ? 'accepts' : 'refuses'} the input when it is validated`, () => {
      expect(INPUT_SCHEMAS.TASK_GENERATION.safeParse(input).success).toBe(valid);
    });
  });
});

describe('RESULT_SCHEMAS', () => {
  const subgoal = { title: 't', description: 'd' };
  const action = { ...subgoal, kind: 'habit' };
  const task = { ...subgoal, estimatedMinutes: 30 };

  it.each(PROCESS_TYPES)('accepts a contract-shaped result when the type is %s', (type) => {
    expect(RESULT_SCHEMAS[type].safeParse(VALID_RESULTS[type]).success).toBe(true);
  });

  describe.each([
    ['SUBGOAL_GENERATION', '7 subgoals', { subgoals: Array(7).fill(subgoal) }, false],
    ['SUBGOAL_GENERATION', '9 subgoals', { subgoals: Array(9).fill(subgoal) }, false],
    ['SUBGOAL_GENERATION', 'a subgoal without a description', { subgoals: Array(8).fill({ title: 't' }) }, false],
    ['ACTION_GENERATION', '8 actions', { actions: Array(8).fill(action) }, true],
    ['ACTION_GENERATION', 'an action without a kind', { actions: Array(8).fill(subgoal) }, false],
    ['ACTION_GENERATION', 'an action of an unknown kind', { actions: Array(8).fill({ ...action, kind: 'chore' }) }, false],
    ['TASK_GENERATION', '1 task', { tasks: [task] }, true],
    ['TASK_GENERATION', '20 tasks', { tasks: Array(20).fill(task) }, true],
    ['TASK_GENERATION', 'no task', { tasks: [] }, false],
    ['TASK_GENERATION', '21 tasks', { tasks: Array(21).fill(task) }, false],
    ['TASK_GENERATION', 'a fractional estimate', { tasks: [{ ...task, estimatedMinutes: 1.5 }] }, false],
    ['TASK_GENERATION', 'a zero estimate', { tasks: [{ ...task, estimatedMinutes: 0 }] }, false],
    ['TASK_GENERATION', 'an extra field', { tasks: [{ ...task, priority: 1 }] }, false],
  ] as const)('%s with %s', (type, _name, result, valid) => {
    it(`${valid ? 'accepts' : 'refuses'} the result when it is validated`, () => {
      expect(RESULT_SCHEMAS[type].safeParse(result).success).toBe(valid);
    });
  });
});

describe('sliceSize', () => {
  const steps = DESIGN.workflow.generationSteps;
  const sizes = (type: (typeof PROCESS_TYPES)[number], n: number) => Array.from({ length: n }, (_, step) => sliceSize(type, step, n));

  it.each(['SUBGOAL_GENERATION', 'ACTION_GENERATION'] as const)('spreads exactly 8 items over the steps when the type is %s', (type) => {
    // act
    const plan = sizes(type, steps);

    // assess
    expect(plan.reduce((sum, s) => sum + s.min, 0)).toBe(8);
    expect(plan.every((s) => s.min === s.max)).toBe(true);
  });

  it.each([3, 5, 8])('gives the first slices the remainder when 8 items are spread over %i steps', (n) => {
    const plan = sizes('SUBGOAL_GENERATION', n);
    expect(plan.reduce((sum, s) => sum + s.max, 0)).toBe(8);
    expect(Math.max(...plan.map((s) => s.max)) - Math.min(...plan.map((s) => s.max))).toBeLessThanOrEqual(1);
  });

  it('keeps every assembly of TASK slices within 1–20 tasks when the type is TASK_GENERATION', () => {
    // act
    const plan = sizes('TASK_GENERATION', steps);

    // assess
    const { total } = RESULT_PLAN.TASK_GENERATION;
    expect(plan.reduce((sum, s) => sum + s.min, 0)).toBeGreaterThanOrEqual(total.min);
    expect(plan.reduce((sum, s) => sum + s.max, 0)).toBeLessThanOrEqual(total.max);
    expect(plan.every((s) => s.min >= 1 && s.min <= s.max)).toBe(true);
  });

  it('refuses a slice with more items than its share when the slice schema is applied', () => {
    // prepare
    const { max } = sliceSize('SUBGOAL_GENERATION', 0);
    const tooMany = { subgoals: Array(max + 1).fill({ title: 't', description: 'd' }) };

    // act + assess
    expect(sliceSchema('SUBGOAL_GENERATION', 0).safeParse(tooMany).success).toBe(false);
    expect(sliceSchema('SUBGOAL_GENERATION', 0).safeParse({ subgoals: tooMany.subgoals.slice(1) }).success).toBe(true);
  });
});
