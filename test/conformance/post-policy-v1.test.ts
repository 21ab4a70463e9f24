import { describe, expect, it } from 'vitest';
import { computeSignatureV1, signPostPolicy } from '../../src/index.js';
import { credentialsOf, vectorsOfKind } from './vectors.js';

describe('postobject-v1 vectors (signPostPolicy)', () => {
  const vectors = vectorsOfKind('postobject-v1');
  let ran = 0;

  for (const vector of vectors) {
    it(vector.id, () => {
      ran++;
      const { input, expected } = vector;
      // A string policy is signed as given: its exact bytes (Java's '\/' escapes included) decide the signature.
      const signed = signPostPolicy(input.policy, {
        credentials: credentialsOf(input),
        signatureVersion: 'v1',
      });

      expect(signed.policy).toBe(expected.policy_base64);
      expect(signed.fields).toEqual({
        OSSAccessKeyId: input.access_key_id,
        policy: expected.policy_base64,
        Signature: expected.signature,
      });
      expect(computeSignatureV1(expected.policy_base64, { accessKeySecret: input.access_key_secret })).toBe(
        expected.signature,
      );
    });
  }

  it('ran every postobject-v1 vector in the file', () => {
    expect(vectors.length).toBeGreaterThan(0);
    expect(ran).toBe(vectors.length);
  });
});
