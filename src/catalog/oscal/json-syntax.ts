/**
 * Finds where JSON text stops being valid. V8's JSON.parse messages only sometimes carry a
 * position ("Unexpected token '}', ... is not valid JSON" does not), and users need a line and
 * column for a broken multi-megabyte catalog, so on a parse failure we re-scan the text with this
 * small validating scanner. It is only run after JSON.parse failed, so speed does not matter.
 */
export type JsonSyntaxFault = { offset: number; message: string };

export function findJsonSyntaxFault(text: string): JsonSyntaxFault | undefined {
  let i = 0;
  const fail = (message: string): never => {
    throw { offset: i, message } satisfies JsonSyntaxFault;
  };
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i] as string)) i++;
  };
  const expect = (word: string) => {
    if (text.startsWith(word, i)) i += word.length;
    else fail(`Expected "${word}".`);
  };
  const str = () => {
    i++;
    while (i < text.length) {
      const c = text[i];
      if (c === '"') return void i++;
      if (c === '\\') {
        const e = text[i + 1] ?? '';
        if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) i += 6;
        else if ('"\\/bfnrt'.includes(e) && e !== '') i += 2;
        else fail('Invalid escape in string.');
      } else if ((c as string).charCodeAt(0) < 0x20) fail('Unescaped control character in string.');
      else i++;
    }
    fail('Unterminated string.');
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') return void i++;
      for (;;) {
        ws();
        if (text[i] !== '"') fail('Expected a property name in double quotes.');
        str();
        ws();
        if (text[i] !== ':') fail('Expected ":" after the property name.');
        i++;
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') return void i++;
        else fail('Expected "," or "}".');
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') return void i++;
      for (;;) {
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') return void i++;
        else fail('Expected "," or "]".');
      }
    }
    if (c === '"') return void str();
    if (c === 't') return void expect('true');
    if (c === 'f') return void expect('false');
    if (c === 'n') return void expect('null');
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (m && m[0] !== '' && m[0] !== '-') {
      i += m[0].length;
      return;
    }
    fail(i >= text.length ? 'Unexpected end of input.' : `Unexpected character ${JSON.stringify(c)}.`);
  };
  try {
    value();
    ws();
    if (i < text.length) fail('Unexpected text after the JSON value.');
    return undefined;
  } catch (fault) {
    if (typeof fault === 'object' && fault !== null && 'offset' in fault) return fault as JsonSyntaxFault;
    throw fault;
  }
}
