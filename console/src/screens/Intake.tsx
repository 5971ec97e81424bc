/**
 * Intake: the call agent logs what the caller says. Keyboard first: the category search has focus, arrows and
 * Enter pick, Tab walks the form, Ctrl+Enter logs. Before logging, open cases of the same category in the same
 * district are shown, and the report can be attached to one of them instead. Afterwards the case number, large.
 */
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { newRequestId } from '../api/client';
import type { ArticleHit, CaseSummary, CaseView, InquiryBody, SopView } from '../api/types';
import { askedInOrder } from '../../../functions/domain/sop';
import { useApp } from '../context';
import { useI18n } from '../i18n/react';
import { searchCategories } from '../logic/category-search';
import { CategorySuggestions } from '../components/CategorySuggestions';
import { currentDue } from '../logic/countdown';
import { attachReportBody, createCaseBody, EMPTY_INTAKE, inquiryBody, formatDeadline, routedDepartment, spokenCaseNo, type IntakeForm } from '../logic/intake';
import { caseHref, href } from '../logic/navigation';
import { formatDateTime } from '../logic/time';
import { districtOfPoint, pointOf, roundPoint } from '../logic/places';
import { useNow } from '../components/hooks';
import { CityMap } from '../components/CityMap';
import { KnowledgePanel } from './intake/KnowledgePanel';
import { SurgeTopics } from './intake/SurgeTopics';
import { Due, ErrorBanner, Field, FieldError, StatusBadge, submitKeys, useLabels } from '../components/ui';
import { CallerHistory } from './intake/CallerHistory';
import { IntakeFiles } from './intake/IntakeFiles';
import { AddressSearch } from './intake/AddressSearch';
import { useUploads } from '../components/Attachments';

const SHOWN_PATHS = ['category', 'description', 'location', 'reporter', 'channel', 'priorityOverride', 'attributes'];
const CHANNELS = ['phone', 'web', 'walk-in', 'line'] as const;

type Outcome = { kind: 'created'; caseNo: string; c?: CaseView; filesFailed?: number } | { kind: 'attached'; caseNo: string } | { kind: 'answered'; caseNo: string };

