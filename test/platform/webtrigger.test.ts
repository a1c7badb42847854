import { webTriggerEvent, webTriggerId, webTriggerResponse } from '../../sandbox/runtime/webtrigger';
import type { ManifestModule } from '../../sandbox/manifest';

/**
 * The local web-trigger runtime against Forge's documented shapes (forge-docs events-reference/web-trigger,
 * manifest-reference/modules/web-trigger): the request as the function receives it, and how its answer
 * becomes the HTTP response for static and dynamic triggers.
 */

const staticModule: ManifestModule = {
  moduleType: 'webtrigger',
  key: 'gate',
  function: 'fn',
  response: {
    type: 'static',
    outputs: [
      { key: 'ok', statusCode: 200, contentType: 'application/json', body: '{"ok":true}' },
      { key: 'no', statusCode: 403, contentType: 'text/plain', body: 'Error: Forbidden' },
    ],
  },
};
const dynamicModule: ManifestModule = { moduleType: 'webtrigger', key: 'hook', function: 'fn', response: { type: 'dynamic' } };
const defaultModule: ManifestModule = { moduleType: 'webtrigger', key: 'hook', function: 'fn' };

describe('the request, as the function receives it', () => {
  it('has method, headers as arrays, body, path, userPath and parsed query parameters', () => {
    const e = webTriggerEvent('ID123', {
      method: 'post',
      headers: { 'Content-Type': 'application/json', Accept: ['*/*'] },
      body: '{"hello":1}',
      userPath: '/hello/world',
      query: new URLSearchParams('apples=green,red&grapes=green'),
    });
    expect(e).toEqual({
      method: 'POST',
      headers: { 'Content-Type': ['application/json'], Accept: ['*/*'] },
      body: '{"hello":1}',
      path: '/public/ID123/hello/world',
      userPath: '/hello/world',
      queryParameters: { apples: ['green', 'red'], grapes: ['green'] },
    });
  });
  it('has an empty userPath and no body when none were sent', () => {
    const e = webTriggerEvent('ID123', { method: 'GET' });
    expect(e).toEqual({ method: 'GET', headers: {}, path: '/public/ID123', userPath: '', queryParameters: {} });
  });
  it('gets a stable id per app, site and module', () => {
    expect(webTriggerId('app', 'site', 'gate')).toBe(webTriggerId('app', 'site', 'gate'));
    expect(webTriggerId('app', 'site', 'gate')).not.toBe(webTriggerId('app', 'other-site', 'gate'));
    expect(webTriggerId('app', 'site', 'gate')).toMatch(/^[A-Za-z0-9_-]{26}$/);
  });
});

describe('the response', () => {
  it('static: the output named by outputKey, with its status, content type and body', () => {
    expect(webTriggerResponse(staticModule, { outputKey: 'no' })).toEqual({ statusCode: 403, headers: { 'Content-Type': ['text/plain'] }, body: 'Error: Forbidden' });
  });
  it('static: an unknown output key, or a dynamic-style answer, is a 500 (a static trigger cannot egress data)', () => {
    expect(webTriggerResponse(staticModule, { outputKey: 'maybe' }).statusCode).toBe(500);
    expect(webTriggerResponse(staticModule, { statusCode: 200, body: 'secret data' }).statusCode).toBe(500);
  });
  it('dynamic (also the default): statusCode, headers and body as returned', () => {
    for (const m of [dynamicModule, defaultModule]) {
      expect(webTriggerResponse(m, { statusCode: 201, headers: { 'X-A': ['1'], 'X-B': '2' }, body: 'made' })).toEqual({ statusCode: 201, headers: { 'X-A': ['1'], 'X-B': ['2'] }, body: 'made' });
    }
  });
  it('dynamic: no statusCode is a 500', () => {
    expect(webTriggerResponse(dynamicModule, { body: 'x' }).statusCode).toBe(500);
    expect(webTriggerResponse(dynamicModule, undefined).statusCode).toBe(500);
  });
});
