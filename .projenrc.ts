import { awscdk, DependencyType, JsonFile, javascript } from 'projen';

const project = new awscdk.AwsCdkConstructLibrary({
  name: 'cdk-secure-registry',
  description:
    'One opinionated, secure Amazon ECR registry in a few lines of CDK: repositories, scanning, ' +
    'replication, pull-through cache, creation templates, lifecycle and archive rules, signing, ' +
    'VPC endpoints and least-privilege roles, checked by cdk-nag.',
  author: 'cdk-secure-registry maintainers',
  authorAddress: 'maintainers@cdk-secure-registry.dev',
  repositoryUrl: 'https://github.com/cdk-secure-registry/cdk-secure-registry.git',
  // npm and Construct Hub link to these from the package page.
  homepage: 'https://github.com/cdk-secure-registry/cdk-secure-registry#readme',
  bugsUrl: 'https://github.com/cdk-secure-registry/cdk-secure-registry/issues',
  license: 'Apache-2.0',
  // Construct Hub lists packages with the 'awscdk' keyword.
  keywords: ['awscdk', 'aws-cdk', 'cdk', 'ecr', 'container-registry', 'cdk-nag', 'supply-chain', 'security'],
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  jsiiVersion: '~6.0.0',

  // The peer floor: every ECR L1 we use (CfnRepositoryCreationTemplate with CREATE_ON_PUSH,
  // CfnSigningConfiguration, CfnPullTimeUpdateExclusion) and cdk-nag v3's Validations API are
  // there from 2.257.0, but Validations parses acknowledgment ids with '::' inside brackets
  // (AwsSolutions-IAM5[Resource::arn:...], which creation templates and cache roles write) only
  // from 2.269.0 (measured: 2.268.0 throws InvalidValidationId). CI proves the floor with
  // scripts/peer-floor/check.sh. We develop and test against 2.276.0 (devDependency pin).
  cdkVersion: '2.276.0',
  constructsVersion: '10.5.1',

  // cdk-nag is part of our public API (EcrSupplyChainChecks extends NagPack), so it is a peer.
  peerDeps: ['cdk-nag@^3.0.2'],
  // We test against the current aws-cdk-lib, not the floor (projen would pin dev deps to the floor).
  peerDependencyOptions: { pinnedDevDependency: false },
  devDeps: [
    'aws-cdk-lib@2.276.0',
    'cdk-nag@3.0.2',
    'constructs@10.5.1',
    // CloudFormation resource specification for the compliance harness (types, properties, enums).
    '@aws-cdk/aws-service-spec',
    // Property-based tests of the lifecycle evaluator's invariants.
    'fast-check',
    // Offline IAM policy evaluation for the least-privilege proofs (AGPL; dev only, never shipped).
    '@cloud-copilot/iam-simulate',
    // Integration tests (snapshots verified offline; deployed with credentials via `npm run integ`).
    // VerifiedImage's deploy-time handler: bundled by esbuild at the library's build (bundle:handlers)
    // with the AWS SDK clients it calls, because the Lambda runtime's own SDK lags ECR's newer APIs
    // (DescribeImageSigningStatus). Dev only: the bundle in lib/ is what ships, never these packages.
    'esbuild@^0.28.2',
    '@aws-sdk/client-ecr@^3.1178.0',
    '@aws-sdk/client-sns@^3.1178.0',
    // The handler's decision table is tested against mocked SDK clients.
    'aws-sdk-client-mock@^4.1.0',
  ],

  jestOptions: {
    // jest 30 pulls unrs-resolver through jest-resolve: same `npm ci` trap as above.
    jestVersion: '^29',
    // CI must never rewrite snapshots: a snapshot test that updates itself cannot fail.
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestConfig: {
      // examples/first-app imports 'cdk-secure-registry' as a user's app does; tests run it from src/.
      moduleNameMapper: { '^cdk-secure-registry$': '<rootDir>/src' },
      testPathIgnorePatterns: ['/node_modules/', '\\.snapshot/'],
      coveragePathIgnorePatterns: ['/node_modules/', '/test/'],
      // Bundles VerifiedImage's handler first, so `npx jest` on a fresh clone synthesizes with it.
      globalSetup: '<rootDir>/scripts/bundle-handlers.js',
    },
  },

  // The same mapping for the type checker (test/, examples/ and eslint's resolver read this file).
  tsconfigDev: {
    compilerOptions: { paths: { 'cdk-secure-registry': ['../src'] } },
  },

  // Integration tests: explicit `test/integ.<name>.ts`, snapshots verified offline.
  experimentalIntegRunner: true,
  integrationTestAutoDiscover: false,

  // Publishing to Construct Hub: every jsii target is configured; only the JS package can be
  // built on CI machines here (no PyPI, Maven Central, NuGet toolchains), so `.ci/run`
  // calls `package:js` only.
  publishToPypi: {
    distName: 'cdk-secure-registry',
    module: 'cdk_secure_registry',
  },
  publishToMaven: {
    javaPackage: 'dev.cdksecureregistry',
    mavenGroupId: 'dev.cdk-secure-registry',
    mavenArtifactId: 'cdk-secure-registry',
  },
  publishToNuget: {
    dotNetNamespace: 'CdkSecureRegistry',
    packageId: 'CdkSecureRegistry',
  },
  publishToGo: {
    moduleName: 'github.com/cdk-secure-registry/cdk-secure-registry-go',
  },

  // The lifecycle-preview command line (DESIGN.md, command-line contract).
  bin: { 'cdk-secure-registry': 'lib/cli/main.js' },

  eslintOptions: {
    dirs: ['src'],
    devdirs: ['test', 'examples', 'scripts'],
  },
  gitignore: ['cdk.out', '/cdk.out*/', 'test/**/*.snapshot/**/asset.*', '/bench-results/', '.tmp/'],
  npmignoreEnabled: true,

  githubOptions: { mergify: false },
  autoApproveUpgrades: false,
});

