/** Qualys API gateways by platform (pod), from car-api.md. */
export const CAR_PLATFORMS: Readonly<Record<string, string>> = {
  US1: 'https://gateway.qg1.apps.qualys.com',
  US2: 'https://gateway.qg2.apps.qualys.com',
  US3: 'https://gateway.qg3.apps.qualys.com',
  US4: 'https://gateway.qg4.apps.qualys.com',
  EU1: 'https://gateway.qg1.apps.qualys.eu',
  EU2: 'https://gateway.qg2.apps.qualys.eu',
  EU3: 'https://gateway.qg3.apps.qualys.it',
  IN1: 'https://gateway.qg1.apps.qualys.in',
  CA1: 'https://gateway.qg1.apps.qualys.ca',
  AE1: 'https://gateway.qg1.apps.qualys.ae',
  UK1: 'https://gateway.qg1.apps.qualys.co.uk',
  AU1: 'https://gateway.qg1.apps.qualys.com.au',
  KSA1: 'https://gateway.qg1.apps.qualysksa.com',
};

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname) || /^127\.\d+\.\d+\.\d+$/.test(hostname) || hostname.endsWith('.localhost');
}

/**
 * Checks a base URL and drops a trailing slash. Plain http is refused but for loopback (the
 * emulator): a token sent in clear text over a network is a leaked token.
 */
export function normalizeBaseUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`"${value}" is not a URL; expected for example https://gateway.qg1.apps.qualys.com`);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
    throw new Error(`"${value}" must use https:// (plain http:// is accepted only for loopback addresses)`);
  }
  if (url.username || url.password) throw new Error('the base URL must not carry credentials; use the token or username/password options');
  return url.toString().replace(/\/+$/, '');
}
