/**
 * Task tokens. A token names its execution, so SendTask* finds the execution without a global index, and
 * carries a random part so it cannot be guessed. Anything that does not decode is an InvalidToken.
 */
import { randomBytes } from 'node:crypto';

const PREFIX = 'AQB';

interface TokenBody {
  v: 1;
  /** Execution ARN. */
  e: string;
  /** State name. */
  s: string;
  /** Attempt id. */
  a: number;
  n: string;
}

export function mintToken(executionArn: string, stateName: string, attempt: number): string {
  const body: TokenBody = { v: 1, e: executionArn, s: stateName, a: attempt, n: randomBytes(16).toString('base64url') };
  return PREFIX + Buffer.from(JSON.stringify(body)).toString('base64url');
}

/** The execution a token belongs to, or undefined when it is not a token this service could have issued. */
export function executionOfToken(token: string): string | undefined {
  if (!token.startsWith(PREFIX)) return undefined;
  try {
    const body = JSON.parse(Buffer.from(token.slice(PREFIX.length), 'base64url').toString('utf8')) as Partial<TokenBody>;
    if (body.v !== 1 || typeof body.e !== 'string' || typeof body.n !== 'string') return undefined;
    return body.e;
  } catch {
    return undefined;
  }
}
