/**
 * A map of the city with points on it; clicking it picks a point when `onPick` is given. Leaflet loads on first
 * use (components/leaflet-map.ts). The map is an aid: every place it shows is also text beside it (coordinates,
 * the case list), so keyboard and screen-reader users lose nothing.
 */
import { useEffect, useRef, useState } from 'react';
import { useApp } from '../context';
import { useI18n } from '../i18n/react';
import type { MapHandle, MapPoint } from './leaflet-map';

export type { MapPoint };

export function CityMap({ points, onPick, label, fit = 'once', className }: { points: readonly MapPoint[]; onPick?: (p: { lat: number; lng: number }) => void; label: string; fit?: 'once' | 'always' | 'never'; className?: string }) {
  const { config } = useApp();
  const { t } = useI18n();
  const element = useRef<HTMLDivElement>(null);
  const [handle, setHandle] = useState<MapHandle>();
  const [failed, setFailed] = useState(false);
  const pick = useRef(onPick);
  const fitted = useRef(false);
  useEffect(() => {
    pick.current = onPick;
  }, [onPick]);

  useEffect(() => {
    let live = true;
    let drawn: MapHandle | undefined;
    import('./leaflet-map').then(
      ({ drawMap }) => {
        if (!live || !element.current) return;
        drawn = drawMap(element.current, {
          ...(onPickGiven(pick.current) ? { onPick: (p) => pick.current?.(p) } : {}),
          ...(config.mapTiles ? { tiles: config.mapTiles } : {}),
          attribution: t('map.attribution'),
        });
        setHandle(drawn);
      },
      () => live && setFailed(true),
    );
    return () => {
      live = false;
      drawn?.destroy();
    };
    // The map is drawn once per mount; points and the pick handler reach it through the effects below.
    // eslint-disable-next-line react-hooks/exhaustive-deps -- redrawing the map on every prop change would lose the user's zoom
  }, []);

  // Screens re-render every second (countdowns): the map is touched only when the points themselves change.
  const pointsKey = JSON.stringify(points);
  useEffect(() => {
    if (!handle) return;
    const list = JSON.parse(pointsKey) as MapPoint[];
    const zoom = fit === 'always' || (fit === 'once' && !fitted.current && list.length > 0);
    if (zoom) fitted.current = true;
    handle.setPoints(list, zoom);
  }, [handle, pointsKey, fit]);

  const attribution = t('map.attribution');
  useEffect(() => handle?.setAttribution(attribution), [handle, attribution]);

  return (
    <div className={`city-map ${className ?? ''}`} role="group" aria-label={label}>
      <div ref={element} className="city-map-canvas" data-testid="city-map" data-ready={handle !== undefined} />
      {failed && <p className="muted">{t('map.unavailable')}</p>}
    </div>
  );
}

function onPickGiven(f: unknown): boolean {
  return typeof f === 'function';
}
