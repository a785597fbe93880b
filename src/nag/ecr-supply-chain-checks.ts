import * as fs from 'fs';
import * as path from 'path';
import { CfnResource, IPolicyValidationContext, PolicyValidationPluginReport, PolicyViolation, Stack } from 'aws-cdk-lib';
import { NagMessageLevel, NagPack, NagPackProps } from 'cdk-nag';
import { IConstruct } from 'constructs';
import {
  EcrCreationTemplatePosture,
  EcrPolicyNoOpenAccess,
  EcrPullThroughCacheCredentials,
  EcrPullThroughCacheTemplate,
  EcrRegistryEnhancedScanning,
  EcrReplicationFiltered,
  EcrRepositoryCustomerManagedKey,
  EcrRepositoryLifecyclePolicy,
  EcrRepositoryRetained,
  EcrRepositoryScanningConfigured,
  EcrRepositoryTagImmutability,
  EcrSigningConfigured,
} from './rules';
import { BOOLEAN, SCOPE, checkArgs, struct } from '../private/shape';

/**
 * The largest template CloudFormation accepts from S3: "Template body size in an Amazon S3 object:
 * 1 MB" on the quotas page. We take the stricter reading, 10^6 bytes, so a template we pass deploys.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html
 */
const MAX_TEMPLATE_BYTES = 1_000_000;

/**
 * A cdk-nag pack of Amazon ECR supply-chain rules (ids `EcrSupplyChain-ESC1` ... `ESC13`).
 *
 * It checks `AWS::ECR::Repository`, `RepositoryCreationTemplate`, `RegistryScanningConfiguration`,
 * `ReplicationConfiguration`, `PullThroughCacheRule`, `RegistryPolicy` and `AWS::Signer::SigningProfile`
 * (for `SigningConfiguration`): scanning, tag immutability, lifecycle policies, customer managed
 * KMS keys, open policies, retention, creation-template posture, enhanced scanning, pull-through
 * cache credentials and templates, replication filters and managed signing; and, after synthesis,
 * that every template is within CloudFormation's size limit (ESC13). Every rule maps to the Security Hub,
 * AWS Config, Control Tower or checkov control it mirrors (see `docs/RULES.md`).
 *
 * Levels: `Error` where a finding is a security weakness (an unscanned or mutable image, an AWS
 * managed key, an open policy, a creation template that undoes the posture, a cache rule that
 * cannot authenticate or creates repositories outside any template); `Warning` where it is hygiene or a choice that may be deliberate (lifecycle,
 * retention, basic scanning, unfiltered replication, a signing profile used outside ECR).
 * Registry-wide facts (scanning and signing configurations, creation templates) are looked up in the whole app, for
 * the same account and Region.
 *
 * @see https://github.com/cdklabs/cdk-nag
 * @exampleMetadata nofixture
 * @example
 * import { App, Validations } from 'aws-cdk-lib';
 * import { EcrSupplyChainChecks } from 'cdk-secure-registry';
 *
 * const app = new App();
 * Validations.of(app).addPlugins(new EcrSupplyChainChecks(app));
 */
export class EcrSupplyChainChecks extends NagPack {
  /** The pack's name, the prefix of every rule id (`EcrSupplyChain-ESC1`). */
  public readonly name = 'EcrSupplyChain';

  constructor(scope?: IConstruct, props?: NagPackProps) {
    checkArgs(undefined, [
      ['scope', scope, SCOPE],
      ['props', props, struct('NagPackProps', () => ({ verbose: BOOLEAN, writeSuppressionsToCloudFormation: BOOLEAN }))],
    ]);
    super(scope, props);
    this.packName = 'EcrSupplyChain';
  }

