import { requestHash } from '../../local/transact/idempotency.js';

// The hash a ClientRequestToken is remembered with (idempotency.ts): the body without its token, members in any order.
describe('requestHash', () => {
  const body = (token: string): Record<string, unknown> =>
    JSON.parse(
      `{"ClientRequestToken":"${token}","TransactItems":[{"Put":{"TableName":"t","Item":{"pk":{"S":"a"},"n":{"N":"1"},"l":{"L":[{"S":"x"},{"N":"2"}]}},"ConditionExpression":"attribute_not_exists(pk)"}}]}`,
    ) as Record<string, unknown>;
  const reordered: Record<string, unknown> = JSON.parse(
    '{"TransactItems":[{"Put":{"ConditionExpression":"attribute_not_exists(pk)","Item":{"l":{"L":[{"S":"x"},{"N":"2"}]},"n":{"N":"1"},"pk":{"S":"a"}},"TableName":"t"}}],"ClientRequestToken":"other"}',
  ) as Record<string, unknown>;

  it('is the same for the same members in another order, whatever the token', () => {
    expect(requestHash(reordered)).toBe(requestHash(body('tok')));
  });

  it('differs when a value, a list order or a member differs', () => {
    const base = requestHash(body('tok'));
    expect(requestHash(JSON.parse(JSON.stringify(body('tok')).replace('"N":"1"', '"N":"2"')))).not.toBe(base);
    expect(
      requestHash(JSON.parse(JSON.stringify(body('tok')).replace('{"S":"x"},{"N":"2"}', '{"N":"2"},{"S":"x"}'))),
    ).not.toBe(base);
    expect(requestHash(JSON.parse(JSON.stringify(body('tok')).replace('"n":{"N":"1"},', '')))).not.toBe(base);
  });

  it('is the same for reordered members named like array indexes or __proto__', () => {
    const a = JSON.parse('{"TransactItems":[{"Put":{"Item":{"10":{"S":"x"},"9":{"S":"y"},"__proto__":{"S":"z"}}}}]}');
    const b = JSON.parse('{"TransactItems":[{"Put":{"Item":{"__proto__":{"S":"z"},"9":{"S":"y"},"10":{"S":"x"}}}}]}');
    const c = JSON.parse('{"TransactItems":[{"Put":{"Item":{"10":{"S":"x"},"9":{"S":"y"}}}}]}');
    expect(requestHash(a as Record<string, unknown>)).toBe(requestHash(b as Record<string, unknown>));
    expect(requestHash(a as Record<string, unknown>)).not.toBe(requestHash(c as Record<string, unknown>));
  });
});
