import { Fn, Stack, Token, aws_ec2 as ec2, aws_iam as iam } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { partitionOf, repositoryArn } from '../private/arn';
import {
  ECR_ACCOUNT_SETTING_ACTIONS,
  ECR_AUTH_ACTIONS,
  ECR_DESCRIBE_ACTIONS,
  ECR_PULL_ACTIONS,
  ECR_PULL_THROUGH_CACHE_ACTIONS,
  ECR_PUSH_ACTIONS,
  ECR_VERIFY_IMAGE_ACTIONS,
  S3_CUSTOM_RESOURCE_RESPONSE_ACTIONS,
  S3_LAYER_READ_ACTIONS,
} from '../private/ecr-actions';
import { Problems } from '../private/errors';
import { futurePath } from '../private/scope-path';
import {
  BOOLEAN, POLICY_STATEMENT, STRING, SUBNET_SELECTION, VPC, arrayOf, checkArgs, constructArgs, required, struct,
} from '../private/shape';
import { validateAccountId } from '../private/validation';

/** An IPv4 CIDR block. */
const CIDR_PATTERN = /^([0-9]{1,3}\.){3}[0-9]{1,3}\/([0-9]|[12][0-9]|3[0-2])$/;

/**
 * Properties of `RegistryEndpoints`.
 */
export interface RegistryEndpointsProps {
  /**
   * The VPC. It needs DNS support and DNS hostnames (private DNS for `ecr.dkr` is mandatory).
   */
  readonly vpc: ec2.IVpc;

  /**
   * The subnets that hold the interface endpoints' network interfaces.
   *
   * @default - the VPC's private subnets (isolated or with egress), one per Availability Zone
   */
  readonly subnets?: ec2.SubnetSelection;

  /**
   * The subnets whose route tables get the S3 gateway endpoint route.
   *
   * @default - every subnet of the VPC
   */
  readonly gatewaySubnets?: ec2.SubnetSelection[];

  /**
   * The registry accounts the endpoints allow ECR requests against. Requests for repositories
   * of any other account are denied by the endpoint policy (`ecr:GetAuthorizationToken` has no
   * resource, so it stays allowed on `*`).
   *
   * @default - this stack's account
   */
  readonly registryAccounts?: string[];

  /**
   * Allow pushes (layer upload and `PutImage`) through the endpoints as well as pulls.
   *
   * @default false - workloads pull; pushes come from CI outside the VPC
   */
  readonly allowPush?: boolean;

  /**
   * Allow pulls through a pull-through cache rule through the endpoints: the first pull of an
   * uncached image imports it (`ecr:BatchImportUpstreamImage`) and creates its repository
   * (`ecr:CreateRepository`), on the registry accounts' repositories only.
   *
   * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/pull-through-cache-iam.html
   * @default false - pulls of images that are already in the registry only
   */
  readonly pullThroughCache?: boolean;

  /**
   * Let the registry's custom resources run in this VPC (`SecureRegistry` or
   * `RegistryAccountSettings` with `vpc`): the S3 gateway endpoint also admits `s3:PutObject`
   * to CloudFormation's custom resource response bucket of the Region
   * (`cloudformation-custom-resource-response-<region without dashes>`), where every custom
   * resource function answers through a pre-signed URL, and the ECR endpoints admit
   * `ecr:PutAccountSetting` by principals of the registry accounts. Without it, a custom resource
   * in isolated subnets cannot answer and CloudFormation waits an hour before it fails.
   *
   * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/vpc-interface-endpoints.html
   * @default false - only ECR's layer bucket and ECR's pull (and optional push) actions
   */
  readonly customResources?: boolean;

  /**
   * Let `VerifiedImage` checks run in the VPC: the ECR endpoints also allow the check's read
   * calls (`ecr:DescribeImageScanFindings`, `ecr:DescribeImageSigningStatus`) on the registry
   * accounts' repositories, and the S3 gateway endpoint allows `s3:PutObject` to CloudFormation's
   * custom-resource response bucket of the Region, as `customResources` does, where the check
   * answers CloudFormation.
   *
   * @default false
   */
  readonly verifiedImageChecks?: boolean;

  /**
   * Add a CloudWatch Logs interface endpoint, needed by tasks that use the `awslogs` driver.
   *
   * @default true
   */
  readonly cloudWatchLogs?: boolean;

