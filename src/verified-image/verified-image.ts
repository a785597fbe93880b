import * as fs from 'fs';
import * as path from 'path';
import {
  Annotations, CustomResource, Duration, PhysicalName, Stack, Token, TokenComparison, Validations,
  aws_ec2 as ec2, aws_ecr as ecr, aws_ecr_assets as ecr_assets, aws_ecs as ecs, aws_iam as iam, aws_kms as kms,
  aws_lambda as lambda, aws_logs as logs, aws_signer as signer, aws_sns as sns,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { afterRegistryEndpoints } from '../private/after-endpoints';
import {
  ECR_PULL_THROUGH_CACHE_IMPORT_ACTIONS, ECR_VERIFY_IMAGE_ACTIONS, KMS_LOG_GROUP_ACTIONS, LAMBDA_VPC_ACTIONS,
} from '../private/ecr-actions';
import { Problems, SecureRegistryError } from '../private/errors';
import { addToManagedPolicy } from '../private/managed-policy-role';
import { acknowledgeWildcardResources } from '../private/nag';
import { futurePath } from '../private/scope-path';
import { secureKey } from '../private/secure-key';
import {
  BOOLEAN, DURATION, KEY, NUMBER, REPOSITORY, SIGNING_PROFILE, STRING, SUBNET_SELECTION, TOPIC, VPC,
  arrayOf, checkArgs, constructArgs, enumOf, objectWith, required, struct, withExample,
} from '../private/shape';
import { FindingSeverity } from '../registry/finding-alerts';
import { SecureRepository } from '../repository/secure-repository';

/**
 * A finding the check accepts until a date, with the reason.
 */
export interface AllowedFinding {
  /**
   * The finding id as the scanner reports it: the CVE or vulnerability id (e.g.
   * `CVE-2024-12345`, `GHSA-xxxx-xxxx-xxxx`); matched without regard to case.
   */
  readonly id: string;

  /** Why the finding is accepted (who decided, and what mitigates it). Required and non-empty. */
  readonly reason: string;

  /**
   * The last day (UTC, `YYYY-MM-DD`) the entry allows the finding; from the next day on it no
   * longer does, and a deploy that still has the finding is refused.
   */
  readonly expiresOn: string;
}

const SOURCE = objectWith('a VerifiedImageSource', ['_kind', '_value'], "VerifiedImageSource.fromTag('v1.2.3')");
const SECURITY_GROUP = objectWith('an ec2.ISecurityGroup', ['securityGroupId'], 'securityGroup');
const VERIFIED_IMAGE_PROPS = struct('VerifiedImageProps', () => ({
  repository: required(REPOSITORY),
  source: required(SOURCE),
  blockOnSeverity: enumOf('FindingSeverity', () => FindingSeverity),
  allowedFindings: arrayOf(struct('AllowedFinding', () => ({
    id: required(STRING), reason: required(STRING), expiresOn: required(withExample(STRING, "'2027-03-31'")),
  }))),
  blockOnlyFixable: BOOLEAN,
  requireSignature: BOOLEAN,
  signingProfiles: arrayOf(SIGNING_PROFILE),
  timeout: DURATION,
  pollInterval: DURATION,
  findingsTopic: TOPIC,
  vpc: VPC,
  vpcSubnets: SUBNET_SELECTION,
  securityGroups: arrayOf(SECURITY_GROUP),
  logEncryptionKey: KEY,
  logRetention: NUMBER,
}), "{ repository, source: VerifiedImageSource.fromTag('v1.2.3') }");

/**
 * Where the image a `VerifiedImage` checks comes from.
 *
 * Every source ends with an image in the governed repository, checked by digest.
 */
export class VerifiedImageSource {
  /**
   * An image already in the repository, by tag. The tag is resolved to a digest at deploy time,
   * and everything after that (scan, signature, the URI the workload gets) uses the digest.
   *
   * @param tag the image tag, e.g. `v1.2.3`
   */
  public static fromTag(tag: string): VerifiedImageSource {
    checkArgs(undefined, [['tag', tag, required(STRING)]]);
    return new VerifiedImageSource('tag', tag);
  }

  /**
   * An image already in the repository, by digest.
   *
   * @param digest `sha256:` followed by 64 lowercase hex digits
   */
  public static fromDigest(digest: string): VerifiedImageSource {
    checkArgs(undefined, [['digest', digest, required(STRING)]]);
    return new VerifiedImageSource('digest', digest);
  }

  /**
   * An image reached through the registry's pull-through cache: the repository is the cache
   * repository (`<ecrRepositoryPrefix>/<upstream repository>`, e.g. `ecr-public/nginx/nginx`),
   * and the check pulls the tag through the cache first (creating the repository from the
   * cache's creation template on the first pull), then checks it like any other image.
   *
   * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/pull-through-cache.html
   * @param tag the upstream tag, e.g. `1.27`
   */
  public static fromPullThroughCache(tag: string): VerifiedImageSource {
    checkArgs(undefined, [['tag', tag, required(STRING)]]);
    return new VerifiedImageSource('cache', tag);
  }

  /**
   * A local build (a directory with a Dockerfile), published by the CDK CLI straight into the
   * governed repository: the stack's synthesizer must publish image assets there
   * (`new DefaultStackSynthesizer({ imageAssetsRepositoryName: 'prod/orders' })`), and the
   * repository must exist before the stack's assets are published (declare it in a stack that
   * deploys first). The image is tagged with the asset hash, so an unchanged build is not
   * pushed again.
   *
   * @param directory the build context, with a Dockerfile
   * @param options the options of `DockerImageAsset` (build args, target, platform, ...)
   */
  public static fromAsset(directory: string, options: ecr_assets.DockerImageAssetOptions = {}): VerifiedImageSource {
    checkArgs(undefined, [['directory', directory, required(STRING)], ['options', options, struct('DockerImageAssetOptions', () => ({}))]]);
    return new VerifiedImageSource('asset', directory, options);
  }

  private constructor(
    /** @internal */ public readonly _kind: 'tag' | 'digest' | 'cache' | 'asset',
    /** @internal */ public readonly _value: string,
    /** @internal */ public readonly _assetOptions?: ecr_assets.DockerImageAssetOptions,
  ) {}
}

/**
 * Properties of a `VerifiedImage`.
 */
export interface VerifiedImageProps {
  /**
   * The governed repository the image is in (or is delivered to). A `SecureRepository` of a
   * `SecureRegistry` also tells the check which signing rules cover it; a repository of another
   * account must allow the check role in its repository policy (a `SecureRepository` of the same
   * app does this itself when the check is granted on it).
   */
  readonly repository: ecr.IRepository;

  /** Where the image comes from. */
  readonly source: VerifiedImageSource;

  /**
   * Findings of this severity or a more severe one refuse the deploy.
   *
   * @default FindingSeverity.HIGH - CRITICAL and HIGH findings block
   */
  readonly blockOnSeverity?: FindingSeverity;

  /**
   * Findings accepted until a date, each with a reason. An expired entry no longer allows its
   * finding.
   *
   * @default - none
   */
  readonly allowedFindings?: AllowedFinding[];

  /**
   * Block only findings that have a fix (enhanced scanning reports `fixAvailable`; basic
   * scanning does not, so there every finding counts as fixable).
   *
   * @default false - every finding at or above the severity blocks
   */
  readonly blockOnlyFixable?: boolean;

  /**
   * Whether the image must carry a COMPLETE managed signature (ECR's signing status) for every
   * expected signing profile.
   *
   * @default - true when a signing rule of the repository's `SecureRegistry` covers the
   * repository (or `signingProfiles` is given), false otherwise
   */
  readonly requireSignature?: boolean;

  /**
   * The signing profiles whose managed signatures are required.
   *
   * @default - the profiles of the registry's signing rules that cover the repository; a profile
   * in another account or Region is matched by account and Region (any profile of the
   * registry's account there)
   */
  readonly signingProfiles?: signer.ISigningProfile[];

  /**
   * How long the check waits for the scan (and the signature) of the image before it refuses
   * the deploy. The check runs in one Lambda invocation, so at most 14 minutes (Lambda's limit
   * is 15, CloudFormation's one hour).
   *
   * @default Duration.minutes(10)
   */
  readonly timeout?: Duration;

  /**
   * How often the check asks ECR while it waits.
   *
   * @default Duration.seconds(15)
   */
  readonly pollInterval?: Duration;

  /**
   * A topic the full findings list of a refused deploy is published to (the CloudFormation event
   * can only hold what fits in 4,096 bytes; the function's log group always has the full list).
   *
   * @default - the full list is only in the function's log group
   */
  readonly findingsTopic?: sns.ITopic;

  /**
   * The VPC to run the check in. Its subnets need routes to ECR's API (an `ecr.api` interface
   * endpoint), to CloudFormation's response bucket in S3 (the S3 gateway endpoint's policy must
   * allow `s3:PutObject` there) and, with `findingsTopic`, to SNS.
   *
   * @default - not in a VPC (the function only calls public AWS APIs); the compliance packs'
   * Lambda-in-VPC findings are acknowledged with that reason
   */
  readonly vpc?: ec2.IVpc;

  /**
   * The subnets of `vpc` to use.
   *
   * @default - the VPC's private subnets (isolated ones if it has no others)
   */
  readonly vpcSubnets?: ec2.SubnetSelection;

  /**
   * Security groups of the function in `vpc`.
   *
   * @default - a new group that allows HTTPS out only
   */
  readonly securityGroups?: ec2.ISecurityGroup[];

  /**
   * The KMS key of the function's log group.
   *
   * @default - a new customer managed key (rotation on) for this check's log group
   */
  readonly logEncryptionKey?: kms.IKey;

  /**
   * How long the function's log group keeps the reports.
   *
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;
}

/** The most the check may wait: one Lambda invocation of at most 15 minutes, less a margin to answer. */
const MAX_TIMEOUT = Duration.minutes(14);
const DIGEST = /^sha256:[0-9a-f]{64}$/;
const TAG = /^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * An image delivered into a governed repository and checked at deploy time; workloads deploy it
 * by digest, after the check.
 *
 * At deploy time a custom resource (one Lambda function with a role scoped to the repository's
 * read calls) resolves the tag to a digest, waits for the scan of that digest (basic or enhanced)
 * and, where required, for its managed signature, applies the policy (severity threshold,
 * allowlist with expiry dates, optionally fixable findings only) and either refuses the deploy,
 * listing the findings in the CloudFormation event, or returns the digest. `imageUri` is pinned to
 * that digest, and `containerImage()` and `dockerImageCode()` use it, so a task definition or
 * function that uses them deploys after the check and only when it passed. A change of the
 * digest (or tag) or of the policy checks again; a rollback does not (it returns to what was
 * verified before).
 *
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-scanning.html
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/managed-signing.html
 * @example
 * declare const repository: SecureRepository;
 * declare const taskDefinition: ecs.FargateTaskDefinition;
 * const image = new VerifiedImage(this, 'Orders', {
 *   repository,
 *   source: VerifiedImageSource.fromTag('v1.4.2'),
 *   blockOnSeverity: FindingSeverity.HIGH,
 *   allowedFindings: [{ id: 'CVE-2024-12345', reason: 'not reachable: no TLS in this service', expiresOn: '2026-12-31' }],
 * });
 * taskDefinition.addContainer('orders', { image: image.containerImage(), memoryLimitMiB: 512 });
 */
export class VerifiedImage extends Construct {
  /** The digest that passed the check (a deploy-time value, e.g. `sha256:...`). */
  public readonly imageDigest: string;
  /** The image URI pinned to `imageDigest` (`<account>.dkr.ecr.<region>.amazonaws.com/<name>@sha256:...`). */
  public readonly imageUri: string;
  /** The repository the image is in. */
  public readonly repository: ecr.IRepository;
  /** The function that runs the check. */
  public readonly checkFunction: lambda.IFunction;
  /** The role of the check function (ECR read calls on the one repository, its own logs). */
  public readonly checkRole: iam.IRole;
  /** The custom resource whose success gates everything that uses `imageDigest` or `imageUri`. */
  public readonly resource: CustomResource;
  /**
   * The asset that builds the image, for `VerifiedImageSource.fromAsset`.
   *
   * @default - none for other sources
   */
  public readonly asset?: ecr_assets.DockerImageAsset;
  /** Whether the check requires a managed signature. */
  public readonly requiresSignature: boolean;

  constructor(scope: Construct, id: string, props: VerifiedImageProps) {
    const where = futurePath(scope, id);
    checkArgs(where, [...constructArgs(scope, id), ['props', props, required(VERIFIED_IMAGE_PROPS)]]);
    const problems = new Problems();
    const timeout = props.timeout ?? Duration.minutes(10);
    const pollInterval = props.pollInterval ?? Duration.seconds(15);
    validateProps(problems, props, timeout, pollInterval);
    problems.throwIfAny(where);
    super(scope, id);
    this.repository = props.repository;
    const stack = Stack.of(this);
    const repoEnv = props.repository.env;

    // The source: a tag, a digest, a cached tag or an asset published into the repository.
    let imageTag: string | undefined;
    let imageDigest: string | undefined;
    const source = props.source;
    if (source._kind === 'asset') {
      this.asset = new ecr_assets.DockerImageAsset(this, 'Asset', { directory: source._value, ...source._assetOptions });
      this.checkAssetRepository(this.asset);
      imageTag = this.asset.imageTag;
    } else if (source._kind === 'digest') {
      imageDigest = source._value;
    } else {
      imageTag = source._value;
    }
    const pullThroughCache = source._kind === 'cache';

    this.refuseIfNeverScanned();
    // The check decides at deploy time; an entry already expired at synth is worth a warning now.
    const today = new Date().toISOString().slice(0, 10);
    for (const a of props.allowedFindings ?? []) {
      if (!Token.isUnresolved(a.expiresOn) && a.expiresOn < today) {
        Annotations.of(this).addWarningV2('cdk-secure-registry:allowedFindingExpired',
          `allowedFindings entry ${a.id} expired on ${a.expiresOn}: it no longer allows the finding, and a deploy ` +
          'that still has it is refused');
      }
    }
    const profileArns = this.expectedSigningProfiles(props);
    this.requiresSignature = profileArns.length > 0;

    // The role: a customer managed policy holds every permission (no inline policy); its name is
    // generated when a repository of another account needs its ARN for the repository policy.
    const role = new CheckRole(this, 'CheckRole');
    this.checkRole = role;
    const actions = pullThroughCache
      ? [...ECR_VERIFY_IMAGE_ACTIONS, ...ECR_PULL_THROUGH_CACHE_IMPORT_ACTIONS]
      : ECR_VERIFY_IMAGE_ACTIONS;
    // Scoped to the one repository; through SecureRepository.grant a repository of another account
    // also gets the repository-policy statement that admits this role by ARN.
    props.repository.grant(role, ...actions);
    if (props.findingsTopic) {
      props.findingsTopic.grantPublish(role);
    }

    const logKey = props.logEncryptionKey ?? this.newLogKey();
    const logGroup = new logs.LogGroup(this, 'LogGroup', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_YEAR,
      encryptionKey: logKey,
    });

    // The function writes its reports to its own log group (its role has no AWS managed policy).
    logGroup.grantWrite(role);

    let securityGroups = props.securityGroups;
    if (props.vpc && !securityGroups) {
      const group = new ec2.SecurityGroup(this, 'SecurityGroup', {
        vpc: props.vpc,
        allowAllOutbound: false,
        description: 'VerifiedImage check: HTTPS to the ECR API, S3 (CloudFormation responses) and SNS only',
      });
      group.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS to AWS APIs through the VPC endpoints or NAT');
      securityGroups = [group];
    }
    if (props.vpc) {
      // Lambda creates the function's network interfaces with the execution role; Create and
      // Describe accept no narrower resource.
      // https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc.html#configuration-vpc-permissions
      role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: LAMBDA_VPC_ACTIONS, resources: ['*'] }));
    }

    const fn = new lambda.Function(this, 'CheckFunction', {
      description: `VerifiedImage check of ${props.repository.node.path}`,
      runtime: lambda.Runtime.NODEJS_24_X,
      handler: 'index.handler',
      code: lambda.Code.fromAsset(bundleDirectory()),
      role,
      // The check waits up to `timeout`; the function needs a minute more to answer CloudFormation.
      timeout: timeout.plus(Duration.minutes(1)),
      memorySize: 256,
      tracing: lambda.Tracing.ACTIVE,
      logGroup,
      // No reserved concurrency: an account whose concurrency quota is at its minimum (10) cannot
      // reserve any (unreserved concurrency may not drop below 10), and CloudFormation calls the
      // function once per deploy anyway.
      // https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html
      vpc: props.vpc,
      vpcSubnets: props.vpc ? props.vpcSubnets : undefined,
      securityGroups,
      allowPublicSubnet: false,
    });
    // The function is created once its permissions exist (Lambda checks the VPC ones on create).
    fn.node.addDependency(role.policy);
    this.checkFunction = fn;
    this.acknowledgeFindings(fn, role, props.vpc !== undefined);

    const severity = props.blockOnSeverity ?? FindingSeverity.HIGH;
    this.resource = new CustomResource(this, 'Resource', {
      resourceType: 'Custom::VerifiedImage',
      serviceToken: fn.functionArn,
      // CloudFormation stops waiting shortly after the function's own timeout (instead of its
      // default hour), should the function ever fail to answer.
      // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-cloudformation-customresource.html
      serviceTimeout: timeout.plus(Duration.minutes(3)),
      properties: {
        RepositoryName: props.repository.repositoryName,
        RegistryId: repoEnv.account,
        // ECR is regional: the check asks the repository's Region (usually the stack's own).
        Region: repoEnv.region,
        ImageTag: imageTag,
        ImageDigest: imageDigest,
        PullThroughCache: pullThroughCache ? 'true' : 'false',
        // Any change to the policy is a change of the resource: the image is checked again.
        Policy: stack.toJsonString({
          blockOn: severity,
          allowlist: (props.allowedFindings ?? []).map((a) => ({ id: a.id, reason: a.reason, expiresOn: a.expiresOn })),
          fixableOnly: props.blockOnlyFixable ?? false,
          signingProfileArns: profileArns,
          timeoutSeconds: timeout.toSeconds(),
          pollSeconds: pollInterval.toSeconds(),
          topicArn: props.findingsTopic?.topicArn,
        }),
      },
    });
    if (props.vpc) {
      afterRegistryEndpoints(this.resource, props.vpc);
    }
    // The check runs with every permission in place (the repository policy too, when the repository
    // is in this stack).
    this.resource.node.addDependency(role.policy);
    if (this.asset) {
      this.resource.node.addDependency(this.asset);
    }

    // The digest as `sha256:` + the attribute's hex part: with the literal prefix, aws-cdk-lib's
    // repositoryUriForTagOrDigest (used by ecs.ContainerImage.fromEcrRepository and
    // lambda.DockerImageCode.fromEcr) writes `@sha256:...`, not the `:tag` form it uses for tokens.
    this.imageDigest = `sha256:${this.resource.getAttString('ImageDigestHex')}`;
    this.imageUri = props.repository.repositoryUriForDigest(this.imageDigest);
  }

  /**
   * The verified image for an ECS container definition, pinned to the digest that passed; the
   * task definition deploys after the check (it reads the digest from the check's result). Grants
   * the task's execution role pull on the repository.
   */
  public containerImage(): ecs.ContainerImage {
    return ecs.ContainerImage.fromEcrRepository(this.repository, this.imageDigest);
  }

  /**
   * The verified image as Lambda function code, pinned to the digest that passed; the function
   * deploys after the check. (Lambda cannot pull through a pull-through cache rule.)
   *
   * @param options entry point, command and working directory overrides
   */
  public dockerImageCode(options: lambda.EcrImageCodeProps = {}): lambda.DockerImageCode {
    return lambda.DockerImageCode.fromEcr(this.repository, { ...options, tagOrDigest: this.imageDigest });
  }

  /** The asset must land in the governed repository: the stack's synthesizer decides where it goes. */
  private checkAssetRepository(asset: ecr_assets.DockerImageAsset): void {
    const wanted = literalName(this.repository);
    const got = asset.repository.repositoryName;
    const stack = Stack.of(this);
    const problems = new Problems();
    // A name with a token in it is the bootstrap repository (cdk-<qualifier>-container-assets-<account>-<region>).
    if (wanted !== undefined && (Token.isUnresolved(got) || wanted !== got)) {
      problems.add('AssetNotInGovernedRepository',
        `the image asset is published to ${Token.isUnresolved(got) ? 'the bootstrap container-assets repository' : `'${got}'`} ` +
        '(the stack\'s asset repository), not to the governed repository ' +
        `'${wanted}': give the stack ${stack.stackName} a synthesizer that publishes image assets there, e.g. ` +
        `synthesizer: new DefaultStackSynthesizer({ imageAssetsRepositoryName: '${wanted}' })`);
    }
    const differs = (a?: string, b?: string) => a !== undefined && b !== undefined &&
      Token.compareStrings(a, b) === TokenComparison.DIFFERENT;
    if (differs(this.repository.env.account, stack.account) || differs(this.repository.env.region, stack.region)) {
      problems.add('AssetInOtherEnvironment',
        `the image asset is published in ${stack.account}/${stack.region}, but the repository is in ` +
        `${this.repository.env.account}/${this.repository.env.region}: build the asset in a stack of the repository's ` +
        'account and Region, or push in CI and use VerifiedImageSource.fromTag');
    }
    problems.throwIfAny(this);
  }

  /** A repository of a SecureRegistry that no scanning rule covers can never pass: say so at synth. */
  private refuseIfNeverScanned(): void {
    if (!(this.repository instanceof SecureRepository) || !this.repository.registry) {
      return;
    }
    const name = declaredName(this.repository);
    if (name !== undefined && !this.repository.registry.scansRepository(name)) {
      throw new SecureRegistryError(this, 'RepositoryNeverScanned',
        `repository '${name}' matches no scanning filter of ${this.repository.registry.node.path}, so ECR never scans ` +
        'its images and the check could only time out: add a scanOnPushFilters entry that matches it');
    }
  }

  /** The profile ARNs (or ARN patterns for profiles in another environment) that must have signed. */
  private expectedSigningProfiles(props: VerifiedImageProps): string[] {
    let profiles = props.signingProfiles;
    if (!profiles && this.repository instanceof SecureRepository && this.repository.registry) {
      const name = declaredName(this.repository);
      profiles = name !== undefined ? this.repository.registry.signingProfilesFor(name) : [];
    }
    const signatureRequired = props.requireSignature ?? (profiles !== undefined && profiles.length > 0);
    if (!signatureRequired) {
      return [];
    }
    if (!profiles || profiles.length === 0) {
      throw new SecureRegistryError(this, 'NoSigningProfile',
        'requireSignature is true but no signing profile is known for the repository: pass signingProfiles, ' +
        'or add a signing rule that covers the repository to its SecureRegistry');
    }
    const stack = Stack.of(this);
    return [...new Set(profiles.map((p) => {
      const pstack = Stack.of(p);
      const sameEnv = Token.compareStrings(pstack.account, stack.account) !== TokenComparison.DIFFERENT &&
        Token.compareStrings(pstack.region, stack.region) !== TokenComparison.DIFFERENT;
      if (sameEnv) {
        return p.signingProfileArn;
      }
      // A profile of another environment cannot be referenced from this stack: match any profile of
      // its account and Region (ECR signs in the registry's own Region).
      return `arn:${stack.partition}:signer:${pstack.region}:${pstack.account}:/signing-profiles/*`;
    }))];
  }

  private newLogKey(): kms.Key {
    const stack = Stack.of(this);
    // secureKey: rotation and the CT.KMS.PR.3 statement, as every key the library creates.
    const key = secureKey(this, 'LogKey', {
      description: `Encrypts the log group of the VerifiedImage check ${this.node.path}`,
    });
    // CloudWatch Logs uses the key for log groups of this account and Region.
    // https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
    key.addToResourcePolicy(new iam.PolicyStatement({
      principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
      actions: KMS_LOG_GROUP_ACTIONS,
      resources: ['*'], // in a key policy, '*' means this key
      conditions: {
        ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:${stack.partition}:logs:${stack.region}:${stack.account}:log-group:*` },
      },
    }));
    return key;
  }

  private acknowledgeFindings(fn: lambda.Function, role: CheckRole, inVpc: boolean): void {
    acknowledgeWildcardResources(role.policy, ['*'],
      'X-Ray PutTraceSegments/PutTelemetryRecords' + (inVpc ? ' and the Lambda VPC network-interface actions' : '') +
      ' have no resource type: AWS accepts only *');
    if (!inVpc) {
      const v = Validations.of(fn);
      for (const pack of ['HIPAA.Security', 'NIST.800.53.R4', 'NIST.800.53.R5', 'PCI.DSS.321']) {
        v.acknowledge({
          id: `${pack}::${pack}-LambdaInsideVPC`,
          reason: 'The check only calls the public ECR (and SNS) APIs and answers CloudFormation; it reaches no ' +
            'private resource. Pass `vpc` to VerifiedImage to run it in a VPC',
        });
      }
      v.acknowledge({
        id: 'cdk-validator-cfnguard::lambda_inside_vpc_check',
        reason: 'AWS Control Tower CT.LAMBDA.PR.3: the check only calls public AWS APIs and reaches no private ' +
          'resource; pass `vpc` to VerifiedImage to run it in a VPC',
      });
    }
    const v = Validations.of(fn);
    for (const pack of ['HIPAA.Security', 'NIST.800.53.R5']) {
      v.acknowledge({
        id: `${pack}::${pack}-LambdaDLQ`,
        reason: 'The handler answers CloudFormation on every path (pass, refusal, its own deadline a minute before the ' +
          'Lambda timeout) and never fails the invocation, so a dead-letter queue would receive nothing',
      });
      v.acknowledge({
        id: `${pack}::${pack}-LambdaConcurrency`,
        reason: 'CloudFormation invokes the check once per deploy of this resource; reserving concurrency would fail ' +
          'to deploy in accounts whose concurrency quota is at its minimum of 10',
      });
    }
  }
}

/** The role of a check: every permission in one customer managed policy. */
class CheckRole extends iam.Role {
  public readonly policy: iam.ManagedPolicy;

  constructor(scope: Construct, id: string) {
    super(scope, id, {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      // Named when referenced from another environment (the registry account's repository policy).
      roleName: PhysicalName.GENERATE_IF_NEEDED,
      description: 'VerifiedImage check: reads one ECR repository\'s images, scan findings and signing status',
    });
    this.policy = new iam.ManagedPolicy(this, 'Policy', {
      roles: [this],
      description: 'VerifiedImage check: least privilege on one repository',
    });
  }

  public addToPrincipalPolicy(statement: iam.PolicyStatement): iam.AddToPrincipalPolicyResult {
    return addToManagedPolicy(this.policy, statement) ?? super.addToPrincipalPolicy(statement);
  }
}

/** The repository's name when it is known at synth (a SecureRepository's declared name, or a literal). */
function literalName(repository: ecr.IRepository): string | undefined {
  if (repository instanceof SecureRepository) {
    return declaredName(repository);
  }
  return Token.isUnresolved(repository.repositoryName) ? undefined : repository.repositoryName;
}

/** The name a SecureRepository was declared with (a literal), if any. */
function declaredName(repository: SecureRepository): string | undefined {
  const name = repository.resource.repositoryName;
  return name !== undefined && !Token.isUnresolved(name) ? name : undefined;
}

/**
 * The bundled handler: lib/verified-image/bundle next to the compiled construct (the npm
 * package), or the one the jest globalSetup / `bundle:handlers` task built when running from src/.
 */
function bundleDirectory(): string {
  const candidates = [
    path.join(__dirname, 'bundle'),
    path.join(__dirname, '..', '..', 'lib', 'verified-image', 'bundle'),
  ];
  const found = candidates.find((dir) => fs.existsSync(path.join(dir, 'index.js')));
  if (!found) {
    throw new Error(`VerifiedImage's handler bundle is missing (looked in ${candidates.join(', ')}): run 'npx projen bundle:handlers'`);
  }
  return found;
}

function validateProps(problems: Problems, props: VerifiedImageProps, timeout: Duration, pollInterval: Duration): void {
  const source = props.source;
  if (!Token.isUnresolved(source._value)) {
    if (source._kind === 'digest' && !DIGEST.test(source._value)) {
      problems.add('InvalidImageDigest',
        `digest '${source._value}' is not an image digest: use 'sha256:' and 64 lowercase hex digits`);
    }
    if ((source._kind === 'tag' || source._kind === 'cache') && !TAG.test(source._value)) {
      problems.add('InvalidImageTag',
        `tag '${source._value}' is not an image tag: 1-128 letters, digits, '_', '.' or '-', not starting with '.' or '-'`);
    }
  }
  if (!timeout.isUnresolved() && (timeout.toSeconds() > MAX_TIMEOUT.toSeconds() || timeout.toSeconds() < 30)) {
    problems.add('InvalidCheckTimeout',
      `timeout is ${timeout.toHumanString()}: the check runs in one Lambda invocation (at most 15 minutes) and needs a ` +
      'minute to answer CloudFormation; use 30 seconds to 14 minutes');
  }
  if (!pollInterval.isUnresolved() && (pollInterval.toSeconds() < 5 || pollInterval.toSeconds() > 300)) {
    problems.add('InvalidPollInterval', `pollInterval is ${pollInterval.toHumanString()}: use 5 seconds to 5 minutes`);
  }
  const seen = new Set<string>();
  (props.allowedFindings ?? []).forEach((a, i) => {
    if (Token.isUnresolved(a.id) || Token.isUnresolved(a.expiresOn)) {
      return;
    }
    if (a.id.trim() === '') {
      problems.add('InvalidAllowedFinding', `allowedFindings[${i}] has an empty id: use the scanner's finding id, e.g. 'CVE-2024-12345'`);
    }
    if (!a.reason || a.reason.trim().length < 10) {
      problems.add('InvalidAllowedFinding',
        `allowedFindings[${i}] (${a.id}) needs a reason of at least 10 characters: say why the finding is accepted`);
    }
    if (!DATE.test(a.expiresOn) || Number.isNaN(Date.parse(`${a.expiresOn}T00:00:00Z`)) ||
      new Date(`${a.expiresOn}T00:00:00Z`).toISOString().slice(0, 10) !== a.expiresOn) {
      problems.add('InvalidAllowedFinding',
        `allowedFindings[${i}] (${a.id}) expiresOn '${a.expiresOn}' is not a date: use YYYY-MM-DD, e.g. '2026-12-31'`);
    }
    const key = a.id.toLowerCase();
    if (seen.has(key)) {
      problems.add('DuplicateAllowedFinding', `allowedFindings lists ${a.id} twice: keep one entry per finding`);
    }
    seen.add(key);
  });
}
