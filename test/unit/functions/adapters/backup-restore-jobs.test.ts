/**
 * The hand-signed DescribeRestoreJob answers what `@aws-sdk/client-backup` answers for AWS Backup's
 * recorded responses, and sends the request the SDK sends, with a SigV4 signature that an
 * independent verifier (test/helpers/signed-aws.ts, from AWS's specification, not the SDK's signer) accepts.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BackupClient, DescribeRestoreJobCommand } from '@aws-sdk/client-backup';
import { BackupRestoreJobs, BackupServiceError } from '../../../../functions/src/adapters/backup-restore-jobs';
import { fixture } from '../../../helpers/recorded-aws';
import { answering, verifySigV4, type Answer } from '../../../helpers/signed-aws';

const REGION = 'ap-northeast-1';
const recorded = (name: string): Answer => fixture(name);
const CREDENTIALS = {
  accessKeyId: 'ASIAEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCY',
  sessionToken: 'IQoJb3JpZ2luX2VjE+/=abc',
};

describe('BackupRestoreJobs', () => {
  afterEach(() => jest.useRealTimers());

  it.each(['backup-describe-restore-job', 'backup-describe-restore-job-running'])(
    'reads %s as @aws-sdk/client-backup does',
    async (name) => {
      // prepare
      const sdk = new BackupClient({
        region: REGION,
        credentials: CREDENTIALS,
        maxAttempts: 1,
        requestHandler: answering(recorded(name)).requestHandler,
      });
      const reference = await sdk.send(new DescribeRestoreJobCommand({ RestoreJobId: '9e2f-4c1a' }));

      // act
      const ours = await new BackupRestoreJobs({
        region: REGION,
        credentials: CREDENTIALS,
        requestHandler: answering(recorded(name)).requestHandler,
      }).describe('9e2f-4c1a');

      // assess
      expect(ours).toEqual({
        restoreJobId: reference.RestoreJobId,
        status: reference.Status,
        creationDate: reference.CreationDate,
        recoveryPointCreationDate: reference.RecoveryPointCreationDate,
      });
    },
  );

  it('sends the request the SDK sends, signed for AWS Backup in the region with the session token', async () => {
    // prepare: both sign at the same instant
    jest.useFakeTimers({ now: new Date('2026-12-06T00:31:02.000Z'), doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    const theirs = answering(recorded('backup-describe-restore-job'));
    await new BackupClient({ region: REGION, credentials: CREDENTIALS, maxAttempts: 1, requestHandler: theirs.requestHandler }).send(
      new DescribeRestoreJobCommand({ RestoreJobId: 'job 9e2f/4c1a' }),
    );
    const mine = answering(recorded('backup-describe-restore-job'));

    // act
    await new BackupRestoreJobs({ region: REGION, credentials: CREDENTIALS, requestHandler: mine.requestHandler }).describe(
      'job 9e2f/4c1a',
    );

    // assess
    const [sdk, ours] = [theirs.requests[0]!, mine.requests[0]!];
    expect({ method: ours.method, protocol: ours.protocol, hostname: ours.hostname, path: ours.path }).toEqual({
      method: sdk.method,
      protocol: sdk.protocol,
      hostname: sdk.hostname,
      path: sdk.path,
    });
    expect(ours.path).toBe('/restore-jobs/job%209e2f%2F4c1a');
    expect(ours.headers['x-amz-security-token']).toBe(CREDENTIALS.sessionToken);
    expect(ours.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=ASIAEXAMPLE\/20261206\/ap-northeast-1\/backup\/aws4_request, /,
    );
    expect(ours.headers['x-amz-date']).toBe(sdk.headers['x-amz-date']);
    expect([verifySigV4(sdk, CREDENTIALS.secretAccessKey), verifySigV4(ours, CREDENTIALS.secretAccessKey)]).toEqual([true, true]);
    expect(verifySigV4(ours, 'another secret')).toBe(false);
  });

  it('throws what AWS Backup answered, named by its error code, without retrying a client error', async () => {
    const { requestHandler, requests } = answering({
      status: 404,
      headers: { 'x-amzn-errortype': 'ResourceNotFoundException:http://internal.amazon.com/' },
      body: '{"Message":"Restore job j-1 not found","Code":"ResourceNotFoundException"}',
    });
    const error = await new BackupRestoreJobs({ region: REGION, credentials: CREDENTIALS, requestHandler })
      .describe('j-1')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackupServiceError);
    expect(error).toMatchObject({ name: 'ResourceNotFoundException', message: 'Restore job j-1 not found', statusCode: 404 });
    expect(requests).toHaveLength(1);
  });

  it('retries throttling and server errors, then gives up after maxAttempts', async () => {
    const throttled = { status: 400, body: '{"__type":"com.amazonaws.backup#ThrottlingException","message":"Rate exceeded"}' };
    const ok = answering(throttled, { status: 503, body: '{"message":"unavailable"}' }, recorded('backup-describe-restore-job'));
    await expect(
      new BackupRestoreJobs({ region: REGION, credentials: CREDENTIALS, requestHandler: ok.requestHandler }).describe('9e2f-4c1a'),
    ).resolves.toMatchObject({ status: 'COMPLETED' });
    expect(ok.requests).toHaveLength(3);

    const never = answering(throttled);
    await expect(
      new BackupRestoreJobs({ region: REGION, credentials: CREDENTIALS, requestHandler: never.requestHandler, maxAttempts: 2 }).describe(
        '9e2f-4c1a',
      ),
    ).rejects.toMatchObject({ name: 'ThrottlingException', message: 'Rate exceeded' });
    expect(never.requests).toHaveLength(2);
  });

  it('calls the endpoint AWS_ENDPOINT_URL_BACKUP names over real HTTP, as the SDK would', async () => {
    // prepare: a local AWS Backup answering the recorded response
    const seen: { url?: string; authorization?: string }[] = [];
    const server = createServer((req, res) => {
      seen.push({ url: req.url, authorization: req.headers.authorization });
      const r = recorded('backup-describe-restore-job');
      res.writeHead(r.status, r.headers).end(r.body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const previous = process.env.AWS_ENDPOINT_URL_BACKUP;
    process.env.AWS_ENDPOINT_URL_BACKUP = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      // act
      const job = await new BackupRestoreJobs({ region: REGION, credentials: CREDENTIALS }).describe('9e2f-4c1a');

      // assess
      expect(job.recoveryPointCreationDate).toEqual(new Date(1796518920000));
      expect(seen).toEqual([{ url: '/restore-jobs/9e2f-4c1a', authorization: expect.stringContaining('/backup/aws4_request') }]);
    } finally {
      if (previous === undefined) delete process.env.AWS_ENDPOINT_URL_BACKUP;
      else process.env.AWS_ENDPOINT_URL_BACKUP = previous;
      await new Promise((r) => server.close(r));
    }
  });

  it('runs each call, with its retries, inside the trace wrapper a traced Lambda gives it', async () => {
    // prepare: a wrapper that records what it wraps (runtime/xray-capture.ts makes it a subsegment)
    const traced: { operation: string; requestsBefore: number; requestsAfter?: number }[] = [];
    const h = answering({ status: 500, body: '{"message":"busy"}' }, recorded('backup-describe-restore-job'));
    const trace = async <T>(operation: string, call: () => Promise<T>): Promise<T> => {
      const entry: (typeof traced)[number] = { operation, requestsBefore: h.requests.length };
      traced.push(entry);
      const value = await call();
      entry.requestsAfter = h.requests.length;
      return value;
    };

    // act
    await new BackupRestoreJobs({ region: REGION, credentials: CREDENTIALS, requestHandler: h.requestHandler, trace }).describe(
      '9e2f-4c1a',
    );

    // assess: one traced call holding both attempts
    expect(traced).toEqual([{ operation: 'DescribeRestoreJob', requestsBefore: 0, requestsAfter: 2 }]);
  });
});
