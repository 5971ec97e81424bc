/**
 * The staff directory the console names people by: timelines record who acted by id (the Cognito `sub`), and the
 * console shows the person's name. Names come from the people themselves: a signed-in console records the name
 * its ID token carries, so the directory needs no access to the user pool and reads the same locally and on AWS.
 *
 * recordSignIn steps:
 * 1. only people have a profile (an integration client is named by its client id);
 * 2. store name, role and department under the actor's id (a write only when one of them changed).
 *
 * recordSignIn also puts staff on their department's list (the adapter), which departmentStaff reads.
 *
 * displayNames steps:
 * 1. drop duplicates and the workflow's own actors (the console names those itself);
 * 2. read the profiles in one batch; an id never signed in is simply absent from the answer.
 */
import { SYSTEM_ACTOR, WORKFLOW_ACTOR, type Actor, type Role } from '../domain/actor';
import { nowIso } from '../domain/clock';
import { ForbiddenError, ValidationError } from '../domain/errors';

export interface UserProfile {
  id: string;
  name: string;
  role: Role;
  department?: string;
  updatedAt: string;
}

export interface UserDirectory {
  /** Stores the profile; false when it was already stored as it is. */
  record(profile: UserProfile): Promise<boolean>;
  /** Profiles of the ids that have one (at most MAX_IDS per call). */
  get(ids: readonly string[]): Promise<UserProfile[]>;
  /** The staff of a department who signed in with it, by name. */
  staffOf(department: string): Promise<UserProfile[]>;
}

export interface UserDirectoryPorts {
  users: UserDirectory;
}

/** Ids per look-up: one BatchGetItem reads up to 100 items. */
export const MAX_USER_IDS = 100;

export async function recordSignIn(ports: UserDirectoryPorts, actor: Actor): Promise<{ profile: UserProfile; changed: boolean }> {
  if (actor.role === 'integration') throw new ValidationError('Only people have a profile', [{ path: 'token', message: 'is a client token; sign in as a person' }]);
  const profile: UserProfile = { id: actor.id, name: actor.name ?? actor.id, role: actor.role, ...(actor.department ? { department: actor.department } : {}), updatedAt: nowIso() };
  const changed = await ports.users.record(profile);
  return { profile, changed };
}

/**
 * departmentStaff steps (who a case can be assigned to):
 * 1. the department: staff get their own (naming another is a 403), supervisors and admins name one (400 naming
 *    `department` when they do not);
 * 2. its staff list from the directory, names and ids only.
 */
export async function departmentStaff(ports: UserDirectoryPorts, actor: Actor, asked: string | undefined): Promise<Array<Omit<UserProfile, 'updatedAt'>>> {
  let department = asked;
  if (actor.role === 'staff') {
    if (asked !== undefined && asked !== actor.department) throw new ForbiddenError(`Department staff see only their own department (${actor.department})`);
    department = actor.department;
  }
  if (!department) throw new ValidationError('Which department?', [{ path: 'department', message: 'is required (a department code such as PWD)' }]);
  const staff = await ports.users.staffOf(department);
  return staff.map(({ updatedAt: _at, ...p }) => p);
}

export async function displayNames(ports: UserDirectoryPorts, ids: readonly string[]): Promise<Array<Omit<UserProfile, 'updatedAt'>>> {
  const wanted = [...new Set(ids)].filter((id) => id !== WORKFLOW_ACTOR && id !== SYSTEM_ACTOR);
  if (wanted.length > MAX_USER_IDS) throw new ValidationError('Too many ids', [{ path: 'ids', message: `names at most ${MAX_USER_IDS} users` }]);
  if (!wanted.length) return [];
  const profiles = await ports.users.get(wanted);
  return profiles.map(({ updatedAt: _at, ...p }) => p);
}
