import crypto from 'node:crypto';
import type { TestApp } from './app.ts';
import { hashPassword } from '../../src/lib/secrets.ts';
import type { Role } from '../../src/lib/roles.ts';
import { Agent } from './agent.ts';

export const PASSWORD = 'a perfectly long test password';
let hashed: Promise<string> | null = null;
// scrypt is deliberately slow; every factory user shares one precomputed hash of PASSWORD.
const passwordHash = () => (hashed ??= hashPassword(PASSWORD));

export const uniqueEmail = (label = 'user') => `${label}-${crypto.randomBytes(4).toString('hex')}@example.test`;

export async function newUser(t: TestApp, label = 'user') {
  return t.app.services.repos.accounts.insertUser({ email: uniqueEmail(label), name: label, passwordHash: await passwordHash() });
}

/** A fresh tenant with an owner, so tests never share state. */
export async function newOrg(t: TestApp, name = 'Org') {
  const owner = await newUser(t, 'owner');
  const org = await t.app.services.orgs.create(`${name} ${crypto.randomBytes(3).toString('hex')}`, owner.id, { userId: owner.id, email: owner.email, ip: null });
  return { org, owner };
}

export async function newMember(t: TestApp, orgId: string, role: Role) {
  const user = await newUser(t, role);
  await t.app.services.repos.orgs.addMember(orgId, user.id, role);
  return user;
}

export async function signIn(t: TestApp, email: string, password = PASSWORD): Promise<Agent> {
  const agent = new Agent(t.server);
  const res = await agent.post('/api/v1/auth/login', { email, password });
  if (res.statusCode !== 200 || res.json().status !== 'ok') throw new Error(`sign-in failed: ${res.statusCode} ${res.body}`);
  await agent.refreshCsrf();
  return agent;
}