export function Intake() {
  const { api, reference, config } = useApp();
  const { t, pick } = useI18n();
  const labels = useLabels();
  const [form, setForm] = useState<IntakeForm>(EMPTY_INTAKE);
  const [query, setQuery] = useState('');
  const [highlight, setHighlight] = useState(0);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState<string | undefined>(); // 'create', or the case number a report is being attached to
  const [outcome, setOutcome] = useState<Outcome | undefined>();
  // The article the agent read to the caller, on an inquiry.
  const [usedArticle, setUsedArticle] = useState<ArticleHit>();
  const idempotencyKey = useRef(newRequestId());
  const categoryInput = useRef<HTMLInputElement>(null);
  const descriptionInput = useRef<HTMLTextAreaElement>(null);
  // Photos and documents the caller sent: uploaded once the case exists.
  const [files, setFiles] = useState<File[]>([]);
  const { uploads, run: uploadFiles } = useUploads();

  const sop = reference.sops.find((s) => s.category === form.category);
  const matches = useMemo(() => searchCategories(reference.sops, query).slice(0, 8), [reference.sops, query]);
  const set = <K extends keyof IntakeForm>(k: K, v: IntakeForm[K]) => setForm((f) => ({ ...f, [k]: v }));


  const choose = (s: SopView) => {
    setForm((f) => ({ ...f, category: s.category, attributes: {} }));
    setQuery('');
    setHighlight(0);
    descriptionInput.current?.focus();
  };

  const onCategoryKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      setHighlight((h) => Math.min(h + 1, matches.length - 1));
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setHighlight((h) => Math.max(h - 1, 0));
    } else if (e.key === 'Enter' && !e.ctrlKey) {
      e.preventDefault();
      const s = matches[highlight];
      if (s) choose(s);
    }
  };

  const isInquiry = sop?.kind === 'inquiry';
  // An inquiry says how the call ended; Ctrl+Enter logs it answered when an article was chosen, else for the department.
  const submit = async (inquiry?: InquiryBody['outcome']) => {
    if (busy) return;
    setBusy('create');
    setError(undefined);
    try {
      const body = createCaseBody(form, sop, isInquiry ? inquiryBody(inquiry ?? 'escalated', form, usedArticle?.id) : undefined);
      const c = await api.createCase(body, idempotencyKey.current);
      if (c.status === 'CLOSED') {
        setOutcome({ kind: 'answered', caseNo: c.caseNo });
        return;
      }
      // The case is logged whatever happens to the files: one that fails is named, and can be added on the case page.
      let filesFailed = 0;
      if (files.length) {
        setBusy(`upload:${c.caseNo}`);
        filesFailed = await uploadFiles(c.caseNo, 'intake', files);
      }
      setOutcome({ kind: 'created', caseNo: c.caseNo, c, ...(filesFailed ? { filesFailed } : {}) });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(undefined);
    }
  };

  const attach = async (caseNo: string) => {
    if (busy) return;
    setBusy(caseNo);
    setError(undefined);
    try {
      await api.attachReport(caseNo, attachReportBody(form), idempotencyKey.current);
      setOutcome({ kind: 'attached', caseNo });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(undefined);
    }
  };

  if (outcome) return <IntakeDone outcome={outcome} />;

  return (
    <section className="intake">
      <h1>{t('intake.title')}</h1>
      <SurgeTopics chosen={form.surgeTopic} onChoose={(topic) => set('surgeTopic', topic)} />
      <form
        className="intake-grid"
        onSubmit={(e) => {
          e.preventDefault();
          // Enter in a field must not end an inquiry call: its buttons say how it ended.
          if (!isInquiry) void submit();
        }}
        onKeyDown={(e) => submitKeys(() => void submit(usedArticle ? 'answered' : 'escalated'))(e)}
        noValidate
      >
        <div className="intake-main">
          <ErrorBanner error={error} shownPaths={SHOWN_PATHS} />
          <fieldset>
            <legend>{t('intake.category')}</legend>
            {sop ? (
              <div className="chosen-category">
                <strong data-testid="chosen-category">{pick(sop.name)}</strong> <code>{sop.category}</code>
                <button
                  type="button"
                  className="link"
                  onClick={() => {
                    set('category', '');
                    setTimeout(() => categoryInput.current?.focus());
                  }}
                >
                  {t('intake.categoryChange')}
                </button>
              </div>
            ) : (
              <div className="combo">
                <input
                  ref={categoryInput}
                  type="search"
                  role="combobox"
                  aria-expanded={matches.length > 0}
                  aria-controls="category-options"
                  aria-activedescendant={matches[highlight] ? `cat-${matches[highlight].category}` : undefined}
                  aria-label={t('intake.category')}
                  placeholder={t('intake.categorySearch')}
                  value={query}
                  onChange={(e) => {
                    setQuery(e.target.value);
                    setHighlight(0);
                  }}
                  onKeyDown={onCategoryKey}
                  autoFocus
                  data-testid="category-search"
                />
                <ul id="category-options" role="listbox" className="options">
                  {matches.map((s, i) => (
                    <li
                      key={s.category}
                      id={`cat-${s.category}`}
                      role="option"
                      aria-selected={i === highlight}
                      className={i === highlight ? 'highlight' : undefined}
                      onMouseDown={(e) => {
                        e.preventDefault();
                        choose(s);
                      }}
                    >
                      <span>{pick(s.name)}</span>
                      <span className="muted">{pick({ zh: s.name.en, en: s.name.zh })}</span>
                    </li>
                  ))}
                  {matches.length === 0 && <li className="muted">{t('intake.categoryNone')}</li>}
                </ul>
              </div>
            )}
            <FieldError error={error} path="category" />
          </fieldset>

          <fieldset>
            <Field label={t('intake.description')} error={error} path="description" required>
              <textarea ref={descriptionInput} rows={4} value={form.description} onChange={(e) => set('description', e.target.value)} name="description" />
            </Field>
            <CategorySuggestions text={form.description} chosen={form.category} onChoose={(s) => s.category !== form.category && choose(s)} />
          </fieldset>

          <fieldset>
            <legend>{t('intake.location')}</legend>
            <div className="row">
              <Field label={t('intake.district')} error={error} path="location.district" required>
                <select value={form.district} onChange={(e) => set('district', e.target.value)} name="district">
                  <option value="">{t('intake.chooseDistrict')}</option>
                  {reference.districts.map((d) => (
                    <option key={d.code} value={d.code}>
                      {pick(d.name)}
                    </option>
                  ))}
                </select>
              </Field>
              <Field label={t('intake.address')} error={error} path="location.address" required>
                <input value={form.address} onChange={(e) => set('address', e.target.value)} name="address" />
              </Field>
              {config.geocoding && <AddressSearch address={form.address} onChoose={(c) => setForm((f) => ({ ...f, lat: String(c.lat), lng: String(c.lng), district: c.district }))} />}
            </div>
            <div className="row">
              <Field label={t('intake.lat')} error={error} path="location.lat">
                <input value={form.lat} onChange={(e) => set('lat', e.target.value)} inputMode="decimal" name="lat" />
              </Field>
              <Field label={t('intake.lng')} error={error} path="location.lng">
                <input value={form.lng} onChange={(e) => set('lng', e.target.value)} inputMode="decimal" name="lng" />
              </Field>
            </div>
            <PlacePicker form={form} onPick={(lat, lng, district) => setForm((f) => ({ ...f, lat, lng, ...(district ? { district } : {}) }))} />
          </fieldset>

          <IntakeFiles
            files={files}
            onChange={setFiles}
            onUsePlace={(lat, lng, district) => setForm((f) => ({ ...f, lat, lng, district }))}
            uploads={uploads}
            disabled={busy !== undefined}
          />

          {sop && askedInOrder(sop).length > 0 && (
            <fieldset>
              <legend>{t('intake.attributes')}</legend>
              <div className="row wrap">
                {askedInOrder(sop).map((a) => (
                  <AttributeInput key={a.code} attr={a} value={form.attributes[a.code]} error={error} onChange={(v) => set('attributes', { ...form.attributes, [a.code]: v })} />
                ))}
              </div>
            </fieldset>
          )}

          <fieldset>
            <legend>{t('intake.reporter')}</legend>
            <div className="row">
              <Field label={t('intake.name')} error={error} path="reporter.name">
                <input value={form.name} onChange={(e) => set('name', e.target.value)} disabled={form.anonymous} name="name" autoComplete="off" />
              </Field>
              <Field label={t('intake.phone')} error={error} path="reporter.phone">
                <input value={form.phone} onChange={(e) => set('phone', e.target.value)} disabled={form.anonymous} inputMode="tel" name="phone" autoComplete="off" />
              </Field>
              <Field label={t('intake.email')} error={error} path="reporter.email">
                <input value={form.email} onChange={(e) => set('email', e.target.value)} type="email" name="email" autoComplete="off" />
              </Field>
            </div>
            <div className="row">
              <label className="check">
                <input
                  type="checkbox"
                  checked={form.anonymous}
                  name="anonymous"
                  onChange={(e) => setForm((f) => ({ ...f, anonymous: e.target.checked, notify: e.target.checked && f.notify === 'sms' ? 'none' : f.notify }))}
                />
                {t('intake.anonymous')}
              </label>
              <Field label={t('intake.notify')} error={error} path="reporter.notify">
                <select value={form.notify} onChange={(e) => set('notify', e.target.value as IntakeForm['notify'])} name="notify">
                  {(['sms', 'email', 'none'] as const).map((n) => (
                    <option key={n} value={n} disabled={n === 'sms' && form.anonymous}>
                      {t(`notify.${n}`)}
                    </option>
                  ))}
                </select>
              </Field>
              <Field label={t('intake.channel')} error={error} path="channel">
                <select value={form.channel} onChange={(e) => set('channel', e.target.value)} name="channel">
                  {CHANNELS.map((c) => (
                    <option key={c} value={c}>
                      {t(`channel.${c}`)}
                    </option>
                  ))}
                </select>
              </Field>
              <Field label={t('intake.priority')} error={error} path="priorityOverride">
                <select value={form.priorityOverride} onChange={(e) => set('priorityOverride', e.target.value as IntakeForm['priorityOverride'])} name="priority">
                  <option value="">{t('intake.priorityDefault', { priority: t(`priority.${sop?.priority ?? 'normal'}`) })}</option>
                  <option value="normal">{t('priority.normal')}</option>
                  <option value="urgent">{t('priority.urgent')}</option>
                </select>
              </Field>
            </div>
          </fieldset>

          {isInquiry ? (
            <fieldset className="inquiry-close" data-testid="inquiry-actions">
              <legend>{t('inquiry.title')}</legend>
              <p className="muted">{usedArticle ? t('inquiry.usedArticle', { title: usedArticle.title.zh }) : t('inquiry.chooseArticle')}</p>
              <div className="actions-bar">
                <button type="button" className="primary big" disabled={busy !== undefined || !usedArticle} onClick={() => void submit('answered')} data-testid="inquiry-answered">
                  {t('inquiry.answered')}
                </button>
                <button type="button" disabled={busy !== undefined} onClick={() => void submit('no-article')} data-testid="inquiry-no-article">
                  {t('inquiry.noArticle')}
                </button>
                <button type="button" disabled={busy !== undefined} onClick={() => void submit('escalated')} data-testid="inquiry-escalate">
                  {t('inquiry.escalate')}
                </button>
              </div>
            </fieldset>
          ) : (
            <div className="actions-bar">
              <button type="submit" className="primary big" disabled={busy !== undefined} data-testid="submit-case">
                {busy === 'create' ? t('intake.submitting') : busy?.startsWith('upload:') ? t('attach.uploading', { caseNo: busy.slice('upload:'.length) }) : t('intake.submit')}
              </button>
            </div>
          )}
        </div>

        <aside className="intake-side">
          {sop ? <SopSummary sop={sop} district={form.district} labels={labels} /> : <p className="panel muted">{t('intake.sideHint')}</p>}
          <CallerHistory phone={form.anonymous ? '' : form.phone} />
          <KnowledgePanel text={form.description} category={form.category} usedArticle={usedArticle?.id} onUse={isInquiry ? setUsedArticle : undefined} />
          <Duplicates category={form.category} district={form.district} lat={form.lat} lng={form.lng} busy={busy} onAttach={(n) => void attach(n)} />
        </aside>
      </form>
    </section>
  );
}

