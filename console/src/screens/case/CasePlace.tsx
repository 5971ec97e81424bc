/**
 * The case's place on a small map with other open cases nearby, and a link that opens the place in the phone's
 * maps app. Nearby comes from what the user may read anyway: the intake's duplicate check (open cases of the
 * category in the district) for agents and supervisors, their own department's open queue for staff.
 */
import { useMemo } from 'react';
import type { CaseSummary, CaseView } from '../../api/types';
import { rolesOf } from '../../../../functions/auth/policy';
import { useApp } from '../../context';
import { useI18n } from '../../i18n/react';
import { caseHref } from '../../logic/navigation';
import { distanceMeters, mapsAppHref } from '../../logic/places';
import { useAsync } from '../../components/hooks';
import { CityMap, type MapPoint } from '../../components/CityMap';
import { useLabels } from '../../components/ui';

/** How far "nearby" reaches on the case page. */
const NEARBY_METERS = 3000;

export function CasePlace({ c }: { c: CaseView }) {
  const { api, session } = useApp();
  const { t } = useI18n();
  const labels = useLabels();
  const { lat, lng } = c.location;
  const role = session.user.role;
  const nearby = useAsync(async (): Promise<CaseSummary[]> => {
    if (lat === undefined || lng === undefined) return [];
    if (rolesOf('findDuplicateCases').includes(role)) return (await api.duplicates({ category: c.category, district: c.location.district, lat, lng })).items;
    if (role === 'staff' && c.department === session.user.department) {
      const pages = await Promise.all((['ASSIGNED', 'ACKNOWLEDGED', 'REOPENED'] as const).map((s) => api.departmentQueue(s)));
      return pages.flatMap((p) => p.items);
    }
    return [];
  }, [api, role, c.category, c.location.district, c.department, session.user.department, lat, lng]);

  const points = useMemo((): MapPoint[] => {
    if (lat === undefined || lng === undefined) return [];
    const others = (nearby.data ?? []).flatMap((o): MapPoint[] =>
      o.caseNo !== c.caseNo && o.lat !== undefined && o.lng !== undefined && distanceMeters({ lat, lng }, { lat: o.lat, lng: o.lng }) <= NEARBY_METERS
        ? [{ lat: o.lat, lng: o.lng, label: `${o.caseNo} ${labels.category(o.category)}`, href: caseHref(o.caseNo) }]
        : [],
    );
    return [...others, { lat, lng, label: c.caseNo, main: true }];
  }, [nearby.data, lat, lng, c.caseNo, labels]);

  if (lat === undefined || lng === undefined) return null;
  const place = `${labels.district(c.location.district)} ${c.location.address}`;
  return (
    <section className="panel case-place" aria-labelledby="place-title">
      <h2 id="place-title">{t('case.location')}</h2>
      <p>
        {place}{' '}
        <a className="button maps-app" href={mapsAppHref({ lat, lng }, place, navigator.userAgent)} target="_blank" rel="noreferrer" data-testid="open-in-maps">
          {t('case.openInMaps')}
        </a>
      </p>
      <CityMap points={points} label={t('case.mapLabel')} fit="once" className="case-map" />
      <p className="muted">{t('case.mapLegend')}</p>
    </section>
  );
}
