import { Stack, Validations, aws_ec2 as ec2, aws_iam as iam, aws_lambda as lambda, aws_logs as logs, custom_resources as cr } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';
import { afterRegistryEndpoints } from '../private/after-endpoints';
import { partitionOf } from '../private/arn';
import { accountSettingClaim, claimEnvironment, otherClaimant, recordClaim } from '../private/claims';
import { ECR_ACCOUNT_SETTING_ACTIONS, KMS_LOGS_ACTIONS } from '../private/ecr-actions';
import { Problems } from '../private/errors';
import { futurePath } from '../private/scope-path';
import { secureKey } from '../private/secure-key';
import { BOOLEAN, SUBNET_SELECTION, VPC, checkArgs, constructArgs, enumOf, struct } from '../private/shape';

/**
 * The registry policy scope. `V2` enforces every ECR action a registry policy lists; the old `V1`
 * only accepts `ecr:ReplicateImage`, `ecr:BatchImportUpstreamImage` and `ecr:CreateRepository`.
 * `PutAccountSetting` only accepts `V2`, and a registry cannot be moved back to `V1`.
 *
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/registry-permissions.html
 * @see https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_PutAccountSetting.html
 */
export enum RegistryPolicyScope {
  /**
   * The registry is still on the original scope: nothing is changed, and the registry policy is
   * validated for it (only the three V1 actions). Move it to `V2` to grant other actions.
   */
  V1 = 'V1',
  /** Every ECR action in the registry policy is enforced; set through `PutAccountSetting`. */
  V2 = 'V2',
}

/**
 * The basic scanning engine. `AWS_NATIVE` is the improved basic scanning that replaced Clair;
 * it cannot be moved back.
 *
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-scanning-basic.html
 */
export enum BasicScanTypeVersion {
  /** AWS native basic scanning. */
  AWS_NATIVE = 'AWS_NATIVE',
}

/**
 * Properties of `RegistryAccountSettings`. Leave a setting out to leave it as it is.
 */
export interface RegistryAccountSettingsProps {
  /**
   * Whether pushes may mount layers that already exist in another repository of the registry
   * (`BLOB_MOUNTING`). Both repositories need the same encryption type and key, and the pusher
   * needs `ecr:GetDownloadUrlForLayer` on the source repository; images cached through a pull
   * through cache are never mounted.
   *
   * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/blob-mounting.html
   * @default - unchanged (ECR's default is disabled)
   */
  readonly blobMounting?: boolean;

  /**
   * The registry policy scope (`REGISTRY_POLICY_SCOPE`): only `V2` can be set. One-way: deleting
   * the construct leaves it.
   *
   * @default - unchanged
   */
  readonly registryPolicyScope?: RegistryPolicyScope;

  /**
   * The basic scanning engine (`BASIC_SCAN_TYPE_VERSION`). One-way: deleting the construct leaves it.
   *
   * @default - unchanged
   */
  readonly basicScanTypeVersion?: BasicScanTypeVersion;

  /**
   * The VPC the custom resource's function runs in, as AWS Control Tower's proactive control
   * CT.LAMBDA.PR.3 asks. The function calls `ecr:PutAccountSetting` and answers CloudFormation
   * through a pre-signed S3 URL, so the subnets need a route to both: a NAT gateway, or
   * `RegistryEndpoints` with `customResources: true` in isolated subnets (its default S3 endpoint
   * policy admits ECR's layer bucket only, and CloudFormation would wait an hour for the answer).
   *
   * The function is `AwsCustomResource`'s one function per stack: the first `AwsCustomResource`
   * of the stack decides where it runs.
   *
   * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/vpc-interface-endpoints.html
   * @default - the function runs outside any VPC (Lambda's own network), and the Control Tower
   * finding is acknowledged with that reason
   */
  readonly vpc?: ec2.IVpc;

  /**
   * The subnets of `vpc` the function runs in.
   *
   * @default - the VPC's private subnets (with egress, else isolated), as `lambda.Function` chooses
   */
  readonly vpcSubnets?: ec2.SubnetSelection;
}

