// The signed-in credential (an API key or a JWT), kept in sessionStorage only: it never goes into
// a URL or localStorage, and closing the tab or signing out forgets it.
const STORAGE_KEY = "seoagents.credential";

export function storedCredential(): string | null {
  return sessionStorage.getItem(STORAGE_KEY);
}

export function storeCredential(credential: string): void {
  sessionStorage.setItem(STORAGE_KEY, credential);
}

export function forgetCredential(): void {
  sessionStorage.removeItem(STORAGE_KEY);
}

/** API keys start with `sak_`; anything else is sent as a bearer token (a JWT). */
export function isApiKey(credential: string): boolean {
  return credential.startsWith("sak_");
}

export function authHeaders(credential: string): Record<string, string> {
  return isApiKey(credential) ? { "X-API-Key": credential } : { Authorization: `Bearer ${credential}` };
}
