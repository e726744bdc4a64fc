/**
 * Top-level keys of a `clouddriver.yml` (Spring Boot, Halyard and Clouddriver's own) that Stratus
 * reads nowhere, in camelCase. A file brought over from Clouddriver may hold them; they are reported
 * as ignored rather than unknown, so a typo (`serverr:`) stands out. Keys of clouds Stratus has no
 * provider for are here too: they become used the day a provider for them is loaded.
 */
export const CLOUDDRIVER_KEYS_NOT_USED: ReadonlySet<string> = new Set([
  // Spring Boot and its libraries
  'spring',
  'management',
  'endpoints',
  'eureka',
  'hystrix',
  'resilience4j',
  'spectator',
  'swagger',
  'okhttp3',
  'okHttpClient',
  'retrofit',
  'retrofit2',
  'sentry',
  // Spinnaker-wide settings Clouddriver reads through kork / Halyard
  'spinnaker',
  'services',
  'global',
  'globalMetadata',
  'serviceLimits',
  'moniker',
  'jobs',
  'saga',
  'cache',
  'credentials',
  'operations',
  'executionHistory',
  'default',
  'clouddriver',
  'kork',
  'stackdriver',
  'fiat',
  'front50',
  'igor',
  // clouds and features Stratus has no provider for (yet)
  'appengine',
  'cloudfoundry',
  'dcos',
  'ecs',
  'lambda',
  'huaweicloud',
  'oracle',
  'tencentcloud',
  'alicloud',
  'titus',
  'openstack',
  'yandex',
  'artifacts',
]);