/** The construct id of the AWS-owned singleton function behind `AwsCustomResource`. */
const AWS_CUSTOM_RESOURCE_SINGLETON_ID = 'AWS679f53fac002430cb0da5b7982bd2287';

/**
 * ECR account settings of the registry (account and Region): blob mounting, registry policy
 * scope and the basic scanning engine.
 *
 * CloudFormation has no resource for them, so each setting is one `AwsCustomResource` that calls
 * `ecr:PutAccountSetting` on create and update; its permission is `*` (the action has no resource
 * type) limited to that setting with the `ecr:AccountSetting` condition key. On delete, blob
 * mounting goes back to ECR's default (`DISABLED`); the registry policy scope and the basic
 * scanning engine only move one way and are left as they are.
 *
 * Account settings are registry singletons: declare them in one stack per account and Region.
 *
 * @see https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_PutAccountSetting.html
 * @example
 * new RegistryAccountSettings(this, 'AccountSettings', {
 *   blobMounting: true,
 *   registryPolicyScope: RegistryPolicyScope.V2,
 * });
 */
export class RegistryAccountSettings extends Construct {
  /** The custom resources, one per setting, keyed by ECR setting name. */
  private readonly settings = new Map<string, cr.AwsCustomResource>();
  private readonly vpc?: ec2.IVpc;
  private readonly vpcSubnets?: ec2.SubnetSelection;
  private readonly logGroup?: logs.LogGroup;

  constructor(scope: Construct, id: string, props: RegistryAccountSettingsProps = {}) {
    checkArgs(futurePath(scope, id), [...constructArgs(scope, id), ['props', props, struct('RegistryAccountSettingsProps', () => ({
      blobMounting: BOOLEAN,
      registryPolicyScope: enumOf('RegistryPolicyScope', () => RegistryPolicyScope),
      basicScanTypeVersion: enumOf('BasicScanTypeVersion', () => BasicScanTypeVersion),
      vpc: VPC,
      vpcSubnets: SUBNET_SELECTION,
    }))]]);
    super(scope, id);
    const problems = new Problems();
    if (props.blobMounting === undefined && props.registryPolicyScope === undefined &&
      props.basicScanTypeVersion === undefined) {
      problems.add('NoAccountSettings',
        'no setting is given: set blobMounting, registryPolicyScope or basicScanTypeVersion, or remove the construct');
    }
    if (props.vpcSubnets && !props.vpc) {
      problems.add('SubnetsWithoutVpc', 'vpcSubnets is given without vpc: give the vpc the subnets belong to, or leave vpcSubnets out');
    }
    if (props.registryPolicyScope === RegistryPolicyScope.V1) {
      problems.add('RegistryPolicyScopeV1',
        'registryPolicyScope V1 cannot be set: PutAccountSetting only accepts V2, and a registry never moves back ' +
        '(see https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_PutAccountSetting.html); ' +
        'leave it out, or give V2');
    }
    const names = [
      props.blobMounting !== undefined ? 'BLOB_MOUNTING' : undefined,
      props.registryPolicyScope !== undefined ? 'REGISTRY_POLICY_SCOPE' : undefined,
      props.basicScanTypeVersion !== undefined ? 'BASIC_SCAN_TYPE_VERSION' : undefined,
    ].filter((n): n is string => n !== undefined);
    for (const name of names) {
      const other = otherClaimant(this, accountSettingClaim(name));
      if (other) {
        problems.add('DuplicateRegistrySetting',
          `${other.node.path} already declares the account setting ${name} of ${claimEnvironment(this).label}; two ` +
          'owners would overwrite each other at deploy: set it in one place (on the SecureRegistry of that environment, if there is one)');
      }
    }
    problems.throwIfAny(this);
    names.forEach((name) => recordClaim(this, accountSettingClaim(name)));
    this.vpc = props.vpc;
    this.vpcSubnets = props.vpcSubnets;
    this.logGroup = functionLogGroup(Stack.of(this));

    if (props.blobMounting !== undefined) {
      this.addSetting('BlobMounting', 'BLOB_MOUNTING', props.blobMounting ? 'ENABLED' : 'DISABLED', 'DISABLED');
    }
    if (props.registryPolicyScope !== undefined) {
      this.addSetting('RegistryPolicyScope', 'REGISTRY_POLICY_SCOPE', props.registryPolicyScope, undefined);
    }
    if (props.basicScanTypeVersion !== undefined) {
      this.addSetting('BasicScanTypeVersion', 'BASIC_SCAN_TYPE_VERSION', props.basicScanTypeVersion, undefined);
    }
    acknowledgeSingletonFunction(Stack.of(this));
  }

