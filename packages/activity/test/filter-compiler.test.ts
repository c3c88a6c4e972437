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
    ['responseStatus.code >= 400', '(status_code >= {f0:Int64})', { f0: 400 }],
    ['responseStatus.code in [200, 201]', '(status_code IN {f0:Array(Int64)})', { f0: [200, 201] }],
    ["objectRef.name.endsWith('-x') || verb in []", "(endsWith(name, {f0:String}) OR 0)", { f0: '-x' }],
    ["requestReceivedTimestamp >= timestamp('2024-01-01T00:00:00.5+01:00')", "(ts >= {f0:DateTime64(6, 'UTC')})", { f0: '2023-12-31 23:00:00.500000' }],
    ["user.uid == 'u' && true", "((JSONExtractString(event, 'user', 'uid') = {f0:String}) AND 1)", { f0: 'u' }],
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
  // Parsed and type-checked by a CEL implementation: positions are 0-based offsets of the problem.
  const cases: Array<[string, number, RegExp]> = [
    ["verb = 'get'", 5, /Unexpected character: =/],
    ["verb == 'get' &&", 16, /Unexpected token: EOF/],
    ["scope_name == 'org-b'", 0, /Unknown variable: scope_name/],
    ["annotations == 'x'", 0, /Unknown variable/],
    ["verb == 'get' extra", 14, /Unexpected character/],
    ["verb == 'get", 8, /Unterminated string/],
    ['verb == 1', 0, /no such overload: string == int/],
    ["responseStatus.code == '200'", 0, /no such overload: int == string/],
    ["verb.matches('.*')", 0, /unsupported function 'matches'/],
    ["responseStatus.code.startsWith('2')", 0, /no matching overload/],
    ["(verb == 'get'", 14, /Expected RPAREN/],
    ["verb == 'a\\x'", 10, /Invalid hex escape/],
    ['responseStatus.code == 99999999999999999999', 23, /out of range/],
    ["objectRef.owner == 'x'", 10, /owner/],
    ["verb", 0, /must be a boolean/],
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
    expect(() => compileFilter('('.repeat(40) + "verb == 'x'" + ')'.repeat(40))).toThrow(FilterError);
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
