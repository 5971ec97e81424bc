/** Local cloud only: move the system clock forward to show deadlines, escalations and the callback in a demo. */
import { useState } from 'react';
import { useApp } from '../context';
import { useI18n } from '../i18n/react';
import { formatDateTime, parseIsoDuration } from '../logic/time';
import { useAsync, useNow } from '../components/hooks';
import { ErrorBanner } from '../components/ui';
import type { MessageKey } from '../i18n';

const PRESETS: Array<[string, MessageKey]> = [
  ['PT1H', 'clock.1h'],
  ['PT4H', 'clock.4h'],
  ['P1D', 'clock.1d'],
  ['P3D', 'clock.3d'],
  ['P7D', 'clock.7d'],
];

export function ClockControl({ onChanged }: { onChanged: () => void }) {
  const { api } = useApp();
  const { t } = useI18n();
  const reading = useAsync(() => api.clock(), [api]);
  const now = useNow(1000);
  const [custom, setCustom] = useState('');
  const [invalid, setInvalid] = useState(false);
  const [error, setError] = useState<unknown>();
  const [message, setMessage] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  const advance = async (duration: string) => {
    if (parseIsoDuration(duration) === undefined) {
      setInvalid(true);
      return;
    }
    setInvalid(false);
    setBusy(true);
    setError(undefined);
    try {
      const r = await api.advanceClock(duration);
      setMessage(t('clock.advanced', { now: formatDateTime(r.nowMs, true) }));
      onChanged();
      reading.reload();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="clock">
      <h1>{t('clock.title')}</h1>
      <p className="muted">{t('clock.intro')}</p>
      <div className="panel clock-now">
        <span className="muted">{t('clock.now')}</span>
        <span className="big-time" data-testid="clock-now">
          {formatDateTime(now, true)}
        </span>
        {reading.data && reading.data.scale !== 1 && <span className="muted">{t('clock.scale', { scale: reading.data.scale })}</span>}
      </div>
      <ErrorBanner error={error ?? reading.error} />
      {message && (
        <p className="banner ok" role="status">
          {message}
        </p>
      )}
      <div className="action-buttons">
        {PRESETS.map(([d, key]) => (
          <button key={d} type="button" onClick={() => void advance(d)} disabled={busy} data-duration={d}>
            {t('clock.advance', { amount: t(key) })}
          </button>
        ))}
      </div>
      <form
        className="panel inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          void advance(custom.trim());
        }}
      >
        <label className={`field${invalid ? ' invalid' : ''}`}>
          <span className="field-label">{t('clock.custom')}</span>
          <input value={custom} onChange={(e) => setCustom(e.target.value)} placeholder="PT2H" name="duration" />
          {invalid && (
            <span className="field-error" role="alert">
              {t('clock.invalid')}
            </span>
          )}
        </label>
        <button type="submit" disabled={busy}>
          {t('clock.go')}
        </button>
      </form>
    </section>
  );
}