// examples/ and scripts/ are type-checked and linted like tests: eslint's project service
// looks for the nearest tsconfig.json, so each folder gets one that extends the test config.
for (const dir of ['examples', 'scripts']) {
  new JsonFile(project, `${dir}/tsconfig.json`, {
    obj: {
      extends: '../test/tsconfig.json',
      compilerOptions: { rootDir: '..' },
      include: ['**/*.ts'],
    },
  });
}

// examples/first-app imports 'cdk-secure-registry' as a user's app does; TypeScript and jest map
// it to src/ (tsconfigDev, jestConfig), but eslint's import resolver reads the root tsconfig.json.
project.eslint?.addOverride({
  files: ['examples/first-app/**/*.ts'],
  rules: { 'import/no-unresolved': ['error', { ignore: ['^cdk-secure-registry$'] }] },
});

// VerifiedImage's handler imports the AWS SDK clients it is bundled with (devDependencies: the
// bundle in lib/ is what ships, so users never install them).
project.eslint?.allowDevDeps('src/verified-image/handler/**');

// Node.js: aws-cdk-lib 2.276.0 declares node >= 20.0.0, and so do we. Set as an engine, not with
// projen's minNodeVersion, which would also pin @types/node to ^20 (a lock-file change) and the
// GitHub workflows' Node version.
project.package.addEngine('node', '>= 20.0.0');

// Peer floor: see the comment on cdkVersion (which we use for development and tests).
project.deps.removeDependency('aws-cdk-lib', DependencyType.PEER);
project.deps.addDependency('aws-cdk-lib@^2.269.0', DependencyType.PEER);
// projen adds these with '*' or 'latest'; pin them.
// eslint-import-resolver-typescript 4.x pulls unrs-resolver, whose platform packages are left
// out of a fresh lock file, so `npm ci` fails on a clean machine; 3.6.3 does not.
project.deps.removeDependency('eslint-import-resolver-typescript', DependencyType.BUILD);
project.deps.addDependency('eslint-import-resolver-typescript@3.6.3', DependencyType.BUILD);

// No task that rewrites snapshots: a snapshot test that updates itself cannot fail. Update one
// deliberately with `npx jest -u <file>` and review the diff.
project.tasks.removeTask('test:update');

