/**
 * k6's `res.submitForm()` and `res.clickLink()`: read the form or link from the response's HTML
 * (the same parser as `res.html()`) and send the request they describe, relative to the
 * response's URL. Both block, so the transform awaits them like http.* calls.
 */
import { k6Request, type K6Params } from './http.js';
import type { K6Response } from './response.js';

export interface SubmitFormOptions {
  readonly formSelector?: string;
  readonly fields?: Record<string, string | number>;
  readonly submitSelector?: string;
  readonly params?: K6Params;
}

export interface ClickLinkOptions {
  readonly selector?: string;
  readonly params?: K6Params;
}

/** The form's fields (named inputs, selects, textareas; unchecked boxes left out), `fields` over them, sent as the form says. */
export function submitForm(res: K6Response, opts: SubmitFormOptions = {}): Promise<K6Response> {
  const formSelector = opts.formSelector ?? 'form';
  const form = res.html(formSelector).first();
  if (form.length === 0) throw new Error(`res.submitForm(): no form matches '${formSelector}' in the response from ${res.url}`);
  const values: Record<string, string> = {};
  form.sel.find('input[name], select[name], textarea[name]').each((_i, node) => {
    const el = form.$(node);
    const type = (el.attr('type') ?? '').toLowerCase();
    if (type === 'submit' || type === 'button' || type === 'image' || type === 'reset' || type === 'file') return;
    if ((type === 'checkbox' || type === 'radio') && el.attr('checked') === undefined) return;
    const v = el.val();
    values[el.attr('name') as string] = Array.isArray(v) ? (v[0] ?? '') : (v ?? (type === 'checkbox' || type === 'radio' ? 'on' : ''));
  });
  const submit = form.sel.find(opts.submitSelector ?? '[type="submit"]').first();
  const submitName = submit.attr('name');
  if (submitName !== undefined) values[submitName] = submit.attr('value') ?? '';
  for (const [k, v] of Object.entries(opts.fields ?? {})) values[k] = String(v);
  const method = (form.attr('method') ?? 'GET').toUpperCase();
  const action = new URL(form.attr('action') ?? '', res.url);
  if (method === 'GET') {
    for (const [k, v] of Object.entries(values)) action.searchParams.set(k, v);
    return k6Request('GET', action.href, undefined, opts.params);
  }
  return k6Request(method, action.href, values, opts.params);
}

/** GET of the first link matching `selector` (default `a[href]`), resolved against the response's URL. */
export function clickLink(res: K6Response, opts: ClickLinkOptions = {}): Promise<K6Response> {
  const selector = opts.selector ?? 'a[href]';
  const href = res.html(selector).first().attr('href');
  if (href === undefined) throw new Error(`res.clickLink(): no link with an href matches '${selector}' in the response from ${res.url}`);
  return k6Request('GET', new URL(href, res.url).href, undefined, opts.params);
}
