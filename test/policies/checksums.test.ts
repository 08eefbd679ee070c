import {
  bsnValid,
  codiceFiscaleValid,
  dniValid,
  ibanMod97Valid,
  luhnValid,
} from '../../lambdas/policies/pii/checksums.js';

describe('check digits', () => {
  it('Luhn: test card numbers hold; one digit off does not', () => {
    for (const valid of [
      '4111111111111111',
      '5555555555554444',
      '378282246310005',
      '6011111111111117',
      '79927398713',
    ]) {
      expect(luhnValid(valid)).toBe(true);
    }
    for (const invalid of ['4111111111111112', '79927398710', '', '41111a1111111111'])
      expect(luhnValid(invalid)).toBe(false);
  });

  it('IBAN mod-97: registry examples hold; a changed check digit or account digit does not', () => {
    for (const valid of [
      'GB82WEST12345698765432',
      'DE89370400440532013000',
      'NL91ABNA0417164300',
      'FR1420041010050500013M02606',
    ]) {
      expect(ibanMod97Valid(valid)).toBe(true);
    }
    for (const invalid of ['GB83WEST12345698765432', 'DE89370400440532013001', 'NL91ABNA04171643O0'])
      expect(ibanMod97Valid(invalid)).toBe(false);
  });

  it('BSN eleven test: 9·d1 + 8·d2 + … + 2·d8 − d9 ≡ 0 (mod 11)', () => {
    // 111222333: 9+8+7+2·(6+5+4)+3·(3+2) − 3 = 24+30+15−3 = 66 = 6·11
    expect(bsnValid('111222333')).toBe(true);
    expect(bsnValid('123456782')).toBe(true);
    expect(bsnValid('123456789')).toBe(false);
    expect(bsnValid('000000000')).toBe(false);
    expect(bsnValid('12345678')).toBe(false);
  });

  it('DNI/NIE control letter: the number mod 23 indexes TRWAGMYFPDXBNJZSQVHLCKE', () => {
    expect(dniValid('12345678Z')).toBe(true); // 12345678 mod 23 = 14 → Z
    expect(dniValid('X1234567L')).toBe(true); // X → 0: 01234567 mod 23 = 19 → L
    expect(dniValid('Y1234567X')).toBe(true); // Y → 1: 11234567 mod 23 = 10 → X
    expect(dniValid('12345678A')).toBe(false);
  });

  it('codice fiscale check letter', () => {
    expect(codiceFiscaleValid('RSSMRA85T10A562S')).toBe(true);
    expect(codiceFiscaleValid('RSSMRA85T10A562A')).toBe(false);
    expect(codiceFiscaleValid('RSSMRA85T10A562')).toBe(false);
  });
});
