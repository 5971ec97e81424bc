/**
 * The console's words. `translate(lang, key, params)` looks a key up and fills `{name}` placeholders; keys are
 * typed, so a missing string is a compile error, and the parity test keeps the two languages in step.
 */
import { en } from './en';
import { zhTW, type MessageKey } from './zh-TW';

export type { MessageKey } from './zh-TW';
export const LANGUAGES = ['zh-TW', 'en'] as const;
export type Lang = (typeof LANGUAGES)[number];
export const DEFAULT_LANG: Lang = 'zh-TW';

export const DICTIONARIES: Record<Lang, Record<MessageKey, string>> = { 'zh-TW': zhTW, en };

export type Params = Record<string, string | number>;
export type Translate = (key: MessageKey, params?: Params) => string;

/** Fills `{name}` placeholders; an unknown placeholder stays visible so a missing parameter is noticed. */
export function interpolate(template: string, params: Params = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

export function translate(lang: Lang, key: MessageKey, params?: Params): string {
  return interpolate(DICTIONARIES[lang][key], params);
}

/** The `{placeholders}` a string uses, sorted (the parity test compares them across languages). */
export function placeholders(template: string): string[] {
  return [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
}

/** A dynamic key (status, event type...) that the dictionaries must hold; falls back to the raw value. */
export function isMessageKey(key: string): key is MessageKey {
  return Object.prototype.hasOwnProperty.call(zhTW, key);
}

/** Localized names in data (SOPs, departments, districts) are `{ zh, en }`. */
export interface Localized {
  zh: string;
  en: string;
}
export function pick(lang: Lang, text: Localized | undefined): string {
  if (!text) return '';
  return lang === 'en' ? text.en : text.zh;
}

export function parseLang(value: string | null | undefined): Lang {
  return value === 'en' || value === 'zh-TW' ? value : DEFAULT_LANG;
}
