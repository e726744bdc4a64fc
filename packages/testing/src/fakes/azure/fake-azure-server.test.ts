import { request } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeAzureServer } from './fake-azure-server.js';

/** The wire protocol of the fake Resource Manager, over HTTPS with its own CA (the SDK-driven tests live in @stratus/provider-azure). */
let server: FakeAzureServer;
const SUB = '/subscriptions/sub-1';
const RG = `${SUB}/resourceGroups/rg`;
const V = '?api-version=2024-07-01';

async function call(
  method: string,
  path: string,
  body?: unknown,
  token = 't',
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: any }> {
  const url = path.startsWith('https:') ? new URL(path) : new URL(path, server.endpoint);
  return new Promise((resolve, reject) => {
    const req = request(url, { method, ca: server.ca, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text ? JSON.parse(text) : undefined });
      });
    });
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

beforeAll(async () => {
  server = await FakeAzureServer.start({ subscriptions: ['sub-1'], token: 't', pageSize: 2, pollsBeforeDone: 2 });
  server.cloud.putResourceGroup('sub-1', 'rg', 'eastus');
});
afterAll(async () => {
  await server?.close();
});

describe('FakeAzureServer', () => {
  it('wants the bearer token and answers ARM error bodies', async () => {
    expect(await call('GET', `${SUB}/resourcegroups${V}`, undefined, 'other')).toMatchObject({
      status: 401,
      body: { error: { code: 'AuthenticationFailed' } },
    });
    expect(await call('GET', `/subscriptions/nope/resourcegroups${V}`)).toMatchObject({ status: 404, body: { error: { code: 'SubscriptionNotFound' } } });
    expect(await call('GET', `${RG}/providers/Microsoft.Network/loadBalancers/none${V}`)).toMatchObject({
      status: 404,
      body: { error: { code: 'ResourceNotFound' } },
    });
    expect(await call('PUT', `${SUB}/resourceGroups/missing/providers/Microsoft.Network/loadBalancers/x${V}`, { location: 'eastus' })).toMatchObject({
      status: 404,
      body: { error: { code: 'ResourceGroupNotFound' } },
    });
  });

  it('pages lists with an absolute nextLink that keeps the api-version', async () => {
    for (const name of ['a', 'b', 'c']) server.cloud.put('sub-1', 'rg', 'networkSecurityGroups', { name });
    const first = await call('GET', `${SUB}/providers/Microsoft.Network/networkSecurityGroups${V}`);
    expect(first.body.value.map((g: { name: string }) => g.name)).toEqual(['a', 'b']);
    expect(first.body.nextLink).toMatch(
      new RegExp(`^${server.endpoint}/subscriptions/sub-1/providers/Microsoft.Network/networkSecurityGroups\\?api-version=2024-07-01&%24skiptoken=2$`),
    );
    const second = await call('GET', first.body.nextLink);
    expect(second.body).toEqual({ value: [expect.objectContaining({ name: 'c', id: `${RG}/providers/Microsoft.Network/networkSecurityGroups/c` })] });
    for (const name of ['a', 'b', 'c']) server.cloud.removeByName('sub-1', 'rg', 'networkSecurityGroups', name);
  });

  it('creates through Azure-AsyncOperation and deletes through Location, each after the configured polls', async () => {
    const put = await call('PUT', `${RG}/providers/Microsoft.Compute/virtualMachineScaleSets/web-v000${V}`, {
      location: 'eastus',
      sku: { name: 'Standard_B1s', capacity: 2 },
      properties: {},
    });
    expect(put).toMatchObject({ status: 201, body: { name: 'web-v000', properties: { provisioningState: 'Creating' } } });
    const status = put.headers['azure-asyncoperation'] as string;
    expect((await call('GET', status)).body.status).toBe('InProgress');
    expect((await call('GET', status)).body.status).toBe('InProgress');
    expect((await call('GET', status)).body.status).toBe('Succeeded');
    const vms = await call('GET', `${RG}/providers/Microsoft.Compute/virtualMachineScaleSets/web-v000/virtualMachines${V}`);
    expect(vms.body.value.map((vm: { name: string }) => vm.name)).toEqual(['web-v000_0', 'web-v000_1']);
    expect(vms.body.nextLink).toBeUndefined();

    const del = await call('DELETE', `${RG}/providers/Microsoft.Compute/virtualMachineScaleSets/web-v000${V}`);
    expect(del.status).toBe(202);
    const location = del.headers.location as string;
    expect((await call('GET', location)).status).toBe(202);
    expect((await call('GET', location)).status).toBe(202);
    expect((await call('GET', location)).status).toBe(200);
    expect(server.cloud.list('sub-1', 'virtualMachineScaleSets')).toEqual([]);
  });

  it('fails the next matching operation with the given error, leaving a failed create in state Failed', async () => {
    server.cloud.failNext({
      method: 'PUT',
      idIncludes: 'loadBalancers/lb-1',
      code: 'InvalidResourceReference',
      message: 'Resource lb-1/backendAddressPools/x referenced by rule http was not found.',
    });
    const put = await call('PUT', `${RG}/providers/Microsoft.Network/loadBalancers/lb-1${V}`, { location: 'eastus', properties: {} });
    const status = put.headers['azure-asyncoperation'] as string;
    await call('GET', status);
    await call('GET', status);
    expect((await call('GET', status)).body).toMatchObject({
      status: 'Failed',
      error: { code: 'InvalidResourceReference', message: 'Resource lb-1/backendAddressPools/x referenced by rule http was not found.' },
    });
    expect(server.cloud.list('sub-1', 'loadBalancers')[0]!.properties.provisioningState).toBe('Failed');

    // A failed action answers its Location poll with the error.
    server.cloud.put('sub-1', 'rg', 'virtualMachineScaleSets', { name: 'db-v000', sku: { capacity: 1 }, properties: {} });
    server.cloud.failNext({ method: 'POST', idIncludes: 'db-v000', code: 'OperationNotAllowed', message: 'The scale set is being updated.' });
    const post = await call('POST', `${RG}/providers/Microsoft.Compute/virtualMachineScaleSets/db-v000/delete${V}`, { instanceIds: ['0'] });
    const location = post.headers.location as string;
    await call('GET', location);
    await call('GET', location);
    expect(await call('GET', location)).toMatchObject({
      status: 409,
      body: { error: { code: 'OperationNotAllowed', message: 'The scale set is being updated.' } },
    });
    expect(server.cloud.scaleSetVms(server.cloud.resourceId('sub-1', 'rg', 'virtualMachineScaleSets', 'db-v000'))).toHaveLength(1);
    expect(await call('POST', `${RG}/providers/Microsoft.Compute/virtualMachineScaleSets/db-v000/delete${V}`, { instanceIds: ['7'] })).toMatchObject({
      status: 400,
      body: { error: { code: 'InvalidParameter' } },
    });
  });
});
