/**
 * POST policies against ali-oss: V1 `calculatePostSignature` and V4 `signPostObjectPolicyV4`, on random
 * policy documents given as objects or as their JSON.stringify text. ali-oss re-serialises a string policy
 * (JSON.stringify(JSON.parse(s))) where this library signs its bytes as given (DESIGN.md), so any other
 * text is checked against a signature computed with node:crypto instead.
 */
import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PolicyCondition, PostPolicyDocument } from '../../src/index.js';
import { signPostPolicy } from '../../src/index.js';
import { credentialsArb, nowArb, queryValueArb, regionArb } from '../support/arbitraries.js';
import { aliOssClient } from './ali-oss.js';
import { isoBasic, showWholeValuesInAssertions } from './support.js';
import { signingKeyByHand } from './v4.js';

const SEED = 20250106;
showWholeValuesInAssertions();

const V4_FIELDS = ['x-oss-signature-version', 'x-oss-credential', 'x-oss-date', 'x-oss-security-token'];

const fieldArb = fc
  .oneof(
    fc.constantFrom(
      'key',
      'bucket',
      'success_action_status',
      'success_action_redirect',
      'Content-Type',
      'x-oss-object-acl',
    ),
    fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,12}$/).map((name) => `x-oss-meta-${name}`),
    fc.stringMatching(/^[A-Za-z0-9_-]{1,12}$/),
  )
  .filter((field) => !V4_FIELDS.includes(field.toLowerCase()));

const conditionArb: fc.Arbitrary<PolicyCondition> = fc.oneof(
  fc.tuple(
    fc.constant('eq' as const),
    fieldArb.map((f) => `$${f}` as const),
    queryValueArb,
  ),
  fc.tuple(
    fc.constant('starts-with' as const),
    fieldArb.map((f) => `$${f}` as const),
    queryValueArb,
  ),
  fc.tuple(
    fc.constantFrom('in' as const, 'not-in' as const),
    fc.constant('$content-type' as const),
    fc.array(queryValueArb, { maxLength: 3 }),
  ),
  fc
    .tuple(fc.nat({ max: 1_000_000 }), fc.nat({ max: 5_000_000_000 }))
    .map(([min, extra]) => ['content-length-range', min, min + extra] as const),
  fc.tuple(fieldArb, queryValueArb).map(([field, value]) => ({ [field]: value })),
);

/** Documents in either key order: the signature covers the text JSON.stringify makes of them. */
const documentArb: fc.Arbitrary<PostPolicyDocument> = fc
  .record({
    expiration: fc.date({ min: new Date('2015-01-01'), max: new Date('2040-01-01'), noInvalidDate: true }),
    conditions: fc.array(conditionArb, { maxLength: 6 }),
    expirationFirst: fc.boolean(),
  })
  .map(({ expiration, conditions, expirationFirst }) =>
    expirationFirst
      ? { expiration: expiration.toISOString(), conditions }
      : ({ conditions, expiration: expiration.toISOString() } as PostPolicyDocument),
  );

const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

describe('V1 POST policy vs ali-oss calculatePostSignature', () => {
  it('gives the same policy, OSSAccessKeyId and Signature', () => {
    fc.assert(
      fc.property(documentArb, credentialsArb, fc.boolean(), (document, credentials, asText) => {
        const policy = asText ? JSON.stringify(document) : document;
        const ours = signPostPolicy(policy, { credentials, signatureVersion: 'v1' });
        const client = aliOssClient({ credentials, bucket: 'examplebucket', region: 'oss-cn-hangzhou' });
        const theirs = client.calculatePostSignature(policy);
        expect(ours.policy).toBe(theirs.policy);
        expect(ours.fields).toEqual({
          OSSAccessKeyId: theirs.OSSAccessKeyId,
          policy: theirs.policy,
          Signature: theirs.Signature,
          ...(credentials.securityToken !== undefined && {
            'x-oss-security-token': credentials.securityToken,
          }),
        });
      }),
      { seed: SEED, numRuns: 300 },
    );
  });
});

