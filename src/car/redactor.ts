/** Shorter values would blank out ordinary words; a password that short is not worth hiding. */
const MIN_SECRET_LENGTH = 3;

/**
 * Removes secrets from text headed for a log or an error: tokens, the password (also form-encoded,
 * as a server may echo the /auth body), proxy credentials. CAR's own messages pass through here
 * too, since a gateway may echo what it received.
 */
export class Redactor {
  private readonly secrets = new Set<string>();

  add(...values: (string | undefined)[]): void {
    for (const value of values) {
      if (!value || value.length < MIN_SECRET_LENGTH) continue;
      for (const form of [value, value.trim(), value.replace(/^\s*bearer\s+/i, ''), encodeURIComponent(value), new URLSearchParams({ v: value }).toString().slice(2)]) {
        if (form.length >= MIN_SECRET_LENGTH) this.secrets.add(form);
      }
    }
  }

  /** `https_proxy=http://user:secret@proxy:3128` must not surface through an error about the proxy. */
  addProxyCredentials(env: NodeJS.ProcessEnv): void {
    for (const name of ['https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY']) {
      const value = env[name];
      if (!value) continue;
      try {
        const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`);
        this.add(url.password, url.password ? decodeURIComponent(url.password) : undefined);
      } catch {
        // Not a URL: the transport will refuse it with its own message.
      }
    }
  }

  clean(text: string): string {
    let result = text;
    // Longest first, so a secret that contains another is hidden whole.
    for (const secret of [...this.secrets].sort((a, b) => b.length - a.length)) {
      if (result.includes(secret)) result = result.split(secret).join('***');
    }
    return result;
  }
}
