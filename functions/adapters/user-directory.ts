/** The staff directory in the table (table.ts UserEntity): one item a person, written at sign-in. */
import type { BatchGetCommandOutput, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { BatchGetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ROLES, type Role } from '../domain/actor';
import type { UserDirectory, UserProfile } from '../usecases/user-directory';
import { isConditionFailure, StaffRosterEntity, UserEntity, type Item } from './table';

const BATCH_GET_MAX = 100;

export class DynamoUserDirectory implements UserDirectory {
  constructor(
    private readonly ddb: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Conditional on something having changed, so a console opened every morning writes nothing new. */
  async record(profile: UserProfile): Promise<boolean> {
    // Staff also join their department's list (written at their sign-in, also when the profile was there before).
    if (profile.role === 'staff' && profile.department) await this.enlist(profile.department, profile);
    try {
      await this.ddb.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...UserEntity.key(profile.id), entity: 'USER', ...profile, department: profile.department ?? null },
          ConditionExpression: 'attribute_not_exists(pk) OR #name <> :name OR #role <> :role OR #department <> :department',
          ExpressionAttributeNames: { '#name': 'name', '#role': 'role', '#department': 'department' },
          ExpressionAttributeValues: { ':name': profile.name, ':role': profile.role, ':department': profile.department ?? null },
        }),
      );
      return true;
    } catch (e) {
      if (isConditionFailure(e)) return false;
      throw e;
    }
  }

  private async enlist(department: string, profile: UserProfile): Promise<void> {
    try {
      await this.ddb.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...StaffRosterEntity.key(department, profile.id), entity: 'STAFF', id: profile.id, name: profile.name },
          ConditionExpression: 'attribute_not_exists(pk) OR #name <> :name',
          ExpressionAttributeNames: { '#name': 'name' },
          ExpressionAttributeValues: { ':name': profile.name },
        }),
      );
    } catch (e) {
      if (!isConditionFailure(e)) throw e;
    }
  }

  /** The department's list, checked against the profiles: only who is staff of that department now. */
  async staffOf(department: string): Promise<UserProfile[]> {
    const ids: string[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const out = await this.ddb.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': StaffRosterEntity.partition(department) },
          ProjectionExpression: 'id',
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      ids.push(...(out.Items ?? []).map((i: Item) => String(i.id)));
      startKey = out.LastEvaluatedKey;
    } while (startKey);
    const profiles = await this.get(ids);
    return profiles.filter((p) => p.role === 'staff' && p.department === department).sort((a, b) => a.name.localeCompare(b.name));
  }

  async get(ids: readonly string[]): Promise<UserProfile[]> {
    const found: UserProfile[] = [];
    for (let i = 0; i < ids.length; i += BATCH_GET_MAX) {
      let keys: Array<Record<string, unknown>> | undefined = ids.slice(i, i + BATCH_GET_MAX).map((id) => ({ ...UserEntity.key(id) }));
      for (let attempt = 0; keys?.length && attempt < 5; attempt++) {
        const out: BatchGetCommandOutput = await this.ddb.send(new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: keys } } }));
        for (const item of out.Responses?.[this.tableName] ?? []) {
          const profile = toProfile(item);
          if (profile) found.push(profile);
        }
        keys = out.UnprocessedKeys?.[this.tableName]?.Keys;
      }
      if (keys?.length) throw new Error('DynamoDB left keys unprocessed after retries');
    }
    return found;
  }
}

function toProfile(item: Record<string, unknown>): UserProfile | undefined {
  const { id, name, role, department, updatedAt } = item;
  if (typeof id !== 'string' || typeof name !== 'string' || !ROLES.includes(role as Role)) return undefined;
  return { id, name, role: role as Role, ...(typeof department === 'string' ? { department } : {}), updatedAt: typeof updatedAt === 'string' ? updatedAt : '' };
}
