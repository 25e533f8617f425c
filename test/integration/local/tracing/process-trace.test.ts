/**
 * One process's trace, as the local runtime records it (OpenTelemetry SDK in the runtime) and the
 * dashboard serves it (/dashboard/api/processes/<id>): the API call holds the handler's Lambda
 * invocation, its SQL and StartExecution; the execution holds every workflow state in order; each
 * state holds its worker invocation; each generation step its model call and SQL. A failed model
 * call is marked, and so is everything it failed: the worker, the state, the execution.
 */
import { DESIGN } from '../../../../guide';
import { FAST_ENV, isTerminal, useLocalRuntime } from '../../../../harness/local-runtime';

interface Row {
  name: string;
  depth: number;
  error: boolean;
  errorMessage?: string;
  detail: string;
}
interface Node extends Row {
  children: Node[];
}

/** The waterfall's rows (depth-first, each under its parent) back into trees. */
function trees(rows: Row[]): Node[] {
  const roots: Node[] = [];
  const path: Node[] = [];
  for (const r of rows) {
    const node: Node = { ...r, children: [] };
    path.length = r.depth;
    (r.depth === 0 ? roots : path[r.depth - 1]!.children).push(node);
    path[r.depth] = node;
  }
  return roots;
}

const one = (nodes: Node[], name: string | RegExp): Node => {
  const found = nodes.filter((n) => (typeof name === 'string' ? n.name === name : name.test(n.name)));
  if (found.length !== 1) throw new Error(`expected one ${name} among ${nodes.map((n) => n.name).join(', ')}`);
  return found[0]!;
};
const names = (nodes: Node[]) => nodes.map((n) => n.name);
const sql = (n: Node) => n.children.filter((c) => c.name.startsWith('pg.query '));
const WORKER = 'Lambda ai-generation-worker';

describe("A process's trace", () => {
  const fx = useLocalRuntime({ ...FAST_ENV });

  async function traced(body: unknown): Promise<{ id: string; roots: Node[] }> {
    const token = await fx.rt.token('trace-test');
    const res = await fx.rt.request('POST', '/v1/processes', { token, body });
    expect(res.status).toBe(202);
    await fx.rt.poll(token, res.body.processId, isTerminal);
    const answer = await fetch(`${fx.rt.url}/dashboard/api/processes/${res.body.processId}`);
    expect(answer.status).toBe(200);
    return { id: res.body.processId, roots: trees(((await answer.json()) as { waterfall: { rows: Row[] } }).waterfall.rows) };
  }

  /** The start request's tree down to the execution span. */
  function execution(roots: Node[]) {
    const api = one(roots, 'API Gateway POST /v1/processes');
    const handler = one(api.children, 'Lambda async-processing-handler');
    const start = one(handler.children, 'StepFunctions.StartExecution');
    return { api, handler, execution: one(start.children, /^StepFunctions [0-9a-f-]+-a1$/) };
  }

  it('shows every step of a completed process: API call, SQL, StartExecution, each state, each worker step, each model call', async () => {
    const { roots } = await traced({ type: 'SUBGOAL_GENERATION', input: { goal: { title: 'Run a marathon' } } });
    const { api, handler, execution: exec } = execution(roots);
    expect(api.detail).toContain('http.status_code=202');
    expect(sql(handler).map((q) => q.detail)).toEqual(expect.arrayContaining([expect.stringContaining('INSERT INTO processing_state')]));
    expect(exec.detail).toContain('aws.step_functions.status=SUCCEEDED');
    const steps = DESIGN.workflow.generationSteps;
    expect(names(exec.children)).toEqual(['Begin', ...Array(steps).fill('Generate'), 'Complete']);
    exec.children.forEach((state) => {
      const worker = one(state.children, WORKER);
      expect(sql(worker).length).toBeGreaterThan(0);
    });
    const models = exec.children.filter((s) => s.name === 'Generate').map((s) => one(one(s.children, WORKER).children, 'bedrock.converse'));
    expect(models.map((m) => m.detail)).toEqual(Array.from({ length: steps }, (_, i) => `step=${i}`));
    // The status polls are traces of their own, each with its handler and SQL.
    const polls = roots.filter((r) => r.name === 'API Gateway GET /v1/processes/{processId}');
    expect(polls.length).toBeGreaterThan(0);
    for (const p of polls) expect(sql(one(p.children, 'Lambda status-check-handler')).length).toBeGreaterThan(0);
    const all = (n: Node): Node[] => [n, ...n.children.flatMap(all)];
    expect(roots.flatMap(all).filter((n) => n.error)).toEqual([]);
  });

  it('marks a failed model call, and the worker step, state and execution it failed, then shows MarkFailed', async () => {
    await fx.rt.setFaults({ mode: 'error', count: 1000 });
    const { roots } = await traced({ type: 'TASK_GENERATION', input: { action: { title: 'Jog 5 km' } } });
    const { api, execution: exec } = execution(roots);
    expect(api.error).toBe(false);
    expect(exec.error).toBe(true);
    expect(exec.detail).toContain('aws.step_functions.status=FAILED');
    const failedStates = exec.children.filter((s) => s.error);
    expect(names(failedStates).length).toBeGreaterThan(0);
    expect(new Set(names(failedStates))).toEqual(new Set(['Generate']));
    for (const state of failedStates) {
      const worker = one(state.children, WORKER);
      const model = one(worker.children, 'bedrock.converse');
      expect([worker.error, model.error]).toEqual([true, true]);
      expect(model.errorMessage).toMatch(/Model|AI/);
    }
    expect(names(exec.children)).toContain('MarkFailed');
    expect(names(exec.children)).not.toContain('Complete');
    expect(one(exec.children, 'MarkFailed').error).toBe(false);
  });
});
