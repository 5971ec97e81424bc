/**
 * Photos and documents at intake: chosen before the case exists, uploaded with kind `intake` once it is logged.
 * The first photo whose EXIF holds a place inside the city offers that place as the case's coordinates (and its
 * district); the agent decides. Photos leave the browser reduced and without EXIF (components/photo-reduce.ts).
 */
import { useState } from 'react';
import { FilePicker, UploadList, type Upload } from '../../components/Attachments';
import { useLabels } from '../../components/ui';
import { useI18n } from '../../i18n/react';
import { exifGps, uploadKind } from '../../logic/photos';
import { districtOfPoint, roundPoint } from '../../logic/places';

type PhotoPlace = { lat: number; lng: number; district?: string };

export function IntakeFiles({
  files,
  onChange,
  onUsePlace,
  uploads,
  disabled,
}: {
  files: readonly File[];
  onChange: (files: File[]) => void;
  onUsePlace: (lat: string, lng: string, district: string) => void;
  uploads: readonly Upload[];
  disabled: boolean;
}) {
  const { t } = useI18n();
  const labels = useLabels();
  const [place, setPlace] = useState<PhotoPlace>();

  const add = async (picked: File[]) => {
    onChange([...files, ...picked]);
    if (place) return;
    for (const f of picked) {
      if (uploadKind(f) !== 'photo') continue;
      const gps = exifGps(await f.arrayBuffer());
      if (!gps) continue;
      const p = roundPoint(gps);
      const district = districtOfPoint(p);
      setPlace({ ...p, ...(district ? { district } : {}) });
      return;
    }
  };

  return (
    <fieldset className="intake-files">
      <legend>{t('attach.intakeTitle')}</legend>
      <p className="muted">{t('attach.intakeHint')}</p>
      <FilePicker label={t('attach.add')} disabled={disabled} onFiles={(picked) => void add(picked)} />
      {files.length > 0 && (
        <ul className="picked-files" data-testid="picked-files">
          {files.map((f, i) => (
            <li key={`${i}-${f.name}`}>
              {f.name}{' '}
              <button type="button" className="link" disabled={disabled} aria-label={t('attach.remove', { name: f.name })} onClick={() => onChange(files.filter((_, j) => j !== i))}>
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      {place &&
        (place.district ? (
          <button
            type="button"
            data-testid="use-photo-place"
            disabled={disabled}
            onClick={() => onUsePlace(String(place.lat), String(place.lng), place.district!)}
          >
            {t('attach.usePlace', { lat: String(place.lat), lng: String(place.lng), district: labels.district(place.district) })}
          </button>
        ) : (
          <p className="muted" role="status">
            {t('attach.placeOutside', { lat: String(place.lat), lng: String(place.lng) })}
          </p>
        ))}
      <UploadList uploads={uploads} />
    </fieldset>
  );
}
