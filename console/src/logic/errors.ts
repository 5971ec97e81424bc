/** What an error means to the person at the screen, in their language. */
import { ApiError } from '../api/client';
import { isMessageKey, type MessageKey, type Params } from '../i18n';

type T = (key: MessageKey, params?: Params) => string;

export function errorMessage(error: unknown, t: T): string {
  if (error instanceof ApiError) {
    switch (error.status) {
      case 0:
        return t('error.network');
      case 401:
        return t('error.unauthorized');
      case 403:
        return t('error.forbidden');
      case 404:
        return t('error.notFound');
      case 409: {
        const status = error.details.currentStatus;
        if (status) {
          const key = `status.${status}`;
          return t('error.conflict', { status: isMessageKey(key) ? t(key) : status });
        }
        return t('error.generic', { message: error.message });
      }
      case 412:
        return t('error.preconditionFailed');
      case 429:
        return t('error.rateLimited');
      case 400:
      case 422:
        return error.fields.length ? t('error.validation') : t('error.generic', { message: error.message });
      default:
        return t('error.generic', { message: error.message });
    }
  }
  return t('error.generic', { message: error instanceof Error ? error.message : String(error) });
}

/**
 * Field errors that no field on the screen shows (a path the form has no input for): listed in the banner so
 * nothing the API said is lost.
 */
export function unplacedFieldErrors(error: unknown, shownPaths: readonly string[]): Array<{ path: string; message: string }> {
  if (!(error instanceof ApiError)) return [];
  return error.fields.filter((f) => !shownPaths.some((p) => f.path === p || f.path.startsWith(`${p}.`)));
}

/**
 * The API words its field messages in English. The common ones are said in the reader's language; anything else
 * is shown as the API said it, so no message is ever lost.
 */
const FIELD_MESSAGES: Array<[RegExp, MessageKey, ((m: RegExpExecArray) => Params)?]> = [
  [/^must say why, in at least (\d+) characters/, 'apiField.reasonLength', (m) => ({ n: m[1] })],
  [/^must not be empty$/, 'apiField.empty'],
  [/^must be a district code/, 'apiField.district'],
  [/^must be a category code/, 'apiField.category'],
  [/^must be a Taiwanese phone number/, 'apiField.phone'],
  [/^must be a mobile number/, 'apiField.mobileForSms'],
  [/^is required when notify is sms/, 'apiField.phoneForSms'],
  [/^is required when notify is email/, 'apiField.emailForEmail'],
  [/^must be an e-mail address/, 'apiField.email'],
  [/^must be within Taiwan/, 'apiField.withinTaiwan'],
  [/expected number/, 'apiField.number'],
  [/^(is required|Required)$/, 'apiField.required'],
];

export function localizeFieldMessage(message: string, t: T): string {
  for (const [re, key, params] of FIELD_MESSAGES) {
    const m = re.exec(message);
    if (m) return t(key, params?.(m));
  }
  return message;
}
