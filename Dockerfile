# syntax=docker/dockerfile:1
# Build stage: install everything and compile TypeScript to dist/.
FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev

# Run stage: only production dependencies and the compiled code, as the unprivileged `node` user.
FROM node:22-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build --chown=node:node /app/package.json ./
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
# The terminal chat owns stdout, so logs go to a file the unprivileged user can write.
RUN mkdir -p /app/logs && chown node:node /app/logs
ENV LOG_FILE=/app/logs/telegrid.log
USER node
# Healthy while /health answers 200 (docs/OPERATIONS.md says when it answers 503). It is read on the loopback port the
# bot serves it on (METRICS_PORT, 0 = off; METRICS_HOST 0.0.0.0 is reached on 127.0.0.1). The image has no curl, so
# node's own fetch asks. Only `start` serves /health: another command of this image (worker, sandbox, watchdog, audit)
# is healthy while it runs.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 CMD ["node", "-e", "\
const argv = require('fs').readFileSync('/proc/1/cmdline', 'utf8').split('\\0');\
const port = process.env.METRICS_PORT || '9464';\
if (!argv.includes('start') || port === '0') process.exit(0);\
const set = process.env.METRICS_HOST;\
const host = !set || set === '0.0.0.0' || set === '::' ? '127.0.0.1' : set;\
fetch('http://' + host + ':' + port + '/health', { signal: AbortSignal.timeout(4000) })\
  .then((res) => process.exit(res.status === 200 ? 0 : 1), () => process.exit(1));"]
# SIGTERM from `docker stop` reaches node directly (exec form), which shuts down cleanly.
ENTRYPOINT ["node", "dist/app/cli.js"]
CMD ["start"]
