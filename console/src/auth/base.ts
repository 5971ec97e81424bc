/** What every sign-in module offers (a module of its own so the modules and their index do not import each other). */
import type { Session } from './session';

export interface AuthModuleBase {
  /** Finishes a sign-in that came back through a redirect (OIDC); undefined when the URL is not a callback. */
  completeRedirect(url: URL): Promise<Session | undefined>;
  /** Forgets the session here, and at the issuer when it has a logout endpoint (may navigate away). */
  signOut(): Promise<void>;
}
