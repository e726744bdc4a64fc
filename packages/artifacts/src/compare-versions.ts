/**
 * Orders version strings like Maven's `ComparableVersion` does for the usual cases (which
 * Clouddriver uses to pick a chart's latest version): numeric parts numerically, a release above its
 * pre-releases (`1.0.0` > `1.0.0-rc.1`), other parts as text.
 */
export function compareVersions(a: string, b: string): number {
  const [mainA, preA] = splitPre(a);
  const [mainB, preB] = splitPre(b);
  const main = compareParts(mainA, mainB);
  if (main !== 0) return main;
  if (preA === undefined || preB === undefined) return preA === preB ? 0 : preA === undefined ? 1 : -1;
  return compareParts(preA, preB);
}

function splitPre(version: string): [string, string | undefined] {
  const clean = version.trim().replace(/^v/i, '').replace(/\+.*$/, '');
  const dash = clean.indexOf('-');
  return dash < 0 ? [clean, undefined] : [clean.slice(0, dash), clean.slice(dash + 1)];
}

function compareParts(a: string, b: string): number {
  const partsA = a.split(/[.]/);
  const partsB = b.split(/[.]/);
  for (let i = 0; i < Math.max(partsA.length, partsB.length); i++) {
    const x = partsA[i] ?? '0';
    const y = partsB[i] ?? '0';
    const numeric = /^\d+$/.test(x) && /^\d+$/.test(y);
    const order = numeric ? Number(x) - Number(y) : x.localeCompare(y);
    if (order !== 0) return Math.sign(order);
  }
  return 0;
}
