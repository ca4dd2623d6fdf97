# A small image with the supportsim binary. The release profile has no debug info; the image
# also strips the symbol table. Build: `docker build -t supportsim .`
# Run:   `docker run --rm -v "$PWD:/work" -w /work supportsim run scenarios/mmc.toml`
FROM rust:1-slim-bookworm AS build
WORKDIR /src
COPY Cargo.toml Cargo.lock ./
COPY src ./src
COPY benches ./benches
# Cargo.toml names the benches and tests, so the manifest needs their files.
COPY tests ./tests
COPY scenarios ./scenarios
RUN cargo build --release --locked --bin supportsim && strip target/release/supportsim

FROM debian:bookworm-slim
COPY --from=build /src/target/release/supportsim /usr/local/bin/supportsim
COPY --from=build /src/scenarios /opt/supportsim/scenarios
ENTRYPOINT ["supportsim"]