  /**
   * Add a Secrets Manager interface endpoint (for task secrets or private registry credentials).
   *
   * @default false
   */
  readonly secretsManager?: boolean;

  /**
   * CIDR blocks allowed to reach the interface endpoints on port 443.
   *
   * @default - the VPC's primary CIDR block, read as a literal from an `ec2.Vpc` when possible
   */
  readonly ingressCidrs?: string[];

  /**
   * Extra statements for the S3 gateway endpoint policy. That policy governs every S3 request
   * routed through the endpoint from the selected route tables (the whole VPC by default), and
   * allows only ECR's layer bucket for the Region unless you add statements here.
   *
   * @default - only `s3:GetObject` on `arn:aws:s3:::prod-<region>-starport-layer-bucket/*`
   */
  readonly additionalS3Statements?: iam.PolicyStatement[];
}

/**
 * VPC endpoints that let a VPC without internet access pull from Amazon ECR.
 *
 * Creates interface endpoints for `ecr.api` and `ecr.dkr` with private DNS, optional
 * CloudWatch Logs and Secrets Manager interface endpoints, one security group that allows
 * HTTPS from inside the VPC only, and an S3 gateway endpoint (image layers are served from S3)
 * whose policy allows only ECR's layer bucket for the Region. The two ECR endpoints share one
 * policy that allows ECR calls only against the named registry accounts.
 *
 * What endpoints cannot do: requests go to the VPC's own Region only (pull from another Region
 * needs a route to it); ECR Public (`public.ecr.aws`) is not reachable through these endpoints;
 * the first pull of an image through a pull-through cache rule may need a route to the
 * internet; endpoints need Amazon-provided DNS.
 *
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/vpc-endpoints.html
 * @example
 * declare const vpc: ec2.Vpc;
 * new RegistryEndpoints(this, 'Endpoints', { vpc, registryAccounts: ['111111111111'] });
 */
export class RegistryEndpoints extends Construct {
  /** The VPC of the endpoints. */
  public readonly vpc: ec2.IVpc;

  /** The `com.amazonaws.<region>.ecr.api` interface endpoint. */
  public readonly ecrApiEndpoint: ec2.InterfaceVpcEndpoint;

  /** The `com.amazonaws.<region>.ecr.dkr` interface endpoint. */
  public readonly ecrDockerEndpoint: ec2.InterfaceVpcEndpoint;

  /** The S3 gateway endpoint. */
  public readonly s3Endpoint: ec2.GatewayVpcEndpoint;

  /**
   * The CloudWatch Logs interface endpoint, when enabled.
   *
   * @default - none with `cloudWatchLogs: false`
   */
  public readonly logsEndpoint?: ec2.InterfaceVpcEndpoint;

  /**
   * The Secrets Manager interface endpoint, when enabled.
   *
   * @default - none unless `secretsManager: true`
   */
  public readonly secretsManagerEndpoint?: ec2.InterfaceVpcEndpoint;

  /** The security group of the interface endpoints. */
  public readonly securityGroup: ec2.SecurityGroup;

  /** The CIDR blocks allowed to reach the interface endpoints. */
  public readonly ingressCidrs: string[];