  /**
   * Runs the resource rules (ESC1-ESC12), then ESC13 on the synthesized templates: a template
   * CloudFormation would reject for its size fails here, at synth, instead of at deploy. It reads
   * the written files, so it costs no second rendering of the templates.
   */
  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const report = super.validate(context);
    const oversized = templateSizeViolations(context);
    if (oversized.length === 0) {
      return report;
    }
    return { ...report, success: false, violations: [...report.violations, ...oversized] };
  }

  protected checkResource(node: CfnResource): void {
    this.checkRepositories(node);
    this.checkRegistry(node);
  }

  private checkRepositories(node: CfnResource): void {
    this.applyRule({
      ruleSuffixOverride: 'ESC1',
      info: 'The ECR repository is not scanned on push or continuously, at the repository or the registry level (Security Hub ECR.1, Config ecr-private-image-scanning-enabled, Control Tower CT.ECR.PR.2, checkov CKV_AWS_163).',
      explanation: 'Scanning finds known vulnerabilities in images before they run. With a RegistryScanningConfiguration for the same account and Region, one of its rules must have a filter matching the repository name (ECR ignores the repository-level setting then); otherwise set ImageScanningConfiguration.ScanOnPush to true.',
      level: NagMessageLevel.ERROR,
      rule: EcrRepositoryScanningConfigured,
      node,
    });
    this.applyRule({
      ruleSuffixOverride: 'ESC2',
      info: 'The ECR repository has mutable image tags (Security Hub ECR.2, Config ecr-private-tag-immutability-enabled, Control Tower CT.ECR.PR.3, checkov CKV_AWS_51).',
      explanation: 'With mutable tags anyone who can push can move a release tag to a different image, and what ran yesterday under that tag is not what runs today. Set ImageTagMutability to IMMUTABLE, or IMMUTABLE_WITH_EXCLUSION for a listed set of moving tags.',
      level: NagMessageLevel.ERROR,
      rule: EcrRepositoryTagImmutability,
      node,
    });
    this.applyRule({
      ruleSuffixOverride: 'ESC3',
      info: 'The ECR repository has no lifecycle policy (Security Hub ECR.3, Config ecr-private-lifecycle-policy-configured, Control Tower CT.ECR.PR.1).',
      explanation: 'Without a lifecycle policy old and untagged images, and their vulnerabilities, stay pullable and billed forever. Add a lifecycle policy that expires untagged images and archives or expires old ones.',
      level: NagMessageLevel.WARN,
      rule: EcrRepositoryLifecyclePolicy,
      node,
    });
    this.applyRule({
      ruleSuffixOverride: 'ESC4',
      info: 'The ECR repository is not encrypted with a customer managed KMS key (Security Hub ECR.5, Config ecr-repository-cmk-encryption-enabled, checkov CKV_AWS_136).',
      explanation: 'AES256 and the AWS managed key aws/ecr give no control over who can decrypt images, no key policy and no way to revoke access. Set EncryptionConfiguration to KMS with your own key; it can only be set when the repository is created.',
      level: NagMessageLevel.ERROR,
      rule: EcrRepositoryCustomerManagedKey,
      node,
    });
    this.applyRule({
      ruleSuffixOverride: 'ESC5',
      info: 'The ECR repository, registry or creation template policy allows everyone ("*" or NotPrincipal) without a condition (checkov CKV_AWS_32, AwsSolutions-ECR1 without its false positives on conditions).',
      explanation: 'A statement open to every AWS principal lets any account pull (or push, or replicate into) your images. Name the principals, or add a condition such as aws:PrincipalOrgID.',
      level: NagMessageLevel.ERROR,
      rule: EcrPolicyNoOpenAccess,
      node,
    });
    this.applyRule({
      ruleSuffixOverride: 'ESC6',
      info: 'The ECR repository is not retained on stack deletion or replacement, or is emptied on delete (no Security Hub or Config control; CloudFormation DeletionPolicy guidance).',
      explanation: 'Deleting a stack, or a change that replaces the repository, would delete every image that running workloads pull. Set DeletionPolicy and UpdateReplacePolicy to Retain (RemovalPolicy.RETAIN) and leave EmptyOnDelete unset.',
      level: NagMessageLevel.WARN,
      rule: EcrRepositoryRetained,
      node,
    });
  }

  private checkRegistry(node: CfnResource): void {
    this.applyRule({
      ruleSuffixOverride: 'ESC7',
      info: 'The repository creation template gives the repositories ECR creates a weaker posture than declared ones: [Encryption], [TagImmutability], [LifecyclePolicy] or [CustomRole] (Security Hub ECR.2, ECR.3 and ECR.5 on the repositories it creates).',
      explanation: 'Repositories created on push, by pull through cache or by replication get only what the template says; ECR defaults are mutable tags, AES256 and no lifecycle policy. Give the template a customer managed key with a custom role, a lifecycle policy, and immutable tags (except for pull through cache, which must refresh tags).',
      level: NagMessageLevel.ERROR,
      rule: EcrCreationTemplatePosture,
      node,
    });
    this.applyRule({
      ruleSuffixOverride: 'ESC8',
      info: 'The registry scanning configuration does not use enhanced scanning with at least one filtered rule (Security Hub Inspector.2).',
      explanation: 'Basic scanning only covers operating system packages and scans once; enhanced scanning (Amazon Inspector) also covers language packages and rescans continuously as new CVEs are published. Set ScanType to ENHANCED with rules whose filters cover your repositories.',
      level: NagMessageLevel.WARN,
      rule: EcrRegistryEnhancedScanning,
      node,
    });
    this.applyRule({
      ruleSuffixOverride: 'ESC9',
      info: 'The pull through cache rule for an upstream that needs credentials has no Secrets Manager secret named ecr-pullthroughcache/... (ECR user guide requirement; no Security Hub control).',
      explanation: 'Docker Hub, GitHub, Azure, GitLab and Chainguard upstreams need a CredentialArn to a secret whose name starts with ecr-pullthroughcache/, encrypted with the default aws/secretsmanager key; otherwise ECR cannot authenticate upstream (and Docker Hub rate-limits anonymous pulls).',
      level: NagMessageLevel.ERROR,
      rule: EcrPullThroughCacheCredentials,
      node,
    });
    this.applyRule({
      ruleSuffixOverride: 'ESC10',
      info: 'A replication rule has no repository filter and copies every repository of the registry (no Security Hub or Config control).',
      explanation: 'An unfiltered rule replicates every present and future repository to other Regions or accounts, which can move data across residency boundaries and multiplies storage. Add PREFIX_MATCH filters naming what must be replicated.',
      level: NagMessageLevel.WARN,
      rule: EcrReplicationFiltered,
      node,
    });
    this.applyRule({
      ruleSuffixOverride: 'ESC11',
      info: 'The registry has a Notation signing profile but no ECR signing configuration with a rule (ECR managed signing; no Security Hub control).',
      explanation: 'A Signer profile for container images exists, yet ECR does not sign pushed images with it. Add an AWS::ECR::SigningConfiguration for the same account and Region whose rules cover the repositories, or acknowledge if the profile is only used to sign in CI.',
      level: NagMessageLevel.WARN,
      rule: EcrSigningConfigured,
      node,
    });
    this.applyRule({
      ruleSuffixOverride: 'ESC12',
      info: 'The pull through cache rule has no repository creation template (PULL_THROUGH_CACHE, same prefix or ROOT) for the repositories it creates (Security Hub ECR.3 and ECR.5 on the cache repositories).',
      explanation: 'Without a template ECR creates cache repositories with AES256 and no lifecycle policy, outside the registry baseline. Add an AWS::ECR::RepositoryCreationTemplate in the same account and Region, applied for PULL_THROUGH_CACHE, with the rule\'s EcrRepositoryPrefix (or ROOT).',
      level: NagMessageLevel.ERROR,
      rule: EcrPullThroughCacheTemplate,
      node,
    });
  }
}

