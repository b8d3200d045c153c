import { z } from 'zod';
import type { CheckPlugin } from './check-plugin.ts';
import { commandCheck } from './command.check.ts';
import { fileCheck } from './file.check.ts';
import { httpCheck } from './http.check.ts';
import { logfileCheck } from './logfile.check.ts';
import { postgresCheck } from './postgres.check.ts';

/** The built-in check types, in the order the UI offers them. */
export const builtInPlugins = [httpCheck, postgresCheck, fileCheck, commandCheck, logfileCheck] as const;

export type CheckType = (typeof builtInPlugins)[number]['type'];
export const checkTypes = builtInPlugins.map((p) => p.type) as [CheckType, ...CheckType[]];
export const checkTypeSchema = z.enum(checkTypes);

const byType: ReadonlyMap<string, CheckPlugin> = new Map<string, CheckPlugin>(builtInPlugins.map((p) => [p.type, p]));

export function getPlugin(type: string): CheckPlugin | undefined {
  return byType.get(type);
}

/** A check's type and its settings, as the API accepts them: `{ type: 'http', config: { url, … } }`. */
export const checkDefinitionSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal(httpCheck.type), config: httpCheck.config }),
  z.object({ type: z.literal(postgresCheck.type), config: postgresCheck.config }),
  z.object({ type: z.literal(fileCheck.type), config: fileCheck.config }),
  z.object({ type: z.literal(commandCheck.type), config: commandCheck.config }),
  z.object({ type: z.literal(logfileCheck.type), config: logfileCheck.config }),
]);
export type CheckDefinition = z.output<typeof checkDefinitionSchema>;

/** What the UI needs to offer the check types (the config's JSON Schema drives the form). */
export function describePlugins() {
  return builtInPlugins.map((p) => ({
    type: p.type,
    title: p.title,
    description: p.description,
    secretFields: p.secretFields,
    configSchema: z.toJSONSchema(p.config as z.ZodType, { io: 'input', unrepresentable: 'any' }),
  }));
}
