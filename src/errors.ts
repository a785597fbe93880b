import { SECURE_REGISTRY_ERROR_SYMBOL } from './private/errors';

/**
 * Recognises the errors this library throws for bad input, and reads their stable codes.
 *
 * Every validation error of cdk-secure-registry renders as `[Stack/Construct] Code: message`
 * and carries a stable PascalCase `code`, listed in
 * https://github.com/cdk-secure-registry/cdk-secure-registry/blob/main/docs/ERRORS.md.
 * The guard works on errors thrown by any copy of the library loaded in the process, like
 * aws-cdk-lib's `Errors.isValidationError`.
 *
 * Problems that can only be known at synthesis (`node.addValidation`, e.g. a policy that grew
 * too large) are reported by the construct tree as one aws-cdk-lib validation error instead;
 * their messages start with the same `Code: `.
 *
 * @example
 * declare const error: any; // what a catch clause received
 * if (SecureRegistryErrors.isSecureRegistryError(error)) {
 *   const code = SecureRegistryErrors.codeOf(error); // e.g. 'InvalidRepositoryName'
 * }
 */
export class SecureRegistryErrors {
  /**
   * Whether `x` is an error thrown by this library for bad input.
   *
   * @param x any value, typically what a `catch` clause received
   */
  public static isSecureRegistryError(x: any): boolean {
    return x !== null && typeof x === 'object' && SECURE_REGISTRY_ERROR_SYMBOL in x;
  }

  /**
   * The stable code of one of our errors (the first problem's code when it reports several),
   * e.g. `'InvalidRepositoryName'`.
   *
   * @param x any value, typically what a `catch` clause received
   * @returns the code, or `undefined` when `x` is not an error of this library
   */
  public static codeOf(x: any): string | undefined {
    return SecureRegistryErrors.isSecureRegistryError(x) ? String(x.code) : undefined;
  }

  /**
   * Every code one of our errors reports, in order: one entry for a single problem, one per
   * problem when a construct reports several at once.
   *
   * @param x any value, typically what a `catch` clause received
   * @returns the codes, or an empty list when `x` is not an error of this library
   */
  public static codesOf(x: any): string[] {
    return SecureRegistryErrors.isSecureRegistryError(x) ? [...x.codes] : [];
  }

  private constructor() {}
}
