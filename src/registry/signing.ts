import { Annotations, Aws, Lazy, Names, Stack, Token, aws_ecr as ecr, aws_iam as iam, aws_signer as signer } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { SIGNER_SIGN_ACTIONS } from '../private/ecr-actions';
import { SIGNING_REGIONS, validateSigningFilters, wildcardRegex } from '../private/ecr-model';
import { Problems } from '../private/errors';
import { acknowledgeWildcardResources } from '../private/nag';

/**
 * A managed signing rule: images pushed to the repositories it matches are signed by ECR with
 * an AWS Signer profile (Notation format).
 *
 * Signing uses the pusher's identity: every principal that pushes to a matched repository
 * needs `signer:SignPayload` on the profile. `SecureRepository.grantPush` on a repository of
 * the registry adds it.
 *
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/managed-signing.html
 */
export interface SigningRuleOptions {
  /**
   * Repository name patterns (`*` matches any sequence of characters, e.g. `prod/*`); images
   * pushed to a repository that matches any of them are signed. 1-100 patterns.
   *
   * @default - every repository of the registry
   */
  readonly repositoryFilters?: string[];

  /**
   * The AWS Signer profile (platform `Notation-OCI-SHA384-ECDSA`), in the registry's Region.
   *
   * @default - the registry's own profile (`SigningProfile`), created on first use
   */
  readonly signingProfile?: signer.ISigningProfile;
}

/**
 * `SigningProfileArn` of a signing rule (CloudFormation schema of `AWS::ECR::SigningConfiguration`).
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ecr-signingconfiguration.html
 */
const SIGNING_PROFILE_ARN_PATTERN = /^arn:aws(-[a-z]+)*:signer:[a-z0-9-]+:[0-9]{12}:\/signing-profiles\/[a-zA-Z0-9_]{2,}$/;

/** The API and the user guide allow 10 signing rules; the CloudFormation schema says 50. We use 10. */
const MAX_SIGNING_RULES = 10;

interface SigningRule {
  readonly profile: signer.ISigningProfile;
  readonly filters?: string[];
}

interface PushGrant {
  readonly grantee: iam.IGrantable;
  readonly repositoryName: string;
}

/**
 * The managed signing of one registry: its rules, the registry's own profile, the one
 * `SigningConfiguration` (created with the first rule) and the `signer:SignPayload` grants of
 * every pusher to a covered repository, for rules added before or after the push grant.
 */
export class RegistrySigning {
  private readonly rules: SigningRule[] = [];
  private readonly pushGrants: PushGrant[] = [];
  private readonly granted = new Set<string>();
  private profile?: signer.SigningProfile;
  private configuration?: ecr.CfnSigningConfiguration;

  /**
   * @param owner the registry construct: errors name it, and the profile and configuration are its children
   * @param region the registry's Region
   */
  constructor(private readonly owner: Construct, private readonly region: string) {}

  /** Adds a rule and returns the profile it signs with. */
  public addRule(options: SigningRuleOptions): signer.ISigningProfile {
    const problems = new Problems();
    if (!Token.isUnresolved(this.region) && !SIGNING_REGIONS.has(this.region)) {
      problems.add('SigningUnavailableInRegion',
        `managed signing is not available in ${this.region}: sign in a Region that supports it ` +
        '(e.g. us-east-1, eu-west-1; see https://docs.aws.amazon.com/AmazonECR/latest/userguide/managed-signing.html) ' +
        'or sign in CI with Notation');
    }
    if (options.repositoryFilters !== undefined) {
      validateSigningFilters(problems, options.repositoryFilters, 'repositoryFilters');
    }
    if (this.rules.length + 1 > MAX_SIGNING_RULES) {
      problems.add('TooManySigningRules',
        `this would be signing rule ${this.rules.length + 1}; ECR accepts at most ${MAX_SIGNING_RULES} per registry ` +
        '(API and user guide; the CloudFormation schema says 50): merge filters into fewer rules');
    }
    const profileArn = options.signingProfile?.signingProfileArn;
    if (profileArn !== undefined && !Token.isUnresolved(profileArn) && !SIGNING_PROFILE_ARN_PATTERN.test(profileArn)) {
      problems.add('InvalidSigningProfileArn',
        `signingProfile '${profileArn}' is not a signer profile ARN ECR accepts in a signing rule: import the profile as ` +
        "'arn:aws:signer:<region>:<account>:/signing-profiles/<name>' (signer.SigningProfile.fromSigningProfileAttributes)");
    }
    const profileRegion = options.signingProfile?.env.region;
    if (profileRegion && !Token.isUnresolved(profileRegion) && !Token.isUnresolved(this.region) && profileRegion !== this.region) {
      problems.add('SigningProfileInOtherRegion',
        `signingProfile is in ${profileRegion} but the registry is in ${this.region}: ECR does not sign across Regions`);
    }
    problems.throwIfAny(this.owner);

    const profile = options.signingProfile ?? this.ownProfile();
    const rule: SigningRule = { profile, filters: options.repositoryFilters ? [...options.repositoryFilters] : undefined };
    this.rules.push(rule);
    if (!this.configuration) {
      this.configuration = new ecr.CfnSigningConfiguration(this.owner, 'SigningConfiguration', {
        rules: Lazy.any({ produce: () => this.render() }),
      });
    }
    for (const grant of this.pushGrants) {
      this.grantSignPayload(grant, rule);
    }
    return profile;
  }

  /**
   * Records a pusher to the repository named `repositoryName` (a token counts as covered by
   * every rule) and grants it `signer:SignPayload` on the profile of each covering rule, now
   * and for rules added later.
   */
  public grantPushRequirements(grantee: iam.IGrantable, repositoryName: string): void {
    const grant = { grantee, repositoryName };
    this.pushGrants.push(grant);
    for (const rule of this.rules) {
      this.grantSignPayload(grant, rule);
    }
  }

