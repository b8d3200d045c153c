/** Who did something, for the security log. The CLI acts as a named local operator. */
export type Actor = { userId: string | null; email: string | null; ip: string | null };

export const cliActor: Actor = { userId: null, email: 'cli', ip: null };
