# syntax=docker/dockerfile:1
# Build stage: install everything, compile TypeScript, then drop the dev dependencies. Optional
# ones go too: graphql-armor lists the devDependency @apollo/server as an optional peer, which
# --omit=dev alone keeps (no production dependency needs an optional package).
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev --omit=optional

# Runtime stage: compiled output and production dependencies only, as the unprivileged node user.
# The files stay owned by root, so the process cannot rewrite its own code or dependencies.
# scripts/docker-build-check.sh replays these steps without a Docker engine: keep it in step.
FROM node:20-bookworm-slim
# The heap cap keeps the process near 200 MB RSS under load (measured: bench/results/HISTORY.md);
# raise it with the container's memory limit.
ENV NODE_ENV=production PORT=4000 HOST=0.0.0.0 NODE_OPTIONS=--max-old-space-size=192
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
USER node
EXPOSE 4000
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||4000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "dist/http/server.js"]
