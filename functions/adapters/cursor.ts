/**
 * Opaque pagination cursors. A cursor is `<payload>.<mac>` in base64url: the payload is where the next page
 * starts (a DynamoDB key, a timeline offset), the MAC binds it to the query that produced it. A cursor that was
 * edited, or that belongs to another query (another index, partition or filter), is a ValidationError on the
 * field `cursor` — a 400, never a 500 and never a read of somewhere else.
 *
 * The MAC key is the stage's cursor secret (CURSOR_SECRET_ARN names it; the composition root reads it and passes it in). It never
 * falls back to anything public such as the table name: whoever knows the key can write start keys. Access control
 * does not depend on the key alone either: the adapters check that a decoded position lies inside the query's own
 * index, partition and key range before DynamoDB sees it.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { ValidationError } from '../domain/errors';

/** A position to resume from: flat, JSON-safe. */
export type CursorPosition = Record<string, string | number | Record<string, string>>;

const MAC_BYTES = 16;

export class CursorCodec {
  constructor(private readonly secret: string) {}

  /** A codec with a key of its own: its cursors decode only in this process (adapters built without the configured key). */
  static ephemeral(): CursorCodec {
    return new CursorCodec(randomBytes(32).toString('base64url'));
  }

  /** `binding` names the query (index, partition, filter); the cursor only decodes under the same binding. */
  encode(binding: string, position: CursorPosition): string {
    const payload = Buffer.from(JSON.stringify(position), 'utf8').toString('base64url');
    return `${payload}.${this.mac(binding, payload).toString('base64url')}`;
  }

  decode(binding: string, cursor: string): CursorPosition {
    const [payload, mac, extra] = cursor.split('.');
    if (!payload || !mac || extra !== undefined) throw invalidCursor();
    const given = Buffer.from(mac, 'base64url');
    const expected = this.mac(binding, payload);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalidCursor();
    try {
      const position: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
      if (typeof position !== 'object' || position === null || Array.isArray(position)) throw invalidCursor();
      return position as CursorPosition;
    } catch {
      throw invalidCursor();
    }
  }

  private mac(binding: string, payload: string): Buffer {
    return createHmac('sha256', this.secret).update(binding).update('\n').update(payload).digest().subarray(0, MAC_BYTES);
  }
}

export function invalidCursor(): ValidationError {
  return new ValidationError('The cursor is not valid for this query', [
    { path: 'cursor', message: 'must be a cursor returned by the same query; start again without it' },
  ]);
}

/** Where a Query of one table partition resumes: the decoded start key, only if it is a key of that partition. */
export function partitionStartKey(codec: CursorCodec, binding: string, cursor: string | undefined, pk: string): Record<string, string> | undefined {
  if (!cursor) return undefined;
  const k = codec.decode(binding, cursor).k as Record<string, unknown> | undefined;
  if (!k || Object.keys(k).length !== 2 || k.pk !== pk || typeof k.sk !== 'string') throw invalidCursor();
  return { pk, sk: k.sk };
}

/** The cursor of the next page of a partition Query, or none after the last. */
export function partitionCursor(codec: CursorCodec, binding: string, lastKey: Record<string, unknown> | undefined): { cursor?: string } {
  return lastKey ? { cursor: codec.encode(binding, { k: { pk: String(lastKey.pk), sk: String(lastKey.sk) } }) } : {};
}

/** The codec an adapter was given (or a function building it when first needed), or one of its own. */
export function lazyCodec(cursors?: CursorCodec | (() => CursorCodec)): () => CursorCodec {
  const codec = cursors ?? CursorCodec.ephemeral();
  return typeof codec === 'function' ? codec : () => codec;
}