/** ESC13: templates over CloudFormation's size limit, one violation per template. */
function templateSizeViolations(context: IPolicyValidationContext): PolicyViolation[] {
  const app = (context as { appConstruct?: IConstruct }).appConstruct;
  const stacks = app ? app.node.findAll().filter((c): c is Stack => Stack.isStack(c)) : [];
  const out: PolicyViolation[] = [];
  for (const templatePath of context.templatePaths) {
    let bytes: number;
    try {
      bytes = fs.statSync(templatePath).size;
    } catch {
      continue; // not written (an asset manifest or a nested assembly listed elsewhere)
    }
    if (bytes <= MAX_TEMPLATE_BYTES) continue;
    const stack = stacks.find((st) => path.basename(templatePath) === st.templateFile);
    const name = stack?.stackName ?? path.basename(templatePath);
    out.push({
      ruleName: 'EcrSupplyChain-ESC13',
      description: `The template of stack ${name} is ${bytes.toLocaleString('en-US')} bytes; CloudFormation rejects templates over ` +
        `${MAX_TEMPLATE_BYTES.toLocaleString('en-US')} bytes (1 MB) at deploy. Split the repositories across stacks, or let ECR ` +
        'create them on push from a CREATE_ON_PUSH creation template (SecureRegistry.addCreationTemplate), which needs no resource per repository.',
      fix: 'Move repositories to another stack, or declare fewer and rely on a CREATE_ON_PUSH creation template.',
      severity: 'error',
      violatingResources: [stack ? { constructPath: stack.node.path, locations: [] } : { resourceLogicalId: '(template)', locations: [] }],
    });
  }
  return out;
}
