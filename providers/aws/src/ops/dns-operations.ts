import { ChangeResourceRecordSetsCommand, ListHostedZonesByNameCommand } from '@aws-sdk/client-route-53';
import { DescribeLoadBalancersCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { OperationDefinition } from '@stratus/plugin-api';
import type { AwsOperationDeps } from './aws-operation-deps.js';
import { regionalOperation, requireString } from './regional-operation.js';

const withDot = (name: string) => (name.endsWith('.') ? name : `${name}.`);
const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/**
 * `upsertAmazonDNSDescription`: `{type: CNAME|A, name, target, hostedZoneName}` — upserts a record
 * in the named hosted zone. A CNAME points at `target` (TTL 60); an A record is an alias to the
 * load balancer whose DNS name is `target`, or a plain record when `target` is an IPv4 address.
 */
export function upsertAmazonDnsOperation(deps: AwsOperationDeps): OperationDefinition {
  return regionalOperation(deps, {
    name: 'upsertAmazonDNSDescription',
    phase: 'UPSERT_DNS',
    regionOptional: true,
    validate(input, errors) {
      if (input.type !== 'CNAME' && input.type !== 'A') errors.reject('type', 'invalid', 'type must be CNAME or A');
      requireString(errors, input, 'name');
      requireString(errors, input, 'target');
      requireString(errors, input, 'hostedZoneName');
    },
    async act({ clients, task, input }) {
      const zoneName = withDot(input.hostedZoneName as string);
      const zones = await clients.route53.send(new ListHostedZonesByNameCommand({ DNSName: zoneName, MaxItems: 1 }));
      const zone = zones.HostedZones?.find((z) => z.Name === zoneName);
      if (!zone?.Id) throw new Error(`Hosted zone ${zoneName} not found`);
      const name = withDot(input.name as string);
      const target = input.target as string;
      let record;
      if (input.type === 'CNAME' || IPV4.test(target)) {
        record = { Name: name, Type: input.type as 'A' | 'CNAME', TTL: 60, ResourceRecords: [{ Value: target }] };
      } else {
        const lbs = await clients.elbv2.send(new DescribeLoadBalancersCommand({}));
        const lb = lbs.LoadBalancers?.find((l) => l.DNSName?.toLowerCase() === target.toLowerCase().replace(/\.$/, ''));
        if (!lb?.CanonicalHostedZoneId) throw new Error(`No load balancer with DNS name ${target} to alias ${name} to`);
        record = { Name: name, Type: 'A' as const, AliasTarget: { DNSName: target, HostedZoneId: lb.CanonicalHostedZoneId, EvaluateTargetHealth: false } };
      }
      await task.updateStatus('UPSERT_DNS', `Upserting ${record.Type} record ${name} -> ${target} in ${zoneName}`);
      await clients.route53.send(
        new ChangeResourceRecordSetsCommand({ HostedZoneId: zone.Id, ChangeBatch: { Changes: [{ Action: 'UPSERT', ResourceRecordSet: record }] } }),
      );
      return { dnsName: name, hostedZoneId: zone.Id };
    },
  });
}
