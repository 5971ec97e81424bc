/**
 * Email identities (a domain or an address), kept in memory and written to `<dataDir>/ses/identities.json`
 * after every change (temporary file, then rename). Locally an identity is verified the moment it is created:
 * there is no DNS to publish DKIM records in and no mailbox to click a link in.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export type IdentityType = 'EMAIL_ADDRESS' | 'DOMAIN';

export interface Tag {
  Key: string;
  Value: string;
}

export interface StoredIdentity {
  /** As created (`citydesk.local`, `1999@citydesk.local`). */
  name: string;
  type: IdentityType;
  tags: Tag[];
  configurationSetName?: string;
  createdAt: string;
}

interface IdentitiesFile {
  version: 1;
  identities: StoredIdentity[];
}

/** Identities match without regard to case (domains are case-insensitive; SES treats addresses the same way). */
export const identityKey = (name: string) => name.toLowerCase();

export class IdentityStore {
  private readonly identities = new Map<string, StoredIdentity>();
  private readonly file?: string;

  constructor(dir?: string) {
    if (!dir) return;
    mkdirSync(dir, { recursive: true });
    this.file = join(dir, 'identities.json');
    if (!existsSync(this.file)) return;
    const state = JSON.parse(readFileSync(this.file, 'utf8')) as IdentitiesFile;
    for (const i of state.identities) this.identities.set(identityKey(i.name), i);
  }

  get(name: string): StoredIdentity | undefined {
    return this.identities.get(identityKey(name));
  }

  /** In the order they were created. */
  list(): StoredIdentity[] {
    return [...this.identities.values()];
  }

  put(identity: StoredIdentity): void {
    this.identities.set(identityKey(identity.name), identity);
    this.save();
  }

  delete(name: string): boolean {
    const deleted = this.identities.delete(identityKey(name));
    if (deleted) this.save();
    return deleted;
  }

  private save(): void {
    if (!this.file) return;
    const state: IdentitiesFile = { version: 1, identities: this.list() };
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, JSON.stringify(state, null, 2));
    renameSync(tmp, this.file);
  }
}
