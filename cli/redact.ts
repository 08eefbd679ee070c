/** Secrets the CLI handles (admin key, AWS secret key and session token), masked in anything it prints. */
export class Redactor {
  readonly #secrets = new Set<string>();

  add(secret: string | undefined): void {
    // Very short values would mask ordinary text; real secrets are long.
    if (secret !== undefined && secret.length >= 8) this.#secrets.add(secret);
  }

  apply(text: string): string {
    let out = text;
    for (const secret of this.#secrets) out = out.split(secret).join('[redacted]');
    return out;
  }
}
