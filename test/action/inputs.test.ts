import { describe, expect, it } from 'vitest';
import type { StepRun } from '../support/runner.js';
import { CAR_PASSWORD, CAR_TOKEN, expectNoSecret, startHarness } from './harness.js';

describe('inputs that are wrong fail the step with a message naming the input and what it accepts', () => {
  const cases: { name: string; inputs: (carUrl: string) => Record<string, string>; message: RegExp }[] = [
    { name: 'an unknown mode', inputs: () => ({ mode: 'bogus' }), message: /^Input "mode": "bogus" is not accepted; expected one of auto, plan, apply$/ },
    { name: 'a platform that does not exist', inputs: () => ({ platform: 'XX1' }), message: /^Input "platform": "XX1" is not a Qualys platform; expected one of US1, .*KSA1, or set base-url$/ },
    { name: 'apply without credentials', inputs: (url) => ({ mode: 'apply', 'base-url': url }), message: /^Input "token": apply needs credentials: a token, or a username and password$/ },
    { name: 'apply without a platform', inputs: () => ({ mode: 'apply', token: CAR_TOKEN }), message: /^Input "platform": apply needs a Qualys platform \(US1 \.\.\. KSA1\) or a base-url$/ },
    { name: 'an unknown commit mode', inputs: () => ({ commit: 'sideways' }), message: /^Input "commit": "sideways" is not accepted; expected one of push, pull-request, none$/ },
    { name: 'a max-writes of 0', inputs: () => ({ 'max-writes': '0' }), message: /^Input "max-writes": "0" is not accepted; expected a whole number of 1 or more$/ },
    { name: 'a username without a password', inputs: (url) => ({ 'base-url': url, username: 'ci-sync' }), message: /^Input "password": username and password go together$/ },
  ];

  it.each(cases)('$name', async ({ inputs, message }) => {
    const h = await startHarness({ scripts: 1 });

    const run = await h.run({ event: 'push', inputs: inputs(h.car.url) });

    expect(run.code).toBe(1);
    expect(run.annotations.map((a) => [a.kind, a.message])).toEqual([['error', expect.stringMatching(message)]]);
    expect(h.car.requests()).toEqual([]);
    expect(h.github.requests()).toEqual([]);
  });
});

describe('secrets', () => {
  it('are masked for the runner, and never written to the log, summary or outputs', async () => {
    const h = await startHarness({ scripts: 2 });

    const withPassword = await h.run({ event: 'push', inputs: h.carInputs() });
    const withToken = await h.run({ event: 'push', workspace: await h.checkout({ 'scripts/x/script.sh': '#!/bin/bash\necho x\n', 'scripts/x/meta.yaml': 'title: x\nseverity: 3\nthreshold: 300\nthresholdTimeUnit: SECOND\ntypeId: 6\nlanguageId: 4\n' }), inputs: { 'base-url': h.car.url, token: CAR_TOKEN } });

    expect(withPassword.code).toBe(0);
    expect(withToken.code).toBe(0);
    expect(withToken.outputs.created).toBe('1');
    expect(withPassword.masked).toEqual(expect.arrayContaining([CAR_PASSWORD, h.github.token]));
    expect(withToken.masked).toEqual(expect.arrayContaining([CAR_TOKEN, h.github.token]));
    // Every run is checked after each test; here the check itself is shown to bite.
    for (const run of [withPassword, withToken]) expectNoSecret(run, [CAR_PASSWORD, CAR_TOKEN, h.github.token]);
    const leaky: StepRun = { ...withToken, summary: `${withToken.summary}\ntoken ${CAR_TOKEN}` };
    expect(() => expectNoSecret(leaky, [CAR_TOKEN])).toThrow(/a secret appeared in summary/);
  });
});
