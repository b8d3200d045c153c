import { isApiError } from '../api/client.ts';
import { notifyError } from './notify.ts';

/**
 * Shows a failed submission where the person is looking: field errors from the problem's
 * `errors` next to their inputs, anything else as a form-level message (or a toast if none).
 * Returns the form-level message, if any, for the caller to render.
 */
// Only what is needed of a Mantine form (its exported type does not resolve under nodenext).
type ErrorTarget = { getValues(): object; setErrors(errors: Record<string, string>): void };

export function applyServerErrors(
  form: ErrorTarget,
  error: unknown,
  options: { toast?: boolean } = {},
): string | null {
  if (isApiError(error) && error.errors?.length) {
    const known = new Set(Object.keys(form.getValues()));
    const fieldErrors: Record<string, string> = {};
    const unmatched: string[] = [];
    for (const fe of error.errors) {
      // Servers may prefix body fields ("body.email"); match on the last segment the form knows.
      const field = fe.path.split('.').filter((p) => known.has(p)).pop();
      if (field) fieldErrors[field] = fe.message;
      else unmatched.push(fe.message);
    }
    form.setErrors(fieldErrors);
    if (unmatched.length === 0) return null;
  }
  if (options.toast) {
    notifyError(error);
    return null;
  }
  return isApiError(error) ? error.detail : error instanceof Error ? error.message : 'Something went wrong.';
}

export const passwordRule = (value: string) =>
  value.length >= 12 ? null : 'Use at least 12 characters';

export const emailRule = (value: string) =>
  /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value.trim()) ? null : 'Enter a valid email address';

export const requiredRule = (label: string) => (value: string) => (value.trim() ? null : `${label} is required`);
