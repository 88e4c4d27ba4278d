#!/usr/bin/env bash
# Checks the Dockerfile on a machine without a Docker engine: replays its build stage and its
# runtime stage in clean temporary directories, starts the image's CMD the way the container
# would, probes it (GET /healthz, the HEALTHCHECK command, a GraphQL query), stops it with SIGTERM
# and removes everything.
#
# Every step carries a "# Dockerfile: <instruction>" marker; test/integration/docker-build.test.ts
# fails when these markers and the Dockerfile's instructions differ, or when a RUN command here
# is not the Dockerfile's verbatim. Edit both together.
#
# Usage: scripts/docker-build-check.sh    (exit 0: the image would build and serve)
set -euo pipefail

# A Docker build sees none of the caller's environment (npm run/npx export npm_config_*,
# vitest exports NODE_ENV=test): start over from a minimal one.
if [[ -z "${DOCKER_BUILD_CHECK_CLEAN:-}" ]]; then
  keep=(DOCKER_BUILD_CHECK_CLEAN=1 "PATH=$PATH" "HOME=${HOME:-/root}")
  for name in TMPDIR NODE_EXTRA_CA_CERTS http_proxy https_proxy no_proxy HTTP_PROXY HTTPS_PROXY NO_PROXY; do
    if [[ -n "${!name:-}" ]]; then keep+=("$name=${!name}"); fi
  done
  exec env -i "${keep[@]}" bash "$0" "$@"
fi

repo="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/docker-build-check.XXXXXX")"
server_pid=""

cleanup() {
  if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then kill -KILL "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

step() { printf '\n==> %s\n' "$*"; }
fail() {
  printf '\nFAIL: %s\n' "$*" >&2
  if [[ -f "$work/server.log" ]]; then printf -- '--- server output ---\n' >&2; cat "$work/server.log" >&2; fi
  exit 1
}

chmod 755 "$work"  # lets the unprivileged user of the runtime stage reach $work/app

# A shell-form RUN: `/bin/sh -c` with the line as written; a non-zero exit fails the build.
run() {
  local code=0
  sh -c "$1" || code=$?
  if [[ "$code" != 0 ]]; then fail "RUN $1 exited $code"; fi
}

step "build stage in $work/build"
mkdir -p "$work/build" && cd "$work/build"                    # Dockerfile: FROM node:20-bookworm-slim AS build
                                                              # Dockerfile: WORKDIR /app
cp "$repo/package.json" "$repo/package-lock.json" ./          # Dockerfile: COPY package.json package-lock.json ./
run 'npm ci --no-audit --no-fund'                             # Dockerfile: RUN npm ci --no-audit --no-fund
cp "$repo/tsconfig.json" "$repo/tsconfig.build.json" ./       # Dockerfile: COPY tsconfig.json tsconfig.build.json ./
cp -R "$repo/src" ./src                                       # Dockerfile: COPY src ./src
run 'npm run build && npm prune --omit=dev --omit=optional'   # Dockerfile: RUN npm run build && npm prune --omit=dev --omit=optional

step "runtime stage in $work/app"
mkdir -p "$work/app" && cd "$work/app"                        # Dockerfile: FROM node:20-bookworm-slim
export NODE_ENV=production PORT=4000 HOST=0.0.0.0 NODE_OPTIONS=--max-old-space-size=192 # Dockerfile: ENV NODE_ENV=production PORT=4000 HOST=0.0.0.0 NODE_OPTIONS=--max-old-space-size=192
                                                              # Dockerfile: WORKDIR /app
cp "$work/build/package.json" ./                              # Dockerfile: COPY --from=build /app/package.json ./
cp -R "$work/build/node_modules" ./node_modules               # Dockerfile: COPY --from=build /app/node_modules ./node_modules
cp -R "$work/build/dist" ./dist                               # Dockerfile: COPY --from=build /app/dist ./dist
# The closest to the image's "node" user here is "nobody", which can only read the copies.
as_user=(); if [[ "$(id -u)" == 0 ]] && command -v setpriv >/dev/null; then as_user=(setpriv --reuid=nobody --regid=nogroup --clear-groups --); fi   # Dockerfile: USER node

step "checking the runtime files"
[[ -f dist/http/server.js ]] || fail "dist/http/server.js is missing"
[[ -f dist/sandbox/main.js ]] || fail "dist/sandbox/main.js (the sandbox service of deploy/docker-compose.yml) is missing"
[[ ! -e src && ! -e tsconfig.json ]] || fail "the runtime stage holds sources"
node -e '
  const { existsSync } = require("node:fs");
  const dev = Object.keys(require("./package.json").devDependencies ?? {});
  const left = dev.filter((name) => existsSync(`node_modules/${name}`));
  if (left.length > 0) { console.error(`dev dependencies left in node_modules: ${left.join(", ")}`); process.exit(1); }
  console.log(`none of the ${dev.length} dev dependencies is installed`);
' || fail "npm prune left dev dependencies"

# A free loopback port instead of 4000 on all interfaces: the check must not collide or expose.
PORT="$(node -e 'const s = require("node:net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })')"   # Dockerfile: EXPOSE 4000
HOST=127.0.0.1
# What `docker run -e GATEWAY_SECRET=…` passes: with NODE_ENV=production the gateway requires it.
GATEWAY_SECRET="docker-build-check-$(node -e 'console.log(require("node:crypto").randomBytes(24).toString("hex"))')"
export PORT HOST GATEWAY_SECRET

step "starting the CMD as $(if ((${#as_user[@]})); then echo nobody; else id -un; fi) on $HOST:$PORT"
"${as_user[@]}" node dist/http/server.js >"$work/server.log" 2>&1 &     # Dockerfile: CMD ["node", "dist/http/server.js"]
server_pid=$!

healthy=""
for _ in $(seq 1 100); do
  kill -0 "$server_pid" 2>/dev/null || fail "the server exited during start-up"
  if node -e "fetch('http://127.0.0.1:$PORT/healthz').then((r) => process.exit(r.status === 200 ? 0 : 1), () => process.exit(1))"; then
    healthy=1
    break
  fi
  sleep 0.2
done
[[ -n "$healthy" ]] || fail "GET /healthz did not answer 200 within 20 s"
echo "GET /healthz answered 200"

# Dockerfile: HEALTHCHECK --interval=30s --timeout=3s --start-period=10s CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||4000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
"${as_user[@]}" node -e "fetch('http://127.0.0.1:'+(process.env.PORT||4000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))" \
  || fail "the HEALTHCHECK command failed"
echo "the HEALTHCHECK command exited 0"

node -e "
  fetch('http://127.0.0.1:$PORT/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
    body: JSON.stringify({ query: '{ __typename }' }),
  })
    .then(async (r) => {
      const body = await r.text();
      if (r.status !== 200 || JSON.parse(body).data?.__typename !== 'Query') throw new Error(r.status + ' ' + body);
      console.log('POST /graphql { __typename } answered ' + body);
    })
    .catch((e) => { console.error(String(e)); process.exit(1); });
" || fail "POST /graphql { __typename } did not answer { data: { __typename: \"Query\" } }"

step "stopping the server with SIGTERM"
kill -TERM "$server_pid"
code=0
wait "$server_pid" || code=$?
server_pid=""
[[ "$code" == 0 ]] || fail "the server exited $code after SIGTERM"
echo "the server exited 0"

printf '\nOK: the Dockerfile builds, prunes dev dependencies and serves as a non-root user\n'
