// Types of fake-sts.mjs, for the TypeScript tests.
import type { IncomingHttpHeaders } from 'node:http';

/** A reply written by a test: a JSON body (object or raw text) with a status; undefined leaves the request hanging. */
export interface FakeReply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface FakeRequestView {
  params: Record<string, string>;
  headers: IncomingHttpHeaders;
  requestId: string;
  /** STS's clock (the fake's clock plus `clockOffsetSeconds`). */
  stsNow: Date;
}

/** How the server answers one correctly signed request. */
export type Behaviour =
  | 'issue'
  /** Credentials whose Expiration is already past on STS's clock. */
  | 'expired'
  | 'server-error'
  | 'throttle'
  | 'hang'
  | 'malformed'
  | 'no-credentials'
  /** A 403 whose message quotes the caller's security token (STS does not do this; the provider must cope). */
  | 'quote-token'
  /** A reply written by the test, possibly later (a promise). */
  | ((request: FakeRequestView) => FakeReply | undefined | Promise<FakeReply | undefined>)
  /** `reply`, once `after` settles: holds a request in flight for as long as a test needs. */
  | { after: Promise<unknown>; reply: Behaviour };

export interface FakeStsOptions {
  /** Access key id -> secret (and, for role chaining, the token that must come with it). */
  accessKeys: Record<string, { secret: string; securityToken?: string }>;
  roleArn: string;
  /** The clock STS's clock is derived from; default the real one. */
  clock?: () => Date;
}

export interface ReceivedRequest {
  params: Record<string, string>;
  /** 'ok' when the signature and parameters held, else the STS error code sent. */
  verdict: string;
  behaviour?: Behaviour;
  /** The request id in the answer. */
  requestId: string;
}

export interface IssuedByFake {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken: string;
  /** As STS writes it: whole seconds, `2015-04-09T11:52:19Z`. */
  expiration: string;
}

export interface FakeSts {
  /** `'http://127.0.0.1:PORT'`, the provider's `endpoint`. */
  url: string;
  requests: ReceivedRequest[];
  issued: IssuedByFake[];
  /** Behaviours for the next requests, in order; once used up, requests get `fallback`. */
  script(...behaviours: Behaviour[]): void;
  fallback: Behaviour;
  /** STS's clock minus the fake's clock, in seconds (positive: STS ahead). */
  clockOffsetSeconds: number;
  /** Lifetime of issued credentials in seconds; default the DurationSeconds asked for. */
  grantSeconds: number | undefined;
  /** Whether answers carry a Date header (STS's clock); default true. */
  sendDate: boolean;
  stsNow(): Date;
  close(): Promise<void>;
}

export declare function startFakeSts(options: FakeStsOptions): Promise<FakeSts>;
