/** The PostgreSQL major of docker-compose and CI, which must match production (dev/prod parity). */
export const POSTGRES_MAJOR = 18;

export const dependencies = { kysely: '0.29.9', pg: '8.23.1' };
export const devDependencies = { '@types/pg': '8.23.1' };
