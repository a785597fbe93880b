import { App, Stack, aws_ecr as ecr, aws_kms as kms } from 'aws-cdk-lib';
import { RegistryBaseline } from '../../src/baseline/registry-baseline';
import { SHARED_KEY_ID, baselineEncryptionKey } from '../../src/private/shared-key';

describe('baselineEncryptionKey', () => {
  const stack = () => new Stack(new App(), 'S', { env: { account: '111111111111', region: 'us-east-1' } });

  test('the baseline key when it names one', () => {
    const s = stack();
    const key = new kms.Key(s, 'Key');
    expect(baselineEncryptionKey(s, new RegistryBaseline({ encryptionKey: key })._resolve())).toBe(key);
    expect(s.node.tryFindChild(SHARED_KEY_ID)).toBeUndefined();
  });

  test("else the stack's one shared key", () => {
    const s = stack();
    const first = baselineEncryptionKey(s, new RegistryBaseline()._resolve());
    const second = baselineEncryptionKey(s, new RegistryBaseline()._resolve());
    expect(first).toBe(s.node.tryFindChild(SHARED_KEY_ID));
    expect(second).toBe(first);
  });

  test('none with AES256', () => {
    const s = stack();
    const settings = new RegistryBaseline({ encryption: ecr.RepositoryEncryption.AES_256 })._resolve();
    expect(baselineEncryptionKey(s, settings)).toBeUndefined();
    expect(s.node.tryFindChild(SHARED_KEY_ID)).toBeUndefined();
  });
});
