import { describe, expect, it } from 'vitest';
import { parseRuntimeConfig } from '../../console/src/config';
import { CITY_BOUNDS, districtOfPoint, mapsAppHref, pointOf, roundPoint } from '../../console/src/logic/places';

describe("the console's places", () => {
  it('finds the district of a map point as the API does, and none outside the city', () => {
    expect(districtOfPoint({ lat: 24.9537, lng: 121.2257 })).toBe('zhongli'); // 中壢火車站
    expect(districtOfPoint({ lat: 24.9937, lng: 121.3009 })).toBe('taoyuan'); // 桃園火車站
    expect(districtOfPoint({ lat: 25.0339, lng: 121.5645 })).toBeUndefined(); // Taipei 101
  });

  it('starts the maps on the whole city', () => {
    const [[south, west], [north, east]] = CITY_BOUNDS;
    expect(south).toBeLessThan(24.7);
    expect(north).toBeGreaterThan(25.1);
    expect(west).toBeLessThan(121.1);
    expect(east).toBeGreaterThan(121.4);
  });

  it('reads a point from the two intake fields only when both are numbers, and rounds a click to six decimals', () => {
    expect(pointOf('24.95', '121.22')).toEqual({ lat: 24.95, lng: 121.22 });
    expect(pointOf('24.95', '')).toBeUndefined();
    expect(pointOf('north', '121')).toBeUndefined();
    expect(roundPoint({ lat: 24.953712345678, lng: 121.2257000000001 })).toEqual({ lat: 24.953712, lng: 121.2257 });
  });

  it("opens the place in the phone's maps app: geo: on Android, Apple Maps on iOS, a web map elsewhere", () => {
    const p = { lat: 24.9537, lng: 121.2257 };
    expect(mapsAppHref(p, '中壢區 中和路 1 號', 'Mozilla/5.0 (Linux; Android 14; Pixel 8)')).toBe('geo:24.9537,121.2257?q=24.9537,121.2257(%E4%B8%AD%E5%A3%A2%E5%8D%80%20%E4%B8%AD%E5%92%8C%E8%B7%AF%201%20%E8%99%9F)');
    expect(mapsAppHref(p, 'x', 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X)')).toBe('https://maps.apple.com/?ll=24.9537,121.2257&q=x');
    expect(mapsAppHref(p, 'x', 'Mozilla/5.0 (X11; Linux x86_64)')).toContain('openstreetmap.org/?mlat=24.9537&mlon=121.2257');
  });

  it('takes map tiles from config.json only over https and with an attribution', () => {
    const base = { auth: { mode: 'local' } };
    expect(parseRuntimeConfig({ ...base, mapTiles: { url: 'https://maps.geo.ap-northeast-1.amazonaws.com/v2/tiles/raster.satellite/{z}/{x}/{y}?key=k', attribution: '© AWS' } }).mapTiles).toEqual({
      url: 'https://maps.geo.ap-northeast-1.amazonaws.com/v2/tiles/raster.satellite/{z}/{x}/{y}?key=k',
      attribution: '© AWS',
    });
    expect(parseRuntimeConfig({ ...base, mapTiles: { url: 'http://tiles.example/{z}/{x}/{y}.png', attribution: 'x' } }).mapTiles).toBeUndefined();
    expect(parseRuntimeConfig({ ...base, mapTiles: { url: 'https://tiles.example/{z}/{x}/{y}.png' } }).mapTiles).toBeUndefined();
    expect(parseRuntimeConfig(base).mapTiles).toBeUndefined();
  });

  it('offers address search only when config.json says the stage has a place index', () => {
    const base = { auth: { mode: 'local' } };
    expect(parseRuntimeConfig({ ...base, geocoding: true }).geocoding).toBe(true);
    expect(parseRuntimeConfig({ ...base, geocoding: 'yes' }).geocoding).toBeUndefined();
    expect(parseRuntimeConfig(base).geocoding).toBeUndefined();
  });
});
