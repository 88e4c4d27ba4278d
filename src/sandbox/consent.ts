/** What the consent form carries through from the authorization request to its answer. */
export interface ConsentRequest {
  readonly clientId: string;
  readonly redirectUri: string;
  readonly state: string | null;
  /** The account preselected (the request's `account`, else the first). */
  readonly account: string;
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/**
 * The sandbox's login and consent page, as viewneo shows before redirecting: which account to
 * sign in as, and Allow or Deny. The form posts back to `/oauth/authorize` with the request's
 * parameters, the account and the decision (`decision=allow` or `deny`).
 */
export function consentPage(request: ConsentRequest, accounts: readonly string[]): string {
  const hidden = (name: string, value: string | null) =>
    value === null ? '' : `<input type="hidden" name="${name}" value="${escapeHtml(value)}">`;
  const options = accounts
    .map((a) => `<option value="${escapeHtml(a)}"${a === request.account ? ' selected' : ''}>${escapeHtml(a)}</option>`)
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sign in to viewneo (sandbox)</title>
<style>body{font:16px system-ui,sans-serif;max-width:28rem;margin:4rem auto;padding:0 1rem}
label,button{display:block;margin:1rem 0}select{font:inherit;padding:.3rem}button{font:inherit;padding:.4rem 1rem;display:inline-block;margin-right:.5rem}</style>
</head><body>
<h1>Sign in to viewneo</h1>
<p>The application <strong>${escapeHtml(request.clientId)}</strong> asks to use your viewneo account: read and change your playlists and media.</p>
<form method="post" action="/oauth/authorize">
${hidden('client_id', request.clientId)}${hidden('redirect_uri', request.redirectUri)}${hidden('response_type', 'code')}${hidden('state', request.state)}
<label>Account <select name="account">${options}</select></label>
<button type="submit" name="decision" value="allow">Allow</button>
<button type="submit" name="decision" value="deny">Deny</button>
</form>
</body></html>
`;
}
