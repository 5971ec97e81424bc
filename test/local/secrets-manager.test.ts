/**
 * The local Secrets Manager answers the SDK as AWS does for the one action the functions call, and refuses the rest.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DescribeSecretCommand, GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { startSecretsManagerService, type SecretsManagerService } from '../../local/secrets-manager';

let service: SecretsManagerService;
let client: SecretsManagerClient;
beforeAll(async () => {
  service = await startSecretsManagerService({ region: 'ap-northeast-1', accountId: '000000000000', secrets: [{ name: 'citydesk-local-pii-hash-key', value: 'k'.repeat(64) }] });
  client = new SecretsManagerClient({ endpoint: service.endpoint, region: 'ap-northeast-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
});
afterAll(async () => {
  client.destroy();
  await service.close();
});

describe('local Secrets Manager', () => {
  it('GetSecretValue by ARN or by name returns the secret string, its ARN and AWSCURRENT', async () => {
    const arn = service.arns['citydesk-local-pii-hash-key'];
    expect(arn).toMatch(/^arn:aws:secretsmanager:ap-northeast-1:000000000000:secret:citydesk-local-pii-hash-key-[A-Za-z0-9]{6}$/);
    const byArn = await client.send(new GetSecretValueCommand({ SecretId: arn }));
    expect(byArn).toMatchObject({ ARN: arn, Name: 'citydesk-local-pii-hash-key', SecretString: 'k'.repeat(64), VersionStages: ['AWSCURRENT'] });
    expect((await client.send(new GetSecretValueCommand({ SecretId: 'citydesk-local-pii-hash-key' }))).SecretString).toBe('k'.repeat(64));
  });

  it('an unknown secret is ResourceNotFoundException; another action is refused, not ignored', async () => {
    await expect(client.send(new GetSecretValueCommand({ SecretId: 'citydesk-local-nothing' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    await expect(client.send(new GetSecretValueCommand({ SecretId: 'citydesk-local-pii-hash-key', VersionStage: 'AWSPREVIOUS' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    await expect(client.send(new DescribeSecretCommand({ SecretId: 'citydesk-local-pii-hash-key' }))).rejects.toMatchObject({ name: 'UnknownOperationException' });
  });
});
