import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export type TokenCheck = { ok: true; username: string } | { ok: false; reason: 'invalid' | 'expired' };

const base64url = (data: string | Buffer) => Buffer.from(data).toString('base64url');

/**
 * Issues and checks JWT-shaped tokens (HS256 with a secret born with the emulator), so a client that
 * decodes `exp` to plan its renewal sees what it would see from Qualys.
 */
export class TokenIssuer {
  private readonly secret = randomBytes(32);

  constructor(
    private readonly ttlSec: number,
    /** token -> username; static tokens never expire. */
    private readonly staticTokens: ReadonlyMap<string, string>,
  ) {}

  issue(username: string, nowMs = Date.now()): string {
    // Whole seconds as JWT libraries do: the token lives between ttl-1 and ttl seconds.
    const iat = Math.floor(nowMs / 1000);
    const header = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
    const payload = base64url(
      JSON.stringify({ sub: username, iss: 'car-sync-emulator', iat, exp: iat + this.ttlSec, jti: randomBytes(8).toString('hex') }),
    );
    return `${header}.${payload}.${this.sign(`${header}.${payload}`)}`;
  }

  check(token: string, nowMs = Date.now()): TokenCheck {
    const staticUser = this.staticTokens.get(token);
    if (staticUser !== undefined) return { ok: true, username: staticUser };
    const [header, payload, signature, extra] = token.split('.');
    if (header === undefined || payload === undefined || signature === undefined || extra !== undefined) {
      return { ok: false, reason: 'invalid' };
    }
    const expected = Buffer.from(this.sign(`${header}.${payload}`));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, reason: 'invalid' };
    let claims: { sub?: unknown; exp?: unknown };
    try {
      claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as typeof claims;
    } catch {
      return { ok: false, reason: 'invalid' };
    }
    if (typeof claims.sub !== 'string' || typeof claims.exp !== 'number') return { ok: false, reason: 'invalid' };
    if (nowMs / 1000 >= claims.exp) return { ok: false, reason: 'expired' };
    return { ok: true, username: claims.sub };
  }

  private sign(data: string): string {
    return createHmac('sha256', this.secret).update(data).digest('base64url');
  }
}
