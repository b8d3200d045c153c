import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { Navigate, useLocation, useParams } from 'react-router';
import { authApi } from '../api/endpoints.ts';
import { isApiError, rememberCsrfToken } from '../api/client.ts';
import type { Me, Membership } from '../api/types.ts';
import { FullPageLoader, FullPageError } from '../components/FullPageStates.tsx';

type SessionValue = { me: Me; refresh: () => Promise<void> };

const SessionContext = createContext<SessionValue | null>(null);

type State =
  | { kind: 'loading' } | { kind: 'signedIn'; me: Me } | { kind: 'signedOut' } | { kind: 'error'; error: unknown }
  | { kind: 'partial'; stage: 'totp' | 'enrol' };

/**
 * Loads who is signed in once for the whole app shell; a 401 sends the person to sign in and back,
 * unless the route renders something of its own for people without a full session (`signedOut`).
 */
export function SessionProvider({ children, signedOut }: { children: ReactNode; signedOut?: ReactNode }) {
  const [state, setState] = useState<State>({ kind: 'loading' });
  const location = useLocation();

  const refresh = useCallback(async () => {
    try {
      const me = await authApi.me();
      rememberCsrfToken(me.csrfToken);
      setState(me.stage && me.stage !== 'full' ? { kind: 'partial', stage: me.stage } : { kind: 'signedIn', me });
    } catch (error) {
      setState(isApiError(error, 401) ? { kind: 'signedOut' } : { kind: 'error', error });
    }
  }, []);

  useEffect(() => { void refresh(); }, [refresh]);

  if (state.kind === 'loading') return <FullPageLoader label="Loading your workspace" />;
  if (state.kind === 'signedOut' || state.kind === 'partial') {
    if (signedOut) return signedOut;
    const next = location.pathname + location.search;
    // Half-way through sign-in: an org that requires 2FA must get it before anything else.
    if (state.kind === 'partial' && state.stage === 'enrol') return <Navigate to="/account/two-factor" replace state={{ required: true, next }} />;
    return <Navigate to={next === '/' ? '/login' : `/login?next=${encodeURIComponent(next)}`} replace />;
  }
  if (state.kind === 'error') return <FullPageError error={state.error} onRetry={() => void refresh()} />;
  return <SessionContext.Provider value={{ me: state.me, refresh }}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession() outside <SessionProvider>');
  return value;
}

/** The membership for the org in the URL, or null when the person is not a member of it. */
export function useCurrentOrg(): Membership | null {
  const { orgId } = useParams();
  const { me } = useSession();
  return me.memberships.find((m) => m.orgId === orgId) ?? null;
}

export function useRequiredOrg(): Membership {
  const org = useCurrentOrg();
  if (!org) throw new Error('useRequiredOrg() outside an org route');
  return org;
}
