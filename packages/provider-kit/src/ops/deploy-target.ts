/**
 * Where a deploy goes and the cluster the new group joins (`<application>-<stack>-<freeFormDetails>`),
 * as a cloud's deploy handler takes them; the cloud adds its own instance and network fields.
 */
export interface DeployTarget<A> {
  readonly account: A;
  readonly region: string;
  readonly application: string;
  readonly stack?: string | undefined;
  readonly freeFormDetails?: string | undefined;
}