  /** The profiles of the rules that cover `repositoryName` (a literal name; a token matches none). */
  public profilesFor(repositoryName: string): signer.ISigningProfile[] {
    if (Token.isUnresolved(repositoryName)) {
      return [];
    }
    const covering = this.rules.filter((rule) => rule.filters === undefined ||
      rule.filters.some((f) => !Token.isUnresolved(f) && wildcardRegex(f, true).test(repositoryName)));
    return [...new Set(covering.map((rule) => rule.profile))];
  }

  private grantSignPayload(grant: PushGrant, rule: SigningRule): void {
    const name = grant.repositoryName;
    const covered = rule.filters === undefined || Token.isUnresolved(name) ||
      rule.filters.some((f) => Token.isUnresolved(f) || wildcardRegex(f, true).test(name));
    if (!covered) {
      return;
    }
    const key = `${Names.uniqueId(rule.profile)}|${grant.grantee.grantPrincipal.toString()}|${grantableId(grant.grantee)}`;
    if (this.granted.has(key)) {
      return;
    }
    this.granted.add(key);
    // Managed signing signs with the pusher's identity.
    // https://docs.aws.amazon.com/AmazonECR/latest/userguide/managed-signing.html
    const registryAccount = Stack.of(this.owner).account;
    const pusherAccount = grant.grantee.grantPrincipal.principalAccount;
    const crossAccount = pusherAccount !== undefined && !Token.isUnresolved(pusherAccount) &&
      !Token.isUnresolved(registryAccount) && pusherAccount !== registryAccount;
    if (!crossAccount) {
      iam.Grant.addToPrincipal({ grantee: grant.grantee, actions: SIGNER_SIGN_ACTIONS, resourceArns: [rule.profile.signingProfileArn] });
      return;
    }
    // A pusher of another account: the profile admits that account through a cross-account
    // permission ("AddProfilePermission": principal an account id or role; action
    // signer:SignPayload), and the pusher's own policy allows SignPayload on the profile.
    // https://docs.aws.amazon.com/signer/latest/developerguide/signing-profile-cross-account.html
    // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-signer-profilepermission.html
    const profileAccount = Token.isUnresolved(rule.profile.env.account) ? registryAccount : rule.profile.env.account;
    if (profileAccount === registryAccount) {
      this.permitAccount(rule.profile, pusherAccount);
    } else if (profileAccount !== pusherAccount) {
      // A profile of a third account: only that account can add a permission to it. (A profile
      // of the pusher's own account needs none: its identity policy is enough.)
      Annotations.of(this.owner).addWarningV2('cdk-secure-registry:signingProfilePermissionElsewhere',
        `signing profile ${rule.profile.signingProfileArn} belongs to account ${profileAccount}, so the pusher of account ` +
        `${pusherAccount} needs a cross-account permission there (signer:SignPayload for ${pusherAccount}; ` +
        'aws signer add-profile-permission) that this registry cannot add: add it in the profile\'s account');
    }
    const arn = this.profileArnFromOtherAccount(rule.profile);
    iam.Grant.addToPrincipal({ grantee: grant.grantee, actions: SIGNER_SIGN_ACTIONS, resourceArns: [arn] });
    if (Construct.isConstruct(grant.grantee)) {
      acknowledgeWildcardResources(grant.grantee, [arn],
        'the registry\'s signing profile is named at deploy time in another account, so this account names the ' +
        'registry\'s profiles; only the profiles whose cross-account permission admits this account can sign');
    }
  }

  /** One `AWS::Signer::ProfilePermission` per profile and account. */
  private permitAccount(profile: signer.ISigningProfile, account: string): void {
    const id = `SigningProfilePermission-${account}-${Names.uniqueId(profile)}`;
    if (this.owner.node.tryFindChild(id)) {
      return;
    }
    new signer.CfnProfilePermission(this.owner, id, {
      profileName: profile.signingProfileName,
      action: SIGNER_SIGN_ACTIONS[0],
      principal: account,
      statementId: `EcrPush${account}`,
    });
  }

  /**
   * The profile's ARN as a stack of another account can name it: attributes of the registry's
   * stack cannot cross accounts, so a profile whose name is a deploy-time value is named by the
   * registry's profiles (`/signing-profiles/*`). The profile's own cross-account permission
   * still limits the pusher to the profiles that admit its account.
   */
  private profileArnFromOtherAccount(profile: signer.ISigningProfile): string {
    const account = Token.isUnresolved(profile.env.account) ? Stack.of(this.owner).account : profile.env.account;
    const name = Token.isUnresolved(profile.signingProfileName) ? '*' : profile.signingProfileName;
    return `arn:${Aws.PARTITION}:signer:${this.region}:${account}:/signing-profiles/${name}`;
  }

  private ownProfile(): signer.SigningProfile {
    if (!this.profile) {
      this.profile = new signer.SigningProfile(this.owner, 'SigningProfile', {
        platform: signer.Platform.NOTATION_OCI_SHA384_ECDSA,
      });
    }
    return this.profile;
  }

  private render(): ecr.CfnSigningConfiguration.RuleProperty[] {
    return this.rules.map((r) => ({
      signingProfileArn: r.profile.signingProfileArn,
      repositoryFilters: r.filters?.map((filter) => ({ filter, filterType: 'WILDCARD_MATCH' })),
    }));
  }
}

function grantableId(grantee: iam.IGrantable): string {
  return Construct.isConstruct(grantee) ? grantee.node.path : String(grantee.grantPrincipal);
}
