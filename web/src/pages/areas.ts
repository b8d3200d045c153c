import { IconBuildingStore, IconCertificate, IconChecklist, IconFileCheck, IconRobot, IconShieldCheck, IconWorld, type Icon } from '@tabler/icons-react';

/** The product areas in the navigation; each shows an empty state until its feature ships. */
export type Area = { path: string; label: string; icon: Icon; emptyTitle: string; emptyText: string };

export const AREAS: readonly Area[] = [
  {
    path: 'frameworks', label: 'Frameworks', icon: IconCertificate, emptyTitle: 'No frameworks yet',
    emptyText: 'Frameworks you adopt, such as SOC 2 or ISO 27001, and how far each is covered by your controls, will appear here.',
  },
  {
    // Shipped: router.tsx routes this area to pages/controls/ControlsPage.tsx (the texts are unused there).
    path: 'controls', label: 'Controls', icon: IconChecklist, emptyTitle: 'No controls yet',
    emptyText: 'Controls you own, with owners, frequencies and evidence, will appear here.',
  },
  {
    // Shipped: router.tsx routes this area to pages/checks/ChecksPage.tsx.
    path: 'checks', label: 'Checks', icon: IconRobot, emptyTitle: 'No checks yet',
    emptyText: 'Automated checks of your systems, their results and history, will appear here.',
  },
  {
    // Shipped: router.tsx routes this area to pages/evidence/EvidencePage.tsx.
    path: 'evidence', label: 'Evidence', icon: IconFileCheck, emptyTitle: 'No evidence yet',
    emptyText: 'Evidence collected for your controls, with who supplied it and when it goes stale, will appear here.',
  },
  {
    path: 'audits', label: 'Audits', icon: IconShieldCheck, emptyTitle: 'No audits yet',
    emptyText: 'Audits you run with your auditors, their requests and the evidence you share, will appear here.',
  },
  {
    // Shipped: router.tsx routes this area to pages/trust-hub/TrustHubPage.tsx (the texts are unused there).
    path: 'trust-hub', label: 'Trust Hub', icon: IconWorld, emptyTitle: 'Your Trust Hub is not published',
    emptyText: 'The public page where customers see your security posture and request documents will be managed here.',
  },
  {
    // Shipped: router.tsx routes this area to pages/vendors/VendorsPage.tsx (the texts are unused there).
    path: 'vendors', label: 'Vendors', icon: IconBuildingStore, emptyTitle: 'No vendors yet',
    emptyText: 'Vendors you depend on, their risk ratings and review dates, will appear here.',
  },
];
