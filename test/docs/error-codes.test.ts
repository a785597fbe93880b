import * as fs from 'fs';
import { collectErrorCodes, ERRORS_MD, renderErrorCodes } from '../../scripts/error-codes';

describe('docs/ERRORS.md', () => {
  test('is what scripts/error-codes.ts generates from src/', () => {
    const committed = fs.readFileSync(ERRORS_MD, 'utf-8');
    const generated = renderErrorCodes();
    if (committed !== generated) {
      throw new Error('docs/ERRORS.md is out of date: run `npx projen docs:errors` ' +
        '(npx ts-node --project scripts/tsconfig.json scripts/error-codes.ts) and commit the result');
    }
  });

  test('finds every shape of code: problems.add, new SecureRegistryError, lazy validators and the lifecycle model', () => {
    const codes = new Map(collectErrorCodes().map((s) => [s.code, s.file]));
    expect(codes.get('InvalidRepositoryName')).toBeDefined(); // problems.add in a shared helper
    expect(codes.get('DuplicateRegistry')).toBe('src/registry/secure-registry.ts'); // new SecureRegistryError
    expect(codes.get('RegistryPolicyTooLarge')).toBe('src/registry/registry-policy.ts'); // lazy validator
    expect(codes.get('RepositoryPolicyTooLarge')).toBe('src/private/policy-checks.ts'); // problems.add in a shared helper
    expect(codes.get('PolicyNotJson')).toBe('src/lifecycle/lifecycle-policy.ts'); // { code, message } value
    expect(codes.get('TooManyWildcards')).toBe('src/lifecycle/rule-model.ts'); // the model's add()
    const lifecycle = collectErrorCodes().filter((s) => s.file.startsWith('src/lifecycle/'));
    expect(new Set(lifecycle.map((s) => s.code)).size).toBeGreaterThanOrEqual(30);
    // preview warnings are not errors
    expect(codes.has('NoImageLeft')).toBe(false);
  });
});
