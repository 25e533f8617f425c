/**
 * The local Step Functions endpoint: the service's JSON 1.0 protocol (`X-Amz-Target:
 * AWSStepFunctions.<Operation>`) for StartExecution, StopExecution, DescribeExecution and
 * ListExecutions, so the handlers use the unchanged SFNClient with an `endpoint` setting.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SfnError, type LocalStepFunctions } from './step-functions';
import type { ExecutionRecord } from './sfn-executions';

const seconds = (d: Date | null | undefined) => (d ? d.getTime() / 1000 : undefined);

function describe(e: ExecutionRecord) {
  return {
    executionArn: e.executionArn,
    stateMachineArn: e.stateMachineArn,
    name: e.name,
    status: e.status,
    startDate: seconds(e.startDate),
    stopDate: seconds(e.stopDate),
    input: e.input,
    ...(e.output !== null ? { output: e.output } : {}),
    ...(e.error !== null ? { error: e.error } : {}),
    ...(e.cause !== null ? { cause: e.cause } : {}),
  };
}

const summary = (e: ExecutionRecord) => ({
  executionArn: e.executionArn,
  stateMachineArn: e.stateMachineArn,
  name: e.name,
  status: e.status,
  startDate: seconds(e.startDate),
  ...(e.stopDate ? { stopDate: seconds(e.stopDate) } : {}),
});

export async function startSfnServer(
  sfn: LocalStepFunctions,
  opts: { port?: number } = {},
): Promise<{ server: Server; endpoint: string; close(): Promise<void> }> {
  const operations: Record<string, (body: any) => Promise<unknown>> = {
    StartExecution: async (b) => {
      const r = await sfn.startExecution(b);
      return { executionArn: r.executionArn, startDate: seconds(r.startDate) };
    },
    StopExecution: async (b) => ({ stopDate: seconds((await sfn.stopExecution(b)).stopDate) }),
    DescribeExecution: async (b) => describe(await sfn.describeExecution(b)),
    ListExecutions: async (b) => {
      const r = await sfn.listExecutions(b);
      return { executions: r.executions.map(summary), ...(r.nextToken ? { nextToken: r.nextToken } : {}) };
    },
  };

  const server = createServer(async (req, res) => {
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { 'Content-Type': 'application/x-amz-json-1.0', 'x-amzn-RequestId': crypto.randomUUID() });
      res.end(JSON.stringify(body));
    };
    const target = String(req.headers['x-amz-target'] ?? '');
    const op = operations[target.replace(/^AWSStepFunctions\./, '')];
    if (req.method !== 'POST' || !op)
      return reply(400, { __type: 'UnknownOperationException', message: `Unsupported operation: ${target}` });
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    try {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
      reply(200, await op(body));
    } catch (err) {
      if (err instanceof SfnError) return reply(400, { __type: err.type, message: err.message });
      if (err instanceof SyntaxError) return reply(400, { __type: 'SerializationException', message: 'Malformed JSON' });
      reply(500, { __type: 'InternalFailure', message: 'Local Step Functions failed' });
    }
  });
  await new Promise<void>((r) => server.listen(opts.port ?? 0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    server,
    endpoint: `http://127.0.0.1:${port}`,
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}