/** A V4 document with the conditions OSS requires, each at a random place, as `{ f: v }` or `eq`. */
const v4Input = fc
  .record({
    document: documentArb,
    credentials: credentialsArb,
    region: regionArb,
    regionWithPrefix: fc.boolean(),
    now: nowArb(),
    asText: fc.boolean(),
    placements: fc.array(fc.record({ at: fc.nat(), eqForm: fc.boolean() }), { minLength: 4, maxLength: 4 }),
  })
  .map((i) => {
    const required: Record<string, string> = {
      'x-oss-signature-version': 'OSS4-HMAC-SHA256',
      'x-oss-credential': `${i.credentials.accessKeyId}/${isoBasic(i.now).slice(0, 8)}/${i.region}/oss/aliyun_v4_request`,
      'x-oss-date': isoBasic(i.now),
      ...(i.credentials.securityToken !== undefined && {
        'x-oss-security-token': i.credentials.securityToken,
      }),
    };
    const conditions = [...i.document.conditions];
    Object.entries(required).forEach(([field, value], n) => {
      const { at, eqForm } = i.placements[n] ?? { at: 0, eqForm: false };
      const condition: PolicyCondition = eqForm ? ['eq', `$${field}`, value] : { [field]: value };
      conditions.splice(at % (conditions.length + 1), 0, condition);
    });
    return { ...i, document: { ...i.document, conditions }, required };
  });

describe('V4 POST policy vs ali-oss signPostObjectPolicyV4', () => {
  it('gives the same signature, with the credential and date fields the policy pins', () => {
    fc.assert(
      fc.property(v4Input, (i) => {
        const text = JSON.stringify(i.document);
        const ours = signPostPolicy(i.asText ? text : i.document, {
          credentials: i.credentials,
          signatureVersion: 'v4',
          region: i.regionWithPrefix ? `oss-${i.region}` : i.region,
          now: i.now,
        });
        const client = aliOssClient({
          credentials: i.credentials,
          bucket: 'examplebucket',
          region: `oss-${i.region}`,
        });
        expect(ours.policy).toBe(base64(text));
        expect(ours.fields).toEqual({
          ...i.required,
          policy: base64(text),
          'x-oss-signature': client.signPostObjectPolicyV4(i.asText ? text : i.document, i.now),
        });
      }),
      { seed: SEED, numRuns: 300 },
    );
  });
});

describe('a policy given as text is signed byte for byte, where ali-oss re-serialises it', () => {
  const textInput = fc.record({
    document: documentArb,
    credentials: credentialsArb,
    indent: fc.constantFrom<string | number>(1, 2, 4, '\t'),
  });

  it('V1: Signature is HMAC-SHA1 of the base64 of the exact text', () => {
    fc.assert(
      fc.property(textInput, ({ document, credentials, indent }) => {
        const text = JSON.stringify(document, null, indent);
        const ours = signPostPolicy(text, { credentials, signatureVersion: 'v1' });
        const signature = createHmac('sha1', credentials.accessKeySecret)
          .update(base64(text))
          .digest('base64');
        expect(ours.policy).toBe(base64(text));
        expect(ours.fields.Signature).toBe(signature);

        const client = aliOssClient({ credentials, bucket: 'examplebucket', region: 'oss-cn-hangzhou' });
        expect(client.calculatePostSignature(text).policy).toBe(base64(JSON.stringify(document)));
      }),
      { seed: SEED, numRuns: 100 },
    );
  });

  it('V4: x-oss-signature is HMAC-SHA256 of the base64 of the exact text', () => {
    const credentials = { accessKeyId: 'LTAI5tExampleKeyId', accessKeySecret: 'exampleSecret' };
    const now = new Date('2025-01-15T08:30:00Z');
    const text = `{
  "expiration": "2025-01-15T09:30:00.000Z",
  "conditions": [
    {"x-oss-signature-version": "OSS4-HMAC-SHA256"},
    {"x-oss-credential": "LTAI5tExampleKeyId/20250115/cn-hangzhou/oss/aliyun_v4_request"},
    {"x-oss-date": "20250115T083000Z"},
    ["content-length-range", 1, 1000000]
  ]
}`;
    const key = signingKeyByHand(credentials.accessKeySecret, '20250115', 'cn-hangzhou');
    const signature = createHmac('sha256', key).update(base64(text)).digest('hex');
    const ours = signPostPolicy(text, { credentials, signatureVersion: 'v4', region: 'cn-hangzhou', now });
    expect(ours.fields['x-oss-signature']).toBe(signature);

    const client = aliOssClient({ credentials, bucket: 'examplebucket', region: 'oss-cn-hangzhou' });
    const compact = JSON.stringify(JSON.parse(text));
    expect(client.signPostObjectPolicyV4(text, now)).toBe(
      createHmac('sha256', key).update(base64(compact)).digest('hex'),
    );
  });
});
