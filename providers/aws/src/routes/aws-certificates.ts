import { paginateListServerCertificates } from '@aws-sdk/client-iam';
import { RouteError, type ProviderRoute } from '@stratus/plugin-api';
import type { AwsAccount } from '../accounts/aws-account.js';
import { collectPages } from '../paginate.js';
import { PerAccountLists } from './per-account-lists.js';
import type { AwsAcmCertificates } from './aws-acm-certificates.js';

/** Clouddriver's `AmazonCertificate` JSON (IAM server certificate metadata; dates as epoch ms, as Deck reads them). */
export interface AwsCertificateView {
  readonly serverCertificateName: string;
  readonly serverCertificateId: string;
  readonly path: string;
  readonly arn: string;
  readonly uploadDate?: number;
  readonly expiration?: number;
  /** The Stratus account it was listed in (Deck groups by the account id in the ARN). */
  readonly account: string;
}

/**
 * IAM server certificates of every AWS account, read on request with IAM
 * `ListServerCertificates` (all pages) and kept for a short while per account. Clouddriver caches
 * the same list with a caching agent per account and region; IAM is global, so one call per
 * account gives the same set. An account whose call fails is logged by the caller's route and left
 * out, as Clouddriver's agent skips it.
 */
export class AwsCertificates extends PerAccountLists<AwsCertificateView> {
  /** Deduplicated by ARN (accounts sharing an AWS account list the same ones), sorted by name. */
  protected override arrange(certificates: AwsCertificateView[]): AwsCertificateView[] {
    const byArn = new Map<string, AwsCertificateView>();
    for (const certificate of certificates) if (!byArn.has(certificate.arn)) byArn.set(certificate.arn, certificate);
    return [...byArn.values()].sort((a, b) => a.serverCertificateName.toLowerCase().localeCompare(b.serverCertificateName.toLowerCase()));
  }

  protected async load(account: AwsAccount): Promise<AwsCertificateView[]> {
    const found = await collectPages(paginateListServerCertificates({ client: this.clients.iam(account) }, {}), (page) => page.ServerCertificateMetadataList);
    return found.map((metadata) => ({
      serverCertificateName: metadata.ServerCertificateName ?? '',
      serverCertificateId: metadata.ServerCertificateId ?? '',
      path: metadata.Path ?? '/',
      arn: metadata.Arn ?? '',
      ...(metadata.UploadDate ? { uploadDate: metadata.UploadDate.getTime() } : {}),
      ...(metadata.Expiration ? { expiration: metadata.Expiration.getTime() } : {}),
      account: account.name,
    }));
  }
}

/**
 * `GET /certificates/aws` (Clouddriver's `CertificateController` over `AmazonCertificateProvider`);
 * the generic `/certificates` gathers it. By default only IAM server certificates, as Clouddriver
 * lists: Deck offers every listed certificate as an IAM one and builds an IAM ARN from its name.
 * `?certificateType=acm` lists ACM certificates instead, `all` both, sorted by name.
 */
export function awsCertificateRoute(
  certificates: AwsCertificates,
  onError: (account: string, error: unknown) => void,
  acm?: AwsAcmCertificates,
): ProviderRoute {
  return {
    method: 'get',
    path: '/certificates/aws',
    summary: 'IAM server certificates (certificateType=iam, the default), ACM certificates (acm) or both (all) of the AWS accounts the caller can read',
    async handle({ caller, query }) {
      const type = typeof query.certificateType === 'string' && query.certificateType !== '' ? query.certificateType : 'iam';
      if (!['iam', 'acm', 'all'].includes(type)) throw new RouteError(400, "certificateType must be 'iam', 'acm' or 'all'");
      const canRead = (account: string) => caller.canReadAccount(account);
      const lists = await Promise.all([
        type === 'acm' ? [] : certificates.list(canRead, onError).then((list) => list.map((c) => ({ ...c, certificateType: 'iam' }))),
        type === 'iam' || !acm ? [] : acm.list(canRead, onError),
      ]);
      const name = (c: { serverCertificateName: string }) => c.serverCertificateName.toLowerCase();
      return { body: lists.flat().sort((a, b) => name(a).localeCompare(name(b))) };
    },
  };
}
