import { isIP } from 'node:net';
import { isLoopbackHost } from './platforms.js';

function envValue(env: NodeJS.ProcessEnv, ...names: string[]): string | undefined {
  for (const name of names) {
    const value = env[name]?.trim();
    if (value) return value;
  }
  return undefined;
}

function ipv4ToNumber(address: string): number {
  return address.split('.').reduce((acc, part) => acc * 256 + Number(part), 0);
}

function inIpv4Cidr(host: string, cidr: string): boolean {
  const [network, bitsText] = cidr.split('/');
  const bits = Number(bitsText);
  if (!network || isIP(network) !== 4 || isIP(host) !== 4 || !Number.isInteger(bits) || bits < 0 || bits > 32) return false;
  const size = 2 ** (32 - bits);
  return Math.floor(ipv4ToNumber(host) / size) === Math.floor(ipv4ToNumber(network) / size);
}

/** One NO_PROXY entry, in the curl convention: `example.com` and `.example.com` both cover the domain and its subdomains. */
function bypassedBy(entry: string, host: string, port: string): boolean {
  if (entry === '*') return true;
  if (entry.includes('/')) return inIpv4Cidr(host, entry);
  let name = entry;
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
  const withPort = /^([^:]+):(\d+)$/.exec(entry);
  if (bracketed) {
    name = bracketed[1]!;
    if (bracketed[2] && bracketed[2] !== port) return false;
  } else if (withPort) {
    name = withPort[1]!;
    if (withPort[2] !== port) return false;
  }
  name = name.replace(/^\*?\./, '').toLowerCase();
  if (!name) return false;
  return host === name || host.endsWith(`.${name}`);
}

/**
 * The proxy a request to `url` goes through, from the usual variables, or undefined for a direct
 * connection. `https_proxy`/`HTTPS_PROXY` serve https targets and `http_proxy`/`HTTP_PROXY` http
 * ones (no fallback from one to the other, as curl and Go do); `no_proxy`/`NO_PROXY` lists hosts,
 * domain suffixes, `host:port`, IPv4 CIDR ranges or `*`. Loopback is never proxied: the emulator
 * runs there, and a corporate proxy cannot reach this machine's loopback anyway.
 */
export function proxyFor(url: string | URL, env: NodeJS.ProcessEnv): string | undefined {
  const target = typeof url === 'string' ? new URL(url) : url;
  const host = target.hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '');
  if (isLoopbackHost(host)) return undefined;
  const proxy =
    target.protocol === 'https:'
      ? envValue(env, 'https_proxy', 'HTTPS_PROXY')
      : target.protocol === 'http:'
        ? envValue(env, 'http_proxy', 'HTTP_PROXY')
        : undefined;
  if (!proxy) return undefined;
  const port = target.port || (target.protocol === 'https:' ? '443' : '80');
  const noProxy = envValue(env, 'no_proxy', 'NO_PROXY') ?? '';
  for (const entry of noProxy.split(/[,\s]+/)) {
    if (entry && bypassedBy(entry.toLowerCase(), host, port)) return undefined;
  }
  // "proxy.corp:3128" without a scheme is common in the wild; curl reads it as http.
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(proxy) ? proxy : `http://${proxy}`;
}

/** The proxy's address for messages: never its credentials. */
export function describeProxy(proxy: string): string {
  try {
    const url = new URL(proxy);
    return `${url.protocol}//${url.host}`;
  } catch {
    return 'the configured proxy';
  }
}
