/**
 * Authorization headers for the fuzz: valid tokens for two users, and every way a token can be
 * wrong: forged (alg none, HS256 keyed with our public key, another key, a tampered payload),
 * expired or not yet valid, for another issuer or audience, too long-lived, and correctly signed
 * tokens whose `sub` is every JSON type or a string the database cannot store.
 */
import { SignJWT, exportSPKI, generateKeyPair, type JWTPayload } from 'jose';
import { LOCAL_AUDIENCE, LOCAL_ISSUER, type LocalKeys } from '../../../local/auth';

export interface AuthCase {
  name: string;
  /** The Authorization header, or undefined for none. */
  header: string | undefined;
  /** The user the local API Gateway must accept it for ('other': a valid user who owns nothing), or undefined: refused with 401. */
  user: 'a' | 'b' | 'other' | undefined;
}

export const USER_A = 'fuzz-user-a';
export const USER_B = 'fuzz-user-b';

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

export async function authCases(keys: LocalKeys): Promise<AuthCase[]> {
  const now = Math.floor(Date.now() / 1000);
  const claims = (extra: JWTPayload = {}): JWTPayload => ({
    iss: LOCAL_ISSUER,
    aud: LOCAL_AUDIENCE,
    iat: now,
    nbf: now,
    exp: now + 3600,
    ...extra,
  });
  const signed = (payload: JWTPayload, key = keys.privateKey, kid = keys.kid) =>
    new SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' }).sign(key);

  const validA = await signed(claims({ sub: USER_A }));
  const validB = await signed(claims({ sub: USER_B }));
  const [head, , signature] = validA.split('.');
  const other = await generateKeyPair('RS256');
  const publicPem = await exportSPKI(keys.publicKey);
  const hmacWithPublicKey = await new SignJWT(claims({ sub: USER_A }))
    .setProtectedHeader({ alg: 'HS256' })
    .sign(new TextEncoder().encode(publicPem));

  const subs: [string, unknown][] = [
    ['number', 42],
    ['zero', 0],
    ['float', 1.5],
    ['true', true],
    ['false', false],
    ['null', null],
    ['object', { a: 1 }],
    ['empty object', {}],
    ['array', ['fuzz-user-a']],
    ['empty array', []],
    ['empty string', ''],
    ['NUL', '\u0000'],
    ['embedded NUL', 'fuzz\u0000user'],
    ['lone high surrogate', '\ud800'],
    ['lone low surrogate', 'x\udc00'],
    ['256 characters', 'u'.repeat(256)],
    ['6000 characters', 'u'.repeat(6000)],
  ];
  const cases: AuthCase[] = [
    { name: 'valid (user a)', header: `Bearer ${validA}`, user: 'a' },
    { name: 'valid (user b)', header: `Bearer ${validB}`, user: 'b' },
    { name: 'valid, lower-case scheme', header: `bearer ${validA}`, user: 'a' },
    { name: 'valid, 255-character sub', header: `Bearer ${await signed(claims({ sub: 'v'.repeat(255) }))}`, user: 'other' },
    { name: 'valid, emoji sub', header: `Bearer ${await signed(claims({ sub: '😀fuzz' }))}`, user: 'other' },
    { name: 'none', header: undefined, user: undefined },
    { name: 'empty', header: '', user: undefined },
    { name: 'scheme only', header: 'Bearer', user: undefined },
    { name: 'Basic', header: 'Basic ZnV6ejpmdXp6', user: undefined },
    { name: 'garbage', header: 'Bearer not-a-jwt', user: undefined },
    { name: 'three dots', header: 'Bearer a.b.c', user: undefined },
    { name: 'two tokens', header: `Bearer ${validA} ${validB}`, user: undefined },
    { name: 'alg none', header: `Bearer ${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims({ sub: USER_A }))}.`, user: undefined },
    { name: 'HS256 keyed with our public key', header: `Bearer ${hmacWithPublicKey}`, user: undefined },
    { name: 'signed by another key', header: `Bearer ${await signed(claims({ sub: USER_A }), other.privateKey)}`, user: undefined },
    { name: 'tampered payload', header: `Bearer ${head}.${b64(claims({ sub: USER_B }))}.${signature}`, user: undefined },
    { name: 'truncated signature', header: `Bearer ${validA.slice(0, -10)}`, user: undefined },
    {
      name: 'expired',
      header: `Bearer ${await signed(claims({ sub: USER_A, iat: now - 7200, nbf: now - 7200, exp: now - 3600 }))}`,
      user: undefined,
    },
    { name: 'not yet valid', header: `Bearer ${await signed(claims({ sub: USER_A, nbf: now + 3600, exp: now + 7200 }))}`, user: undefined },
    { name: 'another issuer', header: `Bearer ${await signed(claims({ sub: USER_A, iss: 'https://issuer.invalid' }))}`, user: undefined },
    { name: 'another audience', header: `Bearer ${await signed(claims({ sub: USER_A, aud: 'another-api' }))}`, user: undefined },
    { name: 'lives 48 h', header: `Bearer ${await signed(claims({ sub: USER_A, exp: now + 48 * 3600 }))}`, user: undefined },
    { name: 'no sub', header: `Bearer ${await signed(claims())}`, user: undefined },
    {
      name: 'no exp',
      header: `Bearer ${await signed({ iss: LOCAL_ISSUER, aud: LOCAL_AUDIENCE, iat: now, sub: USER_A })}`,
      user: undefined,
    },
    ...(await Promise.all(
      subs.map(
        async ([name, sub]) =>
          ({ name: `sub is ${name}`, header: `Bearer ${await signed(claims({ sub } as JWTPayload))}`, user: undefined }) as AuthCase,
      ),
    )),
  ];
  return cases;
}
