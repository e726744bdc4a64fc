import { paginateDescribeInstanceTypes, type InstanceTypeInfo } from '@aws-sdk/client-ec2';
import { authoritative, cacheData, type AgentRunContext, type CacheResult, type ProviderCache } from '@stratus/plugin-api';
import { Keys, Types } from '../keys.js';
import { AwsCachingAgent, type AwsAgentOptions } from './aws-agent.js';

/**
 * Caches the instance types offered in the region (`aws:instanceTypes:<name>:<account>:<region>`),
 * in Clouddriver's `AmazonInstanceType` shape, for `GET /instanceTypes` and Deck's instance-type
 * picker. One paginated DescribeInstanceTypes per run.
 */
export class InstanceTypeCachingAgent extends AwsCachingAgent {
  readonly providedDataTypes = [authoritative(Types.instanceTypes)];

  /** The catalogue changes a few times a year and is the largest describe of a region: hourly at most. */
  static readonly MIN_INTERVAL_MS = 3_600_000;

  constructor(options: AwsAgentOptions) {
    super({ ...options, intervalMs: Math.max(options.intervalMs ?? 0, InstanceTypeCachingAgent.MIN_INTERVAL_MS) }, 'AmazonInstanceTypeCachingAgent');
  }

  async loadData(_cache: ProviderCache, context?: AgentRunContext): Promise<CacheResult> {
    const types: InstanceTypeInfo[] = [];
    const pages = paginateDescribeInstanceTypes({ client: this.aws.ec2, pageSize: this.pageSize(100) }, {}, { abortSignal: context?.signal });
    for await (const page of pages) {
      context?.signal?.throwIfAborted();
      types.push(...(page.InstanceTypes ?? []));
    }
    return {
      cacheResults: {
        [Types.instanceTypes]: types
          .filter((t) => t.InstanceType)
          .map((t) => cacheData(Keys.instanceType(t.InstanceType!, this.account.name, this.region), amazonInstanceType(t, this.account.name, this.region))),
      },
    };
  }
}

/** Clouddriver's `AmazonInstanceType` JSON. */
export function amazonInstanceType(t: InstanceTypeInfo, account: string, region: string): Record<string, unknown> {
  const storage = t.InstanceStorageInfo;
  return {
    account,
    region,
    name: t.InstanceType,
    defaultVCpus: t.VCpuInfo?.DefaultVCpus,
    memoryInGiB: t.MemoryInfo?.SizeInMiB !== undefined ? Math.round(t.MemoryInfo.SizeInMiB / 1024) : undefined,
    hypervisor: t.Hypervisor,
    ...(storage
      ? {
          instanceStorageInfo: {
            storageTypes: (storage.Disks ?? []).map((d) => d.Type).join(','),
            totalSizeInGB: storage.TotalSizeInGB,
            nvmeSupport: storage.NvmeSupport,
          },
        }
      : {}),
    ...(t.EbsInfo
      ? { ebsInfo: { ebsOptimizedSupport: t.EbsInfo.EbsOptimizedSupport, nvmeSupport: t.EbsInfo.NvmeSupport, encryptionSupport: t.EbsInfo.EncryptionSupport } }
      : {}),
    ...(t.GpuInfo
      ? {
          gpuInfo: {
            totalGpuMemoryInMiB: t.GpuInfo.TotalGpuMemoryInMiB,
            gpus: (t.GpuInfo.Gpus ?? []).map((g) => ({ name: g.Name, manufacturer: g.Manufacturer, count: g.Count, gpuSizeInMiB: g.MemoryInfo?.SizeInMiB })),
          },
        }
      : {}),
    instanceStorageSupported: t.InstanceStorageSupported,
    currentGeneration: t.CurrentGeneration,
    bareMetal: t.BareMetal,
    ipv6Supported: t.NetworkInfo?.Ipv6Supported,
    burstablePerformanceSupported: t.BurstablePerformanceSupported,
    supportedArchitectures: t.ProcessorInfo?.SupportedArchitectures ?? [],
    supportedUsageClasses: t.SupportedUsageClasses ?? [],
    supportedRootDeviceTypes: t.SupportedRootDeviceTypes ?? [],
    supportedVirtualizationTypes: t.SupportedVirtualizationTypes ?? [],
  };
}