/**
 * The intake map: a click or tap sets the coordinates and the district whose boundary holds the point (the same
 * point-in-polygon as the API); the district select stays free to correct. A point outside the city is not taken,
 * with the reason, as the API would refuse it.
 */
function PlacePicker({ form, onPick }: { form: IntakeForm; onPick: (lat: string, lng: string, district: string | undefined) => void }) {
  const { t } = useI18n();
  const labels = useLabels();
  // What the last pick found, shown in the reader's language (which may switch after the pick).
  const [picked, setPicked] = useState<{ lat: number; lng: number; district?: string }>();
  const point = pointOf(form.lat, form.lng);
  const lat = point?.lat;
  const lng = point?.lng;
  const points = useMemo(() => (lat !== undefined && lng !== undefined ? [{ lat, lng, label: t('intake.location'), main: true }] : []), [lat, lng, t]);
  const pick = ({ lat: la, lng: ln }: { lat: number; lng: number }) => {
    const p = roundPoint({ lat: la, lng: ln });
    const district = districtOfPoint(p);
    setPicked({ ...p, ...(district ? { district } : {}) });
    if (district) onPick(String(p.lat), String(p.lng), district);
  };
  const note = picked && (picked.district ? t('intake.districtFromMap', { district: labels.district(picked.district) }) : t('intake.outsideCity', { lat: String(picked.lat), lng: String(picked.lng) }));
  return (
    <div className="place-picker">
      <p className="muted" id="map-hint">
        {t('intake.mapHint')}
      </p>
      <CityMap points={points} onPick={pick} label={t('intake.mapLabel')} fit="never" className="intake-map" />
      <p className={picked && !picked.district ? 'field-error' : 'muted'} role="status" data-testid="map-note">
        {note}
      </p>
    </div>
  );
}

