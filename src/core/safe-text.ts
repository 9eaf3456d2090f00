/**
 * Text that came from outside (a cell, a file read as a scenario, a flag) made safe to print in
 * a one-line message: control characters, the replacement character of undecodable bytes and other
 * non-printables are escaped (`\u0000`), never written raw to a terminal, and long input is cut to
 * its start with the number of characters left out, so a CSV passed as a scenario is not repeated
 * whole in the error.
 */

/** Longest quoted input shown in a message, characters. */
export const MAX_QUOTED_INPUT = 60;
/** Longest message the CLI prints, characters (the rest is counted, not shown). */
export const MAX_MESSAGE = 4000;

// C0 and C1 controls (but tab and newline), DEL, U+FFFD (undecodable bytes), lone surrogates,
// bidi overrides and zero-width characters that would reorder or hide text on a terminal.
const UNSAFE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\ufffd\u200b-\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]/g;

const escapeChar = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/**
 * Escapes what a terminal must not see raw (tabs and newlines kept) and cuts text beyond `max`.
 * @example printable('a\u0007b') // 'a\\u0007b'
 */
export function printable(text: string, max = MAX_MESSAGE): string {
  const cut = text.length > max ? text.slice(0, max) : text;
  const safe = cut.replace(UNSAFE, escapeChar);
  return text.length > max
    ? `${safe}… (${(text.length - max).toLocaleString('en-US')} more characters)`
    : safe;
}

/**
 * A received string quoted for a message: JSON quotes, escapes, at most `max` characters shown.
 * @example quoteInput('date,DAX\n1991-07-01,1628.75', 8) // '"date,DAX"… (17 more characters)'
 */
export function quoteInput(s: string, max = MAX_QUOTED_INPUT): string {
  const head = s.length > max ? s.slice(0, max) : s;
  const q = JSON.stringify(head).replace(UNSAFE, escapeChar);
  return s.length > max ? `${q}… (${(s.length - max).toLocaleString('en-US')} more characters)` : q;
}

/** Most issues listed in one message; the rest are counted (the full list stays in the error's data). */
export const MAX_LISTED_ISSUES = 10;

/**
 * Joins message lines with `; `, listing the first {@link MAX_LISTED_ISSUES} and counting the rest.
 * @example joinIssues(['a', 'b'], 1) // 'a; … and 1 more issue (2 in all)'
 */
export function joinIssues(lines: readonly string[], max = MAX_LISTED_ISSUES): string {
  if (lines.length <= max) return lines.join('; ');
  const more = lines.length - max;
  return `${lines.slice(0, max).join('; ')}; … and ${more.toLocaleString('en-US')} more issue${more === 1 ? '' : 's'} (${lines.length.toLocaleString('en-US')} in all)`;
}
