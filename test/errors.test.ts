import { RemovalPolicy, aws_ecr as ecr, aws_kms as kms } from 'aws-cdk-lib';
import { RegistryBaseline, SecureRegistryErrors, SecureRepository } from '../src';
import { agnosticStack, registryApp } from './helpers';
import { SecureRegistryError } from '../src/private/errors';

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
}

describe('SecureRegistryErrors', () => {
  test('recognises an error thrown for bad props, and reads its code', () => {
    // GIVEN
    const stack = agnosticStack(registryApp(), 'Stack');
    // WHEN
    const e = thrown(() => new SecureRepository(stack, 'Repo', { repositoryName: 'Not_A_Valid_Name' }));
    // THEN
    expect(SecureRegistryErrors.isSecureRegistryError(e)).toBe(true);
    expect(SecureRegistryErrors.codeOf(e)).toBe('InvalidRepositoryName');
    expect(SecureRegistryErrors.codesOf(e)).toEqual(['InvalidRepositoryName']);
    expect((e as Error).message).toMatch(/^\[Stack\/Repo\] InvalidRepositoryName: /);
  });

  test('an error that reports several problems carries every code, in order', () => {
    // GIVEN
    const stack = agnosticStack(registryApp(), 'Stack');
    // WHEN
    const e = thrown(() => new RegistryBaseline({
      encryption: ecr.RepositoryEncryption.AES_256,
      encryptionKey: new kms.Key(stack, 'Key'),
      emptyOnDelete: true,
      removalPolicy: RemovalPolicy.RETAIN,
    }));
    // THEN
    expect(SecureRegistryErrors.codeOf(e)).toBe('KeyWithAes256');
    expect(SecureRegistryErrors.codesOf(e)).toEqual(['KeyWithAes256', 'EmptyOnDeleteWithoutDestroy']);
    expect((e as Error).message).toMatch(/^KeyWithAes256: 2 problems:\n {2}- KeyWithAes256: .*\n {2}- EmptyOnDeleteWithoutDestroy: /);
  });

  test.each([
    ['a plain Error', new Error('InvalidRepositoryName: look-alike')],
    ['an object with a code', { code: 'InvalidRepositoryName', codes: ['InvalidRepositoryName'] }],
    ['a string', 'InvalidRepositoryName'],
    ['null', null],
    ['undefined', undefined],
  ])('does not recognise %s', (_name, x) => {
    expect(SecureRegistryErrors.isSecureRegistryError(x)).toBe(false);
    expect(SecureRegistryErrors.codeOf(x)).toBeUndefined();
    expect(SecureRegistryErrors.codesOf(x)).toEqual([]);
  });

  test('recognises an error thrown by another copy of the library', () => {
    // GIVEN: a second, separately loaded copy of the error module
    let OtherCopy: typeof SecureRegistryError | undefined;
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      OtherCopy = require('../src/private/errors').SecureRegistryError;
    });
    expect(OtherCopy).toBeDefined();
    expect(OtherCopy).not.toBe(SecureRegistryError);
    // WHEN
    const e = new OtherCopy!(undefined, 'InvalidRegion', 'region is invalid');
    // THEN
    expect(e).not.toBeInstanceOf(SecureRegistryError);
    expect(SecureRegistryErrors.isSecureRegistryError(e)).toBe(true);
    expect(SecureRegistryErrors.codeOf(e)).toBe('InvalidRegion');
  });
});

describe('SecureRegistryError', () => {
  test('without a scope, the message has no path', () => {
    const e = new SecureRegistryError(undefined, 'InvalidRegion', 'region is invalid');
    expect(e.message).toBe('InvalidRegion: region is invalid');
    expect(e.name).toBe('SecureRegistryError');
  });

  test('throwIfAny does nothing when there is no problem', () => {
    expect(() => SecureRegistryError.throwIfAny(undefined, [])).not.toThrow();
  });
});