  /** The ECR setting names this construct manages, e.g. `BLOB_MOUNTING`. */
  public get settingNames(): string[] {
    return [...this.settings.keys()];
  }

  private addSetting(id: string, name: string, value: string, valueOnDelete: string | undefined): void {
    const call = (v: string): cr.AwsSdkCall => ({
      service: 'ECR',
      action: 'PutAccountSetting',
      parameters: { name, value: v },
      physicalResourceId: cr.PhysicalResourceId.of(`ecr-account-setting-${name}`),
    });
    const resource = new cr.AwsCustomResource(this, id, {
      resourceType: 'Custom::EcrAccountSetting',
      onCreate: call(value),
      onUpdate: call(value),
      onDelete: valueOnDelete === undefined ? undefined : call(valueOnDelete),
      installLatestAwsSdk: false,
      vpc: this.vpc,
      vpcSubnets: this.vpc ? this.vpcSubnets : undefined,
      logGroup: this.logGroup,
      policy: cr.AwsCustomResourcePolicy.fromStatements([new iam.PolicyStatement({
        actions: ECR_ACCOUNT_SETTING_ACTIONS,
        // PutAccountSetting has no resource type: '*' limited to this one setting.
        resources: ['*'],
        conditions: { StringEquals: { 'ecr:AccountSetting': name } },
      })]),
    });
    if (this.vpc) {
      afterRegistryEndpoints(resource, this.vpc);
    }
    const v = Validations.of(resource);
    v.acknowledge({
      id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
      reason: `ecr:PutAccountSetting has no resource type, so AWS accepts only *; the ecr:AccountSetting condition limits it to ${name}`,
    });
    for (const pack of ['HIPAA.Security', 'NIST.800.53.R4', 'NIST.800.53.R5', 'PCI.DSS.321']) {
      v.acknowledge({
        id: `${pack}::${pack}-IAMNoInlinePolicy`,
        reason: 'AwsCustomResource attaches its one-statement policy inline to the AWS-owned singleton function role; ' +
          'it cannot be given a managed policy',
      });
    }
    this.settings.set(name, resource);
  }
}

/** Construct id of the encrypted log group of the singleton function, one per stack. */
const FUNCTION_LOG_GROUP_ID = 'EcrAccountSettingsLogs';

/**
 * The log group of `AwsCustomResource`'s one function per stack, encrypted with a customer
 * managed key (AWS Control Tower CT.CLOUDWATCH.PR.3, and the packs' CloudWatchLogGroupEncrypted),
 * kept one year. Only when this library creates that function: when another `AwsCustomResource`
 * of the stack came first, its function and log group are its owner's, and `undefined` is returned.
 *
 * The key admits CloudWatch Logs for this one log group only (`kms:EncryptionContext:aws:logs:arn`),
 * so the log group has a name: its ARN must be known in the key policy without a reference back.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
 */
