import { ActionIcon, Badge, Group, Select, Stack, Text, Tooltip } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconX } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { controlsApi } from '../../api/endpoints.ts';
import type { RequirementOption, RequirementRef } from '../../api/types.ts';

const keyOf = (r: RequirementRef) => `${r.framework}:${r.id}`;

/**
 * The requirement mapping editor: pick a framework, search its requirements by id or title, and
 * add them; the chosen links show as removable chips grouped by framework.
 */
export function RequirementMapping({ orgId, value, onChange, frameworks, readOnly }: {
  orgId: string; value: RequirementRef[]; onChange: (next: RequirementRef[]) => void;
  frameworks: { id: string; name: string }[]; readOnly?: boolean;
}) {
  const [framework, setFramework] = useState<string | null>(frameworks[0]?.id ?? null);
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search, 200);
  const [options, setOptions] = useState<RequirementOption[]>([]);

  const [picked, setPicked] = useState(false);
  // Until the person picks one, start on the framework the control already maps to.
  const suggested = value[0]?.framework ?? frameworks[0]?.id ?? null;
  useEffect(() => {
    if (!picked && suggested && suggested !== framework) setFramework(suggested);
  }, [picked, suggested, framework]);
  useEffect(() => {
    if (!framework) return;
    let live = true;
    controlsApi.requirementOptions(orgId, framework, debounced).then((r) => { if (live) setOptions(r.items); }, () => { if (live) setOptions([]); });
    return () => { live = false; };
  }, [orgId, framework, debounced]);

  const chosen = new Set(value.map(keyOf));
  const add = (id: string | null) => {
    if (!id || !framework) return;
    const ref = { framework, id };
    if (!chosen.has(keyOf(ref))) onChange([...value, ref]);
    setSearch('');
  };
  const byFramework = [...new Set(value.map((r) => r.framework))].sort();

  return (
    <Stack gap="xs">
      {!readOnly && (
        <Group grow align="flex-end" gap="xs">
          <Select
            label="Framework" data={frameworks.map((f) => ({ value: f.id, label: f.name }))} value={framework}
            onChange={(f) => { setPicked(true); setFramework(f); }} allowDeselect={false} searchable comboboxProps={{ withinPortal: true }}
          />
          <Select
            label="Add requirement" placeholder="Search id or title" searchable data={options.filter((o) => !chosen.has(keyOf(o))).map((o) => ({ value: o.id, label: `${o.id} — ${o.title}` }))}
            searchValue={search} onSearchChange={setSearch} value={null} onChange={add} filter={({ options: o }) => o}
            nothingFoundMessage={framework ? 'No matching requirement' : 'Pick a framework first'} comboboxProps={{ withinPortal: true }}
          />
        </Group>
      )}
      {value.length === 0 ? <Text size="sm" c="dimmed">Not mapped to any requirement yet.</Text> : byFramework.map((f) => (
        <Stack key={f} gap={4}>
          <Text size="xs" fw={600} c="dimmed">{frameworks.find((x) => x.id === f)?.name ?? f}</Text>
          <Group gap={6}>
            {value.filter((r) => r.framework === f).map((r) => (
              <Badge key={keyOf(r)} variant="light" size="lg" tt="none" data-testid="mapped-requirement"
                rightSection={readOnly ? null : (
                  <Tooltip label="Remove" withArrow>
                    <ActionIcon size="xs" variant="transparent" aria-label={`Remove ${keyOf(r)}`} onClick={() => onChange(value.filter((x) => keyOf(x) !== keyOf(r)))}>
                      <IconX size={12} />
                    </ActionIcon>
                  </Tooltip>
                )}>
                {r.id}
              </Badge>
            ))}
          </Group>
        </Stack>
      ))}
    </Stack>
  );
}
