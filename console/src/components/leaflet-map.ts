/**
 * The Leaflet half of the console's maps, loaded only when a map is first shown (its own chunk, with Leaflet's
 * stylesheet), so screens without a map do not pay for it. The base layer is the city's district boundaries as
 * GeoJSON: no tile server, so the map works offline; a stage may add raster tiles underneath (config.json).
 * Points are vector circle markers (no marker images to serve).
 */
import * as L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import { CITY_BOUNDS, CITY_GEOJSON } from '../logic/places';

export interface MapPoint {
  lat: number;
  lng: number;
  label: string;
  /** Where the point's popup links to (a case page). */
  href?: string;
  /** The point the map is about (the case, the picked place), drawn larger. */
  main?: boolean;
}

export interface MapOptions {
  onPick?: (point: { lat: number; lng: number }) => void;
  tiles?: { url: string; attribution: string };
  attribution: string;
}

export interface MapHandle {
  /** Replaces the points; `fit` zooms to them (at most to street level). */
  setPoints(points: readonly MapPoint[], fit: boolean): void;
  /** The boundaries' attribution in the reader's language (the language can switch while the map is shown). */
  setAttribution(text: string): void;
  destroy(): void;
}

export function drawMap(element: HTMLElement, options: MapOptions): MapHandle {
  const city = L.latLngBounds([CITY_BOUNDS[0][0], CITY_BOUNDS[0][1]], [CITY_BOUNDS[1][0], CITY_BOUNDS[1][1]]);
  const map = L.map(element, { zoomSnap: 0.25, minZoom: 9, maxBounds: city.pad(0.5) });
  map.attributionControl.setPrefix(false);
  if (options.tiles) L.tileLayer(options.tiles.url, { attribution: options.tiles.attribution, maxZoom: 19 }).addTo(map);
  L.geoJSON(CITY_GEOJSON, {
    style: { color: '#46627f', weight: 1, fillColor: '#e3ebf2', fillOpacity: options.tiles ? 0.15 : 0.7 },
    interactive: false,
  }).addTo(map);
  let attribution = options.attribution;
  map.attributionControl.addAttribution(attribution);
  map.fitBounds(city);
  const { onPick } = options;
  if (onPick) {
    element.classList.add('map-pick');
    map.on('click', (e: L.LeafletMouseEvent) => onPick({ lat: e.latlng.lat, lng: e.latlng.lng }));
  }
  const points = L.layerGroup().addTo(map);

  return {
    setPoints(list, fit) {
      points.clearLayers();
      for (const p of list) {
        const marker = L.circleMarker([p.lat, p.lng], {
          radius: p.main ? 9 : 6,
          color: p.main ? '#8a1c1c' : '#1d4f8a',
          weight: 2,
          fillColor: p.main ? '#d9342b' : '#4a8fd9',
          fillOpacity: 0.9,
          // A picked place is not a button: clicks go through to the map, which moves the pin.
          interactive: !onPick,
        });
        if (!onPick) {
          marker.bindTooltip(p.label);
          if (p.href) {
            const link = document.createElement('a');
            link.href = p.href;
            link.textContent = p.label;
            marker.bindPopup(link);
          }
        }
        marker.addTo(points);
      }
      if (fit && list.length) map.fitBounds(L.latLngBounds(list.map((p) => [p.lat, p.lng] as L.LatLngTuple)).pad(0.4), { maxZoom: 15 });
    },
    setAttribution(text) {
      if (text === attribution) return;
      map.attributionControl.removeAttribution(attribution).addAttribution(text);
      attribution = text;
    },
    destroy() {
      map.remove();
    },
  };
}
