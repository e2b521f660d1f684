// A real OpenID Connect provider for tests: npm's oidc-provider (from web/node_modules) on
// loopback, with its development login page (any login becomes the subject, with the name
// "Nguyễn Thị Lan") and consent page, an RS256 key of its own, and one confidential client.
import { generateKeyPairSync } from 'node:crypto';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CLIENT_ID = 'motcua-portal';
export const CLIENT_SECRET = 'a-client-secret-for-the-test-provider';
export const CITIZEN_NAME = 'Nguyễn Thị Lan';

export function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

// Starts the provider for a motcua server that will listen on `serverUrl`. Returns the issuer,
// the environment that points the server at it, and close().
export async function startOidcProvider(serverUrl) {
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const { default: Provider } = await import(pathToFileURL(path.join(repoRoot, 'web/node_modules/oidc-provider/lib/index.js')).href);
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'test-key-1', use: 'sig', alg: 'RS256' };
  const redirectUri = `${serverUrl}/api/v1/auth/oidc/callback`;
  const provider = new Provider(issuer, {
    clients: [{
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
      redirect_uris: [redirectUri],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    }],
    jwks: { keys: [jwk] },
    findAccount: async (ctx, id) => ({ accountId: id, claims: async () => ({ sub: id, name: CITIZEN_NAME }) }),
    claims: { openid: ['sub'], profile: ['name'] },
    conformIdTokenClaims: false, // the name in the ID token itself
    pkce: { required: () => true },
    cookies: { keys: ['oidc-test-cookie-key'] },
  });
  provider.on('server_error', (ctx, err) => console.error('oidc-provider error', err));
  const server = provider.listen(port);
  return {
    issuer,
    env: {
      MOTCUA_OIDC_ISSUER: issuer,
      MOTCUA_OIDC_CLIENT_ID: CLIENT_ID,
      MOTCUA_OIDC_CLIENT_SECRET: CLIENT_SECRET,
      MOTCUA_OIDC_REDIRECT_URI: redirectUri,
    },
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
