import { Annotations, CfnDeletionPolicy, IAspect, RemovalPolicy } from 'aws-cdk-lib';
import { CfnRepository } from 'aws-cdk-lib/aws-ecr';
import { IConstruct } from 'constructs';
import { LifecyclePolicy } from '../lifecycle';
import { IMMUTABLE_TAG_SETTINGS } from '../private/ecr-model';
import { KeyPosture, UNRESOLVED, keyPosture, literal, literalObject } from '../private/nag';
import { LIFECYCLE_POLICY, checkArgs, enumOf, struct } from '../private/shape';

/**
 * What the guardrail does with a repository that misses part of the baseline.
 */
export enum GuardrailMode {
  /** Only add a warning per gap; the template is unchanged. */
  REPORT = 'REPORT',
  /**
   * Fill in what can be changed in place (tag immutability, scan on push, lifecycle policy,
   * retention) where the repository sets nothing, and warn about the rest.
   */
  ENFORCE = 'ENFORCE',
}

/**
 * Properties for an `EcrRepositoryGuardrail`.
 */
export interface EcrRepositoryGuardrailProps {
  /**
   * Report gaps, or also fix what can be fixed in place.
   *
   * @default GuardrailMode.REPORT - warnings only, the template is unchanged
   */
  readonly mode?: GuardrailMode;

  /**
   * The lifecycle policy ENFORCE gives repositories that have none.
   *
   * @default LifecyclePolicy.secureDefault() - keep the 100 newest tagged images
   */
  readonly lifecyclePolicy?: LifecyclePolicy;
}

/**
 * An opt-in aspect that holds plain `AWS::ECR::Repository` resources (from code you don't own:
 * third-party constructs, `ecr.Repository`, L1s) to the library's baseline.
 *
 * In `REPORT` mode every gap becomes an acknowledgeable warning
 * (`cdk-secure-registry:guardrail<Gap>`). In `ENFORCE` mode, a repository that sets nothing for a
 * property gets the secure value: `ImageTagMutability: IMMUTABLE`, `ScanOnPush: true`, a lifecycle
 * policy, and `DeletionPolicy`/`UpdateReplacePolicy: Retain`. A value the code sets explicitly is
 * never overridden, only reported. Create-only properties (`EncryptionConfiguration`,
 * `RepositoryName`) are only ever reported: changing them replaces the repository and loses its
 * images.
 *
 * Add it with the mutating priority so that it runs before read-only aspects and validation.
 *
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/security-best-practices.html
 * @exampleMetadata nofixture
 * @example
 * import { App, AspectPriority, Aspects } from 'aws-cdk-lib';
 * import { EcrRepositoryGuardrail, GuardrailMode } from 'cdk-secure-registry';
 *
 * const app = new App();
 * Aspects.of(app).add(new EcrRepositoryGuardrail({ mode: GuardrailMode.ENFORCE }), {
 *   priority: AspectPriority.MUTATING,
 * });
 */
export class EcrRepositoryGuardrail implements IAspect {
  /** Report or enforce. */
  public readonly mode: GuardrailMode;
  private readonly lifecyclePolicy: LifecyclePolicy;

  constructor(props: EcrRepositoryGuardrailProps = {}) {
    checkArgs(undefined, [['props', props, struct('EcrRepositoryGuardrailProps', () => ({
      mode: enumOf('GuardrailMode', () => GuardrailMode),
      lifecyclePolicy: LIFECYCLE_POLICY,
    }))]]);
    this.mode = props.mode ?? GuardrailMode.REPORT;
    this.lifecyclePolicy = props.lifecyclePolicy ?? LifecyclePolicy.secureDefault();
  }

