/**
 * Step Functions with its workflows paused, for the start API measured alone: StartExecution
 * answers as the service does (JSON 1.0, the execution's ARN and start date) and runs nothing, so
 * neither the start handler's process nor the database does any workflow work. It runs in a
 * process of its own: its CPU counts for neither the service nor the baseline, which both call it.
 * Run as a child: `node --import tsx bench/lib/sfn-stub.ts`.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

let started = 0;
const server = createServer(async (req, res) => {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const target = String(req.headers['x-amz-target'] ?? '');
  const reply = (status: number, body: unknown) =>
    res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0' }).end(JSON.stringify(body));
  if (target !== 'AWSStepFunctions.StartExecution')
    return reply(400, { __type: 'UnknownOperationException', message: `Unsupported operation: ${target}` });
  const { stateMachineArn, name } = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as {
    stateMachineArn?: string;
    name?: string;
  };
  if (!stateMachineArn || !name) return reply(400, { __type: 'InvalidArn', message: 'stateMachineArn and name are required' });
  started++;
  reply(200, { executionArn: `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`, startDate: Date.now() / 1000 });
});

server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`${JSON.stringify({ message: 'step functions stub listening', url: `http://127.0.0.1:${port}` })}\n`);
});
process.on('SIGTERM', () => {
  process.stdout.write(`${JSON.stringify({ message: 'step functions stub stopping', started })}\n`);
  server.close();
  server.closeAllConnections();
  process.exit(0);
});
