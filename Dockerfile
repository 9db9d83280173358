# syntax=docker/dockerfile:1
#
# figures_exporter: a static binary on distroless, running as non-root.
#
#   docker build -t figures_exporter .
#   docker build --build-arg VERSION=0.1.0 --build-arg REVISION=$(git rev-parse HEAD) -t figures_exporter .
#
# The curated figures.yaml is embedded in the binary (it is served when no
# --figures.file is given); docker-compose.yml mounts the repository's copy
# read-only instead, so that edits reach the running exporter.

ARG GO_VERSION=1.26

FROM golang:${GO_VERSION}-bookworm AS builder
WORKDIR /src
# Dependencies first, so that they stay cached while the code changes.
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=0.0.0-dev
ARG REVISION=unknown
ARG BRANCH=unknown
ARG BUILD_USER=docker
ARG BUILD_DATE=unknown
RUN CGO_ENABLED=0 go build -trimpath -buildvcs=false \
      -ldflags "-s -w \
        -X github.com/prometheus/common/version.Version=${VERSION} \
        -X github.com/prometheus/common/version.Revision=${REVISION} \
        -X github.com/prometheus/common/version.Branch=${BRANCH} \
        -X github.com/prometheus/common/version.BuildUser=${BUILD_USER} \
        -X github.com/prometheus/common/version.BuildDate=${BUILD_DATE}" \
      -o /out/figures_exporter ./cmd/figures_exporter \
 && /out/figures_exporter --version

# distroless/static has no shell and no package manager: only CA certificates,
# tzdata and /etc/passwd with the nonroot user (65532).
FROM gcr.io/distroless/static-debian12:nonroot
LABEL org.opencontainers.image.title="figures_exporter" \
      org.opencontainers.image.description="Curated figures on state-backed cyberattacks against South Korea as Prometheus metrics" \
      org.opencontainers.image.source="https://github.com/figures-exporter/figures_exporter"
COPY --from=builder /out/figures_exporter /bin/figures_exporter
USER 65532:65532
EXPOSE 10523
ENTRYPOINT ["/bin/figures_exporter"]
