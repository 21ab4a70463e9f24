/** `20231216T162057Z`: the V4 `x-oss-date` form. */
export function toIsoBasic(date: Date): string {
  const iso = date.toISOString();
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
}

/** `Sat, 16 Dec 2023 16:20:57 GMT`: the HTTP `Date` form, which V1 signs. */
export function toHttpDate(date: Date): string {
  return date.toUTCString();
}

/** Whole seconds since the epoch: signatures carry no milliseconds. */
export function toUnixSeconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}
