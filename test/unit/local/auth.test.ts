/** The local JWT authorizer remembers tokens it verified, never longer than they are valid, and only for the keys that verified them. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { issueToken, loadKeys, TokenRejected, verifyBearer, type LocalKeys } from '../../../local/auth';

describe('verifyBearer', () => {
  let dirs: string[] = [];
  const keysIn = async (): Promise<LocalKeys> => {
    const dir = mkdtempSync(join(tmpdir(), 'aip-auth-'));
    dirs.push(dir);
    return loadKeys(dir);
  };
  afterEach(() => {
    jest.useRealTimers();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
    dirs = [];
  });

  it('accepts a verified token again while it is valid and refuses it once it has expired', async () => {
    // prepare
    jest.useFakeTimers({ now: new Date('2026-12-07T10:00:00Z'), doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    const keys = await keysIn();
    const token = await issueToken(keys, 'cached-user', { expiresInSeconds: 60 });
    expect((await verifyBearer(keys, `Bearer ${token}`)).sub).toBe('cached-user');

    // act
    jest.setSystemTime(new Date('2026-12-07T10:00:59Z'));
    const again = await verifyBearer(keys, `Bearer ${token}`);
    jest.setSystemTime(new Date('2026-12-07T10:01:01Z'));
    const expired = verifyBearer(keys, `Bearer ${token}`);

    // assess
    expect(again.sub).toBe('cached-user');
    await expect(expired).rejects.toThrow(TokenRejected);
    await expect(expired).rejects.toThrow(/expired/i);
  });

  it('never accepts a token under keys other than those that verified it', async () => {
    const [a, b] = [await keysIn(), await keysIn()];
    const token = await issueToken(a, 'user-a');
    await verifyBearer(a, `Bearer ${token}`);
    await expect(verifyBearer(b, `Bearer ${token}`)).rejects.toThrow(TokenRejected);
  });

  it('refuses a tampered token every time it is sent', async () => {
    const keys = await keysIn();
    const token = await issueToken(keys, 'user-t');
    const [h, p, s] = token.split('.') as [string, string, string];
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p, 'base64url').toString()), sub: 'admin' })).toString('base64url')}.${s}`;
    for (let i = 0; i < 2; i++) await expect(verifyBearer(keys, `Bearer ${forged}`)).rejects.toThrow(TokenRejected);
    expect((await verifyBearer(keys, `Bearer ${token}`)).sub).toBe('user-t');
  });
});