  constructor(scope: Construct, id: string, props: RegistryEndpointsProps) {
    checkArgs(futurePath(scope, id), [...constructArgs(scope, id), ['props', props, required(struct('RegistryEndpointsProps', () => ({
      vpc: required(VPC),
      subnets: SUBNET_SELECTION,
      gatewaySubnets: arrayOf(SUBNET_SELECTION),
      registryAccounts: arrayOf(STRING, "['111111111111']"),
      allowPush: BOOLEAN,
      pullThroughCache: BOOLEAN,
      cloudWatchLogs: BOOLEAN,
      secretsManager: BOOLEAN,
      ingressCidrs: arrayOf(STRING, "['10.0.0.0/16']"),
      additionalS3Statements: arrayOf(POLICY_STATEMENT),
      verifiedImageChecks: BOOLEAN,
      customResources: BOOLEAN,
    }), '{ vpc }'))]]);
    super(scope, id);
    const stack = Stack.of(this);
    const problems = new Problems();
    const vpc = props.vpc;
    this.vpc = vpc;

    // https://docs.aws.amazon.com/AmazonECR/latest/userguide/vpc-endpoints.html: ecr.dkr needs
    // private DNS, which needs enableDnsSupport and enableDnsHostnames on the VPC.
    if (vpc instanceof ec2.Vpc) {
      if (!vpc.dnsSupportEnabled || !vpc.dnsHostnamesEnabled) {
        problems.add('VpcDnsDisabled',
          `the VPC has enableDnsSupport=${vpc.dnsSupportEnabled} and enableDnsHostnames=${vpc.dnsHostnamesEnabled}; ` +
          'the ecr.dkr endpoint needs private DNS: create the VPC with enableDnsSupport: true and enableDnsHostnames: true');
      }
    }

    const registryAccounts = props.registryAccounts ?? [stack.account];
    if (registryAccounts.length === 0) {
      problems.add('NoRegistryAccount',
        'registryAccounts is empty: name the accounts whose registries the VPC pulls from, e.g. [\'111111111111\']');
    }
    registryAccounts.forEach((a) => validateAccountId(problems, a, 'registryAccounts'));

    this.ingressCidrs = props.ingressCidrs ?? [vpcCidr(vpc)];
    if (this.ingressCidrs.length === 0) {
      problems.add('NoIngressCidr', 'ingressCidrs is empty: give the VPC CIDR, e.g. [\'10.0.0.0/16\']');
    }
    for (const cidr of this.ingressCidrs) {
      if (Token.isUnresolved(cidr)) {
        continue;
      }
      if (!CIDR_PATTERN.test(cidr)) {
        problems.add('InvalidCidr', `ingressCidrs entry '${cidr}' is not an IPv4 CIDR block: use e.g. '10.0.0.0/16'`);
      } else if (cidr.endsWith('/0')) {
        problems.add('OpenIngressCidr',
          `ingressCidrs entry '${cidr}' opens the endpoints to every address: use the VPC's CIDR, e.g. '10.0.0.0/16'`);
      }
    }

    const gatewaySubnets = props.gatewaySubnets ?? [{ subnets: [...vpc.publicSubnets, ...vpc.privateSubnets, ...vpc.isolatedSubnets] }];
    const routeTableIds = gatewaySubnets.flatMap((sel) => vpc.selectSubnets(sel).subnets)
      .map((s) => s.routeTable?.routeTableId)
      .filter((rt) => rt !== undefined);
    if (routeTableIds.length === 0) {
      problems.add('NoRouteTables',
        'the S3 gateway endpoint needs route tables, but the selected subnets have none: import the VPC with ' +
        'privateSubnetRouteTableIds/isolatedSubnetRouteTableIds, or select subnets that have route tables in gatewaySubnets');
    }
    problems.throwIfAny(this);

    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc,
      description: 'HTTPS from inside the VPC to the ECR, S3 and logs endpoints',
      allowAllOutbound: false,
    });
    for (const cidr of this.ingressCidrs) {
      this.securityGroup.addIngressRule(ec2.Peer.ipv4(cidr), ec2.Port.tcp(443), `HTTPS from ${cidr}`);
    }

    const subnets = props.subnets ?? {
      subnetType: vpc.isolatedSubnets.length > 0 ? ec2.SubnetType.PRIVATE_ISOLATED : ec2.SubnetType.PRIVATE_WITH_EGRESS,
    };
    const iface = (childId: string, service: ec2.InterfaceVpcEndpointAwsService) => new ec2.InterfaceVpcEndpoint(this, childId, {
      vpc,
      service,
      subnets,
      privateDnsEnabled: true,
      securityGroups: [this.securityGroup],
      open: false,
    });

    this.ecrApiEndpoint = iface('EcrApi', ec2.InterfaceVpcEndpointAwsService.ECR);
    this.ecrDockerEndpoint = iface('EcrDocker', ec2.InterfaceVpcEndpointAwsService.ECR_DOCKER);
    // "We recommend creating a single IAM resource policy and attaching it to both of the
    // Amazon ECR VPC endpoints." (vpc-endpoints.html)
    const checks = props.verifiedImageChecks ?? false;
    const customResources = props.customResources ?? false;
    const statements = this.ecrEndpointStatements(registryAccounts, props.allowPush ?? false, props.pullThroughCache ?? false,
      customResources, checks);
    for (const statement of statements) {
      this.ecrApiEndpoint.addToPolicy(statement);
      this.ecrDockerEndpoint.addToPolicy(statement);
    }

    this.s3Endpoint = new ec2.GatewayVpcEndpoint(this, 'S3', {
      vpc,
      service: ec2.GatewayVpcEndpointAwsService.S3,
      subnets: gatewaySubnets,
    });
    this.s3Endpoint.addToPolicy(new iam.PolicyStatement({
      sid: 'EcrLayerBucket',
      principals: [new iam.StarPrincipal()],
      actions: S3_LAYER_READ_ACTIONS,
      resources: [`arn:${partitionOf(stack, stack.region)}:s3:::prod-${stack.region}-starport-layer-bucket/*`],
    }));
    if (customResources || checks) {
      // "For custom resources, allow traffic to the cloudformation-custom-resource-response-region
      // bucket. When using custom resources, AWS Region names don't contain dashes. For example,
      // uswest2." (vpc-interface-endpoints.html). Fn::Split + Fn::Join drop the dashes of a
      // Region known only at deploy time.
      const region = Token.isUnresolved(stack.region) ? Fn.join('', Fn.split('-', stack.region)) : stack.region.replace(/-/g, '');
      this.s3Endpoint.addToPolicy(new iam.PolicyStatement({
        sid: 'CloudFormationCustomResourceResponses',
        principals: [new iam.StarPrincipal()],
        actions: S3_CUSTOM_RESOURCE_RESPONSE_ACTIONS,
        resources: [`arn:${partitionOf(stack, stack.region)}:s3:::cloudformation-custom-resource-response-${region}/*`],
      }));
    }
    for (const statement of props.additionalS3Statements ?? []) {
      this.s3Endpoint.addToPolicy(statement);
    }

    if (props.cloudWatchLogs ?? true) {
      this.logsEndpoint = iface('Logs', ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS);
    }
    if (props.secretsManager ?? false) {
      this.secretsManagerEndpoint = iface('SecretsManager', ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER);
    }
  }

  private ecrEndpointStatements(registryAccounts: string[], allowPush: boolean, pullThroughCache: boolean,
    customResources: boolean, checks: boolean): iam.PolicyStatement[] {
    const stack = Stack.of(this);
    const repositoryArns = registryAccounts.map((account) => repositoryArn(stack, account, stack.region, '*'));
    const accountSettings = customResources ? [new iam.PolicyStatement({
      sid: 'RegistryAccountSettings',
      principals: [new iam.StarPrincipal()],
      actions: ECR_ACCOUNT_SETTING_ACTIONS,
      // ecr:PutAccountSetting has no resource type; a setting belongs to the caller's account.
      resources: ['*'],
      conditions: { StringEquals: { 'aws:PrincipalAccount': registryAccounts } },
    })] : [];
    return [
      new iam.PolicyStatement({
        sid: 'AuthenticateToEcr',
        principals: [new iam.StarPrincipal()],
        actions: ECR_AUTH_ACTIONS,
        // ecr:GetAuthorizationToken has no resource type: AWS allows no narrower resource.
        resources: ['*'],
      }),
      new iam.PolicyStatement({
        sid: 'RegistryAccountsOnly',
        principals: [new iam.StarPrincipal()],
        actions: [...new Set([
          ...ECR_PULL_ACTIONS,
          ...(pullThroughCache ? ECR_PULL_THROUGH_CACHE_ACTIONS : []),
          ...ECR_DESCRIBE_ACTIONS,
          ...(allowPush ? ECR_PUSH_ACTIONS : []),
          ...(checks ? ECR_VERIFY_IMAGE_ACTIONS : []),
        ])],
        resources: repositoryArns,
      }),
      ...accountSettings,
    ];
  }

  /** The VPC's CIDR as a literal where the VPC was defined with one, else its token. */
}

function vpcCidr(vpc: ec2.IVpc): string {
  const cfn = vpc.node.defaultChild;
  if (cfn instanceof ec2.CfnVPC && typeof cfn.cidrBlock === 'string' && !Token.isUnresolved(cfn.cidrBlock)) {
    return cfn.cidrBlock;
  }
  return vpc.vpcCidrBlock;
}
