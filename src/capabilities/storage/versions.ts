/** The S3 client and its presigner (AWS SDK for JavaScript v3), exact versions. */
export const dependencies = { '@aws-sdk/client-s3': '3.1175.0', '@aws-sdk/s3-request-presigner': '3.1169.0' };

/**
 * The S3-compatible server of docker-compose.yml: MinIO's last published image (MinIO stopped publishing
 * community images after it), pinned to the release, as production pins its storage service.
 */
export const MINIO_IMAGE = 'minio/minio:RELEASE.2025-09-07T16-13-09Z';
