/**
 * The headers of a request being signed, each under the name it is sent with and its lower-case name,
 * in the order given. Arrays, not a Map or a record: a request has a handful of headers, and a caller's
 * header named `constructor` or `hasOwnProperty` must be just a header.
 */
export class RequestHeaders {
  readonly names: string[] = [];
  readonly lowerNames: string[] = [];
  readonly values: string[] = [];

  get(lowerName: string): string | undefined {
    const index = this.lowerNames.indexOf(lowerName);
    return index < 0 ? undefined : this.values[index];
  }

  /** Sets a header, replacing one of the same name in any case (the new spelling is kept). */
  set(name: string, value: string, lowerName = name.toLowerCase()): void {
    const index = this.lowerNames.indexOf(lowerName);
    if (index < 0) {
      this.names.push(name);
      this.lowerNames.push(lowerName);
      this.values.push(value);
    } else {
      this.names[index] = name;
      this.values[index] = value;
    }
  }

  delete(lowerName: string): void {
    const index = this.lowerNames.indexOf(lowerName);
    if (index < 0) return;
    this.names.splice(index, 1);
    this.lowerNames.splice(index, 1);
    this.values.splice(index, 1);
  }

  /** The headers as the client sends them. */
  toRecord(): Record<string, string> {
    const record: Record<string, string> = {};
    for (let i = 0; i < this.names.length; i++) record[this.names[i] as string] = this.values[i] as string;
    return record;
  }

  /** Received headers (lower-case names, as Node gives them). */
  static fromRecord(headers: Readonly<Record<string, string>>): RequestHeaders {
    const list = new RequestHeaders();
    for (const name of Object.keys(headers)) list.set(name, headers[name] as string, name);
    return list;
  }
}

/** Query parameters in the order given; `null` is a bare name, `''` is `name=`. */
export type QueryParams = readonly (readonly [name: string, value: string | null])[];
