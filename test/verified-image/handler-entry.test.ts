/*
 * The Lambda entry point: it answers CloudFormation by PUT to the presigned ResponseURL, and
 * answers even when the decision itself throws.
 */
import { EventEmitter } from 'events';
import { DescribeImageScanFindingsCommand, DescribeImagesCommand, ECRClient } from '@aws-sdk/client-ecr';
import { SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { ANSWER_RESERVE_MS, SDK_HTTP_OPTIONS, clientConfig, handler } from '../../src/verified-image/handler/index';

const sent: Array<{ url: string; method?: string; body: string }> = [];

jest.mock('https', () => ({
  request: (url: string, options: { method?: string }, callback: (res: EventEmitter & { resume(): void }) => void) => {
    const req = new EventEmitter() as EventEmitter & { setTimeout(): void; end(body: string): void };
    req.setTimeout = () => undefined;
    req.end = (body: string) => {
      sent.push({ url, method: options.method, body });
      const res = Object.assign(new EventEmitter(), { resume: () => undefined });
      callback(res);
      res.emit('end');
    };
    return req;
  },
}));

const ecrMock = mockClient(ECRClient);
const DIGEST = `sha256:${'d'.repeat(64)}`;
const context = { logGroupName: '/aws/lambda/check', getRemainingTimeInMillis: () => 600_000 };

function event(props: Record<string, any>) {
  return {
    RequestType: 'Create' as const,
    ResponseURL: 'https://cloudformation-custom-resource-response-useast1.s3.amazonaws.com/r?sig=1',
    StackId: 'arn:aws:cloudformation:us-east-1:111111111111:stack/S/1',
    RequestId: 'req-9',
    LogicalResourceId: 'Image',
    ResourceProperties: props,
  };
}

beforeEach(() => {
  sent.length = 0;
  ecrMock.reset();
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
});

const PROPS = {
  RepositoryName: 'prod/orders',
  RegistryId: '111111111111',
  Region: 'us-east-1',
  ImageTag: 'v1',
  PullThroughCache: 'false',
  Policy: JSON.stringify({ blockOn: 'HIGH', allowlist: [], fixableOnly: false, signingProfileArns: [], timeoutSeconds: 60, pollSeconds: 15 }),
};

test('a passed check is PUT to the ResponseURL as SUCCESS with the digest', async () => {
  ecrMock.on(DescribeImagesCommand).resolves({ imageDetails: [{ imageDigest: DIGEST }] });
  ecrMock.on(DescribeImageScanFindingsCommand).resolves({ imageScanStatus: { status: 'COMPLETE' }, imageScanFindings: {} });
  await handler(event(PROPS), context);
  expect(sent).toHaveLength(1);
  expect(sent[0].method).toBe('PUT');
  expect(sent[0].url).toContain('cloudformation-custom-resource-response-useast1');
  const body = JSON.parse(sent[0].body);
  expect(body).toMatchObject({ Status: 'SUCCESS', RequestId: 'req-9', LogicalResourceId: 'Image', Data: { ImageDigest: DIGEST } });
});

test('properties it cannot read still get an answer: FAILED, never silence', async () => {
  await handler(event({ RepositoryName: 'prod/orders', Policy: 'not json' }), context);
  expect(sent).toHaveLength(1);
  const body = JSON.parse(sent[0].body);
  expect(body.Status).toBe('FAILED');
  expect(body.Reason).toMatch(/invalid properties/);
  expect(body.PhysicalResourceId).toBe('verified-image:failed:req-9');
});


describe('AWS calls that fail or never answer', () => {
  test('a rejected ECR call (a request timeout) is answered FAILED with the error as the reason', async () => {
    ecrMock.on(DescribeImagesCommand).rejects(Object.assign(
      new Error('@smithy/node-http-handler - [ERROR] a request has exceeded the configured 10000 ms requestTimeout.'),
      { name: 'TimeoutError', code: 'ETIMEDOUT' }));
    await handler(event(PROPS), context);
    expect(sent).toHaveLength(1);
    const body = JSON.parse(sent[0].body);
    expect(body.Status).toBe('FAILED');
    expect(body.Reason).toMatch(/^VerifiedImage: prod\/orders: an ECR call failed: TimeoutError: .*requestTimeout.*deploy again to retry/);
    expect(body.PhysicalResourceId).toBe('verified-image:failed:req-9');
  });

  test('a call that never answers: FAILED is sent before the function times out', async () => {
    ecrMock.on(DescribeImagesCommand).callsFake(() => new Promise(() => undefined));
    const started = Date.now();
    await handler(event(PROPS), { ...context, getRemainingTimeInMillis: () => ANSWER_RESERVE_MS + 50 });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(sent).toHaveLength(1);
    const body = JSON.parse(sent[0].body);
    expect(body.Status).toBe('FAILED');
    expect(body.Reason).toMatch(/no decision before the function's timeout.*deploy again to retry/);
  });

  test('the ECR and SNS clients time out their requests (and a request timeout is an error, not a warning)', async () => {
    expect(SDK_HTTP_OPTIONS).toEqual({ connectionTimeout: 3_000, requestTimeout: 10_000, throwOnRequestTimeout: true });
    // What the clients actually resolve the options to (their NodeHttpHandler's configuration).
    for (const client of [new ECRClient(clientConfig('eu-west-1')), new SNSClient(clientConfig())]) {
      const config = await (client.config.requestHandler as any).configProvider;
      expect(config).toMatchObject(SDK_HTTP_OPTIONS);
    }
    expect(clientConfig('eu-west-1').region).toBe('eu-west-1');
    expect(clientConfig()).not.toHaveProperty('region');
  });
});
