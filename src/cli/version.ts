/** The tool's version (kept in step with package.json and plugins/job.yaml). */
export const VERSION = '0.1.0';
