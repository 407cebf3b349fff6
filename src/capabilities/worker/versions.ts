export const dependencies = { bullmq: '6.7.0' };
