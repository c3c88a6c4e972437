# The squall image that `squall k8s` pods run. Built from the packed packages, so the image holds
# exactly what `npm install -g` of the tarballs gives (the CLI, embedded ClickHouse, the activity
# target):
#   npm ci && npm pack -w packages/squall -w packages/activity
#   docker build -t squall:0.1.0 .
FROM node:20-bookworm-slim
COPY squall-0.1.0.tgz squall-activity-0.1.0.tgz /tmp/pkg/
RUN npm install -g --no-audit --no-fund /tmp/pkg/squall-0.1.0.tgz /tmp/pkg/squall-activity-0.1.0.tgz \
 && rm -rf /tmp/pkg /root/.npm
USER node
WORKDIR /home/node
ENTRYPOINT ["squall"]
CMD ["--help"]
