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
