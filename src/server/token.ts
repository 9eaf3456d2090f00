/**
 * The API's bearer token: generated on first start (32 random bytes, base64url), stored in a file
 * only its owner may read or write (mode 0600), compared in constant time.
 *
 * References: RFC 6750 (bearer tokens); Node.js `crypto.timingSafeEqual`.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { ValidationError } from '../api.ts';

/**
 * The token stored in `file`, creating it (mode 0600) when absent.
 * @throws ValidationError when the file exists but others may read or write it, or is empty
 */
export function loadOrCreateToken(file: string): string {
  let text: string;
  try {
    const st = statSync(file);
    if ((st.mode & 0o077) !== 0)
      throw new ValidationError(
        file,
        `token file is accessible to other users (mode ${(st.mode & 0o777).toString(8)}); run chmod 600 on it`,
        'token-permissions',
      );
    text = readFileSync(file, 'utf8').trim();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    text = randomBytes(32).toString('base64url');
    writeFileSync(file, `${text}\n`, { mode: 0o600, flag: 'wx' });
    chmodSync(file, 0o600); // the umask may have narrowed it further, never widened; make it exact
  }
  if (text.length < 16)
    throw new ValidationError(file, 'token must be at least 16 characters', 'token-invalid');
  return text;
}

/**
 * Whether an `Authorization` header carries `Bearer <token>`, compared in constant time (both
 * sides hashed to 32 bytes first, so neither the length nor a prefix leaks through timing).
 */
export function bearerMatches(header: string | undefined, token: string): boolean {
  if (header === undefined) return false;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  const given = m ? m[1] : '';
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(token).digest();
  return timingSafeEqual(a, b) && m !== null;
}
