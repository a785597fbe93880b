import { Annotations, Lazy, Token, aws_ecr as ecr } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { MAX_SCAN_FILTERS, ROOT, repositoryNamePattern, scanFilterCoversPrefix, scanFilterMatches, validateScanFilters } from '../private/ecr-model';
import { Problems } from '../private/errors';

/**
 * How a registry scans images for vulnerabilities.
 *
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-scanning.html
 */
export enum ScanType {
  /**
   * Basic scanning (the AWS native engine): operating-system package CVEs, scan on push only,
   * no extra cost.
   */
  BASIC = 'BASIC',
  /**
   * Enhanced scanning with Amazon Inspector: operating-system and programming-language
   * packages, scan on push or continuously, billed by Inspector. Turning it on enables
   * Inspector for ECR in the account: the deploying role needs `inspector2:Enable` and
   * `iam:CreateServiceLinkedRole` for `inspector2.amazonaws.com`.
   */
  ENHANCED = 'ENHANCED',
}

/**
 * When ECR scans the images of repositories a scanning rule matches.
 *
 * @see https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_RegistryScanningRule.html
 */
export enum ScanFrequency {
  /** Scan each image when it is pushed. */
  SCAN_ON_PUSH = 'SCAN_ON_PUSH',
  /** Scan on push and again whenever Inspector learns of a new vulnerability (ENHANCED only). */
  CONTINUOUS_SCAN = 'CONTINUOUS_SCAN',
}


/** Options of a registry's scanning configuration (the scanning props of `SecureRegistryProps`). */
interface RegistryScanningOptions {
  readonly scanType?: ScanType;
  readonly scanOnPushFilters?: string[];
  readonly scanContinuousFilters?: string[];
}

/**
 * The scanning configuration of one registry: the scan type, the on-push and continuous rules,
 * and the one `RegistryScanningConfiguration`. The prefix of every creation template is added to
 * the on-push rule where no filter covers it, so repositories ECR creates are scanned too.
 *
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-scanning.html
 */
export class RegistryScanning {
  /** The scan type. */
  public readonly scanType: ScanType;
  /** The registry scanning configuration. */
  public readonly resource: ecr.CfnRegistryScanningConfiguration;
  private readonly onPushFilters: string[];
  private readonly continuousFilters: string[];

  /**
   * @param owner the registry construct: errors and warnings name it, the configuration is its child
   * @param templatePrefixes the prefixes of the registry's creation templates, read at synth
   */
  constructor(owner: Construct, options: RegistryScanningOptions, private readonly templatePrefixes: () => Iterable<string>) {
    const problems = new Problems();
    this.scanType = options.scanType ?? ScanType.ENHANCED;
    this.onPushFilters = [...(options.scanOnPushFilters ?? ['*'])];
    this.continuousFilters = [...(options.scanContinuousFilters ?? [])];
    validateScanFilters(problems, this.onPushFilters, 'scanOnPushFilters');
    validateScanFilters(problems, this.continuousFilters, 'scanContinuousFilters');
    if (this.scanType === ScanType.BASIC && this.continuousFilters.length > 0) {
      problems.add('ContinuousScanNeedsEnhanced',
        `scanContinuousFilters [${this.continuousFilters.join(', ')}] need scanType ENHANCED: basic scanning only ` +
        'scans on push (see https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-scanning.html)');
    }
    problems.throwIfAny(owner);
    for (const f of [...this.onPushFilters, ...this.continuousFilters]) {
      if (!Token.isUnresolved(f) && !f.includes('*')) {
        Annotations.of(owner).addWarningV2('cdk-secure-registry:substringScanFilter',
          `scanning filter '${f}' has no '*', so ECR matches every repository whose name contains it ` +
          `(e.g. 'pre${f}'); use '${f}*' or '${f}/*' for a prefix`);
      }
    }
    this.resource = new ecr.CfnRegistryScanningConfiguration(owner, 'ScanningConfiguration', {
      scanType: this.scanType,
      rules: Lazy.any({ produce: () => this.render() }, { omitEmptyArray: false }),
    });
    owner.node.addValidation({ validate: () => this.validate() });
  }

  /**
   * Whether a rule scans the repository named `repositoryName` (a token counts as scanned:
   * ECR decides at deploy time). Registry scanning overrides the repository's own flag.
   */
  public scans(repositoryName: string): boolean {
    return Token.isUnresolved(repositoryName) ||
      this.activeFilters().some((f) => Token.isUnresolved(f) || scanFilterMatches(f, repositoryName));
  }

  /** The filters of every rule ECR evaluates: on push (templates included) and, if ENHANCED, continuous. */
  private activeFilters(): string[] {
    return [...this.effectiveOnPushFilters(), ...(this.scanType === ScanType.ENHANCED ? this.continuousFilters : [])];
  }

  /** Scan-on-push filters with every template prefix added where no filter covers it. */
  private effectiveOnPushFilters(): string[] {
    const filters = [...this.onPushFilters];
    const all = () => [...filters, ...(this.scanType === ScanType.ENHANCED ? this.continuousFilters : [])];
    for (const prefix of this.templatePrefixes()) {
      if (Token.isUnresolved(prefix)) {
        continue;
      }
      // Template prefixes are kept without the `/` that ECR assumes: probe with it.
      const probe = prefix === ROOT ? '' : `${prefix}/`;
      if (!all().some((f) => !Token.isUnresolved(f) && scanFilterCoversPrefix(f, probe))) {
        filters.push(repositoryNamePattern(prefix));
      }
    }
    return filters;
  }

  private render(): ecr.CfnRegistryScanningConfiguration.ScanningRuleProperty[] {
    const rule = (frequency: ScanFrequency, filters: string[]) => ({
      scanFrequency: frequency,
      repositoryFilters: filters.map((filter) => ({ filter, filterType: 'WILDCARD' })),
    });
    const rules = [];
    const onPush = this.effectiveOnPushFilters();
    if (onPush.length > 0) {
      rules.push(rule(ScanFrequency.SCAN_ON_PUSH, onPush));
    }
    if (this.scanType === ScanType.ENHANCED && this.continuousFilters.length > 0) {
      rules.push(rule(ScanFrequency.CONTINUOUS_SCAN, this.continuousFilters));
    }
    return rules;
  }

  /** Template prefixes can push the on-push rule past ECR's 100 filters. */
  private validate(): string[] {
    const problems = new Problems();
    const onPush = this.effectiveOnPushFilters();
    if (onPush.length > MAX_SCAN_FILTERS) {
      problems.add('TooManyScanFilters',
        `the scan-on-push rule has ${onPush.length} filters (creation template prefixes included); ` +
        `ECR accepts ${MAX_SCAN_FILTERS}: use wildcards such as 'team-*'`);
    }
    return problems.toValidationMessages();
  }
}