  public visit(node: IConstruct): void {
    if (!(node instanceof CfnRepository)) {
      return;
    }
    const enforce = this.mode === GuardrailMode.ENFORCE;

    // Tag immutability (updatable in place).
    const mutability = literal(node, node.imageTagMutability);
    if (mutability === undefined && enforce) {
      node.imageTagMutability = 'IMMUTABLE';
      this.fixed(node, 'ImageTagMutability set to IMMUTABLE');
    } else if (mutability !== UNRESOLVED && !IMMUTABLE_TAG_SETTINGS.includes(mutability)) {
      this.warn(node, 'TagMutability', `ImageTagMutability is ${mutability ?? 'unset (MUTABLE)'}: release tags can be moved to another image; set IMMUTABLE or IMMUTABLE_WITH_EXCLUSION`);
    }

    // Scan on push (updatable in place; a registry scanning configuration supersedes it).
    const scanning = literalObject(node, node.imageScanningConfiguration);
    const scanOnPush = scanning === UNRESOLVED ? UNRESOLVED : literal(node, scanning?.scanOnPush);
    if (scanOnPush === undefined && enforce) {
      node.imageScanningConfiguration = { scanOnPush: true };
      this.fixed(node, 'ImageScanningConfiguration.ScanOnPush set to true');
    } else if (scanOnPush !== UNRESOLVED && scanOnPush !== true && scanOnPush !== 'true') {
      this.warn(node, 'ScanOnPush', 'images are not scanned on push; set ImageScanningConfiguration.ScanOnPush to true or cover the repository with registry scanning');
    }

    // Lifecycle policy (updatable in place). aws-cdk-lib's Repository renders it lazily.
    const lifecycle = literalObject(node, node.lifecyclePolicy);
    const hasText = lifecycle === UNRESOLVED || (lifecycle?.lifecyclePolicyText !== undefined);
    if (!hasText && enforce) {
      node.lifecyclePolicy = { ...(lifecycle ?? {}), lifecyclePolicyText: this.lifecyclePolicy.render() };
      this.fixed(node, 'LifecyclePolicy set to the guardrail lifecycle policy');
    } else if (!hasText) {
      this.warn(node, 'LifecyclePolicy', 'the repository has no lifecycle policy: old and untagged images are never expired; add one');
    }

    // Retention (a template attribute, no replacement).
    const deletion = node.cfnOptions.deletionPolicy;
    if (deletion === undefined && node.cfnOptions.updateReplacePolicy === undefined && enforce) {
      node.applyRemovalPolicy(RemovalPolicy.RETAIN);
      this.fixed(node, 'DeletionPolicy and UpdateReplacePolicy set to Retain');
    } else if (!(deletion === CfnDeletionPolicy.RETAIN || deletion === CfnDeletionPolicy.RETAIN_EXCEPT_ON_CREATE) ||
      node.cfnOptions.updateReplacePolicy !== CfnDeletionPolicy.RETAIN) {
      this.warn(node, 'Retention', `DeletionPolicy is ${deletion ?? 'unset (Delete)'} and UpdateReplacePolicy is ${node.cfnOptions.updateReplacePolicy ?? 'unset (Delete)'}: deleting the stack or replacing the repository deletes its images; use RemovalPolicy.RETAIN`);
    }
    const empty = literal(node, node.emptyOnDelete);
    if (empty === true || empty === 'true') {
      this.warn(node, 'EmptyOnDelete', 'EmptyOnDelete is true: CloudFormation may delete the repository with its images; remove it');
    }

    // Create-only properties: never changed, changing them replaces the repository.
    if (keyPosture(node, node.encryptionConfiguration) === KeyPosture.NOT_CUSTOMER_MANAGED) {
      this.warn(node, 'Encryption', 'the repository is not encrypted with a customer managed KMS key; EncryptionConfiguration can only be set at creation (changing it replaces the repository and loses its images), so the guardrail does not change it: create a new encrypted repository and migrate');
    }
    if (literal(node, node.repositoryName) === undefined) {
      this.warn(node, 'RepositoryName', 'RepositoryName is not set, so CloudFormation generates one that registry filters (scanning, replication, creation templates) cannot target; setting it now replaces the repository, so the guardrail does not change it');
    }
  }

  private warn(node: CfnRepository, gap: string, message: string): void {
    Annotations.of(node).addWarningV2(`cdk-secure-registry:guardrail${gap}`, message);
  }

  private fixed(node: CfnRepository, message: string): void {
    Annotations.of(node).addInfo(`cdk-secure-registry guardrail: ${message}`);
  }
}
