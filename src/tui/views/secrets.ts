/**
 * A rendered Talos config holds the cluster's private keys and tokens; the console hides their values
 * unless the operator asks (x on the config tab).
 */
const SECRET_LINE = /^(\s*(?:-\s+)?)(key|token|secret|[A-Za-z]*(?:Secret|Token|Key)):[ \t]+(?![|>]\s*$)(\S.*)$/;

export const HIDDEN = '<hidden: x shows it>';

export function hideSecrets(yaml: string): string {
  return yaml
    .split('\n')
    .map((l) => {
      const m = SECRET_LINE.exec(l);
      return m ? `${m[1]}${m[2]}: ${HIDDEN}` : l;
    })
    .join('\n');
}