function functionLogGroup(stack: Stack): logs.LogGroup | undefined {
  const existing = stack.node.tryFindChild(FUNCTION_LOG_GROUP_ID);
  if (existing) {
    return existing as logs.LogGroup;
  }
  if (stack.node.tryFindChild(AWS_CUSTOM_RESOURCE_SINGLETON_ID)) {
    return undefined;
  }
  const scope = new Construct(stack, FUNCTION_LOG_GROUP_ID);
  const logGroupName = `/cdk-secure-registry/${stack.stackName}/account-settings`;
  const key = secureKey(scope, 'Key', { description: `Encrypts the log group ${logGroupName}` });
  key.addToResourcePolicy(new iam.PolicyStatement({
    principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
    actions: KMS_LOGS_ACTIONS,
    resources: ['*'], // in a key policy, '*' means this key
    conditions: {
      ArnEquals: {
        'kms:EncryptionContext:aws:logs:arn':
          `arn:${partitionOf(stack, stack.region)}:logs:${stack.region}:${stack.account}:log-group:${logGroupName}`,
      },
    },
  }));
  return new logs.LogGroup(scope, 'Resource', {
    logGroupName,
    encryptionKey: key,
    retention: logs.RetentionDays.ONE_YEAR,
  });
}

/** Why the function may run outside a VPC when none is given. */
const OUTSIDE_VPC_REASON = 'No vpc was given: the function only calls the public ECR API (PutAccountSetting) once per ' +
  'deployment and reaches no private resource; give SecureRegistry (or RegistryAccountSettings) a vpc to run it in one';

/** Singleton functions already acknowledged. */
const ACKNOWLEDGED = new WeakSet<IConstruct>();

/**
 * Acknowledges, with the reason, the findings on the AWS-owned singleton function that
 * `AwsCustomResource` deploys once per stack.
 */
function acknowledgeSingletonFunction(stack: Stack): void {
  const fn = stack.node.tryFindChild(AWS_CUSTOM_RESOURCE_SINGLETON_ID) as IConstruct | undefined;
  if (!fn || ACKNOWLEDGED.has(fn)) {
    return;
  }
  ACKNOWLEDGED.add(fn);
  const v = Validations.of(fn);
  const inVpc = (fn.node.defaultChild as lambda.CfnFunction | undefined)?.vpcConfig !== undefined;
  const reasons: Record<string, string> = {
    'AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]':
      'The AWS-owned AwsCustomResource function only writes its own CloudWatch logs with the AWS managed basic execution policy',
  };
  if (inVpc) {
    reasons['AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole]'] =
      'Lambda needs the AWS managed VPC access policy to create the network interfaces of a function in a VPC; ' +
      'the AwsCustomResource function role cannot be given another';
  } else {
    // Exactly the findings the packs report on the function (cdk-nag 3.0.2, cdk-validator-cfnguard 0.0.62).
    for (const pack of ['HIPAA.Security', 'NIST.800.53.R4', 'NIST.800.53.R5', 'PCI.DSS.321']) {
      reasons[`${pack}::${pack}-LambdaInsideVPC`] = OUTSIDE_VPC_REASON;
    }
    reasons['cdk-validator-cfnguard::lambda_inside_vpc_check'] = `${OUTSIDE_VPC_REASON} (CT.LAMBDA.PR.3)`;
  }
  for (const pack of ['HIPAA.Security', 'NIST.800.53.R5']) {
    reasons[`${pack}::${pack}-LambdaDLQ`] =
      'CloudFormation invokes the function synchronously and reports its failures; a DLQ would receive nothing';
    reasons[`${pack}::${pack}-LambdaConcurrency`] =
      'CloudFormation invokes the function only during deployments, one call per custom resource';
  }
  // With aws-cdk-lib's recommended feature flags (what `cdk init` writes), the function gets a
  // log group of its own, which the packs want encrypted with a customer managed key.
  if (fn.node.tryFindChild('LogGroup')) {
    for (const pack of ['HIPAA.Security', 'NIST.800.53.R4', 'NIST.800.53.R5', 'PCI.DSS.321']) {
      reasons[`${pack}::${pack}-CloudWatchLogGroupEncrypted`] =
        'The log group of the AWS-owned AwsCustomResource function holds only its PutAccountSetting calls and ' +
        'answers (a setting name and value, no image or customer data); CloudWatch Logs encrypts it at rest ' +
        '(https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html)';
    }
  }
  for (const [id, reason] of Object.entries(reasons)) {
    v.acknowledge({ id, reason });
  }
}
