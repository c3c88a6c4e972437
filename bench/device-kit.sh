#!/usr/bin/env bash
# Builds .devicecarry/ (git-ignored): what a bare lent machine needs to run squall's benchmarks,
# small enough to carry (< 64 MiB): Node (xz), the runtime node_modules (xz), nginx and wrk with
# their shared libraries, and setup.sh to unpack it there. Run from the repository root after
# `npm ci` and `apt-get install nginx-light wrk`. On the device:
#   bash .devicecarry/setup.sh && export PATH=/tmp/dev:$PATH LD_LIBRARY_PATH=$PWD/.devicecarry/lib
#   node bench/throughput.mjs --rounds 3 --seconds 8
# (carry `.devicecarry` and `packages/squall/dist`).
set -euo pipefail
cd "$(dirname "$0")/.."
rm -rf .devicecarry && mkdir -p .devicecarry/nm .devicecarry/bin .devicecarry/lib
(cd .devicecarry/nm && echo '{"name":"kit","private":true}' > package.json \
  && npm install --no-audit --no-fund --ignore-scripts undici@7 hdr-histogram-js@3 esbuild@0.28 commander@14 zod@4 picocolors snappyjs@0.7 autocannon@9 uplot >/dev/null \
  && tar cJf ../nm.tar.xz node_modules)
rm -rf .devicecarry/nm
xz -T2 -6 -c "$(command -v node)" > .devicecarry/node.xz
cp "$(command -v nginx || echo /usr/sbin/nginx)" "$(command -v wrk)" .devicecarry/bin/
for lib in $(ldd /usr/sbin/nginx "$(command -v wrk)" | awk '{print $3}' | grep '^/' | sort -u); do cp -L "$lib" .devicecarry/lib/; done
# The C library and friends come from the device itself.
rm -f .devicecarry/lib/libc.so.6 .devicecarry/lib/libm.so.6 .devicecarry/lib/libpthread.so.0 .devicecarry/lib/libgcc_s.so.1
cat > .devicecarry/setup.sh <<'SETUP'
#!/usr/bin/env bash
set -e
mkdir -p /tmp/dev /var/lib/nginx /var/log/nginx
[ -x /tmp/dev/node ] || xz -dc .devicecarry/node.xz > /tmp/dev/node
chmod +x /tmp/dev/node
cp .devicecarry/bin/* /tmp/dev/
[ -d node_modules/undici ] || tar xJf .devicecarry/nm.tar.xz
echo "setup ok: $(/tmp/dev/node -v), $(nproc) cores"
SETUP
du -sh .devicecarry
