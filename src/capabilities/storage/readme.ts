import type { AppModel } from '../../model/types.ts';

/** The README's object storage section. */
export function readme(model: AppModel): string {
  const uploads = model.routes.some((route) => route.plugin === 'uploads');
  const minio = model.services.find((service) => service.name === 'minio');
  return `### Object storage

Files live in an S3-compatible bucket (AWS S3, MinIO, Cloudflare R2, …), never on the local disk, which no
other process shares and every deploy empties. \`STORAGE_URL\` names the endpoint, the credentials, the
bucket and the region in one URL, \`http(s)://ACCESS_KEY:SECRET@endpoint/bucket?region=REGION\` (percent-encode
\`/\`, \`+\` and \`=\` in the secret); like every secret it may come from a file in \`STORAGE_URL_FILE\`. On AWS:
\`https://KEY:SECRET@s3.eu-west-1.amazonaws.com/my-bucket?region=eu-west-1\`. \`src/storage.ts\` makes the client
(\`@aws-sdk/client-s3\`); \`${model.facts.readiness}\` answers 503 while the bucket does not answer. Every process gets it as
\`services.storage\`${model.features.worker ? ', the worker for its jobs too' : ''}.
${
  uploads
    ? `
The bytes never pass through the API: \`POST /uploads\` answers \`201 { key, url, method: "PUT", expiresInSeconds }\`,
and the client PUTs the file to that presigned \`url\`; \`GET /uploads/<key>\` redirects (302) to a presigned
download URL, or answers 404. Both URLs expire after \`STORAGE_URL_EXPIRES_SECONDS\`.

\`\`\`sh
upload=$(curl -s -X POST localhost:3000/uploads -H 'content-type: application/json' -d '{"contentType":"text/plain"}')
curl -X PUT -H 'content-type: text/plain' --data-binary @notes.txt "$(echo "$upload" | jq -r .url)"
curl -L "localhost:3000/uploads/$(echo "$upload" | jq -r .key)"
\`\`\`
`
    : ''
}${
  minio
    ? `
Locally, \`docker compose up -d\` starts MinIO (${minio.image}) with the app's bucket and the tests' bucket already made;
its console is not exposed. Under the \`app\` profile the app reaches it as \`minio:9000\`, so the presigned URLs it
answers there name that host: use the processes started on your machine to try uploads from a browser.
`
    : ''
}`;
}
