/**
 * Scheduled tasks add no package to the app: a task runs with the app's own config, logger, services
 * and error reporting. The cron expressions are checked by the scaffolder's own croner (package.json).
 */
export const dependencies = {};
