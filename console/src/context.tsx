/** What every screen needs: the signed-in user, the API, reference data, the runtime config. */
import { createContext, useContext } from 'react';
import type { Endpoints } from './api/endpoints';
import type { DepartmentView, SopView } from './api/types';
import type { Session } from './auth';
import type { RuntimeConfig } from './config';
import type { Localized } from './i18n';

export interface District {
  code: string;
  name: Localized;
}

export interface Reference {
  sops: SopView[];
  departments: DepartmentView[];
  districts: District[];
}

export interface AppContextValue {
  config: RuntimeConfig;
  session: Session;
  api: Endpoints;
  reference: Reference;
  reloadReference: () => Promise<void>;
  signOut: () => void;
}

export const AppContext = createContext<AppContextValue | undefined>(undefined);

export function useApp(): AppContextValue {
  const ctx = useContext(AppContext);
  if (!ctx) throw new Error('useApp outside AppContext');
  return ctx;
}
