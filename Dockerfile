# syntax=docker/dockerfile:1
#
# One Dockerfile for every Node service of the monorepo. Pick the service with
# both the build argument and the target of the same name:
#
#   docker build --build-arg APP=gateway         --target gateway         -t collab/gateway .
#   docker build --build-arg APP=doc-service     --target doc-service     -t collab/doc-service .
#   docker build --build-arg APP=snapshot-worker --target snapshot-worker -t collab/snapshot-worker .
#
# The migrations (libs/persistence/dist/migrate.js) ship in every image; the
# compose file and the Kubernetes Job run them from the doc-service image.
#
# Debian slim rather than Alpine: the native prebuilt packages in the lock
# (@node-rs/argon2, msgpackr-extract, nx, rolldown) are first-class on glibc.
ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS base
WORKDIR /app

# Only the lock and every workspace's package.json, in their places. The
# layers that run `npm ci` below depend on nothing else, so a source change
# does not reinstall dependencies.
FROM base AS manifests
COPY . /src
RUN cd /src \
  && find . -name package.json -not -path '*/node_modules/*' -not -path '*/dist/*' \
    -exec cp --parents '{}' /app/ ';' \
  && cp package-lock.json .npmrc /app/

# Every dependency (dev included) and a build of every project: libs first,
# then the apps, then the web app the gateway serves (Nx orders it).
FROM base AS build
ENV NX_DAEMON=false NX_NO_CLOUD=true NX_TUI=false
COPY --from=manifests /app/ ./
RUN --mount=type=cache,target=/root/.npm npm ci
COPY . .
RUN npx nx run-many -t build --output-style=static

# The runtime files of one app: its dist, every lib's dist (the workspace
# links in node_modules/@collab point at libs/<lib>) and, for the gateway,
# the built web app at apps/web/dist (its WEB_DIST_DIR default).
FROM build AS dist
ARG APP
RUN set -eu; \
  test -n "${APP}" || { echo 'set --build-arg APP=gateway|doc-service|snapshot-worker' >&2; exit 1; }; \
  dirs="apps/${APP} $(ls -d libs/*)"; \
  if [ "${APP}" = gateway ]; then dirs="${dirs} apps/web"; fi; \
  for dir in ${dirs}; do \
    if [ -d "${dir}/dist" ]; then mkdir -p "/out/${dir}" && cp -a "${dir}/dist" "/out/${dir}/"; fi; \
  done; \
  test -f "/out/apps/${APP}/dist/main.js"

# Production dependencies of that app only, straight from the lock.
# --ignore-scripts: no runtime package needs an install script (native code
# comes as prebuilt optional packages), and skipping them runs nobody's
# postinstall in the image.
FROM base AS prod-deps
ARG APP
COPY --from=manifests /app/ ./
RUN --mount=type=cache,target=/root/.npm \
  npm ci --omit=dev --ignore-scripts --workspace="apps/${APP}"


# The image: production node_modules, the package.json files the workspace
# links resolve through, and compiled code. Everything belongs to root and is
# read-only for the `node` user the process runs as (the Kubernetes pods also
# mount the root filesystem read-only).
FROM base AS runtime
ARG APP
ENV NODE_ENV=production
COPY --from=prod-deps /app/ ./
COPY --from=dist /out/ ./
WORKDIR /app/apps/${APP}
USER node
# Exec form: node is PID 1 and receives SIGTERM itself; each app turns it into
# its graceful shutdown (Nest enableShutdownHooks). No shell in between to
# swallow the signal.
# --single-threaded-gc: V8 collects on the main thread alone, instead of
# pausing it while helper threads, which a small CPU share (a pod's request,
# a laptop running the whole stack) leaves waiting for a core, finish their
# part. It shortened the light-load tail several-fold (bench/README.md, "GC
# pauses and the light-load tail"); scripts/stack/local-stack.mjs
# (SERVICE_NODE_ARGS) runs the services the same way. Not settable through
# NODE_OPTIONS.
CMD ["node", "--single-threaded-gc", "dist/main.js"]

# One target per service, so that `--target` names what is built; each checks
# that the APP argument built the same service.
FROM runtime AS gateway
RUN test -f /app/apps/gateway/dist/main.js
# HTTP + Socket.IO (PORT)
EXPOSE 3000

FROM runtime AS doc-service
RUN test -f /app/apps/doc-service/dist/main.js
# health endpoints (HTTP_PORT)
EXPOSE 3100

FROM runtime AS snapshot-worker
RUN test -f /app/apps/snapshot-worker/dist/main.js
