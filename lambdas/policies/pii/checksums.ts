/**
 * Check-digit algorithms the PII detectors use to tell a real identifier from a number of the same shape. Each takes
 * the identifier with separators already removed (and upper-cased where letters occur) and returns whether it holds.
 */

/** Luhn (ISO/IEC 7812): payment cards. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i -= 1) {
    let d = digits.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return digits.length > 0 && sum % 10 === 0;
}

/** ISO 13616 mod-97: the IBAN with its first four characters moved to the end, letters as 10..35, mod 97 is 1. */
export function ibanMod97Valid(iban: string): boolean {
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const char of rearranged) {
    const code = char.charCodeAt(0);
    if (code >= 48 && code <= 57) remainder = (remainder * 10 + (code - 48)) % 97;
    else if (code >= 65 && code <= 90) remainder = (remainder * 100 + (code - 55)) % 97;
    else return false;
  }
  return remainder === 1;
}

/** Dutch BSN "elfproef": 9 digits, Σ dᵢ × (9…2) − d₉ ≡ 0 (mod 11), and not all zeros. */
export function bsnValid(digits: string): boolean {
  if (!/^\d{9}$/.test(digits) || /^0+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < 8; i += 1) sum += (digits.charCodeAt(i) - 48) * (9 - i);
  sum -= digits.charCodeAt(8) - 48;
  return sum % 11 === 0;
}

const DNI_LETTERS = 'TRWAGMYFPDXBNJZSQVHLCKE';

/** Spanish DNI (8 digits + letter) and NIE (X/Y/Z + 7 digits + letter): the letter is the number mod 23. */
export function dniValid(id: string): boolean {
  const nie = 'XYZ'.indexOf(id.charAt(0));
  const number = nie >= 0 ? `${nie}${id.slice(1, 8)}` : id.slice(0, 8);
  if (!/^\d{8}$/.test(number)) return false;
  return DNI_LETTERS.charAt(Number(number) % 23) === id.charAt(8);
}

// Italian codice fiscale: the value of a character at an odd (1st, 3rd, …) position; digits count as A…J.
const CF_ODD = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23];

const cfIndex = (char: string): number => {
  const code = char.charCodeAt(0);
  return code >= 48 && code <= 57 ? code - 48 : code - 65;
};

/** Italian codice fiscale: 15 characters, then the check letter (odd positions by table, even by value, mod 26). */
export function codiceFiscaleValid(code: string): boolean {
  if (code.length !== 16) return false;
  let sum = 0;
  for (let i = 0; i < 15; i += 1) {
    const index = cfIndex(code.charAt(i));
    sum += i % 2 === 0 ? (CF_ODD[index] ?? 0) : index;
  }
  return String.fromCharCode(65 + (sum % 26)) === code.charAt(15);
}
