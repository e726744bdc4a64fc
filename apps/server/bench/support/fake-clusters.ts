import type { ClusterReadModel, ClusterView, InstanceView, ServerGroupView } from '@stratus/plugin-api';

/**
 * Ready-made views of one big application ("big"), served by an in-memory read model: the baseline
 * that measures only what the read services, express and JSON add on top of a provider's model.
 */
export function buildFakeClusters(
  serverGroupCount: number,
  instancesPer: number,
  clusterCount = Math.max(1, Math.round(serverGroupCount / 50)),
): ClusterView[] {
  const accounts = ['prod', 'test', 'staging'];
  const clusters: ClusterView[] = [];
  for (let c = 0; c < clusterCount; c++) {
    const account = accounts[c % accounts.length]!;
    const name = `big-stack${c}-detail`;
    const serverGroups: ServerGroupView[] = [];
    for (let s = c; s < serverGroupCount; s += clusterCount) {
      const sgName = `${name}-v${String(s).padStart(3, '0')}`;
      const region = s % 2 === 0 ? 'us-east-1' : 'us-west-2';
      const instances: InstanceView[] = Array.from({ length: instancesPer }, (_, i) => ({
        name: `i-${s.toString(16)}${i.toString(16).padStart(4, '0')}`,
        healthState: 'Up',
        launchTime: 1_700_000_000_000 + s,
        zone: `${region}a`,
        health: [
          { type: 'Amazon', state: 'Up' },
          { type: 'LoadBalancer', state: 'Up', loadBalancers: [{ loadBalancerName: `${name}-lb`, state: 'InService' }] },
        ],
        cloudProvider: 'aws',
        privateIpAddress: `10.0.${s % 256}.${i}`,
      }));
      serverGroups.push({
        name: sgName,
        moniker: { app: 'big', cluster: name, stack: `stack${c}`, detail: 'detail', sequence: s },
        type: 'aws',
        cloudProvider: 'aws',
        account,
        region,
        disabled: s % 7 === 0,
        createdTime: 1_700_000_000_000 + s * 1000,
        zones: [`${region}a`, `${region}b`],
        instances,
        loadBalancers: [`${name}-lb`],
        securityGroups: ['sg-123', 'sg-456'],
        capacity: { min: instancesPer, max: instancesPer, desired: instancesPer },
        instanceCounts: { total: instancesPer, up: instancesPer, down: 0, unknown: 0, outOfService: 0, starting: 0 },
        launchConfig: { instanceType: 'm5.large', imageId: 'ami-123' },
        tags: { owner: 'team@example.com' },
        buildInfo: { jenkins: { name: 'big', number: String(s) } },
        vpcId: 'vpc-1',
      });
    }
    // As Clouddriver's cluster views carry load balancers: who they are, not what is behind them.
    const loadBalancers = [
      {
        name: 'big-frontend',
        type: 'aws',
        cloudProvider: 'aws',
        account,
        region: 'us-east-1',
        moniker: { app: 'big', cluster: 'big-frontend' },
        serverGroups: [],
      },
    ];
    clusters.push({ name, type: 'aws', accountName: account, moniker: { app: 'big', cluster: name }, serverGroups, loadBalancers });
  }
  return clusters;
}

/** A cluster read model over fixed views. */
export function fakeClusterReadModel(clusters: readonly ClusterView[]): ClusterReadModel {
  return {
    async getClusterNames() {
      const result: Record<string, string[]> = {};
      for (const cluster of clusters) (result[cluster.accountName] ??= []).push(cluster.name);
      return result;
    },
    async getClusters() {
      return [...clusters];
    },
    async getCluster(_app, account, name) {
      return clusters.find((cluster) => cluster.accountName === account && cluster.name === name);
    },
    async getServerGroup(account, region, name) {
      return clusters.flatMap((cluster) => cluster.serverGroups).find((sg) => sg.account === account && sg.region === region && sg.name === name);
    },
  };
}
