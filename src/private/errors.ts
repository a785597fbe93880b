import { IConstruct } from 'constructs';

/**
 * The one error type the library throws for bad input.
 *
 * Renders as `[Stack/Construct] Code: message`, so that every message names the construct
 * path, a stable PascalCase code tests can match, the bad value and the fix.
 */
export class SecureRegistryError extends Error {
  /**
   * Throws one error that reports every problem at once, or does nothing when there are none.
   */
  public static throwIfAny(scope: IConstruct | undefined, problems: ValidationProblem[]): void {
    if (problems.length === 0) {
      return;
    }
    if (problems.length === 1) {
      throw new SecureRegistryError(scope, problems[0].code, problems[0].message);
    }
    const codes = problems.map((p) => p.code);
    const text = problems.map((p) => `  - ${p.code}: ${p.message}`).join('\n');
    throw new SecureRegistryError(scope, codes[0], `${problems.length} problems:\n${text}`);
  }

  /** The stable code of the (first) problem. */
  public readonly code: string;

  constructor(scope: IConstruct | undefined, code: string, message: string) {
    const where = scope ? `[${scope.node.path || '<root>'}] ` : '';
    super(`${where}${code}: ${message}`);
    this.name = 'SecureRegistryError';
    this.code = code;
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

  /** Throws one SecureRegistryError with every problem collected so far. */
  public throwIfAny(scope: IConstruct): void {
    SecureRegistryError.throwIfAny(scope, this.list);
  }
}
