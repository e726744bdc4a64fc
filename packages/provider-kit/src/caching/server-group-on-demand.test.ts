import { describe, expect, it } from 'vitest';
import { ServerGroupOnDemand, type ServerGroupOnDemandSpec } from './server-group-on-demand.js';

const agent = { providerName: 'aws', accountName: 'prod', region: 'us-east-1', agentType: 'prod/us-east-1/ClusterCachingAgent' };

function onDemand(spec: Partial<ServerGroupOnDemandSpec> = {}): ServerGroupOnDemand {
  return new ServerGroupOnDemand(agent, { parseKey: () => undefined, siblingEdges: [], now: () => 0, ...spec });
}

describe('ServerGroupOnDemand', () => {
  it("owns the agent's server group keys and names its on-demand side after the agent", () => {
    const od = onDemand();
    expect(od.glob).toBe('aws:serverGroups:*:prod:us-east-1:*');
    expect(od.onDemandAgentType).toBe('prod/us-east-1/ClusterCachingAgent-OnDemand');
  });

  it("handles ServerGroup of the agent's provider only, case-insensitively", () => {
    const od = onDemand();
    expect(od.handles('ServerGroup', 'aws')).toBe(true);
    expect(od.handles('serverGroup', 'aws')).toBe(true);
    expect(od.handles('ServerGroup', 'gce')).toBe(false);
    expect(od.handles('LoadBalancer', 'aws')).toBe(false);
  });

  it('reads the group and account from the default fields, and answers undefined for other accounts and regions', () => {
    const od = onDemand();
    expect(od.nameOf({ serverGroupName: 'app-v001', account: 'prod', region: 'us-east-1' })).toBe('app-v001');
    expect(od.nameOf({ serverGroupName: 'app-v001', credentials: 'prod', region: 'us-east-1' })).toBe('app-v001');
    expect(od.nameOf({ serverGroupName: 'app-v001', accountName: 'prod', region: 'us-east-1' })).toBe('app-v001');
    expect(od.nameOf({ serverGroupName: 'app-v001', account: 'test', region: 'us-east-1' })).toBeUndefined();
    expect(od.nameOf({ serverGroupName: 'app-v001', account: 'prod', region: 'eu-west-1' })).toBeUndefined();
    expect(od.nameOf({ serverGroupName: '', account: 'prod', region: 'us-east-1' })).toBeUndefined();
    expect(od.nameOf({ asgName: 'app-v001', account: 'prod', region: 'us-east-1' })).toBeUndefined();
  });

  it('takes the first field that is present, as `a ?? b` does: null is absent, other values win even when wrong', () => {
    const od = onDemand({ nameFields: ['serverGroupName', 'asgName'], accountFields: ['account', 'credentials'] });
    expect(od.nameOf({ serverGroupName: null, asgName: 'app-v002', account: null, credentials: 'prod', region: 'us-east-1' })).toBe('app-v002');
    // A present but non-string name is not skipped for the next field.
    expect(od.nameOf({ serverGroupName: 7, asgName: 'app-v002', account: 'prod', region: 'us-east-1' })).toBeUndefined();
    // Fields not listed are not read.
    expect(od.nameOf({ serverGroupName: 'app-v001', accountName: 'prod', region: 'us-east-1' })).toBeUndefined();
  });
});
