import { useCallback, useEffect, useEffectEvent, useState } from 'react';
import { serverClock } from '../logic/time';

/** Server "now", re-read every `intervalMs` (a live countdown re-renders with it). */
export function useNow(intervalMs = 1000): number {
  const [now, setNow] = useState(() => serverClock.now());
  useEffect(() => {
    const id = setInterval(() => setNow(serverClock.now()), intervalMs);
    return () => clearInterval(id);
  }, [intervalMs]);
  return now;
}

export interface AsyncState<T> {
  data?: T;
  error?: unknown;
  loading: boolean;
  reload: () => void;
}

/** Runs `load` when `deps` change; an older answer never overwrites a newer one. */
export function useAsync<T>(load: () => Promise<T>, deps: readonly unknown[]): AsyncState<T> {
  const [tick, setTick] = useState(0);
  // Each answer remembers the question (deps and reload tick) it answers: loading until the current one is
  // answered, while the last answer stays shown.
  const [state, setState] = useState<{ data?: T; error?: unknown; asked?: { deps: readonly unknown[]; tick: number } }>({});
  useEffect(() => {
    let live = true;
    const asked = { deps, tick };
    load().then(
      (data) => live && setState({ data, asked }),
      (error: unknown) => live && setState((s) => ({ data: s.data, error, asked })),
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the caller's deps, as with useEffect; `load` is a fresh closure each render
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  const answered = state.asked !== undefined && state.asked.tick === tick && sameDeps(state.asked.deps, deps);
  return { data: state.data, error: state.error, loading: !answered, reload };
}

function sameDeps(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && a.every((v, i) => Object.is(v, b[i]));
}

/** Re-runs `fn` every `ms` while the component is shown. */
export function useInterval(fn: () => void, ms: number): void {
  const tick = useEffectEvent(fn);
  useEffect(() => {
    const id = setInterval(() => tick(), ms);
    return () => clearInterval(id);
  }, [ms]);
}

export interface Action {
  busy: boolean;
  error?: unknown;
  /** Runs `job` (one at a time: the buttons show `busy`), then `onDone`; a failure is kept in `error` for the form. */
  run: (job: () => Promise<unknown>, onDone?: () => void) => Promise<void>;
}

/** A button's API call: busy while it runs, its error kept for the fields and banner that show it. */
export function useAction(): Action {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const run = useCallback(async (job: () => Promise<unknown>, onDone?: () => void) => {
    setBusy(true);
    setError(undefined);
    try {
      await job();
      onDone?.();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, run };
}
