import { createBrowserRouter, Navigate, Outlet } from 'react-router';
import { SessionProvider } from './lib/session.tsx';
import { AppLayout } from './components/AppLayout.tsx';
import { LoginPage } from './pages/auth/LoginPage.tsx';
import { SetupPage } from './pages/auth/SetupPage.tsx';
import { InvitePage } from './pages/auth/InvitePage.tsx';
import { TwoFactorRoute } from './pages/auth/TwoFactorRoute.tsx';
import { HomeRedirect } from './pages/HomeRedirect.tsx';
import { OrgGate } from './pages/OrgGate.tsx';
import { AreaPage } from './pages/AreaPage.tsx';
import { TrustHubPage } from './pages/trust-hub/TrustHubPage.tsx';
import { NotFoundPage } from './pages/NotFoundPage.tsx';
import { SettingsLayout } from './pages/settings/SettingsLayout.tsx';
import { GeneralSettings } from './pages/settings/GeneralSettings.tsx';
import { MembersSettings } from './pages/settings/MembersSettings.tsx';
import { InvitationsSettings } from './pages/settings/InvitationsSettings.tsx';
import { TokensSettings } from './pages/settings/TokensSettings.tsx';
import { SecurityLogSettings } from './pages/settings/SecurityLogSettings.tsx';
import { OutboxSettings } from './pages/settings/OutboxSettings.tsx';
import { WebhooksSettings } from './pages/settings/WebhooksSettings.tsx';
import { NotificationsSettings } from './pages/settings/NotificationsSettings.tsx';
import { TrustDocumentsPage } from './pages/trust-docs/TrustDocumentsPage.tsx';
import { AREAS } from './pages/areas.ts';
import { EvidenceLogPage } from './pages/ledger/EvidenceLogPage.tsx';
import { EvidencePage } from './pages/evidence/EvidencePage.tsx';
import { ControlsPage } from './pages/controls/ControlsPage.tsx';
import { ChecksPage } from './pages/checks/ChecksPage.tsx';
import { FrameworksPage } from './pages/frameworks/FrameworksPage.tsx';
import { FrameworkPage } from './pages/frameworks/FrameworkPage.tsx';
import { CertificationsPage } from './pages/certifications/CertificationsPage.tsx';
import { HealthPage } from './pages/health/HealthPage.tsx';
import { VendorsPage } from './pages/vendors/VendorsPage.tsx';
import { ResponsibilitiesPage } from './pages/responsibilities/ResponsibilitiesPage.tsx';
import { CoveragePage } from './pages/coverage/CoveragePage.tsx';
import { CoverageFrameworkPage } from './pages/coverage/CoverageFrameworkPage.tsx';
import { ProductsSettings } from './pages/settings/ProductsSettings.tsx';
import { AdminOnly } from './components/AdminOnly.tsx';

/** Everything behind sign-in shares one session load and the app shell. */
function SignedIn() {
  return (
    <SessionProvider>
      <Outlet />
    </SessionProvider>
  );
}

// Areas whose feature has shipped route to their own page below; the rest show their empty state.
const SHIPPED = new Set(['frameworks', 'controls', 'evidence', 'checks', 'trust-hub', 'vendors']);

export const router = createBrowserRouter([
  { path: '/login', element: <LoginPage /> },
  { path: '/setup', element: <SetupPage /> },
  { path: '/invite/:token', element: <InvitePage /> },
  // Reachable mid-sign-in (org requires 2FA) without a full session, so it handles its own session.
  { path: '/account/two-factor', element: <TwoFactorRoute /> },
  {
    element: <SignedIn />,
    children: [
      { index: true, element: <HomeRedirect /> },
      {
        path: 'orgs/:orgId',
        element: <OrgGate><AppLayout /></OrgGate>,
        children: [
          { index: true, element: <Navigate to="frameworks" replace /> },
          // Areas whose feature has shipped have their own page; the rest show their empty state.
          { path: 'controls', element: <ControlsPage /> },
          { path: 'evidence', element: <EvidencePage /> },
          { path: 'checks', element: <ChecksPage /> },
          { path: 'frameworks', element: <FrameworksPage /> },
          { path: 'frameworks/:frameworkId', element: <FrameworkPage /> },
          { path: 'trust-hub', element: <TrustHubPage /> },
          { path: 'vendors', element: <VendorsPage /> },
          { path: 'responsibilities', element: <ResponsibilitiesPage /> },
          ...AREAS.filter((area) => !SHIPPED.has(area.path)).map((area) => ({ path: area.path, element: <AreaPage area={area} /> })),
          { path: 'evidence-log', element: <EvidenceLogPage /> },
          { path: 'certifications', element: <CertificationsPage /> },
          { path: 'trust-documents', element: <TrustDocumentsPage /> },
          { path: 'health', element: <HealthPage /> },
          { path: 'coverage', element: <CoveragePage /> },
          { path: 'coverage/:frameworkId', element: <CoverageFrameworkPage /> },
          {
            path: 'settings',
            element: <SettingsLayout />,
            children: [
              { index: true, element: <Navigate to="general" replace /> },
              { path: 'general', element: <GeneralSettings /> },
              { path: 'members', element: <MembersSettings /> },
              { path: 'invitations', element: <AdminOnly what="The invitation list"><InvitationsSettings /></AdminOnly> },
              { path: 'products', element: <ProductsSettings /> },
              { path: 'tokens', element: <TokensSettings /> },
              { path: 'security-log', element: <AdminOnly what="The security log"><SecurityLogSettings /></AdminOnly> },
              { path: 'webhooks', element: <AdminOnly what="Webhooks"><WebhooksSettings /></AdminOnly> },
              { path: 'notifications', element: <AdminOnly what="Email notification rules"><NotificationsSettings /></AdminOnly> },
              { path: 'outbox', element: <AdminOnly what="The outbox"><OutboxSettings /></AdminOnly> },
            ],
          },
          { path: '*', element: <NotFoundPage /> },
        ],
      },
    ],
  },
  { path: '*', element: <NotFoundPage standalone /> },
]);
