/**
 * The local JWT issuer and verifier. Tokens are RS256, issuer LOCAL_ISSUER, audience
 * LOCAL_AUDIENCE, valid 24 h (AUTH.tokenValidityHours), signed with a key kept in the data folder
 * so `npm run token` and `npm start` agree. Verification checks what API Gateway's JWT
 * authorizer checks: signature, `iss`, `aud`, `exp` (and here also `nbf` and the 24 h lifetime),
 * and that `sub` is a user id: a non-empty string (the authorizer passes claims as strings; an
 * object or a number is not a user) that the database can store (`isValidUserId`).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { SignJWT, exportJWK, generateKeyPair, importJWK, jwtVerify, type JWK, type JWTPayload, type KeyLike } from 'jose';
import { AUTH } from '../guide';
import { USER_ID_MAX_LENGTH, isValidUserId } from '../functions/src/domain/schemas';

export const LOCAL_ISSUER = 'urn:async-ai-pipeline:local-issuer';
export const LOCAL_AUDIENCE = 'async-ai-pipeline-local';
const ALG = 'RS256';

export interface LocalKeys {
  privateKey: KeyLike;
  publicKey: KeyLike;
  kid: string;
}

export const keyFile = (dataDir: string) => join(dataDir, 'jwt', 'local-signing-key.json');

/** Loads the local signing key from the data folder, creating it on first use. */
export async function loadKeys(dataDir: string): Promise<LocalKeys> {
  const file = keyFile(dataDir);
  if (!existsSync(file)) {
    const { privateKey } = await generateKeyPair(ALG, { extractable: true, modulusLength: 2048 });
    const jwk = { ...(await exportJWK(privateKey)), kid: `local-${Date.now().toString(36)}`, alg: ALG };
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    // `wx`: if another process created it meanwhile, keep theirs.
    try {
      writeFileSync(file, JSON.stringify(jwk), { mode: 0o600, flag: 'wx' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  const jwk = JSON.parse(readFileSync(file, 'utf8')) as JWK & { kid: string };
  const privateKey = (await importJWK(jwk, ALG)) as KeyLike;
  const { d, p, q, dp, dq, qi, ...pub } = jwk;
  const publicKey = (await importJWK(pub, ALG)) as KeyLike;
  return { privateKey, publicKey, kid: jwk.kid };
}

export async function issueToken(
  keys: LocalKeys,
  userId: string,
  opts: { expiresInSeconds?: number; audience?: string; issuer?: string } = {},
): Promise<string> {
  if (!isValidUserId(userId))
    throw new Error(
      `A user id must be 1-${USER_ID_MAX_LENGTH} characters without NUL or unpaired surrogates; got ${JSON.stringify(String(userId).slice(0, 40))}`,
    );
  const ttl = opts.expiresInSeconds ?? AUTH.tokenValidityHours * 3600;
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ token_use: 'access', scope: 'processes' })
    .setProtectedHeader({ alg: ALG, kid: keys.kid, typ: 'JWT' })
    .setSubject(userId)
    .setIssuer(opts.issuer ?? LOCAL_ISSUER)
    .setAudience(opts.audience ?? LOCAL_AUDIENCE)
    .setIssuedAt(now)
    .setNotBefore(now)
    .setExpirationTime(now + ttl)
    .setJti(crypto.randomUUID())
    .sign(keys.privateKey);
}

export class TokenRejected extends Error {}

/**
 * Tokens already verified with these keys, until they expire: a client sends the same token with
 * every request, and an RS256 verification costs more CPU than a status check's own work. Only
 * tokens that passed every check are kept, at most VERIFIED_CACHE_SIZE of them (oldest go first).
 */
const verified = new WeakMap<LocalKeys, Map<string, JWTPayload>>();
export const VERIFIED_CACHE_SIZE = 10_000;

/** Until when a verified token stays valid: its expiry, or the guide's lifetime from its issue. */
const validUntil = (p: JWTPayload) => Math.min(p.exp!, p.iat! + AUTH.tokenValidityHours * 3600);

/** Verifies a bearer header; returns the claims, or throws TokenRejected with the reason. */
export async function verifyBearer(keys: LocalKeys, header: string | undefined): Promise<JWTPayload> {
  const m = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  if (!m) throw new TokenRejected('Missing bearer token');
  const cache = verified.get(keys) ?? new Map<string, JWTPayload>();
  verified.set(keys, cache);
  const known = cache.get(m[1]!);
  if (known && Date.now() / 1000 < validUntil(known)) return known;
  if (known) cache.delete(m[1]!);
  const payload = await verifyToken(keys, m[1]!);
  if (cache.size >= VERIFIED_CACHE_SIZE) cache.delete(cache.keys().next().value!);
  cache.set(m[1]!, payload);
  return payload;
}

async function verifyToken(keys: LocalKeys, token: string): Promise<JWTPayload> {
  try {
    const { payload } = await jwtVerify(token, keys.publicKey, {
      issuer: LOCAL_ISSUER,
      audience: LOCAL_AUDIENCE,
      algorithms: [ALG],
      maxTokenAge: `${AUTH.tokenValidityHours}h`,
      requiredClaims: ['sub', 'exp', 'iat'],
    });
    // The guide's 24 h validity is a lifetime: a token issued for longer is not ours.
    if (payload.exp! - payload.iat! > AUTH.tokenValidityHours * 3600) throw new TokenRejected('Invalid token: lifetime exceeds 24 h');
    if (!isValidUserId(payload.sub)) {
      throw new TokenRejected(
        `Invalid token: sub must be a non-empty string of at most ${USER_ID_MAX_LENGTH} characters without NUL or unpaired surrogates`,
      );
    }
    return payload;
  } catch (err) {
    if (err instanceof TokenRejected) throw err;
    throw new TokenRejected(`Invalid token: ${(err as { code?: string }).code ?? (err as Error).message}`);
  }
}
