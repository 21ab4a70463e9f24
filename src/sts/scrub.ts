/**
 * Keeps what STS echoes from leaking the caller's keys. STS messages are redacted of every form of each
 * secret this library knows how to spell (raw, percent-encoded, JSON-escaped, base64 at any alignment, hex);
 * if any trace is still found after that (a piece of a secret in any of those encodings, or nested in one
 * another), the whole text is withheld rather than trusted.
 */

const REDACTED = '[redacted]';
/** A piece of a secret this long (or the whole secret, when shorter) counts as a leak. */
const FRAGMENT_LENGTH = 8;
const MAX_MESSAGE_LENGTH = 500;
/**
 * Longer texts are cut before they are examined (the work grows with the length; only 500 characters are
 * shown): a secret cut in two still leaves a piece that is found.
 */
const MAX_EXAMINED_LENGTH = 1024;
const CONTROL = /[\p{Cc}\u2028\u2029]/gu;

/** `text` without any trace of `secrets`, control characters replaced, cut to 500 characters; or undefined. */
export function scrubMessage(text: string, secrets: readonly string[]): string | undefined {
  let clean = text.slice(0, MAX_EXAMINED_LENGTH);
  const forms = secrets.flatMap(encodedForms).sort((a, b) => b.length - a.length);
  for (const form of forms) clean = clean.split(form).join(REDACTED);
  if (hasTrace(clean, secrets)) return undefined;
  clean = clean.replace(CONTROL, ' ');
  return clean.length > MAX_MESSAGE_LENGTH ? `${clean.slice(0, MAX_MESSAGE_LENGTH - 3)}...` : clean;
}

/** A short identifier from STS (error code, request id): kept only if it has the expected shape and no trace. */
export function scrubIdentifier(value: unknown, secrets: readonly string[]): string | undefined {
  return typeof value === 'string' && /^[A-Za-z0-9._:-]{1,128}$/.test(value) && !hasTrace(value, secrets)
    ? value
    : undefined;
}

/** Whether any decoding of `text` holds a piece of a secret. */
export function hasTrace(text: string, secrets: readonly string[]): boolean {
  const byLength = new Map<number, Set<string>>();
  for (const secret of secrets) {
    const length = Math.min(FRAGMENT_LENGTH, secret.length);
    if (length === 0) continue;
    const pieces = byLength.get(length) ?? new Set<string>();
    byLength.set(length, pieces);
    for (let i = 0; i + length <= secret.length; i++) pieces.add(secret.slice(i, i + length));
  }
  if (byLength.size === 0) return false;
  for (const variant of decodings(text)) {
    for (const [length, pieces] of byLength) {
      for (let i = 0; i + length <= variant.length; i++) {
        if (pieces.has(variant.slice(i, i + length))) return true;
      }
    }
  }
  return false;
}

/** The spellings of a secret that are replaced in place. */
function encodedForms(secret: string): string[] {
  if (secret === '') return [];
  const percent = [
    encodeURIComponent(secret),
    rfc3986(secret),
    encodeURIComponent(secret).replace(/%20/g, '+'),
  ];
  const bytes = utf8(secret);
  const forms = [
    secret,
    ...percent,
    ...percent.map((form) => form.replace(/%[0-9A-F]{2}/g, (hexEscape) => hexEscape.toLowerCase())),
    JSON.stringify(secret).slice(1, -1),
    JSON.stringify(secret)
      .slice(1, -1)
      .replace(/[^\u0020-\u007e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`),
    hex(bytes),
    hex(bytes).toUpperCase(),
  ];
  // Inside a longer base64 text the secret starts at one of three byte offsets: what those three encodings
  // share with every such text is the run of characters that depend on the secret's bytes alone.
  for (let shift = 0; shift < 3; shift++) {
    const encoded = base64(new Uint8Array([...new Uint8Array(shift), ...bytes]));
    const core = encoded.slice(shift === 0 ? 0 : 4, Math.floor((shift + bytes.length) / 3) * 4);
    if (core.length >= FRAGMENT_LENGTH) forms.push(core, core.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return [...new Set(forms)];
}

/** The text, and what it becomes when percent-decoded, JSON-unescaped (and both, twice), and base64 or hex runs decoded. */
function decodings(text: string): string[] {
  const variants = new Set([text]);
  for (let round = 0; round < 2; round++) {
    for (const variant of [...variants]) {
      variants.add(percentDecode(variant));
      variants.add(percentDecode(variant.replace(/\+/g, ' ')));
      variants.add(jsonUnescape(variant));
    }
  }
  for (const variant of [...variants]) {
    for (const run of variant.match(/[A-Za-z0-9+/_-]{4,}/g) ?? []) {
      const standard = run.replace(/-/g, '+').replace(/_/g, '/');
      for (let offset = 0; offset < 4; offset++) addBytes(variants, fromBase64(standard.slice(offset)));
    }
    for (const run of variant.match(/[0-9a-f]{4,}/gi) ?? []) {
      for (let offset = 0; offset < 2; offset++) {
        const pairs = run.slice(offset).match(/../g) ?? [];
        addBytes(variants, new Uint8Array(pairs.map((pair) => Number.parseInt(pair, 16))));
      }
    }
  }
  return [...variants];
}

function addBytes(variants: Set<string>, bytes: Uint8Array): void {
  variants.add(new TextDecoder().decode(bytes));
  variants.add(String.fromCharCode(...bytes));
}

function percentDecode(text: string): string {
  return text.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      return String.fromCharCode(
        ...(run.match(/[0-9A-Fa-f]{2}/g) ?? []).map((pair) => Number.parseInt(pair, 16)),
      );
    }
  });
}

function jsonUnescape(text: string): string {
  const simple: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
  return text.replace(/\\(u[0-9A-Fa-f]{4}|.)/g, (_, escaped: string) =>
    escaped.length === 5
      ? String.fromCharCode(Number.parseInt(escaped.slice(1), 16))
      : (simple[escaped] ?? escaped),
  );
}

function rfc3986(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

function base64(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes));
}

/** Lenient: a last group of two or three characters gives its bytes, as it would with its padding. */
function fromBase64(text: string): Uint8Array {
  const whole = text.length % 4 === 1 ? text.slice(0, -1) : text;
  try {
    return Uint8Array.from(atob(whole.padEnd(Math.ceil(whole.length / 4) * 4, '=')), (c) => c.charCodeAt(0));
  } catch {
    return new Uint8Array();
  }
}
