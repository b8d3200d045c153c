import { Tabs } from '@mantine/core';
import { useState } from 'react';
import { PageHeader } from '../../components/PageHeader.tsx';
import { canAdminister } from '../../lib/roles.ts';
import { useRequiredOrg } from '../../lib/session.tsx';
import { DocumentsTab } from './DocumentsTab.tsx';
import { DownloadsTab } from './DownloadsTab.tsx';
import { GrantsTab } from './GrantsTab.tsx';
import { NdaTab } from './NdaTab.tsx';
import { RulesTab } from './RulesTab.tsx';

/**
 * Documents the Trust Hub publishes (public, gated under NDA, or private), the NDA visitors
 * accept, the queue of access requests and grants, auto-approval rules and the download log.
 */
export function TrustDocumentsPage() {
  const org = useRequiredOrg();
  const isAdmin = canAdminister(org.role);
  const [tab, setTab] = useState<string | null>('documents');
  return (
    <>
      <PageHeader
        title="Trust Hub documents"
        description="Public documents download as they are; gated ones need an approved request and come watermarked for the recipient."
      />
      <Tabs value={tab} onChange={setTab} keepMounted={false}>
        <Tabs.List mb="md">
          <Tabs.Tab value="documents">Documents</Tabs.Tab>
          {isAdmin && <Tabs.Tab value="grants">Requests and grants</Tabs.Tab>}
          <Tabs.Tab value="nda">NDA</Tabs.Tab>
          {isAdmin && <Tabs.Tab value="rules">Rules and customers</Tabs.Tab>}
          {isAdmin && <Tabs.Tab value="downloads">Download log</Tabs.Tab>}
        </Tabs.List>
        <Tabs.Panel value="documents"><DocumentsTab orgId={org.orgId} isAdmin={isAdmin} /></Tabs.Panel>
        {isAdmin && <Tabs.Panel value="grants"><GrantsTab orgId={org.orgId} /></Tabs.Panel>}
        <Tabs.Panel value="nda"><NdaTab orgId={org.orgId} isAdmin={isAdmin} /></Tabs.Panel>
        {isAdmin && <Tabs.Panel value="rules"><RulesTab orgId={org.orgId} /></Tabs.Panel>}
        {isAdmin && <Tabs.Panel value="downloads"><DownloadsTab orgId={org.orgId} /></Tabs.Panel>}
      </Tabs>
    </>
  );
}
