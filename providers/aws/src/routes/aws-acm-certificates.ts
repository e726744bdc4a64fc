import { paginateListCertificates, type CertificateSummary } from '@aws-sdk/client-acm';
import type { AwsAccount } from '../accounts/aws-account.js';
import { PerAccountLists } from './per-account-lists.js';
import { collectPages } from '../paginate.js';
import type { AwsCertificateView } from './aws-certificates.js';

/**
 * An ACM certificate in the shape of Clouddriver's `AmazonCertificate` (the IAM one), so one list
 * can carry both: `serverCertificateName` is the domain name, `serverCertificateId` the id at the
 * end of the ARN (what Deck puts into `arn:aws:acm:<region>:<account id>:certificate/<id>`), plus
 * `certificateType: 'acm'`, its region and status.
 */
export interface AwsAcmCertificateView extends AwsCertificateView {
  readonly certificateType: 'acm';
  readonly region: string;
  readonly status?: string;
  readonly type?: string;
}

/**
 * ACM certificates of every AWS account, in each of its regions (`ListCertificates`, all pages,
 * every status), read on request and kept for a short while per account. An account whose call
 * fails is reported through `onError` and left out.
 */
export class AwsAcmCertificates extends PerAccountLists<AwsAcmCertificateView> {
  protected async load(account: AwsAccount): Promise<AwsAcmCertificateView[]> {
    return (await Promise.all(account.regions.map((region) => this.fetch(account, region.name)))).flat();
  }

  private async fetch(account: AwsAccount, region: string): Promise<AwsAcmCertificateView[]> {
    const acm = this.clients.forRegion(account, region).acm;
    const summaries = await collectPages(paginateListCertificates({ client: acm }, {}), (page) => page.CertificateSummaryList);
    return summaries.filter((s): s is CertificateSummary & { CertificateArn: string } => !!s.CertificateArn).map((s) => view(account, region, s));
  }
}

function view(account: AwsAccount, region: string, s: CertificateSummary & { CertificateArn: string }): AwsAcmCertificateView {
  const uploaded = s.ImportedAt ?? s.IssuedAt ?? s.CreatedAt;
  return {
    serverCertificateName: s.DomainName ?? '',
    serverCertificateId: s.CertificateArn.split('/').pop() ?? '',
    path: '/',
    arn: s.CertificateArn,
    ...(uploaded ? { uploadDate: uploaded.getTime() } : {}),
    ...(s.NotAfter ? { expiration: s.NotAfter.getTime() } : {}),
    account: account.name,
    certificateType: 'acm',
    region,
    ...(s.Status ? { status: s.Status } : {}),
    ...(s.Type ? { type: s.Type } : {}),
  };
}
