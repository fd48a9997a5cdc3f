// The respellings offered for illegal names: each must follow the rule it is offered for, and the
// names the issue reported (`whoAmI`, `getP`, `userID`) get the accepted spelling.
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { CAMEL_CASE, camelCaseSuggestion, isCamelCase, PASCAL_CASE, pascalCaseSuggestion } from '../../../generator/naming/case.js';

const schema = createRequire(import.meta.url)('../../../generator/language/schema/meshspec.schema.json') as {
  $defs: Record<string, { pattern?: string }>;
};

it('the naming rules are the patterns the schema checks', () => {
  for (const def of ['fieldName', 'operationName', 'enumValue']) expect(schema.$defs[def]!.pattern).toBe(CAMEL_CASE.source);
  for (const def of ['typeName', 'errorName']) expect(schema.$defs[def]!.pattern).toBe(PASCAL_CASE.source);
});

describe('camelCaseSuggestion', () => {
  it.each([
    ['whoAmI', 'whoAmi'],
    ['getP', 'getp'],
    ['userID', 'userId'],
    ['UserID', 'userId'],
    ['user_id', 'userId'],
    ['ACTIVE_NOW', 'activeNow'],
    ['on-user-created', 'onUserCreated'],
    ['GetUser', 'getUser'],
    ['HTTPServer', 'httpServer'],
    ['whoAmIReally', 'whoAmiReally'],
  ])('%s -> %s', (name, expected) => {
    expect(camelCaseSuggestion(name)).toBe(expected);
  });

  it('offers nothing for a legal name or one with no obvious spelling', () => {
    for (const name of ['userId', 'getA1', 'x', 'inStock', '2fa', '_']) expect(camelCaseSuggestion(name)).toBeUndefined();
  });

  it('only offers names that follow the rule', () => {
    for (const name of ['aB', 'aBC', 'a_B_c', 'XY', 'x-1', 'ab1C', 'A', 'iOS', 'get2P', 'mixed_CASE_Name']) {
      const suggestion = camelCaseSuggestion(name);
      if (suggestion !== undefined) expect(isCamelCase(suggestion), `${name} -> ${suggestion}`).toBe(true);
    }
  });
});

describe('pascalCaseSuggestion', () => {
  it.each([
    ['order_item', 'OrderItem'],
    ['ORDER_ITEM', 'OrderItem'],
    ['user', 'User'],
    ['notFound', 'NotFound'],
    ['order-item', 'OrderItem'],
  ])('%s -> %s', (name, expected) => {
    expect(pascalCaseSuggestion(name)).toBe(expected);
  });

  it('offers nothing for a legal name or one that cannot start with a letter', () => {
    for (const name of ['Order', 'HTTPStatus', '2fa']) expect(pascalCaseSuggestion(name)).toBeUndefined();
    for (const name of ['a_b', 'x', 'http_2']) expect(PASCAL_CASE.test(pascalCaseSuggestion(name)!)).toBe(true);
  });
});
