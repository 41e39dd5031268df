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
# SIGTERM from `docker stop` reaches node directly (exec form), which shuts down cleanly.
ENTRYPOINT ["node", "dist/app/cli.js"]
CMD ["start"]
