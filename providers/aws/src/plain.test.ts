import type { AutoScalingGroup } from '@aws-sdk/client-auto-scaling';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { toPlain, type AwsPlain, type JacksonName } from './plain.js';

describe('toPlain', () => {
  it('names keys as Jackson does, on the type level too', () => {
    expectTypeOf<JacksonName<'MinSize'>>().toEqualTypeOf<'minSize'>();
    expectTypeOf<JacksonName<'VPCZoneIdentifier'>>().toEqualTypeOf<'vpczoneIdentifier'>();
    expectTypeOf<JacksonName<'DNSName'>>().toEqualTypeOf<'dnsname'>();
    expectTypeOf<AwsPlain<{ CreatedTime?: Date; $metadata: object }>>().toEqualTypeOf<{ createdTime?: number }>();
  });

  it('writes what its type says: renamed keys, dates as epoch ms, no $metadata or undefined', () => {
    const asg: AutoScalingGroup & { $metadata: object } = {
      AutoScalingGroupName: 'shop-v001',
      MinSize: 1,
      MaxSize: 3,
      DesiredCapacity: 2,
      DefaultCooldown: 300,
      AvailabilityZones: ['us-east-1a'],
      HealthCheckType: 'EC2',
      VPCZoneIdentifier: 'subnet-a,subnet-b',
      CreatedTime: new Date(5000),
      Instances: [{ InstanceId: 'i-1', AvailabilityZone: 'us-east-1a', LifecycleState: 'InService', HealthStatus: 'Healthy', ProtectedFromScaleIn: false }],
      LaunchTemplate: undefined,
      $metadata: {},
    };
    const plain = toPlain(asg);
    expect(plain.vpczoneIdentifier).toBe('subnet-a,subnet-b');
    expect(plain.createdTime).toBe(5000);
    expect(plain.instances?.[0]?.instanceId).toBe('i-1');
    expect(Object.keys(plain)).toEqual([
      'autoScalingGroupName',
      'minSize',
      'maxSize',
      'desiredCapacity',
      'defaultCooldown',
      'availabilityZones',
      'healthCheckType',
      'vpczoneIdentifier',
      'createdTime',
      'instances',
    ]);
  });
});
