/** Clouddriver's `DeploymentResult`: what a deploy or clone task reports, and Orca reads back. */
export interface DeploymentResult {
  readonly serverGroupNames: string[];
  readonly serverGroupNameByRegion: Record<string, string>;
  readonly deployedNames: string[];
  readonly deployedNamesByLocation: Record<string, string[]>;
  readonly messages: string[];
}

export function emptyDeploymentResult(): DeploymentResult {
  return { serverGroupNames: [], serverGroupNameByRegion: {}, deployedNames: [], deployedNamesByLocation: {}, messages: [] };
}

/** Adds one deployed server group (`<region>:<name>` in `serverGroupNames`, as Orca expects). */
export function recordDeployment(result: DeploymentResult, region: string, name: string): void {
  result.serverGroupNames.push(`${region}:${name}`);
  result.serverGroupNameByRegion[region] = name;
  result.deployedNames.push(name);
  (result.deployedNamesByLocation[region] ??= []).push(name);
}
