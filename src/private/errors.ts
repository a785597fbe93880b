import { IConstruct } from 'constructs';

/**
 * The marker every error of this library carries. `Symbol.for` keys are shared across copies
 * of the library loaded in one process, so the guard in `SecureRegistryErrors` recognises an
 * error thrown by another copy (the way aws-cdk-lib's `Errors.isValidationError` works).
 */
export const SECURE_REGISTRY_ERROR_SYMBOL = Symbol.for('cdk-secure-registry.SecureRegistryError');

/**
 * The one error type the library throws for bad input.
 *
 * Renders as `[Stack/Construct] Code: message`, so that every message names the construct
 * path, a stable PascalCase code tests can match, the bad value and the fix. Without a scope
 * (values such as lifecycle rules or upstream registries, built before any construct) the
 * `[path] ` part is left out.
 */
export class SecureRegistryError extends Error {
  /**
   * Throws one error that reports every problem at once, or does nothing when there are none.
   * `scope` is the construct the problems belong to; `undefined` for values built outside the
   * construct tree.
   */
  public static throwIfAny(scope: IConstruct | undefined, problems: ValidationProblem[]): void {
    if (problems.length === 0) {
      return;
    }
    const codes = problems.map((p) => p.code);
    if (problems.length === 1) {
      throw new SecureRegistryError(scope, problems[0].code, problems[0].message);
    }
    const text = problems.map((p) => `  - ${p.code}: ${p.message}`).join('\n');
    throw new SecureRegistryError(scope, codes[0], `${problems.length} problems:\n${text}`, codes);
  }

  /** The stable code of the (first) problem. */
  public readonly code: string;

  /** The codes of every problem this error reports, in order (one entry for a single problem). */
  public readonly codes: string[];

  constructor(scope: IConstruct | undefined, code: string, message: string, codes: string[] = [code]) {
    const where = scope ? `[${scope.node.path || '<root>'}] ` : '';
    super(`${where}${code}: ${message}`);
    this.name = 'SecureRegistryError';
    this.code = code;
    this.codes = [...codes];
    Object.defineProperty(this, SECURE_REGISTRY_ERROR_SYMBOL, { value: true, enumerable: false });
  }
}

/** One validation problem: a stable code and a message naming the value and the fix. */
export interface ValidationProblem {
  readonly code: string;
  readonly message: string;
}

/**
 * Collects problems so that a construct reports all of them in one throw.
 */
export class Problems {
  private readonly list: ValidationProblem[] = [];

  public add(code: string, message: string): void {
    this.list.push({ code, message });
  }

  public addAll(problems: ValidationProblem[]): void {
    this.list.push(...problems);
  }

  public get items(): ValidationProblem[] {
    return [...this.list];
  }

  public get isEmpty(): boolean {
    return this.list.length === 0;
  }

  /** Throws one SecureRegistryError with every problem collected so far, at `scope`'s path. */
  public throwIfAny(scope: IConstruct): void {
    SecureRegistryError.throwIfAny(scope, this.list);
  }

  /**
   * Throws one SecureRegistryError with every problem collected so far, with no construct path:
   * for values built outside the construct tree (static factories, lifecycle rules).
   */
  public throwIfAnyUnscoped(): void {
    SecureRegistryError.throwIfAny(undefined, this.list);
  }

  /**
   * The problems as a lazy validator (`node.addValidation`) returns them, one `Code: message`
   * string each (the construct tree adds the `[path]` when it reports them); empty when there
   * are none.
   */
  public toValidationMessages(): string[] {
    return this.list.map((p) => `${p.code}: ${p.message}`);
  }
}