// VerifiedImage's custom-resource handler: one self-contained file (the SDK clients inlined), built
// before the TypeScript compile so that it lands in lib/ (and so in the npm package), and before
// the tests so that a fresh clone's `npm test` synthesizes with it.
const bundleHandlers = project.addTask('bundle:handlers', {
  description: 'Bundle the VerifiedImage custom-resource handler (esbuild) into lib/verified-image/bundle/',
  exec: 'node scripts/bundle-handlers.js',
});
project.preCompileTask.spawn(bundleHandlers);
project.testTask.prependSpawn(bundleHandlers);

// `_`-prefixed `@internal` members are left out of .jsii and API.md by jsii, but jsii compiles
// with `stripInternal: false` (its strict tsconfig rules reject `true`: TypeScript's stripping
// would also drop members that public subclasses inherit from an @internal base,
// https://github.com/aws/jsii-compiler/issues/2461), so they would still be in lib/*.d.ts.
// A declarations-only pass with --stripInternal rewrites lib/*.d.ts without them; then the
// public declarations are type-checked on their own (skipLibCheck off), as a consumer sees them.
project.compileTask.exec('tsc --project tsconfig.json --emitDeclarationOnly --stripInternal');
project.compileTask.exec('tsc --ignoreConfig --noEmit --strict --skipLibCheck false --module node16 --target es2022 --types node lib/index.d.ts lib/cli/main.d.ts');

// docs/ERRORS.md lists every validation error code, generated from src/ so that it cannot drift;
// test/docs/error-codes.test.ts fails when the committed page differs from what this writes.
project.addTask('docs:errors', {
  description: 'Regenerate docs/ERRORS.md (every validation error code) from src/',
  exec: 'ts-node --project scripts/tsconfig.json scripts/error-codes.ts',
});

// Flagship example: `npm run synth` writes the four-stack app to cdk.out/ with every cdk-nag pack.
project.addTask('synth', {
  description: 'Synthesize the flagship example (examples/secure-registry) into cdk.out/',
  exec: 'ts-node --project examples/tsconfig.json examples/synth.ts',
});

project.addTask('bench', {
  description: 'Print benchmark ratios measured in one run (ours vs plain aws-cdk-lib)',
  exec: 'ts-node --project scripts/tsconfig.json scripts/bench.ts',
});

// integ-runner 2.197.10 (the latest release) reads cloud assembly schema 53 at most and
// aws-cdk-lib 2.276.0 writes 55, so `integ-runner` fails on every test; jest verifies the
// committed integ snapshots instead (test/integ-snapshots.test.ts). Keep `integ` as a task for
// live runs once a schema-55 integ-runner exists, but out of `test`.
const integStep = project.testTask.steps.findIndex((step) => step.spawn === 'integ');
if (integStep >= 0) {
  project.testTask.removeStep(integStep);
}

// Only lib/, .jsii, README, API.md, LICENSE and the CLI are published.
for (const p of ['/examples/', '/scripts/', '/docs/', '/rosetta/', '/cdk.out/', '/.ci/', 'cdk.context.json', '/test-reports/', '/coverage/']) {
  project.addPackageIgnore(p);
}

// Every TypeScript snippet of README.md and of the @example doc comments compiles, or the build
// fails: jsii-rosetta reads them from the .jsii assembly, completes them with
// rosetta/default.ts-fixture, and writes the translations to .jsii.tabl.json, which ships in the
// npm package for Construct Hub. --batch compiles every snippet in one TypeScript program (one
// load of aws-cdk-lib's types instead of one per snippet). .ci/run calls it after compile.
const rosettaTask = project.addTask('rosetta:extract', {
  description: 'Compile and translate every README and @example snippet (fails on a broken one)',
  exec: 'jsii-rosetta extract --strict --batch 1000 .jsii',
});
project.postCompileTask.prependSpawn(rosettaTask);
// The tablet is derived from .jsii (itself not committed), so it is built, not committed.
project.gitignore.exclude('.jsii.tabl.json');

project.synth();
