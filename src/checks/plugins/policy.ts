import { constants } from 'node:fs';
import { access, realpath } from 'node:fs/promises';
import path from 'node:path';

/**
 * What the server's operator lets checks touch on the machine that runs them. Whoever can
 * configure a command check can run that program, and a file check can quote lines of any
 * file it may read: the checks service passes the operator's policy (from config.ts) to runCheck.
 * A field left undefined allows everything; an empty list allows nothing.
 */
export type CheckPolicy = {
  /** Directories (and files) under which file and log-file checks may read, after symlinks are resolved. */
  readablePaths?: readonly string[];
  /** Programs the command check may run, as absolute paths after symlinks are resolved. */
  commands?: readonly string[];
  /** Whether command checks may run /bin/sh scripts. */
  allowShell?: boolean;
};

/** Undefined when the policy allows reading the file, else why not. */
export async function refuseUnreadablePath(file: string, policy: CheckPolicy): Promise<string | undefined> {
  if (policy.readablePaths === undefined) return undefined;
  // A missing file resolves through its directory, so "must not exist" checks still work.
  const real = await realpath(file).catch(async () => path.join(await realpath(path.dirname(file)).catch(() => path.dirname(file)), path.basename(file)));
  for (const allowed of policy.readablePaths) {
    const root = await realpath(allowed).catch(() => path.resolve(allowed));
    if (real === root || real.startsWith(root.endsWith(path.sep) ? root : root + path.sep)) return undefined;
  }
  return `The check policy does not allow reading ${file}.`;
}

/** Undefined when the policy allows running the program, else why not. */
export async function refuseProgram(command: string, searchPath: string, shell: boolean, policy: CheckPolicy): Promise<string | undefined> {
  if (shell && policy.allowShell === false) return 'The check policy does not allow shell scripts.';
  if (policy.commands === undefined) return undefined;
  if (shell) return policy.commands.includes('/bin/sh') ? undefined : 'The check policy does not allow running /bin/sh.';
  const found = await locate(command, searchPath);
  if (!found) return `${command} was not found on the check's path.`;
  const real = await realpath(found);
  const allowed = await Promise.all(policy.commands.map((c) => realpath(c).catch(() => c)));
  return allowed.includes(real) ? undefined : `The check policy does not allow running ${command} (${real}).`;
}

async function locate(command: string, searchPath: string): Promise<string | undefined> {
  const candidates = command.includes('/') ? [path.resolve(command)] : searchPath.split(':').filter(Boolean).map((d) => path.join(d, command));
  for (const c of candidates) {
    if (await access(c, constants.X_OK).then(() => true, () => false)) return c;
  }
  return undefined;
}
