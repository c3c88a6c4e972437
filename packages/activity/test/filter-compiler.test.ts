import { describe, expect, it } from 'vitest';
import { FilterError } from '../src/errors.js';
import { compileFilter } from '../src/filter-compiler.js';

describe('compileFilter: valid filters compile to parameterised SQL', () => {
  const cases: Array<[string, string, Record<string, unknown>]> = [
    ['', '1', {}],
    ["verb == 'get'", '(verb = {f0:String})', { f0: 'get' }],
    ['verb != "list"', '(verb != {f0:String})', { f0: 'list' }],
    ["objectRef.resource == 'pods' && verb == 'create'", '((resource = {f0:String}) AND (verb = {f1:String}))', { f0: 'pods', f1: 'create' }],
    ["objectRef.resource == 'secrets' && verb in ['get', 'list']", '((resource = {f0:String}) AND (verb IN {f1:Array(String)}))', { f0: 'secrets', f1: ['get', 'list'] }],
    ["verb == 'a' || verb == 'b' && verb == 'c'", '((verb = {f0:String}) OR ((verb = {f1:String}) AND (verb = {f2:String})))', { f0: 'a', f1: 'b', f2: 'c' }],
    ["!(verb == 'get')", '(NOT (verb = {f0:String}))', { f0: 'get' }],
    ["user.username.startsWith('system:')", 'startsWith(username, {f0:String})', { f0: 'system:' }],
    ["objectRef.namespace.contains('prod')", '(position(namespace, {f0:String}) > 0)', { f0: 'prod' }],
    ['responseStatus.code >= 400', '(status_code >= {f0:Int32})', { f0: 400 }],
    ['responseStatus.code in [200, 201]', '(status_code IN {f0:Array(Int32)})', { f0: [200, 201] }],
    ["objectRef.name == 'it\\'s'", '(name = {f0:String})', { f0: "it's" }],
    ["objectRef.apiGroup == ''", '(api_group = {f0:String})', { f0: '' }],
  ];
  it.each(cases)('%s', (filter, sql, params) => {
    const c = compileFilter(filter);
    expect(c.sql).toBe(sql);
    expect(c.params).toEqual(params);
  });
});

describe('compileFilter: errors carry the position of the problem', () => {
  const cases: Array<[string, number, RegExp]> = [
    ["verb = 'get'", 5, /unexpected character '='/],
    ["verb == 'get' &&", 16, /expected a field name, found end of filter/],
    ["scope_name == 'org-b'", 0, /unknown field 'scope_name'/],
    ["annotations == 'x'", 0, /unknown field/],
    ["verb == 'get' extra", 14, /expected '&&', '\|\|' or end/],
    ["verb == 'get", 8, /unterminated string/],
    ['verb == 1', 8, /expected a string for 'verb'/],
    ["responseStatus.code == '200'", 23, /expected an integer/],
    ["verb > 'a'", 5, /applies to integer fields only/],
    ["verb.matches('.*')", 5, /unknown function 'matches'/],
    ["responseStatus.code.startsWith('2')", 20, /string fields only/],
    ["(verb == 'get'", 14, /expected '\)'/],
    ['verb in []', 9, /expected a string in the list/],
    ["verb == 'a\\x'", 10, /invalid escape/],
    ['responseStatus.code == 99999999999', 23, /out of range/],
  ];
  it.each(cases)('%s -> position %i', (filter, position, message) => {
    let err: unknown;
    try {
      compileFilter(filter);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(FilterError);
    expect((err as FilterError).code).toBe('ACTIVITY_FILTER_INVALID');
    expect((err as FilterError).position).toBe(position);
    expect((err as FilterError).message).toMatch(message);
  });

  it('refuses deep nesting and long filters', () => {
    expect(() => compileFilter('!'.repeat(40) + "verb == 'x'")).toThrow(/nesting deeper/);
    expect(() => compileFilter("verb == '" + 'a'.repeat(5000) + "'")).toThrow(/longer than/);
  });
});

describe('compileFilter: injection attempts never reach the SQL text', () => {
  const attempts = [
    "verb == 'x' OR 1=1 --'",
    "verb == 'x'' OR scope_name != '''",
    "verb == \"x\\\") OR (1=1\"",
    "verb == '}{f0:String} OR 1 = {f1:String'",
    "objectRef.name.contains('%') && user.username.startsWith('_')",
    "verb == 'a' ; DROP TABLE audit_events",
    "verb == 'a') OR (scope_name == 'org-b'",
    "verb == '\\u0027) OR 1=1 --'",
  ];
  it.each(attempts)('%s', (filter) => {
    let c: ReturnType<typeof compileFilter> | undefined;
    try {
      c = compileFilter(filter);
    } catch (err) {
      // Refused outright is fine too, as long as it is a filter error with a position.
      expect(err).toBeInstanceOf(FilterError);
      return;
    }
    // Only fixed column names, operators and placeholders may appear in the SQL.
    expect(c.sql).toMatch(/^[a-zA-Z_(){}:, 0-9=!<>]*$/);
    expect(c.sql).not.toMatch(/scope|DROP|--|;|'/);
    for (const v of Object.values(c.params)) expect(typeof v === 'string' || Array.isArray(v) || typeof v === 'number').toBe(true);
  });
});