function AttributeInput({ attr, value, error, onChange }: { attr: SopView['attributes'][number]; value: string | string[] | undefined; error: unknown; onChange: (v: string | string[]) => void }) {
  const { pick, t } = useI18n();
  const path = `attributes.${attr.code}`;
  const label = pick(attr.description);
  if (attr.datatype === 'singlevaluelist')
    return (
      <Field label={label} error={error} path={path} required={attr.required}>
        <select value={typeof value === 'string' ? value : ''} onChange={(e) => onChange(e.target.value)} name={path}>
          <option value="">—</option>
          {attr.values?.map((v) => (
            <option key={v.key} value={v.key}>
              {pick(v.name)}
            </option>
          ))}
        </select>
      </Field>
    );
  if (attr.datatype === 'multivaluelist') {
    const chosen = Array.isArray(value) ? value : [];
    return (
      <fieldset className="field">
        <legend className="field-label">
          {label}
          {attr.required && ` (${t('intake.required')})`}
        </legend>
        {attr.values?.map((v) => (
          <label key={v.key} className="check">
            <input type="checkbox" checked={chosen.includes(v.key)} onChange={(e) => onChange(e.target.checked ? [...chosen, v.key] : chosen.filter((k) => k !== v.key))} />
            {pick(v.name)}
          </label>
        ))}
        <FieldError error={error} path={path} />
      </fieldset>
    );
  }
  return (
    <Field label={label} error={error} path={path} required={attr.required}>
      {attr.datatype === 'text' ? (
        <textarea rows={2} value={typeof value === 'string' ? value : ''} onChange={(e) => onChange(e.target.value)} name={path} />
      ) : (
        <input
          type={attr.datatype === 'datetime' ? 'datetime-local' : 'text'}
          inputMode={attr.datatype === 'number' ? 'decimal' : undefined}
          value={typeof value === 'string' ? value : ''}
          onChange={(e) => onChange(e.target.value)}
          name={path}
        />
      )}
    </Field>
  );
}

