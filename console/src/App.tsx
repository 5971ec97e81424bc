/**
 * The console's frame: runtime config, sign-in, reference data, the header with the menu of the user's role,
 * keyboard shortcuts, and the screen of the current hash route.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import districtsFile from '../../config/districts.json' with { type: 'json' };
import { ApiClient } from './api/client';
import { endpoints } from './api/endpoints';
import { createAuth, type AuthModule, type Session } from './auth';
import { loadSession, saveSession } from './auth/session';
import { loadRuntimeConfig, type RuntimeConfig } from './config';
import { AppContext, useApp, type AppContextValue, type Reference } from './context';
import { useI18n } from './i18n/react';
import { canActOnWarnings, href, parseRoute, screensFor, type Route, type Screen } from './logic/navigation';
import { formatDateTime, serverClock } from './logic/time';
import { useInterval, useNow } from './components/hooks';
import { ErrorBanner, Loading } from './components/ui';
import { SignIn } from './screens/SignIn';
import { Intake } from './screens/Intake';
import { Find } from './screens/Find';
import { CasePage } from './screens/CasePage';
import { CasePrint } from './screens/CasePrint';
import { Inbox } from './screens/Inbox';
import { CaseQueue } from './screens/CaseQueue';
import { DashboardScreen } from './screens/Dashboard';
import { WarningBadge, WarningsScreen } from './screens/Warnings';
import { AccessRequestsScreen } from './screens/AccessRequests';
import { NotificationBadge, NotificationsScreen } from './screens/Notifications';
import { MeetingPackScreen } from './screens/MeetingPack';
import { SopAdmin } from './screens/SopAdmin';
import { ArticlesScreen } from './screens/Articles';
import { Outbox } from './screens/Outbox';
import { ClockControl } from './screens/ClockControl';
import type { MessageKey } from './i18n';

function useHashRoute(): Route {
  const [hash, setHash] = useState(() => window.location.hash);
  useEffect(() => {
    const on = () => setHash(window.location.hash);
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return useMemo(() => parseRoute(hash), [hash]);
}

type Boot = { state: 'loading' } | { state: 'failed'; error: unknown } | { state: 'ready'; config: RuntimeConfig; auth: AuthModule };

export function App() {
  const [boot, setBoot] = useState<Boot>({ state: 'loading' });
  const [session, setSession] = useState<Session | undefined>();
  const [signInError, setSignInError] = useState<unknown>();
  const [expired, setExpired] = useState(false);

  const start = useCallback(async () => {
    try {
      const config = await loadRuntimeConfig();
      const auth = createAuth(config, window.location.origin);
      let s: Session | undefined;
      try {
        s = await auth.completeRedirect(new URL(window.location.href));
      } catch (e) {
        setSignInError(e);
      }
      s ??= loadSession();
      if (s) saveSession(s);
      setSession(s);
      setBoot({ state: 'ready', config, auth });
    } catch (error) {
      setBoot({ state: 'failed', error });
    }
  }, []);
  useEffect(() => {
    // eslint-disable-next-line react-hooks/set-state-in-effect -- start sets state only after its first await; the rule counts that as synchronous
    void start();
  }, [start]);

  const signedIn = useCallback((s: Session) => {
    saveSession(s);
    setExpired(false);
    setSignInError(undefined);
    setSession(s);
  }, []);

  const signOut = useCallback(
    (why?: 'expired') => {
      saveSession(undefined);
      setSession(undefined);
      setExpired(why === 'expired');
      if (boot.state === 'ready' && why !== 'expired') void boot.auth.signOut();
    },
    [boot],
  );

  if (boot.state === 'loading') return <Loading />;
  if (boot.state === 'failed')
    return (
      <main className="boot-failed">
        <ErrorBanner error={boot.error} onRetry={() => {
            setBoot({ state: 'loading' });
            void start();
          }} />
      </main>
    );
  if (!session) return <SignIn config={boot.config} auth={boot.auth} onSignedIn={signedIn} error={signInError} expired={expired} />;
  return <SignedIn key={session.user.sub} config={boot.config} session={session} onSignOut={signOut} />;
}

function SignedIn({ config, session, onSignOut }: { config: RuntimeConfig; session: Session; onSignOut: (why?: 'expired') => void }) {
  const api = useMemo(
    () =>
      endpoints(
        new ApiClient({
          baseUrl: config.apiUrl || window.location.origin,
          token: () => session.token,
          onUnauthorized: () => onSignOut('expired'),
        }),
      ),
    [config.apiUrl, session.token, onSignOut],
  );
  const [reference, setReference] = useState<Reference | undefined>();
  const [referenceError, setReferenceError] = useState<unknown>();
  const reloadReference = useCallback(async () => {
    try {
      const [sops, departments] = await Promise.all([api.sops(), api.departments()]);
      setReference({ sops: sops.items, departments: departments.items, districts: districtsFile.districts });
      setReferenceError(undefined);
    } catch (e) {
      setReferenceError(e);
    }
  }, [api]);
  useEffect(() => {
    // eslint-disable-next-line react-hooks/set-state-in-effect -- the reload sets state only after its first await; the rule counts that as synchronous
    void reloadReference();
  }, [reloadReference]);
  // Once per sign-in: the directory learns this person's name, so others' timelines show it instead of an id.
  useEffect(() => {
    api.recordSignIn().catch(() => undefined);
  }, [api]);

  // The local clock may run fast or jump: keep the countdowns on it.
  const [clockTick, setClockTick] = useState(0);
  const syncClock = useCallback(() => {
    if (!config.local) return;
    api.clock().then(
      (r) => {
        serverClock.sync(r);
        setClockTick((n) => n + 1);
      },
      () => undefined,
    );
  }, [api, config.local]);
  useEffect(syncClock, [syncClock]);
  useInterval(syncClock, 10_000);

  const value = useMemo<AppContextValue | undefined>(
    () => (reference ? { config, session, api, reference, reloadReference, signOut: () => onSignOut() } : undefined),
    [config, session, api, reference, reloadReference, onSignOut],
  );

  if (referenceError && !reference)
    return (
      <main>
        <ErrorBanner error={referenceError} onRetry={() => void reloadReference()} />
      </main>
    );
  if (!value) return <Loading />;
  return (
    <AppContext.Provider value={value}>
      <Shell clockTick={clockTick} onClockChanged={syncClock} />
    </AppContext.Provider>
  );
}

const NAV_KEYS: Record<Screen, MessageKey> = {
  intake: 'nav.intake',
  find: 'nav.find',
  inbox: 'nav.inbox',
  callback: 'nav.callback',
  dispatch: 'nav.dispatch',
  dashboard: 'nav.dashboard',
  warnings: 'nav.warnings',
  meeting: 'nav.meeting',
  access: 'nav.access',
  notifications: 'nav.notifications',
  sops: 'nav.sops',
  articles: 'nav.articles',
  outbox: 'nav.outbox',
  clock: 'nav.clock',
};

function Shell({ clockTick, onClockChanged }: { clockTick: number; onClockChanged: () => void }) {
  const { session, config, signOut } = useApp();
  const { t, lang, setLang } = useI18n();
  const route = useHashRoute();
  const screens = screensFor(session.user.role, config.local);
  const quickFind = useRef<HTMLInputElement>(null);
  const [help, setHelp] = useState(false);
  const now = useNow(1000);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      const typing = !!target && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT' || target.isContentEditable);
      if (e.altKey && !e.ctrlKey && !e.metaKey && /^Digit[1-9]$/.test(e.code)) {
        const s = screens[Number(e.code.slice(5)) - 1];
        if (s) {
          e.preventDefault();
          window.location.hash = href(s);
        }
        return;
      }
      if (e.altKey && e.code === 'KeyN' && screens.includes('intake')) {
        e.preventDefault();
        window.location.hash = href('intake', { n: String(Date.now()) });
        return;
      }
      if (e.key === 'Escape') setHelp(false);
      if (typing) return;
      if (e.key === '/') {
        e.preventDefault();
        quickFind.current?.focus();
      } else if (e.key === '?') setHelp((h) => !h);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [screens]);

  // The case file for paper stands alone: no header, no navigation (anyone who may open the case may print it).
  if (route.screen === 'case-print') return <CasePrint key={route.caseNo} caseNo={route.caseNo} />;

  // A role's screen list decides what may be shown: an address typed by hand shows nothing it may not use.
  let current: Screen | 'case' | 'sop' | undefined = route.screen === 'home' ? screens[0] : route.screen;
  if (current === 'sop' && !screens.includes('sops')) current = undefined;
  if (current !== 'case' && current !== 'sop' && current !== undefined && !screens.includes(current)) current = undefined;

  return (
    <div className="app">
      <a className="skip" href="#main" onClick={(e) => (e.preventDefault(), document.getElementById('main')?.focus())}>
        {t('app.skipToContent')}
      </a>
      <header className="top">
        <div className="brand">
          CityDesk <strong>1999</strong>
          {config.local && <span className="badge local">{t('app.localBadge')}</span>}
          {config.stage && <span className="badge stage">{config.stage}</span>}
        </div>
        <nav aria-label={t('nav.main')}>
          {screens.map((s, i) => (
            <a key={s} href={href(s)} className={current === s || (current === 'sop' && s === 'sops') ? 'active' : undefined} aria-current={current === s ? 'page' : undefined} title={`Alt+${i + 1}`} data-screen={s}>
              {t(NAV_KEYS[s])}
            </a>
          ))}
        </nav>
        <form
          className="quick-find"
          role="search"
          onSubmit={(e) => {
            e.preventDefault();
            const v = quickFind.current?.value.trim();
            if (v) {
              window.location.hash = `#/cases/${encodeURIComponent(v)}`;
              quickFind.current!.value = '';
              quickFind.current!.blur();
            }
          }}
        >
          <input ref={quickFind} type="search" placeholder={t('header.quickFind')} aria-label={t('header.quickFindLabel')} inputMode="numeric" />
        </form>
        <div className="who">
          {canActOnWarnings(session.user.role) && <WarningBadge />}
          {screens.includes('notifications') && <NotificationBadge />}
          {config.local && (
            <span className="server-time" title={t('header.serverTime')} data-tick={clockTick}>
              {formatDateTime(now)}
            </span>
          )}
          <span className="user" title={t('header.signedInAs', { name: session.user.name, role: t(`role.${session.user.role}`) })}>
            {session.user.name}
          </span>
          <button type="button" className="link" onClick={() => setLang(lang === 'en' ? 'zh-TW' : 'en')} aria-label={t('header.switchLanguageLabel')} data-testid="language-switch">
            {t('header.switchLanguage')}
          </button>
          <button type="button" className="link" onClick={() => setHelp(true)} title={t('header.shortcuts')} aria-label={t('header.shortcuts')}>
            ?
          </button>
          <button type="button" className="link" onClick={signOut}>
            {t('header.signOut')}
          </button>
        </div>
      </header>
      {help && <ShortcutHelp onClose={() => setHelp(false)} />}
      <main id="main" tabIndex={-1}>
        {current === 'intake' && <Intake key={route.params.get('n') ?? 'intake'} />}
        {current === 'find' && <Find params={route.params} />}
        {current === 'case' && route.screen === 'case' && <CasePage key={route.caseNo} caseNo={route.caseNo} />}
        {current === 'inbox' && <Inbox params={route.params} />}
        {current === 'callback' && <CaseQueue key="callback" kind="callback" />}
        {current === 'dispatch' && <CaseQueue key="dispatch" kind="dispatch" />}
        {current === 'dashboard' && <DashboardScreen />}
        {current === 'warnings' && <WarningsScreen key={route.params.toString()} params={route.params} />}
        {current === 'access' && <AccessRequestsScreen />}
        {current === 'notifications' && <NotificationsScreen />}
        {current === 'meeting' && <MeetingPackScreen params={route.params} />}
        {current === 'sops' && <SopAdmin />}
        {current === 'sop' && route.screen === 'sop' && <SopAdmin key={route.category} category={route.category} />}
        {current === 'articles' && <ArticlesScreen params={route.params} />}
        {current === 'outbox' && <Outbox />}
        {current === 'clock' && <ClockControl onChanged={onClockChanged} />}
        {current === undefined && <p className="empty">{t('error.forbidden')}</p>}
      </main>
    </div>
  );
}

function ShortcutHelp({ onClose }: { onClose: () => void }) {
  const { t } = useI18n();
  return (
    <div className="dialog-backdrop" onClick={onClose}>
      <div className="dialog" role="dialog" aria-modal="true" aria-labelledby="shortcuts-title" onClick={(e) => e.stopPropagation()}>
        <h2 id="shortcuts-title">{t('shortcuts.title')}</h2>
        <ul>
          {(['shortcuts.nav', 'shortcuts.find', 'shortcuts.newCase', 'shortcuts.submit', 'shortcuts.category', 'shortcuts.help', 'shortcuts.close'] as const).map((k) => (
            <li key={k}>{t(k)}</li>
          ))}
        </ul>
        <button type="button" onClick={onClose} autoFocus>
          {t('common.close')}
        </button>
      </div>
    </div>
  );
}

