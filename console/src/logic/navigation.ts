/**
 * The console's screens and who sees them. A screen a role may not use is not offered at all (and its route
 * shows nothing), so nobody is invited to press a button that can only answer 403. Whether a role may use a screen
 * at all is the policy of the route behind it (functions/api/routes.ts); which of those it is shown is the menu.
 */
import type { Role } from '../../../functions/domain/actor';
import { rolesOf } from '../../../functions/auth/policy';

export const SCREENS = ['intake', 'find', 'inbox', 'callback', 'dispatch', 'dashboard', 'warnings', 'access', 'meeting', 'sops', 'articles', 'notifications', 'outbox', 'clock'] as const;
export type Screen = (typeof SCREENS)[number];

/** The route each API-backed screen reads; a role its policy refuses never sees the screen. */
const SCREEN_ROUTES: Partial<Record<Screen, string>> = {
  intake: 'createCase',
  find: 'listCases',
  inbox: 'departmentQueue',
  callback: 'callbackQueue',
  dispatch: 'dispatchQueue',
  dashboard: 'getDashboard',
  warnings: 'listWarnings',
  meeting: 'getMeetingPack',
  access: 'listPiiAccessRequests',
  notifications: 'listNotifications',
  sops: 'listSops',
  articles: 'listArticlesForEditing',
};

const may = (role: Role, routeId: string) => rolesOf(routeId).includes(role);

/** The menu per role, in order. */
const BY_ROLE: Record<Role, readonly Screen[]> = {
  agent: ['intake', 'find', 'callback', 'sops'],
  staff: ['inbox', 'find', 'sops', 'articles', 'notifications'],
  supervisor: ['dashboard', 'warnings', 'access', 'meeting', 'inbox', 'dispatch', 'callback', 'find', 'intake', 'sops', 'articles', 'notifications'],
  admin: ['dashboard', 'warnings', 'meeting', 'dispatch', 'find', 'sops', 'articles', 'notifications'],
  integration: [],
};

/** Local-only screens: the local cloud's outbox and clock, when the runtime config says `local: true`. */
const LOCAL_ONLY: readonly Screen[] = ['outbox', 'clock'];

/** The screens of a role, in menu order (Alt+1, Alt+2... follow it). */
export function screensFor(role: Role, local: boolean): Screen[] {
  const allowed = BY_ROLE[role].filter((s) => SCREEN_ROUTES[s] === undefined || may(role, SCREEN_ROUTES[s]));
  return [...allowed, ...(local ? LOCAL_ONLY : [])];
}

/** Where a user lands after signing in. */
export function homeScreen(role: Role, local: boolean): Screen | undefined {
  return screensFor(role, local)[0];
}

/** Searching by the caller's phone number: agents and supervisors only (it is audited). */
export function canSearchByPhone(role: Role): boolean {
  return may(role, 'searchByPhone');
}

/** Editing SOPs (a new version): supervisors and admins. */
export function canEditSop(role: Role): boolean {
  return may(role, 'editSop');
}

/** Drafting and editing knowledge-base articles: department staff (their department's) and admins. */
export function canWriteArticles(role: Role): boolean {
  return may(role, 'createArticleDraft');
}

/** Publishing and retiring articles: supervisors. */
export function canPublishArticles(role: Role): boolean {
  return may(role, 'publishArticle');
}

/** Pinning and unpinning surge topics for every agent's intake screen: supervisors and admins. */
export function canPinSurgeTopics(role: Role): boolean {
  return may(role, 'pinSurgeTopic');
}

/** Category suggestions from the caller's words at intake: agents and supervisors. */
export function canSuggestCategory(role: Role): boolean {
  return may(role, 'suggestCategory');
}

/** Acknowledging and closing early warnings, and the header's count of open ones: supervisors. */
export function canActOnWarnings(role: Role): boolean {
  return may(role, 'acknowledgeWarning');
}

/** Choosing another department's inbox: supervisors (staff see their own). */
export function canPickInboxDepartment(role: Role): boolean {
  return role === 'supervisor' || role === 'admin';
}

// ------------------------------------------------------------------------------------------- hash routes

export type Route =
  | { screen: Screen; params: URLSearchParams }
  | { screen: 'case'; caseNo: string; params: URLSearchParams }
  | { screen: 'case-print'; caseNo: string; params: URLSearchParams }
  | { screen: 'sop'; category: string; params: URLSearchParams }
  | { screen: 'home'; params: URLSearchParams };

/**
 * Routes live in the URL fragment (`#/cases/20261127-00042`): the local gateway gives every path under an API
 * prefix (`/cases/...`) to the API, so client routes must not be paths.
 */
export function parseRoute(hash: string): Route {
  const raw = hash.replace(/^#/, '');
  const [pathPart = '', query = ''] = raw.split('?');
  const params = new URLSearchParams(query);
  const segs = pathPart.split('/').filter(Boolean).map(decodeURIComponent);
  if (segs[0] === 'cases' && segs[1] && segs[2] === 'print') return { screen: 'case-print', caseNo: segs[1], params };
  if (segs[0] === 'cases' && segs[1]) return { screen: 'case', caseNo: segs[1], params };
  if (segs[0] === 'sops' && segs[1]) return { screen: 'sop', category: segs[1], params };
  const screen = SCREENS.find((s) => s === segs[0]);
  return screen ? { screen, params } : { screen: 'home', params };
}

export function href(screen: Screen | 'home', params?: Record<string, string | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params ?? {})) if (v) q.set(k, v);
  const qs = q.toString();
  return `#/${screen === 'home' ? '' : screen}${qs ? `?${qs}` : ''}`;
}

export function caseHref(caseNo: string): string {
  return `#/cases/${encodeURIComponent(caseNo)}`;
}

/** The case file for paper (A4, no navigation). */
export function casePrintHref(caseNo: string): string {
  return `${caseHref(caseNo)}/print`;
}

export function articleHref(id: string, filters?: Record<string, string | undefined>): string {
  return href('articles', { ...filters, article: id });
}

export function sopHref(category: string): string {
  return `#/sops/${encodeURIComponent(category)}`;
}