function SopSummary({ sop, district, labels }: { sop: SopView; district: string; labels: ReturnType<typeof useLabels> }) {
  const { t, pick } = useI18n();
  const dept = routedDepartment(sop, district);
  return (
    <section className="panel sop-summary" aria-labelledby="sop-title">
      <h2 id="sop-title">
        {t('intake.sopTitle')}: {pick(sop.name)} <span className="muted">v{sop.version}</span>
      </h2>
      {sop.description && <p>{pick(sop.description)}</p>}
      {sop.guidance && (
        <div className="sop-guidance" data-testid="sop-guidance">
          <h3>{t('intake.sopGuidance')}</h3>
          <p className="pre">{pick({ zh: sop.guidance.zh, en: sop.guidance.en ?? sop.guidance.zh })}</p>
        </div>
      )}
      {sop.caseType === 'consultation' && <p className="banner info">{t('intake.sopConsultation')}</p>}
      <dl>
        <dt>{t('intake.sopDepartment')}</dt>
        <dd>{dept ? labels.department(dept) : t('intake.sopDistrictOffice')}</dd>
        <dt>{t('intake.sopAcknowledge')}</dt>
        <dd>{formatDeadline(sop.acknowledgeWithin, t)}</dd>
        <dt>{t('intake.sopResolve')}</dt>
        <dd>{formatDeadline(sop.resolveWithin, t)}</dd>
        <dt>{t('intake.sopFollowUp')}</dt>
        <dd>{formatDeadline(sop.followUpAfter, t)}</dd>
      </dl>
      {sop.urgent && <p className="muted">{t('intake.sopUrgent', { ack: formatDeadline(sop.urgent.acknowledgeWithin, t), resolve: formatDeadline(sop.urgent.resolveWithin, t) })}</p>}
    </section>
  );
}

