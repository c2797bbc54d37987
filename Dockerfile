# syntax=docker/dockerfile:1
# BookStore server image: build with the project's own dependency script, run
# on debian:bookworm-slim with only the binary and what it reads at run time.
#   docker build -t bookstore:local .
# Checked without a Docker engine by deploy/docker/check-with-debootstrap.

FROM debian:bookworm AS build
WORKDIR /src
# Dependencies first (own layer, reused while scripts/ is unchanged): Debian
# packages plus Drogon/trantor built into /usr/local.
COPY scripts/ scripts/
RUN scripts/install-deps
COPY . .
RUN cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DBOOKSTORE_TESTS=OFF \
 && cmake --build build -j"$(nproc)" --target bookstore \
 && mkdir -p /out/lib \
 && ldd build/bookstore | awk '$3 ~ /^\/usr\/local\// {print $3}' | xargs -r cp -L -t /out/lib/ \
 && ls /out/lib/libdrogon.so* /out/lib/libtrantor.so* \
 && build/bookstore version

FROM debian:bookworm-slim AS runtime
ARG DEBIAN_FRONTEND=noninteractive
# Run-time libraries of the binary, Bootstrap (served from
# /usr/share/javascript/bootstrap5) and the fonts of the demo covers.
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libjsoncpp25 libmariadb3 libsqlite3-0 libpq5 libsodium23 libbrotli1 \
      libc-ares2 libyaml-cpp0.7 libuuid1 zlib1g libssl3 ca-certificates \
      libjs-bootstrap5 libgd3 fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /out/lib/ /usr/local/lib/
COPY --from=build /src/build/bookstore /usr/local/bin/bookstore
COPY deploy/docker/healthcheck /usr/local/bin/bookstore-healthcheck
RUN ldconfig \
 && if ldd /usr/local/bin/bookstore | grep 'not found'; then exit 1; fi \
 && groupadd --system --gid 10001 bookstore \
 && useradd --system --uid 10001 --gid 10001 --home-dir /var/lib/bookstore \
      --shell /usr/sbin/nologin bookstore \
 && install -d -o 10001 -g 10001 -m 0755 \
      /var/lib/bookstore /var/lib/bookstore/uploads /var/lib/bookstore/uploads/covers \
      /var/lib/bookstore/data

# UPLOAD_DIR is a volume in every deployment (a named volume in compose, the
# EFS mount /mnt/efs/uploads on AWS instances, a ReadWriteMany claim in
# Kubernetes); the SQLite file, when used, goes to data/.
ENV HOST=0.0.0.0 \
    PORT=5000 \
    UPLOAD_DIR=/var/lib/bookstore/uploads
WORKDIR /var/lib/bookstore
USER 10001:10001
EXPOSE 5000
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 \
  CMD ["/usr/local/bin/bookstore-healthcheck"]
ENTRYPOINT ["/usr/local/bin/bookstore"]
CMD ["serve"]
