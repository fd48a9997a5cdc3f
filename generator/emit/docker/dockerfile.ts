// generated/Dockerfile: one image for every workload of the mesh, built from the project root.
// Build stage: the project's full install (meshspec, TypeScript) and `meshspec build`. Runtime stage:
// production dependencies only (meshspec's runtime among them), the build output, tini as PID 1,
// the non-root `node` user. The choices are explained in the comments the file carries.
import type { MeshModel } from '../../model/types.js';
import { buildFolder, outputFiles, type ProjectLayout } from '../../naming/index.js';
import { workloadEntries } from '../typescript/entry-file.js';
import { workloadImages } from './images.js';

/** The Node.js major the image runs: the active LTS line (meshspec supports >= 20; 20 is past its end of life). */
export const NODE_MAJOR = '24';
/** Debian 12, the base of the official slim images; tini comes from its packages. */
export const BASE_VARIANT = 'bookworm-slim';
/** Where the project sits in both stages. */
export const APP_DIR = '/app';

/**
 * The Dockerfile of `model`, for a project laid out as `layout`.
 *
 * @param model the mesh (its workloads' names and images go into the usage comment)
 * @param layout the generated and hooks folders, copied into the build stage
 * @example dockerfile(shop, defaultLayout) // "...FROM node:${NODE_MAJOR}-bookworm-slim AS build\n..."
 */
export function dockerfile(model: MeshModel, layout: ProjectLayout): string {
  const buildDir = buildFolder(layout);
  const names = workloadEntries(model).map((w) => w.name);
  const tags = workloadImages(model).map((image) => ` -t ${image}`).join('');
  const entry = `${buildDir}/${layout.outDir}/${outputFiles.entry.replace(/\.ts$/, '.js')}`;
  const layoutFlags = `${layout.outDir === 'generated' ? '' : ` --generated ${layout.outDir}`}${layout.hooksDir === 'hooks' ? '' : ` --hooks ${layout.hooksDir}`}`;
  return `# One image for every workload of mesh ${model.name}: ${names.join(', ')}.
# Build it from the project root (BuildKit, Docker 23 or later, reads ${layout.outDir}/Dockerfile.dockerignore):
#   docker build -f ${layout.outDir}/Dockerfile${tags} .
# Run a workload by name (the manifests pass it as the container's only argument):
#   docker run --rm -e PORT=8080 -p 8080:8080 <image> ${names[0] ?? '<workload>'}
# Another Node.js major: --build-arg NODE_MAJOR=22. To change more, copy this file out of
# ${layout.outDir}/ (meshspec generate rewrites it) and build with your copy.

ARG NODE_MAJOR=${NODE_MAJOR}

# Build stage: every dependency (TypeScript included), then generated code and hooks compiled to ${buildDir}/.
FROM node:\${NODE_MAJOR}-${BASE_VARIANT} AS build
WORKDIR ${APP_DIR}
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY ${layout.outDir}/ ./${layout.outDir}/
COPY ${layout.hooksDir}/ ./${layout.hooksDir}/
RUN npx --no-install meshspec build --out ${buildDir}${layoutFlags}

# Runtime stage: production dependencies (meshspec's runtime is one) and the compiled code, nothing else.
FROM node:\${NODE_MAJOR}-${BASE_VARIANT} AS runtime
# tini as PID 1: it forwards SIGTERM to node and reaps zombies. Node as PID 1 would ignore a SIGTERM
# that arrives before the runtime installs its handler (while migrations run), and the pod would wait
# out its whole grace period.
RUN apt-get update \\
  && apt-get install -y --no-install-recommends tini \\
  && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production
WORKDIR ${APP_DIR}
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev --no-audit --no-fund
COPY --from=build ${APP_DIR}/${buildDir}/ ./${buildDir}/
# uid 1000, as the manifests' securityContext runs it; it owns nothing in ${APP_DIR}, so the code is read-only to it.
USER node
# No HEALTHCHECK: each workload listens on its own port, and Kubernetes probes /health and /ready itself.
ENTRYPOINT ["/usr/bin/tini", "--", "node", "${entry}"]
# The workload's name: the first argument, or MESH_WORKLOAD; none exits 2 listing the names.
CMD []
`;
}