function Duplicates({ category, district, lat, lng, busy, onAttach }: { category: string; district: string; lat: string; lng: string; busy?: string; onAttach: (caseNo: string) => void }) {
  const { api } = useApp();
  const { t } = useI18n();
  const labels = useLabels();
  const now = useNow(1000);
  // The last answer and the question it answers: while a newer question is pending it is still shown.
  const question = JSON.stringify([category, district, lat, lng]);
  const [state, setState] = useState<{ items?: CaseSummary[]; error?: unknown; question?: string }>({});
  const loading = state.question !== question;

  useEffect(() => {
    if (!category || !district) return;
    let live = true;
    const la = Number(lat);
    const ln = Number(lng);
    const coords = lat.trim() && lng.trim() && Number.isFinite(la) && Number.isFinite(ln) ? { lat: la, lng: ln } : {};
    const timer = setTimeout(() => {
      api.duplicates({ category, district, ...coords }).then(
        (page) => live && setState({ items: page.items, question }),
        (error: unknown) => live && setState({ error, question }),
      );
    }, 250);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [api, category, district, lat, lng, question]);

  if (!category || !district) return null;
  return (
    <section className="panel duplicates" aria-labelledby="dup-title" aria-live="polite" data-loaded={state.items !== undefined || state.error !== undefined}>
      <h2 id="dup-title">{t('intake.duplicatesTitle')}</h2>
      <p className="muted">{t('intake.duplicatesHint')}</p>
      {loading && !state.items && <p className="muted">{t('intake.duplicatesLoading')}</p>}
      <ErrorBanner error={state.error} />
      {state.items && state.items.length === 0 && <p className="muted">{t('intake.duplicatesNone')}</p>}
      <ul className="dup-list">
        {state.items?.map((c) => (
          <li key={c.caseNo} data-case-no={c.caseNo}>
            <div>
              <a href={caseHref(c.caseNo)} target="_blank" rel="noreferrer" className="case-no">
                {c.caseNo}
              </a>{' '}
              <StatusBadge status={c.status} />
            </div>
            <div>
              {labels.district(c.district)} {c.address}
            </div>
            <div className="muted">
              {formatDateTime(c.createdAt)} · <Due due={currentDue(c)} now={now} />
            </div>
            <button type="button" onClick={() => onAttach(c.caseNo)} disabled={busy !== undefined}>
              {busy === c.caseNo ? t('intake.attaching') : t('intake.attach')}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

function IntakeDone({ outcome }: { outcome: Outcome }) {
  const { t } = useI18n();
  const next = useRef<HTMLAnchorElement>(null);
  // A fresh hash each time, so the link starts a new intake even from an intake with the same address.
  const [newIntake] = useState(() => href('intake', { n: String(Date.now()) }));
  useEffect(() => next.current?.focus(), []);
  const due = outcome.kind === 'created' ? (outcome.c?.resolveDueAt ?? undefined) : undefined;
  return (
    <section className="intake-done" aria-live="assertive">
      <h1>{outcome.kind === 'created' ? t('intake.createdTitle') : outcome.kind === 'answered' ? t('inquiry.closedTitle') : t('intake.attachedTitle')}</h1>
      <p className="case-number-label">{t('intake.caseNoLabel')}</p>
      <p className="case-number" data-testid="created-case-no">
        {outcome.caseNo}
      </p>
      <p className="spoken">{t('intake.readOut', { spoken: spokenCaseNo(outcome.caseNo) })}</p>
      {due && <p>{t('intake.dueInfo', { due: formatDateTime(due) })}</p>}
      {outcome.kind === 'created' && outcome.filesFailed ? (
        <p className="banner error" role="alert">
          {t('attach.someFailed', { count: String(outcome.filesFailed) })}
        </p>
      ) : null}
      <div className="actions-bar">
        <a ref={next} className="button primary" href={newIntake}>
          {t('intake.newCase')}
        </a>
        <a className="button" href={caseHref(outcome.caseNo)}>
          {t('intake.openCase')}
        </a>
      </div>
    </section>
  );
}
