/**
 * "Find on map" beside the intake's address: the stage's place index (GET /places/geocode) offers the places in the
 * city it finds for the typed address; choosing one sets the coordinates and the district as a click on the map
 * does. Shown only where the stage has a place index (config.json `geocoding`).
 */
import { useState } from 'react';
import type { PlaceCandidate } from '../../api/types';
import { useApp } from '../../context';
import { useI18n } from '../../i18n/react';
import { ErrorBanner, useLabels } from '../../components/ui';

type Search = { busy?: true; items?: PlaceCandidate[]; error?: unknown };

export function AddressSearch({ address, onChoose }: { address: string; onChoose: (place: PlaceCandidate) => void }) {
  const { api } = useApp();
  const { t } = useI18n();
  const labels = useLabels();
  const [search, setSearch] = useState<Search>({});
  const text = address.trim();

  const find = async () => {
    setSearch({ busy: true });
    try {
      setSearch({ items: (await api.geocode(text)).items });
    } catch (error) {
      setSearch({ error });
    }
  };

  return (
    <div className="address-search">
      <button type="button" onClick={() => void find()} disabled={!text || search.busy}>
        {t('intake.findOnMap')}
      </button>
      <ErrorBanner error={search.error} />
      {search.items && search.items.length === 0 && (
        <p className="muted" role="status">
          {t('intake.noPlaceFound')}
        </p>
      )}
      {search.items && search.items.length > 0 && (
        <ul className="place-candidates" aria-label={t('intake.placeCandidates')}>
          {search.items.map((place) => (
            <li key={`${place.lat},${place.lng}`}>
              <button
                type="button"
                className="link"
                onClick={() => {
                  onChoose(place);
                  setSearch({});
                }}
              >
                {place.label} · {labels.district(place.district)}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
