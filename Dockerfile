# syntax=docker/dockerfile:1
# wxads in a container: one static binary (CGO_ENABLED=0, so SQLite is the
# pure-Go driver, modernc.org/sqlite) on distroless/static, run as non-root,
# data in the /data volume. Build: docker build --build-arg VERSION=v1.2.3 -t wxads .
# What can be checked without Docker is checked by bench/static-check.sh.

FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/wxads ./cmd/wxads \
	&& mkdir -p /out/data

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/wxads /usr/local/bin/wxads
# A named volume starts as a copy of this directory, owner included, so the
# non-root user can write it (wxads makes it 0700).
COPY --from=build --chown=65532:65532 /out/data /data
ENV WXADS_DATA=/data \
	WXADS_ADDR=0.0.0.0:8080
VOLUME /data
EXPOSE 8080
USER 65532:65532
# No HEALTHCHECK: the image has no shell or curl, and wxads has no health
# subcommand yet; probe GET /healthz from the orchestrator instead.
ENTRYPOINT ["/usr/local/bin/wxads"]
CMD ["serve"]
