import { generateSecret, generateURI, verifySync } from 'otplib';
import QRCode from 'qrcode';
import crypto from 'node:crypto';

const PERIOD = 30;

export function newTotpSecret(): string {
  return generateSecret();
}

export async function totpEnrolment(secret: string, account: string) {
  const otpauthUrl = generateURI({ issuer: 'Attest', label: account, secret });
  return { secret, otpauthUrl, qrDataUrl: await QRCode.toDataURL(otpauthUrl) };
}

/** Returns the matched time step (for replay protection) or null. One step of clock drift is allowed. */
export function matchTotp(secret: string, code: string): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const result = verifySync({ secret, token: code, epochTolerance: PERIOD });
  // The functional API types HOTP and TOTP results together; a TOTP match always carries timeStep.
  return result.valid && 'timeStep' in result ? result.timeStep : null;
}

export function newRecoveryCodes(count = 10): string[] {
  // 10 characters from an alphabet without look-alikes, grouped for reading aloud: about 50 bits each.
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
  return Array.from({ length: count }, () => {
    const chars = Array.from({ length: 10 }, () => alphabet[crypto.randomInt(alphabet.length)]).join('');
    return `${chars.slice(0, 5)}-${chars.slice(5)}`;
  });
}

export function normaliseRecoveryCode(code: string): string {
  return code.trim().toLowerCase().replace(/\s+/g, '');
}
