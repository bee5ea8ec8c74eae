# The API and worker image used by docker-compose.yml. Runs the TypeScript sources with tsx.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY bin ./bin
COPY src ./src
COPY importers ./importers
COPY cypher ./cypher
COPY catalogue ./catalogue
COPY tsconfig.json ./
RUN mkdir -p /app/.local && chown -R node:node /app/.local
USER node
EXPOSE 3000
ENTRYPOINT ["node", "--import", "tsx", "src/cli.ts"]
CMD ["serve"]
