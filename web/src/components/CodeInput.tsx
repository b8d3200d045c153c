import { TextInput, type TextInputProps } from '@mantine/core';

/**
 * A 6-digit one-time code as one input (not six boxes): password managers, phone autofill,
 * paste and screen readers all handle a single field best.
 */
export function CodeInput(props: TextInputProps) {
  return (
    <TextInput
      inputMode="numeric"
      autoComplete="one-time-code"
      pattern="[0-9]*"
      placeholder="123456"
      autoFocus
      styles={{ input: { letterSpacing: '0.35em', fontVariantNumeric: 'tabular-nums', fontSize: 'var(--mantine-font-size-lg)' } }}
      {...props}
      onChange={(e) => {
        // Authenticator apps often show "123 456"; keep digits only.
        e.currentTarget.value = e.currentTarget.value.replace(/\D/g, '').slice(0, 6);
        props.onChange?.(e);
      }}
    />
  );
}
