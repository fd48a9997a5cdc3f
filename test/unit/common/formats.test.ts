// The string formats against tables of values the JSON Schema definitions (RFC grammars) accept and
// reject. Many rows come from the JSON-Schema-Test-Suite's format tests; the rest probe the edges
// of each grammar where a plausible validator (ajv-formats, a hand-written regex) would differ.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isDate, isDateTime, isEmail, isUri, isUuid, stringFormats } from '../../../common/formats.js';

const table: Record<string, { check: (s: string) => boolean; valid: string[]; invalid: string[] }> = {
  email: {
    check: isEmail,
    valid: [
      'joe.bloggs@example.com',
      '0@com', // RFC 5321 Domain: one label is a domain
      'a@b',
      'te~st@example.com',
      '~test@example.com',
      'test~@example.com',
      'te.s.t@example.com',
      "!#$%&'*+-/=?^_`{|}~@example.com",
      '"joe bloggs"@example.com',
      '"joe..bloggs"@example.com',
      '"joe@bloggs"@example.com',
      '"a\\"b"@example.com',
      '""@example.com',
      'joe.bloggs@[127.0.0.1]',
      'joe.bloggs@[IPv6:::1]',
      'joe.bloggs@[IPv6:2001:db8::1]',
      'joe.bloggs@[ipv6:::ffff:192.0.2.1]',
      'user@sub-domain.example-1.com',
      'user@123.example',
      'user@EXAMPLE.COM',
    ],
    invalid: [
      '',
      '2962',
      '@example.com',
      'joe.bloggs@',
      '.test@example.com',
      'test.@example.com',
      'te..st@example.com',
      'joe bloggs@example.com',
      '"unterminated@example.com',
      'joe.bloggs@invalid=domain.com',
      'joe.bloggs@[127.0.0.300]',
      'joe.bloggs@[1.2.3]',
      'joe.bloggs@[IPv6:1:2:3:4:5:6:7::]', // RFC 5321: `::` stands for two groups or more
      'joe.bloggs@[IPv6:zz::1]',
      'joe.bloggs@[foo:bar]', // no address-literal tag but IPv6 is registered
      'user@-example.com',
      'user@example-.com',
      'user@example..com',
      'user@example.com.',
      'user@.example.com',
      'üser@example.com',
      'user@exämple.com',
      'a@b@c',
    ],
  },
  uuid: {
    check: isUuid,
    valid: [
      '2eb8aa08-aa98-11ea-b4aa-73b441d16380',
      '2EB8AA08-AA98-11EA-B4AA-73B441D16380',
      '2eb8aa08-AA98-11ea-B4Aa-73B441D16380',
      '00000000-0000-0000-0000-000000000000',
      '98d80576-482e-427f-8434-7f86890ab222',
      '99c17cbb-656f-564a-940f-1a4568f03487',
      '99c17cbb-656f-664a-940f-1a4568f03487',
      '99c17cbb-656f-f64a-940f-1a4568f03487',
    ],
    invalid: [
      '2eb8aa08-aa98-11ea-b4aa-73b441d1638',
      '2eb8aa08-aa98-11ea-73b441d16380',
      '2eb8aa08-aa98-11ea-b4ga-73b441d16380',
      '2eb8aa08aa9811eab4aa73b441d16380',
      '2eb8aa08aa98-11ea-b4aa73b441d16380',
      '2eb8-aa08-aa98-11ea-b4aa73b44-1d16380',
      '2eb8aa08aa9811eab4aa73b441d16380----',
      'urn:uuid:2eb8aa08-aa98-11ea-b4aa-73b441d16380',
      '{2eb8aa08-aa98-11ea-b4aa-73b441d16380}',
      ' 2eb8aa08-aa98-11ea-b4aa-73b441d16380',
    ],
  },
  'date-time': {
    check: isDateTime,
    valid: [
      '1963-06-19T08:30:06.283185Z',
      '1963-06-19T08:30:06Z',
      '1998-12-31T23:59:60Z',
      '1998-12-31T15:59:60.123-08:00',
      '1963-06-19t08:30:06.283185z',
      '2024-02-29T00:00:00+14:00',
      '2024-05-01T12:00:00-00:00',
    ],
    invalid: [
      '1998-12-31T23:59:61Z',
      '1998-12-31T23:58:60Z',
      '1998-12-31T22:59:60Z',
      '1990-02-31T15:59:59.123-08:00',
      '2023-02-29T00:00:00Z',
      '1990-12-31T15:59:59-24:00',
      '1990-12-31T15:59:59-23:60',
      '1963-06-19T08:30:06.28123+01:00Z',
      '06/19/1963 08:30:06 PST',
      '2013-350T01:01:01',
      '1963-6-19T08:30:06.283185Z',
      '1963-06-1T08:30:06.283185Z',
      '1963-06-19 08:30:06Z', // a space is allowed "for readability" by a note, not by the grammar
      '1963-06-19T08:30:06',
      '1963-06-19T08:30:06.Z',
      '1963-06-19T24:00:00Z',
      '1963-06-19T08:30Z',
      '1963-06-1৪T00:00:00Z',
    ],
  },
  date: {
    check: isDate,
    valid: ['1963-06-19', '2020-01-31', '2021-02-28', '2020-02-29', '2000-02-29', '2020-04-30', '0000-01-01'],
    invalid: [
      '2020-01-32',
      '2021-02-29',
      '1900-02-29',
      '2020-02-30',
      '2020-04-31',
      '2020-13-01',
      '2020-00-01',
      '2020-01-00',
      '06/19/1963',
      '2013-350',
      '1998-1-20',
      '1998-01-1',
      '1998-13-01',
      '1963-06-19T08:30:06Z',
      '2020-01-1৪',
      '20230328',
      '2023-W01',
    ],
  },
  uri: {
    check: isUri,
    valid: [
      'http://foo.bar/?baz=qux#quux',
      'http://foo.com/blah_(wikipedia)_blah#cite-1',
      'http://foo.bar/?q=Test%20URL-encoded%20stuff',
      'http://xn--nw2a.xn--j6w193g/',
      "http://-.~_!$&'()*+,;=:%40:80%2f::::::@example.com",
      'http://223.255.255.254',
      'ftp://ftp.is.co.za/rfc/rfc1808.txt',
      'http://www.ietf.org/rfc/rfc2396.txt',
      'ldap://[2001:db8::7]/c=GB?objectClass?one',
      'mailto:John.Doe@example.com',
      'news:comp.infosystems.www.servers.unix',
      'tel:+1-816-555-1212',
      'urn:oasis:names:specification:docbook:dtd:xml:4.1.2',
      'http://[v7.fe80::a+en1]/',
      'http://[::ffff:192.0.2.1]:8080/x',
      'file:///etc/hosts',
      'a:',
      'https://example.com:/',
    ],
    invalid: [
      '//foo.bar/?baz=qux#quux',
      '/abc',
      '\\\\WINDOWS\\fileshare',
      'abc',
      'http:// shouldfail.com',
      ':// should fail',
      'bar,baz:foo',
      'http://example.com/a b',
      'http://example.com/%zz',
      'http://exämple.com/',
      'http://[1:2:3:4:5:6:7:8:9]/',
      'http://[::1%eth0]/',
      'http://[::01.2.3.4]/', // RFC 3986 dec-octet has no leading zeros
      'http://host:80a/',
      'http://a@b@c/',
      'http://example.com/#a#b',
      '1http://example.com',
    ],
  },
};

describe.each(Object.entries(table))('format %s', (_name, { check, valid, invalid }) => {
  it.each(valid)('accepts %j', (value) => {
    expect(check(value)).toBe(true);
  });
  it.each(invalid)('rejects %j', (value) => {
    expect(check(value)).toBe(false);
  });
});

describe('stringFormats', () => {
  it('covers exactly the formats the spec language offers', () => {
    const schema = JSON.parse(readFileSync(new URL('../../../generator/language/schema/meshspec.schema.json', import.meta.url), 'utf8'));
    expect(Object.keys(stringFormats).sort()).toEqual([...schema.$defs.field.properties.format.enum].sort());
    expect(Object.keys(table).sort()).toEqual(Object.keys(stringFormats).sort());
  });
});
