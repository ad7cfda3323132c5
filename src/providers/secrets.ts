/** Replaces every occurrence of each secret (an API key, a header value) with [REDACTED]. */
export function hideSecrets(text: string, secrets: readonly string[]): string {
  return secrets.reduce((out, secret) => (secret === '' ? out : out.split(secret).join('[REDACTED]')), text)
}
